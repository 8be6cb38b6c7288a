"""Key rotation: find every encrypted column, count values per key, re-seal under the active key.

Re-sealing opens each value with whichever key sealed it (so the old key must still be in the
keyring) and seals it again with the active key, bound to the same row and column. Values already
under the active key are left alone, so an interrupted run can simply be repeated. No ledger here
(core sits below the ledger): the caller records the rotation.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.db import models, transaction

from safeshare.core import crypto, keys
from safeshare.core.fields import EncryptedTextField, Sealed, reseal

Progress = Callable[[str, int, int], None]  # (model label, rows done, rows in total)

BATCH_SIZE = 500
NOT_SEALED = "(not a sealed value)"


def encrypted_fields() -> list[tuple[type[models.Model], list[EncryptedTextField]]]:
    """Every concrete model with encrypted columns, and those columns, in a stable order."""
    found: list[tuple[type[models.Model], list[EncryptedTextField]]] = []
    for model in apps.get_models():
        meta = model._meta
        if meta.proxy or not meta.managed:
            continue
        fields = [f for f in meta.local_concrete_fields if isinstance(f, EncryptedTextField)]
        if fields:
            found.append((model, fields))
    return sorted(found, key=lambda pair: pair[0]._meta.label)


def sealed_value_counts() -> Counter[str]:
    """How many stored values each key id seals (read from the values, never decrypted)."""
    counts: Counter[str] = Counter()
    for model, fields in encrypted_fields():
        for field in fields:
            values = model._base_manager.values_list(field.attname, flat=True)
            for value in values.iterator(chunk_size=2000):
                if value is None:
                    continue
                try:
                    counts[crypto.key_id_of(value)] += 1
                except crypto.DecryptionError:
                    counts[NOT_SEALED] += 1
    return counts


def _needs_reseal(stored: Any, active_id: str) -> bool:
    if stored is None:
        return False
    if isinstance(stored, Sealed):
        try:
            return crypto.key_id_of(stored) != active_id
        except crypto.DecryptionError:
            return True  # opening it will raise, which is what should happen
    return True


def reseal_model(
    model: type[models.Model],
    fields: list[EncryptedTextField],
    *,
    progress: Progress | None = None,
    batch_size: int = BATCH_SIZE,
) -> int:
    """Re-seal one model's values that are not under the active key; returns how many."""
    active_id = keys.keyring().active_id
    manager = model._base_manager
    total = manager.count()
    attnames = [f.attname for f in fields]
    done = 0
    resealed = 0
    last_pk: Any = None
    while True:
        rows = manager.order_by("pk").only("pk", *attnames)
        if last_pk is not None:
            rows = rows.filter(pk__gt=last_pk)
        batch = list(rows[:batch_size])
        if not batch:
            break
        for row in batch:
            updates = {
                field.attname: reseal(row, field)
                for field in fields
                if _needs_reseal(row.__dict__.get(field.attname), active_id)
            }
            if updates:
                manager.filter(pk=row.pk).update(**updates)
                resealed += len(updates)
        done += len(batch)
        last_pk = batch[-1].pk
        if progress is not None:
            progress(model._meta.label, done, total)
    return resealed


def reseal_all(
    *,
    progress: Progress | None = None,
    record: Callable[[str, int], None] | None = None,
) -> dict[str, int]:
    """Re-seal every encrypted value under the active key, one transaction per model.

    ``record(model label, count)`` runs inside each model's transaction (the caller appends its
    ledger entry there, so the re-sealing and its record commit together). Returns the number of
    values re-sealed per model label.
    """
    results: dict[str, int] = {}
    for model, fields in encrypted_fields():
        with transaction.atomic():
            results[model._meta.label] = reseal_model(model, fields, progress=progress)
            if record is not None:
                record(model._meta.label, results[model._meta.label])
    return results
