"""Drop the hash chain's columns and head row, and guard the new tables (DESIGN.md "Audit at scale").

Triggers refuse UPDATE and DELETE of entries, leaves and heads in the database itself: on PostgreSQL for both (one
function for the three tables, replacing 0002's, which named the dropped seq column); on SQLite for UPDATE (a DELETE
trigger there would also block Django's test flush, which deletes rows one table at a time; dropping the old
columns rebuilds the entries table on SQLite, so its trigger is created again here). TRUNCATE is not a row
operation: the production role is refused it by its grants (README, "Production").

PostgreSQL also gets the entries' `txid` column: the id of the writing transaction, filled by its default (so the
writer's INSERT does not name it) and indexed, which lets the sealer find late commits without scanning every
entry (audit/sealing.py). On existing rows it holds this migration's transaction id; they are all sealed already.
"""

from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

TABLES = ("audit_auditentry", "audit_auditleaf", "audit_audittreehead")

PG_CREATE = """
DROP TRIGGER IF EXISTS audit_entry_append_only ON audit_auditentry;
DROP FUNCTION IF EXISTS audit_entry_append_only();
CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% is append-only (% refused)', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
""" + "".join(f"""
DROP TRIGGER IF EXISTS {table}_append_only ON {table};
CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION audit_append_only();
""" for table in TABLES) + """
ALTER TABLE audit_auditentry ADD COLUMN IF NOT EXISTS txid xid8 NOT NULL DEFAULT pg_current_xact_id();
CREATE INDEX IF NOT EXISTS audit_auditentry_txid_idx ON audit_auditentry (txid);
"""
# Backwards: 0002's trigger again (it names seq, which the reversed RemoveField restores right after).
PG_DROP = "".join(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};\n" for table in TABLES) + """
DROP FUNCTION IF EXISTS audit_append_only();
ALTER TABLE audit_auditentry DROP COLUMN IF EXISTS txid;
CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit entries are append-only (% refused on entry %)', TG_OP, OLD.seq
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only();
"""
SQLITE_CREATE = ["DROP TRIGGER IF EXISTS audit_entry_no_update"] + [
    f"CREATE TRIGGER IF NOT EXISTS {table}_no_update BEFORE UPDATE ON {table} "
    f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
    for table in TABLES
]


def create(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_CREATE, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_CREATE:
            schema_editor.execute(statement)


def drop(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Backwards (development only). On SQLite the reversed RemoveField rebuilds the entries table afterwards,
    which drops its trigger; migrating forwards again creates it."""
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_DROP, params=None)
    elif vendor == "sqlite":
        for table in TABLES:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_seal_legacy_chain")]
    operations = [
        migrations.DeleteModel(
            name='AuditChainHead',
        ),
        migrations.AlterModelOptions(
            name='auditentry',
            options={'ordering': ['id'], 'verbose_name': '审计记录', 'verbose_name_plural': '审计记录'},
        ),
        migrations.RemoveIndex(
            model_name='auditentry',
            name='audit_target_idx',
        ),
        migrations.RemoveField(
            model_name='auditentry',
            name='hash',
        ),
        migrations.RemoveField(
            model_name='auditentry',
            name='prev_hash',
        ),
        migrations.RemoveField(
            model_name='auditentry',
            name='seq',
        ),
        migrations.AddIndex(
            model_name='auditentry',
            index=models.Index(fields=['target_type', 'target_id', 'id'], name='audit_target_id_idx'),
        ),
        migrations.RunPython(create, drop),
    ]
