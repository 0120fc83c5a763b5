"""Matchmaking events (对接会), 揭榜挂帅 challenges, and requests to use a college's open equipment.

- An organizer creates a matchmaking event for a chain, a city or an alliance; the platform proposes the units to
  invite from the matches (`Invitation.proposed`), the organizer invites, and outcomes are recorded against the
  event (interviews, hires, training contracts, signed agreements 签约), which the dashboard counts.
- A challenge (揭榜挂帅) is an enterprise's collaboration need published with a problem, goal, budget and deadline;
  colleges apply (揭榜), the enterprise picks one (挂帅), the others are told they were not chosen.
- An enterprise asks to use open equipment (`Equipment.open_to_enterprises`); the college decides.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from talentpool.models.checklists import CollaborationNeed, Equipment
from talentpool.models.pool import City, IndustryChain

USER = settings.AUTH_USER_MODEL
# The `…_by` person columns are empty for what the system actor did (demo data, scripts); the audit names it.


class MatchmakingScope(models.TextChoices):
    CHAIN = "chain", _("按产业链")
    CITY = "city", _("按城市")
    ALLIANCE = "alliance", _("按联盟/集团")


class MatchmakingEvent(models.Model):
    """对接会: one per chain, city or alliance (`scope` names which, and the matching field is set)."""

    organizer = models.ForeignKey("accounts.Organization", verbose_name=_("主办单位"), on_delete=models.PROTECT,
                                  related_name="matchmaking_events")
    name = models.CharField(_("名称"), max_length=200)
    scope = models.CharField(_("范围"), max_length=10, choices=MatchmakingScope.choices)
    chain = models.ForeignKey(IndustryChain, verbose_name=_("产业链"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    city = models.CharField(_("城市"), max_length=20, choices=City.choices, blank=True)
    alliance = models.ForeignKey("accounts.Alliance", verbose_name=_("联盟/集团"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField(_("举办日期"))
    venue = models.CharField(_("地点"), max_length=200, blank=True)
    description = models.TextField(_("说明"), blank=True, max_length=4000)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("对接会")
        verbose_name_plural = _("对接会")
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(scope="chain") & Q(chain__isnull=False))
                | (Q(scope="city") & ~Q(city=""))
                | (Q(scope="alliance") & Q(alliance__isnull=False)),
                name="matchmaking_scope_named",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def permission_unit_ids(self) -> frozenset[int]:
        return frozenset({self.organizer_id})


class InvitationStatus(models.TextChoices):
    PROPOSED = "proposed", _("系统推荐")
    INVITED = "invited", _("已邀请")
    ACCEPTED = "accepted", _("已确认参会")
    DECLINED = "declined", _("不参会")


class Invitation(models.Model):
    """A unit (enterprise or college) proposed for, or invited to, an event; `reason` says why it was proposed."""

    event = models.ForeignKey(MatchmakingEvent, on_delete=models.CASCADE, related_name="invitations")
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("状态"), max_length=10, choices=InvitationStatus.choices,
                              default=InvitationStatus.PROPOSED)
    proposed = models.BooleanField(_("系统推荐"), default=False)
    reason = models.CharField(_("推荐理由"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now)

    class Meta:
        verbose_name = _("邀请")
        verbose_name_plural = _("邀请")
        ordering = ["event", "pk"]
        constraints = [models.UniqueConstraint(fields=["event", "organization"], name="invitation_once")]

    def __str__(self) -> str:
        return f"{self.event_id} · {self.organization_id}"

    def permission_unit_ids(self) -> frozenset[int]:
        return frozenset({self.event.organizer_id, self.organization_id})


class OutcomeKind(models.TextChoices):
    INTERVIEW = "interview", _("面试")
    HIRE = "hire", _("录用")
    TRAINING_CONTRACT = "training_contract", _("培训合作")
    AGREEMENT = "agreement", _("签约")


class Outcome(models.Model):
    """An outcome of an event (成效): how many interviews, hires, training contracts or signed agreements between
    an enterprise and a college, recorded by the organizer. Counts, not people: a hire is counted here and stays
in the enterprise's own records; naming the person would put the pool's personal data in the organizer's report."""

    event = models.ForeignKey(MatchmakingEvent, on_delete=models.PROTECT, related_name="outcomes")
    kind = models.CharField(_("类型"), max_length=20, choices=OutcomeKind.choices)
    enterprise = models.ForeignKey("accounts.Organization", verbose_name=_("企业"), on_delete=models.PROTECT,
                                   related_name="+")
    college = models.ForeignKey("accounts.Organization", verbose_name=_("院校"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    count = models.PositiveIntegerField(_("数量"), default=1)
    note = models.CharField(_("备注"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        verbose_name = _("对接成效")
        verbose_name_plural = _("对接成效")
        ordering = ["event", "pk"]
        constraints = [models.CheckConstraint(condition=Q(count__gte=1), name="outcome_count_positive")]

    def __str__(self) -> str:
        return f"{self.event_id} · {self.kind} · {self.count}"


class ChallengeStatus(models.TextChoices):
    OPEN = "open", _("张榜中")
    AWARDED = "awarded", _("已揭榜")
    CLOSED = "closed", _("已关闭")


class Challenge(models.Model):
    """揭榜挂帅: an enterprise's collaboration need published as a challenge."""

    enterprise = models.ForeignKey("accounts.Organization", verbose_name=_("发榜企业"), on_delete=models.PROTECT,
                                   related_name="challenges")
    need = models.ForeignKey(CollaborationNeed, verbose_name=_("合作需求"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="challenges")
    title = models.CharField(_("榜单名称"), max_length=200)
    problem = models.TextField(_("技术难题"), max_length=4000)
    goal = models.TextField(_("目标要求"), max_length=4000)
    budget = models.DecimalField(_("榜单金额（万元）"), max_digits=10, decimal_places=2)
    deadline = models.DateField(_("揭榜截止日期"))
    chain = models.ForeignKey(IndustryChain, verbose_name=_("产业链"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("状态"), max_length=10, choices=ChallengeStatus.choices, default=ChallengeStatus.OPEN)
    published_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(_("发榜时间"), default=timezone.now)
    awarded_at = models.DateTimeField(_("揭榜时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("揭榜挂帅")
        verbose_name_plural = _("揭榜挂帅")
        ordering = ["-published_at", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(budget__gte=0), name="challenge_budget_not_negative")]

    def __str__(self) -> str:
        return self.title

    def permission_unit_ids(self) -> frozenset[int]:
        return frozenset({self.enterprise_id})


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("已申请")
    SELECTED = "selected", _("已选定")
    NOT_SELECTED = "not_selected", _("未选定")
    WITHDRAWN = "withdrawn", _("已撤回")


class ChallengeApplication(models.Model):
    """A college's application to a challenge (揭榜申请): its proposal and team."""

    challenge = models.ForeignKey(Challenge, on_delete=models.PROTECT, related_name="applications")
    college = models.ForeignKey("accounts.Organization", verbose_name=_("院校"), on_delete=models.PROTECT,
                                related_name="+")
    proposal = models.TextField(_("技术方案"), max_length=4000)
    team = models.CharField(_("团队"), max_length=500, blank=True)
    status = models.CharField(_("状态"), max_length=15, choices=ApplicationStatus.choices,
                              default=ApplicationStatus.SUBMITTED)
    applied_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    applied_at = models.DateTimeField(_("申请时间"), default=timezone.now)

    class Meta:
        verbose_name = _("揭榜申请")
        verbose_name_plural = _("揭榜申请")
        ordering = ["challenge", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["challenge", "college"], condition=~Q(status="withdrawn"),
                                    name="challenge_application_once"),
            models.UniqueConstraint(fields=["challenge"], condition=Q(status="selected"),
                                    name="challenge_one_selected"),
        ]

    def __str__(self) -> str:
        return f"{self.challenge_id} · {self.college_id}"

    def permission_unit_ids(self) -> frozenset[int]:
        return frozenset({self.challenge.enterprise_id, self.college_id})


class EquipmentRequestStatus(models.TextChoices):
    PENDING = "pending", _("待院校答复")
    APPROVED = "approved", _("已同意")
    DECLINED = "declined", _("已拒绝")
    WITHDRAWN = "withdrawn", _("已撤回")


class EquipmentRequest(models.Model):
    """An enterprise's request to use a college's open equipment (设备共享申请)."""

    equipment = models.ForeignKey(Equipment, on_delete=models.PROTECT, related_name="requests")
    enterprise = models.ForeignKey("accounts.Organization", verbose_name=_("企业"), on_delete=models.PROTECT,
                                   related_name="+")
    purpose = models.TextField(_("用途"), max_length=2000)
    start_on = models.DateField(_("开始日期"))
    end_on = models.DateField(_("结束日期"))
    status = models.CharField(_("状态"), max_length=10, choices=EquipmentRequestStatus.choices,
                              default=EquipmentRequestStatus.PENDING)
    requested_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    reply = models.TextField(_("答复"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("设备共享申请")
        verbose_name_plural = _("设备共享申请")
        ordering = ["-requested_at", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(end_on__gte=models.F("start_on")),
                                              name="equipment_request_period_ordered")]

    def __str__(self) -> str:
        return f"{self.equipment_id} · {self.enterprise_id}"

    def permission_unit_ids(self) -> frozenset[int]:
        return frozenset({self.enterprise_id, self.equipment.checklist.college_id})
