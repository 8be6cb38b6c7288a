"""The registry of rule versions. One module per version; old versions are never changed.

To add a version: copy the newest module to ``v<YYYY>_<n>.py``, change ``VERSION`` and the rows,
and add its ``RULE_SET`` to ``RULE_SETS`` below. ``CURRENT_VERSION`` is the last one; decisions
recorded under an older version still evaluate under it, unchanged.
"""

from __future__ import annotations

from typing import Final

from safeshare.decisions.engine.rules import v2024_1, v2024_2
from safeshare.decisions.engine.table import RuleSet


class UnknownRuleVersion(ValueError):
    """No rule set has this version."""

    def __init__(self, version: str) -> None:
        super().__init__(f"There is no rule version {version!r}; known: {', '.join(VERSIONS)}")
        self.version = version


RULE_SETS: Final[dict[str, RuleSet]] = {
    rule_set.version: rule_set for rule_set in (v2024_1.RULE_SET, v2024_2.RULE_SET)
}
VERSIONS: Final[tuple[str, ...]] = tuple(RULE_SETS)
CURRENT_VERSION: Final[str] = VERSIONS[-1]


def rule_set(version: str) -> RuleSet:
    """The rule set for ``version`` (raises UnknownRuleVersion)."""
    try:
        return RULE_SETS[version]
    except KeyError:
        raise UnknownRuleVersion(version) from None
