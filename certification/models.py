"""The certification app's tables of this slice (issue 12 items 1–3): the occupation catalogue, the levels each
occupation is certified at with their eligibility rules, and the levels people hold.

- `Occupation`: a code of the national classification with its 大类/中类/小类 prefixes stored beside it
  (certification.domain.catalogue), indexed, so "same 小类" is one indexed comparison for the talent pool.
- `OccupationLevel`: a level (五级–一级) the occupation is certified at, with its eligibility rule as data
  (certification.domain.eligibility `rule_to_data`), seeded with DESIGN.md's defaults.
- `HeldLevel`: a level a person holds in an occupation, where it came from (`SourceKind`) and since when. The
  source record is a generic reference (content type + id), because certification never imports competitions: a
  competition promotion points at the published entry (competitions.Entry), a certificate or an appointment will
  point at their own tables (issue 12 items 9–10); levels recorded by hand carry evidence text instead. Rows are
  never deleted: a level no longer held (a corrected result) is withdrawn with a reason, and readers skip it.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

USER = settings.AUTH_USER_MODEL

occupation_code_validator = RegexValidator(
    r"^\d-\d{2}-\d{2}-\d{2}$", _("职业编码应为 X-XX-XX-XX 格式，如 6-18-02-04。"), code="occupation_code"
)


class Level(models.IntegerChoices):
    """A certified level (certification.domain.ladder.SkillLevel): a smaller number is a higher level."""

    ONE = 1, _("一级/高级技师")
    TWO = 2, _("二级/技师")
    THREE = 3, _("三级/高级工")
    FOUR = 4, _("四级/中级工")
    FIVE = 5, _("五级/初级工")


class Occupation(models.Model):
    """An occupation or trade (职业/工种) of the national classification."""

    code = models.CharField(_("职业编码"), max_length=10, unique=True, validators=[occupation_code_validator])
    name = models.CharField(_("职业名称"), max_length=100)
    major_code = models.CharField(_("大类"), max_length=1, db_index=True)
    middle_code = models.CharField(_("中类"), max_length=4, db_index=True)
    minor_code = models.CharField(_("小类"), max_length=7, db_index=True)
    description = models.TextField(_("职业定义"), blank=True)

    class Meta:
        verbose_name = _("职业")
        verbose_name_plural = _("职业")
        ordering = ["code"]
        constraints = [
            # The hierarchy's prefixes are the code's own (certification.domain.catalogue.parse_occupation_code).
            models.CheckConstraint(
                condition=Q(code__startswith=models.F("minor_code")) & Q(minor_code__startswith=models.F("middle_code"))
                & Q(middle_code__startswith=models.F("major_code")),
                name="occupation_code_hierarchy",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    def permission_unit_ids(self) -> frozenset[int]:
        return frozenset()  # reference data of the whole platform: no unit owns it


class OccupationLevel(models.Model):
    """A level the occupation is certified at, with its eligibility rule (申报条件) as data."""

    occupation = models.ForeignKey(Occupation, verbose_name=_("职业"), on_delete=models.CASCADE,
                                   related_name="levels")
    level = models.PositiveSmallIntegerField(_("等级"), choices=Level.choices)
    eligibility = models.JSONField(_("申报条件"), default=list,
                                   help_text=_("可选的申报条件，每条为须同时满足的若干项"))

    class Meta:
        verbose_name = _("职业等级")
        verbose_name_plural = _("职业等级")
        ordering = ["occupation", "-level"]
        constraints = [
            models.UniqueConstraint(fields=["occupation", "level"], name="occupation_level_once"),
            models.CheckConstraint(condition=Q(level__gte=1) & Q(level__lte=5), name="occupation_level_range"),
        ]

    def __str__(self) -> str:
        return f"{self.occupation.name} {self.get_level_display()}"


class SourceKind(models.TextChoices):
    CERTIFICATE = "certificate", _("职业技能等级证书")
    PROMOTION = "competition_promotion", _("竞赛晋级")
    APPOINTMENT = "appointment", _("评聘")


class HeldLevel(models.Model):
    """A level a person holds in an occupation since a day, and where it came from (module docstring)."""

    person = models.ForeignKey(USER, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="held_levels")
    occupation = models.ForeignKey(Occupation, verbose_name=_("职业"), on_delete=models.PROTECT,
                                   related_name="held_levels")
    level = models.PositiveSmallIntegerField(_("等级"), choices=Level.choices)
    source_kind = models.CharField(_("来源"), max_length=30, choices=SourceKind.choices)
    source_type = models.ForeignKey(ContentType, verbose_name=_("来源记录类型"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    source_id = models.PositiveBigIntegerField(_("来源记录"), null=True, blank=True)
    source_label = models.CharField(_("来源说明"), max_length=300, blank=True)
    evidence = models.TextField(_("证明材料"), blank=True)
    obtained_on = models.DateField(_("取得日期"))
    recorded_by = models.ForeignKey(USER, verbose_name=_("登记人"), null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(_("登记时间"))
    withdrawn_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("撤销原因"), blank=True)

    class Meta:
        verbose_name = _("持有等级")
        verbose_name_plural = _("持有等级")
        ordering = ["person", "occupation", "level", "obtained_on"]
        indexes = [models.Index(fields=["person", "occupation", "obtained_on"], name="held_level_lookup")]
        constraints = [
            models.CheckConstraint(condition=Q(level__gte=1) & Q(level__lte=5), name="held_level_range"),
            models.CheckConstraint(condition=Q(source_type__isnull=True, source_id__isnull=True)
                                   | Q(source_type__isnull=False, source_id__isnull=False),
                                   name="held_level_source_pair"),
            # A promotion always names the published result it came from.
            models.CheckConstraint(condition=~Q(source_kind="competition_promotion") | Q(source_id__isnull=False),
                                   name="held_level_promotion_source"),
            models.CheckConstraint(condition=Q(withdrawn_at__isnull=True) | ~Q(withdrawn_reason=""),
                                   name="held_level_withdrawn_reason"),
            # One standing level per person and source record: publishing again records nothing twice.
            models.UniqueConstraint(fields=["person", "source_type", "source_id"],
                                    condition=Q(source_id__isnull=False, withdrawn_at__isnull=True),
                                    name="held_level_once_per_source"),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.occupation.name} {self.get_level_display()}"

    def permission_owner_id(self) -> int:
        return int(self.person_id)

    def permission_unit_ids(self) -> frozenset[int]:
        """The person's units: their staff see the person's levels (certification.permissions)."""
        units: frozenset[int] = self.person.permission_unit_ids()
        return units
