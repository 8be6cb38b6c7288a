"""Benchmark: identity linkage of a synthetic population, end to end, against a naive baseline.

Usage::

    python bench/bench_linkage.py [--children N] [--seed S] [--runs R] [--json PATH]

Generates ``--children`` children with their families (200,000 gives about a million records held
by five agencies, with the errors listed in docs/how-to/linkage.md), then times, R times over the
same records:

- ``baseline``: naive exact matching. Records join when their normalised given name, family name
  and date of birth are all the same, or their NHS numbers are (connected components in DuckDB).
- ``linkage``: SafeShare's linkage end to end, as ``safeshare link --train`` runs it, minus the
  database: features made from every record, the records loaded into DuckDB, the model trained
  (u from random pairs, m from records sharing an NHS number), every blocked pair scored by
  Splink, and the pairs at or above the link threshold clustered (one record per agency).

Prints the median seconds for each and precision, recall and F1 against the generator's truth
(pairs of records put in one identity), at the default link threshold and at others. It never
passes or fails on time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa  # type: ignore[import-untyped]

from safeshare.linkage.engine import LinkageEngine, cluster, features_table
from safeshare.linkage.synthetic import Population, generate_population, record_features

DEFAULT_LINK = 0.95
DEFAULT_REVIEW = 0.5
THRESHOLDS = (0.5, 0.8, 0.9, 0.95, 0.99)


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _features(population: Population) -> pa.Table:
    return features_table(
        (str(r.record_id), r.agency, record_features(r)) for r in population.records
    )


def accuracy(population: Population, clusters: dict[str, str]) -> dict[str, float]:
    """Precision, recall and F1 of the pairs of records put together, against the truth."""
    identity = {str(r.record_id): r.identity_id for r in population.records}
    groups: dict[str, list[int]] = defaultdict(list)
    for record, root in clusters.items():
        groups[root].append(identity[record])
    predicted = sum(len(g) * (len(g) - 1) // 2 for g in groups.values())
    correct = sum(n * (n - 1) // 2 for g in groups.values() for n in Counter(g).values())
    truth = population.true_pair_count()
    precision = correct / predicted if predicted else 0.0
    recall = correct / truth if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "identities": len(groups)}


def run_baseline(table: pa.Table) -> dict[str, str]:
    """Exact match on (given name, family name, date of birth) or on NHS number."""
    con = duckdb.connect()
    con.register("records", table)
    edges = con.sql(
        """
        WITH keyed AS (
            SELECT unique_id, 'n:' || given_name || '|' || family_name || '|' || dob AS k
            FROM records WHERE given_name IS NOT NULL AND family_name IS NOT NULL
                AND dob IS NOT NULL
            UNION ALL
            SELECT unique_id, 'h:' || nhs_number FROM records WHERE nhs_number IS NOT NULL
        ), firsts AS (SELECT k, min(unique_id) AS first FROM keyed GROUP BY k)
        SELECT keyed.unique_id, firsts.first FROM keyed JOIN firsts USING (k)
        WHERE keyed.unique_id <> firsts.first
        """
    ).fetchall()
    ids = table.column("unique_id").to_pylist()
    con.close()
    return cluster(ids, ((a, b, 1.0) for a, b in edges), threshold=1.0)


class LinkageTimings:
    def __init__(self) -> None:
        self.stages: dict[str, float] = {}
        self.pairs: list[tuple[str, str, float]] = []
        self.agency_of: dict[str, str] = {}


def run_linkage(population: Population, timings: LinkageTimings) -> dict[str, str]:
    started = time.perf_counter()

    def lap(stage: str, since: float) -> float:
        now = time.perf_counter()
        timings.stages[stage] = now - since
        _log(f"  {stage}: {now - since:.1f} s")
        return now

    table = _features(population)
    at = lap("features", started)
    engine = LinkageEngine(table)
    at = lap("load into DuckDB", at)
    try:
        trained = engine.train(seed=1)
        at = lap("train", at)
        pairs = engine.predict(trained.splink_model, threshold=DEFAULT_REVIEW)
        at = lap(f"score pairs ({len(pairs):,} at or above {DEFAULT_REVIEW})", at)
    finally:
        engine.close()
    timings.agency_of = dict(
        zip(table.column("unique_id").to_pylist(), table.column("agency").to_pylist(), strict=True)
    )
    timings.pairs = list(
        zip(
            pairs.column("unique_id_l").to_pylist(),
            pairs.column("unique_id_r").to_pylist(),
            pairs.column("match_probability").to_pylist(),
            strict=True,
        )
    )
    clusters = cluster(
        timings.agency_of, timings.pairs, threshold=DEFAULT_LINK, agency_of=timings.agency_of
    )
    lap("cluster", at)
    return clusters


def _median_seconds(op: Callable[[], Any], runs: int, label: str) -> tuple[float, Any]:
    seconds: list[float] = []
    result: Any = None
    for run in range(runs):
        _log(f"{label}: run {run + 1} of {runs}")
        started = time.perf_counter()
        result = op()
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds), result


def _format(name: str, seconds: float, figures: dict[str, float]) -> str:
    return (
        f"  {name:<34}{seconds:>9.1f}{figures['precision']:>11.4f}{figures['recall']:>9.4f}"
        f"{figures['f1']:>9.4f}{int(figures['identities']):>12,}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--children", type=int, default=200_000, help="children (200000 = about 1M records)"
    )
    parser.add_argument("--seed", type=int, default=1, help="population seed (default 1)")
    parser.add_argument("--runs", type=int, default=1, help="timed runs of each (default 1)")
    parser.add_argument("--json", type=Path, default=None, help="also write figures as JSON")
    args = parser.parse_args(argv)

    started_at = dt.datetime.now(dt.UTC)
    load = os.getloadavg()[0]
    _log(f"Generating {args.children:,} children's families (seed {args.seed})")
    began = time.perf_counter()
    population = generate_population(children=args.children, seed=args.seed)
    generated = time.perf_counter() - began
    records = len(population.records)
    _log(f"  {records:,} records in {generated:.1f} s")

    baseline_table = _features(population)
    baseline_s, baseline_clusters = _median_seconds(
        lambda: run_baseline(baseline_table), args.runs, "baseline"
    )
    baseline = accuracy(population, baseline_clusters)
    timings = LinkageTimings()
    linkage_s, clusters = _median_seconds(
        lambda: run_linkage(population, timings), args.runs, "linkage"
    )
    linked = accuracy(population, clusters)
    by_threshold = {
        threshold: accuracy(
            population,
            cluster(
                timings.agency_of, timings.pairs, threshold=threshold, agency_of=timings.agency_of
            ),
        )
        for threshold in THRESHOLDS
    }

    print(
        f"SafeShare benchmark: identity linkage\n"
        f"{started_at:%Y-%m-%d %H:%M} UTC; {os.cpu_count()} CPUs; load average {load:.2f}; "
        f"Python {platform.python_version()}\n"
        f"{records:,} records of {len(population.people):,} people held by five agencies "
        f"(generated in {generated:.1f} s, not counted); {population.true_pair_count():,} true "
        f"pairs; median of {args.runs} run(s). Figures, not a verdict.\n"
    )
    print(f"  {'':<34}{'seconds':>9}{'precision':>11}{'recall':>9}{'F1':>9}{'identities':>12}")
    print(_format("naive exact match (baseline)", baseline_s, baseline))
    print(_format(f"SafeShare linkage (links at {DEFAULT_LINK})", linkage_s, linked))
    print()
    print(
        "  Linkage stages (last run): "
        + ", ".join(f"{stage} {seconds:.1f} s" for stage, seconds in timings.stages.items())
    )
    print("  By link threshold (same scored pairs):")
    for threshold, figures in by_threshold.items():
        print(
            f"    {threshold:<5} precision {figures['precision']:.4f}  recall "
            f"{figures['recall']:.4f}  F1 {figures['f1']:.4f}"
        )
    print(
        f"\nSummary: {records:,} records linked end to end in {linkage_s:.1f} s "
        f"({linkage_s / 60:.2f} min; {linkage_s / baseline_s:.1f}x the naive baseline's "
        f"{baseline_s:.1f} s); F1 {linked['f1']:.4f} against the baseline's {baseline['f1']:.4f}"
    )
    if args.json:
        report = {
            "benchmark": "linkage",
            "started_at": started_at.isoformat(),
            "settings": {"children": args.children, "seed": args.seed, "runs": args.runs},
            "records": records,
            "baseline": {"seconds": baseline_s, **baseline},
            "linkage": {"seconds": linkage_s, "stages": timings.stages, **linked},
            "by_threshold": {str(t): f for t, f in by_threshold.items()},
        }
        args.json.write_text(json.dumps(report, indent=2) + "\n")
        print(f"Figures written to {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
