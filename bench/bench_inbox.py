"""Benchmark: "Your work" for a practitioner with 200 waiting items, against a one-row query.

Usage::

    python bench/bench_inbox.py [--n N] [--db sqlite|postgres|both] [--warmup K] [--rounds R]
                                [--json PATH]

For each database (a throwaway one, as ``bench_case_item.py`` makes: a temporary SQLite folder,
a ``safeshare_bench_<random>`` PostgreSQL database), a subprocess seeds, through the real
services, one practitioner (a DSL and MASH officer of Benchtown Children's Services) with 200
waiting items spread over eight kinds: 40 requests routed to them, 40 decisions of a colleague
awaiting their approval, 20 disclosures from the police to acknowledge, 10 undertakings to
accept, 10 read-backs to give, 20 read-backs of their own shares to confirm, the 20 tasks to
tell the individual those shares made, and 40 MASH contacts assigned to them. It then times,
interleaved in R rounds, in process:

- ``baseline``: a plain one-row query (the practitioner's agency by primary key).
- ``count``: ``inbox_count`` (what the header runs on every page).
- ``inbox``: ``inbox_for`` (every row built, and each recorded as a read of its child).
- ``page-account``: ``GET /account/`` with ``django.test.Client`` (a small signed-in page; its
  header counts the inbox).
- ``page-inbox``: ``GET /work/`` (the whole page: the rows, their reads, the header's count).

It prints p50 and p95 (nearest rank) per series and the p50 as a multiple of the baseline's. It
never passes or fails on time. Shared helpers (throwaway databases, percentiles) come from
``bench_case_item``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as ``python bench/bench_inbox.py``
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
from bench.bench_decisions import REFERRAL  # noqa: E402
from safeshare.decisions.engine import Recipient, evaluate, outcome_to_mapping  # noqa: E402

SERIES = ("baseline", "count", "inbox", "page-account", "page-inbox")
SERIES_LABELS = {
    "baseline": "baseline: one-row query",
    "count": "inbox_count",
    "inbox": "inbox_for (rows + reads)",
    "page-account": "GET /account/ (header count)",
    "page-inbox": "GET /work/",
}
EXPECTED_ITEMS = 200
REASONS = "Benchmark only: the fake school reported bruising on Fakechild twice this week."
WHAT = "Benchmark only: the fake observation of bruising, with its date."
FACTS = REFERRAL.__class__(**{**REFERRAL.__dict__, "recipient": Recipient.AGREEMENT})


@dataclass
class Seeded:
    worker: Any  # the practitioner whose work is timed
    agency: Any


def _practitioner(agency: Any, username: str, given: str, roles: list[Any]) -> Any:
    from safeshare.agencies.services import practitioner_create

    return practitioner_create(
        actor=None,
        agency=agency,
        username=username,
        given_name=given,
        family_name="Benchley",
        roles=roles,
    )


def _child_case(actor: Any, agency: Any, number: int, postcode: str) -> tuple[Any, Any]:
    """A fake child with an address, a case allocated to ``actor``, and one item."""
    from safeshare.cases.models import CaseStatus
    from safeshare.cases.services import case_create, item_create
    from safeshare.core import clock
    from safeshare.people.services import address_add, person_create

    child = person_create(
        actor=actor,
        agency=agency,
        given_name="Fakechild",
        family_name=f"Benchtest{number:04d}",
        date_of_birth=dt.date(2018, 3, 1),
    )
    address_add(actor=actor, person=child, lines=f"{number} Nowhere Lane", postcode=postcode)
    case = case_create(
        actor=actor, agency=agency, subject=child, status=CaseStatus.CHILD_IN_NEED, allocate=actor
    )
    item = item_create(
        actor=actor,
        case=case,
        category="child",
        summary=f"Benchmark observation {number}",
        content="Benchmark: the fake teacher saw bruising on Fakechild.",
        fact_or_opinion="fact",
        source="Fake class teacher",
        how_known="observed",
        event_date=clock.today() - dt.timedelta(days=1),
    )
    return case, item


def _decide(actor: Any, case: Any, recipient_agency: Any, *, urgent: bool) -> Any:
    from safeshare.decisions.services import decision_record

    mapping: dict[str, Any] = dict(outcome_to_mapping(evaluate(FACTS)))
    return decision_record(
        actor=actor,
        case=case,
        purpose=FACTS.purpose,
        facts=FACTS,
        outcome=str(mapping["recommendation"]),
        reasons=REASONS,
        recipient_agency=recipient_agency,
        lawful_basis=mapping["lawful_basis"],
        what_to_share=WHAT,
        is_urgent=urgent,
    )


def _share(actor: Any, case: Any, item: Any, recipient: Any) -> Any:
    from safeshare.disclosures.assembly import ItemSelection
    from safeshare.disclosures.services import disclosure_issue

    decision = _decide(actor, case, recipient.agency, urgent=True)  # urgent: shared at once
    return disclosure_issue(
        actor=actor, decision=decision, recipient=recipient, items=[ItemSelection(item=item)]
    )


def _benchtown() -> tuple[Any, Any]:
    """Benchtown's children's services (the hub) and its police."""
    from safeshare.agencies.models import AgencyType
    from safeshare.agencies.services import agency_create

    hub = agency_create(
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
    return hub, police


def _agreement(hub: Any, police: Any, hub_signer: Any, police_signer: Any) -> Any:
    """An active child-protection agreement between the two, signed by both."""
    from safeshare.agencies.models import AgreementStatus
    from safeshare.agencies.services import agreement_create, agreement_set_status, agreement_sign
    from safeshare.core import clock

    today = clock.today()
    agreement = agreement_create(
        actor=hub_signer,
        owner=hub,
        reference="BENCH-ISA-1",
        title="Benchtown sharing agreement",
        parties=[hub, police],
        purposes=["child_protection"],
        data_categories=["child"],
        lawful_bases=["art6_1_e"],
        retention_days=90,
        start_date=today - dt.timedelta(days=30),
        review_date=today + dt.timedelta(days=300),
    )
    agreement_sign(actor=hub_signer, agreement=agreement)
    agreement_sign(actor=police_signer, agreement=agreement)
    agreement_set_status(actor=hub_signer, agreement=agreement, status=AgreementStatus.ACTIVE)
    return agreement


def _seed() -> Seeded:
    """The practitioner and their 200 waiting items, made by the real services."""
    from django.db import transaction

    from safeshare.agencies.models import Role
    from safeshare.core import clock
    from safeshare.disclosures import services as sharing
    from safeshare.disclosures.services import request_create
    from safeshare.mash.services import contact_record

    with transaction.atomic():
        hub, police = _benchtown()
        worker = _practitioner(hub, "bench.worker", "Fakeworker", [Role.DSL, Role.MASH_OFFICER])
        colleague = _practitioner(hub, "bench.colleague", "Fakecolleague", [Role.PRACTITIONER])
        officer = _practitioner(police, "bench.officer", "Fakeofficer", [Role.DSL])
        sharer = _practitioner(police, "bench.sharer", "Fakesharer", [Role.PRACTITIONER])
        _agreement(hub, police, worker, officer)

        # 40 requests from the police about children whose cases the practitioner holds.
        mine = [_child_case(worker, hub, n, f"ZZ9 {n % 10}AA") for n in range(60)]
        for number, (case, _item) in enumerate(mine[:40]):
            child = case.subject
            request_create(
                actor=officer,
                receiving_agency=hub,
                kind="request",
                purpose="child_protection",
                urgency=("immediate_risk", "within_24_hours", "routine")[number % 3],
                information_sought="Benchmark only: any contact with the family",
                justification="Benchmark only: deciding on a strategy meeting",
                given_name=child.given_name,
                family_name=child.family_name,
                date_of_birth=child.date_of_birth,
                postcode=f"ZZ9 {number % 10}AA",
            )
        # 20 shares of their own, read back by the officer (and 20 tasks to tell the individual).
        for case, item in mine[40:]:
            disclosure = _share(worker, case, item, officer)
            sharing.disclosure_acknowledge(actor=officer, disclosure=disclosure)
            sharing.disclosure_accept_undertaking(actor=officer, disclosure=disclosure)
            sharing.disclosure_read_back(
                actor=officer, disclosure=disclosure, understanding="Benchmark: one bruise"
            )
        # 40 decisions of a colleague to share without consent, awaiting approval.
        for number in range(40):
            case, _item = _child_case(colleague, hub, 100 + number, "ZZ9 9ZZ")
            _decide(colleague, case, police, urgent=False)
        # 40 disclosures from the police: 20 to acknowledge, 10 undertakings, 10 read-backs.
        for number in range(40):
            case, item = _child_case(sharer, police, 200 + number, "ZZ9 8ZZ")
            received = _share(sharer, case, item, worker)
            if number >= 20:
                sharing.disclosure_acknowledge(actor=worker, disclosure=received)
            if number >= 30:
                sharing.disclosure_accept_undertaking(actor=worker, disclosure=received)
        # 40 MASH contacts assigned to them.
        for number in range(40):
            contact_record(
                actor=worker,
                received_at=clock.now() - dt.timedelta(minutes=5 + number),
                source="phone",
                referrer_agency=police,
                referrer_name="Pat Fakeworth",
                parental_awareness="aware_and_agree",
                given_name="Fakecontact",
                family_name=f"Benchtest{number:04d}",
                concerns="Benchmark only: a fake bruise seen at school",
                category="physical_abuse",
            )
    return Seeded(worker=worker, agency=hub)


def _client(worker: Any) -> Any:
    import django_otp
    from django.test import Client
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=worker, name="Bench app", confirmed=True)
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(worker)
    session = client.session
    session[django_otp.DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def _timed(op: Callable[[], object], count: int) -> list[int]:
    samples = []
    for _ in range(count):
        begin = time.perf_counter_ns()
        op()
        samples.append(time.perf_counter_ns() - begin)
    return samples


def _get(client: Any, path: str) -> Callable[[], object]:
    def op() -> object:
        response = client.get(path)
        if response.status_code != 200:
            raise BenchError(f"GET {path} answered {response.status_code}")
        return response

    return op


def worker_main(args: argparse.Namespace) -> int:
    import django

    django.setup()
    from django.db import connection

    from safeshare.agencies.models import Agency
    from safeshare.core import clock
    from safeshare.workday.inbox import inbox_count, inbox_for

    label = args.worker
    _log(f"[{label}] seeding a practitioner with {EXPECTED_ITEMS} waiting items")
    seeded = _seed()
    worker = seeded.worker
    waiting = inbox_count(worker, now=clock.now())
    if waiting != EXPECTED_ITEMS:
        raise BenchError(f"seeded {waiting} waiting items, not {EXPECTED_ITEMS}")
    client = _client(worker)
    ops: dict[str, Callable[[], object]] = {
        "baseline": lambda: Agency.objects.filter(pk=seeded.agency.pk).first(),
        "count": lambda: inbox_count(worker, now=clock.now()),
        "inbox": lambda: inbox_for(worker, now=clock.now()),
        "page-account": _get(client, "/account/"),
        "page-inbox": _get(client, "/work/"),
    }
    for op in ops.values():
        _timed(op, args.warmup)
    samples: dict[str, list[int]] = {name: [] for name in SERIES}
    for number, count in enumerate(_split(args.n, args.rounds), start=1):
        _log(f"[{label}] round {number}/{args.rounds}: {count} ops per series")
        for name in SERIES:
            samples[name].extend(_timed(ops[name], count))
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
        "waiting_items": waiting,
        "series": series,
    }
    connection.close()
    Path(args.result).write_text(json.dumps(result, indent=2))
    return 0


def format_table(result: dict[str, Any]) -> str:
    lines = [
        f"{result['server_version']}: {result['waiting_items']} waiting items",
        f"  {'series':<32}{'ops':>6}{'p50 ms':>9}{'p95 ms':>9}{'p50/base':>10}",
    ]
    for name in SERIES:
        figures = result["series"][name]
        lines.append(
            f"  {SERIES_LABELS[name]:<32}{figures['ops']:>6}{figures['p50_ms']:>9.2f}"
            f"{figures['p95_ms']:>9.2f}{figures['p50_x_baseline']:>9.0f}x"
        )
    return "\n".join(lines)


def parent_main(args: argparse.Namespace) -> int:
    from safeshare.core import clock

    databases = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    machine = _machine()
    started = clock.now()
    print(
        f"SafeShare benchmark: Your work (the inbox) with {EXPECTED_ITEMS} waiting items\n"
        f"{started:%Y-%m-%d %H:%M} UTC; {machine['cpus']} CPUs; load average"
        f" {machine['load_average_at_start'][0]}; Python {machine['python']}\n"
        f"{args.n} ops per series after {args.warmup} warm-up ops, {args.rounds} interleaved"
        " rounds, in process (django.test.Client for the pages). Figures, not a verdict."
    )
    results, failed = measure_each(
        databases,
        lambda database: measure_database(
            database, args, script=Path(__file__).resolve(), prefix="safeshare-bench-inbox"
        ),
        format_table,
    )
    write_report(
        args,
        benchmark="inbox",
        started=started,
        machine=machine,
        settings=("n", "warmup", "rounds"),
        databases=results,
    )
    return 1 if failed else 0


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = benchmark_parser(
        "Time the inbox (count, rows, page) of a practitioner with 200 waiting items against a"
        " one-row query, on SQLite and PostgreSQL. Prints figures; never passes or fails on time.",
        concurrency=1,
    )
    parser.set_defaults(n=60, warmup=5)
    return checked_args(parser, argv)


def main(argv: Sequence[str] | None = None) -> int:
    return run_main(parse_args(argv), worker_main, parent_main)


if __name__ == "__main__":
    sys.exit(main())
