"""Casework basics on the web: a person's addresses (protected ones) and contact details, the
people involved in a case, and who is allocated to it. Each page for who may and may not use
it, what bad input shows (the error summary) and changes (nothing), and the ledger entry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from safeshare.agencies.models import Practitioner
from safeshare.cases.models import CaseAllocation, Involvement, Relationship
from safeshare.core import clock
from safeshare.ledger.events import Event
from safeshare.ledger.models import LedgerEntry
from safeshare.people.models import Address, ContactDetail, Person
from tests.conftest import World
from tests.factories import AddressFactory, InvolvementFactory, PersonFactory

pytestmark = pytest.mark.django_db

SignIn = Callable[[Practitioner], Client]


def ledger_rows(event: Event, actor: Practitioner) -> int:
    return LedgerEntry.objects.filter(event_code=event, actor_id=actor.pk).count()


def _date(name: str, day: dt.date) -> dict[str, str]:
    return {
        f"{name}-day": str(day.day),
        f"{name}-month": str(day.month),
        f"{name}-year": str(day.year),
    }


def _person_url(person: Person) -> str:
    return reverse("web:person-detail", kwargs={"person_id": person.pk})


def _case_url(world: World) -> str:
    return reverse("web:case-detail", kwargs={"case_id": world.case.pk})


def _error_summary(html: str) -> bool:
    return 'class="govuk-error-summary"' in html and "There is a problem" in html


# --- Addresses ----------------------------------------------------------------------------------


def test_allocated_worker_adds_a_protected_address_from_the_person_page(
    world: World, sign_in: SignIn
) -> None:
    child = world.case.subject
    client = sign_in(world.worker)
    page = client.get(_person_url(child)).content.decode()
    add_url = reverse("web:person-address-add", kwargs={"person_id": child.pk})
    assert add_url in page
    assert client.get(add_url).status_code == 200
    response = client.post(
        add_url,
        {
            "lines": "Flat 9, Nowhere Refuge\nFaketown",
            "postcode": "zz99 9zz",
            **_date("lived_from", dt.date(2026, 11, 2)),
            "is_protected": "true",
        },
        follow=True,
    )
    assert response.redirect_chain == [(_person_url(child), 302)]
    html = response.content.decode()
    assert "Address added for" in html
    assert "Protected address" in html
    address = Address.objects.get(person=child)
    assert (address.is_protected, address.lived_from) == (True, dt.date(2026, 11, 2))
    assert ledger_rows(Event.ADDRESS_ADDED, world.worker) == 1


def test_an_address_without_lines_shows_the_error_summary_and_adds_nothing(
    world: World, sign_in: SignIn
) -> None:
    child = world.case.subject
    url = reverse("web:person-address-add", kwargs={"person_id": child.pk})
    response = sign_in(world.worker).post(url, {"lines": " ", "postcode": "ZZ99 1AA"})
    html = response.content.decode()
    assert response.status_code == 200
    assert _error_summary(html)
    assert 'href="#id_lines"' in html
    assert "Enter the address" in html
    assert not Address.objects.exists()
    assert ledger_rows(Event.ADDRESS_ADDED, world.worker) == 0


def test_a_move_in_date_after_today_is_refused_by_the_service_on_its_field(
    world: World, sign_in: SignIn
) -> None:
    url = reverse("web:person-address-add", kwargs={"person_id": world.case.subject_id})
    future = clock.today() + dt.timedelta(days=3)
    response = sign_in(world.worker).post(
        url, {"lines": "2 Nowhere Lane", "postcode": "ZZ99 2AA", **_date("lived_from", future)}
    )
    html = response.content.decode()
    assert _error_summary(html)
    assert "The date they moved in must be today or in the past" in html
    assert not Address.objects.exists()


def test_allocated_worker_records_a_move_out(world: World, sign_in: SignIn) -> None:
    address = AddressFactory(person=world.case.subject, lived_from=dt.date(2025, 6, 1))
    client = sign_in(world.worker)
    url = reverse("web:address-end", kwargs={"address_id": address.pk})
    assert url in client.get(_person_url(world.case.subject)).content.decode()
    response = client.post(url, _date("lived_to", dt.date(2026, 11, 30)), follow=True)
    assert response.redirect_chain == [(_person_url(world.case.subject), 302)]
    assert "Previous address" in response.content.decode()
    address.refresh_from_db()
    assert address.lived_to == dt.date(2026, 11, 30)
    assert ledger_rows(Event.ADDRESS_ENDED, world.worker) == 1


def test_a_move_out_before_the_move_in_shows_the_error_and_changes_nothing(
    world: World, sign_in: SignIn
) -> None:
    address = AddressFactory(person=world.case.subject, lived_from=dt.date(2025, 6, 1))
    url = reverse("web:address-end", kwargs={"address_id": address.pk})
    response = sign_in(world.worker).post(url, _date("lived_to", dt.date(2025, 5, 1)))
    html = response.content.decode()
    assert _error_summary(html)
    assert "on or after the date they moved in" in html
    assert Address.objects.get().lived_to is None
    assert ledger_rows(Event.ADDRESS_ENDED, world.worker) == 0


def test_misuse_alleged_perpetrator_on_staff_never_sees_the_protected_address(
    world: World, sign_in: SignIn
) -> None:
    child = world.case.subject
    AddressFactory(person=child, lines="1 Old Lane, Faketown", lived_to=dt.date(2026, 1, 1))
    refuge = AddressFactory(person=child, lines="Nowhere Refuge, Faketown", is_protected=True)
    ContactDetail.objects.create(
        person=child, kind="phone", value="01632 960999", is_protected=True
    )
    InvolvementFactory(relationship=Relationship.ALLEGED_PERPETRATOR, practitioner=world.worker)
    client = sign_in(world.worker)
    html = client.get(_person_url(child)).content.decode()
    assert "1 Old Lane" in html
    assert "Nowhere Refuge" not in html
    assert "Protected" not in html
    assert "01632 960999" not in html
    end_url = reverse("web:address-end", kwargs={"address_id": refuge.pk})
    assert client.get(end_url).status_code == 404
    # Their DSL, not so recorded, sees it, with the warning.
    dsl_page = sign_in(world.dsl).get(_person_url(child)).content.decode()
    assert "Nowhere Refuge" in dsl_page
    assert "Do not share this address" in dsl_page


@pytest.mark.parametrize("who", ["colleague", "outsider"])
def test_practitioner_without_a_relationship_gets_404_on_address_pages(
    world: World, sign_in: SignIn, who: str
) -> None:
    address = AddressFactory(person=world.case.subject)
    client = sign_in(getattr(world, who))
    add = reverse("web:person-address-add", kwargs={"person_id": world.case.subject_id})
    end = reverse("web:address-end", kwargs={"address_id": address.pk})
    assert client.post(add, {"lines": "x", "postcode": "ZZ1 1ZZ"}).status_code == 404
    assert client.post(end, _date("lived_to", dt.date(2026, 1, 1))).status_code == 404
    assert list(Address.objects.all()) == [address]
    assert Address.objects.get().lived_to is None


# --- Contact details --------------------------------------------------------------------------


def test_allocated_worker_adds_and_ends_contact_details(world: World, sign_in: SignIn) -> None:
    child = world.case.subject
    client = sign_in(world.worker)
    add = reverse("web:person-contact-add", kwargs={"person_id": child.pk})
    response = client.post(add, {"kind": "phone", "value": "01632 960321"}, follow=True)
    assert response.redirect_chain == [(_person_url(child), 302)]
    contact = ContactDetail.objects.get()
    end = reverse("web:contact-end", kwargs={"contact_id": contact.pk})
    assert end in response.content.decode()
    assert "01632 960321" in client.get(end).content.decode()
    ended = client.post(end, {}, follow=True)
    assert "No longer used" in ended.content.decode()
    contact.refresh_from_db()
    assert contact.ended_on == clock.today()
    assert ledger_rows(Event.CONTACT_ADDED, world.worker) == 1
    assert ledger_rows(Event.CONTACT_ENDED, world.worker) == 1
    # Ending it again (a second tab) says why, and records nothing more.
    again = client.post(end, {})
    assert _error_summary(again.content.decode())
    assert ledger_rows(Event.CONTACT_ENDED, world.worker) == 1


def test_contact_details_without_a_kind_show_the_error_summary(
    world: World, sign_in: SignIn
) -> None:
    add = reverse("web:person-contact-add", kwargs={"person_id": world.case.subject_id})
    html = sign_in(world.worker).post(add, {"value": "01632 960321"}).content.decode()
    assert _error_summary(html)
    assert 'href="#id_kind_0"' in html
    assert not ContactDetail.objects.exists()


def test_information_governance_sees_the_person_but_no_way_to_change_them(
    world: World, sign_in: SignIn
) -> None:
    from safeshare.agencies.models import Role
    from tests.factories import PractitionerFactory

    officer = PractitionerFactory(agency=world.agency, roles=[Role.INFORMATION_GOVERNANCE])
    client = sign_in(officer)
    html = client.get(_person_url(world.case.subject)).content.decode()
    assert "Add an address" not in html
    assert "Add contact details" not in html
    add = reverse("web:person-address-add", kwargs={"person_id": world.case.subject_id})
    assert client.get(add).status_code == 403


# --- People involved --------------------------------------------------------------------------


def test_allocated_worker_adds_someone_new_to_the_case(world: World, sign_in: SignIn) -> None:
    client = sign_in(world.worker)
    url = reverse("web:case-person-add", kwargs={"case_id": world.case.pk})
    assert url in client.get(_case_url(world)).content.decode()
    response = client.post(
        url,
        {
            "given_name": "Fakedad",
            "family_name": "Zeroworth",
            "sex": "male",
            "relationship": "alleged_perpetrator",
        },
        follow=True,
    )
    assert response.redirect_chain == [(f"{_case_url(world)}#people-involved", 302)]
    assert "Fakedad Zeroworth added as alleged perpetrator" in response.content.decode()
    involvement = Involvement.objects.get(case=world.case)
    assert (involvement.person.family_name, involvement.relationship) == (
        "Zeroworth",
        "alleged_perpetrator",
    )
    assert ledger_rows(Event.PERSON_CREATED, world.worker) == 1
    assert ledger_rows(Event.INVOLVEMENT_ADDED, world.worker) == 1


def test_someone_new_without_a_family_name_or_relationship_is_not_recorded(
    world: World, sign_in: SignIn
) -> None:
    url = reverse("web:case-person-add", kwargs={"case_id": world.case.pk})
    people = Person.objects.count()
    html = (
        sign_in(world.worker).post(url, {"given_name": "Fakedad", "sex": "male"}).content.decode()
    )
    assert _error_summary(html)
    assert "Enter the family name" in html
    assert "Select their relationship to the child" in html
    assert Person.objects.count() == people
    assert not Involvement.objects.exists()


def test_worker_adds_a_person_they_hold_to_their_case_from_the_person_page(
    world: World, sign_in: SignIn
) -> None:
    sibling = PersonFactory(agency=world.agency, recorded_by=world.worker, given_name="Fakesis")
    client = sign_in(world.worker)
    url = reverse("web:person-involvement-add", kwargs={"person_id": sibling.pk})
    assert url in client.get(_person_url(sibling)).content.decode()
    page = client.get(url).content.decode()
    assert world.case.reference in page
    response = client.post(
        url,
        {"case": str(world.case.pk), "relationship": "sibling"},
        follow=True,
    )
    assert response.redirect_chain == [(_person_url(sibling), 302)]
    assert Involvement.objects.get(person=sibling).case == world.case
    assert f"added to case {world.case.reference}" in response.content.decode()


def test_a_case_the_worker_may_not_edit_cannot_be_chosen(world: World, sign_in: SignIn) -> None:
    sibling = PersonFactory(agency=world.agency, recorded_by=world.worker)
    url = reverse("web:person-involvement-add", kwargs={"person_id": sibling.pk})
    response = sign_in(world.worker).post(
        url, {"case": str(world.other_case.pk), "relationship": "sibling"}
    )
    html = response.content.decode()
    assert _error_summary(html)
    assert "Select the case" in html
    assert not Involvement.objects.exists()


def test_allocated_worker_ends_an_involvement_with_a_reason(world: World, sign_in: SignIn) -> None:
    involvement = InvolvementFactory(case=world.case, relationship=Relationship.PARTNER_OF_PARENT)
    client = sign_in(world.worker)
    url = reverse("web:involvement-end", kwargs={"involvement_id": involvement.pk})
    assert url in client.get(_case_url(world)).content.decode()
    missing = client.post(url, {})
    assert _error_summary(missing.content.decode())
    assert Involvement.objects.get().ended_on is None
    response = client.post(url, {"reason": "relationship_ended"}, follow=True)
    assert response.redirect_chain == [(f"{_case_url(world)}#people-involved", 302)]
    assert "the relationship has ended" in response.content.decode()
    involvement.refresh_from_db()
    assert involvement.end_reason == "relationship_ended"
    assert ledger_rows(Event.INVOLVEMENT_ENDED, world.worker) == 1


@pytest.mark.parametrize("who", ["colleague", "outsider"])
def test_practitioner_without_a_relationship_gets_404_on_involvement_pages(
    world: World, sign_in: SignIn, who: str
) -> None:
    involvement = InvolvementFactory(case=world.case)
    client = sign_in(getattr(world, who))
    end = reverse("web:involvement-end", kwargs={"involvement_id": involvement.pk})
    add = reverse("web:case-person-add", kwargs={"case_id": world.case.pk})
    assert client.post(end, {"reason": "died"}).status_code == 404
    assert client.post(add, {"family_name": "X", "relationship": "parent"}).status_code == 404
    assert Involvement.objects.get().ended_on is None
    assert Involvement.objects.count() == 1


# --- Allocations ------------------------------------------------------------------------------


def _allocation(world: World) -> CaseAllocation:
    return world.case.allocations.get(practitioner=world.worker)


def test_dsl_allocates_reallocates_and_ends_allocations(world: World, sign_in: SignIn) -> None:
    client = sign_in(world.dsl)
    page = client.get(_case_url(world)).content.decode()
    allocate = reverse("web:case-allocate", kwargs={"case_id": world.case.pk})
    reallocate = reverse(
        "web:allocation-reallocate", kwargs={"allocation_id": _allocation(world).pk}
    )
    assert allocate in page
    assert reallocate in page
    # Allocate the DSL themselves as supervisor.
    form = client.get(allocate).content.decode()
    assert world.colleague.full_name in form
    assert world.agency_admin.full_name not in form
    added = client.post(
        allocate, {"practitioner": str(world.dsl.pk), "role": "supervisor"}, follow=True
    )
    assert added.redirect_chain == [(f"{_case_url(world)}#allocations", 302)]
    # Hand the worker's part to the colleague.
    handed = client.post(
        reallocate,
        {"practitioner": str(world.colleague.pk), "reason": "left_team"},
        follow=True,
    )
    html = handed.content.decode()
    assert f"Case reallocated from {world.worker.full_name} to {world.colleague.full_name}" in html
    assert "they have left the team or the agency" in html
    old = _allocation(world)
    assert (old.ended_on, old.end_reason) == (clock.today(), "left_team")
    new = world.case.allocations.get(practitioner=world.colleague)
    assert new.ended_on is None
    assert ledger_rows(Event.CASE_REALLOCATED, world.dsl) == 1
    # End the supervisor allocation.
    supervisor = world.case.allocations.get(practitioner=world.dsl)
    end = reverse("web:allocation-end", kwargs={"allocation_id": supervisor.pk})
    client.post(end, {"reason": "work_finished"})
    supervisor.refresh_from_db()
    assert supervisor.end_reason == "work_finished"
    assert ledger_rows(Event.ALLOCATION_ENDED, world.dsl) == 2


def test_a_reallocation_without_a_reason_or_practitioner_changes_nothing(
    world: World, sign_in: SignIn
) -> None:
    url = reverse("web:allocation-reallocate", kwargs={"allocation_id": _allocation(world).pk})
    client = sign_in(world.dsl)
    form = client.get(url).content.decode()
    # The practitioner allocated now is not offered to take over from themselves.
    assert f'value="{world.worker.pk}"' not in form
    html = client.post(url, {"practitioner": ""}).content.decode()
    assert _error_summary(html)
    assert "Select the practitioner" in html
    assert "Select why the case is being reallocated" in html
    forged = client.post(url, {"practitioner": str(world.outsider.pk), "reason": "caseload"})
    assert _error_summary(forged.content.decode())
    assert _allocation(world).ended_on is None
    assert list(world.case.allocations.all()) == [_allocation(world)]
    assert ledger_rows(Event.CASE_REALLOCATED, world.dsl) == 0


def test_an_allocated_worker_may_not_manage_allocations(world: World, sign_in: SignIn) -> None:
    client = sign_in(world.worker)
    page = client.get(_case_url(world)).content.decode()
    assert "Reallocate" not in page
    assert "Allocate a practitioner" not in page
    pages: list[tuple[str, dict[str, Any]]] = [
        (reverse("web:case-allocate", kwargs={"case_id": world.case.pk}), {}),
        (
            reverse("web:allocation-end", kwargs={"allocation_id": _allocation(world).pk}),
            {"reason": "caseload"},
        ),
    ]
    for url, data in pages:
        assert client.get(url).status_code == 403
        assert client.post(url, data).status_code == 403
    assert _allocation(world).ended_on is None


def test_another_agencys_dsl_gets_404_on_allocation_pages(world: World, sign_in: SignIn) -> None:
    client = sign_in(world.outsider)
    allocate = reverse("web:case-allocate", kwargs={"case_id": world.case.pk})
    end = reverse("web:allocation-end", kwargs={"allocation_id": _allocation(world).pk})
    assert client.get(allocate).status_code == 404
    assert client.post(end, {"reason": "caseload"}).status_code == 404
    assert _allocation(world).ended_on is None
