"""A sharing world for disclosure tests: an active agreement, an approved decision, a recipient."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from safeshare.agencies import services as agency_services
from safeshare.agencies.models import AgreementStatus, InformationSharingAgreement, Practitioner
from safeshare.decisions.engine import Facts, Recipient
from safeshare.decisions.models import SharingDecision
from safeshare.decisions.services import decision_approve
from safeshare.disclosures.assembly import AddressSelection, ItemSelection
from safeshare.disclosures.models import Disclosure
from safeshare.disclosures.services import disclosure_issue
from safeshare.linkage.models import Identity, IdentityLink, LinkedBy
from safeshare.people.models import Person
from tests.conftest import World
from tests.decisions.helpers import facts, record
from tests.factories import PractitionerFactory

NOW = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)


@dataclass
class Sharing:
    world: World
    agreement: InformationSharingAgreement
    recipient: Practitioner  # a named practitioner of the other agency
    decision: SharingDecision  # approved: the worker may share with the other agency


def active_agreement(world: World, *, purposes: list[str] | None = None) -> Any:
    agreement = agency_services.agreement_create(
        actor=world.dsl,
        owner=world.agency,
        reference="ISA-D1",
        title="Testshire child protection sharing",
        parties=[world.agency, world.other_agency],
        purposes=purposes or ["child_protection"],
        data_categories=["child"],
        lawful_bases=["art6_1_e"],
        retention_days=90,
        start_date=dt.date(2026, 1, 1),
        review_date=dt.date(2027, 1, 1),
    )
    agency_services.agreement_sign(actor=world.dsl, agreement=agreement)
    agency_services.agreement_sign(actor=world.outsider, agreement=agreement)
    return agency_services.agreement_set_status(
        actor=world.dsl, agreement=agreement, status=AgreementStatus.ACTIVE
    )


def approved_decision(
    world: World, the_facts: Facts | None = None, **changes: Any
) -> SharingDecision:
    """The engine's recommendation recorded (recipient under an agreement unless told otherwise)
    and, when it needs approval, approved by the DSL."""
    decision = record(world, the_facts or facts(recipient=Recipient.AGREEMENT), **changes)
    if decision.approval_required:
        decision_approve(actor=world.dsl, decision=decision, approved=True)
        decision.refresh_from_db()
    return decision


def sharing(world: World) -> Sharing:
    agreement = active_agreement(world)
    recipient = PractitionerFactory(
        agency=world.other_agency, given_name="Fakeofficer", job_title="Detective constable"
    )
    return Sharing(
        world=world,
        agreement=agreement,
        recipient=recipient,
        decision=approved_decision(world),
    )


def issue(s: Sharing, **changes: Any) -> Disclosure:
    arguments: dict[str, Any] = {
        "actor": s.world.worker,
        "decision": s.decision,
        "recipient": s.recipient,
        "items": [ItemSelection(item=s.world.item)],
    }
    arguments.update(changes)
    return disclosure_issue(**arguments)


def link_identity(*people: Person) -> Identity:
    """Record that identity linkage found these agencies' records to be one child."""
    identity = Identity.objects.create(reference=f"ID-TEST-{Identity.objects.count() + 1}")
    for person in people:
        IdentityLink.objects.update_or_create(
            person=person, defaults={"identity": identity, "linked_by": LinkedBy.MODEL}
        )
    return identity


__all__ = [
    "NOW",
    "AddressSelection",
    "ItemSelection",
    "Sharing",
    "issue",
    "link_identity",
    "sharing",
]
