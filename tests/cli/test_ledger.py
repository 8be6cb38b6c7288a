"""``safeshare ledger``: sequence, keys, head, prove, witness and verify, as operators run them."""

from __future__ import annotations

import importlib.util
import json
import stat
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import Client
from pytest_django.fixtures import Settings as SettingsWrapper

from safeshare.agencies.services import api_token_create
from safeshare.cli import main as cli
from safeshare.cli.management.commands import ledger as ledger_command
from safeshare.ledger import signing
from safeshare.ledger.events import Event
from safeshare.ledger.models import LedgerEntry, LedgerLeaf, LedgerSigningKey
from safeshare.ledger.sequencer import ledger_sequence
from safeshare.ledger.services import ledger_append
from safeshare.ledger.signing import ledger_origin, sign_head, signing_keys
from safeshare.ledger.tree import ledger_head_get, public_keys_document
from tests.conftest import World

pytestmark = pytest.mark.django_db

TOOL = Path(__file__).resolve().parents[2] / "tools" / "ledger_verify_proof.py"


def _tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("ledger_verify_proof_for_cli", TOOL)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def append(count: int) -> None:
    for number in range(count):
        with transaction.atomic():
            ledger_append(event=Event.CASE_VIEWED, actor=None, details={"n": number})


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = cli.main(["ledger", *args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def one_error_line(err: str) -> str:
    assert err.count("\n") == 1, err
    assert err.startswith("safeshare: error: ")
    return err.removeprefix("safeshare: error: ").strip()


def write_json(path: Path, document: Any) -> str:
    path.write_text(json.dumps(document))
    return str(path)


@pytest.fixture
def ledger_key_file(
    tmp_path: Path, settings: SettingsWrapper, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """Signing keys from a key file, as in a real installation."""
    path = tmp_path / "ledger-keys.json"
    settings.SAFESHARE_LEDGER_SIGNING_KEYS = None
    settings.SAFESHARE_LEDGER_KEY_FILE = str(path)
    monkeypatch.delenv("SAFESHARE_LEDGER_SIGNING_KEYS", raising=False)
    signing.reset_cache()
    yield path
    signing.reset_cache()


# --- sequence ----------------------------------------------------------------------------------


def test_sequence_once_signs_a_head_then_finds_nothing_to_do(
    capsys: pytest.CaptureFixture[str],
) -> None:
    append(5)
    status, out, err = run(capsys, "sequence")
    assert status == 0
    size = ledger_head_get().size
    assert out.strip() == (
        f"Sequenced {size} entries: tree size 0 -> {size}, head signed with key "
        f"{signing_keys().active_id}."
    )
    assert "sequencing:" in err  # progress on stderr
    status, out, _err = run(capsys, "sequence")
    assert (status, out.strip()) == (0, f"Nothing to sequence: the tree has {size} leaves.")


def test_sequence_follow_keeps_sequencing_until_interrupted(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    append(3)
    naps: list[float] = []

    def sleep(seconds: float) -> None:
        naps.append(seconds)
        if len(naps) == 1:
            append(2)  # more entries arrive while it waits
            return
        raise KeyboardInterrupt

    monkeypatch.setattr(ledger_command.time, "sleep", sleep)
    status, out, _err = run(capsys, "sequence", "--follow", "--interval", "0.25")
    assert status == 0
    assert naps == [0.25, 0.25]
    assert out.count("Sequenced") == 2
    assert not LedgerEntry.objects.filter(leaf__isnull=True).exists()


def test_sequence_refuses_a_batch_below_one(capsys: pytest.CaptureFixture[str]) -> None:
    status, _out, err = run(capsys, "sequence", "--max-batch", "0")
    assert status == 1
    assert one_error_line(err) == "--max-batch must be at least 1"


# --- keys -------------------------------------------------------------------------------------


def test_keys_generate_writes_an_owner_only_file_and_publishes_the_key(
    ledger_key_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _err = run(capsys, "keys", "generate")
    assert status == 0
    assert stat.S_IMODE(ledger_key_file.stat().st_mode) == 0o600
    keys = signing.read_key_file(ledger_key_file)
    assert f"Created ledger key file {ledger_key_file}" in out
    assert f"Published public key {keys.active_id}." in out
    assert LedgerSigningKey.objects.filter(pk=keys.active_id).exists()
    assert LedgerEntry.objects.filter(
        event_code=Event.LEDGER_SIGNING_KEY_PUBLISHED, object_id=keys.active_id
    ).exists()


def test_keys_generate_never_overwrites_and_if_missing_is_quiet(
    ledger_key_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "keys", "generate")
    before = ledger_key_file.read_bytes()
    status, _out, err = run(capsys, "keys", "generate")
    assert status == 1
    assert "refusing to overwrite" in one_error_line(err)
    assert run(capsys, "keys", "generate", "--if-missing") == (0, "", "")
    assert ledger_key_file.read_bytes() == before


def test_keys_from_settings_have_no_file_to_generate_or_rotate(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run(capsys, "keys", "generate", "--if-missing") == (0, "", "")
    status, _out, err = run(capsys, "keys", "generate")
    assert status == 1
    assert "settings.SAFESHARE_LEDGER_SIGNING_KEYS" in one_error_line(err)
    status, _out, err = run(capsys, "keys", "rotate")
    assert status == 1
    assert one_error_line(err).startswith("cannot rotate")


def test_keys_rotate_signs_with_a_new_key_and_old_heads_still_verify(
    ledger_key_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "keys", "generate")
    old = signing.read_key_file(ledger_key_file)
    append(4)
    run(capsys, "sequence")
    status, out, _err = run(capsys, "keys", "rotate")
    assert status == 0
    new = signing.read_key_file(ledger_key_file)
    assert new.active_id != old.active_id
    assert set(new.private) == {new.active_id}  # the old private key is gone
    assert f"key {old.active_id} is retired" in out
    assert LedgerSigningKey.objects.get(pk=old.active_id).retired_at is not None
    append(2)
    run(capsys, "sequence")
    assert ledger_head_get().key_id == new.active_id
    status, out, _err = run(capsys, "verify")
    assert status == 0, out
    assert out.startswith("ledger ok:")


def test_keys_status_and_public(ledger_key_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "keys", "generate")
    keys = signing.read_key_file(ledger_key_file)
    status, out, _err = run(capsys, "keys", "status")
    assert status == 0
    assert f"Signing keys from: key file {ledger_key_file}" in out
    assert f"Active key: {keys.active_id}" in out
    assert f"  {keys.active_id}  published " in out
    status, out, _err = run(capsys, "keys", "public")
    assert json.loads(out) == public_keys_document()
    assert json.loads(out)["keys"][0]["public_key"] == keys.public_key().hex()


# --- head and prove -----------------------------------------------------------------------------


def test_head_and_proofs_print_bundles_the_standalone_verifier_accepts(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    append(6)
    ledger_sequence(max_batch=4)
    ledger_sequence()
    status, out, _err = run(capsys, "head")
    assert status == 0
    head = json.loads(out)
    assert head == ledger_head_get().to_json()
    status, out, _err = run(capsys, "keys", "public")
    keys = write_json(tmp_path / "keys.json", json.loads(out))
    leaf = LedgerLeaf.objects.select_related("entry").get(leaf_index=2)
    tool = _tool()
    for reference in (str(leaf.entry.pk), str(leaf.entry.entry_id)):
        status, out, _err = run(capsys, "prove", "inclusion", reference, "--size", "4")
        assert status == 0
        bundle = json.loads(out)
        assert (bundle["leaf_index"], bundle["head"]["size"]) == (2, 4)
        assert tool.main([write_json(tmp_path / "inclusion.json", bundle), "--keys", keys]) == 0
        assert capsys.readouterr().out.startswith("ok: entry 2 is in the log")
    status, out, _err = run(capsys, "prove", "consistency", "4", str(head["size"]))
    assert status == 0
    bundle = json.loads(out)
    assert tool.main([write_json(tmp_path / "consistency.json", bundle), "--keys", keys]) == 0
    assert capsys.readouterr().out.startswith("ok: ")
    bundle["proof"][0] = "00" * 32
    assert tool.main([write_json(tmp_path / "bad.json", bundle), "--keys", keys]) == 1
    assert capsys.readouterr().out.startswith("invalid: ")


def test_prove_names_what_is_missing_in_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    append(2)
    ledger_sequence()
    status, _out, err = run(capsys, "prove", "inclusion", "999999")
    assert (status, one_error_line(err)) == (1, "no ledger entry 999999")
    status, _out, err = run(capsys, "prove", "inclusion", "not-an-id")
    assert "neither an entry id nor an entry UUID" in one_error_line(err)
    status, _out, err = run(capsys, "prove", "consistency", "1", "2")
    assert one_error_line(err) == "no signed head at size 1 or 2"
    status, _out, err = run(capsys, "head", "--size", "77")
    assert status == 1


# --- witness ----------------------------------------------------------------------------------


@pytest.fixture
def witness_files(tmp_path: Path) -> dict[str, str]:
    return {
        "state": str(tmp_path / "witness.json"),
        "keys": str(tmp_path / "keys.json"),
        "head": str(tmp_path / "head.json"),
        "proof": str(tmp_path / "proof.json"),
    }


def witness(capsys: pytest.CaptureFixture[str], files: dict[str, str], *extra: str) -> Any:
    return run(capsys, "witness", "--state", files["state"], "--keys", files["keys"], *extra)


def test_witness_with_files_accepts_heads_that_extend_what_it_has_seen(
    capsys: pytest.CaptureFixture[str], witness_files: dict[str, str]
) -> None:
    append(3)
    first = ledger_sequence().head
    assert first is not None
    write_json(Path(witness_files["keys"]), public_keys_document())
    write_json(Path(witness_files["head"]), first.to_json())
    status, out, _err = witness(capsys, witness_files, "--head", witness_files["head"])
    assert status == 0
    assert "trusted on first use" in out
    append(4)
    second = ledger_sequence().head
    assert second is not None
    write_json(Path(witness_files["head"]), second.to_json())
    from safeshare.ledger.tree import ledger_consistency_bundle

    bundle = ledger_consistency_bundle(old_size=first.size, new_size=second.size)
    write_json(Path(witness_files["proof"]), bundle)
    status, out, _err = witness(
        capsys, witness_files, "--head", witness_files["head"], "--proof", witness_files["proof"]
    )
    assert status == 0
    assert f"is consistent with size {first.size}" in out
    state = json.loads(Path(witness_files["state"]).read_text())
    assert [head["size"] for head in state["heads"]] == [first.size, second.size]
    # Seen already: nothing to add.
    status, out, _err = witness(capsys, witness_files, "--head", witness_files["head"])
    assert (status, "already witnessed" in out) == (0, True)


def _forged(size: int, root: bytes) -> dict[str, Any]:
    """A head signed with the real key, over a tree that is not the ledger's (a fork)."""
    head = ledger_head_get()
    return sign_head(
        signing_keys(), origin=ledger_origin(), size=size, root=root, timestamp=head.timestamp
    ).to_json()


def test_witness_refuses_a_fork_a_bad_signature_and_an_unproven_head(
    capsys: pytest.CaptureFixture[str], witness_files: dict[str, str]
) -> None:
    append(3)
    ledger_sequence(max_batch=2)
    ledger_sequence()
    latest = ledger_head_get()
    write_json(Path(witness_files["keys"]), public_keys_document())
    write_json(Path(witness_files["head"]), latest.to_json())
    witness(capsys, witness_files, "--head", witness_files["head"])
    kept = Path(witness_files["state"]).read_bytes()

    cases = {
        "fork": (_forged(latest.size, b"\x09" * 32), "different root for size"),
        "smaller, other root": (_forged(2 if latest.size > 2 else 1, b"\x08" * 32), "proof"),
        "bad signature": ({**latest.to_json(), "size": latest.size + 1}, "bad signature"),
        "larger, no proof": (_forged(latest.size + 3, b"\x07" * 32), "--proof"),
    }
    for name, (head, message) in cases.items():
        write_json(Path(witness_files["head"]), head)
        status, _out, err = witness(capsys, witness_files, "--head", witness_files["head"])
        assert status == 1, name
        assert message in one_error_line(err), (name, err)
        assert Path(witness_files["state"]).read_bytes() == kept, name


def test_witness_refuses_a_larger_head_whose_proof_does_not_hold(
    capsys: pytest.CaptureFixture[str], witness_files: dict[str, str]
) -> None:
    append(3)
    first = ledger_sequence().head
    assert first is not None
    append(3)
    second = ledger_sequence().head
    assert second is not None
    write_json(Path(witness_files["keys"]), public_keys_document())
    write_json(Path(witness_files["head"]), first.to_json())
    witness(capsys, witness_files, "--head", witness_files["head"])
    from safeshare.ledger.tree import ledger_consistency_bundle

    bundle = ledger_consistency_bundle(old_size=first.size, new_size=second.size)
    bundle["proof"][-1] = "ff" * 32
    write_json(Path(witness_files["proof"]), bundle)
    write_json(Path(witness_files["head"]), second.to_json())
    status, _out, err = witness(
        capsys, witness_files, "--head", witness_files["head"], "--proof", witness_files["proof"]
    )
    assert status == 1
    assert "not consistent with the head at size" in one_error_line(err)


def test_witness_fetches_heads_and_proofs_from_the_real_api(
    capsys: pytest.CaptureFixture[str],
    witness_files: dict[str, str],
    world: World,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    _token, raw = api_token_create(actor=world.outsider, name="Witness at another agency")
    token_file = tmp_path / "token"
    token_file.write_text(raw + "\n")
    client = Client()
    asked: list[str] = []

    def fetch_json(url: str, token: str) -> Any:
        asked.append(url)
        assert url.startswith("https://safeshare.invalid/api/")
        response = client.get(
            url.removeprefix("https://safeshare.invalid"),
            headers={"Authorization": f"Bearer {token}"},
        )
        assert response.status_code == 200, response.content
        return response.json()

    monkeypatch.setattr(ledger_command, "fetch_json", fetch_json)
    append(2)
    ledger_sequence()
    write_json(Path(witness_files["keys"]), public_keys_document())
    args = ("--url", "https://safeshare.invalid/", "--token-file", str(token_file))
    assert witness(capsys, witness_files, *args)[0] == 0
    append(5)
    ledger_sequence()
    status, out, _err = witness(capsys, witness_files, *args)
    assert status == 0, out
    assert "is consistent with size" in out
    assert asked[-1].startswith("https://safeshare.invalid/api/ledger/consistency?old=")
    # The server rewrites history: its next head no longer extends what this witness holds.
    state = json.loads(Path(witness_files["state"]).read_text())
    state["heads"][-1] = _forged(state["heads"][-1]["size"], b"\x06" * 32)
    Path(witness_files["state"]).write_text(json.dumps(state))
    append(1)
    ledger_sequence()
    status, _out, err = witness(capsys, witness_files, *args)
    assert status == 1
    assert "history was rewritten" in one_error_line(err)


def test_witness_needs_one_source_of_heads(
    capsys: pytest.CaptureFixture[str], witness_files: dict[str, str]
) -> None:
    write_json(Path(witness_files["keys"]), {"keys": []})
    status, _out, err = witness(capsys, witness_files)
    assert status == 1
    assert "either --url" in one_error_line(err)


# --- verify -----------------------------------------------------------------------------------


def test_verify_passes_with_progress_then_names_the_tampered_leaf(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    append(12)
    ledger_sequence(max_batch=5)
    ledger_sequence()
    saved = write_json(tmp_path / "head.json", ledger_head_get().to_json())
    keys = write_json(tmp_path / "keys.json", public_keys_document())
    status, out, err = run(capsys, "verify", "--against", saved, "--keys", keys)
    assert status == 0
    assert out.startswith("ledger ok: 13 leaves")
    assert "consistent with the saved head at size 13" in out
    assert "verifying:" in err
    with transaction.atomic():
        with connection.cursor() as cursor:
            trigger = "ledger_no_update"
            if connection.vendor == "sqlite":
                cursor.execute(f"DROP TRIGGER {trigger}")
            else:
                cursor.execute("ALTER TABLE ledger_ledgerentry DISABLE TRIGGER USER")
            victim = LedgerLeaf.objects.get(leaf_index=7).entry_id
            cursor.execute(  # the stored bytes; the purpose column follows them
                "UPDATE ledger_ledgerentry SET canonical = replace(canonical,"
                ' \'"purpose":"\', \'"purpose":"curiosity\') WHERE id = %s',
                [victim],
            )
        status, out, err = run(capsys, "verify")
        transaction.set_rollback(True)
    assert status == 1
    assert one_error_line(err).startswith("leaf 7: entry ")


def test_the_ledger_command_is_listed_in_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--help"]) == 0
    assert "ledger" in capsys.readouterr().out
