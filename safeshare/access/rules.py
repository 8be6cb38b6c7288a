"""The record rules: one Q filter per kind of record, used by both scopes and object checks.

Because ``can()`` on a single object asks the database whether the object is in the scope built
from the same filter, a list and a detail page can never disagree about what an actor may see.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from safeshare.access.capabilities import AGENCY_WIDE_CASE_ROLES
from safeshare.agencies.models import Practitioner, Role
from safeshare.cases.models import Case, CaseAllocation, Involvement
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
