"""``GET /api/inbox``: the caller's waiting work, filtered by kind and due date; 401 without
credentials, an empty list (never a 403 or a count) for anyone with nothing waiting, 422 naming
the filter at fault."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pytest
from django.test import Client

from safeshare.agencies.models import Practitioner
from safeshare.agencies.services import practitioner_deactivate
from safeshare.core import clock
from safeshare.ledger.events import Event
from tests.api.conftest import ApiCaller, bearer_for, ledger_count, not_found_body
from tests.conftest import World
from tests.workday.inbox_world import NOW, InboxWorld, build

pytestmark = pytest.mark.django_db

CallAs = Callable[[Practitioner], ApiCaller]


@pytest.fixture(autouse=True)
def frozen_clock() -> Iterator[None]:
    with clock.frozen(NOW):
        yield


@pytest.fixture
def iw(world: World) -> InboxWorld:
    return build(world)


def test_worker_gets_their_work_most_urgent_first(iw: InboxWorld, call_as: CallAs) -> None:
    worker = iw.cast["worker"]
    before = ledger_count(Event.REQUEST_VIEWED, actor_id=worker.pk)
    response = call_as(worker).get("/api/inbox")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == len(body["items"]) == 4
    first = body["items"][0]
    assert first["kind"] == "request"
    assert first["urgent"] is True
    assert first["overdue"] is False
    assert first["child_name"] == iw.world.case.subject.display_name
    assert first["url"] == f"/requests/{iw.request.pk if iw.request else ''}/"
    assert first["kind_label"] == "Request to answer"
    assert dt.datetime.fromisoformat(first["due_at"]) == NOW + dt.timedelta(hours=1)
    assert [item["kind"] for item in body["items"]] == [
        "request",
        "inform",
        "inform",
        "read_back_confirmation",
    ]
    assert ledger_count(Event.REQUEST_VIEWED, actor_id=worker.pk) == before + 1


def test_filter_by_one_or_more_kinds(iw: InboxWorld, call_as: CallAs) -> None:
    recipient = call_as(iw.cast["recipient"])
    one = recipient.get("/api/inbox", kind="correction").json()
    assert {item["kind"] for item in one["items"]} == {"correction"}
    two = recipient.get("/api/inbox", kind=["undertaking", "acknowledgement"]).json()
    assert {item["kind"] for item in two["items"]} == {"undertaking", "acknowledgement"}
    assert two["count"] == 2


def test_filter_by_due_before(iw: InboxWorld, call_as: CallAs) -> None:
    worker = call_as(iw.cast["worker"])
    soon = worker.get("/api/inbox", due_before=(NOW + dt.timedelta(days=1)).isoformat()).json()
    assert [item["kind"] for item in soon["items"]] == ["request"]
    later = worker.get("/api/inbox", due_before=(NOW + dt.timedelta(days=30)).isoformat()).json()
    assert [item["kind"] for item in later["items"]] == ["request", "inform", "inform"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"kind": "everything"}, "kind"),
        ({"due_before": "2026-11-21T09:00:00"}, "due_before"),  # no time zone
        ({"due_before": "tomorrow"}, "due_before"),
        ({"due_before": "0.5"}, "due_before"),  # not seconds since 1970
    ],
)
def test_a_bad_filter_is_422_naming_the_field(
    iw: InboxWorld, call_as: CallAs, query: dict[str, str], field: str
) -> None:
    response = call_as(iw.cast["worker"]).get("/api/inbox", **query)
    assert response.status_code == 422
    assert response.json()["field"] == field


@pytest.mark.parametrize("name", ["school_dsl", "school_ig", "colleague"])
def test_someone_with_nothing_waiting_gets_an_empty_list_and_no_count(
    iw: InboxWorld, call_as: CallAs, name: str
) -> None:
    response = call_as(iw.cast[name]).get("/api/inbox")
    assert response.status_code == 200
    assert response.json() == {"count": 0, "items": []}


def test_police_dsl_sees_only_the_mash_enquiry_sent_to_them(
    iw: InboxWorld, call_as: CallAs
) -> None:
    items = call_as(iw.cast["police_dsl"]).get("/api/inbox").json()["items"]
    assert [item["kind"] for item in items] == ["mash_enquiry"]


def test_without_credentials_the_inbox_is_401(iw: InboxWorld) -> None:
    response = Client().get("/api/inbox")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["field"] is None


def test_a_practitioner_who_has_left_is_401(iw: InboxWorld) -> None:
    worker = iw.cast["worker"]
    headers = bearer_for(worker)
    practitioner_deactivate(
        actor=iw.cast["agency_admin"], practitioner=worker, reason="left_agency"
    )
    assert Client().get("/api/inbox", headers=headers).status_code == 401


def test_the_inbox_has_no_records_to_probe_one_by_one(iw: InboxWorld, call_as: CallAs) -> None:
    """There is no ``/inbox/{id}``: each row links to the record's own operation and page,
    which answer 404 alike for missing and forbidden records."""
    response = call_as(iw.cast["worker"]).get(f"/api/inbox/{iw.world.case.pk}")
    assert response.status_code == 404
    other = call_as(iw.cast["school_dsl"]).get(
        f"/api/requests/{iw.request.pk if iw.request else ''}"
    )
    assert other.status_code == 404
    assert other.json() == not_found_body()
