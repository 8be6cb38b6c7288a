"""Assembling a disclosure: every rule about what may be shared, with whom, under what.

``disclosure_assemble`` checks the invariants and builds the disclosure with its items and
addresses WITHOUT saving them. ``services.disclosure_issue`` saves what it builds; the preview
(``selectors``/interfaces) renders it, so the preview is built by the same code as the real thing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone

from safeshare.agencies.models import InformationSharingAgreement, Practitioner
from safeshare.agencies.selectors import agreements_covering
from safeshare.cases.models import InformationItem, Involvement, Relationship
from safeshare.consent.models import ConsentState
from safeshare.consent.selectors import consent_scope_problem
from safeshare.core import clock
from safeshare.decisions.models import SHARING_OUTCOMES, SharingDecision
from safeshare.decisions.selectors import approval_holds_sharing
from safeshare.disclosures.exceptions import (
    DecisionDoesNotAllowSharing,
    DisclosureInvalid,
    ItemNotInCase,
    ProtectedContentRefused,
    RecipientNotEntitled,
)
from safeshare.disclosures.models import (
    DisclosedAddress,
    DisclosedItem,
    Disclosure,
    InformationRequest,
    OutsideAgreement,
)
from safeshare.disclosures.redaction import Redaction, RedactionInvalid, Segment, apply
from safeshare.people.models import Address


@dataclass(frozen=True)
class ItemSelection:
    """One item to share, with the ranges of its summary, content and source to redact (or the
    reason for withholding its source whole), and the reason for including it as it is when it
    holds third-party or informant content."""

    item: InformationItem
    summary_redactions: tuple[Redaction, ...] = ()
    content_redactions: tuple[Redaction, ...] = ()
    inclusion_reason: str = ""
    source_redactions: tuple[Redaction, ...] = ()
    source_withheld_reason: str = ""


@dataclass(frozen=True)
class AddressSelection:
    """One address to share; a protected address needs the reason for including it."""

    address: Address
    inclusion_reason: str = ""


@dataclass
class Assembled:
    disclosure: Disclosure
    items: list[DisclosedItem] = field(default_factory=list)
    addresses: list[DisclosedAddress] = field(default_factory=list)


def check_decision_allows_sharing(*, decision: SharingDecision, actor: Practitioner) -> None:
    """A decision of the actor's agency whose outcome allows sharing, approved when it needs
    approval (or urgent, when approval may follow), and not since reconsidered."""
    if decision.outcome not in SHARING_OUTCOMES:
        raise DecisionDoesNotAllowSharing(
            f"The decision was '{decision.get_outcome_display()}': it does not allow sharing",
            field="decision",
        )
    if decision.agency_id != actor.agency_id:
        raise DecisionDoesNotAllowSharing(
            "The decision was made by another agency", field="decision"
        )
    approval = decision.approval_or_none
    if approval is not None and not approval.approved:
        raise DecisionDoesNotAllowSharing(
            "Sharing without consent was not approved", field="decision"
        )
    if approval is not None and approval.approver_id == decision.decided_by_id:
        # decision_approve refuses this; a row written any other way is still no approval.
        raise DecisionDoesNotAllowSharing(
            "Nobody approves their own decision to share without consent", field="decision"
        )
    if approval_holds_sharing(decision):
        raise DecisionDoesNotAllowSharing(
            "Sharing without consent needs a DSL's or manager's approval first", field="decision"
        )
    if SharingDecision.objects.filter(supersedes=decision).exists():
        raise DecisionDoesNotAllowSharing(
            "The decision has been reconsidered: share under the newer decision", field="decision"
        )
    consent = decision.consent
    if (
        consent is not None
        and decision.consent_state == ConsentState.GIVEN
        and (consent.state != ConsentState.GIVEN or consent.is_expired_on(clock.today()))
    ):
        raise DecisionDoesNotAllowSharing(
            "The consent this decision relied on has been withdrawn or has expired: "
            "make a new decision",
            field="decision",
        )


def relies_on_consent(decision: SharingDecision) -> bool:
    return decision.consent_id is not None and decision.consent_state == ConsentState.GIVEN


def check_consent_covers(*, decision: SharingDecision, items: Sequence[ItemSelection]) -> None:
    """A share resting on consent goes no further than the consent, checked again now, against
    the information actually chosen (WT 2018 ch1: consent is specific and time-limited), and no
    further than the kinds of information the decision named."""
    categories = sorted({selection.item.category for selection in items})
    decided = set(decision.categories or ())
    beyond = [category for category in categories if decided and category not in decided]
    if beyond:
        raise DisclosureInvalid(
            "The decision did not name this kind of information: make a new decision to share it",
            field="items",
        )
    if not relies_on_consent(decision):
        return
    assert decision.consent is not None  # noqa: S101 - relies_on_consent says so
    problem = consent_scope_problem(
        decision.consent,
        purpose=decision.purpose,
        recipient_agency=decision.recipient_agency,
        categories=categories,
    )
    if problem is not None:
        raise DecisionDoesNotAllowSharing(f"{problem}: make a new decision", field="consent")


def _entitlement(
    *, actor: Practitioner, decision: SharingDecision, recipient: object, urgent_reason: str
) -> tuple[Practitioner, InformationSharingAgreement | None, str]:
    """The recipient is a named, active practitioner of the decision's recipient agency, which is
    party to an active agreement covering the purpose; or, outside every agreement, a one-off
    share on consent that names that agency, or an urgent share with a recorded reason (ICO 10
    step guide, step 6: an agreement may not fit one-off or emergency sharing). Routine sharing
    without consent needs an agreement. Returns the recipient, the agreement and, outside one,
    why (``OutsideAgreement``)."""
    if not isinstance(recipient, Practitioner):
        raise RecipientNotEntitled(
            "Choose a named practitioner: information is never sent to an email address",
            field="recipient",
        )
    if not recipient.is_active or not recipient.agency.is_active:
        raise RecipientNotEntitled(
            "That practitioner cannot receive information", field="recipient"
        )
    if recipient.agency_id == actor.agency_id:
        raise RecipientNotEntitled(
            "A disclosure goes to another agency; colleagues see the case itself",
            field="recipient",
        )
    if recipient.agency_id != decision.recipient_agency_id:
        raise RecipientNotEntitled(
            "The recipient must work for the agency named in the decision", field="recipient"
        )
    agreement = (
        agreements_covering(
            agency_a=actor.agency, agency_b=recipient.agency, purpose=decision.purpose
        )
        .order_by("-start_date", "reference")
        .first()
    )
    if agreement is not None:
        return recipient, agreement, OutsideAgreement.NONE
    if relies_on_consent(decision):
        # The consent's scope (this agency, this purpose) is checked by check_consent_covers.
        return recipient, None, OutsideAgreement.CONSENT
    if not decision.is_urgent:
        raise RecipientNotEntitled(
            "No active agreement with that agency covers this purpose: outside an agreement "
            "you can share once with consent, or urgently to protect a child",
            field="recipient",
        )
    if not urgent_reason.strip():
        raise RecipientNotEntitled(
            "Enter why you are sharing urgently outside any agreement", field="urgent_reason"
        )
    return recipient, None, OutsideAgreement.URGENT


def _expiry(
    *,
    agreement: InformationSharingAgreement | None,
    expires_at: dt.datetime | None,
    decision: SharingDecision,
) -> dt.datetime:
    """When the recipient must delete it: at most the agreement's retention, or outside any
    agreement at most ``SAFESHARE_URGENT_SHARE_MAX_DAYS``; and never after the last day of the
    consent it rests on. That limit when not given."""
    now = clock.now()
    if agreement is not None:
        days = agreement.retention_days
        too_long = f"The agreement allows keeping it for {days} days at most"
    else:
        days = settings.SAFESHARE_URGENT_SHARE_MAX_DAYS
        too_long = f"Shared outside any agreement, it may be kept for {days} days at most"
    limit = now + dt.timedelta(days=days)
    consent = decision.consent if relies_on_consent(decision) else None
    if consent is not None and consent.expires_on is not None:
        last_day = dt.datetime.combine(consent.expires_on + dt.timedelta(days=1), dt.time())
        consent_end = timezone.make_aware(last_day, timezone.get_default_timezone())
        if consent_end < limit:
            limit = consent_end.astimezone(dt.UTC)
            too_long = f"The consent it rests on ends on {consent.expires_on:%-d %B %Y}"
    if expires_at is None:
        return limit
    if expires_at.tzinfo is None:
        raise DisclosureInvalid("Give the expiry with its time zone", field="expires_at")
    # Stored and shown in UTC: the preview must show what the saved disclosure will.
    expires_at = expires_at.astimezone(dt.UTC)
    if expires_at <= now:
        raise DisclosureInvalid("The expiry must be in the future", field="expires_at")
    if expires_at > limit:
        raise DisclosureInvalid(too_long, field="expires_at")
    return expires_at


def _check_request(
    *,
    request: InformationRequest | None,
    actor: Practitioner,
    decision: SharingDecision,
    recipient: Practitioner,
) -> None:
    if request is None:
        return
    if request.receiving_agency_id != actor.agency_id:
        raise DisclosureInvalid("That request was made to another agency", field="request")
    if not request.is_open:
        raise DisclosureInvalid("That request has already been closed", field="request")
    if request.requesting_agency_id != recipient.agency_id:
        raise DisclosureInvalid(
            "An answer goes to someone at the agency that asked", field="recipient"
        )
    if request.matched_case_id is not None and request.matched_case_id != decision.case_id:
        raise DisclosureInvalid("That request is about another case", field="request")
    if request.purpose != decision.purpose:
        raise DisclosureInvalid(
            "The decision was made for a different purpose from the request", field="request"
        )


def _source(item: InformationItem, selection: ItemSelection) -> tuple[Segment, ...]:
    """The item's source as shared: whole, with words redacted, or withheld (one redacted
    segment carrying the reason)."""
    withheld = selection.source_withheld_reason.strip()
    if not withheld:
        return apply(item.source, selection.source_redactions)
    if selection.source_redactions:
        raise DisclosureInvalid(
            "Either withhold the source or redact words of it, not both", field="redactions"
        )
    return (Segment("", redacted=True, reason=withheld),)


def check_third_party(*, selection: ItemSelection, source: tuple[Segment, ...]) -> None:
    """THE third-party rule. Share only what is needed (seed 003 §3.4), and protect the identity
    of third parties and informants: where information identifies someone else, redact it so that
    they are no longer identifiable, or withhold it (ICO, right of access guidance, "What should
    we do if the request involves information about other people?", step one). An item holding
    third-party or informant content is therefore shared either

    - redacted: its source, which names who gave the information, withheld or with the words
      that identify them redacted (the words of its summary and content may be redacted too); or
    - as it is, with the recorded reason for including the third party's identity.

    Redacting the summary or content alone does not do: the source would still name them."""
    if not selection.item.third_party_protected or selection.inclusion_reason.strip():
        return
    if any(segment.redacted for segment in source):
        return
    raise ProtectedContentRefused(
        "An item holds third-party or informant content: withhold its source or redact the "
        "words that identify who gave it, leave the item out, or give the reason for including "
        "it as it is",
        field="inclusion_reason",
    )


def _item(*, disclosure: Disclosure, selection: ItemSelection, position: int) -> DisclosedItem:
    item = selection.item
    if item.case_id != disclosure.case_id:
        raise ItemNotInCase(
            "Only items from this child's case can be shared in this disclosure", field="items"
        )
    try:
        summary = apply(item.summary, selection.summary_redactions)
        content = apply(item.content, selection.content_redactions)
        source = _source(item, selection)
    except RedactionInvalid as exc:
        raise DisclosureInvalid(exc.message, field="redactions") from exc
    check_third_party(selection=selection, source=source)
    disclosed = DisclosedItem(
        disclosure=disclosure,
        item=item,
        item_version=item.version,
        position=position,
        category=item.category,
        fact_or_opinion=item.fact_or_opinion,
        how_known=item.how_known,
        event_date=item.event_date,
        source_agency=disclosure.case.agency,
        redaction_count=sum(s.redacted for s in (*summary, *content, *source)),
        third_party_protected=item.third_party_protected,
        inclusion_reason=selection.inclusion_reason.strip() if item.third_party_protected else "",
    )
    # The source as shared, never the original: set_segments fills ``source`` from the segments.
    disclosed.set_segments(summary=summary, content=content, source=source)
    return disclosed


def recipient_is_alleged_perpetrator(*, disclosure: Disclosure) -> bool:
    """Is the recipient recorded as an alleged perpetrator (ended or not) in any case, of any
    agency? Not only this case: a protected address must not reach someone another case (a
    sibling's, or one their own agency holds about them) records as alleged perpetrator."""
    return Involvement.objects.filter(
        relationship=Relationship.ALLEGED_PERPETRATOR,
        practitioner_id=disclosure.recipient_id,
    ).exists()


def _address(
    *, disclosure: Disclosure, selection: AddressSelection, position: int
) -> DisclosedAddress:
    address = selection.address
    case = disclosure.case
    if address.person_id == case.subject_id:
        whose = "Child"
    else:
        involvement = (
            Involvement.objects.filter(case=case, person_id=address.person_id)
            .order_by("created_at")
            .first()
        )
        if involvement is None:
            raise ItemNotInCase(
                "Only addresses of the child and of people involved in this case can be shared",
                field="addresses",
            )
        whose = involvement.get_relationship_display()
    if address.is_protected:
        if recipient_is_alleged_perpetrator(disclosure=disclosure):
            # Worded so as not to say which case records it (it may be another agency's).
            raise ProtectedContentRefused(
                "A protected address is never shared with anyone recorded as an alleged "
                "perpetrator: leave it out, or choose another recipient",
                field="addresses",
            )
        if not selection.inclusion_reason.strip():
            raise ProtectedContentRefused(
                "A protected address is withheld unless you give the reason for including it",
                field="inclusion_reason",
            )
    return DisclosedAddress(
        disclosure=disclosure,
        address=address,
        position=position,
        whose=whose,
        lines=address.lines,
        postcode=address.postcode,
        is_protected=address.is_protected,
        inclusion_reason=selection.inclusion_reason.strip() if address.is_protected else "",
    )


def disclosure_assemble(
    *,
    actor: Practitioner,
    decision: SharingDecision,
    recipient: object,
    items: Sequence[ItemSelection],
    addresses: Sequence[AddressSelection] = (),
    expires_at: dt.datetime | None = None,
    urgent_reason: str = "",
    request: InformationRequest | None = None,
) -> Assembled:
    """Check every rule and build the disclosure, its items and addresses, unsaved."""
    check_decision_allows_sharing(decision=decision, actor=actor)
    check_consent_covers(decision=decision, items=items)
    named, agreement, outside = _entitlement(
        actor=actor, decision=decision, recipient=recipient, urgent_reason=urgent_reason
    )
    _check_request(request=request, actor=actor, decision=decision, recipient=named)
    if not items and not addresses:
        raise DisclosureInvalid("Select the information to share", field="items")
    if len({s.item.pk for s in items}) != len(items):
        raise DisclosureInvalid("An item is selected twice", field="items")
    if len({s.address.pk for s in addresses}) != len(addresses):
        raise DisclosureInvalid("An address is selected twice", field="addresses")
    now = clock.now()
    disclosure = Disclosure(
        decision=decision,
        case=decision.case,
        request=request,
        sharing_agency=actor.agency,
        shared_by=actor,
        recipient=named,
        recipient_agency=named.agency,
        agreement=agreement,
        outside_agreement_basis=outside,
        urgent_reason=urgent_reason.strip() if outside == OutsideAgreement.URGENT else "",
        purpose=decision.purpose,
        lawful_basis=decision.lawful_basis,
        issued_at=now,
        expires_at=_expiry(agreement=agreement, expires_at=expires_at, decision=decision),
    )
    assembled = Assembled(disclosure=disclosure)
    for position, item_selection in enumerate(items):
        assembled.items.append(
            _item(disclosure=disclosure, selection=item_selection, position=position)
        )
    for position, address_selection in enumerate(addresses):
        assembled.addresses.append(
            _address(disclosure=disclosure, selection=address_selection, position=position)
        )
    return assembled
