"""Properties of rule version 2024.2 over every combination of facts, including the new ones.

Facts are built directly (not through the validator), so contradictory and unusual combinations
are included: the engine must answer all of them. ``consent_not_sought_reason`` is only drawn when
consent is ``not_sought`` (and may then still be missing).
"""

from __future__ import annotations

from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

from safeshare.decisions.engine import (
    PURPOSES,
    VERSIONS,
    About,
    AskedBy,
    ConsentState,
    Facts,
    Harm,
    Notify,
    NotSoughtReason,
    Outcome,
    Recipient,
    Recommendation,
    Tristate,
    evaluate,
)
from safeshare.decisions.engine.facts import CHILD_AGE_MAX

R = Recommendation
VERSION = "2024.2"

tristates = st.sampled_from(Tristate)


@st.composite
def any_facts(draw: st.DrawFn) -> Facts:
    consent = draw(st.sampled_from(ConsentState))
    reason = (
        draw(st.none() | st.sampled_from(NotSoughtReason))
        if consent is ConsentState.NOT_SOUGHT
        else None
    )
    values: dict[str, Any] = {
        "purpose": draw(st.sampled_from((*PURPOSES, "other"))),
        "purpose_clear_and_legitimate": draw(tristates),
        "identifies_living_person": draw(tristates),
        "confidential": draw(tristates),
        "special_category": draw(st.booleans()),
        "criminal_offence_data": draw(st.booleans()),
        "consent": consent,
        "consent_not_sought_reason": reason,
        "significant_harm_concern": draw(st.booleans()),
        "immediate_danger": draw(st.booleans()),
        "consent_would_increase_risk_to_child": draw(st.booleans()),
        "consent_would_put_adult_at_serious_risk": draw(st.booleans()),
        "consent_would_undermine_crime_prevention": draw(st.booleans()),
        "statutory_duty_or_court_order": draw(st.booleans()),
        "recipient": draw(st.sampled_from(Recipient)),
        "advice_sought": draw(st.booleans()),
        # None: read from significant_harm_concern, as a 2024.1 decision is.
        "harm": draw(st.none() | st.sampled_from(Harm)),
        "about": draw(st.sampled_from(About)),
        "bears_on_child_safety": draw(st.booleans()),
        "asked_by": draw(st.sampled_from(AskedBy)),
        "recipient_verified": draw(tristates),
        "young_person_confidentiality": draw(st.booleans()),
        "child_age": draw(st.none() | st.integers(min_value=0, max_value=CHILD_AGE_MAX)),
        "child_competent": draw(tristates),
        "risk_indicators": draw(st.booleans()),
    }
    return Facts(**values)


facts = any_facts()
INVARIANT_SETTINGS = settings(max_examples=1000, deadline=None, derandomize=True)


def _evaluate(f: Facts) -> Outcome:
    return evaluate(f, version=VERSION)


@INVARIANT_SETTINGS
@given(facts)
def test_immediate_danger_is_always_refer_now(f: Facts) -> None:
    if f.immediate_danger:
        assert _evaluate(f).recommendation is R.REFER_NOW


@INVARIANT_SETTINGS
@given(facts)
def test_unsure_about_harm_never_gives_do_not_share(f: Facts) -> None:
    young_person_at_risk = f.young_person_confidentiality and f.risk_indicators
    if f.harm is Harm.NOT_SURE and not young_person_at_risk:
        assert _evaluate(f).recommendation is not R.DO_NOT_SHARE


@INVARIANT_SETTINGS
@given(facts)
def test_a_consent_basis_only_when_consent_was_given(f: Facts) -> None:
    basis = _evaluate(f).lawful_basis
    if basis is not None and (basis.article_6 == "art6_1_a" or basis.article_9 == "art9_2_a"):
        assert f.consent is ConsentState.GIVEN


@INVARIANT_SETTINGS
@given(facts)
def test_contradictions_and_check_your_answers_go_together(f: Facts) -> None:
    outcome = _evaluate(f)
    if outcome.contradictions and not f.immediate_danger:
        assert outcome.recommendation is R.CHECK_ANSWERS
    if outcome.recommendation is R.CHECK_ANSWERS:
        assert outcome.contradictions


@INVARIANT_SETTINGS
@given(facts)
def test_whoever_asked_is_told_of_a_refusal_only_when_somebody_asked(f: Facts) -> None:
    if Notify.REQUESTER_OF_REFUSAL in _evaluate(f).must_tell:
        assert f.asked_by is not AskedBy.NOBODY


UNCONDITIONED_ADULT_SHARE = Facts(
    purpose="other",  # not a SharingPurpose: only a Facts built directly can hold it
    purpose_clear_and_legitimate=Tristate.YES,
    identifies_living_person=Tristate.YES,
    confidential=Tristate.YES,
    special_category=False,
    criminal_offence_data=True,
    consent=ConsentState.WITHDRAWN,
    consent_not_sought_reason=None,
    significant_harm_concern=False,
    immediate_danger=False,
    consent_would_increase_risk_to_child=False,
    consent_would_put_adult_at_serious_risk=False,
    consent_would_undermine_crime_prevention=False,
    statutory_duty_or_court_order=False,
    recipient=Recipient.AGREEMENT,
    advice_sought=True,
    harm=Harm.NOT_SURE,
    about=About.ADULT,
    bears_on_child_safety=True,
)
"""Found by a wider random search: AD-03 recommends sharing, but no Article 10 condition row
fits, so 2024.2 raises RuleTableError (2024.1 answers). Kept as an explicit example."""


@INVARIANT_SETTINGS
@given(facts)
@example(UNCONDITIONED_ADULT_SHARE)
def test_evaluate_answers_every_combination_under_every_version(f: Facts) -> None:
    assert {"2024.1", "2024.2"} <= set(VERSIONS)
    for version in VERSIONS:
        outcome = evaluate(f, version=version)
        assert isinstance(outcome.recommendation, Recommendation)
        assert outcome.rule_version == version
