"""Oversight writes: marking notifications seen and recording reviews of flagged access."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator

import pytest

from safeshare.agencies.models import Practitioner, Role
from safeshare.core import clock
from safeshare.ledger.events import Event
from safeshare.ledger.models import LedgerEntry
from safeshare.ledger.selectors import ledger_last_id
from safeshare.oversight.exceptions import (
    AlreadyReviewed,
    NotificationsInvalid,
    ReadNotFlagged,
    ReviewInvalid,
)
from safeshare.oversight.models import AccessReview, ReviewIsImmutable
from safeshare.oversight.services import access_review_record, notifications_mark_seen
from tests.conftest import World
from tests.factories import PractitionerFactory
from tests.oversight.helpers import AT_WORK, allocations_since_2020, open_case

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def at_work(world: World) -> Iterator[dt.datetime]:
    allocations_since_2020(world)
    with clock.frozen(AT_WORK):
        yield AT_WORK


def _ig(world: World, agency: object = None) -> Practitioner:
    return PractitionerFactory(agency=agency or world.agency, roles=[Role.INFORMATION_GOVERNANCE])


def _details(entry: LedgerEntry) -> dict[str, object]:
    loaded: dict[str, object] = json.loads(entry.details)
    return loaded


# --- notifications_mark_seen ---------------------------------------------------------------------


def test_worker_marks_notifications_seen_and_it_is_recorded(world: World) -> None:
    seen = open_case(world.outsider, world.case)
    marker = notifications_mark_seen(actor=world.worker, up_to=seen.id)
    assert marker.seen_up_to == seen.id
    entry = LedgerEntry.objects.get(event_code=Event.NOTIFICATIONS_SEEN)
    assert entry.actor_id == world.worker.pk
    assert _details(entry)["up_to"] == seen.id


def test_the_marker_never_moves_back(world: World) -> None:
    first = open_case(world.outsider, world.case)
    second = open_case(world.outsider, world.case)
    notifications_mark_seen(actor=world.worker, up_to=second.id)
    marker = notifications_mark_seen(actor=world.worker, up_to=first.id)
    assert marker.seen_up_to == second.id


@pytest.mark.parametrize("offset", [-10_000_000, 1])
def test_marking_notifications_that_do_not_exist_is_refused(world: World, offset: int) -> None:
    before = LedgerEntry.objects.count()
    with pytest.raises(NotificationsInvalid) as error:
        notifications_mark_seen(actor=world.worker, up_to=ledger_last_id() + offset)
    assert error.value.field == "up_to"
    assert LedgerEntry.objects.count() == before


# --- access_review_record ------------------------------------------------------------------------


def test_information_governance_records_a_review_with_an_encrypted_note(world: World) -> None:
    ig = _ig(world)
    flagged = open_case(world.dsl, world.case)  # no allocation: break glass
    note = "Fakeshire DSL covering a colleague's leave; confirmed with the team manager"
    review = access_review_record(actor=ig, entry=flagged, outcome="appropriate", note=note)
    assert review.reasons == ["no_allocation"]
    assert review.agency_id == world.agency.pk
    stored = AccessReview.objects.values_list("note", flat=True).get(pk=review.pk)  # sealed
    assert note not in stored
    assert AccessReview.objects.get(pk=review.pk).note == note
    entry = LedgerEntry.objects.get(event_code=Event.ACCESS_REVIEW_RECORDED)
    assert (entry.subject_case_id, entry.subject_person_id) == (
        world.case.pk,
        world.case.subject_id,
    )
    assert _details(entry) == {
        "entry": str(flagged.entry_id),
        "outcome": "appropriate",
        "reasons": ["no_allocation"],
        "with_note": True,
    }
    assert note not in entry.details


def test_a_concern_needs_a_note(world: World) -> None:
    flagged = open_case(world.dsl, world.case)
    with pytest.raises(ReviewInvalid) as error:
        access_review_record(actor=_ig(world), entry=flagged, outcome="concern", note="  ")
    assert error.value.field == "note"
    assert not AccessReview.objects.exists()


def test_an_unknown_outcome_is_refused(world: World) -> None:
    flagged = open_case(world.dsl, world.case)
    with pytest.raises(ReviewInvalid) as error:
        access_review_record(actor=_ig(world), entry=flagged, outcome="fine")
    assert error.value.field == "outcome"


def test_a_read_no_rule_flags_cannot_be_reviewed(world: World) -> None:
    usual = open_case(world.worker, world.case)
    before = LedgerEntry.objects.count()
    with pytest.raises(ReadNotFlagged):
        access_review_record(actor=_ig(world), entry=usual, outcome="appropriate")
    assert LedgerEntry.objects.count() == before


def test_an_agency_reviews_a_read_once(world: World) -> None:
    flagged = open_case(world.dsl, world.case)
    access_review_record(actor=_ig(world), entry=flagged, outcome="appropriate")
    with pytest.raises(AlreadyReviewed):
        access_review_record(actor=_ig(world), entry=flagged, outcome="follow_up", note="Ask")


def test_both_agencies_may_review_an_outside_read(world: World) -> None:
    flagged = open_case(world.outsider, world.case)
    ours = access_review_record(actor=_ig(world), entry=flagged, outcome="appropriate")
    theirs = access_review_record(
        actor=_ig(world, world.other_agency), entry=flagged, outcome="follow_up", note="Ask why"
    )
    assert {ours.agency_id, theirs.agency_id} == {world.agency.pk, world.other_agency.pk}


def test_a_recorded_review_cannot_be_changed_or_deleted(world: World) -> None:
    review = access_review_record(
        actor=_ig(world), entry=open_case(world.dsl, world.case), outcome="appropriate"
    )
    review.outcome = "concern"
    with pytest.raises(ReviewIsImmutable):
        review.save()
    with pytest.raises(ReviewIsImmutable):
        review.delete()
