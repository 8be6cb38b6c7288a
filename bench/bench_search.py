"""Benchmark: identity search at a million records, against a naive exact-match lookup.

Usage::

    python bench/bench_search.py [--records N] [--queries Q] [--db sqlite|postgres]
                                 [--train-records T] [--seed S] [--json PATH]

A throwaway database (SQLite in a temporary data folder; PostgreSQL as a
``safeshare_bench_<random>`` database, dropped at the end) is migrated and filled, in a child
process (Django settings are process-global), with:

- about N people (``generate_population(children=N // 5)``: 200,000 children give about
  1,000,000 records), each an agency's ``Person`` with an encrypted ``Address``;
- their true identities as ``Identity`` rows with ``IdentityLink``s. This stands for a finished
  linkage run: the benchmark measures search, not linkage, so it links records by the truth;
- a linkage model trained with Splink on T of the records (``LinkageEngine.train``), exported for
  in-process scoring and made active;
- the search index, built by ``search_index_update`` (the real function), with a progress line.

The queries are the records of one extra agency (``bench_queries``) that is *not* indexed: noisy
records of known identities, with the same kinds and rates of errors as everyone else's. Q of
them go through ``identity_search`` (the real service: keys, one indexed query, decryption,
scoring, ledger entry, transaction), timed one by one. It prints p50/p95/p99 latency, recall@1
and recall@5 (the true identity ranked first / among the top five), and the same queries
through a naive exact-match lookup measured in the same run (NHS number, or given name, family
name and date of birth all equal). It never passes or fails on time.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.bench_case_item import (  # noqa: E402 - after the path is set
    DEFAULT_PG_URL,
    _environment,
    _machine,
    nearest_rank,
    postgres_database,
)

QUERY_AGENCY = "bench_queries"
BATCH = 5_000


def _log(message: str, *, end: str = "\n") -> None:
    print(message, file=sys.stderr, end=end, flush=True)


def _progress(label: str, done: int, total: int) -> None:
    percent = 100 * done / total if total else 100.0
    _log(f"\r  {label}: {done:,} of {total:,} ({percent:.0f}%)   ", end="")
    if done >= total:
        _log("")


# --- The child: fill, index, measure -------------------------------------------------------------


def _population(records: int, seed: int) -> Any:
    from safeshare.linkage.synthetic import DEFAULT_AGENCIES, AgencyProfile, generate_population

    query_profile = AgencyProfile(QUERY_AGENCY, child_rate=0.5, adult_rate=0.3, missing_nhs=0.5)
    return generate_population(
        children=max(1, records // 5), seed=seed, agencies=(*DEFAULT_AGENCIES, query_profile)
    )


def _fill(population: Any) -> tuple[dict[int, Any], dict[Any, int]]:
    """People, addresses, identities and links for every indexed record. Returns the Person id
    of each record id and the truth identity id of each Identity row."""
    import uuid

    from django.db import transaction

    from safeshare.agencies.models import Agency, AgencyType
    from safeshare.linkage.models import Identity, IdentityLink, LinkedBy
    from safeshare.people.models import Address, Person, Sex

    indexed = [r for r in population.records if r.agency != QUERY_AGENCY]
    agencies = {
        name: Agency.objects.create(
            name=f"Bench {name.replace('_', ' ')}",
            agency_type=AgencyType.CHILDRENS_SOCIAL_CARE,
            local_authority_area="Benchshire",
        )
        for name in sorted({r.agency for r in indexed})
    }
    identities: dict[int, uuid.UUID] = {}
    truth_of: dict[Any, int] = {}
    person_of: dict[int, Any] = {}
    sexes = {"F": Sex.FEMALE, "M": Sex.MALE}
    with transaction.atomic():
        for identity_id in sorted({r.identity_id for r in indexed}):
            identities[identity_id] = uuid.uuid4()
            truth_of[identities[identity_id]] = identity_id
        refs = list(identities.items())
        for start in range(0, len(refs), BATCH):
            Identity.objects.bulk_create(
                [Identity(pk=pk, reference=f"ID-B{i}") for i, pk in refs[start : start + BATCH]]
            )
        for start in range(0, len(indexed), BATCH):
            chunk = indexed[start : start + BATCH]
            people = [
                Person(
                    agency=agencies[r.agency],
                    given_name=r.given_name,
                    family_name=r.family_name,
                    date_of_birth=r.date_of_birth,
                    sex=sexes.get(r.sex or "", Sex.NOT_RECORDED),
                    nhs_number=r.nhs_number or "",
                )
                for r in chunk
            ]
            Person.objects.bulk_create(people)
            Address.objects.bulk_create(
                [
                    Address(person=p, lines="1 Bench Lane, Faketown", postcode=r.postcode)
                    for p, r in zip(people, chunk, strict=True)
                    if r.postcode
                ]
            )
            IdentityLink.objects.bulk_create(
                [
                    IdentityLink(
                        person=p, identity_id=identities[r.identity_id], linked_by=LinkedBy.MODEL
                    )
                    for p, r in zip(people, chunk, strict=True)
                ]
            )
            for p, r in zip(people, chunk, strict=True):
                person_of[r.record_id] = p.pk
            _progress("people, addresses and links", start + len(chunk), len(indexed))
    return person_of, truth_of


def _train(population: Any, train_records: int, seed: int) -> dict[str, Any]:
    from safeshare.linkage.engine import LinkageEngine, features_table
    from safeshare.linkage.features import make_features
    from safeshare.linkage.scoring import export_weights

    indexed = [r for r in population.records if r.agency != QUERY_AGENCY]
    sample = random.Random(seed).sample(indexed, min(train_records, len(indexed)))
    rows = (
        (
            str(r.record_id),
            r.agency,
            make_features(
                given_name=r.given_name,
                family_name=r.family_name,
                date_of_birth=r.date_of_birth,
                sex=r.sex,
                postcode=r.postcode,
                nhs_number=r.nhs_number,
            ),
        )
        for r in sample
    )
    engine = LinkageEngine(features_table(rows))
    try:
        trained = engine.train(seed=seed)
    finally:
        engine.close()
    return {
        "splink_model": trained.splink_model,
        "weights": export_weights(trained.splink_model, trained.term_frequencies),
        "records": trained.records,
    }


def _naive(record: Any) -> list[Any]:
    """The exact-match baseline: records with the same NHS number, or the same given name,
    family name and date of birth; their identities, at most five."""
    from django.db.models import Q

    from safeshare.linkage.models import IdentityLink

    condition = Q(pk__in=[])
    if record.nhs_number:
        condition |= Q(person__nhs_number=record.nhs_number)
    if record.date_of_birth:
        condition |= Q(
            person__given_name=record.given_name,
            person__family_name=record.family_name,
            person__date_of_birth=record.date_of_birth,
        )
    found = IdentityLink.objects.filter(condition).values_list("identity_id", flat=True)[:5]
    return list(dict.fromkeys(found))


def _figures(samples_ns: Sequence[int]) -> dict[str, float]:
    return {f"p{p}_ms": round(nearest_rank(list(samples_ns), p) / 1e6, 3) for p in (50, 95, 99)} | {
        "mean_ms": round(sum(samples_ns) / len(samples_ns) / 1e6, 3)
    }


def worker_main(args: argparse.Namespace) -> int:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from safeshare.agencies.models import Agency, AgencyType, Practitioner, Role, RoleAssignment
    from safeshare.core.exceptions import DomainError
    from safeshare.linkage.models import LinkageModel, SearchKey
    from safeshare.linkage.search import CANDIDATE_CAP, identity_search, search_index_update
    from safeshare.people.models import Person

    call_command("migrate", "--noinput", verbosity=0)
    started = time.perf_counter()
    population = _population(args.records, args.seed)
    queries_all = [r for r in population.records if r.agency == QUERY_AGENCY]
    _log(
        f"Generated {len(population.records) - len(queries_all):,} records to index and"
        f" {len(queries_all):,} query records in {time.perf_counter() - started:.0f} s"
    )
    started = time.perf_counter()
    person_of, truth_of = _fill(population)
    fill_s = time.perf_counter() - started
    started = time.perf_counter()
    model = _train(population, args.train_records, args.seed)
    train_s = time.perf_counter() - started
    LinkageModel.objects.create(
        version=1,
        splink_model=model["splink_model"],
        weights=model["weights"],
        trained_on_records=model["records"],
        is_active=True,
    )
    _log(f"Trained the linkage model on {model['records']:,} records in {train_s:.0f} s")
    started = time.perf_counter()
    indexed = search_index_update(
        persons=Person.objects.order_by("pk"),
        progress=lambda done, total: _progress("search index", done, total),
    )
    index_s = time.perf_counter() - started
    keys = SearchKey.objects.count()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    hub = Agency.objects.create(
        name="Bench search hub",
        agency_type=AgencyType.CHILDRENS_SOCIAL_CARE,
        local_authority_area="Benchshire",
    )
    actor = Practitioner.objects.create(
        username="bench.searcher", given_name="Bench", family_name="Searcher", agency=hub
    )
    RoleAssignment.objects.create(practitioner=actor, role=Role.PRACTITIONER)
    queries = random.Random(args.seed + 1).sample(queries_all, min(args.queries, len(queries_all)))

    def ask(record: Any) -> dict[str, Any]:
        return {
            "given_name": record.given_name or "",
            "family_name": record.family_name or "",
            "date_of_birth": record.date_of_birth or "",
            "postcode": record.postcode or "",
            "nhs_number": record.nhs_number or "",
        }

    for record in queries[:20]:  # warm-up: connections, caches, the scorer
        with contextlib.suppress(DomainError):
            identity_search(actor=actor, **ask(record))
    samples: list[int] = []
    naive_samples: list[int] = []
    hits1 = hits5 = naive_hits5 = refused = 0
    for number, record in enumerate(queries, start=1):
        began = time.perf_counter_ns()
        try:
            matches = identity_search(actor=actor, **ask(record))
        except DomainError:
            matches = []
            refused += 1
        samples.append(time.perf_counter_ns() - began)
        ranked = [truth_of.get(m.identity_id) for m in matches[:5]]
        hits1 += bool(ranked) and ranked[0] == record.identity_id
        hits5 += record.identity_id in ranked
        began = time.perf_counter_ns()
        naive = _naive(record)
        naive_samples.append(time.perf_counter_ns() - began)
        naive_hits5 += record.identity_id in [truth_of.get(i) for i in naive]
        if number % 100 == 0 or number == len(queries):
            _progress("queries", number, len(queries))
    n = len(queries)
    result = {
        "database": connection.vendor,
        "records_indexed": indexed,
        "search_keys": keys,
        "keys_per_record": round(keys / max(indexed, 1), 2),
        "candidate_cap": CANDIDATE_CAP,
        "identities": len(truth_of),
        "fill_s": round(fill_s, 1),
        "index_build_s": round(index_s, 1),
        "index_records_per_s": round(indexed / index_s, 1) if index_s else None,
        "queries": n,
        "refused_too_vague": refused,
        "search": _figures(samples) | {"recall_at_1": hits1 / n, "recall_at_5": hits5 / n},
        "naive_exact_match": _figures(naive_samples) | {"recall_at_5": naive_hits5 / n},
        "people_created": len(person_of),
    }
    Path(args.result).write_text(json.dumps(result, indent=2))
    return 0


# --- The parent: a throwaway database, the report -------------------------------------------------


def _table(result: dict[str, Any]) -> str:
    search, naive = result["search"], result["naive_exact_match"]
    return "\n".join(
        [
            f"{result['database']}: {result['records_indexed']:,} records indexed"
            f" ({result['identities']:,} identities), {result['search_keys']:,} search keys"
            f" ({result['keys_per_record']} a record); index built in"
            f" {result['index_build_s']} s ({result['index_records_per_s']} records/s)",
            "  SearchEntry.identity is the truth identity: it stands for a finished linkage run.",
            f"  {'series':<34}{'queries':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
            f"{'recall@1':>10}{'recall@5':>10}",
            f"  {'identity_search (the service)':<34}{result['queries']:>8}"
            f"{search['p50_ms']:>9.2f}{search['p95_ms']:>9.2f}{search['p99_ms']:>9.2f}"
            f"{search['recall_at_1']:>10.4f}{search['recall_at_5']:>10.4f}",
            f"  {'baseline: naive exact match':<34}{result['queries']:>8}"
            f"{naive['p50_ms']:>9.2f}{naive['p95_ms']:>9.2f}{naive['p99_ms']:>9.2f}"
            f"{'':>10}{naive['recall_at_5']:>10.4f}",
            f"  Targets at 1,000,000 records: p95 <= 50 ms, recall@5 >= 0.99."
            f" Queries refused as too vague: {result['refused_too_vague']}.",
        ]
    )


def parent_main(args: argparse.Namespace) -> int:
    import datetime as dt

    machine = _machine()
    started = dt.datetime.now(dt.UTC)
    print(
        "SafeShare benchmark: identity search\n"
        f"{started:%Y-%m-%d %H:%M} UTC; {machine['cpus']} CPUs; load average"
        f" {machine['load_average_at_start'][0]}; Python {machine['python']}\n"
        f"about {args.records:,} records, {args.queries:,} queries, model trained on"
        f" {args.train_records:,} records, seed {args.seed}. Figures, not a verdict.",
        flush=True,
    )
    data_dir = Path(tempfile.mkdtemp(prefix="safeshare-bench-search-"))
    result_path = data_dir / "result.json"
    try:
        with postgres_database(args.pg_url) if args.db == "postgres" else _no_database() as url:
            if args.db == "postgres" and url is None:
                return 1
            env = _environment(data_dir, url)
            command = [
                sys.executable,
                str(Path(__file__).resolve()),
                "--worker",
                f"--records={args.records}",
                f"--queries={args.queries}",
                f"--train-records={args.train_records}",
                f"--seed={args.seed}",
                f"--result={result_path}",
            ]
            code = subprocess.call(command, cwd=ROOT, env=env)
            if code != 0:
                print(f"The benchmark worker failed (exit {code})")
                return code
        result = json.loads(result_path.read_text())
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    print()
    print(_table(result))
    if args.json:
        report = {
            "benchmark": "identity_search",
            "started_at": started.isoformat(),
            "machine": machine,
            "settings": {
                "records": args.records,
                "queries": args.queries,
                "train_records": args.train_records,
                "seed": args.seed,
                "db": args.db,
            },
            "result": result,
        }
        Path(args.json).write_text(json.dumps(report, indent=2) + "\n")
        print(f"Figures written to {args.json}")
    return 0


class _no_database:  # noqa: N801 - a context manager standing in for postgres_database
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else "")
    parser.add_argument("--records", type=int, default=1_000_000, help="about (1,000,000)")
    parser.add_argument("--queries", type=int, default=1_000, help="timed searches (1,000)")
    parser.add_argument(
        "--train-records", type=int, default=100_000, help="records to train on (100,000)"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", DEFAULT_PG_URL))
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.records < 100 or args.queries < 1:
        parser.error("--records must be at least 100 and --queries at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    return worker_main(args) if args.worker else parent_main(args)


if __name__ == "__main__":
    sys.exit(main())
