"""Recording, approving and reconsidering sharing decisions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from safeshare.access.capabilities import Capability
from safeshare.access.fetch import access_decision
from safeshare.access.policy import can
from safeshare.agencies.models import Role
from safeshare.consent.models import ConsentRecall
from safeshare.core import clock
from safeshare.core.exceptions import DomainError, NotFound
from safeshare.decisions.engine import ConsentState, NotSoughtReason, evaluate
from safeshare.decisions.exceptions import (
    ApprovalInvalid,
    DecisionInvalid,
    LawfulBasisMissing,
    SelfApprovalRefused,
)
from safeshare.decisions.models import DecisionIsImmutable, SharingDecision
from safeshare.decisions.selectors import approvals_awaited, approvals_overdue
from safeshare.decisions.services import consent_withdraw_with_recall, decision_approve
from safeshare.ledger.events import Event
from safeshare.ledger.models import LedgerEntry
from tests.conftest import World
from tests.decisions.helpers import facts, given_consent, record
from tests.factories import PractitionerFactory

pytestmark = pytest.mark.django_db

MONDAY_NOON = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)
FRIDAY_NOON = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)


def test_decision_keeps_the_recommendation_and_rule_version_beside_the_outcome(
    world: World,
) -> None:
    decision = record(world)
    engine = evaluate(facts())
    assert decision.recommendation == engine.recommendation
    assert decision.rule_version == engine.rule_version
    assert decision.engine_outcome["recommendation"] == str(engine.recommendation)
    assert LedgerEntry.objects.filter(
        event_code=Event.DECISION_RECORDED, object_id=str(decision.pk)
    ).exists()


def test_a_recorded_decision_cannot_be_changed_or_deleted(world: World) -> None:
    decision = record(world)
    decision.outcome = "do_not_share"
    with pytest.raises(DecisionIsImmutable):
        decision.save()
    with pytest.raises(DecisionIsImmutable):
        decision.delete()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"reasons": "  "}, "reasons"),
        ({"lawful_basis": None}, "article_6"),
        ({"lawful_basis": {"article_6": "art6_1_z"}}, "article_6"),
        ({"outcome": "do_not_share"}, "override_reason"),
        ({"recipient_agency": None}, "recipient"),
        ({"what_to_share": ""}, "what_to_share"),
        ({"purpose": "early_help"}, "purpose"),
    ],
)
def test_refused_decisions_say_why_and_write_nothing(
    world: World, changes: dict[str, object], field: str
) -> None:
    before = (SharingDecision.objects.count(), LedgerEntry.objects.count())
    with pytest.raises(DomainError) as error:
        record(world, **changes)
    assert error.value.field == field
    assert error.value.message
    assert (SharingDecision.objects.count(), LedgerEntry.objects.count()) == before


def test_a_refused_decision_leaves_the_callers_transaction_usable(world: World) -> None:
    """Refusals are raised before anything is written (recording takes no savepoint of its
    own), so a caller that catches one inside its transaction can go on and record."""
    before = (SharingDecision.objects.count(), LedgerEntry.objects.count())
    with transaction.atomic():
        with pytest.raises(DecisionInvalid):
            record(world, reasons=" ")
        decision = record(world)
    assert SharingDecision.objects.count() == before[0] + 1
    assert (
        LedgerEntry.objects.filter(
            event_code=Event.DECISION_RECORDED, object_id=str(decision.pk)
        ).count()
        == 1
    )


class _CallerFailed(Exception):
    pass


def test_the_decision_and_its_ledger_entry_are_undone_with_the_callers_transaction(
    world: World,
) -> None:
    before = (SharingDecision.objects.count(), LedgerEntry.objects.count())
    with pytest.raises(_CallerFailed), transaction.atomic():
        record(world)
        raise _CallerFailed
    assert (SharingDecision.objects.count(), LedgerEntry.objects.count()) == before


def test_special_category_share_needs_article_9_and_schedule_1(world: World) -> None:
    the_facts = facts(special_category=True)
    with pytest.raises(LawfulBasisMissing):
        record(world, the_facts, lawful_basis={"article_6": "art6_1_e"})


def test_criminal_offence_data_share_needs_article_10(world: World) -> None:
    the_facts = facts(criminal_offence_data=True)
    basis = evaluate(the_facts).lawful_basis
    assert basis is not None
    with pytest.raises(LawfulBasisMissing):
        record(
            world,
            the_facts,
            lawful_basis={"article_6": basis.article_6, "article_9": None, "article_10": None},
        )


def test_overriding_the_recommendation_needs_a_reason_and_is_kept(world: World) -> None:
    decision = record(
        world,
        outcome="seek_advice",
        override_reason="I want the DSL's view before anything leaves the school.",
        lawful_basis=None,
    )
    assert decision.differs_from_recommendation
    assert decision.override_reason.startswith("I want")


def test_share_without_consent_needs_approval_and_nobody_approves_their_own(
    world: World,
) -> None:
    decision = record(world)
    assert decision.consent_state == ConsentState.NOT_ASKED
    assert decision.approval_required
    worker_as_dsl = world.worker
    worker_as_dsl.role_assignments.create(role=Role.DSL)
    worker_as_dsl.forget_cached_roles()
    with pytest.raises(SelfApprovalRefused):
        decision_approve(actor=worker_as_dsl, decision=decision, approved=True)
    approval = decision_approve(actor=world.dsl, decision=decision, approved=True)
    assert approval.approved
    with pytest.raises(ApprovalInvalid):
        decision_approve(actor=world.dsl, decision=decision, approved=True)
    assert LedgerEntry.objects.filter(event_code=Event.DECISION_APPROVED).count() == 1


def test_declining_needs_a_comment(world: World) -> None:
    decision = record(world)
    with pytest.raises(ApprovalInvalid):
        decision_approve(actor=world.dsl, decision=decision, approved=False, comment="")


def test_share_with_consent_needs_no_approval(world: World) -> None:
    consent = given_consent(world, world.other_agency)
    with clock.frozen(dt.datetime(2026, 11, 20, 9, tzinfo=dt.UTC)):
        decision = record(
            world,
            facts(consent=ConsentState.GIVEN, significant_harm_concern=False),
            consent=consent,
        )
    assert not decision.approval_required
    with pytest.raises(ApprovalInvalid):
        decision_approve(actor=world.dsl, decision=decision, approved=True)


def test_urgent_share_without_consent_is_due_for_approval_within_one_working_day(
    world: World,
) -> None:
    with clock.frozen(FRIDAY_NOON):
        decision = record(world, is_urgent=True)
    assert decision.approval_due_at == dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)
    awaited = SharingDecision.objects.all()
    with clock.frozen(MONDAY_NOON + dt.timedelta(days=7, minutes=1)):
        assert list(approvals_overdue(decisions=awaited)) == [decision]
        assert decision.approval_overdue
    with clock.frozen(FRIDAY_NOON):
        assert list(approvals_overdue(decisions=awaited)) == []
        assert list(approvals_awaited(decisions=awaited)) == [decision]
        assert not decision.approval_overdue
    decision_approve(actor=world.dsl, decision=decision, approved=True)
    with clock.frozen(MONDAY_NOON + dt.timedelta(days=30)):
        assert not decision.approval_overdue
        assert list(approvals_overdue(decisions=awaited)) == []


def test_reconsideration_is_a_new_decision_linked_to_the_old(world: World) -> None:
    first = record(
        world,
        facts(significant_harm_concern=False, consent=ConsentState.REFUSED),
        outcome="do_not_share",
        lawful_basis=None,
        override_reason="",
    )
    with pytest.raises(DecisionInvalid):
        record(world, supersedes=first)
    second = record(world, supersedes=first, reconsideration_reason="New bruising reported.")
    assert second.supersedes == first
    first.refresh_from_db()
    assert first.outcome == "do_not_share"


def test_withdrawing_consent_creates_a_recall_for_each_share_made_on_it(world: World) -> None:
    consent = given_consent(world, world.other_agency)
    with clock.frozen(dt.datetime(2026, 11, 20, 9, tzinfo=dt.UTC)):
        decision = record(
            world,
            facts(consent=ConsentState.GIVEN, significant_harm_concern=False),
            consent=consent,
        )
        consent_withdraw_with_recall(
            actor=world.worker, consent=consent, note="Mother withdrew consent by phone."
        )
    recall = ConsentRecall.objects.get(consent=consent)
    assert recall.shared_object_id == str(decision.pk)
    assert LedgerEntry.objects.filter(event_code=Event.RECALL_CREATED).exists()


def test_not_sought_for_a_reason_the_guidance_allows_is_a_share_without_consent(
    world: World,
) -> None:
    the_facts = facts(
        consent=ConsentState.NOT_SOUGHT,
        consent_not_sought_reason=NotSoughtReason.CHILD_AT_INCREASED_RISK,
        consent_would_increase_risk_to_child=True,
    )
    decision = record(world, the_facts)
    assert decision.approval_required
    assert decision.outcome in {"share_without_consent", "refer_now"}


@pytest.mark.parametrize(
    ("who", "visible"), [("worker", True), ("dsl", True), ("colleague", False), ("outsider", False)]
)
def test_decisions_follow_the_visibility_of_their_case(
    world: World, who: str, visible: bool
) -> None:
    decision = record(world)
    actor = getattr(world, who)
    assert can(actor, Capability.DECISION_VIEW, decision) is visible
    if not visible:
        with pytest.raises(NotFound):
            access_decision(actor, decision.pk)


def test_only_a_dsl_holds_the_approval_capability(world: World) -> None:
    decision = record(world)
    assert can(world.dsl, Capability.DECISION_APPROVE, decision)
    assert not can(world.worker, Capability.DECISION_APPROVE, decision)
    assert not can(world.outsider, Capability.DECISION_APPROVE, decision)
    other_dsl = PractitionerFactory(agency=world.other_agency, roles=[Role.DSL])
    assert not can(other_dsl, Capability.DECISION_APPROVE, decision)
