"""The sequencer lock: one writer of the tree (and of the signing keys' state) at a time.

PostgreSQL: a transaction-scoped advisory lock, released at commit or rollback. SQLite: the
database's write lock, which a transaction in our settings' ``IMMEDIATE`` mode holds from its
first statement; without that mode the lock would come only at the first write, after the reads
it must protect, so the sequencer refuses to run.
"""

from __future__ import annotations

from django.db import connection

# Any constant no other code uses as a pg_advisory_xact_lock key ("SafeShare sequencer").
ADVISORY_LOCK_KEY = 0x5AFE_5E9_0001


class SequencerLockUnavailable(Exception):
    """This database cannot give the sequencer its lock as configured."""


def take_sequencer_lock() -> None:
    """Call inside ``transaction.atomic()``; the lock lasts until the transaction ends."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK_KEY])
        return
    if connection.vendor == "sqlite":
        mode = connection.settings_dict.get("OPTIONS", {}).get("transaction_mode")
        if str(mode or "").upper() != "IMMEDIATE":
            raise SequencerLockUnavailable(
                "on SQLite the sequencer needs OPTIONS['transaction_mode'] = 'IMMEDIATE', so that "
                "its transaction holds the write lock from the start"
            )
        return
    raise SequencerLockUnavailable(f"the sequencer does not support {connection.vendor}")
