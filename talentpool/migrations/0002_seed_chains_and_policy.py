"""Seed the flagship industry chains DESIGN.md names (admins add the rest of the 19), the pool version row and the
default intake policy, so every database starts with them."""

from django.db import migrations

CHAINS = [
    ("new-it", "新一代信息技术"), ("high-end-equipment", "高端装备"), ("new-energy-equipment", "新能源装备"),
    ("advanced-materials", "先进材料"), ("ships-offshore", "船舶和海工装备"), ("high-end-chemicals", "高端化工"),
    ("agri-machinery", "农机装备"), ("pharma", "医药"), ("construction-machinery", "工程机械"),
    ("light-industry", "轻工"), ("textiles-apparel", "纺织服装"), ("low-altitude", "低空装备"),
]


def seed(apps, schema_editor):  # type: ignore[no-untyped-def]
    IndustryChain = apps.get_model("talentpool", "IndustryChain")
    for position, (code, name) in enumerate(CHAINS, start=1):
        IndustryChain.objects.get_or_create(code=code, defaults={"name": name, "position": position})
    apps.get_model("talentpool", "PoolVersion").objects.get_or_create(pk=1, defaults={"number": 0})
    IntakePolicy = apps.get_model("talentpool", "IntakePolicy")
    if not IntakePolicy.objects.exists():
        IntakePolicy.objects.create(min_competition_level="city",
                                    award_codes=["gold", "silver", "bronze", "excellence", "first_prize", "second_prize",
                                                 "third_prize"],
                                    include_titles=True, min_certificate_rung=5, include_appointments=True,
                                    reason="默认入库规则（DESIGN.md）")


class Migration(migrations.Migration):
    dependencies = [("talentpool", "0001_pool_checklists_matchmaking")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
