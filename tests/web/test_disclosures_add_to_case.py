""" "Add to one of our cases": the case of the same child (by linked identity) comes first and is
marked, every case's child is told apart by date of birth and NHS number (3 3 4), and adding to
a case whose child is not linked to the disclosure's child needs a confirmation first."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse

from safeshare.cases.models import Case
from safeshare.core import clock
from safeshare.disclosures.models import Disclosure, ReceivedItemLink
from safeshare.ledger.events import Event
from safeshare.ledger.models import LedgerEntry
from tests.conftest import World
from tests.disclosures.helpers import NOW, Sharing, issue, link_identity, sharing
from tests.factories import AllocationFactory, CaseFactory, PersonFactory
from tests.web.conftest import SignIn

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_clock() -> Iterator[None]:
    with clock.frozen(NOW):
        yield


@pytest.fixture
def s(world: World) -> Sharing:
    return sharing(world)


def _recipients_case(s: Sharing, *, given_name: str, nhs_number: str = "") -> Case:
    """A case of the recipient's agency they may edit, of a child born the same day with the same
    family name as the shared child (a twin, or the same child: only linkage can tell)."""
    shared_child = s.world.case.subject
    case: Case = CaseFactory(
        agency=s.world.other_agency,
        subject=PersonFactory(
            agency=s.world.other_agency,
            given_name=given_name,
            family_name=shared_child.family_name,
            date_of_birth=shared_child.date_of_birth,
            nhs_number=nhs_number,
        ),
    )
    AllocationFactory(case=case, practitioner=s.recipient)
    return case


def _url(disclosure: Disclosure) -> str:
    return reverse("web:disclosure-add-to-case", kwargs={"disclosure_id": disclosure.pk})


def _added(count: int) -> bool:
    return ReceivedItemLink.objects.count() == count and LedgerEntry.objects.filter(
        event_code=Event.RECEIVED_ITEMS_ADDED_TO_CASE
    ).count() == (1 if count else 0)


def test_the_case_of_the_linked_child_is_offered_first_and_marked(
    s: Sharing, sign_in: SignIn
) -> None:
    twin = _recipients_case(s, given_name="Faketwin", nhs_number="9434765870")
    same = _recipients_case(s, given_name="Fakesame", nhs_number="9434765919")
    link_identity(s.world.case.subject, same.subject)
    disclosure = issue(s)
    page = sign_in(s.recipient).get(_url(disclosure))
    assert page.status_code == 200
    choices = [key for key, _ in page.context["form"].fields["case"].choices]
    assert choices[0] == str(same.pk)
    assert str(twin.pk) in choices
    html = page.content.decode()
    assert html.count("Same child: linked identity") == 2  # the explanation and the one case
    assert html.index("Fakesame") < html.index("Same child: linked identity</strong>")
    assert "NHS number 943 476 5919" in html
    assert "NHS number 943 476 5870" in html
    assert "Date of birth 1 April 2016" in html
    assert "9434765919" not in html
    # The disclosure's child, as the sharing agency records them, to compare with.
    assert f"This information is about <strong>{s.world.case.subject.display_name}</strong>" in (
        html
    )


def test_adding_to_the_linked_childs_case_needs_no_confirmation(
    s: Sharing, sign_in: SignIn
) -> None:
    same = _recipients_case(s, given_name="Fakesame")
    link_identity(s.world.case.subject, same.subject)
    disclosure = issue(s)
    response = sign_in(s.recipient).post(_url(disclosure), {"case": str(same.pk)})
    assert response.status_code == 302
    assert ReceivedItemLink.objects.get().case == same
    assert _added(1)
    added = LedgerEntry.objects.get(event_code=Event.RECEIVED_ITEMS_ADDED_TO_CASE)
    assert json.loads(added.details)["unlinked_confirmed"] is False


def test_a_case_whose_child_is_not_linked_is_warned_about_before_anything_is_added(
    s: Sharing, sign_in: SignIn
) -> None:
    twin = _recipients_case(s, given_name="Faketwin")
    disclosure = issue(s)
    officer = sign_in(s.recipient)
    warned = officer.post(_url(disclosure), {"case": str(twin.pk)})
    html = warned.content.decode()
    assert warned.status_code == 200
    assert "govuk-error-summary" in html
    assert "govuk-warning-text" in html
    assert f"Case {twin.reference}: Faketwin" in html
    assert "is not linked to the child this information is about" in html
    assert "I have checked that this case is about the same child" in html
    assert _added(0)
    confirmed = officer.post(
        _url(disclosure), {"case": str(twin.pk), "same_child_confirmed": "true"}
    )
    assert confirmed.status_code == 302
    assert ReceivedItemLink.objects.get().case == twin
    assert _added(1)
    added = LedgerEntry.objects.get(event_code=Event.RECEIVED_ITEMS_ADDED_TO_CASE)
    assert json.loads(added.details)["unlinked_confirmed"] is True


def test_no_confirmation_is_asked_for_until_an_unlinked_case_is_chosen(
    s: Sharing, sign_in: SignIn
) -> None:
    _recipients_case(s, given_name="Faketwin")
    disclosure = issue(s)
    officer = sign_in(s.recipient)
    page = officer.get(_url(disclosure)).content.decode()
    assert "govuk-warning-text" not in page
    assert "same_child_confirmed" not in page
    nothing: dict[str, Any] = {}
    missing = officer.post(_url(disclosure), nothing).content.decode()
    assert "Select the case to add the information to" in missing
    assert "govuk-warning-text" not in missing
    assert _added(0)


def test_cases_with_children_born_on_other_days_show_their_own_dates(
    s: Sharing, sign_in: SignIn
) -> None:
    other = CaseFactory(
        agency=s.world.other_agency,
        subject=PersonFactory(agency=s.world.other_agency, date_of_birth=dt.date(2019, 7, 9)),
    )
    AllocationFactory(case=other, practitioner=s.recipient)
    page = sign_in(s.recipient).get(_url(issue(s))).content.decode()
    assert "Date of birth 9 July 2019. No NHS number." in page
