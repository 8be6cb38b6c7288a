"""``access_<entity>(actor, id, need=...)``: the only way interfaces obtain a record.

Each raises the same ``NotFound`` whether the record is missing, the id is malformed, or the actor
may not see it, so nobody can learn that a record exists by probing. Reads of person-identifiable
records (people, cases, items) are appended to the ledger in the same transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.db import models, transaction
from django.db.models import Q

from safeshare.access import rules
from safeshare.access.capabilities import Capability
from safeshare.access.policy import can, has_capability, may_prove_ledger_entry
from safeshare.agencies.models import (
    Agency,
    ApiToken,
    InformationSharingAgreement,
    Practitioner,
)
from safeshare.cases.models import Case, InformationItem
from safeshare.cases.selectors import case_detail_queryset
from safeshare.consent.models import Consent
from safeshare.core import clock
from safeshare.core.exceptions import NotFound
from safeshare.decisions.models import SharingDecision
from safeshare.disclosures.models import (
    CorrectionNotice,
    Disclosure,
    InformationRequest,
    InformTask,
    ItemCorrection,
    RecallRequest,
)
from safeshare.disclosures.selectors import disclosure_detail_queryset
from safeshare.ledger.events import Event
from safeshare.ledger.models import LedgerEntry
from safeshare.ledger.services import Subject, ledger_append, ledger_append_many
from safeshare.oversight.selectors import RECORD_READS
from safeshare.people.models import Address, Person
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


# --- Oversight of the ledger ---------------------------------------------------------------------


def _get_held(
    queryset: models.QuerySet[M],
    raw_id: Any,
    actor: Any,
    need: Capability,
    rule: Callable[[Practitioner], Q],
) -> M:
    """Like ``_get`` but with an explicit row rule (records held by the actor's own agency)."""
    pk = _parse_id(raw_id)
    if not has_capability(actor, need):
        raise NotFound()
    found = queryset.filter(rule(actor), pk=pk).first()
    if found is None:
        raise NotFound()
    return found


@transaction.atomic
def access_case_history(actor: Practitioner, case_id: Any, *, shown: str = "all") -> Case:
    """A case held by the actor's agency, to list who has seen or changed it
    (RECORD_ACCESS_VIEW). Looking at the list is itself a recorded read."""
    queryset = Case.objects.select_related("agency", "subject")
    case = _get_held(queryset, case_id, actor, Capability.RECORD_ACCESS_VIEW, rules.held_case_rule)
    ledger_append(
        event=Event.RECORD_ACCESS_VIEWED,
        actor=actor,
        subject=Subject(person_id=case.subject_id, case_id=case.pk),
        obj=case,
        details={"shown": shown},
    )
    return case


@transaction.atomic
def access_person_history(actor: Practitioner, person_id: Any, *, shown: str = "all") -> Person:
    """A person held by the actor's agency, to list who has seen or changed their record
    (RECORD_ACCESS_VIEW). Looking at the list is itself a recorded read."""
    queryset = Person.objects.select_related("agency")
    person = _get_held(
        queryset, person_id, actor, Capability.RECORD_ACCESS_VIEW, rules.held_person_rule
    )
    ledger_append(
        event=Event.RECORD_ACCESS_VIEWED,
        actor=actor,
        subject=Subject(person_id=person.pk),
        obj=person,
        details={"shown": shown},
    )
    return person


@transaction.atomic
def access_person_for_subject_access(
    actor: Practitioner, person_id: Any, *, export_format: str
) -> Person:
    """A person held by the actor's agency, for a subject access request export (SAR_EXPORT).
    Each export (page, JSON, CSV, API) is recorded with its format."""
    queryset = Person.objects.select_related("agency")
    person = _get_held(queryset, person_id, actor, Capability.SAR_EXPORT, rules.held_person_rule)
    ledger_append(
        event=Event.SUBJECT_ACCESS_EXPORTED,
        actor=actor,
        subject=Subject(person_id=person.pk),
        obj=person,
        details={"format": export_format},
    )
    return person


@transaction.atomic
def access_flagged_read(actor: Practitioner, entry_id: Any) -> LedgerEntry:
    """A read of a record the actor may review (ACCESS_REVIEW: by their agency's practitioners
    or of their agency's records), by its entry id. Opening it is a recorded read."""
    pk = _parse_id(entry_id)
    if not has_capability(actor, Capability.ACCESS_REVIEW):
        raise NotFound()
    entry = (
        LedgerEntry.objects.filter(
            rules.reviewable_read_rule(actor),
            entry_id=pk,
            event_code__in=[int(event) for event in RECORD_READS],
        )
        .order_by()
        .first()
    )
    if entry is None:
        raise NotFound()
    ledger_append(
        event=Event.ACCESS_REVIEW_VIEWED,
        actor=actor,
        subject=Subject(person_id=entry.subject_person_id, case_id=entry.subject_case_id),
        details={"entry": str(entry.entry_id)},
    )
    return entry


def _subjects_of(
    records: Iterable[tuple[uuid.UUID | None, uuid.UUID | None]],
) -> list[tuple[Subject, models.Model | None]]:
    """One subject per distinct (person, case) pair, in the order first shown."""
    seen: dict[tuple[uuid.UUID | None, uuid.UUID | None], tuple[Subject, None]] = {}
    for person_id, case_id in records:
        seen.setdefault((person_id, case_id), (Subject(person_id=person_id, case_id=case_id), None))
    return list(seen.values())


@transaction.atomic
def record_notifications_read(
    *, actor: Practitioner, records: Iterable[tuple[uuid.UUID | None, uuid.UUID | None]]
) -> None:
    """A notification names a child and a case: one read per record (person, case) shown."""
    ledger_append_many(
        event=Event.NOTIFICATIONS_VIEWED, actor=actor, subjects=_subjects_of(records)
    )


@transaction.atomic
def record_access_review_read(
    *, actor: Practitioner, records: Iterable[tuple[uuid.UUID | None, uuid.UUID | None]]
) -> None:
    """The review queue names children and cases: one read per record (person, case) shown."""
    ledger_append_many(
        event=Event.ACCESS_REVIEW_VIEWED, actor=actor, subjects=_subjects_of(records)
    )


@transaction.atomic
def access_ledger_entry(
    actor: Practitioner, entry_id: Any, *, need: Capability = Capability.LEDGER_PROVE
) -> LedgerEntry:
    """A ledger entry (by its ``entry_id``) the actor may prove; the read is recorded."""
    key = _parse_id(entry_id)
    if not has_capability(actor, need):
        raise NotFound()
    entry = LedgerEntry.objects.filter(entry_id=key).first()
    if entry is None or not may_prove_ledger_entry(actor, entry):
        raise NotFound()
    ledger_append(
        event=Event.LEDGER_ENTRY_PROVED,
        actor=actor,
        subject=Subject(person_id=entry.subject_person_id, case_id=entry.subject_case_id),
        obj=entry,
        details={"need": str(need)},
    )
    return entry


# --- Requests and disclosures --------------------------------------------------------------------


def _request_subject(request: InformationRequest) -> Subject:
    case_id = request.matched_case_id
    person_id = request.matched_case.subject_id if request.matched_case is not None else None
    return Subject(person_id=person_id, case_id=case_id)


@transaction.atomic
def access_request(
    actor: Practitioner, request_id: Any, *, need: Capability = Capability.REQUEST_VIEW
) -> InformationRequest:
    """An information request the actor may see (it identifies a child: the read is recorded)."""
    queryset = InformationRequest.objects.select_related(
        "requesting_agency",
        "requested_by",
        "receiving_agency",
        "assigned_to",
        "matched_case",
        "reconsideration_of",
    )
    request = _get_held(queryset, request_id, actor, need, rules.request_rule)
    ledger_append(
        event=Event.REQUEST_VIEWED,
        actor=actor,
        subject=_request_subject(request),
        obj=request,
        purpose=request.purpose,
        details={"need": str(need)},
    )
    return request


@transaction.atomic
def access_disclosure(
    actor: Practitioner, disclosure_id: Any, *, need: Capability = Capability.DISCLOSURE_VIEW
) -> Disclosure:
    """A disclosure's details (who, when, why, its state), not its content."""
    disclosure = _get_held(
        disclosure_detail_queryset(), disclosure_id, actor, need, rules.disclosure_rule
    )
    ledger_append(
        event=Event.DISCLOSURE_VIEWED,
        actor=actor,
        subject=Subject(person_id=disclosure.case.subject_id, case_id=disclosure.case_id),
        obj=disclosure,
        purpose=disclosure.purpose,
        details={"need": str(need)},
    )
    return disclosure


@transaction.atomic
def access_disclosure_content(actor: Practitioner, disclosure_id: Any) -> Disclosure:
    """A disclosure whose content the actor may read now: its named recipient while it is
    neither revoked nor expired, or the sharing agency. Anything else is the same NotFound."""
    disclosure = _get_held(
        disclosure_detail_queryset(),
        disclosure_id,
        actor,
        Capability.DISCLOSURE_VIEW,
        lambda who: rules.disclosure_content_rule(who, at=clock.now()),
    )
    ledger_append(
        event=Event.DISCLOSURE_CONTENT_VIEWED,
        actor=actor,
        subject=Subject(person_id=disclosure.case.subject_id, case_id=disclosure.case_id),
        obj=disclosure,
        purpose=disclosure.purpose,
        details={"recipient": disclosure.recipient_id == actor.pk},
    )
    return disclosure


@transaction.atomic
def record_disclosure_preview(*, actor: Practitioner, case: Case, purpose: str) -> None:
    """A preview shows the child's information as it would be shared: a recorded read."""
    ledger_append(
        event=Event.DISCLOSURE_PREVIEWED,
        actor=actor,
        subject=Subject(person_id=case.subject_id, case_id=case.pk),
        obj=case,
        purpose=purpose,
    )


@transaction.atomic
def record_disclosure_list_read(*, actor: Practitioner, disclosures: list[Disclosure]) -> None:
    """A list of disclosures names each child: one read per disclosure shown."""
    ledger_append_many(
        event=Event.DISCLOSURE_LISTED,
        actor=actor,
        subjects=[
            (Subject(person_id=d.case.subject_id, case_id=d.case_id), d) for d in disclosures
        ],
    )


@transaction.atomic
def record_request_list_read(*, actor: Practitioner, requests: list[InformationRequest]) -> None:
    """A list of requests identifies children: one read per request shown."""
    ledger_append_many(
        event=Event.REQUEST_VIEWED,
        actor=actor,
        subjects=[(_request_subject(r), r) for r in requests],
    )


def access_recipient(actor: Practitioner, practitioner_id: Any) -> Practitioner:
    """An active practitioner of another agency, named as the recipient of a disclosure
    (DISCLOSURE_ISSUE). Whether they are entitled to receive is the service's rule."""
    pk = _parse_id(practitioner_id)
    if not has_capability(actor, Capability.DISCLOSURE_ISSUE):
        raise NotFound()
    found = (
        Practitioner.objects.select_related("agency")
        .filter(pk=pk, is_active=True)
        .exclude(agency_id=actor.agency_id)
        .first()
    )
    if found is None:
        raise NotFound()
    return found


@transaction.atomic
def access_address(
    actor: Practitioner, address_id: Any, *, need: Capability = Capability.PERSON_VIEW
) -> Address:
    """An address of a person the actor may see (addresses follow their person); recorded."""
    pk = _parse_id(address_id)
    if not has_capability(actor, need):
        raise NotFound()
    address = (
        Address.objects.select_related("person")
        .filter(pk=pk, person__in=Person.objects.filter(rules.person_rule(actor)).values("pk"))
        .first()
    )
    if address is None:
        raise NotFound()
    ledger_append(
        event=Event.PERSON_VIEWED,
        actor=actor,
        subject=Subject(person_id=address.person_id),
        obj=address,
        details={"need": str(need)},
    )
    return address


# --- PDF export, after sharing, chronology -------------------------------------------------------


@transaction.atomic
def access_disclosure_pdf(actor: Practitioner, disclosure_id: Any) -> Disclosure:
    """A disclosure its named recipient may take as a PDF: only while it is neither revoked nor
    expired (the same NotFound otherwise, for everyone else too). The export is a recorded
    read."""
    disclosure = _get_held(
        disclosure_detail_queryset(),
        disclosure_id,
        actor,
        Capability.DISCLOSURE_VIEW,
        lambda who: rules.disclosure_content_rule(who, at=clock.now()) & Q(recipient=who),
    )
    ledger_append(
        event=Event.DISCLOSURE_PDF_EXPORTED,
        actor=actor,
        subject=Subject(person_id=disclosure.case.subject_id, case_id=disclosure.case_id),
        obj=disclosure,
        purpose=disclosure.purpose,
    )
    return disclosure


def _case_subject(case: Case) -> Subject:
    return Subject(person_id=case.subject_id, case_id=case.pk)


@transaction.atomic
def access_inform_task(
    actor: Practitioner, task_id: Any, *, need: Capability = Capability.DISCLOSURE_ISSUE
) -> InformTask:
    """A task to tell the individual, of the actor's agency on a case they may see; recorded."""
    queryset = InformTask.objects.select_related("case", "case__subject", "decision", "agency")
    task = _get_held(queryset, task_id, actor, need, rules.inform_task_rule)
    ledger_append(
        event=Event.CASE_VIEWED,
        actor=actor,
        subject=_case_subject(task.case),
        obj=task,
        details={"need": str(need)},
    )
    return task


@transaction.atomic
def access_item_correction(
    actor: Practitioner, correction_id: Any, *, need: Capability = Capability.DISCLOSURE_ISSUE
) -> ItemCorrection:
    """A correction or retraction issued by the actor's agency, to follow its notices."""
    queryset = ItemCorrection.objects.select_related("item__case__subject", "issued_by")
    correction = _get_held(queryset, correction_id, actor, need, rules.item_correction_rule)
    ledger_append(
        event=Event.ITEM_VIEWED,
        actor=actor,
        subject=_case_subject(correction.item.case),
        obj=correction,
        details={"need": str(need)},
    )
    return correction


@transaction.atomic
def access_correction_notice(
    actor: Practitioner, notice_id: Any, *, need: Capability = Capability.DISCLOSURE_VIEW
) -> CorrectionNotice:
    """A notice of a correction: its recipient while the disclosure may be read, or the sharing
    agency. It carries the corrected words: a recorded read of the disclosure."""
    queryset = CorrectionNotice.objects.select_related(
        "correction", "correction__issued_by", "disclosure__case", "disclosure__recipient"
    )
    notice = _get_held(
        queryset,
        notice_id,
        actor,
        need,
        lambda who: rules.correction_notice_rule(who, at=clock.now()),
    )
    ledger_append(
        event=Event.DISCLOSURE_CONTENT_VIEWED,
        actor=actor,
        subject=_case_subject(notice.disclosure.case),
        obj=notice.disclosure,
        purpose=notice.disclosure.purpose,
        details={"recipient": notice.disclosure.recipient_id == actor.pk},
    )
    return notice


@transaction.atomic
def access_recall_request(
    actor: Practitioner, recall_request_id: Any, *, need: Capability = Capability.DISCLOSURE_VIEW
) -> RecallRequest:
    """A request to delete what was shared: its recipient, or the sharing agency; recorded."""
    queryset = RecallRequest.objects.select_related(
        "recall", "disclosure__case", "disclosure__recipient", "disclosure__recipient_agency"
    )
    request = _get_held(queryset, recall_request_id, actor, need, rules.recall_request_rule)
    ledger_append(
        event=Event.DISCLOSURE_VIEWED,
        actor=actor,
        subject=_case_subject(request.disclosure.case),
        obj=request.disclosure,
        purpose=request.disclosure.purpose,
        details={"need": str(need), "recall_request": str(request.pk)},
    )
    return request


@transaction.atomic
def record_chronology_received_read(
    *, actor: Practitioner, disclosures: Iterable[Disclosure]
) -> None:
    """A chronology showing received items reads what each disclosure shared: one recorded read
    per disclosure shown, about the sharing agency's child and case (so they can see it)."""
    ledger_append_many(
        event=Event.CHRONOLOGY_RECEIVED_VIEWED,
        actor=actor,
        subjects=[(_case_subject(d.case), d) for d in disclosures],
    )
