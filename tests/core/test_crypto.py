"""The pure AES-GCM layer: round trips, binding to associated data, and every tampering refused."""

from __future__ import annotations

import base64

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safeshare.core import crypto

KEYRING = crypto.new_keyring("k-test")
AAD = b"cases_informationitem|0b7f3a1e-0000-4000-8000-000000000001|content"


@given(st.text())
def test_sealed_text_opens_to_the_same_text(plaintext: str) -> None:
    sealed = crypto.seal(plaintext, associated_data=AAD, keyring=KEYRING)
    assert crypto.open_sealed(sealed, associated_data=AAD, keyring=KEYRING) == plaintext


def test_sealing_twice_gives_different_ciphertexts() -> None:
    first = crypto.seal("same", associated_data=AAD, keyring=KEYRING)
    second = crypto.seal("same", associated_data=AAD, keyring=KEYRING)
    assert first != second


def test_sealed_value_names_its_key_and_hides_the_text() -> None:
    sealed = crypto.seal("Fakechild disclosed a canary", associated_data=AAD, keyring=KEYRING)
    assert crypto.key_id_of(sealed) == "k-test"
    assert "canary" not in sealed


def test_value_moved_to_another_row_does_not_open() -> None:
    sealed = crypto.seal("secret", associated_data=AAD, keyring=KEYRING)
    other_row = AAD.replace(b"0001", b"0002")
    with pytest.raises(crypto.DecryptionError):
        crypto.open_sealed(sealed, associated_data=other_row, keyring=KEYRING)


def _flip(sealed: str, part: int, index: int) -> str:
    parts = sealed.split(".")
    raw = bytearray(base64.urlsafe_b64decode(parts[part] + "=" * (-len(parts[part]) % 4)))
    raw[index] ^= 0x01
    parts[part] = base64.urlsafe_b64encode(bytes(raw)).rstrip(b"=").decode()
    return ".".join(parts)


@pytest.mark.parametrize(("part", "index"), [(2, 0), (2, 11), (3, 0), (3, -1)])
def test_any_flipped_bit_is_refused(part: int, index: int) -> None:
    sealed = crypto.seal("secret", associated_data=AAD, keyring=KEYRING)
    with pytest.raises(crypto.DecryptionError):
        crypto.open_sealed(_flip(sealed, part, index), associated_data=AAD, keyring=KEYRING)


@pytest.mark.parametrize(
    "damaged",
    ["", "plain text", "v2.k-test.AAAA.AAAA", "v1.k-test.!!!.AAAA", "v1.k-test.AAAA", "v1.x.y.z.w"],
)
def test_damaged_values_are_refused_never_returned(damaged: str) -> None:
    with pytest.raises(crypto.DecryptionError):
        crypto.open_sealed(damaged, associated_data=AAD, keyring=KEYRING)


def test_value_sealed_with_a_key_not_in_the_keyring_is_refused() -> None:
    sealed = crypto.seal("secret", associated_data=AAD, keyring=crypto.new_keyring("k-other"))
    with pytest.raises(crypto.DecryptionError, match="not in the keyring"):
        crypto.open_sealed(sealed, associated_data=AAD, keyring=KEYRING)


def test_rotated_keyring_opens_old_values_and_seals_with_the_new_key() -> None:
    sealed = crypto.seal("old", associated_data=AAD, keyring=KEYRING)
    rotated = KEYRING.with_new_active_key("k-new")
    assert crypto.open_sealed(sealed, associated_data=AAD, keyring=rotated) == "old"
    assert crypto.key_id_of(crypto.seal("new", associated_data=AAD, keyring=rotated)) == "k-new"


@pytest.mark.parametrize(
    "mapping",
    [
        {},
        {"active": "a", "keys": {}},
        {"active": "a", "keys": {"b": base64.b64encode(b"x" * 32).decode()}},
        {"active": "a", "keys": {"a": base64.b64encode(b"short").decode()}},
        {"active": "a", "keys": {"a": "not base64!"}},
        {"active": "bad id!", "keys": {"bad id!": base64.b64encode(b"x" * 32).decode()}},
    ],
)
def test_malformed_keyrings_are_refused(mapping: dict[str, object]) -> None:
    with pytest.raises(crypto.KeyringError):
        crypto.Keyring.from_mapping(mapping)


def test_key_file_round_trip_is_owner_only(tmp_path: object) -> None:
    from pathlib import Path

    path = Path(str(tmp_path)) / "keys.json"
    crypto.write_key_file(path, KEYRING)
    assert path.stat().st_mode & 0o777 == 0o600
    assert crypto.read_key_file(path) == KEYRING
