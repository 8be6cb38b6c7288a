"""Seed a throwaway SafeShare instance for the browser tests, through the real services.

Run inside the served instance's settings: ``manage.py shell -c "from tests.browser.seed import
seed; seed()"``. Prints one JSON line with the ids the tests need. Every person is fake.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

from django.db import transaction

from safeshare.agencies.models import Agency, AgencyType, AgreementStatus, Role
from safeshare.agencies.services import (
    agency_create,
    agreement_create,
    agreement_set_status,
    agreement_sign,
    practitioner_create,
)
from safeshare.cases.models import CaseStatus, FactOrOpinion, HowKnown, Relationship
from safeshare.cases.services import (
    allocation_add,
    case_open_for_new_child,
    involvement_add,
    item_create,
)
from safeshare.core import clock
from safeshare.core.vocabulary import InformationCategory, SpecialCategory
from safeshare.decisions.engine import (
    SHARING_RECOMMENDATIONS,
    ConsentState,
    Facts,
    Recipient,
    Tristate,
    evaluate,
)
from safeshare.decisions.services import decision_approve, decision_record
from safeshare.linkage.services import linkage_model_train, linkage_run
from safeshare.linkage.synthetic import generate_population
from safeshare.mash.services import contact_record
from safeshare.people.models import Sex
from safeshare.people.services import address_add, person_create

# Long and uncommon enough for the password validators; fake, for a throwaway instance only.
PASSWORD = "Testshire-fake-passphrase-2026"

# One practitioner per sign-in: a TOTP code cannot be used twice, so each test enrols its own.
WORKERS = ("fake.journey", "fake.a11y", "fake.enrol", "fake.decide", "fake.timeout")

# The multi-agency pages (tests/browser/test_multi_agency.py) sign in as this MASH officer.
MASH_OFFICER = "fake.mash"

# The disclosure journey (tests/browser/test_disclosure_journey.py) alone signs in as these two; it
# shares from its own case with its own police agency, so no other test's pages change.
SHARER = "fake.sharer"
POLICE_OFFICER = "fake.police"
POLICE_AGENCY = "Testshire Police Public Protection Unit"
OFFICER_NAME = "Testy Officer"
SHARED_CHILD = "Fakeshare Childington"
SHARED_SUMMARY = "Missed three days of nursery"
SHARED_CONTENT = "Fakeshare was absent from nursery on three days running with no explanation."


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
    _seed_disclosure_journey(agency)
    pending = _seed_multi_agency(agency, police)
    print(  # the browser fixture reads this line
        json.dumps(
            {
                "case_id": str(case.pk),
                "case_reference": case.reference,
                "child_name": case.subject.display_name,
                "other_case_id": str(other_case.pk),
                "password": PASSWORD,
                "pending_pairs": pending,
            }
        )
    )


def _seed_disclosure_journey(agency: Agency) -> None:
    """An active agreement with a police agency for child protection, a case with one item and an
    approved decision to share it with that agency: what the disclosure journey starts from."""
    police = agency_create(
        actor=None,
        name=POLICE_AGENCY,
        agency_type=AgencyType.POLICE,
        local_authority_area="Testshire",
    )
    sharer = practitioner_create(
        actor=None,
        agency=agency,
        username=SHARER,
        given_name="Testy",
        family_name="Sharer",
        job_title="Social worker",
        roles=(Role.PRACTITIONER,),
        password=PASSWORD,
    )
    approver = practitioner_create(
        actor=None,
        agency=agency,
        username="fake.sharedsl",  # approves the decision here; never signs in
        given_name="Testy",
        family_name="Approver",
        job_title="Designated safeguarding lead",
        roles=(Role.DSL,),
        password=PASSWORD,
    )
    officer = practitioner_create(
        actor=None,
        agency=police,
        username=POLICE_OFFICER,
        given_name="Testy",
        family_name="Officer",
        job_title="Detective constable",
        roles=(Role.PRACTITIONER,),
        password=PASSWORD,
    )
    today = clock.now().date()
    agreement = agreement_create(
        actor=approver,
        owner=agency,
        reference="ISA-BROWSER-1",
        title="Testshire child protection sharing with the police",
        parties=[agency, police],
        purposes=["child_protection"],
        data_categories=[InformationCategory.CHILD],
        lawful_bases=["art6_1_e"],
        retention_days=90,
        start_date=today - dt.timedelta(days=30),
        review_date=today + dt.timedelta(days=365),
    )
    agreement_sign(actor=approver, agreement=agreement)
    agreement_sign(actor=officer, agreement=agreement)
    agreement_set_status(actor=approver, agreement=agreement, status=AgreementStatus.ACTIVE)

    given_name, family_name = SHARED_CHILD.split()
    case = case_open_for_new_child(
        actor=sharer,
        agency=agency,
        given_name=given_name,
        family_name=family_name,
        date_of_birth=dt.date(2022, 3, 3),
        status=CaseStatus.CHILD_IN_NEED,
    )
    item_create(
        actor=sharer,
        case=case,
        category=InformationCategory.CHILD,
        summary=SHARED_SUMMARY,
        content=SHARED_CONTENT,
        fact_or_opinion=FactOrOpinion.FACT,
        source="Nursery manager",
        how_known=HowKnown.AGENCY_RECORD,
        event_date=dt.date(2026, 2, 2),
    )
    facts = Facts(
        purpose="child_protection",
        purpose_clear_and_legitimate=Tristate.YES,
        identifies_living_person=Tristate.YES,
        confidential=Tristate.YES,
        special_category=False,
        criminal_offence_data=False,
        consent=ConsentState.NOT_ASKED,
        consent_not_sought_reason=None,
        significant_harm_concern=True,
        immediate_danger=False,
        consent_would_increase_risk_to_child=False,
        consent_would_put_adult_at_serious_risk=False,
        consent_would_undermine_crime_prevention=False,
        statutory_duty_or_court_order=False,
        recipient=Recipient.AGREEMENT,
        advice_sought=False,
    )
    outcome = evaluate(facts)
    if outcome.recommendation not in SHARING_RECOMMENDATIONS:  # the journey needs a share to start
        raise RuntimeError(f"the seeded facts no longer lead to sharing: {outcome.recommendation}")
    decision = decision_record(
        actor=sharer,
        case=case,
        purpose=facts.purpose,
        facts=facts,
        outcome=str(outcome.recommendation),
        reasons="Fakeshare has missed nursery repeatedly and the family cannot be reached.",
        recipient_agency=police,
        lawful_basis=dataclasses.asdict(outcome.lawful_basis) if outcome.lawful_basis else None,
        what_to_share="The nursery attendance concern, with dates and who reported it.",
    )
    if decision.approval_required:
        decision_approve(actor=approver, decision=decision, approved=True)


def _seed_multi_agency(council: Agency, police: Agency) -> int:
    """A MASH officer, a GP practice, a small synthetic population held by the council, the
    police and the GP (so linkage has something to learn from), two records of Fakechild
    Testington elsewhere, a linkage run, and one MASH contact. Returns the pairs left to review."""
    gp = agency_create(
        actor=None,
        name="Testshire Surgery",
        agency_type=AgencyType.GP_PRACTICE,
        local_authority_area="Testshire",
    )
    officer = practitioner_create(
        actor=None,
        agency=council,
        username=MASH_OFFICER,
        given_name="Testy",
        family_name="Hubworker",
        job_title="MASH social worker",
        roles=(Role.MASH_OFFICER,),
        password=PASSWORD,
    )
    held_by = {"childrens_services": council, "police": police, "health": gp}
    population = generate_population(
        children=40, seed=11, agencies=tuple(held_by), as_of=dt.date(2025, 1, 1)
    )
    for record in population.records:
        born = dt.date.fromisoformat(record.date_of_birth) if record.date_of_birth else None
        person = person_create(
            actor=None,
            agency=held_by[record.agency],
            given_name=record.given_name,
            family_name=record.family_name,
            date_of_birth=born if born and born < clock.today() else None,
            sex={"F": Sex.FEMALE, "M": Sex.MALE}.get(record.sex or "", Sex.NOT_RECORDED),
            nhs_number=record.nhs_number or "",
        )
        if record.postcode:
            address_add(
                actor=None,
                person=person,
                lines="1 Fake Street",
                postcode=record.postcode,
                lived_from=dt.date(2020, 1, 1),
            )
    # The police's record of Fakechild shares her NHS number (linked); the GP's has day and month
    # of birth swapped and another postcode, and no NHS number (left for clerical review).
    for agency, born, nhs_number, postcode in (
        (police, dt.date(2016, 4, 1), "9990000018", ""),
        (gp, dt.date(2016, 1, 4), "", "ZZ98 1AB"),
    ):
        person = person_create(
            actor=None,
            agency=agency,
            given_name="Fakechild",
            family_name="Testington",
            date_of_birth=born,
            sex=Sex.FEMALE,
            nhs_number=nhs_number,
        )
        if postcode:
            address_add(actor=None, person=person, lines="2 Fake Road", postcode=postcode)
    linkage_model_train(actor=None)
    run = linkage_run(actor=None)
    contact_record(
        actor=officer,
        received_at=clock.now() - dt.timedelta(hours=3),
        source="phone",
        referrer_agency=police,
        referrer_name="Testy Outsider",
        parental_awareness="aware_and_agree",
        concerns="Police attended a domestic incident at the fake address last night",
        category="domestic_abuse",
        given_name="Fakechild",
        family_name="Testington",
        date_of_birth=dt.date(2016, 4, 1),
        postcode="ZZ99 1AA",
    )
    return run.sent_to_review
