"""The pool itself: chains, the intake policy, talents and what brought them in, consent, enterprises' tools.

Choices (DESIGN.md "Talent pool" is silent on them; real practice of the province's 人才库 and of job boards):
- A talent is a person (`accounts.User`) with one profile; intake creates it, the person completes it. Nothing
  brings a person in except a recorded source (`TalentSource`): a published competition result, a 技术能手 title,
  a certificate or an appointment. A source is never deleted; when what it points at is revoked it is withdrawn
  (`withdrawn_at`, `withdrawn_reason`), and a talent with no standing source leaves the pool (status `out`),
  keeping its history.
- Holdings (`TalentHolding`: occupation code and ladder rung) and the best award are derived by intake from the
  standing sources and the person's levels; the person adds skill points, city, education, years and chains.
- Contact data (the person's phone and e-mail for enterprises) is shown to an enterprise only while an accepted
  `ContactRequest` of that enterprise stands: the acceptance is the consent, its revocation masks again at once.
- `PoolVersion` is one row whose number every write to the pool or to a checklist bumps, so a process can cache
  the matching index and know when it is stale.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

USER = settings.AUTH_USER_MODEL


class City(models.TextChoices):
    """The province's 16 cities (莱芜 merged into 济南 in 2019), in the official order."""

    JINAN = "jinan", _("济南")
    QINGDAO = "qingdao", _("青岛")
    ZIBO = "zibo", _("淄博")
    ZAOZHUANG = "zaozhuang", _("枣庄")
    DONGYING = "dongying", _("东营")
    YANTAI = "yantai", _("烟台")
    WEIFANG = "weifang", _("潍坊")
    JINING = "jining", _("济宁")
    TAIAN = "taian", _("泰安")
    WEIHAI = "weihai", _("威海")
    RIZHAO = "rizhao", _("日照")
    LINYI = "linyi", _("临沂")
    DEZHOU = "dezhou", _("德州")
    LIAOCHENG = "liaocheng", _("聊城")
    BINZHOU = "binzhou", _("滨州")
    HEZE = "heze", _("菏泽")


class Education(models.IntegerChoices):
    """学历, ranked so that "meets" is `>=`; 0 on a post means no requirement (不限)."""

    ANY = 0, _("不限")
    JUNIOR = 1, _("初中及以下")
    SECONDARY = 2, _("高中/中专/技工学校")
    COLLEGE = 3, _("大专/高职/技师学院")
    BACHELOR = 4, _("本科")
    MASTER = 5, _("硕士研究生")
    DOCTOR = 6, _("博士研究生")


class AwardKind(models.IntegerChoices):
    """The best award a talent holds, ranked as the match score's awards factor counts them (DESIGN.md)."""

    NONE = 0, _("无")
    CITY_MEDAL = 1, _("市级竞赛奖牌/优胜奖")
    TITLE = 2, _("技术能手称号")
    PROVINCIAL_MEDAL = 3, _("省级竞赛奖牌/优胜奖")
    NATIONAL_MEDAL = 4, _("国家级及以上竞赛奖牌")


# DESIGN.md's seeded flagship chains (code, name), in order: migration 0002 seeds them, and the demo seeds them again
# where a test database was flushed (talentpool.demo_pool).
FLAGSHIP_CHAINS: tuple[tuple[str, str], ...] = (
    ("new-it", "新一代信息技术"), ("high-end-equipment", "高端装备"), ("new-energy-equipment", "新能源装备"),
    ("advanced-materials", "先进材料"), ("ships-offshore", "船舶和海工装备"), ("high-end-chemicals", "高端化工"),
    ("agri-machinery", "农机装备"), ("pharma", "医药"), ("construction-machinery", "工程机械"),
    ("light-industry", "轻工"), ("textiles-apparel", "纺织服装"), ("low-altitude", "低空装备"),
)


class IndustryChain(models.Model):
    """A flagship industry chain (标志性产业链): data, seeded with DESIGN.md's list, admins add the rest."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=50, unique=True)
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("产业链")
        verbose_name_plural = _("产业链")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name


class IntakePolicy(models.Model):
    """The intake rules in force (入库规则): a new row per change, the newest is in force, so every intake run
    names the policy it applied. The defaults are DESIGN.md's: medals and 优胜奖 of 市级 competitions and above,
    技术能手 titles, certificates of 二级/技师 and above, 特级技师 and 首席技师 appointments."""

    # The lowest competition level whose medallists come in, by `competitions.domain.promotion.CompetitionLevel`
    # slug; the order of levels is the competitions app's.
    min_competition_level = models.CharField(_("最低竞赛级别"), max_length=30, default="city")
    award_codes = models.JSONField(_("入库奖项"), default=list, blank=True,
                                   help_text=_("奖项代码：gold, silver, bronze, excellence, first_prize …"))
    include_titles = models.BooleanField(_("技术能手称号入库"), default=True)
    min_certificate_rung = models.PositiveSmallIntegerField(_("最低证书等级（阶）"), default=5)  # 5 = 二级/技师
    include_appointments = models.BooleanField(_("特级技师、首席技师入库"), default=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("调整原因"), blank=True)

    class Meta:
        verbose_name = _("入库规则")
        verbose_name_plural = _("入库规则")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(min_certificate_rung__gte=1, min_certificate_rung__lte=8),
                                   name="intake_policy_rung_on_ladder"),
        ]

    def __str__(self) -> str:
        return f"{self.pk} · {self.created_at:%Y-%m-%d}"

    def permission_unit_ids(self) -> frozenset[int]:
        return frozenset()


class TalentStatus(models.TextChoices):
    IN_POOL = "in_pool", _("在库")
    OUT = "out", _("已出库")


class Talent(models.Model):
    """A person in the pool (人才库成员) with the profile enterprises search."""

    person = models.OneToOneField(USER, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="talent")
    status = models.CharField(_("状态"), max_length=10, choices=TalentStatus.choices, default=TalentStatus.IN_POOL)
    city = models.CharField(_("所在城市"), max_length=20, choices=City.choices, blank=True)
    education = models.PositiveSmallIntegerField(_("学历"), choices=Education.choices, default=Education.ANY)
    # None: not given (intake brings people in from results and certificates, which do not say); 0 is a person's
    # own "no experience yet". Shown as 未填写 and scored as no experience by matching (selectors.matching).
    years_experience = models.PositiveSmallIntegerField(_("从业年限"), null=True, blank=True, default=None)
    open_to_offers = models.BooleanField(_("接受工作机会"), default=False)
    chains = models.ManyToManyField(IndustryChain, verbose_name=_("产业链"), blank=True, related_name="talents")
    summary = models.TextField(_("个人简介"), blank=True, max_length=2000)
    # Contact data for enterprises: shown only under an accepted contact request (module docstring).
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    contact_email = models.EmailField(_("电子邮箱"), blank=True)
    # Derived by intake from the sources (the best award; the holdings table).
    best_award = models.PositiveSmallIntegerField(_("最高奖项"), choices=AwardKind.choices, default=AwardKind.NONE)
    entered_at = models.DateTimeField(_("入库时间"), default=timezone.now)
    left_at = models.DateTimeField(_("出库时间"), null=True, blank=True)
    left_reason = models.TextField(_("出库原因"), blank=True)
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now)

    class Meta:
        verbose_name = _("人才")
        verbose_name_plural = _("人才")
        ordering = ["pk"]
        indexes = [models.Index(fields=["status", "city"], name="talent_status_city")]

    def __str__(self) -> str:
        return str(self.person)

    def permission_unit_ids(self) -> frozenset[int]:
        # The pool is province-wide: visibility is by role (the talentpool section), not by unit.
        return frozenset()

    def permission_owner_id(self) -> int:
        return self.person_id


class SourceKind(models.TextChoices):
    COMPETITION = "competition", _("竞赛获奖")
    TITLE = "title", _("技术能手称号")
    CERTIFICATE = "certificate", _("职业技能等级证书")
    APPOINTMENT = "appointment", _("特级技师/首席技师评聘")


class TalentSource(models.Model):
    """What brought a talent in (入库依据): one row per published result line, title, certificate or appointment,
    pointing at it by kind and id (`source_ref`, e.g. "published:12:entry:340" or "certificate:88"), so intake
    run twice finds the row and records nothing new. Withdrawn, never deleted, when its source is revoked."""

    talent = models.ForeignKey(Talent, on_delete=models.PROTECT, related_name="sources")
    kind = models.CharField(_("来源"), max_length=12, choices=SourceKind.choices)
    source_ref = models.CharField(_("来源标识"), max_length=80)
    label = models.CharField(_("说明"), max_length=300)  # e.g. "2026 年山东省焊工职业技能大赛 金牌"
    occupation_code = models.CharField(_("职业编码"), max_length=10, blank=True)
    occupation_name = models.CharField(_("职业名称"), max_length=100, blank=True)
    rung = models.PositiveSmallIntegerField(_("等级（阶）"), null=True, blank=True)
    award = models.PositiveSmallIntegerField(_("奖项"), choices=AwardKind.choices, default=AwardKind.NONE)
    obtained_on = models.DateField(_("取得日期"))
    policy = models.ForeignKey(IntakePolicy, verbose_name=_("入库规则"), on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("入库时间"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("撤销原因"), blank=True)

    class Meta:
        verbose_name = _("入库依据")
        verbose_name_plural = _("入库依据")
        ordering = ["talent", "obtained_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["talent", "source_ref"], name="talent_source_once"),
            models.CheckConstraint(condition=Q(withdrawn_at__isnull=True) | ~Q(withdrawn_reason=""),
                                   name="talent_source_withdrawal_says_why"),
        ]

    def __str__(self) -> str:
        return self.label


class TalentHolding(models.Model):
    """An occupation a talent holds at a rung of the ladder (1 学徒工 … 8 首席技师, higher is more senior), as
    intake derived it from the person's levels: the matching index's occupation and level columns."""

    talent = models.ForeignKey(Talent, on_delete=models.CASCADE, related_name="holdings")
    occupation_code = models.CharField(_("职业编码"), max_length=10)
    occupation_name = models.CharField(_("职业名称"), max_length=100)
    rung = models.PositiveSmallIntegerField(_("等级（阶）"))
    verified = models.BooleanField(_("已核验"), default=True)  # backed by a certificate, promotion or appointment

    class Meta:
        verbose_name = _("持有等级")
        verbose_name_plural = _("持有等级")
        ordering = ["talent", "-rung", "occupation_code"]
        constraints = [
            models.UniqueConstraint(fields=["talent", "occupation_code"], name="talent_holding_once"),
            models.CheckConstraint(condition=Q(rung__gte=1, rung__lte=8), name="talent_holding_rung_on_ladder"),
        ]
        indexes = [models.Index(fields=["occupation_code"], name="talent_holding_code")]

    def __str__(self) -> str:
        return f"{self.talent_id} · {self.occupation_code} · {self.rung}"


class SkillPoint(models.Model):
    """A skill point (技能点), the shared vocabulary of demand posts and talents: a name (unique once normalised:
    NFKC, spaces removed) and, where known, the occupation it belongs to."""

    name = models.CharField(_("技能点"), max_length=100, unique=True)
    occupation_code = models.CharField(_("所属职业编码"), max_length=10, blank=True)

    class Meta:
        verbose_name = _("技能点")
        verbose_name_plural = _("技能点")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TalentSkill(models.Model):
    """A skill point a talent declares, at a rung (None: not stated)."""

    talent = models.ForeignKey(Talent, on_delete=models.CASCADE, related_name="skills")
    skill_point = models.ForeignKey(SkillPoint, on_delete=models.PROTECT, related_name="+")
    rung = models.PositiveSmallIntegerField(_("等级（阶）"), null=True, blank=True)

    class Meta:
        verbose_name = _("人才技能点")
        verbose_name_plural = _("人才技能点")
        constraints = [models.UniqueConstraint(fields=["talent", "skill_point"], name="talent_skill_once")]

    def __str__(self) -> str:
        return f"{self.talent_id} · {self.skill_point_id}"


class ContactStatus(models.TextChoices):
    PENDING = "pending", _("待本人同意")
    ACCEPTED = "accepted", _("已同意")
    DECLINED = "declined", _("已拒绝")
    REVOKED = "revoked", _("已撤回同意")
    WITHDRAWN = "withdrawn", _("企业已撤回")


# The contact request's moves: the person decides a pending request and may revoke an acceptance at any time; the
# enterprise may withdraw its pending request. Declined, revoked and withdrawn are final (ask again with a new one).
CONTACT_MOVES: dict[str, frozenset[str]] = {
    ContactStatus.PENDING: frozenset({ContactStatus.ACCEPTED, ContactStatus.DECLINED, ContactStatus.WITHDRAWN}),
    ContactStatus.ACCEPTED: frozenset({ContactStatus.REVOKED}),
    ContactStatus.DECLINED: frozenset(),
    ContactStatus.REVOKED: frozenset(),
    ContactStatus.WITHDRAWN: frozenset(),
}


class ContactRequest(models.Model):
    """An enterprise asks a talent for their contact data (联系请求); the person's acceptance is the consent
    (记录同意), revocable at any time. At most one open (pending or accepted) request per enterprise and talent."""

    enterprise = models.ForeignKey("accounts.Organization", verbose_name=_("企业"), on_delete=models.PROTECT,
                                   related_name="contact_requests")
    talent = models.ForeignKey(Talent, verbose_name=_("人才"), on_delete=models.PROTECT,
                               related_name="contact_requests")
    post = models.ForeignKey("talentpool.DemandPost", verbose_name=_("岗位"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="contact_requests")
    message = models.TextField(_("留言"), max_length=1000, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=ContactStatus.choices, default=ContactStatus.PENDING)
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    decided_at = models.DateTimeField(_("同意/拒绝时间"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    reason = models.TextField(_("原因"), blank=True)

    class Meta:
        verbose_name = _("联系请求")
        verbose_name_plural = _("联系请求")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "talent"],
                                    condition=Q(status__in=["pending", "accepted"]), name="contact_request_open_once"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id} → {self.talent_id} · {self.status}"

    def permission_unit_ids(self) -> frozenset[int]:
        return frozenset({self.enterprise_id})

    def permission_owner_id(self) -> int:
        return self.talent.person_id


class SavedSearch(models.Model):
    """An enterprise user's saved pool search (保存的搜索): the filters as the search form's fields."""

    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="+")
    owner = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("名称"), max_length=100)
    query = models.JSONField(_("条件"), default=dict)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("保存的搜索")
        verbose_name_plural = _("保存的搜索")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["owner", "organization", "name"], name="saved_search_once")]

    def __str__(self) -> str:
        return self.name

    def permission_unit_ids(self) -> frozenset[int]:
        return frozenset({self.organization_id})

    def permission_owner_id(self) -> int:
        return self.owner_id


class ShortlistItem(models.Model):
    """A talent on an enterprise's shortlist (候选名单), for a post or in general."""

    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="+")
    talent = models.ForeignKey(Talent, on_delete=models.PROTECT, related_name="+")
    post = models.ForeignKey("talentpool.DemandPost", null=True, blank=True, on_delete=models.CASCADE,
                             related_name="shortlist")
    note = models.CharField(_("备注"), max_length=300, blank=True)
    added_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(_("加入时间"), default=timezone.now)

    class Meta:
        verbose_name = _("候选名单")
        verbose_name_plural = _("候选名单")
        ordering = ["-added_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "talent", "post"], name="shortlist_once"),
            models.UniqueConstraint(fields=["organization", "talent"], condition=Q(post__isnull=True),
                                    name="shortlist_general_once"),
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} · {self.talent_id}"

    def permission_unit_ids(self) -> frozenset[int]:
        return frozenset({self.organization_id})


class PoolVersion(models.Model):
    """One row (pk 1): its number grows with every write to talents or checklists (`pool_version_bump`, in the
    writing transaction), so a cached matching index knows when it is stale."""

    number = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("人才库版本")
        verbose_name_plural = _("人才库版本")
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="pool_version_single_row")]

    def __str__(self) -> str:
        return str(self.number)

    @classmethod
    def bump(cls) -> None:
        """Inside the caller's transaction: one conditional UPDATE, no read (the race it prevents: two writers
        reading the same number and both writing number + 1)."""
        if not cls.objects.filter(pk=1).update(number=F("number") + 1):
            cls.objects.get_or_create(pk=1, defaults={"number": 1})
