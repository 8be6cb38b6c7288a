"""``safeshare keys``: generate, status, rotate (re-encrypting every value), retire, reseal."""

from __future__ import annotations

import json
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_django.fixtures import Settings as SettingsWrapper

from safeshare.cases.models import InformationItem
from safeshare.cli import main as cli
from safeshare.core import crypto, keys, rotation
from safeshare.ledger.events import Event
from safeshare.ledger.models import LedgerEntry
from safeshare.people.models import Address
from tests.factories import AddressFactory, ItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def key_file(
    tmp_path: Path, settings: SettingsWrapper, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """Keys from a key file in tmp_path, as in a real installation (settings restored after)."""
    path = tmp_path / "keys.json"
    monkeypatch.delenv("SAFESHARE_KEYS", raising=False)
    settings.SAFESHARE_KEYS = None
    settings.SAFESHARE_KEY_FILE = str(path)
    keys.reset_cache()
    yield path
    keys.reset_cache()


def _stored_key_ids() -> set[str]:
    found: set[str] = set()
    for model, fields in rotation.encrypted_fields():
        for field in fields:
            for value in model._base_manager.values_list(field.attname, flat=True):
                if value is not None:
                    found.add(crypto.key_id_of(value))
    return found


def _generate(capsys: pytest.CaptureFixture[str]) -> crypto.Keyring:
    assert cli.main(["keys", "generate"]) == 0
    capsys.readouterr()
    return keys.keyring()


def test_generate_creates_an_owner_only_key_file(
    key_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["keys", "generate"]) == 0
    assert "Created key file" in capsys.readouterr().out
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    ring = crypto.read_key_file(key_file)
    assert list(ring.keys) == [ring.active_id]
    assert keys.keyring() == ring


def test_generate_refuses_to_overwrite_a_key_file(
    key_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _generate(capsys)
    before = key_file.read_bytes()
    assert cli.main(["keys", "generate"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0
    assert err.startswith("safeshare: error: key file ")
    assert "refusing to overwrite" in err
    assert key_file.read_bytes() == before


def test_generate_if_missing_is_quiet_when_the_file_exists(
    key_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _generate(capsys)
    before = key_file.read_bytes()
    assert cli.main(["keys", "generate", "--if-missing"]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == ""
    assert key_file.read_bytes() == before


def test_status_counts_sealed_values_per_key(
    key_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ring = _generate(capsys)
    ItemFactory()  # summary, content and source: three sealed values
    assert cli.main(["keys", "status"]) == 0
    out = capsys.readouterr().out
    assert f"Keys from: key file {key_file}" in out
    assert f"Active key: {ring.active_id}" in out
    line = next(line for line in out.splitlines() if line.strip().startswith(ring.active_id))
    assert line.split()[1] == "3"
    assert "(active)" in line


def test_rotate_reseals_every_value_under_a_new_key(
    key_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = _generate(capsys)
    item = ItemFactory(content="Fakechild said the cat is called Biscuit", source="Class teacher")
    address = AddressFactory(lines="7 Nowhere Lane\nFakeborough", postcode="ZZ99 3AB")
    assert _stored_key_ids() == {old.active_id}

    assert cli.main(["keys", "rotate"]) == 0
    new = crypto.read_key_file(key_file)
    assert new.active_id != old.active_id
    assert set(new.keys) == {old.active_id, new.active_id}
    assert _stored_key_ids() == {new.active_id}

    keys.reset_cache()
    fresh_item = InformationItem.objects.get(pk=item.pk)
    assert fresh_item.content == "Fakechild said the cat is called Biscuit"
    assert fresh_item.source == "Class teacher"
    fresh_address = Address.objects.get(pk=address.pk)
    assert fresh_address.lines == "7 Nowhere Lane\nFakeborough"
    assert fresh_address.postcode == "ZZ99 3AB"
    entry = LedgerEntry.objects.get(event_code=Event.KEYS_ROTATED)
    details = json.loads(entry.details)
    assert details["active_key"] == new.active_id
    assert details["values_resealed"] == 5
    assert details["resealed"]["cases.InformationItem"] == 3
    assert details["retired"] == []


def test_rotate_with_retire_old_leaves_only_the_new_key(
    key_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = _generate(capsys)
    item = ItemFactory(content="Fakechild likes trains")
    assert cli.main(["keys", "rotate", "--retire-old"]) == 0
    ring = crypto.read_key_file(key_file)
    assert old.active_id not in ring.keys
    assert list(ring.keys) == [ring.active_id]
    keys.reset_cache()
    assert InformationItem.objects.get(pk=item.pk).content == "Fakechild likes trains"
    details = json.loads(LedgerEntry.objects.get(event_code=Event.KEYS_ROTATED).details)
    assert details["retired"] == [old.active_id]


def test_retire_refuses_while_values_still_use_the_old_key(
    key_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = _generate(capsys)
    ItemFactory()
    # A new active key added by hand, without re-sealing: old values still need the old key.
    crypto.write_key_file(key_file, old.with_new_active_key())
    keys.reset_cache()
    assert cli.main(["keys", "retire"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0
    assert "still in use" in err
    assert old.active_id in err
    assert old.active_id in crypto.read_key_file(key_file).keys


def test_rotate_refuses_when_keys_come_from_the_environment(
    key_file: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    ring = crypto.new_keyring()
    monkeypatch.setenv("SAFESHARE_KEYS", json.dumps(ring.to_mapping()))
    keys.reset_cache()
    assert cli.main(["keys", "rotate"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0
    assert "SAFESHARE_KEYS environment variable" in err
    assert not key_file.exists()
    assert keys.keyring() == ring


def test_reseal_moves_values_to_the_active_key_from_settings(
    settings: SettingsWrapper, capsys: pytest.CaptureFixture[str]
) -> None:
    first = crypto.new_keyring("first")
    settings.SAFESHARE_KEYS = first.to_mapping()
    keys.reset_cache()
    try:
        item = ItemFactory(content="Fakechild ate all the biscuits")
        second = first.with_new_active_key("second")
        settings.SAFESHARE_KEYS = second.to_mapping()
        keys.reset_cache()
        assert cli.main(["keys", "reseal"]) == 0
        assert _stored_key_ids() == {"second"}
        keys.reset_cache(second.without_keys_except_active())
        assert InformationItem.objects.get(pk=item.pk).content == "Fakechild ate all the biscuits"
    finally:
        keys.reset_cache()


def test_reseal_all_skips_values_already_under_the_active_key(
    key_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _generate(capsys)
    ItemFactory()
    assert rotation.reseal_all() == dict.fromkeys(
        (model._meta.label for model, _ in rotation.encrypted_fields()), 0
    )
