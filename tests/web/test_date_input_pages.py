"""The GOV.UK date input and typed times on a real check-your-answers page: the MASH contact
form's answers travel in hidden inputs, one per field, and come back as the same dates."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

from django.http import QueryDict

from safeshare.core import clock
from safeshare.mash.models import MashContact
from tests.mash.helpers import NOW, MashWorld, mash
from tests.web.conftest import SignIn

__all__ = ["mash"]

UK = ZoneInfo("Europe/London")


class _Hidden(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.pairs: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "input" and found.get("type") == "hidden" and found.get("name"):
            self.pairs.append((str(found["name"]), found.get("value") or ""))


def _hidden(body: str) -> QueryDict:
    parser = _Hidden()
    parser.feed(body)
    data = QueryDict(mutable=True)
    for name, value in parser.pairs:
        if name != "csrfmiddlewaretoken":
            data.appendlist(name, value)
    return data


def _boxes(name: str, day: str, month: str, year: str) -> dict[str, str]:
    return {f"{name}-day": day, f"{name}-month": month, f"{name}-year": year}


def _answers(world: MashWorld) -> dict[str, str]:
    return {
        **_boxes("received_on", "9", "3", "2026"),
        "received_time": "9.30pm",
        "source": "police_notification",
        "referrer_agency": str(world.police.pk),
        "referrer_name": "PC Testy Fakeworth",
        "parental_awareness": "aware_and_agree",
        "nhs_number": "999 000 0018",
        "given_name": "Alfie",
        "family_name": "Fakeworth",
        **_boxes("date_of_birth", "1", "4", "2018"),
        "postcode": "zz1 1aa",
        "category": "domestic_abuse",
        "concerns": "Police attended a domestic incident; the child was present",
    }


def test_dates_typed_in_boxes_survive_the_check_page_and_are_recorded(
    mash: MashWorld, sign_in: SignIn
) -> None:
    client = sign_in(mash.officer)
    with clock.frozen(NOW):
        check = client.post("/mash/contacts/new/", _answers(mash))
    body = check.content.decode()
    assert "Check the contact before you record it" in body, body[:3000]
    assert "9 March 2026, 9:30pm" in body  # the received row, GOV.UK style
    carried = _hidden(body)
    assert carried["received_on"] == "2026-03-09"
    assert carried["date_of_birth"] == "2018-04-01"
    assert "received_on-day" not in carried

    # "Change your answers" shows the boxes filled again, and the typed time as typed.
    with clock.frozen(NOW):
        changed = client.post("/mash/contacts/new/", {**carried.dict(), "action": "change"})
    page = changed.content.decode()
    assert "There is a problem" not in page
    assert re.search(r'name="received_on-day"[^>]*value="9"', page)
    assert re.search(r'name="received_on-month"[^>]*value="3"', page)
    assert re.search(r'name="date_of_birth-year"[^>]*value="2018"', page)

    with clock.frozen(NOW):
        done = client.post("/mash/contacts/new/", carried)
    assert done.status_code == 302, done.content.decode()[:3000]
    contact = MashContact.objects.get()
    assert contact.child_date_of_birth == "2018-04-01"
    assert contact.received_at.astimezone(UK) == dt.datetime(2026, 3, 9, 21, 30, tzinfo=UK)


def test_a_date_missing_its_month_is_named_on_the_form(mash: MashWorld, sign_in: SignIn) -> None:
    client = sign_in(mash.officer)
    answers = {**_answers(mash), **_boxes("date_of_birth", "1", "", "2018")}
    with clock.frozen(NOW):
        response = client.post("/mash/contacts/new/", answers)
    body = response.content.decode()
    assert "There is a problem" in body
    assert '<a href="#id_date_of_birth-month">Date of birth must include a month</a>' in body
    assert not MashContact.objects.exists()
