"""Agency administration pages: remove a role, end a case allocation, deactivate and reactivate
a practitioner, each behind a confirm page asking why; refusals in the error summary, changing
nothing; another agency's practitioner answers 404."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from django.urls import reverse

from safeshare.agencies.models import Practitioner, Role
from safeshare.cases.models import CaseAllocation
from safeshare.core import clock
from safeshare.disclosures.services import request_create
from safeshare.ledger.events import Event
from safeshare.ledger.models import LedgerEntry
from safeshare.workday.inbox import WorkKind, inbox_for
from tests.conftest import World
from tests.disclosures.helpers import NOW
from tests.factories import AllocationFactory, PractitionerFactory
from tests.web.conftest import SignIn

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_clock() -> Iterator[None]:
    with clock.frozen(NOW):
        yield


def detail(practitioner: Practitioner) -> str:
    return reverse("web:practitioner-detail", kwargs={"practitioner_id": practitioner.pk})


def remove_url(practitioner: Practitioner, role: Role) -> str:
    return reverse(
        "web:practitioner-role-remove",
        kwargs={"practitioner_id": practitioner.pk, "role": role.value},
    )


def end_url(allocation: CaseAllocation) -> str:
    return reverse(
        "web:practitioner-allocation-end",
        kwargs={"practitioner_id": allocation.practitioner_id, "allocation_id": allocation.pk},
    )


def deactivate_url(practitioner: Practitioner) -> str:
    return reverse("web:practitioner-deactivate", kwargs={"practitioner_id": practitioner.pk})


def reactivate_url(practitioner: Practitioner) -> str:
    return reverse("web:practitioner-reactivate", kwargs={"practitioner_id": practitioner.pk})


def fresh(practitioner: Practitioner) -> Practitioner:
    return Practitioner.objects.get(pk=practitioner.pk)


def last_details(event: Event) -> dict[str, object]:
    entry = LedgerEntry.objects.filter(event_code=int(event)).order_by("-id").first()
    assert entry is not None
    details: dict[str, object] = json.loads(entry.details)
    return details


def test_the_practitioner_page_offers_each_change_to_their_administrator(
    world: World, sign_in: SignIn
) -> None:
    allocation = CaseAllocation.objects.get(practitioner=world.worker)
    html = sign_in(world.agency_admin).get(detail(world.worker)).content.decode()
    assert remove_url(world.worker, Role.PRACTITIONER) in html
    assert end_url(allocation) in html
    assert world.case.reference in html
    assert world.case.subject.family_name not in html  # the case reference, never the child
    assert deactivate_url(world.worker) in html
    own = sign_in(world.agency_admin).get(detail(world.agency_admin)).content.decode()
    assert deactivate_url(world.agency_admin) not in own
    assert "You cannot deactivate your own account" in own


def test_agency_admin_removes_a_role_after_confirming_why(world: World, sign_in: SignIn) -> None:
    client = sign_in(world.agency_admin)
    page = client.get(remove_url(world.dsl, Role.DSL))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Why are you removing this role?" in html
    assert 'class="govuk-warning-text"' in html
    response = client.post(remove_url(world.dsl, Role.DSL), {"reason": "changed_job", "note": ""})
    assert response.status_code == 302
    assert response["Location"] == detail(world.dsl)
    assert not fresh(world.dsl).has_role(Role.DSL)
    assert last_details(Event.ROLE_REVOKED)["reason"] == "changed_job"
    after = client.get(response["Location"]).content.decode()
    assert "no longer has the role" in after
    assert "They have changed job or team" in after  # the change and its reason, on the record


def test_removing_a_role_without_a_reason_shows_the_error_summary_and_changes_nothing(
    world: World, sign_in: SignIn
) -> None:
    client = sign_in(world.agency_admin)
    for data, message in (
        ({"reason": ""}, "Select why you are removing this role"),
        ({"reason": "other", "note": ""}, "Say what the other reason is"),
    ):
        response = client.post(remove_url(world.dsl, Role.DSL), data)
        assert response.status_code == 200
        html = response.content.decode()
        assert "govuk-error-summary" in html
        assert message in html
        assert "<title>Error:" in html
    assert fresh(world.dsl).has_role(Role.DSL)
    assert not LedgerEntry.objects.filter(event_code=int(Event.ROLE_REVOKED)).exists()


def test_the_last_agency_admin_keeps_the_role_and_is_told_why(
    world: World, sign_in: SignIn
) -> None:
    response = sign_in(world.agency_admin).post(
        remove_url(world.agency_admin, Role.AGENCY_ADMIN), {"reason": "not_needed"}
    )
    assert response.status_code == 200
    assert "only active agency administrator" in response.content.decode()
    assert fresh(world.agency_admin).has_role(Role.AGENCY_ADMIN)


def test_a_role_they_do_not_hold_or_may_not_remove_is_not_found(
    world: World, sign_in: SignIn
) -> None:
    client = sign_in(world.agency_admin)
    world.worker.role_assignments.create(role=Role.SYSTEM_ADMIN)
    assert client.get(remove_url(world.worker, Role.MASH_OFFICER)).status_code == 404
    assert client.get(remove_url(world.worker, Role.SYSTEM_ADMIN)).status_code == 404
    bogus = reverse(
        "web:practitioner-role-remove",
        kwargs={"practitioner_id": world.worker.pk, "role": "wizard"},
    )
    assert client.get(bogus).status_code == 404


def test_agency_admin_ends_an_allocation_with_a_reason(world: World, sign_in: SignIn) -> None:
    allocation = CaseAllocation.objects.get(practitioner=world.worker)
    client = sign_in(world.agency_admin)
    page = client.get(end_url(allocation))
    assert "Why is this allocation ending?" in page.content.decode()
    missing = client.post(end_url(allocation), {})
    assert "Select why the allocation is ending" in missing.content.decode()
    assert CaseAllocation.objects.get(pk=allocation.pk).ended_on is None
    response = client.post(end_url(allocation), {"reason": "left_team"})
    assert response.status_code == 302
    assert CaseAllocation.objects.get(pk=allocation.pk).ended_on == clock.today()
    assert last_details(Event.ALLOCATION_ENDED)["reason"] == "left_team"
    assert client.get(end_url(allocation)).status_code == 404  # ended: answers like missing


def test_deactivation_signs_them_out_and_their_work_goes_to_the_team(
    world: World, sign_in: SignIn
) -> None:
    child = world.case.subject
    child.nhs_number = "9434765919"
    child.save()
    request = request_create(
        actor=PractitionerFactory(agency=world.other_agency),
        receiving_agency=world.agency,
        kind="request",
        purpose="child_protection",
        urgency="routine",
        information_sought="Fake concerns",
        justification="Fake enquiry",
        nhs_number="9434765919",
    )
    assert request.assigned_to == world.worker
    workers_browser = sign_in(world.worker)
    assert workers_browser.get(reverse("web:dashboard")).status_code == 200

    client = sign_in(world.agency_admin)
    page = client.get(deactivate_url(world.worker))
    assert "signed out everywhere at once" in page.content.decode()
    response = client.post(deactivate_url(world.worker), {"reason": "left_agency"})
    assert response.status_code == 302
    assert not fresh(world.worker).is_active
    assert last_details(Event.PRACTITIONER_DEACTIVATED)["sessions_ended"] == 1

    after = workers_browser.get(reverse("web:dashboard"))
    assert after.status_code == 302
    assert "sign-in" in after["Location"]
    rows = [
        row
        for row in inbox_for(world.dsl, now=clock.now(), kinds=[WorkKind.REQUEST])
        if row.object_id == str(request.pk)
    ]
    assert [row.title.split(":")[0] for row in rows] == ["Assignee has left"]


def test_an_admin_cannot_deactivate_themselves_through_the_page(
    world: World, sign_in: SignIn
) -> None:
    response = sign_in(world.agency_admin).post(
        deactivate_url(world.agency_admin), {"reason": "left_agency"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "You cannot deactivate your own account" in html
    assert fresh(world.agency_admin).is_active


def test_reactivation_offers_roles_but_ticks_none_and_warns_of_open_allocations(
    world: World, sign_in: SignIn
) -> None:
    client = sign_in(world.agency_admin)
    client.post(deactivate_url(world.worker), {"reason": "long_absence"})
    page = client.get(reactivate_url(fresh(world.worker))).content.decode()
    assert "Roles they come back with" in page
    assert " checked" not in page
    assert world.case.reference in page  # their allocation is still open
    assert "System administrator" not in page  # not a role an agency admin can give
    response = client.post(
        reactivate_url(world.worker), {"reason": "returned", "roles": ["practitioner"]}
    )
    assert response.status_code == 302
    worker = fresh(world.worker)
    assert worker.is_active
    assert worker.role_codes() == ["practitioner"]
    assert last_details(Event.PRACTITIONER_REACTIVATED)["roles_given"] == ["practitioner"]


def test_reactivation_needs_a_reason(world: World, sign_in: SignIn) -> None:
    client = sign_in(world.agency_admin)
    client.post(deactivate_url(world.worker), {"reason": "long_absence"})
    response = client.post(reactivate_url(world.worker), {"roles": ["practitioner"]})
    assert "Select why you are reactivating this practitioner" in response.content.decode()
    assert not fresh(world.worker).is_active


def test_another_agencys_admin_gets_404_on_every_page(world: World, sign_in: SignIn) -> None:
    their_admin = PractitionerFactory(agency=world.other_agency, roles=[Role.AGENCY_ADMIN])
    client = sign_in(their_admin)
    allocation = CaseAllocation.objects.get(practitioner=world.worker)
    for page in (
        remove_url(world.worker, Role.PRACTITIONER),
        end_url(allocation),
        deactivate_url(world.worker),
        reactivate_url(world.worker),
    ):
        assert client.get(page).status_code == 404
        assert client.post(page, {"reason": "left_agency"}).status_code == 404
    assert fresh(world.worker).is_active
    assert CaseAllocation.objects.get(pk=allocation.pk).ended_on is None


def test_a_practitioner_without_the_capability_gets_403(world: World, sign_in: SignIn) -> None:
    client = sign_in(world.dsl)
    assert client.get(deactivate_url(world.worker)).status_code == 403
    assert client.post(deactivate_url(world.worker), {"reason": "left_agency"}).status_code == 403
    assert fresh(world.worker).is_active


def test_a_system_admin_manages_any_agencys_practitioner(world: World, sign_in: SignIn) -> None:
    allocation = AllocationFactory(case=world.other_case, practitioner=world.outsider)
    client = sign_in(world.system_admin)
    assert client.post(end_url(allocation), {"reason": "caseload"}).status_code == 302
    assert client.post(deactivate_url(world.outsider), {"reason": "left_agency"}).status_code == 302
    assert not fresh(world.outsider).is_active
