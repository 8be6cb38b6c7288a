"""Publishing and rotating the public keys that verify signed tree heads (services).

Only public keys are written here; the private halves live in the key file or the environment
(safeshare.ledger.signing). A published key is never removed: after a rotation the old key is
marked retired (it signs nothing new) and stays published, so every old head still verifies.
"""

from __future__ import annotations

from django.db import transaction

from safeshare.core import clock
from safeshare.core.exceptions import Conflict, ValidationFailed
from safeshare.ledger.events import Event
from safeshare.ledger.lock import take_sequencer_lock
from safeshare.ledger.models import LedgerSigningKey
from safeshare.ledger.services import LedgerActor, ledger_append
from safeshare.ledger.signing import ALGORITHM, KEY_BYTES, key_id_for


class SigningKeyMismatch(Conflict):
    """A different public key is already published under this key id."""


def _published(public_key: bytes) -> tuple[LedgerSigningKey, bool]:
    if len(public_key) != KEY_BYTES:
        raise ValidationFailed(f"An Ed25519 public key is {KEY_BYTES} bytes", field="public_key")
    key_id = key_id_for(public_key)
    existing = LedgerSigningKey.objects.filter(pk=key_id).first()
    if existing is not None:
        if bytes(existing.public_key) != public_key:
            raise SigningKeyMismatch(f"another public key is already published as {key_id}")
        return existing, False
    key = LedgerSigningKey.objects.create(
        key_id=key_id, algorithm=ALGORITHM, public_key=public_key, created_at=clock.now()
    )
    return key, True


@transaction.atomic
def ledger_signing_key_publish(
    *, actor: LedgerActor | None, public_key: bytes, source: str = "generated"
) -> LedgerSigningKey:
    """Publish a public key (idempotent: an already published key is returned unchanged)."""
    key, created = _published(public_key)
    if created:
        ledger_append(
            event=Event.LEDGER_SIGNING_KEY_PUBLISHED,
            actor=actor,
            obj=key,
            details={"key_id": key.key_id, "algorithm": key.algorithm, "source": source},
        )
    return key


@transaction.atomic
def ledger_signing_key_rotate(
    *, actor: LedgerActor | None, new_public_key: bytes
) -> LedgerSigningKey:
    """Publish the new active key and retire every other key, in one transaction.

    Under the sequencer lock, so that no head is signed with a key after its retirement.
    """
    take_sequencer_lock()
    key, _created = _published(new_public_key)
    if key.retired_at is not None:
        raise Conflict(f"key {key.key_id} was retired; a retired key never signs again")
    others = LedgerSigningKey.objects.filter(retired_at__isnull=True).exclude(pk=key.pk)
    retired = sorted(others.values_list("key_id", flat=True))
    others.update(retired_at=clock.now())
    ledger_append(
        event=Event.LEDGER_SIGNING_KEY_ROTATED,
        actor=actor,
        obj=key,
        details={"key_id": key.key_id, "algorithm": key.algorithm, "retired": retired},
    )
    return key
