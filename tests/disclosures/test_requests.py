"""Information requests: create (routed at once), refuse, reconsider, withdraw; the due time by
urgency; refusals change nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from safeshare.agencies.models import Role
from safeshare.cases.models import CaseStatus
from safeshare.core import clock
from safeshare.core.exceptions import DomainError
from safeshare.decisions.engine import ConsentState
from safeshare.disclosures.exceptions import RequestInvalid, RequestTransitionInvalid
from safeshare.disclosures.models import InformationRequest, RequestStatus
from safeshare.disclosures.services import (
    request_create,
    request_reconsider,
    request_refuse,
    request_route,
    request_withdraw,
)
from safeshare.ledger.events import Event
from safeshare.ledger.models import LedgerEntry
from safeshare.people.services import address_add
from tests.conftest import World
from tests.decisions.helpers import facts, record
from tests.disclosures.helpers import NOW
from tests.factories import AgencyFactory, CaseFactory, PractitionerFactory

pytestmark = pytest.mark.django_db

NHS = "9434765919"


@pytest.fixture(autouse=True)
def frozen_clock() -> Iterator[None]:
    with clock.frozen(NOW):
        yield


def ask(world: World, **changes: Any) -> InformationRequest:
    """The police (other agency) ask children's services (world.agency) about world.case's child."""
    arguments: dict[str, Any] = {
        "actor": world.outsider,
        "receiving_agency": world.agency,
        "kind": "request",
        "purpose": "child_protection",
        "urgency": "routine",
        "information_sought": "Any concerns recorded about Fakechild in the last year.",
        "justification": "Section 47 enquiry opened after a fake report.",
        "nhs_number": NHS,
    }
    arguments.update(changes)
    return request_create(**arguments)


def with_nhs_number(world: World) -> None:
    child = world.case.subject
    child.nhs_number = NHS
    child.save()


def counts() -> tuple[int, int]:
    return InformationRequest.objects.count(), LedgerEntry.objects.count()


def test_request_for_a_child_with_a_case_is_routed_to_the_allocated_worker(world: World) -> None:
    with_nhs_number(world)
    request = ask(world)
    assert request.status == RequestStatus.ASSIGNED
    assert request.matched_case == world.case
    assert request.assigned_to == world.worker
    assert request.requesting_agency == world.other_agency
    assert LedgerEntry.objects.filter(event_code=Event.REQUEST_CREATED).count() == 1
    routed = LedgerEntry.objects.get(event_code=Event.REQUEST_ROUTED)
    assert routed.subject_case_id == world.case.pk


def test_request_for_an_unknown_child_goes_to_the_dsl(world: World) -> None:
    request = ask(world, nhs_number="9990000018")
    assert request.matched_case is None
    assert request.assigned_to == world.dsl
    assert request.status == RequestStatus.ASSIGNED


def test_request_stays_received_when_the_agency_has_no_dsl(world: World) -> None:
    world.dsl.role_assignments.all().delete()
    request = ask(world, nhs_number="9990000018")
    assert request.assigned_to is None
    assert request.status == RequestStatus.RECEIVED


def test_child_identified_by_name_date_of_birth_and_postcode_is_matched(world: World) -> None:
    child = world.case.subject
    address_add(actor=world.worker, person=child, lines="1 Fake Road", postcode="ZZ99 3CC")
    request = ask(
        world,
        nhs_number="",
        given_name=child.given_name.upper(),
        family_name=child.family_name,
        date_of_birth=child.date_of_birth,
        postcode="zz993cc",
    )
    assert request.matched_case == world.case
    wrong_postcode = ask(
        world,
        nhs_number="",
        given_name=child.given_name,
        family_name=child.family_name,
        date_of_birth=child.date_of_birth,
        postcode="ZZ99 9ZZ",
    )
    assert wrong_postcode.matched_case is None


def test_a_closed_case_is_not_matched(world: World) -> None:
    with_nhs_number(world)
    world.case.status = CaseStatus.CLOSED
    world.case.save()
    assert ask(world).matched_case is None


def test_two_open_cases_for_one_child_go_to_the_dsl(world: World) -> None:
    with_nhs_number(world)
    CaseFactory(agency=world.agency, subject=world.case.subject)
    request = ask(world)
    assert request.matched_case is None
    assert request.assigned_to == world.dsl


@pytest.mark.parametrize(
    ("urgency", "due"),
    [
        ("immediate_risk", NOW + dt.timedelta(hours=1)),
        ("within_24_hours", NOW + dt.timedelta(hours=24)),
        # Friday 20 November 2026 + 10 working days = Friday 4 December.
        ("routine", dt.datetime(2026, 12, 4, 9, 0, tzinfo=dt.UTC)),
    ],
)
def test_due_time_follows_the_urgency(world: World, urgency: str, due: dt.datetime) -> None:
    assert ask(world, urgency=urgency).due_at == due


def test_identification_and_free_text_are_encrypted_at_rest(world: World) -> None:
    from django.db import connection

    request = ask(world)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT child_nhs_number, justification FROM disclosures_informationrequest "
            "WHERE id = %s",
            [request.pk.hex if connection.vendor == "sqlite" else request.pk],
        )
        nhs, justification = cursor.fetchone()
    assert NHS not in nhs
    assert "Section 47" not in justification


@pytest.mark.parametrize(
    "changes",
    [
        {"nhs_number": "", "family_name": ""},
        {"nhs_number": "1234567890"},
        {"receiving_agency": None},  # replaced by the requester's own agency below
        {"information_sought": "  "},
        {"justification": ""},
        {"urgency": "whenever"},
        {"purpose": "curiosity"},
        {"kind": "gossip"},
    ],
)
def test_bad_requests_are_refused_and_change_nothing(world: World, changes: dict[str, Any]) -> None:
    if "receiving_agency" in changes:
        changes = {"receiving_agency": world.other_agency}
    before = counts()
    with pytest.raises(RequestInvalid) as error:
        ask(world, **changes)
    assert error.value.message
    assert counts() == before


def test_receiving_agency_can_refuse_with_a_message_and_reasons(world: World) -> None:
    request = ask(world)
    refused = request_refuse(
        actor=world.dsl,
        request=request,
        message="We cannot share this without more information about the concern.",
        reasons="No indication of harm in the request.",
    )
    assert refused.status == RequestStatus.REFUSED
    assert refused.closed_at == NOW
    assert LedgerEntry.objects.filter(
        event_code=Event.REQUEST_REFUSED, object_id=str(request.pk)
    ).exists()


def test_refusal_through_a_decision_not_to_share(world: World) -> None:
    with_nhs_number(world)
    request = ask(world)
    decision = record(
        world,
        facts(consent=ConsentState.REFUSED, significant_harm_concern=False),
    )
    assert decision.outcome == "do_not_share"
    refused = request_refuse(
        actor=world.worker, request=request, message="Not shared.", decision=decision
    )
    assert refused.answering_decision == decision


def test_a_decision_not_to_share_with_another_agency_cannot_answer_the_request(
    world: World,
) -> None:
    with_nhs_number(world)
    request = ask(world)
    about_someone_else = record(
        world,
        facts(consent=ConsentState.REFUSED, significant_harm_concern=False),
        recipient_agency=AgencyFactory(name="Fakeshire Academy"),
    )
    assert about_someone_else.outcome == "do_not_share"
    before = counts()
    with pytest.raises(RequestInvalid) as raised:
        request_refuse(
            actor=world.worker, request=request, message="No.", decision=about_someone_else
        )
    assert raised.value.field == "decision"
    request.refresh_from_db()
    assert request.status == RequestStatus.ASSIGNED
    assert counts() == before


def test_a_refusal_needs_a_message_and_reasons_and_the_right_agency(world: World) -> None:
    request = ask(world)
    before = counts()
    for kwargs in (
        {"actor": world.dsl, "message": "", "reasons": "x"},
        {"actor": world.dsl, "message": "No.", "reasons": " "},
        {"actor": world.outsider, "message": "No.", "reasons": "x"},
    ):
        with pytest.raises(DomainError):
            request_refuse(request=request, **kwargs)
    with pytest.raises(RequestInvalid):
        request_refuse(actor=world.dsl, request=request, message="No.", decision=record(world))
    request.refresh_from_db()
    assert request.status == RequestStatus.ASSIGNED
    assert counts()[0] == before[0]


def test_requester_can_come_back_with_new_information_as_a_linked_request(
    world: World,
) -> None:
    request = ask(world)
    request_refuse(actor=world.dsl, request=request, message="No.", reasons="No harm shown")
    again = request_reconsider(
        actor=world.outsider,
        request=request,
        new_information="A second fake report names the same child.",
    )
    assert again.reconsideration_of == request
    assert again.status == RequestStatus.ASSIGNED
    assert again.information_sought == request.information_sought
    assert again.new_information.startswith("A second")
    assert LedgerEntry.objects.filter(event_code=Event.REQUEST_RECONSIDERED).count() == 1


def test_only_a_refused_request_can_be_reconsidered_and_only_by_the_requester(
    world: World,
) -> None:
    request = ask(world)
    with pytest.raises(RequestTransitionInvalid):
        request_reconsider(actor=world.outsider, request=request, new_information="More")
    request_refuse(actor=world.dsl, request=request, message="No.", reasons="No harm shown")
    before = counts()
    with pytest.raises(RequestInvalid):
        request_reconsider(actor=world.worker, request=request, new_information="More")
    with pytest.raises(RequestInvalid):
        request_reconsider(actor=world.outsider, request=request, new_information=" ")
    assert counts() == before


def test_requester_can_withdraw_an_open_request_once(world: World) -> None:
    request = ask(world)
    with pytest.raises(RequestInvalid):
        request_withdraw(actor=world.dsl, request=request)
    withdrawn = request_withdraw(actor=world.outsider, request=request)
    assert withdrawn.status == RequestStatus.WITHDRAWN
    with pytest.raises(RequestTransitionInvalid):
        request_withdraw(actor=world.outsider, request=request)
    with pytest.raises(RequestTransitionInvalid):
        request_refuse(actor=world.dsl, request=request, message="No.", reasons="x")


def test_rerouting_finds_a_case_opened_since(world: World) -> None:
    request = ask(world, nhs_number="9990000018")
    assert request.matched_case is None
    child = world.case.subject
    child.nhs_number = "9990000018"
    child.save()
    new_worker = PractitionerFactory(agency=world.agency, roles=[Role.PRACTITIONER])
    world.case.allocations.update(practitioner=new_worker)
    routed = request_route(actor=world.dsl, request=request)
    assert routed.matched_case == world.case
    assert routed.assigned_to == new_worker
