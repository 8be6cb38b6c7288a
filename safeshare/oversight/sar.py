"""Subject access request export: what was shared about a person, with whom, when and why.

Drawn from sources, each a function ``(person) -> list[SharedRecord]``. Today the one source is the
recorded sharing decisions about the person; the disclosures issue adds its disclosures as another
source in ``SOURCES`` and every format (page, JSON, CSV, API) picks them up unchanged.

Other people's details are withheld (UK GDPR Article 15(4); Data Protection Act 2018 Schedule 2
Part 3 paragraph 16): no other person's name, no practitioner's name or contact details (their role
and agency instead), and none of the free text practitioners wrote, since it often names or
describes family members and informants. The export says what was left out and why.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any, Final

from safeshare.agencies.models import Agency, AgencyType
from safeshare.consent.lawful_bases import UnknownLawfulBasis, lawful_basis
from safeshare.consent.models import EffectiveConsent
from safeshare.core import clock
from safeshare.core.vocabulary import SharingPurpose
from safeshare.core.workdays import UK
from safeshare.decisions.models import SHARING_OUTCOMES, DecisionOutcome, SharingDecision
from safeshare.ledger.events import Event
from safeshare.ledger.selectors import ledger_entries_for_person
from safeshare.oversight.labels import role_labels
from safeshare.people.models import Person

FORMAT_VERSION: Final = 1

WITHHELD: Final[tuple[str, ...]] = (
    "What was shared, in the practitioner's own words: it is free text and may name or describe "
    "other people (family members, people who gave information, other professionals).",
    "The reasons for each decision, advice given, why a decision differed from the "
    "recommendation, why a decision was reconsidered and comments made when approving it: free "
    "text, withheld for the same reason.",
    "Who the advice came from, and the names and contact details of practitioners: their role "
    "and agency are given instead.",
    "Information about anyone else, including other people in the same case.",
)
WITHHELD_WHY: Final = (
    "The law protects other people's information in a subject access response (UK GDPR Article "
    "15(4) and the Data Protection Act 2018, Schedule 2, Part 3). The free text was reviewed out "
    "of this export automatically, not read and redacted line by line: information governance "
    "can review it by hand and release what can safely be released."
)
NOT_INCLUDED: Final = (
    "Decisions not to share, decisions waiting for a manager's approval and decisions whose "
    "approval was declined are not listed: nothing was shared on them."
)


@dataclass(frozen=True)
class BasisLine:
    citation: str
    title: str
    explanation: str


@dataclass(frozen=True)
class SharedRecord:
    """One occasion on which information about the person was shared (or decided to be)."""

    source: str  # where this comes from, e.g. "Sharing decision"
    reference: str
    shared_on: dt.datetime
    shared_by: str  # agency
    decided_by_role: str  # role(s) of the practitioner who decided, never their name
    recipient: str  # agency
    recipient_type: str  # kind of agency
    purpose: str
    decision: str
    consent: str
    kinds_of_information: tuple[str, ...]
    lawful_basis: tuple[BasisLine, ...]
    approval: str
    person_to_be_told: bool


@dataclass(frozen=True)
class SubjectAccessExport:
    person: str
    date_of_birth: str
    held_by: str
    produced_at: dt.datetime
    produced_by: str  # the agency producing it
    records: tuple[SharedRecord, ...]
    withheld: tuple[str, ...] = WITHHELD
    withheld_why: str = WITHHELD_WHY
    not_included: str = NOT_INCLUDED
    sources: tuple[str, ...] = ()


Source = Callable[[Person], list[SharedRecord]]


def _basis_lines(basis: Any) -> tuple[BasisLine, ...]:
    lines = []
    for code in (basis or {}).values():
        if not code:
            continue
        try:
            entry = lawful_basis(str(code))
        except UnknownLawfulBasis:
            lines.append(BasisLine(citation=str(code), title="", explanation=""))
            continue
        lines.append(
            BasisLine(citation=entry.citation, title=entry.title, explanation=entry.explanation)
        )
    return tuple(lines)


def _kinds(facts: Any) -> tuple[str, ...]:
    facts = facts or {}
    kinds = ["Personal information"]
    if facts.get("special_category"):
        kinds.append("Special category information (such as health)")
    if facts.get("criminal_offence_data"):
        kinds.append("Information about offences or convictions")
    return tuple(kinds)


def _approval(decision: SharingDecision) -> str:
    if not decision.approval_required:
        return "Not needed: shared with consent"
    approval = decision.approval_or_none
    if approval is None:
        return "Awaiting approval"
    when = f"{approval.decided_at.astimezone(UK):%-d %B %Y}"
    return f"Approved by a designated safeguarding lead or manager on {when}"


def _agency_type(agency: Agency | None) -> str:
    if agency is None:
        return ""
    if agency.agency_type in AgencyType.values:
        return str(AgencyType(agency.agency_type).label)
    return agency.agency_type


def _label(choices: Any, value: str) -> str:
    return str(choices(value).label) if value in choices.values else value


def shared_by_decisions(person: Person) -> list[SharedRecord]:
    """Recorded decisions to share about ``person`` as the subject child, on which information
    was shared: approval not needed, or given. Three queries."""
    decisions = (
        SharingDecision.objects.filter(
            case__subject=person, outcome__in=[str(o) for o in SHARING_OUTCOMES]
        )
        .select_related("agency", "recipient_agency", "approval")
        .order_by("decided_at")
    )
    deciders = dict(
        ledger_entries_for_person(person_id=person.pk)
        .filter(event_code=int(Event.DECISION_RECORDED))
        .values_list("object_id", "actor_roles")
    )
    records = []
    for decision in decisions:
        approval = decision.approval_or_none
        if decision.approval_required and (approval is None or not approval.approved):
            continue
        records.append(
            SharedRecord(
                source="Sharing decision",
                reference=str(decision.pk),
                shared_on=decision.decided_at,
                shared_by=decision.agency.name,
                decided_by_role=" and ".join(role_labels(deciders.get(str(decision.pk), ""))),
                recipient=decision.recipient_agency.name if decision.recipient_agency else "",
                recipient_type=_agency_type(decision.recipient_agency),
                purpose=_label(SharingPurpose, decision.purpose),
                decision=_label(DecisionOutcome, decision.outcome),
                consent=_label(EffectiveConsent, decision.consent_state),
                kinds_of_information=_kinds(decision.facts),
                lawful_basis=_basis_lines(decision.lawful_basis),
                approval=_approval(decision),
                person_to_be_told=decision.individual_to_be_told,
            )
        )
    return records


# Every source of shared records, in order. The disclosures issue appends its own.
SOURCES: list[tuple[str, Source]] = [("Recorded sharing decisions", shared_by_decisions)]


def subject_access_export(*, person: Person, produced_by: Agency) -> SubjectAccessExport:
    """Everything the sources hold about what was shared about ``person``, oldest first."""
    records = [record for _, source in SOURCES for record in source(person)]
    records.sort(key=lambda record: record.shared_on)
    return SubjectAccessExport(
        person=person.display_name,
        date_of_birth=person.date_of_birth_display,
        held_by=person.agency.name,
        produced_at=clock.now(),
        produced_by=produced_by.name,
        records=tuple(records),
        sources=tuple(name for name, _ in SOURCES),
    )


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    return value


def export_mapping(export: SubjectAccessExport) -> dict[str, Any]:
    """The export as plain JSON-able data (datetimes as ISO 8601 text)."""
    mapping: dict[str, Any] = _jsonable(asdict(export))
    mapping["format_version"] = FORMAT_VERSION
    return mapping


def export_json(export: SubjectAccessExport) -> str:
    return json.dumps(export_mapping(export), indent=2, ensure_ascii=False)


CSV_COLUMNS: Final[tuple[str, ...]] = (
    "shared_on",
    "source",
    "reference",
    "shared_by",
    "decided_by_role",
    "recipient",
    "recipient_type",
    "purpose",
    "decision",
    "consent",
    "kinds_of_information",
    "lawful_basis",
    "approval",
    "person_to_be_told",
)


def _csv_safe(text: str) -> str:
    """Spreadsheets run cells that start with = + - @ as formulas: make them plain text."""
    return f"'{text}" if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text


def export_csv(export: SubjectAccessExport) -> str:
    """One row per shared record; what was withheld and why in the final lines."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for record in export.records:
        row = {
            **asdict(record),
            "shared_on": record.shared_on.isoformat(),
            "kinds_of_information": "; ".join(record.kinds_of_information),
            "lawful_basis": "; ".join(
                f"{line.citation}: {line.title}" if line.title else line.citation
                for line in record.lawful_basis
            ),
            "person_to_be_told": "Yes" if record.person_to_be_told else "No",
        }
        writer.writerow([_csv_safe(str(row[column])) for column in CSV_COLUMNS])
    writer.writerow([])
    writer.writerow(
        [_csv_safe(f"Subject access export for {export.person}, held by {export.held_by}")]
    )
    produced = f"Produced {export.produced_at.isoformat()} by {export.produced_by}"
    writer.writerow([_csv_safe(produced)])
    writer.writerow(["Withheld:"])
    for line in export.withheld:
        writer.writerow([line])
    writer.writerow([export.withheld_why])
    writer.writerow([export.not_included])
    return out.getvalue()
