"""In-process scoring gives exactly Splink's match weights (what identity search rests on)."""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

import duckdb
import pyarrow as pa  # type: ignore[import-untyped]
import pytest
from rapidfuzz.distance import DamerauLevenshtein, JaroWinkler
from splink import DuckDBAPI, Linker, block_on

from safeshare.linkage import spec
from safeshare.linkage.features import FEATURE_COLUMNS, Features, make_features
from safeshare.linkage.scoring import (
    Scorer,
    UnsupportedLevel,
    export_weights,
    match_probability,
    parse_condition,
    score,
)
from safeshare.linkage.synthetic import generate_population, record_features

TF_COLUMNS = ("given_name", "family_name")
# A wide extra blocking rule so that "different" levels are scored too, not just near matches.
WIDE_RULE = 'l."birth_year" = r."birth_year" AND l."postcode_district" = r."postcode_district"'


def _features_table(children: int, seed: int) -> tuple[pa.Table, dict[int, Features]]:
    population = generate_population(children=children, seed=seed)
    by_id: dict[int, Features] = {}
    columns: dict[str, list[Any]] = {"unique_id": [], "agency": []}
    columns.update({c: [] for c in FEATURE_COLUMNS})
    for record in population.records:
        features = record_features(record)
        by_id[record.record_id] = features
        columns["unique_id"].append(record.record_id)
        columns["agency"].append(record.agency)
        for column in FEATURE_COLUMNS:
            columns[column].append(features[column])  # type: ignore[literal-required]
    return pa.table(columns), by_id


def _term_frequencies(linker: Linker) -> dict[str, dict[str, float]]:
    tables: dict[str, dict[str, float]] = {}
    for column in TF_COLUMNS:
        rows = linker.table_management.compute_tf_table(column).as_duckdbpyrelation().fetchall()
        tables[column] = {value: tf for value, tf in rows if value is not None}
    return tables


@pytest.fixture(scope="module")
def trained() -> dict[str, Any]:
    """A briefly trained Splink model on ~1,500 synthetic records, and its predictions (made by
    a second linker loaded from the saved JSON, as SafeShare stores and reloads models)."""
    table, by_id = _features_table(children=300, seed=11)
    trainer = Linker(
        DuckDBAPI(connection=duckdb.connect()).register(table), spec.settings(), log_level=None
    )
    trainer.training.estimate_u_using_random_sampling(max_pairs=200_000, seed=1)
    trainer.training.estimate_parameters_using_expectation_maximisation(block_on("nhs_number"))
    trainer.training.estimate_parameters_using_expectation_maximisation(block_on("dob"))
    model = trainer.misc.save_model_to_json()

    wide = dict(model)
    wide["blocking_rules_to_generate_predictions"] = [
        *model["blocking_rules_to_generate_predictions"],
        {"blocking_rule": WIDE_RULE, "sql_dialect": "duckdb"},
    ]
    linker = Linker(DuckDBAPI(connection=duckdb.connect()).register(table), wide, log_level=None)
    term_frequencies = _term_frequencies(linker)
    predictions = (
        linker.inference.predict()
        .as_duckdbpyrelation()
        .select("unique_id_l, unique_id_r, match_weight, match_probability")
        .fetchall()
    )
    return {
        "model": model,
        "weights": export_weights(model, term_frequencies),
        "features": by_id,
        "predictions": predictions,
    }


def test_scorer_match_weight_equals_splink_for_every_predicted_pair(
    trained: dict[str, Any],
) -> None:
    scorer = Scorer(trained["weights"])
    features = trained["features"]
    assert len(trained["predictions"]) > 2_000
    worst = 0.0
    for left, right, splink_weight, splink_probability in trained["predictions"]:
        result = scorer.score(features[left], features[right])
        worst = max(worst, abs(result.match_weight - splink_weight))
        assert result.match_weight == pytest.approx(splink_weight, abs=1e-6), (left, right)
        assert result.match_probability == pytest.approx(splink_probability, abs=1e-9)
    assert worst < 1e-6


def test_every_level_of_every_comparison_is_exercised_by_the_parity_pairs(
    trained: dict[str, Any],
) -> None:
    """The parity test means something only if it reaches the levels: every level is hit (a
    previous family name's among them), bar the missing-name levels (synthetic records always
    have both names)."""
    scorer = Scorer(trained["weights"])
    features = trained["features"]
    seen: Counter[tuple[str, str]] = Counter()
    for left, right, _, _ in trained["predictions"]:
        for part in scorer.score(features[left], features[right]).comparisons:
            seen[(part.comparison, part.level)] += 1
    every = {
        (comparison.description, level.label)
        for comparison in scorer.comparisons
        for level in comparison.levels
    }
    missing = every - set(seen)
    assert missing <= {
        ("Given name", "Not recorded on one side"),
        ("Family name", "Not recorded on one side"),
    }, missing


def test_score_is_symmetric_in_query_and_candidate(trained: dict[str, Any]) -> None:
    scorer = Scorer(trained["weights"])
    features = trained["features"]
    for left, right, _, _ in trained["predictions"][:2_000]:
        forward = scorer.weight(features[left], features[right])
        assert forward == pytest.approx(scorer.weight(features[right], features[left]), abs=1e-9)


def test_export_keeps_the_prior_and_the_term_frequency_levels(trained: dict[str, Any]) -> None:
    weights = trained["weights"]
    assert weights["probability_two_random_records_match"] == pytest.approx(
        trained["model"]["probability_two_random_records_match"]
    )
    assert set(weights["term_frequencies"]) == set(TF_COLUMNS)
    tf_levels = [
        (comparison["name"], level["tf"]["column"])
        for comparison in weights["comparisons"]
        for level in comparison["levels"]
        if "tf" in level
    ]
    assert tf_levels == [("given_name", "given_name"), ("family_name", "family_name")]
    assert [c["description"] for c in weights["comparisons"]] == [
        c["comparison_description"] for c in spec.COMPARISONS
    ]


def test_a_name_missing_from_the_term_frequency_table_gets_no_adjustment(
    trained: dict[str, Any],
) -> None:
    weights = trained["weights"]
    query = make_features(
        given_name="Zebedeefake",
        family_name="Fakeworth",
        date_of_birth="2015-03-04",
        sex="F",
        postcode="ZZ1 1AA",
        nhs_number=None,
    )
    result = score(query, dict(query), weights)
    given = next(part for part in result.comparisons if part.comparison == "Given name")
    level = next(
        lvl
        for comparison in weights["comparisons"]
        if comparison["name"] == "given_name"
        for lvl in comparison["levels"]
        if lvl["label"] == "The same given name"
    )
    assert given.level == "The same given name"
    assert given.weight == pytest.approx(level["weight"])


def test_a_missing_value_scores_the_null_level_at_zero(trained: dict[str, Any]) -> None:
    query = make_features(
        given_name="Amara",
        family_name="Fakeworth",
        date_of_birth=None,
        sex=None,
        postcode=None,
        nhs_number=None,
    )
    result = score(query, dict(query), trained["weights"])
    by_name = {part.comparison: part for part in result.comparisons}
    assert by_name["Date of birth"].level == "Not recorded on one side"
    assert by_name["Date of birth"].weight == 0.0
    assert result.match_probability == pytest.approx(match_probability(result.match_weight))


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("martha", "marhta"),
        ("dwayne", "duane"),
        ("dixon", "dicksonx"),
        ("fakeworth", "fakewroth"),
        ("mockbleton", "mockbletn"),
        ("a", "b"),
        ("jo", "joanna"),
        ("quibley", "quibleyy"),
        ("abcdefghij", "jihgfedcba"),
        ("elizabeth", "elisabeth"),
    ],
)
def test_jaro_winkler_equals_duckdb(left: str, right: str) -> None:
    ((expected,),) = duckdb.execute(
        "select jaro_winkler_similarity(?, ?)", [left, right]
    ).fetchall()
    assert JaroWinkler.similarity(left, right) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("2015-03-04", "2015-03-04"),
        ("2015-03-04", "2015-04-03"),
        ("2015-03-04", "2015-03-40"),
        ("2015-03-04", "2015-30-04"),
        ("2015-03-04", "2016-03-04"),
        ("2015-03-04", "2051-03-04"),
        ("ca", "abc"),
        ("abcdef", "badcfe"),
    ],
)
def test_damerau_levenshtein_equals_duckdb(left: str, right: str) -> None:
    ((expected,),) = duckdb.execute("select damerau_levenshtein(?, ?)", [left, right]).fetchall()
    assert DamerauLevenshtein.distance(left, right) == expected


def test_a_condition_scoring_cannot_follow_is_refused_at_export() -> None:
    with pytest.raises(UnsupportedLevel):
        parse_condition('levenshtein("given_name_l", "given_name_r") <= 2')


def test_a_previous_family_name_on_either_side_reaches_its_own_level(
    trained: dict[str, Any],
) -> None:
    details = {
        "given_name": "Amara",
        "date_of_birth": "2015-03-04",
        "sex": "F",
        "postcode": "ZZ1 1AA",
        "nhs_number": None,
    }
    now = make_features(family_name="Mockbleton", previous_family_name="Fakeworth", **details)
    before = make_features(family_name="Fakeworth", **details)
    stranger = make_features(family_name="Quibsworth", previous_family_name="Fakeworth", **details)
    for query, candidate in ((before, now), (now, before)):
        family = next(
            part
            for part in score(query, candidate, trained["weights"]).comparisons
            if part.comparison == "Family name"
        )
        assert family.level == "A previous family name matches"
    family = next(
        part
        for part in score(now, stranger, trained["weights"]).comparisons
        if part.comparison == "Family name"
    )
    assert family.level != "A previous family name matches"  # two previous names do not count


def test_a_condition_mixing_and_with_or_is_refused() -> None:
    with pytest.raises(UnsupportedLevel):
        parse_condition('"a_l" = "a_r" AND "b_l" = "b_r" OR "c_l" = "c_r"')


def test_levels_are_read_from_the_spec_sql() -> None:
    assert parse_condition(
        '"family_name_l" = "previous_family_name_r" OR "previous_family_name_l" = "family_name_r"'
    ) == {
        "kind": "any",
        "clauses": [
            ["eq", "family_name", "previous_family_name"],
            ["eq", "previous_family_name", "family_name"],
        ],
    }
    assert parse_condition('"dob_l" = "dob_swapped_r"') == {
        "kind": "all",
        "clauses": [["eq", "dob", "dob_swapped"]],
    }
    assert parse_condition('jaro_winkler_similarity("family_name_l", "family_name_r") >= 0.85')[
        "clauses"
    ] == [["jw", "family_name", "family_name", ">=", 0.85]]
    assert parse_condition('"x_l" IS NULL OR "x_r" IS NULL') == {
        "kind": "null",
        "columns": ["x", "x"],
    }
    assert math.isclose(match_probability(0.0), 0.5)
