"""The API lists a case's chronology newest event first, like the web, and oldest first with
``order=oldest`` (the PDF too); a bad ``order`` is a 422, a case the caller may not see a 404."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from safeshare.agencies.models import Practitioner
from tests.api.conftest import ApiCaller
from tests.conftest import World
from tests.web.test_chronology_order import dated_items

pytestmark = pytest.mark.django_db

Caller = Callable[[Practitioner], ApiCaller]


def test_the_api_lists_the_chronology_newest_first_and_oldest_first_on_request(
    world: World, call_as: Caller
) -> None:
    days = dated_items(world, 3)
    path = f"/api/cases/{world.case.pk}/chronology"
    worker = call_as(world.worker)
    newest = worker.get(path)
    assert newest.status_code == 200
    expected = [d.isoformat() for d in (world.item.event_date, *reversed(days))]
    assert [e["event_date"] for e in newest.json()] == expected
    oldest = worker.get(path, order="oldest")
    assert [e["event_date"] for e in oldest.json()] == list(reversed(expected))
    assert worker.get(path, order="newest").json() == newest.json()


def test_the_api_answers_422_for_a_bad_order_and_404_for_an_unseen_case(
    world: World, call_as: Caller
) -> None:
    path = f"/api/cases/{world.case.pk}/chronology"
    for bad in ("sideways", "NEWEST", ""):
        response = call_as(world.worker).get(path, order=bad)
        assert response.status_code == 422, bad
        assert response.json()["field"] == "order"
    pdf = call_as(world.worker).get(f"{path}/pdf", order="backwards")
    assert pdf.status_code == 422
    assert call_as(world.outsider).get(path, order="oldest").status_code == 404
