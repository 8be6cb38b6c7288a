"""Sharing decisions through the API: evaluate (no side effects), record every outcome, read,
list, and approve; refusals change nothing."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from safeshare.agencies.models import Agency, AgencyType
from safeshare.api.schemas.decisions import FactsIn
from safeshare.core import clock
from safeshare.decisions.engine import FACT_FIELDS, Recommendation, facts_to_mapping
from safeshare.decisions.models import DecisionApproval, SharingDecision
from safeshare.ledger.events import Event
from safeshare.ledger.models import LedgerEntry
from tests.api.conftest import ApiCaller, ledger_count, not_found_body
from tests.conftest import World
from tests.decisions.helpers import BASE_FACTS, given_consent, record
from tests.decisions.helpers import facts as facts_with

pytestmark = pytest.mark.django_db

Caller = Callable[..., ApiCaller]
NOW = dt.datetime(2026, 11, 20, 9, tzinfo=dt.UTC)
REASONS = "Bruising seen twice in a week; the school nurse is worried."
WHAT = "The two observations of bruising, with dates and who saw them."

# Facts (changes from BASE_FACTS, whose recipient is a statutory partner) reaching each outcome.
FACTS_FOR: dict[Recommendation, dict[str, Any]] = {
    Recommendation.REFER_NOW: {},
    Recommendation.SHARE: {"consent": "given", "significant_harm_concern": False},
    Recommendation.SHARE_WITHOUT_CONSENT: {
        "significant_harm_concern": False,
        "statutory_duty_or_court_order": True,
    },
    Recommendation.SEEK_CONSENT: {"significant_harm_concern": False},
    Recommendation.SEEK_ADVICE: {"harm": "not_sure", "significant_harm_concern": None},
    Recommendation.DO_NOT_SHARE: {"consent": "refused", "significant_harm_concern": False},
    Recommendation.NOT_PERSONAL_DATA: {
        "identifies_living_person": "no",
        "significant_harm_concern": False,
    },
    Recommendation.VERIFY_RECIPIENT: {
        "significant_harm_concern": False,
        "asked_by": "other_agency",
        "recipient_verified": "no",
    },
}
RECORDABLE = [r for r in Recommendation if r is not Recommendation.CHECK_ANSWERS]


@pytest.fixture(autouse=True)
def frozen_clock() -> Iterator[None]:
    with clock.frozen(NOW):
        yield


def facts_body(**changes: Any) -> dict[str, Any]:
    body = facts_to_mapping(BASE_FACTS)
    body.update(changes)
    return body


def decision_body(world: World, facts: dict[str, Any], outcome: dict[str, Any]) -> dict[str, Any]:
    """Record what the engine recommended, on the basis it suggested, to the other agency."""
    return {
        "facts": facts,
        "outcome": outcome["recommendation"],
        "reasons": REASONS,
        "recipient_agency_id": str(world.other_agency.pk),
        "lawful_basis": outcome["lawful_basis"],
        "what_to_share": WHAT,
    }


def evaluate(caller: ApiCaller, facts: dict[str, Any]) -> dict[str, Any]:
    response = caller.post("/api/decisions/evaluate", {"facts": facts})
    assert response.status_code == 200, response.content
    outcome: dict[str, Any] = response.json()
    return outcome


def writes() -> tuple[int, int, int]:
    return (
        SharingDecision.objects.count(),
        DecisionApproval.objects.count(),
        ledger_count(Event.DECISION_RECORDED) + ledger_count(Event.DECISION_APPROVED),
    )


# --- Evaluate ------------------------------------------------------------------------------------


def test_the_facts_schema_mirrors_the_engine_facts() -> None:
    assert sorted(FactsIn.model_fields) == sorted(FACT_FIELDS)


def test_worker_can_evaluate_facts_and_nothing_is_written(world: World, call_as: Caller) -> None:
    caller = call_as(world.worker)
    evaluate(caller, facts_body())  # the token's first use is noted once a minute
    ledger_before = LedgerEntry.objects.count()
    outcome = evaluate(caller, facts_body())
    assert outcome["recommendation"] == "refer_now"
    assert outcome["rule_version"]
    assert outcome["rules_applied"]
    assert {"id", "text"} <= set(outcome["rules_applied"][0])
    assert outcome["reasons"]
    assert outcome["lawful_basis"]["article_6"]
    assert set(outcome) == {
        "recommendation",
        "rule_version",
        "rules_applied",
        "reasons",
        "lawful_basis",
        "must_record",
        "must_tell",
        "individual_not_told_reason",
        "contradictions",
        "manager_approval",
    }
    assert LedgerEntry.objects.count() == ledger_before
    assert SharingDecision.objects.count() == 0


def test_evaluate_with_a_reason_for_consent_that_was_sought_is_422_naming_the_field(
    world: World, call_as: Caller
) -> None:
    body = facts_body(consent="given", consent_not_sought_reason="undue_delay")
    response = call_as(world.worker).post("/api/decisions/evaluate", {"facts": body})
    assert response.status_code == 422
    assert response.json()["field"] == "consent_not_sought_reason"


def test_evaluate_with_an_unknown_answer_is_422_naming_the_field(
    world: World, call_as: Caller
) -> None:
    body = facts_body(confidential="perhaps")
    response = call_as(world.worker).post("/api/decisions/evaluate", {"facts": body})
    assert response.status_code == 422
    assert response.json()["field"] == "confidential"


def test_evaluate_with_a_missing_or_extra_fact_is_422(world: World, call_as: Caller) -> None:
    caller = call_as(world.worker)
    missing = facts_body()
    del missing["immediate_danger"]
    assert caller.post("/api/decisions/evaluate", {"facts": missing}).status_code == 422
    extra = facts_body(favourite_colour="blue")
    response = caller.post("/api/decisions/evaluate", {"facts": extra})
    assert response.status_code == 422
    assert response.json()["field"] == "favourite_colour"


def test_agency_admin_without_decision_capability_cannot_evaluate(
    world: World, call_as: Caller
) -> None:
    response = call_as(world.agency_admin).post("/api/decisions/evaluate", {"facts": facts_body()})
    assert response.status_code == 403


# --- Record every outcome ------------------------------------------------------------------------


@pytest.mark.parametrize("recommendation", RECORDABLE, ids=str)
def test_worker_can_record_every_outcome_as_evaluated(
    world: World, call_as: Caller, recommendation: Recommendation
) -> None:
    caller = call_as(world.worker)
    facts = facts_body(**FACTS_FOR[recommendation])
    outcome = evaluate(caller, facts)
    assert outcome["recommendation"] == recommendation
    body = decision_body(world, facts, outcome)
    if facts["consent"] == "given":
        body["consent_id"] = str(given_consent(world, world.other_agency).pk)
        body["categories"] = ["child"]
    response = caller.post(f"/api/cases/{world.case.pk}/decisions", body)
    assert response.status_code == 201, response.content
    decision = response.json()
    assert (decision["outcome"], decision["recommendation"]) == (recommendation, recommendation)
    assert decision["engine_outcome"]["reasons"] == outcome["reasons"]
    assert decision["reasons"] == REASONS
    assert decision["decided_by"]["id"] == str(world.worker.pk)
    stored = SharingDecision.objects.get(pk=decision["id"])
    assert ledger_count(Event.DECISION_RECORDED, object_id=str(stored.pk)) == 1


def test_recipient_entitlement_is_worked_out_by_the_server(world: World, call_as: Caller) -> None:
    """The client says the recipient is a statutory partner; a voluntary group is not."""
    voluntary = Agency.objects.create(
        name="Testshire Youth Club",
        agency_type=AgencyType.VOLUNTARY,
        local_authority_area="Testshire",
    )
    caller = call_as(world.worker)
    facts = facts_body(**FACTS_FOR[Recommendation.SEEK_CONSENT])
    body = decision_body(world, facts, evaluate(caller, facts))
    body["recipient_agency_id"] = str(voluntary.pk)
    body["override_reason"] = "Recorded as seek consent while we check who they are."
    response = caller.post(f"/api/cases/{world.case.pk}/decisions", body)
    assert response.status_code == 201, response.content
    assert response.json()["facts"]["recipient"] == "not_entitled"


def test_decision_differing_from_recommendation_needs_an_override_reason(
    world: World, call_as: Caller
) -> None:
    caller = call_as(world.worker)
    facts = facts_body(**FACTS_FOR[Recommendation.SEEK_CONSENT])
    body = decision_body(world, facts, evaluate(caller, facts))
    body["outcome"] = "do_not_share"
    before = writes()
    response = caller.post(f"/api/cases/{world.case.pk}/decisions", body)
    assert response.status_code == 422
    assert response.json()["field"] == "override_reason"
    assert writes() == before


def test_reconsideration_links_to_the_earlier_decision(world: World, call_as: Caller) -> None:
    earlier = record(world, facts_with(significant_harm_concern=False))
    caller = call_as(world.worker)
    facts = facts_body()
    body = decision_body(world, facts, evaluate(caller, facts))
    body["supersedes_id"] = str(earlier.pk)
    body["reconsideration_reason"] = "The school reported new bruising today."
    response = caller.post(f"/api/cases/{world.case.pk}/decisions", body)
    assert response.status_code == 201, response.content
    assert response.json()["supersedes_id"] == str(earlier.pk)


# --- Refusals: nothing written -------------------------------------------------------------------


def test_decision_without_reasons_is_422_and_nothing_is_written(
    world: World, call_as: Caller
) -> None:
    caller = call_as(world.worker)
    facts = facts_body()
    body = decision_body(world, facts, evaluate(caller, facts))
    body["reasons"] = "   "
    before = writes()
    response = caller.post(f"/api/cases/{world.case.pk}/decisions", body)
    assert response.status_code == 422
    assert response.json()["field"] == "reasons"
    assert writes() == before


def test_refused_decision_leaves_no_ledger_entry_at_all(world: World, call_as: Caller) -> None:
    """The case read, the decision and their entries are one transaction: a refusal keeps none."""
    caller = call_as(world.worker)
    facts = facts_body()
    body = decision_body(world, facts, evaluate(caller, facts))
    body["reasons"] = ""
    before = LedgerEntry.objects.count()
    response = caller.post(f"/api/cases/{world.case.pk}/decisions", body)
    assert response.status_code == 422
    assert LedgerEntry.objects.count() == before


def test_recorded_decision_commits_its_case_read_with_it(world: World, call_as: Caller) -> None:
    caller = call_as(world.worker)
    facts = facts_body()
    body = decision_body(world, facts, evaluate(caller, facts))
    reads_before = ledger_count(Event.CASE_VIEWED, object_id=str(world.case.pk))
    response = caller.post(f"/api/cases/{world.case.pk}/decisions", body)
    assert response.status_code == 201
    assert response.json()["approval"] is None
    assert ledger_count(Event.CASE_VIEWED, object_id=str(world.case.pk)) == reads_before + 1
    assert ledger_count(Event.DECISION_RECORDED, object_id=response.json()["id"]) == 1


def test_share_without_lawful_basis_is_422_and_nothing_is_written(
    world: World, call_as: Caller
) -> None:
    caller = call_as(world.worker)
    facts = facts_body()
    body = decision_body(world, facts, evaluate(caller, facts))
    body["lawful_basis"] = None
    before = writes()
    response = caller.post(f"/api/cases/{world.case.pk}/decisions", body)
    assert response.status_code == 422
    assert response.json()["field"] == "article_6"
    assert writes() == before


def test_colleague_not_allocated_cannot_record_a_decision(world: World, call_as: Caller) -> None:
    caller = call_as(world.colleague)
    facts = facts_body()
    body = decision_body(world, facts, evaluate(caller, facts))
    before = writes()
    response = caller.post(f"/api/cases/{world.case.pk}/decisions", body)
    assert response.status_code == 404
    assert response.json() == not_found_body()
    assert writes() == before


def test_agency_admin_without_the_capability_cannot_record_a_decision(
    world: World, call_as: Caller
) -> None:
    body = decision_body(world, facts_body(), {"recommendation": "refer_now", "lawful_basis": None})
    before = writes()
    response = call_as(world.agency_admin).post(f"/api/cases/{world.case.pk}/decisions", body)
    assert response.status_code == 403
    assert writes() == before


@pytest.mark.parametrize("field", ["recipient_agency_id", "consent_id", "supersedes_id"])
def test_unknown_record_named_in_a_decision_is_404_naming_the_field(
    world: World, call_as: Caller, field: str
) -> None:
    caller = call_as(world.worker)
    facts = facts_body()
    body = decision_body(world, facts, evaluate(caller, facts))
    body[field] = str(uuid.uuid4())
    before = writes()
    response = caller.post(f"/api/cases/{world.case.pk}/decisions", body)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found", "field": field}
    assert writes() == before


# --- Read and list -------------------------------------------------------------------------------


def test_worker_can_read_a_decision_and_the_read_is_recorded(world: World, call_as: Caller) -> None:
    decision = record(world)
    response = call_as(world.worker).get(f"/api/decisions/{decision.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == str(decision.pk)
    assert body["facts"] == facts_to_mapping(BASE_FACTS)
    assert body["approval"] is None
    assert ledger_count(Event.DECISION_VIEWED, object_id=str(decision.pk)) == 1


def test_outsider_gets_the_same_404_for_a_hidden_and_a_missing_decision(
    world: World, call_as: Caller
) -> None:
    decision = record(world)
    caller = call_as(world.outsider)
    hidden = caller.get(f"/api/decisions/{decision.pk}")
    missing = caller.get(f"/api/decisions/{uuid.uuid4()}")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content
    assert hidden.json() == not_found_body()


def test_worker_can_list_case_decisions_and_colleague_gets_404(
    world: World, call_as: Caller
) -> None:
    decision = record(world)
    response = call_as(world.worker).get(f"/api/cases/{world.case.pk}/decisions")
    assert response.status_code == 200
    assert [d["id"] for d in response.json()] == [str(decision.pk)]
    denied = call_as(world.colleague).get(f"/api/cases/{world.case.pk}/decisions")
    assert denied.status_code == 404
    assert denied.json() == not_found_body()


# --- Approvals -----------------------------------------------------------------------------------


def urgent_share_without_consent(world: World) -> SharingDecision:
    return record(world, is_urgent=True)  # refer now, consent not asked: needs approval


def test_dsl_sees_the_approvals_queue_with_overdue_marked(world: World, call_as: Caller) -> None:
    decision = urgent_share_without_consent(world)
    caller = call_as(world.dsl)
    [waiting] = caller.get("/api/decisions/approvals").json()
    assert (waiting["id"], waiting["overdue"]) == (str(decision.pk), False)
    with clock.advanced(dt.timedelta(days=7)):
        [late] = caller.get("/api/decisions/approvals").json()
    assert late["overdue"] is True


def test_worker_without_approve_capability_cannot_see_the_approvals_queue(
    world: World, call_as: Caller
) -> None:
    assert call_as(world.worker).get("/api/decisions/approvals").status_code == 403


def test_outsider_dsl_sees_an_empty_approvals_queue(world: World, call_as: Caller) -> None:
    urgent_share_without_consent(world)
    response = call_as(world.outsider).get("/api/decisions/approvals")
    assert response.status_code == 200
    assert response.json() == []


def test_dsl_can_approve_and_the_approval_is_in_the_ledger(world: World, call_as: Caller) -> None:
    decision = urgent_share_without_consent(world)
    response = call_as(world.dsl).post(
        f"/api/decisions/{decision.pk}/approval", {"approved": True, "comment": "Agreed."}
    )
    assert response.status_code == 201, response.content
    assert response.json()["approver"]["id"] == str(world.dsl.pk)
    assert ledger_count(Event.DECISION_APPROVED, object_id=str(decision.pk)) == 1
    read = call_as(world.worker).get(f"/api/decisions/{decision.pk}").json()
    assert read["approval"]["approved"] is True


def test_dsl_declining_without_a_comment_is_409_and_nothing_is_written(
    world: World, call_as: Caller
) -> None:
    decision = urgent_share_without_consent(world)
    before = writes()
    response = call_as(world.dsl).post(
        f"/api/decisions/{decision.pk}/approval", {"approved": False, "comment": ""}
    )
    assert response.status_code == 409
    assert response.json()["field"] == "comment"
    assert writes() == before


def test_dsl_cannot_approve_their_own_decision(world: World, call_as: Caller) -> None:
    decision = record(world, actor=world.dsl)
    before = writes()
    response = call_as(world.dsl).post(
        f"/api/decisions/{decision.pk}/approval", {"approved": True, "comment": ""}
    )
    assert response.status_code == 409
    assert response.json()["detail"] == "You cannot approve your own decision"
    assert writes() == before


def test_worker_cannot_approve_a_decision(world: World, call_as: Caller) -> None:
    decision = urgent_share_without_consent(world)
    before = writes()
    response = call_as(world.worker).post(
        f"/api/decisions/{decision.pk}/approval", {"approved": True, "comment": ""}
    )
    assert response.status_code == 403
    assert writes() == before


def test_outsider_dsl_gets_404_approving_another_agencys_decision(
    world: World, call_as: Caller
) -> None:
    decision = urgent_share_without_consent(world)
    before = writes()
    response = call_as(world.outsider).post(
        f"/api/decisions/{decision.pk}/approval", {"approved": True, "comment": ""}
    )
    assert response.status_code == 404
    assert response.json() == not_found_body()
    assert writes() == before


def test_recording_a_decision_asks_the_database_seven_questions(
    world: World, call_as: Caller
) -> None:
    """What a record costs in statements, so that a change adding one shows here: the token with
    its practitioner, agency and roles; the case through its visibility rule; the case read's
    ledger entry; the recipient agency; the agreements between the two agencies; the decision;
    its ledger entry. (Plus the savepoint pair of the request's transaction, nested in the
    test's own, which a real request does not pay: there it is BEGIN and COMMIT.)"""
    caller = call_as(world.worker)
    facts = facts_body()
    body = decision_body(world, facts, evaluate(caller, facts))  # the token's use is noted here
    path = f"/api/cases/{world.case.pk}/decisions"
    with CaptureQueriesContext(connection) as queries:
        response = caller.post(path, body)
    assert response.status_code == 201, response.content
    statements = [q["sql"] for q in queries.captured_queries]
    savepoints = [s for s in statements if "SAVEPOINT" in s]
    assert len(savepoints) == 2, statements
    assert len(statements) - len(savepoints) == 7, statements
    decision = SharingDecision.objects.get(pk=response.json()["id"])
    assert ledger_count(Event.CASE_VIEWED, object_id=str(world.case.pk)) >= 1
    assert ledger_count(Event.DECISION_RECORDED, object_id=str(decision.pk)) == 1


def test_a_hidden_case_is_not_found_when_recording_and_nothing_is_written(
    world: World, call_as: Caller
) -> None:
    """The record path reads only the case row, through the same rule: a colleague who is not
    allocated gets the same 404 as for a case that does not exist."""
    caller = call_as(world.colleague)
    facts = facts_body()
    body = decision_body(world, facts, evaluate(call_as(world.worker), facts))
    before = writes()
    for case_id in (world.case.pk, uuid.uuid4()):
        response = caller.post(f"/api/cases/{case_id}/decisions", body)
        assert response.status_code == 404
        assert response.json() == not_found_body()
    assert writes() == before
