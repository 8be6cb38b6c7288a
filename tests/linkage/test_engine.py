"""The linkage engine on a synthetic population: training, scoring, clustering (no database)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator

import pytest

from safeshare.linkage.engine import LinkageEngine, TrainedModel, cluster, features_table
from safeshare.linkage.synthetic import Population, generate_population, record_features


def _table(population: Population):  # type: ignore[no-untyped-def]
    return features_table(
        (str(r.record_id), r.agency, record_features(r)) for r in population.records
    )


@pytest.fixture(scope="module")
def population() -> Population:
    return generate_population(children=400, seed=7)


@pytest.fixture(scope="module")
def engine(population: Population) -> Iterator[LinkageEngine]:
    linkage = LinkageEngine(_table(population))
    yield linkage
    linkage.close()


@pytest.fixture(scope="module")
def trained(engine: LinkageEngine) -> TrainedModel:
    return engine.train(seed=1)


def _f1(population: Population, clusters: dict[str, str]) -> tuple[float, float]:
    identity = {str(r.record_id): r.identity_id for r in population.records}
    groups: dict[str, list[int]] = defaultdict(list)
    for record, root in clusters.items():
        groups[root].append(identity[record])
    predicted = sum(len(g) * (len(g) - 1) // 2 for g in groups.values())
    correct = sum(n * (n - 1) // 2 for g in groups.values() for n in Counter(g).values())
    return correct / predicted, correct / population.true_pair_count()


def test_trained_model_keeps_every_m_probability_above_the_floor(trained: TrainedModel) -> None:
    for comparison in trained.splink_model["comparisons"]:
        for level in comparison["comparison_levels"]:
            if not level.get("is_null_level"):
                assert level["m_probability"] > 0
                assert level["u_probability"] > 0
    assert set(trained.term_frequencies) == {"given_name", "family_name"}
    assert trained.records > 0


def test_linkage_finds_the_same_people_across_agencies(
    population: Population, engine: LinkageEngine, trained: TrainedModel
) -> None:
    pairs = engine.predict(trained.splink_model, threshold=0.5)
    agency = {str(r.record_id): r.agency for r in population.records}
    clusters = cluster(
        agency.keys(),
        zip(
            pairs.column("unique_id_l").to_pylist(),
            pairs.column("unique_id_r").to_pylist(),
            pairs.column("match_probability").to_pylist(),
            strict=True,
        ),
        threshold=0.9,
        agency_of=agency,
    )
    precision, recall = _f1(population, clusters)
    assert precision > 0.97
    assert recall > 0.95


def test_new_records_are_scored_against_existing_ones_without_retraining(
    population: Population, engine: LinkageEngine, trained: TrainedModel
) -> None:
    new_ids = [str(r.record_id) for r in population.records[:20]]
    pairs = engine.predict_new(trained.splink_model, new_ids=new_ids, threshold=0.5)
    assert len(pairs) > 0
    for left, right in zip(
        pairs.column("unique_id_l").to_pylist(),
        pairs.column("unique_id_r").to_pylist(),
        strict=True,
    ):
        assert left < right
        assert left in new_ids or right in new_ids


def test_cluster_joins_pairs_at_the_threshold_and_not_below() -> None:
    clusters = cluster(["a", "b", "c"], [("a", "b", 0.95), ("b", "c", 0.94)], threshold=0.95)
    assert clusters == {"a": "a", "b": "a", "c": "c"}


def test_cluster_never_joins_a_rejected_pair_even_through_others() -> None:
    clusters = cluster(
        ["a", "b", "c"],
        [("a", "b", 0.99), ("b", "c", 0.98)],
        threshold=0.9,
        rejected=[("a", "c")],
    )
    assert clusters["a"] == clusters["b"]
    assert clusters["c"] != clusters["a"]


def test_cluster_keeps_one_record_per_agency_unless_confirmed() -> None:
    agency_of = {"a": "health", "b": "school", "c": "school"}
    clusters = cluster(
        agency_of, [("a", "b", 0.99), ("a", "c", 0.97)], threshold=0.9, agency_of=agency_of
    )
    assert clusters["a"] == clusters["b"] != clusters["c"]
    confirmed = cluster(
        agency_of,
        [("a", "b", 0.99)],
        threshold=0.9,
        agency_of=agency_of,
        confirmed=[("b", "c")],
    )
    assert confirmed["a"] == confirmed["b"] == confirmed["c"]


def test_no_new_records_means_no_pairs(engine: LinkageEngine, trained: TrainedModel) -> None:
    assert len(engine.predict_new(trained.splink_model, new_ids=[], threshold=0.5)) == 0


def test_no_agreement_level_weighs_less_than_complete_disagreement(trained: TrainedModel) -> None:
    for comparison in trained.splink_model["comparisons"]:
        levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        different = levels[-1]["m_probability"] / levels[-1]["u_probability"]
        for level in levels[:-1]:
            assert level["m_probability"] / level["u_probability"] >= different * (1 - 1e-9)
