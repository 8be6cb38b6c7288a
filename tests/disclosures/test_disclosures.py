"""Disclosures: issue under a decision that allows it, to a named practitioner entitled to
receive; acknowledge, accept the undertaking, read back, confirm or correct, revoke. Refusals
change nothing, and the misuse the issue lists is impossible (one test each, named test_misuse_)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection

from safeshare.access.fetch import access_disclosure, access_disclosure_content
from safeshare.agencies.models import AgencyType, AgreementStatus
from safeshare.agencies.services import agreement_set_status
from safeshare.cases.models import Relationship
from safeshare.core import clock
from safeshare.core.exceptions import DomainError, NotFound
from safeshare.decisions.engine import ConsentState, Recipient
from safeshare.decisions.exceptions import SelfApprovalRefused
from safeshare.decisions.models import DecisionApproval
from safeshare.decisions.services import consent_withdraw_with_recall, decision_approve
from safeshare.disclosures.exceptions import (
    DecisionDoesNotAllowSharing,
    DisclosureInvalid,
    DisclosureTransitionInvalid,
    ItemNotInCase,
    ProtectedContentRefused,
    RecipientNotEntitled,
)
from safeshare.disclosures.models import (
    DisclosedAddress,
    DisclosedItem,
    Disclosure,
    DisclosureStatus,
    InformationRequest,
    RequestStatus,
)
from safeshare.disclosures.redaction import Redaction
from safeshare.disclosures.render import render_disclosure
from safeshare.disclosures.selectors import disclosure_content_view
from safeshare.disclosures.services import (
    disclosure_accept_undertaking,
    disclosure_acknowledge,
    disclosure_read_back,
    disclosure_read_back_confirm,
    disclosure_read_back_correct,
    disclosure_revoke,
    request_create,
)
from safeshare.ledger.events import Event
from safeshare.ledger.models import LedgerEntry
from tests.conftest import World
from tests.decisions.helpers import facts, given_consent, record
from tests.disclosures.helpers import (
    NOW,
    AddressSelection,
    ItemSelection,
    Sharing,
    approved_decision,
    issue,
    sharing,
)
from tests.factories import (
    AddressFactory,
    AgencyFactory,
    InvolvementFactory,
    ItemFactory,
    PersonFactory,
    PractitionerFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_clock() -> Iterator[None]:
    with clock.frozen(NOW):
        yield


@pytest.fixture
def s(world: World) -> Sharing:
    return sharing(world)


def writes() -> tuple[int, int, int, int]:
    return (
        Disclosure.objects.count(),
        DisclosedItem.objects.count(),
        DisclosedAddress.objects.count(),
        LedgerEntry.objects.filter(event_code=Event.DISCLOSURE_ISSUED).count(),
    )


def refused(s: Sharing, error: type[DomainError], **changes: Any) -> DomainError:
    """Issuing with ``changes`` is refused with ``error`` and writes nothing."""
    before = writes()
    with pytest.raises(error) as raised:
        issue(s, **changes)
    assert raised.value.message
    assert writes() == before
    return raised.value


def sealed(table: str, column: str, pk: Any) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {column} FROM {table} WHERE id = %s",  # noqa: S608 - names are constants
            [pk.hex if connection.vendor == "sqlite" else pk],
        )
        value: str = cursor.fetchone()[0]
    return value


# --- Issuing -------------------------------------------------------------------------------------


def test_worker_can_share_selected_items_with_a_named_practitioner_under_an_approved_decision(
    s: Sharing,
) -> None:
    world = s.world
    disclosure = issue(s)
    assert disclosure.status == DisclosureStatus.ISSUED
    assert disclosure.recipient == s.recipient
    assert disclosure.recipient_agency == world.other_agency
    assert disclosure.agreement == s.agreement
    assert disclosure.purpose == s.decision.purpose
    assert disclosure.lawful_basis == s.decision.lawful_basis
    assert disclosure.expires_at == NOW + dt.timedelta(days=90)
    shared = disclosure.items.get()
    assert shared.item == world.item
    assert shared.fact_or_opinion == world.item.fact_or_opinion
    assert shared.source == world.item.source
    assert shared.source_agency == world.agency
    assert shared.event_date == world.item.event_date
    assert "".join(seg.text for seg in shared.content) == world.item.content
    entry = LedgerEntry.objects.get(event_code=Event.DISCLOSURE_ISSUED)
    assert entry.subject_case_id == world.case.pk
    assert str(world.item.pk) in entry.details
    assert world.item.content not in entry.details


def test_disclosed_content_is_encrypted_at_rest(s: Sharing) -> None:
    shared = issue(s).items.get()
    raw = sealed("disclosures_discloseditem", "content_segments", shared.pk)
    assert "school tired" not in raw
    assert "Class teacher" not in sealed("disclosures_discloseditem", "source", shared.pk)


def test_redacted_words_are_not_stored_in_the_disclosure(s: Sharing) -> None:
    content = s.world.item.content
    start = content.index("hungry")
    disclosure = issue(
        s,
        items=[
            ItemSelection(
                item=s.world.item,
                content_redactions=(Redaction(start, start + len("hungry"), "Not relevant"),),
            )
        ],
    )
    shared = disclosure.items.get()
    assert shared.redaction_count == 1
    assert "hungry" not in shared.content_segments
    assert [seg.reason for seg in shared.content if seg.redacted] == ["Not relevant"]


def test_bad_redaction_is_refused_and_changes_nothing(s: Sharing) -> None:
    error = refused(
        s,
        DisclosureInvalid,
        items=[ItemSelection(item=s.world.item, content_redactions=(Redaction(0, 9999, "x"),))],
    )
    assert error.field == "redactions"


def test_nothing_selected_is_refused(s: Sharing) -> None:
    assert refused(s, DisclosureInvalid, items=[]).field == "items"


def test_third_party_content_is_withheld_unless_included_with_a_reason(s: Sharing) -> None:
    informant = ItemFactory(
        case=s.world.case, recorded_by=s.world.worker, third_party_protected=True
    )
    refused(s, ProtectedContentRefused, items=[ItemSelection(item=informant)])
    disclosure = issue(
        s,
        items=[ItemSelection(item=informant, inclusion_reason="The officer must know who saw")],
    )
    shared = disclosure.items.get()
    assert shared.third_party_protected
    assert shared.inclusion_reason == "The officer must know who saw"


def test_answering_a_request_closes_it(s: Sharing) -> None:
    world = s.world
    child = world.case.subject
    child.nhs_number = "9434765919"
    child.save()
    request = request_create(
        actor=s.recipient,
        receiving_agency=world.agency,
        kind="request",
        purpose="child_protection",
        urgency="within_24_hours",
        information_sought="Recent concerns",
        justification="Fake strategy discussion tomorrow",
        nhs_number="9434765919",
    )
    disclosure = issue(s, request=request)
    request.refresh_from_db()
    assert disclosure.request == request
    assert request.status == RequestStatus.ANSWERED
    assert request.answering_decision == s.decision
    assert LedgerEntry.objects.filter(event_code=Event.REQUEST_ANSWERED).count() == 1
    # An answered request cannot be answered again.
    refused(s, DisclosureInvalid, request=request)


def test_expiry_can_be_shorter_than_the_agreement_allows_but_not_longer(s: Sharing) -> None:
    assert issue(s, expires_at=NOW + dt.timedelta(days=7)).expires_at == NOW + dt.timedelta(7)
    refused(s, DisclosureInvalid, expires_at=NOW + dt.timedelta(days=91))
    refused(s, DisclosureInvalid, expires_at=NOW - dt.timedelta(minutes=1))


def test_statutory_partner_outside_any_agreement_only_on_the_urgent_path_with_a_reason(
    world: World,
) -> None:
    recipient = PractitionerFactory(agency=world.other_agency)
    urgent = approved_decision(world, facts(recipient=Recipient.STATUTORY_PARTNER), is_urgent=True)
    s = Sharing(world=world, agreement=None, recipient=recipient, decision=urgent)  # type: ignore[arg-type]
    assert refused(s, RecipientNotEntitled).field == "urgent_reason"
    disclosure = issue(
        s,
        urgent_reason="Child at immediate risk tonight",
        expires_at=NOW + dt.timedelta(days=14),
    )
    assert disclosure.agreement is None
    assert disclosure.urgent_reason == "Child at immediate risk tonight"
    not_urgent = approved_decision(world, facts(recipient=Recipient.STATUTORY_PARTNER))
    s.decision = not_urgent
    refused(s, RecipientNotEntitled, urgent_reason="Because", expires_at=NOW + dt.timedelta(1))


def test_urgent_share_outside_any_agreement_is_kept_30_days_at_most_by_default(
    world: World,
) -> None:
    recipient = PractitionerFactory(agency=world.other_agency)
    urgent = approved_decision(world, facts(recipient=Recipient.STATUTORY_PARTNER), is_urgent=True)
    s = Sharing(world=world, agreement=None, recipient=recipient, decision=urgent)  # type: ignore[arg-type]
    reason = "Child at immediate risk tonight"
    error = refused(s, DisclosureInvalid, urgent_reason=reason, expires_at=NOW + dt.timedelta(31))
    assert error.field == "expires_at"
    assert "30 days" in error.message
    refused(s, DisclosureInvalid, urgent_reason=reason, expires_at=NOW + dt.timedelta(days=3650))
    at_most = issue(s, urgent_reason=reason, expires_at=NOW + dt.timedelta(days=30))
    assert at_most.expires_at == NOW + dt.timedelta(days=30)
    # None given: the longest allowed.
    assert issue(s, urgent_reason=reason).expires_at == NOW + dt.timedelta(days=30)


def test_urgent_share_limit_follows_the_setting(world: World, settings: Any) -> None:
    settings.SAFESHARE_URGENT_SHARE_MAX_DAYS = 3
    recipient = PractitionerFactory(agency=world.other_agency)
    urgent = approved_decision(world, facts(recipient=Recipient.STATUTORY_PARTNER), is_urgent=True)
    s = Sharing(world=world, agreement=None, recipient=recipient, decision=urgent)  # type: ignore[arg-type]
    reason = "Child at immediate risk tonight"
    error = refused(s, DisclosureInvalid, urgent_reason=reason, expires_at=NOW + dt.timedelta(4))
    assert error.field == "expires_at"
    assert issue(s, urgent_reason=reason).expires_at == NOW + dt.timedelta(days=3)


def test_an_urgent_share_without_consent_may_go_before_approval(world: World) -> None:
    from tests.disclosures.helpers import active_agreement

    active_agreement(world)
    decision = record(world, facts(recipient=Recipient.AGREEMENT), is_urgent=True)
    assert decision.awaiting_approval
    recipient = PractitionerFactory(agency=world.other_agency)
    s = Sharing(world=world, agreement=None, recipient=recipient, decision=decision)  # type: ignore[arg-type]
    assert issue(s).status == DisclosureStatus.ISSUED


# --- The misuse that must be impossible ----------------------------------------------------------


def test_misuse_protected_address_never_reaches_an_alleged_perpetrator_or_anyone_without_reason(
    s: Sharing,
) -> None:
    world = s.world
    refuge = AddressFactory(
        person=world.case.subject, lines="Fake Refuge, 9 Hidden Row", is_protected=True
    )
    # Nobody gets it without an explicit, reasoned inclusion.
    error = refused(s, ProtectedContentRefused, addresses=[AddressSelection(address=refuge)])
    assert error.field == "inclusion_reason"
    # The recipient is recorded in the case as alleged perpetrator: never, whatever the reason.
    InvolvementFactory(
        case=world.case,
        person=PersonFactory(agency=world.agency),
        relationship=Relationship.ALLEGED_PERPETRATOR,
        practitioner=s.recipient,
    )
    refused(
        s,
        ProtectedContentRefused,
        addresses=[AddressSelection(address=refuge, inclusion_reason="Needed for a visit")],
    )
    # Anyone else may receive it with a recorded reason.
    other = PractitionerFactory(agency=world.other_agency)
    disclosure = issue(
        s,
        recipient=other,
        addresses=[AddressSelection(address=refuge, inclusion_reason="Needed for a joint visit")],
    )
    shared = disclosure.addresses.get()
    assert shared.is_protected
    assert shared.whose == "Child"
    assert "Hidden Row" not in sealed("disclosures_disclosedaddress", "lines", shared.pk)


def test_misuse_an_item_from_another_childs_case_is_refused(s: Sharing) -> None:
    world = s.world
    stranger_item = ItemFactory(case=world.other_case)
    error = refused(
        s, ItemNotInCase, items=[ItemSelection(item=world.item), ItemSelection(item=stranger_item)]
    )
    assert error.field == "items"
    same_agency_other_child = ItemFactory(case__agency=world.agency)
    refused(s, ItemNotInCase, items=[ItemSelection(item=same_agency_other_child)])
    stranger_address = AddressFactory(person=world.other_case.subject)
    refused(s, ItemNotInCase, addresses=[AddressSelection(address=stranger_address)])


def test_misuse_no_disclosure_outside_an_agreement_to_an_email_or_without_an_allowing_decision(
    s: Sharing,
) -> None:
    world = s.world
    # To an email address: never a recipient.
    assert refused(s, RecipientNotEntitled, recipient="fake.officer@example.test").field == (
        "recipient"
    )
    # To a practitioner of an agency outside any agreement (a school, not a statutory partner).
    school = AgencyFactory(name="Fakeshire Primary", agency_type=AgencyType.SCHOOL)
    teacher = PractitionerFactory(agency=school)
    to_school = approved_decision(
        world,
        facts(recipient=Recipient.NOT_ENTITLED),
        recipient_agency=school,
        outcome="share_without_consent",
        override_reason="Testing a share to an agency outside the agreement",
    )
    refused(s, RecipientNotEntitled, decision=to_school, recipient=teacher)
    # To someone at an agency other than the one the decision names.
    refused(s, RecipientNotEntitled, recipient=teacher)
    # Within the sharer's own agency.
    refused(s, RecipientNotEntitled, recipient=world.colleague)
    # When the agreement is suspended.
    agreement_set_status(actor=world.dsl, agreement=s.agreement, status=AgreementStatus.SUSPENDED)
    refused(s, RecipientNotEntitled)
    agreement_set_status(actor=world.dsl, agreement=s.agreement, status=AgreementStatus.ACTIVE)
    # Under a decision whose outcome does not allow sharing.
    do_not_share = record(
        world, facts(consent=ConsentState.REFUSED, significant_harm_concern=False)
    )
    refused(s, DecisionDoesNotAllowSharing, decision=do_not_share)
    # Under a decision awaiting approval, or whose approval was declined.
    awaiting = record(world, facts(recipient=Recipient.AGREEMENT))
    refused(s, DecisionDoesNotAllowSharing, decision=awaiting)
    decision_approve(actor=world.dsl, decision=awaiting, approved=False, comment="Not enough")
    awaiting.refresh_from_db()
    refused(s, DecisionDoesNotAllowSharing, decision=awaiting)
    # Under another agency's decision, or one since reconsidered.
    refused(s, DecisionDoesNotAllowSharing, actor=world.outsider)
    approved_decision(
        world,
        supersedes=s.decision,
        reconsideration_reason="New information from the fake school",
    )
    refused(s, DecisionDoesNotAllowSharing)


def test_misuse_self_approval_of_a_share_without_consent(s: Sharing) -> None:
    world = s.world
    mine = record(world, facts(recipient=Recipient.AGREEMENT), actor=world.dsl)
    assert mine.approval_required
    with pytest.raises(SelfApprovalRefused):
        decision_approve(actor=world.dsl, decision=mine, approved=True)
    mine.refresh_from_db()
    # Still unapproved, so the decider cannot share under it.
    refused(s, DecisionDoesNotAllowSharing, actor=world.dsl, decision=mine)


def test_misuse_recipient_cannot_read_content_after_expiry_or_revocation(s: Sharing) -> None:
    world = s.world
    expiring = issue(s, expires_at=NOW + dt.timedelta(days=1))
    assert access_disclosure_content(s.recipient, expiring.pk) == expiring
    with clock.advanced(dt.timedelta(days=1)):
        with pytest.raises(NotFound):
            access_disclosure_content(s.recipient, expiring.pk)
        # The record stays: its details, and the ledger.
        assert access_disclosure(s.recipient, expiring.pk).state == "expired"
        with pytest.raises(DisclosureTransitionInvalid):
            disclosure_acknowledge(actor=s.recipient, disclosure=expiring)
    revoked = issue(s)
    disclosure_revoke(actor=world.worker, disclosure=revoked, reason="Shared in error")
    with pytest.raises(NotFound):
        access_disclosure_content(s.recipient, revoked.pk)
    assert access_disclosure(s.recipient, revoked.pk).state == "revoked"
    assert LedgerEntry.objects.filter(
        event_code=Event.DISCLOSURE_ISSUED, object_id=str(revoked.pk)
    ).exists()
    # The sharing agency keeps its record of what it shared.
    assert access_disclosure_content(world.worker, revoked.pk) == revoked


# --- After issue: the recipient's steps and the sharer's answer ----------------------------------


def test_recipient_acknowledges_accepts_the_undertaking_and_reads_back_which_is_corrected_then_confirmed(  # noqa: E501
    s: Sharing,
) -> None:
    world = s.world
    disclosure = issue(s)
    disclosure_acknowledge(actor=s.recipient, disclosure=disclosure)
    assert disclosure.acknowledged_at == NOW
    disclosure_accept_undertaking(actor=s.recipient, disclosure=disclosure)
    disclosure_read_back(
        actor=s.recipient, disclosure=disclosure, understanding="The child is in danger at home."
    )
    assert disclosure.status == DisclosureStatus.READ_BACK
    disclosure_read_back_correct(
        actor=world.worker,
        disclosure=disclosure,
        correction="Tired and hungry once: a concern, not evidence of danger.",
    )
    assert disclosure.status == DisclosureStatus.READ_BACK_CORRECTED
    disclosure_read_back(
        actor=s.recipient, disclosure=disclosure, understanding="One worrying observation."
    )
    disclosure_read_back_confirm(actor=world.worker, disclosure=disclosure)
    disclosure.refresh_from_db()
    assert disclosure.status == DisclosureStatus.READ_BACK_CONFIRMED
    assert disclosure.read_back == "One worrying observation."
    codes = list(
        LedgerEntry.objects.filter(object_id=str(disclosure.pk))
        .order_by("occurred_at", "pk")
        .values_list("event_code", flat=True)
    )
    for event in (
        Event.DISCLOSURE_ISSUED,
        Event.DISCLOSURE_ACKNOWLEDGED,
        Event.DISCLOSURE_UNDERTAKING_ACCEPTED,
        Event.DISCLOSURE_READ_BACK,
        Event.DISCLOSURE_READ_BACK_CORRECTED,
        Event.DISCLOSURE_READ_BACK_CONFIRMED,
    ):
        assert int(event) in codes


def test_only_the_named_recipient_takes_the_recipients_steps(s: Sharing) -> None:
    disclosure = issue(s)
    colleague_of_recipient = PractitionerFactory(agency=s.world.other_agency)
    for actor in (colleague_of_recipient, s.world.worker, s.world.outsider):
        with pytest.raises(DisclosureTransitionInvalid):
            disclosure_acknowledge(actor=actor, disclosure=disclosure)
    disclosure.refresh_from_db()
    assert disclosure.status == DisclosureStatus.ISSUED


def test_steps_out_of_order_are_refused_and_change_nothing(s: Sharing) -> None:
    disclosure = issue(s)
    before = LedgerEntry.objects.count()
    with pytest.raises(DisclosureTransitionInvalid):
        disclosure_read_back(actor=s.recipient, disclosure=disclosure, understanding="x")
    with pytest.raises(DisclosureTransitionInvalid):
        disclosure_accept_undertaking(actor=s.recipient, disclosure=disclosure)
    with pytest.raises(DisclosureTransitionInvalid):
        disclosure_read_back_confirm(actor=s.world.worker, disclosure=disclosure)
    assert LedgerEntry.objects.count() == before
    disclosure.refresh_from_db()
    assert disclosure.status == DisclosureStatus.ISSUED


def test_only_the_sharing_agency_confirms_corrects_or_revokes(s: Sharing) -> None:
    disclosure = issue(s)
    disclosure_acknowledge(actor=s.recipient, disclosure=disclosure)
    disclosure_accept_undertaking(actor=s.recipient, disclosure=disclosure)
    disclosure_read_back(actor=s.recipient, disclosure=disclosure, understanding="Understood")
    with pytest.raises(DisclosureTransitionInvalid):
        disclosure_read_back_confirm(actor=s.recipient, disclosure=disclosure)
    with pytest.raises(DisclosureTransitionInvalid):
        disclosure_revoke(actor=s.world.outsider, disclosure=disclosure, reason="Mine now")
    with pytest.raises(DisclosureInvalid):
        disclosure_revoke(actor=s.world.worker, disclosure=disclosure, reason=" ")
    with pytest.raises(DisclosureInvalid):
        disclosure_read_back_correct(actor=s.world.worker, disclosure=disclosure, correction="")
    disclosure.refresh_from_db()
    assert disclosure.status == DisclosureStatus.READ_BACK


def test_a_revoked_disclosure_cannot_be_revoked_or_acknowledged_again(s: Sharing) -> None:
    disclosure = issue(s)
    disclosure_revoke(actor=s.world.worker, disclosure=disclosure, reason="Shared in error")
    assert disclosure.revoked_by == s.world.worker
    with pytest.raises(DisclosureTransitionInvalid):
        disclosure_revoke(actor=s.world.worker, disclosure=disclosure, reason="Again")
    with pytest.raises(DisclosureTransitionInvalid):
        disclosure_acknowledge(actor=s.recipient, disclosure=disclosure)


# --- Review: gaps closed -------------------------------------------------------------------------


def test_misuse_no_disclosure_under_a_decision_whose_consent_was_withdrawn_or_has_expired(
    world: World,
) -> None:
    s = sharing(world)
    consent = given_consent(world, world.other_agency)
    on_consent = facts(
        consent=ConsentState.GIVEN, significant_harm_concern=False, recipient=Recipient.AGREEMENT
    )
    s.decision = approved_decision(world, on_consent, consent=consent)
    assert not s.decision.approval_required
    # The consent runs out (given_consent lasts until 1 May 2027): no more sharing on it.
    with clock.frozen(dt.datetime(2027, 5, 2, 9, 0, tzinfo=dt.UTC)):
        assert refused(s, DecisionDoesNotAllowSharing).field == "decision"
    assert issue(s).status == DisclosureStatus.ISSUED
    consent_withdraw_with_recall(actor=world.worker, consent=consent, note="Mother withdrew")
    s.decision.refresh_from_db()
    assert refused(s, DecisionDoesNotAllowSharing).field == "decision"


def test_misuse_an_approval_by_the_decider_themselves_never_allows_sharing(s: Sharing) -> None:
    world = s.world
    mine = record(world, facts(recipient=Recipient.AGREEMENT), actor=world.dsl)
    assert mine.approval_required
    # However it got there (an import, the admin), a self-approval is no approval.
    DecisionApproval.objects.create(decision=mine, approver=world.dsl, approved=True)
    mine.refresh_from_db()
    refused(s, DecisionDoesNotAllowSharing, actor=world.dsl, decision=mine)


def test_misuse_protected_address_never_reaches_an_alleged_perpetrator_of_another_case(
    s: Sharing,
) -> None:
    world = s.world
    refuge = AddressFactory(
        person=world.case.subject, lines="Fake Refuge, 9 Hidden Row", is_protected=True
    )
    # Recorded as alleged perpetrator in a case the recipient's own agency holds, not this one.
    InvolvementFactory(
        case=world.other_case,
        person=PersonFactory(agency=world.other_case.agency),
        relationship=Relationship.ALLEGED_PERPETRATOR,
        practitioner=s.recipient,
    )
    refused(
        s,
        ProtectedContentRefused,
        addresses=[AddressSelection(address=refuge, inclusion_reason="Needed for a visit")],
    )
    # The rest of what is shared may still go to them.
    assert issue(s).addresses.count() == 0


def test_a_request_answered_meanwhile_cannot_be_answered_again_from_a_page_loaded_before(
    s: Sharing,
) -> None:
    world = s.world
    child = world.case.subject
    child.nhs_number = "9434765919"
    child.save()
    request = request_create(
        actor=s.recipient,
        receiving_agency=world.agency,
        kind="request",
        purpose="child_protection",
        urgency="within_24_hours",
        information_sought="Recent concerns",
        justification="Fake strategy discussion tomorrow",
        nhs_number="9434765919",
    )
    loaded_earlier = InformationRequest.objects.get(pk=request.pk)
    issue(s, request=request)
    assert refused(s, DisclosureInvalid, request=loaded_earlier).field == "request"
    assert LedgerEntry.objects.filter(event_code=Event.REQUEST_ANSWERED).count() == 1


def test_recipient_cannot_move_a_disclosure_again_from_a_page_loaded_before(s: Sharing) -> None:
    disclosure = issue(s)
    loaded_earlier = Disclosure.objects.get(pk=disclosure.pk)
    disclosure_acknowledge(actor=s.recipient, disclosure=disclosure)
    with pytest.raises(DisclosureTransitionInvalid):
        disclosure_acknowledge(actor=s.recipient, disclosure=loaded_earlier)
    assert LedgerEntry.objects.filter(event_code=Event.DISCLOSURE_ACKNOWLEDGED).count() == 1
    assert loaded_earlier.status == DisclosureStatus.ACKNOWLEDGED  # reloaded, not left stale


def test_sharer_cannot_confirm_and_correct_a_read_back_from_two_tabs(s: Sharing) -> None:
    disclosure = issue(s)
    disclosure_acknowledge(actor=s.recipient, disclosure=disclosure)
    disclosure_accept_undertaking(actor=s.recipient, disclosure=disclosure)
    disclosure_read_back(actor=s.recipient, disclosure=disclosure, understanding="Fake summary")
    first_tab = Disclosure.objects.get(pk=disclosure.pk)
    second_tab = Disclosure.objects.get(pk=disclosure.pk)
    disclosure_read_back_confirm(actor=s.world.worker, disclosure=first_tab)
    with pytest.raises(DisclosureTransitionInvalid):
        disclosure_read_back_correct(
            actor=s.world.worker, disclosure=second_tab, correction="Fake correction"
        )
    disclosure.refresh_from_db()
    assert disclosure.status == DisclosureStatus.READ_BACK_CONFIRMED
    assert not LedgerEntry.objects.filter(event_code=Event.DISCLOSURE_READ_BACK_CORRECTED).exists()


def test_misuse_alleged_perpetrator_recorded_after_sharing_no_longer_sees_a_protected_address(
    s: Sharing,
) -> None:
    world = s.world
    refuge = AddressFactory(
        person=world.case.subject, lines="Fake Refuge, 9 Hidden Row", is_protected=True
    )
    home = AddressFactory(person=world.case.subject, lines="1 Testshire Lane")
    disclosure = issue(
        s,
        addresses=[
            AddressSelection(address=refuge, inclusion_reason="Needed for a joint visit"),
            AddressSelection(address=home),
        ],
    )
    other = PractitionerFactory(agency=world.other_agency)
    to_other = issue(
        s,
        recipient=other,
        addresses=[AddressSelection(address=refuge, inclusion_reason="Needed for a joint visit")],
    )
    before = disclosure_content_view(disclosure=disclosure)
    assert [a.lines for a in before.addresses] == ["Fake Refuge, 9 Hidden Row", "1 Testshire Lane"]
    # Later recorded as alleged perpetrator, in a case of another agency.
    InvolvementFactory(
        case=world.other_case,
        person=PersonFactory(agency=world.other_case.agency),
        relationship=Relationship.ALLEGED_PERPETRATOR,
        practitioner=s.recipient,
    )
    after = disclosure_content_view(disclosure=disclosure)
    assert [a.lines for a in after.addresses] == ["1 Testshire Lane"]
    assert "Hidden Row" not in render_disclosure(after)
    assert after.items == before.items
    # Another recipient of the same address still sees it.
    assert [a.lines for a in disclosure_content_view(disclosure=to_other).addresses] == [
        "Fake Refuge, 9 Hidden Row"
    ]
