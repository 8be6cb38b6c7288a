"""Requests and disclosures through the web: the full journey request -> decision -> disclosure
-> acknowledgement -> undertaking -> read-back -> correction -> confirmation; each page for the
allowed actor and 404 for others; bad input shows the error summary and changes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from safeshare.core import clock
from safeshare.decisions.engine import ConsentState, Recipient
from safeshare.decisions.models import SharingDecision
from safeshare.disclosures.models import Disclosure, DisclosureStatus, InformationRequest
from safeshare.disclosures.services import disclosure_issue, request_create
from safeshare.ledger.events import Event
from safeshare.ledger.models import LedgerEntry
from tests.conftest import World
from tests.decisions.helpers import facts, given_consent
from tests.disclosures.helpers import NOW, ItemSelection, Sharing, approved_decision, sharing
from tests.factories import ItemFactory
from tests.web.conftest import SignIn
from tests.web.test_decisions import OUTCOME_CASES, base_answers, decide, walk

pytestmark = pytest.mark.django_db

NHS = "9434765919"
SHARE_WITHOUT_CONSENT = dict(OUTCOME_CASES)["share_without_consent"]


@pytest.fixture(autouse=True)
def frozen_clock() -> Iterator[None]:
    with clock.frozen(NOW):
        yield


@pytest.fixture
def s(world: World) -> Sharing:
    child = world.case.subject
    child.nhs_number = NHS
    child.save()
    return sharing(world)


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.content.decode()[:3000]
    return response


def redirected(response: Any) -> str:
    assert response.status_code == 302, response.content.decode()[:3000]
    location: str = response["Location"]
    return location


def has_error_summary(response: Any) -> bool:
    return response.status_code == 200 and "govuk-error-summary" in response.content.decode()


def ledger_count(event: Event) -> int:
    return LedgerEntry.objects.filter(event_code=int(event)).count()


def ask(client: Client, world: World) -> InformationRequest:
    """Send a request to ``world.agency`` through the request pages."""
    redirected(client.get(reverse("web:request-start")))
    step = "/requests/new/{}/"
    redirected(
        client.post(
            step.format("agency"), {"receiving_agency": str(world.agency.pk), "kind": "request"}
        )
    )
    redirected(client.post(step.format("child"), {"nhs_number": NHS}))
    redirected(
        client.post(
            step.format("details"),
            {
                "purpose": "child_protection",
                "urgency": "within_24_hours",
                "information_sought": "Any concerns about Fakechild this year",
                "justification": "Fake strategy discussion tomorrow",
            },
        )
    )
    ok(client.get(step.format("check")))
    sent = redirected(client.post(step.format("check"), {}))
    asked = InformationRequest.objects.get()
    assert sent == reverse("web:request-sent", kwargs={"request_id": asked.pk})
    return asked


def share(client: Client, s: Sharing, *, words: str = "", answering: str = "") -> str:
    """Walk the issuing pages under ``s.decision``; return the check page's URL."""
    item = s.world.item
    start = reverse("web:disclosure-start", kwargs={"decision_id": s.decision.pk})
    redirected(client.get(f"{start}?request={answering}" if answering else start))
    step = f"/decisions/{s.decision.pk}/share/{{}}/"
    redirected(client.post(step.format("recipient"), {"recipient": str(s.recipient.pk)}))
    redirected(client.post(step.format("information"), {"items": [str(item.pk)]}))
    details = {f"redact-{item.pk}": words, f"reason-{item.pk}": "Not needed" if words else ""}
    redirected(client.post(step.format("details"), details))
    assert redirected(client.post(step.format("expiry"), {})) == step.format("preview")
    return step.format("check")


# --- The journey ---------------------------------------------------------------------------------


def test_two_agencies_complete_request_to_confirmed_read_back_through_the_web(
    s: Sharing, sign_in: SignIn
) -> None:
    world = s.world
    officer, worker = sign_in(s.recipient), sign_in(world.worker)
    asked = ask(officer, world)
    assert asked.assigned_to == world.worker
    inbox = ok(worker.get(reverse("web:requests-inbox")))
    assert reverse("web:request-detail", kwargs={"request_id": asked.pk}) in inbox.text
    page = ok(worker.get(reverse("web:request-detail", kwargs={"request_id": asked.pk})))
    assert "Answer: record a decision" in page.text
    assert reverse("web:decision-start", kwargs={"case_id": world.case.pk}) in page.text

    # Answer: record a decision through the existing wizard, then share under it.
    walk(worker, world.case, base_answers(world) | SHARE_WITHOUT_CONSENT)
    recorded = decide(worker, world.case)
    decision_id = redirected(recorded).rstrip("/").split("/")[-2]
    approval = reverse("web:decision-approval", kwargs={"decision_id": decision_id})
    redirected(sign_in(world.dsl).post(approval, {"approved": "yes", "comment": ""}))
    s.decision = SharingDecision.objects.get(pk=decision_id)
    assert s.decision.outcome == "share_without_consent"
    words = world.item.content[:9]
    check = share(worker, s, words=words, answering=str(asked.pk))
    preview = ok(worker.get(check.replace("/check/", "/preview/")))
    assert "[redacted: Not needed]" in preview.text
    assert Disclosure.objects.count() == 0
    ok(worker.get(check))
    issued = redirected(worker.post(check, {}))
    disclosure = Disclosure.objects.get()
    assert issued == reverse("web:disclosure-issued", kwargs={"disclosure_id": disclosure.pk})
    asked.refresh_from_db()
    assert asked.status == "answered"

    # The recipient's page shows exactly what the preview showed.
    detail = reverse("web:disclosure-detail", kwargs={"disclosure_id": disclosure.pk})
    awaiting = ok(officer.get(reverse("web:disclosures-awaiting-acknowledgement")))
    assert detail in awaiting.text
    page = ok(officer.get(detail))
    assert page.context["rendered"] == preview.context["rendered"]
    assert world.item.content not in page.context["rendered"]
    assert "[redacted: Not needed]" in page.context["rendered"]

    base = f"/disclosures/{disclosure.pk}/"
    redirected(officer.post(f"{base}acknowledge/", {}))
    undertaking = ok(officer.get(f"{base}undertaking/"))
    assert "delete it" in undertaking.text
    redirected(officer.post(f"{base}undertaking/", {}))
    redirected(officer.post(f"{base}read-back/", {"understanding": "The child is in danger."}))
    waiting = ok(worker.get(reverse("web:disclosures-awaiting-confirmation")))
    assert detail in waiting.text
    redirected(worker.post(f"{base}read-back/correct/", {"correction": "A concern, not danger."}))
    redirected(officer.post(f"{base}read-back/", {"understanding": "One worrying observation."}))
    redirected(worker.post(f"{base}read-back/confirm/", {}))
    disclosure.refresh_from_db()
    assert disclosure.status == DisclosureStatus.READ_BACK_CONFIRMED
    assert disclosure.read_back == "One worrying observation."
    for event in (
        Event.REQUEST_CREATED,
        Event.REQUEST_ROUTED,
        Event.DISCLOSURE_PREVIEWED,
        Event.DISCLOSURE_ISSUED,
        Event.REQUEST_ANSWERED,
        Event.DISCLOSURE_CONTENT_VIEWED,
        Event.DISCLOSURE_ACKNOWLEDGED,
        Event.DISCLOSURE_UNDERTAKING_ACCEPTED,
        Event.DISCLOSURE_READ_BACK,
        Event.DISCLOSURE_READ_BACK_CORRECTED,
        Event.DISCLOSURE_READ_BACK_CONFIRMED,
    ):
        assert ledger_count(event) >= 1, event.name


def test_nothing_is_preselected_and_the_choices_are_only_the_decisions_agency(
    s: Sharing, sign_in: SignIn
) -> None:
    worker = sign_in(s.world.worker)
    start = reverse("web:disclosure-start", kwargs={"decision_id": s.decision.pk})
    redirected(worker.get(start))
    step = f"/decisions/{s.decision.pk}/share/{{}}/"
    page = ok(worker.get(step.format("recipient")))
    choices = dict(page.context["form"].fields["recipient"].choices)
    # Active staff of the agency the decision names; nobody of the sharer's own agency.
    assert set(choices) == {str(s.recipient.pk), str(s.world.outsider.pk)}
    assert 'type="email"' not in page.text
    redirected(worker.post(step.format("recipient"), {"recipient": str(s.recipient.pk)}))
    page = ok(worker.get(step.format("information")))
    assert " checked" not in page.text
    assert dict(page.context["form"].fields["items"].choices).keys() == {str(s.world.item.pk)}


def test_a_decision_on_consent_offers_only_the_kinds_of_information_it_named(
    s: Sharing, sign_in: SignIn
) -> None:
    """WT 2018 ch1: consent is specific; the decision named the kinds it will share, so only those
    items are offered (and assembly refuses any other)."""
    parenting = ItemFactory(
        case=s.world.case, category="parenting", recorded_by=s.world.worker, content="Struggling."
    )
    consent = given_consent(s.world, s.world.other_agency)
    s.decision = approved_decision(
        s.world,
        facts(
            consent=ConsentState.GIVEN,
            significant_harm_concern=False,
            recipient=Recipient.AGREEMENT,
        ),
        consent=consent,
        categories=["child"],
    )
    worker = sign_in(s.world.worker)
    redirected(worker.get(reverse("web:disclosure-start", kwargs={"decision_id": s.decision.pk})))
    step = f"/decisions/{s.decision.pk}/share/{{}}/"
    redirected(worker.post(step.format("recipient"), {"recipient": str(s.recipient.pk)}))
    page = ok(worker.get(step.format("information")))
    offered = dict(page.context["form"].fields["items"].choices)
    assert str(s.world.item.pk) in offered
    assert str(parenting.pk) not in offered


# --- Bad input shows the error summary and changes nothing ---------------------------------------


def test_a_request_without_the_child_shows_the_error_summary(s: Sharing, sign_in: SignIn) -> None:
    officer = sign_in(s.recipient)
    redirected(officer.get(reverse("web:request-start")))
    redirected(
        officer.post(
            "/requests/new/agency/", {"receiving_agency": str(s.world.agency.pk), "kind": "request"}
        )
    )
    for data in ({}, {"nhs_number": "123"}, {"family_name": "Fakechild"}):
        assert has_error_summary(officer.post("/requests/new/child/", data))
    assert has_error_summary(officer.post("/requests/new/agency/", {"kind": "nonsense"}))
    assert InformationRequest.objects.count() == 0


def test_sharing_with_no_item_or_unknown_words_shows_the_error_summary(
    s: Sharing, sign_in: SignIn
) -> None:
    worker = sign_in(s.world.worker)
    redirected(worker.get(reverse("web:disclosure-start", kwargs={"decision_id": s.decision.pk})))
    step = f"/decisions/{s.decision.pk}/share/{{}}/"
    assert has_error_summary(worker.post(step.format("recipient"), {}))
    assert has_error_summary(
        worker.post(step.format("recipient"), {"recipient": "fake.officer@example.test"})
    )
    redirected(worker.post(step.format("recipient"), {"recipient": str(s.recipient.pk)}))
    assert has_error_summary(worker.post(step.format("information"), {}))
    item = s.world.item
    redirected(worker.post(step.format("information"), {"items": [str(item.pk)]}))
    page = worker.post(
        step.format("details"),
        {f"redact-{item.pk}": "Words never written in any fake item", f"reason-{item.pk}": "x"},
    )
    assert has_error_summary(page)
    assert "is not in this item" in page.text
    redirected(worker.post(step.format("details"), {}))
    assert has_error_summary(worker.post(step.format("expiry"), {"expires_on": "2026-02-30"}))
    assert Disclosure.objects.count() == 0


def test_an_expiry_beyond_the_agreement_is_refused_on_the_check_page(
    s: Sharing, sign_in: SignIn
) -> None:
    worker = sign_in(s.world.worker)
    check = share(worker, s)
    step = check.replace("/check/", "/expiry/")
    redirected(worker.post(f"{step}?change=1", {"expires_on": "2030-01-01"}))
    page = worker.post(check, {})
    assert has_error_summary(page)
    assert "90 days at most" in page.text
    assert f"{step}?change=1" in page.text
    assert Disclosure.objects.count() == 0


def test_a_third_party_item_needs_a_reason(s: Sharing, sign_in: SignIn) -> None:
    item = s.world.item
    item.third_party_protected = True
    item.save()
    worker = sign_in(s.world.worker)
    check = share(worker, s)
    page = worker.post(check, {})
    assert has_error_summary(page)
    assert "third-party" in page.text
    assert Disclosure.objects.count() == 0
    details = check.replace("/check/", "/details/")
    redirected(worker.post(details, {f"include-{item.pk}": "Needed for the strategy meeting"}))
    redirected(worker.post(check.replace("/check/", "/expiry/"), {}))
    redirected(worker.post(check, {}))
    assert Disclosure.objects.get().items.get().third_party_protected


def test_a_decision_that_does_not_allow_sharing_cannot_start_a_disclosure(
    world: World, sign_in: SignIn
) -> None:
    from safeshare.decisions.engine import Recipient

    decision = approved_decision(
        world,
        facts(recipient=Recipient.AGREEMENT),
        outcome="do_not_share",
        override_reason="Fake: the purpose is not clear enough yet",
    )
    page = ok(
        sign_in(world.worker).get(
            reverse("web:disclosure-start", kwargs={"decision_id": decision.pk})
        )
    )
    assert "You cannot share under this decision" in page.text


def test_refusing_needs_a_message_and_then_tells_the_requester(s: Sharing, sign_in: SignIn) -> None:
    officer, dsl = sign_in(s.recipient), sign_in(s.world.dsl)
    asked = ask(officer, s.world)
    refuse = reverse("web:request-refuse", kwargs={"request_id": asked.pk})
    assert has_error_summary(dsl.post(refuse, {"reasons": "No harm described"}))
    asked.refresh_from_db()
    assert asked.status == "assigned"
    redirected(
        dsl.post(refuse, {"message": "Tell us what the concern is.", "reasons": "None described"})
    )
    sent = ok(officer.get(reverse("web:requests-sent")))
    assert "Tell us what the concern is." in sent.text
    page = ok(officer.get(reverse("web:request-detail", kwargs={"request_id": asked.pk})))
    assert "None described" not in page.text  # the reasons stay with the agency asked
    again = reverse("web:request-reconsider", kwargs={"request_id": asked.pk})
    assert has_error_summary(officer.post(again, {}))
    redirected(officer.post(again, {"new_information": "A fake neighbour reported shouting."}))
    newer = InformationRequest.objects.exclude(pk=asked.pk).get()
    assert newer.reconsideration_of == asked
    # Refusing a closed request shows the refusal and changes nothing.
    before = ledger_count(Event.REQUEST_REFUSED)
    assert has_error_summary(dsl.post(refuse, {"message": "No", "reasons": "x"}))
    assert ledger_count(Event.REQUEST_REFUSED) == before


def test_the_requester_can_withdraw_an_open_request(s: Sharing, sign_in: SignIn) -> None:
    officer = sign_in(s.recipient)
    asked = ask(officer, s.world)
    withdraw = reverse("web:request-withdraw", kwargs={"request_id": asked.pk})
    ok(officer.get(withdraw))
    redirected(officer.post(withdraw, {}))
    asked.refresh_from_db()
    assert asked.status == "withdrawn"
    assert has_error_summary(officer.post(withdraw, {}))


def test_a_revoked_disclosure_is_no_longer_available_but_its_record_stays(
    s: Sharing, sign_in: SignIn
) -> None:
    disclosure = disclosure_issue(
        actor=s.world.worker,
        decision=s.decision,
        recipient=s.recipient,
        items=[ItemSelection(item=s.world.item)],
    )
    worker, officer = sign_in(s.world.worker), sign_in(s.recipient)
    revoke = reverse("web:disclosure-revoke", kwargs={"disclosure_id": disclosure.pk})
    assert has_error_summary(worker.post(revoke, {"reason": " "}))
    redirected(worker.post(revoke, {"reason": "Sent in error"}))
    page = ok(
        officer.get(reverse("web:disclosure-detail", kwargs={"disclosure_id": disclosure.pk}))
    )
    assert page.context["rendered"] == ""
    assert "no longer available" in page.text
    assert s.world.item.summary not in page.text
    pdf = reverse("web:disclosure-pdf", kwargs={"disclosure_id": disclosure.pk})
    assert officer.get(pdf).status_code == 404
    # Acknowledging now is refused on the page, and nothing changes.
    page = officer.post(f"/disclosures/{disclosure.pk}/acknowledge/", {})
    assert has_error_summary(page)
    disclosure.refresh_from_db()
    assert disclosure.acknowledged_at is None


def test_the_recipient_downloads_the_pdf(s: Sharing, sign_in: SignIn) -> None:
    disclosure = disclosure_issue(
        actor=s.world.worker,
        decision=s.decision,
        recipient=s.recipient,
        items=[ItemSelection(item=s.world.item)],
    )
    response = sign_in(s.recipient).get(
        reverse("web:disclosure-pdf", kwargs={"disclosure_id": disclosure.pk})
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content.startswith(b"%PDF")


def test_the_sharer_corrects_a_shared_item_for_every_recipient(s: Sharing, sign_in: SignIn) -> None:
    disclosure = disclosure_issue(
        actor=s.world.worker,
        decision=s.decision,
        recipient=s.recipient,
        items=[ItemSelection(item=s.world.item)],
    )
    worker = sign_in(s.world.worker)
    url = reverse(
        "web:item-correction",
        kwargs={"disclosure_id": disclosure.pk, "item_id": s.world.item.pk},
    )
    assert has_error_summary(worker.post(url, {"kind": "correction"}))
    assert ledger_count(Event.ITEM_CORRECTION_ISSUED) == 0
    redirected(worker.post(url, {"kind": "correction", "explanation": "It was Tuesday."}))
    assert disclosure.correction_notices.count() == 1
    page = ok(sign_in(s.recipient).get(f"/disclosures/{disclosure.pk}/"))
    assert "It was Tuesday." in page.text


# --- Who sees what -------------------------------------------------------------------------------


def test_practitioners_not_party_get_404_for_every_page(s: Sharing, sign_in: SignIn) -> None:
    from tests.factories import PractitionerFactory

    world = s.world
    asked = request_create(
        actor=s.recipient,
        receiving_agency=world.agency,
        kind="request",
        purpose="child_protection",
        urgency="routine",
        information_sought="Any concerns",
        justification="Strategy discussion",
        nhs_number=NHS,
    )
    disclosure = disclosure_issue(
        actor=world.worker,
        decision=s.decision,
        recipient=s.recipient,
        items=[ItemSelection(item=world.item)],
    )
    request_pages = [
        reverse(name, kwargs={"request_id": asked.pk})
        for name in ("web:request-detail", "web:request-refuse", "web:request-withdraw")
    ]
    disclosure_pages = [
        reverse(name, kwargs={"disclosure_id": disclosure.pk})
        for name in (
            "web:disclosure-detail",
            "web:disclosure-pdf",
            "web:disclosure-undertaking",
            "web:disclosure-read-back",
            "web:disclosure-confirm",
            "web:disclosure-correct",
            "web:disclosure-revoke",
        )
    ]
    share_start = reverse("web:disclosure-start", kwargs={"decision_id": s.decision.pk})
    recipients_colleague = PractitionerFactory(agency=world.other_agency)
    for outsider in (recipients_colleague, world.colleague):
        client = sign_in(outsider)
        for url in [*request_pages, *disclosure_pages, share_start]:
            assert client.get(url).status_code == 404, (outsider, url)
        assert client.post(f"/disclosures/{disclosure.pk}/acknowledge/", {}).status_code == 404
        listed = ok(client.get(reverse("web:disclosures")))
        assert listed.context["disclosures"] == []
    disclosure.refresh_from_db()
    assert disclosure.status == DisclosureStatus.ISSUED


def test_every_list_page_renders_for_a_practitioner(s: Sharing, sign_in: SignIn) -> None:
    disclosure_issue(
        actor=s.world.worker,
        decision=s.decision,
        recipient=s.recipient,
        items=[ItemSelection(item=s.world.item)],
    )
    worker, officer = sign_in(s.world.worker), sign_in(s.recipient)
    for client in (worker, officer):
        for name in (
            "web:requests-inbox",
            "web:requests-sent",
            "web:disclosures",
            "web:disclosures-awaiting-acknowledgement",
            "web:disclosures-shared-by-us",
            "web:disclosures-awaiting-confirmation",
            "web:disclosures-outside-agreement",
        ):
            page = ok(client.get(reverse(name)))
            assert 'href="/disclosures/"' in page.text  # the navigation link
    shared = ok(worker.get(reverse("web:disclosures-shared-by-us")))
    assert len(shared.context["disclosures"]) == 1
    received = ok(officer.get(reverse("web:disclosures")))
    assert len(received.context["disclosures"]) == 1


def test_a_protected_address_is_shared_only_with_a_reason(s: Sharing, sign_in: SignIn) -> None:
    from tests.factories import AddressFactory

    refuge = AddressFactory(person=s.world.case.subject, is_protected=True)
    worker = sign_in(s.world.worker)
    redirected(worker.get(reverse("web:disclosure-start", kwargs={"decision_id": s.decision.pk})))
    step = f"/decisions/{s.decision.pk}/share/{{}}/"
    redirected(worker.post(step.format("recipient"), {"recipient": str(s.recipient.pk)}))
    page = ok(worker.get(step.format("information")))
    assert "(protected address)" in page.text
    redirected(worker.post(step.format("information"), {"addresses": [str(refuge.pk)]}))
    redirected(worker.post(step.format("details"), {}))
    redirected(worker.post(step.format("expiry"), {}))
    refused = worker.post(step.format("check"), {})
    assert has_error_summary(refused)
    assert "withheld unless you give the reason" in refused.text
    assert Disclosure.objects.count() == 0
    redirected(
        worker.post(f"{step.format('details')}?change=1", {f"address-{refuge.pk}": "Joint visit"})
    )
    preview = ok(worker.get(step.format("preview")))
    assert "Protected address" in preview.context["rendered"]
    redirected(worker.post(step.format("check"), {}))
    assert Disclosure.objects.get().addresses.get().inclusion_reason == "Joint visit"


def test_information_governance_can_neither_ask_nor_share(s: Sharing, sign_in: SignIn) -> None:
    from safeshare.agencies.models import Role
    from tests.factories import PractitionerFactory

    ig = sign_in(PractitionerFactory(agency=s.world.agency, roles=[Role.INFORMATION_GOVERNANCE]))
    assert ig.get(reverse("web:request-start")).status_code == 403
    start = reverse("web:disclosure-start", kwargs={"decision_id": s.decision.pk})
    assert ig.get(start).status_code == 403
    assert ig.get(reverse("web:disclosures")).status_code == 200
    assert 'href="/requests/"' not in ig.get(reverse("web:disclosures")).text


def test_the_addresses_offered_for_sharing_are_recorded_reads_of_their_people(
    s: Sharing, sign_in: SignIn
) -> None:
    """The information page lists the addresses of the child and of the people involved in the
    case: each person whose address is shown is a recorded read."""
    from tests.factories import AddressFactory, InvolvementFactory

    parent = InvolvementFactory(case=s.world.case).person
    AddressFactory(person=parent, postcode="FK1 9ZZ")
    worker = sign_in(s.world.worker)
    redirected(worker.get(reverse("web:disclosure-start", kwargs={"decision_id": s.decision.pk})))
    step = f"/decisions/{s.decision.pk}/share/{{}}/"
    redirected(worker.post(step.format("recipient"), {"recipient": str(s.recipient.pk)}))
    before = LedgerEntry.objects.filter(
        event_code=Event.PERSON_LISTED, subject_person_id=parent.pk
    ).count()
    page = ok(worker.get(step.format("information")))
    assert "FK1 9ZZ" in page.text
    after = LedgerEntry.objects.filter(
        event_code=Event.PERSON_LISTED, actor_id=s.world.worker.pk, subject_person_id=parent.pk
    ).count()
    assert after == before + 1


def test_the_sharers_correction_of_the_read_back_is_hidden_from_the_recipient_after_revocation(
    s: Sharing, sign_in: SignIn
) -> None:
    """The sharer's correction restates what was shared: once revoked, the recipient's page shows
    neither it nor their own read-back; the sharer still sees both."""
    from safeshare.disclosures import services

    disclosure = disclosure_issue(
        actor=s.world.worker,
        decision=s.decision,
        recipient=s.recipient,
        items=[ItemSelection(item=s.world.item)],
    )
    services.disclosure_acknowledge(actor=s.recipient, disclosure=disclosure)
    services.disclosure_accept_undertaking(actor=s.recipient, disclosure=disclosure)
    services.disclosure_read_back(
        actor=s.recipient, disclosure=disclosure, understanding="Fake concern understood"
    )
    services.disclosure_read_back_correct(
        actor=s.world.worker, disclosure=disclosure, correction="Fake stepfather, not father"
    )
    url = reverse("web:disclosure-detail", kwargs={"disclosure_id": disclosure.pk})
    officer = sign_in(s.recipient)
    assert "Fake stepfather, not father" in ok(officer.get(url)).text
    services.disclosure_revoke(actor=s.world.worker, disclosure=disclosure, reason="Sent in error")
    page = ok(officer.get(url))
    assert "Fake stepfather, not father" not in page.text
    assert "Fake concern understood" not in page.text
    sharer = ok(sign_in(s.world.worker).get(url))
    assert "Fake stepfather, not father" in sharer.text
    assert "Fake concern understood" in sharer.text
