"""Benchmark: the pure decision engine, against baselines measured in the same run.

Usage::

    python bench/bench_engine.py [--n N] [--rounds R] [--seed S] [--json PATH]

Draws a fixed random sample of N facts (seeded, so every run times the same facts) and times, in
R interleaved rounds:

- ``dict-lookup``: one dict lookup per fact (the cheapest possible "decision"); a floor.
- ``facts-build``: constructing the ``Facts`` dataclass from the same values (what any caller pays).
- ``evaluate``: ``evaluate(facts)`` under the current rule version (flow, lawful basis, tell,
  record tables; builds the whole ``Outcome``).
- ``round-trip``: ``facts_from_mapping`` (validation) then ``evaluate`` then ``outcome_to_mapping``:
  what the API and CLI do per request, without HTTP or the database.

Prints the median evaluations per second over the rounds and the ratio to each baseline. It never
passes or fails on time.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from safeshare.decisions.engine import (
    CURRENT_VERSION,
    ConsentState,
    Facts,
    NotSoughtReason,
    Recipient,
    Tristate,
    evaluate,
    facts_from_mapping,
    facts_to_mapping,
    outcome_to_mapping,
)
from safeshare.decisions.engine.rules import v2024_1

PURPOSES = sorted(v2024_1.KNOWN_PURPOSES | {"other"})


def sample(n: int, seed: int) -> list[dict[str, object]]:
    """N random, consistent fact sets as keyword dicts (enum members, not strings)."""
    rng = random.Random(seed)
    out: list[dict[str, object]] = []
    for _ in range(n):
        consent = rng.choice(list(ConsentState))
        reason = (
            rng.choice([None, *NotSoughtReason]) if consent is ConsentState.NOT_SOUGHT else None
        )
        out.append(
            {
                "purpose": rng.choice(PURPOSES),
                "purpose_clear_and_legitimate": rng.choice(list(Tristate)),
                "identifies_living_person": rng.choice(list(Tristate)),
                "confidential": rng.choice(list(Tristate)),
                "special_category": rng.random() < 0.5,
                "criminal_offence_data": rng.random() < 0.3,
                "consent": consent,
                "consent_not_sought_reason": reason,
                "significant_harm_concern": rng.random() < 0.3,
                "immediate_danger": rng.random() < 0.1,
                "consent_would_increase_risk_to_child": rng.random() < 0.15,
                "consent_would_put_adult_at_serious_risk": rng.random() < 0.1,
                "consent_would_undermine_crime_prevention": rng.random() < 0.1,
                "statutory_duty_or_court_order": rng.random() < 0.2,
                "recipient": rng.choice(list(Recipient)),
                "advice_sought": rng.random() < 0.3,
            }
        )
    return out


def time_series(op: Callable[[], object]) -> float:
    """Seconds for one call of ``op`` (which itself loops over the whole sample)."""
    start = time.perf_counter()
    op()
    return time.perf_counter() - start


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--n", type=int, default=5000, help="facts in the sample (default 5000)")
    parser.add_argument("--rounds", type=int, default=7, help="interleaved rounds (default 7)")
    parser.add_argument("--seed", type=int, default=20240101, help="sample seed")
    parser.add_argument("--json", type=Path, default=None, help="also write figures as JSON")
    args = parser.parse_args(argv)

    kwargs = sample(args.n, args.seed)
    facts = [Facts(**k) for k in kwargs]  # type: ignore[arg-type]
    mappings = [facts_to_mapping(f) for f in facts]
    table = dict(enumerate(facts))

    def dict_lookup() -> object:
        return [table[i] for i in range(len(facts))]

    def facts_build() -> object:
        return [Facts(**k) for k in kwargs]  # type: ignore[arg-type]

    def engine() -> object:
        return [evaluate(f) for f in facts]

    def round_trip() -> object:
        return [outcome_to_mapping(evaluate(facts_from_mapping(m))) for m in mappings]

    series: dict[str, Callable[[], object]] = {
        "dict-lookup": dict_lookup,
        "facts-build": facts_build,
        "evaluate": engine,
        "round-trip": round_trip,
    }
    for op in series.values():  # warm up
        op()
    seconds: dict[str, list[float]] = {name: [] for name in series}
    for _ in range(args.rounds):
        for name, op in series.items():
            seconds[name].append(time_series(op))

    rate = {name: args.n / statistics.median(s) for name, s in seconds.items()}
    print(
        f"Decision engine, rule version {CURRENT_VERSION}: {args.n} fixed random facts "
        f"(seed {args.seed}), median of {args.rounds} rounds, Python {platform.python_version()}"
    )
    print(f"{'series':<12} {'per second':>14} {'us each':>9}  vs dict-lookup  vs facts-build")
    for name in series:
        print(
            f"{name:<12} {rate[name]:>14,.0f} {1e6 / rate[name]:>9.2f}  "
            f"{rate[name] / rate['dict-lookup']:>13.4f}x  "
            f"{rate[name] / rate['facts-build']:>13.3f}x"
        )
    counts: dict[str, int] = {}
    for f in facts:
        key = str(evaluate(f).recommendation)
        counts[key] = counts.get(key, 0) + 1
    summary = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
    print(f"recommendations in the sample: {summary}")
    if args.json is not None:
        args.json.write_text(
            json.dumps(
                {
                    "version": CURRENT_VERSION,
                    "n": args.n,
                    "rounds": args.rounds,
                    "seed": args.seed,
                    "per_second": rate,
                    "recommendations": counts,
                },
                indent=2,
            )
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
