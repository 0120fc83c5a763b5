"""A blinding salt on each new audit entry, covered by its leaf (audit.chain; issue 9 item 1).

Nullable, with no default: SQLite then adds the column with ALTER TABLE ADD COLUMN instead of rebuilding the table,
so the entries' append-only trigger (migration 0005) stays; PostgreSQL adds a nullable column without rewriting the
table. Entries written before have no salt and their leaves hash as they were sealed.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("audit", "0005_drop_legacy_chain")]
    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="salt",
            field=models.CharField(blank=True, editable=False, max_length=32, null=True),
        ),
    ]
