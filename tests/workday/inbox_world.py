"""A world with every kind of waiting work, for the inbox tests (domain, API and web).

Two agencies share (Testshire Children's Services, the hub, and Testshire Constabulary) and a
third (a school) stands by with nothing to do. Workflow state is made by the real services.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from safeshare.agencies.models import (
    Agency,
    AgencyType,
    AgreementStatus,
    InformationSharingAgreement,
    Practitioner,
    Role,
)
from safeshare.agencies.services import (
    agreement_create,
    agreement_set_status,
    agreement_sign,
    practitioner_deactivate,
)
from safeshare.cases.models import Case
from safeshare.core import clock
from safeshare.decisions.engine import ConsentState, Recipient
from safeshare.decisions.models import SharingDecision
from safeshare.decisions.services import consent_withdraw_with_recall
from safeshare.disclosures.models import (
    CorrectionNotice,
    Disclosure,
    InformationRequest,
    InformTask,
    RecallRequest,
)
from safeshare.disclosures.services import (
    consent_recalls_send,
    disclosure_accept_undertaking,
    disclosure_acknowledge,
    disclosure_read_back,
    disclosure_read_back_correct,
    item_correction_issue,
    request_create,
)
from safeshare.mash.models import MashContact
from safeshare.mash.services import contact_record, enquiries_send
from safeshare.workday.inbox import WorkKind
from tests.conftest import World
from tests.decisions.helpers import facts, given_consent, record
from tests.disclosures.helpers import approved_decision, issue, sharing
from tests.factories import (
    AddressFactory,
    AgencyFactory,
    AllocationFactory,
    CaseFactory,
    PractitionerFactory,
)

# Friday 20 November 2026, 09:00 UK time: a working day, in working hours.
NOW = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)

Expected = set[tuple[WorkKind, str]]


@dataclass
class InboxWorld:
    world: World
    school: Agency
    cast: dict[str, Practitioner]  # everyone, by a name the tests use
    expected: dict[str, Expected] = field(default_factory=dict)  # everything but access reviews
    request: InformationRequest | None = None  # urgent, assigned to the worker
    unmatched: InformationRequest | None = None  # no case matched: the DSL's
    agreement: InformationSharingAgreement | None = None


def _address(case: Case, postcode: str) -> None:
    AddressFactory(person=case.subject, postcode=postcode)


def _ask(
    asker: Practitioner, agency: Agency, case: Case, postcode: str, urgency: str
) -> InformationRequest:
    child = case.subject
    return request_create(
        actor=asker,
        receiving_agency=agency,
        kind="request",
        purpose="child_protection",
        urgency=urgency,
        information_sought="Any contact with the family in the last six months",
        justification="Bruising seen twice; we are deciding whether to hold a strategy meeting",
        given_name=child.given_name,
        family_name=child.family_name,
        date_of_birth=child.date_of_birth,
        postcode=postcode,
    )


def _contact(officer: Practitioner, school: Agency, **changes: object) -> MashContact:
    fields: dict[str, object] = {
        "actor": officer,
        "received_at": clock.now() - dt.timedelta(minutes=5),
        "source": "phone",
        "referrer_agency": school,
        "referrer_name": "Pat Fakeworth",
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
    return contact_record(**fields)  # type: ignore[arg-type]


def _due_agreement(
    world: World, b_ig: Practitioner, a_ig: Practitioner
) -> InformationSharingAgreement:
    today = clock.today()
    agreement = agreement_create(
        actor=a_ig,
        owner=world.agency,
        reference="ISA-DUE",
        title="Testshire early help sharing",
        parties=[world.agency, world.other_agency],
        purposes=["early_help"],
        data_categories=["child"],
        lawful_bases=["art6_1_e"],
        retention_days=365,
        start_date=today - dt.timedelta(days=400),
        review_date=today + dt.timedelta(days=10),
    )
    agreement_sign(actor=a_ig, agreement=agreement)
    agreement_sign(actor=b_ig, agreement=agreement)
    return agreement_set_status(actor=a_ig, agreement=agreement, status=AgreementStatus.ACTIVE)


def _ids(kind: WorkKind, *records: Any) -> Expected:
    return {(kind, str(r.pk)) for r in records}


def name_of(cast: dict[str, Practitioner], practitioner: Practitioner | None) -> str:
    return next(name for name, p in cast.items() if practitioner and p.pk == practitioner.pk)


def build(world: World) -> InboxWorld:
    """Every kind of waiting work (but access reviews, which follow the ledger), and who should
    see each. Call with the clock frozen at NOW."""
    a, b = world.agency, world.other_agency
    school = AgencyFactory(name="Testshire Primary", agency_type=AgencyType.SCHOOL)
    cast: dict[str, Practitioner] = {
        "worker": world.worker,
        "colleague": world.colleague,
        "dsl": world.dsl,
        "dsl2": PractitionerFactory(agency=a, roles=[Role.DSL]),
        "mash": PractitionerFactory(agency=a, roles=[Role.MASH_OFFICER]),
        "mash2": PractitionerFactory(agency=a, roles=[Role.MASH_OFFICER]),
        "ig": PractitionerFactory(agency=a, roles=[Role.INFORMATION_GOVERNANCE]),
        "agency_admin": world.agency_admin,
        "system_admin": world.system_admin,
        "police_dsl": world.outsider,
        "police_worker": PractitionerFactory(agency=b),
        "police_mash": PractitionerFactory(agency=b, roles=[Role.MASH_OFFICER]),
        "police_ig": PractitionerFactory(agency=b, roles=[Role.INFORMATION_GOVERNANCE]),
        "recall_recipient": PractitionerFactory(agency=b, given_name="Fakerecall"),
        "school_dsl": PractitionerFactory(agency=school, roles=[Role.DSL]),
        "school_worker": PractitionerFactory(agency=school),
        "school_ig": PractitionerFactory(agency=school, roles=[Role.INFORMATION_GOVERNANCE]),
        "school_mash": PractitionerFactory(agency=school, roles=[Role.MASH_OFFICER]),
    }
    leaver = AllocationFactory(case=CaseFactory(agency=a)).practitioner
    mash_leaver = PractitionerFactory(agency=a, roles=[Role.MASH_OFFICER])
    cast["leaver"], cast["mash_leaver"] = leaver, mash_leaver
    out = InboxWorld(world=world, school=school, cast=cast)
    expect: dict[str, Expected] = {name: set() for name in cast}

    # 1. Requests to the hub: one routed to the allocated worker (immediate risk); one to a case
    #    whose holder then leaves (the team's: DSLs and MASH officers); one matching no case.
    _address(world.case, "ZZ99 1AA")
    out.request = _ask(cast["police_worker"], a, world.case, "ZZ99 1AA", "immediate_risk")
    left_case = Case.objects.get(allocations__practitioner=leaver)
    _address(left_case, "ZZ99 2BB")
    orphan = _ask(cast["police_worker"], a, left_case, "ZZ99 2BB", "routine")
    out.unmatched = _ask(cast["police_worker"], a, left_case, "ZZ99 9ZZ", "within_24_hours")
    assert out.request.assigned_to == world.worker
    assert orphan.assigned_to == leaver
    # No case matched: routed to the agency's DSL (the first of the two by name).
    assert out.unmatched.matched_case is None
    expect["worker"] |= _ids(WorkKind.REQUEST, out.request)
    expect[name_of(cast, out.unmatched.assigned_to)] |= _ids(WorkKind.REQUEST, out.unmatched)
    for team in ("dsl", "dsl2", "mash", "mash2"):
        expect[team] |= _ids(WorkKind.REQUEST, orphan)

    # 2. Approvals: the worker's share without consent (both DSLs), the DSL's own (the other).
    by_worker = record(world)
    by_dsl = record(world, actor=world.dsl)
    assert by_worker.awaiting_approval
    assert by_dsl.awaiting_approval
    expect["dsl"] |= _ids(WorkKind.APPROVAL, by_worker)
    expect["dsl2"] |= _ids(WorkKind.APPROVAL, by_worker, by_dsl)

    # 3-4. Disclosures to a police officer at each step, and one read back to the worker.
    s = sharing(world)
    cast["recipient"] = s.recipient
    expect["recipient"] = set()
    issued, acknowledged, accepted, read_back, corrected = (issue(s) for _ in range(5))
    for d in (acknowledged, accepted, read_back, corrected):
        disclosure_acknowledge(actor=s.recipient, disclosure=d)
    for d in (accepted, read_back, corrected):
        disclosure_accept_undertaking(actor=s.recipient, disclosure=d)
    for d in (read_back, corrected):
        disclosure_read_back(actor=s.recipient, disclosure=d, understanding="Two bruises seen")
    disclosure_read_back_correct(
        actor=world.worker, disclosure=corrected, correction="Two bruises, a week apart"
    )
    expect["recipient"] |= _ids(WorkKind.ACKNOWLEDGEMENT, issued)
    expect["recipient"] |= _ids(WorkKind.UNDERTAKING, acknowledged)
    expect["recipient"] |= _ids(WorkKind.READ_BACK, accepted, corrected)
    expect["worker"] |= _ids(WorkKind.READ_BACK_CONFIRMATION, read_back)

    # 6. A share on consent, to another officer, recalled when the consent is withdrawn.
    consent = given_consent(world, b)
    on_consent = approved_decision(
        world,
        facts(
            consent=ConsentState.GIVEN,
            significant_harm_concern=False,
            recipient=Recipient.AGREEMENT,
        ),
        consent=consent,
    )
    recalled = issue(s, decision=on_consent, recipient=cast["recall_recipient"])

    # 5. A correction of the shared item reaches every recipient whose disclosure is live.
    item_correction_issue(
        actor=world.worker, item=world.item, kind="correction", explanation="The bruise was older"
    )
    consent_withdraw_with_recall(actor=world.worker, consent=consent, note="Mother withdrew")
    consent_recalls_send(actor=world.worker, consent=consent)
    expect["recipient"] |= _ids(
        WorkKind.CORRECTION, *CorrectionNotice.objects.filter(disclosure__recipient=s.recipient)
    )
    expect["recall_recipient"] |= _ids(
        WorkKind.RECALL, *RecallRequest.objects.filter(disclosure=recalled)
    )

    # 7. Tasks to tell the individual (one per decision shared under), the sharer's.
    expect["worker"] |= _ids(WorkKind.INFORM, *InformTask.objects.all())
    assert InformTask.objects.count() == 2

    # 8. MASH contacts of the hub (assigned; assignee left) and an enquiry sent to the police,
    #    routed to their DSL.
    mine = _contact(cast["mash"], school)
    theirs = _contact(cast["mash"], school, assigned_to=cast["mash2"], nhs_number="")
    orphaned = _contact(mash_leaver, school, nhs_number="")
    (enquiry,) = enquiries_send(
        actor=cast["mash"],
        contact=mine,
        partner_agencies=[b],
        information_sought="What do you know of the family?",
        justification="Triage of a contact about physical abuse",
    )
    assert enquiry.request.assigned_to == world.outsider
    expect["mash"] |= _ids(WorkKind.MASH_CONTACT, mine, orphaned)
    expect["mash2"] |= _ids(WorkKind.MASH_CONTACT, theirs, orphaned)
    expect["police_dsl"] |= _ids(WorkKind.MASH_ENQUIRY, enquiry.request)

    # 9. An agreement between the two due for review in ten days (information governance).
    out.agreement = _due_agreement(world, cast["police_ig"], cast["ig"])
    expect["ig"] |= _ids(WorkKind.AGREEMENT_REVIEW, out.agreement)
    expect["police_ig"] |= _ids(WorkKind.AGREEMENT_REVIEW, out.agreement)

    practitioner_deactivate(actor=world.agency_admin, practitioner=leaver, reason="left_agency")
    practitioner_deactivate(
        actor=world.agency_admin, practitioner=mash_leaver, reason="left_agency"
    )
    out.expected = expect
    return out


__all__ = [
    "NOW",
    "Disclosure",
    "InboxWorld",
    "SharingDecision",
    "build",
    "name_of",
]
