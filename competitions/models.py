"""Tables of the competitions app and their invariants (DESIGN.md "Competitions", "Data flow of one mark").

Choices where DESIGN.md is silent (each is tested):

- **Two state fields, one table of moves.** An event moves draft → registration → check_in → competing →
  marking → review → published → archived. Skills (赛项) of one event run on their own days and publish their own
  公示, so a skill carries the same `Status` from check_in on: it may run ahead of its event (焊工 published while
  电工 is still marking), never behind it. Moving the event moves every skill that is behind it (with that skill's
  checks). The moves are in `ALLOWED_MOVES` below.
- **Marks.** One row per (entry, aspect, referee) holds the referee's current value; every write is also a
  `MarkRevision` whose idempotency key is unique, so a retried request with any key already used is answered
  with the stored mark instead of writing again, and the history of changes before sign-off stays in the table
  (and in the audit log, which names old and new values).
- **Cached totals.** `Entry.module_scores` (module id → the module's score), `Entry.practical` and `Entry.total`
  are caches moved by the delta of one aspect's mark when a mark changes (no recomputation of the skill), all on
  the entry's row, so a mark updates one row of totals; a test compares them with a full recomputation by
  `competitions.domain.scoring.compute_results`. Standings are never typed in.
- **Encryption.** `Entry.checkin_no` (检录号) and `Entry.workstation_no` (工位号) are written by the two draws;
  referees' reads show the 工位号 only. Names appear to the jury after `Skill.decrypted_at` is set. Sheets, marks
  and corrections belong to the skill's organizer, not the nominating unit (`marking_stage_unit_ids`), and their
  ids follow the draw, not the registrations (competitions.selectors.anonymity).
- **One entry per person per event**: `EntryMember.event` is denormalised from the entry's skill so that the
  database enforces it, for entries still in play (submitted or approved); a rejected or withdrawn entry frees
  the person.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization
from competitions.domain.awards import AwardRuleKind as DomainAwardRuleKind
from competitions.domain.awards import ExcellenceBasis as DomainExcellenceBasis
from competitions.domain.eligibility import Group as DomainGroup
from competitions.domain.promotion import CompetitionLevel as DomainLevel
from competitions.domain.ranking import DEFAULT_TIE_BREAKS
from competitions.domain.scoring import MarkingMethod as DomainMethod
from competitions.domain.titles import TitleScope as DomainTitleScope

USER = settings.AUTH_USER_MODEL


class CompetitionLevel(models.TextChoices):
    """竞赛级别; the same slugs as `competitions.domain.promotion.CompetitionLevel`, which the tables are keyed by."""

    WORLDSKILLS_SELECTION = DomainLevel.WORLDSKILLS_SELECTION.value, _("世赛选拔")
    NATIONAL = DomainLevel.NATIONAL.value, _("国赛")
    PROVINCIAL_1 = DomainLevel.PROVINCIAL_1.value, _("省级一类")
    PROVINCIAL_2 = DomainLevel.PROVINCIAL_2.value, _("省级二类")
    CITY = DomainLevel.CITY.value, _("市级")
    INDUSTRY = DomainLevel.INDUSTRY.value, _("行业")
    ENTERPRISE = DomainLevel.ENTERPRISE.value, _("企业")
    COLLEGE = DomainLevel.COLLEGE.value, _("院校")


class Status(models.TextChoices):
    """Where an event, or one of its skills, stands (竞赛状态)."""

    DRAFT = "draft", _("筹备")
    REGISTRATION = "registration", _("报名")
    CHECK_IN = "check_in", _("检录")
    COMPETING = "competing", _("比赛")
    MARKING = "marking", _("评分")
    REVIEW = "review", _("成绩公示")
    PUBLISHED = "published", _("成绩公布")
    ARCHIVED = "archived", _("归档")


STATUS_ORDER: tuple[str, ...] = tuple(Status.values)


def status_index(status: str) -> int:
    return STATUS_ORDER.index(status)


# The one table of moves of an event and its skills: each status has exactly one next status.
ALLOWED_MOVES: dict[str, str] = {
    Status.DRAFT: Status.REGISTRATION,
    Status.REGISTRATION: Status.CHECK_IN,
    Status.CHECK_IN: Status.COMPETING,
    Status.COMPETING: Status.MARKING,
    Status.MARKING: Status.REVIEW,
    Status.REVIEW: Status.PUBLISHED,
    Status.PUBLISHED: Status.ARCHIVED,
}


class AwardRuleKind(models.TextChoices):
    PLACES = DomainAwardRuleKind.PLACES.value, _("按名次（金银铜牌、优胜奖）")
    PROPORTIONS = DomainAwardRuleKind.PROPORTIONS.value, _("按比例（一二三等奖）")


class ExcellenceBasis(models.TextChoices):
    HALF_OF_ENTRANTS = DomainExcellenceBasis.HALF_OF_ENTRANTS.value, _("前一半名次")
    STANDARDISED_SCORE = DomainExcellenceBasis.STANDARDISED_SCORE.value, _("标准分 700 及以上")


class Group(models.TextChoices):
    WORKER = DomainGroup.WORKER.value, _("职工组")
    STUDENT = DomainGroup.STUDENT.value, _("学生组")
    TEACHER = DomainGroup.TEACHER.value, _("教师组")


class MarkingMethod(models.TextChoices):
    FULL_OR_ZERO = DomainMethod.FULL_OR_ZERO.value, _("测量（全得或零分）")
    TOLERANCE = DomainMethod.TOLERANCE.value, _("测量（公差扣分）")
    WORLDSKILLS = DomainMethod.WORLDSKILLS.value, _("评价（世赛三人 0–3 分）")
    PANEL = DomainMethod.PANEL.value, _("评价（去掉最高最低取平均）")
    MEAN = DomainMethod.MEAN.value, _("评价（算术平均）")


JUDGEMENT_METHODS = frozenset({MarkingMethod.WORLDSKILLS, MarkingMethod.PANEL, MarkingMethod.MEAN})

occupation_code_validator = RegexValidator(
    r"^\d-\d{2}-\d{2}-\d{2}$", _("职业编码应为 X-XX-XX-XX 格式，如 6-18-02-04。"), code="occupation_code"
)


class Event(models.Model):
    """A competition (竞赛), e.g. 第二届“技能兴鲁”职业技能大赛; the organizer's unit owns it."""

    name = models.CharField(_("名称"), max_length=200)
    level = models.CharField(_("级别"), max_length=30, choices=CompetitionLevel.choices)
    series = models.CharField(_("系列"), max_length=100, blank=True, help_text=_("如“技能兴鲁”"))
    organizer = models.ForeignKey(
        Organization, verbose_name=_("主办单位"), on_delete=models.PROTECT, related_name="organized_events"
    )
    starts_on = models.DateField(_("比赛开始日期"))
    ends_on = models.DateField(_("比赛结束日期"))
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    award_rule = models.CharField(_("奖项规则"), max_length=20, choices=AwardRuleKind.choices,
                                  default=AwardRuleKind.PLACES)
    excellence_basis = models.CharField(_("优胜奖依据"), max_length=30, choices=ExcellenceBasis.choices,
                                        default=ExcellenceBasis.HALF_OF_ENTRANTS)
    min_total = models.DecimalField(_("获奖最低总分"), max_digits=5, decimal_places=2, default=Decimal(60))
    review_days = models.PositiveSmallIntegerField(_("公示期（工作日）"), default=5)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("竞赛")
        verbose_name_plural = _("竞赛")
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="event_dates_ordered"),
            models.CheckConstraint(condition=Q(min_total__gte=0) & Q(min_total__lte=100), name="event_min_total"),
            models.UniqueConstraint(fields=["organizer", "name"], name="event_name_per_organizer"),
        ]

    def __str__(self) -> str:
        return self.name

    def permission_unit_ids(self) -> frozenset[int]:
        return frozenset({self.organizer_id})


class Venue(models.Model):
    """A competition site (赛场) of an event."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="venues")
    name = models.CharField(_("名称"), max_length=200)
    address = models.CharField(_("地址"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("赛场")
        verbose_name_plural = _("赛场")
        constraints = [models.UniqueConstraint(fields=["event", "name"], name="venue_name_per_event")]

    def __str__(self) -> str:
        return self.name

    def permission_unit_ids(self) -> frozenset[int]:
        return self.event.permission_unit_ids()


class Skill(models.Model):
    """A skill (赛项) of an event: one occupation, one group, individual or a team of 2–3."""

    event = models.ForeignKey(Event, verbose_name=_("竞赛"), on_delete=models.CASCADE, related_name="skills")
    name = models.CharField(_("赛项名称"), max_length=100)
    occupation_code = models.CharField(_("职业编码"), max_length=10, validators=[occupation_code_validator])
    # The catalogue's occupation (certification): promotions of the skill's published results are recorded in it,
    # by the level each contestant holds in it (DESIGN.md "Promotion"); none linked, nobody is promoted.
    occupation = models.ForeignKey("certification.Occupation", verbose_name=_("职业目录中的职业"), null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="+")
    group = models.CharField(_("组别"), max_length=20, choices=Group.choices)
    team_size = models.PositiveSmallIntegerField(_("每队人数"), default=1)
    min_age = models.PositiveSmallIntegerField(_("最小年龄"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("最大年龄"), null=True, blank=True)
    theory_weight = models.DecimalField(_("理论成绩权重"), max_digits=5, decimal_places=4, null=True, blank=True)
    tie_breaks = models.JSONField(_("并列区分规则"), default=list, blank=True,
                                  help_text=_("按顺序：completion_time、practical、theory、modules_reverse"))
    award_rule = models.CharField(_("奖项规则"), max_length=20, choices=AwardRuleKind.choices, blank=True,
                                  help_text=_("留空则按竞赛的规则"))
    nominates_to = models.ForeignKey(
        "self", verbose_name=_("选拔晋级至"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="nominated_from",
    )
    nominate_top = models.PositiveSmallIntegerField(_("选拔前 N 名"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    review_from = models.DateTimeField(_("公示开始"), null=True, blank=True)
    review_until = models.DateTimeField(_("公示截止"), null=True, blank=True)
    decrypted_at = models.DateTimeField(_("解密时间"), null=True, blank=True)
    decrypted_by = models.ForeignKey(USER, verbose_name=_("解密人"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(_("公布时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("赛项")
        verbose_name_plural = _("赛项")
        ordering = ["event", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "name", "group"], name="skill_name_group_per_event"),
            models.CheckConstraint(condition=Q(team_size__gte=1) & Q(team_size__lte=3), name="skill_team_size"),
            models.CheckConstraint(
                condition=Q(min_age__isnull=True) | Q(max_age__isnull=True) | Q(max_age__gte=F("min_age")),
                name="skill_age_range",
            ),
            models.CheckConstraint(
                condition=Q(theory_weight__isnull=True) | (Q(theory_weight__gt=0) & Q(theory_weight__lt=1)),
                name="skill_theory_weight",
            ),
            models.CheckConstraint(
                condition=Q(nominates_to__isnull=True, nominate_top__isnull=True)
                | Q(nominates_to__isnull=False, nominate_top__gte=1),
                name="skill_nomination_link",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_group_display()}）"

    def permission_unit_ids(self) -> frozenset[int]:
        return self.event.permission_unit_ids()

    @property
    def competition_day(self) -> date:
        """Age limits are checked on this day (DESIGN.md "Competitions"): the first day of the event."""
        return self.event.starts_on


class Workstation(models.Model):
    """A workstation (工位) of a venue used by one skill; its number is what referees see."""

    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="workstations")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="workstations")
    number = models.CharField(_("工位号"), max_length=20)

    class Meta:
        verbose_name = _("工位")
        verbose_name_plural = _("工位")
        ordering = ["skill", "number"]
        constraints = [models.UniqueConstraint(fields=["skill", "number"], name="workstation_once_per_skill")]

    def __str__(self) -> str:
        return self.number


class EntryStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待审核")
    APPROVED = "approved", _("已通过")
    REJECTED = "rejected", _("已驳回")
    WITHDRAWN = "withdrawn", _("已退赛")


ACTIVE_ENTRY_STATUSES = (EntryStatus.SUBMITTED, EntryStatus.APPROVED)

# The entry's moves: the organizer decides a submitted entry; a unit withdraws one still in play. Rejected and
# withdrawn are final (the people may enter again with a new entry).
ENTRY_MOVES: dict[str, frozenset[str]] = {
    EntryStatus.SUBMITTED: frozenset({EntryStatus.APPROVED, EntryStatus.REJECTED, EntryStatus.WITHDRAWN}),
    EntryStatus.APPROVED: frozenset({EntryStatus.WITHDRAWN}),
}


class Entry(models.Model):
    """A registration (报名) for a skill, nominated by a unit: one person, or a team of 2–3."""

    skill = models.ForeignKey(Skill, verbose_name=_("赛项"), on_delete=models.PROTECT, related_name="entries")
    unit = models.ForeignKey(Organization, verbose_name=_("推荐单位"), on_delete=models.PROTECT,
                             related_name="competition_entries")
    status = models.CharField(_("状态"), max_length=20, choices=EntryStatus.choices, default=EntryStatus.SUBMITTED)
    review_reason = models.TextField(_("审核意见"), blank=True)
    reviewed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("报名时间"), default=timezone.now)
    checkin_no = models.PositiveIntegerField(_("检录号"), null=True, blank=True)
    workstation_no = models.CharField(_("工位号"), max_length=20, blank=True)
    completion_time = models.DurationField(_("用时"), null=True, blank=True)
    theory_score = models.DecimalField(_("理论成绩"), max_digits=7, decimal_places=4, null=True, blank=True)
    # 缺考: recorded by the organizer with a reason; counts 0 and is shown as 缺考 (DESIGN.md "Marking scheme").
    theory_absent_reason = models.CharField(_("理论缺考原因"), max_length=200, blank=True)
    # Caches moved by mark_record (module docstring); checked against a full recomputation in the tests.
    module_scores = models.JSONField(_("模块成绩"), default=dict, blank=True,
                                     help_text=_("模块编号 → 模块成绩（四位小数的字符串）"))
    practical = models.DecimalField(_("实操成绩"), max_digits=9, decimal_places=4, default=Decimal(0))
    total = models.DecimalField(_("总成绩"), max_digits=7, decimal_places=2, default=Decimal(0))
    # Written by the database alone (a trigger, migration 0005): one more whenever a field the standings read
    # changes, so a skill's sum of these is the standings snapshot's watermark (competitions.services.standings).
    standings_seq = models.PositiveBigIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("报名")
        verbose_name_plural = _("报名")
        ordering = ["skill", "id"]
        constraints = [
            models.UniqueConstraint(fields=["skill", "checkin_no"], condition=Q(checkin_no__isnull=False),
                                    name="entry_checkin_no_once_per_skill"),
            models.UniqueConstraint(fields=["skill", "workstation_no"], condition=~Q(workstation_no=""),
                                    name="entry_workstation_once_per_skill"),
            models.CheckConstraint(
                condition=Q(theory_score__isnull=True) | (Q(theory_score__gte=0) & Q(theory_score__lte=100)),
                name="entry_theory_range",
            ),
            models.CheckConstraint(condition=Q(theory_absent_reason="") | Q(theory_score__isnull=True),
                                   name="entry_theory_absent_has_no_score"),
        ]
        indexes = [
            models.Index(fields=["skill", "status"], name="entry_skill_status_idx"),
            # The standings watermark (a skill's count and sum of standings_seq) from the index alone.
            models.Index(fields=["skill", "standings_seq"], name="entry_skill_standings_seq_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.skill} #{self.pk}"

    def module_score(self, module_id: int) -> Decimal:
        """The cached score of one module of this entry (0 before its first complete aspect)."""
        return Decimal(self.module_scores.get(str(module_id), "0"))

    def move_module_score(self, module_id: int, delta: Decimal) -> None:
        """Move one module's cached score and the practical total by one aspect's delta (the caller saves)."""
        score = (self.module_score(module_id) + delta).quantize(Decimal("0.0001"))  # as the column kept it
        self.module_scores = {**self.module_scores, str(module_id): str(score)}
        self.practical += delta

    def permission_unit_ids(self) -> frozenset[int]:
        return frozenset({self.skill.event.organizer_id, self.unit_id})


class EntryMember(models.Model):
    """A contestant of an entry; `event` is the entry's skill's event, so the database refuses double entries."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(USER, verbose_name=_("选手"), on_delete=models.PROTECT,
                               related_name="competition_entries")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+")
    group = models.CharField(_("身份组别"), max_length=20, choices=Group.choices)
    active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("参赛选手")
        verbose_name_plural = _("参赛选手")
        constraints = [
            models.UniqueConstraint(fields=["event", "person"], condition=Q(active=True),
                                    name="one_active_entry_per_person_per_event"),
            models.UniqueConstraint(fields=["entry", "person"], name="entry_member_once"),
        ]

    def __str__(self) -> str:
        return str(self.person)

    def permission_unit_ids(self) -> frozenset[int]:
        return self.entry.permission_unit_ids()


class EntryCoach(models.Model):
    """A coach (教练) of an entry."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="coaches")
    person = models.ForeignKey(USER, verbose_name=_("教练"), on_delete=models.PROTECT, related_name="coached_entries")

    class Meta:
        verbose_name = _("教练")
        verbose_name_plural = _("教练")
        constraints = [models.UniqueConstraint(fields=["entry", "person"], name="entry_coach_once")]

    def __str__(self) -> str:
        return f"{self.person} → {self.entry}"


class RefereeRole(models.TextChoices):
    CHIEF = "chief", _("裁判长")
    REFEREE = "referee", _("裁判员")


class MarkingGroup(models.Model):
    """A marking group (裁判分组) of a skill: referees marking one block of workstations (competitions.domain.groups).

    `workstation_nos` is the block the platform placed; only the mark path and the group's own referees read it
    (no page, API, export, audit entry or admin view shows it to the chief, the organizer or anyone else)."""

    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="marking_groups")
    position = models.PositiveSmallIntegerField(_("顺序"))
    name = models.CharField(_("组名"), max_length=50)
    block_size = models.PositiveSmallIntegerField(_("工位数"))
    workstation_nos = models.JSONField(_("工位号"), default=list, blank=True)
    placed_at = models.DateTimeField(_("安排时间"), default=timezone.now)

    class Meta:
        verbose_name = _("裁判分组")
        verbose_name_plural = _("裁判分组")
        ordering = ["skill", "position"]
        constraints = [
            models.UniqueConstraint(fields=["skill", "position"], name="marking_group_position_once"),
            models.UniqueConstraint(fields=["skill", "name"], name="marking_group_name_once"),
        ]

    def __str__(self) -> str:
        return f"{self.skill} · {self.name}"

    def permission_unit_ids(self) -> frozenset[int]:
        return self.skill.permission_unit_ids()


class RefereeAssignment(models.Model):
    """A referee (or the chief referee) of a skill; `priority` orders panel filling; empty `aspects` and
    `workstation_nos` mean every aspect and every workstation of the skill."""

    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="referee_assignments")
    referee = models.ForeignKey(USER, verbose_name=_("裁判"), on_delete=models.PROTECT,
                                related_name="referee_assignments")
    organization = models.ForeignKey(Organization, verbose_name=_("工作单位"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("职务"), max_length=20, choices=RefereeRole.choices, default=RefereeRole.REFEREE)
    priority = models.PositiveSmallIntegerField(_("顺序"), default=100)
    # "competitions.Aspect", not "Aspect": django-stubs types the bare name of a later model as ManyToManyField[Any]
    # (typeddjango/django-stubs#1802), losing the related managers; the app label resolves to the same model.
    aspects = models.ManyToManyField(
        "competitions.Aspect", verbose_name=_("评分项"), blank=True, related_name="assignments"
    )
    workstation_nos = models.JSONField(_("工位号"), default=list, blank=True)
    # Once the skill has marking groups, a referee marks their group's block only (none without a group).
    group = models.ForeignKey(MarkingGroup, verbose_name=_("裁判组"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="assignments")

    class Meta:
        verbose_name = _("裁判安排")
        verbose_name_plural = _("裁判安排")
        ordering = ["skill", "priority", "id"]
        constraints = [models.UniqueConstraint(fields=["skill", "referee"], name="referee_once_per_skill")]

    def __str__(self) -> str:
        return f"{self.referee} · {self.get_role_display()} · {self.skill}"

    def permission_unit_ids(self) -> frozenset[int]:
        return self.skill.permission_unit_ids()


class RelationshipDeclaration(models.Model):
    """A referee's declared relationship (亲属、师生 …) to a person; recusal applies to that person anywhere."""

    referee = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="declared_relationships")
    person = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("关系"), max_length=200)
    declared_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("回避申报")
        verbose_name_plural = _("回避申报")
        constraints = [
            models.UniqueConstraint(fields=["referee", "person"], name="relationship_once"),
            models.CheckConstraint(condition=~Q(referee=F("person")), name="relationship_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.referee} ↔ {self.person}"

    def permission_owner_id(self) -> int:
        return self.referee_id


class DrawStage(models.TextChoices):
    CHECKIN = "checkin", _("检录号抽签（一次加密）")
    WORKSTATION = "workstation", _("工位号抽签（二次加密）")


class Draw(models.Model):
    """One run of a draw with its recorded seed; the newest run of a stage is the one in force."""

    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="draws")
    stage = models.CharField(_("阶段"), max_length=20, choices=DrawStage.choices)
    seed = models.CharField(_("随机种子"), max_length=64)
    algorithm = models.CharField(_("算法"), max_length=20)
    result = models.JSONField(_("结果"))
    drawn_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    drawn_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("抽签")
        verbose_name_plural = _("抽签")
        ordering = ["skill", "stage", "-id"]

    def __str__(self) -> str:
        return f"{self.skill} · {self.get_stage_display()} · {self.seed}"

    def permission_unit_ids(self) -> frozenset[int]:
        return self.skill.permission_unit_ids()


class MarkingScheme(models.Model):
    """A skill's marking scheme (评分标准); frozen when marking starts."""

    skill = models.OneToOneField(Skill, on_delete=models.CASCADE, related_name="scheme")
    frozen_at = models.DateTimeField(_("锁定时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("评分标准")
        verbose_name_plural = _("评分标准")

    def __str__(self) -> str:
        return f"{self.skill}"

    def permission_unit_ids(self) -> frozenset[int]:
        return self.skill.permission_unit_ids()


class Module(models.Model):
    scheme = models.ForeignKey(MarkingScheme, on_delete=models.CASCADE, related_name="modules")
    code = models.CharField(_("模块编号"), max_length=20)
    name = models.CharField(_("模块名称"), max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("模块")
        verbose_name_plural = _("模块")
        ordering = ["scheme", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["scheme", "code"], name="module_code_once")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Aspect(models.Model):
    """An aspect (评分项) with its method; `bands` is [[tolerance, deduction], …] as strings, in increasing
    tolerance; `referee_count` None means the method's default."""

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="aspects")
    scheme = models.ForeignKey(MarkingScheme, on_delete=models.CASCADE, related_name="aspects")
    code = models.CharField(_("评分项编号"), max_length=20)
    description = models.CharField(_("评分内容"), max_length=300, blank=True)
    method = models.CharField(_("评分方式"), max_length=20, choices=MarkingMethod.choices)
    max_mark = models.DecimalField(_("满分"), max_digits=7, decimal_places=4)
    nominal = models.DecimalField(_("标准值"), max_digits=12, decimal_places=4, null=True, blank=True)
    bands = models.JSONField(_("公差扣分表"), default=list, blank=True)
    referee_count = models.PositiveSmallIntegerField(_("裁判人数"), null=True, blank=True)
    divergence_threshold = models.DecimalField(_("分歧阈值"), max_digits=5, decimal_places=4, null=True, blank=True,
                                               default=Decimal("0.20"))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("评分项")
        verbose_name_plural = _("评分项")
        ordering = ["scheme", "module__position", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="aspect_code_once"),
            models.CheckConstraint(condition=Q(max_mark__gt=0), name="aspect_max_positive"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_judgement(self) -> bool:
        return self.method in JUDGEMENT_METHODS


def marking_stage_unit_ids(entry: Entry) -> frozenset[int]:
    """The units a sheet, a mark or a correction belongs to: the skill's (its organizer's), not the nominating
    unit's. Marking is anonymous (二次加密): if the nominating unit's staff could open the change history of their
    own entries' sheets and marks (and be told 404 for everyone else's), the platform would answer "which
    workstations are ours" one id at a time (issue 9 item 1)."""
    return entry.skill.permission_unit_ids()


class SheetStatus(models.TextChoices):
    OPEN = "open", _("评分中")
    SIGNED_OFF = "signed_off", _("已签字锁定")


class Sheet(models.Model):
    """The score sheet of one module of one entry (评分表); signing it off locks its marks. The module's score is
    cached on the entry (`Entry.module_scores`), the one row a mark moves; `confirmed_divergences` maps an
    aspect code to the chief referee's reason for keeping it."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="sheets")
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="sheets")
    status = models.CharField(_("状态"), max_length=20, choices=SheetStatus.choices, default=SheetStatus.OPEN)
    signed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(null=True, blank=True)
    confirmed_divergences = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("评分表")
        verbose_name_plural = _("评分表")
        constraints = [
            models.UniqueConstraint(fields=["entry", "module"], name="sheet_once_per_entry_module"),
            models.CheckConstraint(
                condition=Q(status="open") | Q(signed_by__isnull=False, signed_at__isnull=False),
                name="sheet_signed_has_signer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entry.skill} · 评分表 #{self.pk} · {self.module}"

    def permission_unit_ids(self) -> frozenset[int]:
        return marking_stage_unit_ids(self.entry)


class Mark(models.Model):
    """A referee's current value for one aspect of one entry (one row per triple, enforced)."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="marks")
    aspect = models.ForeignKey(Aspect, on_delete=models.PROTECT, related_name="marks")
    referee = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="marks")
    value = models.DecimalField(_("分值"), max_digits=9, decimal_places=4)
    idempotency_key = models.UUIDField(unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("评分")
        verbose_name_plural = _("评分")
        constraints = [
            models.UniqueConstraint(fields=["entry", "aspect", "referee"], name="mark_once_per_referee"),
        ]

    def __str__(self) -> str:
        return f"{self.aspect.code}={self.value}"

    def permission_unit_ids(self) -> frozenset[int]:
        return marking_stage_unit_ids(self.entry)


class MarkRevision(models.Model):
    """Every value a mark took, with the idempotency key of the request that wrote it."""

    mark = models.ForeignKey(Mark, on_delete=models.CASCADE, related_name="revisions")
    value = models.DecimalField(max_digits=9, decimal_places=4)
    idempotency_key = models.UUIDField(unique=True)
    written_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(default=timezone.now)
    via_correction = models.ForeignKey("MarkCorrection", null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="+")

    class Meta:
        ordering = ["mark", "id"]

    def __str__(self) -> str:
        return f"{self.mark_id}: {self.value}"


class CorrectionStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("已驳回")


class MarkCorrection(models.Model):
    """A change to a mark on a signed-off sheet: requested with a reason, approved by the chief referee."""

    mark = models.ForeignKey(Mark, on_delete=models.PROTECT, related_name="corrections")
    old_value = models.DecimalField(max_digits=9, decimal_places=4)
    new_value = models.DecimalField(max_digits=9, decimal_places=4)
    reason = models.TextField(_("原因"))
    status = models.CharField(max_length=20, choices=CorrectionStatus.choices, default=CorrectionStatus.PENDING)
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)

    class Meta:
        verbose_name = _("评分更正")
        verbose_name_plural = _("评分更正")
        ordering = ["-requested_at"]
        constraints = [models.CheckConstraint(condition=~Q(reason=""), name="correction_has_reason")]

    def __str__(self) -> str:
        return f"{self.mark_id}: {self.old_value} → {self.new_value}"

    def permission_unit_ids(self) -> frozenset[int]:
        return marking_stage_unit_ids(self.mark.entry)


class Objection(models.Model):
    """A real-name objection (异议) during the review period, answered by the chief referee with a reason."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="objections")
    filed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    filed_at = models.DateTimeField(default=timezone.now)
    text = models.TextField(_("异议内容"))
    answer = models.TextField(_("答复"), blank=True)
    answered_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("成绩异议")
        verbose_name_plural = _("成绩异议")
        ordering = ["filed_at"]
        constraints = [  # competitions.domain.objections: one open objection per person and entry
            models.UniqueConstraint(fields=["entry", "filed_by"], condition=Q(answered_at__isnull=True),
                                    name="objection_one_open_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.entry} · {self.filed_by}"

    def permission_unit_ids(self) -> frozenset[int]:
        return self.entry.permission_unit_ids()

    def permission_owner_id(self) -> int:
        return self.filed_by_id


class TitleScope(models.TextChoices):
    NATIONAL = DomainTitleScope.NATIONAL.value, _("全国技术能手")
    PROVINCIAL = DomainTitleScope.PROVINCIAL.value, _("省技术能手")


class TitleProposal(models.Model):
    """A 技术能手 title proposed for a contestant by the ranking; effective once the organizer approves (核准)."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="title_proposals")
    person = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="title_proposals")
    scope = models.CharField(max_length=20, choices=TitleScope.choices)
    place = models.PositiveIntegerField(_("名次"))
    proposed_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("技术能手推荐")
        verbose_name_plural = _("技术能手推荐")
        constraints = [models.UniqueConstraint(fields=["entry", "person"], name="title_once_per_member")]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_scope_display()}"

    def permission_unit_ids(self) -> frozenset[int]:
        return self.entry.permission_unit_ids()


class Nomination(models.Model):
    """选拔: a top-N entry of a lower-level skill sent to the linked skill of a higher-level event."""

    from_entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="nominations")
    to_skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="nominations_received")
    place = models.PositiveIntegerField(_("名次"))
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("选拔推荐")
        verbose_name_plural = _("选拔推荐")
        constraints = [models.UniqueConstraint(fields=["from_entry", "to_skill"], name="nomination_once")]

    def __str__(self) -> str:
        return f"{self.from_entry} → {self.to_skill}"

    def permission_unit_ids(self) -> frozenset[int]:
        return frozenset({self.to_skill.event.organizer_id, *self.from_entry.permission_unit_ids()})


DEFAULT_TIE_BREAK_CODES: list[str] = [t.value for t in DEFAULT_TIE_BREAKS]


class StandingsCheck(models.TextChoices):
    UNCHECKED = "unchecked", _("未核对")
    AGREES = "agrees", _("与重算一致")
    MISMATCH = "mismatch", _("与重算不一致")


class StandingsSnapshot(models.Model):
    """A skill's stored standings (成绩快照): every place with its award, tie-break values and module scores, as the
    pure functions derived them from the entries' cached totals (competitions.services.standings). Derived data,
    rebuilt and never edited; `watermark_*` name the state of the entries it was built from."""

    skill = models.OneToOneField(Skill, primary_key=True, on_delete=models.CASCADE, related_name="standings_snapshot")
    version = models.PositiveBigIntegerField(default=0)
    content_hash = models.CharField(max_length=64, blank=True)
    watermark_count = models.BigIntegerField(default=-1)
    watermark_seq = models.BigIntegerField(default=-1)
    config_key = models.CharField(max_length=64, blank=True)
    modules = models.JSONField(default=list)
    rows = models.JSONField(default=list)
    built_at = models.DateTimeField(null=True)
    check_status = models.CharField(max_length=20, choices=StandingsCheck.choices, default=StandingsCheck.UNCHECKED)
    checked_at = models.DateTimeField(null=True)
    check_scope = models.CharField(max_length=100, blank=True)
    mismatches = models.JSONField(default=list)

    class Meta:
        verbose_name = _("成绩快照")
        verbose_name_plural = _("成绩快照")

    def __str__(self) -> str:
        return f"{self.skill_id} v{self.version}"


class PublishedResults(models.Model):
    """One version of a skill's published results (公布成绩), frozen when it was published: names and units as they
    were, every figure (places, totals, module scores, tie-break values and the deciding tie-break, theory, awards,
    titles, promotions) and the modules with their names, in `document`; `content_hash` is the SHA-256 of the
    document, recorded in the audit entry of the publication. Version 1 is the publication; each later version is
    made by an approved correction (`correction`, with its reason). Rows are never changed or deleted (triggers,
    migration 0007); competitions.services.results writes them."""

    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="published_versions")
    version = models.PositiveIntegerField(_("版本"))
    published_at = models.DateTimeField(_("公布时间"))
    published_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    document = models.JSONField()
    content_hash = models.CharField(max_length=64)
    reason = models.TextField(_("更正原因"), blank=True)
    correction = models.ForeignKey(MarkCorrection, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("公布成绩")
        verbose_name_plural = _("公布成绩")
        ordering = ["skill", "version"]
        constraints = [
            models.UniqueConstraint(fields=["skill", "version"], name="published_results_version_once"),
            models.CheckConstraint(condition=Q(version__gte=1), name="published_results_version_positive"),
            # A version after the first is a correction and says why.
            models.CheckConstraint(condition=Q(version=1) | ~Q(reason=""), name="published_results_correction_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.skill_id} v{self.version}"

    def permission_unit_ids(self) -> frozenset[int]:
        return self.skill.permission_unit_ids()


# --- live scoring: the event's stream (DESIGN.md "Live scoring"; competitions.services.stream) --------------------


class EventStream(models.Model):
    """The event's live stream: its `epoch` (the name of its history; a new one only when the history is rebuilt)
    and the next sequence number the sequencer gives. Written by the sequencer alone, under its row lock; writers
    of deltas never touch it, so marks of one event share no lock."""

    event = models.OneToOneField(Event, primary_key=True, on_delete=models.CASCADE, related_name="stream")
    epoch = models.CharField(max_length=32)
    next_seq = models.PositiveBigIntegerField(default=1)
    sequenced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("实时数据流")
        verbose_name_plural = _("实时数据流")

    def __str__(self) -> str:
        return f"{self.event_id}@{self.epoch}:{self.next_seq - 1}"


class StreamDelta(models.Model):
    """One change of what the event's boards show, appended in the writing transaction (a mark, a sign-off, a
    correction, a decryption). `payload` is audience-neutral and absolute (the entry's new totals, never an
    increment); the audiences' projections are competitions.domain.stream. `seq` is null until the sequencer
    numbers the committed deltas (gap-free per event, in id order)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+", db_index=False)
    entry = models.ForeignKey(Entry, null=True, blank=True, on_delete=models.CASCADE, related_name="+",
                              db_index=False)
    kind = models.CharField(max_length=30)
    payload = models.JSONField(default=dict)
    seq = models.PositiveBigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("实时增量")
        verbose_name_plural = _("实时增量")
        constraints = [
            models.UniqueConstraint(fields=["event", "seq"], condition=Q(seq__isnull=False),
                                    name="stream_delta_seq_once"),
        ]
        indexes = [
            # The sequencer's look for unnumbered deltas: only those rows are in the index.
            models.Index(fields=["event", "id"], condition=Q(seq__isnull=True), name="stream_delta_unsequenced"),
        ]

    def __str__(self) -> str:
        return f"{self.event_id}:{self.seq}"


class BoardFreeze(models.Model):
    """A freeze (封榜) of the event's public board (DESIGN.md "Audiences are projections"; competitions.services
    .freeze): the public projection holds at stream position `seq` (the seq of the `board.frozen` delta) while the
    jury's keeps moving. `board` is the public board as it was at `seq` (the snapshot frame's `skills`), stored
    at the freeze so that a public snapshot during the freeze costs no rebuild and survives pruned history;
    `revealed` lists the workstations revealed one at a time since (揭晓), in order, each with the figures it
    showed at its step. `thawed_at` ends it (揭榜); one freeze at a time per event, older ones are kept."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="board_freezes")
    epoch = models.CharField(max_length=32)
    seq = models.PositiveBigIntegerField()
    since = models.DateTimeField(default=timezone.now)
    frozen_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    planned_thaw_at = models.DateTimeField(null=True, blank=True)
    board = models.JSONField(default=list)
    revealed = models.JSONField(default=list)
    thawed_at = models.DateTimeField(null=True, blank=True)
    thawed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    thaw_reason = models.TextField(blank=True)

    class Meta:
        verbose_name = _("封榜")
        verbose_name_plural = _("封榜")
        constraints = [
            # One freeze in force per event: a second freeze before the thaw is refused (board.already_frozen).
            models.UniqueConstraint(fields=["event"], condition=Q(thawed_at__isnull=True),
                                    name="board_freeze_one_in_force"),
        ]

    def __str__(self) -> str:
        return f"{self.event_id}@{self.seq}"

    def permission_unit_ids(self) -> frozenset[int]:
        return self.event.permission_unit_ids()
