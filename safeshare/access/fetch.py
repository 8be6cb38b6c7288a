"""``access_<entity>(actor, id, need=...)``: the only way interfaces obtain a record.

Each raises the same ``NotFound`` whether the record is missing, the id is malformed, or the actor
may not see it, so nobody can learn that a record exists by probing. Reads of person-identifiable
records (people, cases, items) are appended to the ledger in the same transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import models, transaction
from django.db.models import Q

from safeshare.access import rules, scopes
from safeshare.access.capabilities import Capability
from safeshare.access.policy import (
    can,
    has_capability,
    may_prove_ledger_entry,
    may_see_match_details,
)
from safeshare.access.scopes import mash_officers_for, mash_partner_agencies_for
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
from safeshare.linkage.models import CandidatePair, LinkageModel
from safeshare.linkage.scoring import ComparisonResult
from safeshare.linkage.search import IdentityMatch, identity_search, pointer_agencies
from safeshare.linkage.selectors import candidate_pair_get, linkage_model_list
from safeshare.mash.models import MashContact
from safeshare.mash.selectors import contact_detail_queryset
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
        found = _one(queryset.filter(rule(actor), pk=pk))
    else:
        found = _one(queryset.filter(pk=pk))
        found = found if found is not None and can(actor, need, found) else None
    if found is None:
        raise NotFound()
    return found


def _one(queryset: models.QuerySet[M]) -> M | None:
    """The row of a queryset filtered by primary key, or None. Unlike ``first()`` it asks for no
    ordering (there is one row at most), which the ORM would otherwise build on every fetch."""
    return next(iter(queryset.order_by()[:1]), None)


def access_case(
    actor: Practitioner,
    case_id: Any,
    *,
    need: Capability = Capability.CASE_VIEW,
    purpose: str = "",
    row_only: bool = False,
) -> Case:
    """The case, if ``actor`` may exercise ``need`` on it (else NotFound); the read is recorded.

    ``row_only``: the case row alone, without its agency and subject, for a write that needs
    only the case's ids (recording a decision through the API); the check and the ledger entry
    are the same.
    """
    # Viewing or editing a case shows it whole; recording something in it needs only the row.
    shown_whole = need in (Capability.CASE_VIEW, Capability.CASE_EDIT)
    if row_only:
        queryset = Case.objects.all()
    elif shown_whole:
        queryset = case_detail_queryset()
    else:
        queryset = Case.objects.select_related("agency", "subject")
    case = _get(queryset, case_id, actor, need)
    # The read is recorded in the caller's transaction when there is one, without a savepoint
    # of its own (nothing here is caught and retried: a failed append fails the caller's
    # transaction), else in a transaction of its own.
    with transaction.atomic(savepoint=False):
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


def _content_rule(who: Practitioner, *, recipient_step: bool) -> Q:
    rule = rules.disclosure_content_rule(who, at=clock.now())
    if recipient_step:
        # At the recipient agency the named recipient alone takes the recipient's steps.
        rule &= Q(recipient=who) | ~Q(recipient_agency_id=who.agency_id)
    return rule


@transaction.atomic
def access_disclosure_content(
    actor: Practitioner, disclosure_id: Any, *, recipient_step: bool = False
) -> Disclosure:
    """A disclosure whose content the actor may read now: at the recipient agency whoever
    ``rules.received_disclosure_rule`` allows (the named recipient, its DSLs, practitioners
    allocated to a case it was added to) while it is neither revoked, recalled nor expired; the
    sharing agency always. ``recipient_step``: for a page where the recipient acts on it (adding
    it to a case), the recipient's colleagues who may read it get the NotFound too. Anything else
    is the same NotFound."""
    disclosure = _get_held(
        disclosure_detail_queryset(),
        disclosure_id,
        actor,
        Capability.DISCLOSURE_VIEW,
        lambda who: _content_rule(who, recipient_step=recipient_step),
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
    """An address of a person the actor may see (addresses follow their person; a protected one
    is withheld from anyone recorded as an alleged perpetrator, ``rules.address_rule``);
    recorded."""
    pk = _parse_id(address_id)
    if not has_capability(actor, need):
        raise NotFound()
    address = (
        Address.objects.select_related("person").filter(rules.address_rule(actor), pk=pk).first()
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


# --- MASH triage ----------------------------------------------------------------------------------


@transaction.atomic
def access_mash_contact(
    actor: Practitioner, contact_id: Any, *, need: Capability = Capability.MASH_VIEW
) -> MashContact:
    """A contact of the actor's hub (MASH_VIEW to read, MASH_TRIAGE to work it); the same
    NotFound for another agency's contact. It identifies a child: the read is recorded."""
    contact = _get_held(contact_detail_queryset(), contact_id, actor, need, rules.mash_contact_rule)
    ledger_append(
        event=Event.MASH_CONTACT_VIEWED,
        actor=actor,
        subject=Subject(person_id=contact.person_id),
        obj=contact,
        purpose="mash_triage",
        details={"need": str(need)},
    )
    return contact


@transaction.atomic
def record_mash_contact_list_read(*, actor: Practitioner, contacts: list[MashContact]) -> None:
    """A list of contacts names each child: one read per contact shown."""
    ledger_append_many(
        event=Event.MASH_CONTACT_LISTED,
        actor=actor,
        subjects=[(Subject(person_id=c.person_id), c) for c in contacts],
        purpose="mash_triage",
    )


@transaction.atomic
def record_mash_dashboard_read(*, actor: Practitioner) -> None:
    """The timescales dashboard (counts only) is recorded as looked at."""
    ledger_append(event=Event.MASH_DASHBOARD_VIEWED, actor=actor, purpose="mash_triage")


def access_mash_partner_agency(actor: Practitioner, agency_id: Any) -> Agency:
    """An agency a MASH officer may send an enquiry to (MASH_TRIAGE; not their own)."""
    pk = _parse_id(agency_id)
    found = mash_partner_agencies_for(actor).filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


def access_mash_officer(actor: Practitioner, practitioner_id: Any) -> Practitioner:
    """A MASH officer of the actor's hub, to assign a contact to (MASH_TRIAGE)."""
    pk = _parse_id(practitioner_id)
    found = mash_officers_for(actor).filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


# --- Identity linkage: the clerical review queue ------------------------------------------------


@transaction.atomic
def access_candidate_pair(actor: Practitioner, pair_id: Any) -> CandidatePair:
    """A pair in clerical review, shown side by side (LINK_REVIEW: MASH officers). Showing it
    reads both agencies' records of the person, so each is recorded."""
    pk = _parse_id(pair_id)
    if not has_capability(actor, Capability.LINK_REVIEW):
        raise NotFound()
    pair = candidate_pair_get(pk=pk)
    if pair is None:
        raise NotFound()
    ledger_append_many(
        event=Event.LINK_CANDIDATE_VIEWED,
        actor=actor,
        subjects=[
            (Subject(person_id=pair.person_a_id), pair),
            (Subject(person_id=pair.person_b_id), pair),
        ],
    )
    return pair


@transaction.atomic
def record_review_queue_read(*, actor: Practitioner, shown: int) -> None:
    """The queue lists agencies and probabilities (no names): one entry for the look."""
    ledger_append(event=Event.LINK_REVIEW_QUEUE_VIEWED, actor=actor, details={"shown": shown})


# --- Identity search and the pointer index --------------------------------------------------------


@dataclass(frozen=True)
class OwnRecord:
    """A record of a search result held by the searcher's own agency."""

    person: Person
    may_view: bool  # link to the person's page


@dataclass(frozen=True)
class MatchDetails:
    """The best match's identifying details, for MASH officers (``may_see_match_details``)."""

    name: str
    date_of_birth: str
    sex: str
    postcode_district: str
    agency_name: str


@dataclass(frozen=True)
class SearchResult:
    """One identity search result as the searcher may see it."""

    key: str
    match_probability: float
    reasons: tuple[ComparisonResult, ...]
    own_records: tuple[OwnRecord, ...]
    details: MatchDetails | None


def _own_records(actor: Practitioner, matches: list[IdentityMatch]) -> dict[str, list[Person]]:
    identity_ids = [m.identity_id for m in matches if m.identity_id]
    unlinked = [m.person_id for m in matches if not m.identity_id]
    own = Person.objects.filter(agency_id=actor.agency_id).filter(
        Q(identity_link__identity_id__in=identity_ids) | Q(pk__in=unlinked)
    )
    by_key: dict[str, list[Person]] = {}
    for person in own.select_related("identity_link").order_by("family_name", "given_name"):
        link = getattr(person, "identity_link", None)
        key = str(link.identity_id) if link is not None else str(person.pk)
        by_key.setdefault(key, []).append(person)
    return by_key


def _match_details(matches: list[IdentityMatch]) -> dict[str, MatchDetails]:
    people = Person.objects.filter(pk__in=[m.person_id for m in matches]).select_related("agency")
    by_id = {person.pk: person for person in people}
    details: dict[str, MatchDetails] = {}
    for match in matches:
        person = by_id.get(match.person_id)
        if person is None:
            continue
        details[match.key] = MatchDetails(
            name=person.display_name,
            date_of_birth=person.date_of_birth_display,
            sex=person.get_sex_display(),
            postcode_district=match.postcode_district or "Not known",
            agency_name=person.agency.name,
        )
    return details


@transaction.atomic
def access_identity_search(actor: Practitioner, **query: Any) -> list[SearchResult]:
    """Search identities (IDENTITY_SEARCH) and show each result as the actor may see it: the
    match probability and reasons to everyone; the actor's own agency's records of the identity
    (linked when they may view them); the best match's identifying details to MASH officers
    only. Nobody sees another agency's records otherwise. The search service records the
    search; each record whose details are shown is recorded as listed (PERSON_LISTED)."""
    if not has_capability(actor, Capability.IDENTITY_SEARCH):
        raise NotFound()
    matches = identity_search(actor=actor, **query)
    own = _own_records(actor, matches)
    viewable = set(
        scopes.people_visible_to(actor)
        .filter(pk__in=[p.pk for people in own.values() for p in people])
        .values_list("pk", flat=True)
    )
    details = _match_details(matches) if may_see_match_details(actor) else {}
    shown = {p.pk for people in own.values() for p in people}
    shown |= {m.person_id for m in matches if m.key in details}
    ledger_append_many(
        event=Event.PERSON_LISTED,
        actor=actor,
        subjects=[(Subject(person_id=pk), None) for pk in sorted(shown)],
        details={"listed_in": "identity search"},
    )
    return [
        SearchResult(
            key=match.key,
            match_probability=match.match_probability,
            reasons=match.reasons,
            own_records=tuple(
                OwnRecord(person=p, may_view=p.pk in viewable) for p in own.get(match.key, [])
            ),
            details=details.get(match.key),
        )
        for match in matches
    ]


def _pointer_person(actor: Practitioner, person_id: Any) -> Person:
    pk = _parse_id(person_id)
    found = scopes.people_with_pointers_for(actor).filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


@transaction.atomic
def access_pointer_index(actor: Practitioner, person_id: Any) -> tuple[Person, list[Agency]]:
    """Which other agencies hold a record of the child (POINTER_VIEW, a legitimate relationship:
    else NotFound). The agencies only, never a record or its content. Recorded as a read."""
    person = _pointer_person(actor, person_id)
    agencies = pointer_agencies(person=person)
    ledger_append(
        event=Event.POINTER_INDEX_VIEWED,
        actor=actor,
        subject=Subject(person_id=person.pk),
        obj=person,
        details={"agencies": len(agencies)},
    )
    return person, agencies


def _pointer_to(actor: Practitioner, person_id: Any, agency_id: Any) -> tuple[Person, Agency]:
    """The child (as for the pointer index) and one agency its index lists; else NotFound."""
    person = _pointer_person(actor, person_id)
    pk = _parse_id(agency_id)
    agency = next((a for a in pointer_agencies(person=person) if a.pk == pk), None)
    if agency is None:
        raise NotFound()
    return person, agency


def access_pointer_agency(
    actor: Practitioner, person_id: Any, agency_id: Any
) -> tuple[Person, Agency]:
    """A pointer to ask: the child (as for the pointer index) and one agency the index lists,
    for someone who may make requests (REQUEST_CREATE). The same NotFound otherwise."""
    if not has_capability(actor, Capability.REQUEST_CREATE):
        raise NotFound()
    return _pointer_to(actor, person_id, agency_id)


def access_pointer_to_dispute(
    actor: Practitioner, person_id: Any, agency_id: Any
) -> tuple[Person, Agency]:
    """A pointer the actor says may be wrong: the child (as for the pointer index: POINTER_VIEW
    and a legitimate relationship) and one agency the index lists. The same NotFound otherwise."""
    return _pointer_to(actor, person_id, agency_id)


def access_linkage_model(actor: Practitioner, version: Any) -> LinkageModel:
    """A linkage model version, to put in use (LINKAGE_MANAGE). Holds no personal data."""
    if not has_capability(actor, Capability.LINKAGE_MANAGE):
        raise NotFound()
    try:
        number = int(version)
    except (TypeError, ValueError) as exc:
        raise NotFound() from exc
    found = linkage_model_list().filter(version=number).first()
    if found is None:
        raise NotFound()
    return found
