"""Benchmark: the pure decision engine, against baselines measured in the same run.

Usage::

    python bench/bench_engine.py [--n N] [--rounds R] [--seed S] [--json PATH]

Draws a fixed random sample of N facts (seeded, so every run times the same facts) and times, in
R interleaved rounds:

- ``dict-lookup``: one dict lookup per fact (the cheapest possible "decision"); a floor.
- ``facts-build``: constructing the ``Facts`` dataclass from the same values (what any caller pays).
- ``evaluate``: ``evaluate(facts)`` under the current rule version (contradictions, flow, lawful
  basis, tell, approval, record tables; builds the whole ``Outcome``), over facts that use every
  fact the version asks.
- ``eval-2024.1``: ``evaluate(facts, version="2024.1")`` over the same sample without the facts
  2024.1 does not ask (the previous version, measured in the same run).
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
    PURPOSES,
    About,
    AskedBy,
    ConsentState,
    Facts,
    Harm,
    NotSoughtReason,
    Recipient,
    Tristate,
    evaluate,
    facts_from_mapping,
    facts_to_mapping,
    outcome_to_mapping,
)

PREVIOUS_VERSION = "2024.1"


def sample(n: int, seed: int) -> list[dict[str, object]]:
    """N random fact sets that the validator accepts, as keyword dicts (enum members, not
    strings), using every fact of the current version."""
    rng = random.Random(seed)
    out: list[dict[str, object]] = []
    for _ in range(n):
        consent = rng.choice(list(ConsentState))
        reason = rng.choice(list(NotSoughtReason)) if consent is ConsentState.NOT_SOUGHT else None
        about = rng.choice(list(About))
        asked_by = rng.choice(list(AskedBy))
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
                "harm": rng.choice(list(Harm)),
                "about": about,
                "bears_on_child_safety": about is not About.CHILD and rng.random() < 0.5,
                "asked_by": asked_by,
                "recipient_verified": rng.choice(list(Tristate))
                if asked_by is not AskedBy.NOBODY
                else Tristate.YES,
                "young_person_confidentiality": rng.random() < 0.15,
                "child_age": rng.choice([None, *range(0, 18)]),
                "child_competent": rng.choice(list(Tristate)),
                "risk_indicators": rng.random() < 0.2,
            }
        )
    return out


_NEW_FACTS = frozenset(
    {
        "harm",
        "about",
        "bears_on_child_safety",
        "asked_by",
        "recipient_verified",
        "young_person_confidentiality",
        "child_age",
        "child_competent",
        "risk_indicators",
    }
)


def previous(kwargs: dict[str, object]) -> dict[str, object]:
    """The same facts as 2024.1 asked them: harm as yes/no, nothing else new."""
    kept = {name: value for name, value in kwargs.items() if name not in _NEW_FACTS}
    kept["significant_harm_concern"] = kwargs["harm"] is Harm.SIGNIFICANT
    return kept


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
    old_facts = [Facts(**previous(k)) for k in kwargs]  # type: ignore[arg-type]
    mappings = [facts_to_mapping(f) for f in facts]
    table = dict(enumerate(facts))

    def dict_lookup() -> object:
        return [table[i] for i in range(len(facts))]

    def facts_build() -> object:
        return [Facts(**k) for k in kwargs]  # type: ignore[arg-type]

    def engine() -> object:
        return [evaluate(f) for f in facts]

    def engine_previous() -> object:
        return [evaluate(f, version=PREVIOUS_VERSION) for f in old_facts]

    def round_trip() -> object:
        return [outcome_to_mapping(evaluate(facts_from_mapping(m))) for m in mappings]

    series: dict[str, Callable[[], object]] = {
        "dict-lookup": dict_lookup,
        "facts-build": facts_build,
        "evaluate": engine,
        f"eval-{PREVIOUS_VERSION}": engine_previous,
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
    ratio = rate["evaluate"] / rate[f"eval-{PREVIOUS_VERSION}"]
    print(
        f"{CURRENT_VERSION} against {PREVIOUS_VERSION} in this run: {ratio:.3f}x "
        f"(target: above 50,000 evaluations/s; {rate['evaluate']:,.0f})"
    )
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
