"""Person pages: who may see a person's record and find people, and what they see."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from safeshare.agencies.models import Practitioner
from safeshare.ledger.events import Event
from safeshare.ledger.models import LedgerEntry
from safeshare.people.models import NameKind, PersonName
from safeshare.people.services import address_add, contact_add
from tests.conftest import World
from tests.factories import CaseFactory, InvolvementFactory, PersonFactory
from tests.web.test_cases import comparable, ledger_rows

pytestmark = pytest.mark.django_db

SignIn = Callable[[Practitioner], Client]


def person_url(person_id: object) -> str:
    return reverse("web:person-detail", kwargs={"person_id": person_id})


def test_allocated_worker_can_view_the_child_with_names_and_cases(
    world: World, sign_in: SignIn
) -> None:
    child = world.case.subject
    child.nhs_number = "9997654323"
    child.save()
    PersonName.objects.create(person=child, kind=NameKind.ALIAS, given_name="Fakenick")
    response = sign_in(world.worker).get(person_url(child.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert child.display_name in html
    assert "999 765 4323" in html
    assert "1 April 2016" in html
    assert "Fakenick" in html
    assert world.case.reference in html
    entry = LedgerEntry.objects.get(event_code=Event.PERSON_VIEWED, actor_id=world.worker.pk)
    assert entry.subject_person_id == child.pk


def test_protected_address_is_tagged_and_shown_to_the_holding_agencys_staff(
    world: World, sign_in: SignIn
) -> None:
    child = world.case.subject
    address_add(
        actor=None,
        person=child,
        lines="Flat 9, Refuge Road, Faketown",
        postcode="ZZ99 9ZZ",
        is_protected=True,
    )
    contact_add(actor=None, person=child, kind="phone", value="01632 960000")
    html = sign_in(world.worker).get(person_url(child.pk)).content.decode()
    assert "Protected address" in html
    assert "govuk-tag--red" in html
    assert "Flat 9, Refuge Road, Faketown" in html
    assert "ZZ99 9ZZ" in html
    assert "01632 960000" in html


def test_person_page_lists_only_the_cases_the_actor_may_see(world: World, sign_in: SignIn) -> None:
    parent = PersonFactory(agency=world.agency, given_name="Fakeparent")
    InvolvementFactory(case=world.case, person=parent)
    unallocated = CaseFactory(agency=world.agency)
    InvolvementFactory(case=unallocated, person=parent)
    worker_html = sign_in(world.worker).get(person_url(parent.pk)).content.decode()
    assert world.case.reference in worker_html
    assert unallocated.reference not in worker_html
    dsl_html = sign_in(world.dsl).get(person_url(parent.pk)).content.decode()
    assert world.case.reference in dsl_html
    assert unallocated.reference in dsl_html


def test_dsl_of_the_same_agency_can_view_the_child(world: World, sign_in: SignIn) -> None:
    response = sign_in(world.dsl).get(person_url(world.case.subject_id))
    assert response.status_code == 200


@pytest.mark.parametrize("who", ["colleague", "outsider"])
def test_practitioner_without_a_relationship_cannot_view_the_child(
    world: World, sign_in: SignIn, who: str
) -> None:
    actor = getattr(world, who)
    client = sign_in(actor)
    forbidden = client.get(person_url(world.case.subject_id))
    missing = client.get(person_url(uuid.uuid4()))
    assert forbidden.status_code == missing.status_code == 404
    assert comparable(forbidden.content) == comparable(missing.content)
    assert world.case.subject.display_name not in forbidden.content.decode()
    assert ledger_rows(Event.PERSON_VIEWED, actor) == 0


def test_system_admin_without_casework_cannot_view_people(world: World, sign_in: SignIn) -> None:
    client = sign_in(world.system_admin)
    assert client.get(person_url(world.case.subject_id)).status_code == 403
    assert client.get(reverse("web:person-search"), {"q": "Testington"}).status_code == 403


# ---------------------------------------------------------------------------------------------
# Finding people
# ---------------------------------------------------------------------------------------------


def test_allocated_worker_finds_the_child_by_name_and_the_read_is_recorded(
    world: World, sign_in: SignIn
) -> None:
    child = world.case.subject
    response = sign_in(world.worker).get(reverse("web:person-search"), {"q": child.given_name})
    html = response.content.decode()
    assert response.status_code == 200
    assert person_url(child.pk) in html
    entry = LedgerEntry.objects.get(event_code=Event.PERSON_LISTED, actor_id=world.worker.pk)
    assert entry.subject_person_id == child.pk


def test_people_can_be_found_by_nhs_number(world: World, sign_in: SignIn) -> None:
    child = world.case.subject
    child.nhs_number = "9990000018"
    child.save()
    html = (
        sign_in(world.worker)
        .get(reverse("web:person-search"), {"q": "999 000 0018"})
        .content.decode()
    )
    assert person_url(child.pk) in html


@pytest.mark.parametrize("who", ["colleague", "outsider"])
def test_search_does_not_find_people_the_actor_may_not_see(
    world: World, sign_in: SignIn, who: str
) -> None:
    actor = getattr(world, who)
    response = sign_in(actor).get(reverse("web:person-search"), {"q": "Testington"})
    html = response.content.decode()
    assert response.status_code == 200
    assert person_url(world.case.subject_id) not in html
    assert not LedgerEntry.objects.filter(
        event_code=Event.PERSON_LISTED, actor_id=actor.pk, subject_person_id=world.case.subject_id
    ).exists()


def test_colleague_not_allocated_is_told_nobody_they_can_see_matches(
    world: World, sign_in: SignIn
) -> None:
    html = (
        sign_in(world.colleague)
        .get(reverse("web:person-search"), {"q": "Testington"})
        .content.decode()
    )
    assert "No people you can see match" in html
    assert ledger_rows(Event.PERSON_LISTED, world.colleague) == 0


def test_an_empty_search_shows_the_prompt_and_records_nothing(
    world: World, sign_in: SignIn
) -> None:
    response = sign_in(world.worker).get(reverse("web:person-search"))
    assert response.status_code == 200
    assert "Search for a child" in response.content.decode()
    assert ledger_rows(Event.PERSON_LISTED, world.worker) == 0
