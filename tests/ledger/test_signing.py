"""Ed25519 signing keys (settings, environment, key file), signed tree heads, published keys."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import json
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import DatabaseError, connection, transaction
from pytest_django.fixtures import Settings as SettingsWrapper

from safeshare.core.exceptions import ValidationFailed
from safeshare.ledger import signing
from safeshare.ledger.events import Event
from safeshare.ledger.key_services import (
    SigningKeyMismatch,
    ledger_signing_key_publish,
    ledger_signing_key_rotate,
)
from safeshare.ledger.models import LedgerEntry, LedgerSigningKey
from safeshare.ledger.sequencer import ledger_sequence
from safeshare.ledger.services import ledger_append
from safeshare.ledger.signing import (
    HeadError,
    SigningKeyError,
    SigningKeys,
    TreeHead,
    head_message,
    new_signing_keys,
    public_keys_from_json,
    sign_head,
    verify_head,
)
from safeshare.ledger.tree import ledger_head_get, public_keys_document, published_public_keys
from safeshare.ledger.verify import ledger_verify

ROOT = b"\xab" * 32
STAMP = "2026-11-21T10:00:00.000000Z"


@pytest.fixture
def no_configured_keys(
    settings: SettingsWrapper, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    settings.SAFESHARE_LEDGER_SIGNING_KEYS = None
    settings.SAFESHARE_LEDGER_KEY_FILE = ""
    monkeypatch.delenv("SAFESHARE_LEDGER_SIGNING_KEYS", raising=False)
    signing.reset_cache()
    yield
    signing.reset_cache()


def test_the_signed_message_is_the_contracts_six_ascii_lines() -> None:
    message = head_message(
        origin="safeshare.invalid/ledger", size=12, root=ROOT, timestamp=STAMP, key_id="0" * 16
    )
    assert message == (
        b"safeshare.ledger.sth.v1\n"
        b"origin: safeshare.invalid/ledger\n"
        b"size: 12\n"
        b"root: " + ROOT.hex().encode() + b"\n"
        b"timestamp: 2026-11-21T10:00:00.000000Z\n"
        b"key: 0000000000000000\n"
    )


def test_a_key_id_is_the_start_of_the_sha256_of_the_raw_public_key() -> None:
    keys = new_signing_keys()
    assert keys.active_id == hashlib.sha256(keys.public_key()).hexdigest()[:16]


def test_a_signed_head_verifies_and_any_change_to_it_does_not() -> None:
    keys = new_signing_keys()
    head = sign_head(keys, origin="safeshare.invalid/ledger", size=12, root=ROOT, timestamp=STAMP)
    published = {keys.active_id: keys.public_key()}
    verify_head(head, published)
    changes = {
        "origin": "elsewhere.invalid/ledger",
        "size": 13,
        "root": b"\xac" + ROOT[1:],
        "timestamp": "2026-11-21T10:00:00.000001Z",
        "signature": bytes([head.signature[0] ^ 1]) + head.signature[1:],
    }
    for field, value in changes.items():
        with pytest.raises(HeadError):
            verify_head(dataclasses.replace(head, **{field: value}), published)


def test_a_head_naming_an_unpublished_key_is_refused() -> None:
    keys = new_signing_keys()
    head = sign_head(keys, origin="o.invalid", size=1, root=ROOT, timestamp=STAMP)
    with pytest.raises(HeadError, match="not published"):
        verify_head(head, {})
    other = new_signing_keys()
    with pytest.raises(HeadError, match="does not match its key id"):
        verify_head(head, {keys.active_id: other.public_key()})


def test_head_json_round_trips_and_malformed_heads_are_refused() -> None:
    head = sign_head(new_signing_keys(), origin="o.invalid", size=3, root=ROOT, timestamp=STAMP)
    assert TreeHead.from_json(json.loads(json.dumps(head.to_json()))) == head
    good = head.to_json()
    for change in (
        {"size": -1},
        {"size": True},
        {"size": "3"},
        {"root": ROOT.hex().upper()},
        {"root": ROOT.hex()[:-2]},
        {"timestamp": "2026-11-21 10:00:00"},
        {"timestamp": "2026-02-30T10:00:00.000000Z"},
        {"key_id": "xyz"},
        {"signature": "00"},
        {"origin": "two\nlines"},
        {"extra": 1},
    ):
        with pytest.raises(HeadError):
            TreeHead.from_json({**good, **change})
    with pytest.raises(HeadError):
        TreeHead.from_json([good])


def test_keys_from_settings_are_used_first(settings: SettingsWrapper) -> None:
    keys = new_signing_keys()
    settings.SAFESHARE_LEDGER_SIGNING_KEYS = keys.to_mapping()
    assert signing.load_signing_keys().active_id == keys.active_id
    assert signing.key_source()[0] == signing.SOURCE_SETTINGS


def test_keys_from_the_environment(
    no_configured_keys: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    keys = new_signing_keys()
    monkeypatch.setenv("SAFESHARE_LEDGER_SIGNING_KEYS", json.dumps(keys.to_mapping()))
    assert signing.load_signing_keys().public_key() == keys.public_key()
    monkeypatch.setenv("SAFESHARE_LEDGER_SIGNING_KEYS", "{not json")
    with pytest.raises(SigningKeyError, match="not valid JSON"):
        signing.load_signing_keys()


def test_a_key_file_is_written_owner_only_and_read_back(
    no_configured_keys: None, settings: SettingsWrapper, tmp_path: Path
) -> None:
    path = tmp_path / "ledger-keys.json"
    settings.SAFESHARE_LEDGER_KEY_FILE = str(path)
    with pytest.raises(SigningKeyError, match="does not exist"):
        signing.load_signing_keys()
    keys = new_signing_keys()
    signing.write_key_file(path, keys)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert signing.load_signing_keys().public_key() == keys.public_key()


def test_no_keys_anywhere_is_a_clear_error(no_configured_keys: None) -> None:
    with pytest.raises(SigningKeyError, match="no ledger signing keys"):
        signing.load_signing_keys()


def test_a_misnamed_or_malformed_key_is_refused() -> None:
    keys = new_signing_keys()
    mapping = keys.to_mapping()
    raw = mapping["keys"][keys.active_id]  # type: ignore[index]
    with pytest.raises(SigningKeyError, match="misnamed"):
        SigningKeys.from_mapping({"active": "0" * 16, "keys": {"0" * 16: raw}})
    with pytest.raises(SigningKeyError, match="base64"):
        SigningKeys.from_mapping({"active": "a", "keys": {"a": "***"}})
    short = base64.b64encode(b"x" * 31).decode()
    with pytest.raises(SigningKeyError, match="32 bytes"):
        SigningKeys.from_mapping({"active": "a", "keys": {"a": short}})
    with pytest.raises(SigningKeyError, match="not held"):
        SigningKeys.from_mapping({"active": "b", "keys": {keys.active_id: raw}})
    with pytest.raises(SigningKeyError, match="must look like"):
        SigningKeys.from_mapping({"keys": []})


def test_public_keys_json_is_checked_key_by_key() -> None:
    keys = new_signing_keys()
    good = {
        "key_id": keys.active_id,
        "algorithm": "ed25519",
        "public_key": keys.public_key().hex(),
        "created_at": STAMP,
        "retired_at": None,
    }
    assert public_keys_from_json({"keys": [good]}) == {keys.active_id: keys.public_key()}
    for change in ({"algorithm": "rsa"}, {"key_id": "0" * 16}, {"public_key": "00"}):
        with pytest.raises(HeadError):
            public_keys_from_json({"keys": [{**good, **change}]})


# --- Published keys: services, events, and the database's guard ---------------------------------


@pytest.mark.django_db
def test_publishing_a_key_is_a_ledger_event_and_idempotent() -> None:
    keys = new_signing_keys()
    with transaction.atomic():
        first = ledger_signing_key_publish(actor=None, public_key=keys.public_key())
    again = ledger_signing_key_publish(actor=None, public_key=keys.public_key())
    assert first.pk == again.pk == keys.active_id
    events = LedgerEntry.objects.filter(event_code=Event.LEDGER_SIGNING_KEY_PUBLISHED)
    assert events.count() == 1
    assert json.loads(events.get().details)["key_id"] == keys.active_id


@pytest.mark.django_db
def test_a_public_key_of_the_wrong_length_is_refused_naming_the_field() -> None:
    before = LedgerSigningKey.objects.count()
    with pytest.raises(ValidationFailed) as refused:
        ledger_signing_key_publish(actor=None, public_key=b"\x01" * 31)
    assert refused.value.field == "public_key"
    assert LedgerSigningKey.objects.count() == before


@pytest.mark.django_db
def test_a_key_id_already_published_with_other_bytes_is_refused() -> None:
    keys = new_signing_keys()
    LedgerSigningKey.objects.create(key_id=keys.active_id, public_key=b"\x07" * 32)
    with pytest.raises(SigningKeyMismatch):
        ledger_signing_key_publish(actor=None, public_key=keys.public_key())


@pytest.mark.django_db
def test_rotation_retires_the_old_key_and_old_heads_still_verify() -> None:
    with transaction.atomic():
        ledger_append(event=Event.CASE_VIEWED, actor=None)
    old_head = ledger_sequence().head
    assert old_head is not None
    new = new_signing_keys()
    ledger_signing_key_rotate(actor=None, new_public_key=new.public_key())
    old_key = LedgerSigningKey.objects.get(pk=old_head.key_id)
    assert old_key.retired_at is not None
    assert LedgerSigningKey.objects.get(pk=new.active_id).retired_at is None
    rotated = LedgerEntry.objects.get(event_code=Event.LEDGER_SIGNING_KEY_ROTATED)
    assert json.loads(rotated.details)["retired"] == [old_head.key_id]
    new_head = ledger_sequence(keys=new).head
    assert new_head is not None
    assert new_head.key_id == new.active_id
    published = published_public_keys()
    verify_head(old_head, published)
    verify_head(new_head, published)
    assert ledger_verify().heads == 2
    document = public_keys_document()
    assert {key["key_id"] for key in document["keys"]} == {old_head.key_id, new.active_id}
    assert ledger_head_get().key_id == new.active_id


@pytest.mark.django_db
def test_the_database_allows_only_retiring_a_published_key() -> None:
    keys = new_signing_keys()
    ledger_signing_key_publish(actor=None, public_key=keys.public_key())
    refused = (
        ("UPDATE ledger_ledgersigningkey SET public_key = %s", [b"\x01" * 32]),
        ("UPDATE ledger_ledgersigningkey SET key_id = %s", ["f" * 16]),
        ("UPDATE ledger_ledgersigningkey SET retired_at = NULL", []),
        ("DELETE FROM ledger_ledgersigningkey", []),
    )
    for statement, params in refused:
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, params)
    retired = LedgerSigningKey.objects.filter(pk=keys.active_id).update(
        retired_at="2026-11-21T10:00:00Z"
    )
    assert retired == 1
    with pytest.raises(DatabaseError), transaction.atomic():  # retired once, never again
        LedgerSigningKey.objects.filter(pk=keys.active_id).update(retired_at="2026-11-22T10:00:00Z")
