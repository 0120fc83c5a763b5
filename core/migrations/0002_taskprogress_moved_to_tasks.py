# TaskProgress moved to the tasks app. Only the migration state changes here: the table stays and the tasks
# app's 0001 takes it over (and renames it), so no row is lost.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0001_initial"),
        ("tasks", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="TaskProgress")],
            database_operations=[],
        ),
    ]
