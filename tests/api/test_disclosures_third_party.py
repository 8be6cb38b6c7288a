"""Third-party (informant) items through the API: a withheld or redacted source satisfies the
third-party rule, and the informant's name is in no response the recipient gets (the content,
the preview, the chronology of their own case); the request's NHS number stays 10 digits."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from safeshare.agencies.models import Practitioner
from safeshare.cases.models import InformationItem
from safeshare.core import clock
from safeshare.disclosures.models import Disclosure
from tests.api.conftest import ApiCaller
from tests.conftest import World
from tests.disclosures.helpers import NOW, Sharing, sharing
from tests.factories import AllocationFactory, ItemFactory

pytestmark = pytest.mark.django_db

Caller = Callable[[Practitioner], ApiCaller]
INFORMANT = "Mrs Fakeneighbour"
SOURCE = f"{INFORMANT}, neighbour at number 4"
CONTENT = f"{INFORMANT} heard shouting and a child crying late on Friday."


@pytest.fixture(autouse=True)
def frozen_clock() -> Iterator[None]:
    with clock.frozen(NOW):
        yield


@pytest.fixture
def s(world: World) -> Sharing:
    return sharing(world)


@pytest.fixture
def informant_item(s: Sharing) -> InformationItem:
    item: InformationItem = ItemFactory(
        case=s.world.case,
        recorded_by=s.world.worker,
        summary="Neighbour heard shouting",
        content=CONTENT,
        source=SOURCE,
        third_party_protected=True,
    )
    return item


def _name(text: str) -> dict[str, Any]:
    start = text.index(INFORMANT)
    return {"start": start, "end": start + len(INFORMANT), "reason": "Protects the informant"}


def _body(s: Sharing, item: InformationItem, **selection: Any) -> dict[str, Any]:
    return {
        "decision_id": str(s.decision.pk),
        "recipient_id": str(s.recipient.pk),
        "items": [{"item_id": str(item.pk), **selection}],
    }


def test_a_withheld_source_keeps_the_informants_name_from_every_recipient_response(
    s: Sharing, informant_item: InformationItem, call_as: Caller
) -> None:
    worker, officer = call_as(s.world.worker), call_as(s.recipient)
    body = _body(
        s,
        informant_item,
        content_redactions=[_name(CONTENT)],
        source_withheld_reason="Protects the informant",
    )
    preview = worker.post("/api/disclosures/preview", body)
    assert preview.status_code == 200
    assert INFORMANT not in preview.content.decode()
    shared = worker.post("/api/disclosures", body)
    assert shared.status_code == 201, shared.content
    disclosure_id = shared.json()["id"]
    for path in (f"/api/disclosures/{disclosure_id}", f"/api/disclosures/{disclosure_id}/content"):
        response = officer.get(path)
        assert response.status_code == 200
        assert INFORMANT not in response.content.decode()
    assert (
        "[redacted: Protects the informant]"
        in officer.get(f"/api/disclosures/{disclosure_id}/content").json()["html"]
    )

    # Added to the recipient's own case: the chronology entry's source is withheld too.
    AllocationFactory(case=s.world.other_case, practitioner=s.recipient)
    added = officer.post(
        f"/api/disclosures/{disclosure_id}/chronology", {"case_id": str(s.world.other_case.pk)}
    )
    assert added.status_code == 201, added.content
    chronology = officer.get(f"/api/cases/{s.world.other_case.pk}/chronology")
    assert chronology.status_code == 200
    assert INFORMANT not in chronology.content.decode()
    (received,) = [entry for entry in chronology.json() if entry["received"]]
    assert received["source"] == "[redacted]"


def test_a_redacted_name_in_the_source_satisfies_the_third_party_rule(
    s: Sharing, informant_item: InformationItem, call_as: Caller
) -> None:
    worker, officer = call_as(s.world.worker), call_as(s.recipient)
    body = _body(
        s,
        informant_item,
        content_redactions=[_name(CONTENT)],
        source_redactions=[_name(SOURCE)],
    )
    shared = worker.post("/api/disclosures", body)
    assert shared.status_code == 201, shared.content
    html = officer.get(f"/api/disclosures/{shared.json()['id']}/content").json()["html"]
    assert INFORMANT not in html
    assert "neighbour at number 4" in html


def test_words_redacted_but_the_source_left_naming_the_informant_is_refused(
    s: Sharing, informant_item: InformationItem, call_as: Caller
) -> None:
    worker = call_as(s.world.worker)
    for selection in ({"content_redactions": [_name(CONTENT)]}, {}):
        response = worker.post("/api/disclosures", _body(s, informant_item, **selection))
        assert response.status_code == 422
        assert response.json()["field"] == "inclusion_reason"
        assert "withhold its source" in response.json()["detail"]
    both = _body(
        s,
        informant_item,
        source_redactions=[_name(SOURCE)],
        source_withheld_reason="Protects the informant",
    )
    response = worker.post("/api/disclosures", both)
    assert response.status_code == 422
    assert response.json()["field"] == "redactions"
    assert not Disclosure.objects.exists()


def test_the_api_keeps_the_requests_nhs_number_as_ten_digits(s: Sharing, call_as: Caller) -> None:
    body = {
        "receiving_agency_id": str(s.world.agency.pk),
        "kind": "request",
        "purpose": "child_protection",
        "urgency": "within_24_hours",
        "information_sought": "Any concerns about Fakechild this year",
        "justification": "Fake strategy discussion tomorrow",
        "nhs_number": "943 476 5919",
    }
    made = call_as(s.recipient).post("/api/requests", body)
    assert made.status_code == 201, made.content
    assert made.json()["child"]["nhs_number"] == "9434765919"
