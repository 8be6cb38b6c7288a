"""Who is offered what on an information request's page, and which cases received items may be
added to: each allowed and denied actor."""

from __future__ import annotations

import pytest

from safeshare.access import policy, scopes
from safeshare.agencies.models import Practitioner, Role
from safeshare.cases.models import CaseStatus
from safeshare.core.vocabulary import SharingPurpose
from safeshare.disclosures.models import InformationRequest, RequestKind, Urgency
from safeshare.disclosures.services import request_create
from tests.conftest import World
from tests.factories import CaseFactory, PractitionerFactory

pytestmark = pytest.mark.django_db

NHS = "9434765919"
OTHER_NHS = "9434765870"


def ask(world: World, *, nhs_number: str = NHS) -> InformationRequest:
    """The other agency's DSL asks ``world.agency`` about the child of ``world.case``."""
    child = world.case.subject
    child.nhs_number = NHS
    child.save()
    return request_create(
        actor=world.outsider,
        receiving_agency=world.agency,
        kind=RequestKind.REQUEST,
        purpose=SharingPurpose.CHILD_PROTECTION,
        urgency=Urgency.WITHIN_24_HOURS,
        information_sought="Any concerns about Fakechild this year",
        justification="Fake strategy discussion tomorrow",
        nhs_number=nhs_number,
    )


def other_agency_admin(world: World) -> Practitioner:
    return PractitionerFactory(agency=world.other_agency, roles=[Role.AGENCY_ADMIN])


RECEIVERS = {
    "worker": True,
    "colleague": True,
    "dsl": True,
    "outsider": False,
    "agency_admin": True,
    "system_admin": True,
}
DECIDERS = {
    "worker": True,
    "colleague": False,  # not allocated to the matched case
    "dsl": True,
    "outsider": False,
    "agency_admin": False,
    "system_admin": False,
}
ANSWERERS = {
    "worker": True,
    "colleague": True,
    "dsl": True,
    "outsider": False,
    "agency_admin": False,
    "system_admin": False,
}
ASKERS_AGAIN = {
    "worker": False,
    "colleague": False,
    "dsl": False,
    "outsider": True,
    "agency_admin": False,
    "system_admin": False,
}


@pytest.mark.parametrize(("who", "allowed"), RECEIVERS.items())
def test_only_staff_of_the_agency_asked_receive_the_request(
    world: World, who: str, allowed: bool
) -> None:
    assert policy.receives_request(getattr(world, who), ask(world)) is allowed


@pytest.mark.parametrize(("who", "allowed"), DECIDERS.items())
def test_only_those_who_may_decide_on_the_matched_case_are_offered_a_decision(
    world: World, who: str, allowed: bool
) -> None:
    asked = ask(world)
    assert asked.matched_case == world.case
    assert policy.may_decide_on_request(getattr(world, who), asked) is allowed


def test_dsl_of_the_agency_asked_cannot_decide_when_no_case_matched(world: World) -> None:
    asked = ask(world, nhs_number=OTHER_NHS)
    assert asked.matched_case is None
    assert policy.may_decide_on_request(world.dsl, asked) is False
    assert policy.may_answer_request(world.dsl, asked) is True


@pytest.mark.parametrize(("who", "allowed"), ANSWERERS.items())
def test_only_caseworkers_of_the_agency_asked_may_answer(
    world: World, who: str, allowed: bool
) -> None:
    assert policy.may_answer_request(getattr(world, who), ask(world)) is allowed


@pytest.mark.parametrize(("who", "allowed"), ASKERS_AGAIN.items())
def test_only_caseworkers_of_the_asking_agency_may_ask_again(
    world: World, who: str, allowed: bool
) -> None:
    assert policy.may_ask_again(getattr(world, who), ask(world)) is allowed


def test_administrator_of_the_asking_agency_cannot_ask_again(world: World) -> None:
    admin = other_agency_admin(world)
    asked = ask(world)
    assert policy.receives_request(admin, asked) is False
    assert policy.may_ask_again(admin, asked) is False


def test_nobody_signed_out_is_offered_anything(world: World) -> None:
    asked = ask(world)
    assert policy.receives_request(None, asked) is False
    assert policy.may_decide_on_request(None, asked) is False
    assert policy.may_answer_request(None, asked) is False
    assert policy.may_ask_again(None, asked) is False


# --- Cases received items may be added to --------------------------------------------------------

EDITORS = {
    "worker": True,
    "colleague": False,  # not allocated
    "dsl": True,
    "outsider": False,  # another agency's case
    "agency_admin": False,  # cannot edit cases
    "system_admin": False,
}


@pytest.mark.parametrize(("who", "allowed"), EDITORS.items())
def test_only_those_who_may_edit_the_case_may_add_to_it(
    world: World, who: str, allowed: bool
) -> None:
    actor = getattr(world, who)
    assert scopes.cases_editable_by(actor).filter(pk=world.case.pk).exists() is allowed


def test_a_closed_case_is_editable_by_nobody(world: World) -> None:
    world.case.status = CaseStatus.CLOSED
    world.case.save()
    assert not scopes.cases_editable_by(world.worker).filter(pk=world.case.pk).exists()
    assert not scopes.cases_editable_by(world.dsl).filter(pk=world.case.pk).exists()


def test_information_governance_sees_cases_but_cannot_edit_them(world: World) -> None:
    officer = PractitionerFactory(agency=world.agency, roles=[Role.INFORMATION_GOVERNANCE])
    assert scopes.cases_visible_to(officer).filter(pk=world.case.pk).exists()
    assert not scopes.cases_editable_by(officer).exists()


def test_the_dsl_may_add_to_every_open_case_of_their_own_agency_only(world: World) -> None:
    another = CaseFactory(agency=world.agency)
    editable = set(scopes.cases_editable_by(world.dsl))
    assert editable == {world.case, another}
    assert world.other_case not in editable
