"""Case pages: who may list, open, view and change cases, and what bad input changes (nothing)."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from safeshare.agencies.models import Practitioner
from safeshare.cases.exceptions import CaseInvalid
from safeshare.cases.models import Case, CaseAllocation, CaseStatus
from safeshare.cases.services import case_open_for_new_child
from safeshare.core import clock
from safeshare.ledger.events import Event
from safeshare.ledger.models import LedgerEntry
from safeshare.people.models import Person
from tests.conftest import World
from tests.factories import CaseFactory, ItemFactory

pytestmark = pytest.mark.django_db

SignIn = Callable[[Practitioner], Client]

# Per-response values (CSP nonce, masked CSRF token) that legitimately differ between two requests.
_PER_RESPONSE = re.compile(r'(nonce|value)="[A-Za-z0-9+/=_-]{16,}"')


def comparable(body: bytes) -> str:
    return _PER_RESPONSE.sub(r'\1="…"', body.decode())


def ledger_rows(event: Event, actor: Practitioner) -> int:
    return LedgerEntry.objects.filter(event_code=event, actor_id=actor.pk).count()


def case_url(case: Case) -> str:
    return reverse("web:case-detail", kwargs={"case_id": case.pk})


# ---------------------------------------------------------------------------------------------
# The case list
# ---------------------------------------------------------------------------------------------


def test_allocated_worker_sees_their_case_in_the_list(world: World, sign_in: SignIn) -> None:
    response = sign_in(world.worker).get(reverse("web:case-list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert world.case.reference in html
    assert world.case.subject.display_name in html
    assert case_url(world.case) in html
    assert world.other_case.reference not in html


def test_case_list_records_one_read_per_case_shown(world: World, sign_in: SignIn) -> None:
    sign_in(world.worker).get(reverse("web:case-list"))
    entry = LedgerEntry.objects.get(event_code=Event.CASE_LISTED, actor_id=world.worker.pk)
    assert entry.subject_case_id == world.case.pk


def test_colleague_not_allocated_sees_no_cases(world: World, sign_in: SignIn) -> None:
    response = sign_in(world.colleague).get(reverse("web:case-list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert world.case.reference not in html
    assert "There are no cases for you to see" in html
    assert ledger_rows(Event.CASE_LISTED, world.colleague) == 0


def test_dsl_sees_every_case_of_their_agency_only(world: World, sign_in: SignIn) -> None:
    response = sign_in(world.dsl).get(reverse("web:case-list"))
    html = response.content.decode()
    assert world.case.reference in html
    assert world.other_case.reference not in html


def test_practitioner_in_other_agency_does_not_see_the_case_in_the_list(
    world: World, sign_in: SignIn
) -> None:
    html = sign_in(world.outsider).get(reverse("web:case-list")).content.decode()
    assert world.case.reference not in html
    assert world.other_case.reference in html


def test_system_admin_without_casework_gets_the_forbidden_page_for_the_case_list(
    world: World, sign_in: SignIn
) -> None:
    response = sign_in(world.system_admin).get(reverse("web:case-list"))
    assert response.status_code == 403
    assert world.case.reference not in response.content.decode()


def test_case_list_searches_by_reference_and_by_name(world: World, sign_in: SignIn) -> None:
    second = CaseFactory(agency=world.agency, subject__given_name="Fakeperson")
    client = sign_in(world.dsl)
    by_reference = client.get(reverse("web:case-list"), {"q": world.case.reference}).content
    assert world.case.reference in by_reference.decode()
    assert second.reference not in by_reference.decode()
    by_name = client.get(reverse("web:case-list"), {"q": "fakeperson"}).content.decode()
    assert second.reference in by_name
    assert world.case.reference not in by_name


def test_case_list_filters_by_status(world: World, sign_in: SignIn) -> None:
    protected = CaseFactory(agency=world.agency, status=CaseStatus.CHILD_PROTECTION)
    html = (
        sign_in(world.dsl)
        .get(reverse("web:case-list"), {"status": CaseStatus.CHILD_PROTECTION})
        .content.decode()
    )
    assert protected.reference in html
    assert world.case.reference not in html


def test_case_list_search_with_no_match_says_so(world: World, sign_in: SignIn) -> None:
    html = sign_in(world.dsl).get(reverse("web:case-list"), {"q": "Nobodyfake"}).content.decode()
    assert "No cases match your search" in html


def test_case_list_shows_25_cases_a_page_and_records_only_those(
    world: World, sign_in: SignIn
) -> None:
    for _ in range(30):
        CaseFactory(agency=world.agency)
    client = sign_in(world.dsl)
    first = client.get(reverse("web:case-list")).content.decode()
    assert first.count('<tr class="govuk-table__row">') == 26  # header row + 25
    assert "31 cases" in first
    assert 'href="?page=2"' in first
    assert ledger_rows(Event.CASE_LISTED, world.dsl) == 25
    second = client.get(reverse("web:case-list"), {"page": 2}).content.decode()
    assert second.count('<tr class="govuk-table__row">') == 7


# ---------------------------------------------------------------------------------------------
# The case page
# ---------------------------------------------------------------------------------------------


def test_allocated_worker_can_view_case_with_child_people_and_items(
    world: World, sign_in: SignIn
) -> None:
    child = world.case.subject
    child.nhs_number = "9990000018"
    child.save()
    response = sign_in(world.worker).get(case_url(world.case))
    assert response.status_code == 200
    html = response.content.decode()
    assert child.display_name in html
    assert "1 April 2016" in html
    assert "999 000 0018" in html
    assert reverse("web:person-detail", kwargs={"person_id": child.pk}) in html
    assert world.worker.full_name in html
    assert world.item.summary in html
    assert world.item.content in html
    assert "Class teacher" in html
    assert reverse("web:item-create", kwargs={"case_id": world.case.pk}) in html
    assert reverse("web:item-edit", kwargs={"item_id": world.item.pk}) in html


def test_viewing_a_case_is_recorded_in_the_ledger(world: World, sign_in: SignIn) -> None:
    sign_in(world.worker).get(case_url(world.case))
    entry = LedgerEntry.objects.get(event_code=Event.CASE_VIEWED, actor_id=world.worker.pk)
    assert entry.subject_case_id == world.case.pk
    assert entry.subject_person_id == world.case.subject_id


def test_case_page_lists_items_newest_event_first_with_sensitivity_tags(
    world: World, sign_in: SignIn
) -> None:
    ItemFactory(
        case=world.case,
        summary="Older disclosure",
        event_date=dt.date(2020, 1, 1),
        special_category="health",
        criminal_offence_data=True,
        is_confidential=True,
        third_party_protected=True,
    )
    ItemFactory(case=world.case, summary="Newest visit", event_date=dt.date(2026, 12, 1))
    html = sign_in(world.worker).get(case_url(world.case)).content.decode()
    assert (
        html.index("Newest visit") < html.index(world.item.summary) < html.index("Older disclosure")
    )
    for tag in (
        "Special category: Health",
        "Criminal offence data",
        "Confidential",
        "Third-party protected",
    ):
        assert tag in html


def test_dsl_of_the_same_agency_can_view_case(world: World, sign_in: SignIn) -> None:
    response = sign_in(world.dsl).get(case_url(world.case))
    assert response.status_code == 200
    assert world.item.content in response.content.decode()


def test_colleague_not_allocated_cannot_view_case(world: World, sign_in: SignIn) -> None:
    response = sign_in(world.colleague).get(case_url(world.case))
    assert response.status_code == 404
    assert world.item.content not in response.content.decode()
    assert world.case.subject.display_name not in response.content.decode()
    assert ledger_rows(Event.CASE_VIEWED, world.colleague) == 0


def test_practitioner_in_other_agency_gets_the_same_404_as_for_a_missing_case(
    world: World, sign_in: SignIn
) -> None:
    client = sign_in(world.outsider)
    forbidden = client.get(case_url(world.case))
    missing = client.get(reverse("web:case-detail", kwargs={"case_id": uuid.uuid4()}))
    assert forbidden.status_code == missing.status_code == 404
    assert comparable(forbidden.content) == comparable(missing.content)
    assert world.item.content not in forbidden.content.decode()
    assert world.case.reference not in forbidden.content.decode()


def test_system_admin_without_casework_cannot_view_case_and_learns_nothing(
    world: World, sign_in: SignIn
) -> None:
    # The route itself is refused (403) before any record is looked up, so an existing case and
    # a missing one answer the same.
    client = sign_in(world.system_admin)
    existing = client.get(case_url(world.case))
    missing = client.get(reverse("web:case-detail", kwargs={"case_id": uuid.uuid4()}))
    assert existing.status_code == missing.status_code == 403
    assert comparable(existing.content) == comparable(missing.content)
    assert world.item.content not in existing.content.decode()
    assert ledger_rows(Event.CASE_VIEWED, world.system_admin) == 0


def test_signed_out_visitor_is_sent_to_sign_in(world: World) -> None:
    response = Client().get(case_url(world.case))
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


# ---------------------------------------------------------------------------------------------
# Opening a case for a new child
# ---------------------------------------------------------------------------------------------

VALID_CHILD = {
    "given_name": "Fakenew",
    "family_name": "Testington",
    "dob_known": "known",
    "date_of_birth": "2019-03-04",
    "expected_date": "",
    "sex": "female",
    "nhs_number": "999 100 2006",
    "status": CaseStatus.CHILD_IN_NEED,
}


def test_practitioner_can_open_a_case_for_a_new_child(world: World, sign_in: SignIn) -> None:
    client = sign_in(world.colleague)
    assert client.get(reverse("web:case-create")).status_code == 200
    response = client.post(reverse("web:case-create"), VALID_CHILD)
    case = Case.objects.get(subject__given_name="Fakenew")
    assert response.status_code == 302
    assert response["Location"] == case_url(case)
    assert case.agency == world.agency
    assert case.status == CaseStatus.CHILD_IN_NEED
    assert case.subject.nhs_number == "9991002006"
    assert case.subject.date_of_birth == dt.date(2019, 3, 4)
    assert CaseAllocation.objects.filter(case=case, practitioner=world.colleague).exists()
    assert ledger_rows(Event.PERSON_CREATED, world.colleague) == 1
    assert ledger_rows(Event.CASE_CREATED, world.colleague) == 1
    # The practitioner is allocated, so they can open the new case straight away.
    assert client.get(case_url(case)).status_code == 200


def test_opening_a_case_for_an_unborn_child_records_the_expected_date(
    world: World, sign_in: SignIn
) -> None:
    data = {
        **VALID_CHILD,
        "given_name": "",
        "dob_known": "unborn",
        "date_of_birth": "",
        "expected_date": "2030-01-01",
        "nhs_number": "",
    }
    response = sign_in(world.worker).post(reverse("web:case-create"), data)
    assert response.status_code == 302
    child = Person.objects.get(is_unborn=True)
    assert child.expected_date == dt.date(2030, 1, 1)
    assert child.date_of_birth is None


def test_opening_a_case_when_the_date_of_birth_is_not_known(world: World, sign_in: SignIn) -> None:
    data = {**VALID_CHILD, "dob_known": "not_known", "date_of_birth": "2019-03-04"}
    response = sign_in(world.worker).post(reverse("web:case-create"), data)
    assert response.status_code == 302
    child = Person.objects.get(given_name="Fakenew")
    assert child.date_of_birth is None
    assert child.date_of_birth_display == "Not known"


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"nhs_number": "999 000 0019"}, "nhs_number", "check digit does not match"),
        ({"nhs_number": "12345"}, "nhs_number", "An NHS number must be 10 digits"),
        ({"family_name": ""}, "family_name", "Enter the family name"),
        ({"family_name": "   "}, "family_name", "Enter the family name"),
        # The GOV.UK date input: the error summary links to the first box at fault.
        (
            {"date_of_birth-day": "1", "date_of_birth-month": "1", "date_of_birth-year": "2999"},
            "date_of_birth-day",
            "Date of birth must be in the past",
        ),
        ({"date_of_birth": ""}, "date_of_birth-day", "Enter the date of birth"),
        (
            {"date_of_birth-day": "31", "date_of_birth-month": "2", "date_of_birth-year": "2019"},
            "date_of_birth-day",
            "Date of birth must be a real date",
        ),
        (
            {"date_of_birth-day": "4", "date_of_birth-month": "", "date_of_birth-year": "2019"},
            "date_of_birth-month",
            "Date of birth must include a month",
        ),
        (
            {"dob_known": "unborn", "date_of_birth": ""},
            "expected_date-day",
            "Enter the expected date of delivery",
        ),
        ({"dob_known": ""}, "dob_known_0", "Select whether you know"),
        ({"status": CaseStatus.CLOSED}, "status_0", "Select a valid choice"),
        ({"sex": ""}, "sex_0", "Select the child&#x27;s sex"),
    ],
)
def test_bad_input_when_opening_a_case_shows_the_error_and_creates_nothing(
    world: World, sign_in: SignIn, change: dict[str, str], field: str, message: str
) -> None:
    client = sign_in(world.worker)
    people, cases, entries = Person.objects.count(), Case.objects.count(), LedgerEntry.objects
    before_entries = entries.count()
    response = client.post(reverse("web:case-create"), {**VALID_CHILD, **change})
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert f'href="#id_{field}"' in html
    assert message in html
    assert "<title>Error: " in html
    assert Person.objects.count() == people
    assert Case.objects.count() == cases
    assert entries.count() == before_entries


def test_a_future_date_of_birth_is_refused_against_the_service_clock(
    world: World, sign_in: SignIn
) -> None:
    with clock.frozen(dt.datetime(2019, 3, 1, 12, tzinfo=dt.UTC)):
        response = sign_in(world.worker).post(reverse("web:case-create"), VALID_CHILD)
    assert response.status_code == 200
    assert "Date of birth must be in the past" in response.content.decode()
    assert not Person.objects.filter(given_name="Fakenew").exists()


def test_the_child_is_not_recorded_when_the_case_cannot_be_opened(world: World) -> None:
    # The service behind the page: one transaction, so a refused case leaves no orphan child.
    people, entries = Person.objects.count(), LedgerEntry.objects.count()
    with pytest.raises(CaseInvalid) as refused:
        case_open_for_new_child(
            actor=world.worker,
            agency=world.agency,
            family_name="Testington",
            date_of_birth=dt.date(2019, 3, 4),
            status=CaseStatus.CLOSED,
        )
    assert refused.value.field == "status"
    assert Person.objects.count() == people
    assert LedgerEntry.objects.count() == entries


def test_system_admin_without_casework_cannot_open_a_case(world: World, sign_in: SignIn) -> None:
    client = sign_in(world.system_admin)
    assert client.get(reverse("web:case-create")).status_code == 403
    response = client.post(reverse("web:case-create"), VALID_CHILD)
    assert response.status_code == 403
    assert not Person.objects.filter(given_name="Fakenew").exists()


# ---------------------------------------------------------------------------------------------
# Changing the case status
# ---------------------------------------------------------------------------------------------


def test_allocated_worker_can_change_the_case_status(world: World, sign_in: SignIn) -> None:
    client = sign_in(world.worker)
    url = reverse("web:case-status", kwargs={"case_id": world.case.pk})
    assert client.get(url).status_code == 200
    response = client.post(url, {"status": CaseStatus.CHILD_PROTECTION}, follow=True)
    assert response.redirect_chain == [(case_url(world.case), 302)]
    assert "Status changed to Child protection plan" in response.content.decode()
    world.case.refresh_from_db()
    assert world.case.status == CaseStatus.CHILD_PROTECTION
    assert ledger_rows(Event.CASE_STATUS_CHANGED, world.worker) == 1


def test_an_unknown_status_is_refused_and_changes_nothing(world: World, sign_in: SignIn) -> None:
    url = reverse("web:case-status", kwargs={"case_id": world.case.pk})
    response = sign_in(world.worker).post(url, {"status": "on_the_moon"})
    assert response.status_code == 200
    assert 'href="#id_status_0"' in response.content.decode()
    world.case.refresh_from_db()
    assert world.case.status == CaseStatus.CHILD_IN_NEED
    assert ledger_rows(Event.CASE_STATUS_CHANGED, world.worker) == 0


@pytest.mark.parametrize("who", ["colleague", "outsider"])
def test_practitioner_without_a_relationship_cannot_change_the_case_status(
    world: World, sign_in: SignIn, who: str
) -> None:
    actor = getattr(world, who)
    url = reverse("web:case-status", kwargs={"case_id": world.case.pk})
    response = sign_in(actor).post(url, {"status": CaseStatus.CLOSED})
    assert response.status_code == 404
    world.case.refresh_from_db()
    assert world.case.status == CaseStatus.CHILD_IN_NEED
