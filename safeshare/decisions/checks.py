"""What a recorded sharing decision must meet, checked without writing anything.

``decision_record`` (services) runs ``check_decision`` before it writes; the decision page of the
web wizard runs ``decision_check`` when the practitioner continues, so that a refusal is shown on
the page that asks for the answer at fault rather than only after "check your answers". The
rules, in the order their errors are shown:

- answers that contradict each other are never recorded (the engine's "check your answers");
- reasons always; a reason whenever the decision differs from the recommendation;
- for any share: a recipient, what will be shared, and a lawful basis (with an Article 9 and
  Schedule 1 condition for special category data, and an Article 10 condition for criminal
  offence data);
- a consent relied on is given, unexpired and covers this purpose, this recipient and every kind
  of information to be shared (WT 2018 ch1: consent is specific and time-limited); consent
  (Article 6(1)(a), or explicit consent under Article 9(2)(a)) is a basis only with such a consent.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

from safeshare.agencies.models import Agency, Practitioner
from safeshare.cases.models import Case
from safeshare.consent.lawful_bases import KINDS, UnknownLawfulBasis, lawful_basis
from safeshare.consent.models import Consent
from safeshare.consent.selectors import consent_scope_problem
from safeshare.core.vocabulary import InformationCategory, SharingPurpose
from safeshare.decisions.engine import (
    ConsentState,
    Facts,
    Outcome,
    Recipient,
    Recommendation,
    evaluate,
    manager_approval_for,
)
from safeshare.decisions.exceptions import DecisionInvalid, LawfulBasisMissing
from safeshare.decisions.models import SHARING_OUTCOMES, DecisionOutcome, SharingDecision
from safeshare.decisions.selectors import recipient_entitlement


def _check_lawful_basis(
    *, basis: Mapping[str, Any] | None, outcome: str, facts: Facts
) -> dict[str, str | None] | None:
    """A share needs an Art 6 basis, plus Art 9 and Schedule 1 for special category data and an
    Art 10 condition for criminal offence data; every code must be in the catalogue."""
    if outcome not in SHARING_OUTCOMES:
        return None
    if not basis or not basis.get("article_6"):
        raise LawfulBasisMissing(
            "Select the lawful basis for sharing (UK GDPR Article 6)", field="article_6"
        )
    cleaned: dict[str, str | None] = {}
    for kind in KINDS:
        code = basis.get(kind) or None
        if code is not None:
            try:
                entry = lawful_basis(str(code))
            except UnknownLawfulBasis as exc:
                raise LawfulBasisMissing(
                    f"{code} is not a lawful basis we know", field=kind
                ) from exc
            if entry.kind != kind:
                raise LawfulBasisMissing(f"{entry.citation} is not a {kind} condition", field=kind)
        cleaned[kind] = str(code) if code is not None else None
    if facts.special_category:
        article_9 = cleaned["article_9"]
        if not article_9:
            raise LawfulBasisMissing(
                "Special category data needs an Article 9 condition", field="article_9"
            )
        if lawful_basis(article_9).schedule_1_required and not cleaned["schedule_1"]:
            raise LawfulBasisMissing(
                f"{lawful_basis(article_9).citation} needs a DPA 2018 Schedule 1 condition",
                field="schedule_1",
            )
    if facts.criminal_offence_data and not cleaned["article_10"]:
        raise LawfulBasisMissing(
            "Criminal offence data needs an Article 10 condition", field="article_10"
        )
    return cleaned


# Consent as a lawful basis: Article 6(1)(a), and explicit consent under Article 9(2)(a).
CONSENT_BASES: dict[str, str] = {"article_6": "art6_1_a", "article_9": "art9_2_a"}


def _needs_approval(*, outcome: str, facts: Facts) -> bool:
    """Sharing without consent needs a DSL's or manager's approval; so does any share that the
    rule version's approval table names (2024.2: doubt about who asked, seed 003 section 3.5)."""
    if outcome not in SHARING_OUTCOMES:
        return False
    if facts.consent != ConsentState.GIVEN:
        return True
    return manager_approval_for(facts, Recommendation(outcome))


def _check_consent_relied_on(
    *,
    consent: Consent | None,
    case: Case,
    facts: Facts,
    outcome: str,
    purpose: str,
    recipient_agency: Agency | None,
    categories: list[str],
    basis: Mapping[str, str | None] | None,
) -> None:
    """A consent relied on must allow this share; consent as a basis needs such a consent."""
    if consent is not None and consent.person_id != case.subject_id:
        raise DecisionInvalid("That consent is about someone else", field="consent")
    sharing = outcome in SHARING_OUTCOMES
    if facts.consent == ConsentState.GIVEN and consent is None and sharing:
        raise DecisionInvalid("Select the consent you are relying on", field="consent")
    for kind, code in CONSENT_BASES.items():
        if (
            basis is not None
            and basis.get(kind) == code
            and (consent is None or facts.consent != ConsentState.GIVEN)
        ):
            raise LawfulBasisMissing(
                f"{lawful_basis(code).citation} (consent) can only be the basis of a share that "
                "relies on consent given for it: choose the consent, or another basis",
                field=kind,
            )
    if consent is None or not sharing:
        return
    if facts.consent != ConsentState.GIVEN:
        raise DecisionInvalid(
            "You chose a consent to rely on but said consent was not given", field="consent"
        )
    if not categories:
        raise DecisionInvalid(
            "Select the kinds of information you will share, so that we can check the consent "
            "covers them",
            field="categories",
        )
    problem = consent_scope_problem(
        consent, purpose=purpose, recipient_agency=recipient_agency, categories=categories
    )
    if problem is not None:
        raise DecisionInvalid(problem, field="consent")


@dataclasses.dataclass(frozen=True)
class CheckedDecision:
    """What recording a decision needs once every check has passed."""

    facts: Facts
    engine: Outcome
    basis: dict[str, str | None] | None
    categories: list[str]
    approval_required: bool
    not_told: str


def check_decision(
    *,
    actor: Practitioner,
    case: Case,
    purpose: str,
    facts: Facts,
    outcome: str,
    reasons: str,
    recipient_agency: Agency | None,
    lawful_basis: Mapping[str, Any] | None,
    what_to_share: str,
    categories: Sequence[str],
    consent: Consent | None,
    override_reason: str,
    individual_not_told_reason: str,
    supersedes: SharingDecision | None,
    reconsideration_reason: str,
    check_reconsideration: bool = True,
) -> CheckedDecision:
    """Every rule a recorded decision must meet, in the order its errors are shown; writes
    nothing."""
    if purpose not in SharingPurpose.values:
        raise DecisionInvalid("Select the purpose of sharing", field="purpose")
    if facts.purpose != purpose:
        raise DecisionInvalid("The facts describe a different purpose", field="purpose")
    if outcome not in DecisionOutcome.values:
        raise DecisionInvalid("Select your decision", field="outcome")
    if not reasons.strip():
        raise DecisionInvalid("Enter the reasons for your decision", field="reasons")
    if recipient_agency is not None:
        # Entitlement is worked out from the agreements in force, never taken from the caller.
        facts = dataclasses.replace(
            facts,
            recipient=Recipient(
                recipient_entitlement(
                    sharer=actor.agency, recipient=recipient_agency, purpose=purpose
                )
            ),
        )
    engine = evaluate(facts)
    if engine.recommendation is Recommendation.CHECK_ANSWERS:
        first = engine.contradictions[0]
        raise DecisionInvalid(
            f"Your answers contradict each other: {first.text}", field=first.fields[0]
        )
    if outcome != engine.recommendation and not override_reason.strip():
        raise DecisionInvalid(
            "Your decision differs from the recommendation: enter why", field="override_reason"
        )
    if outcome in SHARING_OUTCOMES and recipient_agency is None:
        raise DecisionInvalid("Select who the information will be shared with", field="recipient")
    if outcome in SHARING_OUTCOMES and not what_to_share.strip():
        raise DecisionInvalid("Describe what will be shared", field="what_to_share")
    wanted = sorted(set(categories))
    if any(category not in InformationCategory.values for category in wanted):
        raise DecisionInvalid("Select kinds of information from the list", field="categories")
    if supersedes is not None:
        if supersedes.case_id != case.pk:
            raise DecisionInvalid("A reconsideration belongs to the same case", field="supersedes")
        if check_reconsideration and not reconsideration_reason.strip():
            raise DecisionInvalid(
                "Enter what is new since the earlier decision", field="reconsideration_reason"
            )
    basis = _check_lawful_basis(basis=lawful_basis, outcome=outcome, facts=facts)
    _check_consent_relied_on(
        consent=consent,
        case=case,
        facts=facts,
        outcome=outcome,
        purpose=purpose,
        recipient_agency=recipient_agency,
        categories=wanted,
        basis=basis,
    )
    return CheckedDecision(
        facts=facts,
        engine=engine,
        basis=basis,
        categories=wanted,
        approval_required=_needs_approval(outcome=outcome, facts=facts),
        not_told=_not_told_reason(
            engine_reason=engine.individual_not_told_reason,
            practitioner_reason=individual_not_told_reason,
            outcome=outcome,
        ),
    )


def decision_check(
    *,
    actor: Practitioner,
    case: Case,
    purpose: str,
    facts: Facts,
    outcome: str,
    reasons: str,
    recipient_agency: Agency | None = None,
    lawful_basis: Mapping[str, Any] | None = None,
    what_to_share: str = "",
    categories: Sequence[str] = (),
    consent: Consent | None = None,
    override_reason: str = "",
    is_urgent: bool = False,
    individual_not_told_reason: str = "",
    supersedes: SharingDecision | None = None,
) -> None:
    """Would ``decision_record`` accept this decision? Raises its error if not; writes nothing.

    The question page that asks for the decision calls this, so that what is missing for a share
    (a lawful basis, what will be shared, why the decision differs...) is said on that page, not
    only after "check your answers". What is new since an earlier decision is asked on the check
    page itself, so it is not checked here.
    """
    del is_urgent  # accepted so that the caller passes the same arguments as to decision_record
    check_decision(
        actor=actor,
        case=case,
        purpose=purpose,
        facts=facts,
        outcome=outcome,
        reasons=reasons,
        recipient_agency=recipient_agency,
        lawful_basis=lawful_basis,
        what_to_share=what_to_share,
        categories=categories,
        consent=consent,
        override_reason=override_reason,
        individual_not_told_reason=individual_not_told_reason,
        supersedes=supersedes,
        reconsideration_reason="",
        check_reconsideration=False,
    )


def _not_told_reason(*, engine_reason: str | None, practitioner_reason: str, outcome: str) -> str:
    """Why the individual is not told: the practitioner's words, and always the engine's reason
    when the engine said telling would put someone at risk (golden rule 2), so that a decision
    can never say "to be told" after the engine said it would be unsafe."""
    if outcome not in SHARING_OUTCOMES:
        return practitioner_reason.strip()
    parts = [practitioner_reason.strip(), (engine_reason or "").strip()]
    return "\n".join(dict.fromkeys(part for part in parts if part))
