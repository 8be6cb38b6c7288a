"""The shapes of a rule table. A rule version is a module that fills a :class:`RuleSet` with rows.

Each row is data: a stable id (never reused), a text in our own words, a condition over the facts,
and an effect. The interpreter (``evaluate.py``) only walks rows; it holds no safeguarding logic.

Tables, in the order the interpreter uses them:

``article_6``   first matching row gives the UK GDPR Article 6 basis to suggest.
``conditions``  first matching row gives the Article 9 + Schedule 1 and Article 10 conditions for
                special category and criminal offence data (no row matching: none is available).
``contradictions`` every matching row names answers that cannot all be true; the flow can test
                ``Situation.contradictions`` (2024.2 answers "check your answers" before any
                recommendation).
``flow``        walked top to bottom; a row whose ``recommendation`` is None is a note (its reason
                is added and the walk goes on); the first matching row with a recommendation
                ends it.
``tell``        every matching row applies: who must be told, or why the individual is not told.
``record``      every matching row adds a line to what the practitioner must record.
``approval``    any matching row means a DSL or manager must approve the share (2024.2: a
                recipient whose identity is in doubt, seed 003 section 3.5).

A version also says which facts it asks (``required_facts``, and ``optional_facts`` that have a
default in ``Facts``), so that the one validator reads each version's input.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from safeshare.decisions.engine.facts import Facts
from safeshare.decisions.engine.outcome import AppliedRule, Notify, Recommendation


class _Cited:
    """A row that shows up in ``Outcome.rules_applied``: its entry is built once per row, not on
    every evaluation (rows are immutable, so the entry never goes stale)."""

    id: str
    text: str

    @cached_property
    def applied(self) -> AppliedRule:
        return AppliedRule(id=self.id, text=self.text)


@dataclass(frozen=True)
class Article6Row(_Cited):
    id: str
    text: str
    when: Callable[[Facts], bool]
    code: str  # lawful basis catalogue code, kind "article_6"
    reason: str


@dataclass(frozen=True)
class ConditionRow(_Cited):
    """The extra condition that special category / criminal offence data needs."""

    id: str
    text: str
    when: Callable[[Facts], bool]
    article_9: str
    schedule_1: str | None  # None only where the Art 9 condition needs no Schedule 1 condition
    article_10: str
    reason: str


@dataclass(frozen=True)
class ContradictionRow:
    """Answers that cannot all be true; ``fields`` are the facts to look at again."""

    id: str
    text: str
    when: Callable[[Facts], bool]
    fields: tuple[str, ...]


@dataclass(frozen=True)
class Situation:
    """The facts plus what the lawful-basis tables found for them (computed once)."""

    facts: Facts
    article_6: Article6Row
    condition: ConditionRow | None  # None when not needed or when none is available
    contradictions: tuple[ContradictionRow, ...] = ()

    @property
    def needs_condition(self) -> bool:
        return self.facts.special_category or self.facts.criminal_offence_data

    @property
    def condition_missing(self) -> bool:
        """Special category or criminal offence data with no condition available."""
        return self.needs_condition and self.condition is None


@dataclass(frozen=True)
class FlowRule(_Cited):
    id: str
    text: str
    when: Callable[[Situation], bool]
    reason: str  # plain English, second person
    recommendation: Recommendation | None = None  # None: a note, the walk goes on


@dataclass(frozen=True)
class TellRow(_Cited):
    id: str
    text: str
    when: Callable[[Situation, Recommendation], bool]
    reason: str
    notify: Notify | None = None
    not_told_reason: str | None = None  # the first matching row's reason is the one given


@dataclass(frozen=True)
class RecordRow:
    id: str
    text: str
    when: Callable[[Situation, Recommendation], bool]
    item: str


@dataclass(frozen=True)
class ApprovalRow(_Cited):
    """When it matches a sharing recommendation, a DSL or manager must approve the share."""

    id: str
    text: str
    when: Callable[[Situation, Recommendation], bool]
    reason: str


Row = Article6Row | ConditionRow | FlowRule | TellRow | RecordRow | ContradictionRow | ApprovalRow


@dataclass(frozen=True)
class RuleSet:
    version: str
    article_6: tuple[Article6Row, ...]
    conditions: tuple[ConditionRow, ...]
    flow: tuple[FlowRule, ...]
    tell: tuple[TellRow, ...]
    record: tuple[RecordRow, ...]
    required_facts: tuple[str, ...]
    optional_facts: tuple[str, ...] = ()
    contradictions: tuple[ContradictionRow, ...] = ()
    approval: tuple[ApprovalRow, ...] = ()

    def rows(self) -> tuple[Row, ...]:
        """Every row of this version: contradictions, flow, basis, tell, approval and record."""
        return (
            *self.contradictions,
            *self.flow,
            *self.article_6,
            *self.conditions,
            *self.tell,
            *self.approval,
            *self.record,
        )

    def rule_ids(self) -> tuple[str, ...]:
        """Every rule id of this version, in table order."""
        return tuple(row.id for row in self.rows())

    def rule_text(self, rule_id: str) -> str:
        """The text of one rule (KeyError if this version has no such rule)."""
        for row in self.rows():
            if row.id == rule_id:
                return row.text
        raise KeyError(rule_id)
