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
from safeshare.cases.models import Case, CaseAllocation, CaseStatus, Involvement, Relationship
from safeshare.core.vocabulary import SharingPurpose
from safeshare.disclosures.models import DisclosureStatus, ReceivedItemLink
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


def managed_allocation_rule(actor: Practitioner) -> Q:
    """Open case allocations of the practitioners the actor administers (``practitioner_rule``):
    what an administrator may end when someone leaves or changes job. The capability
    (PRACTITIONER_MANAGE) is checked by the caller."""
    if not actor.is_active:
        return NOTHING
    managed = Practitioner.objects.filter(practitioner_rule(actor)).values("pk")
    return Q(ended_on__isnull=True, practitioner_id__in=managed)


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


def received_disclosure_rule(actor: Practitioner, *, prefix: str = "") -> Q:
    """Who in the RECIPIENT agency may read what it received (a disclosure, its items, its
    corrections): the named recipient; the agency's DSLs; and its practitioners with a current
    allocation to one of its cases that received items of the disclosure were added to
    (``ReceivedItemLink``). Nobody else in that agency: a MASH officer, information governance or
    a colleague without that allocation gets the same 404 as for a missing record.

    Golden rule 6 (HM Government, Information sharing advice, 2018; seeds 000 and 003):
    information shared must be "necessary, proportionate, relevant, adequate, accurate, timely
    and secure", "shared only with those individuals who need to have it" ("on a 'need to know'
    basis", seed 003, 3.4). The sharer chose the recipient; adding the items to a case is the
    recipient's decision that the people working that case need them; the DSL leads on
    safeguarding for the agency and picks up the recipient's work when they are away or leave.

    Involvement as a worker is not a relationship here: ``Involvement.practitioner`` records a
    member of staff as a person in the case (an alleged perpetrator, a parent), so a DSL or an
    allocated colleague recorded in the case the disclosure came from, or in a case it was added
    to, never reads it through this rule. Whether the content may still be read (expiry,
    revocation, recall) is ``disclosure_live``, applied by the content rules. ``prefix`` reaches
    the disclosure through a relation ("disclosure__")."""
    if not actor.is_active:
        return NOTHING
    named = Q(**{f"{prefix}recipient": actor})
    allocated_cases = CaseAllocation.objects.filter(
        practitioner=actor, ended_on__isnull=True, case__agency_id=actor.agency_id
    ).values("case_id")
    colleagues = Q(
        **{
            f"{prefix}pk__in": ReceivedItemLink.objects.filter(case_id__in=allocated_cases).values(
                "disclosure_id"
            )
        }
    )
    if actor.has_role(Role.DSL):
        colleagues |= Q(**{f"{prefix}recipient_agency_id": actor.agency_id})
    involved_in = Involvement.objects.filter(practitioner=actor).values("case_id")
    conflicted = Q(**{f"{prefix}case_id__in": involved_in}) | Q(
        **{
            f"{prefix}pk__in": ReceivedItemLink.objects.filter(case_id__in=involved_in).values(
                "disclosure_id"
            )
        }
    )
    in_agency = Q(**{f"{prefix}recipient_agency_id": actor.agency_id})
    return named | (in_agency & colleagues & ~conflicted)


def disclosure_rule(actor: Practitioner) -> Q:
    """What a disclosure is (who, when, why, its state): at the recipient agency, whoever
    ``received_disclosure_rule`` lets read it; whoever shared it; at the sharing agency, whoever
    may see the case it came from."""
    if not actor.is_active:
        return NOTHING
    return (
        received_disclosure_rule(actor)
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
    """What was shared: at the recipient agency, whoever ``received_disclosure_rule`` lets read
    it, only while the disclosure is live at ``at`` (neither revoked, recalled nor expired); the
    sharing agency (whoever may see the source case) always, since it is its own record of what
    it shared."""
    if not actor.is_active:
        return NOTHING
    live = disclosure_live(at=at)
    return (received_disclosure_rule(actor) & live) | Q(
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
    """A notice of a correction is about what was shared: whoever may read the disclosure at
    the recipient agency sees it while the disclosure may be read (as
    ``disclosure_content_rule``: a colleague reading what was received must also see that it was
    corrected); the sharing agency always. Acknowledging it stays the named recipient's."""
    if not actor.is_active:
        return NOTHING
    live = disclosure_live(at=at, prefix="disclosure__")
    return (received_disclosure_rule(actor, prefix="disclosure__") & live) | Q(
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


# --- Casework: addresses, contact details, allocations, involvements ----------------------------


def recorded_as_alleged_perpetrator(actor: Practitioner) -> bool:
    """Is the actor recorded (as a member of staff, ``Involvement.practitioner``) as an alleged
    perpetrator in any case, of any agency? The same test as disclosures make of a recipient."""
    return Involvement.objects.filter(
        relationship=Relationship.ALLEGED_PERPETRATOR, practitioner=actor
    ).exists()


def _of_visible_people(actor: Practitioner) -> Q:
    """Addresses and contact details follow their person; a protected one (a refuge, a safe
    telephone number) is never shown to anyone recorded as an alleged perpetrator."""
    if not actor.is_active:
        return NOTHING
    rule = Q(person__in=Person.objects.filter(person_rule(actor)).values("pk"))
    if recorded_as_alleged_perpetrator(actor):
        rule &= Q(is_protected=False)
    return rule


def address_rule(actor: Practitioner) -> Q:
    return _of_visible_people(actor)


def contact_rule(actor: Practitioner) -> Q:
    return _of_visible_people(actor)


def allocation_rule(actor: Practitioner) -> Q:
    """Allocations follow their case."""
    if not actor.is_active:
        return NOTHING
    return Q(case__in=Case.objects.filter(case_rule(actor)).values("pk"))


def involvement_rule(actor: Practitioner) -> Q:
    """Involvements follow their case."""
    return allocation_rule(actor)
