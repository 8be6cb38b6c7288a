"""After sharing: the task to tell the individual, corrections and retractions pushed to every
recipient, and recalls of what was shared on a consent since withdrawn."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator

import pytest

from safeshare.consent.models import ConsentRecall, RecallStatus
from safeshare.core import clock
from safeshare.decisions.engine import ConsentState, Recipient
from safeshare.decisions.services import consent_withdraw_with_recall
from safeshare.disclosures.exceptions import AfterSharingInvalid
from safeshare.disclosures.models import CorrectionNotice, InformTask, RecallRequest
from safeshare.disclosures.selectors import (
    correction_notices_awaiting,
    inform_tasks_due,
    recalls_outstanding,
)
from safeshare.disclosures.services import (
    consent_recalls_send,
    correction_notice_acknowledge,
    disclosure_revoke,
    inform_task_complete,
    item_correction_issue,
    recall_request_confirm_deletion,
)
from safeshare.ledger.events import Event
from safeshare.ledger.models import LedgerEntry
from tests.conftest import World
from tests.decisions.helpers import facts, given_consent
from tests.disclosures.helpers import NOW, Sharing, approved_decision, issue, sharing
from tests.factories import PractitionerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_clock() -> Iterator[None]:
    with clock.frozen(NOW):
        yield


@pytest.fixture
def s(world: World) -> Sharing:
    return sharing(world)


def test_sharing_creates_one_task_to_tell_the_individual_due_in_five_working_days(
    s: Sharing,
) -> None:
    issue(s)
    issue(s)  # a second disclosure under the same decision: still one task
    task = InformTask.objects.get()
    assert task.decision == s.decision
    assert task.assigned_to == s.world.worker
    # Friday 20 November 2026 + 5 working days = Friday 27 November.
    assert task.due_at == dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC)
    assert list(inform_tasks_due(tasks=InformTask.objects.all(), agency=s.world.agency)) == [task]
    done = inform_task_complete(
        actor=s.world.worker, task=task, how_told="Told the mother by phone on 20 November"
    )
    assert done.is_done
    assert not inform_tasks_due(tasks=InformTask.objects.all(), agency=s.world.agency).exists()
    assert LedgerEntry.objects.filter(event_code=Event.INFORM_TASK_DONE).count() == 1


def test_no_task_when_the_decision_records_why_the_individual_is_not_told(world: World) -> None:
    s = sharing(world)
    s.decision = approved_decision(
        world, individual_not_told_reason="Telling the father would put the child at risk"
    )
    issue(s)
    assert not InformTask.objects.exists()


def test_only_the_sharing_agency_records_telling_and_with_how(s: Sharing) -> None:
    issue(s)
    task = InformTask.objects.get()
    with pytest.raises(AfterSharingInvalid):
        inform_task_complete(actor=s.world.outsider, task=task, how_told="By letter")
    with pytest.raises(AfterSharingInvalid):
        inform_task_complete(actor=s.world.worker, task=task, how_told=" ")
    task.refresh_from_db()
    assert not task.is_done


def test_a_correction_reaches_every_recipient_of_the_item_and_is_acknowledged(
    s: Sharing,
) -> None:
    first = issue(s)
    second_recipient = PractitionerFactory(agency=s.world.other_agency)
    second = issue(s, recipient=second_recipient)
    revoked = issue(s)
    disclosure_revoke(actor=s.world.worker, disclosure=revoked, reason="Sent twice")
    correction = item_correction_issue(
        actor=s.world.worker,
        item=s.world.item,
        kind="correction",
        explanation="It was Tuesday, not Monday.",
    )
    notices = {n.disclosure_id: n for n in correction.notices.all()}
    assert set(notices) == {first.pk, second.pk}
    awaiting = correction_notices_awaiting(
        notices=CorrectionNotice.objects.all(), recipient=second_recipient
    )
    assert list(awaiting) == [notices[second.pk]]
    with pytest.raises(AfterSharingInvalid):
        correction_notice_acknowledge(actor=s.recipient, notice=notices[second.pk])
    correction_notice_acknowledge(actor=second_recipient, notice=notices[second.pk])
    assert not awaiting.all().exists()
    with pytest.raises(AfterSharingInvalid):
        correction_notice_acknowledge(actor=second_recipient, notice=notices[second.pk])


def test_no_correction_notice_for_a_disclosure_that_has_expired(s: Sharing) -> None:
    live = issue(s)
    expired = issue(s, expires_at=NOW + dt.timedelta(days=1))
    with clock.advanced(dt.timedelta(days=1)):
        correction = item_correction_issue(
            actor=s.world.worker,
            item=s.world.item,
            kind="retraction",
            explanation="Recorded against the wrong child.",
        )
    assert [n.disclosure_id for n in correction.notices.all()] == [live.pk]
    assert expired.pk not in {n.disclosure_id for n in CorrectionNotice.objects.all()}
    entry = LedgerEntry.objects.get(event_code=Event.ITEM_CORRECTION_ISSUED)
    assert json.loads(entry.details)["disclosures"] == [str(live.pk)]


def test_only_the_holding_agency_corrects_and_with_an_explanation(s: Sharing) -> None:
    issue(s)
    for actor, kind, explanation in (
        (s.world.outsider, "retraction", "Wrong child"),
        (s.world.worker, "rewrite", "Wrong child"),
        (s.world.worker, "retraction", "  "),
    ):
        with pytest.raises(AfterSharingInvalid):
            item_correction_issue(
                actor=actor, item=s.world.item, kind=kind, explanation=explanation
            )
    assert not CorrectionNotice.objects.exists()


def test_withdrawn_consent_recalls_what_was_shared_until_every_recipient_deletes(
    world: World,
) -> None:
    s = sharing(world)
    consent = given_consent(world, world.other_agency)
    s.decision = approved_decision(
        world,
        facts(
            consent=ConsentState.GIVEN,
            significant_harm_concern=False,
            recipient=Recipient.AGREEMENT,
        ),
        consent=consent,
    )
    first = issue(s)
    other_recipient = PractitionerFactory(agency=world.other_agency)
    second = issue(s, recipient=other_recipient)
    consent_withdraw_with_recall(actor=world.worker, consent=consent, note="Mother withdrew")
    requests = consent_recalls_send(actor=world.worker, consent=consent)
    assert {r.disclosure_id for r in requests} == {first.pk, second.pk}
    assert consent_recalls_send(actor=world.worker, consent=consent) == []  # sent once
    recall = ConsentRecall.objects.get(consent=consent)
    outstanding = recalls_outstanding(requests=RecallRequest.objects.all(), agency=world.agency)
    assert outstanding.count() == 2
    by_recipient = {r.disclosure.recipient_id: r for r in requests}
    with pytest.raises(AfterSharingInvalid):
        recall_request_confirm_deletion(
            actor=s.recipient, recall_request=by_recipient[other_recipient.pk]
        )
    recall_request_confirm_deletion(actor=s.recipient, recall_request=by_recipient[s.recipient.pk])
    recall.refresh_from_db()
    assert recall.status == RecallStatus.OPEN
    recall_request_confirm_deletion(
        actor=other_recipient, recall_request=by_recipient[other_recipient.pk]
    )
    recall.refresh_from_db()
    assert recall.status == RecallStatus.COMPLETE
    assert recall.completed_at == NOW
    assert not outstanding.exists()
    assert LedgerEntry.objects.filter(event_code=Event.RECALL_COMPLETED).count() == 1


def test_a_recall_with_nothing_disclosed_is_complete_at_once(world: World) -> None:
    sharing(world)
    consent = given_consent(world, world.other_agency)
    approved_decision(
        world,
        facts(
            consent=ConsentState.GIVEN,
            significant_harm_concern=False,
            recipient=Recipient.AGREEMENT,
        ),
        consent=consent,
    )
    consent_withdraw_with_recall(actor=world.worker, consent=consent, note="Mother withdrew")
    assert consent_recalls_send(actor=world.worker, consent=consent) == []
    assert ConsentRecall.objects.get(consent=consent).status == RecallStatus.COMPLETE
    with pytest.raises(AfterSharingInvalid):
        consent_recalls_send(actor=world.outsider, consent=consent)
