"""``safeshare keys generate|status|rotate|retire|reseal``: the encryption keys of sensitive fields.

Keys come from ``settings.SAFESHARE_KEYS``, else the ``SAFESHARE_KEYS`` environment variable, else
the key file ``SAFESHARE_KEY_FILE`` (see safeshare.core.keys). Only a key file can be written here.
"""

from __future__ import annotations

import os
import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from safeshare.cli.management import ProgressLine
from safeshare.core import keys, rotation
from safeshare.core.crypto import Keyring, new_keyring, read_key_file, write_key_file
from safeshare.ledger.events import Event
from safeshare.ledger.services import ledger_append

SOURCE_SETTINGS = "settings.SAFESHARE_KEYS"
SOURCE_ENVIRONMENT = "the SAFESHARE_KEYS environment variable"


def key_source() -> tuple[str, Path | None]:
    """Where the keyring comes from (the same order as safeshare.core.keys.load_keyring)."""
    if getattr(settings, "SAFESHARE_KEYS", None):
        return SOURCE_SETTINGS, None
    if os.environ.get("SAFESHARE_KEYS"):
        return SOURCE_ENVIRONMENT, None
    path = keys.key_file_path()
    return (f"key file {path}" if path else "nowhere (SAFESHARE_KEY_FILE is empty)"), path


class Command(BaseCommand):
    help = "Manage the encryption keys: generate, status, rotate, retire, reseal"
    # Key management must work even when some other part of the project fails its checks.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        generate = actions.add_parser("generate", help="Create the key file (never overwrites)")
        generate.add_argument(
            "--if-missing",
            action="store_true",
            help="Exit quietly with success when keys are already configured",
        )
        actions.add_parser("status", help="Show the keys and how many values each one seals")
        rotate = actions.add_parser(
            "rotate", help="Add a new active key and re-encrypt every value with it"
        )
        rotate.add_argument(
            "--retire-old",
            action="store_true",
            help="Then remove the old keys, once no stored value uses them",
        )
        actions.add_parser("retire", help="Remove keys that no stored value uses any more")
        actions.add_parser(
            "reseal",
            help="Re-encrypt values not under the active key (after changing SAFESHARE_KEYS)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "generate":
            self.generate(if_missing=options["if_missing"])
        elif action == "status":
            self.status()
        elif action == "rotate":
            self.rotate(retire_old=options["retire_old"])
        elif action == "retire":
            self.retire(path=self._writable_key_file("retire keys"))
        else:
            self.reseal()

    # generate ------------------------------------------------------------------------------------
    def generate(self, *, if_missing: bool) -> None:
        source, path = key_source()
        if path is None:
            if if_missing:
                return
            raise CommandError(f"keys come from {source}; there is no key file to generate")
        if path.exists():
            if if_missing:
                return
            raise CommandError(
                f"key file {path} already exists; refusing to overwrite it "
                "(use 'safeshare keys rotate' to add a new key)"
            )
        ring = new_keyring()
        write_key_file(path, ring)
        keys.reset_cache()
        self.stdout.write(
            f"Created key file {path} with key {ring.active_id}. Back it up and keep it apart "
            "from the database backups: without it the encrypted data cannot be read."
        )

    # status --------------------------------------------------------------------------------------
    def status(self) -> None:
        source, _ = key_source()
        ring = keys.keyring()
        counts = rotation.sealed_value_counts()
        self.stdout.write(f"Keys from: {source}")
        self.stdout.write(f"Active key: {ring.active_id}")
        self.stdout.write(f"Keys held: {', '.join(sorted(ring.keys))}")
        self.stdout.write("Sealed values by key:")
        width = max(len(k) for k in [*ring.keys, *counts])
        for key_id in sorted(set(ring.keys) | set(counts)):
            note = ""
            if key_id == ring.active_id:
                note = "  (active)"
            elif key_id not in ring.keys:
                note = "  (NOT IN THE KEYRING: these values cannot be opened)"
            self.stdout.write(f"  {key_id:<{width}}  {counts.get(key_id, 0):>10,}{note}")

    # rotate / retire / reseal --------------------------------------------------------------------
    def _writable_key_file(self, doing: str) -> Path:
        source, path = key_source()
        if source == SOURCE_ENVIRONMENT:
            raise CommandError(
                f"cannot {doing}: keys come from the SAFESHARE_KEYS environment variable, which "
                "safeshare cannot rewrite; put a new active key there, restart, then run "
                "'safeshare keys reseal'"
            )
        if path is None:
            raise CommandError(f"cannot {doing}: keys come from {source}, not a key file")
        if not path.exists():
            raise CommandError(f"cannot {doing}: key file {path} does not exist")
        return path

    def _reseal(self) -> dict[str, int]:
        line = ProgressLine(sys.stderr, "re-encrypting")
        try:
            return rotation.reseal_all(
                progress=lambda label, done, total: line.update(done, total, label=label),
                record=self._record_reseal,
            )
        finally:
            line.finish()

    def _record_reseal(self, label: str, count: int) -> None:
        """Inside the model's re-sealing transaction: the record commits with the change."""
        ledger_append(
            event=Event.KEYS_RESEALED,
            actor=None,
            details={
                "model": label,
                "values_resealed": count,
                "active_key": keys.keyring().active_id,
            },
        )

    def _record(self, *, ring: Keyring, resealed: dict[str, int], retired: list[str]) -> None:
        with transaction.atomic():
            ledger_append(
                event=Event.KEYS_ROTATED,
                actor=None,
                details={
                    "active_key": ring.active_id,
                    "resealed": resealed,
                    "values_resealed": sum(resealed.values()),
                    "retired": retired,
                },
            )

    def rotate(self, *, retire_old: bool) -> None:
        path = self._writable_key_file("rotate keys")
        ring = read_key_file(path).with_new_active_key()
        write_key_file(path, ring)
        keys.reset_cache()
        self.stdout.write(
            f"Added key {ring.active_id} to {path} as the active key (old keys kept, so values "
            "sealed with them still open)."
        )
        resealed = self._reseal()
        self.stdout.write(f"Re-encrypted {sum(resealed.values()):,} values.")
        refusal: CommandError | None = None
        retired: list[str] = []
        if retire_old:
            try:
                retired = self.retire(path=path, record=False)
            except CommandError as exc:
                refusal = exc
        self._record(ring=ring, resealed=resealed, retired=retired)
        if refusal is not None:
            raise refusal
        if not retire_old:
            self.stdout.write(
                "Running SafeShare processes load the new key when they first meet a value "
                "sealed with it; 'safeshare keys retire' removes the old keys."
            )

    def retire(self, *, path: Path, record: bool = True) -> list[str]:
        ring = read_key_file(path)
        old = sorted(k for k in ring.keys if k != ring.active_id)
        if not old:
            self.stdout.write("No old keys to retire.")
            return []
        counts = rotation.sealed_value_counts()
        in_use = {k: counts[k] for k in old if counts.get(k)}
        if in_use:
            listed = ", ".join(f"{k} ({n:,} values)" for k, n in sorted(in_use.items()))
            raise CommandError(
                f"not retiring old keys: still in use by {listed}; run 'safeshare keys reseal'"
            )
        write_key_file(path, ring.without_keys_except_active())
        keys.reset_cache()
        if record:
            self._record(ring=ring, resealed={}, retired=old)
        self.stdout.write(f"Retired keys {', '.join(old)}; {path} now holds {ring.active_id} only.")
        return old

    def reseal(self) -> None:
        ring = keys.keyring()
        resealed = self._reseal()
        self._record(ring=ring, resealed=resealed, retired=[])
        self.stdout.write(
            f"Re-encrypted {sum(resealed.values()):,} values under key {ring.active_id}."
        )
