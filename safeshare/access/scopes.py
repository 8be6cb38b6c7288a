"""``<entities>_visible_to(actor)``: querysets filtered by the same rules as ``can()``."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from safeshare.access import rules
from safeshare.access.capabilities import ROLE_CAPABILITIES, Capability, has_capability
from safeshare.agencies.models import (
    Agency,
    ApiToken,
    InformationSharingAgreement,
    Practitioner,
    Role,
)
from safeshare.cases.models import (
    Case,
    CaseAllocation,
    CaseStatus,
    InformationItem,
    Involvement,
)
from safeshare.consent.models import Consent
from safeshare.core import clock
from safeshare.decisions.models import SharingDecision
from safeshare.disclosures.models import (
    CorrectionNotice,
    Disclosure,
    InformationRequest,
    InformTask,
    ItemCorrection,
    RecallRequest,
)
from safeshare.ledger.models import LedgerEntry
from safeshare.mash.models import MashContact, MashEnquiry
from safeshare.oversight.models import AccessReview
from safeshare.people.models import Address, ContactDetail, Person


def cases_visible_to(actor: Practitioner) -> QuerySet[Case]:
    return Case.objects.filter(rules.case_rule(actor))


def items_visible_to(actor: Practitioner) -> QuerySet[InformationItem]:
    return InformationItem.objects.filter(rules.item_rule(actor))


def people_visible_to(actor: Practitioner) -> QuerySet[Person]:
    return Person.objects.filter(rules.person_rule(actor))


def consents_visible_to(actor: Practitioner) -> QuerySet[Consent]:
    return Consent.objects.filter(rules.consent_rule(actor))


def decisions_visible_to(actor: Practitioner) -> QuerySet[SharingDecision]:
    return SharingDecision.objects.filter(rules.decision_rule(actor))


def practitioners_visible_to(actor: Practitioner) -> QuerySet[Practitioner]:
    return Practitioner.objects.filter(rules.practitioner_rule(actor))


def allocations_managed_by(actor: Practitioner) -> QuerySet[CaseAllocation]:
    """Open case allocations an administrator may end (PRACTITIONER_MANAGE, practitioners of
    their own agency; any for system administrators)."""
    if not has_capability(actor, Capability.PRACTITIONER_MANAGE):
        return CaseAllocation.objects.none()
    return CaseAllocation.objects.filter(rules.managed_allocation_rule(actor))


def api_tokens_visible_to(actor: Practitioner) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(rules.api_token_rule(actor))


def agencies_visible_to(actor: Practitioner) -> QuerySet[Agency]:
    """The directory of agencies is not personal data: every active practitioner sees it."""
    return Agency.objects.filter(rules.agency_rule(actor))


def agreements_visible_to(actor: Practitioner) -> QuerySet[InformationSharingAgreement]:
    """Agreements are governance documents, published to every party's staff."""
    if not actor.is_active:
        return InformationSharingAgreement.objects.none()
    return InformationSharingAgreement.objects.all()


# --- Oversight of the ledger ---------------------------------------------------------------------


def cases_held_by_agency_of(actor: Practitioner) -> QuerySet[Case]:
    return Case.objects.filter(rules.held_case_rule(actor))


def people_held_by_agency_of(actor: Practitioner) -> QuerySet[Person]:
    return Person.objects.filter(rules.held_person_rule(actor))


def cases_notifying(actor: Practitioner) -> QuerySet[Case]:
    """Cases whose access from outside the agency ``actor`` is notified of."""
    return Case.objects.filter(rules.notified_case_rule(actor))


def people_notifying(actor: Practitioner) -> QuerySet[Person]:
    return Person.objects.filter(rules.notified_person_rule(actor))


def reads_reviewable_by(actor: Practitioner) -> QuerySet[LedgerEntry]:
    return LedgerEntry.objects.filter(rules.reviewable_read_rule(actor))


def access_reviews_visible_to(actor: Practitioner) -> QuerySet[AccessReview]:
    return AccessReview.objects.filter(rules.access_review_rule(actor))


# --- Requests and disclosures --------------------------------------------------------------------


def requests_visible_to(actor: Practitioner) -> QuerySet[InformationRequest]:
    return InformationRequest.objects.filter(rules.request_rule(actor))


def disclosures_visible_to(actor: Practitioner) -> QuerySet[Disclosure]:
    """Disclosures whose details (not necessarily content) the actor may see."""
    return Disclosure.objects.filter(rules.disclosure_rule(actor))


def disclosure_contents_readable_by(actor: Practitioner) -> QuerySet[Disclosure]:
    """Disclosures whose content the actor may read now."""
    return Disclosure.objects.filter(rules.disclosure_content_rule(actor, at=clock.now()))


# --- Web pages for disclosures ------------------------------------------------------------------


def disclosure_recipients_for(
    actor: Practitioner, decision: SharingDecision
) -> QuerySet[Practitioner]:
    """The named practitioners a disclosure under ``decision`` may be addressed to: active staff
    of the agency the decision names, never the actor's own. Whether one is entitled to receive
    (an agreement, or the urgent path) stays the service's rule."""
    if not actor.is_active or decision.recipient_agency_id is None:
        return Practitioner.objects.none()
    return (
        Practitioner.objects.filter(
            agency_id=decision.recipient_agency_id, agency__is_active=True, is_active=True
        )
        .exclude(agency_id=actor.agency_id)
        .select_related("agency")
        .order_by("family_name", "given_name", "pk")
    )


def case_addresses_visible_to(actor: Practitioner, case: Case) -> QuerySet[Address]:
    """Addresses of the case's child and of the people involved in the case, as far as the actor
    may see those people (protected ones withheld from anyone recorded as an alleged
    perpetrator, ``rules.address_rule``)."""
    involved = Involvement.objects.filter(case=case).values("person_id")
    return (
        Address.objects.filter(
            rules.address_rule(actor),
            Q(person_id=case.subject_id) | Q(person_id__in=involved),
        )
        .select_related("person")
        .order_by("person__family_name", "person__given_name", "-lived_from", "pk")
    )


# --- After sharing -------------------------------------------------------------------------------


def inform_tasks_visible_to(actor: Practitioner) -> QuerySet[InformTask]:
    return InformTask.objects.filter(rules.inform_task_rule(actor))


def item_corrections_visible_to(actor: Practitioner) -> QuerySet[ItemCorrection]:
    return ItemCorrection.objects.filter(rules.item_correction_rule(actor))


def correction_notices_visible_to(actor: Practitioner) -> QuerySet[CorrectionNotice]:
    return CorrectionNotice.objects.filter(rules.correction_notice_rule(actor, at=clock.now()))


def recall_requests_visible_to(actor: Practitioner) -> QuerySet[RecallRequest]:
    return RecallRequest.objects.filter(rules.recall_request_rule(actor))


# --- Adding received items to a case -------------------------------------------------------------


def cases_editable_by(actor: Practitioner) -> QuerySet[Case]:
    """Open cases the actor may see and edit (CASE_EDIT): where received items may be added."""
    if not has_capability(actor, Capability.CASE_EDIT):
        return Case.objects.none()
    return cases_visible_to(actor).exclude(status=CaseStatus.CLOSED)


# --- MASH triage (contacts and enquiries of the hub) ---------------------------------------------


def mash_contacts_visible_to(actor: Practitioner) -> QuerySet[MashContact]:
    """The hub's contacts, for MASH_VIEW holders of the hub agency."""
    if not has_capability(actor, Capability.MASH_VIEW):
        return MashContact.objects.none()
    return MashContact.objects.filter(rules.mash_contact_rule(actor))


def mash_enquiries_visible_to(actor: Practitioner) -> QuerySet[MashEnquiry]:
    if not has_capability(actor, Capability.MASH_VIEW):
        return MashEnquiry.objects.none()
    return MashEnquiry.objects.filter(rules.mash_enquiry_rule(actor))


def mash_partner_agencies_for(actor: Practitioner) -> QuerySet[Agency]:
    """Where a MASH officer may send an enquiry: active agencies other than the hub."""
    if not actor.is_active or not has_capability(actor, Capability.MASH_TRIAGE):
        return Agency.objects.none()
    return Agency.objects.filter(is_active=True).exclude(pk=actor.agency_id).order_by("name")


def mash_officers_for(actor: Practitioner) -> QuerySet[Practitioner]:
    """Active MASH officers of the actor's hub, to whom a contact may be assigned."""
    if not actor.is_active or not has_capability(actor, Capability.MASH_TRIAGE):
        return Practitioner.objects.none()
    return Practitioner.objects.filter(
        agency_id=actor.agency_id,
        is_active=True,
        role_assignments__role=Role.MASH_OFFICER,
    ).order_by("family_name", "given_name", "pk")


# --- Identity search and the pointer index --------------------------------------------------------


def people_with_pointers_for(actor: Practitioner) -> QuerySet[Person]:
    """People of the actor's agency whose pointer index the actor may see (POINTER_VIEW and a
    legitimate relationship: see ``rules.pointer_person_rule``)."""
    if not has_capability(actor, Capability.POINTER_VIEW):
        return Person.objects.none()
    return Person.objects.filter(rules.pointer_person_rule(actor))


# --- Casework: addresses, contact details, who may be allocated ----------------------------------


def addresses_visible_to(actor: Practitioner) -> QuerySet[Address]:
    """Addresses of people the actor may see, protected ones withheld from anyone recorded as an
    alleged perpetrator (``rules.address_rule``)."""
    return Address.objects.filter(rules.address_rule(actor))


def contacts_visible_to(actor: Practitioner) -> QuerySet[ContactDetail]:
    return ContactDetail.objects.filter(rules.contact_rule(actor))


def allocatable_practitioners_for(actor: Practitioner, case: Case) -> QuerySet[Practitioner]:
    """Who ``actor`` may allocate to ``case``: for CASE_ALLOCATE holders who may see the case,
    the active practitioners of the case's agency whose roles do casework (CASE_EDIT: not
    information governance, who only read, nor administrators).
    Whether one may be allocated now (already allocated, the same person) is the service's rule."""
    if not has_capability(actor, Capability.CASE_ALLOCATE):
        return Practitioner.objects.none()
    if not cases_visible_to(actor).filter(pk=case.pk).exists():
        return Practitioner.objects.none()
    holding_roles = [
        role for role, granted in ROLE_CAPABILITIES.items() if Capability.CASE_EDIT in granted
    ]
    return (
        Practitioner.objects.filter(
            agency_id=case.agency_id, is_active=True, role_assignments__role__in=holding_roles
        )
        .distinct()
        .order_by("family_name", "given_name", "pk")
    )


def cases_to_involve(actor: Practitioner, person: Person) -> QuerySet[Case]:
    """Open cases of the person's agency that ``actor`` may edit and in which ``person`` could be
    involved (not the case's own child)."""
    return (
        cases_editable_by(actor)
        .filter(agency_id=person.agency_id)
        .exclude(subject_id=person.pk)
        .select_related("subject")
        .order_by("-opened_on", "reference")
    )
