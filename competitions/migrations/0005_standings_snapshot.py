"""The standings snapshot (competitions.services.standings) and the watermark it is checked against.

`Entry.standings_seq` is written by the database alone: a row trigger adds one whenever a field the standings read
(skill, unit, status, 工位号, completion time, theory score, practical, total, module scores) changes, and keeps it unchanged
otherwise, whatever the UPDATE says. A skill's (count, sum) of these changes with every committed change of its
entries, so comparing them with the snapshot's watermark costs the mark path nothing: no query, no shared row.

PostgreSQL: a BEFORE UPDATE trigger sets NEW.standings_seq. SQLite (recursive triggers off, Django's default): an
AFTER UPDATE trigger writes the row's counter again.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

WATCHED = ("skill_id", "unit_id", "status", "workstation_no", "completion_time", "theory_score", "practical", "total",
           "module_scores")
PG_CHANGED = " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in WATCHED)
SQLITE_CHANGED = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in WATCHED)

PG_CREATE = f"""
CREATE OR REPLACE FUNCTION competitions_entry_standings_seq() RETURNS trigger AS $$
BEGIN
    IF {PG_CHANGED} THEN
        NEW.standings_seq := OLD.standings_seq + 1;
    ELSE
        NEW.standings_seq := OLD.standings_seq;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS competitions_entry_standings_seq ON competitions_entry;
CREATE TRIGGER competitions_entry_standings_seq BEFORE UPDATE ON competitions_entry
    FOR EACH ROW EXECUTE FUNCTION competitions_entry_standings_seq();
"""
PG_DROP = """
DROP TRIGGER IF EXISTS competitions_entry_standings_seq ON competitions_entry;
DROP FUNCTION IF EXISTS competitions_entry_standings_seq();
"""
# Column names from the constant above, nothing from input.
SQLITE_CREATE = f"""
CREATE TRIGGER IF NOT EXISTS competitions_entry_standings_seq AFTER UPDATE ON competitions_entry
FOR EACH ROW WHEN NEW.standings_seq IS NOT OLD.standings_seq OR {SQLITE_CHANGED}
BEGIN
    UPDATE competitions_entry SET standings_seq = OLD.standings_seq + (CASE WHEN {SQLITE_CHANGED} THEN 1 ELSE 0 END)
    WHERE id = NEW.id;
END;
"""  # noqa: S608
SQLITE_DROP = "DROP TRIGGER IF EXISTS competitions_entry_standings_seq;"


def create(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_CREATE, params=None)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_CREATE, params=None)


def drop(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_DROP, params=None)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_DROP, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ('competitions', '0004_theory_absent'),
    ]

    operations = [
        migrations.CreateModel(
            name='StandingsSnapshot',
            fields=[
                ('skill', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='standings_snapshot', serialize=False, to='competitions.skill')),
                ('version', models.PositiveBigIntegerField(default=0)),
                ('content_hash', models.CharField(blank=True, max_length=64)),
                ('watermark_count', models.BigIntegerField(default=-1)),
                ('watermark_seq', models.BigIntegerField(default=-1)),
                ('config_key', models.CharField(blank=True, max_length=64)),
                ('modules', models.JSONField(default=list)),
                ('rows', models.JSONField(default=list)),
                ('built_at', models.DateTimeField(null=True)),
                ('check_status', models.CharField(choices=[('unchecked', '未核对'), ('agrees', '与重算一致'), ('mismatch', '与重算不一致')], default='unchecked', max_length=20)),
                ('checked_at', models.DateTimeField(null=True)),
                ('check_scope', models.CharField(blank=True, max_length=100)),
                ('mismatches', models.JSONField(default=list)),
            ],
            options={
                'verbose_name': '成绩快照',
                'verbose_name_plural': '成绩快照',
            },
        ),
        migrations.AddField(
            model_name='entry',
            name='standings_seq',
            field=models.PositiveBigIntegerField(default=0, editable=False),
        ),
        migrations.AddIndex(
            model_name='entry',
            index=models.Index(fields=['skill', 'standings_seq'], name='entry_skill_standings_seq_idx'),
        ),
        migrations.RunPython(create, drop),
    ]
