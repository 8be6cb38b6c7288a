"""EncryptedTextField in the database: sealed at rest, bound to its row, tampering raises."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from safeshare.cases.models import InformationItem
from safeshare.core import crypto
from tests.factories import ItemFactory

pytestmark = pytest.mark.django_db


def _raw(item: InformationItem, column: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {column} FROM cases_informationitem WHERE id = %s",  # noqa: S608
            [item.pk.hex if connection.vendor == "sqlite" else item.pk],
        )
        return str(cursor.fetchone()[0])


def test_content_is_stored_sealed_and_reads_back_as_text() -> None:
    item = ItemFactory(content="The canary sang at 9am")
    stored = _raw(item, "content")
    assert stored.startswith("v1.")
    assert "canary" not in stored
    assert InformationItem.objects.get(pk=item.pk).content == "The canary sang at 9am"


def test_ciphertext_copied_to_another_row_fails_to_open() -> None:
    first = ItemFactory(content="first")
    second = ItemFactory(content="second")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE cases_informationitem SET content = %s WHERE id = %s",
            [_raw(first, "content"), second.pk.hex if connection.vendor == "sqlite" else second.pk],
        )
    moved = InformationItem.objects.get(pk=second.pk)
    with pytest.raises(crypto.DecryptionError):
        _ = moved.content


def test_ciphertext_copied_to_another_column_fails_to_open() -> None:
    item = ItemFactory(summary="summary text", content="content text")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE cases_informationitem SET summary = content WHERE id = %s",
            [item.pk.hex if connection.vendor == "sqlite" else item.pk],
        )
    with pytest.raises(crypto.DecryptionError):
        _ = InformationItem.objects.get(pk=item.pk).summary


def test_tampered_value_raises_instead_of_returning_stored_text() -> None:
    item = ItemFactory(content="original")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE cases_informationitem SET content = %s WHERE id = %s",
            [
                "plain text an attacker wrote",
                item.pk.hex if connection.vendor == "sqlite" else item.pk,
            ],
        )
    with pytest.raises(crypto.DecryptionError):
        _ = InformationItem.objects.get(pk=item.pk).content


def test_encrypted_columns_cannot_be_filtered_or_updated_with_plaintext() -> None:
    from django.core.exceptions import FieldError

    ItemFactory(content="x")
    with pytest.raises(FieldError):
        list(InformationItem.objects.filter(content="x"))
    with pytest.raises(TypeError, match="encrypted"):
        InformationItem.objects.update(content="plaintext")


def test_empty_text_is_sealed_too() -> None:
    item = ItemFactory(source="")
    assert _raw(item, "source").startswith("v1.")
    assert InformationItem.objects.get(pk=item.pk).source == ""


SEED_AND_WRITE_CANARY = """
from django.db import transaction
from safeshare.agencies.services import agency_create, practitioner_create
from safeshare.people.services import person_create, address_add
from safeshare.cases.services import case_create, item_create
import datetime as dt
with transaction.atomic():
    agency = agency_create(actor=None, name="Canary Agency", agency_type="school",
                           local_authority_area="Fakeshire")
    worker = practitioner_create(actor=None, agency=agency, username="canary.worker",
                                 given_name="Canary", family_name="Worker")
    child = person_create(actor=None, agency=agency, family_name="Testington",
                          given_name="Fakechild", date_of_birth=dt.date(2017, 1, 2))
    address_add(actor=None, person=child, lines="CANARY-ADDRESS-7731 Nowhere Lane",
                postcode="ZZ99 3CZ", is_protected=True)
    case = case_create(actor=None, agency=agency, subject=child, status="child_in_need",
                       allocate=worker)
    item_create(actor=worker, case=case, category="child", summary="CANARY-SUMMARY-5521",
                content="CANARY-CONTENT-9043", fact_or_opinion="fact",
                source="CANARY-SOURCE-1187", how_known="observed",
                event_date=dt.date(2026, 1, 5))
print("written")
"""


def test_raw_sqlite_file_holds_no_plaintext_of_encrypted_canaries(tmp_path: Path) -> None:
    """End to end through a real SQLite file (and its WAL): grep finds no canary plaintext."""
    keyring = crypto.new_keyring("k-canary")
    env = {
        **os.environ,
        "SAFESHARE_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "SAFESHARE_KEYS": json.dumps(keyring.to_mapping()),
        "DATABASE_URL": "",
    }
    root = Path(__file__).resolve().parents[2]
    manage = [sys.executable, str(root / "manage.py")]
    subprocess.run(
        [*manage, "migrate", "--noinput"], env=env, check=True, cwd=root, capture_output=True
    )
    done = subprocess.run(
        [*manage, "shell", "-c", SEED_AND_WRITE_CANARY],
        env=env,
        check=True,
        cwd=root,
        capture_output=True,
        text=True,
    )
    assert "written" in done.stdout
    files = [p for p in tmp_path.iterdir() if p.name.startswith("safeshare.sqlite3")]
    raw = b"".join(p.read_bytes() for p in files)
    assert b"Fakechild" in raw  # names are deliberately searchable: the grep itself works
    for canary in (
        b"CANARY-CONTENT-9043",
        b"CANARY-SUMMARY-5521",
        b"CANARY-SOURCE-1187",
        b"CANARY-ADDRESS-7731",
        b"ZZ99 3CZ",
    ):
        assert canary not in raw, canary


def test_a_value_sealed_under_a_key_loaded_elsewhere_opens_after_one_reload(
    settings: object,
) -> None:
    """Another process rotated the keys: this one re-reads the keyring once instead of failing."""
    from safeshare.core import keys
    from safeshare.core.fields import associated_data

    item = ItemFactory(content="before rotation")
    old_ring = keys.keyring()
    new_ring = old_ring.with_new_active_key("k-rotated")
    field = InformationItem._meta.get_field("content")
    sealed = crypto.seal(
        "after rotation", associated_data=associated_data(item, field), keyring=new_ring
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE cases_informationitem SET content = %s WHERE id = %s",
            [sealed, item.pk.hex if connection.vendor == "sqlite" else item.pk],
        )
    settings.SAFESHARE_KEYS = new_ring.to_mapping()  # type: ignore[attr-defined]
    try:
        assert InformationItem.objects.get(pk=item.pk).content == "after rotation"
        assert keys.keyring().active_id == "k-rotated"
    finally:
        keys.reset_cache(old_ring)
