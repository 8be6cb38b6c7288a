"""``safeshare ledger``: sequence, sign, prove, witness and verify the tamper-evident ledger.

- ``sequence [--follow [--interval S]]``: give committed entries their leaves and sign new heads.
- ``keys generate [--if-missing] | rotate | status | public``: the Ed25519 signing keys.
- ``head [--size N]``, ``prove inclusion ENTRY [--size N]``, ``prove consistency OLD NEW``: print
  the JSON that ``tools/ledger_verify_proof.py`` checks.
- ``witness --state FILE (--url URL --token-file F | --head H.json --proof P.json) --keys K.json``:
  keep the heads seen, refuse any that does not extend them (no database needed).
- ``verify [--against HEAD.json] [--keys KEYS.json]``: recompute everything, name the first bad
  leaf.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from argparse import ArgumentParser
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection, transaction

from safeshare.cli.management import ProgressLine
from safeshare.core.exceptions import DomainError
from safeshare.ledger import signing
from safeshare.ledger.key_services import ledger_signing_key_publish, ledger_signing_key_rotate
from safeshare.ledger.merkle import ProofError
from safeshare.ledger.sequencer import (
    DEFAULT_BATCH,
    SequencerError,
    SequenceResult,
    SigningKeyRetired,
    WriterHorizons,
    ledger_sequence,
    ledger_sequence_pending,
)
from safeshare.ledger.signing import HeadError, SigningKeyError, TreeHead
from safeshare.ledger.tree import (
    LedgerCorrupt,
    ledger_consistency_bundle,
    ledger_head_get,
    ledger_inclusion_bundle,
    public_keys_document,
)
from safeshare.ledger.verify import LedgerInvalid, ledger_verify
from safeshare.ledger.witness import (
    ConsistencyBundle,
    WitnessRefused,
    WitnessState,
    witness_head,
)

HTTP_TIMEOUT = 30


def _json_file(path: str, what: str) -> Any:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise CommandError(f"{what} {path} does not exist") from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CommandError(f"{what} {path} is not readable JSON ({exc})") from exc


def _keys_file(path: str) -> dict[str, bytes]:
    try:
        return signing.public_keys_from_json(_json_file(path, "keys file"))
    except HeadError as exc:
        raise CommandError(f"keys file {path}: {exc}") from exc


def _retirements_file(path: str) -> dict[str, str | None]:
    try:
        return signing.retirements_from_json(_json_file(path, "keys file"))
    except HeadError as exc:
        raise CommandError(f"keys file {path}: {exc}") from exc


def _head_file(path: str) -> TreeHead:
    try:
        return TreeHead.from_json(_json_file(path, "head file"))
    except HeadError as exc:
        raise CommandError(f"head file {path}: {exc}") from exc


def fetch_json(url: str, token: str) -> Any:
    """GET a SafeShare API URL with a bearer token (the witness's only network use)."""
    if urllib.parse.urlparse(url).scheme not in ("http", "https"):
        raise CommandError(f"--url must be an http or https URL, not {url!r}")
    request = urllib.request.Request(  # noqa: S310 - scheme checked above
        url, headers={"Authorization": f"Bearer {token}", "Accept": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT) as response:  # noqa: S310
            return json.loads(response.read())
    except urllib.error.HTTPError as exc:
        raise CommandError(f"{url} answered {exc.code}") from exc
    except (urllib.error.URLError, OSError, json.JSONDecodeError) as exc:
        raise CommandError(f"cannot fetch {url}: {exc}") from exc


def api_base(url: str) -> str:
    """The API root from a server's address (``https://host`` or ``https://host/api``)."""
    base = url.rstrip("/")
    return base if base.endswith("/api") else base + "/api"


@contextlib.contextmanager
def sequencer_in_background(*, interval: float = 1.0) -> Iterator[subprocess.Popen[bytes]]:
    """Run ``safeshare ledger sequence --follow`` in a child process for the duration.

    A child process, not a thread: gunicorn forks its workers from the serving process, and a
    database connection must never be shared across a fork.
    """
    command = [
        sys.executable,
        "-m",
        "safeshare.cli.main",
        "ledger",
        "sequence",
        "--follow",
        "--interval",
        str(interval),
        "--quiet",
    ]
    process = subprocess.Popen(command, env=dict(os.environ))  # noqa: S603 - our own command
    try:
        yield process
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


class Command(BaseCommand):
    help = "The tamper-evident ledger: sequence, keys, head, prove, witness, verify"
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")

        sequence = actions.add_parser(
            "sequence", help="Give committed entries their leaves and sign a new tree head"
        )
        sequence.add_argument(
            "--follow", action="store_true", help="Keep sequencing until stopped (Ctrl+C)"
        )
        sequence.add_argument(
            "--interval", type=float, default=1.0, help="Seconds between runs with --follow (1.0)"
        )
        sequence.add_argument(
            "--quiet", action="store_true", help="With --follow, print nothing but problems"
        )
        sequence.add_argument(
            "--max-batch",
            type=int,
            default=DEFAULT_BATCH,
            help=f"Entries per transaction ({DEFAULT_BATCH:,})",
        )

        keys = actions.add_parser("keys", help="The Ed25519 keys that sign tree heads")
        key_actions = keys.add_subparsers(dest="key_action", required=True, metavar="KEY_ACTION")
        generate = key_actions.add_parser("generate", help="Create the ledger key file")
        generate.add_argument(
            "--if-missing",
            action="store_true",
            help="Exit quietly with success when signing keys are already configured",
        )
        key_actions.add_parser("rotate", help="Sign with a new key from now on; keep old ones")
        key_actions.add_parser("status", help="Where the keys come from, and the published keys")
        key_actions.add_parser("public", help="Print the published public keys (JSON)")

        head = actions.add_parser("head", help="Print the latest signed tree head (JSON)")
        head.add_argument("--size", type=int, help="The head at this size instead")

        prove = actions.add_parser("prove", help="Print an inclusion or consistency proof (JSON)")
        proofs = prove.add_subparsers(dest="proof", required=True, metavar="PROOF")
        inclusion = proofs.add_parser("inclusion", help="Proof that an entry is in the tree")
        inclusion.add_argument("entry", help="The entry's id (a number) or entry_id (a UUID)")
        inclusion.add_argument("--size", type=int, help="The signed head to prove against")
        consistency = proofs.add_parser(
            "consistency", help="Proof that one signed tree is a prefix of another"
        )
        consistency.add_argument("old", type=int, help="The older head's size")
        consistency.add_argument("new", type=int, help="The newer head's size")

        witness = actions.add_parser(
            "witness", help="Check a new signed head against the heads seen before"
        )
        witness.add_argument("--state", required=True, help="The witness's JSON state file")
        witness.add_argument("--keys", required=True, help="The published public keys (JSON)")
        witness.add_argument("--url", help="SafeShare's address, to fetch the head and proofs")
        witness.add_argument("--token-file", help="A file holding an API token (with --url)")
        witness.add_argument("--head", help="A head JSON file (instead of --url)")
        witness.add_argument("--proof", help="A consistency bundle JSON file (with --head)")

        verify = actions.add_parser("verify", help="Recompute and check the whole ledger")
        verify.add_argument("--against", help="Also check consistency with this saved head")
        verify.add_argument("--keys", help="Public keys (JSON) to check signatures with")
        verify.add_argument(
            "--jobs",
            type=int,
            default=1,
            help="Worker processes sharing the chunks (default 1; reading runs ahead anyway)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        try:
            if action == "sequence":
                self.sequence(options)
            elif action == "keys":
                self.keys(options["key_action"], if_missing=options.get("if_missing", False))
            elif action == "head":
                self._print_json(ledger_head_get(size=options["size"]).to_json())
            elif action == "prove":
                self.prove(options)
            elif action == "witness":
                self.witness(options)
            else:
                self.verify(options)
        except (
            SigningKeyError,
            SequencerError,
            LedgerCorrupt,
            LedgerInvalid,
            WitnessRefused,
            ProofError,
        ) as exc:
            raise CommandError(str(exc)) from exc

    def _print_json(self, document: Any) -> None:
        self.stdout.write(json.dumps(document, indent=2))

    # sequence ------------------------------------------------------------------------------------
    def sequence(self, options: dict[str, Any]) -> None:
        max_batch: int = options["max_batch"]
        if max_batch < 1:
            raise CommandError("--max-batch must be at least 1")
        if options["follow"]:
            interval: float = options["interval"]
            if interval <= 0:
                raise CommandError("--interval must be more than 0 seconds")
            self._follow(
                max_batch=max_batch,
                interval=interval,
                verbose=not options["quiet"] and int(options["verbosity"]) >= 1,
            )
            return
        line = ProgressLine(sys.stderr, "sequencing", unit="entries")
        try:
            result = ledger_sequence_pending(max_batch=max_batch, progress=line.update)
        finally:
            line.finish()
        self._report(result)

    def _report(self, result: SequenceResult) -> None:
        if result.head is None:
            self.stdout.write(f"Nothing to sequence: the tree has {result.new_size:,} leaves.")
            return
        entries = "entry" if result.added == 1 else "entries"
        self.stdout.write(
            f"Sequenced {result.added:,} {entries}: tree size {result.old_size:,} -> "
            f"{result.new_size:,}, head signed with key {result.head.key_id}."
        )

    def _follow(self, *, max_batch: int, interval: float, verbose: bool) -> None:
        horizons = WriterHorizons()
        try:
            while True:
                try:
                    while True:
                        result = ledger_sequence(max_batch=max_batch, horizons=horizons)
                        if result.head is not None and verbose:
                            self._report(result)
                        if result.added < max_batch:
                            break
                # A locked or restarting database, or a key another process has just rotated
                # (the next run reads the new one): report it and try again after the interval.
                except (DatabaseError, SigningKeyRetired) as exc:
                    sys.stderr.write(f"safeshare ledger sequence: {exc}; retrying\n")
                    connection.close()
                time.sleep(interval)
        except KeyboardInterrupt:
            return

    # keys ----------------------------------------------------------------------------------------
    def keys(self, action: str, *, if_missing: bool) -> None:
        if action == "generate":
            self._generate(if_missing=if_missing)
        elif action == "rotate":
            self._rotate()
        elif action == "status":
            self._status()
        else:
            self._print_json(public_keys_document())

    def _tables_exist(self) -> bool:
        try:
            return "ledger_ledgersigningkey" in connection.introspection.table_names()
        except DatabaseError:
            return False

    def _publish(self, keys: signing.SigningKeys, *, source: str) -> None:
        if not self._tables_exist():
            self.stdout.write(
                f"Key {keys.active_id} will be published when the sequencer first runs "
                "(the database has no ledger tables yet)."
            )
            return
        ledger_signing_key_publish(actor=None, public_key=keys.public_key(), source=source)
        self.stdout.write(f"Published public key {keys.active_id}.")

    def _generate(self, *, if_missing: bool) -> None:
        source, path = signing.key_source()
        if path is None:
            if if_missing:
                return
            raise CommandError(f"ledger signing keys come from {source}; there is no file to write")
        if path.exists():
            if if_missing:
                return
            raise CommandError(
                f"ledger key file {path} already exists; refusing to overwrite it "
                "(use 'safeshare ledger keys rotate' for a new key)"
            )
        keys = signing.new_signing_keys()
        signing.write_key_file(path, keys)
        signing.reset_cache()
        self.stdout.write(
            f"Created ledger key file {path} with signing key {keys.active_id}. Back it up apart "
            "from the database: it signs the ledger's tree heads."
        )
        self._publish(keys, source="generated")

    def _rotate(self) -> None:
        source, path = signing.key_source()
        if path is None:
            raise CommandError(
                f"cannot rotate: ledger signing keys come from {source}; put a new key there, "
                "restart, and the sequencer publishes it"
            )
        if not path.exists():
            raise CommandError(f"cannot rotate: ledger key file {path} does not exist")
        old = signing.read_key_file(path)
        new = signing.new_signing_keys()
        with transaction.atomic():
            key = ledger_signing_key_rotate(actor=None, new_public_key=new.public_key())
            signing.write_key_file(path, new)
        signing.reset_cache()
        self.stdout.write(
            f"Tree heads are now signed with key {key.key_id}; key {old.active_id} is retired "
            "and stays published, so heads it signed still verify."
        )

    def _status(self) -> None:
        source, _path = signing.key_source()
        self.stdout.write(f"Signing keys from: {source}")
        try:
            active = signing.load_signing_keys().active_id
        except SigningKeyError as exc:
            active = f"none ({exc})"
        self.stdout.write(f"Active key: {active}")
        document = public_keys_document()
        if not document["keys"]:
            self.stdout.write("Published keys: none yet")
            return
        self.stdout.write("Published keys:")
        for key in document["keys"]:
            state = f"retired {key['retired_at']}" if key["retired_at"] else "in use"
            self.stdout.write(f"  {key['key_id']}  published {key['created_at']}  {state}")

    # prove ---------------------------------------------------------------------------------------
    def prove(self, options: dict[str, Any]) -> None:
        try:
            if options["proof"] == "inclusion":
                entry = _entry_reference(options["entry"])
                document = ledger_inclusion_bundle(entry_id=entry, size=options["size"])
            else:
                document = ledger_consistency_bundle(
                    old_size=options["old"], new_size=options["new"]
                )
        except DomainError as exc:
            if exc.status_code == 404:
                raise CommandError(_not_found(options)) from exc
            raise CommandError(exc.message) from exc
        self._print_json(document)

    # witness -------------------------------------------------------------------------------------
    def witness(self, options: dict[str, Any]) -> None:
        url, head_path = options["url"], options["head"]
        if bool(url) == bool(head_path):
            raise CommandError("give either --url (with --token-file) or --head (with --proof)")
        keys = _keys_file(options["keys"])
        retired = _retirements_file(options["keys"])
        state_path = Path(options["state"])
        state = WitnessState.load(state_path)
        if url:
            if not options["token_file"]:
                raise CommandError("--url needs --token-file (a file holding an API token)")
            token = _read_token(options["token_file"])
            base = api_base(url)
            head = _parse_head(fetch_json(f"{base}/ledger/head", token))

            def proofs(old: int, new: int) -> ConsistencyBundle:
                query = urllib.parse.urlencode({"old": old, "new": new})
                return ConsistencyBundle.from_json(
                    fetch_json(f"{base}/ledger/consistency?{query}", token)
                )

        else:
            head = _head_file(head_path)
            proof_path = options["proof"]

            def proofs(old: int, new: int) -> ConsistencyBundle:
                if not proof_path:
                    raise WitnessRefused(
                        f"a consistency proof from size {old} to {new} is needed (--proof)"
                    )
                bundle = ConsistencyBundle.from_json(_json_file(proof_path, "proof file"))
                if (bundle.old.size, bundle.new.size) != (old, new):
                    raise WitnessRefused(
                        f"the proof file is from size {bundle.old.size} to {bundle.new.size}; "
                        f"needed from {old} to {new}"
                    )
                return bundle

        outcome = witness_head(state, head, keys, proofs, retired)
        if outcome.added:
            state.save(state_path)
        self.stdout.write(outcome.summary(state_path, len(state.heads)))

    # verify --------------------------------------------------------------------------------------
    def verify(self, options: dict[str, Any]) -> None:
        keys = _keys_file(options["keys"]) if options["keys"] else None
        retired = _retirements_file(options["keys"]) if options["keys"] else None
        against = _head_file(options["against"]) if options["against"] else None
        jobs: int = options["jobs"]
        if jobs < 1:
            raise CommandError("--jobs must be at least 1")
        line = ProgressLine(sys.stderr, "verifying", unit="leaves")
        try:
            report = ledger_verify(
                public_keys=keys,
                retired=retired,
                against=against,
                progress=line.update,
                jobs=jobs,
            )
        finally:
            line.finish()
        self.stdout.write(report.summary())


def _entry_reference(raw: str) -> int | uuid.UUID:
    if raw.isdigit():
        return int(raw)
    try:
        return uuid.UUID(raw)
    except ValueError:
        raise CommandError(f"{raw!r} is neither an entry id nor an entry UUID") from None


def _not_found(options: dict[str, Any]) -> str:
    if options["proof"] == "inclusion":
        size = options["size"]
        at = f" or no signed head at size {size}" if size is not None else ""
        return f"no ledger entry {options['entry']}{at}"
    return f"no signed head at size {options['old']} or {options['new']}"


def _read_token(path: str) -> str:
    try:
        token = Path(path).read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise CommandError(f"cannot read the token file {path}: {exc}") from exc
    if not token:
        raise CommandError(f"the token file {path} is empty")
    return token


def _parse_head(data: Any) -> TreeHead:
    try:
        return TreeHead.from_json(data)
    except HeadError as exc:
        raise CommandError(f"the server's head is malformed: {exc}") from exc
