"""Seed a throwaway SafeShare instance for the browser tests, through the real services.

Run inside the served instance's settings: ``manage.py shell -c "from tests.browser.seed import
seed; seed()"``. Prints one JSON line with the ids the tests need. Every person is fake.
"""

from __future__ import annotations

import datetime as dt
import json

from django.db import transaction

from safeshare.agencies.models import AgencyType, Role
from safeshare.agencies.services import agency_create, practitioner_create
from safeshare.cases.models import CaseStatus, FactOrOpinion, HowKnown, Relationship
from safeshare.cases.services import (
    allocation_add,
    case_open_for_new_child,
    involvement_add,
    item_create,
)
from safeshare.core.vocabulary import InformationCategory, SpecialCategory
from safeshare.people.models import Sex
from safeshare.people.services import address_add, person_create

# Long and uncommon enough for the password validators; fake, for a throwaway instance only.
PASSWORD = "Testshire-fake-passphrase-2026"

# One practitioner per sign-in: a TOTP code cannot be used twice, so each test enrols its own.
WORKERS = ("fake.journey", "fake.a11y", "fake.enrol", "fake.decide", "fake.timeout")


@transaction.atomic
def seed() -> None:
    agency = agency_create(
        actor=None,
        name="Testshire Children's Services",
        agency_type=AgencyType.CHILDRENS_SOCIAL_CARE,
        local_authority_area="Testshire",
    )
    police = agency_create(
        actor=None,
        name="Testshire Constabulary",
        agency_type=AgencyType.POLICE,
        local_authority_area="Testshire",
    )
    workers = [
        practitioner_create(
            actor=None,
            agency=agency,
            username=username,
            given_name="Testy",
            family_name=f"Worker{number}",
            job_title="Social worker",
            roles=(Role.PRACTITIONER,),
            password=PASSWORD,
        )
        for number, username in enumerate(WORKERS, start=1)
    ]
    outsider = practitioner_create(
        actor=None,
        agency=police,
        username="fake.outsider",
        given_name="Testy",
        family_name="Outsider",
        job_title="Detective sergeant",
        roles=(Role.DSL,),
        password=PASSWORD,
    )
    case = case_open_for_new_child(
        actor=workers[0],
        agency=agency,
        given_name="Fakechild",
        family_name="Testington",
        date_of_birth=dt.date(2016, 4, 1),
        sex=Sex.FEMALE,
        nhs_number="9990000018",
        status=CaseStatus.CHILD_IN_NEED,
    )
    for worker in workers[1:]:
        allocation_add(actor=workers[0], case=case, practitioner=worker)
    address_add(
        actor=workers[0],
        person=case.subject,
        lines="1 Nowhere Lane\nFaketown",
        postcode="ZZ99 1AA",
        lived_from=dt.date(2020, 1, 1),
    )
    parent = person_create(
        actor=workers[0],
        agency=agency,
        given_name="Fakeparent",
        family_name="Testington",
        date_of_birth=dt.date(1990, 6, 15),
        sex=Sex.MALE,
    )
    involvement_add(
        actor=workers[0],
        case=case,
        person=parent,
        relationship=Relationship.PARENT,
        has_parental_responsibility=True,
    )
    item_create(
        actor=workers[0],
        case=case,
        category=InformationCategory.CHILD,
        summary="Attended school tired",
        content="Fakechild arrived at school tired and hungry on Monday.",
        fact_or_opinion=FactOrOpinion.FACT,
        source="Class teacher",
        how_known=HowKnown.OBSERVED,
        event_date=dt.date(2026, 1, 5),
    )
    item_create(
        actor=workers[0],
        case=case,
        about=parent,
        category=InformationCategory.PARENTING,
        summary="Parent disclosed a health condition",
        content="Fakeparent said they had stopped taking prescribed medication.",
        fact_or_opinion=FactOrOpinion.FACT,
        source="Fakeparent Testington",
        how_known=HowKnown.TOLD_BY_FAMILY,
        event_date=dt.date(2025, 12, 1),
        special_category=SpecialCategory.HEALTH,
        is_confidential=True,
        third_party_protected=True,
    )
    other_case = case_open_for_new_child(
        actor=outsider,
        agency=police,
        given_name="Fakeother",
        family_name="Testington",
        date_of_birth=dt.date(2015, 2, 2),
        status=CaseStatus.CHILD_IN_NEED,
    )
    print(  # the browser fixture reads this line
        json.dumps(
            {
                "case_id": str(case.pk),
                "case_reference": case.reference,
                "child_name": case.subject.display_name,
                "other_case_id": str(other_case.pk),
                "password": PASSWORD,
            }
        )
    )
