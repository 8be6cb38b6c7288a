"""factory-boy factories for plain rows. Workflow state goes through the real services.

Every name is obviously fake (see docs/glossary.md, "fake people").
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory

from safeshare.agencies.models import Agency, AgencyType, Practitioner, Role, RoleAssignment
from safeshare.cases.models import (
    Case,
    CaseAllocation,
    CaseStatus,
    FactOrOpinion,
    HowKnown,
    InformationItem,
    Involvement,
    Relationship,
)
from safeshare.core.vocabulary import InformationCategory
from safeshare.people.models import Address, DobPrecision, Person, Sex


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"Testshire Agency {n}")
    agency_type = AgencyType.CHILDRENS_SOCIAL_CARE
    local_authority_area = "Testshire"


class PractitionerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Practitioner
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"test.worker{n}")
    given_name = "Testy"
    family_name = factory.Sequence(lambda n: f"McTestface{n}")
    job_title = "Social worker"
    agency = factory.SubFactory(AgencyFactory)
    password = factory.django.Password("correct-horse-battery-staple")

    @factory.post_generation
    def roles(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if not create:
            return
        for role in extracted if extracted is not None else [Role.PRACTITIONER]:
            RoleAssignment.objects.create(practitioner=self, role=role)
        self.forget_cached_roles()


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    agency = factory.SubFactory(AgencyFactory)
    given_name = factory.Sequence(lambda n: f"Fakechild{n}")
    family_name = "Testington"
    date_of_birth = dt.date(2016, 4, 1)
    dob_precision = DobPrecision.EXACT
    sex = Sex.NOT_RECORDED


class AddressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Address

    person = factory.SubFactory(PersonFactory)
    lines = "1 Nowhere Lane, Faketown"
    postcode = "ZZ99 1AA"


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    agency = factory.SubFactory(AgencyFactory)
    subject = factory.SubFactory(PersonFactory, agency=factory.SelfAttribute("..agency"))
    reference = factory.Sequence(lambda n: f"CS-TEST{n:04d}")
    status = CaseStatus.CHILD_IN_NEED


class AllocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseAllocation

    case = factory.SubFactory(CaseFactory)
    practitioner = factory.SubFactory(
        PractitionerFactory, agency=factory.SelfAttribute("..case.agency")
    )


class InvolvementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Involvement

    case = factory.SubFactory(CaseFactory)
    person = factory.SubFactory(PersonFactory, agency=factory.SelfAttribute("..case.agency"))
    relationship = Relationship.PARENT


class ItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InformationItem

    case = factory.SubFactory(CaseFactory)
    about = factory.SelfAttribute("case.subject")
    category = InformationCategory.CHILD
    summary = "Attended school tired"
    content = "Fakechild arrived at school tired and hungry on Monday."
    fact_or_opinion = FactOrOpinion.FACT
    source = "Class teacher"
    how_known = HowKnown.OBSERVED
    event_date = dt.date(2026, 10, 5)
    recorded_by = factory.SubFactory(
        PractitionerFactory, agency=factory.SelfAttribute("..case.agency")
    )
