"""The consent position for one question, consent lists, recalls, and who may see consent."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from safeshare.access import scopes
from safeshare.access.capabilities import Capability
from safeshare.access.fetch import access_consent
from safeshare.access.policy import can
from safeshare.agencies.models import Agency, AgencyType, Role
from safeshare.consent.models import Consent, EffectiveConsent
from safeshare.consent.selectors import consent_state_for, consents_for_person
from safeshare.consent.services import (
    consent_record_not_sought,
    consent_record_refused,
    consent_withdraw,
)
from safeshare.core import clock
from safeshare.core.exceptions import NotFound
from safeshare.ledger.events import Event
from safeshare.ledger.models import LedgerEntry
from tests.conftest import World
from tests.consent.factories import NOON, TODAY, give
from tests.factories import AgencyFactory, PersonFactory, PractitionerFactory

pytestmark = pytest.mark.django_db

POLICE = "police"


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with clock.frozen(NOON):
        yield


def _later(days: int) -> Any:
    return clock.frozen(NOON + dt.timedelta(days=days))


def state(
    world: World,
    *,
    purpose: str = "child_protection",
    recipient: Agency | None = None,
    category: str = "child",
    on: dt.date | None = None,
) -> tuple[str, Consent | None]:
    return consent_state_for(
        person=world.case.subject,
        purpose=purpose,
        recipient_agency=recipient or world.other_agency,
        category=category,
        on=on,
    )


def _refuse(world: World, **scope: Any) -> Consent:
    return consent_record_refused(
        actor=world.worker,
        person=world.case.subject,
        given_by="parental_responsibility",
        given_by_name="Mother, Fakemum Testington",
        method="verbal",
        **scope,
    )


def test_nothing_recorded_is_not_asked(world: World) -> None:
    assert state(world) == (EffectiveConsent.NOT_ASKED, None)


def test_consent_covering_the_recipients_type_is_given(world: World) -> None:
    consent = give(world.worker, world.case.subject)
    assert world.other_agency.agency_type == AgencyType.POLICE
    assert state(world) == ("given", consent)


def test_consent_naming_the_recipient_agency_is_given(world: World) -> None:
    consent = give(
        world.worker,
        world.case.subject,
        recipient_agency_types=[],
        recipient_agencies=[world.other_agency],
    )
    assert state(world) == ("given", consent)


def test_consent_naming_one_agency_does_not_cover_another_of_the_same_type(
    world: World,
) -> None:
    give(
        world.worker,
        world.case.subject,
        recipient_agency_types=[],
        recipient_agencies=[world.other_agency],
    )
    another_force = AgencyFactory(agency_type=AgencyType.POLICE)
    assert state(world, recipient=another_force) == ("not_asked", None)


def test_consent_for_police_does_not_cover_a_school(world: World) -> None:
    give(world.worker, world.case.subject)
    school = AgencyFactory(agency_type=AgencyType.SCHOOL)
    assert state(world, recipient=school) == ("not_asked", None)


def test_consent_does_not_cover_another_purpose(world: World) -> None:
    give(world.worker, world.case.subject)
    assert state(world, purpose="early_help") == ("not_asked", None)


def test_consent_does_not_cover_another_category(world: World) -> None:
    give(world.worker, world.case.subject)
    assert state(world, category="parenting") == ("not_asked", None)


def test_consent_about_another_person_does_not_count(world: World) -> None:
    sibling = PersonFactory(agency=world.agency)
    give(world.worker, sibling)
    assert state(world) == ("not_asked", None)


def test_consent_covers_its_expiry_day_and_is_expired_the_day_after(world: World) -> None:
    consent = give(world.worker, world.case.subject, expires_on=TODAY + dt.timedelta(days=30))
    with _later(30):
        assert state(world) == ("given", consent)
    with _later(31):
        assert state(world) == ("expired", consent)
    assert state(world, on=TODAY + dt.timedelta(days=31)) == ("expired", consent)


def test_expired_consent_that_did_not_cover_the_question_is_not_asked(world: World) -> None:
    give(world.worker, world.case.subject, expires_on=TODAY + dt.timedelta(days=30))
    with _later(31):
        assert state(world, purpose="early_help") == ("not_asked", None)


def test_an_older_consent_still_in_force_outlasts_a_newer_one_that_expired(world: World) -> None:
    long = give(world.worker, world.case.subject, expires_on=TODAY + dt.timedelta(days=300))
    with _later(1):
        give(world.worker, world.case.subject, expires_on=TODAY + dt.timedelta(days=10))
    with _later(20):
        assert state(world) == ("given", long)


def test_consent_that_starts_later_is_not_yet_consent(world: World) -> None:
    give(world.worker, world.case.subject, starts_on=TODAY + dt.timedelta(days=5))
    assert state(world) == ("not_asked", None)
    with _later(5):
        assert state(world)[0] == "given"


def test_a_refusal_after_consent_is_refused(world: World) -> None:
    give(world.worker, world.case.subject)
    with _later(1):
        refusal = _refuse(world)
        assert state(world) == ("refused", refusal)


def test_consent_after_a_refusal_is_given(world: World) -> None:
    _refuse(world)
    with _later(1):
        consent = give(world.worker, world.case.subject)
        assert state(world) == ("given", consent)


def test_consent_that_expired_after_a_refusal_is_expired_not_refused(world: World) -> None:
    _refuse(world)
    with _later(1):
        consent = give(world.worker, world.case.subject, expires_on=TODAY + dt.timedelta(days=5))
    with _later(10):
        assert state(world) == ("expired", consent)


def test_a_refusal_with_no_scope_covers_every_question(world: World) -> None:
    refusal = _refuse(world)
    school = AgencyFactory(agency_type=AgencyType.SCHOOL)
    assert state(world, purpose="early_help", recipient=school, category="parenting") == (
        "refused",
        refusal,
    )


def test_a_refusal_for_one_purpose_leaves_consent_for_another(world: World) -> None:
    consent = give(world.worker, world.case.subject, purposes=["child_protection", "early_help"])
    with _later(1):
        _refuse(world, purposes=["early_help"])
        assert state(world, purpose="early_help")[0] == "refused"
        assert state(world, purpose="child_protection") == ("given", consent)


def test_a_refusal_for_one_recipient_leaves_consent_for_another(world: World) -> None:
    school = AgencyFactory(agency_type=AgencyType.SCHOOL)
    give(world.worker, world.case.subject, recipient_agency_types=[POLICE, "school"])
    with _later(1):
        _refuse(world, recipient_agencies=[school])
        assert state(world, recipient=school)[0] == "refused"
        assert state(world)[0] == "given"


def test_withdrawn_consent_is_withdrawn_from_the_day_of_withdrawal(world: World) -> None:
    consent = give(world.worker, world.case.subject)
    with _later(3):
        consent_withdraw(actor=world.worker, consent=consent, note="Withdrawn by phone")
        assert state(world) == ("withdrawn", consent)
        assert state(world, on=TODAY + dt.timedelta(days=1)) == ("given", consent)


def test_consent_given_again_after_withdrawal_is_given(world: World) -> None:
    first = give(world.worker, world.case.subject)
    with _later(1):
        consent_withdraw(actor=world.worker, consent=first, note="Withdrawn by phone")
    with _later(2):
        second = give(world.worker, world.case.subject)
        assert state(world) == ("given", second)


def test_consent_not_sought_is_not_sought(world: World) -> None:
    record = consent_record_not_sought(
        actor=world.worker,
        person=world.case.subject,
        reason="undermine_serious_crime_investigation",
        explanation="Police enquiry into the fake household is under way",
        purposes=["child_protection", "crime_prevention"],
    )
    assert state(world) == ("not_sought", record)
    assert state(world, purpose="early_help") == ("not_asked", None)


def test_records_made_after_the_day_asked_about_do_not_count(world: World) -> None:
    with _later(5):
        give(world.worker, world.case.subject)
        assert state(world, on=TODAY) == ("not_asked", None)


def test_every_answer_is_one_of_the_engines_consent_states(world: World) -> None:
    assert {s.value for s in EffectiveConsent} == {
        "given",
        "refused",
        "withdrawn",
        "expired",
        "not_sought",
        "not_asked",
    }


def test_consents_for_person_lists_newest_first_within_the_scope(world: World) -> None:
    first = give(world.worker, world.case.subject)
    with _later(1):
        refusal = _refuse(world)
    give(world.worker, PersonFactory(agency=world.agency))
    listed = consents_for_person(
        consents=scopes.consents_visible_to(world.worker), person=world.case.subject
    )
    assert list(listed) == [refusal, first]
    hidden = consents_for_person(
        consents=scopes.consents_visible_to(world.colleague), person=world.case.subject
    )
    assert not hidden.exists()


# Who may see a consent record: it follows the visibility of the person it is about.
CONSENT_VIEWERS = {
    "worker": True,
    "colleague": False,
    "dsl": True,
    "outsider": False,
    "agency_admin": False,
    "system_admin": False,
}


@pytest.mark.parametrize(("who", "allowed"), CONSENT_VIEWERS.items())
def test_consent_visibility_by_actor(world: World, who: str, allowed: bool) -> None:
    consent = give(world.worker, world.case.subject)
    actor = getattr(world, who)
    assert can(actor, Capability.CONSENT_VIEW, consent) is allowed
    assert scopes.consents_visible_to(actor).filter(pk=consent.pk).exists() is allowed


def test_worker_allocated_to_the_childs_case_can_view_the_consent(world: World) -> None:
    consent = give(world.worker, world.case.subject)
    assert access_consent(world.worker, consent.pk) == consent
    entry = LedgerEntry.objects.get(event_code=Event.CONSENT_VIEWED)
    assert entry.actor_id == world.worker.pk
    assert entry.subject_person_id == world.case.subject.pk


def test_information_governance_can_view_but_not_record_consent(world: World) -> None:
    consent = give(world.worker, world.case.subject)
    ig = PractitionerFactory(agency=world.agency, roles=[Role.INFORMATION_GOVERNANCE])
    assert access_consent(ig, consent.pk) == consent
    with pytest.raises(NotFound):
        access_consent(ig, consent.pk, need=Capability.CONSENT_RECORD)


@pytest.mark.parametrize("who", ["colleague", "outsider", "agency_admin", "system_admin"])
def test_practitioner_without_a_relationship_cannot_view_consent(world: World, who: str) -> None:
    consent = give(world.worker, world.case.subject)
    actor = getattr(world, who)
    with pytest.raises(NotFound) as forbidden:
        access_consent(actor, consent.pk)
    with pytest.raises(NotFound) as missing:
        access_consent(actor, uuid.uuid4())
    assert str(forbidden.value) == str(missing.value)
    assert not LedgerEntry.objects.filter(event_code=Event.CONSENT_VIEWED).exists()


def test_worker_loses_sight_of_the_consent_when_the_allocation_ends(world: World) -> None:
    consent = give(world.worker, world.case.subject)
    world.case.allocations.update(ended_on=TODAY)
    with pytest.raises(NotFound):
        access_consent(world.worker, consent.pk)
