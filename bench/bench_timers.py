"""Benchmark: one sweep of the timers over 100,000 open items, against a one-row query.

Usage::

    python bench/bench_timers.py [--items N] [--n SWEEPS] [--db sqlite|postgres|both]
                                 [--warmup K] [--rounds R] [--json PATH]

For each database (a throwaway one, as ``bench_case_item.py`` makes), a subprocess makes one of
each kind of open item through the real services (a routine request from the police, a sharing
decision awaiting approval, a MASH contact, a task to tell the individual), then copies them in
bulk to ``--items`` open items (default 100,000: 40% requests, 20% decisions awaiting approval,
20% MASH contacts, 20% inform tasks; 1% of the requests immediate-risk). Their due times are
spread evenly over 60 days from one day ago, so about 2% are due or overdue when the clock starts
and a few more fall due each simulated minute, as in a live service.

It then times, in process:

- ``baseline``: a plain one-row query.
- ``first``: the first sweep, which raises every notice already due (about 2,000, each with its
  ledger entry) — timed once per database, reported alone.
- ``sweep``: the steady state: one sweep per simulated minute (the clock moves on a minute before
  each), finding everything due again, raising only what is new.

It prints p50 and p95 (nearest rank) and the p50 as a multiple of the baseline's. It never passes
or fails on time. Shared helpers come from ``bench_case_item``.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import json
import statistics
import sys
import time
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as ``python bench/bench_timers.py``
    sys.path.insert(0, str(ROOT))

from bench.bench_case_item import (  # noqa: E402
    BenchError,
    _log,
    _machine,
    _server_version,
    _split,
    benchmark_parser,
    checked_args,
    measure_each,
    nearest_rank,
    run_main,
    write_report,
)
from bench.bench_case_item import measure as measure_database  # noqa: E402
from bench.bench_inbox import (  # noqa: E402
    _agreement,
    _benchtown,
    _child_case,
    _decide,
    _practitioner,
    _share,
)

SERIES = ("baseline", "sweep")
SERIES_LABELS = {"baseline": "baseline: one-row query", "sweep": "one sweep (steady state)"}
SHARES = {"request": 0.4, "decision": 0.2, "contact": 0.2, "inform": 0.2}
SPREAD = dt.timedelta(days=60)
ALREADY_DUE = dt.timedelta(days=1)  # the spread starts this long ago
BATCH = 1000


def _copies(template: Any, count: int, stamp: Callable[[Any, dt.datetime], None]) -> list[Any]:
    """``count`` copies of ``template`` with new ids and due times spread over the window. Its
    encrypted fields are opened first: each copy is sealed afresh, bound to its own id."""
    from safeshare.core import clock
    from safeshare.core.fields import EncryptedTextField

    for field in template._meta.concrete_fields:
        if isinstance(field, EncryptedTextField):
            getattr(template, field.attname)
    start = clock.now() - ALREADY_DUE
    made = []
    for number in range(count):
        row = copy.copy(template)
        row._state = copy.copy(template._state)
        row._state.adding = True
        row.id = uuid.uuid4()
        stamp(row, start + SPREAD * (number / max(1, count)))
        made.append(row)
    return made


def _seed(items: int) -> dict[str, int]:
    """Open items of four kinds, made once by the real services and copied in bulk."""
    from django.db import transaction

    from safeshare.agencies.models import Role
    from safeshare.core import clock
    from safeshare.decisions.models import SharingDecision
    from safeshare.disclosures.models import InformationRequest, InformTask, Urgency
    from safeshare.disclosures.services import request_create
    from safeshare.mash.models import MashContact
    from safeshare.mash.services import contact_record

    counts = {kind: int(items * share) for kind, share in SHARES.items()}
    counts["request"] += items - sum(counts.values())
    with transaction.atomic():
        hub, police = _benchtown()
        router = _practitioner(hub, "bench.router", "Fakerouter", [Role.DSL, Role.MASH_OFFICER])
        colleague = _practitioner(hub, "bench.colleague", "Fakecolleague", [Role.PRACTITIONER])
        officer = _practitioner(police, "bench.officer", "Fakeofficer", [Role.DSL])
        _agreement(hub, police, router, officer)

        asked = request_create(
            actor=officer,
            receiving_agency=hub,
            kind="request",
            purpose="child_protection",
            urgency="routine",
            information_sought="Benchmark only: any contact with the family",
            justification="Benchmark only: deciding on a strategy meeting",
            given_name="Fakechild",
            family_name="Benchnobody",
            date_of_birth=dt.date(2018, 3, 1),
            postcode="ZZ9 9ZZ",
        )
        case, _item = _child_case(colleague, hub, 1, "ZZ9 1AA")
        awaiting = _decide(colleague, case, police, urgent=False)
        if not awaiting.approval_required:
            raise BenchError("the template decision does not need approval")
        contact = contact_record(
            actor=router,
            received_at=clock.now(),
            source="phone",
            referrer_agency=police,
            referrer_name="Pat Fakeworth",
            parental_awareness="aware_and_agree",
            given_name="Fakecontact",
            family_name="Benchtest",
            concerns="Benchmark only: a fake bruise seen at school",
            category="physical_abuse",
        )
        shared_case, shared_item = _child_case(router, hub, 2, "ZZ9 2AA")
        _share(router, shared_case, shared_item, officer)
        task = InformTask.objects.get(case=shared_case)

    def request_due(row: Any, due: dt.datetime) -> None:
        row.due_at = due
        row.urgency = Urgency.IMMEDIATE_RISK if row.id.int % 100 == 0 else Urgency.ROUTINE

    def approval_due(row: Any, due: dt.datetime) -> None:
        row.approval_due_at = due

    def contact_due(row: Any, due: dt.datetime) -> None:
        row.rating_due_at = due
        row.decision_due_at = due + dt.timedelta(days=1)

    done = 0
    for model, template, count, stamp in (
        (InformationRequest, asked, counts["request"], request_due),
        (SharingDecision, awaiting, counts["decision"], approval_due),
        (MashContact, contact, counts["contact"], contact_due),
    ):
        for start in range(0, count, BATCH * 10):
            rows = _copies(template, min(BATCH * 10, count - start), stamp)
            with transaction.atomic():
                model.objects.bulk_create(rows, batch_size=BATCH)
            done += len(rows)
            _log(f"  copied {done:,} of {items:,} open items")
    # Each inform task belongs to its own (shared, not awaiting approval) decision.
    shared_decision = task.decision
    for start in range(0, counts["inform"], BATCH * 10):
        size = min(BATCH * 10, counts["inform"] - start)
        decisions = _copies(shared_decision, size, lambda row, due: None)
        tasks = _copies(task, size, lambda row, due: setattr(row, "due_at", due))
        for made, decision in zip(tasks, decisions, strict=True):
            made.decision_id = decision.id
        with transaction.atomic():
            SharingDecision.objects.bulk_create(decisions, batch_size=BATCH)
            InformTask.objects.bulk_create(tasks, batch_size=BATCH)
        done += size
        _log(f"  copied {done:,} of {items:,} open items")
    return counts


def _timed(op: Callable[[], object]) -> int:
    begin = time.perf_counter_ns()
    op()
    return time.perf_counter_ns() - begin


def worker_main(args: argparse.Namespace) -> int:
    import django

    django.setup()
    from django.db import connection

    from safeshare.agencies.models import Agency
    from safeshare.core import clock
    from safeshare.workday.models import WorkNotice
    from safeshare.workday.services import sweep

    label = args.worker
    started = clock.now()
    with clock.frozen(started):
        _log(f"[{label}] seeding {args.items:,} open items")
        counts = _seed(args.items)
    agency = Agency.objects.order_by("created_at").first()
    if agency is None:
        raise BenchError("nothing was seeded")
    from django.urls import reverse

    reverse("web:dashboard")  # load the URL configuration once, outside the timing
    moment = started
    with clock.frozen(moment):
        first_ns = _timed(lambda: sweep(now=moment))
    first_raised = WorkNotice.objects.count()
    _log(f"[{label}] first sweep raised {first_raised:,} notices")

    def one_sweep() -> object:
        nonlocal moment
        moment += dt.timedelta(minutes=1)
        with clock.frozen(moment):
            return sweep(now=moment)

    ops: dict[str, Callable[[], object]] = {
        "baseline": lambda: Agency.objects.filter(pk=agency.pk).first(),
        "sweep": one_sweep,
    }
    for _ in range(args.warmup):
        for op in ops.values():
            op()
    samples: dict[str, list[int]] = {name: [] for name in SERIES}
    for number, count in enumerate(_split(args.n, args.rounds), start=1):
        _log(f"[{label}] round {number}/{args.rounds}: {count} sweeps")
        for _ in range(count):
            for name in SERIES:
                samples[name].append(_timed(ops[name]))
    base = statistics.median(samples["baseline"])
    series = {
        name: {
            "ops": len(values),
            "p50_ms": statistics.median(values) / 1e6,
            "p95_ms": nearest_rank(values, 95) / 1e6,
            "p50_x_baseline": statistics.median(values) / base,
        }
        for name, values in samples.items()
    }
    result = {
        "database": label,
        "vendor": connection.vendor,
        "server_version": _server_version(),
        "open_items": sum(counts.values()),
        "counts": counts,
        "first_sweep_ms": first_ns / 1e6,
        "first_sweep_notices": first_raised,
        "notices_after": WorkNotice.objects.count(),
        "series": series,
    }
    connection.close()
    Path(args.result).write_text(json.dumps(result, indent=2))
    return 0


def format_table(result: dict[str, Any]) -> str:
    counts = ", ".join(f"{kind} {count:,}" for kind, count in result["counts"].items())
    lines = [
        f"{result['server_version']}: {result['open_items']:,} open items ({counts})",
        f"  first sweep: {result['first_sweep_ms']:,.0f} ms, raising"
        f" {result['first_sweep_notices']:,} notices; {result['notices_after']:,} after all",
        f"  {'series':<32}{'ops':>6}{'p50 ms':>9}{'p95 ms':>9}{'p50/base':>10}",
    ]
    for name in SERIES:
        figures = result["series"][name]
        lines.append(
            f"  {SERIES_LABELS[name]:<32}{figures['ops']:>6}{figures['p50_ms']:>9.1f}"
            f"{figures['p95_ms']:>9.1f}{figures['p50_x_baseline']:>9.0f}x"
        )
    return "\n".join(lines)


def parent_main(args: argparse.Namespace) -> int:
    from safeshare.core import clock

    databases = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    machine = _machine()
    started = clock.now()
    print(
        f"SafeShare benchmark: one timers sweep over {args.items:,} open items\n"
        f"{started:%Y-%m-%d %H:%M} UTC; {machine['cpus']} CPUs; load average"
        f" {machine['load_average_at_start'][0]}; Python {machine['python']}\n"
        f"{args.n} sweeps (one simulated minute apart) after {args.warmup} warm-up sweeps,"
        f" {args.rounds} rounds, in process. Figures, not a verdict."
    )
    results, failed = measure_each(
        databases,
        lambda database: measure_database(
            database,
            args,
            script=Path(__file__).resolve(),
            prefix="safeshare-bench-timers",
            extra=[f"--items={args.items}"],
        ),
        format_table,
    )
    write_report(
        args,
        benchmark="timers",
        started=started,
        machine=machine,
        settings=("n", "warmup", "rounds", "items"),
        databases=results,
    )
    return 1 if failed else 0


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = benchmark_parser(
        "Time one sweep of the timers over 100,000 open items against a one-row query, on"
        " SQLite and PostgreSQL. Prints figures; never passes or fails on time.",
        concurrency=1,
    )
    parser.add_argument("--items", type=int, default=100_000, help="open items (100,000)")
    parser.set_defaults(n=30, warmup=2)
    return checked_args(parser, argv, positive=("items",))


def main(argv: Sequence[str] | None = None) -> int:
    return run_main(parse_args(argv), worker_main, parent_main)


if __name__ == "__main__":
    sys.exit(main())
