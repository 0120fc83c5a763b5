"""Refuse UPDATE and DELETE of certificate history rows (`CertificateEvent`) in the database itself, as the audit
entries are (audit/migrations/0002_append_only_triggers.py): a certificate's history is evidence, like the log.

PostgreSQL: a row trigger on UPDATE and DELETE (TRUNCATE, which only a database owner's maintenance or Django's
test flush issues, is not a row operation and is not blocked). SQLite: an UPDATE trigger only, as for the audit
entries: a DELETE trigger there would also block Django's test flush, which deletes every table's rows one table
at a time in no fixed order; a DELETE through Django is refused there by the model and its queryset
(certification.models.CertificateEvent).
"""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

PG_CREATE = """
CREATE OR REPLACE FUNCTION certificate_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'certificate events are append-only (% refused on event %)', TG_OP, OLD.id
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS certificate_event_append_only ON certification_certificateevent;
CREATE TRIGGER certificate_event_append_only BEFORE UPDATE OR DELETE ON certification_certificateevent
    FOR EACH ROW EXECUTE FUNCTION certificate_event_append_only();
"""
PG_DROP = """
DROP TRIGGER IF EXISTS certificate_event_append_only ON certification_certificateevent;
DROP FUNCTION IF EXISTS certificate_event_append_only();
"""
SQLITE_CREATE = """
CREATE TRIGGER IF NOT EXISTS certification_certificateevent_no_update BEFORE UPDATE ON certification_certificateevent
BEGIN SELECT RAISE(ABORT, 'certificate events are append-only'); END;
"""
SQLITE_DROP = "DROP TRIGGER IF EXISTS certification_certificateevent_no_update;"


def create(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_CREATE, params=None)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_CREATE)


def drop(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_DROP)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_DROP)


class Migration(migrations.Migration):
    dependencies = [("certification", "0007_certificates")]
    operations = [migrations.RunPython(create, drop)]
