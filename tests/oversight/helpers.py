"""Helpers for oversight tests: ledger reads at a chosen moment, and a clock at work."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db import transaction

from safeshare.agencies.models import Practitioner
from safeshare.cases.models import Case, CaseAllocation
from safeshare.core import clock
from safeshare.ledger.events import Event
from safeshare.ledger.models import LedgerEntry
from safeshare.ledger.services import Subject, ledger_append
from safeshare.people.models import Person
from tests.conftest import World

UTC = dt.UTC
# Wednesday 18 November 2026, 10:00 in the UK (GMT): a working day, in working hours.
AT_WORK = dt.datetime(2026, 11, 18, 10, 0, tzinfo=UTC)
# The same Wednesday at 22:30 UK time: out of hours.
LATE = dt.datetime(2026, 11, 18, 22, 30, tzinfo=UTC)


def read(
    event: Event,
    actor: Practitioner,
    *,
    case: Case | None = None,
    person: Person | None = None,
    at: dt.datetime | None = None,
) -> LedgerEntry:
    """Append a read as the access layer does: the child and case when it is a case."""
    subject_person = person if person is not None else case.subject if case is not None else None
    with clock.frozen(at or clock.now()), transaction.atomic():
        return ledger_append(
            event=event,
            actor=actor,
            subject=Subject(
                person_id=subject_person.pk if subject_person else None,
                case_id=case.pk if case else None,
            ),
            obj=case or person,
        )


def open_case(actor: Practitioner, case: Case, at: dt.datetime | None = None) -> LedgerEntry:
    return read(Event.CASE_VIEWED, actor, case=case, at=at)


def allocations_since_2020(world: World) -> None:
    """The world's allocations started long before any read in these tests."""
    CaseAllocation.objects.filter(case__agency=world.agency).update(started_on=dt.date(2020, 1, 1))


def frozen_at_work() -> Iterator[dt.datetime]:
    with clock.frozen(AT_WORK):
        yield AT_WORK
