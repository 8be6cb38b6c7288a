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
from safeshare.disclosures.services import request_create
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

# The working-day journey (tests/browser/test_workday_journey.py) alone signs in as this social
# worker, whose child is the subject of an immediate-risk request made while they are signed out.
INBOX_WORKER = "fake.inbox"
INBOX_WORKER_EMAIL = "fake.inbox@safeshare.invalid"
INBOX_CHILD_NHS = "9990001049"
INBOX_CHILD = "Fakeurgent Childwell"

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
    _seed_workday(agency)
    pending = _seed_multi_agency(agency, police)
    _seed_wrong_child(agency)
    _seed_reflow(agency)
    _seed_mash_journey(agency)
    _seed_casework(agency)
    _seed_approval_journey(police)
    _seed_agency_admin(agency)
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


def _seed_workday(agency: Agency) -> None:
    """A social worker with an e-mail address who holds the case of a child known by NHS number
    (the request the journey sends about this child is routed to them)."""
    worker = practitioner_create(
        actor=None,
        agency=agency,
        username=INBOX_WORKER,
        given_name="Testy",
        family_name="Inboxworth",
        job_title="Social worker",
        email=INBOX_WORKER_EMAIL,
        roles=(Role.PRACTITIONER,),
        password=PASSWORD,
    )
    given, family = INBOX_CHILD.split()
    case_open_for_new_child(
        actor=worker,
        agency=agency,
        given_name=given,
        family_name=family,
        date_of_birth=dt.date(2017, 9, 9),
        sex=Sex.MALE,
        nhs_number=INBOX_CHILD_NHS,
        status=CaseStatus.CHILD_IN_NEED,
    )


# The reflow test (tests/browser/test_reflow.py) alone signs in as these, one per role, and looks
# at their own child's case, so no other test's pages change.
REFLOW_USERS = {
    "practitioner": "fake.reflow.worker",
    "dsl": "fake.reflow.dsl",
    "information_governance": "fake.reflow.ig",
    "agency_admin": "fake.reflow.admin",
    "mash_officer": "fake.reflow.mash",
}
REFLOW_CHILD = "Reflowfake Narrowscreen"


def _seed_reflow(agency: Agency) -> None:
    """A practitioner, a DSL, information governance, an agency administrator and a MASH officer
    of the council; the practitioner's case of a child with long words in its items; and the
    case opened again and again by the practitioner and the DSL (for "Who has seen this
    record", grouped)."""
    from safeshare.access.fetch import access_case  # the reads, recorded as the pages do

    roles = {
        "practitioner": Role.PRACTITIONER,
        "dsl": Role.DSL,
        "information_governance": Role.INFORMATION_GOVERNANCE,
        "agency_admin": Role.AGENCY_ADMIN,
        "mash_officer": Role.MASH_OFFICER,
    }
    people = {
        key: practitioner_create(
            actor=None,
            agency=agency,
            username=username,
            given_name="Testy",
            family_name=f"Reflow{key.title().replace('_', '')}",
            job_title="Fake job title for the reflow test",
            roles=(roles[key],),
            password=PASSWORD,
        )
        for key, username in REFLOW_USERS.items()
    }
    worker = people["practitioner"]
    given, family = REFLOW_CHILD.split()
    case = case_open_for_new_child(
        actor=worker,
        agency=agency,
        given_name=given,
        family_name=family,
        date_of_birth=dt.date(2018, 8, 8),
        sex=Sex.FEMALE,
        status=CaseStatus.CHILD_IN_NEED,
    )
    for day, summary in (
        (dt.date(2026, 1, 12), "Incomprehensibilities noted at the multidisciplinary meeting"),
        (dt.date(2026, 2, 9), "Home visit: fakeaddress-with-a-very-long-unbroken-reference-0001"),
    ):
        item_create(
            actor=worker,
            case=case,
            category=InformationCategory.CHILD,
            summary=summary,
            content="Reflowfake was seen at home; the fake visit notes are recorded here.",
            fact_or_opinion=FactOrOpinion.FACT,
            source="Fake health visitor",
            how_known=HowKnown.OBSERVED,
            event_date=day,
        )
    for actor, times in ((worker, 12), (people["dsl"], 3)):
        for _ in range(times):
            access_case(actor, case.pk)


# The MASH journey (tests/browser/test_mash_journey.py) alone signs in as this MASH officer.
MASH_JOURNEY_OFFICER = "fake.mashjourney"


def _seed_mash_journey(council: Agency) -> None:
    """A second MASH officer of the council's hub, who records a contact from the empty form."""
    practitioner_create(
        actor=None,
        agency=council,
        username=MASH_JOURNEY_OFFICER,
        given_name="Testy",
        family_name="Triageworth",
        job_title="MASH social worker",
        roles=(Role.MASH_OFFICER,),
        password=PASSWORD,
    )


# Answering a request (tests/browser/test_wrong_child.py) alone signs in as the answerer; the
# request comes from a police unit of its own, about a child of a case of its own, so no other
# test's pages change.
ANSWERER = "fake.answerer"
REQUESTER_AGENCY = "Testshire Police Missing Persons Unit"
REQUESTER_NAME = "Testy Requester"
ANSWER_CHILD = "Fakeanswer Childford"
ANSWER_NHS_NUMBER = "9990000026"
ANSWER_NHS_SHOWN = "999 000 0026"
ANSWER_SUMMARY = "Missing from home overnight"


def _seed_wrong_child(agency: Agency) -> None:
    """A police unit with an agreement for child protection, a request from one of its officers
    about a child identified by NHS number only, the case of that child held by the answerer,
    and an approved decision to share with that unit: what answering the request starts from."""
    unit = agency_create(
        actor=None,
        name=REQUESTER_AGENCY,
        agency_type=AgencyType.POLICE,
        local_authority_area="Testshire",
    )
    answerer = practitioner_create(
        actor=None,
        agency=agency,
        username=ANSWERER,
        given_name="Testy",
        family_name="Answerer",
        job_title="Social worker",
        roles=(Role.PRACTITIONER,),
        password=PASSWORD,
    )
    approver = practitioner_create(
        actor=None,
        agency=agency,
        username="fake.answerdsl",  # approves the decision here; never signs in
        given_name="Testy",
        family_name="Answerapprover",
        job_title="Designated safeguarding lead",
        roles=(Role.DSL,),
        password=PASSWORD,
    )
    given_name, family_name = REQUESTER_NAME.split()
    requester = practitioner_create(
        actor=None,
        agency=unit,
        username="fake.requester",  # asks here; never signs in
        given_name=given_name,
        family_name=family_name,
        job_title="Detective constable",
        roles=(Role.PRACTITIONER,),
        password=PASSWORD,
    )
    practitioner_create(  # a colleague the answer could go to instead
        actor=None,
        agency=unit,
        username="fake.requestercolleague",
        given_name="Testy",
        family_name="Colleague",
        job_title="Detective sergeant",
        roles=(Role.PRACTITIONER,),
        password=PASSWORD,
    )
    today = clock.now().date()
    agreement = agreement_create(
        actor=approver,
        owner=agency,
        reference="ISA-BROWSER-2",
        title="Testshire child protection sharing with the missing persons unit",
        parties=[agency, unit],
        purposes=["child_protection"],
        data_categories=[InformationCategory.CHILD],
        lawful_bases=["art6_1_e"],
        retention_days=90,
        start_date=today - dt.timedelta(days=30),
        review_date=today + dt.timedelta(days=365),
    )
    agreement_sign(actor=approver, agreement=agreement)
    agreement_sign(actor=requester, agreement=agreement)
    agreement_set_status(actor=approver, agreement=agreement, status=AgreementStatus.ACTIVE)

    child_given, child_family = ANSWER_CHILD.split()
    case = case_open_for_new_child(
        actor=answerer,
        agency=agency,
        given_name=child_given,
        family_name=child_family,
        date_of_birth=dt.date(2019, 5, 5),
        nhs_number=ANSWER_NHS_NUMBER,
        status=CaseStatus.CHILD_IN_NEED,
    )
    item_create(
        actor=answerer,
        case=case,
        category=InformationCategory.CHILD,
        summary=ANSWER_SUMMARY,
        content="Fakeanswer was reported missing at 10pm and came home at 7am.",
        fact_or_opinion=FactOrOpinion.FACT,
        source="Foster carer",
        how_known=HowKnown.TOLD_BY_FAMILY,
        event_date=dt.date(2026, 3, 3),
    )
    request_create(
        actor=requester,
        receiving_agency=agency,
        kind="request",
        purpose="child_protection",
        urgency="within_24_hours",
        information_sought="Any recent missing episodes",
        justification="Fake return home interview tomorrow",
        nhs_number=ANSWER_NHS_NUMBER,
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
    if outcome.recommendation not in SHARING_RECOMMENDATIONS:  # answering needs a share
        raise RuntimeError(f"the seeded facts no longer lead to sharing: {outcome.recommendation}")
    decision = decision_record(
        actor=answerer,
        case=case,
        purpose=facts.purpose,
        facts=facts,
        outcome=str(outcome.recommendation),
        reasons="Fakeanswer keeps going missing overnight.",
        recipient_agency=unit,
        lawful_basis=dataclasses.asdict(outcome.lawful_basis) if outcome.lawful_basis else None,
        what_to_share="The missing episodes, with dates.",
    )
    if decision.approval_required:
        decision_approve(actor=approver, decision=decision, approved=True)


# The casework journey (tests/browser/test_casework_journey.py) alone signs in as this DSL, and
# works on a case of its own allocated to one of two workers no other test uses.
CASEWORK_DSL = "fake.casework.dsl"
CASEWORK_CHILD = "Fakealloc Casewell"
CASEWORK_WORKERS = ("Testy Allocatewell", "Testy Takeoverby")


def _seed_casework(agency: Agency) -> None:
    """A DSL (who allocates), two social workers, and a case allocated to the first of them."""
    practitioner_create(
        actor=None,
        agency=agency,
        username=CASEWORK_DSL,
        given_name="Testy",
        family_name="Managerworth",
        job_title="Team manager",
        roles=(Role.DSL,),
        password=PASSWORD,
    )
    first, _ = (
        practitioner_create(
            actor=None,
            agency=agency,
            username=f"fake.casework.worker{number}",
            given_name=name.split()[0],
            family_name=name.split()[1],
            job_title="Social worker",
            roles=(Role.PRACTITIONER,),
            password=PASSWORD,
        )
        for number, name in enumerate(CASEWORK_WORKERS, start=1)
    )
    given, family = CASEWORK_CHILD.split()
    case_open_for_new_child(
        actor=first,
        agency=agency,
        given_name=given,
        family_name=family,
        date_of_birth=dt.date(2019, 3, 3),
        sex=Sex.MALE,
        status=CaseStatus.CHILD_IN_NEED,
    )


# The approval journey (tests/browser/test_approval_journey.py) alone signs in as these two, in an
# agency of their own, so no other test's "Your work" or decision pages change.
APPROVAL_AGENCY = "Testshire Family Help Service"
APPROVAL_WORKER = "fake.approval.worker"
APPROVAL_WORKER_NAME = "Testy Waitforit"
APPROVER = "fake.approver"
APPROVER_NAME = "Testy Signoffly"
APPROVAL_CHILD = "Fakeapprove Waitwell"
DATE_WORKER = "fake.approval.dates"  # opens a case in the date input test
DATE_CHILD = "Fakedate Boxley"  # opened by the date input test, with its date of birth


def _seed_approval_journey(police: Agency) -> None:
    """A social worker's decision to share without consent, awaiting their team manager's
    (a DSL's) approval, with the police as recipient."""
    agency = agency_create(
        actor=None,
        name=APPROVAL_AGENCY,
        agency_type=AgencyType.CHILDRENS_SOCIAL_CARE,
        local_authority_area="Testshire",
    )
    worker = practitioner_create(
        actor=None,
        agency=agency,
        username=APPROVAL_WORKER,
        given_name=APPROVAL_WORKER_NAME.split()[0],
        family_name=APPROVAL_WORKER_NAME.split()[1],
        job_title="Social worker",
        roles=(Role.PRACTITIONER,),
        password=PASSWORD,
    )
    practitioner_create(
        actor=None,
        agency=agency,
        username=DATE_WORKER,
        given_name="Testy",
        family_name="Datebox",
        job_title="Social worker",
        roles=(Role.PRACTITIONER,),
        password=PASSWORD,
    )
    practitioner_create(
        actor=None,
        agency=agency,
        username=APPROVER,
        given_name=APPROVER_NAME.split()[0],
        family_name=APPROVER_NAME.split()[1],
        job_title="Team manager",
        roles=(Role.DSL,),
        password=PASSWORD,
    )
    given_name, family_name = APPROVAL_CHILD.split()
    case = case_open_for_new_child(
        actor=worker,
        agency=agency,
        given_name=given_name,
        family_name=family_name,
        date_of_birth=dt.date(2018, 5, 5),
        status=CaseStatus.CHILD_IN_NEED,
    )
    item_create(
        actor=worker,
        case=case,
        category=InformationCategory.CHILD,
        summary="Bruise seen at school",
        content="Fakeapprove had a bruise on the arm and would not say how it happened.",
        fact_or_opinion=FactOrOpinion.FACT,
        source="Class teacher",
        how_known=HowKnown.OBSERVED,
        event_date=dt.date(2026, 3, 3),
    )
    facts = Facts(
        purpose="child_protection",
        purpose_clear_and_legitimate=Tristate.YES,
        identifies_living_person=Tristate.YES,
        confidential=Tristate.YES,
        special_category=False,
        criminal_offence_data=False,
        consent=ConsentState.REFUSED,
        consent_not_sought_reason=None,
        significant_harm_concern=True,
        immediate_danger=False,
        consent_would_increase_risk_to_child=False,
        consent_would_put_adult_at_serious_risk=False,
        consent_would_undermine_crime_prevention=False,
        statutory_duty_or_court_order=False,
        recipient=Recipient.STATUTORY_PARTNER,
        advice_sought=False,
    )
    outcome = evaluate(facts)
    if outcome.recommendation not in SHARING_RECOMMENDATIONS:  # the journey needs a share
        raise RuntimeError(f"the seeded facts no longer lead to sharing: {outcome.recommendation}")
    decision = decision_record(
        actor=worker,
        case=case,
        purpose=facts.purpose,
        facts=facts,
        outcome=str(outcome.recommendation),
        reasons="A bruise nobody will explain; the parent refused consent to tell the police.",
        recipient_agency=police,
        lawful_basis=dataclasses.asdict(outcome.lawful_basis) if outcome.lawful_basis else None,
        what_to_share="The bruise seen at school, when and by whom.",
    )
    if not decision.approval_required:  # the journey is about approving it
        raise RuntimeError("the seeded decision no longer needs approval")


# --- Agency administration (tests/browser/test_agency_admin_journey.py) --------------------------

AGENCY_ADMIN = "fake.agencyadmin"
LEAVER = "fake.leaver"
LEAVER_NAME = "Testy Leaverton"


def _seed_agency_admin(agency: Agency) -> None:
    """An agency administrator and a DSL who is about to leave (changed job, then deactivated,
    then reactivated with only the roles chosen again)."""
    practitioner_create(
        actor=None,
        agency=agency,
        username=AGENCY_ADMIN,
        given_name="Testy",
        family_name="Adminford",
        job_title="Systems administrator",
        roles=(Role.AGENCY_ADMIN,),
        password=PASSWORD,
    )
    practitioner_create(
        actor=None,
        agency=agency,
        username=LEAVER,
        given_name="Testy",
        family_name="Leaverton",
        job_title="Team manager",
        roles=(Role.PRACTITIONER, Role.DSL),
        password=PASSWORD,
    )
