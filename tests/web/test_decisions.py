"""The sharing decision wizard, the decision page, approvals and the golden rules page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from safeshare.cases.models import Case
from safeshare.core import clock
from safeshare.decisions.engine import ConsentState, NotSoughtReason
from safeshare.decisions.models import DecisionApproval, SharingDecision
from safeshare.ledger.events import Event
from safeshare.ledger.models import LedgerEntry
from tests.conftest import World
from tests.decisions.helpers import facts, given_consent, record
from tests.web.conftest import SignIn

pytestmark = pytest.mark.django_db

MONDAY_NOON = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)
REASONS = "Bruising seen twice in a week; the school nurse is worried."
SHARED = "The two observations of bruising, with dates and who saw them."


def step_url(case: Case, step: str, *, change: bool = False) -> str:
    url = reverse("web:decision-step", kwargs={"case_id": case.pk, "step": step})
    return f"{url}?change=1" if change else url


def base_answers(world: World) -> dict[str, dict[str, Any]]:
    """Answers to every question page, by step: the 'seek consent' situation."""
    return {
        "purpose": {"purpose": "child_protection"},
        "recipient": {"recipient": str(world.other_agency.pk)},
        "clear-purpose": {"purpose_clear_and_legitimate": "yes"},
        "living-person": {"identifies_living_person": "yes"},
        "confidential": {"confidential": "yes"},
        "information-kind": {"information_kind": ["neither"]},
        "risk": {"risk": ["none"]},
        "consent": {"consent": "not_asked"},
        "seeking-consent": {"consent_risks": ["none"]},
        "statutory-duty": {"statutory_duty_or_court_order": "no"},
        "advice": {"advice_sought": "no"},
    }


def walk(client: Client, case: Case, answers: dict[str, dict[str, Any]]) -> list[str]:
    """Answer every question page the wizard asks, from the start; return the steps visited."""
    response = client.get(reverse("web:decision-start", kwargs={"case_id": case.pk}))
    assert response.status_code == 302
    url = response["Location"]
    visited = []
    while not url.endswith("/recommendation/"):
        step = url.rstrip("/").rsplit("/", 1)[-1]
        visited.append(step)
        response = client.post(url, answers[step])
        assert response.status_code == 302, (step, response.content.decode()[:2000])
        url = response["Location"]
    return visited


def decide(client: Client, case: Case, **changes: Any) -> Any:
    """Take the recommendation's prefilled decision page, change what the test is about, post it,
    then record from check your answers."""
    page = client.get(step_url(case, "decision"))
    assert page.status_code == 200
    form = page.context["form"]
    data = {name: form.initial.get(name, "") for name in form.fields}
    data.update({"reasons": REASONS, "what_to_share": SHARED})
    data.update(changes)
    data = {key: value for key, value in data.items() if value not in (None, False)}
    response = client.post(step_url(case, "decision"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    return client.post(step_url(case, "check"), {})


OUTCOME_CASES: list[tuple[str, dict[str, dict[str, Any]]]] = [
    ("seek_consent", {}),
    ("refer_now", {"risk": {"risk": ["immediate_danger"]}}),
    ("do_not_share", {"clear-purpose": {"purpose_clear_and_legitimate": "no"}}),
    ("seek_advice", {"clear-purpose": {"purpose_clear_and_legitimate": "not_sure"}}),
    ("not_personal_data", {"living-person": {"identifies_living_person": "no"}}),
    (
        "share_without_consent",
        {
            "consent": {"consent": "not_sought"},
            "not-sought-reason": {"consent_not_sought_reason": "child_at_increased_risk"},
            "seeking-consent": {"consent_risks": ["consent_would_increase_risk_to_child"]},
        },
    ),
]


@pytest.mark.parametrize(("outcome", "changes"), OUTCOME_CASES, ids=[c[0] for c in OUTCOME_CASES])
def test_practitioner_reaches_each_outcome_through_the_wizard(
    world: World, sign_in: SignIn, outcome: str, changes: dict[str, dict[str, Any]]
) -> None:
    client = sign_in(world.worker)
    walk(client, world.case, base_answers(world) | changes)
    page = client.get(step_url(world.case, "recommendation"))
    assert page.context["outcome"]["recommendation"] == outcome
    response = decide(client, world.case)
    decision = SharingDecision.objects.get()
    assert response["Location"] == reverse(
        "web:decision-recorded", kwargs={"decision_id": decision.pk}
    )
    assert (decision.recommendation, decision.outcome) == (outcome, outcome)
    assert decision.facts["recipient"] == "statutory_partner"
    assert LedgerEntry.objects.filter(
        event_code=Event.DECISION_RECORDED, object_id=str(decision.pk)
    ).exists()
    confirmation = client.get(response["Location"])
    assert b"Decision recorded" in confirmation.content


def test_practitioner_reaches_share_by_relying_on_recorded_consent(
    world: World, sign_in: SignIn
) -> None:
    with clock.frozen(MONDAY_NOON):
        consent = given_consent(world, world.other_agency)
        client = sign_in(world.worker)
        answers = base_answers(world) | {
            "consent": {"consent": "given"},
            "consent-record": {"consent_record": str(consent.pk)},
        }
        visited = walk(client, world.case, answers)
        consent_page = client.get(step_url(world.case, "consent"))
        assert b"Our records say: Consent given" in consent_page.content
        assert "consent-record" in visited
        assert "not-sought-reason" not in visited
        response = decide(client, world.case)
        assert response.status_code == 302
    decision = SharingDecision.objects.get()
    assert (decision.recommendation, decision.outcome) == ("share", "share")
    assert decision.consent == consent
    assert decision.approval_required is False


def test_going_back_shows_the_previous_answer(world: World, sign_in: SignIn) -> None:
    client = sign_in(world.worker)
    walk(client, world.case, base_answers(world))
    page = client.get(step_url(world.case, "clear-purpose"))
    assert page.context["form"].initial == {"purpose_clear_and_legitimate": "yes"}
    assert b'value="yes" checked' in page.content
    assert page.context["back_url"] == step_url(world.case, "recipient")


def test_change_link_returns_to_check_your_answers(world: World, sign_in: SignIn) -> None:
    client = sign_in(world.worker)
    walk(client, world.case, base_answers(world))
    client.post(step_url(world.case, "decision"), {"outcome": "seek_consent", "reasons": REASONS})
    check = client.get(step_url(world.case, "check"))
    assert step_url(world.case, "confidential", change=True).encode() in check.content
    response = client.post(
        step_url(world.case, "confidential", change=True), {"confidential": "no"}
    )
    assert response["Location"] == step_url(world.case, "check")
    check = client.get(step_url(world.case, "check"))
    rows = {row["key"]: row["value"] for row in check.context["rows"]}
    assert rows["Confidential"] == "No"


def test_change_to_consent_given_asks_which_consent_before_returning(
    world: World, sign_in: SignIn
) -> None:
    client = sign_in(world.worker)
    walk(client, world.case, base_answers(world))
    response = client.post(step_url(world.case, "consent", change=True), {"consent": "given"})
    assert response["Location"] == step_url(world.case, "consent-record", change=True)


def test_questions_cannot_be_skipped(world: World, sign_in: SignIn) -> None:
    client = sign_in(world.worker)
    client.get(reverse("web:decision-start", kwargs={"case_id": world.case.pk}))
    response = client.get(step_url(world.case, "check"))
    assert response["Location"] == step_url(world.case, "purpose")


def test_unanswered_question_shows_the_error_summary(world: World, sign_in: SignIn) -> None:
    client = sign_in(world.worker)
    client.get(reverse("web:decision-start", kwargs={"case_id": world.case.pk}))
    response = client.post(step_url(world.case, "purpose"), {})
    assert response.status_code == 200
    assert b"There is a problem" in response.content
    assert b"Select the purpose of sharing" in response.content


def test_none_of_these_cannot_be_combined(world: World, sign_in: SignIn) -> None:
    client = sign_in(world.worker)
    walk(client, world.case, base_answers(world))
    response = client.post(step_url(world.case, "risk"), {"risk": ["none", "immediate_danger"]})
    assert response.status_code == 200
    assert b"There is a problem" in response.content


def _refused(client: Client, world: World, **changes: Any) -> Any:
    walk(client, world.case, base_answers(world) | {"risk": {"risk": ["immediate_danger"]}})
    before = (SharingDecision.objects.count(), LedgerEntry.objects.count())
    response = decide(client, world.case, **changes)
    assert response.status_code == 200
    assert b"There is a problem" in response.content
    assert SharingDecision.objects.count() == before[0] == 0
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
    assert response["Location"] == step_url(world.case, "purpose")
    page = client.get(step_url(world.case, "not-sought-reason"))
    assert page.context["form"].initial == {"consent_not_sought_reason": "child_at_increased_risk"}
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
