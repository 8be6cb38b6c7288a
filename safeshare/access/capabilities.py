"""Capabilities, and which roles hold them. The only role-to-permission table in SafeShare.

A capability says what kind of thing an actor may do at all; the rules in ``rules.py`` then say
which records they may do it to (agency isolation, legitimate relationship).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from safeshare.agencies.models import Practitioner, Role


class Capability(StrEnum):
    # Routes anyone may reach (sign-in, accessibility statement, health check).
    PUBLIC = "public"
    # Any signed-in practitioner with a verified second factor (dashboard, own account).
    SIGNED_IN = "signed_in"
    # Signed in with a password but before the second factor (TOTP enrolment and verification).
    PASSWORD_ONLY = "password_only"  # noqa: S105 - a capability name, not a password

    CASE_LIST = "case.list"
    CASE_VIEW = "case.view"
    CASE_CREATE = "case.create"
    CASE_EDIT = "case.edit"
    # Allocating practitioners to a case, reallocating and ending allocations: who has a
    # legitimate relationship to the case is a manager's decision (DSLs and managers).
    CASE_ALLOCATE = "case.allocate"
    ITEM_VIEW = "item.view"
    ITEM_CREATE = "item.create"
    ITEM_EDIT = "item.edit"
    PERSON_VIEW = "person.view"
    PERSON_CREATE = "person.create"
    PERSON_EDIT = "person.edit"
    AGENCY_VIEW = "agency.view"
    AGENCY_MANAGE = "agency.manage"
    PRACTITIONER_VIEW = "practitioner.view"
    PRACTITIONER_MANAGE = "practitioner.manage"
    AGREEMENT_VIEW = "agreement.view"
    AGREEMENT_MANAGE = "agreement.manage"
    API_TOKEN_MANAGE = "api_token.manage"  # noqa: S105 - a capability name
    CONSENT_VIEW = "consent.view"
    CONSENT_RECORD = "consent.record"
    DECISION_VIEW = "decision.view"
    DECISION_RECORD = "decision.record"
    DECISION_APPROVE = "decision.approve"
    # Oversight of the ledger: who has seen a record (own agency's records only), notifications of
    # access from outside the agency, the review queue of unusual access, subject access exports.
    RECORD_ACCESS_VIEW = "record_access.view"
    NOTIFICATION_VIEW = "notification.view"
    ACCESS_REVIEW = "access_review.review"
    SAR_EXPORT = "sar.export"
    # The verifiable ledger. Signed heads, public keys and consistency proofs hold no personal data
    # (everyone); an inclusion proof shows an entry, who did what to a child (information
    # governance for their own agency's entries, system administrators for any).
    LEDGER_VERIFY = "ledger.verify"
    LEDGER_PROVE = "ledger.prove"
    # Requests and disclosures. Issuing also answers (or refuses) a request; a disclosure's
    # content is for its named recipient (and the sharing agency), see rules.disclosure_rule.
    REQUEST_CREATE = "request.create"
    REQUEST_VIEW = "request.view"
    DISCLOSURE_ISSUE = "disclosure.issue"
    DISCLOSURE_VIEW = "disclosure.view"
    # The multi-agency picture. Identity search finds the same child across agencies (results show
    # only what the searcher may see); the pointer index says which agencies hold a record of a
    # child (never its content) to someone with a legitimate relationship to the child; the
    # clerical review queue shows two agencies' identifying details side by side (MASH officers);
    # linkage runs and model versions are for information governance and system administrators.
    IDENTITY_SEARCH = "identity.search"
    POINTER_VIEW = "pointer.view"
    LINK_REVIEW = "link.review"
    LINKAGE_MANAGE = "linkage.manage"
    # MASH triage: contacts and referrals into the hub, enquiries, RAG rating, outcomes.
    MASH_VIEW = "mash.view"
    MASH_TRIAGE = "mash.triage"


# Capabilities every signed-in practitioner has regardless of role.
_EVERYONE = frozenset(
    {
        Capability.SIGNED_IN,
        Capability.API_TOKEN_MANAGE,
        Capability.AGENCY_VIEW,
        Capability.LEDGER_VERIFY,
    }
)

_CASEWORK = frozenset(
    {
        Capability.CASE_LIST,
        Capability.CASE_VIEW,
        Capability.CASE_CREATE,
        Capability.CASE_EDIT,
        Capability.ITEM_VIEW,
        Capability.ITEM_CREATE,
        Capability.ITEM_EDIT,
        Capability.PERSON_VIEW,
        Capability.PERSON_CREATE,
        Capability.PERSON_EDIT,
        Capability.AGREEMENT_VIEW,
        Capability.CONSENT_VIEW,
        Capability.CONSENT_RECORD,
        Capability.DECISION_VIEW,
        Capability.DECISION_RECORD,
    }
)

ROLE_CAPABILITIES: dict[Role, frozenset[Capability]] = {
    Role.PRACTITIONER: _CASEWORK,
    # Designated safeguarding leads and managers approve shares without consent.
    Role.DSL: _CASEWORK | {Capability.DECISION_APPROVE, Capability.CASE_ALLOCATE},
    Role.MASH_OFFICER: _CASEWORK,
    Role.DISCLOSURE_OFFICER: _CASEWORK,
    Role.INFORMATION_GOVERNANCE: frozenset(
        {
            Capability.CASE_LIST,
            Capability.CASE_VIEW,
            Capability.ITEM_VIEW,
            Capability.PERSON_VIEW,
            Capability.AGREEMENT_VIEW,
            Capability.AGREEMENT_MANAGE,
            Capability.CONSENT_VIEW,
            Capability.DECISION_VIEW,
        }
    ),
    Role.AGENCY_ADMIN: frozenset(
        {
            Capability.PRACTITIONER_VIEW,
            Capability.PRACTITIONER_MANAGE,
            Capability.AGREEMENT_VIEW,
        }
    ),
    Role.SYSTEM_ADMIN: frozenset(
        {
            Capability.AGENCY_MANAGE,
            Capability.PRACTITIONER_VIEW,
            Capability.PRACTITIONER_MANAGE,
            Capability.AGREEMENT_VIEW,
            Capability.AGREEMENT_MANAGE,
        }
    ),
}

# Roles that see every case of their own agency; anyone else needs an allocation to the case.
AGENCY_WIDE_CASE_ROLES = frozenset({Role.DSL, Role.MASH_OFFICER, Role.INFORMATION_GOVERNANCE})

# Oversight of the ledger. Who has seen a record: DSLs/managers and information governance.
# Notifications go to whoever can hold a case (allocated workers; DSLs for the whole agency).
# The unusual-access queue and subject access exports: information governance.
OVERSIGHT_CAPABILITIES: dict[Role, frozenset[Capability]] = {
    Role.PRACTITIONER: frozenset({Capability.NOTIFICATION_VIEW}),
    Role.DSL: frozenset({Capability.NOTIFICATION_VIEW, Capability.RECORD_ACCESS_VIEW}),
    Role.MASH_OFFICER: frozenset({Capability.NOTIFICATION_VIEW}),
    Role.DISCLOSURE_OFFICER: frozenset({Capability.NOTIFICATION_VIEW}),
    Role.INFORMATION_GOVERNANCE: frozenset(
        {Capability.RECORD_ACCESS_VIEW, Capability.ACCESS_REVIEW, Capability.SAR_EXPORT}
    ),
}
for _role, _granted in OVERSIGHT_CAPABILITIES.items():
    ROLE_CAPABILITIES[_role] = ROLE_CAPABILITIES[_role] | _granted

# The verifiable ledger: inclusion proofs (safeshare.access.policy.may_prove_ledger_entry).
for _role in (Role.INFORMATION_GOVERNANCE, Role.SYSTEM_ADMIN):
    ROLE_CAPABILITIES[_role] = ROLE_CAPABILITIES[_role] | {Capability.LEDGER_PROVE}

# Requests and disclosures: whoever does casework asks, answers, shares and receives; information
# governance reads what was shared (metadata; content only as rules allow).
DISCLOSURE_CAPABILITIES: dict[Role, frozenset[Capability]] = {
    role: frozenset(
        {
            Capability.REQUEST_CREATE,
            Capability.REQUEST_VIEW,
            Capability.DISCLOSURE_ISSUE,
            Capability.DISCLOSURE_VIEW,
        }
    )
    for role in (Role.PRACTITIONER, Role.DSL, Role.MASH_OFFICER, Role.DISCLOSURE_OFFICER)
}
DISCLOSURE_CAPABILITIES[Role.INFORMATION_GOVERNANCE] = frozenset({Capability.DISCLOSURE_VIEW})
for _role, _granted in DISCLOSURE_CAPABILITIES.items():
    ROLE_CAPABILITIES[_role] = ROLE_CAPABILITIES[_role] | _granted

# The multi-agency picture and MASH triage.
LINKAGE_CAPABILITIES: dict[Role, frozenset[Capability]] = {
    Role.PRACTITIONER: frozenset({Capability.IDENTITY_SEARCH, Capability.POINTER_VIEW}),
    Role.DSL: frozenset(
        {Capability.IDENTITY_SEARCH, Capability.POINTER_VIEW, Capability.MASH_VIEW}
    ),
    Role.DISCLOSURE_OFFICER: frozenset({Capability.IDENTITY_SEARCH, Capability.POINTER_VIEW}),
    Role.MASH_OFFICER: frozenset(
        {
            Capability.IDENTITY_SEARCH,
            Capability.POINTER_VIEW,
            Capability.LINK_REVIEW,
            Capability.MASH_VIEW,
            Capability.MASH_TRIAGE,
        }
    ),
    Role.INFORMATION_GOVERNANCE: frozenset({Capability.LINKAGE_MANAGE}),
    Role.SYSTEM_ADMIN: frozenset({Capability.LINKAGE_MANAGE}),
}
for _role, _granted in LINKAGE_CAPABILITIES.items():
    ROLE_CAPABILITIES[_role] = ROLE_CAPABILITIES[_role] | _granted

# Roles that see every request made to or by their agency (others: their own and assigned ones).
AGENCY_WIDE_REQUEST_ROLES = frozenset({Role.DSL, Role.MASH_OFFICER})


def capabilities_of(actor: Practitioner) -> frozenset[Capability]:
    """Everything the actor's roles grant (nothing when inactive)."""
    if not actor.is_active:
        return frozenset()
    granted: set[Capability] = {
        Capability.SIGNED_IN,
        Capability.API_TOKEN_MANAGE,
        Capability.AGENCY_VIEW,
        Capability.LEDGER_VERIFY,
    }
    for code in actor.role_codes():
        granted |= ROLE_CAPABILITIES.get(Role(code), frozenset())
    return frozenset(granted)


def has_capability(actor: Any, capability: Capability) -> bool:
    if capability == Capability.PUBLIC:
        return True
    if not isinstance(actor, Practitioner):
        return False
    return capability in capabilities_of(actor)
