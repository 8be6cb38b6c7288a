"""Capabilities, and which roles hold them. The only role-to-permission table in SafeShare.

A capability says what kind of thing an actor may do at all; the rules in ``rules.py`` then say
which records they may do it to (agency isolation, legitimate relationship).
"""

from __future__ import annotations

from enum import StrEnum

from safeshare.agencies.models import Role


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


# Capabilities every signed-in practitioner has regardless of role.
_EVERYONE = frozenset({Capability.SIGNED_IN, Capability.API_TOKEN_MANAGE, Capability.AGENCY_VIEW})

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
    Role.DSL: _CASEWORK | {Capability.DECISION_APPROVE},
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
