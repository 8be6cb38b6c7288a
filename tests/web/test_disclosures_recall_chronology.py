"""Recalls, chronology and received items through the web: the sharer asks recipients to delete
what was shared on a withdrawn consent and the recipient confirms it, both in the ledger; a
case's chronology shows own and received entries and hides received words after revocation;
the recipient adds what they received to one of their cases; 404 for anyone who may not see the
case or the disclosure; bad input shows the error summary and writes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse
from django.utils.html import escape

from safeshare.consent.models import ConsentRecall, RecallStatus
from safeshare.core import clock
from safeshare.decisions.engine import ConsentState, Recipient
from safeshare.decisions.services import consent_withdraw_with_recall
from safeshare.disclosures import pdf
from safeshare.disclosures.chronology import Chronology, chronology_print_view
from safeshare.disclosures.chronology_render import ChronologyPrintView, render_chronology
from safeshare.disclosures.models import Disclosure, RecallRequest, ReceivedItemLink
from safeshare.disclosures.services import disclosure_revoke, received_items_add_to_case
from safeshare.ledger.events import Event
from safeshare.ledger.models import LedgerEntry
from safeshare.web.views import chronology as chronology_views
from tests.conftest import World
from tests.decisions.helpers import facts, given_consent
from tests.disclosures.helpers import (
    NOW,
    Sharing,
    approved_decision,
    issue,
    link_identity,
    sharing,
)
from tests.factories import AllocationFactory, CaseFactory, ItemFactory, PersonFactory
from tests.web.conftest import SignIn

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_clock() -> Iterator[None]:
    with clock.frozen(NOW):
        yield


@pytest.fixture
def s(world: World) -> Sharing:
    s = sharing(world)
    AllocationFactory(case=world.other_case, practitioner=s.recipient)  # they may edit it
    return s


def has_error_summary(response: Any) -> bool:
    return response.status_code == 200 and "govuk-error-summary" in response.content.decode()


def logged(event: Event) -> int:
    return LedgerEntry.objects.filter(event_code=event).count()


# --- Recalls -------------------------------------------------------------------------------------


def test_the_sharer_asks_recipients_to_delete_and_the_recipient_confirms_through_the_web(
    s: Sharing, sign_in: SignIn
) -> None:
    world = s.world
    consent = given_consent(world, world.other_agency)
    s.decision = approved_decision(
        world,
        facts(
            consent=ConsentState.GIVEN,
            significant_harm_concern=False,
            recipient=Recipient.AGREEMENT,
        ),
        consent=consent,
    )
    disclosure = issue(s)
    consent_withdraw_with_recall(actor=world.worker, consent=consent, note="Mother withdrew")
    worker = sign_in(world.worker)
    listed = worker.get(reverse("web:consent-list", kwargs={"person_id": consent.person_id}))
    url = reverse("web:consent-recalls", kwargs={"consent_id": consent.pk})
    assert url in listed.content.decode()
    page = worker.get(url)
    assert page.status_code == 200
    assert "Ask recipients to delete" in page.content.decode()

    sent = worker.post(url, {}, follow=True)
    assert "1 recall request sent to recipients" in sent.content.decode()
    recall_request = RecallRequest.objects.get()
    assert recall_request.disclosure == disclosure
    assert logged(Event.RECALL_REQUESTED) == 1

    officer = sign_in(s.recipient)
    confirm = reverse(
        "web:recall-confirm-deletion", kwargs={"recall_request_id": recall_request.pk}
    )
    assert confirm in officer.get(reverse("web:recalls-to-delete")).content.decode()
    assert officer.post(confirm, {}).status_code == 302
    recall_request.refresh_from_db()
    assert recall_request.deletion_confirmed_at == NOW
    assert ConsentRecall.objects.get(consent=consent).status == RecallStatus.COMPLETE
    assert logged(Event.RECALL_DELETION_CONFIRMED) == 1
    # Nothing open any more: no button.
    assert "Ask recipients to delete" not in worker.get(url).content.decode()


def test_people_who_may_not_record_the_consent_cannot_send_its_recalls(
    s: Sharing, sign_in: SignIn
) -> None:
    consent = given_consent(s.world, s.world.other_agency)
    consent_withdraw_with_recall(actor=s.world.worker, consent=consent, note="Mother withdrew")
    url = reverse("web:consent-recalls", kwargs={"consent_id": consent.pk})
    for outsider in (s.world.outsider, s.recipient, s.world.colleague):
        assert sign_in(outsider).post(url, {}).status_code == 404
    assert not RecallRequest.objects.exists()
    assert logged(Event.RECALL_REQUESTED) == 0


# --- Chronology ----------------------------------------------------------------------------------


def _received_into_other_case(s: Sharing) -> Disclosure:
    disclosure = issue(s)
    received_items_add_to_case(actor=s.recipient, disclosure=disclosure, case=s.world.other_case)
    return disclosure


def test_the_chronology_shows_own_and_received_entries_and_hides_received_words_after_revocation(
    s: Sharing, sign_in: SignIn
) -> None:
    own = ItemFactory(
        case=s.world.other_case,
        recorded_by=s.recipient,
        summary="Fake officer visit",
        content="The fake officer saw the child at home.",
    )
    disclosure = _received_into_other_case(s)
    officer = sign_in(s.recipient)
    url = reverse("web:case-chronology", kwargs={"case_id": s.world.other_case.pk})
    assert (
        url
        in officer.get(
            reverse("web:case-detail", kwargs={"case_id": s.world.other_case.pk})
        ).content.decode()
    )
    page = officer.get(url)
    text = page.content.decode()
    assert own.summary in text
    assert s.world.item.summary in text
    assert escape(s.world.agency.name) in text
    assert {e.received for e in page.context["entries"]} == {True, False}
    assert logged(Event.CHRONOLOGY_RECEIVED_VIEWED) == 1

    ours = officer.get(url, {"source": "ours"})
    assert [e.item_id for e in ours.context["entries"]] == [own.pk]
    assert s.world.item.summary not in ours.content.decode()
    received = officer.get(url, {"source": "received"})
    assert [e.disclosure_id for e in received.context["entries"]] == [disclosure.pk]
    assert has_error_summary(officer.get(url, {"source": "nonsense"}))

    disclosure_revoke(actor=s.world.worker, disclosure=disclosure, reason="Shared in error")
    after = officer.get(url)
    text = after.content.decode()
    assert s.world.item.summary not in text
    assert s.world.item.content not in text
    assert "Revoked by the sharing agency" in text
    assert own.summary in text


def test_people_who_may_not_see_the_case_get_404_for_its_chronology(
    s: Sharing, sign_in: SignIn
) -> None:
    _received_into_other_case(s)
    url = reverse("web:case-chronology", kwargs={"case_id": s.world.other_case.pk})
    assert sign_in(s.world.worker).get(url).status_code == 404  # the sharer: another agency
    assert sign_in(s.world.dsl).get(url).status_code == 404


# --- Adding received items to one of our cases ---------------------------------------------------


def test_the_recipient_adds_what_they_received_to_one_of_their_cases(
    s: Sharing, sign_in: SignIn
) -> None:
    disclosure = issue(s)
    officer = sign_in(s.recipient)
    url = reverse("web:disclosure-add-to-case", kwargs={"disclosure_id": disclosure.pk})
    detail = officer.get(reverse("web:disclosure-detail", kwargs={"disclosure_id": disclosure.pk}))
    assert url in detail.content.decode()
    form = officer.get(url)
    assert str(s.world.other_case.pk) in dict(form.context["form"].fields["case"].choices)
    link_identity(s.world.case.subject, s.world.other_case.subject)  # the same child
    response = officer.post(url, {"case": str(s.world.other_case.pk)})
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "web:case-chronology", kwargs={"case_id": s.world.other_case.pk}
    )
    link = ReceivedItemLink.objects.get()
    assert link.case == s.world.other_case
    assert link.disclosure == disclosure
    assert logged(Event.RECEIVED_ITEMS_ADDED_TO_CASE) == 1


def test_bad_input_when_adding_to_a_case_shows_the_error_summary_and_writes_nothing(
    s: Sharing, sign_in: SignIn
) -> None:
    disclosure = issue(s)
    another_child = CaseFactory(
        agency=s.world.other_agency,
        subject=PersonFactory(agency=s.world.other_agency, family_name="Fakeley"),
    )
    AllocationFactory(case=another_child, practitioner=s.recipient)
    officer = sign_in(s.recipient)
    url = reverse("web:disclosure-add-to-case", kwargs={"disclosure_id": disclosure.pk})
    assert has_error_summary(officer.post(url, {}))
    assert has_error_summary(officer.post(url, {"case": str(s.world.case.pk)}))  # not theirs
    # Not linked, and checked "the same child" anyway: the service still refuses it.
    refused = officer.post(url, {"case": str(another_child.pk), "same_child_confirmed": "true"})
    assert has_error_summary(refused)
    assert "different child" in refused.content.decode()
    assert not ReceivedItemLink.objects.exists()
    assert logged(Event.RECEIVED_ITEMS_ADDED_TO_CASE) == 0


def test_people_other_than_the_recipient_cannot_add_the_disclosure_to_a_case(
    s: Sharing, sign_in: SignIn
) -> None:
    disclosure = issue(s)
    url = reverse("web:disclosure-add-to-case", kwargs={"disclosure_id": disclosure.pk})
    assert sign_in(s.world.outsider).get(url).status_code == 404  # same agency, not named
    assert sign_in(s.world.colleague).get(url).status_code == 404  # sharer's agency, unallocated
    # The sharer may read it, but adding is the recipient's step: refused on the page.
    worker = sign_in(s.world.worker)
    sharer_adds = {"case": str(s.world.case.pk), "same_child_confirmed": "true"}
    refused = worker.post(url, sharer_adds)
    assert has_error_summary(refused)
    assert "Only the named recipient" in refused.content.decode()
    disclosure_revoke(actor=s.world.worker, disclosure=disclosure, reason="Shared in error")
    assert sign_in(s.recipient).get(url).status_code == 404  # no longer readable
    assert not ReceivedItemLink.objects.exists()


def test_the_cases_offered_to_add_received_items_to_are_recorded_reads(
    s: Sharing, sign_in: SignIn
) -> None:
    """The choice of cases names each child: showing it records one read per case offered."""
    disclosure = issue(s)
    officer = sign_in(s.recipient)
    url = reverse("web:disclosure-add-to-case", kwargs={"disclosure_id": disclosure.pk})
    form = officer.get(url)
    offered = {key for key, _ in form.context["form"].fields["case"].choices if key}
    assert str(s.world.other_case.pk) in offered
    listed = LedgerEntry.objects.filter(event_code=Event.CASE_LISTED, actor_id=s.recipient.pk)
    assert {str(case_id) for case_id in listed.values_list("subject_case_id", flat=True)} == offered


# --- The chronology as a PDF ---------------------------------------------------------------------


def test_the_chronology_pdf_prints_the_entries_the_page_shows_with_its_filters(
    s: Sharing, sign_in: SignIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    ItemFactory(case=s.world.other_case, recorded_by=s.recipient, summary="Fake officer visit")
    _received_into_other_case(s)
    printed: list[ChronologyPrintView] = []

    def capture(view: ChronologyPrintView) -> bytes:
        printed.append(view)
        return pdf.chronology_pdf(view)

    monkeypatch.setattr(chronology_views, "chronology_pdf", capture)
    officer = sign_in(s.recipient)
    page_url = reverse("web:case-chronology", kwargs={"case_id": s.world.other_case.pk})
    pdf_url = reverse("web:case-chronology-pdf", kwargs={"case_id": s.world.other_case.pk})
    for filters in ({}, {"source": "received"}, {"source": "ours"}):
        page = officer.get(page_url, filters)
        link = page.context["pdf_url"]
        assert link.startswith(pdf_url)
        assert escape(link) in page.content.decode()
        assert "Download as PDF" in page.content.decode()
        before = logged(Event.CHRONOLOGY_RECEIVED_VIEWED)
        response = officer.get(link)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment;")
        assert response.content.startswith(b"%PDF-")
        view = printed[-1]
        expected = chronology_print_view(
            Chronology(
                case=s.world.other_case, entries=page.context["entries"], shown_disclosures=()
            ),
            printed_by=s.recipient.full_name,
            generated_at=view.generated_at,
            filters=view.filters,
        )
        assert render_chronology(view) == render_chronology(expected)
        # The export reads the received content it prints, like the page: recorded again.
        shown = any(e.received for e in page.context["entries"])
        assert logged(Event.CHRONOLOGY_RECEIVED_VIEWED) == before + int(shown)
    assert [len(v.entries) for v in printed] == [2, 1, 1]
    assert printed[1].filters == ("Received from others only",)
    assert (
        LedgerEntry.objects.filter(
            event_code=Event.CASE_VIEWED,
            actor_id=s.recipient.pk,
            subject_case_id=s.world.other_case.pk,
        ).count()
        == 6
    )  # three pages, three PDFs


def test_people_who_may_not_see_the_case_get_404_for_its_chronology_pdf(
    s: Sharing, sign_in: SignIn
) -> None:
    _received_into_other_case(s)
    url = reverse("web:case-chronology-pdf", kwargs={"case_id": s.world.other_case.pk})
    assert sign_in(s.world.worker).get(url).status_code == 404
    assert sign_in(s.world.dsl).get(url).status_code == 404
    assert logged(Event.CHRONOLOGY_RECEIVED_VIEWED) == 0


def test_the_chronology_pdf_leaves_out_received_words_after_revocation(
    s: Sharing, sign_in: SignIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    disclosure = _received_into_other_case(s)
    disclosure_revoke(actor=s.world.worker, disclosure=disclosure, reason="Shared in error")
    printed: list[ChronologyPrintView] = []

    def capture(view: ChronologyPrintView) -> bytes:
        printed.append(view)
        return pdf.chronology_pdf(view)

    monkeypatch.setattr(chronology_views, "chronology_pdf", capture)
    url = reverse("web:case-chronology-pdf", kwargs={"case_id": s.world.other_case.pk})
    response = sign_in(s.recipient).get(url)
    assert response.content.startswith(b"%PDF-")
    (view,) = printed
    html = render_chronology(view)
    assert s.world.item.summary not in html
    assert escape(s.world.item.content) not in html
    assert "Revoked by the sharing agency" in html
    assert logged(Event.CHRONOLOGY_RECEIVED_VIEWED) == 0
