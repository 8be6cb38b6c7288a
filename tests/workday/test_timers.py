"""The timers raise work notices by themselves, once each, to the people who must act, and
e-mail them without naming anyone; practitioners choose which kinds they are e-mailed, except
immediate-risk requests and escalated approvals (issue 14, part 2)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.core import mail

from safeshare.core import clock
from safeshare.core.exceptions import ValidationFailed
from safeshare.disclosures.models import Urgency
from safeshare.disclosures.services import request_create
from safeshare.ledger.events import Event
from safeshare.ledger.models import LedgerEntry
from safeshare.workday import services
from safeshare.workday.models import EmailPreference, NoticeKind, WorkNotice
from safeshare.workday.tasks import email_task
from tests.conftest import World
from tests.decisions.helpers import record
from tests.factories import PractitionerFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)  # a Monday
NHS = "9990000018"  # a fake number in the 999 range, with a valid check digit


@pytest.fixture(autouse=True)
def frozen_clock() -> Iterator[None]:
    with clock.frozen(NOW):
        yield


def ask(world: World, urgency: str) -> object:
    """A request from the other agency about the world's child (routed to its case holder)."""
    officer = PractitionerFactory(agency=world.other_agency, email="officer@police.example")
    child = world.case.subject
    if not child.nhs_number:
        child.nhs_number = NHS
        child.save()
    return request_create(
        actor=officer,
        receiving_agency=world.agency,
        kind="request",
        purpose="child_protection",
        urgency=urgency,
        information_sought="Any concerns recorded this year",
        justification="Strategy discussion today",
        nhs_number=child.nhs_number,
    )


def notices() -> set[tuple[object, str]]:
    return set(WorkNotice.objects.values_list("recipient_id", "kind"))


def test_an_immediate_risk_request_is_notified_at_once_to_whoever_must_answer_it_once(
    world: World,
) -> None:
    request = ask(world, Urgency.IMMEDIATE_RISK)
    acting = request.assigned_to_id  # type: ignore[attr-defined]
    assert acting is not None
    assert services.sweep() == 1
    assert notices() == {(acting, NoticeKind.URGENT_REQUEST)}
    # A timer that runs every minute raises it once.
    with clock.frozen(NOW + dt.timedelta(minutes=1)):
        assert services.sweep() == 0
    assert LedgerEntry.objects.filter(event_code=int(Event.WORK_NOTICE_RAISED)).count() == 1


def test_a_routine_request_is_notified_only_when_due_soon_and_again_when_overdue(
    world: World,
) -> None:
    request = ask(world, Urgency.ROUTINE)
    due = request.due_at  # type: ignore[attr-defined]
    assert services.sweep() == 0
    with clock.frozen(due - dt.timedelta(hours=23)):
        assert services.sweep() == 1
    with clock.frozen(due + dt.timedelta(minutes=1)):
        assert services.sweep() == 1
    assert {kind for _, kind in notices()} == {NoticeKind.REQUEST_DUE, NoticeKind.REQUEST_OVERDUE}


def test_an_unassigned_request_goes_to_the_agencys_dsls_and_never_to_another_agency(
    world: World,
) -> None:
    request = ask(world, Urgency.IMMEDIATE_RISK)
    request.assigned_to = None  # type: ignore[attr-defined]
    request.save(update_fields=["assigned_to"])  # type: ignore[attr-defined]
    services.sweep()
    assert notices() == {(world.dsl.pk, NoticeKind.URGENT_REQUEST)}


def test_an_overdue_urgent_approval_is_escalated_to_every_manager_but_the_decider(
    world: World,
) -> None:
    decision = record(world, is_urgent=True)
    other_manager = PractitionerFactory(agency=world.agency, roles=["dsl"])
    assert decision.approval_due_at is not None
    assert services.sweep() == 0
    with clock.frozen(decision.approval_due_at + dt.timedelta(minutes=1)):
        services.sweep()
    assert notices() == {
        (world.dsl.pk, NoticeKind.APPROVAL_ESCALATED),
        (other_manager.pk, NoticeKind.APPROVAL_ESCALATED),
    }


def test_a_notice_is_emailed_without_naming_anyone_and_recorded(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    world.dsl.email = "dsl@council.example"
    world.dsl.save(update_fields=["email"])
    request = ask(world, Urgency.IMMEDIATE_RISK)
    request.assigned_to = None  # type: ignore[attr-defined]
    request.save(update_fields=["assigned_to"])  # type: ignore[attr-defined]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):  # e-mails go once the sweep commits
        services.sweep(enqueue_email=email_task)
    (message,) = mail.outbox
    assert message.to == ["dsl@council.example"]
    assert "immediate-risk request" in message.subject
    assert f"/requests/{request.pk}/" in message.body  # type: ignore[attr-defined]
    child = world.case.subject
    for secret in (child.given_name, child.family_name, child.nhs_number, "Strategy"):
        assert secret
        assert secret not in message.subject + message.body
    assert WorkNotice.objects.get().emailed_at is not None
    assert LedgerEntry.objects.filter(event_code=int(Event.WORK_NOTICE_EMAILED)).count() == 1


def test_practitioners_choose_what_is_emailed_but_not_immediate_risk(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    world.worker.email = "worker@council.example"
    world.worker.save(update_fields=["email"])
    chosen = services.email_preferences_set(actor=world.worker, emailed=[])
    assert chosen == sorted([NoticeKind.URGENT_REQUEST, NoticeKind.APPROVAL_ESCALATED])
    with pytest.raises(ValidationFailed) as refused:
        services.email_preferences_set(actor=world.worker, emailed=["everything"])
    assert refused.value.field == "emailed"
    assert EmailPreference.objects.filter(emailed=False).count() == len(NoticeKind) - 2
    request = ask(world, Urgency.ROUTINE)
    assert request.assigned_to_id == world.worker.pk  # type: ignore[attr-defined]
    mail.outbox.clear()
    with (
        clock.frozen(request.due_at - dt.timedelta(hours=1)),  # type: ignore[attr-defined]
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.sweep(enqueue_email=email_task)
    assert mail.outbox == []  # switched off: in SafeShare only
    urgent = ask(world, Urgency.IMMEDIATE_RISK)
    assert urgent.assigned_to_id == world.worker.pk  # type: ignore[attr-defined]
    with django_capture_on_commit_callbacks(execute=True):
        services.sweep(enqueue_email=email_task)
    assert [m.to for m in mail.outbox] == [["worker@council.example"]]


def test_opening_the_inbox_marks_notices_seen(world: World) -> None:
    ask(world, Urgency.IMMEDIATE_RISK)
    services.sweep()
    notice = WorkNotice.objects.get()
    recipient = notice.recipient
    assert services.notices_mark_seen(actor=recipient) == 1
    assert services.notices_mark_seen(actor=recipient) == 0
    notice.refresh_from_db()
    assert notice.seen_at == NOW


def test_many_notices_at_once_are_looked_up_in_chunks_and_raised_once(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A sweep after a large import finds thousands due at once: the look-up of what was raised
    before runs in chunks (SQLite limits bound parameters) and still raises each notice once."""
    monkeypatch.setattr(services, "KEYS_PER_QUERY", 2)
    due = [
        services.Due(world.worker.pk, NoticeKind.REQUEST_DUE, f"request:{n}:due", "/work/")
        for n in range(5)
    ]
    assert len(services.notices_raise(due=due[:3], now=clock.now())) == 3
    assert len(services.notices_raise(due=due, now=clock.now())) == 2
    assert WorkNotice.objects.filter(recipient=world.worker).count() == 5
