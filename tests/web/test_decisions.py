"""The sharing decision wizard, the decision page, approvals and the golden rules page."""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.test import Client
from django.urls import reverse

from safeshare.cases.models import Case
from safeshare.core import clock
from safeshare.core.workdays import add_working_days
from safeshare.decisions.engine import (
    About,
    AskedBy,
    ConsentState,
    Facts,
    Harm,
    NotSoughtReason,
    Recipient,
    Tristate,
    facts_from_mapping,
    facts_to_mapping,
)
from safeshare.decisions.models import DecisionApproval, SharingDecision
from safeshare.decisions.services import decision_approve
from safeshare.disclosures.services import request_create
from safeshare.ledger.events import Event
from safeshare.ledger.models import LedgerEntry
from safeshare.web.forms.decisions import (
    STEPS,
    answers_from_facts,
    applicable_pages,
    facts_mapping,
    question_pages,
)
from tests.conftest import World
from tests.decisions.helpers import BASE_FACTS, facts, given_consent, record
from tests.web.conftest import SignIn

pytestmark = pytest.mark.django_db

MONDAY_NOON = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)
REASONS = "Bruising seen twice in a week; the school nurse is worried."
SHARED = "The two observations of bruising, with dates and who saw them."
MAX_QUESTION_PAGES = 9
MAX_EMERGENCY_QUESTION_PAGES = 3


def step_url(case: Case, step: str, *, change: bool = False) -> str:
    url = reverse("web:decision-step", kwargs={"case_id": case.pk, "step": step})
    return f"{url}?change=1" if change else url


def base_answers(world: World) -> dict[str, dict[str, Any]]:
    """Answers to every question page, by step: the 'seek consent' situation."""
    return {
        "danger": {"immediate_danger": "no"},
        "purpose": {"purpose": "child_protection", "recipient": str(world.other_agency.pk)},
        "asked": {"asked_by": "nobody"},
        "clear-purpose": {"purpose_clear_and_legitimate": "yes"},
        "information": {
            "identifies_living_person": "yes",
            "about": "child",
            "information_kind": ["neither"],
            "confidential": "yes",
        },
        "harm": {"harm": "none"},
        "young-person": {"young_person_confidentiality": "no"},
        "consent": {"consent": "not_asked", "consent_risks__not_asked": ["none"]},
        "duty-and-advice": {"statutory_duty_or_court_order": "no", "advice_sought": "no"},
    }


def changed(world: World, **pages: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The base answers with some fields of some pages changed (page slugs with _ for -)."""
    answers = base_answers(world)
    for slug, fields in pages.items():
        answers[slug.replace("_", "-")] = {**answers[slug.replace("_", "-")], **fields}
    return answers


def walk(client: Client, case: Case, answers: dict[str, dict[str, Any]]) -> list[str]:
    """Answer every question page the wizard asks, from the start; return the steps visited."""
    response = client.get(reverse("web:decision-start", kwargs={"case_id": case.pk}))
    assert response.status_code == 302
    url = response["Location"]
    visited = []
    while not url.endswith("/recommendation/"):
        step = url.rstrip("/").rsplit("/", 1)[-1]
        assert step not in visited, f"{step} asked twice"
        visited.append(step)
        response = client.post(url, answers[step])
        assert response.status_code == 302, (step, response.content.decode()[:3000])
        url = response["Location"]
    return visited


def decision_page(client: Client, case: Case, **changes: Any) -> Any:
    """Take the recommendation's prefilled decision page, change what the test is about and post
    it: the decision page's answer (a redirect to check your answers, or the page with errors)."""
    page = client.get(step_url(case, "decision"))
    assert page.status_code == 200
    form = page.context["form"]
    data = {name: form.initial.get(name, "") for name in form.fields}
    data.update({"reasons": REASONS, "what_to_share": SHARED})
    data.update(changes)
    data = {key: value for key, value in data.items() if value not in (None, False, "")}
    return client.post(step_url(case, "decision"), data)


def decide(client: Client, case: Case, **changes: Any) -> Any:
    """The decision page as ``decision_page``, then record from check your answers."""
    response = decision_page(client, case, **changes)
    assert response.status_code == 302, response.content.decode()[:3000]
    return client.post(step_url(case, "check"), {})


def recommended(client: Client, case: Case) -> str:
    page = client.get(step_url(case, "recommendation"))
    assert page.status_code == 200
    return str(page.context["outcome"]["recommendation"])


OUTCOME_CASES: list[tuple[str, dict[str, dict[str, Any]]]] = [
    ("seek_consent", {}),
    ("refer_now", {"danger": {"immediate_danger": "yes"}}),
    ("do_not_share", {"clear_purpose": {"purpose_clear_and_legitimate": "no"}}),
    ("seek_advice", {"clear_purpose": {"purpose_clear_and_legitimate": "not_sure"}}),
    ("not_personal_data", {"information": {"identifies_living_person": "no"}}),
    (
        "share_without_consent",
        {
            "harm": {"harm": "welfare_concern"},
            "consent": {
                "consent": "not_sought",
                "consent_not_sought_reason": "child_at_increased_risk",
            },
        },
    ),
    (
        "verify_recipient",
        {
            "asked": {
                "asked_by": "other_agency",
                "recipient_verified__other_agency": "no",
            }
        },
    ),
]


@pytest.mark.parametrize(("outcome", "changes"), OUTCOME_CASES, ids=[c[0] for c in OUTCOME_CASES])
def test_practitioner_reaches_each_outcome_through_the_wizard(
    world: World, sign_in: SignIn, outcome: str, changes: dict[str, dict[str, Any]]
) -> None:
    client = sign_in(world.worker)
    walk(client, world.case, changed(world, **changes))
    assert recommended(client, world.case) == outcome
    response = decide(client, world.case)
    decision = SharingDecision.objects.get()
    assert response["Location"] == reverse(
        "web:decision-recorded", kwargs={"decision_id": decision.pk}
    )
    assert (decision.recommendation, decision.outcome) == (outcome, outcome)
    assert decision.rule_version == "2024.2"
    assert decision.facts["recipient"] == "statutory_partner"
    assert LedgerEntry.objects.filter(
        event_code=Event.DECISION_RECORDED, object_id=str(decision.pk)
    ).exists()
    confirmation = client.get(response["Location"])
    assert b"Decision recorded" in confirmation.content


def test_longest_path_asks_nine_question_pages(world: World, sign_in: SignIn) -> None:
    client = sign_in(world.worker)
    visited = walk(client, world.case, base_answers(world))
    assert visited == [step.slug for step in STEPS]
    assert len(visited) <= MAX_QUESTION_PAGES


def test_information_about_an_adult_skips_the_young_person_page(
    world: World, sign_in: SignIn
) -> None:
    client = sign_in(world.worker)
    answers = changed(
        world,
        information={"about": "adult", "bears_on_child_safety": "yes"},
        harm={"harm": "welfare_concern"},
        consent={"consent": "refused", "consent_risks__refused": ["none"]},
    )
    visited = walk(client, world.case, answers)
    assert "young-person" not in visited
    assert recommended(client, world.case) == "share_without_consent"  # AD-03
    decide(client, world.case)
    decision = SharingDecision.objects.get()
    assert (decision.facts["about"], decision.facts["bears_on_child_safety"]) == ("adult", True)


def test_emergency_path_asks_two_question_pages_and_shows_only_those(
    world: World, sign_in: SignIn
) -> None:
    client = sign_in(world.worker)
    visited = walk(client, world.case, changed(world, danger={"immediate_danger": "yes"}))
    assert visited == ["danger", "purpose"]
    assert len(visited) <= MAX_EMERGENCY_QUESTION_PAGES
    page = client.get(step_url(world.case, "recommendation"))
    assert page.context["outcome"]["recommendation"] == "refer_now"
    assert "EM-01" in [rule["id"] for rule in page.context["outcome"]["rules_applied"]]
    # The decision page asks for what a referral needs (its lawful basis comes prefilled).
    decision_page = client.get(step_url(world.case, "decision"))
    data = {name: value for name, value in decision_page.context["form"].initial.items() if value}
    data.update({"outcome": "refer_now", "reasons": REASONS, "what_to_share": SHARED})
    assert client.post(step_url(world.case, "decision"), data).status_code == 302
    check = client.get(step_url(world.case, "check"))
    assert [row["key"] for row in check.context["rows"]] == [
        "Anyone in immediate danger",
        "Purpose",
        "Recipient",
    ]
    assert step_url(world.case, "consent", change=True) not in check.content.decode()


def test_emergency_facts_have_honest_defaults_the_validator_accepts() -> None:
    answers = {"immediate_danger": "yes", "purpose": "child_protection", "recipient": "x"}
    the_facts = facts_from_mapping(
        facts_mapping(answers, recipient="statutory_partner", child_age=10)
    )
    assert the_facts.immediate_danger is True
    assert the_facts.identifies_living_person is Tristate.YES
    assert the_facts.confidential is Tristate.NOT_SURE
    assert the_facts.consent is ConsentState.NOT_ASKED
    assert the_facts.harm is Harm.NOT_SURE
    assert the_facts.advice_sought is False
    assert question_pages(answers) == ["danger", "purpose"]


def test_practitioner_reaches_share_by_relying_on_recorded_consent(
    world: World, sign_in: SignIn
) -> None:
    with clock.frozen(MONDAY_NOON):
        consent = given_consent(world, world.other_agency)
        client = sign_in(world.worker)
        answers = changed(world, consent={"consent": "given", "consent_record": str(consent.pk)})
        walk(client, world.case, answers)
        consent_page = client.get(step_url(world.case, "consent"))
        assert b"Our records say: Consent given" in consent_page.content
        assert recommended(client, world.case) == "share"
        response = decide(client, world.case, categories=["child"])
        assert response.status_code == 302, response.content.decode()[:3000]
    decision = SharingDecision.objects.get()
    assert (decision.recommendation, decision.outcome) == ("share", "share")
    assert decision.consent == consent
    assert decision.categories == ["child"]
    assert decision.approval_required is False


def test_relying_on_consent_needs_the_kinds_of_information(world: World, sign_in: SignIn) -> None:
    with clock.frozen(MONDAY_NOON):
        consent = given_consent(world, world.other_agency)
        client = sign_in(world.worker)
        answers = changed(world, consent={"consent": "given", "consent_record": str(consent.pk)})
        walk(client, world.case, answers)
        response = decision_page(client, world.case)
    assert response.status_code == 200
    assert response.templates[0].name == "decisions/decision_form.html"
    assert b"There is a problem" in response.content
    assert response.context["form"].errors["categories"]
    assert not SharingDecision.objects.exists()
    assert b"What kinds of information will you share?" in response.content


def test_consent_page_asks_the_revealed_questions_and_their_errors_land_there(
    world: World, sign_in: SignIn
) -> None:
    client = sign_in(world.worker)
    walk(client, world.case, base_answers(world))
    url = step_url(world.case, "consent")
    page = client.get(url)
    content = page.content.decode()
    assert 'data-aria-controls="conditional-id_consent_' in content
    assert "govuk-radios__conditional" in content
    assert content.count("What is the position on consent to share?") == 2  # title and H1

    response = client.post(url, {"consent": "not_sought"})
    assert response.status_code == 200
    assert b"There is a problem" in response.content
    assert b"Select why consent was not sought" in response.content

    response = client.post(url, {"consent": "refused"})
    assert b"Select what it would do, or &#x27;None of these&#x27;" in response.content

    response = client.post(
        url,
        {
            "consent": "withdrawn",
            "consent_risks__withdrawn": ["none", "consent_would_increase_risk_to_child"],
        },
    )
    assert b"on its own, or the ones that apply" in response.content

    # Answers typed in a reveal that is closed again are neither checked nor kept.
    response = client.post(
        url,
        {
            "consent": "expired",
            "consent_risks__expired": ["consent_would_put_adult_at_serious_risk"],
            "consent_not_sought_reason": "nonsense",
            "consent_risks__refused": ["none"],
        },
    )
    assert response.status_code == 302
    answers = client.session[f"decision-wizard:{world.case.pk}"]["answers"]
    assert answers["consent_risks"] == ["consent_would_put_adult_at_serious_risk"]
    assert "consent_not_sought_reason" not in answers


def test_consent_given_with_none_recorded_links_to_record_it(world: World, sign_in: SignIn) -> None:
    client = sign_in(world.worker)
    walk(client, world.case, base_answers(world))
    page = client.get(step_url(world.case, "consent"))
    consent_list = reverse("web:consent-list", kwargs={"person_id": world.case.subject_id})
    assert b"No consent given is recorded for this child." in page.content
    assert consent_list in page.content.decode()
    response = client.post(step_url(world.case, "consent"), {"consent": "given"})
    assert response.status_code == 200
    assert b"record it first, or select another answer" in response.content


def test_asked_by_someone_needs_whether_they_are_verified(world: World, sign_in: SignIn) -> None:
    client = sign_in(world.worker)
    walk(client, world.case, base_answers(world))
    response = client.post(step_url(world.case, "asked"), {"asked_by": "statutory_enquiry"})
    assert response.status_code == 200
    assert b"Select whether you have checked who asked" in response.content
    response = client.post(
        step_url(world.case, "asked"),
        {"asked_by": "statutory_enquiry", "recipient_verified__statutory_enquiry": "not_sure"},
    )
    assert response.status_code == 302


def test_statutory_enquiry_without_consent_to_avoid_prejudice_is_shared(
    world: World, sign_in: SignIn
) -> None:
    client = sign_in(world.worker)
    answers = changed(
        world,
        asked={"asked_by": "statutory_enquiry", "recipient_verified__statutory_enquiry": "yes"},
        harm={"harm": "welfare_concern"},
        consent={"consent": "not_sought", "consent_not_sought_reason": "prejudice_enquiry"},
    )
    walk(client, world.case, answers)
    assert recommended(client, world.case) == "share_without_consent"  # RQ-03
    decide(client, world.case)
    decision = SharingDecision.objects.get()
    assert decision.facts["consent_not_sought_reason"] == "prejudice_enquiry"
    assert decision.facts["asked_by"] == "statutory_enquiry"


def test_doubt_about_who_asked_needs_a_managers_approval(world: World, sign_in: SignIn) -> None:
    client = sign_in(world.worker)
    answers = changed(
        world,
        asked={"asked_by": "other_agency", "recipient_verified__other_agency": "not_sure"},
        harm={"harm": "significant_harm"},
    )
    walk(client, world.case, answers)
    page = client.get(step_url(world.case, "recommendation"))
    assert page.context["manager_approval"] is True
    assert b"must approve this share before the information goes" in page.content
    decide(client, world.case)
    assert SharingDecision.objects.get().approval_required is True


def test_harm_not_sure_seeks_advice(world: World, sign_in: SignIn) -> None:
    client = sign_in(world.worker)
    walk(client, world.case, changed(world, harm={"harm": "not_sure"}))
    assert recommended(client, world.case) == "seek_advice"
    page = client.get(step_url(world.case, "harm"))
    assert b"govuk-radios__hint" in page.content  # the graded options have hints


@pytest.mark.parametrize(
    ("young", "outcome"),
    [
        ({"child_competent": "yes", "risk_indicators": "no"}, "do_not_share"),  # YP-03
        ({"child_competent": "not_sure", "risk_indicators": "no"}, "seek_advice"),  # YP-01
        ({"child_competent": "yes", "risk_indicators": "yes"}, "refer_now"),  # YP-02
    ],
)
def test_young_persons_wish_for_confidentiality(
    world: World, sign_in: SignIn, young: dict[str, str], outcome: str
) -> None:
    with clock.frozen(MONDAY_NOON):
        client = sign_in(world.worker)
        answers = changed(
            world,
            harm={"harm": "welfare_concern"},
            young_person={"young_person_confidentiality": "yes", **young},
        )
        walk(client, world.case, answers)
        page = client.get(step_url(world.case, "young-person"))
        assert f"{world.case.subject.display_name} is 10" in page.content.decode()
        assert recommended(client, world.case) == outcome
        decide(client, world.case)
    decision = SharingDecision.objects.get()
    assert decision.facts["young_person_confidentiality"] is True
    assert decision.facts["child_age"] == 10


def test_contradictory_answers_show_change_links_and_cannot_be_decided(
    world: World, sign_in: SignIn
) -> None:
    client = sign_in(world.worker)
    answers = changed(
        world,
        information={"identifies_living_person": "no", "information_kind": ["special_category"]},
    )
    walk(client, world.case, answers)
    page = client.get(step_url(world.case, "recommendation"))
    content = page.content.decode()
    assert page.context["outcome"]["recommendation"] == "check_answers"
    assert "Check your answers: some of them contradict each other" in content
    assert "special category or criminal offence data" in content  # CX-01's text
    change = step_url(world.case, "information", change=True)
    assert change in content
    assert step_url(world.case, "decision") not in content  # no way on to a decision
    assert client.get(step_url(world.case, "decision"))["Location"] == step_url(
        world.case, "recommendation"
    )
    followed = client.get(step_url(world.case, "check"), follow=True)
    assert followed.redirect_chain[-1][0] == step_url(world.case, "recommendation")
    fixed = {**answers["information"], "identifies_living_person": "yes"}
    response = client.post(change, fixed)
    assert response["Location"] == step_url(world.case, "recommendation")
    assert recommended(client, world.case) != "check_answers"


def test_going_back_shows_the_previous_answer(world: World, sign_in: SignIn) -> None:
    client = sign_in(world.worker)
    walk(client, world.case, base_answers(world))
    page = client.get(step_url(world.case, "clear-purpose"))
    assert page.context["form"].initial == {"purpose_clear_and_legitimate": "yes"}
    assert b'value="yes" checked' in page.content
    assert page.context["back_url"] == step_url(world.case, "asked")
    page = client.get(step_url(world.case, "danger"))
    assert page.context["back_url"] == reverse(
        "web:case-decisions", kwargs={"case_id": world.case.pk}
    )


def test_change_link_returns_to_check_your_answers(world: World, sign_in: SignIn) -> None:
    client = sign_in(world.worker)
    walk(client, world.case, base_answers(world))
    client.post(step_url(world.case, "decision"), {"outcome": "seek_consent", "reasons": REASONS})
    check = client.get(step_url(world.case, "check"))
    assert step_url(world.case, "harm", change=True).encode() in check.content
    response = client.post(step_url(world.case, "harm", change=True), {"harm": "welfare_concern"})
    assert response["Location"] == step_url(world.case, "check")
    check = client.get(step_url(world.case, "check"))
    rows = {row["key"]: row["value"] for row in check.context["rows"]}
    assert (
        rows["Worry about the child"] == "A worry about the child's welfare, below those thresholds"
    )
    assert rows["Confidential"] == "Yes"


def test_change_that_alters_the_recommendation_shows_it_again(
    world: World, sign_in: SignIn
) -> None:
    client = sign_in(world.worker)
    walk(client, world.case, base_answers(world))
    client.post(step_url(world.case, "decision"), {"outcome": "seek_consent", "reasons": REASONS})
    information = {**base_answers(world)["information"], "confidential": "no"}
    response = client.post(step_url(world.case, "information", change=True), information)
    assert response["Location"] == step_url(world.case, "recommendation")
    page = client.get(step_url(world.case, "decision"))
    assert page.context["form"].initial["outcome"] == "share"  # took the new recommendation
    assert page.context["form"].initial["reasons"] == REASONS  # and kept the reasons


def test_change_out_of_the_emergency_asks_the_rest(world: World, sign_in: SignIn) -> None:
    client = sign_in(world.worker)
    walk(client, world.case, changed(world, danger={"immediate_danger": "yes"}))
    client.post(step_url(world.case, "decision"), {"outcome": "refer_now", "reasons": REASONS})
    response = client.post(step_url(world.case, "danger", change=True), {"immediate_danger": "no"})
    assert response["Location"] == step_url(world.case, "asked", change=True)


def test_questions_cannot_be_skipped(world: World, sign_in: SignIn) -> None:
    client = sign_in(world.worker)
    client.get(reverse("web:decision-start", kwargs={"case_id": world.case.pk}))
    response = client.get(step_url(world.case, "check"))
    assert response["Location"] == step_url(world.case, "danger")


def test_unanswered_question_shows_the_error_summary(world: World, sign_in: SignIn) -> None:
    client = sign_in(world.worker)
    client.get(reverse("web:decision-start", kwargs={"case_id": world.case.pk}))
    response = client.post(step_url(world.case, "danger"), {})
    assert response.status_code == 200
    assert b"There is a problem" in response.content
    assert b"Select whether anyone is in immediate danger" in response.content
    response = client.post(step_url(world.case, "danger"), {"immediate_danger": "no"})
    response = client.post(step_url(world.case, "purpose"), {})
    assert b"Select the purpose of sharing" in response.content
    assert b"Select the agency that would receive the information" in response.content
    assert b'<h1 class="govuk-heading-l">Why would you share the information' in response.content


def test_advice_reveals_who_advised(world: World, sign_in: SignIn) -> None:
    client = sign_in(world.worker)
    walk(client, world.case, base_answers(world))
    url = step_url(world.case, "duty-and-advice")
    response = client.post(url, {"statutory_duty_or_court_order": "no", "advice_sought": "yes"})
    assert b"Enter who gave you advice" in response.content
    assert b"Enter what they advised" in response.content
    response = client.post(
        url,
        {
            "statutory_duty_or_court_order": "no",
            "advice_sought": "yes",
            "advice_sought_from": "Fakename Testperson, DSL",
            "advice_given": "Ask the mother first.",
        },
    )
    assert response.status_code == 302
    decide(client, world.case)
    decision = SharingDecision.objects.get()
    assert decision.advice_sought_from == "Fakename Testperson, DSL"


def test_none_of_these_cannot_be_combined(world: World, sign_in: SignIn) -> None:
    client = sign_in(world.worker)
    walk(client, world.case, base_answers(world))
    information = {
        **base_answers(world)["information"],
        "information_kind": ["neither", "special_category"],
    }
    response = client.post(step_url(world.case, "information"), information)
    assert response.status_code == 200
    assert b"There is a problem" in response.content
    assert b'data-behaviour="exclusive"' in response.content


def _refused(client: Client, world: World, **changes: Any) -> Any:
    """What recording would refuse is said on the decision page itself, with the error summary,
    not after check your answers."""
    walk(client, world.case, changed(world, danger={"immediate_danger": "yes"}))
    before = (SharingDecision.objects.count(), LedgerEntry.objects.count())
    response = decision_page(client, world.case, **changes)
    assert response.status_code == 200
    assert response.templates[0].name == "decisions/decision_form.html"
    assert b"There is a problem" in response.content
    assert SharingDecision.objects.count() == before[0] == 0
    # Nothing was kept as decided: check your answers sends the practitioner back.
    check = client.get(step_url(world.case, "check"))
    assert check.status_code == 302
    return response


def test_decision_without_reasons_is_refused_and_nothing_written(
    world: World, sign_in: SignIn
) -> None:
    client = sign_in(world.worker)
    walk(client, world.case, base_answers(world))
    response = client.post(step_url(world.case, "decision"), {"outcome": "seek_consent"})
    assert response.status_code == 200
    assert b"Enter the reasons for your decision" in response.content
    assert not SharingDecision.objects.exists()


def test_share_without_lawful_basis_is_refused_and_nothing_written(
    world: World, sign_in: SignIn
) -> None:
    response = _refused(sign_in(world.worker), world, article_6="")
    assert b"Select the lawful basis for sharing (UK GDPR Article 6)" in response.content
    assert response.context["form"].errors["article_6"]


def test_different_outcome_without_override_reason_is_refused(
    world: World, sign_in: SignIn
) -> None:
    response = _refused(sign_in(world.worker), world, outcome="do_not_share")
    assert b"Your decision differs from the recommendation: enter why" in response.content
    assert response.context["form"].errors["override_reason"]


def test_different_outcome_with_override_reason_is_recorded(world: World, sign_in: SignIn) -> None:
    client = sign_in(world.worker)
    walk(client, world.case, base_answers(world))
    decide(client, world.case, outcome="seek_advice", override_reason="Unclear family situation")
    decision = SharingDecision.objects.get()
    assert (decision.recommendation, decision.outcome) == ("seek_consent", "seek_advice")


# --- Reconsidering: recorded facts back to answers --------------------------------------------

WIZARD_FACTS = [
    facts(significant_harm_concern=False, harm=Harm.WELFARE),
    facts(
        harm=Harm.IN_NEED,
        consent=ConsentState.NOT_SOUGHT,
        consent_not_sought_reason=NotSoughtReason.PREJUDICE_ENQUIRY,
        asked_by=AskedBy.STATUTORY_ENQUIRY,
        recipient_verified=Tristate.NOT_SURE,
    ),
    facts(
        harm=Harm.NOT_SURE,
        about=About.ADULT,
        bears_on_child_safety=True,
        consent=ConsentState.REFUSED,
        consent_would_put_adult_at_serious_risk=True,
        special_category=True,
        criminal_offence_data=True,
        advice_sought=True,
        statutory_duty_or_court_order=True,
    ),
    facts(
        harm=Harm.NONE,
        young_person_confidentiality=True,
        child_competent=Tristate.YES,
        risk_indicators=True,
        consent=ConsentState.EXPIRED,
        asked_by=AskedBy.OTHER_AGENCY,
        recipient_verified=Tristate.NO,
        child_age=15,
    ),
]


@pytest.mark.parametrize("recorded", WIZARD_FACTS)
def test_answers_from_facts_reproduce_the_facts(recorded: Facts) -> None:
    answers = answers_from_facts(facts_to_mapping(recorded))
    assert applicable_pages(answers)  # a journey the wizard can take
    again = facts_from_mapping(
        facts_mapping(answers, recipient=str(recorded.recipient), child_age=recorded.child_age)
    )
    assert again == recorded


@pytest.mark.parametrize(("concern", "harm"), [(True, "significant_harm"), (False, "none")])
def test_answers_from_2024_1_facts_grade_the_harm(concern: bool, harm: str) -> None:
    old = {
        name: value
        for name, value in facts_to_mapping(BASE_FACTS).items()
        if name
        not in {
            "harm",
            "about",
            "bears_on_child_safety",
            "asked_by",
            "recipient_verified",
            "young_person_confidentiality",
            "child_age",
            "child_competent",
            "risk_indicators",
        }
    }
    old["significant_harm_concern"] = concern
    answers = answers_from_facts(old)
    assert answers["harm"] == harm
    assert (answers["about"], answers["asked_by"]) == ("child", "nobody")
    assert answers["young_person_confidentiality"] == "no"
    again = facts_from_mapping(facts_mapping(answers, recipient=str(Recipient.STATUTORY_PARTNER)))
    assert again == dataclasses.replace(
        BASE_FACTS, significant_harm_concern=concern, harm=Harm(harm)
    )


def test_reconsidering_an_emergency_asks_only_the_emergency_pages(
    world: World, sign_in: SignIn
) -> None:
    old = record(world, facts(immediate_danger=True))
    client = sign_in(world.worker)
    client.post(reverse("web:decision-reconsider", kwargs={"decision_id": old.pk}))
    assert client.get(step_url(world.case, "recommendation")).status_code == 200
    page = client.get(reverse("web:decision-detail", kwargs={"decision_id": old.pk}))
    assert [row["key"] for row in page.context["fact_rows"]] == [
        "Anyone in immediate danger",
        "Purpose",
        "Recipient",
    ]


@pytest.mark.parametrize("who", ["colleague", "outsider"])
def test_practitioner_who_cannot_see_the_case_gets_404_from_the_wizard(
    world: World, sign_in: SignIn, who: str
) -> None:
    client = sign_in(getattr(world, who))
    assert (
        client.get(reverse("web:decision-start", kwargs={"case_id": world.case.pk})).status_code
        == 404
    )
    assert client.get(step_url(world.case, "purpose")).status_code == 404
    assert client.post(step_url(world.case, "check"), {}).status_code == 404
    assert (
        client.get(reverse("web:case-decisions", kwargs={"case_id": world.case.pk})).status_code
        == 404
    )


@pytest.mark.parametrize("who", ["colleague", "outsider"])
def test_practitioner_who_cannot_see_the_case_gets_404_from_its_decision(
    world: World, sign_in: SignIn, who: str
) -> None:
    decision = record(world)
    client = sign_in(getattr(world, who))
    for name in ("web:decision-detail", "web:decision-recorded", "web:decision-reconsider"):
        url = reverse(name, kwargs={"decision_id": decision.pk})
        assert client.get(url).status_code == 404, name


def test_unknown_step_is_404(world: World, sign_in: SignIn) -> None:
    client = sign_in(world.worker)
    assert client.get(step_url(world.case, "nonsense")).status_code == 404


def test_allocated_practitioner_views_decision_page(world: World, sign_in: SignIn) -> None:
    decision = record(world, facts(consent=ConsentState.REFUSED))
    client = sign_in(world.worker)
    page = client.get(reverse("web:decision-detail", kwargs={"decision_id": decision.pk}))
    assert page.status_code == 200
    content = page.content.decode()
    assert "Awaiting approval" in content
    assert decision.rule_version in content
    assert "UK GDPR Article 6(1)(e)" in content
    assert page.context["approval_form"] is None  # a practitioner does not approve
    listing = client.get(reverse("web:case-decisions", kwargs={"case_id": world.case.pk}))
    assert reverse("web:decision-detail", kwargs={"decision_id": decision.pk}) in (
        listing.content.decode()
    )


def test_practitioner_is_offered_to_share_only_under_a_decision_to_share(
    world: World, sign_in: SignIn
) -> None:
    share = record(world, facts(consent=ConsentState.REFUSED))
    no_share = record(
        world,
        facts(consent=ConsentState.REFUSED, significant_harm_concern=False),
        outcome="do_not_share",
        lawful_basis=None,
        what_to_share="",
        override_reason="Refused and no risk of significant harm.",
    )
    decision_approve(actor=world.dsl, decision=share, approved=True)
    client = sign_in(world.worker)
    start = reverse("web:disclosure-start", kwargs={"decision_id": share.pk})
    page = client.get(reverse("web:decision-detail", kwargs={"decision_id": share.pk}))
    assert start in page.content.decode()
    page = client.get(reverse("web:decision-detail", kwargs={"decision_id": no_share.pk}))
    assert "Share under this decision" not in page.content.decode()


def test_overdue_approval_shows_red_tag_first_in_queue(world: World, sign_in: SignIn) -> None:
    with clock.frozen(MONDAY_NOON):
        later = record(world, facts(consent=ConsentState.REFUSED))
        urgent = record(world, facts(consent=ConsentState.REFUSED), is_urgent=True)
    with clock.frozen(MONDAY_NOON + dt.timedelta(days=3)):
        client = sign_in(world.dsl)
        queue = client.get(reverse("web:approvals"))
        assert queue.status_code == 200
        assert [(d.pk, overdue) for d, overdue in queue.context["rows"]] == [
            (urgent.pk, True),
            (later.pk, False),
        ]
        assert b"govuk-tag--red" in queue.content
        page = client.get(reverse("web:decision-detail", kwargs={"decision_id": urgent.pk}))
        assert page.context["overdue"] is True
        assert b"Overdue" in page.content


def test_practitioner_cannot_open_approvals_queue(world: World, sign_in: SignIn) -> None:
    assert sign_in(world.worker).get(reverse("web:approvals")).status_code == 403


def test_outsider_dsl_does_not_see_other_agencys_approvals(world: World, sign_in: SignIn) -> None:
    record(world, facts(consent=ConsentState.REFUSED))
    queue = sign_in(world.outsider).get(reverse("web:approvals"))
    assert queue.context["rows"] == []


def test_dsl_approves_a_share_without_consent(world: World, sign_in: SignIn) -> None:
    decision = record(world, facts(consent=ConsentState.REFUSED))
    client = sign_in(world.dsl)
    url = reverse("web:decision-approval", kwargs={"decision_id": decision.pk})
    response = client.post(url, {"approved": "yes", "comment": ""})
    assert response.status_code == 302
    approval = DecisionApproval.objects.get(decision=decision)
    assert approval.approved is True
    assert approval.approver == world.dsl
    assert LedgerEntry.objects.filter(
        event_code=Event.DECISION_APPROVED, object_id=str(decision.pk)
    ).exists()
    page = client.get(response["Location"])
    assert b"Approved" in page.content


def test_dsl_cannot_approve_own_decision(world: World, sign_in: SignIn) -> None:
    decision = record(world, facts(consent=ConsentState.REFUSED), actor=world.dsl)
    client = sign_in(world.dsl)
    url = reverse("web:decision-approval", kwargs={"decision_id": decision.pk})
    response = client.post(url, {"approved": "yes"})
    assert response.status_code == 200
    assert b"There is a problem" in response.content
    assert b"You cannot approve your own decision" in response.content
    assert not DecisionApproval.objects.exists()


def test_practitioner_and_outsider_cannot_post_approval(world: World, sign_in: SignIn) -> None:
    decision = record(world, facts(consent=ConsentState.REFUSED))
    url = reverse("web:decision-approval", kwargs={"decision_id": decision.pk})
    assert sign_in(world.worker).post(url, {"approved": "yes"}).status_code == 403
    assert sign_in(world.outsider).post(url, {"approved": "yes"}).status_code == 404
    assert not DecisionApproval.objects.exists()


def test_reconsidering_records_a_new_decision_linked_to_the_old(
    world: World, sign_in: SignIn
) -> None:
    old = record(
        world,
        facts(
            consent=ConsentState.NOT_SOUGHT,
            consent_not_sought_reason=NotSoughtReason.CHILD_AT_INCREASED_RISK,
        ),
    )
    client = sign_in(world.worker)
    response = client.post(reverse("web:decision-reconsider", kwargs={"decision_id": old.pk}))
    assert response["Location"] == step_url(world.case, "danger")
    page = client.get(step_url(world.case, "consent"))
    initial = page.context["form"].initial
    assert initial["consent"] == "not_sought"
    assert initial["consent_not_sought_reason"] == "child_at_increased_risk"
    harm = client.get(step_url(world.case, "harm"))
    assert harm.context["form"].initial == {"harm": "significant_harm"}
    decide(client, world.case)
    check = client.post(step_url(world.case, "check"), {})
    assert b"Enter what is new since the earlier decision" in check.content
    response = client.post(
        step_url(world.case, "check"), {"reconsideration_reason": "Mother now agrees"}
    )
    assert response.status_code == 302
    new = SharingDecision.objects.exclude(pk=old.pk).get()
    assert new.supersedes == old
    page = client.get(reverse("web:decision-detail", kwargs={"decision_id": old.pk}))
    assert reverse("web:decision-detail", kwargs={"decision_id": new.pk}) in page.content.decode()


def test_golden_rules_page_lists_the_rules(world: World, sign_in: SignIn) -> None:
    page = sign_in(world.colleague).get(reverse("web:golden-rules"))
    assert page.status_code == 200
    assert b"Write it down" in page.content


# --- The decision page: truthful labels, errors where they are asked ---------------------------


def test_decision_page_labels_say_when_a_field_is_needed_not_optional(
    world: World, sign_in: SignIn
) -> None:
    client = sign_in(world.worker)
    walk(client, world.case, changed(world, danger={"immediate_danger": "yes"}))
    html = client.get(step_url(world.case, "decision")).content.decode()
    for label in (
        "Lawful basis (UK GDPR Article 6) (needed if you share)",
        "What will be shared (needed if you share)",
        "Why your decision differs from the recommendation (needed if your decision differs)",
    ):
        assert label in " ".join(html.split()), label
    assert "Lawful basis (UK GDPR Article 6) (optional)" not in " ".join(html.split())
    assert "What will be shared (optional)" not in " ".join(html.split())
    # Truly optional ones still say so.
    assert "Why the individual will not be told (optional)" in " ".join(html.split())


def test_relying_on_consent_labels_the_kinds_of_information_as_needed(
    world: World, sign_in: SignIn
) -> None:
    with clock.frozen(MONDAY_NOON):
        consent = given_consent(world, world.other_agency)
        client = sign_in(world.worker)
        answers = changed(world, consent={"consent": "given", "consent_record": str(consent.pk)})
        walk(client, world.case, answers)
        html = " ".join(client.get(step_url(world.case, "decision")).content.decode().split())
    assert (
        "What kinds of information will you share? (needed if you share: we check the consent "
        "covers them)" in html
    )


def test_missing_what_to_share_is_said_on_the_decision_page(world: World, sign_in: SignIn) -> None:
    response = _refused(sign_in(world.worker), world, what_to_share="")
    assert response.context["form"].errors["what_to_share"] == ["Describe what will be shared"]
    assert 'href="#id_what_to_share"' in response.content.decode()


# --- Approval: a deadline, the form at the top, "Awaiting approval" instead of a dead end ------


def test_share_awaiting_approval_says_who_can_approve_and_by_when_instead_of_share(
    world: World, sign_in: SignIn
) -> None:
    with clock.frozen(MONDAY_NOON):
        decision = record(world, facts(consent=ConsentState.REFUSED))
    assert decision.approval_due_at == add_working_days(MONDAY_NOON, 3)
    page = sign_in(world.worker).get(
        reverse("web:decision-detail", kwargs={"decision_id": decision.pk})
    )
    content = " ".join(page.content.decode().split())
    start = reverse("web:disclosure-start", kwargs={"decision_id": decision.pk})
    assert start not in content
    assert "Share under this decision" not in content
    assert "Nothing can be shared under this decision until it is approved." in content
    assert f"{world.dsl.full_name} (the designated safeguarding lead or manager of" in content
    assert "can approve it, by 26 November 2026, midday" in content
    assert "p.m." not in content


def test_urgent_share_awaiting_approval_may_still_be_shared(world: World, sign_in: SignIn) -> None:
    decision = record(world, facts(consent=ConsentState.REFUSED), is_urgent=True)
    page = sign_in(world.worker).get(
        reverse("web:decision-detail", kwargs={"decision_id": decision.pk})
    )
    assert reverse("web:disclosure-start", kwargs={"decision_id": decision.pk}) in (
        page.content.decode()
    )


def test_declined_share_offers_no_share(world: World, sign_in: SignIn) -> None:
    decision = record(world, facts(consent=ConsentState.REFUSED))
    decision_approve(actor=world.dsl, decision=decision, approved=False, comment="Not needed yet")
    page = sign_in(world.worker).get(
        reverse("web:decision-detail", kwargs={"decision_id": decision.pk})
    )
    content = page.content.decode()
    assert reverse("web:disclosure-start", kwargs={"decision_id": decision.pk}) not in content
    assert "Sharing under this decision was not approved" in content


def test_approver_finds_the_approval_form_at_the_top_of_the_decision_page(
    world: World, sign_in: SignIn
) -> None:
    with clock.frozen(MONDAY_NOON):
        decision = record(world, facts(consent=ConsentState.REFUSED))
        page = sign_in(world.dsl).get(
            reverse("web:decision-detail", kwargs={"decision_id": decision.pk})
        )
    content = page.content.decode()
    form_at = content.index(reverse("web:decision-approval", kwargs={"decision_id": decision.pk}))
    assert form_at < content.index('id="the-decision"')
    assert content.count('name="approved"') == 2  # one form: yes and no
    flat = " ".join(content.split())
    assert "It needs your approval by 26 November 2026, midday" in flat
    assert "Comment (needed if you do not approve)" in flat


def test_approval_queue_shows_every_deadline(world: World, sign_in: SignIn) -> None:
    with clock.frozen(MONDAY_NOON):
        record(world, facts(consent=ConsentState.REFUSED))
        queue = sign_in(world.dsl).get(reverse("web:approvals"))
    content = queue.content.decode()
    assert "No deadline" not in content
    assert "26 November 2026, midday" in content


def test_older_decisions_awaiting_approval_get_the_deadline_they_would_have_had(
    world: World,
) -> None:
    """The data migration: decisions recorded before the deadline rule had none."""
    migration = importlib.import_module(
        "safeshare.decisions.migrations.0003_approval_deadline_for_older_decisions"
    )
    with clock.frozen(MONDAY_NOON):
        plain = record(world, facts(consent=ConsentState.REFUSED))
        urgent = record(world, facts(consent=ConsentState.REFUSED), is_urgent=True)
        approved = record(world, facts(consent=ConsentState.REFUSED))
    decision_approve(actor=world.dsl, decision=approved, approved=True)
    SharingDecision.objects.update(approval_due_at=None)
    migration.set_deadlines(django_apps, None)
    due = dict(SharingDecision.objects.values_list("pk", "approval_due_at"))
    assert due[plain.pk] == add_working_days(MONDAY_NOON, 3)
    assert due[urgent.pk] == add_working_days(MONDAY_NOON, 1)
    assert due[approved.pk] is None  # already approved: nothing to chase


def test_the_request_page_says_awaiting_approval_instead_of_a_dead_end_share_link(
    world: World, sign_in: SignIn
) -> None:
    """Issue 14, defect 4: before approval, a decision the request is answered under offers no
    share link (which led to "You cannot share under this decision") but says it awaits
    approval; once approved, the link is there."""

    child = world.case.subject
    child.nhs_number = "9434765919"
    child.save()
    asked = request_create(
        actor=world.outsider,
        receiving_agency=world.agency,
        kind="request",
        purpose="child_protection",
        urgency="within_24_hours",
        information_sought="Any concerns about the child this year",
        justification="A fake strategy discussion tomorrow",
        nhs_number="9434765919",
    )
    assert asked.matched_case == world.case
    decision = record(world, facts(consent=ConsentState.REFUSED))
    assert decision.awaiting_approval
    client = sign_in(world.worker)
    url = reverse("web:request-detail", kwargs={"request_id": asked.pk})
    share = reverse("web:disclosure-start", kwargs={"decision_id": decision.pk})
    page = client.get(url).content.decode()
    assert "Awaiting approval" in page
    assert share not in page
    assert reverse("web:decision-detail", kwargs={"decision_id": decision.pk}) in page
    decision_approve(actor=world.dsl, decision=decision, approved=True)
    assert share in client.get(url).content.decode()
