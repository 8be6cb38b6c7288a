"""Reads for sharing decisions: the recipient's entitlement, derived in one place."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from safeshare.agencies.models import (
    Agency,
    AgencyType,
    AgreementStatus,
    InformationSharingAgreement,
)
from safeshare.agencies.selectors import agreement_covers, agreements_covering
from safeshare.core import clock
from safeshare.decisions.selectors import recipient_entitlement
from tests.conftest import World
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db

MONDAY_NOON = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)


def _agreement(world: World, recipient: Agency, *, status: str = AgreementStatus.ACTIVE) -> None:
    agreement = InformationSharingAgreement.objects.create(
        reference=f"ISA-{status}",
        title="Testshire safeguarding partnership",
        owner=world.agency,
        purposes=["child_protection"],
        data_categories=["child"],
        lawful_bases=["art6_1_e"],
        retention_days=365,
        start_date=dt.date(2026, 1, 1),
        review_date=dt.date(2027, 1, 1),
        status=status,
    )
    agreement.parties.set([world.agency, recipient])


def test_party_to_an_active_agreement_covering_the_purpose_is_entitled_by_agreement(
    world: World,
) -> None:
    school = AgencyFactory(agency_type=AgencyType.SCHOOL)
    _agreement(world, school)
    with clock.frozen(MONDAY_NOON):
        entitled = recipient_entitlement(
            sharer=world.agency, recipient=school, purpose="child_protection"
        )
        other_purpose = recipient_entitlement(
            sharer=world.agency, recipient=school, purpose="early_help"
        )
    assert entitled == "agreement"
    assert other_purpose == "not_entitled"


def test_statutory_partner_without_agreement_is_entitled_as_partner(world: World) -> None:
    with clock.frozen(MONDAY_NOON):
        answer = recipient_entitlement(
            sharer=world.agency, recipient=world.other_agency, purpose="child_protection"
        )
    assert answer == "statutory_partner"


def test_draft_agreement_does_not_entitle_a_non_partner(world: World) -> None:
    school = AgencyFactory(agency_type=AgencyType.SCHOOL)
    _agreement(world, school, status=AgreementStatus.DRAFT)
    with clock.frozen(MONDAY_NOON):
        answer = recipient_entitlement(
            sharer=world.agency, recipient=school, purpose="child_protection"
        )
    assert answer == "not_entitled"


@pytest.mark.parametrize(
    ("status", "start", "end", "purpose", "covered"),
    [
        (AgreementStatus.ACTIVE, dt.date(2026, 1, 1), None, "child_protection", True),
        (
            AgreementStatus.ACTIVE,
            dt.date(2026, 1, 1),
            dt.date(2026, 11, 23),
            "child_protection",
            True,
        ),
        (AgreementStatus.ACTIVE, dt.date(2026, 1, 1), None, "early_help", False),
        (AgreementStatus.DRAFT, dt.date(2026, 1, 1), None, "child_protection", False),
        (
            AgreementStatus.ACTIVE,
            dt.date(2026, 1, 1),
            dt.date(2026, 11, 22),
            "child_protection",
            False,
        ),
        (AgreementStatus.ACTIVE, dt.date(2026, 11, 24), None, "child_protection", False),
    ],
)
def test_agreement_covers_answers_as_the_agreements_covering_list_does(
    world: World, status: str, start: dt.date, end: dt.date | None, purpose: str, covered: bool
) -> None:
    school = AgencyFactory(agency_type=AgencyType.SCHOOL)
    stranger = AgencyFactory(agency_type=AgencyType.SCHOOL)
    _agreement(world, school, status=status)
    InformationSharingAgreement.objects.update(start_date=start, end_date=end)
    with clock.frozen(MONDAY_NOON):
        for recipient, expected in ((school, covered), (stranger, False)):
            listed = agreements_covering(agency_a=world.agency, agency_b=recipient, purpose=purpose)
            answer = agreement_covers(agency_a=world.agency, agency_b=recipient, purpose=purpose)
            assert answer is expected
            assert listed.exists() is expected


def test_recipient_entitlement_asks_the_database_one_question(
    world: World, django_assert_num_queries: Any
) -> None:
    school = AgencyFactory(agency_type=AgencyType.SCHOOL)
    _agreement(world, school)
    with clock.frozen(MONDAY_NOON), django_assert_num_queries(1):
        answer = recipient_entitlement(
            sharer=world.agency, recipient=school, purpose="child_protection"
        )
    assert answer == "agreement"
