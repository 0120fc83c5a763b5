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

from decimal import Decimal
from typing import Any

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


class AppointedTitle(models.TextChoices):
    """A title appointed (评聘) above 一级 (certification.domain.appointments.Title)."""

    PRINCIPAL = "principal", _("特级技师")
    CHIEF = "chief", _("首席技师")


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
    # An appointment (评聘) is held for its term: `title` is the appointed title (its `level` is 一级, which it
    # rests on), `held_until` the last day it is held (the term's end, or the day before it was ended early).
    title = models.CharField(_("评聘等级"), max_length=12, choices=AppointedTitle.choices, blank=True)
    held_until = models.DateField(_("持有至"), null=True, blank=True)

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
            # A title only comes from an appointment, which always names it, rests on 一级 and points at its row.
            models.CheckConstraint(condition=Q(source_kind="appointment", level=1, source_id__isnull=False)
                                   & ~Q(title="") | ~Q(source_kind="appointment") & Q(title=""),
                                   name="held_level_appointment_title"),
            models.CheckConstraint(condition=Q(held_until__isnull=True) | Q(held_until__gte=models.F("obtained_on")),
                                   name="held_level_held_until_after_obtained"),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.occupation.name} {self.get_level_display()}"

    def permission_owner_id(self) -> int:
        return int(self.person_id)

    def permission_unit_ids(self) -> frozenset[int]:
        """The person's units: their staff see the person's levels (certification.permissions)."""
        units: frozenset[int] = self.person.permission_unit_ids()
        return units


# --- Question bank and papers (issue 12 items 5 and 6) -------------------------------------------------------------
# A bank is the questions of one occupation and level (职业 + 等级); it has no row of its own. A question is an
# identity that never changes; what it says lives in its versions: an edit adds a version and moves `is_current`
# (one current version per question, a partial unique constraint), the old versions stay for the papers that used
# them. A question is retired (`retired_at`), never deleted; papers point at versions with PROTECT.


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("单项选择题")
    MULTIPLE = "multiple", _("多项选择题")
    TRUE_FALSE = "truefalse", _("判断题")


class Importance(models.TextChoices):
    X = "X", _("X（核心要素）")
    Y = "Y", _("Y（一般要素）")
    Z = "Z", _("Z（辅助要素）")


class Question(models.Model):
    """A question of the bank of one occupation and level (题库试题)."""

    occupation = models.ForeignKey(Occupation, verbose_name=_("职业"), on_delete=models.PROTECT,
                                   related_name="questions")
    level = models.PositiveSmallIntegerField(_("等级"), choices=Level.choices)
    created_at = models.DateTimeField(_("创建时间"))
    retired_at = models.DateTimeField(_("停用时间"), null=True, blank=True)
    retired_reason = models.TextField(_("停用原因"), blank=True)

    class Meta:
        verbose_name = _("试题")
        verbose_name_plural = _("试题")
        ordering = ["pk"]
        indexes = [models.Index(fields=["occupation", "level"], name="question_bank")]
        constraints = [
            models.CheckConstraint(condition=Q(level__gte=1) & Q(level__lte=5), name="question_level_range"),
            models.CheckConstraint(condition=Q(retired_at__isnull=True) | ~Q(retired_reason=""),
                                   name="question_retired_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.occupation.code} {self.level} #{self.pk}"

    def permission_unit_ids(self) -> frozenset[int]:
        return frozenset()  # a provincial bank: no unit owns it (certification.permissions)


class QuestionVersion(models.Model):
    """What a question says at one version; never changed once written."""

    question = models.ForeignKey(Question, verbose_name=_("试题"), on_delete=models.PROTECT, related_name="versions")
    version = models.PositiveIntegerField(_("版本"))
    is_current = models.BooleanField(_("当前版本"), default=True)
    kind = models.CharField(_("题型"), max_length=12, choices=QuestionKind.choices)
    point_code = models.CharField(_("鉴定点代码"), max_length=30, db_index=True)
    importance = models.CharField(_("重要程度"), max_length=1, choices=Importance.choices)
    difficulty = models.PositiveSmallIntegerField(_("难度"))
    stem = models.TextField(_("题干"))
    options = models.JSONField(_("选项"), default=list)
    answer = models.JSONField(_("答案"), default=list, help_text=_("正确选项的序号（从 0 起）"))
    explanation = models.TextField(_("解析"), blank=True)
    created_by = models.ForeignKey(USER, verbose_name=_("创建人"), null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("创建时间"))
    reason = models.TextField(_("修改原因"), blank=True)

    class Meta:
        verbose_name = _("试题版本")
        verbose_name_plural = _("试题版本")
        ordering = ["question", "version"]
        constraints = [
            models.UniqueConstraint(fields=["question", "version"], name="question_version_once"),
            models.UniqueConstraint(fields=["question"], condition=Q(is_current=True),
                                    name="question_one_current_version"),
            models.CheckConstraint(condition=Q(difficulty__gte=1) & Q(difficulty__lte=5),
                                   name="question_difficulty_range"),
            models.CheckConstraint(condition=Q(kind__in=["single", "multiple", "truefalse"]), name="question_kind"),
            models.CheckConstraint(condition=Q(importance__in=["X", "Y", "Z"]), name="question_importance"),
        ]

    def __str__(self) -> str:
        return f"{self.question_id} v{self.version}"


class Blueprint(models.Model):
    """The 鉴定要素细目表 of one occupation and level: counts by knowledge area × type × difficulty (`cells`, a list
    of {area, kind, difficulty, count}), the points of one question of each type (`points`), and how many segments
    of a 鉴定点 code make its knowledge area (`depth`; certification.domain.papers)."""

    occupation = models.ForeignKey(Occupation, verbose_name=_("职业"), on_delete=models.PROTECT,
                                   related_name="blueprints")
    level = models.PositiveSmallIntegerField(_("等级"), choices=Level.choices)
    depth = models.PositiveSmallIntegerField(_("知识范围层级"), default=2)
    cells = models.JSONField(_("细目"), default=list)
    points = models.JSONField(_("每题分值"), default=dict)
    updated_at = models.DateTimeField(_("修改时间"))

    class Meta:
        verbose_name = _("鉴定要素细目表")
        verbose_name_plural = _("鉴定要素细目表")
        constraints = [
            models.UniqueConstraint(fields=["occupation", "level"], name="blueprint_once_per_bank"),
            models.CheckConstraint(condition=Q(depth__gte=1) & Q(depth__lte=3), name="blueprint_depth_range"),
        ]

    def __str__(self) -> str:
        return f"{self.occupation.name} {self.get_level_display()}"

    def permission_unit_ids(self) -> frozenset[int]:
        return frozenset()


class Paper(models.Model):
    """An assembled paper: the seed it was drawn with, the blueprint as it was then, the questions excluded as seen,
    and its items (the exact versions, in order, with their option orders). Enough to rebuild and check it."""

    occupation = models.ForeignKey(Occupation, verbose_name=_("职业"), on_delete=models.PROTECT, related_name="papers")
    level = models.PositiveSmallIntegerField(_("等级"), choices=Level.choices)
    seed = models.BigIntegerField(_("随机种子"))
    blueprint = models.JSONField(_("细目表（组卷时）"))
    excluded = models.JSONField(_("回避的试题"), default=list)
    # The bank as it stood: the current, unretired versions at `bank_as_of` (versions and retirements are dated
    # and never change, so the same set is read again later), with a digest of their ids to prove it is the same.
    bank_as_of = models.DateTimeField(_("题库时点"))
    bank_digest = models.CharField(_("题库摘要"), max_length=64)
    candidate = models.ForeignKey(USER, verbose_name=_("考生"), null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    created_by = models.ForeignKey(USER, verbose_name=_("组卷人"), null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("组卷时间"))

    class Meta:
        verbose_name = _("试卷")
        verbose_name_plural = _("试卷")

    def __str__(self) -> str:
        return f"{self.occupation.code} {self.level} #{self.pk}"

    def permission_unit_ids(self) -> frozenset[int]:
        return frozenset()


class PaperItem(models.Model):
    paper = models.ForeignKey(Paper, verbose_name=_("试卷"), on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField(_("题号"))
    version = models.ForeignKey(QuestionVersion, verbose_name=_("试题版本"), on_delete=models.PROTECT,
                                related_name="+")
    option_order = models.JSONField(_("选项顺序"), default=list)
    points = models.PositiveSmallIntegerField(_("分值"))

    class Meta:
        verbose_name = _("试卷试题")
        verbose_name_plural = _("试卷试题")
        ordering = ["paper", "position"]
        constraints = [models.UniqueConstraint(fields=["paper", "position"], name="paper_item_position_once")]

    def __str__(self) -> str:
        return f"{self.paper_id} #{self.position}"


# --- Exam batches (批次; issue 12 item 4) ---------------------------------------------------------------------------
# A batch is one sitting of one occupation and level at one evaluation body (an exam center, or an enterprise
# evaluating its own staff). It has parts (theory, practical, and for 二级/一级 the comprehensive review), each with
# its times and rooms; staff are assigned to a part (and, for invigilators and assessors, to a room: a practical
# room is a candidate group with its assessor panel); registrations (报名) move through one state machine
# (certification.domain.batches.REGISTRATION_MOVES); a seat allocation is recorded with its seed, and each seated
# registration has one seat per part. Later items (the online theory exam, practical assessment, results) hang
# their rows on `BatchPart` and `Registration`.


class EvaluationKind(models.TextChoices):
    SOCIAL = "social", _("社会培训评价")
    ENTERPRISE = "enterprise", _("企业自主评价")


class BatchStatus(models.TextChoices):
    PLANNING = "planning", _("筹备中")
    OPEN = "open", _("报名中")
    CLOSED = "closed", _("报名已截止")
    CANCELLED = "cancelled", _("已取消")


class Batch(models.Model):
    """One exam batch (考核批次) of an evaluation body."""

    body = models.ForeignKey("accounts.Organization", verbose_name=_("评价机构"), on_delete=models.PROTECT,
                             related_name="exam_batches")
    evaluation_kind = models.CharField(_("评价类型"), max_length=12, choices=EvaluationKind.choices)
    occupation = models.ForeignKey(Occupation, verbose_name=_("职业"), on_delete=models.PROTECT,
                                   related_name="batches")
    level = models.PositiveSmallIntegerField(_("等级"), choices=Level.choices)
    name = models.CharField(_("批次名称"), max_length=200)
    code = models.CharField(_("批次编号"), max_length=20, unique=True)
    registration_opens = models.DateField(_("报名开始"))
    registration_closes = models.DateField(_("报名截止"))
    status = models.CharField(_("状态"), max_length=12, choices=BatchStatus.choices, default=BatchStatus.PLANNING)
    created_by = models.ForeignKey(USER, verbose_name=_("创建人"), null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("创建时间"))

    class Meta:
        verbose_name = _("考核批次")
        verbose_name_plural = _("考核批次")
        ordering = ["-registration_opens", "pk"]
        indexes = [models.Index(fields=["status", "registration_closes"], name="batch_open_lookup")]
        constraints = [
            models.CheckConstraint(condition=Q(level__gte=1) & Q(level__lte=5), name="batch_level_range"),
            models.CheckConstraint(condition=Q(registration_closes__gte=models.F("registration_opens")),
                                   name="batch_registration_dates"),
            models.CheckConstraint(condition=Q(status__in=["planning", "open", "closed", "cancelled"]),
                                   name="batch_status"),
        ]

    def __str__(self) -> str:
        return self.name

    def permission_unit_ids(self) -> frozenset[int]:
        return frozenset({self.body_id})


class PartKind(models.TextChoices):
    THEORY = "theory", _("理论知识考试")
    PRACTICAL = "practical", _("操作技能考核")
    REVIEW = "review", _("综合评审")


class BatchPart(models.Model):
    """A part of a batch with its times (DESIGN.md "Exam parts": theory and practical ≥ 90 min, review ≥ 30)."""

    batch = models.ForeignKey(Batch, verbose_name=_("批次"), on_delete=models.CASCADE, related_name="parts")
    kind = models.CharField(_("考核科目"), max_length=12, choices=PartKind.choices)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))

    class Meta:
        verbose_name = _("考核科目")
        verbose_name_plural = _("考核科目")
        ordering = ["batch", "starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "kind"], name="batch_part_once"),
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="batch_part_times"),
        ]

    def __str__(self) -> str:
        return f"{self.batch} {self.get_kind_display()}"

    def permission_unit_ids(self) -> frozenset[int]:
        return frozenset({self.batch.body_id})


class Room(models.Model):
    """A room of a part (考场 for theory, 考核工位区 for practical: one candidate group with its assessor panel,
    评审室 for the review), with its seats (工位)."""

    part = models.ForeignKey(BatchPart, verbose_name=_("考核科目"), on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(_("考场"), max_length=100)
    seats = models.PositiveIntegerField(_("座位数"))

    class Meta:
        verbose_name = _("考场")
        verbose_name_plural = _("考场")
        ordering = ["part", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["part", "name"], name="room_name_once"),
            models.CheckConstraint(condition=Q(seats__gte=1) & Q(seats__lte=500), name="room_seats_range"),
        ]

    def __str__(self) -> str:
        return self.name


class Duty(models.TextChoices):
    INVIGILATOR = "invigilator", _("监考员")
    ASSESSOR = "assessor", _("考评员")
    REVIEWER = "reviewer", _("评审专家")


class StaffAssignment(models.Model):
    """A person on duty in a part: an invigilator of a theory room, an assessor of a practical room (its group's
    panel), a member of the review panel (of a review room, or of the whole part when `room` is empty)."""

    part = models.ForeignKey(BatchPart, verbose_name=_("考核科目"), on_delete=models.CASCADE, related_name="staff")
    room = models.ForeignKey(Room, verbose_name=_("考场"), null=True, blank=True, on_delete=models.CASCADE,
                             related_name="staff")
    person = models.ForeignKey(USER, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="exam_duties")
    duty = models.CharField(_("职责"), max_length=12, choices=Duty.choices)
    assigned_at = models.DateTimeField(_("安排时间"))

    class Meta:
        verbose_name = _("考务人员安排")
        verbose_name_plural = _("考务人员安排")
        ordering = ["part", "room", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["part", "person"], name="staff_once_per_part"),
            models.CheckConstraint(condition=Q(duty__in=["invigilator", "assessor", "reviewer"]), name="staff_duty"),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.get_duty_display()}"


class DeclaredRelationship(models.Model):
    """A relationship (亲属、师徒 …) an assessor or invigilator declared to a person: they never serve on a part
    that person sits, on any batch (certification.domain.batches "Recusal"). Certification's own table: the
    competitions' declarations live in an app certification may not import, and accounts has none."""

    declarer = models.ForeignKey(USER, verbose_name=_("申报人"), on_delete=models.PROTECT,
                                 related_name="declared_exam_relationships")
    person = models.ForeignKey(USER, verbose_name=_("关系人"), on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("关系"), max_length=200)
    declared_at = models.DateTimeField(_("申报时间"))

    class Meta:
        verbose_name = _("回避关系申报")
        verbose_name_plural = _("回避关系申报")
        constraints = [
            models.UniqueConstraint(fields=["declarer", "person"], name="exam_relationship_once"),
            models.CheckConstraint(condition=~Q(declarer=models.F("person")), name="exam_relationship_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.declarer} ↔ {self.person}"

    def permission_owner_id(self) -> int:
        return int(self.declarer_id)


class RegistrationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待审核")
    APPROVED = "approved", _("审核通过")
    REJECTED = "rejected", _("未通过审核")
    SEATED = "seated", _("已编排考场")
    WITHDRAWN = "withdrawn", _("已撤回")


class Registration(models.Model):
    """A candidate's registration (报名) for a batch: the facts declared, the eligibility explanation recorded at
    submission, the review, and the admission ticket (准考证) once seated."""

    batch = models.ForeignKey(Batch, verbose_name=_("批次"), on_delete=models.PROTECT, related_name="registrations")
    candidate = models.ForeignKey(USER, verbose_name=_("考生"), on_delete=models.PROTECT,
                                  related_name="exam_registrations")
    unit = models.ForeignKey("accounts.Organization", verbose_name=_("所在单位"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    years_in_trade = models.DecimalField(_("从事本职业工作年限"), max_digits=4, decimal_places=1)
    apprenticeship_finished = models.BooleanField(_("已完成学徒培训"), default=False)
    school = models.CharField(_("毕业院校类型"), max_length=30, blank=True)
    education = models.PositiveSmallIntegerField(_("学历"), default=0)
    eligibility = models.JSONField(_("申报条件核查结果"), default=dict)
    status = models.CharField(_("状态"), max_length=12, choices=RegistrationStatus.choices,
                              default=RegistrationStatus.SUBMITTED)
    review_reason = models.TextField(_("审核意见"), blank=True)
    submitted_by = models.ForeignKey(USER, verbose_name=_("报名人"), null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    submitted_at = models.DateTimeField(_("报名时间"))
    reviewed_by = models.ForeignKey(USER, verbose_name=_("审核人"), null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    ticket_no = models.CharField(_("准考证号"), max_length=30, null=True, blank=True, unique=True)
    ticket_token = models.CharField(_("准考证核验码"), max_length=32, null=True, blank=True, unique=True)
    # The candidate's ID photo (证件照, certification.services.registration_photos): drawn on the admission ticket
    # and on the certificate of this registration; fixed once a certificate stands on it.
    photo = models.FileField(_("证件照"), upload_to="certification/photos/", max_length=200, blank=True)
    photo_sha256 = models.CharField(_("证件照摘要"), max_length=64, blank=True)
    photo_uploaded_at = models.DateTimeField(_("证件照上传时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("报名")
        verbose_name_plural = _("报名")
        ordering = ["batch", "pk"]
        indexes = [models.Index(fields=["batch", "status"], name="registration_batch_status")]
        constraints = [
            # One standing registration per candidate and batch; a rejected or withdrawn one may be followed by
            # a new one.
            models.UniqueConstraint(fields=["batch", "candidate"],
                                    condition=~Q(status__in=["rejected", "withdrawn"]),
                                    name="registration_once_per_batch"),
            models.CheckConstraint(condition=Q(status__in=["submitted", "approved", "rejected", "seated",
                                                           "withdrawn"]), name="registration_status"),
            models.CheckConstraint(condition=~Q(status="rejected") | ~Q(review_reason=""),
                                   name="registration_rejected_reason"),
            models.CheckConstraint(condition=~Q(status="seated") | Q(ticket_no__isnull=False),
                                   name="registration_seated_ticket"),
        ]

    def __str__(self) -> str:
        return f"{self.batch} · {self.candidate}"

    def permission_owner_id(self) -> int:
        return int(self.candidate_id)

    def permission_unit_ids(self) -> frozenset[int]:
        """The batch's body (who reviews it) and the unit that registered the candidate (who follows it)."""
        units = {self.batch.body_id}
        if self.unit_id is not None:
            units.add(self.unit_id)
        return frozenset(units)


class SeatAllocation(models.Model):
    """One run of the seat allocation of a batch, with the seed it used; the newest run is the one in force."""

    batch = models.ForeignKey(Batch, verbose_name=_("批次"), on_delete=models.CASCADE, related_name="allocations")
    seed = models.BigIntegerField(_("随机种子"))
    seated = models.PositiveIntegerField(_("编排人数"))
    digest = models.CharField(_("结果摘要"), max_length=64)
    created_by = models.ForeignKey(USER, verbose_name=_("编排人"), null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("编排时间"))

    class Meta:
        verbose_name = _("考场编排")
        verbose_name_plural = _("考场编排")
        ordering = ["batch", "-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.batch} #{self.pk}"


class Seat(models.Model):
    """A seated registration's place in one part: room and seat number (座位号/工位号)."""

    registration = models.ForeignKey(Registration, verbose_name=_("报名"), on_delete=models.CASCADE,
                                     related_name="seats")
    part = models.ForeignKey(BatchPart, verbose_name=_("考核科目"), on_delete=models.CASCADE, related_name="seats")
    room = models.ForeignKey(Room, verbose_name=_("考场"), on_delete=models.CASCADE, related_name="taken_seats")
    number = models.PositiveIntegerField(_("座位号"))

    class Meta:
        verbose_name = _("座位")
        verbose_name_plural = _("座位")
        ordering = ["part", "room", "number"]
        constraints = [
            models.UniqueConstraint(fields=["registration", "part"], name="seat_once_per_part"),
            models.UniqueConstraint(fields=["room", "number"], name="seat_number_once"),
        ]

    def __str__(self) -> str:
        return f"{self.room} {self.number}"
# --- Appointments (评聘, issue 12 item 10) ---------------------------------------------------------------------------


class AppointmentEndKind(models.TextChoices):
    RESIGNED = "resigned", _("本人辞去")
    REVOKED = "revoked", _("企业解聘")


class Appointment(models.Model):
    """An enterprise's appointment (评聘) of a 一级 holder as 特级技师 or 首席技师 for a term, with its evidence
    (certification.domain.appointments). The level it gives is a `HeldLevel` pointing here; ending it early or
    its term's end stop that level counting. Rows are never deleted; a renewal is a new row naming the one it
    renews."""

    person = models.ForeignKey(USER, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="appointments")
    occupation = models.ForeignKey(Occupation, verbose_name=_("职业"), on_delete=models.PROTECT,
                                   related_name="appointments")
    title = models.CharField(_("评聘等级"), max_length=12, choices=AppointedTitle.choices)
    enterprise = models.ForeignKey("accounts.Organization", verbose_name=_("聘任企业"), on_delete=models.PROTECT,
                                   related_name="appointments")
    term_start = models.DateField(_("聘期开始"))
    term_end = models.DateField(_("聘期结束"))
    document_no = models.CharField(_("聘任文号"), max_length=100)
    # Stored under a name of our own (certification.services.appointments), never the uploader's.
    evidence = models.FileField(_("聘任文件"), upload_to="certification/appointments/", max_length=200)
    evidence_name = models.CharField(_("文件名"), max_length=200)
    evidence_type = models.CharField(_("文件类型"), max_length=40)
    evidence_size = models.PositiveIntegerField(_("文件大小"))
    evidence_sha256 = models.CharField(_("文件摘要"), max_length=64)
    reason = models.TextField(_("说明"), blank=True)
    renews = models.OneToOneField("self", verbose_name=_("续聘自"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="renewal")
    recorded_by = models.ForeignKey(USER, verbose_name=_("登记人"), null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(_("登记时间"))
    ended_on = models.DateField(_("解除生效日期"), null=True, blank=True)
    end_kind = models.CharField(_("解除方式"), max_length=12, choices=AppointmentEndKind.choices, blank=True)
    end_reason = models.TextField(_("解除原因"), blank=True)
    ended_by = models.ForeignKey(USER, verbose_name=_("解除登记人"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    ended_at = models.DateTimeField(_("解除登记时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("评聘")
        verbose_name_plural = _("评聘")
        ordering = ["-term_start", "pk"]
        indexes = [models.Index(fields=["person", "occupation", "title"], name="appointment_lookup"),
                   models.Index(fields=["enterprise", "term_start"], name="appointment_enterprise")]
        constraints = [
            models.CheckConstraint(condition=Q(term_end__gt=models.F("term_start")), name="appointment_term_order"),
            models.CheckConstraint(condition=Q(title__in=["principal", "chief"]), name="appointment_title"),
            models.CheckConstraint(condition=~Q(document_no=""), name="appointment_document_no"),
            # Ended: all of the day, the kind and the reason, within the term; or none of them.
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True, end_kind="", end_reason="", ended_at__isnull=True)
                | Q(ended_on__isnull=False, ended_on__gte=models.F("term_start"), ended_on__lte=models.F("term_end"),
                    end_kind__in=["resigned", "revoked"], ended_at__isnull=False) & ~Q(end_reason=""),
                name="appointment_ending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.occupation.name} {self.get_title_display()}（{self.term_start}–{self.term_end}）"

    def permission_owner_id(self) -> int:
        return int(self.person_id)

    def permission_unit_ids(self) -> frozenset[int]:
        """The appointing enterprise alone: another unit's staff do not see it, even where the person works too."""
        return frozenset({self.enterprise_id})


# --- Practical assessment, comprehensive review and results (issue 12 items 8–9) ------------------------------------
# certification.domain.practical and certification.domain.results hold the rules; these tables hold the data:
# - `ScoringSheet` + `SheetItem`: the sheet of a batch's practical part (操作技能考核评分表) or review part (综合评审
#   评分表); edited by the body's staff until its first score (`frozen_at`), then never changed.
# - `AssessorScore` + `AssessorScoreRevision`: an assessor's current score of one item of one candidate (one row per
#   (registration, assessor, item)), and every value it took with who, when, why and the request's idempotency key.
# - `ChiefDecision`: the chief assessor's (考评组长) confirmation of a divergent item with the scores seen and the
#   reason, or a request that the panel re-score it; append-only.
# - `PartResult`: a registration's score (or absence) in one part: theory entered by staff for now (the online exam
#   feeds it later), practical and review derived from the panel's scores; `PartResultRevision` keeps each change.
# - `BatchResults`: the state of a batch's results (graded → in review → published) with the review period's dates.
# - `Objection`: a candidate's objection during the review, with its answer.


class Aggregation(models.TextChoices):
    MEAN = "mean", _("算术平均")
    TRIMMED_MEAN = "trimmed_mean", _("去掉最高最低取平均")
    MEDIAN = "median", _("中位数")


class ScoringSheet(models.Model):
    """The scoring sheet of one practical or review part of a batch (评分表)."""

    part = models.OneToOneField(BatchPart, verbose_name=_("考核科目"), on_delete=models.CASCADE,
                                related_name="scoring_sheet")
    tolerance_share = models.DecimalField(_("默认误差允许比例"), max_digits=4, decimal_places=3,
                                          default=Decimal("0.200"))
    aggregation = models.CharField(_("合成方法"), max_length=14, choices=Aggregation.choices, blank=True)
    updated_by = models.ForeignKey(USER, verbose_name=_("修改人"), null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    updated_at = models.DateTimeField(_("修改时间"))
    frozen_at = models.DateTimeField(_("首次评分时间"), null=True, blank=True,
                                     help_text=_("有评分后评分表不能再修改"))

    class Meta:
        verbose_name = _("评分表")
        verbose_name_plural = _("评分表")
        constraints = [
            models.CheckConstraint(condition=Q(tolerance_share__gte=0) & Q(tolerance_share__lte=1),
                                   name="scoring_sheet_tolerance_share"),
        ]

    def __str__(self) -> str:
        return f"{self.part} 评分表"

# --- The online theory exam (在线理论考试; issue 12 item 7) ---------------------------------------------------------
# The batch's theory part carries its timing policy (`ExamPolicy`, certification.domain.exam_clock.TimingPolicy).
# Each seated registration gets one `Sitting` (考试场次) when the candidate first opens the exam: its paper
# (assembled then, with a recorded seed), its session, its clock facts (extra time, disconnects) and the state of
# its answer log (the acknowledgement and the numbers decided beyond it, certification.domain.answers.AnswerLog).
# `SavedAnswer` holds the answer in force per question; `AnswerReceipt` is append-only: every answer that reached
# the server, accepted, repeated or refused with its code, so nothing is ever silently overwritten.
# `SittingEvent` is the invigilator's log. `SittingGrade` rows are versions (a regrade adds one); `Regrade` and
# `RegradeChange` record a regrade after a question was corrected, per candidate.


class DisconnectPolicy(models.TextChoices):
    RUNS_ON = "runs_on", _("计时继续")
    PAUSE = "pause", _("断线暂停计时（有上限）")


class DeadlinePolicy(models.TextChoices):
    AUTO_SUBMIT = "auto_submit", _("到时自动交卷")
    GRACE = "grace", _("到时后限时交卷")


class MultipleChoiceGrading(models.TextChoices):
    ALL_OR_NOTHING = "all_or_nothing", _("全对得分")
    PROPORTIONAL = "proportional", _("错选不得分，少选按比例得分")


class ExamPolicy(models.Model):
    """The timing policy of a batch's theory part (certification.domain.exam_clock.TimingPolicy); durations in
    seconds. A theory part without a row uses the defaults with the part's own length as its duration."""

    part = models.OneToOneField(BatchPart, verbose_name=_("考核科目"), on_delete=models.CASCADE,
                                related_name="exam_policy")
    duration_s = models.PositiveIntegerField(_("考试时长（秒）"))
    disconnect = models.CharField(_("断线处理"), max_length=12, choices=DisconnectPolicy.choices,
                                  default=DisconnectPolicy.RUNS_ON)
    pause_per_disconnect_s = models.PositiveIntegerField(_("每次断线暂停上限（秒）"), default=300)
    pause_total_s = models.PositiveIntegerField(_("断线暂停累计上限（秒）"), default=900)
    deadline = models.CharField(_("到时处理"), max_length=12, choices=DeadlinePolicy.choices,
                                default=DeadlinePolicy.AUTO_SUBMIT)
    submit_grace_s = models.PositiveIntegerField(_("交卷宽限（秒）"), default=300)
    max_offline_s = models.PositiveIntegerField(_("离线答案补交时限（秒）"), default=600)
    offset_tolerance_ms = models.PositiveIntegerField(_("时钟容差（毫秒）"), default=2000)
    late_entry_s = models.PositiveIntegerField(_("开考后允许入场（秒）"), default=900)
    multiple_grading = models.CharField(_("多选题评分"), max_length=16, choices=MultipleChoiceGrading.choices,
                                        default=MultipleChoiceGrading.ALL_OR_NOTHING)
    updated_at = models.DateTimeField(_("修改时间"))

    class Meta:
        verbose_name = _("理论考试规则")
        verbose_name_plural = _("理论考试规则")
        constraints = [
            models.CheckConstraint(condition=Q(duration_s__gte=5400), name="exam_policy_min_duration"),
            models.CheckConstraint(condition=Q(disconnect__in=["runs_on", "pause"]), name="exam_policy_disconnect"),
            models.CheckConstraint(condition=Q(deadline__in=["auto_submit", "grace"]), name="exam_policy_deadline"),
        ]

    def __str__(self) -> str:
        return f"{self.part}"


class SubmittedHow(models.TextChoices):
    CANDIDATE = "candidate", _("考生交卷")
    AUTO = "auto", _("到时自动交卷")
    GRACE_EXPIRED = "grace_expired", _("宽限期满自动交卷")


class Sitting(models.Model):
    """One candidate's sitting of the theory paper (考试场次; module section above)."""

    registration = models.OneToOneField(Registration, verbose_name=_("报名"), on_delete=models.PROTECT,
                                        related_name="sitting")
    part = models.ForeignKey(BatchPart, verbose_name=_("考核科目"), on_delete=models.PROTECT, related_name="sittings")
    room = models.ForeignKey(Room, verbose_name=_("考场"), on_delete=models.PROTECT, related_name="sittings")
    candidate = models.ForeignKey(USER, verbose_name=_("考生"), on_delete=models.PROTECT, related_name="sittings")
    paper = models.OneToOneField(Paper, verbose_name=_("试卷"), on_delete=models.PROTECT, related_name="sitting")
    # Per position [kind, option count]: what the answer hot path checks an answer against without reading items.
    shape = models.JSONField(_("试卷结构"), default=list)
    started_at = models.DateTimeField(_("开考时间"))
    submitted_at = models.DateTimeField(_("交卷时间"), null=True, blank=True)
    submitted_how = models.CharField(_("交卷方式"), max_length=16, choices=SubmittedHow.choices, blank=True)
    extra_s = models.PositiveIntegerField(_("延时合计（秒）"), default=0)  # the sum of `ExtraTimeGrant`s
    session_key = models.CharField(_("会话标识"), max_length=64)
    session_device = models.CharField(_("设备"), max_length=200, blank=True)
    session_opened_at = models.DateTimeField(_("会话开始"))
    session_released = models.BooleanField(_("会话已释放"), default=False)
    ack = models.PositiveIntegerField(_("已确认序号"), default=0)
    ahead = models.JSONField(_("已处理的后续序号"), default=dict)  # seq → page stamp (ISO) or None when refused
    acknowledged_at = models.DateTimeField(_("最后确认答案的作答时间"), null=True, blank=True)
    answered = models.PositiveIntegerField(_("已答题数"), default=0)
    offset_ms = models.IntegerField(_("页面时钟偏差（毫秒）"), default=0)
    round_trip_ms = models.PositiveIntegerField(_("往返时间（毫秒）"), null=True, blank=True)
    last_seen_at = models.DateTimeField(_("最后联系"), null=True, blank=True)

    class Meta:
        verbose_name = _("考试场次")
        verbose_name_plural = _("考试场次")
        ordering = ["part_id", "room_id", "pk"]
        indexes = [models.Index(fields=["part", "submitted_at"], name="sitting_part_open")]
        constraints = [
            models.CheckConstraint(condition=Q(submitted_at__isnull=True, submitted_how="")
                                   | Q(submitted_at__isnull=False) & ~Q(submitted_how=""), name="sitting_submitted"),
        ]

    def __str__(self) -> str:
        return f"{self.registration} · {self.part}"

    def permission_owner_id(self) -> int:
        return int(self.candidate_id)

    def permission_unit_ids(self) -> frozenset[int]:
        return frozenset({self.part.batch.body_id})


class SheetItem(models.Model):
    """One item of a scoring sheet (评分项) with its maximum points and, optionally, its own tolerance."""

    sheet = models.ForeignKey(ScoringSheet, verbose_name=_("评分表"), on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(_("序号"))
    code = models.CharField(_("评分项代码"), max_length=30)
    title = models.CharField(_("评分项"), max_length=200)
    max_points = models.DecimalField(_("配分"), max_digits=5, decimal_places=2)
    tolerance = models.DecimalField(_("误差允许范围"), max_digits=5, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("评分项")
        verbose_name_plural = _("评分项")
        ordering = ["sheet", "position"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "code"], name="sheet_item_code_once"),
            models.UniqueConstraint(fields=["sheet", "position"], name="sheet_item_position_once"),
            models.CheckConstraint(condition=Q(max_points__gt=0) & Q(max_points__lte=100), name="sheet_item_max"),
            models.CheckConstraint(condition=Q(tolerance__isnull=True) | Q(tolerance__gte=0),
                                   name="sheet_item_tolerance"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class AssessorScore(models.Model):
    """An assessor's current score of one item for one candidate (one row per triple, enforced)."""

    registration = models.ForeignKey(Registration, verbose_name=_("报名"), on_delete=models.PROTECT,
                                     related_name="assessor_scores")
    item = models.ForeignKey(SheetItem, verbose_name=_("评分项"), on_delete=models.PROTECT, related_name="scores")
    assessor = models.ForeignKey(USER, verbose_name=_("考评员"), on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(_("评分"), max_digits=5, decimal_places=2)
    idempotency_key = models.UUIDField(_("请求标识"), unique=True)
    created_at = models.DateTimeField(_("评分时间"))
    updated_at = models.DateTimeField(_("修改时间"))

    class Meta:
        verbose_name = _("考评员评分")
        verbose_name_plural = _("考评员评分")
        constraints = [
            models.UniqueConstraint(fields=["registration", "item", "assessor"], name="assessor_score_once"),
            models.CheckConstraint(condition=Q(value__gte=0), name="assessor_score_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.registration_id} {self.item_id} {self.assessor_id}: {self.value}"


class AssessorScoreRevision(models.Model):
    """Every value a score took: the old and new value, who wrote it, when, why (a change needs a reason), and the
    idempotency key of the request (a retry with a used key is answered with the stored score)."""

    score = models.ForeignKey(AssessorScore, verbose_name=_("评分"), on_delete=models.PROTECT,
                              related_name="revisions")
    old_value = models.DecimalField(_("原评分"), max_digits=5, decimal_places=2, null=True, blank=True)
    value = models.DecimalField(_("新评分"), max_digits=5, decimal_places=2)
    reason = models.TextField(_("修改原因"), blank=True)
    idempotency_key = models.UUIDField(_("请求标识"), unique=True)
    written_by = models.ForeignKey(USER, verbose_name=_("评分人"), on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(_("评分时间"))

    class Meta:
        verbose_name = _("评分修改记录")
        verbose_name_plural = _("评分修改记录")
        ordering = ["score", "written_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(old_value__isnull=True) | ~Q(reason=""),
                                   name="assessor_score_change_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.score_id}: {self.old_value} → {self.value}"


class ChiefDecisionKind(models.TextChoices):
    CONFIRMED = "confirmed", _("确认评分")
    RESCORE = "rescore", _("要求重新评分")


class ChiefDecision(models.Model):
    """The chief assessor's (考评组长) decision on a divergent item of one candidate: a confirmation of the scores
    seen (sorted, as text) with a reason, or a request to re-score. Append-only; the newest confirmation is the one
    the domain checks against the scores as they stand."""

    registration = models.ForeignKey(Registration, verbose_name=_("报名"), on_delete=models.PROTECT,
                                     related_name="chief_decisions")
    item = models.ForeignKey(SheetItem, verbose_name=_("评分项"), on_delete=models.PROTECT, related_name="decisions")
    kind = models.CharField(_("处理方式"), max_length=10, choices=ChiefDecisionKind.choices)
    scores = models.JSONField(_("确认时的评分"), default=list)
    reason = models.TextField(_("理由"))
    decided_by = models.ForeignKey(USER, verbose_name=_("考评组长"), on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("处理时间"))

    class Meta:
        verbose_name = _("考评组长处理")
        verbose_name_plural = _("考评组长处理")
        ordering = ["registration", "item", "decided_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="chief_decision_reason"),
            models.CheckConstraint(condition=Q(kind__in=["confirmed", "rescore"]), name="chief_decision_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.registration_id} {self.item_id} {self.kind}"


class ResultPart(models.TextChoices):
    THEORY = "theory", _("理论知识考试")
    PRACTICAL = "practical", _("操作技能考核")
    REVIEW = "review", _("综合评审")


class PartResult(models.Model):
    """A registration's result in one part (certification.domain.results.PartResult): a score out of 100 (one
    decimal), or absent (缺考), or neither yet."""

    registration = models.ForeignKey(Registration, verbose_name=_("报名"), on_delete=models.PROTECT,
                                     related_name="part_results")
    part = models.CharField(_("考核科目"), max_length=12, choices=ResultPart.choices)
    score = models.DecimalField(_("成绩"), max_digits=4, decimal_places=1, null=True, blank=True)
    absent = models.BooleanField(_("缺考"), default=False)
    updated_by = models.ForeignKey(USER, verbose_name=_("登记人"), null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    updated_at = models.DateTimeField(_("登记时间"))

    class Meta:
        verbose_name = _("科目成绩")
        verbose_name_plural = _("科目成绩")
        ordering = ["registration", "part"]
        constraints = [
            models.UniqueConstraint(fields=["registration", "part"], name="part_result_once"),
            models.CheckConstraint(condition=Q(score__isnull=True) | (Q(score__gte=0) & Q(score__lte=100)),
                                   name="part_result_score_range"),
            models.CheckConstraint(condition=~Q(absent=True) | Q(score__isnull=True), name="part_result_absent"),
            models.CheckConstraint(condition=Q(part__in=["theory", "practical", "review"]), name="part_result_part"),
        ]

    def __str__(self) -> str:
        return f"{self.registration_id} {self.part}: {'缺考' if self.absent else self.score}"

    def permission_unit_ids(self) -> frozenset[int]:
        return self.registration.permission_unit_ids()


class PartResultRevision(models.Model):
    """Every change of a part result: old and new (score, absent), who, when, why."""

    result = models.ForeignKey(PartResult, verbose_name=_("科目成绩"), on_delete=models.PROTECT,
                               related_name="revisions")
    old_score = models.DecimalField(_("原成绩"), max_digits=4, decimal_places=1, null=True, blank=True)
    old_absent = models.BooleanField(_("原缺考"), null=True, blank=True)
    score = models.DecimalField(_("新成绩"), max_digits=4, decimal_places=1, null=True, blank=True)
    absent = models.BooleanField(_("缺考"), default=False)
    reason = models.TextField(_("原因"), blank=True)
    written_by = models.ForeignKey(USER, verbose_name=_("登记人"), null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    written_at = models.DateTimeField(_("登记时间"))

    class Meta:
        verbose_name = _("科目成绩修改记录")
        verbose_name_plural = _("科目成绩修改记录")
        ordering = ["result", "written_at", "pk"]

    def __str__(self) -> str:
        return f"{self.result_id}: {self.old_score} → {self.score}"


class ResultsState(models.TextChoices):
    GRADED = "graded", _("成绩已评定")
    IN_REVIEW = "in_review", _("公示中")
    PUBLISHED = "published", _("已公布")


class BatchResults(models.Model):
    """The state of a batch's results (certification.domain.results.RESULTS_MOVES) and its review period."""

    batch = models.OneToOneField(Batch, verbose_name=_("批次"), on_delete=models.PROTECT, related_name="results")
    state = models.CharField(_("成绩状态"), max_length=12, choices=ResultsState.choices,
                             default=ResultsState.GRADED)
    review_started_at = models.DateTimeField(_("公示开始"), null=True, blank=True)
    review_ends_at = models.DateTimeField(_("公示结束"), null=True, blank=True)
    published_at = models.DateTimeField(_("公布时间"), null=True, blank=True)
    updated_at = models.DateTimeField(_("修改时间"))

    class Meta:
        verbose_name = _("批次成绩")
        verbose_name_plural = _("批次成绩")
        constraints = [
            models.CheckConstraint(condition=Q(state__in=["graded", "in_review", "published"]),
                                   name="batch_results_state"),
            models.CheckConstraint(condition=Q(state="graded") | Q(review_ends_at__isnull=False),
                                   name="batch_results_review_dates"),
        ]

    def __str__(self) -> str:
        return f"{self.batch_id} {self.state}"

    def permission_unit_ids(self) -> frozenset[int]:
        return frozenset({self.batch.body_id})


class Objection(models.Model):
    """A candidate's real-name objection (异议) to their results during the review, with the body's answer."""

    registration = models.ForeignKey(Registration, verbose_name=_("报名"), on_delete=models.PROTECT,
                                     related_name="objections")
    text = models.TextField(_("异议内容"))
    filed_by = models.ForeignKey(USER, verbose_name=_("提出人"), on_delete=models.PROTECT, related_name="+")
    filed_at = models.DateTimeField(_("提出时间"))
    answer = models.TextField(_("答复"), blank=True)
    upheld = models.BooleanField(_("异议成立"), null=True, blank=True)
    answered_by = models.ForeignKey(USER, verbose_name=_("答复人"), null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("成绩异议")
        verbose_name_plural = _("成绩异议")
        ordering = ["registration", "filed_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="objection_text"),
            models.CheckConstraint(condition=Q(answered_at__isnull=True) | (~Q(answer="") & Q(upheld__isnull=False)),
                                   name="objection_answer"),
        ]

    def __str__(self) -> str:
        return f"{self.registration_id} {self.filed_at:%Y-%m-%d}"

    def permission_owner_id(self) -> int:
        return int(self.filed_by_id)

    def permission_unit_ids(self) -> frozenset[int]:
        return frozenset({self.registration.batch.body_id})

class ExtraTimeGrant(models.Model):
    """Extra time (延时) granted by staff to one candidate, with the reason."""

    sitting = models.ForeignKey(Sitting, verbose_name=_("考试场次"), on_delete=models.CASCADE,
                                related_name="extra_grants")
    seconds = models.PositiveIntegerField(_("延时（秒）"))
    reason = models.TextField(_("原因"))
    granted_by = models.ForeignKey(USER, verbose_name=_("批准人"), null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    granted_at = models.DateTimeField(_("批准时间"))

    class Meta:
        verbose_name = _("延时")
        verbose_name_plural = _("延时")
        ordering = ["sitting_id", "granted_at"]
        constraints = [
            models.CheckConstraint(condition=Q(seconds__gt=0) & ~Q(reason=""), name="extra_time_reason_amount"),
        ]

    def __str__(self) -> str:
        return f"{self.sitting_id} +{self.seconds}s"


class DisconnectInterval(models.Model):
    """A connection loss as the server saw it (no contact beyond the heartbeat's limit), until contact resumed."""

    sitting = models.ForeignKey(Sitting, verbose_name=_("考试场次"), on_delete=models.CASCADE,
                                related_name="disconnects")
    started_at = models.DateTimeField(_("断线时间"))
    ended_at = models.DateTimeField(_("恢复时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("断线记录")
        verbose_name_plural = _("断线记录")
        ordering = ["sitting_id", "started_at"]
        constraints = [
            models.CheckConstraint(condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                                   name="disconnect_interval_order"),
        ]

    def __str__(self) -> str:
        return f"{self.sitting_id} {self.started_at}–{self.ended_at}"


class SavedAnswer(models.Model):
    """The answer in force for one question of a sitting: the choices (stored option indexes) of the highest
    sequence number accepted."""

    sitting = models.ForeignKey(Sitting, verbose_name=_("考试场次"), on_delete=models.CASCADE,
                                related_name="saved_answers")
    position = models.PositiveIntegerField(_("题号（从 0 起）"))
    choices = models.JSONField(_("所选选项"), default=list)
    seq = models.PositiveIntegerField(_("序号"))
    given_at = models.DateTimeField(_("作答时间（页面）"))

    class Meta:
        verbose_name = _("已保存答案")
        verbose_name_plural = _("已保存答案")
        ordering = ["sitting_id", "position"]
        constraints = [models.UniqueConstraint(fields=["sitting", "position"], name="saved_answer_once")]

    def __str__(self) -> str:
        return f"{self.sitting_id} #{self.position} seq {self.seq}"


class ReceiptOutcome(models.TextChoices):
    ACCEPTED = "accepted", _("已保存")
    REPEATED = "repeated", _("重复提交")
    REFUSED = "refused", _("拒收")


class AnswerReceipt(models.Model):
    """Every answer that reached the server, as it came (append-only): the client's sequence number, when the page
    says it was given, when it arrived, and what became of it (refused with its code)."""

    sitting = models.ForeignKey(Sitting, verbose_name=_("考试场次"), on_delete=models.CASCADE,
                                related_name="receipts")
    seq = models.IntegerField(_("序号"))
    position = models.IntegerField(_("题号（从 0 起）"))
    choices = models.JSONField(_("所选选项"), default=list)
    given_at = models.DateTimeField(_("作答时间（页面）"))
    received_at = models.DateTimeField(_("到达时间"))
    outcome = models.CharField(_("结果"), max_length=10, choices=ReceiptOutcome.choices)
    code = models.CharField(_("拒收原因"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("答案接收记录")
        verbose_name_plural = _("答案接收记录")
        ordering = ["sitting_id", "pk"]
        indexes = [models.Index(fields=["sitting", "seq"], name="answer_receipt_seq")]

    def __str__(self) -> str:
        return f"{self.sitting_id} seq {self.seq} {self.outcome}"


class SittingEventKind(models.TextChoices):
    OPENED = "opened", _("进入考试")
    RESUMED = "resumed", _("重新进入")
    LEFT_PAGE = "left_page", _("离开考试页面")
    BACK = "back", _("回到考试页面")
    DISCONNECTED = "disconnected", _("断线")
    RECONNECTED = "reconnected", _("重新连接")
    SESSION_REFUSED = "session_refused", _("另一设备进入被拒")
    RELEASED = "released", _("监考员释放会话")
    TAKEN_OVER = "taken_over", _("新设备接管")
    EXTRA_TIME = "extra_time", _("延时")
    REFUSED_ANSWER = "refused_answer", _("答案被拒收")
    SUBMITTED = "submitted", _("交卷")


class SittingEvent(models.Model):
    """What the invigilator's room shows as a seat's history (append-only)."""

    sitting = models.ForeignKey(Sitting, verbose_name=_("考试场次"), on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("事件"), max_length=20, choices=SittingEventKind.choices)
    at = models.DateTimeField(_("时间"))
    detail = models.JSONField(_("详情"), default=dict)

    class Meta:
        verbose_name = _("考试事件")
        verbose_name_plural = _("考试事件")
        ordering = ["sitting_id", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.sitting_id} {self.kind} {self.at}"


class SittingGrade(models.Model):
    """A grade of a submitted sitting; a regrade adds the next version, the highest is in force."""

    sitting = models.ForeignKey(Sitting, verbose_name=_("考试场次"), on_delete=models.CASCADE, related_name="grades")
    version = models.PositiveIntegerField(_("版本"))
    score = models.DecimalField(_("成绩"), max_digits=4, decimal_places=1)
    earned = models.JSONField(_("各题得分"), default=list)  # per item, as strings ("2", "4/3")
    total = models.PositiveIntegerField(_("卷面总分"))
    graded_at = models.DateTimeField(_("评分时间"))
    regrade = models.ForeignKey("Regrade", verbose_name=_("重新评分"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="grades")

    class Meta:
        verbose_name = _("理论成绩")
        verbose_name_plural = _("理论成绩")
        ordering = ["sitting_id", "version"]
        constraints = [models.UniqueConstraint(fields=["sitting", "version"], name="sitting_grade_version_once")]

    def __str__(self) -> str:
        return f"{self.sitting_id} v{self.version} {self.score}"


class Regrade(models.Model):
    """A regrade after a question version was corrected: the version corrected, the corrected key (or void), who,
    why; its `RegradeChange`s say per candidate what changed."""

    old_version = models.ForeignKey(QuestionVersion, verbose_name=_("原试题版本"), on_delete=models.PROTECT,
                                    related_name="regrades")
    new_version = models.ForeignKey(QuestionVersion, verbose_name=_("更正后版本"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    correct = models.JSONField(_("更正后的答案"), default=list)
    voided = models.BooleanField(_("作废该题"), default=False)
    reason = models.TextField(_("原因"))
    sittings = models.PositiveIntegerField(_("涉及考生"))
    changed = models.PositiveIntegerField(_("成绩变化人数"))
    created_by = models.ForeignKey(USER, verbose_name=_("操作人"), null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("重新评分")
        verbose_name_plural = _("重新评分")
        ordering = ["-created_at", "pk"]
        constraints = [models.CheckConstraint(condition=~Q(reason=""), name="regrade_reason")]

    def __str__(self) -> str:
        return f"{self.old_version_id} {self.created_at}"


class RegradeChange(models.Model):
    """One candidate's change in a regrade: old and new score, and each item whose points changed."""

    regrade = models.ForeignKey(Regrade, verbose_name=_("重新评分"), on_delete=models.CASCADE, related_name="changes")
    sitting = models.ForeignKey(Sitting, verbose_name=_("考试场次"), on_delete=models.PROTECT, related_name="+")
    old_score = models.DecimalField(_("原成绩"), max_digits=4, decimal_places=1)
    new_score = models.DecimalField(_("新成绩"), max_digits=4, decimal_places=1)
    items = models.JSONField(_("变化的题目"), default=list)  # [{position, version, old, new}]

    class Meta:
        verbose_name = _("重新评分明细")
        verbose_name_plural = _("重新评分明细")
        ordering = ["regrade_id", "sitting_id"]

    def __str__(self) -> str:
        return f"{self.regrade_id} {self.sitting_id}"


# --- Certificates (issue 13 items 1, 2 and 7) ----------------------------------------------------------------------
# certification.domain.numbering and certification.domain.certificates hold the rules; these tables hold the data:
# - `BodyFiling`: an evaluation body's 备案 codes (agency, province, site serial), set by the platform admin; the
#   first 13 characters of its numbers. Unique per code triple, so two bodies can never share a number's prefix.
# - `CertificateSerial`: the last serial used per number prefix (kind + the filing's codes), year and level: the
#   gap-free counter the issuing service locks (select_for_update) and advances in the certificate's transaction.
# - `CertificateStatusList`: a status list (W3C Bitstring Status List, published by certcrypto) with how many of its
#   indexes are taken; the issuing service locks the current one to take a random free index.
# - `Certificate`: the facts its face states (every field of CertificateFacts, frozen at issuance: the signature
#   covers them), where it came from (one source, a check constraint), its key id and signature, its status and
#   the successor of a re-issue, and its status-list slot.
# - `CertificateEvent`: the history (issued, revoked, superseded) with who, when and why; append-only.

digits4 = RegexValidator(r"^[0-9]{4}$", _("机构代码应为 4 位数字。"), code="agency_code")
digits2 = RegexValidator(r"^[0-9]{2}$", _("省份代码应为 2 位数字。"), code="province_code")
digits6 = RegexValidator(r"^(?!000000)[0-9]{6}$", _("站点序号应为 6 位数字（不能为 000000）。"), code="site_serial")


class BodyFiling(models.Model):
    """An evaluation body's filing codes (备案): agency code (0000 when filed only with the province), province
    code (37 for Shandong), site serial."""

    organization = models.OneToOneField("accounts.Organization", verbose_name=_("评价机构"), on_delete=models.PROTECT,
                                        related_name="certificate_filing")
    agency_code = models.CharField(_("机构代码"), max_length=4, default="0000", validators=[digits4])
    province_code = models.CharField(_("省份代码"), max_length=2, default="37", validators=[digits2])
    site_serial = models.CharField(_("站点序号"), max_length=6, validators=[digits6])
    updated_by = models.ForeignKey(USER, verbose_name=_("设置人"), null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    updated_at = models.DateTimeField(_("设置时间"))

    class Meta:
        verbose_name = _("评价机构备案")
        verbose_name_plural = _("评价机构备案")
        constraints = [
            models.UniqueConstraint(fields=["agency_code", "province_code", "site_serial"],
                                    name="body_filing_codes_once"),
            models.CheckConstraint(condition=Q(agency_code__regex=r"^[0-9]{4}$"), name="body_filing_agency_code"),
            models.CheckConstraint(condition=Q(province_code__regex=r"^[0-9]{2}$"), name="body_filing_province_code"),
            models.CheckConstraint(condition=Q(site_serial__regex=r"^[0-9]{6}$") & ~Q(site_serial="000000"),
                                   name="body_filing_site_serial"),
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.agency_code}{self.province_code}{self.site_serial}"

    def permission_unit_ids(self) -> frozenset[int]:
        return frozenset({self.organization_id})


class CertificateSerial(models.Model):
    """The last serial issued under one number prefix (kind + agency + province + site serial), year and level."""

    prefix = models.CharField(_("编号前缀"), max_length=13)
    year = models.PositiveSmallIntegerField(_("年份"))  # the full year, e.g. 2026
    level = models.PositiveSmallIntegerField(_("等级"), choices=Level.choices)
    last = models.PositiveIntegerField(_("已用流水号"), default=0)

    class Meta:
        verbose_name = _("证书流水号")
        verbose_name_plural = _("证书流水号")
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year", "level"], name="certificate_serial_once"),
            models.CheckConstraint(condition=Q(level__gte=1) & Q(level__lte=5), name="certificate_serial_level"),
            models.CheckConstraint(condition=Q(last__lte=999_999), name="certificate_serial_max"),
            models.CheckConstraint(condition=Q(prefix__regex=r"^[YS][0-9]{12}$"), name="certificate_serial_prefix"),
        ]

    def __str__(self) -> str:
        return f"{self.prefix} {self.year} {self.level}: {self.last}"


class CertificateStatusList(models.Model):
    """One status list: its number (the URL names it), its size, how many of its indexes certificates took."""

    list_no = models.PositiveIntegerField(_("状态列表号"), unique=True)
    size = models.PositiveIntegerField(_("容量"), default=131_072)
    used = models.PositiveIntegerField(_("已用"), default=0)

    class Meta:
        verbose_name = _("证书状态列表")
        verbose_name_plural = _("证书状态列表")
        constraints = [
            models.CheckConstraint(condition=Q(used__lte=models.F("size")), name="certificate_status_list_used"),
            models.CheckConstraint(condition=Q(size__gte=131_072), name="certificate_status_list_size"),
        ]

    def __str__(self) -> str:
        return f"{self.list_no}: {self.used}/{self.size}"


class CertificateSource(models.TextChoices):
    REGISTRATION = "registration", _("认定批次成绩")
    PROMOTION = "promotion", _("竞赛晋级")
    APPOINTMENT = "appointment", _("评聘")


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("有效")
    REVOKED = "revoked", _("已撤销")
    SUPERSEDED = "superseded", _("已换发")


class ReissueKind(models.TextChoices):
    LOST = "lost", _("补证（遗失）")
    CHANGED = "changed", _("换证（信息变更）")


class Certificate(models.Model):
    """A certificate (职业技能等级证书, or an appointment letter 聘书 for 特级技师/首席技师) as issued."""

    number = models.CharField(_("证书编号"), max_length=22, unique=True)
    serial_counter = models.ForeignKey(CertificateSerial, verbose_name=_("流水号计数"), on_delete=models.PROTECT,
                                       related_name="certificates")
    serial = models.PositiveIntegerField(_("流水号"))
    # The facts on its face (certification.domain.certificate_facts.CertificateFacts), frozen at issuance.
    holder_name = models.CharField(_("姓名"), max_length=50)
    id_number_masked = models.CharField(_("证件号码（脱敏）"), max_length=18)
    occupation_code = models.CharField(_("职业编码"), max_length=10)
    occupation_name = models.CharField(_("职业（工种）名称"), max_length=100)
    level = models.PositiveSmallIntegerField(_("等级"), choices=Level.choices)
    title = models.CharField(_("评聘等级"), max_length=12, blank=True)  # 特级技师 / 首席技师 on a letter
    issuer_name = models.CharField(_("评价机构"), max_length=200)
    issued_on = models.DateField(_("发证日期"))
    # Who and what
    holder = models.ForeignKey(USER, verbose_name=_("持证人"), on_delete=models.PROTECT, related_name="certificates")
    occupation = models.ForeignKey(Occupation, verbose_name=_("职业"), on_delete=models.PROTECT,
                                   related_name="certificates")
    body = models.ForeignKey("accounts.Organization", verbose_name=_("发证机构"), on_delete=models.PROTECT,
                             related_name="certificates_issued")
    source = models.CharField(_("来源"), max_length=12, choices=CertificateSource.choices)
    registration = models.ForeignKey(Registration, verbose_name=_("报名（批次成绩）"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="certificates")
    promotion = models.ForeignKey(HeldLevel, verbose_name=_("竞赛晋级"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="promotion_certificates")
    appointment = models.ForeignKey(Appointment, verbose_name=_("评聘"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="certificates")
    # The level the certificate gave (a batch result's); a promotion's and an appointment's rest on theirs.
    granted_level = models.ForeignKey(HeldLevel, verbose_name=_("所授等级"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="granting_certificates")
    issued_at = models.DateTimeField(_("发证时间"))
    issued_by = models.ForeignKey(USER, verbose_name=_("发证人"), null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    # certification.keys.sign_facts at issuance: the QR payload is rebuilt from these for ever.
    key_id = models.CharField(_("签名密钥"), max_length=64)
    signature = models.CharField(_("签名"), max_length=128)
    status = models.CharField(_("状态"), max_length=12, choices=CertificateStatus.choices,
                              default=CertificateStatus.VALID)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoked_reason = models.TextField(_("撤销原因"), blank=True)
    superseded_by = models.OneToOneField("self", verbose_name=_("换发为"), null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="supersedes")
    reissue_kind = models.CharField(_("换发方式"), max_length=10, choices=ReissueKind.choices, blank=True)
    status_list_no = models.PositiveIntegerField(_("状态列表号"))
    status_index = models.PositiveIntegerField(_("状态列表位置"))

    class Meta:
        verbose_name = _("证书")
        verbose_name_plural = _("证书")
        ordering = ["-issued_at", "-pk"]
        indexes = [models.Index(fields=["body", "issued_at"], name="certificate_body_issued"),
                   models.Index(fields=["holder", "issued_at"], name="certificate_holder_issued")]
        constraints = [
            models.UniqueConstraint(fields=["serial_counter", "serial"], name="certificate_serial_unique"),
            models.UniqueConstraint(fields=["status_list_no", "status_index"], name="certificate_status_slot"),
            models.CheckConstraint(condition=Q(number__regex=r"^[YS][0-9]{14}[1-5][0-9]{6}$"),
                                   name="certificate_number_form"),
            models.CheckConstraint(condition=Q(level__gte=1) & Q(level__lte=5), name="certificate_level_range"),
            models.CheckConstraint(condition=Q(serial__gte=1) & Q(serial__lte=999_999),
                                   name="certificate_serial_range"),
            models.CheckConstraint(condition=Q(status_index__lt=131_072), name="certificate_status_index_range"),
            # Exactly one source, the one `source` names; a letter (and only a letter) carries a title, on 一级.
            models.CheckConstraint(
                condition=Q(source="registration", registration__isnull=False, promotion__isnull=True,
                            appointment__isnull=True, title="")
                | Q(source="promotion", registration__isnull=True, promotion__isnull=False,
                    appointment__isnull=True, title="")
                | Q(source="appointment", registration__isnull=True, promotion__isnull=True,
                    appointment__isnull=False, level=1) & ~Q(title=""),
                name="certificate_one_source",
            ),
            # One standing certificate per source: a re-issue supersedes the old one before its successor is valid.
            models.UniqueConstraint(fields=["registration"], condition=Q(status="valid"),
                                    name="certificate_valid_per_registration"),
            models.UniqueConstraint(fields=["promotion"], condition=Q(status="valid"),
                                    name="certificate_valid_per_promotion"),
            models.UniqueConstraint(fields=["appointment"], condition=Q(status="valid"),
                                    name="certificate_valid_per_appointment"),
            models.CheckConstraint(
                condition=Q(status="valid", revoked_at__isnull=True, revoked_reason="", superseded_by__isnull=True)
                | Q(status="revoked", revoked_at__isnull=False, superseded_by__isnull=True) & ~Q(revoked_reason="")
                # superseded_by is set in the re-issue's transaction once the successor exists (the old one must stop
                # being valid before its successor is created: the per-source unique constraints above).
                | Q(status="superseded", revoked_at__isnull=True),
                name="certificate_status_fields",
            ),
            models.CheckConstraint(condition=~Q(key_id="") & ~Q(signature=""), name="certificate_signed"),
        ]

    def __str__(self) -> str:
        return self.number

    def permission_owner_id(self) -> int:
        return int(self.holder_id)

    def permission_unit_ids(self) -> frozenset[int]:
        """The issuing body alone (certification.permissions)."""
        return frozenset({self.body_id})


class CertificateEventKind(models.TextChoices):
    ISSUED = "issued", _("发证")
    REVOKED = "revoked", _("撤销")
    SUPERSEDED = "superseded", _("换发")


def _events_append_only() -> Exception:
    from core.errors import Conflict  # here, not at the top: this block stays one contiguous merge

    return Conflict("certificate.events_append_only", default="Certificate events cannot be changed or deleted.")


class CertificateEventQuerySet(models.QuerySet["CertificateEvent"]):
    """No bulk change of history rows (the database refuses them too: migration 0008)."""

    def update(self, **kwargs: Any) -> int:
        raise _events_append_only()

    def delete(self) -> tuple[int, dict[str, int]]:
        raise _events_append_only()

    def bulk_update(self, *args: Any, **kwargs: Any) -> int:
        raise _events_append_only()


class CertificateEvent(models.Model):
    """One step of a certificate's history, append-only as the audit entries are: the model and its queryset
    refuse a change or a deletion, and so does the database (migration 0008's triggers)."""

    certificate = models.ForeignKey(Certificate, verbose_name=_("证书"), on_delete=models.PROTECT,
                                    related_name="events")
    kind = models.CharField(_("事件"), max_length=12, choices=CertificateEventKind.choices)
    at = models.DateTimeField(_("时间"))
    actor = models.ForeignKey(USER, verbose_name=_("操作人"), null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")  # None: the system actor (scripts, the demo)
    reason = models.TextField(_("原因"), blank=True)
    detail = models.JSONField(_("详情"), default=dict)  # reissue kind, the other certificate's number

    objects = CertificateEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("证书记录")
        verbose_name_plural = _("证书记录")
        ordering = ["certificate_id", "at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["issued", "revoked", "superseded"]),
                                   name="certificate_event_kind"),
            models.CheckConstraint(condition=Q(kind="issued") | ~Q(reason=""), name="certificate_event_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.certificate_id} {self.kind} {self.at}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise _events_append_only()
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise _events_append_only()
