"""Benchmark: sharing decisions, evaluated (pure) and recorded (API), against a plain insert.

Usage::

    python bench/bench_decisions.py [--n N] [--db sqlite|postgres|both] [--api-workers W]
                                    [--concurrency C] [--warmup K] [--rounds R]
                                    [--engine-n E] [--json PATH]

Prints, in one run:

- ``engine``: ``evaluate(facts)`` per second in this process (pure Python, no database), over the
  seven outcomes' facts in turn; the median of R rounds of E evaluations each.
- For each database (a throwaway one, as ``bench_case_item.py`` makes: a temporary SQLite folder,
  a ``safeshare_bench_<random>`` PostgreSQL database), measured in a subprocess, interleaved in R
  rounds:

  - ``baseline``: a plain one-row Django insert in its own transaction (the yardstick).
  - ``service``: ``decision_record(...)`` in process: the full write (checks, lawful basis,
    AES-GCM sealing of the text, the ledger row), without HTTP.
  - ``api-seq``: ``POST /api/cases/{id}/decisions`` through gunicorn on 127.0.0.1 with a bearer
    token, one request after another.
  - ``api-conc``: the same from C client threads at once (10 by default).

  Every decision is recorded on one case (decisions are per case; the case is read through
  ``access_case`` each time, as in real use), for a referral to the police: a share without
  consent, so the lawful basis and the recipient's entitlement are checked and approval is due.

The issue's targets are printed beside the figures (full record path at least 0.6x the plain
insert's ops/s; p99 under 50 ms at 10 concurrent clients). It never passes or fails on time.
Shared helpers (throwaway databases, gunicorn, percentiles) come from ``bench_case_item``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as ``python bench/bench_decisions.py``
    sys.path.insert(0, str(ROOT))

from bench.bench_case_item import (  # noqa: E402
    API_SETTINGS,
    DATABASE_NOTES,
    ApiClient,
    BenchError,
    Series,
    _log,
    _machine,
    _server_version,
    _split,
    _timed,
    api_header,
    benchmark_parser,
    checked_args,
    gunicorn,
    measure_each,
    run_baseline,
    run_main,
    summarise,
    write_report,
)
from bench.bench_case_item import World as SeedWorld  # noqa: E402
from bench.bench_case_item import measure as measure_database  # noqa: E402
from safeshare.decisions.engine import (  # noqa: E402
    ConsentState,
    Facts,
    Recipient,
    Tristate,
    evaluate,
    facts_to_mapping,
    outcome_to_mapping,
)

SERIES = (
    "baseline",
    "http-insert-seq",
    "http-insert-conc",
    "api-insert-seq",
    "api-insert-conc",
    "service",
    "api-seq",
    "api-conc",
)
HTTP_INSERT_PATH = "/__bench__/insert"
API_INSERT_PATH = "/__bench__/api/insert"
SERIES_LABELS = {
    "baseline": "baseline: plain insert",
    "http-insert-seq": "plain insert over HTTP, sequential",
    "http-insert-conc": "plain insert over HTTP, concurrent",
    "api-insert-seq": "plain insert via API auth, sequential",
    "api-insert-conc": "plain insert via API auth, concurrent",
    "service": "service: decision_record",
    "api-seq": "API record, sequential",
    "api-conc": "API record, concurrent",
}
TARGET_RATIO = 0.6
TARGET_P99_MS = 50.0
DECISION_PATH = "/api/cases/{id}/decisions"
REASONS = "Benchmark only: the fake school reported bruising on Fakechild twice this week."
WHAT = "Benchmark only: the two fake observations of bruising, with dates and who saw them."

# A referral to the police for a child at risk of significant harm: a share without consent.
REFERRAL = Facts(
    purpose="child_protection",
    purpose_clear_and_legitimate=Tristate.YES,
    identifies_living_person=Tristate.YES,
    confidential=Tristate.YES,
    special_category=False,
    criminal_offence_data=False,
    consent=ConsentState.NOT_ASKED,
    consent_not_sought_reason=None,
    significant_harm_concern=True,
    immediate_danger=False,
    consent_would_increase_risk_to_child=False,
    consent_would_put_adult_at_serious_risk=False,
    consent_would_undermine_crime_prevention=False,
    statutory_duty_or_court_order=False,
    recipient=Recipient.STATUTORY_PARTNER,
    advice_sought=False,
)
ENGINE_FACTS: tuple[Facts, ...] = (  # one set of facts for each of the seven outcomes
    REFERRAL,
    replace(REFERRAL, significant_harm_concern=False),
    replace(REFERRAL, consent=ConsentState.GIVEN, significant_harm_concern=False),
    replace(REFERRAL, consent=ConsentState.REFUSED, significant_harm_concern=False),
    replace(REFERRAL, consent=ConsentState.NOT_SOUGHT, significant_harm_concern=False),
    replace(REFERRAL, significant_harm_concern=False, statutory_duty_or_court_order=True),
    replace(REFERRAL, identifies_living_person=Tristate.NO),
)


# --- Engine (pure, in this process) ---------------------------------------------------------------


def measure_engine(count: int, rounds: int) -> dict[str, Any]:
    """Median evaluations per second over ``rounds`` rounds of ``count`` evaluations."""
    facts = [ENGINE_FACTS[index % len(ENGINE_FACTS)] for index in range(count)]
    for item in facts[: min(count, 200)]:  # warm up
        evaluate(item)
    rates: list[float] = []
    for _ in range(rounds):
        started = time.perf_counter_ns()
        for item in facts:
            evaluate(item)
        rates.append(count / ((time.perf_counter_ns() - started) / 1e9))
    return {
        "evaluations": count,
        "rounds": rounds,
        "median_per_s": statistics.median(rates),
        "min_per_s": min(rates),
        "max_per_s": max(rates),
        "recommendations": sorted({str(evaluate(f).recommendation) for f in ENGINE_FACTS}),
    }


# --- Worker: runs inside one database's environment -----------------------------------------------


def _seed() -> tuple[SeedWorld, Any, Any]:
    """An agency with a MASH officer, the police as recipient, one child with one open case."""
    from django.db import transaction

    from safeshare.agencies.models import AgencyType, Role
    from safeshare.agencies.services import agency_create, practitioner_create
    from safeshare.cases.models import CaseStatus
    from safeshare.cases.services import case_create
    from safeshare.core import clock
    from safeshare.people.services import person_create

    with transaction.atomic():
        agency = agency_create(
            actor=None,
            name="Benchtown Children's Services",
            agency_type=AgencyType.CHILDRENS_SOCIAL_CARE,
            local_authority_area="Benchtown",
        )
        police = agency_create(
            actor=None,
            name="Benchtown Constabulary",
            agency_type=AgencyType.POLICE,
            local_authority_area="Benchtown",
        )
        worker = practitioner_create(
            actor=None,
            agency=agency,
            username="bench.worker",
            given_name="Fakeworker",
            family_name="Benchley",
            roles=[Role.MASH_OFFICER],
        )
        name_holder = person_create(
            actor=worker, agency=agency, given_name="Fakeparent", family_name="Testington"
        )
        child = person_create(
            actor=worker,
            agency=agency,
            given_name="Fakechild",
            family_name="Benchtest0001",
            date_of_birth=dt.date(2018, 3, 1),
        )
        case = case_create(
            actor=worker,
            agency=agency,
            subject=child,
            status=CaseStatus.CHILD_PROTECTION,
            allocate=worker,
        )
    world = SeedWorld(
        agency=agency,
        worker=worker,
        name_holder=name_holder,
        children=[],
        event_date=clock.today(),
    )
    return world, police, case


def _body(police_id: str) -> dict[str, Any]:
    outcome = outcome_to_mapping(evaluate(REFERRAL))
    return {
        "facts": facts_to_mapping(REFERRAL),
        "outcome": outcome["recommendation"],
        "reasons": REASONS,
        "recipient_agency_id": police_id,
        "lawful_basis": outcome["lawful_basis"],
        "what_to_share": WHAT,
    }


def run_service(world: SeedWorld, police: Any, case: Any, count: int) -> Series:
    from safeshare.decisions.services import decision_record

    basis = outcome_to_mapping(evaluate(REFERRAL))["lawful_basis"]
    outcome = str(evaluate(REFERRAL).recommendation)

    def op() -> None:
        decision_record(
            actor=world.worker,
            case=case,
            purpose=REFERRAL.purpose,
            facts=REFERRAL,
            outcome=outcome,
            reasons=REASONS,
            recipient_agency=police,
            lawful_basis=basis,  # type: ignore[arg-type]
            what_to_share=WHAT,
        )

    return _timed([op] * count)


def _record(client: ApiClient, path: str, body: dict[str, Any], series: Series) -> None:
    begin = time.perf_counter_ns()
    client.post(path, body)
    series.samples_ns.append(time.perf_counter_ns() - begin)


def run_api(
    world: SeedWorld,
    body: dict[str, Any],
    path: str,
    count: int,
    *,
    port: int,
    token: str,
    threads: int,
) -> Series:
    """``count`` record requests from ``threads`` clients at once (1: one after another)."""
    shares = _split(count, threads)
    results = [Series() for _ in shares]
    errors: list[BaseException] = []
    start = threading.Barrier(len(shares) + 1)

    def client_thread(share: int, series: Series) -> None:
        client = ApiClient(port, token, world.event_date)
        try:
            start.wait()
            for _ in range(share):
                _record(client, path, body, series)
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)
        finally:
            client.close()

    workers = [
        threading.Thread(target=client_thread, args=(share, series), daemon=True)
        for share, series in zip(shares, results, strict=True)
    ]
    for thread in workers:
        thread.start()
    start.wait()
    started = time.perf_counter_ns()
    for thread in workers:
        thread.join()
    wall = time.perf_counter_ns() - started
    if errors:
        raise BenchError(f"a client failed: {errors[0]}")
    merged = Series()
    for series in results:
        merged.samples_ns.extend(series.samples_ns)
    merged.wall_ns = wall
    return merged


def worker_main(args: argparse.Namespace) -> int:
    import django

    django.setup()
    from django.db import connection

    from safeshare.agencies.services import api_token_create

    label = args.worker
    threads = args.concurrency
    _log(f"[{label}] seeding two agencies, a practitioner and one case")
    world, police, case = _seed()
    _token, raw = api_token_create(actor=world.worker, name="bench")
    body = _body(str(police.pk))
    path = DECISION_PATH.format(id=case.pk)
    series = {name: Series() for name in SERIES}
    insert_body = {"person_id": str(world.name_holder.pk)}
    with gunicorn(args.api_workers, settings_module="bench.settings_http") as port:
        _log(f"[{label}] gunicorn ({args.api_workers} workers) on 127.0.0.1:{port}; warming up")
        run_baseline(world, args.warmup)
        run_service(world, police, case, args.warmup)
        run_api(world, body, path, args.warmup, port=port, token=raw, threads=1)
        run_api(world, body, path, args.warmup * threads, port=port, token=raw, threads=threads)
        run_api(world, insert_body, HTTP_INSERT_PATH, args.warmup, port=port, token=raw, threads=1)
        run_api(world, insert_body, API_INSERT_PATH, args.warmup, port=port, token=raw, threads=1)
        for number, count in enumerate(_split(args.n, args.rounds), start=1):
            _log(f"[{label}] round {number}/{args.rounds}: {count} ops per series")
            series["baseline"].extend(run_baseline(world, count))
            series["http-insert-seq"].extend(
                run_api(
                    world, insert_body, HTTP_INSERT_PATH, count, port=port, token=raw, threads=1
                )
            )
            series["http-insert-conc"].extend(
                run_api(
                    world,
                    insert_body,
                    HTTP_INSERT_PATH,
                    count,
                    port=port,
                    token=raw,
                    threads=threads,
                )
            )
            for name, threads_now in (("api-insert-seq", 1), ("api-insert-conc", threads)):
                series[name].extend(
                    run_api(
                        world,
                        insert_body,
                        API_INSERT_PATH,
                        count,
                        port=port,
                        token=raw,
                        threads=threads_now,
                    )
                )
            series["service"].extend(run_service(world, police, case, count))
            series["api-seq"].extend(
                run_api(world, body, path, count, port=port, token=raw, threads=1)
            )
            series["api-conc"].extend(
                run_api(world, body, path, count, port=port, token=raw, threads=threads)
            )
    result = {
        "database": label,
        "vendor": connection.vendor,
        "server_version": _server_version(),
        "series": summarise(series),
    }
    connection.close()
    Path(args.result).write_text(json.dumps(result, indent=2))
    return 0


# --- Parent ---------------------------------------------------------------------------------------


def measure(database: str, args: argparse.Namespace) -> dict[str, Any] | None:
    """One database's measurement in a subprocess of this script (see bench_case_item.measure)."""
    return measure_database(
        database, args, script=Path(__file__).resolve(), prefix="safeshare-bench-decisions"
    )


def format_table(result: dict[str, Any], concurrency: int) -> str:
    series = result["series"]
    lines = [
        f"{result['server_version']}{DATABASE_NOTES[result['database']]}",
        f"  {'series':<38}{'ops':>6}{'ops/s':>9}{'p50 ms':>9}{'p99 ms':>9}"
        f"{'p50/base':>10}{'ops/s/base':>12}",
    ]
    for name in SERIES:
        figures = series[name]
        concurrent = name.endswith("-conc")
        label = SERIES_LABELS[name] + (f" ({concurrency})" if concurrent else "")
        lines.append(
            f"  {label:<38}{figures['ops']:>6}{figures['ops_per_s']:>9.1f}"
            f"{figures['p50_ms']:>9.2f}{figures['p99_ms']:>9.2f}"
            f"{figures['p50_x_baseline']:>9.1f}x{figures['ops_per_s_x_baseline']:>12.3f}"
        )
    return "\n".join(lines)


def format_targets(results: dict[str, dict[str, Any]], concurrency: int) -> str:
    lines = [
        f"Targets (reported, not asserted): record path >= {TARGET_RATIO}x plain insert ops/s;"
        f" p99 < {TARGET_P99_MS:.0f} ms at {concurrency} concurrent clients"
    ]
    for database, result in results.items():
        series = result["series"]
        conc = series["api-conc"]
        ratios = ", ".join(
            f"{short} {series[name]['ops_per_s_x_baseline']:.3f}x"
            for name, short in (
                ("service", "service"),
                ("api-seq", "API"),
                ("api-conc", "API conc"),
            )
        )
        p99_met = "met" if conc["p99_ms"] < TARGET_P99_MS else "NOT met"
        over_http = {
            mode: series[api]["ops_per_s"] / max(series[insert]["ops_per_s"], 1e-9)
            for mode, api, insert in (
                ("sequential", "api-seq", "http-insert-seq"),
                ("concurrent", "api-conc", "http-insert-conc"),
                ("sequential, authenticated", "api-seq", "api-insert-seq"),
                ("concurrent, authenticated", "api-conc", "api-insert-conc"),
            )
        }
        lines.append(
            f"  {database:<9} ops/s ratio to the in-process insert: {ratios};"
            f" concurrent p99 {conc['p99_ms']:.1f} ms ({p99_met})"
        )
        lines.append(
            f"  {'':<9} API record ops/s ratio to a plain insert over the same HTTP stack:"
            f" sequential {over_http['sequential']:.3f}x, concurrent {over_http['concurrent']:.3f}x"
        )
        lines.append(
            f"  {'':<9} API record ops/s ratio to a plain insert through the API's own"
            f" authentication: sequential {over_http['sequential, authenticated']:.3f}x,"
            f" concurrent {over_http['concurrent, authenticated']:.3f}x"
        )
    return "\n".join(lines)


def parent_main(args: argparse.Namespace) -> int:
    from safeshare.core import clock

    databases = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    machine = _machine()
    started = clock.now()
    print(api_header("sharing decisions (evaluate, record)", started, machine, args), flush=True)
    engine = measure_engine(args.engine_n, max(args.rounds, 5))
    print(
        f"\nEngine (pure, in process): {engine['median_per_s']:,.0f} evaluations/s"
        f" (median of {engine['rounds']} rounds of {engine['evaluations']:,};"
        f" min {engine['min_per_s']:,.0f}, max {engine['max_per_s']:,.0f});"
        f" {len(engine['recommendations'])} outcomes in the mix",
        flush=True,
    )
    results, failed = measure_each(
        databases,
        lambda database: measure(database, args),
        lambda result: format_table(result, args.concurrency),
    )
    if results:
        print()
        print(format_targets(results, args.concurrency))
    write_report(
        args,
        benchmark="decisions",
        started=started,
        machine=machine,
        settings=(*API_SETTINGS, "engine_n"),
        engine=engine,
        databases=results,
    )
    return 1 if failed else 0


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = benchmark_parser(
        "Time evaluating (pure) and recording (API) sharing decisions against a"
        " plain insert, on SQLite and PostgreSQL. Prints figures; never passes or fails on time.",
        concurrency=10,
    )
    parser.add_argument(
        "--engine-n", type=int, default=20_000, help="evaluations per engine round (20000)"
    )
    return checked_args(parser, argv, positive=("engine_n",))


def main(argv: Sequence[str] | None = None) -> int:
    return run_main(parse_args(argv), worker_main, parent_main)


if __name__ == "__main__":
    sys.exit(main())
