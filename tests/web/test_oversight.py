"""Oversight pages: who has seen a record, notifications, the access review queue, SAR export."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from safeshare.agencies.models import Practitioner, Role
from safeshare.core import clock
from safeshare.decisions.engine import ConsentState
from safeshare.ledger.events import Event
from safeshare.ledger.models import LedgerEntry
from safeshare.oversight.models import AccessReview, NotificationMarker
from tests.conftest import World
from tests.decisions.helpers import facts, given_consent, record
from tests.factories import PractitionerFactory
from tests.oversight.helpers import AT_WORK, allocations_since_2020, open_case

pytestmark = pytest.mark.django_db

SignIn = Callable[[Practitioner], Client]


@pytest.fixture(autouse=True)
def at_work(world: World) -> Iterator[dt.datetime]:
    allocations_since_2020(world)
    with clock.frozen(AT_WORK):
        yield AT_WORK


@pytest.fixture
def ig(world: World) -> Practitioner:
    return PractitionerFactory(agency=world.agency, roles=[Role.INFORMATION_GOVERNANCE])


def case_history_url(world: World) -> str:
    return reverse("web:case-record-access", kwargs={"case_id": world.case.pk})


def person_history_url(world: World) -> str:
    return reverse("web:person-record-access", kwargs={"person_id": world.case.subject_id})


def html_of(response: object) -> str:
    return response.content.decode()  # type: ignore[attr-defined, no-any-return]


# --- Who has seen this record --------------------------------------------------------------------


def test_dsl_sees_the_link_on_the_case_and_person_pages(world: World, sign_in: SignIn) -> None:
    client = sign_in(world.dsl)
    case_page = html_of(client.get(reverse("web:case-detail", args=[world.case.pk])))
    person_page = html_of(client.get(reverse("web:person-detail", args=[world.case.subject_id])))
    assert case_history_url(world) in case_page
    assert person_history_url(world) in person_page


def test_allocated_worker_is_not_offered_the_link(world: World, sign_in: SignIn) -> None:
    page = html_of(sign_in(world.worker).get(reverse("web:case-detail", args=[world.case.pk])))
    assert "Who has seen this record" not in page


def test_dsl_sees_who_has_seen_the_case_including_outside_access(
    world: World, sign_in: SignIn
) -> None:
    open_case(world.outsider, world.case)
    response = sign_in(world.dsl).get(case_history_url(world))
    assert response.status_code == 200
    html = html_of(response)
    assert world.outsider.full_name in html
    assert world.other_agency.name in html
    assert "Outside your agency" in html
    assert "Opened the case" in html
    assert "Looked at who has seen this record" in html  # this very visit, recorded first
    assert LedgerEntry.objects.filter(
        event_code=Event.RECORD_ACCESS_VIEWED, actor_id=world.dsl.pk, subject_case_id=world.case.pk
    ).exists()


def test_outside_filter_shows_only_other_agencies(world: World, sign_in: SignIn) -> None:
    open_case(world.outsider, world.case)
    open_case(world.colleague, world.case)
    html = html_of(sign_in(world.dsl).get(case_history_url(world), {"show": "outside"}))
    assert world.outsider.full_name in html
    assert world.colleague.full_name not in html


def test_information_governance_sees_a_person_history_and_the_sar_link(
    world: World, sign_in: SignIn, ig: Practitioner
) -> None:
    response = sign_in(ig).get(person_history_url(world))
    assert response.status_code == 200
    assert reverse("web:subject-access", args=[world.case.subject_id]) in html_of(response)


def test_worker_cannot_see_who_has_seen_their_case(world: World, sign_in: SignIn) -> None:
    assert sign_in(world.worker).get(case_history_url(world)).status_code == 403


def test_dsl_of_another_agency_gets_not_found(world: World, sign_in: SignIn) -> None:
    client = sign_in(world.outsider)
    assert client.get(case_history_url(world)).status_code == 404
    assert client.get(person_history_url(world)).status_code == 404
    assert not LedgerEntry.objects.filter(event_code=Event.RECORD_ACCESS_VIEWED).exists()


# --- Notifications -------------------------------------------------------------------------------


def test_allocated_worker_is_notified_of_outside_access_with_a_count(
    world: World, sign_in: SignIn
) -> None:
    open_case(world.outsider, world.case)
    client = sign_in(world.worker)
    dashboard = html_of(client.get(reverse("web:dashboard")))
    assert reverse("web:notifications") in dashboard
    assert '1<span class="govuk-visually-hidden"> new</span>' in dashboard
    page = html_of(client.get(reverse("web:notifications")))
    assert world.case.reference in page
    assert world.other_agency.name in page
    assert "New" in page
    assert LedgerEntry.objects.filter(
        event_code=Event.NOTIFICATIONS_VIEWED, actor_id=world.worker.pk
    ).exists()


def test_colleague_without_allocation_is_not_notified(world: World, sign_in: SignIn) -> None:
    open_case(world.outsider, world.case)
    page = html_of(sign_in(world.colleague).get(reverse("web:notifications")))
    assert world.case.reference not in page
    assert "Nobody outside your agency" in page


def test_marking_notifications_seen_clears_the_count(world: World, sign_in: SignIn) -> None:
    seen = open_case(world.outsider, world.case)
    client = sign_in(world.worker)
    page = html_of(client.get(reverse("web:notifications")))
    assert f'name="up_to" value="{seen.id}"' in page
    response = client.post(reverse("web:notifications-seen"), {"up_to": seen.id})
    assert response.status_code == 302
    assert NotificationMarker.objects.get(practitioner=world.worker).seen_up_to == seen.id
    dashboard = html_of(client.get(reverse("web:dashboard")))
    assert 'govuk-visually-hidden"> new</span>' not in dashboard


def test_marking_nonsense_seen_changes_nothing(world: World, sign_in: SignIn) -> None:
    client = sign_in(world.worker)
    client.post(reverse("web:notifications-seen"), {"up_to": "lots"})
    client.post(reverse("web:notifications-seen"), {"up_to": 10**15})
    assert not NotificationMarker.objects.filter(seen_up_to__gt=0).exists()


def test_information_governance_has_no_notifications_page(
    world: World, sign_in: SignIn, ig: Practitioner
) -> None:
    assert sign_in(ig).get(reverse("web:notifications")).status_code == 403


# --- Access review -------------------------------------------------------------------------------


def test_information_governance_sees_flagged_access_with_reasons_and_a_chart(
    world: World, sign_in: SignIn, ig: Practitioner
) -> None:
    open_case(world.dsl, world.case)
    response = sign_in(ig).get(reverse("web:access-review"))
    assert response.status_code == 200
    html = html_of(response)
    assert world.dsl.full_name in html
    assert "Opened without an allocation" in html
    assert world.case.reference in html
    assert "<svg" in html
    assert 'fill="#1d70b8"' in html  # a bar waiting for review
    assert "style=" not in html.split("<svg", 1)[1].split("</svg>", 1)[0]  # CSP: no inline style
    assert LedgerEntry.objects.filter(
        event_code=Event.ACCESS_REVIEW_VIEWED, actor_id=ig.pk, subject_case_id=world.case.pk
    ).exists()


def test_reviewing_flagged_access_takes_it_out_of_the_queue(
    world: World, sign_in: SignIn, ig: Practitioner
) -> None:
    flagged = open_case(world.dsl, world.case)
    client = sign_in(ig)
    url = reverse("web:access-review-entry", args=[flagged.entry_id])
    form = html_of(client.get(url))
    assert "Was this access appropriate?" in form
    response = client.post(url, {"outcome": "follow_up", "note": "Ask the DSL why they looked"})
    assert response.status_code == 302
    review = AccessReview.objects.get()
    assert (review.outcome, review.reviewer) == ("follow_up", ig)
    queue = html_of(client.get(reverse("web:access-review")))
    assert "Nothing is waiting for review" in queue
    history = html_of(client.get(reverse("web:access-review"), {"show": "reviewed"}))
    assert "Needs follow-up" in history
    assert "Ask the DSL why they looked" in history


def test_a_concern_without_a_note_shows_the_error_summary(
    world: World, sign_in: SignIn, ig: Practitioner
) -> None:
    flagged = open_case(world.dsl, world.case)
    url = reverse("web:access-review-entry", args=[flagged.entry_id])
    response = sign_in(ig).post(url, {"outcome": "concern", "note": ""})
    html = html_of(response)
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert "Enter a note" in html
    assert not AccessReview.objects.exists()


def test_dsl_cannot_use_the_access_review_queue(world: World, sign_in: SignIn) -> None:
    assert sign_in(world.dsl).get(reverse("web:access-review")).status_code == 403


def test_information_governance_of_another_agency_cannot_open_our_staffs_read_of_our_record(
    world: World, sign_in: SignIn
) -> None:
    flagged = open_case(world.dsl, world.case)
    theirs = PractitionerFactory(agency=world.other_agency, roles=[Role.INFORMATION_GOVERNANCE])
    url = reverse("web:access-review-entry", args=[flagged.entry_id])
    assert sign_in(theirs).get(url).status_code == 404


def test_their_queue_names_our_record_by_agency_only(world: World, sign_in: SignIn) -> None:
    theirs = PractitionerFactory(agency=world.other_agency, roles=[Role.INFORMATION_GOVERNANCE])
    open_case(world.outsider, world.case)  # their DSL reading our case
    html = html_of(sign_in(theirs).get(reverse("web:access-review")))
    assert world.outsider.full_name in html
    assert escape(f"A record held by {world.agency.name}") in html
    assert world.case.subject.display_name not in html
    assert world.case.reference not in html


# --- Subject access request export ---------------------------------------------------------------


def _share(world: World) -> None:
    consent = given_consent(world, world.other_agency)
    record(
        world,
        facts(consent=ConsentState.GIVEN),
        consent=consent,
        what_to_share="Notes naming Fakedad Testington",
    )


def test_information_governance_sees_a_printable_sar_page(
    world: World, sign_in: SignIn, ig: Practitioner
) -> None:
    _share(world)
    response = sign_in(ig).get(reverse("web:subject-access", args=[world.case.subject_id]))
    html = html_of(response)
    assert response.status_code == 200
    assert world.other_agency.name in html
    assert "UK GDPR Article 6(1)(e)" in html
    assert "Fakedad" not in html
    assert "govuk-!-display-none-print" in html
    assert LedgerEntry.objects.filter(event_code=Event.SUBJECT_ACCESS_EXPORTED).count() == 1


@pytest.mark.parametrize(
    ("export_format", "content_type"), [("json", "application/json"), ("csv", "text/csv")]
)
def test_information_governance_downloads_the_sar(
    world: World, sign_in: SignIn, ig: Practitioner, export_format: str, content_type: str
) -> None:
    _share(world)
    url = reverse("web:subject-access-download", args=[world.case.subject_id, export_format])
    response = sign_in(ig).get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    assert response["Content-Disposition"] == (
        f'attachment; filename="subject-access-{world.case.subject_id}.{export_format}"'
    )
    assert response["Cache-Control"] == "no-store"
    body = response.content.decode()
    assert world.other_agency.name in body
    assert "Fakedad" not in body
    if export_format == "json":
        assert json.loads(body)["person"] == world.case.subject.display_name
    entry = LedgerEntry.objects.get(event_code=Event.SUBJECT_ACCESS_EXPORTED)
    assert f'"format":"{export_format}"' in entry.details


def test_an_unknown_download_format_is_not_found(
    world: World, sign_in: SignIn, ig: Practitioner
) -> None:
    url = reverse("web:subject-access-download", args=[world.case.subject_id, "xml"])
    assert sign_in(ig).get(url).status_code == 404
    assert not LedgerEntry.objects.filter(event_code=Event.SUBJECT_ACCESS_EXPORTED).exists()


def test_dsl_cannot_export_a_sar(world: World, sign_in: SignIn) -> None:
    url = reverse("web:subject-access", args=[world.case.subject_id])
    assert sign_in(world.dsl).get(url).status_code == 403


def test_information_governance_of_another_agency_gets_not_found_for_our_person(
    world: World, sign_in: SignIn
) -> None:
    theirs = PractitionerFactory(agency=world.other_agency, roles=[Role.INFORMATION_GOVERNANCE])
    url = reverse("web:subject-access", args=[world.case.subject_id])
    assert sign_in(theirs).get(url).status_code == 404
