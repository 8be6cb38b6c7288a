"""Each entry stores its canonical bytes; the query columns are generated from them (ADR 16).

1. ``canonical`` is added and filled for existing rows with the Python encoder (encoding version
   1, unchanged: every leaf hash, node, signed head and proof stays valid). The append-only
   triggers refuse UPDATE, so they are dropped for the fill and created again at the end (a
   SQLite table remake drops them anyway).
2. The twelve query columns are dropped and added again as STORED columns the database generates
   from ``canonical`` (``models.CanonicalValue``), with the same names, indexes and uniqueness.
3. ``canonical`` becomes NOT NULL.

The reverse puts ordinary columns back, filled from ``canonical``.
"""

import datetime as dt
import json
import uuid

from django.db import migrations, models

import safeshare.ledger.models
from safeshare.ledger.encoding import EntryFields, canonical_bytes

TABLE = "ledger_ledgerentry"
BATCH = 2000
COLUMNS = (
    "entry_id",
    "occurred_at",
    "event_code",
    "actor_id",
    "actor_agency_id",
    "actor_roles",
    "subject_person_id",
    "subject_case_id",
    "object_type",
    "object_id",
    "purpose",
    "details",
)
INDEXES = (
    ("ledger_person_idx", ["subject_person_id", "occurred_at"]),
    ("ledger_case_idx", ["subject_case_id", "occurred_at"]),
    ("ledger_actor_idx", ["actor_id", "occurred_at"]),
    ("ledger_event_idx", ["event_code", "occurred_at"]),
)

# Migration 0002's triggers (its function ledger_refuse_change() is kept throughout).
SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER ledger_no_update BEFORE UPDATE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, 'ledger is append-only: UPDATE refused'); END;""",
    f"""CREATE TRIGGER ledger_no_delete BEFORE DELETE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, 'ledger is append-only: DELETE refused'); END;""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS ledger_no_update;",
    "DROP TRIGGER IF EXISTS ledger_no_delete;",
]
POSTGRES_TRIGGERS = [
    f"""CREATE TRIGGER ledger_no_update_delete BEFORE UPDATE OR DELETE ON {TABLE}
        FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();""",
    f"""CREATE TRIGGER ledger_no_truncate BEFORE TRUNCATE ON {TABLE}
        FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();""",
]
POSTGRES_DROP = [
    f"DROP TRIGGER IF EXISTS ledger_no_truncate ON {TABLE};",
    f"DROP TRIGGER IF EXISTS ledger_no_update_delete ON {TABLE};",
]


def _execute(schema_editor, statements_by_vendor):
    for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement, params=None)


def create_triggers(apps, schema_editor):
    _execute(schema_editor, {"sqlite": SQLITE_TRIGGERS, "postgresql": POSTGRES_TRIGGERS})


def drop_triggers(apps, schema_editor):
    _execute(schema_editor, {"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP})


def fill_canonical(apps, schema_editor):
    """``canonical`` for every existing row, from its columns, by the Python encoder."""
    drop_triggers(apps, schema_editor)
    entry = apps.get_model("ledger", "LedgerEntry")
    connection = schema_editor.connection
    rows = entry.objects.using(connection.alias).order_by("id").values_list("id", *COLUMNS)
    batch: list[tuple[str, int]] = []
    with connection.cursor() as cursor:
        for row in rows.iterator(chunk_size=BATCH):
            batch.append((canonical_bytes(EntryFields(*row[1:])).decode("ascii"), row[0]))
            if len(batch) == BATCH:
                cursor.executemany(f"UPDATE {TABLE} SET canonical = %s WHERE id = %s", batch)  # noqa: S608
                batch = []
        if batch:
            cursor.executemany(f"UPDATE {TABLE} SET canonical = %s WHERE id = %s", batch)  # noqa: S608


def _uuid(value):
    return uuid.UUID(value) if value is not None else None


def restore_columns(apps, schema_editor):
    """The reverse: the ordinary columns again, from ``canonical`` (triggers are dropped)."""
    drop_triggers(apps, schema_editor)
    entry = apps.get_model("ledger", "LedgerEntry")
    connection = schema_editor.connection
    entries = entry.objects.using(connection.alias).order_by("id").only("id", "canonical")
    batch = []
    for row in entries.iterator(chunk_size=BATCH):
        document = json.loads(row.canonical)
        row.entry_id = _uuid(document["id"])
        row.occurred_at = dt.datetime.strptime(document["at"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(
            tzinfo=dt.UTC
        )
        row.event_code = document["event"]
        row.actor_id = _uuid(document["actor"])
        row.actor_agency_id = _uuid(document["agency"])
        row.actor_roles = document["roles"]
        row.subject_person_id = _uuid(document["person"])
        row.subject_case_id = _uuid(document["case"])
        row.object_type = document["object_type"]
        row.object_id = document["object_id"]
        row.purpose = document["purpose"]
        row.details = json.dumps(
            document["details"], sort_keys=True, separators=(",", ":"), ensure_ascii=True
        )
        batch.append(row)
        if len(batch) == BATCH:
            entry.objects.using(connection.alias).bulk_update(batch, COLUMNS)
            batch = []
    if batch:
        entry.objects.using(connection.alias).bulk_update(batch, COLUMNS)


class AddGeneratedField(migrations.AddField):
    """AddField, but on SQLite always by a table remake: SQLite's ALTER TABLE ADD COLUMN cannot
    add a STORED generated column to a table that has rows (Django uses it for nullable ones)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "sqlite":
            super().database_forwards(app_label, schema_editor, from_state, to_state)
            return
        to_model = to_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, to_model):
            from_model = from_state.apps.get_model(app_label, self.model_name)
            field = to_model._meta.get_field(self.name)
            schema_editor._remake_table(from_model, create_field=field)


def _generated(key, kind, output_field, **options):
    return models.GeneratedField(
        db_persist=True,
        expression=safeshare.ledger.models.CanonicalValue(key, kind, output_field),
        output_field=output_field,
        **options,
    )


GENERATED = {
    "entry_id": _generated("id", "uuid", models.UUIDField(), unique=True),
    "occurred_at": _generated("at", "time", models.DateTimeField()),
    "event_code": _generated("event", "int", models.PositiveIntegerField()),
    "actor_id": _generated("actor", "uuid", models.UUIDField(null=True), null=True),
    "actor_agency_id": _generated("agency", "uuid", models.UUIDField(null=True), null=True),
    "actor_roles": _generated("roles", "text", models.TextField()),
    "subject_person_id": _generated("person", "uuid", models.UUIDField(null=True), null=True),
    "subject_case_id": _generated("case", "uuid", models.UUIDField(null=True), null=True),
    "object_type": _generated("object_type", "text", models.TextField()),
    "object_id": _generated("object_id", "text", models.TextField()),
    "purpose": _generated("purpose", "text", models.TextField()),
    "details": _generated("details", "json", models.TextField()),
}

# The columns that were NOT NULL, made nullable first so that the reverse can add them back to
# a table that has rows (and fill them) before they are NOT NULL again.
NULLABLE = {
    "entry_id": models.UUIDField(editable=False, null=True, unique=True),
    "occurred_at": models.DateTimeField(editable=False, null=True),
    "event_code": models.PositiveIntegerField(null=True),
    "actor_roles": models.CharField(blank=True, max_length=200, null=True),
    "object_type": models.CharField(blank=True, max_length=100, null=True),
    "object_id": models.CharField(blank=True, max_length=100, null=True),
    "purpose": models.CharField(blank=True, max_length=100, null=True),
    "details": models.TextField(null=True),
}


class Migration(migrations.Migration):
    dependencies = [("ledger", "0004_tree_append_only_triggers")]

    operations = [
        # Only the reverse does something here: 0002's triggers, after the last table remake.
        migrations.RunPython(migrations.RunPython.noop, create_triggers),
        migrations.AddField(
            model_name="ledgerentry",
            name="canonical",
            field=models.TextField(editable=False, null=True),
        ),
        *(
            migrations.AlterField(model_name="ledgerentry", name=name, field=field)
            for name, field in NULLABLE.items()
        ),
        migrations.RunPython(fill_canonical, restore_columns),
        *(migrations.RemoveIndex(model_name="ledgerentry", name=name) for name, _ in INDEXES),
        *(migrations.RemoveField(model_name="ledgerentry", name=name) for name in COLUMNS),
        *(
            AddGeneratedField(model_name="ledgerentry", name=name, field=field)
            for name, field in GENERATED.items()
        ),
        migrations.AlterField(
            model_name="ledgerentry",
            name="canonical",
            field=models.TextField(editable=False),
        ),
        *(
            migrations.AddIndex(
                model_name="ledgerentry", index=models.Index(fields=fields, name=name)
            )
            for name, fields in INDEXES
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
