"""After sharing, through the API: the PDF export, telling the individual, corrections and
retractions with their acknowledgement, recalls on withdrawn consent until deletion is confirmed,
and received items in the recipient's own chronology. Each step in the ledger; anyone who may
not see a record gets the same 404."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from safeshare.agencies.models import Practitioner
from safeshare.core import clock
from safeshare.decisions.engine import ConsentState, Recipient
from safeshare.decisions.services import consent_withdraw_with_recall
from safeshare.disclosures.models import Disclosure, InformTask
from safeshare.disclosures.services import disclosure_revoke
from safeshare.ledger.events import Event
from tests.api.conftest import ApiCaller, ledger_count, not_found_body
from tests.conftest import World
from tests.decisions.helpers import facts, given_consent
from tests.disclosures.helpers import NOW, Sharing, approved_decision, issue, sharing
from tests.factories import AllocationFactory, PractitionerFactory

pytestmark = pytest.mark.django_db

Caller = Callable[[Practitioner], ApiCaller]


@pytest.fixture(autouse=True)
def frozen_clock() -> Iterator[None]:
    with clock.frozen(NOW):
        yield


@pytest.fixture
def s(world: World) -> Sharing:
    return sharing(world)


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.content
    return response.json()


def not_found(response: Any) -> None:
    assert response.status_code == 404, response.content
    assert response.json() == not_found_body()


# --- PDF -----------------------------------------------------------------------------------------


def test_recipient_downloads_the_pdf_and_the_export_is_ledgered(
    s: Sharing, call_as: Caller
) -> None:
    disclosure = issue(s)
    response = call_as(s.recipient).get(f"/api/disclosures/{disclosure.pk}/pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    assert response.content.startswith(b"%PDF-")
    assert ledger_count(Event.DISCLOSURE_PDF_EXPORTED, actor_id=s.recipient.pk) == 1


def test_nobody_but_the_recipient_downloads_the_pdf(s: Sharing, call_as: Caller) -> None:
    disclosure = issue(s)
    colleague_of_recipient = PractitionerFactory(agency=s.world.other_agency)
    for who in (s.world.worker, s.world.dsl, s.world.outsider, colleague_of_recipient):
        not_found(call_as(who).get(f"/api/disclosures/{disclosure.pk}/pdf"))
    assert ledger_count(Event.DISCLOSURE_PDF_EXPORTED) == 0


def test_recipient_cannot_download_the_pdf_after_revocation_or_expiry(
    s: Sharing, call_as: Caller
) -> None:
    revoked = issue(s)
    disclosure_revoke(actor=s.world.worker, disclosure=revoked, reason="Shared in error")
    expiring = issue(s)
    recipient = call_as(s.recipient)
    not_found(recipient.get(f"/api/disclosures/{revoked.pk}/pdf"))
    with clock.frozen(expiring.expires_at):
        not_found(call_as(s.recipient).get(f"/api/disclosures/{expiring.pk}/pdf"))
    assert ledger_count(Event.DISCLOSURE_PDF_EXPORTED) == 0


# --- Telling the individual ----------------------------------------------------------------------


def test_sharer_lists_and_completes_the_task_to_tell_the_individual(
    s: Sharing, call_as: Caller
) -> None:
    issue(s)
    task = InformTask.objects.get()
    worker = call_as(s.world.worker)
    (listed,) = ok(worker.get("/api/inform-tasks/due"))
    assert listed["id"] == str(task.pk)
    assert listed["done_at"] is None
    done = ok(
        worker.post(
            f"/api/inform-tasks/{task.pk}/completion", {"how_told": "Told the mother by phone"}
        )
    )
    assert done["done_at"] is not None
    assert done["done_by"]["id"] == str(s.world.worker.pk)
    assert ok(worker.get("/api/inform-tasks/due")) == []
    assert ledger_count(Event.INFORM_TASK_DONE) == 1
    again = worker.post(f"/api/inform-tasks/{task.pk}/completion", {"how_told": "Again"})
    assert again.status_code == 422


def test_other_agency_cannot_see_or_complete_the_task(s: Sharing, call_as: Caller) -> None:
    issue(s)
    task = InformTask.objects.get()
    for who in (s.world.outsider, s.recipient, s.world.colleague):
        assert ok(call_as(who).get("/api/inform-tasks/due")) == []
        not_found(
            call_as(who).post(f"/api/inform-tasks/{task.pk}/completion", {"how_told": "By post"})
        )
    assert ledger_count(Event.INFORM_TASK_DONE) == 0


# --- Corrections and retractions -----------------------------------------------------------------


def test_a_correction_reaches_the_recipient_who_acknowledges_it(
    s: Sharing, call_as: Caller
) -> None:
    disclosure = issue(s)
    worker = call_as(s.world.worker)
    recipient = call_as(s.recipient)
    correction = ok(
        worker.post(
            f"/api/items/{s.world.item.pk}/corrections",
            {"kind": "correction", "explanation": "It was Tuesday, not Monday"},
        ),
        201,
    )
    (notice_state,) = correction["notices"]
    assert notice_state["disclosure_id"] == str(disclosure.pk)
    assert notice_state["recipient"]["id"] == str(s.recipient.pk)
    assert notice_state["acknowledged_at"] is None
    (notice,) = ok(recipient.get("/api/correction-notices/awaiting-acknowledgement"))
    assert notice["correction"]["explanation"] == "It was Tuesday, not Monday"
    acknowledged = ok(recipient.post(f"/api/correction-notices/{notice['id']}/acknowledgement", {}))
    assert acknowledged["acknowledged_at"] is not None
    assert ok(recipient.get("/api/correction-notices/awaiting-acknowledgement")) == []
    followed = ok(worker.get(f"/api/item-corrections/{correction['id']}"))
    assert followed["notices"][0]["acknowledged_at"] is not None
    assert ledger_count(Event.ITEM_CORRECTION_ISSUED) == 1
    assert ledger_count(Event.CORRECTION_ACKNOWLEDGED, actor_id=s.recipient.pk) == 1


def test_the_sharer_cannot_acknowledge_for_the_recipient(s: Sharing, call_as: Caller) -> None:
    issue(s)
    correction = ok(
        call_as(s.world.worker).post(
            f"/api/items/{s.world.item.pk}/corrections",
            {"kind": "retraction", "explanation": "Wrong fake child"},
        ),
        201,
    )
    notice_id = correction["notices"][0]["id"]
    response = call_as(s.world.worker).post(
        f"/api/correction-notices/{notice_id}/acknowledgement", {}
    )
    assert response.status_code == 422
    assert ledger_count(Event.CORRECTION_ACKNOWLEDGED) == 0


def test_other_agencies_cannot_correct_an_item_or_follow_a_correction(
    s: Sharing, call_as: Caller
) -> None:
    issue(s)
    body = {"kind": "retraction", "explanation": "Wrong fake child"}
    for who in (s.world.outsider, s.recipient):
        not_found(call_as(who).post(f"/api/items/{s.world.item.pk}/corrections", body))
    correction = ok(
        call_as(s.world.worker).post(f"/api/items/{s.world.item.pk}/corrections", body), 201
    )
    for who in (s.world.outsider, s.recipient, s.world.colleague):
        not_found(call_as(who).get(f"/api/item-corrections/{correction['id']}"))
    assert ledger_count(Event.ITEM_CORRECTION_ISSUED) == 1


def test_recipient_no_longer_sees_a_correction_once_the_disclosure_expired(
    s: Sharing, call_as: Caller
) -> None:
    disclosure = issue(s)
    correction = ok(
        call_as(s.world.worker).post(
            f"/api/items/{s.world.item.pk}/corrections",
            {"kind": "correction", "explanation": "It was Tuesday"},
        ),
        201,
    )
    notice_id = correction["notices"][0]["id"]
    with clock.frozen(disclosure.expires_at + dt.timedelta(minutes=1)):
        recipient = call_as(s.recipient)
        assert ok(recipient.get("/api/correction-notices/awaiting-acknowledgement")) == []
        not_found(recipient.post(f"/api/correction-notices/{notice_id}/acknowledgement", {}))


# --- Recalls -------------------------------------------------------------------------------------


def shared_on_consent(world: World) -> tuple[Sharing, Any, Disclosure]:
    shared = sharing(world)
    consent = given_consent(world, world.other_agency)
    shared.decision = approved_decision(
        world,
        facts(
            consent=ConsentState.GIVEN,
            significant_harm_concern=False,
            recipient=Recipient.AGREEMENT,
        ),
        consent=consent,
    )
    disclosure = issue(shared)
    consent_withdraw_with_recall(actor=world.worker, consent=consent, note="Withdrawn by phone")
    return shared, consent, disclosure


def test_withdrawn_consent_recalls_until_the_recipient_confirms_deletion(
    world: World, call_as: Caller
) -> None:
    shared, consent, disclosure = shared_on_consent(world)
    worker = call_as(world.worker)
    recipient = call_as(shared.recipient)
    (sent,) = ok(worker.post(f"/api/consents/{consent.pk}/recalls", {}), 201)
    assert sent["disclosure_id"] == str(disclosure.pk)
    assert sent["is_outstanding"] is True
    assert [r["id"] for r in ok(worker.get("/api/recalls/outstanding"))] == [sent["id"]]
    assert [r["id"] for r in ok(recipient.get("/api/recalls/awaiting-my-deletion"))] == [sent["id"]]
    assert ok(worker.post(f"/api/consents/{consent.pk}/recalls", {}), 201) == []  # once only
    confirmed = ok(recipient.post(f"/api/recall-requests/{sent['id']}/deletion-confirmation", {}))
    assert confirmed["is_outstanding"] is False
    assert ok(worker.get("/api/recalls/outstanding")) == []
    assert ok(recipient.get("/api/recalls/awaiting-my-deletion")) == []
    assert ledger_count(Event.RECALL_REQUESTED) == 1
    assert ledger_count(Event.RECALL_DELETION_CONFIRMED, actor_id=shared.recipient.pk) == 1
    assert ledger_count(Event.RECALL_COMPLETED) == 1


def test_recipient_confirms_deletion_even_after_expiry(world: World, call_as: Caller) -> None:
    shared, consent, disclosure = shared_on_consent(world)
    (sent,) = ok(call_as(world.worker).post(f"/api/consents/{consent.pk}/recalls", {}), 201)
    with clock.frozen(disclosure.expires_at + dt.timedelta(days=1)):
        ok(
            call_as(shared.recipient).post(
                f"/api/recall-requests/{sent['id']}/deletion-confirmation", {}
            )
        )
    assert ledger_count(Event.RECALL_COMPLETED) == 1


def test_only_the_recipient_confirms_deletion_and_only_the_holder_recalls(
    world: World, call_as: Caller
) -> None:
    shared, consent, _ = shared_on_consent(world)
    not_found(call_as(world.outsider).post(f"/api/consents/{consent.pk}/recalls", {}))
    not_found(call_as(shared.recipient).post(f"/api/consents/{consent.pk}/recalls", {}))
    (sent,) = ok(call_as(world.worker).post(f"/api/consents/{consent.pk}/recalls", {}), 201)
    path = f"/api/recall-requests/{sent['id']}/deletion-confirmation"
    not_found(call_as(world.outsider).post(path, {}))
    not_found(call_as(world.colleague).post(path, {}))
    assert call_as(world.worker).post(path, {}).status_code == 422
    assert ok(call_as(world.outsider).get("/api/recalls/awaiting-my-deletion")) == []
    assert ledger_count(Event.RECALL_DELETION_CONFIRMED) == 0


# --- Chronology ----------------------------------------------------------------------------------


def test_recipient_adds_received_items_to_their_case_and_the_chronology_shows_the_source(
    s: Sharing, call_as: Caller
) -> None:
    disclosure = issue(s)
    AllocationFactory(case=s.world.other_case, practitioner=s.recipient)
    recipient = call_as(s.recipient)
    (link,) = ok(
        recipient.post(
            f"/api/disclosures/{disclosure.pk}/chronology",
            {"case_id": str(s.world.other_case.pk)},
        ),
        201,
    )
    assert link["item_number"] == 1
    assert link["case_id"] == str(s.world.other_case.pk)
    (entry,) = ok(recipient.get(f"/api/cases/{s.world.other_case.pk}/chronology"))
    assert entry["received"] is True
    assert entry["source_agency"] == s.world.agency.name
    assert entry["content"] == s.world.item.content
    assert entry["disclosure_id"] == str(disclosure.pk)
    assert ledger_count(Event.RECEIVED_ITEMS_ADDED_TO_CASE, actor_id=s.recipient.pk) == 1
    # Reading it again is a recorded read the sharing agency can see (their child, their case).
    assert ledger_count(Event.CHRONOLOGY_RECEIVED_VIEWED, subject_case_id=s.world.case.pk) == 1
    # Their colleagues on the case see it too (the DSL), until it is revoked.
    (seen,) = ok(call_as(s.world.outsider).get(f"/api/cases/{s.world.other_case.pk}/chronology"))
    assert seen["content"] == s.world.item.content
    disclosure_revoke(actor=s.world.worker, disclosure=disclosure, reason="Shared in error")
    (gone,) = ok(recipient.get(f"/api/cases/{s.world.other_case.pk}/chronology"))
    assert gone["available"] is False
    assert gone["content"] is None
    assert gone["summary"] is None
    assert gone["source"] is None
    assert "Revoked" in gone["unavailable_reason"]


def test_recipient_cannot_add_to_a_case_they_may_not_edit_nor_others_to_any(
    s: Sharing, call_as: Caller
) -> None:
    disclosure = issue(s)
    path = f"/api/disclosures/{disclosure.pk}/chronology"
    # Not allocated to their agency's case, and the sharer's case is not theirs.
    for case in (s.world.other_case, s.world.case):
        response = call_as(s.recipient).post(path, {"case_id": str(case.pk)})
        assert response.status_code == 404
        assert response.json()["field"] == "case_id"
    # The recipient's DSL may edit the case, but nothing was shared with them.
    not_found(call_as(s.world.outsider).post(path, {"case_id": str(s.world.other_case.pk)}))
    not_found(call_as(s.world.worker).get(f"/api/cases/{s.world.other_case.pk}/chronology"))
    assert ledger_count(Event.RECEIVED_ITEMS_ADDED_TO_CASE) == 0
