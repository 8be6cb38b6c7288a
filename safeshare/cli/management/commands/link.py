"""``safeshare link``: link the records agencies hold into identities, with a progress display.

safeshare link --train        train a new model version on every record, use it, then link
safeshare link                relink every record with the model in use
safeshare link --incremental  link only records not yet linked (no retraining)
safeshare link --status       the model in use, the last runs and the review queue
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from safeshare.cli.management import StageProgress
from safeshare.core.exceptions import DomainError
from safeshare.linkage import selectors, services


class Command(BaseCommand):
    help = "Link people's records across agencies into identities (Splink on DuckDB)"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--train", action="store_true", help="Train a new model version first")
        parser.add_argument(
            "--incremental", action="store_true", help="Link only records not yet linked"
        )
        parser.add_argument("--status", action="store_true", help="Show the linkage status")
        parser.add_argument(
            "--auto-link",
            type=float,
            default=None,
            help="With --train: link pairs at or above this match probability (default 0.95)",
        )
        parser.add_argument(
            "--review",
            type=float,
            default=None,
            help="With --train: send pairs from this probability to clerical review (default 0.5)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["status"]:
            self._status()
            return
        thresholds = {
            name: options[option]
            for name, option in (
                ("auto_link_probability", "auto_link"),
                ("review_probability", "review"),
            )
            if options[option] is not None
        }
        if thresholds and not options["train"]:
            raise CommandError(
                "--auto-link and --review set a new model version's thresholds: add --train"
            )
        progress = StageProgress()
        try:
            if options["train"]:
                model = services.linkage_model_train(actor=None, progress=progress, **thresholds)
                progress.finish()
                self.stdout.write(
                    f"Trained linkage model v{model.version} on "
                    f"{model.trained_on_records:,} records"
                )
            run = services.linkage_run(
                actor=None, incremental=options["incremental"], progress=progress
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        finally:
            progress.finish()
        self.stdout.write(
            f"{run.get_kind_display()} run with model v{run.model.version}: "
            f"{run.records:,} records, {run.pairs_scored:,} pairs scored, "
            f"{run.links_made:,} records linked to another record, "
            f"{run.sent_to_review:,} pairs sent to review, "
            f"{run.identities:,} identities"
        )

    def _status(self) -> None:
        status = selectors.linkage_status()
        model = status.model
        if model is None:
            self.stdout.write("No linkage model is in use: run `safeshare link --train`")
        else:
            self.stdout.write(
                f"Model in use: v{model.version}, trained {model.trained_at:%Y-%m-%d %H:%M} on "
                f"{model.trained_on_records:,} records; links at {model.auto_link_probability}, "
                f"reviews from {model.review_probability}"
            )
        self.stdout.write(
            f"Identities: {status.identities:,}; linked records: {status.linked_records:,}; "
            f"records not yet linked: {status.unlinked_records:,}; "
            f"pairs waiting for review: {status.pending_reviews:,}"
        )
        for run in status.runs:
            finished = f"{run.finished_at:%Y-%m-%d %H:%M}" if run.finished_at else "unfinished"
            self.stdout.write(
                f"  {finished}  {run.get_kind_display()}  v{run.model.version}  "
                f"{run.records:,} records, {run.links_made:,} linked, "
                f"{run.sent_to_review:,} to review"
            )
