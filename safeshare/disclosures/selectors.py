"""Reads for requests and disclosures. Callers pass querysets scoped by access.scopes.

``request_routing`` is the one routing rule; ``disclosure_view`` is the one builder of what a
recipient sees (the preview, the recipient's page and the PDF export all use it).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence

from django.db.models import Q, QuerySet

from safeshare.agencies.models import Agency, Practitioner, Role
from safeshare.cases.models import AllocationRole, Case, CaseStatus, InformationItem
from safeshare.cases.selectors import case_items
from safeshare.consent.lawful_bases import KINDS, UnknownLawfulBasis, lawful_basis
from safeshare.core import clock
from safeshare.decisions.models import SharingDecision
from safeshare.disclosures.assembly import (
    AddressSelection,
    ItemSelection,
    disclosure_assemble,
    recipient_is_alleged_perpetrator,
)
from safeshare.disclosures.models import (
    CorrectionNotice,
    DisclosedAddress,
    DisclosedItem,
    Disclosure,
    DisclosureStatus,
    InformationRequest,
    InformTask,
    RecallRequest,
    RequestStatus,
)
from safeshare.disclosures.render import AddressView, DisclosureView, ItemView
from safeshare.people.models import Person
from safeshare.people.nhs import format_nhs_number

# Who holds a case, in the order routing prefers them.
_HOLDER_ROLES = (
    AllocationRole.ALLOCATED_WORKER,
    AllocationRole.KEY_WORKER,
    AllocationRole.SUPERVISOR,
)


def normalise_postcode(postcode: str) -> str:
    return "".join(postcode.split()).upper()


def _matching_people(
    *,
    agency: Agency,
    nhs_number: str,
    given_name: str,
    family_name: str,
    date_of_birth: dt.date | None,
    postcode: str,
) -> list[Person]:
    """The receiving agency's people matching the child as the requester identified them: by NHS
    number, or by name, date of birth and a postcode they have lived at."""
    if nhs_number:
        return list(Person.objects.filter(agency=agency, nhs_number=nhs_number))
    if not (family_name and date_of_birth and postcode):
        return []
    candidates = Person.objects.filter(
        agency=agency,
        family_name__iexact=family_name,
        given_name__iexact=given_name,
        date_of_birth=date_of_birth,
    ).prefetch_related("addresses")
    wanted = normalise_postcode(postcode)
    # Postcodes are encrypted at rest: compared after opening, never in the query.
    return [
        person
        for person in candidates
        if any(normalise_postcode(a.postcode) == wanted for a in person.addresses.all())
    ]


def _holder(case: Case) -> Practitioner | None:
    allocations = sorted(
        (
            a
            for a in case.allocations.all()
            if a.ended_on is None and a.practitioner.is_active and a.role in _HOLDER_ROLES
        ),
        key=lambda a: (_HOLDER_ROLES.index(AllocationRole(a.role)), a.started_on),
    )
    return allocations[0].practitioner if allocations else None


def agency_dsl(agency: Agency) -> Practitioner | None:
    """The agency's designated safeguarding lead (the first, by name, when there are several)."""
    return (
        Practitioner.objects.filter(agency=agency, is_active=True, role_assignments__role=Role.DSL)
        .order_by("family_name", "given_name", "pk")
        .first()
    )


def request_routing(
    *,
    receiving_agency: Agency,
    nhs_number: str = "",
    given_name: str = "",
    family_name: str = "",
    date_of_birth: dt.date | None = None,
    postcode: str = "",
) -> tuple[Case | None, Practitioner | None]:
    """THE routing rule: the one open case the receiving agency holds about the child, and whoever
    holds it (allocated worker, else key worker, else supervisor); the agency's DSL when no case
    matches, when several do, or when nobody holds the case."""
    people = _matching_people(
        agency=receiving_agency,
        nhs_number=nhs_number,
        given_name=given_name,
        family_name=family_name,
        date_of_birth=date_of_birth,
        postcode=postcode,
    )
    cases = list(
        Case.objects.filter(agency=receiving_agency, subject__in=people)
        .exclude(status=CaseStatus.CLOSED)
        .prefetch_related("allocations__practitioner")[:2]
    )
    case = cases[0] if len(cases) == 1 else None
    holder = _holder(case) if case is not None else None
    return case, holder or agency_dsl(receiving_agency)


def _basis_in_words(basis: object) -> tuple[str, ...]:
    if not isinstance(basis, dict):
        return ()
    words = []
    for kind in KINDS:
        code = basis.get(kind)
        if not code:
            continue
        try:
            entry = lawful_basis(str(code))
        except UnknownLawfulBasis:
            words.append(str(code))
            continue
        words.append(f"{entry.citation}: {entry.title}")
    return tuple(words)


def disclosure_view(
    *,
    disclosure: Disclosure,
    items: Sequence[DisclosedItem],
    addresses: Sequence[DisclosedAddress],
) -> DisclosureView:
    """What the recipient sees, built from a disclosure and its items and addresses (saved, or
    assembled for a preview and not yet saved). The only builder of a ``DisclosureView``.

    A protected address is left out once the recipient is recorded as an alleged perpetrator
    (in any case, of any agency): issuing refuses it then, and this keeps it from someone
    recorded as such only after it was shared."""
    child = disclosure.case.subject
    if any(a.is_protected for a in addresses) and recipient_is_alleged_perpetrator(
        disclosure=disclosure
    ):
        addresses = [a for a in addresses if not a.is_protected]
    return DisclosureView(
        child_name=child.display_name,
        child_date_of_birth=child.date_of_birth_display,
        sharing_agency=disclosure.sharing_agency.name,
        shared_by=disclosure.shared_by.full_name,
        recipient=disclosure.recipient.full_name,
        recipient_agency=disclosure.recipient_agency.name,
        purpose=disclosure.get_purpose_display(),
        lawful_basis=_basis_in_words(disclosure.lawful_basis),
        expires_at=disclosure.expires_at,
        items=tuple(
            ItemView(
                category=item.get_category_display(),
                fact_or_opinion=item.get_fact_or_opinion_display(),
                is_opinion=item.fact_or_opinion == "opinion",
                source=item.source_shared,
                how_known=item.get_how_known_display(),
                event_date=item.event_date,
                source_agency=item.source_agency.name,
                summary=item.summary,
                content=item.content,
                third_party_included=item.third_party_protected and not item.third_party_redacted,
                third_party_redacted=item.third_party_redacted,
            )
            for item in items
        ),
        addresses=tuple(
            AddressView(
                whose=address.whose,
                lines=address.lines,
                postcode=address.postcode,
                is_protected=address.is_protected,
            )
            for address in addresses
        ),
    )


def disclosure_preview(
    *,
    actor: Practitioner,
    decision: SharingDecision,
    recipient: object,
    items: Sequence[ItemSelection],
    addresses: Sequence[AddressSelection] = (),
    expires_at: dt.datetime | None = None,
    urgent_reason: str = "",
    request: InformationRequest | None = None,
) -> DisclosureView:
    """ "Preview as recipient": the disclosure ``disclosure_issue`` would make with these
    arguments (every rule checked, nothing saved), as its recipient will see it."""
    assembled = disclosure_assemble(
        actor=actor,
        decision=decision,
        recipient=recipient,
        items=items,
        addresses=addresses,
        expires_at=expires_at,
        urgent_reason=urgent_reason,
        request=request,
    )
    return disclosure_view(
        disclosure=assembled.disclosure, items=assembled.items, addresses=assembled.addresses
    )


def disclosure_detail_queryset() -> QuerySet[Disclosure]:
    return Disclosure.objects.select_related(
        "case__subject",
        "decision",
        "request",
        "sharing_agency",
        "shared_by",
        "recipient",
        "recipient_agency",
        "agreement",
        "revoked_by",
    )


def disclosure_content_view(*, disclosure: Disclosure) -> DisclosureView:
    """A saved disclosure as its recipient sees it (the caller has checked it may be read)."""
    items = list(disclosure.items.select_related("source_agency").order_by("position"))
    addresses = list(disclosure.addresses.order_by("position"))
    return disclosure_view(disclosure=disclosure, items=items, addresses=addresses)


# --- Lists ---------------------------------------------------------------------------------------


def requests_inbox(
    *, requests: QuerySet[InformationRequest], agency: Agency
) -> QuerySet[InformationRequest]:
    """Open requests received by ``agency``, soonest due first."""
    return (
        requests.filter(
            receiving_agency=agency,
            status__in=[RequestStatus.RECEIVED, RequestStatus.ASSIGNED],
        )
        .select_related("requesting_agency", "requested_by", "assigned_to", "matched_case__subject")
        .order_by("due_at", "requested_at")
    )


def request_child_as_named(request: InformationRequest) -> str:
    """The child as the requester identified them: name, date of birth, NHS number (3 3 4)."""
    named = f"{request.child_given_name} {request.child_family_name}".strip()
    born = ""
    if request.child_date_of_birth:
        try:
            born = f"born {dt.date.fromisoformat(request.child_date_of_birth):%-d %B %Y}"
        except ValueError:
            born = f"born {request.child_date_of_birth}"
    nhs = (
        f"NHS number {format_nhs_number(request.child_nhs_number)}"
        if request.child_nhs_number
        else ""
    )
    return ", ".join(part for part in (named, born, nhs) if part)


def request_child(request: InformationRequest, *, case_visible: bool, receiving: bool) -> str:
    """Which child a request is about, for a list or a page: as the viewer's agency holds them
    (the matched case's child, when the viewer may see that case), else as the requester
    identified them, "not matched to a case" for the receiving agency when no case matched."""
    if case_visible and request.matched_case is not None:
        return request.matched_case.subject.display_name
    named = request_child_as_named(request) or "Child not identified"
    unmatched = receiving and request.matched_case_id is None
    return f"{named} (not matched to a case)" if unmatched else named


def requests_sent(
    *, requests: QuerySet[InformationRequest], agency: Agency
) -> QuerySet[InformationRequest]:
    return (
        requests.filter(requesting_agency=agency)
        .select_related("receiving_agency", "requested_by", "assigned_to")
        .order_by("-requested_at")
    )


def _disclosure_list(disclosures: QuerySet[Disclosure]) -> QuerySet[Disclosure]:
    return disclosures.select_related(
        "case__subject", "sharing_agency", "shared_by", "recipient", "recipient_agency"
    ).order_by("-issued_at")


def disclosures_shared_by(
    *, disclosures: QuerySet[Disclosure], agency: Agency
) -> QuerySet[Disclosure]:
    return _disclosure_list(disclosures.filter(sharing_agency=agency))


def items_decision_allows(*, case: Case, decision: SharingDecision) -> QuerySet[InformationItem]:
    """The case's items a disclosure under ``decision`` may carry: only the kinds it named, when
    it named any (a decision relying on consent always does; assembly refuses anything else)."""
    items = case_items(case=case)
    if decision.categories:
        items = items.filter(category__in=decision.categories)
    return items


def disclosures_outside_agreement(
    *, disclosures: QuerySet[Disclosure], agency: Agency
) -> QuerySet[Disclosure]:
    """What ``agency`` shared with no agreement covering it: one-off shares on consent and urgent
    shares (ICO 10 step guide, step 6), for information governance to see, and to ask for an
    agreement where one recipient keeps appearing."""
    return _disclosure_list(
        disclosures.filter(sharing_agency=agency, agreement__isnull=True).exclude(
            outside_agreement_basis=""
        )
    )


def outside_agreement_by_recipient(disclosures: Sequence[Disclosure]) -> list[tuple[str, int]]:
    """How many shares outside any agreement went to each recipient agency, most first."""
    counts = Counter(disclosure.recipient_agency.name for disclosure in disclosures)
    return sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))


def disclosures_shared_with(
    *, disclosures: QuerySet[Disclosure], recipient: Practitioner
) -> QuerySet[Disclosure]:
    return _disclosure_list(disclosures.filter(recipient=recipient))


def disclosures_awaiting_acknowledgement(
    *, disclosures: QuerySet[Disclosure], recipient: Practitioner
) -> QuerySet[Disclosure]:
    """Live disclosures to ``recipient`` whose receipt they have not acknowledged yet."""
    return _disclosure_list(
        disclosures.filter(
            recipient=recipient,
            status=DisclosureStatus.ISSUED,
            expires_at__gt=clock.now(),
        )
    )


def disclosures_awaiting_read_back_confirmation(
    *, disclosures: QuerySet[Disclosure], agency: Agency
) -> QuerySet[Disclosure]:
    """Disclosures by ``agency`` whose recipient has said what they understood, awaiting the
    sharer's confirmation or correction."""
    return _disclosure_list(
        disclosures.filter(Q(sharing_agency=agency) & Q(status=DisclosureStatus.READ_BACK))
    )


# --- After sharing -------------------------------------------------------------------------------


def inform_tasks_due(*, tasks: QuerySet[InformTask], agency: Agency) -> QuerySet[InformTask]:
    """Tasks to tell the individual that ``agency`` has not done yet, soonest due first."""
    return (
        tasks.filter(agency=agency, done_at__isnull=True)
        .select_related("case__subject", "assigned_to")
        .order_by("due_at")
    )


def correction_notices_awaiting(
    *, notices: QuerySet[CorrectionNotice], recipient: Practitioner
) -> QuerySet[CorrectionNotice]:
    """Corrections and retractions sent to ``recipient`` that they have not acknowledged."""
    return (
        notices.filter(disclosure__recipient=recipient, acknowledged_at__isnull=True)
        .select_related("correction", "disclosure__case__subject")
        .order_by("created_at")
    )


def recalls_outstanding(
    *, requests: QuerySet[RecallRequest], agency: Agency
) -> QuerySet[RecallRequest]:
    """Recall requests sent by ``agency`` whose recipient has not confirmed deletion."""
    return (
        requests.filter(disclosure__sharing_agency=agency, deletion_confirmed_at__isnull=True)
        .select_related("disclosure__recipient", "disclosure__recipient_agency", "recall")
        .order_by("requested_at")
    )


def recall_requests_awaiting_deletion(
    *, requests: QuerySet[RecallRequest], recipient: Practitioner
) -> QuerySet[RecallRequest]:
    """Recall requests to ``recipient`` whose deletion they have not confirmed yet (still asked
    after the disclosure expired or was revoked: deletion is what is being confirmed)."""
    return (
        requests.filter(disclosure__recipient=recipient, deletion_confirmed_at__isnull=True)
        .select_related(
            "disclosure__recipient", "disclosure__recipient_agency", "disclosure__sharing_agency"
        )
        .order_by("requested_at")
    )
