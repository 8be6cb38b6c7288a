"""The decision engine: rule version 2024.1's table reaching every branch and outcome (2024.1 stays
registered so that decisions recorded under it read and re-evaluate as they did), and invariants
over all facts under every version. 2024.2's situations are in test_guidance_table.py and its own
invariants in test_invariants_2024_2.py."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safeshare.consent.lawful_bases import lawful_basis
from safeshare.core.vocabulary import SharingPurpose
from safeshare.decisions.engine import (
    CURRENT_VERSION,
    FACT_FIELDS,
    SHARING_RECOMMENDATIONS,
    VERSIONS,
    ConsentState,
    Facts,
    InvalidFacts,
    Notify,
    NotSoughtReason,
    Outcome,
    Recipient,
    Recommendation,
    Tristate,
    UnknownRuleVersion,
    evaluate,
    facts_from_mapping,
    facts_to_mapping,
    outcome_to_mapping,
    rule_set,
)
from safeshare.decisions.engine.guidance import GOLDEN_RULES, PRINCIPLES
from safeshare.decisions.engine.rules import v2024_1

R = Recommendation
V1 = "2024.1"
V1_RECOMMENDATIONS = set(Recommendation) - {R.VERIFY_RECIPIENT, R.CHECK_ANSWERS}
"""What 2024.1 can answer: the recommendations 2024.2 added are not among them."""

BASE = Facts(
    purpose="child_in_need",
    purpose_clear_and_legitimate=Tristate.YES,
    identifies_living_person=Tristate.YES,
    confidential=Tristate.YES,
    special_category=False,
    criminal_offence_data=False,
    consent=ConsentState.GIVEN,
    consent_not_sought_reason=None,
    significant_harm_concern=False,
    immediate_danger=False,
    consent_would_increase_risk_to_child=False,
    consent_would_put_adult_at_serious_risk=False,
    consent_would_undermine_crime_prevention=False,
    statutory_duty_or_court_order=False,
    recipient=Recipient.AGREEMENT,
    advice_sought=False,
)
"""A clear, confidential, consented request to an agreement partner: the plain "share" case."""


def facts(**changes: Any) -> Facts:
    return dataclasses.replace(BASE, **changes)


HARM = {"significant_harm_concern": True}
NOT_SURE = Tristate.NOT_SURE
NOT_CONF = {"confidential": Tristate.NO}

# (case id, changes to BASE, expected recommendation, id of the deciding flow rule)
TABLE: list[tuple[str, dict[str, Any], Recommendation, str]] = [
    ("immediate danger", {"immediate_danger": True}, R.REFER_NOW, "FC-01"),
    (
        "immediate danger beats everything",
        {
            "immediate_danger": True,
            "purpose_clear_and_legitimate": Tristate.NO,
            "consent": ConsentState.REFUSED,
            "recipient": Recipient.NOT_ENTITLED,
        },
        R.REFER_NOW,
        "FC-01",
    ),
    (
        "no legitimate purpose but harm feared",
        {"purpose_clear_and_legitimate": Tristate.NO, **HARM},
        R.REFER_NOW,
        "FC-02",
    ),
    (
        "no legitimate purpose",
        {"purpose_clear_and_legitimate": Tristate.NO},
        R.DO_NOT_SHARE,
        "FC-03",
    ),
    ("purpose not sure", {"purpose_clear_and_legitimate": NOT_SURE}, R.SEEK_ADVICE, "FC-04"),
    (
        "purpose not sure after advice",
        {"purpose_clear_and_legitimate": NOT_SURE, "advice_sought": True},
        R.DO_NOT_SHARE,
        "FC-05",
    ),
    (
        "purpose not sure with harm does not wait",
        {
            "purpose_clear_and_legitimate": NOT_SURE,
            "recipient": Recipient.STATUTORY_PARTNER,
            **HARM,
        },
        R.REFER_NOW,
        "FC-10",
    ),
    ("not personal data", {"identifies_living_person": Tristate.NO}, R.NOT_PERSONAL_DATA, "FC-06"),
    ("identity not sure", {"identifies_living_person": NOT_SURE}, R.SEEK_ADVICE, "FC-07"),
    (
        "identity not sure after advice: treated as personal",
        {"identifies_living_person": NOT_SURE, "advice_sought": True},
        R.SHARE,
        "FC-24",
    ),
    (
        "harm to statutory partner, consent refused",
        {"recipient": Recipient.STATUTORY_PARTNER, "consent": ConsentState.REFUSED, **HARM},
        R.REFER_NOW,
        "FC-10",
    ),
    (
        "harm, recipient not entitled",
        {"recipient": Recipient.NOT_ENTITLED, "consent": ConsentState.NOT_ASKED, **HARM},
        R.REFER_NOW,
        "FC-11",
    ),
    ("harm, agreement partner, consent given", HARM, R.SHARE, "FC-12"),
    (
        "harm, agreement partner, consent withdrawn",
        {"consent": ConsentState.WITHDRAWN, **HARM},
        R.SHARE_WITHOUT_CONSENT,
        "FC-13",
    ),
    ("recipient not entitled", {"recipient": Recipient.NOT_ENTITLED}, R.SEEK_ADVICE, "FC-14"),
    (
        "recipient not entitled after advice, consent given",
        {"recipient": Recipient.NOT_ENTITLED, "advice_sought": True},
        R.SHARE,
        "FC-24",
    ),
    ("confidentiality not sure", {"confidential": NOT_SURE}, R.SEEK_ADVICE, "FC-16"),
    (
        "confidentiality not sure after advice: treated as confidential",
        {"confidential": NOT_SURE, "advice_sought": True, "consent": ConsentState.REFUSED},
        R.DO_NOT_SHARE,
        "FC-18",
    ),
    ("consent refused", {"consent": ConsentState.REFUSED}, R.DO_NOT_SHARE, "FC-18"),
    ("consent withdrawn", {"consent": ConsentState.WITHDRAWN}, R.DO_NOT_SHARE, "FC-18"),
    ("consent not asked", {"consent": ConsentState.NOT_ASKED}, R.SEEK_CONSENT, "FC-19"),
    ("consent expired", {"consent": ConsentState.EXPIRED}, R.SEEK_CONSENT, "FC-19"),
    (
        "consent not sought with no reason",
        {"consent": ConsentState.NOT_SOUGHT},
        R.SEEK_ADVICE,
        "FC-20",
    ),
    (
        "consent not sought with no reason, after advice",
        {"consent": ConsentState.NOT_SOUGHT, "advice_sought": True},
        R.SEEK_CONSENT,
        "FC-21",
    ),
    (
        "special category with no condition available",
        {
            "purpose": "early_help",
            "special_category": True,
            "consent": ConsentState.REFUSED,
            **NOT_CONF,
        },
        R.SEEK_ADVICE,
        "FC-22",
    ),
    (
        "criminal offence data with no condition available",
        {"purpose": "other", "criminal_offence_data": True, "consent": ConsentState.NOT_ASKED}
        | NOT_CONF,
        R.SEEK_ADVICE,
        "FC-22",
    ),
    (
        "special category with no condition, after advice",
        {
            "purpose": "early_help",
            "special_category": True,
            "consent": ConsentState.REFUSED,
            "advice_sought": True,
            **NOT_CONF,
        },
        R.DO_NOT_SHARE,
        "FC-23",
    ),
    ("consent given", {}, R.SHARE, "FC-24"),
    (
        "statutory duty overrides refusal",
        {"consent": ConsentState.REFUSED, "statutory_duty_or_court_order": True},
        R.SHARE_WITHOUT_CONSENT,
        "FC-25",
    ),
    (
        "asking would put the child at risk",
        {"consent": ConsentState.NOT_ASKED, "consent_would_increase_risk_to_child": True},
        R.SHARE_WITHOUT_CONSENT,
        "FC-26",
    ),
    (
        "refusal overridden: adult at serious risk",
        {"consent": ConsentState.REFUSED, "consent_would_put_adult_at_serious_risk": True},
        R.SHARE_WITHOUT_CONSENT,
        "FC-26",
    ),
    (
        "refusal overridden: serious crime",
        {"consent": ConsentState.EXPIRED, "consent_would_undermine_crime_prevention": True},
        R.SHARE_WITHOUT_CONSENT,
        "FC-26",
    ),
    *[
        (
            f"consent not sought: {reason}",
            {"consent": ConsentState.NOT_SOUGHT, "consent_not_sought_reason": reason},
            R.SHARE_WITHOUT_CONSENT,
            "FC-27",
        )
        for reason in NotSoughtReason
    ],
    (
        "not confidential, consent refused",
        {"consent": ConsentState.REFUSED, **NOT_CONF},
        R.SHARE_WITHOUT_CONSENT,
        "FC-28",
    ),
    (
        "not confidential, consent not asked",
        {"consent": ConsentState.NOT_ASKED, **NOT_CONF},
        R.SHARE,
        "FC-29",
    ),
]


def _deciding_rule(outcome: Outcome) -> str:
    flow_ids = {rule.id for rule in rule_set(outcome.rule_version).flow}
    return [r.id for r in outcome.rules_applied if r.id in flow_ids][-1]


@pytest.mark.parametrize(
    ("changes", "expected", "rule_id"),
    [pytest.param(c, e, r, id=name) for name, c, e, r in TABLE],
)
def test_flowchart_branch(changes: dict[str, Any], expected: Recommendation, rule_id: str) -> None:
    outcome = evaluate(facts(**changes), version=V1)
    assert outcome.recommendation is expected
    assert _deciding_rule(outcome) == rule_id
    assert outcome.rule_version == V1
    assert outcome.reasons
    assert all(reason.strip() for reason in outcome.reasons)


def test_table_reaches_every_recommendation() -> None:
    assert {expected for _, _, expected, _ in TABLE} == V1_RECOMMENDATIONS
    reached = {evaluate(facts(**c), version=V1).recommendation for _, c, _, _ in TABLE}
    assert reached == V1_RECOMMENDATIONS


def test_table_reaches_every_flow_rule_but_the_safety_net() -> None:
    reached = {
        rule.id for _, c, _, _ in TABLE for rule in evaluate(facts(**c), version=V1).rules_applied
    }
    flow_ids = {rule.id for rule in v2024_1.FLOW} - {"FC-99"}
    assert flow_ids <= reached


def test_notes_are_cited_alongside_the_deciding_rule() -> None:
    cases = {
        "GR-3.2": facts(identifies_living_person=NOT_SURE, **HARM),
        "FC-08": facts(identifies_living_person=NOT_SURE, advice_sought=True),
        "FC-09": facts(consent=ConsentState.REFUSED, **HARM),
        "FC-15": facts(recipient=Recipient.NOT_ENTITLED, advice_sought=True),
        "FC-17": facts(confidential=NOT_SURE, advice_sought=True),
    }
    for rule_id, case in cases.items():
        assert rule_id in {r.id for r in evaluate(case, version=V1).rules_applied}, rule_id


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        pytest.param({}, ("art6_1_e", None, None, None), id="statutory purpose: public task"),
        pytest.param(
            {"purpose": "early_help"}, ("art6_1_a", None, None, None), id="early help: consent"
        ),
        pytest.param(
            {"immediate_danger": True}, ("art6_1_d", None, None, None), id="vital interests"
        ),
        pytest.param(
            {"consent": ConsentState.REFUSED, "statutory_duty_or_court_order": True},
            ("art6_1_c", None, None, None),
            id="legal obligation",
        ),
        pytest.param(
            {"purpose": "health_care", "special_category": True, "criminal_offence_data": True},
            ("art6_1_e", "art9_2_h", "dpa_sch1_2", "art10_dpa_sch1_2"),
            id="health care",
        ),
        pytest.param(
            {
                "purpose": "child_protection",
                "special_category": True,
                "consent": ConsentState.NOT_SOUGHT,
                "consent_not_sought_reason": NotSoughtReason.CANNOT_BE_GIVEN,
            },
            ("art6_1_e", "art9_2_g", "dpa_sch1_18", None),
            id="safeguarding without consent",
        ),
        pytest.param(
            {
                "purpose": "crime_prevention",
                "special_category": True,
                "criminal_offence_data": True,
                "consent": ConsentState.NOT_SOUGHT,
                "consent_not_sought_reason": NotSoughtReason.UNDERMINE_SERIOUS_CRIME_INVESTIGATION,
            },
            ("art6_1_e", "art9_2_g", "dpa_sch1_10", "art10_dpa_sch1_10"),
            id="preventing crime",
        ),
        pytest.param(
            {"special_category": True, "criminal_offence_data": True},
            ("art6_1_e", "art9_2_g", "dpa_sch1_6", "art10_dpa_sch1_6"),
            id="statutory purpose with consent",
        ),
        pytest.param(
            {"purpose": "early_help", "special_category": True, "criminal_offence_data": True},
            ("art6_1_a", "art9_2_a", None, "art10_dpa_sch1_29"),
            id="explicit consent",
        ),
        pytest.param(
            {
                "purpose": "early_help",
                "special_category": True,
                "consent": ConsentState.REFUSED,
                "statutory_duty_or_court_order": True,
            },
            ("art6_1_c", "art9_2_g", "dpa_sch1_6", None),
            id="court order for special category",
        ),
    ],
)
def test_suggested_lawful_basis(changes: dict[str, Any], expected: tuple[str | None, ...]) -> None:
    basis = evaluate(facts(**changes), version=V1).lawful_basis
    assert basis is not None
    assert (basis.article_6, basis.article_9, basis.schedule_1, basis.article_10) == expected


def test_refusal_tells_the_requester_and_records_willingness_to_reconsider() -> None:
    outcome = evaluate(facts(consent=ConsentState.REFUSED), version=V1)
    assert outcome.must_tell == (Notify.REQUESTER_OF_REFUSAL,)
    assert outcome.lawful_basis is None
    assert any("reconsider" in item for item in outcome.must_record)


def test_share_tells_the_individual_and_records_what_whom_why_basis_when() -> None:
    outcome = evaluate(facts())
    assert outcome.must_tell == (Notify.INDIVIDUAL,)
    assert outcome.individual_not_told_reason is None
    record = " ".join(outcome.must_record)
    for word in ("What you shared", "Who you shared it with", "purpose", "lawful basis", "date"):
        assert word in record


def test_share_without_consent_records_why_and_withholds_telling_when_risky() -> None:
    outcome = evaluate(
        facts(
            consent=ConsentState.NOT_SOUGHT,
            consent_not_sought_reason=NotSoughtReason.CHILD_AT_INCREASED_RISK,
        ),
        version=V1,
    )
    assert Notify.INDIVIDUAL not in outcome.must_tell
    assert outcome.individual_not_told_reason
    assert any("consent was not sought" in item for item in outcome.must_record)
    assert any("not told" in item or "have not told" in item for item in outcome.must_record)


def test_seek_advice_and_seek_consent_say_what_to_record() -> None:
    advice = evaluate(facts(purpose_clear_and_legitimate=NOT_SURE))
    assert any("advice" in item for item in advice.must_record)
    assert advice.must_tell == ()
    ask = evaluate(facts(consent=ConsentState.NOT_ASKED))
    assert any("asked for consent" in item for item in ask.must_record)


def test_reasons_are_second_person_plain_english() -> None:
    for _, changes, _, _ in TABLE:
        outcome = evaluate(facts(**changes), version=V1)
        assert outcome.reasons[0].startswith(("You ", "Your ")), outcome.reasons[0]


def test_unknown_rule_version_is_refused() -> None:
    with pytest.raises(UnknownRuleVersion, match=r"1999\.1"):
        evaluate(BASE, version="1999.1")
    assert isinstance(UnknownRuleVersion("x"), ValueError)


def test_versions_list_the_current_one_last() -> None:
    assert VERSIONS == ("2024.1", "2024.2")
    assert VERSIONS[-1] == CURRENT_VERSION == "2024.2"
    assert evaluate(BASE, version=V1).rule_version == V1
    assert evaluate(BASE).rule_version == CURRENT_VERSION


def test_rule_ids_are_unique_and_texts_present() -> None:
    for version in VERSIONS:
        ids = rule_set(version).rule_ids()
        assert len(ids) == len(set(ids))
        for rule_id in ids:
            assert rule_set(version).rule_text(rule_id).strip()


def test_every_code_in_the_rule_tables_is_in_the_catalogue_with_the_right_kind() -> None:
    for version in VERSIONS:
        rules = rule_set(version)
        for row in rules.article_6:
            assert lawful_basis(row.code).kind == "article_6"
        for cond in rules.conditions:
            art9 = lawful_basis(cond.article_9)
            assert art9.kind == "article_9"
            assert lawful_basis(cond.article_10).kind == "article_10"
            if cond.schedule_1 is None:
                assert not art9.schedule_1_required, cond.id
            else:
                assert lawful_basis(cond.schedule_1).kind == "schedule_1"


def test_engine_purposes_are_sharing_purposes() -> None:
    assert set(SharingPurpose.values) >= v2024_1.KNOWN_PURPOSES


def test_guidance_has_seven_golden_rules_and_seven_principles() -> None:
    assert [g[0] for g in GOLDEN_RULES] == [f"GR-{n}" for n in range(1, 8)]
    assert [p[1] for p in PRINCIPLES] == [
        "Necessary and proportionate",
        "Relevant",
        "Adequate",
        "Accurate",
        "Timely",
        "Secure",
        "Recorded",
    ]


def test_engine_and_catalogue_import_no_django() -> None:
    code = (
        "import sys, safeshare.decisions.engine, safeshare.decisions.engine.guidance, "
        "safeshare.consent.lawful_bases; "
        "bad = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')); "
        "sys.exit(1 if bad else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


# --- mapping ---------------------------------------------------------------------------------


def test_mapping_is_json_safe_and_round_trips() -> None:
    case = facts(
        consent=ConsentState.NOT_SOUGHT, consent_not_sought_reason=NotSoughtReason.UNDUE_DELAY
    )
    data = json.loads(json.dumps(facts_to_mapping(case)))
    assert list(data) == list(FACT_FIELDS)
    assert facts_from_mapping(data) == case
    assert json.loads(json.dumps(outcome_to_mapping(evaluate(case))))["recommendation"] == (
        "share_without_consent"
    )


def _mapping(**changes: object) -> dict[str, object]:
    data = facts_to_mapping(BASE)
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        pytest.param(
            {k: v for k, v in facts_to_mapping(BASE).items() if k != "recipient"},
            "recipient",
            "recipient is missing",
            id="missing",
        ),
        pytest.param(_mapping(colour="blue"), "colour", "not a fact", id="unknown field"),
        pytest.param(_mapping(consent="maybe"), "consent", "must be one of", id="bad enum"),
        pytest.param(_mapping(confidential=True), "confidential", "must be one of", id="bool enum"),
        pytest.param(
            _mapping(special_category=1), "special_category", "true or false", id="int for bool"
        ),
        pytest.param(
            _mapping(advice_sought="yes"), "advice_sought", "true or false", id="str for bool"
        ),
        pytest.param(_mapping(purpose=""), "purpose", "must be one of", id="empty purpose"),
        pytest.param(_mapping(purpose=7), "purpose", "must be one of", id="number purpose"),
        pytest.param(_mapping(purpose="x" * 65), "purpose", "must be one of", id="long purpose"),
        pytest.param(
            _mapping(purpose="holiday_club"), "purpose", "must be one of", id="unknown purpose"
        ),
        pytest.param(
            _mapping(consent_not_sought_reason="because"),
            "consent_not_sought_reason",
            "must be one of",
            id="bad reason",
        ),
        pytest.param(
            _mapping(consent_not_sought_reason="undue_delay"),
            "consent_not_sought_reason",
            "only given when consent is not_sought",
            id="reason without not_sought",
        ),
    ],
)
def test_invalid_mapping_names_the_field(data: dict[str, object], field: str, message: str) -> None:
    with pytest.raises(InvalidFacts, match=message) as caught:
        facts_from_mapping(data)
    assert caught.value.field == field
    assert isinstance(caught.value, ValueError)


def test_non_mapping_is_refused() -> None:
    with pytest.raises(InvalidFacts):
        facts_from_mapping(["not", "a", "mapping"])  # type: ignore[arg-type]


def test_not_sought_without_reason_is_refused_naming_the_reason() -> None:
    """Issue 13: the reason is required when consent was not sought (seed 003 section 3.3 lists
    the only reasons), in every interface, since they share this validator."""
    data = _mapping(consent="not_sought", consent_not_sought_reason=None)
    with pytest.raises(InvalidFacts, match="required when consent is not_sought") as caught:
        facts_from_mapping(data)
    assert caught.value.field == "consent_not_sought_reason"


def test_facts_built_in_python_without_a_reason_are_still_answered_by_2024_1() -> None:
    f = facts(consent=ConsentState.NOT_SOUGHT, consent_not_sought_reason=None)
    assert evaluate(f, version=V1).recommendation is R.SEEK_ADVICE


# --- invariants over all facts -------------------------------------------------------------------

PURPOSES = sorted(v2024_1.KNOWN_PURPOSES | {"other"})
tristates = st.sampled_from(Tristate)
any_facts = st.builds(
    Facts,
    purpose=st.sampled_from(PURPOSES),
    purpose_clear_and_legitimate=tristates,
    identifies_living_person=tristates,
    confidential=tristates,
    special_category=st.booleans(),
    criminal_offence_data=st.booleans(),
    consent=st.sampled_from(ConsentState),
    consent_not_sought_reason=st.none() | st.sampled_from(NotSoughtReason),
    significant_harm_concern=st.booleans(),
    immediate_danger=st.booleans(),
    consent_would_increase_risk_to_child=st.booleans(),
    consent_would_put_adult_at_serious_risk=st.booleans(),
    consent_would_undermine_crime_prevention=st.booleans(),
    statutory_duty_or_court_order=st.booleans(),
    recipient=st.sampled_from(Recipient),
    advice_sought=st.booleans(),
)
consistent_facts = any_facts.filter(lambda f: _consistent(f))
INVARIANT_SETTINGS = settings(max_examples=600, deadline=None, derandomize=True)


@INVARIANT_SETTINGS
@given(any_facts)
def test_never_share_without_a_lawful_basis(f: Facts) -> None:
    outcome = evaluate(f)
    if outcome.recommendation in SHARING_RECOMMENDATIONS:
        assert outcome.lawful_basis is not None
        assert outcome.lawful_basis.article_6
    else:
        assert outcome.lawful_basis is None


@INVARIANT_SETTINGS
@given(any_facts)
def test_harm_is_never_held_back_for_lack_of_consent(f: Facts) -> None:
    outcome = evaluate(f)
    if f.significant_harm_concern or f.immediate_danger:
        assert outcome.recommendation not in {R.DO_NOT_SHARE, R.SEEK_CONSENT}
    if f.immediate_danger:
        assert outcome.recommendation is R.REFER_NOW


@INVARIANT_SETTINGS
@given(any_facts)
def test_special_category_never_shared_without_an_article_9_condition(f: Facts) -> None:
    basis = evaluate(f).lawful_basis
    if basis is not None and f.special_category:
        assert basis.article_9 is not None
        # Explicit consent (9(2)(a)) is the only condition the law lets stand without Schedule 1.
        assert basis.schedule_1 is not None or not lawful_basis(basis.article_9).schedule_1_required
    if basis is not None and not f.special_category:
        assert basis.article_9 is None
        assert basis.schedule_1 is None


@INVARIANT_SETTINGS
@given(any_facts)
def test_criminal_offence_data_never_shared_without_an_article_10_condition(f: Facts) -> None:
    basis = evaluate(f).lawful_basis
    if basis is not None:
        assert (basis.article_10 is not None) == f.criminal_offence_data


@INVARIANT_SETTINGS
@given(any_facts)
def test_same_facts_same_outcome_under_the_same_version(f: Facts) -> None:
    copy = facts_from_mapping(facts_to_mapping(f)) if _consistent(f) else f
    for version in VERSIONS:
        assert evaluate(f, version=version) == evaluate(copy, version=version)


def _consistent(f: Facts) -> bool:
    """What the validator reads back: a sharing purpose, and a reason exactly when consent was
    not sought."""
    reason_fits = (f.consent is ConsentState.NOT_SOUGHT) == (
        f.consent_not_sought_reason is not None
    )
    return f.purpose in SharingPurpose.values and reason_fits


@INVARIANT_SETTINGS
@given(consistent_facts)
def test_mapping_round_trip(f: Facts) -> None:
    assert facts_from_mapping(json.loads(json.dumps(facts_to_mapping(f)))) == f


@INVARIANT_SETTINGS
@given(any_facts)
def test_applied_rules_and_codes_exist(f: Facts) -> None:
    outcome = evaluate(f)
    rules = rule_set(outcome.rule_version)
    ids = set(rules.rule_ids())
    for applied in outcome.rules_applied:
        assert applied.id in ids
        assert applied.text == rules.rule_text(applied.id)
    assert "FC-99" not in {r.id for r in outcome.rules_applied}  # the safety net is never needed
    basis = outcome.lawful_basis
    if basis is not None:
        for kind in ("article_6", "article_9", "schedule_1", "article_10"):
            code = getattr(basis, kind)
            if code is not None:
                assert lawful_basis(code).kind == kind


@INVARIANT_SETTINGS
@given(any_facts)
def test_who_is_told_and_what_is_recorded(f: Facts) -> None:
    """Under 2024.1 (2024.2 tells the requester only when somebody asked: its invariants)."""
    outcome = evaluate(f, version=V1)
    assert outcome.must_record
    assert outcome.must_record[0].startswith("Your decision")
    if outcome.recommendation in SHARING_RECOMMENDATIONS:
        told = Notify.INDIVIDUAL in outcome.must_tell
        assert told != (outcome.individual_not_told_reason is not None)
    else:
        assert Notify.INDIVIDUAL not in outcome.must_tell
        assert outcome.individual_not_told_reason is None
    assert (Notify.REQUESTER_OF_REFUSAL in outcome.must_tell) == (
        outcome.recommendation is R.DO_NOT_SHARE
    )


def test_facts_built_with_plain_strings_hold_enum_members() -> None:
    """A caller writing ``consent="given"`` gets the same answer as ``ConsentState.GIVEN``."""
    import dataclasses

    from safeshare.decisions.engine import ConsentState, InvalidFacts, evaluate
    from tests.decisions.helpers import BASE_FACTS

    with_enum = dataclasses.replace(
        BASE_FACTS, consent=ConsentState.GIVEN, significant_harm_concern=False
    )
    with_text = dataclasses.replace(BASE_FACTS, consent="given", significant_harm_concern=False)
    assert with_text.consent is ConsentState.GIVEN
    assert evaluate(with_text) == evaluate(with_enum)
    with pytest.raises(InvalidFacts) as error:
        dataclasses.replace(BASE_FACTS, consent="maybe")
    assert error.value.field == "consent"
