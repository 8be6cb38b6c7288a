"""A small MASH world: the council's hub (MASH officer, DSL/manager, a practitioner), a police
partner with a DSL who receives enquiries, and a school DSL elsewhere."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from safeshare.agencies.models import Agency, AgencyType, Practitioner, Role
from safeshare.core import clock
from safeshare.mash.models import MashContact
from safeshare.mash.services import contact_record
from tests.factories import AgencyFactory, PractitionerFactory

NOW = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC)  # a Tuesday


@dataclass
class MashWorld:
    hub: Agency
    police: Agency
    school: Agency
    officer: Practitioner  # MASH officer of the hub
    second_officer: Practitioner
    manager: Practitioner  # DSL of the hub: MASH_VIEW only
    worker: Practitioner  # practitioner of the hub: no MASH capability
    police_dsl: Practitioner
    police_mash: Practitioner  # MASH officer of another agency
    school_dsl: Practitioner


@pytest.fixture
def mash(db: None) -> MashWorld:
    hub = AgencyFactory(name="Testshire Children's Services")
    police = AgencyFactory(name="Testshire Constabulary", agency_type=AgencyType.POLICE)
    school = AgencyFactory(name="Testshire Primary", agency_type=AgencyType.SCHOOL)
    return MashWorld(
        hub=hub,
        police=police,
        school=school,
        officer=PractitionerFactory(agency=hub, roles=[Role.MASH_OFFICER]),
        second_officer=PractitionerFactory(agency=hub, roles=[Role.MASH_OFFICER]),
        manager=PractitionerFactory(agency=hub, roles=[Role.DSL]),
        worker=PractitionerFactory(agency=hub),
        police_dsl=PractitionerFactory(agency=police, roles=[Role.DSL]),
        police_mash=PractitionerFactory(agency=police, roles=[Role.MASH_OFFICER]),
        school_dsl=PractitionerFactory(agency=school, roles=[Role.DSL]),
    )


def record(world: MashWorld, **changes: Any) -> MashContact:
    """A contact from the school about a child with a (fake) NHS number, received now."""
    fields: dict[str, Any] = {
        "actor": world.officer,
        "received_at": clock.now() - dt.timedelta(minutes=5),
        "source": "phone",
        "referrer_agency": world.school,
        "referrer_name": "Pat Fakeworth",
        "referrer_role": "Designated safeguarding lead",
        "referrer_contact": "01234 000000",
        "parental_awareness": "aware_and_agree",
        "nhs_number": "999 000 0018",
        "given_name": "Alfie",
        "family_name": "Fakeworth",
        "date_of_birth": dt.date(2018, 4, 1),
        "postcode": "ZZ1 1AA",
        "concerns": "Came to school with a bruise on the cheek and was withdrawn",
        "category": "physical_abuse",
    }
    fields.update(changes)
    return contact_record(**fields)
