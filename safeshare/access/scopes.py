"""``<entities>_visible_to(actor)``: querysets filtered by the same rules as ``can()``."""

from __future__ import annotations

from django.db.models import QuerySet

from safeshare.access import rules
from safeshare.agencies.models import (
    Agency,
    ApiToken,
    InformationSharingAgreement,
    Practitioner,
)
from safeshare.cases.models import Case, InformationItem
from safeshare.consent.models import Consent
from safeshare.decisions.models import SharingDecision
from safeshare.people.models import Person


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
