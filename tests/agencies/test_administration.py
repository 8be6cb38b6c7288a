"""Agency administration services: removing a role, deactivating and reactivating a practitioner,
each for a reason recorded in the same transaction, with the guard rails an information
governance lead expects (not yourself, never the agency's last administrator)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.test import Client

from safeshare.agencies.exceptions import (
    PractitionerChangeInvalid,
    PractitionerStateConflict,
    RoleInvalid,
)
from safeshare.agencies.models import (
    AdministrativeChange,
    ApiToken,
    Practitioner,
    PractitionerChangeReason,
    Role,
    RoleAssignment,
)
from safeshare.agencies.selectors import api_token_for_raw, practitioner_changes
from safeshare.agencies.services import (
    api_token_create,
    practitioner_deactivate,
    practitioner_reactivate,
    role_revoke,
)
from safeshare.ledger.events import Event
from safeshare.ledger.models import LedgerEntry
from tests.conftest import World
from tests.factories import PractitionerFactory

pytestmark = pytest.mark.django_db


def entries(event: Event, practitioner: Practitioner) -> list[dict[str, Any]]:
    return [
        json.loads(entry.details)
        for entry in LedgerEntry.objects.filter(
            event_code=int(event), object_id=str(practitioner.pk)
        ).order_by("id")
    ]


def fresh(practitioner: Practitioner) -> Practitioner:
    return Practitioner.objects.get(pk=practitioner.pk)


# --- Removing a role -----------------------------------------------------------------------------


def test_agency_admin_removes_a_role_and_the_reason_is_in_the_ledger_entry(world: World) -> None:
    role_revoke(
        actor=world.agency_admin,
        practitioner=world.dsl,
        role=Role.DSL,
        reason="changed_job",
        note="Moved to the fake fostering team",
    )
    assert not fresh(world.dsl).has_role(Role.DSL)
    (details,) = entries(Event.ROLE_REVOKED, world.dsl)
    record = PractitionerChangeReason.objects.get(pk=details["reason_record"])
    assert details == {"role": "dsl", "reason": "changed_job", "reason_record": str(record.pk)}
    assert record.change == AdministrativeChange.ROLE_REMOVED
    assert record.changed_by == world.agency_admin
    assert record.roles == ["dsl"]
    # The note is kept sealed beside the entry, never in it (no free text in the ledger).
    assert fresh_record(record).note == "Moved to the fake fostering team"
    assert "fostering" not in LedgerEntry.objects.get(event_code=int(Event.ROLE_REVOKED)).details


def fresh_record(record: PractitionerChangeReason) -> PractitionerChangeReason:
    return PractitionerChangeReason.objects.get(pk=record.pk)


@pytest.mark.parametrize(
    ("reason", "note", "field"),
    [
        ("", "", "reason"),
        ("because", "", "reason"),
        ("other", "  ", "note"),
        ("other", "x" * 1001, "note"),
    ],
)
def test_a_role_is_not_removed_without_a_proper_reason(
    world: World, reason: str, note: str, field: str
) -> None:
    with pytest.raises(PractitionerChangeInvalid) as error:
        role_revoke(
            actor=world.agency_admin,
            practitioner=world.dsl,
            role=Role.DSL,
            reason=reason,
            note=note,
        )
    assert error.value.field == field
    assert fresh(world.dsl).has_role(Role.DSL)
    assert not PractitionerChangeReason.objects.exists()
    assert not entries(Event.ROLE_REVOKED, world.dsl)


def test_another_reason_with_a_note_is_accepted(world: World) -> None:
    role_revoke(
        actor=world.agency_admin,
        practitioner=world.dsl,
        role=Role.DSL,
        reason="other",
        note="Asked for by the fake service manager",
    )
    assert entries(Event.ROLE_REVOKED, world.dsl)[0]["reason"] == "other"


def test_removing_a_role_they_do_not_hold_is_refused(world: World) -> None:
    with pytest.raises(PractitionerStateConflict):
        role_revoke(
            actor=world.agency_admin,
            practitioner=world.worker,
            role=Role.MASH_OFFICER,
            reason="not_needed",
        )
    with pytest.raises(RoleInvalid):
        role_revoke(
            actor=world.agency_admin,
            practitioner=world.worker,
            role="wizard",  # type: ignore[arg-type]
            reason="not_needed",
        )
    assert not PractitionerChangeReason.objects.exists()


def test_the_last_agency_admin_keeps_the_admin_role(world: World) -> None:
    for actor in (world.agency_admin, world.system_admin):
        with pytest.raises(PractitionerChangeInvalid) as error:
            role_revoke(
                actor=actor,
                practitioner=world.agency_admin,
                role=Role.AGENCY_ADMIN,
                reason="not_needed",
            )
        assert "only active agency administrator" in error.value.message
    assert fresh(world.agency_admin).has_role(Role.AGENCY_ADMIN)


def test_an_agency_admin_role_goes_once_another_active_admin_remains(world: World) -> None:
    deputy = PractitionerFactory(agency=world.agency, roles=[Role.AGENCY_ADMIN])
    inactive = PractitionerFactory(agency=world.agency, roles=[Role.AGENCY_ADMIN], is_active=False)
    role_revoke(
        actor=deputy,
        practitioner=world.agency_admin,
        role=Role.AGENCY_ADMIN,
        reason="changed_job",
    )
    assert not fresh(world.agency_admin).has_role(Role.AGENCY_ADMIN)
    # An inactive administrator does not count: the deputy is now the last one.
    assert inactive.has_role(Role.AGENCY_ADMIN)
    with pytest.raises(PractitionerChangeInvalid):
        role_revoke(
            actor=world.system_admin,
            practitioner=deputy,
            role=Role.AGENCY_ADMIN,
            reason="changed_job",
        )


# --- Deactivation --------------------------------------------------------------------------------


def signed_in_session(practitioner: Practitioner) -> str:
    client = Client()
    client.force_login(practitioner)
    return str(client.session.session_key)


def test_deactivation_removes_roles_revokes_tokens_and_ends_sessions_in_one_step(
    world: World,
) -> None:
    token, raw = api_token_create(actor=world.dsl, name="Fake laptop")
    sessions = [signed_in_session(world.dsl), signed_in_session(world.dsl)]
    someone_elses = signed_in_session(world.worker)
    practitioner_deactivate(
        actor=world.agency_admin, practitioner=world.dsl, reason="left_agency", note="Last day"
    )
    dsl = fresh(world.dsl)
    assert not dsl.is_active
    assert not RoleAssignment.objects.filter(practitioner=dsl).exists()
    assert api_token_for_raw(raw) is None
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    assert not Session.objects.filter(session_key__in=sessions).exists()
    assert Session.objects.get(session_key=someone_elses).get_decoded()[SESSION_KEY] == str(
        world.worker.pk
    )
    (details,) = entries(Event.PRACTITIONER_DEACTIVATED, dsl)
    assert details["reason"] == "left_agency"
    assert details["roles_removed"] == ["dsl"]
    assert details["api_tokens_revoked"] == 1
    assert details["sessions_ended"] == 2
    (revoked,) = entries(Event.ROLE_REVOKED, dsl)
    assert revoked["on"] == "deactivation"
    assert revoked["reason_record"] == details["reason_record"]
    (change,) = practitioner_changes(practitioner=dsl)
    assert (change.change, change.reason, change.note) == ("deactivated", "left_agency", "Last day")
    assert change.reason_label == "They have left the agency"


def test_an_admin_cannot_deactivate_themselves(world: World) -> None:
    for admin in (world.agency_admin, world.system_admin):
        with pytest.raises(PractitionerChangeInvalid) as error:
            practitioner_deactivate(actor=admin, practitioner=admin, reason="left_agency")
        assert "your own account" in error.value.message
        assert fresh(admin).is_active


def test_the_last_agency_admin_cannot_be_deactivated(world: World) -> None:
    with pytest.raises(PractitionerChangeInvalid):
        practitioner_deactivate(
            actor=world.system_admin, practitioner=world.agency_admin, reason="left_agency"
        )
    assert fresh(world.agency_admin).is_active
    assert not entries(Event.PRACTITIONER_DEACTIVATED, world.agency_admin)


def test_deactivating_twice_or_without_a_reason_is_refused_and_changes_nothing(
    world: World,
) -> None:
    with pytest.raises(PractitionerChangeInvalid):
        practitioner_deactivate(actor=world.agency_admin, practitioner=world.dsl, reason="")
    assert fresh(world.dsl).is_active
    assert fresh(world.dsl).has_role(Role.DSL)
    practitioner_deactivate(actor=world.agency_admin, practitioner=world.dsl, reason="suspended")
    with pytest.raises(PractitionerStateConflict):
        practitioner_deactivate(
            actor=world.agency_admin, practitioner=fresh(world.dsl), reason="suspended"
        )
    assert len(entries(Event.PRACTITIONER_DEACTIVATED, world.dsl)) == 1


# --- Reactivation --------------------------------------------------------------------------------


def test_reactivation_gives_back_only_the_roles_chosen_now(world: World) -> None:
    practitioner_deactivate(actor=world.agency_admin, practitioner=world.dsl, reason="long_absence")
    dsl = fresh(world.dsl)
    practitioner_reactivate(actor=world.agency_admin, practitioner=dsl, reason="returned")
    dsl = fresh(dsl)
    assert dsl.is_active
    assert dsl.role_codes() == []  # nothing comes back silently
    (details,) = entries(Event.PRACTITIONER_REACTIVATED, dsl)
    assert details["reason"] == "returned"
    assert details["roles_given"] == []
    practitioner_deactivate(actor=world.agency_admin, practitioner=dsl, reason="long_absence")
    practitioner_reactivate(
        actor=world.agency_admin,
        practitioner=fresh(dsl),
        reason="returned",
        roles=[Role.PRACTITIONER],
    )
    dsl = fresh(dsl)
    assert dsl.role_codes() == ["practitioner"]
    assert entries(Event.PRACTITIONER_REACTIVATED, dsl)[-1]["roles_given"] == ["practitioner"]
    granted = entries(Event.ROLE_GRANTED, dsl)
    assert granted[-1] == {"role": "practitioner"}


def test_reactivating_an_active_practitioner_or_without_a_reason_is_refused(
    world: World,
) -> None:
    with pytest.raises(PractitionerStateConflict):
        practitioner_reactivate(
            actor=world.agency_admin, practitioner=world.worker, reason="returned"
        )
    practitioner_deactivate(actor=world.agency_admin, practitioner=world.worker, reason="suspended")
    worker = fresh(world.worker)
    for reason, note in (("", ""), ("other", "")):
        with pytest.raises(PractitionerChangeInvalid):
            practitioner_reactivate(
                actor=world.agency_admin,
                practitioner=worker,
                reason=reason,
                note=note,
                roles=[Role.PRACTITIONER],
            )
    with pytest.raises(RoleInvalid):
        practitioner_reactivate(
            actor=world.agency_admin,
            practitioner=worker,
            reason="returned",
            roles=["wizard"],  # type: ignore[list-item]
        )
    assert not fresh(worker).is_active
    assert not entries(Event.PRACTITIONER_REACTIVATED, worker)


def test_a_practitioner_of_an_agency_no_longer_active_is_not_reactivated(world: World) -> None:
    practitioner_deactivate(actor=world.agency_admin, practitioner=world.worker, reason="suspended")
    world.agency.is_active = False
    world.agency.save()
    with pytest.raises(PractitionerChangeInvalid):
        practitioner_reactivate(
            actor=world.system_admin, practitioner=fresh(world.worker), reason="returned"
        )
    assert not fresh(world.worker).is_active
