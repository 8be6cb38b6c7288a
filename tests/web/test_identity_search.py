"""Identity search and the pointer index on the web: who may search, what they see, 404s."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from safeshare.agencies.models import Practitioner
from safeshare.ledger.events import Event
from safeshare.ledger.models import LedgerEntry
from safeshare.web.views.requests import _SESSION_KEY as REQUEST_WIZARD_KEY
from tests.conftest import World
from tests.linkage.test_search import QUERY, linked_child, mash_officer

pytestmark = pytest.mark.django_db

SignIn = Callable[[Practitioner], Client]
SEARCH_URL = "/identities/search/"


def pointers_url(person_id: object) -> str:
    return reverse("web:person-pointers", kwargs={"person_id": person_id})


def ask_url(person_id: object, agency_id: object) -> str:
    return reverse(
        "web:person-pointer-ask", kwargs={"person_id": person_id, "agency_id": agency_id}
    )


def test_search_page_is_a_post_form(world: World, sign_in: SignIn) -> None:
    assert reverse("web:identity-search") == SEARCH_URL
    response = sign_in(world.worker).get(SEARCH_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'method="post"' in html
    assert "Find a child across agencies" in html


def test_practitioner_searches_and_sees_probability_reasons_and_own_record(
    world: World, sign_in: SignIn
) -> None:
    linked = linked_child(world)
    response = sign_in(world.worker).post(SEARCH_URL, QUERY)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Date of birth: the same date of birth" in html
    assert reverse("web:person-detail", kwargs={"person_id": linked.ours.pk}) in html
    assert linked.theirs.display_name not in html  # another agency's record
    assert "Best match:" not in html
    assert LedgerEntry.objects.filter(event_code=Event.IDENTITY_SEARCHED).count() == 1


def test_mash_officer_sees_the_best_match_identifying_details(
    world: World, sign_in: SignIn
) -> None:
    linked_child(world)
    html = sign_in(mash_officer(world)).post(SEARCH_URL, QUERY).content.decode()
    assert "Best match:" in html
    assert "ZZ1" in html


def test_a_vague_search_shows_the_error_summary_and_records_nothing(
    world: World, sign_in: SignIn
) -> None:
    linked_child(world)
    response = sign_in(world.worker).post(SEARCH_URL, {"given_name": "Elizabeth"})
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Enter an NHS number, or a name with a date of birth or a postcode" in html
    assert not LedgerEntry.objects.filter(event_code=Event.IDENTITY_SEARCHED).exists()


def test_an_invalid_nhs_number_shows_the_error_summary(world: World, sign_in: SignIn) -> None:
    linked_child(world)
    html = sign_in(world.worker).post(SEARCH_URL, {"nhs_number": "123"}).content.decode()
    assert "There is a problem" in html


def test_search_without_an_active_model_says_so(world: World, sign_in: SignIn) -> None:
    html = sign_in(world.worker).post(SEARCH_URL, QUERY).content.decode()
    assert "no linkage model is in use" in html


def test_agency_admin_cannot_search(world: World, sign_in: SignIn) -> None:
    assert sign_in(world.agency_admin).post(SEARCH_URL, QUERY).status_code == 403


def test_person_page_links_to_the_pointer_index_for_the_allocated_worker(
    world: World, sign_in: SignIn
) -> None:
    linked = linked_child(world)
    person_page = reverse("web:person-detail", kwargs={"person_id": linked.ours.pk})
    html = sign_in(world.worker).get(person_page).content.decode()
    assert pointers_url(linked.ours.pk) in html


def test_allocated_worker_sees_the_agencies_holding_a_record(world: World, sign_in: SignIn) -> None:
    linked = linked_child(world)
    response = sign_in(world.worker).get(pointers_url(linked.ours.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert world.other_agency.name in html
    assert "Holds a record" in html
    assert linked.theirs.display_name not in html
    assert LedgerEntry.objects.filter(event_code=Event.POINTER_INDEX_VIEWED).count() == 1


def test_colleague_without_a_relationship_gets_404_for_the_pointer_index(
    world: World, sign_in: SignIn
) -> None:
    linked = linked_child(world)
    assert sign_in(world.colleague).get(pointers_url(linked.ours.pk)).status_code == 404
    assert sign_in(world.outsider).get(pointers_url(linked.ours.pk)).status_code == 404


def test_asking_an_agency_starts_the_request_with_its_answers_filled_in(
    world: World, sign_in: SignIn
) -> None:
    linked = linked_child(world)
    client = sign_in(world.worker)
    response = client.post(ask_url(linked.ours.pk, world.other_agency.pk))
    assert response.status_code == 302
    assert response["Location"] == reverse("web:request-step", kwargs={"step": "agency"})
    answers = client.session[REQUEST_WIZARD_KEY]
    assert answers["agency"]["receiving_agency"] == str(world.other_agency.pk)
    assert answers["child"]["nhs_number"] == "9990000018"
    assert LedgerEntry.objects.filter(event_code=Event.POINTER_REQUEST_STARTED).count() == 1
    page = client.get(response["Location"]).content.decode()
    assert str(world.other_agency.pk) in page


def test_asking_is_404_without_a_relationship_and_refuses_get(
    world: World, sign_in: SignIn
) -> None:
    linked = linked_child(world)
    url = ask_url(linked.ours.pk, world.other_agency.pk)
    assert sign_in(world.colleague).post(url).status_code == 404
    assert sign_in(world.worker).get(url).status_code == 405
    assert not LedgerEntry.objects.filter(event_code=Event.POINTER_REQUEST_STARTED).exists()


def test_worker_reports_a_pointer_that_may_be_another_child(world: World, sign_in: SignIn) -> None:
    from safeshare.linkage.models import CandidatePair

    linked = linked_child(world)
    client = sign_in(world.worker)
    page = client.get(pointers_url(linked.ours.pk)).content.decode()
    assert "This may not be the same child" in page
    url = f"/people/{linked.ours.pk}/pointers/{world.other_agency.pk}/dispute/"
    empty = client.post(url, {"reason": ""})
    assert "govuk-error-summary" in empty.content.decode()
    assert not CandidatePair.objects.exists()
    response = client.post(url, {"reason": "The police say it is a cousin"}, follow=True)
    assert response.redirect_chain[-1][0] == pointers_url(linked.ours.pk)
    assert "Sent to the MASH" in response.content.decode()
    assert CandidatePair.objects.count() == 1


def test_reporting_a_pointer_is_404_without_a_relationship(world: World, sign_in: SignIn) -> None:
    linked = linked_child(world)
    url = f"/people/{linked.ours.pk}/pointers/{world.other_agency.pk}/dispute/"
    response = sign_in(world.colleague).post(url, {"reason": "The police say it is a cousin"})
    assert response.status_code == 404
