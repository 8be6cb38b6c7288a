"""``safeshare demo``: generate the fake demo area "Fakeshire" and print its sign-ins."""

from __future__ import annotations

import sys
import time
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from safeshare.agencies.selectors import agency_list
from safeshare.cli.demo.area import DEMO_PASSWORD
from safeshare.cli.demo.generator import (
    BULK_THRESHOLD,
    DEFAULT_CHILDREN,
    DEFAULT_SEED,
    DemoResult,
    generate,
)
from safeshare.cli.management import ProgressLine, StageProgress
from safeshare.core import keys
from safeshare.linkage.services import linkage_model_train, linkage_run

MAX_CHILDREN = 250_000


class Command(BaseCommand):
    help = "Generate the fake demo area Fakeshire (obviously fictional people only)"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--children",
            type=int,
            default=DEFAULT_CHILDREN,
            help=f"How many children (default {DEFAULT_CHILDREN})",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=f"Random seed; the same seed gives the same people (default {DEFAULT_SEED})",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing (successfully) if the database already holds any agency",
        )
        parser.add_argument(
            "--bulk",
            action="store_true",
            help=f"Use the bulk writer (automatic above {BULK_THRESHOLD:,} children)",
        )
        parser.add_argument(
            "--no-link",
            action="store_true",
            help="Do not link the agencies' records into identities afterwards",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        children: int = options["children"]
        if not 1 <= children <= MAX_CHILDREN:
            raise CommandError(f"--children must be between 1 and {MAX_CHILDREN:,}")
        if not getattr(settings, "SAFESHARE_DEMO_MODE", False):
            raise CommandError(
                "demo data is only generated when SAFESHARE_DEMO_MODE is on "
                "(development settings), never in production"
            )
        if agency_list().exists():
            if options["if_empty"]:
                self.stdout.write("demo area already present")
                return
            raise CommandError(
                "the database already holds agencies; the demo area needs an empty database "
                "(use --if-empty to skip quietly)"
            )
        keys.keyring()  # fail now, before writing anything, if there are no encryption keys
        line = ProgressLine(sys.stderr, "demo", unit="children")
        started = time.monotonic()
        try:
            result = generate(
                children=children,
                seed=options["seed"],
                bulk=True if options["bulk"] else None,
                progress=line.update,
            )
        finally:
            line.finish()
        self._report(result, seconds=time.monotonic() - started)
        if not options["no_link"]:
            self._link()

    def _link(self) -> None:
        """Each agency holds its own record of the same children: link them, as
        ``safeshare link --train`` does, so identity search and the review queue have work."""
        progress = StageProgress()
        try:
            model = linkage_model_train(actor=None, progress=progress)
            run = linkage_run(actor=None, progress=progress)
        finally:
            progress.finish()
        self.stdout.write(
            f"Linked the agencies' records with linkage model v{model.version}: "
            f"{run.records:,} records into {run.identities:,} identities; "
            f"{run.sent_to_review:,} pairs wait for clerical review."
        )
        self.stdout.write("")

    def _report(self, result: DemoResult, *, seconds: float) -> None:
        counts = result.counts
        write = self.stdout.write
        write(
            f"Created the demo area Fakeshire in {seconds:,.1f}s ({result.mode} path, "
            f"seed {result.seed}): {len(result.area.agencies)} agencies, "
            f"{len(result.area.staff)} practitioners, {len(result.area.agreements)} active "
            f"agreements, {result.children:,} children, {counts.get('people', 0):,} person "
            f"records, {counts.get('cases', 0):,} cases, {counts.get('items', 0):,} items, "
            f"{counts.get('decisions', 0)} sharing decisions and {counts.get('consents', 0)} "
            "consent records."
        )
        write("")
        write(
            f"Sign in with any of these demo accounts; the password of every one is "
            f"{DEMO_PASSWORD} (demo only, never use it anywhere else):"
        )
        write("")
        rows = [
            (
                practitioner.username,
                practitioner.full_name,
                result.area.agencies[spec.agency].name,
                ", ".join(role.value for role in spec.roles),
            )
            for spec, practitioner in result.area.staff
        ]
        header = ("username", "name", "agency", "roles")
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(3)]
        for row in [header, *rows]:
            write(f"{row[0]:<{widths[0]}}  {row[1]:<{widths[1]}}  {row[2]:<{widths[2]}}  {row[3]}")
