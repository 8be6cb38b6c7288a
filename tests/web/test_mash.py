"""MASH web pages: the hub's MASH officers work contacts, its DSLs read them, other agencies get
the same 404 as for a missing contact; bad input shows the error summary and changes nothing."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from html.parser import HTMLParser
from typing import Any

import pytest
from django import forms
from django.http import QueryDict
from django.test import Client

from safeshare.core import clock
from safeshare.disclosures.models import InformationRequest
from safeshare.ledger.events import Event
from safeshare.ledger.models import LedgerEntry
from safeshare.mash.models import ContactStatus, MashContact
from safeshare.mash.services import contact_decide, contact_rate, enquiries_send
from safeshare.web.templatetags.govuk import hidden_inputs, input_value
from tests.mash.helpers import NOW, MashWorld, mash, record
from tests.web.conftest import SignIn

__all__ = ["mash"]

pytestmark = pytest.mark.django_db


def _url(name: str, contact: MashContact) -> str:
    return f"/mash/contacts/{contact.pk}/{name}/" if name else f"/mash/contacts/{contact.pk}/"


def test_mash_officer_sees_the_dashboard_with_a_chart_and_table(
    mash: MashWorld, sign_in: SignIn
) -> None:
    with clock.frozen(clock.now() - dt.timedelta(hours=3)):
        record(mash, received_at=clock.now())
    response = sign_in(mash.officer).get("/mash/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "<svg" in body
    assert 'role="img"' in body
    assert "Open contacts by stage" in body
    assert LedgerEntry.objects.filter(event_code=int(Event.MASH_DASHBOARD_VIEWED)).count() == 1


def test_nav_shows_mash_to_mash_view_holders_only(mash: MashWorld, sign_in: SignIn) -> None:
    assert 'href="/mash/"' in sign_in(mash.manager).get("/mash/contacts/").content.decode()
    other = sign_in(mash.worker).get("/").content.decode()
    assert 'href="/mash/"' not in other


def test_practitioner_without_mash_capability_is_refused_the_dashboard(
    mash: MashWorld, sign_in: SignIn
) -> None:
    assert sign_in(mash.worker).get("/mash/").status_code == 403


def test_contact_list_filters_overdue_and_records_each_read(
    mash: MashWorld, sign_in: SignIn
) -> None:
    with clock.frozen(clock.now() - dt.timedelta(hours=3)):
        record(mash, received_at=clock.now(), family_name="Latefake")
    record(mash, family_name="Freshfake")
    client = sign_in(mash.manager)
    everything = client.get("/mash/contacts/").content.decode()
    assert "Latefake" in everything
    assert "Freshfake" in everything
    overdue = client.get("/mash/contacts/", {"overdue": "on"}).content.decode()
    assert "Latefake" in overdue
    assert "Freshfake" not in overdue
    assert LedgerEntry.objects.filter(event_code=int(Event.MASH_CONTACT_LISTED)).count() == 3


def test_mash_officer_records_a_contact_through_check_your_answers(
    mash: MashWorld, sign_in: SignIn
) -> None:
    client = sign_in(mash.officer)
    assert client.get("/mash/contacts/new/").status_code == 200
    answers = {
        "received_on": clock.today().isoformat(),
        "received_time": "00:01",
        "source": "police_notification",
        "referrer_agency": str(mash.police.pk),
        "referrer_name": "PC Testy Fakeworth",
        "parental_awareness": "not_told_risk",
        "awareness_reason": "Telling the father could put the child at risk",
        "nhs_number": "999 000 0018",
        "family_name": "Fakeworth",
        "category": "domestic_abuse",
        "concerns": "Police attended a domestic incident; the child was present",
    }
    check = client.post("/mash/contacts/new/", answers)
    assert check.status_code == 200
    assert "Check the contact before you record it" in check.content.decode()
    assert MashContact.objects.count() == 0
    done = client.post("/mash/contacts/new/", {**answers, "step": "check"})
    contact = MashContact.objects.get()
    assert done.status_code == 302
    assert done["Location"] == _url("", contact)
    assert contact.referrer_agency == mash.police
    assert contact.assigned_to == mash.officer


def test_bad_contact_shows_the_error_summary_and_records_nothing(
    mash: MashWorld, sign_in: SignIn
) -> None:
    response = sign_in(mash.officer).post(
        "/mash/contacts/new/",
        {"received_on": "2026-02-30", "source": "phone", "parental_awareness": "aware_and_agree"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    assert "Enter who made the contact" in body
    assert MashContact.objects.count() == 0


def test_refusal_by_the_service_lands_on_its_field(mash: MashWorld, sign_in: SignIn) -> None:
    answers = {
        "received_on": clock.today().isoformat(),
        "received_time": "00:01",
        "source": "phone",
        "referrer_name": "A neighbour",
        "parental_awareness": "not_told_other",
        "category": "neglect",
        "concerns": "Left alone at night",
        "family_name": "Fakeworth",
        "step": "check",
    }
    body = sign_in(mash.officer).post("/mash/contacts/new/", answers).content.decode()
    assert "Explain why the parents or carers do not know or do not agree" in body
    assert MashContact.objects.count() == 0


def test_dsl_of_the_hub_reads_a_contact_without_triage_actions(
    mash: MashWorld, sign_in: SignIn
) -> None:
    contact = record(mash)
    client = sign_in(mash.manager)
    body = client.get(_url("", contact)).content.decode()
    assert "Came to school with a bruise" in body
    assert "Give a RAG rating" not in body
    assert client.get(_url("rating", contact)).status_code == 403


@pytest.mark.parametrize("who", ["police_mash", "school_dsl"])
def test_other_agencies_get_404_for_the_hubs_contact(
    mash: MashWorld, sign_in: SignIn, who: str
) -> None:
    contact = record(mash)
    client = sign_in(getattr(mash, who))
    missing = client.get(f"/mash/contacts/{uuid.uuid4()}/")
    forbidden = client.get(_url("", contact))
    assert forbidden.status_code == missing.status_code == 404


def test_police_mash_officer_gets_404_on_the_hubs_triage_pages(
    mash: MashWorld, sign_in: SignIn
) -> None:
    contact = record(mash)
    client = sign_in(mash.police_mash)
    for page in ("enquiries", "rating", "outcome", "close"):
        assert client.get(_url(page, contact)).status_code == 404


def test_mash_officer_sends_enquiries_and_sees_their_state(
    mash: MashWorld, sign_in: SignIn
) -> None:
    contact = record(mash)
    client = sign_in(mash.officer)
    response = client.post(
        _url("enquiries", contact),
        {
            "partner_agencies": [str(mash.police.pk), str(mash.school.pk)],
            "information_sought": "Call-outs to the address",
            "justification": "Deciding on the response to a bruise",
        },
    )
    assert response.status_code == 302
    assert InformationRequest.objects.filter(purpose="mash_triage").count() == 2
    body = client.get(_url("", contact)).content.decode()
    assert mash.police.name in body
    assert "Received" in body


def test_enquiry_without_agencies_shows_the_error_summary(mash: MashWorld, sign_in: SignIn) -> None:
    contact = record(mash)
    body = (
        sign_in(mash.officer)
        .post(_url("enquiries", contact), {"information_sought": "x", "justification": "y"})
        .content.decode()
    )
    assert "Select at least one partner agency" in body
    assert InformationRequest.objects.count() == 0


def test_overdue_enquiry_is_tagged_overdue_on_the_contact_page(
    mash: MashWorld, sign_in: SignIn
) -> None:
    with clock.frozen(clock.now() - dt.timedelta(hours=30)):
        contact = record(mash, received_at=clock.now())
        enquiries_send(
            actor=mash.officer,
            contact=contact,
            partner_agencies=[mash.police],
            information_sought="History",
            justification="Triage",
        )
    body = sign_in(mash.officer).get(_url("", contact)).content.decode()
    assert "Overdue" in body


def test_mash_officer_rates_decides_and_closes(mash: MashWorld, sign_in: SignIn) -> None:
    contact = record(mash)
    client = sign_in(mash.officer)
    assert (
        client.post(_url("rating", contact), {"rating": "red", "reasons": "Injury"}).status_code
        == 302
    )
    response = client.post(
        _url("outcome", contact),
        {"outcome": "strategy_discussion", "reasons": "Reasonable cause to suspect harm"},
    )
    assert response.status_code == 302
    body = client.get(_url("", contact)).content.decode()
    assert "Hold a strategy discussion with police and health now" in body
    assert client.post(_url("close", contact), {}).status_code == 302
    contact.refresh_from_db()
    assert contact.status == ContactStatus.CLOSED


def test_outcome_before_rating_is_refused_with_the_error_summary(
    mash: MashWorld, sign_in: SignIn
) -> None:
    contact = record(mash)
    body = (
        sign_in(mash.officer)
        .post(_url("outcome", contact), {"outcome": "early_help", "reasons": "Support"})
        .content.decode()
    )
    assert "Give the contact a RAG rating first" in body
    contact.refresh_from_db()
    assert contact.outcome == ""


def test_closing_an_open_contact_is_refused(mash: MashWorld, sign_in: SignIn) -> None:
    contact = record(mash)
    contact_rate(actor=mash.officer, contact=contact, rating="green", reasons="Low")
    body = sign_in(mash.officer).post(_url("close", contact), {}).content.decode()
    assert "There is a problem" in body
    contact_decide(actor=mash.officer, contact=contact, outcome="early_help", reasons="x")
    assert sign_in(mash.officer).post(_url("close", contact), {}).status_code == 302


# --- Check your answers: the page's own hidden inputs and "Change" --------------------------------


class _Inputs(HTMLParser):
    """The hidden inputs of a page, in order, as a browser would post them."""

    def __init__(self) -> None:
        super().__init__()
        self.hidden: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "input" and found.get("type") == "hidden" and found.get("name"):
            name = found["name"] or ""
            if name != "csrfmiddlewaretoken":
                self.hidden.append((name, found.get("value") or ""))


def _hidden_inputs(body: str) -> list[tuple[str, str]]:
    parser = _Inputs()
    parser.feed(body)
    return parser.hidden


def _as_posted(pairs: list[tuple[str, str]], **extra: str) -> QueryDict:
    data = QueryDict(mutable=True)
    for name, value in pairs:
        data.appendlist(name, value)
    for name, value in extra.items():
        data[name] = value
    return data


_ANSWERS = {
    "received_on": "2026-03-09",
    "received_time": "21:30",
    "source": "police_notification",
    "referrer_name": "PC Testy Fakeworth",
    "parental_awareness": "not_told_risk",
    "awareness_reason": "Telling the father could put the child at risk",
    "nhs_number": "999 000 0018",
    "given_name": "Alfie",
    "family_name": "Fakeworth",
    "date_of_birth": "2018-04-01",
    "postcode": "zz1 1aa",
    "category": "domestic_abuse",
    "concerns": "Police attended a domestic incident; the child was present",
}


def _check_page(world: MashWorld, client: Client) -> str:
    answers = {
        **_ANSWERS,
        "referrer_agency": str(world.police.pk),
        "assigned_to": str(world.second_officer.pk),
    }
    with clock.frozen(NOW):
        response = client.post("/mash/contacts/new/", answers)
    body = response.content.decode()
    assert "Check the contact before you record it" in body, body
    return body


def test_check_page_carries_one_hidden_input_per_answer_and_records_from_them(
    mash: MashWorld, sign_in: SignIn
) -> None:
    client = sign_in(mash.officer)
    hidden = _hidden_inputs(_check_page(mash, client))
    carried = dict(hidden)
    assert len(carried) == len(hidden)  # one input per single-valued answer
    assert not [value for _, value in hidden if value.startswith("[")]  # never a list's repr
    assert carried["category"] == "domestic_abuse"
    assert carried["referrer_agency"] == str(mash.police.pk)
    assert carried["assigned_to"] == str(mash.second_officer.pk)
    assert carried["step"] == "check"
    with clock.frozen(NOW):
        done = client.post("/mash/contacts/new/", _as_posted(hidden))
    assert done.status_code == 302, done.content.decode()
    contact = MashContact.objects.get()
    assert contact.category == "domestic_abuse"
    assert contact.referrer_agency == mash.police
    assert contact.assigned_to == mash.second_officer
    assert contact.child_date_of_birth == "2018-04-01"


def test_change_returns_to_the_form_with_every_answer_kept(
    mash: MashWorld, sign_in: SignIn
) -> None:
    client = sign_in(mash.officer)
    body = _check_page(mash, client)
    assert 'formaction="#id_category"' in body  # "Change main concern" opens at the question
    with clock.frozen(NOW):
        form = client.post("/mash/contacts/new/", _as_posted(_hidden_inputs(body), action="change"))
    page = form.content.decode()
    assert "Record a contact" in page
    assert "There is a problem" not in page
    assert '<option value="domestic_abuse" selected>' in page
    assert f'<option value="{mash.police.pk}" selected>' in page
    assert f'<option value="{mash.second_officer.pk}" selected>' in page
    assert re.search(r'value="police_notification"\s+checked', page)
    assert re.search(r'value="not_told_risk"\s+checked', page)
    assert "Telling the father could put the child at risk" in page
    assert "Police attended a domestic incident" in page
    assert MashContact.objects.count() == 0


@pytest.mark.parametrize(
    ("widget", "field", "data", "expected"),
    [
        (
            "checkboxes",
            forms.MultipleChoiceField(
                choices=[("a", "A"), ("b", "B"), ("c", "C")],
                widget=forms.CheckboxSelectMultiple,
            ),
            {"answer": ["a", "c"]},
            [("answer", "a"), ("answer", "c")],
        ),
        (
            "multiple select",
            forms.MultipleChoiceField(choices=[("a", "A"), ("b", "B")]),
            {"answer": ["b"]},
            [("answer", "b")],
        ),
        (
            "select",
            forms.ChoiceField(choices=[("a", "A"), ("b", "B")]),
            {"answer": "b"},
            [("answer", "b")],
        ),
        (
            "ticked checkbox",
            forms.BooleanField(required=False),
            {"answer": "on"},
            [("answer", "on")],
        ),
        ("unticked checkbox", forms.BooleanField(required=False), {}, []),
        (
            "split date and time",
            forms.SplitDateTimeField(),
            {"answer_0": "2026-03-09", "answer_1": "21:30"},
            [("answer_0", "2026-03-09"), ("answer_1", "21:30")],
        ),
    ],
)
def test_hidden_inputs_carry_each_value_so_the_form_reads_it_back(
    widget: str, field: forms.Field, data: dict[str, Any], expected: list[tuple[str, str]]
) -> None:
    class OneQuestion(forms.Form):
        answer = field

    posted = QueryDict(mutable=True)
    for name, value in data.items():
        for one in value if isinstance(value, list) else [value]:
            posted.appendlist(name, one)
    first = OneQuestion(posted)
    assert first.is_valid(), (widget, first.errors)
    carried = [(i["name"], i["value"]) for i in hidden_inputs(first["answer"])]
    assert carried == expected, widget
    again = OneQuestion(_as_posted(carried))
    assert again.is_valid(), (widget, again.errors)
    assert again.cleaned_data == first.cleaned_data
    assert not input_value(first["answer"]).startswith("[")


# --- The outcome: the new outcomes, and enquiries still open -------------------------------------


def _rated(world: MashWorld, rating: str = "amber") -> MashContact:
    contact = record(world)
    contact_rate(actor=world.officer, contact=contact, rating=rating, reasons="As found")
    return contact


def test_outcome_page_lists_open_enquiries_and_asks_whether_to_withdraw_them(
    mash: MashWorld, sign_in: SignIn
) -> None:
    contact = _rated(mash)
    enquiries_send(
        actor=mash.officer,
        contact=contact,
        partner_agencies=[mash.police],
        information_sought="History",
        justification="Triage",
    )
    client = sign_in(mash.officer)
    page = client.get(_url("outcome", contact)).content.decode()
    assert "1 enquiry to partner agencies is still open" in page
    assert mash.police.name in page
    assert "still open: withdraw them?" in page
    unanswered = client.post(
        _url("outcome", contact), {"outcome": "early_help", "reasons": "Family agree"}
    ).content.decode()
    assert "There is a problem" in unanswered
    assert "Select whether to withdraw the enquiries still open" in unanswered
    contact.refresh_from_db()
    assert contact.outcome == ""
    done = client.post(
        _url("outcome", contact),
        {"outcome": "early_help", "reasons": "Family agree", "withdraw_open_enquiries": "withdraw"},
    )
    assert done.status_code == 302
    assert InformationRequest.objects.get().status == "withdrawn"
    shown = client.get(_url("", contact)).content.decode()
    assert "the enquiries still open were withdrawn" in shown
    assert "Withdrawn" in shown


def test_outcome_page_without_open_enquiries_asks_nothing_about_them(
    mash: MashWorld, sign_in: SignIn
) -> None:
    page = sign_in(mash.officer).get(_url("outcome", _rated(mash))).content.decode()
    assert "withdraw" not in page.lower()
    assert "Information and advice" in page
    assert "Already open: pass to the allocated worker" in page
    assert "Immediate protection" in page


def test_mash_officer_passes_an_already_open_contact_to_the_allocated_worker(
    mash: MashWorld, sign_in: SignIn
) -> None:
    contact = _rated(mash)
    client = sign_in(mash.officer)
    page = client.get(_url("outcome", contact)).content.decode()
    assert 'data-aria-controls="conditional-id_outcome_3"' in page  # the worker is revealed
    missing = client.post(
        _url("outcome", contact), {"outcome": "already_open", "reasons": "Open case"}
    ).content.decode()
    assert "Enter the allocated worker the contact is passed to" in missing
    done = client.post(
        _url("outcome", contact),
        {
            "outcome": "already_open",
            "allocated_worker": "Testy Caseworker, Team 2",
            "reasons": "Open case",
        },
    )
    assert done.status_code == 302
    shown = client.get(_url("", contact)).content.decode()
    assert "passed to the allocated worker, Testy Caseworker, Team 2" in shown


def test_allocated_worker_typed_under_another_outcome_is_not_kept(
    mash: MashWorld, sign_in: SignIn
) -> None:
    contact = _rated(mash)
    done = sign_in(mash.officer).post(
        _url("outcome", contact),
        {"outcome": "early_help", "allocated_worker": "Testy Caseworker", "reasons": "Support"},
    )
    assert done.status_code == 302
    contact.refresh_from_db()
    assert contact.allocated_worker is None


def test_immediate_protection_for_an_amber_contact_shows_the_services_rule(
    mash: MashWorld, sign_in: SignIn
) -> None:
    contact = _rated(mash, "amber")
    body = (
        sign_in(mash.officer)
        .post(_url("outcome", contact), {"outcome": "immediate_protection", "reasons": "Now"})
        .content.decode()
    )
    assert "There is a problem" in body
    assert "rate the contact red first" in body
