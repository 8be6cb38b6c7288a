"""``can(actor, capability, obj)``: the single answer to "may this actor do this?".

Built from small named checks, one condition per line. Object checks reuse the scope filters, so
"may I see this case?" and "which cases may I see?" share one rule.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from safeshare.access import scopes
from safeshare.access.capabilities import Capability
from safeshare.access.capabilities import capabilities_of as capabilities_of
from safeshare.access.capabilities import has_capability as has_capability
from safeshare.agencies.models import (
    Agency,
    ApiToken,
    InformationSharingAgreement,
    Practitioner,
    Role,
)
from safeshare.cases.models import Case, InformationItem
from safeshare.consent.models import Consent
from safeshare.decisions.models import SHARING_OUTCOMES, SharingDecision
from safeshare.disclosures.models import Disclosure, InformationRequest
from safeshare.ledger.models import LedgerEntry
from safeshare.people.models import Person


def _in_scope(queryset: models.QuerySet[Any], obj: models.Model) -> bool:
    return queryset.filter(pk=obj.pk).exists()


def _may_manage_agreement(actor: Practitioner, agreement: InformationSharingAgreement) -> bool:
    if actor.has_role(Role.SYSTEM_ADMIN):
        return True
    return agreement.owner_id == actor.agency_id


def can(actor: Any, capability: Capability, obj: models.Model | None = None) -> bool:
    """May ``actor`` exercise ``capability`` (on ``obj``, when given)? Deny by default."""
    if not has_capability(actor, capability):
        return False
    if obj is None:
        return True
    if isinstance(obj, Case):
        return _in_scope(scopes.cases_visible_to(actor), obj)
    if isinstance(obj, InformationItem):
        return _in_scope(scopes.items_visible_to(actor), obj)
    if isinstance(obj, Person):
        return _in_scope(scopes.people_visible_to(actor), obj)
    if isinstance(obj, Consent):
        return _in_scope(scopes.consents_visible_to(actor), obj)
    if isinstance(obj, SharingDecision):
        return _in_scope(scopes.decisions_visible_to(actor), obj)
    if isinstance(obj, Practitioner):
        return _in_scope(scopes.practitioners_visible_to(actor), obj)
    if isinstance(obj, ApiToken):
        return _in_scope(scopes.api_tokens_visible_to(actor), obj)
    if isinstance(obj, Agency):
        return _in_scope(scopes.agencies_visible_to(actor), obj)
    if isinstance(obj, InformationSharingAgreement):
        if capability == Capability.AGREEMENT_MANAGE:
            return _may_manage_agreement(actor, obj)
        return _in_scope(scopes.agreements_visible_to(actor), obj)
    return False


def grantable_roles(actor: Any) -> list[Role]:
    """Roles ``actor`` may give others: system admins any; agency admins any but system admin."""
    if not isinstance(actor, Practitioner) or not actor.is_active:
        return []
    if actor.has_role(Role.SYSTEM_ADMIN):
        return list(Role)
    if actor.has_role(Role.AGENCY_ADMIN):
        return [role for role in Role if role != Role.SYSTEM_ADMIN]
    return []


def may_sign_agreement(actor: Any, agreement: InformationSharingAgreement) -> bool:
    """Someone who manages agreements, for a party that has not signed yet."""
    if not has_capability(actor, Capability.AGREEMENT_MANAGE):
        return False
    party_ids = {party.pk for party in agreement.parties.all()}
    signed_ids = {signature.agency_id for signature in agreement.signatures.all()}
    return actor.agency_id in party_ids - signed_ids


def may_view_record_access(actor: Any, record: models.Model) -> bool:
    """Who has seen or changed a case or a person: RECORD_ACCESS_VIEW, for records held by the
    actor's own agency only (the owning agency's oversight, never a recipient's)."""
    if not has_capability(actor, Capability.RECORD_ACCESS_VIEW):
        return False
    if isinstance(record, Case):
        return _in_scope(scopes.cases_held_by_agency_of(actor), record)
    if isinstance(record, Person):
        return _in_scope(scopes.people_held_by_agency_of(actor), record)
    return False


def may_prove_ledger_entry(actor: Any, entry: LedgerEntry) -> bool:
    """An inclusion proof shows the entry: system administrators may prove any entry,
    information-governance officers only entries made by someone of their own agency."""
    if not has_capability(actor, Capability.LEDGER_PROVE):
        return False
    if actor.has_role(Role.SYSTEM_ADMIN):
        return True
    return entry.actor_agency_id is not None and entry.actor_agency_id == actor.agency_id


def may_read_disclosure_content(actor: Any, disclosure: Disclosure) -> bool:
    """The named recipient while the disclosure is live; the sharing agency always."""
    if not has_capability(actor, Capability.DISCLOSURE_VIEW):
        return False
    return _in_scope(scopes.disclosure_contents_readable_by(actor), disclosure)


def may_share_under(actor: Any, decision: SharingDecision) -> bool:
    """Offer "Share under this decision": DISCLOSURE_ISSUE, in the deciding agency, for a
    decision whose outcome is a share. Whether this share may go (approval, entitlement, expiry)
    is the disclosure service's rule, checked when it is issued."""
    if not has_capability(actor, Capability.DISCLOSURE_ISSUE):
        return False
    if decision.agency_id != actor.agency_id:
        return False
    return decision.outcome in SHARING_OUTCOMES


def readable_to(actor: Any, disclosure: Disclosure, words: str) -> str:
    """Words that restate a disclosure's content (the read-back, the sharer's answer to it), as
    the actor may read them: themselves while the content may be read, else nothing."""
    return words if may_read_disclosure_content(actor, disclosure) else ""


# --- One information request's page --------------------------------------------------------------


def receives_request(actor: Any, request: InformationRequest) -> bool:
    """The actor works for the agency the request was sent to (not the one that asked)."""
    if not isinstance(actor, Practitioner):
        return False
    return request.receiving_agency_id == actor.agency_id


def may_decide_on_request(actor: Any, request: InformationRequest) -> bool:
    """Offer "Answer: record a decision": at the agency asked, on the case the request matched,
    for someone who may record decisions on that case."""
    if not receives_request(actor, request):
        return False
    if request.matched_case is None:
        return False
    return can(actor, Capability.DECISION_RECORD, request.matched_case)


def may_answer_request(actor: Any, request: InformationRequest) -> bool:
    """Offer to answer or refuse: DISCLOSURE_ISSUE, at the agency asked. Whether the request is
    still open is the template's and the service's concern."""
    if not receives_request(actor, request):
        return False
    return has_capability(actor, Capability.DISCLOSURE_ISSUE)


def may_ask_again(actor: Any, request: InformationRequest) -> bool:
    """Offer to come back on a refusal with new information: REQUEST_CREATE, on the asking side.
    Whether the request was refused is the template's and the service's concern."""
    if receives_request(actor, request):
        return False
    return has_capability(actor, Capability.REQUEST_CREATE)


# --- MASH triage ----------------------------------------------------------------------------------


def may_triage_mash_contact(actor: Any, contact: models.Model) -> bool:
    """Offer the triage actions (enquiries, rating, outcome, close): MASH_TRIAGE, in the hub
    that received the contact. Whether its state allows each is the service's concern."""
    if not has_capability(actor, Capability.MASH_TRIAGE):
        return False
    return _in_scope(scopes.mash_contacts_visible_to(actor), contact)


# --- Identity search and the pointer index --------------------------------------------------------


def may_see_match_details(actor: Any) -> bool:
    """Identity search results show the best match's identifying details (name, date of birth,
    sex, postcode district, holding agency) to MASH officers only: LINK_REVIEW holders."""
    if not has_capability(actor, Capability.IDENTITY_SEARCH):
        return False
    return has_capability(actor, Capability.LINK_REVIEW)


def may_view_pointers(actor: Any, person: Person) -> bool:
    """Offer "Who else knows this child": POINTER_VIEW with a legitimate relationship."""
    if not has_capability(actor, Capability.POINTER_VIEW):
        return False
    return _in_scope(scopes.people_with_pointers_for(actor), person)


# --- Agency administration -----------------------------------------------------------------------


def removable_roles(actor: Any, practitioner: Practitioner) -> list[Role]:
    """Roles ``actor`` may take away from ``practitioner``: those they hold that ``actor`` could
    give (``grantable_roles``: an agency administrator never touches the system administrator
    role), for a practitioner ``actor`` manages. The last-administrator guard is the service's."""
    if not can(actor, Capability.PRACTITIONER_MANAGE, practitioner):
        return []
    held = set(practitioner.role_codes())
    return [role for role in grantable_roles(actor) if role.value in held]


def may_deactivate(actor: Any, practitioner: Practitioner) -> bool:
    """Offer "Deactivate": someone ``actor`` manages, active, and not ``actor`` themselves (the
    service refuses that too, and the agency's last active administrator)."""
    if not can(actor, Capability.PRACTITIONER_MANAGE, practitioner):
        return False
    return practitioner.is_active and practitioner.pk != actor.pk


def may_reactivate(actor: Any, practitioner: Practitioner) -> bool:
    """Offer "Reactivate": a deactivated practitioner ``actor`` manages."""
    if not can(actor, Capability.PRACTITIONER_MANAGE, practitioner):
        return False
    return not practitioner.is_active


def may_remove_role(actor: Any, practitioner: Practitioner, role: Role) -> bool:
    """May ``actor`` take ``role`` away from ``practitioner`` (whether they hold it is the
    service's question): a role ``actor`` could give, for someone they manage."""
    if not can(actor, Capability.PRACTITIONER_MANAGE, practitioner):
        return False
    return role in grantable_roles(actor)


def may_give_roles(actor: Any, practitioner: Practitioner, roles: list[Role]) -> bool:
    """May ``actor`` give ``practitioner`` all of ``roles`` (on reactivation)?"""
    if not can(actor, Capability.PRACTITIONER_MANAGE, practitioner):
        return False
    allowed = set(grantable_roles(actor))
    return all(role in allowed for role in roles)
