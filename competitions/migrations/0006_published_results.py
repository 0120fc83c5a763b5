"""Published results frozen at publication (issue 9 item 3; competitions.services.results) and the start of the
review period (公示开始) that the printable notice names (issue 10 item 5).

`PublishedResults` rows are append-only: a trigger refuses UPDATE and DELETE on PostgreSQL, UPDATE on SQLite (a
DELETE trigger there would block Django's test flush, as for the audit tables in audit 0005).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

TABLE = "competitions_publishedresults"
PG_CREATE = f"""
CREATE OR REPLACE FUNCTION competitions_published_results_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% is append-only (% refused)', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE};
CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION competitions_published_results_append_only();
"""
PG_DROP = f"""
DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE};
DROP FUNCTION IF EXISTS competitions_published_results_append_only();
"""
SQLITE_CREATE = (f"CREATE TRIGGER IF NOT EXISTS {TABLE}_no_update BEFORE UPDATE ON {TABLE} "
                 f"BEGIN SELECT RAISE(ABORT, '{TABLE} is append-only'); END")
SQLITE_DROP = f"DROP TRIGGER IF EXISTS {TABLE}_no_update"


def create(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_CREATE, params=None)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_CREATE)


def drop(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_DROP, params=None)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_DROP)


class Migration(migrations.Migration):

    dependencies = [
        ('competitions', '0005_standings_snapshot'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='skill',
            name='review_from',
            field=models.DateTimeField(blank=True, null=True, verbose_name='公示开始'),
        ),
        migrations.CreateModel(
            name='PublishedResults',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('version', models.PositiveIntegerField(verbose_name='版本')),
                ('published_at', models.DateTimeField(verbose_name='公布时间')),
                ('document', models.JSONField()),
                ('content_hash', models.CharField(max_length=64)),
                ('reason', models.TextField(blank=True, verbose_name='更正原因')),
                ('correction', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='competitions.markcorrection')),
                ('published_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('skill', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='published_versions', to='competitions.skill')),
            ],
            options={
                'verbose_name': '公布成绩',
                'verbose_name_plural': '公布成绩',
                'ordering': ['skill', 'version'],
                'constraints': [models.UniqueConstraint(fields=('skill', 'version'), name='published_results_version_once'), models.CheckConstraint(condition=models.Q(('version__gte', 1)), name='published_results_version_positive'), models.CheckConstraint(condition=models.Q(('version', 1), models.Q(('reason', ''), _negated=True), _connector='OR'), name='published_results_correction_reason')],
            },
        ),
        migrations.RunPython(create, drop),
    ]
