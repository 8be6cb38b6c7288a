"""Benchmark: create a case and an information item, against a plain insert measured alongside.

Usage::

    python bench/bench_case_item.py [--n N] [--db sqlite|postgres|both] [--api-workers W]
                                    [--concurrency C] [--warmup K] [--rounds R] [--json PATH]

For each database a throwaway instance is created (SQLite in a temporary data folder; PostgreSQL
as a ``safeshare_bench_<random>`` database, dropped at the end), migrated, and seeded with one
agency, one practitioner and enough children. One subprocess per database (Django settings are
process-global) then times, op by op:

- ``baseline``: a plain Django insert of one narrow row (``PersonName``) in its own transaction:
  no ledger, no encryption, no checks. The yardstick every other figure is divided by.
- ``service``: ``case_create(..., allocate=actor)`` then ``item_create(...)`` in one transaction,
  which is what one API call pair does underneath (case, allocation, item, three ledger rows,
  AES-GCM sealing of the item's text).
- ``api-seq``: the same through the HTTP API served by gunicorn on 127.0.0.1: ``POST /api/cases``
  then ``POST /api/cases/{id}/items`` with a bearer token, one op after another (latency).
- ``api-conc``: the same with C client threads at once (throughput).

The series run interleaved in R rounds so that a burst of load from elsewhere on a noisy machine
lands on all of them. It prints figures and ratios; it never passes or fails on time.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import http.client
import json
import math
import os
import platform
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

if TYPE_CHECKING:
    from safeshare.agencies.models import Agency, Practitioner
    from safeshare.people.models import Person

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432"
SERIES = ("baseline", "service", "api-seq", "api-conc")
SERIES_LABELS = {
    "baseline": "baseline: plain insert",
    "service": "service: case + item",
    "api-seq": "API sequential",
    "api-conc": "API concurrent",
}
DATABASE_NOTES = {
    "sqlite": " (WAL, synchronous=FULL, BEGIN IMMEDIATE)",
    "postgres": " (127.0.0.1, persistent connections in gunicorn)",
}
CASE_PATH = "/api/cases"
ITEM_PATH = "/api/cases/{id}/items"
# An item of a realistic size: a summary line and a paragraph, all obviously fake.
ITEM_SUMMARY = "Bench: home visit, Fakechild seen alone in their bedroom"
ITEM_CONTENT = " ".join(
    ["Benchmark text only: the fake allocated worker visited the fake family home."] * 8
)
ITEM_SOURCE = "Benchmark home visit by the allocated worker"


class BenchError(Exception):
    """Something that stops a measurement (not a slow figure: those are only printed)."""


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _interrupted(signum: int, frame: FrameType | None) -> None:
    """Ctrl-C or SIGTERM: stop measuring, and let every ``finally`` clean up undisturbed.

    Further signals are ignored from here on, so that a second Ctrl-C (or the parent's SIGTERM
    arriving after the terminal's SIGINT) cannot cut short stopping gunicorn or dropping the
    database.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise KeyboardInterrupt


# --- Figures --------------------------------------------------------------------------------------


def nearest_rank(values: Sequence[int], percent: float) -> int:
    """The nearest-rank percentile of ``values`` (need not be sorted)."""
    ordered = sorted(values)
    rank = max(1, math.ceil(percent / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass
class Series:
    """Per-op durations of one series, the wall time they took, and per-request durations."""

    samples_ns: list[int] = field(default_factory=list)
    wall_ns: int = 0
    requests_ns: dict[str, list[int]] = field(default_factory=dict)

    def extend(self, other: Series) -> None:
        self.samples_ns.extend(other.samples_ns)
        self.wall_ns += other.wall_ns
        for path, samples in other.requests_ns.items():
            self.requests_ns.setdefault(path, []).extend(samples)


def _figures(samples_ns: Sequence[int], wall_ns: int) -> dict[str, float]:
    ops = len(samples_ns)
    return {
        "ops": ops,
        "ops_per_s": ops / (wall_ns / 1e9) if wall_ns else 0.0,
        "p50_ms": statistics.median(samples_ns) / 1e6,
        "p99_ms": nearest_rank(samples_ns, 99) / 1e6,
    }


def summarise(series: dict[str, Series]) -> dict[str, Any]:
    """Figures for each series, with ratios against the baseline measured in the same run."""
    out: dict[str, Any] = {}
    for name, measured in series.items():
        out[name] = _figures(measured.samples_ns, measured.wall_ns)
        if measured.requests_ns:
            out[name]["requests"] = {
                path: _figures(samples, measured.wall_ns)
                for path, samples in measured.requests_ns.items()
            }
    base = out["baseline"]
    for figures in out.values():
        figures["p50_x_baseline"] = figures["p50_ms"] / base["p50_ms"]
        figures["ops_per_s_x_baseline"] = figures["ops_per_s"] / base["ops_per_s"]
    return out


# --- Worker: runs inside one database's environment -----------------------------------------------


@dataclass
class World:
    agency: Agency
    worker: Practitioner
    name_holder: Person
    children: list[Person]
    event_date: dt.date

    def take(self, count: int) -> list[Person]:
        taken, self.children = self.children[:count], self.children[count:]
        if len(taken) < count:
            raise BenchError("the benchmark ran out of seeded children")
        return taken


def _seed(children: int) -> World:
    from django.db import transaction

    from safeshare.agencies.models import AgencyType, Role
    from safeshare.agencies.services import agency_create, practitioner_create
    from safeshare.core import clock
    from safeshare.people.models import Sex
    from safeshare.people.services import person_create

    with transaction.atomic():
        agency = agency_create(
            actor=None,
            name="Benchtown Children's Services",
            agency_type=AgencyType.CHILDRENS_SOCIAL_CARE,
            local_authority_area="Benchtown",
        )
        worker = practitioner_create(
            actor=None,
            agency=agency,
            username="bench.worker",
            given_name="Fakeworker",
            family_name="Benchley",
            # A MASH officer sees every child of the agency, so may open a case for one who has
            # none yet; a plain practitioner sees only children on cases allocated to them.
            roles=[Role.MASH_OFFICER],
        )
        born = dt.date(2018, 3, 1)
        name_holder = person_create(
            actor=worker, agency=agency, given_name="Fakeparent", family_name="Testington"
        )
        kids = [
            person_create(
                actor=worker,
                agency=agency,
                given_name="Fakechild",
                family_name=f"Benchtest{index:04d}",
                date_of_birth=born,
                sex=Sex.NOT_RECORDED,
            )
            for index in range(children)
        ]
    return World(
        agency=agency,
        worker=worker,
        name_holder=name_holder,
        children=kids,
        event_date=clock.today() - dt.timedelta(days=1),
    )


def _timed(ops: Sequence[Callable[[], None]]) -> Series:
    series = Series()
    started = time.perf_counter_ns()
    for op in ops:
        begin = time.perf_counter_ns()
        op()
        series.samples_ns.append(time.perf_counter_ns() - begin)
    series.wall_ns = time.perf_counter_ns() - started
    return series


def run_baseline(world: World, count: int) -> Series:
    from django.db import transaction

    from safeshare.people.models import NameKind, PersonName

    def insert() -> None:
        with transaction.atomic():
            PersonName.objects.create(
                person=world.name_holder,
                kind=NameKind.ALIAS,
                given_name="Fakealias",
                family_name="Benchname",
            )

    return _timed([insert] * count)


def run_service(world: World, count: int) -> Series:
    from django.db import transaction

    from safeshare.cases.models import CaseStatus, FactOrOpinion, HowKnown
    from safeshare.cases.services import case_create, item_create
    from safeshare.core.vocabulary import InformationCategory

    def make_op(child: Person) -> Callable[[], None]:
        def op() -> None:
            with transaction.atomic():
                case = case_create(
                    actor=world.worker,
                    agency=world.agency,
                    subject=child,
                    status=CaseStatus.CHILD_IN_NEED,
                    allocate=world.worker,
                )
                item_create(
                    actor=world.worker,
                    case=case,
                    category=InformationCategory.CHILD,
                    summary=ITEM_SUMMARY,
                    content=ITEM_CONTENT,
                    fact_or_opinion=FactOrOpinion.FACT,
                    source=ITEM_SOURCE,
                    how_known=HowKnown.OBSERVED,
                    event_date=world.event_date,
                )

        return op

    return _timed([make_op(child) for child in world.take(count)])


class ApiClient:
    """One HTTP connection (re-opened by http.client when the server closes it)."""

    def __init__(self, port: int, token: str, event_date: dt.date) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.headers = {
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/json",
            "Accept": "application/json",
        }
        self.item = {
            "category": "child",
            "summary": ITEM_SUMMARY,
            "content": ITEM_CONTENT,
            "fact_or_opinion": "fact",
            "source": ITEM_SOURCE,
            "how_known": "observed",
            "event_date": event_date.isoformat(),
        }

    def close(self) -> None:
        self.connection.close()

    def post(self, path: str, body: dict[str, Any]) -> tuple[dict[str, Any], int]:
        data = json.dumps(body).encode()
        begin = time.perf_counter_ns()
        self.connection.request("POST", path, body=data, headers=self.headers)
        response = self.connection.getresponse()
        payload = response.read()
        elapsed = time.perf_counter_ns() - begin
        if response.status not in (200, 201):
            raise BenchError(f"POST {path} answered {response.status}: {payload[:400]!r}")
        answer: dict[str, Any] = json.loads(payload)
        return answer, elapsed

    def case_and_item(self, child_id: str, series: Series) -> None:
        begin = time.perf_counter_ns()
        case, case_ns = self.post(CASE_PATH, {"subject_id": child_id, "status": "child_in_need"})
        _item, item_ns = self.post(ITEM_PATH.format(id=case["id"]), self.item)
        series.samples_ns.append(time.perf_counter_ns() - begin)
        series.requests_ns.setdefault(f"POST {CASE_PATH}", []).append(case_ns)
        series.requests_ns.setdefault(f"POST {ITEM_PATH}", []).append(item_ns)


def run_api_sequential(world: World, count: int, *, port: int, token: str) -> Series:
    ids = [str(child.pk) for child in world.take(count)]
    client = ApiClient(port, token, world.event_date)
    series = Series()
    try:
        started = time.perf_counter_ns()
        for child_id in ids:
            client.case_and_item(child_id, series)
        series.wall_ns = time.perf_counter_ns() - started
    finally:
        client.close()
    return series


def run_api_concurrent(world: World, count: int, *, port: int, token: str, threads: int) -> Series:
    ids = [str(child.pk) for child in world.take(count)]
    shares = [ids[index::threads] for index in range(threads)]
    results = [Series() for _ in shares]
    errors: list[BaseException] = []
    start = threading.Barrier(threads + 1)

    def client_thread(share: list[str], series: Series) -> None:
        client = ApiClient(port, token, world.event_date)
        try:
            start.wait()
            for child_id in share:
                client.case_and_item(child_id, series)
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
    wall_ns = time.perf_counter_ns() - started
    if errors:
        raise BenchError(f"a client thread failed: {errors[0]}") from errors[0]
    merged = Series()
    for series in results:
        merged.extend(series)
    merged.wall_ns = wall_ns
    return merged


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextlib.contextmanager
def gunicorn(workers: int, *, settings_module: str | None = None) -> Iterator[int]:
    """Serve config.wsgi on a free loopback port, in this process's environment (with another
    settings module if given); yield the port."""
    port = _free_port()
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi:application",
        "--workers",
        str(workers),
        "--bind",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
        "--timeout",
        "120",
    ]
    # A session of its own: Ctrl-C reaches this process, which then stops gunicorn gracefully,
    # instead of reaching gunicorn's workers mid-request.
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": settings_module} if settings_module else None
    process = subprocess.Popen(command, cwd=ROOT, start_new_session=True, env=env)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise BenchError(f"gunicorn exited with status {process.returncode}")
            try:
                probe = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                probe.request("GET", "/api/openapi.json")
                probe.getresponse().read()
                probe.close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise BenchError("gunicorn did not answer within 60 seconds") from None
                time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _split(total: int, rounds: int) -> list[int]:
    base, extra = divmod(total, rounds)
    return [base + (1 if index < extra else 0) for index in range(rounds)]


def worker_main(args: argparse.Namespace) -> int:
    import django

    django.setup()
    from django.db import connection

    from safeshare.agencies.services import api_token_create

    label = args.worker
    threads = args.concurrency
    children = args.warmup * (1 + 1 + threads) + 3 * args.n
    _log(f"[{label}] seeding an agency, a practitioner and {children} children")
    world = _seed(children)
    _token, raw = api_token_create(actor=world.worker, name="bench")
    series = {name: Series() for name in SERIES}
    with gunicorn(args.api_workers) as port:
        _log(f"[{label}] gunicorn ({args.api_workers} workers) on 127.0.0.1:{port}; warming up")
        run_baseline(world, args.warmup)
        run_service(world, args.warmup)
        run_api_sequential(world, args.warmup, port=port, token=raw)
        run_api_concurrent(world, args.warmup * threads, port=port, token=raw, threads=threads)
        for number, count in enumerate(_split(args.n, args.rounds), start=1):
            _log(f"[{label}] round {number}/{args.rounds}: {count} ops per series")
            series["baseline"].extend(run_baseline(world, count))
            series["service"].extend(run_service(world, count))
            series["api-seq"].extend(run_api_sequential(world, count, port=port, token=raw))
            series["api-conc"].extend(
                run_api_concurrent(world, count, port=port, token=raw, threads=threads)
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


def _server_version() -> str:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            row = cursor.fetchone()
        return f"PostgreSQL {row[0]}" if row else "PostgreSQL"
    import sqlite3

    return f"SQLite {sqlite3.sqlite_version}"


# --- Parent: one throwaway database per run, one worker subprocess each ---------------------------


@contextlib.contextmanager
def postgres_database(admin_url: str) -> Iterator[str | None]:
    """Create ``safeshare_bench_<random>``, yield its URL (None if unreachable), then drop it."""
    import psycopg
    from psycopg import sql

    parsed = urlparse(admin_url)
    admin_conninfo = parsed._replace(path="/postgres").geturl()
    name = f"safeshare_bench_{secrets.token_hex(4)}"
    try:
        with psycopg.connect(admin_conninfo, autocommit=True, connect_timeout=5) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.Error as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        print(f"PostgreSQL at {parsed.hostname}:{parsed.port} cannot be used ({reason}); skipped.")
        created = False
    else:
        created = True
    if not created:
        yield None
        return
    try:
        yield parsed._replace(path=f"/{name}").geturl()
    finally:
        with psycopg.connect(admin_conninfo, autocommit=True, connect_timeout=5) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def _environment(data_dir: Path, database_url: str | None) -> dict[str, str]:
    from safeshare.core.crypto import new_keyring

    env = dict(os.environ)
    for name in ("DATABASE_URL", "SAFESHARE_DEBUG", "SAFESHARE_KEY_FILE"):
        env.pop(name, None)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.dev",
            "SAFESHARE_DATA_DIR": str(data_dir),
            "SAFESHARE_KEYS": json.dumps(new_keyring().to_mapping()),
            "SAFESHARE_SECRET_KEY": secrets.token_urlsafe(50),
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])),
        }
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    (data_dir / "staticfiles").mkdir(exist_ok=True)  # WhiteNoise warns when STATIC_ROOT is absent
    return env


def _run_child(command: list[str], env: dict[str, str]) -> int:
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    try:
        return process.wait()
    finally:
        if process.poll() is None:
            # Interrupted: ask the child to clean up (it ignores this if Ctrl-C reached it too).
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def measure(
    database: str,
    args: argparse.Namespace,
    *,
    script: Path | None = None,
    prefix: str = "safeshare-bench",
    extra: Sequence[str] = (),
) -> dict[str, Any] | None:
    """Run one database's measurement in a subprocess of ``script`` (this file by default), on a
    fresh throwaway database, passing on the shared options and ``extra``; its figures, or None
    if skipped."""
    data_dir = Path(tempfile.mkdtemp(prefix=f"{prefix}-{database}-"))
    try:
        with contextlib.ExitStack() as stack:
            database_url: str | None = None
            if database == "postgres":
                database_url = stack.enter_context(postgres_database(args.pg_url))
                if database_url is None:
                    return None
            env = _environment(data_dir, database_url)
            _log(f"[{database}] migrating a fresh database")
            migrate = [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"]
            if _run_child(migrate, env) != 0:
                raise BenchError(f"migrate failed on {database}")
            result_path = data_dir / "result.json"
            command = [
                sys.executable,
                str(script or Path(__file__).resolve()),
                "--_worker",
                database,
                "--_result",
                str(result_path),
                *_passed_on(args),
                *extra,
            ]
            if _run_child(command, env) != 0:
                raise BenchError(f"the {database} measurement failed (see above)")
            figures: dict[str, Any] = json.loads(result_path.read_text())
            return figures
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def _passed_on(args: argparse.Namespace) -> list[str]:
    return [
        f"--n={args.n}",
        f"--warmup={args.warmup}",
        f"--rounds={args.rounds}",
        f"--api-workers={args.api_workers}",
        f"--concurrency={args.concurrency}",
    ]


def _machine() -> dict[str, Any]:
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    return {
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "load_average_at_start": [round(value, 2) for value in load],
    }


def format_table(result: dict[str, Any], concurrency: int) -> str:
    series = result["series"]
    lines = [
        f"{result['server_version']}{DATABASE_NOTES[result['database']]}",
        f"  {'series':<38}{'ops':>6}{'ops/s':>9}{'p50 ms':>9}{'p99 ms':>9}"
        f"{'p50/base':>10}{'ops/s/base':>12}",
    ]
    for name in SERIES:
        figures = series[name]
        label = SERIES_LABELS[name] + (f" ({concurrency} clients)" if name == "api-conc" else "")
        lines.append(
            f"  {label:<38}{figures['ops']:>6}{figures['ops_per_s']:>9.1f}"
            f"{figures['p50_ms']:>9.2f}{figures['p99_ms']:>9.2f}"
            f"{figures['p50_x_baseline']:>9.1f}x{figures['ops_per_s_x_baseline']:>12.3f}"
        )
    lines.append(f"  {'API, each request':<38}{'req':>6}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}")
    for name, mode in (("api-seq", "sequential"), ("api-conc", "concurrent")):
        figures = series[name]
        for path, request in figures["requests"].items():
            lines.append(
                f"  {mode + ' ' + path:<38}{request['ops']:>6}"
                f"{request['ops_per_s']:>9.1f}{request['p50_ms']:>9.2f}{request['p99_ms']:>9.2f}"
            )
    return "\n".join(lines)


def format_summary(results: dict[str, dict[str, Any]]) -> str:
    lines = ["Summary: p50 of one case + item as a multiple of one plain insert, same database"]
    for database, result in results.items():
        series = result["series"]
        lines.append(
            f"  {database:<9} service {series['service']['p50_x_baseline']:.1f}x,"
            f" API {series['api-seq']['p50_x_baseline']:.1f}x"
            f" ({series['api-seq']['p50_ms']:.1f} ms);"
            f" API throughput {series['api-conc']['ops_per_s']:.1f} ops/s"
            f" = {2 * series['api-conc']['ops_per_s']:.1f} req/s"
        )
    return "\n".join(lines)


def measure_each(
    databases: Sequence[str],
    measure_one: Callable[[str], dict[str, Any] | None],
    table: Callable[[dict[str, Any]], str],
) -> tuple[dict[str, dict[str, Any]], bool]:
    """Measure each database in turn (``measure_one``), printing its table as it comes: the
    results by database, and whether any failed (its error printed in one line)."""
    results: dict[str, dict[str, Any]] = {}
    failed = False
    for database in databases:
        try:
            result = measure_one(database)
        except BenchError as exc:
            print(f"{database}: {exc}")
            failed = True
            continue
        if result is None:
            continue
        results[database] = result
        print()
        print(table(result), flush=True)
    return results, failed


API_SETTINGS = ("n", "warmup", "rounds", "api_workers", "concurrency")


def api_header(title: str, started: dt.datetime, machine: dict[str, Any], args: Any) -> str:
    """The opening lines of a benchmark that serves the API: what, when, where, how much."""
    return (
        f"SafeShare benchmark: {title}\n"
        f"{started:%Y-%m-%d %H:%M} UTC; {machine['cpus']} CPUs; load average"
        f" {machine['load_average_at_start'][0]}; Python {machine['python']}\n"
        f"{args.n} ops per series after {args.warmup} warm-up ops, {args.rounds} interleaved"
        f" rounds; gunicorn {args.api_workers} sync workers;"
        f" {args.concurrency} client threads in the concurrent series. Figures, not a verdict."
    )


def write_report(
    args: Any,
    *,
    benchmark: str,
    started: dt.datetime,
    machine: dict[str, Any],
    settings: Sequence[str] = API_SETTINGS,
    **sections: Any,
) -> None:
    """With ``--json PATH``, write the run's figures there as JSON (settings taken from
    ``args``), and say so."""
    if not args.json:
        return
    report = {
        "benchmark": benchmark,
        "started_at": started.isoformat(),
        "machine": machine,
        "settings": {name: getattr(args, name) for name in settings},
        **sections,
    }
    Path(args.json).write_text(json.dumps(report, indent=2) + "\n")
    print(f"Figures written to {args.json}")


def parent_main(args: argparse.Namespace) -> int:
    from safeshare.core import clock

    databases = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    machine = _machine()
    started = clock.now()
    print(
        f"SafeShare benchmark: create a case and an information item\n"
        f"{started:%Y-%m-%d %H:%M} UTC; {machine['cpus']} CPUs; load average"
        f" {machine['load_average_at_start'][0]}; Python {machine['python']}\n"
        f"{args.n} ops per series after {args.warmup} warm-up ops, {args.rounds} interleaved"
        f" rounds; gunicorn {args.api_workers} sync workers;\n"
        f"one API op = 2 requests; {args.concurrency} client threads in the concurrent series."
        " Figures, not a verdict."
    )
    results, failed = measure_each(
        databases,
        lambda database: measure(database, args),
        lambda result: format_table(result, args.concurrency),
    )
    if results:
        print()
        print(format_summary(results))
    write_report(args, benchmark="case_item", started=started, machine=machine, databases=results)
    return 1 if failed else 0


def benchmark_parser(description: str, *, concurrency: int) -> argparse.ArgumentParser:
    """The options every database benchmark takes (shared by the scripts in bench/)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--n", type=int, default=300, help="measured ops per series (300)")
    parser.add_argument(
        "--db", choices=["sqlite", "postgres", "both"], default="both", help="(both)"
    )
    parser.add_argument("--api-workers", type=int, default=2, help="gunicorn workers (2)")
    parser.add_argument(
        "--concurrency",
        type=int,
        default=concurrency,
        help=f"client threads, concurrent series ({concurrency})",
    )
    parser.add_argument("--warmup", type=int, default=20, help="unmeasured ops first (20)")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds (3)")
    parser.add_argument(
        "--pg-url",
        default=DEFAULT_PG_URL,
        help=f"PostgreSQL server to create the throwaway database on ({DEFAULT_PG_URL})",
    )
    parser.add_argument("--json", metavar="PATH", help="also write the figures as JSON")
    parser.add_argument("--_worker", dest="worker", help=argparse.SUPPRESS)
    parser.add_argument("--_result", dest="result", help=argparse.SUPPRESS)
    return parser


def checked_args(
    parser: argparse.ArgumentParser, argv: Sequence[str] | None, *, positive: tuple[str, ...] = ()
) -> argparse.Namespace:
    """Parse and check: counts at least 1, warm-up 0 or more, no more rounds than ops."""
    args = parser.parse_args(argv)
    for name in ("n", "api_workers", "concurrency", "rounds", *positive):
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1")
    if args.warmup < 0:
        parser.error("--warmup must be 0 or more")
    args.rounds = min(args.rounds, args.n)
    return args


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = benchmark_parser(
        "Time creating a case and an item (service layer and API) against a plain"
        " insert, on SQLite and PostgreSQL. Prints figures; never passes or fails on time.",
        concurrency=4,
    )
    return checked_args(parser, argv)


def run_main(
    args: argparse.Namespace,
    worker_main: Callable[[argparse.Namespace], int],
    parent_main: Callable[[argparse.Namespace], int],
) -> int:
    """The parent/worker entry point every database benchmark shares: cleans up on Ctrl-C and
    SIGTERM, and turns a worker's BenchError into one line and exit status 1."""
    signal.signal(signal.SIGINT, _interrupted)
    signal.signal(signal.SIGTERM, _interrupted)
    try:
        if args.worker:
            return worker_main(args)
        return parent_main(args)
    except BenchError as exc:
        if not args.worker:
            raise
        _log(f"[{args.worker}] {exc}")
        return 1
    except KeyboardInterrupt:
        _log(
            f"[{args.worker}] interrupted; cleaned up" if args.worker else "interrupted; cleaned up"
        )
        return 130


def main(argv: Sequence[str] | None = None) -> int:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    return run_main(parse_args(argv), worker_main, parent_main)


if __name__ == "__main__":
    sys.exit(main())
