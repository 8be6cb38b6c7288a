"""The record rules: one Q filter per kind of record, used by both scopes and object checks.

Because ``can()`` on a single object asks the database whether the object is in the scope built
from the same filter, a list and a detail page can never disagree about what an actor may see.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Exists, OuterRef, Q

from safeshare.access.capabilities import AGENCY_WIDE_CASE_ROLES, AGENCY_WIDE_REQUEST_ROLES
from safeshare.agencies.models import Practitioner, Role
from safeshare.cases.models import Case, CaseAllocation, CaseStatus, Involvement
from safeshare.core.vocabulary import SharingPurpose
from safeshare.disclosures.models import DisclosureStatus
from safeshare.linkage.models import IdentityLink
from safeshare.people.models import Person

NOTHING = Q(pk__in=[])


def sees_all_agency_cases(actor: Practitioner) -> bool:
    return any(actor.has_role(role) for role in AGENCY_WIDE_CASE_ROLES)


def _allocated_case_ids(actor: Practitioner) -> Exists:
    return Exists(
        CaseAllocation.objects.filter(
            case=OuterRef("pk"), practitioner=actor, ended_on__isnull=True
        )
    )


def case_rule(actor: Practitioner) -> Q:
    """Cases of the actor's own agency: all of them for agency-wide roles, else allocated ones."""
    if not actor.is_active:
        return NOTHING
    same_agency = Q(agency_id=actor.agency_id)
    if sees_all_agency_cases(actor):
        return same_agency
    return same_agency & Q(_allocated_case_ids(actor))


def item_rule(actor: Practitioner) -> Q:
    """Items follow their case."""
    if not actor.is_active:
        return NOTHING
    same_agency = Q(case__agency_id=actor.agency_id)
    if sees_all_agency_cases(actor):
        return same_agency
    allocated = CaseAllocation.objects.filter(
        case=OuterRef("case_id"), practitioner=actor, ended_on__isnull=True
    )
    return same_agency & Q(Exists(allocated))


def person_rule(actor: Practitioner) -> Q:
    """People held by the actor's agency who are the subject of, or involved in, a case the actor
    is allocated to; or whom the actor recorded and who are not yet part of any case."""
    if not actor.is_active:
        return NOTHING
    same_agency = Q(agency_id=actor.agency_id)
    if sees_all_agency_cases(actor):
        return same_agency
    allocated_as_subject = CaseAllocation.objects.filter(
        case__subject=OuterRef("pk"), practitioner=actor, ended_on__isnull=True
    )
    involved = Involvement.objects.filter(
        person=OuterRef("pk"),
        case__allocations__practitioner=actor,
        case__allocations__ended_on__isnull=True,
    )
    recorded_and_unattached = (
        Q(recorded_by=actor)
        & ~Q(Exists(Case.objects.filter(subject=OuterRef("pk"))))
        & ~Q(Exists(Involvement.objects.filter(person=OuterRef("pk"))))
    )
    return same_agency & (
        Q(Exists(allocated_as_subject)) | Q(Exists(involved)) | recorded_and_unattached
    )


def consent_rule(actor: Practitioner) -> Q:
    """Consent records follow the person they are about."""
    if not actor.is_active:
        return NOTHING
    return Q(person__in=Person.objects.filter(person_rule(actor)).values("pk"))


def decision_rule(actor: Practitioner) -> Q:
    """Sharing decisions follow their case."""
    if not actor.is_active:
        return NOTHING
    return Q(case__in=Case.objects.filter(case_rule(actor)).values("pk"))


def practitioner_rule(actor: Practitioner) -> Q:
    """Practitioners an administrator may see and manage: all for system admins, else own agency."""
    if not actor.is_active:
        return NOTHING
    if actor.has_role(Role.SYSTEM_ADMIN):
        return Q()
    if actor.has_role(Role.AGENCY_ADMIN):
        return Q(agency_id=actor.agency_id)
    return Q(pk=actor.pk)


def agency_rule(actor: Practitioner) -> Q:
    """The directory of agencies is not personal data: every active practitioner sees it."""
    return Q() if actor.is_active else NOTHING


def api_token_rule(actor: Practitioner) -> Q:
    return Q(practitioner_id=actor.pk) if actor.is_active else NOTHING


# --- Oversight of the ledger ---------------------------------------------------------------------


def held_case_rule(actor: Practitioner) -> Q:
    """Cases held by the actor's own agency: whose ledger history its DSLs and information
    governance may see, whatever later rules let them see of other agencies' cases."""
    return Q(agency_id=actor.agency_id) if actor.is_active else NOTHING


def held_person_rule(actor: Practitioner) -> Q:
    """People held by the actor's own agency (history, subject access export)."""
    return Q(agency_id=actor.agency_id) if actor.is_active else NOTHING


def _current_allocations(actor: Practitioner) -> Any:
    return CaseAllocation.objects.filter(practitioner=actor, ended_on__isnull=True)


def notified_case_rule(actor: Practitioner) -> Q:
    """Cases whose access from outside the agency the actor is told about: cases of their own
    agency they are allocated to now; every case of the agency for a DSL. (Uncorrelated
    subqueries: this runs on every page, for the count of unseen notifications.)"""
    if not actor.is_active:
        return NOTHING
    same_agency = Q(agency_id=actor.agency_id)
    if actor.has_role(Role.DSL):
        return same_agency
    return same_agency & Q(pk__in=_current_allocations(actor).values("case_id"))


def notified_person_rule(actor: Practitioner) -> Q:
    """People whose access from outside the agency the actor is told about: the subject of, or
    someone involved in, a case they are allocated to; everyone the agency holds for a DSL."""
    if not actor.is_active:
        return NOTHING
    same_agency = Q(agency_id=actor.agency_id)
    if actor.has_role(Role.DSL):
        return same_agency
    allocated_cases = _current_allocations(actor).values("case_id")
    subjects = Case.objects.filter(pk__in=allocated_cases).values("subject_id")
    involved = Involvement.objects.filter(case_id__in=allocated_cases).values("person_id")
    return same_agency & (Q(pk__in=subjects) | Q(pk__in=involved))


def reviewable_read_rule(actor: Practitioner) -> Q:
    """Ledger entries an information governance officer may review: those by practitioners of
    their own agency, and those about records their agency holds."""
    if not actor.is_active:
        return NOTHING
    own = actor.agency_id
    return (
        Q(actor_agency_id=own)
        | Q(subject_case_id__in=Case.objects.filter(agency_id=own).values("pk"))
        | Q(subject_person_id__in=Person.objects.filter(agency_id=own).values("pk"))
    )


def access_review_rule(actor: Practitioner) -> Q:
    """Reviews of flagged access made for the actor's own agency."""
    return Q(agency_id=actor.agency_id) if actor.is_active else NOTHING


# --- Requests and disclosures --------------------------------------------------------------------


def request_rule(actor: Practitioner) -> Q:
    """A request is seen by the practitioner who made it and the DSLs of their agency (and, for
    the hub's MASH enquiries, its MASH officers, who work contacts as a team); and at the
    receiving agency by the practitioner it is assigned to, its DSLs and MASH officers."""
    if not actor.is_active:
        return NOTHING
    seen = Q(requested_by=actor) | Q(receiving_agency_id=actor.agency_id, assigned_to=actor)
    if actor.has_role(Role.DSL):
        seen |= Q(requesting_agency_id=actor.agency_id)
    if actor.has_role(Role.MASH_OFFICER):
        seen |= Q(requesting_agency_id=actor.agency_id, purpose=SharingPurpose.MASH_TRIAGE)
    if any(actor.has_role(role) for role in AGENCY_WIDE_REQUEST_ROLES):
        seen |= Q(receiving_agency_id=actor.agency_id)
    return seen


def disclosure_rule(actor: Practitioner) -> Q:
    """What a disclosure is (who, when, why, its state): its named recipient; whoever shared it;
    at the sharing agency, whoever may see the case it came from."""
    if not actor.is_active:
        return NOTHING
    return (
        Q(recipient=actor)
        | Q(shared_by=actor)
        | Q(
            sharing_agency_id=actor.agency_id,
            case__in=Case.objects.filter(case_rule(actor)).values("pk"),
        )
    )


def disclosure_live(*, at: dt.datetime, prefix: str = "") -> Q:
    """A disclosure its recipient may still read at ``at``: not revoked, not recalled (the
    consent it rested on was withdrawn), not expired. The same rule as
    ``Disclosure.content_available``; ``prefix`` reaches it through a relation."""
    return (
        ~Q(**{f"{prefix}status": DisclosureStatus.REVOKED})
        & Q(**{f"{prefix}recalled_at__isnull": True})
        & Q(**{f"{prefix}expires_at__gt": at})
    )


def disclosure_content_rule(actor: Practitioner, *, at: dt.datetime) -> Q:
    """What was shared: the named recipient only while the disclosure is live at ``at`` (neither
    revoked, recalled nor expired); the sharing agency (whoever may see the source case) always,
    since it is its own record of what it shared."""
    if not actor.is_active:
        return NOTHING
    live = disclosure_live(at=at)
    return (Q(recipient=actor) & live) | Q(
        sharing_agency_id=actor.agency_id,
        case__in=Case.objects.filter(case_rule(actor)).values("pk"),
    )


# --- After sharing: tasks, corrections, recalls --------------------------------------------------


def _cases_seen(actor: Practitioner) -> Any:
    return Case.objects.filter(case_rule(actor)).values("pk")


def inform_task_rule(actor: Practitioner) -> Q:
    """Tasks to tell the individual: the sharing agency's, on cases the actor may see."""
    if not actor.is_active:
        return NOTHING
    return Q(agency_id=actor.agency_id, case__in=_cases_seen(actor))


def item_correction_rule(actor: Practitioner) -> Q:
    """Corrections and retractions issued by the actor's agency about items of cases the actor
    may see (to follow the recipients' acknowledgements)."""
    if not actor.is_active:
        return NOTHING
    return Q(item__case__agency_id=actor.agency_id, item__case__in=_cases_seen(actor))


def correction_notice_rule(actor: Practitioner, *, at: dt.datetime) -> Q:
    """A notice of a correction is about what was shared: its recipient sees it while the
    disclosure may be read (as ``disclosure_content_rule``); the sharing agency always."""
    if not actor.is_active:
        return NOTHING
    live = disclosure_live(at=at, prefix="disclosure__")
    return (Q(disclosure__recipient=actor) & live) | Q(
        disclosure__sharing_agency_id=actor.agency_id, disclosure__case__in=_cases_seen(actor)
    )


def recall_request_rule(actor: Practitioner) -> Q:
    """A recall request: its recipient (even after expiry: deletion is what they confirm);
    whoever shared; at the sharing agency, whoever may see the case it came from."""
    if not actor.is_active:
        return NOTHING
    return (
        Q(disclosure__recipient=actor)
        | Q(disclosure__shared_by=actor)
        | Q(disclosure__sharing_agency_id=actor.agency_id, disclosure__case__in=_cases_seen(actor))
    )


# --- MASH triage (contacts and enquiries of the hub) ---------------------------------------------


def mash_contact_rule(actor: Practitioner) -> Q:
    """MASH contacts belong to the hub that received them: seen by the hub agency's MASH officers
    (MASH_TRIAGE) and its DSLs and managers (MASH_VIEW, read only); never by another agency. The
    capability is checked by the caller (scopes, fetchers)."""
    return Q(hub_agency_id=actor.agency_id) if actor.is_active else NOTHING


def mash_enquiry_rule(actor: Practitioner) -> Q:
    """The hub's enquiries to partner agencies follow their contact (partners see the request
    itself through ``request_rule``)."""
    return Q(contact__hub_agency_id=actor.agency_id) if actor.is_active else NOTHING


# --- Identity search and the pointer index --------------------------------------------------------


def pointer_person_rule(actor: Practitioner) -> Q:
    """People held by the actor's agency whose pointers the actor may see: the legitimate
    relationship is an open case the actor may see whose subject is linked to the same identity."""
    if not actor.is_active:
        return NOTHING
    open_cases = Case.objects.filter(case_rule(actor)).exclude(status=CaseStatus.CLOSED)
    subjects = open_cases.values("subject_id")
    identities = IdentityLink.objects.filter(person_id__in=subjects).values("identity_id")
    return Q(agency_id=actor.agency_id, identity_link__identity_id__in=identities)
