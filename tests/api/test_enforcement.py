"""Consent and lawful basis enforced, not just recorded (issue 13, part 2), through the API, the
web and the command line. Each defect has a test that failed before the fix and a test that the
refused call wrote nothing.

Sources: WT 2018 ch1 (consent is specific: for a purpose, a recipient and the information
shared, and may be withdrawn); seed 003 §3.3-3.5 (reasons not to seek consent, including
prejudice to an enquiry; recipient verification); ICO 10 step guide step 6 (an agreement may not
fit one-off or emergency sharing)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from safeshare.agencies.models import Agency, AgencyType, Practitioner, Role
from safeshare.cli import main as cli
from safeshare.consent.services import consent_record_given
from safeshare.core import clock
from safeshare.core.workdays import add_working_days
from safeshare.decisions.engine import ConsentState, NotSoughtReason, Recipient, facts_to_mapping
from safeshare.decisions.models import DecisionApproval, SharingDecision
from safeshare.decisions.services import consent_withdraw_with_recall
from safeshare.disclosures.models import Disclosure, InformTask, RecallRequest
from safeshare.disclosures.services import recall_request_confirm_deletion
from safeshare.ledger.events import Event
from safeshare.ledger.models import LedgerEntry
from tests.api.conftest import ApiCaller, ledger_count, not_found_body, verified_session
from tests.conftest import World
from tests.decisions.helpers import BASE_FACTS, facts
from tests.disclosures.helpers import NOW, active_agreement, issue, sharing
from tests.factories import ItemFactory, PractitionerFactory

pytestmark = pytest.mark.django_db

Caller = Callable[[Practitioner], ApiCaller]
REASONS = "The mother agreed that the police should know about the support plan."
WHAT = "The support plan and who is involved in it."


@pytest.fixture(autouse=True)
def frozen_clock() -> Iterator[None]:
    with clock.frozen(NOW):
        yield


def consent_for(
    world: World,
    *,
    purposes: tuple[str, ...] = ("child_in_need",),
    recipients: tuple[Agency, ...] | None = None,
    categories: tuple[str, ...] = ("child",),
) -> Any:
    return consent_record_given(
        actor=world.worker,
        person=world.case.subject,
        given_by="parental_responsibility",
        given_by_name="Fakemum Testington (mother)",
        method="written",
        evidence="Signed form scanned to the case file",
        purposes=list(purposes),
        recipient_agencies=list(recipients if recipients is not None else (world.other_agency,)),
        categories=list(categories),
        starts_on=dt.date(2026, 11, 1),
        expires_on=dt.date(2027, 5, 1),
    )


def on_consent_facts(**changes: Any) -> dict[str, Any]:
    body = facts_to_mapping(
        facts(purpose="child_in_need", consent=ConsentState.GIVEN, significant_harm_concern=False)
    )
    body.update(changes)
    return body


def evaluated(caller: ApiCaller, body: dict[str, Any]) -> dict[str, Any]:
    response = caller.post("/api/decisions/evaluate", {"facts": body})
    assert response.status_code == 200, response.content
    outcome: dict[str, Any] = response.json()
    return outcome


def decision_body(
    world: World, caller: ApiCaller, body: dict[str, Any], **changes: Any
) -> dict[str, Any]:
    """What the engine recommended for these facts, on the basis it suggested."""
    outcome = evaluated(caller, body)
    decision: dict[str, Any] = {
        "facts": body,
        "outcome": outcome["recommendation"],
        "reasons": REASONS,
        "recipient_agency_id": str(world.other_agency.pk),
        "lawful_basis": outcome["lawful_basis"],
        "what_to_share": WHAT,
    }
    decision.update(changes)
    return decision


def writes() -> tuple[int, ...]:
    return (
        SharingDecision.objects.count(),
        DecisionApproval.objects.count(),
        Disclosure.objects.count(),
        InformTask.objects.count(),
        LedgerEntry.objects.exclude(
            event_code__in=[int(Event.API_TOKEN_CREATED), int(Event.API_TOKEN_USED)]
        ).count(),
    )


def refused(response: Any, field: str, *, status: int = 422) -> str:
    assert response.status_code == status, response.content
    body = response.json()
    assert body["field"] == field, body
    detail = body["detail"]
    # A service's refusal is one message; a schema's is pydantic's list, first error first.
    message: str = detail if isinstance(detail, str) else detail[0]["msg"]
    return message


# --- A consent for something else is not a consent for this --------------------------------


def _other_purpose(world: World) -> Any:
    return consent_for(world, purposes=("early_help",))


def _other_recipient(world: World) -> Any:
    school = Agency.objects.create(
        name="Testshire Primary School",
        agency_type=AgencyType.SCHOOL,
        local_authority_area="Testshire",
    )
    return consent_for(world, recipients=(school,))


def _other_category(world: World) -> Any:
    return consent_for(world, categories=("parenting",))


@pytest.mark.parametrize(
    ("scope", "words"),
    [
        (_other_purpose, "child in need"),
        (_other_recipient, "Testshire Constabulary"),
        (_other_category, "child's health"),
    ],
    ids=["another purpose", "another recipient", "another category"],
)
def test_a_decision_relying_on_consent_given_for_something_else_is_422_and_writes_nothing(
    world: World, call_as: Caller, scope: Callable[[World], Any], words: str
) -> None:
    caller = call_as(world.worker)
    consent = scope(world)
    body = decision_body(
        world, caller, on_consent_facts(), consent_id=str(consent.pk), categories=["child"]
    )
    before = writes()
    message = refused(caller.post(f"/api/cases/{world.case.pk}/decisions", body), "consent")
    assert words.lower() in message.lower()
    assert writes() == before


def test_a_decision_relying_on_consent_names_the_kinds_of_information_shared(
    world: World, call_as: Caller
) -> None:
    caller = call_as(world.worker)
    consent = consent_for(world)
    body = decision_body(world, caller, on_consent_facts(), consent_id=str(consent.pk))
    before = writes()
    refused(caller.post(f"/api/cases/{world.case.pk}/decisions", body), "categories")
    assert writes() == before
    body["categories"] = ["child"]
    response = caller.post(f"/api/cases/{world.case.pk}/decisions", body)
    assert response.status_code == 201, response.content
    assert response.json()["categories"] == ["child"]


def _recorded_on_consent(world: World, caller: ApiCaller, consent: Any) -> dict[str, Any]:
    body = decision_body(
        world, caller, on_consent_facts(), consent_id=str(consent.pk), categories=["child"]
    )
    response = caller.post(f"/api/cases/{world.case.pk}/decisions", body)
    assert response.status_code == 201, response.content
    decision: dict[str, Any] = response.json()
    return decision


def test_a_disclosure_of_information_the_consent_does_not_cover_is_refused_and_writes_nothing(
    world: World, call_as: Caller
) -> None:
    active_agreement(world, purposes=["child_in_need"])
    recipient = PractitionerFactory(agency=world.other_agency)
    caller = call_as(world.worker)
    decision = _recorded_on_consent(world, caller, consent_for(world))
    parenting = ItemFactory(
        case=world.case,
        category="parenting",
        content="Fakemum Testington said she is struggling to cope.",
        recorded_by=world.worker,
    )
    share = {
        "decision_id": decision["id"],
        "recipient_id": str(recipient.pk),
        "items": [{"item_id": str(parenting.pk)}],
    }
    before = writes()
    refused(caller.post("/api/disclosures", share), "items")
    assert writes() == before
    share["items"] = [{"item_id": str(world.item.pk)}]
    assert caller.post("/api/disclosures", share).status_code == 201


def test_a_disclosure_on_consent_withdrawn_since_the_decision_is_refused_and_writes_nothing(
    world: World, call_as: Caller
) -> None:
    active_agreement(world, purposes=["child_in_need"])
    recipient = PractitionerFactory(agency=world.other_agency)
    caller = call_as(world.worker)
    consent = consent_for(world)
    decision = _recorded_on_consent(world, caller, consent)
    consent_withdraw_with_recall(actor=world.worker, consent=consent, note="Withdrawn by phone")
    share = {
        "decision_id": decision["id"],
        "recipient_id": str(recipient.pk),
        "items": [{"item_id": str(world.item.pk)}],
    }
    before = writes()
    refused(caller.post("/api/disclosures", share), "decision")
    assert writes() == before


# --- A recall takes the content away at once -----------------------------------------------


def test_a_recall_revokes_the_recipients_access_at_once_and_after_deletion_is_confirmed(
    world: World, call_as: Caller
) -> None:
    active_agreement(world, purposes=["child_in_need"])
    recipient = PractitionerFactory(agency=world.other_agency)
    worker = call_as(world.worker)
    consent = consent_for(world)
    decision = _recorded_on_consent(world, worker, consent)
    share = {
        "decision_id": decision["id"],
        "recipient_id": str(recipient.pk),
        "items": [{"item_id": str(world.item.pk)}],
    }
    disclosure_id = worker.post("/api/disclosures", share).json()["id"]
    reader = call_as(recipient)
    content = f"/api/disclosures/{disclosure_id}/content"
    assert reader.get(content).status_code == 200
    consent_withdraw_with_recall(actor=world.worker, consent=consent, note="Withdrawn by phone")
    (sent,) = worker.post(f"/api/consents/{consent.pk}/recalls", {}).json()

    # At once: the recipient is told it was recalled, and never sees the content again.
    response = reader.get(content)
    assert response.status_code == 404
    assert response.json() == not_found_body()
    shown = reader.get(f"/api/disclosures/{disclosure_id}").json()
    assert shown["state"] == "recalled"
    assert shown["recalled_at"] is not None
    page = verified_session(recipient).get(reverse("web:disclosure-detail", args=[disclosure_id]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "it was recalled on" in html
    assert "because the consent it was shared on was withdrawn" in html
    assert world.item.content not in html
    assert ledger_count(Event.DISCLOSURE_CONTENT_VIEWED, actor_id=recipient.pk) == 1

    recall_request_confirm_deletion(
        actor=recipient, recall_request=RecallRequest.objects.get(pk=sent["id"])
    )
    assert reader.get(content).status_code == 404
    assert world.item.content not in (
        verified_session(recipient)
        .get(reverse("web:disclosure-detail", args=[disclosure_id]))
        .content.decode()
    )


# --- Article 6(1)(a) needs a consent ------------------------------------------------------


def test_consent_as_the_basis_of_a_share_without_consent_is_422_and_writes_nothing(
    world: World, call_as: Caller
) -> None:
    caller = call_as(world.worker)
    body = decision_body(world, caller, facts_to_mapping(BASE_FACTS))
    body["lawful_basis"] = {"article_6": "art6_1_a", "article_9": None, "article_10": None}
    before = writes()
    message = refused(caller.post(f"/api/cases/{world.case.pk}/decisions", body), "article_6")
    assert "relies on consent" in message
    assert writes() == before


def test_consent_as_the_basis_needs_a_consent_that_covers_the_share(
    world: World, call_as: Caller
) -> None:
    caller = call_as(world.worker)
    consent = consent_for(world, purposes=("early_help",))
    body = decision_body(
        world, caller, on_consent_facts(), consent_id=str(consent.pk), categories=["child"]
    )
    body["lawful_basis"] = {"article_6": "art6_1_a", "article_9": None, "article_10": None}
    before = writes()
    refused(caller.post(f"/api/cases/{world.case.pk}/decisions", body), "consent")
    assert writes() == before


# --- A reason is required when consent was not sought -------------------------------------


@pytest.mark.parametrize("path", ["evaluate", "record"])
def test_not_sought_without_a_reason_is_422_naming_the_reason(
    world: World, call_as: Caller, path: str
) -> None:
    caller = call_as(world.worker)
    body = facts_to_mapping(BASE_FACTS)
    body.update(consent="not_sought", consent_not_sought_reason=None)
    before = writes()
    if path == "evaluate":
        response = caller.post("/api/decisions/evaluate", {"facts": body})
    else:
        response = caller.post(
            f"/api/cases/{world.case.pk}/decisions",
            {
                "facts": body,
                "outcome": "refer_now",
                "reasons": REASONS,
                "recipient_agency_id": str(world.other_agency.pk),
                "lawful_basis": {"article_6": "art6_1_e"},
                "what_to_share": WHAT,
            },
        )
    message = refused(response, "consent_not_sought_reason")
    assert "consent_not_sought_reason" in message
    assert writes() == before


# --- One validator for the API and the command line --------------------------------------


BAD_FACTS: dict[str, dict[str, Any]] = {
    "unknown purpose": {"purpose": "curiosity"},
    "missing reason": {"consent": "not_sought", "consent_not_sought_reason": None},
    "reason when sought": {"consent": "refused", "consent_not_sought_reason": "prejudice_enquiry"},
    "harm disagrees": {"harm": "welfare", "significant_harm_concern": True},
    "age out of range": {"child_age": 40},
}


@pytest.mark.parametrize("changes", BAD_FACTS.values(), ids=BAD_FACTS.keys())
def test_the_api_and_the_command_line_refuse_bad_facts_with_the_same_message(
    world: World,
    call_as: Caller,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    changes: dict[str, Any],
) -> None:
    body = facts_to_mapping(BASE_FACTS)
    body.update(changes)
    response = call_as(world.worker).post("/api/decisions/evaluate", {"facts": body})
    assert response.status_code == 422, response.content
    api_message = refused(response, response.json()["field"])
    capsys.readouterr()  # the request's log line
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(body))
    assert cli.main(["decide", "evaluate", str(path)]) != 0
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line == f"safeshare: error: invalid facts: {api_message}"


# --- What the engine decided stays decided ------------------------------------------------


def test_the_engines_do_not_tell_reason_is_carried_into_the_decision_and_no_inform_task(
    world: World, call_as: Caller
) -> None:
    active_agreement(world)
    recipient = PractitionerFactory(agency=world.other_agency)
    caller = call_as(world.worker)
    body = facts_to_mapping(
        facts(
            consent=ConsentState.NOT_SOUGHT,
            consent_not_sought_reason=NotSoughtReason.CHILD_AT_INCREASED_RISK,
            consent_would_increase_risk_to_child=True,
            recipient=Recipient.AGREEMENT,
        )
    )
    outcome = evaluated(caller, body)
    assert outcome["individual_not_told_reason"]
    decision_in = decision_body(world, caller, body, individual_not_told_reason="")
    response = caller.post(f"/api/cases/{world.case.pk}/decisions", decision_in)
    assert response.status_code == 201, response.content
    decision = response.json()
    assert decision["individual_to_be_told"] is False
    assert outcome["individual_not_told_reason"] in decision["individual_not_told_reason"]
    stored = SharingDecision.objects.get(pk=decision["id"])
    if stored.approval_required:
        assert (
            call_as(world.dsl)
            .post(f"/api/decisions/{stored.pk}/approval", {"approved": True, "comment": "Agreed"})
            .status_code
            == 201
        )
    share = {
        "decision_id": decision["id"],
        "recipient_id": str(recipient.pk),
        "items": [{"item_id": str(world.item.pk)}],
    }
    assert caller.post("/api/disclosures", share).status_code == 201, "shared"
    assert InformTask.objects.count() == 0


# --- Outside every agreement: one-off on consent, or urgent ------------------------------


def test_a_one_off_share_on_consent_outside_every_agreement_works_end_to_end(
    world: World, call_as: Caller
) -> None:
    recipient = PractitionerFactory(agency=world.other_agency)
    caller = call_as(world.worker)
    decision = _recorded_on_consent(world, caller, consent_for(world))
    assert decision["facts"]["recipient"] == Recipient.STATUTORY_PARTNER
    assert decision["outcome"] == "share"
    assert decision["approval_required"] is False
    response = caller.post(
        "/api/disclosures",
        {
            "decision_id": decision["id"],
            "recipient_id": str(recipient.pk),
            "items": [{"item_id": str(world.item.pk)}],
        },
    )
    assert response.status_code == 201, response.content
    shared = response.json()
    assert shared["outside_agreement_basis"] == "consent"
    assert shared["agreement_id"] is None
    # Kept no longer than the consent it rests on.
    assert dt.datetime.fromisoformat(shared["expires_at"]) <= dt.datetime(2027, 5, 2, tzinfo=dt.UTC)
    entry = LedgerEntry.objects.get(event_code=int(Event.DISCLOSURE_ISSUED))
    assert json.loads(entry.details)["outside_agreement"] == "consent"


def test_an_urgent_share_to_a_group_outside_every_agreement_works_with_a_reason(
    world: World, call_as: Caller
) -> None:
    club = Agency.objects.create(
        name="Testshire Youth Club", agency_type=AgencyType.VOLUNTARY, local_authority_area="T"
    )
    leader = PractitionerFactory(agency=club)
    caller = call_as(world.worker)
    body = facts_to_mapping(facts(immediate_danger=True))
    decision_in = decision_body(
        world, caller, body, recipient_agency_id=str(club.pk), is_urgent=True
    )
    outcome = evaluated(caller, {**body, "recipient": "not_entitled"})
    decision_in["outcome"] = outcome["recommendation"]
    decision_in["lawful_basis"] = outcome["lawful_basis"]
    response = caller.post(f"/api/cases/{world.case.pk}/decisions", decision_in)
    assert response.status_code == 201, response.content
    decision = response.json()
    assert decision["facts"]["recipient"] == "not_entitled"
    if decision["approval_required"]:
        approval = call_as(world.dsl).post(
            f"/api/decisions/{decision['id']}/approval", {"approved": True, "comment": "Agreed"}
        )
        assert approval.status_code == 201, approval.content
    share = {
        "decision_id": decision["id"],
        "recipient_id": str(leader.pk),
        "items": [{"item_id": str(world.item.pk)}],
    }
    before = writes()
    refused(caller.post("/api/disclosures", share), "urgent_reason")
    assert writes() == before
    share["urgent_reason"] = "The club leader is with the child now and must keep them there."
    response = caller.post("/api/disclosures", share)
    assert response.status_code == 201, response.content
    assert response.json()["outside_agreement_basis"] == "urgent"


def test_routine_sharing_outside_every_agreement_without_consent_is_refused(
    world: World, call_as: Caller
) -> None:
    recipient = PractitionerFactory(agency=world.other_agency)
    caller = call_as(world.worker)
    body = facts_to_mapping(
        facts(significant_harm_concern=False, statutory_duty_or_court_order=True)
    )
    decision = caller.post(
        f"/api/cases/{world.case.pk}/decisions", decision_body(world, caller, body)
    ).json()
    approval = call_as(world.dsl).post(
        f"/api/decisions/{decision['id']}/approval", {"approved": True, "comment": "Agreed"}
    )
    assert approval.status_code == 201, approval.content
    share = {
        "decision_id": decision["id"],
        "recipient_id": str(recipient.pk),
        "items": [{"item_id": str(world.item.pk)}],
    }
    before = writes()
    refused(caller.post("/api/disclosures", share), "recipient")
    assert writes() == before


# --- Approval: three working days, and any doubt about the recipient ----------------------


def test_a_share_without_consent_is_due_for_approval_within_three_working_days(
    world: World, call_as: Caller
) -> None:
    caller = call_as(world.worker)
    body = facts_to_mapping(
        facts(significant_harm_concern=False, statutory_duty_or_court_order=True)
    )
    response = caller.post(
        f"/api/cases/{world.case.pk}/decisions", decision_body(world, caller, body)
    )
    assert response.status_code == 201, response.content
    decision = response.json()
    assert decision["approval_required"] is True
    assert dt.datetime.fromisoformat(decision["approval_due_at"]) == add_working_days(NOW, 3)


@pytest.mark.parametrize("verified", ["not_sure", "no"])
def test_a_request_from_a_recipient_not_verified_needs_manager_approval(
    world: World, call_as: Caller, verified: str
) -> None:
    caller = call_as(world.worker)
    body = on_consent_facts(asked_by="other_agency", recipient_verified=verified)
    outcome = evaluated(caller, body)
    if verified == "no":
        # Not verified: do not share until verified (seed 003 §3.5); sharing anyway needs approval.
        assert outcome["recommendation"] == "verify_recipient"
    else:
        assert outcome["recommendation"] == "share"
        assert outcome["manager_approval"] is True
    consent = consent_for(world)
    response = caller.post(
        f"/api/cases/{world.case.pk}/decisions",
        decision_body(
            world,
            caller,
            body,
            consent_id=str(consent.pk),
            categories=["child"],
            outcome="share",
            lawful_basis={"article_6": "art6_1_a"},
            override_reason="Verified by calling the force switchboard back.",
        ),
    )
    assert response.status_code == 201, response.content
    assert response.json()["approval_required"] is True


def test_information_governance_sees_every_share_made_outside_an_agreement(
    world: World, call_as: Caller
) -> None:
    recipient = PractitionerFactory(agency=world.other_agency)
    caller = call_as(world.worker)
    decision = _recorded_on_consent(world, caller, consent_for(world))
    one_off = caller.post(
        "/api/disclosures",
        {
            "decision_id": decision["id"],
            "recipient_id": str(recipient.pk),
            "items": [{"item_id": str(world.item.pk)}],
        },
    ).json()
    under_agreement = issue(sharing(world))  # child protection, under ISA-D1
    assert under_agreement.agreement is not None
    governance = PractitionerFactory(agency=world.agency, roles=[Role.INFORMATION_GOVERNANCE])
    listed = call_as(governance).get("/api/disclosures/outside-agreement")
    assert listed.status_code == 200, listed.content
    assert [(d["id"], d["outside_agreement_basis"]) for d in listed.json()] == [
        (one_off["id"], "consent")
    ]
    # The other agency's staff see none of it.
    assert call_as(world.outsider).get("/api/disclosures/outside-agreement").json() == []
    page = verified_session(governance).get(reverse("web:disclosures-outside-agreement"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "One-off share with consent" in html
    assert "Testshire Constabulary" in html
    assert world.item.content not in html
