"""The decision engine: HM Government's information sharing flowchart and golden rules as
versioned rule tables. Pure Python: no Django import anywhere in this package.

``evaluate(facts)`` returns an :class:`Outcome`: a recommendation, the rules that applied, plain
English reasons, the suggested lawful basis, what must be recorded and who must be told. The
practitioner decides; the engine only recommends. See docs/how-to/decision-engine.md.
"""

from __future__ import annotations

from safeshare.decisions.engine.evaluate import RuleTableError, evaluate, manager_approval_for
from safeshare.decisions.engine.facts import (
    CHILD_AGE_MAX,
    FACT_FIELDS,
    PURPOSES,
    About,
    AskedBy,
    ConsentState,
    Facts,
    Harm,
    InvalidFacts,
    NotSoughtReason,
    Recipient,
    Tristate,
    facts_to_mapping,
)
from safeshare.decisions.engine.outcome import (
    SHARING_RECOMMENDATIONS,
    AppliedRule,
    Contradiction,
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
from safeshare.decisions.engine.validate import facts_from_mapping

__all__ = [
    "CHILD_AGE_MAX",
    "CURRENT_VERSION",
    "FACT_FIELDS",
    "PURPOSES",
    "SHARING_RECOMMENDATIONS",
    "VERSIONS",
    "About",
    "AppliedRule",
    "AskedBy",
    "ConsentState",
    "Contradiction",
    "Facts",
    "Harm",
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
    "manager_approval_for",
    "outcome_to_mapping",
    "rule_set",
]
