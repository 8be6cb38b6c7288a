"""Requests and disclosures for the demo area, through the real services.

Children's services and the police (both parties to the Fakeshire MASH agreement) complete the
whole journey once: the police ask, the council decides, shares three items (one redacted), the
officer acknowledges, accepts the undertaking and says what they understood, the council
corrects that and then confirms it, corrects an item, and recalls what it had shared on a consent
that the mother has since withdrawn, until the officer confirms deletion. Left open for the demo:
an unanswered urgent request, and a disclosure awaiting the officer's acknowledgement.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from safeshare.agencies.models import Practitioner, Role
from safeshare.cases.models import Case, CaseStatus, InformationItem
from safeshare.cli.demo.area import Area
from safeshare.cli.demo.decisions import _BASE, FICTION, _approver, _consent, _worker
from safeshare.cli.demo.plan import AgencyKey
from safeshare.consent.models import Consent
from safeshare.core import clock
from safeshare.core.vocabulary import SharingPurpose
from safeshare.decisions.engine import ConsentState, Facts, Recipient, evaluate
from safeshare.decisions.models import SharingDecision
from safeshare.decisions.selectors import recipient_entitlement
from safeshare.decisions.services import (
    consent_withdraw_with_recall,
    decision_approve,
    decision_record,
)
from safeshare.disclosures.assembly import ItemSelection
from safeshare.disclosures.models import CorrectionKind, InformationRequest, RequestKind, Urgency
from safeshare.disclosures.redaction import Redaction
from safeshare.disclosures.services import (
    consent_recalls_send,
    correction_notice_acknowledge,
    disclosure_accept_undertaking,
    disclosure_acknowledge,
    disclosure_issue,
    disclosure_read_back,
    disclosure_read_back_confirm,
    disclosure_read_back_correct,
    item_correction_issue,
    recall_request_confirm_deletion,
    request_create,
)


def _officer(area: Area) -> Practitioner:
    """The police practitioner who asks and receives (not an administrator)."""
    for spec, practitioner in area.staff:
        if spec.agency == AgencyKey.POLICE and (
            Role.PRACTITIONER in spec.roles or Role.DSL in spec.roles
        ):
            return practitioner
    raise LookupError("the demo area has no police practitioner")


def _cases(area: Area) -> list[tuple[Case, Practitioner, list[InformationItem]]]:
    """Open council cases (last references first: the decisions demo uses the first ones) with
    an allocated worker and at least three items, about a child already born."""
    found = []
    council = area.agencies[AgencyKey.CSC]
    cases = (
        Case.objects.filter(agency=council)
        .exclude(status=CaseStatus.CLOSED)
        .select_related("subject")
        .order_by("-reference")
    )
    for case in cases:
        worker = _worker(case)
        if worker is None or case.subject.is_unborn or case.subject.date_of_birth is None:
            continue
        items = list(case.items.order_by("event_date", "recorded_at")[:3])
        if len(items) == 3:
            found.append((case, worker, items))
        if len(found) == 3:
            break
    return found


def _decision(
    area: Area,
    *,
    worker: Practitioner,
    case: Case,
    changes: dict[str, object],
    reasons: str,
    consent: Consent | None = None,
) -> SharingDecision:
    police = area.agencies[AgencyKey.POLICE]
    council = area.agencies[AgencyKey.CSC]
    facts: Facts = dataclasses.replace(_BASE, **changes)  # type: ignore[arg-type]
    facts = dataclasses.replace(
        facts,
        recipient=Recipient(
            recipient_entitlement(sharer=council, recipient=police, purpose=facts.purpose)
        ),
    )
    outcome = evaluate(facts)
    decision = decision_record(
        actor=worker,
        case=case,
        purpose=facts.purpose,
        facts=facts,
        outcome=str(outcome.recommendation),
        reasons=reasons + FICTION,
        recipient_agency=police,
        lawful_basis=dataclasses.asdict(outcome.lawful_basis) if outcome.lawful_basis else None,
        what_to_share="The concerns recorded this year and who saw them" + FICTION,
        consent=consent,
        categories=consent.categories if consent is not None else (),
    )
    if decision.approval_required:
        decision_approve(
            actor=_approver(area, worker),
            decision=decision,
            approved=True,
            comment="Agreed" + FICTION,
        )
        decision.refresh_from_db()
    return decision


def _ask(officer: Practitioner, area: Area, case: Case, urgency: str) -> InformationRequest:
    child = case.subject
    address = child.addresses.order_by("-lived_from").first()
    return request_create(
        actor=officer,
        receiving_agency=area.agencies[AgencyKey.CSC],
        kind=RequestKind.REQUEST,
        purpose=SharingPurpose.CHILD_PROTECTION,
        urgency=urgency,
        information_sought="Any concerns recorded about the child this year" + FICTION,
        justification="Strategy discussion about a report to the police" + FICTION,
        nhs_number=child.nhs_number,
        given_name=child.given_name,
        family_name=child.family_name,
        date_of_birth=child.date_of_birth if not child.nhs_number else None,
        postcode=address.postcode if address is not None and not child.nhs_number else "",
    )


def _redacted(item: InformationItem) -> ItemSelection:
    words = item.content.split(" ", 2)
    end = len(" ".join(words[:2])) if len(words) > 2 else min(5, len(item.content))
    return ItemSelection(
        item=item,
        content_redactions=(Redaction(0, end, "Not needed for the stated purpose"),),
        inclusion_reason="Needed for the strategy discussion" if item.third_party_protected else "",
    )


def _plain(item: InformationItem) -> ItemSelection:
    reason = "Needed for the strategy discussion" if item.third_party_protected else ""
    return ItemSelection(item=item, inclusion_reason=reason)


def seed_disclosures(area: Area) -> dict[str, int]:
    """The completed journey and the open requests and disclosure; return counts."""
    counts = {"requests": 0, "disclosures": 0, "recalls": 0}
    cases = _cases(area)
    if len(cases) < 3:
        return counts
    officer = _officer(area)
    (case, worker, items), (other_case, other_worker, other_items), (urgent_case, _, _) = cases
    now = clock.now()

    with clock.frozen(now - dt.timedelta(days=6)):
        request = _ask(officer, area, case, Urgency.WITHIN_24_HOURS)
        counts["requests"] += 1
        decision = _decision(
            area,
            worker=worker,
            case=case,
            changes={"purpose": "child_protection", "significant_harm_concern": True},
            reasons="The police are considering a report about the child; our concerns matter",
        )
        shared = disclosure_issue(
            actor=worker,
            decision=decision,
            recipient=officer,
            items=[_redacted(items[0]), _plain(items[1]), _plain(items[2])],
            request=request,
        )
        counts["disclosures"] += 1
    with clock.frozen(now - dt.timedelta(days=5)):
        disclosure_acknowledge(actor=officer, disclosure=shared)
        disclosure_accept_undertaking(actor=officer, disclosure=shared)
        disclosure_read_back(
            actor=officer,
            disclosure=shared,
            understanding="The child was hurt at home several times this year" + FICTION,
        )
        disclosure_read_back_correct(
            actor=worker,
            disclosure=shared,
            correction="One injury was seen; the others were worries, not injuries" + FICTION,
        )
        disclosure_read_back(
            actor=officer,
            disclosure=shared,
            understanding="One injury seen, and worries raised twice" + FICTION,
        )
        disclosure_read_back_confirm(actor=worker, disclosure=shared, comment="Yes" + FICTION)
    with clock.frozen(now - dt.timedelta(days=4)):
        correction = item_correction_issue(
            actor=worker,
            item=items[1],
            kind=CorrectionKind.CORRECTION,
            explanation="The date of this was a day earlier than recorded" + FICTION,
        )
        for notice in correction.notices.select_related("disclosure"):
            correction_notice_acknowledge(actor=officer, notice=notice)

    # Shared on the mother's consent, which she then withdrew: recalled until deleted.
    with clock.frozen(now - dt.timedelta(days=3)):
        consent = _consent(
            "given",
            actor=other_worker,
            case=other_case,
            recipient=area.agencies[AgencyKey.POLICE],
            purpose=SharingPurpose.CHILD_IN_NEED,
            categories={"child", other_items[0].category},
        )
        on_consent = _decision(
            area,
            worker=other_worker,
            case=other_case,
            changes={"purpose": "child_in_need", "consent": ConsentState.GIVEN},
            reasons="The mother agreed that the police should know about the support plan",
            consent=consent,
        )
        disclosure_issue(
            actor=other_worker,
            decision=on_consent,
            recipient=officer,
            items=[_plain(other_items[0])],
        )
        counts["disclosures"] += 1
    with clock.frozen(now - dt.timedelta(days=2)):
        consent_withdraw_with_recall(
            actor=other_worker, consent=consent, note="Withdrawn by phone" + FICTION
        )
        for recall_request in consent_recalls_send(actor=other_worker, consent=consent):
            recall_request_confirm_deletion(actor=officer, recall_request=recall_request)
            counts["recalls"] += 1

    # Open: a disclosure awaiting acknowledgement, and an urgent request nobody has answered.
    with clock.frozen(now - dt.timedelta(hours=3)):
        disclosure_issue(
            actor=worker, decision=decision, recipient=officer, items=[_plain(items[2])]
        )
        counts["disclosures"] += 1
    with clock.frozen(now - dt.timedelta(minutes=20)):
        _ask(officer, area, urgent_case, Urgency.IMMEDIATE_RISK)
        counts["requests"] += 1
    return counts
