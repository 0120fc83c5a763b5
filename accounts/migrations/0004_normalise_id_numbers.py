"""ID numbers stored in their normalised form (DESIGN.md "People and files"; issue 9 item 2): NFKC, no spaces,
upper-case. Before, a full-width number passed the check as it was and was stored so, which let one person be two.

The rule is copied here rather than imported, so this migration keeps meaning what it meant when it was written.
Two accounts whose numbers are the same once normalised are one person twice: that needs a person to merge them,
so the migration stops and names them instead of guessing which one is real.
"""

import unicodedata

from django.db import migrations


def _normalised(value: str) -> str:
    return "".join(unicodedata.normalize("NFKC", value).split()).upper()


def normalise_id_numbers(apps, schema_editor):  # type: ignore[no-untyped-def]
    User = apps.get_model("accounts", "User")
    holders: dict[str, list[int]] = {}
    changed: dict[int, str] = {}
    for pk, number in User.objects.exclude(id_number="").values_list("pk", "id_number"):
        normal = _normalised(number)
        holders.setdefault(normal, []).append(pk)
        if normal != number:
            changed[pk] = normal
    twice = {number: pks for number, pks in holders.items() if len(pks) > 1}
    if twice:
        accounts = "; ".join(f"users {', '.join(map(str, pks))}" for pks in twice.values())
        raise RuntimeError(
            f"These accounts hold the same ID number once normalised (full-width digits, spaces, a small x): "
            f"{accounts}. Merge or correct them, then migrate again."
        )
    for pk, normal in changed.items():
        User.objects.filter(pk=pk).update(id_number=normal)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_token_expiry_required")]

    operations = [migrations.RunPython(normalise_id_numbers, migrations.RunPython.noop)]
