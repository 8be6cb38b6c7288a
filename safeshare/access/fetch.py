"""``access_<entity>(actor, id, need=...)``: the only way interfaces obtain a record.

Each raises the same ``NotFound`` whether the record is missing, the id is malformed, or the actor
may not see it, so nobody can learn that a record exists by probing. Reads of person-identifiable
records (people, cases, items) are appended to the ledger in the same transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import models, transaction
from django.db.models import Q

from safeshare.access import rules
from safeshare.access.capabilities import Capability
from safeshare.access.policy import can, has_capability
from safeshare.agencies.models import (
    Agency,
    ApiToken,
    InformationSharingAgreement,
    Practitioner,
)
from safeshare.cases.models import Case, InformationItem
from safeshare.cases.selectors import case_detail_queryset
from safeshare.consent.models import Consent
from safeshare.core.exceptions import NotFound
from safeshare.decisions.models import SharingDecision
from safeshare.ledger.events import Event
from safeshare.ledger.services import Subject, ledger_append, ledger_append_many
from safeshare.people.models import Person
from safeshare.people.selectors import person_detail_queryset

M = TypeVar("M", bound=models.Model)


def _parse_id(raw: Any) -> uuid.UUID:
    try:
        return raw if isinstance(raw, uuid.UUID) else uuid.UUID(str(raw))
    except (TypeError, ValueError, AttributeError) as exc:
        raise NotFound() from exc


# Records whose visibility is a row rule: fetched in one query through the same filter as scopes.
_ROW_RULES: dict[type[models.Model], Callable[[Practitioner], Q]] = {
    Case: rules.case_rule,
    InformationItem: rules.item_rule,
    Person: rules.person_rule,
    Consent: rules.consent_rule,
    Agency: rules.agency_rule,
    SharingDecision: rules.decision_rule,
    Practitioner: rules.practitioner_rule,
    ApiToken: rules.api_token_rule,
}


def _get(queryset: models.QuerySet[M], raw_id: Any, actor: Any, need: Capability) -> M:
    pk = _parse_id(raw_id)
    if not has_capability(actor, need):
        raise NotFound()
    rule = _ROW_RULES.get(queryset.model)
    if rule is not None:
        found = queryset.filter(rule(actor), pk=pk).first()
    else:
        found = queryset.filter(pk=pk).first()
        found = found if found is not None and can(actor, need, found) else None
    if found is None:
        raise NotFound()
    return found


@transaction.atomic
def access_case(
    actor: Practitioner, case_id: Any, *, need: Capability = Capability.CASE_VIEW, purpose: str = ""
) -> Case:
    # Viewing or editing a case shows it whole; recording something in it needs only the row.
    shown_whole = need in (Capability.CASE_VIEW, Capability.CASE_EDIT)
    queryset = (
        case_detail_queryset() if shown_whole else Case.objects.select_related("agency", "subject")
    )
    case = _get(queryset, case_id, actor, need)
    ledger_append(
        event=Event.CASE_VIEWED,
        actor=actor,
        subject=Subject(person_id=case.subject_id, case_id=case.pk),
        obj=case,
        purpose=purpose,
        details={"need": str(need)},
    )
    return case


@transaction.atomic
def access_item(
    actor: Practitioner,
    item_id: Any,
    *,
    need: Capability = Capability.ITEM_VIEW,
    purpose: str = "",
) -> InformationItem:
    queryset = InformationItem.objects.select_related("case", "case__subject", "recorded_by")
    item = _get(queryset, item_id, actor, need)
    ledger_append(
        event=Event.ITEM_VIEWED,
        actor=actor,
        subject=Subject(person_id=item.case.subject_id, case_id=item.case_id),
        obj=item,
        purpose=purpose,
        details={"need": str(need)},
    )
    return item


@transaction.atomic
def access_person(
    actor: Practitioner,
    person_id: Any,
    *,
    need: Capability = Capability.PERSON_VIEW,
    purpose: str = "",
) -> Person:
    person = _get(person_detail_queryset(), person_id, actor, need)
    ledger_append(
        event=Event.PERSON_VIEWED,
        actor=actor,
        subject=Subject(person_id=person.pk),
        obj=person,
        purpose=purpose,
        details={"need": str(need)},
    )
    return person


@transaction.atomic
def access_consent(
    actor: Practitioner,
    consent_id: Any,
    *,
    need: Capability = Capability.CONSENT_VIEW,
    purpose: str = "",
) -> Consent:
    queryset = Consent.objects.select_related(
        "person", "agency", "recorded_by", "withdrawn_by"
    ).prefetch_related("recipient_agencies")
    consent = _get(queryset, consent_id, actor, need)
    ledger_append(
        event=Event.CONSENT_VIEWED,
        actor=actor,
        subject=Subject(person_id=consent.person_id),
        obj=consent,
        purpose=purpose,
        details={"need": str(need)},
    )
    return consent


def access_practitioner(
    actor: Practitioner, practitioner_id: Any, *, need: Capability = Capability.PRACTITIONER_VIEW
) -> Practitioner:
    queryset = Practitioner.objects.select_related("agency").prefetch_related("role_assignments")
    return _get(queryset, practitioner_id, actor, need)


def access_agency(
    actor: Practitioner, agency_id: Any, *, need: Capability = Capability.AGENCY_VIEW
) -> Agency:
    return _get(Agency.objects.all(), agency_id, actor, need)


def access_agreement(
    actor: Practitioner, agreement_id: Any, *, need: Capability = Capability.AGREEMENT_VIEW
) -> InformationSharingAgreement:
    queryset = InformationSharingAgreement.objects.select_related("owner").prefetch_related(
        "parties", "signatures__agency", "signatures__signatory"
    )
    return _get(queryset, agreement_id, actor, need)


def access_api_token(
    actor: Practitioner, token_id: Any, *, need: Capability = Capability.API_TOKEN_MANAGE
) -> ApiToken:
    return _get(ApiToken.objects.all(), token_id, actor, need)


@transaction.atomic
def record_case_list_read(*, actor: Practitioner, cases: list[Case], purpose: str = "") -> None:
    """A list or search result shows each child's name: record one read per case shown."""
    ledger_append_many(
        event=Event.CASE_LISTED,
        actor=actor,
        subjects=[(Subject(person_id=c.subject_id, case_id=c.pk), c) for c in cases],
        purpose=purpose,
    )


@transaction.atomic
def record_person_list_read(
    *, actor: Practitioner, people: list[Person], purpose: str = ""
) -> None:
    ledger_append_many(
        event=Event.PERSON_LISTED,
        actor=actor,
        subjects=[(Subject(person_id=p.pk), p) for p in people],
        purpose=purpose,
    )


@transaction.atomic
def record_practitioner_list_read(
    *, actor: Practitioner, practitioners: list[Practitioner]
) -> None:
    """Staff lists are personal data too: one entry for the page, naming who was shown."""
    ledger_append(
        event=Event.PRACTITIONER_LIST_VIEWED,
        actor=actor,
        details={"shown": sorted(str(p.pk) for p in practitioners)},
    )


@transaction.atomic
def access_decision(
    actor: Practitioner,
    decision_id: Any,
    *,
    need: Capability = Capability.DECISION_VIEW,
) -> SharingDecision:
    queryset = SharingDecision.objects.select_related(
        "case", "case__subject", "decided_by", "recipient_agency", "consent", "supersedes"
    )
    decision = _get(queryset, decision_id, actor, need)
    ledger_append(
        event=Event.DECISION_VIEWED,
        actor=actor,
        subject=Subject(person_id=decision.case.subject_id, case_id=decision.case_id),
        obj=decision,
        purpose=decision.purpose,
        details={"need": str(need)},
    )
    return decision
