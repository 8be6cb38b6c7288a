"""Blocking keys for identity search, and the blind index that stores them (pure: no Django).

A search looks up candidates by *blocking keys*: short combinations of features that the right
record very probably shares with the query even when one or two details are wrong. Each key
tolerates a different kind of error:

=========  ==========================================  =====================================
tag        made of                                     still found when wrong or missing
=========  ==========================================  =====================================
``n``      NHS number                                  everything but the NHS number
``di``     date of birth, given and family initials    typos after the first letter, nicknames
``df``     date of birth, family name                  the given name
``dg``     date of birth, formal given name            the family name (a new or misspelt one)
``fgy``    family name, formal given name, birth year  day or month of birth, postcode
``fgd``    family name, formal given name, district    year of birth
``pg``     postcode, formal given name                 family name and date of birth
``pd``     postcode, date of birth                     both names
``pf``     postcode, family name                       given name and date of birth
=========  ==========================================  =====================================

A query also looks up the keys of its likely mistakes (``query_keys``): the date with day and
month swapped, and given and family names swapped, so those errors cost nothing at index time.

**The blind index.** Keys are never stored as text: each is an HMAC-SHA256 of the key text,
truncated to 128 bits (32 hex characters), under an index key derived (HKDF-SHA256) from a key of
SafeShare's encryption keyring. Equal keys give equal hashes, so the database can find candidates
by equality, but the stored hashes say nothing about the names, dates or postcodes they came from
to anyone without the keyring (a dictionary attack needs the key). Entries are hashed under the
keyring's active key; queries are hashed under every key in the keyring, so after a key rotation
search keeps finding entries indexed under the previous key until the index is rebuilt. Rebuild
the index (``search_index_rebuild``) after rotating keys and before retiring the old key: entries
still hashed under a retired key can no longer be found.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Mapping
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from safeshare.core.crypto import Keyring
from safeshare.linkage.features import Features, make_features

HASH_CHARS = 32  # hex characters kept of the HMAC (128 bits)
_INDEX_KEY_INFO = b"safeshare identity search blind index v1"


def _initial(value: str | None) -> str | None:
    return value[0] if value else None


def _key(tag: str, *parts: object) -> str | None:
    """``tag|part|part``, or None when any part is missing (no key rather than a weak one)."""
    if any(part is None or part == "" for part in parts):
        return None
    return "|".join((tag, *(str(part) for part in parts)))


def blocking_keys(features: Mapping[str, Any]) -> set[str]:
    """The blocking keys of one set of features (a record's or a query's), as text."""
    f = features
    given = f.get("given_canonical")
    family = f.get("family_name")
    dob = f.get("dob")
    postcode = f.get("postcode")
    keys = {
        _key("n", f.get("nhs_number")),
        _key("di", dob, _initial(given), _initial(family)),
        _key("df", dob, family),
        _key("dg", dob, given),
        _key("fgy", family, given, f.get("birth_year")),
        _key("fgd", family, given, f.get("postcode_district")),
        _key("pg", postcode, given),
        _key("pd", postcode, dob),
        _key("pf", postcode, family),
    }
    keys.discard(None)
    return keys  # type: ignore[return-value]


def _with(features: Mapping[str, Any], **changes: Any) -> dict[str, Any]:
    return {**features, **changes}


def query_keys(features: Mapping[str, Any]) -> set[str]:
    """The keys a query looks up: its own, those with day and month of birth swapped, and those
    with given and family names swapped."""
    keys = blocking_keys(features)
    swapped = features.get("dob_swapped")
    if swapped:
        keys |= blocking_keys(_with(features, dob=swapped))
    if features.get("given_name") and features.get("family_name"):
        names_swapped = make_features(
            given_name=features["family_name"],
            family_name=features["given_name"],
            date_of_birth=features.get("dob"),
            sex=None,
            postcode=features.get("postcode"),
            nhs_number=features.get("nhs_number"),
        )
        keys |= blocking_keys(names_swapped)
    return keys


def entry_keys(variants: Iterable[Features | Mapping[str, Any]]) -> set[str]:
    """The keys of a search entry: those of each of its variants (previous names, addresses)."""
    keys: set[str] = set()
    for variant in variants:
        keys |= blocking_keys(variant)
    return keys


# --- The blind index ------------------------------------------------------------------------------


def index_key(keyring: Keyring, key_id: str) -> bytes:
    """The blind index's HMAC key, derived from keyring key ``key_id`` (never the key itself)."""
    return HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=key_id.encode(),
        info=_INDEX_KEY_INFO,
    ).derive(keyring.keys[key_id])


def blind(keys: Iterable[str], secret: bytes) -> list[str]:
    """Each key as its keyed hash (sorted, so the same keys always give the same list)."""
    return sorted(
        {hmac.new(secret, key.encode(), hashlib.sha256).hexdigest()[:HASH_CHARS] for key in keys}
    )
