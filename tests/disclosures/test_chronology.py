"""Received items in the recipient's own chronology: linked (never copied) to one of their own
agency's cases, shown with the source agency, fact or opinion, date and category, in date order;
their words stop showing after expiry or revocation, and the entry says so."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import pytest

from safeshare.cases.models import Case, CaseStatus, InformationItem
from safeshare.core import clock
from safeshare.disclosures.chronology import case_chronology, same_child
from safeshare.disclosures.exceptions import AfterSharingInvalid, DisclosureTransitionInvalid
from safeshare.disclosures.models import Disclosure, ReceivedItemLink
from safeshare.disclosures.services import disclosure_revoke, received_items_add_to_case
from safeshare.ledger.events import Event
from safeshare.ledger.models import LedgerEntry
from tests.conftest import World
from tests.disclosures.helpers import NOW, ItemSelection, Sharing, issue, sharing
from tests.factories import CaseFactory, ItemFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_clock() -> Iterator[None]:
    with clock.frozen(NOW):
        yield


@pytest.fixture
def s(world: World) -> Sharing:
    return sharing(world)


def two_items(s: Sharing) -> Disclosure:
    opinion = ItemFactory(
        case=s.world.case,
        recorded_by=s.world.worker,
        fact_or_opinion="opinion",
        summary="Fake worry",
        content="The fake teacher thinks the child is withdrawn.",
        event_date=dt.date(2026, 9, 1),
    )
    return issue(s, items=[ItemSelection(item=s.world.item), ItemSelection(item=opinion)])


def test_recipient_adds_received_items_to_their_own_case_with_the_source_shown(
    s: Sharing,
) -> None:
    disclosure = two_items(s)
    own = ItemFactory(
        case=s.world.other_case, recorded_by=s.world.outsider, event_date=dt.date(2026, 10, 15)
    )
    items_before = InformationItem.objects.count()
    links = received_items_add_to_case(
        actor=s.recipient, disclosure=disclosure, case=s.world.other_case
    )
    assert len(links) == 2
    # Linked, never copied: no new information item anywhere, the sharer's case untouched.
    assert InformationItem.objects.count() == items_before
    assert (
        not InformationItem.objects.filter(case=s.world.case)
        .exclude(pk__in=[d.item_id for d in disclosure.items.all()])
        .exists()
    )
    chronology = case_chronology(case=s.world.other_case)
    # Newest event first, as everywhere; oldest first when asked, the same entries reversed.
    assert [e.event_date for e in chronology.entries] == sorted(
        (e.event_date for e in chronology.entries), reverse=True
    )
    oldest_first = case_chronology(case=s.world.other_case, oldest_first=True)
    assert oldest_first.entries == tuple(reversed(chronology.entries))
    assert oldest_first.oldest_first
    assert not chronology.oldest_first
    received = [e for e in chronology.entries if e.received]
    assert {e.source_agency for e in received} == {s.world.agency.name}
    assert {e.fact_or_opinion for e in received} == {"Fact", "Professional opinion"}
    assert all(e.available and e.content and e.category for e in received)
    assert [e.item_id for e in chronology.entries if not e.received] == [own.pk]
    assert chronology.shown_disclosures == (disclosure,)
    entry = LedgerEntry.objects.get(event_code=Event.RECEIVED_ITEMS_ADDED_TO_CASE)
    assert entry.subject_case_id == s.world.other_case.pk
    assert json.loads(entry.details)["items"] == [1, 2]


def test_recipient_adds_only_the_items_numbered_and_never_twice(s: Sharing) -> None:
    disclosure = two_items(s)
    (link,) = received_items_add_to_case(
        actor=s.recipient, disclosure=disclosure, case=s.world.other_case, item_numbers=[2]
    )
    assert link.disclosed_item.position == 1
    with pytest.raises(AfterSharingInvalid) as error:
        received_items_add_to_case(
            actor=s.recipient, disclosure=disclosure, case=s.world.other_case, item_numbers=[2]
        )
    assert error.value.field == "item_numbers"
    with pytest.raises(AfterSharingInvalid):
        received_items_add_to_case(
            actor=s.recipient, disclosure=disclosure, case=s.world.other_case, item_numbers=[3]
        )
    assert ReceivedItemLink.objects.count() == 1


def test_content_stops_showing_after_revocation_and_the_entry_says_so(s: Sharing) -> None:
    disclosure = issue(s)
    received_items_add_to_case(actor=s.recipient, disclosure=disclosure, case=s.world.other_case)
    disclosure_revoke(actor=s.world.worker, disclosure=disclosure, reason="Shared in error")
    (entry,) = case_chronology(case=s.world.other_case).entries
    assert entry.received
    assert not entry.available
    assert entry.summary is None
    assert entry.content is None
    assert entry.source is None
    assert "Revoked" in entry.unavailable_reason
    assert entry.source_agency == s.world.agency.name
    assert case_chronology(case=s.world.other_case).shown_disclosures == ()


def test_content_stops_showing_after_expiry_and_the_entry_says_so(s: Sharing) -> None:
    disclosure = issue(s)
    received_items_add_to_case(actor=s.recipient, disclosure=disclosure, case=s.world.other_case)
    with clock.frozen(disclosure.expires_at + dt.timedelta(seconds=1)):
        (entry,) = case_chronology(case=s.world.other_case).entries
        assert not entry.available
        assert entry.content is None
        assert "Expired" in entry.unavailable_reason
        with pytest.raises(DisclosureTransitionInvalid):
            received_items_add_to_case(
                actor=s.recipient, disclosure=disclosure, case=s.world.other_case
            )


def test_only_the_named_recipient_adds_and_only_to_an_open_case_of_their_own_agency(
    s: Sharing,
) -> None:
    disclosure = issue(s)
    closed = CaseFactory(agency=s.world.other_agency, status=CaseStatus.CLOSED)
    for actor, case in (
        (s.world.outsider, s.world.other_case),  # same agency, not the recipient
        (s.world.worker, s.world.case),  # the sharer
        (s.recipient, s.world.case),  # the sharer's case
        (s.recipient, closed),
    ):
        with pytest.raises(AfterSharingInvalid):
            received_items_add_to_case(actor=actor, disclosure=disclosure, case=case)
    assert not ReceivedItemLink.objects.exists()
    assert not LedgerEntry.objects.filter(event_code=Event.RECEIVED_ITEMS_ADDED_TO_CASE).exists()


# --- The same child on both sides ----------------------------------------------------------------


def _recipient_case(s: Sharing, **subject: Any) -> Case:
    return CaseFactory(
        agency=s.world.other_agency, subject=PersonFactory(agency=s.world.other_agency, **subject)
    )


def test_same_child_compares_nhs_numbers_when_both_records_hold_one(world: World) -> None:
    ours = PersonFactory(nhs_number="9434765919", family_name="Testington")
    assert same_child(ours, PersonFactory(nhs_number="9434765919", family_name="Fakeley"))
    assert not same_child(ours, PersonFactory(nhs_number="9434765870", family_name="Testington"))


def test_same_child_without_both_nhs_numbers_needs_date_of_birth_and_family_name(
    world: World,
) -> None:
    ours = PersonFactory(nhs_number="9434765919", family_name="Testington")
    assert same_child(ours, PersonFactory(family_name=" TESTINGTON "))
    assert not same_child(ours, PersonFactory(family_name="Fakeley"))
    assert not same_child(ours, PersonFactory(date_of_birth=dt.date(2019, 1, 2)))


def test_recipient_adds_to_a_case_about_the_same_child_held_under_its_own_record(
    s: Sharing,
) -> None:
    disclosure = issue(s)
    s.world.case.subject.nhs_number = "9434765919"
    s.world.case.subject.save()
    case = _recipient_case(s, nhs_number="9434765919", family_name="Fakeley-Testington")
    (link,) = received_items_add_to_case(actor=s.recipient, disclosure=disclosure, case=case)
    assert link.case == case


def test_recipient_cannot_add_to_a_case_about_a_different_child(s: Sharing) -> None:
    disclosure = issue(s)
    s.world.case.subject.nhs_number = "9434765919"
    s.world.case.subject.save()
    for subject in (
        {"nhs_number": "9434765870"},  # both hold an NHS number, and they differ
        {"family_name": "Fakeley"},  # no NHS number here: another family name
        {"date_of_birth": dt.date(2019, 1, 2)},  # or another date of birth
    ):
        with pytest.raises(AfterSharingInvalid) as error:
            received_items_add_to_case(
                actor=s.recipient, disclosure=disclosure, case=_recipient_case(s, **subject)
            )
        assert error.value.field == "case"
    assert not ReceivedItemLink.objects.exists()
    assert not LedgerEntry.objects.filter(event_code=Event.RECEIVED_ITEMS_ADDED_TO_CASE).exists()
