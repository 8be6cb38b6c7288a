"""The decision engine: HM Government's information sharing flowchart and golden rules as
versioned rule tables. Pure Python: no Django import anywhere in this package.

``evaluate(facts)`` returns an :class:`Outcome`: a recommendation, the rules that applied, plain
English reasons, the suggested lawful basis, what must be recorded and who must be told. The
practitioner decides; the engine only recommends. See docs/how-to/decision-engine.md.
"""

from __future__ import annotations

from safeshare.decisions.engine.evaluate import RuleTableError, evaluate
from safeshare.decisions.engine.facts import (
    FACT_FIELDS,
    ConsentState,
    Facts,
    InvalidFacts,
    NotSoughtReason,
    Recipient,
    Tristate,
    facts_from_mapping,
    facts_to_mapping,
)
from safeshare.decisions.engine.outcome import (
    SHARING_RECOMMENDATIONS,
    AppliedRule,
    LawfulBasis,
    Notify,
    Outcome,
    Recommendation,
    outcome_to_mapping,
)
from safeshare.decisions.engine.rules import (
    CURRENT_VERSION,
    VERSIONS,
    UnknownRuleVersion,
    rule_set,
)

__all__ = [
    "CURRENT_VERSION",
    "FACT_FIELDS",
    "SHARING_RECOMMENDATIONS",
    "VERSIONS",
    "AppliedRule",
    "ConsentState",
    "Facts",
    "InvalidFacts",
    "LawfulBasis",
    "NotSoughtReason",
    "Notify",
    "Outcome",
    "Recipient",
    "Recommendation",
    "RuleTableError",
    "Tristate",
    "UnknownRuleVersion",
    "evaluate",
    "facts_from_mapping",
    "facts_to_mapping",
    "outcome_to_mapping",
    "rule_set",
]
