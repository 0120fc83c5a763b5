"""The standings watermark also follows a recorded theory absence (缺考).

The results show an absent entrant's theory as 缺考 (DESIGN.md "Marking scheme"), so recording or clearing an
absence changes what the standings show even when the score (none) and the total stay the same. The row trigger
of 0005 is redefined with `theory_absent_reason` among the fields it watches; everything else about it is as
0005 says.
"""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

BEFORE = ("skill_id", "unit_id", "status", "workstation_no", "completion_time", "theory_score", "practical", "total",
          "module_scores")
AFTER = (*BEFORE, "theory_absent_reason")


def _pg(watched: tuple[str, ...]) -> str:
    changed = " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in watched)
    return f"""
CREATE OR REPLACE FUNCTION competitions_entry_standings_seq() RETURNS trigger AS $$
BEGIN
    IF {changed} THEN
        NEW.standings_seq := OLD.standings_seq + 1;
    ELSE
        NEW.standings_seq := OLD.standings_seq;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""


def _sqlite(watched: tuple[str, ...]) -> str:
    changed = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in watched)
    # Column names from the constants above, nothing from input.
    return f"""
CREATE TRIGGER competitions_entry_standings_seq AFTER UPDATE ON competitions_entry
FOR EACH ROW WHEN NEW.standings_seq IS NOT OLD.standings_seq OR {changed}
BEGIN
    UPDATE competitions_entry SET standings_seq = OLD.standings_seq + (CASE WHEN {changed} THEN 1 ELSE 0 END)
    WHERE id = NEW.id;
END;
"""  # noqa: S608


def _watch(watched: tuple[str, ...], schema_editor: BaseDatabaseSchemaEditor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":  # the trigger calls the function by name: replacing the function is enough
        schema_editor.execute(_pg(watched), params=None)
    elif vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS competitions_entry_standings_seq;", params=None)
        schema_editor.execute(_sqlite(watched), params=None)


def forwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _watch(AFTER, schema_editor)


def backwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _watch(BEFORE, schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ("competitions", "0007_marking_groups"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
