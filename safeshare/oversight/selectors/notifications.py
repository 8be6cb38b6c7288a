"""Notifications of access from outside the agency, derived from the ledger."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db.models import (
    BigIntegerField,
    F,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from safeshare.agencies.models import Practitioner
from safeshare.cases.models import Case
from safeshare.core import clock
from safeshare.ledger.models import LedgerEntry
from safeshare.oversight.labels import event_label, role_labels
from safeshare.oversight.models import NotificationMarker
from safeshare.oversight.selectors.common import (
    RECORD_READS,
    _agency_names,
    _codes,
    _practitioner_names,
)
from safeshare.people.models import Person

# ---------------------------------------------------------------------------------------------
# Notifications of access from outside the agency
# ---------------------------------------------------------------------------------------------


def notification_window_start() -> dt.datetime:
    return clock.now() - dt.timedelta(days=settings.SAFESHARE_NOTIFICATION_WINDOW_DAYS)


def outside_reads(
    *,
    cases: QuerySet[Case],
    people: QuerySet[Person],
    agency_id: uuid.UUID,
    since: dt.datetime,
) -> QuerySet[LedgerEntry]:
    """Reads since ``since``, by practitioners of an agency other than ``agency_id``, of ``people``
    or of ``cases`` about them (the records a practitioner is told about), newest first.

    Driven by the ledger's (person, time) index: the access layer names the child on every read
    of a case, so a read about one of ``cases`` always names one of ``people`` (the callers'
    scopes include each case's subject); a read naming another of the child's cases is left out.
    """
    return (
        # ``event_code + 0``: no database may drive this from the (event, time) index, which
        # holds every read of every record; the (person, time) index holds only these people's.
        LedgerEntry.objects.alias(code=F("event_code") + 0)
        .filter(
            subject_person_id__in=people.values("pk"),
            code__in=_codes(RECORD_READS),
            occurred_at__gte=since,
            actor_agency_id__isnull=False,
        )
        .filter(Q(subject_case_id__isnull=True) | Q(subject_case_id__in=cases.values("pk")))
        .exclude(actor_agency_id=agency_id)
        .order_by("-occurred_at", "-id")
    )


def _marker_of(practitioner: Practitioner) -> Coalesce:
    seen = NotificationMarker.objects.filter(practitioner=practitioner).values("seen_up_to")[:1]
    return Coalesce(Subquery(seen), Value(0), output_field=BigIntegerField())


def notification_marker(*, practitioner: Practitioner) -> int:
    """The ledger sequence number up to which ``practitioner`` has seen their notifications."""
    seen: int | None = (
        NotificationMarker.objects.filter(practitioner=practitioner)
        .values_list("seen_up_to", flat=True)
        .first()
    )
    return seen or 0


def notifications_unread_count(
    *, practitioner: Practitioner, cases: QuerySet[Case], people: QuerySet[Person]
) -> int:
    """How many notifications ``practitioner`` has not seen: one COUNT query (the marker is a
    subquery), driven by the ledger's subject and time indexes."""
    return (
        outside_reads(
            cases=cases,
            people=people,
            agency_id=practitioner.agency_id,
            since=notification_window_start(),
        )
        .filter(id__gt=_marker_of(practitioner))
        .order_by()
        .count()
    )


@dataclass(frozen=True)
class NotificationRow:
    entry: LedgerEntry
    is_new: bool
    event: str
    actor: str
    agency: str
    roles: tuple[str, ...]
    case: Case | None  # only a case the reader may be told about
    person: Person | None


def notification_rows(
    *,
    entries: Sequence[LedgerEntry],
    marker: int,
    cases: QuerySet[Case],
    people: QuerySet[Person],
) -> list[NotificationRow]:
    """Notifications in plain words with the child and case they are about: four queries."""
    case_ids = {e.subject_case_id for e in entries if e.subject_case_id}
    person_ids = {e.subject_person_id for e in entries if e.subject_person_id}
    shown_cases = {c.pk: c for c in cases.filter(pk__in=case_ids).select_related("subject")}
    shown_people = {p.pk: p for p in people.filter(pk__in=person_ids)}
    names = _practitioner_names(e.actor_id for e in entries)
    agencies = _agency_names(e.actor_agency_id for e in entries)
    rows = []
    for e in entries:
        case = shown_cases.get(e.subject_case_id) if e.subject_case_id else None
        person = shown_people.get(e.subject_person_id) if e.subject_person_id else None
        rows.append(
            NotificationRow(
                entry=e,
                is_new=e.id > marker,
                event=event_label(e.event_code),
                actor=names.get(e.actor_id, "Unknown practitioner") if e.actor_id else "",
                agency=agencies.get(e.actor_agency_id, "") if e.actor_agency_id else "",
                roles=role_labels(e.actor_roles),
                case=case,
                person=person if person is not None else (case.subject if case else None),
            )
        )
    return rows
