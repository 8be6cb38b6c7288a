"""Benchmark: disclosures issued per second end to end, against a plain insert.

Usage::

    python bench/bench_disclosures.py [--n N] [--db sqlite|postgres|both] [--api-workers W]
                                      [--concurrency C] [--warmup K] [--rounds R] [--json PATH]

One disclosure end to end is: a sharing decision recorded (``POST /api/cases/{id}/decisions``,
an urgent referral to the police under the agreement between the two agencies) and then a
disclosure issued under it (``POST /api/disclosures``) to a named police officer: three items of
the case, one of them with a redaction. For each database (a throwaway one, as
``bench_case_item.py`` makes: a temporary SQLite folder, a ``safeshare_bench_<random>``
PostgreSQL database), measured in a subprocess, interleaved in R rounds:

- ``baseline``: a plain one-row Django insert in its own transaction (the yardstick), and the
  same insert over the same HTTP stack, with and without the API's own authentication, as
  ``bench_decisions.py`` prints them.
- ``service``: ``decision_record`` then ``disclosure_issue`` in process (no HTTP).
- ``api-seq``: the two API calls, one disclosure after another, with a bearer token.
- ``api-conc``: the same from C client threads at once (10 by default).

p50/p99 are per disclosure (both calls). It never passes or fails on time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as ``python bench/bench_disclosures.py``
    sys.path.insert(0, str(ROOT))

from bench.bench_case_item import (  # noqa: E402
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
from bench.bench_decisions import (  # noqa: E402
    API_INSERT_PATH,
    HTTP_INSERT_PATH,
    REFERRAL,
    format_table,
    run_api,
)
from safeshare.decisions.engine import (  # noqa: E402
    Recipient,
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
DECISION_PATH = "/api/cases/{id}/decisions"
DISCLOSURE_PATH = "/api/disclosures"
REASONS = "Benchmark only: the fake school reported bruising on Fakechild twice this week."
WHAT = "Benchmark only: the three fake observations, with dates and who saw them."
FACTS = REFERRAL.__class__(**{**REFERRAL.__dict__, "recipient": Recipient.AGREEMENT})
REDACTION_REASON = "Benchmark: not needed for the purpose"
REDACTION: dict[str, Any] = {"start": 0, "end": 9, "reason": REDACTION_REASON}

# bench_decisions.format_table labels these series; the decision series read as disclosures here.
LABELS = {
    "service": "service: decision + disclosure_issue",
    "api-seq": "API decision + disclosure, sequential",
    "api-conc": "API decision + disclosure, concurrent",
}


# --- Worker: runs inside one database's environment -----------------------------------------------


def _seed() -> tuple[SeedWorld, Any, Any, Any, list[Any]]:
    """Two agencies under an active agreement, a MASH officer allocated to one child's case with
    three items, a police officer to share with."""
    from django.db import transaction

    from safeshare.agencies.models import AgencyType, AgreementStatus, Role
    from safeshare.agencies.services import (
        agency_create,
        agreement_create,
        agreement_set_status,
        agreement_sign,
        practitioner_create,
    )
    from safeshare.cases.models import CaseStatus
    from safeshare.cases.services import case_create, item_create
    from safeshare.core import clock
    from safeshare.people.services import person_create

    today = clock.today()
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
            roles=[Role.MASH_OFFICER, Role.DSL],
        )
        officer = practitioner_create(
            actor=None,
            agency=police,
            username="bench.officer",
            given_name="Fakeofficer",
            family_name="Benchley",
            roles=[Role.DSL],
        )
        agreement = agreement_create(
            actor=worker,
            owner=agency,
            reference="BENCH-ISA-1",
            title="Benchtown sharing agreement",
            parties=[agency, police],
            purposes=["child_protection"],
            data_categories=["child"],
            lawful_bases=["art6_1_e"],
            retention_days=90,
            start_date=today - dt.timedelta(days=30),
            review_date=today + dt.timedelta(days=300),
        )
        agreement_sign(actor=worker, agreement=agreement)
        agreement_sign(actor=officer, agreement=agreement)
        agreement_set_status(actor=worker, agreement=agreement, status=AgreementStatus.ACTIVE)
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
        items = [
            item_create(
                actor=worker,
                case=case,
                category="child",
                summary=f"Benchmark observation {n}",
                content=f"Benchmark: the fake teacher saw bruising on Fakechild ({n}).",
                fact_or_opinion="fact",
                source="Fake class teacher",
                how_known="observed",
                event_date=today - dt.timedelta(days=n),
            )
            for n in (1, 2, 3)
        ]
    world = SeedWorld(
        agency=agency, worker=worker, name_holder=name_holder, children=[], event_date=today
    )
    return world, police, officer, case, items


def _decision_body(police_id: str) -> dict[str, Any]:
    outcome = outcome_to_mapping(evaluate(FACTS))
    return {
        "facts": facts_to_mapping(FACTS),
        "outcome": outcome["recommendation"],
        "reasons": REASONS,
        "recipient_agency_id": police_id,
        "lawful_basis": outcome["lawful_basis"],
        "what_to_share": WHAT,
        "is_urgent": True,
    }


def _disclosure_body(decision_id: str, officer_id: str, item_ids: list[str]) -> dict[str, Any]:
    return {
        "decision_id": decision_id,
        "recipient_id": officer_id,
        "items": [
            {"item_id": item_id, "content_redactions": [REDACTION] if n == 0 else []}
            for n, item_id in enumerate(item_ids)
        ],
    }


def run_service(
    world: SeedWorld, police: Any, officer: Any, case: Any, items: list[Any], count: int
) -> Series:
    from safeshare.decisions.services import decision_record
    from safeshare.disclosures.assembly import ItemSelection
    from safeshare.disclosures.redaction import Redaction
    from safeshare.disclosures.services import disclosure_issue

    mapping: dict[str, Any] = dict(outcome_to_mapping(evaluate(FACTS)))
    selections = [
        ItemSelection(
            item=item,
            content_redactions=(Redaction(0, 9, REDACTION_REASON),) if n == 0 else (),
        )
        for n, item in enumerate(items)
    ]

    def op() -> None:
        decision = decision_record(
            actor=world.worker,
            case=case,
            purpose=FACTS.purpose,
            facts=FACTS,
            outcome=str(mapping["recommendation"]),
            reasons=REASONS,
            recipient_agency=police,
            lawful_basis=mapping["lawful_basis"],
            what_to_share=WHAT,
            is_urgent=True,
        )
        disclosure_issue(actor=world.worker, decision=decision, recipient=officer, items=selections)

    return _timed([op] * count)


def run_journeys(
    world: SeedWorld,
    *,
    count: int,
    port: int,
    token: str,
    threads: int,
    case_id: str,
    police_id: str,
    officer_id: str,
    item_ids: list[str],
) -> Series:
    """``count`` disclosures end to end (decision, then disclosure) from ``threads`` clients."""
    shares = _split(count, threads)
    results = [Series() for _ in shares]
    errors: list[BaseException] = []
    start = threading.Barrier(len(shares) + 1)
    decision_path = DECISION_PATH.format(id=case_id)
    decision_body = _decision_body(police_id)

    def client_thread(share: int, series: Series) -> None:
        client = ApiClient(port, token, world.event_date)
        try:
            start.wait()
            for _ in range(share):
                begin = time.perf_counter_ns()
                decision, decision_ns = client.post(decision_path, decision_body)
                body = _disclosure_body(str(decision["id"]), officer_id, item_ids)
                _disclosure, disclosure_ns = client.post(DISCLOSURE_PATH, body)
                series.samples_ns.append(time.perf_counter_ns() - begin)
                series.requests_ns.setdefault(f"POST {DECISION_PATH}", []).append(decision_ns)
                series.requests_ns.setdefault(f"POST {DISCLOSURE_PATH}", []).append(disclosure_ns)
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
        for key, samples in series.requests_ns.items():
            merged.requests_ns.setdefault(key, []).extend(samples)
    merged.wall_ns = wall
    return merged


def worker_main(args: argparse.Namespace) -> int:
    import django

    django.setup()
    from django.db import connection

    from safeshare.agencies.services import api_token_create

    label = args.worker
    threads = args.concurrency
    _log(f"[{label}] seeding two agencies under an agreement, a case with three items")
    world, police, officer, case, items = _seed()
    _token, raw = api_token_create(actor=world.worker, name="bench")
    journey: dict[str, Any] = {
        "case_id": str(case.pk),
        "police_id": str(police.pk),
        "officer_id": str(officer.pk),
        "item_ids": [str(item.pk) for item in items],
    }
    series = {name: Series() for name in SERIES}
    insert_body = {"person_id": str(world.name_holder.pk)}
    with gunicorn(args.api_workers, settings_module="bench.settings_http") as port:
        _log(f"[{label}] gunicorn ({args.api_workers} workers) on 127.0.0.1:{port}; warming up")
        run_baseline(world, args.warmup)
        run_service(world, police, officer, case, items, args.warmup)
        run_journeys(world, count=args.warmup, port=port, token=raw, threads=1, **journey)
        run_api(world, insert_body, HTTP_INSERT_PATH, args.warmup, port=port, token=raw, threads=1)
        run_api(world, insert_body, API_INSERT_PATH, args.warmup, port=port, token=raw, threads=1)
        for number, count in enumerate(_split(args.n, args.rounds), start=1):
            _log(f"[{label}] round {number}/{args.rounds}: {count} ops per series")
            series["baseline"].extend(run_baseline(world, count))
            for name, path, threads_now in (
                ("http-insert-seq", HTTP_INSERT_PATH, 1),
                ("http-insert-conc", HTTP_INSERT_PATH, threads),
                ("api-insert-seq", API_INSERT_PATH, 1),
                ("api-insert-conc", API_INSERT_PATH, threads),
            ):
                series[name].extend(
                    run_api(
                        world, insert_body, path, count, port=port, token=raw, threads=threads_now
                    )
                )
            series["service"].extend(run_service(world, police, officer, case, items, count))
            for name, threads_now in (("api-seq", 1), ("api-conc", threads)):
                series[name].extend(
                    run_journeys(
                        world, count=count, port=port, token=raw, threads=threads_now, **journey
                    )
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
    return measure_database(
        database, args, script=Path(__file__).resolve(), prefix="safeshare-bench-disclosures"
    )


def format_summary(results: dict[str, dict[str, Any]], concurrency: int) -> str:
    lines = ["Disclosures issued per second end to end (decision + 3-item disclosure, 1 redaction)"]
    for database, result in results.items():
        series = result["series"]
        for name, label in (("api-seq", "sequential"), ("api-conc", f"{concurrency} clients")):
            figures = series[name]
            lines.append(
                f"  {database:<9} {label:<11} {figures['ops_per_s']:>8.1f} disclosures/s"
                f"  p50 {figures['p50_ms']:.1f} ms  p99 {figures['p99_ms']:.1f} ms"
                f"  ({figures['ops_per_s_x_baseline']:.3f}x the plain insert's ops/s)"
            )
    return "\n".join(lines)


def parent_main(args: argparse.Namespace) -> int:
    import bench.bench_decisions as decisions_bench
    from safeshare.core import clock

    decisions_bench.SERIES_LABELS.update(LABELS)  # the same table, our series' names
    databases = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    machine = _machine()
    started = clock.now()
    print(api_header("disclosures issued end to end", started, machine, args), flush=True)
    results, failed = measure_each(
        databases,
        lambda database: measure(database, args),
        lambda result: format_table(result, args.concurrency),
    )
    if results:
        print()
        print(format_summary(results, args.concurrency))
    write_report(args, benchmark="disclosures", started=started, machine=machine, databases=results)
    return 1 if failed else 0


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = benchmark_parser(
        "Time disclosures issued end to end (a recorded decision, then a three-item disclosure"
        " with one redaction, through the API) against a plain insert, on SQLite and PostgreSQL."
        " Prints figures; never passes or fails on time.",
        concurrency=10,
    )
    return checked_args(parser, argv)


def main(argv: Sequence[str] | None = None) -> int:
    return run_main(parse_args(argv), worker_main, parent_main)


if __name__ == "__main__":
    sys.exit(main())
