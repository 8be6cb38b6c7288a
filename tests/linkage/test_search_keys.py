"""Blocking keys survive one or two errors; the blind index hides them behind a keyed hash."""

from __future__ import annotations

from typing import Any

import pytest

from safeshare.core.crypto import new_keyring
from safeshare.linkage.features import make_features
from safeshare.linkage.search_keys import (
    HASH_CHARS,
    blind,
    blocking_keys,
    entry_keys,
    index_key,
    query_keys,
)

RECORD: dict[str, Any] = {
    "given_name": "Elizabeth",
    "family_name": "Fakeworth",
    "date_of_birth": "2015-03-04",
    "sex": "F",
    "postcode": "ZZ1 2AB",
    "nhs_number": "9990000018",
}


def _features(**changes: Any) -> Any:
    return make_features(**{**RECORD, **changes})


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"nhs_number": None},
        {"given_name": "Lizzie", "nhs_number": None},
        {"family_name": "Fakewroth", "nhs_number": None},
        {"family_name": "Mockby", "nhs_number": None},
        {"date_of_birth": "2015-04-03", "nhs_number": None},
        {"date_of_birth": "2015-03-14", "nhs_number": None},
        {"date_of_birth": "2016-03-04", "postcode": "ZZ1 9XY", "nhs_number": None},
        {"given_name": "Fakeworth", "family_name": "Elizabeth", "nhs_number": None},
        {"postcode": "ZZ7 1QQ", "given_name": "Beth", "nhs_number": None},
        {"date_of_birth": None, "family_name": "Fakewoth", "nhs_number": None},
        {"given_name": "Elisabeth", "family_name": "Fakewort", "nhs_number": None},
    ],
)
def test_a_query_with_one_or_two_errors_shares_a_key_with_the_record(
    changes: dict[str, Any],
) -> None:
    record = _features()
    query = _features(**changes)
    assert query_keys(query) & blocking_keys(record)


def test_a_different_person_shares_no_key() -> None:
    other = make_features(
        given_name="Omar",
        family_name="Mockbleton",
        date_of_birth="2012-11-20",
        sex="M",
        postcode="ZZ9 4PQ",
        nhs_number=None,
    )
    assert not query_keys(other) & blocking_keys(_features())


def test_missing_details_make_no_weak_keys() -> None:
    keys = blocking_keys(
        make_features(
            given_name=None,
            family_name="Fakeworth",
            date_of_birth=None,
            sex=None,
            postcode=None,
            nhs_number=None,
        )
    )
    assert keys == set()


def test_an_entry_has_the_keys_of_every_variant() -> None:
    current, previous = _features(), _features(family_name="Mockby")
    assert entry_keys([current, previous]) == blocking_keys(current) | blocking_keys(previous)


def test_blind_keys_are_fixed_length_hashes_that_reveal_nothing() -> None:
    ring = new_keyring("k1")
    hashed = blind(blocking_keys(_features()), index_key(ring, "k1"))
    assert all(len(h) == HASH_CHARS and int(h, 16) >= 0 for h in hashed)
    assert not any("fakeworth" in h or "2015" in h for h in hashed)
    assert hashed == blind(blocking_keys(_features()), index_key(ring, "k1"))


def test_another_key_gives_other_hashes() -> None:
    keys = blocking_keys(_features())
    first = blind(keys, index_key(new_keyring("k1"), "k1"))
    second = blind(keys, index_key(new_keyring("k1"), "k1"))
    assert not set(first) & set(second)


def test_the_index_key_is_not_the_encryption_key() -> None:
    ring = new_keyring("k1")
    assert index_key(ring, "k1") != ring.keys["k1"]
