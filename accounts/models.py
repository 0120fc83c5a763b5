"""Organizations, alliances, people with their real-name data, memberships with roles, API tokens."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OrganizationKind(models.TextChoices):
    ORGANIZER = "organizer", _("主办单位")
    ENTERPRISE = "enterprise", _("企业")
    COLLEGE = "college", _("院校")
    EXAM_CENTER = "exam_center", _("考核站点/评价机构")


class Organization(models.Model):
    """A unit (单位): every object of the platform belongs to one or more, and visibility follows them."""

    name = models.CharField(_("名称"), max_length=200, unique=True)
    short_name = models.CharField(_("简称"), max_length=50, blank=True)
    kind = models.CharField(_("类型"), max_length=20, choices=OrganizationKind.choices)
    city = models.CharField(_("所在城市"), max_length=50)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def permission_unit_ids(self) -> frozenset[int]:
        return frozenset({self.pk})


class AllianceKind(models.TextChoices):
    ALLIANCE = "alliance", _("技工教育联盟")
    GROUP = "group", _("技工教育集团")


class Alliance(models.Model):
    """技工教育联盟/集团: a grouping of member units (70–220 each in the province)."""

    name = models.CharField(_("名称"), max_length=200, unique=True)
    kind = models.CharField(_("类型"), max_length=20, choices=AllianceKind.choices, default=AllianceKind.ALLIANCE)
    lead = models.ForeignKey(
        Organization, verbose_name=_("牵头单位"), on_delete=models.PROTECT, related_name="led_alliances"
    )
    members = models.ManyToManyField(
        Organization, through="AllianceMember", related_name="alliances", verbose_name=_("成员单位")
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("联盟/集团")
        verbose_name_plural = _("联盟/集团")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def permission_unit_ids(self) -> frozenset[int]:
        return frozenset({self.lead_id})


class AllianceMember(models.Model):
    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE)
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT)
    joined_at = models.DateField(_("加入日期"), default=timezone.localdate)

    class Meta:
        verbose_name = _("联盟成员")
        verbose_name_plural = _("联盟成员")
        constraints = [models.UniqueConstraint(fields=["alliance", "organization"], name="alliance_member_once")]

    def __str__(self) -> str:
        return f"{self.alliance} · {self.organization}"


class Language(models.TextChoices):
    ZH_HANS = "zh-hans", "简体中文"
    EN = "en", "English"


class User(AbstractUser):
    """A person. Real-name data is validated by accounts.identity and masked by accounts.selectors."""

    real_name = models.CharField(_("姓名"), max_length=50, blank=True)
    id_number = models.CharField(_("身份证号"), max_length=18, blank=True)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    mobile = models.CharField(_("手机号"), max_length=11, blank=True)
    language = models.CharField(_("界面语言"), max_length=10, choices=Language.choices, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            models.UniqueConstraint(
                fields=["id_number"], condition=~models.Q(id_number=""), name="user_id_number_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.real_name or self.username

    def permission_unit_ids(self) -> frozenset[int]:
        return frozenset(m.organization_id for m in self.memberships.all() if m.organization_id is not None)


class Role(models.TextChoices):
    PLATFORM_ADMIN = "platform_admin", _("平台管理员")
    ORGANIZER_STAFF = "organizer_staff", _("主办单位工作人员")
    ENCRYPTION_OFFICER = "encryption_officer", _("加密裁判")
    CHIEF_REFEREE = "chief_referee", _("裁判长")
    SUPERVISOR = "supervisor", _("监督")
    REFEREE = "referee", _("裁判员")
    CONTESTANT = "contestant", _("选手")
    COACH = "coach", _("教练")
    EXAM_CENTER_STAFF = "exam_center_staff", _("考核站点工作人员")
    CHIEF_ASSESSOR = "chief_assessor", _("主考")
    ASSESSOR = "assessor", _("考评员")
    CANDIDATE = "candidate", _("考生")
    ENTERPRISE_HR = "enterprise_hr", _("企业人力资源")
    COLLEGE_STAFF = "college_staff", _("院校工作人员")


class Membership(models.Model):
    """A person holds a role in a unit; a platform admin holds it over the whole platform (no unit)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(
        Organization, verbose_name=_("单位"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="memberships",
    )
    role = models.CharField(_("角色"), max_length=30, choices=Role.choices)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("成员角色")
        verbose_name_plural = _("成员角色")
        constraints = [
            models.UniqueConstraint(fields=["user", "organization", "role"], name="membership_once"),
            models.UniqueConstraint(
                fields=["user", "role"], condition=models.Q(organization__isnull=True), name="platform_role_once"
            ),
            models.CheckConstraint(
                condition=(models.Q(role="platform_admin") & models.Q(organization__isnull=True))
                | (~models.Q(role="platform_admin") & models.Q(organization__isnull=False)),
                name="membership_unit_matches_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.organization or '-'}"


class ApiToken(models.Model):
    """A bearer token for a venue device or an integration. Only its SHA-256 is stored; it is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("名称"), max_length=100)
    prefix = models.CharField(_("前缀"), max_length=12, help_text=_("令牌开头几位，便于辨认"))
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    expires_at = models.DateTimeField(_("过期时间"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)

    class Meta:
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
