"""In-process scoring with a trained linkage model's exported weights (pure: no Django).

Splink scores pairs in SQL; identity search needs one query scored against a few hundred
candidates in milliseconds, so the model is exported once (``export_weights``) to plain data and
scored here in Python. The two must agree: ``score`` implements exactly the comparison levels of
``spec.COMPARISONS`` (read from the model's own ``sql_condition`` text, so a level Python cannot
follow fails loudly at export time), in order, first matching level wins, with Splink's
term-frequency adjustment. ``tests/linkage/test_scoring.py`` holds the match weights of both to
within 1e-6 on every pair Splink predicts.

Semantics copied from Splink 5 and DuckDB:

* a level's weight is ``log2(max(m, 1e-300) / max(u, 1e-300))``; a null level weighs 0;
* a condition on a missing value is false (SQL ``NULL``), so the level does not match;
* Jaro-Winkler is rapidfuzz's (prefix weight 0.1, DuckDB uses the same algorithm);
  Damerau-Levenshtein is the unrestricted distance (adjacent transpositions cost 1);
* term frequencies: on a level with ``tf_adjustment_column`` (an exact match), add
  ``tf_weight * (log2(u_exact) - log2(max(tf_l, tf_r, tf_minimum_u)))``, where ``u_exact`` is the
  u probability of the comparison's exact-match level on that column; a value missing from the
  term-frequency table adds 0 (Splink's left join finds nothing);
* the total is ``log2(prior / (1 - prior))`` plus every comparison's weight, and the probability
  ``1 / (1 + 2 ** -weight)``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from rapidfuzz.distance import DamerauLevenshtein, JaroWinkler

from safeshare.linkage.features import Features
from safeshare.linkage.spec import COMPARISONS

# Splink does not keep a custom comparison's description in the saved model: take ours.
_DESCRIPTIONS: dict[str, str] = {
    c["output_column_name"]: c["comparison_description"] for c in COMPARISONS
}

WEIGHTS_FORMAT = 1
M_U_CLAMP_MIN = 1e-300  # Splink's clamp before taking log2(m / u)

Predicate = Callable[[Mapping[str, Any], Mapping[str, Any]], bool]


class UnsupportedLevel(ValueError):
    """A comparison level whose SQL condition scoring cannot reproduce in Python."""


# --- Reading the levels' SQL ---------------------------------------------------------------------

_COL = r'"?(?P<{name}>[a-z_]+)_(?P<{side}>[lr])"?'
_NULL = re.compile(
    r'^"?(?P<a>[a-z_]+)_l"?\s+IS\s+NULL\s+OR\s+"?(?P<b>[a-z_]+)_r"?\s+IS\s+NULL$', re.IGNORECASE
)
_EQ = re.compile(
    "^" + _COL.format(name="a", side="sa") + r"\s*=\s*" + _COL.format(name="b", side="sb") + "$"
)
_FUNC = re.compile(
    r"^(?P<fn>jaro_winkler_similarity|damerau_levenshtein)\(\s*"
    + _COL.format(name="a", side="sa")
    + r"\s*,\s*"
    + _COL.format(name="b", side="sb")
    + r"\s*\)\s*(?P<op>>=|<=|>|<)\s*(?P<value>[0-9.]+)$"
)
_AND = re.compile(r"\s+AND\s+", re.IGNORECASE)
_OR = re.compile(r"\s+OR\s+", re.IGNORECASE)


def _clause(sql: str) -> list[Any]:
    """One clause of a level's condition as plain data: ["eq", col_l, col_r] or
    ["jw" | "dl", col_l, col_r, op, value]."""
    text = sql.strip().strip("()").strip()
    match = _EQ.match(text)
    if match and match["sa"] != match["sb"]:
        left, right = (match["a"], match["b"]) if match["sa"] == "l" else (match["b"], match["a"])
        return ["eq", left, right]
    match = _FUNC.match(text)
    if match and match["sa"] != match["sb"]:
        left, right = (match["a"], match["b"]) if match["sa"] == "l" else (match["b"], match["a"])
        kind = "jw" if match["fn"] == "jaro_winkler_similarity" else "dl"
        return [kind, left, right, match["op"], float(match["value"])]
    raise UnsupportedLevel(f"scoring cannot reproduce the condition {sql!r}")


def parse_condition(sql: str) -> dict[str, Any]:
    """A level's ``sql_condition`` as data: {"kind": "null" | "else" | "all" | "any", ...}.

    "all" is clauses joined by AND; "any" is clauses joined by OR (either side of the pair may
    hold the value, as in "A previous family name matches"). A condition mixing AND and OR, or
    with anything but the clauses ``_clause`` reads, is refused.
    """
    text = " ".join(sql.split())
    if text.upper() == "ELSE":
        return {"kind": "else"}
    match = _NULL.match(text)
    if match:
        return {"kind": "null", "columns": [match["a"], match["b"]]}
    either = _OR.split(text)
    if len(either) > 1:
        if any(_AND.search(part) for part in either):
            raise UnsupportedLevel(f"scoring cannot reproduce the condition {sql!r}")
        return {"kind": "any", "clauses": [_clause(part) for part in either]}
    return {"kind": "all", "clauses": [_clause(part) for part in _AND.split(text)]}


# --- Export ---------------------------------------------------------------------------------------


def _default_m_values(num_levels: int) -> list[float]:
    """Splink's m probabilities for a level it has no estimate for, by comparison vector value."""
    remainder = (1 - 0.95) / (num_levels - 1)
    return [remainder] * (num_levels - 1) + [0.95]


def _default_u_values(num_levels: int) -> list[float]:
    if num_levels == 2:
        weights = [-5.0]
    else:
        step = 8 / (num_levels - 2)
        weights = [-5 + i * step for i in range(num_levels - 1)]
    weights.append(10.0)
    return [m / 2**w for m, w in zip(_default_m_values(num_levels), weights, strict=True)]


def _resolved_m_u(levels: Sequence[Mapping[str, Any]]) -> list[tuple[float, float] | None]:
    """Each level's (m, u) as Splink's predict uses them for a model loaded from JSON: the saved
    estimate, else Splink's default for the level's position; None for a null level."""
    num_levels = sum(1 for level in levels if not level.get("is_null_level"))
    default_m, default_u = _default_m_values(num_levels), _default_u_values(num_levels)
    resolved: list[tuple[float, float] | None] = []
    vector_value = num_levels - 1
    for level in levels:
        if level.get("is_null_level"):
            resolved.append(None)
            continue
        m = level.get("m_probability")
        u = level.get("u_probability")
        resolved.append(
            (
                float(m) if m is not None else default_m[vector_value],
                float(u) if u is not None else default_u[vector_value],
            )
        )
        vector_value -= 1
    return resolved


def _weight(m_u: tuple[float, float] | None) -> float:
    if m_u is None:
        return 0.0
    m, u = m_u
    return math.log2(max(m, M_U_CLAMP_MIN) / max(u, M_U_CLAMP_MIN))


def _exact_match_u(
    levels: Sequence[Mapping[str, Any]], m_u: Sequence[tuple[float, float] | None], column: str
) -> float:
    """The u probability of the comparison's exact-match level on ``column`` (as Splink's)."""
    for level, resolved in zip(levels, m_u, strict=True):
        test = parse_condition(level["sql_condition"])
        if test["kind"] != "all" or len(test["clauses"]) != 1 or resolved is None:
            continue
        clause = test["clauses"][0]
        if clause[0] == "eq" and clause[1] == column and clause[2] == column:
            return resolved[1]
    raise UnsupportedLevel(f"no exact-match level on {column!r} for its term-frequency adjustment")


def export_weights(
    splink_model: Mapping[str, Any], term_frequencies: Mapping[str, Mapping[str, float]]
) -> dict[str, Any]:
    """The trained model as plain JSON data for ``score``.

    ``splink_model`` is Splink's ``save_model_to_json()`` dict; ``term_frequencies`` maps each
    term-frequency column to {value: relative frequency} (Splink's tf table).
    """
    prior = float(splink_model["probability_two_random_records_match"])
    comparisons: list[dict[str, Any]] = []
    tf_columns: set[str] = set()
    for comparison in splink_model["comparisons"]:
        levels = comparison["comparison_levels"]
        m_u = _resolved_m_u(levels)
        exported: list[dict[str, Any]] = []
        for level, resolved in zip(levels, m_u, strict=True):
            test = parse_condition(level["sql_condition"])
            entry: dict[str, Any] = {
                "label": level.get("label_for_charts") or level["sql_condition"],
                "test": test,
                "weight": _weight(resolved),
            }
            tf_column = level.get("tf_adjustment_column")
            tf_weight = float(level.get("tf_adjustment_weight", 1.0) or 0.0)
            if tf_column and tf_weight and test["kind"] == "any":
                raise UnsupportedLevel(
                    f"scoring cannot adjust {level['sql_condition']!r} for term frequency"
                )
            if tf_column and tf_weight and test["kind"] == "all":
                tf_columns.add(tf_column)
                entry["tf"] = {
                    "column": tf_column,
                    "weight": tf_weight,
                    "u_exact": _exact_match_u(levels, m_u, tf_column),
                    "minimum_u": float(level.get("tf_minimum_u_value", 0.0)),
                }
            exported.append(entry)
        name = comparison.get("output_column_name", "")
        comparisons.append(
            {
                "name": name,
                "description": _DESCRIPTIONS.get(name) or comparison.get("comparison_description"),
                "levels": exported,
            }
        )
    return {
        "format": WEIGHTS_FORMAT,
        "probability_two_random_records_match": prior,
        "prior_weight": math.log2(prior / (1 - prior)),
        "comparisons": comparisons,
        "term_frequencies": {
            column: {str(k): float(v) for k, v in term_frequencies.get(column, {}).items()}
            for column in sorted(tf_columns)
        },
    }


# --- Scoring --------------------------------------------------------------------------------------


def _compare(value: float, op: str, threshold: float) -> bool:
    if op == ">=":
        return value >= threshold
    if op == "<=":
        return value <= threshold
    if op == ">":
        return value > threshold
    return value < threshold


def _clause_predicate(clause: Sequence[Any]) -> Predicate:
    kind, left, right = clause[0], clause[1], clause[2]
    if kind == "eq":

        def equal(q: Mapping[str, Any], c: Mapping[str, Any]) -> bool:
            a, b = q.get(left), c.get(right)
            return a is not None and b is not None and a == b

        return equal
    op, threshold = clause[3], float(clause[4])
    if kind == "jw":

        def similar(q: Mapping[str, Any], c: Mapping[str, Any]) -> bool:
            a, b = q.get(left), c.get(right)
            if a is None or b is None:
                return False
            return _compare(JaroWinkler.similarity(str(a), str(b)), op, threshold)

        return similar

    def edits(q: Mapping[str, Any], c: Mapping[str, Any]) -> bool:
        a, b = q.get(left), c.get(right)
        if a is None or b is None:
            return False
        return _compare(DamerauLevenshtein.distance(str(a), str(b)), op, threshold)

    return edits


def _predicate(test: Mapping[str, Any]) -> Predicate:
    if test["kind"] == "else":
        return lambda q, c: True
    if test["kind"] == "null":
        left, right = test["columns"]
        return lambda q, c: q.get(left) is None or c.get(right) is None
    clauses = [_clause_predicate(clause) for clause in test["clauses"]]
    if len(clauses) == 1:
        return clauses[0]
    if test["kind"] == "any":
        return lambda q, c: any(p(q, c) for p in clauses)
    if test["kind"] == "all":
        return lambda q, c: all(p(q, c) for p in clauses)
    raise UnsupportedLevel(f"scoring cannot reproduce a level of kind {test['kind']!r}")


@dataclass(frozen=True, slots=True)
class _Level:
    label: str
    weight: float
    is_null: bool
    matches: Predicate
    tf_column: str | None
    tf_weight: float
    tf_log2_u_exact: float
    tf_minimum_u: float


@dataclass(frozen=True, slots=True)
class _Comparison:
    name: str
    description: str
    levels: tuple[_Level, ...]


class ComparisonResult(NamedTuple):
    comparison: str  # "Date of birth"
    level: str  # "Day and month swapped"
    weight: float  # the level's weight plus its term-frequency adjustment


class ScoreResult(NamedTuple):
    match_weight: float
    match_probability: float
    comparisons: tuple[ComparisonResult, ...]


class Scorer:
    """``export_weights`` output made ready to score (predicates built once)."""

    def __init__(self, weights: Mapping[str, Any]) -> None:
        if weights.get("format") != WEIGHTS_FORMAT:
            raise UnsupportedLevel("these weights were not made by export_weights")
        self.prior_weight = float(weights["prior_weight"])
        self.term_frequencies: dict[str, dict[str, float]] = {
            k: dict(v) for k, v in weights.get("term_frequencies", {}).items()
        }
        comparisons = []
        for comparison in weights["comparisons"]:
            levels = []
            for level in comparison["levels"]:
                tf = level.get("tf")
                levels.append(
                    _Level(
                        label=level["label"],
                        weight=float(level["weight"]),
                        is_null=level["test"]["kind"] == "null",
                        matches=_predicate(level["test"]),
                        tf_column=tf["column"] if tf else None,
                        tf_weight=float(tf["weight"]) if tf else 0.0,
                        tf_log2_u_exact=math.log2(float(tf["u_exact"])) if tf else 0.0,
                        tf_minimum_u=float(tf["minimum_u"]) if tf else 0.0,
                    )
                )
            comparisons.append(
                _Comparison(
                    name=comparison["name"],
                    description=comparison["description"] or comparison["name"],
                    levels=tuple(levels),
                )
            )
        self.comparisons: tuple[_Comparison, ...] = tuple(comparisons)

    def _tf_adjustment(
        self, level: _Level, query: Mapping[str, Any], candidate: Mapping[str, Any]
    ) -> float:
        """Splink's term-frequency adjustment; a value not in the table (or missing) adds 0."""
        column = level.tf_column or ""
        table = self.term_frequencies.get(column, {})
        found = [
            tf
            for tf in (table.get(query.get(column) or ""), table.get(candidate.get(column) or ""))
            if tf is not None
        ]
        if not found:
            return 0.0
        u_value = max(*found, level.tf_minimum_u)
        return level.tf_weight * (level.tf_log2_u_exact - math.log2(u_value))

    def weight(self, query: Mapping[str, Any], candidate: Mapping[str, Any]) -> float:
        """The match weight alone (the fast path for ranking)."""
        total = self.prior_weight
        for comparison in self.comparisons:
            for level in comparison.levels:
                if level.matches(query, candidate):
                    total += level.weight
                    if level.tf_column is not None:
                        total += self._tf_adjustment(level, query, candidate)
                    break
        return total

    def score(self, query: Mapping[str, Any], candidate: Mapping[str, Any]) -> ScoreResult:
        total = self.prior_weight
        results: list[ComparisonResult] = []
        for comparison in self.comparisons:
            for level in comparison.levels:
                if level.matches(query, candidate):
                    weight = level.weight
                    if level.tf_column is not None:
                        weight += self._tf_adjustment(level, query, candidate)
                    total += weight
                    results.append(ComparisonResult(comparison.description, level.label, weight))
                    break
        return ScoreResult(total, match_probability(total), tuple(results))


def match_probability(match_weight: float) -> float:
    """Splink's conversion, stable for large weights of either sign."""
    if match_weight >= 0:
        return 1.0 / (1.0 + math.pow(2.0, -match_weight))
    odds = math.pow(2.0, match_weight)
    return odds / (1.0 + odds)


def score(
    query: Features | Mapping[str, Any],
    candidate: Features | Mapping[str, Any],
    weights: Mapping[str, Any] | Scorer,
) -> ScoreResult:
    """Score one pair: the match weight, probability and each comparison's level and weight."""
    scorer = weights if isinstance(weights, Scorer) else Scorer(weights)
    return scorer.score(query, candidate)
