"""Move each module's cached score from its sheet to the entry's row (`Entry.module_scores`), so that a mark
updates one row of totals instead of two (issue 8: the mark path)."""

from django.db import migrations, models


def scores_to_entries(apps, schema_editor):  # type: ignore[no-untyped-def]
    Sheet = apps.get_model("competitions", "Sheet")
    Entry = apps.get_model("competitions", "Entry")
    scores: dict[int, dict[str, str]] = {}
    for entry_id, module_id, score in Sheet.objects.values_list("entry_id", "module_id", "score").iterator():
        if score:
            scores.setdefault(entry_id, {})[str(module_id)] = str(score)
    for entry_id, module_scores in scores.items():
        Entry.objects.filter(pk=entry_id).update(module_scores=module_scores)


def scores_to_sheets(apps, schema_editor):  # type: ignore[no-untyped-def]
    Sheet = apps.get_model("competitions", "Sheet")
    Entry = apps.get_model("competitions", "Entry")
    for entry_id, module_scores in Entry.objects.exclude(module_scores={}).values_list("pk", "module_scores"):
        for module_id, score in module_scores.items():
            Sheet.objects.filter(entry_id=entry_id, module_id=int(module_id)).update(score=score)


class Migration(migrations.Migration):
    dependencies = [
        ("competitions", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="entry",
            name="module_scores",
            field=models.JSONField(blank=True, default=dict, help_text="模块编号 → 模块成绩（四位小数的字符串）",
                                   verbose_name="模块成绩"),
        ),
        migrations.RunPython(scores_to_entries, scores_to_sheets),
        migrations.RemoveField(
            model_name="sheet",
            name="score",
        ),
    ]
