"""What the engine answers: a recommendation, the rules applied, reasons, basis, record and tell."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final


class Recommendation(StrEnum):
    SHARE = "share"  # share (with consent, or on another basis where consent is not needed)
    SHARE_WITHOUT_CONSENT = "share_without_consent"
    SEEK_CONSENT = "seek_consent"
    SEEK_ADVICE = "seek_advice"
    DO_NOT_SHARE = "do_not_share"
    REFER_NOW = "refer_now"  # refer to children's social care or police now
    NOT_PERSONAL_DATA = "not_personal_data"
    # 2024.2: whoever asked is not yet known to be who they say (seed 003, section 3.5).
    VERIFY_RECIPIENT = "verify_recipient"
    # 2024.2: the answers contradict each other; nothing is recommended until they agree.
    CHECK_ANSWERS = "check_answers"


SHARING_RECOMMENDATIONS: Final[frozenset[Recommendation]] = frozenset(
    {Recommendation.SHARE, Recommendation.SHARE_WITHOUT_CONSENT, Recommendation.REFER_NOW}
)
"""Recommendations under which personal data is passed on, so a lawful basis is required."""


class Notify(StrEnum):
    INDIVIDUAL = "individual"  # tell the individual that information was shared
    REQUESTER_OF_REFUSAL = "requester_of_refusal"


@dataclass(frozen=True)
class AppliedRule:
    id: str  # stable, e.g. "FC-01"; never reused
    text: str  # our own words


@dataclass(frozen=True)
class Contradiction:
    id: str
    text: str  # what cannot all be true, in plain English
    fields: tuple[str, ...]  # the facts to look at again


@dataclass(frozen=True)
class LawfulBasis:
    article_6: str  # catalogue code, e.g. "art6_1_e"
    article_9: str | None  # e.g. "art9_2_g" (special category only)
    schedule_1: str | None  # e.g. "dpa_sch1_18"
    article_10: str | None  # e.g. "art10_dpa_sch1_18" (criminal offence data only)


@dataclass(frozen=True)
class Outcome:
    recommendation: Recommendation
    rule_version: str
    rules_applied: tuple[AppliedRule, ...]
    reasons: tuple[str, ...]  # plain English, second person
    lawful_basis: LawfulBasis | None  # None when not sharing / not personal data
    must_record: tuple[str, ...]
    must_tell: tuple[Notify, ...]
    individual_not_told_reason: str | None
    contradictions: tuple[Contradiction, ...] = ()
    manager_approval: bool = False  # a DSL or manager must approve the share (2024.2)


def outcome_to_mapping(outcome: Outcome) -> dict[str, object]:
    """A JSON-safe dict of the outcome (enum values as strings, tuples as lists)."""
    basis = outcome.lawful_basis
    return {
        "recommendation": str(outcome.recommendation),
        "rule_version": outcome.rule_version,
        "rules_applied": [{"id": r.id, "text": r.text} for r in outcome.rules_applied],
        "reasons": list(outcome.reasons),
        "lawful_basis": None
        if basis is None
        else {
            "article_6": basis.article_6,
            "article_9": basis.article_9,
            "schedule_1": basis.schedule_1,
            "article_10": basis.article_10,
        },
        "must_record": list(outcome.must_record),
        "must_tell": [str(n) for n in outcome.must_tell],
        "individual_not_told_reason": outcome.individual_not_told_reason,
        "contradictions": [
            {"id": c.id, "text": c.text, "fields": list(c.fields)} for c in outcome.contradictions
        ],
        "manager_approval": outcome.manager_approval,
    }
