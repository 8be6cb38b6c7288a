"""The fake demo area: obviously fictional, deterministic, the same through services and bulk."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

import pytest
from django.db import transaction
from pytest_django.fixtures import Settings as SettingsWrapper

from safeshare.agencies.models import (
    Agency,
    AgreementStatus,
    InformationSharingAgreement,
    Practitioner,
    Role,
)
from safeshare.cases.models import Case, CaseStatus, InformationItem, Involvement
from safeshare.cli import main as cli
from safeshare.cli.demo import names
from safeshare.cli.demo.area import DEMO_PASSWORD, STAFF
from safeshare.cli.demo.generator import DemoResult, generate
from safeshare.cli.demo.plan import AGENCIES, FamilyPlanner
from safeshare.core.vocabulary import InformationCategory
from safeshare.ledger.events import Event
from safeshare.ledger.models import LedgerEntry
from safeshare.linkage.models import Identity, IdentityLink
from safeshare.people.models import Address, Person
from safeshare.people.nhs import is_valid_nhs_number

pytestmark = pytest.mark.django_db

CHILDREN = 40
SEED = 7


class _Rollback(Exception):
    pass


def _snapshot() -> dict[str, object]:
    people = sorted(
        (
            p.agency.name,
            p.given_name,
            p.family_name,
            p.nhs_number,
            str(p.date_of_birth),
            p.dob_precision,
            p.sex,
            p.agency_reference,
            p.recorded_by.username if p.recorded_by else "",
        )
        for p in Person.objects.select_related("agency", "recorded_by")
    )
    return {
        "people": people,
        "cases": sorted(
            (c.agency.name, c.reference, c.status, str(c.opened_on), str(c.closed_on))
            for c in Case.objects.select_related("agency")
        ),
        "items": sorted(
            (i.case.reference, i.summary, i.content, str(i.event_date), i.recorded_by.username)
            for i in InformationItem.objects.select_related("case", "recorded_by")
        ),
        "addresses": sorted(
            (a.person.agency_reference, a.lines, a.postcode, str(a.lived_to), a.is_protected)
            for a in Address.objects.select_related("person")
        ),
        "involvements": sorted(
            (v.case.reference, v.person.agency_reference, v.relationship)
            for v in Involvement.objects.select_related("case", "person")
        ),
        "ledger": Counter(LedgerEntry.objects.values_list("event_code", flat=True)),
    }


def _generate_and_roll_back(
    *, bulk: bool, seed: int = SEED
) -> tuple[DemoResult, dict[str, object]]:
    """Generate an area, look at it, then undo it, so one test can compare two areas."""
    captured: list[tuple[DemoResult, dict[str, object]]] = []
    with pytest.raises(_Rollback), transaction.atomic():
        result = generate(children=CHILDREN, seed=seed, bulk=bulk, chunk_children=15)
        captured.append((result, _snapshot()))
        raise _Rollback
    return captured[0]


@pytest.mark.parametrize("bulk", [False, True], ids=["services", "bulk"])
def test_demo_area_has_the_agencies_practitioners_and_active_agreements(bulk: bool) -> None:
    result = generate(children=CHILDREN, seed=SEED, bulk=bulk, chunk_children=15)
    assert result.mode == ("bulk" if bulk else "services")
    assert Agency.objects.count() == len(AGENCIES) == 10
    assert Practitioner.objects.count() == len(STAFF) == 40
    held_roles = set(
        Practitioner.objects.values_list("role_assignments__role", flat=True).distinct()
    )
    assert held_roles == set(Role.values)
    agreements = InformationSharingAgreement.objects.all()
    assert agreements.count() == 3
    for agreement in agreements:
        assert agreement.status == AgreementStatus.ACTIVE
        assert set(agreement.signatures.values_list("agency", flat=True)) == set(
            agreement.parties.values_list("pk", flat=True)
        )


@pytest.mark.parametrize("bulk", [False, True], ids=["services", "bulk"])
def test_demo_people_are_obviously_fake(bulk: bool) -> None:
    generate(children=CHILDREN, seed=SEED, bulk=bulk, chunk_children=15)
    people = list(Person.objects.all())
    assert people
    for person in people:
        assert names.is_fake_family_name(person.family_name), person.family_name
        if person.nhs_number:
            assert person.nhs_number.startswith("999")
            assert is_valid_nhs_number(person.nhs_number)
    for practitioner in Practitioner.objects.all():
        assert names.is_fake_family_name(practitioner.family_name)
    for address in Address.objects.all():
        assert address.postcode.startswith("ZZ99 ")
        assert names.AREA in address.lines
    for item in InformationItem.objects.all():
        assert item.content.endswith("(Fictional demo record: no real person.)")


@pytest.mark.parametrize("bulk", [False, True], ids=["services", "bulk"])
def test_every_demo_row_has_its_ledger_entry(bulk: bool) -> None:
    generate(children=CHILDREN, seed=SEED, bulk=bulk, chunk_children=15)

    def recorded(event: Event) -> set[str]:
        return set(LedgerEntry.objects.filter(event_code=event).values_list("object_id", flat=True))

    assert {str(pk) for pk in Person.objects.values_list("pk", flat=True)} == recorded(
        Event.PERSON_CREATED
    )
    assert {str(pk) for pk in Case.objects.values_list("pk", flat=True)} == recorded(
        Event.CASE_CREATED
    )
    assert {str(pk) for pk in InformationItem.objects.values_list("pk", flat=True)} == recorded(
        Event.ITEM_CREATED
    )
    assert {str(pk) for pk in Involvement.objects.values_list("pk", flat=True)} == recorded(
        Event.INVOLVEMENT_ADDED
    )
    person_entry = LedgerEntry.objects.filter(event_code=Event.PERSON_CREATED).first()
    assert person_entry is not None
    assert person_entry.subject_person_id is not None
    generated = LedgerEntry.objects.get(event_code=Event.DEMO_AREA_GENERATED)
    assert f'"children":{CHILDREN}' in generated.details
    assert generated.actor_roles == "system"


def test_demo_data_varies_like_real_records() -> None:
    result = generate(children=CHILDREN, seed=SEED, bulk=True, chunk_children=15)
    statuses = set(Case.objects.values_list("status", flat=True))
    assert {CaseStatus.CLOSED, CaseStatus.EARLY_HELP} <= statuses
    assert len(statuses) >= 4
    categories = set(InformationItem.objects.values_list("category", flat=True))
    assert categories == set(InformationCategory.values)
    items = InformationItem.objects
    assert items.filter(fact_or_opinion="fact").exists()
    assert items.filter(fact_or_opinion="opinion").exists()
    assert items.filter(special_category="health").exists()
    assert items.filter(criminal_offence_data=True).exists()
    assert items.filter(is_confidential=True).exists()
    assert items.filter(third_party_protected=True).exists()
    # The same child is held by several agencies, each with its own record.
    holders = Counter(Person.objects.exclude(nhs_number="").values_list("nhs_number", flat=True))
    assert max(holders.values()) >= 3
    assert result.counts["people"] == Person.objects.count()


def test_large_demo_area_has_protected_refuge_addresses() -> None:
    generate(children=400, seed=SEED, bulk=True, chunk_children=200)
    protected = Address.objects.filter(is_protected=True)
    assert protected.exists()
    assert all(names.REFUGE_STREET in a.lines for a in protected)


def test_same_seed_gives_the_same_area_through_services_and_bulk() -> None:
    services_result, services_area = _generate_and_roll_back(bulk=False)
    bulk_result, bulk_area = _generate_and_roll_back(bulk=True)
    assert services_area == bulk_area
    assert services_result.counts == bulk_result.counts


def test_different_seeds_give_different_people() -> None:
    today = dt.date(2026, 6, 1)

    def names_for(seed: int) -> list[str]:
        planner = FamilyPlanner(random.Random(seed), today)
        return [m.full_name for family in planner.families(30) for m in family.members]

    first, again, other = names_for(1), names_for(1), names_for(2)
    assert first == again
    assert first != other


def test_planner_makes_exactly_the_children_asked_for() -> None:
    families = list(FamilyPlanner(random.Random(3), dt.date(2026, 6, 1)).families(101))
    assert sum(len(f.children) for f in families) == 101


def test_demo_command_prints_the_sign_ins(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["demo", "--children", "12", "--skip-checks"]) == 0
    out = capsys.readouterr().out
    assert DEMO_PASSWORD in out
    for spec in STAFF:
        assert spec.username in out
    assert "sw.amara" in out
    assert "Amara Quibbleton" in out
    practitioner = Practitioner.objects.get(username="sw.amara")
    assert practitioner.check_password(DEMO_PASSWORD)


def test_demo_links_the_agencies_overlapping_records(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["demo", "--children", "12", "--skip-checks"]) == 0
    assert "Linked the agencies' records with linkage model v1" in capsys.readouterr().out
    links = IdentityLink.objects.select_related("person")
    assert links.count() == Person.objects.filter(is_unborn=False).count()
    by_nhs: dict[str, list[object]] = {}
    for link in links:
        if link.person.nhs_number:
            by_nhs.setdefault(link.person.nhs_number, []).append(link.identity_id)
    held_twice = [set(ids) for ids in by_nhs.values() if len(ids) > 1]
    assert len(held_twice) > 10
    # Records of one person (the same NHS number) at different agencies share one identity.
    assert sum(len(ids) == 1 for ids in held_twice) >= 0.95 * len(held_twice)
    assert Identity.objects.count() < links.count()


def test_demo_if_empty_does_nothing_when_an_agency_exists(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli.main(["demo", "--children", "5", "--skip-checks"]) == 0
    people = Person.objects.count()
    capsys.readouterr()
    assert cli.main(["demo", "--children", "5", "--if-empty", "--skip-checks"]) == 0
    assert capsys.readouterr().out.strip() == "demo area already present"
    assert Person.objects.count() == people


def test_demo_refuses_a_database_that_already_holds_agencies(
    capsys: pytest.CaptureFixture[str],
) -> None:
    Agency.objects.create(name="Testshire Other Agency", agency_type="police")
    assert cli.main(["demo", "--children", "5", "--skip-checks"]) == 1
    assert "already holds agencies" in capsys.readouterr().err
    assert Person.objects.count() == 0


def test_demo_refuses_outside_demo_mode(
    capsys: pytest.CaptureFixture[str], settings: SettingsWrapper
) -> None:
    settings.SAFESHARE_DEMO_MODE = False
    assert cli.main(["demo", "--children", "5", "--skip-checks"]) == 1
    assert "SAFESHARE_DEMO_MODE" in capsys.readouterr().err
    assert Agency.objects.count() == 0


@pytest.mark.django_db
def test_demo_area_shows_every_recommendation_and_an_overdue_approval() -> None:
    from safeshare.cli.demo.generator import generate
    from safeshare.decisions.engine import Recommendation
    from safeshare.decisions.models import SharingDecision

    generate(children=40, seed=7)
    decisions = list(SharingDecision.objects.all())
    # A contradiction is sent back to the practitioner, never recorded (decision_record refuses
    # it), so every other recommendation is on show.
    recordable = {str(r) for r in Recommendation} - {str(Recommendation.CHECK_ANSWERS)}
    assert {d.recommendation for d in decisions} == recordable
    assert any(d.approval_overdue for d in decisions)
    assert any(d.differs_from_recommendation for d in decisions)


@pytest.mark.django_db
def test_demo_agreements_cite_only_catalogue_lawful_bases() -> None:
    from safeshare.agencies.models import InformationSharingAgreement
    from safeshare.cli.demo.area import create_area
    from safeshare.consent.lawful_bases import lawful_basis
    from safeshare.core import clock

    create_area(today=clock.today())
    codes = {c for a in InformationSharingAgreement.objects.all() for c in a.lawful_bases}
    assert codes
    for code in codes:
        assert lawful_basis(code).code == code


@pytest.mark.parametrize("bulk", [False, True], ids=["services", "bulk"])
def test_demo_agencies_complete_the_disclosure_journey_and_leave_some_open(bulk: bool) -> None:
    from safeshare.consent.models import ConsentRecall, RecallStatus
    from safeshare.disclosures.models import (
        CorrectionNotice,
        Disclosure,
        DisclosureStatus,
        InformationRequest,
        RecallRequest,
        RequestStatus,
        Urgency,
    )

    generate(children=CHILDREN, seed=SEED, bulk=bulk, chunk_children=15)
    police = Agency.objects.get(agency_type="police")
    answered = InformationRequest.objects.get(status=RequestStatus.ANSWERED)
    assert answered.requesting_agency == police
    (completed,) = Disclosure.objects.filter(request=answered)
    assert completed.status == DisclosureStatus.READ_BACK_CONFIRMED
    assert completed.items.count() == 3
    assert sum(i.redaction_count for i in completed.items.all()) == 1
    assert CorrectionNotice.objects.filter(
        disclosure=completed, acknowledged_at__isnull=False
    ).exists()
    recalled = RecallRequest.objects.get()
    assert recalled.deletion_confirmed_at is not None
    assert recalled.recall.status == RecallStatus.COMPLETE
    assert not ConsentRecall.objects.filter(
        pk=recalled.recall_id, status=RecallStatus.OPEN
    ).exists()
    # Left open: an unanswered urgent request, a disclosure awaiting acknowledgement.
    assert InformationRequest.objects.filter(
        urgency=Urgency.IMMEDIATE_RISK, status__in=[RequestStatus.RECEIVED, RequestStatus.ASSIGNED]
    ).exists()
    assert Disclosure.objects.filter(status=DisclosureStatus.ISSUED).exists()
    for event in (
        Event.REQUEST_CREATED,
        Event.DISCLOSURE_ISSUED,
        Event.DISCLOSURE_ACKNOWLEDGED,
        Event.DISCLOSURE_READ_BACK_CORRECTED,
        Event.DISCLOSURE_READ_BACK_CONFIRMED,
        Event.ITEM_CORRECTION_ISSUED,
        Event.CORRECTION_ACKNOWLEDGED,
        Event.RECALL_REQUESTED,
        Event.RECALL_DELETION_CONFIRMED,
        Event.RECALL_COMPLETED,
    ):
        assert LedgerEntry.objects.filter(event_code=event).exists(), event.name
