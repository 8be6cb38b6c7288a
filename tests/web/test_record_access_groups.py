""" "Who has seen this record", grouped: one row per person, day and kind of access (who, their
agency, the day, the kind, how many times, the first and last time); a group's number opens
its own entries; a GET form narrows by days, agency, person and kind, with the GOV.UK error
summary for bad dates; every look at the page stays a recorded read. Many reads across days
and people."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from html import unescape

import pytest
from django.urls import reverse

from safeshare.agencies.models import Practitioner, Role
from safeshare.core import clock
from safeshare.ledger.events import Event
from safeshare.ledger.models import LedgerEntry
from safeshare.web.views import oversight as oversight_views
from tests.conftest import World
from tests.factories import PractitionerFactory
from tests.oversight.helpers import UTC, allocations_since_2020, open_case, read
from tests.web.conftest import SignIn

pytestmark = pytest.mark.django_db

MONDAY = dt.datetime(2026, 11, 16, 9, 0, tzinfo=UTC)  # GMT: UK time is UTC
TUESDAY = MONDAY + dt.timedelta(days=1)
LATER = dt.datetime(2026, 11, 18, 10, 0, tzinfo=UTC)  # when the pages are looked at


@pytest.fixture(autouse=True)
def later(world: World) -> Iterator[None]:
    allocations_since_2020(world)
    with clock.frozen(LATER):
        yield


@pytest.fixture
def busy(world: World) -> World:
    """Monday: the worker opens the case 40 times, the outsider 3 times; Tuesday: the worker
    25 times and finds it in a list twice."""
    for n in range(40):
        open_case(world.worker, world.case, at=MONDAY + dt.timedelta(minutes=n))
    for n in range(3):
        open_case(world.outsider, world.case, at=MONDAY + dt.timedelta(hours=2, minutes=n))
    for n in range(25):
        open_case(world.worker, world.case, at=TUESDAY + dt.timedelta(minutes=n))
    for n in range(2):
        read(
            Event.CASE_LISTED,
            world.worker,
            case=world.case,
            at=TUESDAY + dt.timedelta(hours=3, minutes=n),
        )
    return world


def url_of(world: World) -> str:
    return reverse("web:case-record-access", kwargs={"case_id": world.case.pk})


def html_of(response: object) -> str:
    return response.content.decode()  # type: ignore[attr-defined, no-any-return]


def visits(world: World, actor: Practitioner) -> int:
    return LedgerEntry.objects.filter(
        event_code=Event.RECORD_ACCESS_VIEWED, actor_id=actor.pk, subject_case_id=world.case.pk
    ).count()


def test_dsl_sees_one_row_per_person_day_and_kind_with_the_count_and_times(
    busy: World, sign_in: SignIn
) -> None:
    response = sign_in(busy.dsl).get(url_of(busy))
    assert response.status_code == 200
    groups = response.context["groups"]
    opened = [(g.actor, g.day, g.times) for g in groups if g.event == "Opened the case"]
    assert opened == [
        (busy.worker.full_name, TUESDAY.date(), 25),
        (busy.outsider.full_name, MONDAY.date(), 3),
        (busy.worker.full_name, MONDAY.date(), 40),
    ]
    # This very visit is a group of its own, seen last.
    assert (groups[0].actor, groups[0].event) == (
        busy.dsl.full_name,
        "Looked at who has seen this record",
    )
    html = html_of(response)
    assert "9am</time> to <time" in html  # Monday's 40: 9am to 9:39am, GOV.UK style
    assert "9:39am</time>" in html
    assert busy.other_agency.name in html
    assert "Outside your agency" in html
    assert "groups by person, day and kind of access" in html
    assert 'class="app-table-container" role="region"' in html
    assert visits(busy, busy.dsl) == 1


def test_a_groups_number_opens_its_own_entries_and_the_visit_is_recorded(
    busy: World, sign_in: SignIn
) -> None:
    client = sign_in(busy.dsl)
    page = client.get(url_of(busy))
    (monday,) = [
        g
        for g in page.context["groups"]
        if g.actor == busy.worker.full_name and g.day == MONDAY.date()
    ]
    links = re.findall(r'href="(\?[^"]*view=each[^"]*)"', html_of(page))
    (link,) = [
        unescape(href)
        for href in links
        if f"person={busy.worker.pk}" in unescape(href)
        and f"date_from={MONDAY.date():%Y-%m-%d}" in unescape(href)
    ]
    expanded = client.get(url_of(busy) + link)
    assert expanded.status_code == 200
    assert expanded.context["grouped"] is False
    rows = expanded.context["rows"]
    assert len(rows) == monday.times == 40
    assert {r.actor for r in rows} == {busy.worker.full_name}
    assert {r.event for r in rows} == {"Opened the case"}
    assert rows[0].entry.occurred_at == MONDAY + dt.timedelta(minutes=39)  # newest first
    assert "Roles at the time" in html_of(expanded)
    assert visits(busy, busy.dsl) == 2


def test_the_filters_narrow_by_days_agency_person_and_kind(busy: World, sign_in: SignIn) -> None:
    client = sign_in(busy.dsl)
    day = f"{MONDAY.date():%Y-%m-%d}"
    monday = client.get(url_of(busy), {"date_from": day, "date_to": day})
    assert {(g.actor, g.times) for g in monday.context["groups"]} == {
        (busy.worker.full_name, 40),
        (busy.outsider.full_name, 3),
    }
    police = client.get(url_of(busy), {"agency": str(busy.other_agency.pk)})
    assert [(g.actor, g.times) for g in police.context["groups"]] == [(busy.outsider.full_name, 3)]
    worker = client.get(url_of(busy), {"person": str(busy.worker.pk)})
    assert sorted(g.times for g in worker.context["groups"]) == [2, 25, 40]
    listed = client.get(url_of(busy), {"kind": str(int(Event.CASE_LISTED))})
    assert [(g.actor, g.times) for g in listed.context["groups"]] == [(busy.worker.full_name, 2)]
    each = client.get(url_of(busy), {"view": "each", "person": str(busy.outsider.pk)})
    assert len(each.context["rows"]) == 3
    # Every look, filtered or not, is recorded.
    assert visits(busy, busy.dsl) == 5


def test_the_form_offers_the_people_agencies_and_kinds_in_the_history(
    busy: World, sign_in: SignIn
) -> None:
    form = sign_in(busy.dsl).get(url_of(busy)).context["form"]
    people = dict(form.fields["person"].choices)
    assert people[str(busy.worker.pk)] == busy.worker.full_name
    assert people[str(busy.outsider.pk)] == busy.outsider.full_name
    assert str(busy.colleague.pk) not in people  # never looked
    agencies = dict(form.fields["agency"].choices)
    assert agencies[str(busy.other_agency.pk)] == busy.other_agency.name
    kinds = dict(form.fields["kind"].choices)
    assert kinds[str(int(Event.CASE_VIEWED))] == "Opened the case"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"date_from": "2026-13-45"}, "Date from must be a real date"),
        ({"date_to": "yesterday"}, "Date to must include a month and year"),
        (
            {"date_from": "2026-11-17", "date_to": "2026-11-16"},
            "The date to must be the same as or after the date from",
        ),
        ({"agency": "not-an-agency"}, "Select an agency from the list"),
        ({"person": "00000000-0000-0000-0000-000000000000"}, "Select a person from the list"),
        ({"kind": "99999"}, "Select a kind of access from the list"),
    ],
)
def test_a_bad_filter_shows_the_error_summary_and_the_whole_history(
    busy: World, sign_in: SignIn, query: dict[str, str], message: str
) -> None:
    response = sign_in(busy.dsl).get(url_of(busy), query)
    assert response.status_code == 200
    html = html_of(response)
    assert "govuk-error-summary" in html
    assert message in html
    assert "<title>Error: " in html
    assert sum(g.times for g in response.context["groups"]) >= 40 + 3 + 25 + 2
    assert visits(busy, busy.dsl) == 1  # still a recorded read


def test_pages_of_groups_keep_the_filters(
    busy: World, sign_in: SignIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(oversight_views, "ENTRIES_PER_PAGE", 2)
    client = sign_in(busy.dsl)
    person = str(busy.worker.pk)
    first = client.get(url_of(busy), {"person": person})
    assert first.context["page_obj"].paginator.num_pages == 2
    assert f"person={person}&amp;page=2" in html_of(first)
    second = client.get(url_of(busy), {"person": person, "page": "2"})
    assert [g.times for g in second.context["groups"]] == [40]


def test_information_governance_sees_a_persons_history_grouped(
    busy: World, sign_in: SignIn
) -> None:
    ig = PractitionerFactory(agency=busy.agency, roles=[Role.INFORMATION_GOVERNANCE])
    url = reverse("web:person-record-access", kwargs={"person_id": busy.case.subject_id})
    response = sign_in(ig).get(url, {"person": str(busy.worker.pk)})
    assert response.status_code == 200
    assert sum(g.times for g in response.context["groups"]) == 40 + 25 + 2


def test_someone_who_may_not_see_the_history_gets_404_or_403_with_any_filter(
    busy: World, sign_in: SignIn
) -> None:
    query = {"view": "each", "person": str(busy.worker.pk), "date_from": "2026-11-16"}
    assert sign_in(busy.outsider).get(url_of(busy), query).status_code == 404
    assert sign_in(busy.worker).get(url_of(busy), query).status_code == 403
    assert not LedgerEntry.objects.filter(event_code=Event.RECORD_ACCESS_VIEWED).exists()
