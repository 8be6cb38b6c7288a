"""Who may see a request, a disclosure's details and a disclosure's content (404 otherwise)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from safeshare.access.capabilities import Capability
from safeshare.access.fetch import (
    access_disclosure,
    access_disclosure_content,
    access_request,
)
from safeshare.access.policy import has_capability, may_read_disclosure_content
from safeshare.access.scopes import disclosures_visible_to, requests_visible_to
from safeshare.agencies.models import Role
from safeshare.core import clock
from safeshare.core.exceptions import NotFound
from safeshare.disclosures.models import Disclosure, InformationRequest
from safeshare.disclosures.services import request_create
from safeshare.ledger.events import Event
from safeshare.ledger.models import LedgerEntry
from tests.conftest import World
from tests.disclosures.helpers import NOW, Sharing, issue, sharing
from tests.factories import PractitionerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_clock() -> Iterator[None]:
    with clock.frozen(NOW):
        yield


def ask(world: World) -> InformationRequest:
    """A police officer (not a DSL) asks children's services; routed to the allocated worker."""
    child = world.case.subject
    child.nhs_number = "9434765919"
    child.save()
    officer = PractitionerFactory(agency=world.other_agency)
    return request_create(
        actor=officer,
        receiving_agency=world.agency,
        kind="request",
        purpose="child_protection",
        urgency="routine",
        information_sought="Concerns",
        justification="Fake enquiry",
        nhs_number="9434765919",
    )


def test_request_is_seen_by_requester_their_dsl_and_the_receiving_assignee_dsl_and_mash(
    world: World,
) -> None:
    request = ask(world)
    mash = PractitionerFactory(agency=world.agency, roles=[Role.MASH_OFFICER])
    for actor in (request.requested_by, world.outsider, world.worker, world.dsl, mash):
        assert access_request(actor, request.pk) == request
        assert requests_visible_to(actor).filter(pk=request.pk).exists()
    assert (
        LedgerEntry.objects.filter(
            event_code=Event.REQUEST_VIEWED, object_id=str(request.pk)
        ).count()
        == 5
    )


def test_practitioners_not_involved_cannot_see_a_request(world: World) -> None:
    request = ask(world)
    officers_colleague = PractitionerFactory(agency=world.other_agency)
    for actor in (world.colleague, officers_colleague, world.agency_admin, world.system_admin):
        with pytest.raises(NotFound):
            access_request(actor, request.pk)
        assert not requests_visible_to(actor).filter(pk=request.pk).exists()


@pytest.fixture
def shared(world: World) -> tuple[Sharing, Disclosure]:
    s = sharing(world)
    return s, issue(s)


def test_recipient_and_sharing_agency_see_a_disclosure_and_its_content(
    world: World, shared: tuple[Sharing, Disclosure]
) -> None:
    s, disclosure = shared
    for actor in (s.recipient, world.worker, world.dsl):
        assert access_disclosure(actor, disclosure.pk) == disclosure
        assert access_disclosure_content(actor, disclosure.pk) == disclosure
        assert may_read_disclosure_content(actor, disclosure)
        assert disclosures_visible_to(actor).filter(pk=disclosure.pk).exists()
    entry = LedgerEntry.objects.filter(
        event_code=Event.DISCLOSURE_CONTENT_VIEWED, actor_id=s.recipient.pk
    ).get()
    assert entry.subject_case_id == world.case.pk


def test_recipients_colleagues_without_a_relationship_cannot_see_a_disclosure_to_someone_else(
    world: World, shared: tuple[Sharing, Disclosure]
) -> None:
    """The recipient agency's DSLs may read what it received (tests/access/
    test_received_disclosures.py); nobody else there without an allocation to a case it was
    added to, whatever their role."""
    _, disclosure = shared
    recipients_colleague = PractitionerFactory(agency=world.other_agency)
    mash_officer = PractitionerFactory(agency=world.other_agency, roles=[Role.MASH_OFFICER])
    governance = PractitionerFactory(agency=world.other_agency, roles=[Role.INFORMATION_GOVERNANCE])
    for actor in (
        recipients_colleague,
        mash_officer,
        governance,
        world.colleague,
        world.agency_admin,
    ):
        with pytest.raises(NotFound):
            access_disclosure(actor, disclosure.pk)
        with pytest.raises(NotFound):
            access_disclosure_content(actor, disclosure.pk)
        assert not may_read_disclosure_content(actor, disclosure)
        assert not disclosures_visible_to(actor).filter(pk=disclosure.pk).exists()


def test_a_malformed_id_is_the_same_not_found(world: World) -> None:
    for fetch in (access_disclosure, access_disclosure_content, access_request):
        with pytest.raises(NotFound):
            fetch(world.worker, "not-a-uuid")


@pytest.mark.parametrize(
    ("role", "capabilities"),
    [
        (
            Role.PRACTITIONER,
            {"request.create", "request.view", "disclosure.issue", "disclosure.view"},
        ),
        (Role.DSL, {"request.create", "request.view", "disclosure.issue", "disclosure.view"}),
        (Role.INFORMATION_GOVERNANCE, {"disclosure.view"}),
        (Role.AGENCY_ADMIN, set()),
        (Role.SYSTEM_ADMIN, set()),
    ],
)
def test_who_holds_the_request_and_disclosure_capabilities(
    world: World, role: Role, capabilities: set[str]
) -> None:
    actor = PractitionerFactory(agency=world.agency, roles=[role])
    held = {
        str(c)
        for c in (
            Capability.REQUEST_CREATE,
            Capability.REQUEST_VIEW,
            Capability.DISCLOSURE_ISSUE,
            Capability.DISCLOSURE_VIEW,
        )
        if has_capability(actor, c)
    }
    assert held == capabilities
