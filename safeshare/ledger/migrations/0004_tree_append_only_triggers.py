"""The database refuses UPDATE and DELETE on the tree's tables (and TRUNCATE on PostgreSQL).

Leaves, nodes and signed tree heads are only ever inserted. A signing key's row may change in one
way only: retiring it (``retired_at`` set once, from empty); any other UPDATE and every DELETE is
refused, so a published public key can never be swapped for another under the same id.
"""

from django.db import migrations

APPEND_ONLY_TABLES = ("ledger_merklenode", "ledger_ledgerleaf", "ledger_signedtreehead")
KEY_TABLE = "ledger_ledgersigningkey"

SQLITE_FORWARD = [
    *(
        statement
        for table in APPEND_ONLY_TABLES
        for statement in (
            f"""CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
                BEGIN SELECT RAISE(ABORT, 'ledger is append-only: UPDATE refused'); END;""",
            f"""CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}
                BEGIN SELECT RAISE(ABORT, 'ledger is append-only: DELETE refused'); END;""",
        )
    ),
    f"""CREATE TRIGGER {KEY_TABLE}_no_update BEFORE UPDATE OF key_id, algorithm, public_key,
        created_at ON {KEY_TABLE}
        BEGIN SELECT RAISE(ABORT, 'ledger signing keys: only retiring a key is allowed'); END;""",
    f"""CREATE TRIGGER {KEY_TABLE}_retire_once BEFORE UPDATE OF retired_at ON {KEY_TABLE}
        WHEN OLD.retired_at IS NOT NULL OR NEW.retired_at IS NULL
        BEGIN SELECT RAISE(ABORT, 'ledger signing keys: a key is retired once'); END;""",
    f"""CREATE TRIGGER {KEY_TABLE}_no_delete BEFORE DELETE ON {KEY_TABLE}
        BEGIN SELECT RAISE(ABORT, 'ledger signing keys: DELETE refused'); END;""",
]
SQLITE_BACKWARD = [
    *(
        f"DROP TRIGGER IF EXISTS {table}_{what};"
        for table in APPEND_ONLY_TABLES
        for what in ("no_update", "no_delete")
    ),
    f"DROP TRIGGER IF EXISTS {KEY_TABLE}_no_update;",
    f"DROP TRIGGER IF EXISTS {KEY_TABLE}_retire_once;",
    f"DROP TRIGGER IF EXISTS {KEY_TABLE}_no_delete;",
]

# ledger_refuse_change() is migration 0002's function: it raises for whatever operation fired it.
POSTGRES_FORWARD = [
    *(
        statement
        for table in APPEND_ONLY_TABLES
        for statement in (
            f"""CREATE TRIGGER {table}_no_update_delete BEFORE UPDATE OR DELETE ON {table}
                FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();""",
            f"""CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
                FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();""",
        )
    ),
    """CREATE OR REPLACE FUNCTION ledger_signing_key_guard() RETURNS trigger AS $$
       BEGIN
         IF TG_OP = 'UPDATE' THEN
           IF NEW.key_id = OLD.key_id AND NEW.algorithm = OLD.algorithm
              AND NEW.public_key = OLD.public_key AND NEW.created_at = OLD.created_at
              AND OLD.retired_at IS NULL AND NEW.retired_at IS NOT NULL THEN
             RETURN NEW;
           END IF;
         END IF;
         RAISE EXCEPTION 'ledger signing keys: % refused (only retiring a key is allowed)', TG_OP
           USING ERRCODE = 'insufficient_privilege';
       END;
       $$ LANGUAGE plpgsql;""",
    f"""CREATE TRIGGER {KEY_TABLE}_guard BEFORE UPDATE OR DELETE ON {KEY_TABLE}
        FOR EACH ROW EXECUTE FUNCTION ledger_signing_key_guard();""",
    f"""CREATE TRIGGER {KEY_TABLE}_no_truncate BEFORE TRUNCATE ON {KEY_TABLE}
        FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();""",
]
POSTGRES_BACKWARD = [
    f"DROP TRIGGER IF EXISTS {KEY_TABLE}_no_truncate ON {KEY_TABLE};",
    f"DROP TRIGGER IF EXISTS {KEY_TABLE}_guard ON {KEY_TABLE};",
    "DROP FUNCTION IF EXISTS ledger_signing_key_guard();",
    *(
        f"DROP TRIGGER IF EXISTS {table}_{what} ON {table};"
        for table in APPEND_ONLY_TABLES
        for what in ("no_truncate", "no_update_delete")
    ),
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("ledger", "0003_merkle_tree")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
