"""The interpreter: walks one version's rule tables over the facts. (No safeguarding logic here.)

``rules_applied`` lists, in order, the flow rows that matched (notes and the deciding row), then,
for a sharing recommendation, the Article 6 row and the Article 9 / 10 condition row, then the
"who to tell" rows. The "what to record" rows appear in ``must_record`` (as lines), not in
``rules_applied``, to keep the cited rules short.
"""

from __future__ import annotations

from safeshare.decisions.engine.facts import Facts
from safeshare.decisions.engine.outcome import (
    SHARING_RECOMMENDATIONS,
    AppliedRule,
    Contradiction,
    LawfulBasis,
    Notify,
    Outcome,
    Recommendation,
)
from safeshare.decisions.engine.rules import CURRENT_VERSION, rule_set
from safeshare.decisions.engine.table import RuleSet, Situation


class RuleTableError(RuntimeError):
    """A rule table is broken (a programming error, caught by the engine's tests)."""


def situation(facts: Facts, rules: RuleSet) -> Situation:
    """The facts plus the Article 6 row and the special/criminal condition row that fit them."""
    # Plain loops rather than a helper taking a lambda: this runs on every evaluation.
    for article_6 in rules.article_6:
        if article_6.when(facts):
            break
    else:
        raise RuleTableError(f"{rules.version}: no Article 6 row matched")
    condition = None
    if facts.special_category or facts.criminal_offence_data:
        for row in rules.conditions:
            if row.when(facts):
                condition = row
                break
    contradictions = []
    for contradiction in rules.contradictions:
        if contradiction.when(facts):
            contradictions.append(contradiction)
    return Situation(
        facts=facts, article_6=article_6, condition=condition, contradictions=tuple(contradictions)
    )


def manager_approval_for(
    facts: Facts, recommendation: Recommendation, *, version: str = CURRENT_VERSION
) -> bool:
    """Does sharing as ``recommendation`` (the practitioner's decision, which may differ from the
    engine's) need a DSL's or manager's approval under ``version``'s approval table?"""
    if recommendation not in SHARING_RECOMMENDATIONS:
        return False
    rules = rule_set(version)
    s = situation(facts, rules)
    return any(row.when(s, recommendation) for row in rules.approval)


def evaluate(facts: Facts, *, version: str = CURRENT_VERSION) -> Outcome:
    """Recommend what to do with ``facts`` under rule ``version`` (raises UnknownRuleVersion)."""
    rules = rule_set(version)
    s = situation(facts, rules)
    applied: list[AppliedRule] = []
    reasons: list[str] = []

    recommendation: Recommendation | None = None
    for rule in rules.flow:
        if rule.when(s):
            applied.append(rule.applied)
            reasons.append(rule.reason)
            if rule.recommendation is not None:
                recommendation = rule.recommendation
                break
    if recommendation is None:
        raise RuleTableError(f"{rules.version}: the flow ended without a recommendation")

    lawful_basis = None
    if recommendation in SHARING_RECOMMENDATIONS:
        if s.condition_missing:
            raise RuleTableError(f"{rules.version}: sharing recommended without a condition")
        applied.append(s.article_6.applied)
        reasons.append(s.article_6.reason)
        cond = s.condition
        if cond is not None:
            applied.append(cond.applied)
            reasons.append(cond.reason)
        lawful_basis = LawfulBasis(
            article_6=s.article_6.code,
            article_9=cond.article_9 if cond is not None and facts.special_category else None,
            schedule_1=cond.schedule_1 if cond is not None and facts.special_category else None,
            article_10=cond.article_10
            if cond is not None and facts.criminal_offence_data
            else None,
        )

    must_tell: list[Notify] = []
    not_told_reason: str | None = None
    for tell in rules.tell:
        if tell.when(s, recommendation):
            applied.append(tell.applied)
            reasons.append(tell.reason)
            if tell.notify is not None and tell.notify not in must_tell:
                must_tell.append(tell.notify)
            if tell.not_told_reason is not None and not_told_reason is None:
                not_told_reason = tell.not_told_reason

    manager_approval = False
    if recommendation in SHARING_RECOMMENDATIONS:
        for approval in rules.approval:
            if approval.when(s, recommendation):
                applied.append(approval.applied)
                reasons.append(approval.reason)
                manager_approval = True

    must_record = []
    for row in rules.record:
        if row.when(s, recommendation):
            must_record.append(row.item)
    if recommendation is Recommendation.CHECK_ANSWERS and not s.contradictions:
        raise RuleTableError(f"{rules.version}: 'check your answers' with nothing to check")

    return Outcome(
        recommendation=recommendation,
        rule_version=rules.version,
        rules_applied=tuple(applied),
        reasons=tuple(reasons),
        lawful_basis=lawful_basis,
        must_record=tuple(must_record),
        must_tell=tuple(must_tell),
        individual_not_told_reason=not_told_reason,
        contradictions=tuple(
            Contradiction(id=row.id, text=row.text, fields=row.fields) for row in s.contradictions
        ),
        manager_approval=manager_approval,
    )
