"""Wrong-child risks on the request and disclosure pages: every request list and the request's
check-your-answers page name the child; NHS numbers show as 3 3 4 digits; answering a request
preselects the requester as recipient (still changeable); and a third-party item shared with its
source withheld never shows the informant's name to the recipient."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from safeshare.core import clock
from safeshare.disclosures.models import Disclosure, InformationRequest
from safeshare.disclosures.services import request_create
from tests.conftest import World
from tests.disclosures.helpers import NOW, Sharing, sharing
from tests.factories import ItemFactory
from tests.web.conftest import SignIn

pytestmark = pytest.mark.django_db

NHS = "9434765919"
NHS_SHOWN = "943 476 5919"
INFORMANT = "Mrs Fakeneighbour"


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


def ok(response: Any) -> str:
    assert response.status_code == 200, response.content.decode()[:3000]
    text: str = response.content.decode()
    return text


def redirected(response: Any) -> str:
    assert response.status_code == 302, response.content.decode()[:3000]
    location: str = response["Location"]
    return location


def _ask(client: Client, world: World, child: dict[str, str]) -> str:
    """The request pages up to check your answers; returns that page."""
    redirected(client.get(reverse("web:request-start")))
    step = "/requests/new/{}/"
    redirected(
        client.post(
            step.format("agency"), {"receiving_agency": str(world.agency.pk), "kind": "request"}
        )
    )
    redirected(client.post(step.format("child"), child))
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
    return ok(client.get(step.format("check")))


def _asked_by_nhs_number(s: Sharing) -> InformationRequest:
    return request_create(
        actor=s.recipient,
        receiving_agency=s.world.agency,
        kind="request",
        purpose="child_protection",
        urgency="within_24_hours",
        information_sought="Any concerns about Fakechild this year",
        justification="Fake strategy discussion tomorrow",
        nhs_number=NHS,
    )


# --- Naming the child ----------------------------------------------------------------------------


def test_the_check_page_names_the_child_with_every_detail_given(
    s: Sharing, sign_in: SignIn
) -> None:
    page = _ask(
        sign_in(s.recipient),
        s.world,
        {
            "nhs_number": NHS,
            "given_name": "Fakechild",
            "family_name": "Testington",
            "date_of_birth": "2016-04-01",
            "postcode": "ZZ99 1AA",
        },
    )
    assert f"Fakechild Testington, born 1 April 2016, NHS number {NHS_SHOWN}, ZZ99 1AA" in page
    assert NHS not in page


def test_the_check_page_formats_an_nhs_number_given_alone(s: Sharing, sign_in: SignIn) -> None:
    page = _ask(sign_in(s.recipient), s.world, {"nhs_number": NHS})
    assert f"NHS number {NHS_SHOWN}" in page
    assert NHS not in page


def test_the_receiving_inbox_names_the_child_as_the_agency_holds_them(
    s: Sharing, sign_in: SignIn
) -> None:
    asked = _asked_by_nhs_number(s)
    assert asked.matched_case == s.world.case
    unmatched = request_create(
        actor=s.recipient,
        receiving_agency=s.world.agency,
        kind="request",
        purpose="child_protection",
        urgency="routine",
        information_sought="Anything known",
        justification="Fake enquiry",
        given_name="Fakenobody",
        family_name="Unknownton",
        date_of_birth=clock.today().replace(year=2015),
        postcode="ZZ99 9ZZ",
    )
    assert unmatched.matched_case is None
    inbox = ok(sign_in(s.world.dsl).get(reverse("web:requests-inbox")))
    rows = re.findall(r'<tr class="govuk-table__row">.*?</tr>', inbox, flags=re.S)
    cells = " ".join(rows)
    assert s.world.case.subject.display_name in cells
    assert "Fakenobody Unknownton, born" in cells
    assert "(not matched to a case)" in cells
    assert NHS not in inbox


def test_the_requesters_sent_list_names_the_child_as_they_identified_them(
    s: Sharing, sign_in: SignIn
) -> None:
    _asked_by_nhs_number(s)
    sent = ok(sign_in(s.recipient).get(reverse("web:requests-sent")))
    assert f"NHS number {NHS_SHOWN}" in sent
    # The receiving agency's record of the child is theirs: not shown to the requester.
    assert s.world.case.subject.given_name not in sent
    assert NHS not in sent


def test_the_request_page_shows_the_nhs_number_in_groups_and_the_matched_childs_details(
    s: Sharing, sign_in: SignIn
) -> None:
    asked = _asked_by_nhs_number(s)
    url = reverse("web:request-detail", kwargs={"request_id": asked.pk})
    page = ok(sign_in(s.world.worker).get(url))
    assert f"NHS number {NHS_SHOWN}" in page
    assert NHS not in page
    child = s.world.case.subject
    assert f"{child.display_name}, date of birth 1 April 2016, NHS number {NHS_SHOWN}" in page
    requester_page = ok(sign_in(s.recipient).get(url))
    assert f"NHS number {NHS_SHOWN}" in requester_page
    assert child.given_name not in requester_page


# --- Answering: the requester preselected --------------------------------------------------------


def test_answering_a_request_preselects_the_requester_who_can_still_be_changed(
    s: Sharing, sign_in: SignIn
) -> None:
    asked = _asked_by_nhs_number(s)
    worker = sign_in(s.world.worker)
    start = reverse("web:disclosure-start", kwargs={"decision_id": s.decision.pk})
    step = f"/decisions/{s.decision.pk}/share/{{}}/"
    assert redirected(worker.get(f"{start}?request={asked.pk}")) == step.format("recipient")
    page = worker.get(step.format("recipient"))
    assert page.context["form"]["recipient"].value() == str(s.recipient.pk)
    checked = re.search(r'<input[^>]*value="([^"]+)"[^>]* checked', ok(page))
    assert checked is not None
    assert checked.group(1) == str(s.recipient.pk)

    # Changed to a colleague of the requester: the change is kept.
    redirected(worker.post(step.format("recipient"), {"recipient": str(s.world.outsider.pk)}))
    again = worker.get(step.format("recipient"))
    assert again.context["form"]["recipient"].value() == str(s.world.outsider.pk)

    redirected(worker.post(step.format("information"), {"items": [str(s.world.item.pk)]}))
    redirected(worker.post(step.format("details"), {}))
    redirected(worker.post(step.format("expiry"), {}))
    check = ok(worker.get(step.format("check")))
    assert f"about NHS number {NHS_SHOWN}" in check
    assert f"NHS number {NHS_SHOWN} (case {s.world.case.reference})" in check
    redirected(worker.post(step.format("check"), {}))
    assert Disclosure.objects.get().recipient == s.world.outsider


def test_sharing_without_a_request_preselects_nobody(s: Sharing, sign_in: SignIn) -> None:
    _asked_by_nhs_number(s)
    worker = sign_in(s.world.worker)
    redirected(worker.get(reverse("web:disclosure-start", kwargs={"decision_id": s.decision.pk})))
    page = worker.get(f"/decisions/{s.decision.pk}/share/recipient/")
    assert page.context["form"]["recipient"].value() in (None, "")
    assert " checked" not in ok(page)


# --- A third-party item with its source withheld -------------------------------------------------


def test_a_third_party_item_shared_with_its_source_withheld_hides_the_informant(
    s: Sharing, sign_in: SignIn
) -> None:
    item = ItemFactory(
        case=s.world.case,
        recorded_by=s.world.worker,
        summary="Neighbour heard shouting",
        content=f"{INFORMANT} heard shouting late on Friday.",
        source=f"{INFORMANT}, neighbour",
        third_party_protected=True,
    )
    worker = sign_in(s.world.worker)
    redirected(worker.get(reverse("web:disclosure-start", kwargs={"decision_id": s.decision.pk})))
    step = f"/decisions/{s.decision.pk}/share/{{}}/"
    redirected(worker.post(step.format("recipient"), {"recipient": str(s.recipient.pk)}))
    redirected(worker.post(step.format("information"), {"items": [str(item.pk)]}))
    details = ok(worker.get(step.format("details")))
    assert "Withhold the source (who the information came from)" in details
    # Withholding needs a reason, like a redaction.
    refused = ok(worker.post(step.format("details"), {f"withhold-source-{item.pk}": "true"}))
    assert "Give the reason for withholding the source" in refused
    answers = {
        f"redact-{item.pk}": INFORMANT,
        f"withhold-source-{item.pk}": "true",
        f"reason-{item.pk}": "Protects the informant",
    }
    redirected(worker.post(step.format("details"), answers))
    redirected(worker.post(step.format("expiry"), {}))
    preview = ok(worker.get(step.format("preview")))
    assert "[redacted: Protects the informant]" in preview
    check = ok(worker.get(step.format("check")))
    assert "Item 1: source withheld (Protects the informant)" in check
    redirected(worker.post(step.format("check"), {}))
    disclosure = Disclosure.objects.get()
    shared = disclosure.items.get()
    assert shared.third_party_redacted
    assert shared.source == "[redacted]"

    page = ok(
        sign_in(s.recipient).get(
            reverse("web:disclosure-detail", kwargs={"disclosure_id": disclosure.pk})
        )
    )
    assert "Neighbour heard shouting" in page
    assert INFORMANT not in page
    assert "who gave it has been withheld to protect them" in page
