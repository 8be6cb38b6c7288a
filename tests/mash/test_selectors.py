"""MASH selectors: the queue filters, enquiries against their clock, the dashboard figures."""

from __future__ import annotations

import datetime as dt

import pytest

from safeshare.access.scopes import mash_contacts_visible_to, mash_enquiries_visible_to
from safeshare.core import clock
from safeshare.mash.selectors import contact_list, contact_timescales, dashboard, enquiry_rows
from safeshare.mash.services import contact_decide, contact_rate, enquiries_send
from safeshare.mash.timescales import TimescaleState
from tests.mash.helpers import NOW, MashWorld, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def queue(mash: MashWorld) -> dict[str, object]:
    """At NOW: a new contact received 3 hours ago (rating overdue), a new one just received,
    an amber one awaiting decision, a decided one; an enquiry sent 30 hours ago to the police."""
    with clock.frozen(NOW - dt.timedelta(hours=30)):
        asked = record(mash, received_at=clock.now())
        enquiries_send(
            actor=mash.officer,
            contact=asked,
            partner_agencies=[mash.police],
            information_sought="History",
            justification="Triage",
        )
        contact_rate(actor=mash.officer, contact=asked, rating="amber", reasons="History")
    with clock.frozen(NOW - dt.timedelta(hours=3)):
        late = record(mash, received_at=clock.now())
    with clock.frozen(NOW - dt.timedelta(minutes=10)):
        fresh = record(mash, received_at=clock.now())
        decided = record(mash, received_at=clock.now())
        contact_rate(actor=mash.officer, contact=decided, rating="green", reasons="Low")
        contact_decide(actor=mash.officer, contact=decided, outcome="early_help", reasons="x")
    return {"asked": asked, "late": late, "fresh": fresh, "decided": decided}


def test_overdue_filter_finds_late_rating_and_late_decision(
    mash: MashWorld, queue: dict[str, object]
) -> None:
    contacts = mash_contacts_visible_to(mash.officer)
    overdue = set(contact_list(contacts=contacts, now=NOW, overdue=True))
    assert overdue == {queue["late"], queue["asked"]}


def test_filters_by_status_and_rating(mash: MashWorld, queue: dict[str, object]) -> None:
    contacts = mash_contacts_visible_to(mash.officer)
    assert list(contact_list(contacts=contacts, now=NOW, status="decided")) == [queue["decided"]]
    assert list(contact_list(contacts=contacts, now=NOW, rating="amber")) == [queue["asked"]]
    assert set(contact_list(contacts=contacts, now=NOW, rating="none")) == {
        queue["late"],
        queue["fresh"],
    }


def test_enquiry_rows_show_an_unanswered_enquiry_past_24_hours_as_overdue(
    queue: dict[str, object],
) -> None:
    (row,) = enquiry_rows(contact=queue["asked"], now=NOW)  # type: ignore[arg-type]
    assert row.state == TimescaleState.OVERDUE
    assert row.is_overdue


def test_contact_timescales(queue: dict[str, object]) -> None:
    rating, decision = contact_timescales(contact=queue["late"], now=NOW)  # type: ignore[arg-type]
    assert rating.state == TimescaleState.OVERDUE
    assert decision.state == TimescaleState.ON_TIME


def test_dashboard_counts_by_stage_rating_and_overdue_enquiries(
    mash: MashWorld, queue: dict[str, object]
) -> None:
    figures = dashboard(
        contacts=mash_contacts_visible_to(mash.manager),
        enquiries=mash_enquiries_visible_to(mash.manager),
        now=NOW,
    )
    stages = {stage.status: (stage.on_time, stage.overdue) for stage in figures.stages}
    assert stages == {"new": (1, 1), "gathering": (0, 1), "awaiting_decision": (0, 0)}
    assert figures.open_total == 3
    assert figures.overdue_total == 2
    assert {value: count for value, _, count in figures.ratings} == {
        "red": 0,
        "amber": 1,
        "green": 0,
        "none": 2,
    }
    assert [(row.agency, row.overdue) for row in figures.overdue_enquiries] == [
        (mash.police.name, 1)
    ]
    assert figures.decided_today == 1


def test_dashboard_of_another_agency_counts_nothing(
    mash: MashWorld, queue: dict[str, object]
) -> None:
    figures = dashboard(
        contacts=mash_contacts_visible_to(mash.police_mash),
        enquiries=mash_enquiries_visible_to(mash.police_mash),
        now=NOW,
    )
    assert figures.open_total == 0
    assert figures.overdue_enquiries == []


def test_open_contacts_come_first_most_urgent_first(
    mash: MashWorld, queue: dict[str, object]
) -> None:
    ordered = list(contact_list(contacts=mash_contacts_visible_to(mash.officer), now=NOW))
    assert ordered[-1] == queue["decided"]
    assert ordered[0] == queue["asked"]  # its decision was due first
