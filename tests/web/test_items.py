"""Information items: who may record and correct them, and bad input saves nothing."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from safeshare.agencies.models import Practitioner, Role
from safeshare.cases.models import CaseStatus, InformationItem, InformationItemRevision
from safeshare.cases.services import item_update
from safeshare.core import clock
from safeshare.ledger.events import Event
from safeshare.ledger.models import LedgerEntry
from tests.conftest import World
from tests.factories import (
    InvolvementFactory,
    ItemFactory,
    PersonFactory,
    PractitionerFactory,
)
from tests.web.test_cases import comparable, ledger_rows

pytestmark = pytest.mark.django_db

SignIn = Callable[[Practitioner], Client]

VALID_ITEM = {
    "category": "child",
    "summary": "Missed health appointment",
    "content": "Fakechild was not brought to the clinic on Tuesday.",
    "fact_or_opinion": "fact",
    "source": "Health visitor",
    "how_known": "agency_record",
    "event_date": "2026-01-13",
    "special_category": "health",
    "criminal_offence_data": "",
    "is_confidential": "true",
    "third_party_protected": "",
}

NOW = dt.datetime(2026, 2, 1, 12, tzinfo=dt.UTC)


def create_url(world: World) -> str:
    return reverse("web:item-create", kwargs={"case_id": world.case.pk})


def edit_url(item: InformationItem) -> str:
    return reverse("web:item-edit", kwargs={"item_id": item.pk})


def new_items(world: World) -> list[InformationItem]:
    """Items recorded by the tests (the world's own item excluded; summaries cannot be filtered)."""
    return list(InformationItem.objects.exclude(pk=world.item.pk))


def new_item(world: World) -> InformationItem:
    (item,) = new_items(world)
    return item


def item_data(world: World, **change: str) -> dict[str, str]:
    return {**VALID_ITEM, "about": str(world.case.subject_id), **change}


# ---------------------------------------------------------------------------------------------
# Recording an item
# ---------------------------------------------------------------------------------------------


def test_allocated_worker_can_record_an_item(world: World, sign_in: SignIn) -> None:
    client = sign_in(world.worker)
    form = client.get(create_url(world))
    assert form.status_code == 200
    assert 'name="summary"' in form.content.decode()
    with clock.frozen(NOW):
        response = client.post(create_url(world), item_data(world))
    item = new_item(world)
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("web:case-detail", kwargs={"case_id": world.case.pk}) + f"#item-{item.pk}"
    )
    assert item.case == world.case
    assert item.recorded_by == world.worker
    assert item.event_date == dt.date(2026, 1, 13)
    assert item.special_category == "health"
    assert item.is_confidential is True
    assert item.criminal_offence_data is False
    assert item.about == world.case.subject
    entry = LedgerEntry.objects.get(event_code=Event.ITEM_CREATED, actor_id=world.worker.pk)
    assert entry.object_id == str(item.pk)


def test_recorded_item_is_shown_on_the_case_page(world: World, sign_in: SignIn) -> None:
    client = sign_in(world.worker)
    with clock.frozen(NOW):
        response = client.post(create_url(world), item_data(world), follow=True)
    html = response.content.decode()
    assert "Information recorded: Missed health appointment" in html
    assert "Fakechild was not brought to the clinic on Tuesday." in html
    assert "Special category: Health" in html


def test_not_special_category_is_stored_as_none(world: World, sign_in: SignIn) -> None:
    with clock.frozen(NOW):
        sign_in(world.worker).post(create_url(world), item_data(world, special_category="none"))
    assert new_item(world).special_category == ""


def test_an_item_can_be_about_someone_involved_in_the_case(world: World, sign_in: SignIn) -> None:
    involvement = InvolvementFactory(case=world.case, person__given_name="Fakeparent")
    client = sign_in(world.worker)
    form = client.get(create_url(world)).content.decode()
    assert "Fakeparent Testington (parent)" in form
    with clock.frozen(NOW):
        client.post(create_url(world), item_data(world, about=str(involvement.person_id)))
    item = new_item(world)
    assert item.about == involvement.person


def test_dsl_of_the_same_agency_can_record_an_item(world: World, sign_in: SignIn) -> None:
    with clock.frozen(NOW):
        response = sign_in(world.dsl).post(create_url(world), item_data(world))
    assert response.status_code == 302
    assert ledger_rows(Event.ITEM_CREATED, world.dsl) == 1


@pytest.mark.parametrize(
    ("change", "anchor", "message"),
    [
        ({"summary": ""}, "id_summary", "Enter a short summary"),
        ({"summary": "   "}, "id_summary", "Enter a short summary"),
        ({"summary": "x" * 201}, "id_summary", "200 characters or fewer"),
        ({"content": ""}, "id_content", "Enter the information"),
        ({"category": ""}, "id_category_0", "Select the category of information"),
        ({"fact_or_opinion": "rumour"}, "id_fact_or_opinion_0", "Select a valid choice"),
        ({"source": ""}, "id_source", "Enter where the information came from"),
        ({"how_known": ""}, "id_how_known_0", "Select how the information is known"),
        ({"event_date": ""}, "id_event_date-day", "Enter the date of the event"),
        (
            {"event_date-day": "45", "event_date-month": "13", "event_date-year": "2026"},
            "id_event_date-month",
            "Date of the event must be a real date",
        ),
        ({"event_date": "2026-03-01"}, "id_event_date-day", "must be today or in the past"),
        ({"special_category": "astrology"}, "id_special_category", "Select a valid choice"),
    ],
)
def test_bad_input_when_recording_an_item_shows_the_error_and_saves_nothing(
    world: World, sign_in: SignIn, change: dict[str, str], anchor: str, message: str
) -> None:
    client = sign_in(world.worker)
    items = InformationItem.objects.count()
    with clock.frozen(NOW):
        response = client.post(create_url(world), item_data(world, **change))
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert f'href="#{anchor}"' in html
    assert message in html
    assert f'id="{anchor}"' in html
    assert InformationItem.objects.count() == items
    assert ledger_rows(Event.ITEM_CREATED, world.worker) == 0
    assert ledger_rows(Event.CASE_VIEWED, world.worker) == 1  # the case was read, nothing written


def test_an_item_about_someone_outside_the_case_is_refused(world: World, sign_in: SignIn) -> None:
    stranger = PersonFactory(agency=world.agency)
    with clock.frozen(NOW):
        response = sign_in(world.worker).post(
            create_url(world), item_data(world, about=str(stranger.pk))
        )
    assert response.status_code == 200
    assert "Select the child or someone involved in the case" in response.content.decode()
    assert not new_items(world)


def test_recording_in_a_closed_case_is_refused_above_the_form(
    world: World, sign_in: SignIn
) -> None:
    world.case.status = CaseStatus.CLOSED
    world.case.save()
    with clock.frozen(NOW):
        response = sign_in(world.worker).post(create_url(world), item_data(world))
    assert response.status_code == 200
    html = response.content.decode()
    assert "The case is closed; reopen it before recording information" in html
    assert 'href="#id_category_0"' in html
    assert not new_items(world)


@pytest.mark.parametrize("who", ["colleague", "outsider"])
def test_practitioner_without_a_relationship_cannot_record_an_item(
    world: World, sign_in: SignIn, who: str
) -> None:
    client = sign_in(getattr(world, who))
    assert client.get(create_url(world)).status_code == 404
    with clock.frozen(NOW):
        response = client.post(create_url(world), item_data(world))
    assert response.status_code == 404
    assert not new_items(world)


def test_system_admin_without_casework_cannot_record_an_item(world: World, sign_in: SignIn) -> None:
    with clock.frozen(NOW):
        response = sign_in(world.system_admin).post(create_url(world), item_data(world))
    assert response.status_code == 403
    assert not new_items(world)


# ---------------------------------------------------------------------------------------------
# Correcting an item
# ---------------------------------------------------------------------------------------------


def test_allocated_worker_can_correct_an_item_with_a_reason(world: World, sign_in: SignIn) -> None:
    client = sign_in(world.worker)
    form = client.get(edit_url(world.item)).content.decode()
    assert 'value="Attended school tired"' in form
    assert 'name="reason"' in form
    data = item_data(
        world,
        summary="Attended school tired and hungry",
        content=world.item.content,
        source="Class teacher",
        how_known="observed",
        event_date="2026-01-05",
        special_category="none",
        is_confidential="",
        reason="Hunger was left out of the first note",
    )
    with clock.frozen(NOW):
        response = client.post(edit_url(world.item), data)
    assert response.status_code == 302
    world.item.refresh_from_db()
    assert world.item.summary == "Attended school tired and hungry"
    assert world.item.version == 2
    revision = InformationItemRevision.objects.get(item=world.item)
    assert revision.summary == "Attended school tired"
    assert revision.reason == "Hunger was left out of the first note"
    assert ledger_rows(Event.ITEM_UPDATED, world.worker) == 1
    assert ledger_rows(Event.ITEM_VIEWED, world.worker) == 2  # the form, then the save


def test_correcting_an_item_needs_a_reason_and_changes_nothing_without_one(
    world: World, sign_in: SignIn
) -> None:
    with clock.frozen(NOW):
        response = sign_in(world.worker).post(
            edit_url(world.item), item_data(world, summary="Changed", reason="")
        )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="#id_reason"' in html
    assert "Enter why the item is being changed" in html
    world.item.refresh_from_db()
    assert world.item.summary == "Attended school tired"
    assert world.item.version == 1
    assert ledger_rows(Event.ITEM_UPDATED, world.worker) == 0


def test_the_create_form_does_not_ask_for_a_reason(world: World, sign_in: SignIn) -> None:
    html = sign_in(world.worker).get(create_url(world)).content.decode()
    assert 'name="reason"' not in html


@pytest.mark.parametrize("who", ["colleague", "outsider"])
def test_practitioner_without_a_relationship_cannot_correct_an_item(
    world: World, sign_in: SignIn, who: str
) -> None:
    client = sign_in(getattr(world, who))
    forbidden = client.get(edit_url(world.item))
    missing = client.get(reverse("web:item-edit", kwargs={"item_id": uuid.uuid4()}))
    assert forbidden.status_code == missing.status_code == 404
    assert comparable(forbidden.content) == comparable(missing.content)
    assert world.item.content not in forbidden.content.decode()
    with clock.frozen(NOW):
        posted = client.post(edit_url(world.item), item_data(world, reason="Because"))
    assert posted.status_code == 404
    world.item.refresh_from_db()
    assert world.item.version == 1


def test_information_governance_can_read_but_not_correct_items(
    world: World, sign_in: SignIn
) -> None:
    governance = PractitionerFactory(agency=world.agency, roles=[Role.INFORMATION_GOVERNANCE])
    client = sign_in(governance)
    page = client.get(reverse("web:case-detail", kwargs={"case_id": world.case.pk}))
    assert world.item.content in page.content.decode()
    assert edit_url(world.item) not in page.content.decode()
    assert client.get(edit_url(world.item)).status_code == 403


# ---------------------------------------------------------------------------------------------
# An item's history (earlier wordings kept when it is corrected)
# ---------------------------------------------------------------------------------------------

CORRECTED_AT = dt.datetime(2026, 11, 2, 9, 30, tzinfo=dt.UTC)


def history_url(item: InformationItem) -> str:
    return reverse("web:item-history", kwargs={"item_id": item.pk})


def correct(item: InformationItem, actor: Practitioner) -> InformationItem:
    """Correct ``item`` through the service, as the correction form would."""
    with clock.frozen(CORRECTED_AT):
        return item_update(
            actor=actor,
            item=item,
            category=item.category,
            summary="Attended school tired and hungry",
            content="Fakechild arrived at school tired, hungry and without a coat on Monday.",
            fact_or_opinion=item.fact_or_opinion,
            source="Class teacher and teaching assistant",
            how_known=item.how_known,
            event_date=item.event_date,
            special_category=item.special_category,
            criminal_offence_data=item.criminal_offence_data,
            is_confidential=item.is_confidential,
            third_party_protected=item.third_party_protected,
            reason="The coat was left out of the first note",
        )


def test_allocated_worker_can_see_how_an_item_was_corrected(world: World, sign_in: SignIn) -> None:
    correct(world.item, world.worker)
    response = sign_in(world.worker).get(history_url(world.item))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Current version (version 2)" in html
    assert "Attended school tired and hungry" in html
    assert "tired, hungry and without a coat" in html
    assert "Class teacher and teaching assistant" in html
    assert "Version 1</h3>" in html
    assert "Fakechild arrived at school tired and hungry on Monday." in html  # the old wording
    assert "The coat was left out of the first note" in html
    assert world.worker.full_name in html
    assert "2 November 2026, 9:30am" in html  # when version 1 was replaced, GOV.UK style
    assert "This item has not been corrected" not in html
    assert reverse("web:case-detail", kwargs={"case_id": world.case.pk}) in html  # back link


def test_item_history_lists_earlier_versions_newest_first(world: World, sign_in: SignIn) -> None:
    correct(correct(world.item, world.worker), world.dsl)
    html = sign_in(world.worker).get(history_url(world.item)).content.decode()
    assert "Current version (version 3)" in html
    assert html.index("Version 2</h3>") < html.index("Version 1</h3>")
    assert world.dsl.full_name in html


def test_viewing_item_history_is_recorded_in_the_ledger(world: World, sign_in: SignIn) -> None:
    correct(world.item, world.worker)
    sign_in(world.worker).get(history_url(world.item))
    entry = LedgerEntry.objects.get(event_code=Event.ITEM_VIEWED, actor_id=world.worker.pk)
    assert entry.object_id == str(world.item.pk)


def test_history_of_an_item_never_corrected_says_so(world: World, sign_in: SignIn) -> None:
    response = sign_in(world.worker).get(history_url(world.item))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Current version (version 1)" in html
    assert "This item has not been corrected" in html
    assert "Version 1</h3>" not in html


def test_information_governance_can_see_how_an_item_was_corrected(
    world: World, sign_in: SignIn
) -> None:
    correct(world.item, world.worker)
    governance = PractitionerFactory(agency=world.agency, roles=[Role.INFORMATION_GOVERNANCE])
    client = sign_in(governance)
    page = client.get(reverse("web:case-detail", kwargs={"case_id": world.case.pk}))
    assert history_url(world.item) in page.content.decode()
    response = client.get(history_url(world.item))
    assert response.status_code == 200
    assert "The coat was left out of the first note" in response.content.decode()


@pytest.mark.parametrize("who", ["colleague", "outsider"])
def test_practitioner_without_a_relationship_cannot_see_item_history(
    world: World, sign_in: SignIn, who: str
) -> None:
    correct(world.item, world.worker)
    client = sign_in(getattr(world, who))
    forbidden = client.get(history_url(world.item))
    missing = client.get(reverse("web:item-history", kwargs={"item_id": uuid.uuid4()}))
    assert forbidden.status_code == missing.status_code == 404
    assert comparable(forbidden.content) == comparable(missing.content)
    html = forbidden.content.decode()
    assert "The coat was left out of the first note" not in html
    assert "Attended school tired" not in html
    assert ledger_rows(Event.ITEM_VIEWED, getattr(world, who)) == 0


def test_case_page_links_to_history_only_for_corrected_items(world: World, sign_in: SignIn) -> None:
    untouched = ItemFactory(case=world.case, recorded_by=world.worker, summary="Seen at clinic")
    correct(world.item, world.worker)
    page = sign_in(world.worker).get(reverse("web:case-detail", kwargs={"case_id": world.case.pk}))
    html = page.content.decode()
    assert history_url(world.item) in html
    assert "Corrected (version 2) \N{EN DASH} see history" in html
    assert history_url(untouched) not in html
    assert html.count("see history") == 1
