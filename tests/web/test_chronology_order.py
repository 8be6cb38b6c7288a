"""A case's chronology runs newest event first, like the case page's list of information; the
"Show oldest first" link (a plain GET parameter, ``order=oldest``) turns it round and is kept
by the filter form, the pages and the PDF link; a bad order shows the error summary and the
default order (tests/api/test_chronology_order.py: the API's ``order``)."""

from __future__ import annotations

import datetime as dt
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from safeshare.web.views import chronology as chronology_views
from tests.conftest import World
from tests.factories import ItemFactory
from tests.web.conftest import SignIn

pytestmark = pytest.mark.django_db

FIRST_DAY = dt.date(2026, 1, 1)


def dated_items(world: World, count: int) -> list[dt.date]:
    """``count`` more items on the case, one a day from FIRST_DAY (the world's own item is on
    5 October 2026, the newest)."""
    days = [FIRST_DAY + dt.timedelta(days=n) for n in range(count)]
    for day in days:
        ItemFactory(case=world.case, recorded_by=world.worker, event_date=day)
    return days


def _query(href: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(unescape(href)).query)


def test_worker_sees_the_chronology_newest_first_and_can_switch_to_oldest_first(
    world: World, sign_in: SignIn
) -> None:
    days = dated_items(world, 3)
    worker = sign_in(world.worker)
    url = reverse("web:case-chronology", kwargs={"case_id": world.case.pk})

    newest = worker.get(url)
    dates = [e.event_date for e in newest.context["entries"]]
    assert dates == [world.item.event_date, *reversed(days)]
    text = newest.content.decode()
    assert "Show oldest first" in text
    assert newest.context["order_switch_query"] == "order=oldest"

    oldest = worker.get(url, {"order": "oldest"})
    assert [e.event_date for e in oldest.context["entries"]] == list(reversed(dates))
    text = oldest.content.decode()
    assert "Show newest first" in text
    assert "Chronology, oldest first" in text
    # The filter form carries the order, so filtering keeps it.
    assert '<input type="hidden" name="order" value="oldest">' in text


def test_the_case_page_and_the_chronology_list_information_in_the_same_order(
    world: World, sign_in: SignIn
) -> None:
    dated_items(world, 3)
    worker = sign_in(world.worker)
    case_page = worker.get(reverse("web:case-detail", kwargs={"case_id": world.case.pk}))
    chronology = worker.get(reverse("web:case-chronology", kwargs={"case_id": world.case.pk}))
    on_case_page = [item.pk for item in case_page.context["items"]]
    assert on_case_page == [e.item_id for e in chronology.context["entries"]]


def test_the_order_is_kept_across_pages_and_by_the_filters_and_the_pdf_link(
    world: World, sign_in: SignIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(chronology_views, "ENTRIES_PER_PAGE", 2)
    days = dated_items(world, 4)  # five entries in all: three pages
    worker = sign_in(world.worker)
    url = reverse("web:case-chronology", kwargs={"case_id": world.case.pk})

    first = worker.get(url, {"order": "oldest", "source": "ours"})
    assert [e.event_date for e in first.context["entries"]] == days[:2]
    text = first.content.decode()
    assert 'href="?order=oldest&amp;source=ours&amp;page=2"' in text
    assert "order=oldest" in first.context["pdf_url"]

    second = worker.get(url, {"order": "oldest", "source": "ours", "page": "2"})
    assert [e.event_date for e in second.context["entries"]] == days[2:4]
    # Switching the order keeps the filters and starts again from page one.
    switch = _query("?" + second.context["order_switch_query"])
    assert switch == {"order": ["newest"], "source": ["ours"]}
    assert "page=" not in second.context["pdf_url"]

    newest = worker.get(url, {"order": "newest", "page": "3"})
    assert [e.event_date for e in newest.context["entries"]] == [days[0]]


def test_a_bad_order_shows_the_error_summary_and_the_newest_first(
    world: World, sign_in: SignIn
) -> None:
    days = dated_items(world, 2)
    worker = sign_in(world.worker)
    url = reverse("web:case-chronology", kwargs={"case_id": world.case.pk})
    response = worker.get(url, {"order": "sideways"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "govuk-error-summary" in text
    assert "Choose newest first or oldest first" in text
    assert [e.event_date for e in response.context["entries"]] == [
        world.item.event_date,
        *reversed(days),
    ]
    assert '<input type="hidden" name="order" value="newest">' in text


def test_someone_who_may_not_see_the_case_gets_404_whatever_the_order(
    world: World, sign_in: SignIn
) -> None:
    url = reverse("web:case-chronology", kwargs={"case_id": world.case.pk})
    for order in ("newest", "oldest"):
        assert sign_in(world.outsider).get(url, {"order": order}).status_code == 404
