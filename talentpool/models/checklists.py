"""The two official checklists (DESIGN.md "Talent pool"): the enterprise demand checklist (企业需求清单, 附件2) and
the college supply checklist (院校供给清单, 附件1), with every field of the forms; the repeating parts of each form
(posts, skill points, training and collaboration needs; majors, students, graduates, teachers, equipment, research,
patents, courses, cases) are child tables, as the Excel template's detail sheets are.

A checklist belongs to its unit and a year (填报年度); a unit files one per year and updates it. It is a draft
until submitted (报送); a submitted checklist is what organizers count and what matching reads; the unit may
still correct it, every change audited.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from talentpool.models.pool import City, Education, IndustryChain, SkillPoint

USER = settings.AUTH_USER_MODEL


class ChecklistStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已报送")


class EnterpriseNature(models.TextChoices):
    """企业性质 as the form lists it."""

    CHAIN_LEADER = "chain_leader", _("链主企业")
    SPECIALISED = "specialised", _("专精特新企业")
    GAZELLE = "gazelle", _("瞪羚企业")
    UNICORN = "unicorn", _("独角兽企业")
    HIGH_TECH = "high_tech", _("高新技术企业")
    STATE_OWNED = "state_owned", _("国有企业")
    PRIVATE = "private", _("民营企业")
    FOREIGN = "foreign", _("外资企业")
    OTHER = "other", _("其他")


class TrainingMode(models.TextChoices):
    ONLINE = "online", _("线上")
    OFFLINE = "offline", _("线下")
    MIXED = "mixed", _("线上线下结合")


class CollaborationForm(models.TextChoices):
    JOINT_LAB = "joint_lab", _("共建实验室/研发中心")
    JOINT_PROJECT = "joint_project", _("联合攻关项目")
    TECH_TRANSFER = "tech_transfer", _("技术转让/成果转化")
    ORDER_CLASS = "order_class", _("订单班/冠名班")
    INDUSTRY_COLLEGE = "industry_college", _("共建产业学院")
    OTHER = "other", _("其他")


class DemandChecklist(models.Model):
    """企业需求清单 (附件2): the enterprise's facts, contact, and its posts, training and collaboration needs."""

    enterprise = models.ForeignKey("accounts.Organization", verbose_name=_("企业"), on_delete=models.PROTECT,
                                   related_name="demand_checklists")
    year = models.PositiveSmallIntegerField(_("填报年度"))
    status = models.CharField(_("状态"), max_length=10, choices=ChecklistStatus.choices,
                              default=ChecklistStatus.DRAFT)
    enterprise_name = models.CharField(_("企业名称"), max_length=200)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    nature = models.CharField(_("企业性质"), max_length=20, choices=EnterpriseNature.choices)
    city = models.CharField(_("所在城市"), max_length=20, choices=City.choices)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    chains = models.ManyToManyField(IndustryChain, verbose_name=_("所属产业链"), related_name="demand_checklists")
    employees = models.PositiveIntegerField(_("职工人数"), null=True, blank=True)
    main_business = models.TextField(_("主营业务"), blank=True, max_length=2000)
    contact_person = models.CharField(_("联系人"), max_length=50)
    contact_title = models.CharField(_("职务"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20)
    contact_email = models.EmailField(_("电子邮箱"), blank=True)
    # None when the platform filed it (the demo, an import script: the system actor).
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now)
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("企业需求清单")
        verbose_name_plural = _("企业需求清单")
        ordering = ["-year", "enterprise_name"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "year"], name="demand_checklist_once_a_year")]

    def __str__(self) -> str:
        return f"{self.enterprise_name} {self.year}"

    def permission_unit_ids(self) -> frozenset[int]:
        return frozenset({self.enterprise_id})


class DemandPost(models.Model):
    """A post (岗位) of a demand checklist: head-count, occupation, required level, education and experience."""

    checklist = models.ForeignKey(DemandChecklist, on_delete=models.CASCADE, related_name="posts")
    position = models.PositiveSmallIntegerField(_("序号"))
    name = models.CharField(_("岗位名称"), max_length=100)
    occupation_code = models.CharField(_("职业（工种）编码"), max_length=10)
    occupation_name = models.CharField(_("职业（工种）名称"), max_length=100)
    headcount = models.PositiveIntegerField(_("需求人数"))
    required_rung = models.PositiveSmallIntegerField(_("技能等级要求（阶）"))  # 1 学徒工 … 8 首席技师
    education = models.PositiveSmallIntegerField(_("学历要求"), choices=Education.choices, default=Education.ANY)
    years_experience = models.PositiveSmallIntegerField(_("工作经验（年）"), default=0)
    city = models.CharField(_("工作地点"), max_length=20, choices=City.choices)
    salary = models.CharField(_("薪酬待遇"), max_length=100, blank=True)
    description = models.TextField(_("岗位职责"), blank=True, max_length=2000)
    # Per-post weights of the match score (None: the defaults, talentpool.domain.matching.Weights).
    weights = models.JSONField(_("匹配权重"), null=True, blank=True)

    class Meta:
        verbose_name = _("需求岗位")
        verbose_name_plural = _("需求岗位")
        ordering = ["checklist", "position"]
        constraints = [
            models.UniqueConstraint(fields=["checklist", "position"], name="demand_post_position_once"),
            models.CheckConstraint(condition=Q(headcount__gte=1), name="demand_post_headcount_positive"),
            models.CheckConstraint(condition=Q(required_rung__gte=1, required_rung__lte=8),
                                   name="demand_post_rung_on_ladder"),
        ]
        indexes = [models.Index(fields=["occupation_code"], name="demand_post_code")]

    def __str__(self) -> str:
        return self.name

    def permission_unit_ids(self) -> frozenset[int]:
        return self.checklist.permission_unit_ids()


class DemandPostSkill(models.Model):
    """A skill point a post asks for, must-have (必备: a hard filter of matching) or nice-to-have (优先)."""

    post = models.ForeignKey(DemandPost, on_delete=models.CASCADE, related_name="skills")
    skill_point = models.ForeignKey(SkillPoint, on_delete=models.PROTECT, related_name="+")
    required_rung = models.PositiveSmallIntegerField(_("等级要求（阶）"), null=True, blank=True)
    must_have = models.BooleanField(_("必备"), default=False)

    class Meta:
        verbose_name = _("岗位技能点")
        verbose_name_plural = _("岗位技能点")
        constraints = [models.UniqueConstraint(fields=["post", "skill_point"], name="demand_post_skill_once")]

    def __str__(self) -> str:
        return f"{self.post_id} · {self.skill_point_id}"


class TrainingNeed(models.Model):
    """培训需求: content, trainees and size, period and mode."""

    checklist = models.ForeignKey(DemandChecklist, on_delete=models.CASCADE, related_name="training_needs")
    position = models.PositiveSmallIntegerField(_("序号"))
    content = models.TextField(_("培训内容"), max_length=2000)
    trainees = models.CharField(_("培训对象"), max_length=200)
    size = models.PositiveIntegerField(_("培训人数"))
    period = models.CharField(_("培训周期"), max_length=100)
    mode = models.CharField(_("培训方式"), max_length=10, choices=TrainingMode.choices)

    class Meta:
        verbose_name = _("培训需求")
        verbose_name_plural = _("培训需求")
        ordering = ["checklist", "position"]
        constraints = [models.UniqueConstraint(fields=["checklist", "position"], name="training_need_position_once")]

    def __str__(self) -> str:
        return self.content[:30]


class CollaborationNeed(models.Model):
    """校企合作需求: a technical problem and its goal, what the enterprise wants from colleges, the form wanted."""

    checklist = models.ForeignKey(DemandChecklist, on_delete=models.CASCADE, related_name="collaboration_needs")
    position = models.PositiveSmallIntegerField(_("序号"))
    problem = models.TextField(_("技术难题"), max_length=2000)
    goal = models.TextField(_("预期目标"), max_length=2000)
    resources_wanted = models.TextField(_("需院校提供的资源"), max_length=2000, blank=True)
    form = models.CharField(_("合作形式"), max_length=20, choices=CollaborationForm.choices)

    class Meta:
        verbose_name = _("合作需求")
        verbose_name_plural = _("合作需求")
        ordering = ["checklist", "position"]
        constraints = [models.UniqueConstraint(fields=["checklist", "position"],
                                               name="collaboration_need_position_once")]

    def __str__(self) -> str:
        return self.problem[:30]

    def permission_unit_ids(self) -> frozenset[int]:
        return self.checklist.permission_unit_ids()


class SupplyChecklist(models.Model):
    """院校供给清单 (附件1): the college's contact and its majors, students, graduates, teachers, equipment,
    research, patents and software copyrights, training courses and cases."""

    college = models.ForeignKey("accounts.Organization", verbose_name=_("院校"), on_delete=models.PROTECT,
                                related_name="supply_checklists")
    year = models.PositiveSmallIntegerField(_("填报年度"))
    status = models.CharField(_("状态"), max_length=10, choices=ChecklistStatus.choices,
                              default=ChecklistStatus.DRAFT)
    college_name = models.CharField(_("院校名称"), max_length=200)
    city = models.CharField(_("所在城市"), max_length=20, choices=City.choices)
    chains = models.ManyToManyField(IndustryChain, verbose_name=_("服务产业链"), related_name="supply_checklists")
    contact_person = models.CharField(_("联系人"), max_length=50)
    contact_title = models.CharField(_("职务"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20)
    contact_email = models.EmailField(_("电子邮箱"), blank=True)
    # None when the platform filed it (the demo, an import script: the system actor).
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now)
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("院校供给清单")
        verbose_name_plural = _("院校供给清单")
        ordering = ["-year", "college_name"]
        constraints = [models.UniqueConstraint(fields=["college", "year"], name="supply_checklist_once_a_year")]

    def __str__(self) -> str:
        return f"{self.college_name} {self.year}"

    def permission_unit_ids(self) -> frozenset[int]:
        return frozenset({self.college_id})


class SupplyMajor(models.Model):
    """A major (专业) with its code, and the occupation codes it trains for (对应职业), which college-to-post
    matching compares with a post's occupation."""

    checklist = models.ForeignKey(SupplyChecklist, on_delete=models.CASCADE, related_name="majors")
    code = models.CharField(_("专业代码"), max_length=20)
    name = models.CharField(_("专业名称"), max_length=100)
    occupation_codes = models.JSONField(_("对应职业编码"), default=list, blank=True)

    class Meta:
        verbose_name = _("专业")
        verbose_name_plural = _("专业")
        ordering = ["checklist", "code"]
        constraints = [models.UniqueConstraint(fields=["checklist", "code"], name="supply_major_once")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class StudentCount(models.Model):
    """在校生 by grade (年级, the entry year) and major."""

    checklist = models.ForeignKey(SupplyChecklist, on_delete=models.CASCADE, related_name="students")
    major = models.ForeignKey(SupplyMajor, on_delete=models.CASCADE, related_name="students")
    grade = models.PositiveSmallIntegerField(_("年级"))
    count = models.PositiveIntegerField(_("人数"))

    class Meta:
        verbose_name = _("在校生")
        verbose_name_plural = _("在校生")
        constraints = [models.UniqueConstraint(fields=["major", "grade"], name="student_count_once")]

    def __str__(self) -> str:
        return f"{self.major_id} · {self.grade}"


class GraduateRecord(models.Model):
    """Graduates of one of the last three years by major, with where they went (employer types, posts)."""

    checklist = models.ForeignKey(SupplyChecklist, on_delete=models.CASCADE, related_name="graduates")
    major = models.ForeignKey(SupplyMajor, on_delete=models.CASCADE, related_name="graduates")
    year = models.PositiveSmallIntegerField(_("毕业年份"))
    count = models.PositiveIntegerField(_("毕业生人数"))
    employed_in_province = models.PositiveIntegerField(_("省内就业人数"), default=0)
    employer_types = models.CharField(_("就业单位类型"), max_length=300, blank=True)
    posts = models.CharField(_("主要就业岗位"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("毕业生")
        verbose_name_plural = _("毕业生")
        constraints = [models.UniqueConstraint(fields=["major", "year"], name="graduate_record_once")]

    def __str__(self) -> str:
        return f"{self.major_id} · {self.year}"


class TeacherCount(models.Model):
    """Teachers per major: full-time, of whom senior titles (高级职称), and part-time teachers from industry."""

    checklist = models.ForeignKey(SupplyChecklist, on_delete=models.CASCADE, related_name="teachers")
    major = models.ForeignKey(SupplyMajor, on_delete=models.CASCADE, related_name="teachers")
    full_time = models.PositiveIntegerField(_("专任教师数"))
    senior_title = models.PositiveIntegerField(_("其中高级职称"))
    part_time_industry = models.PositiveIntegerField(_("企业兼职教师数"), default=0)

    class Meta:
        verbose_name = _("师资")
        verbose_name_plural = _("师资")
        constraints = [
            models.UniqueConstraint(fields=["major"], name="teacher_count_once"),
            models.CheckConstraint(condition=Q(senior_title__lte=models.F("full_time")),
                                   name="teacher_count_senior_within_full_time"),
        ]

    def __str__(self) -> str:
        return str(self.major_id)


class Equipment(models.Model):
    """Equipment (设备): name, count, function, and whether it is open to enterprises (paid or free, when)."""

    checklist = models.ForeignKey(SupplyChecklist, on_delete=models.CASCADE, related_name="equipment")
    position = models.PositiveSmallIntegerField(_("序号"))
    name = models.CharField(_("设备名称"), max_length=200)
    count = models.PositiveIntegerField(_("数量"))
    function = models.TextField(_("功能用途"), max_length=2000)
    open_to_enterprises = models.BooleanField(_("对企业开放"), default=False)
    paid = models.BooleanField(_("有偿使用"), default=False)
    open_hours = models.CharField(_("开放时间"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("设备")
        verbose_name_plural = _("设备")
        ordering = ["checklist", "position"]
        constraints = [models.UniqueConstraint(fields=["checklist", "position"], name="equipment_position_once")]

    def __str__(self) -> str:
        return self.name

    def permission_unit_ids(self) -> frozenset[int]:
        return self.checklist.permission_unit_ids()


class ResearchLevel(models.TextChoices):
    NATIONAL = "national", _("国家级")
    PROVINCIAL = "provincial", _("省级")
    CITY = "city", _("市级")
    ENTERPRISE = "enterprise", _("横向（企业委托）")
    SCHOOL = "school", _("校级")


class ResearchProject(models.Model):
    """A research project of the last three years (科研项目): name, level, type, client, amount, finished."""

    checklist = models.ForeignKey(SupplyChecklist, on_delete=models.CASCADE, related_name="research")
    position = models.PositiveSmallIntegerField(_("序号"))
    name = models.CharField(_("项目名称"), max_length=300)
    level = models.CharField(_("项目级别"), max_length=12, choices=ResearchLevel.choices)
    kind = models.CharField(_("项目类型"), max_length=100)
    client = models.CharField(_("委托单位/来源"), max_length=200, blank=True)
    amount = models.DecimalField(_("经费（万元）"), max_digits=10, decimal_places=2, default=0)
    year = models.PositiveSmallIntegerField(_("立项年份"))
    finished = models.BooleanField(_("已结题"), default=False)

    class Meta:
        verbose_name = _("科研项目")
        verbose_name_plural = _("科研项目")
        ordering = ["checklist", "position"]
        constraints = [models.UniqueConstraint(fields=["checklist", "position"], name="research_position_once")]

    def __str__(self) -> str:
        return self.name


class IpKind(models.TextChoices):
    INVENTION = "invention", _("发明专利")
    UTILITY = "utility", _("实用新型专利")
    DESIGN = "design", _("外观设计专利")
    SOFTWARE = "software", _("软件著作权")


class IntellectualProperty(models.Model):
    """A patent or software copyright (专利、软件著作权)."""

    checklist = models.ForeignKey(SupplyChecklist, on_delete=models.CASCADE, related_name="ip")
    position = models.PositiveSmallIntegerField(_("序号"))
    kind = models.CharField(_("类型"), max_length=12, choices=IpKind.choices)
    name = models.CharField(_("名称"), max_length=300)
    number = models.CharField(_("专利号/登记号"), max_length=50)
    year = models.PositiveSmallIntegerField(_("授权年份"))

    class Meta:
        verbose_name = _("专利/软著")
        verbose_name_plural = _("专利/软著")
        ordering = ["checklist", "position"]
        constraints = [models.UniqueConstraint(fields=["checklist", "position"], name="ip_position_once")]

    def __str__(self) -> str:
        return self.name


class TrainingCourse(models.Model):
    """A training course the college offers (培训课程) and its yearly capacity (年培训能力, 人次)."""

    checklist = models.ForeignKey(SupplyChecklist, on_delete=models.CASCADE, related_name="courses")
    position = models.PositiveSmallIntegerField(_("序号"))
    name = models.CharField(_("课程名称"), max_length=200)
    content = models.TextField(_("课程内容"), max_length=2000)
    occupation_code = models.CharField(_("对应职业编码"), max_length=10, blank=True)
    yearly_capacity = models.PositiveIntegerField(_("年培训能力（人次）"))
    mode = models.CharField(_("培训方式"), max_length=10, choices=TrainingMode.choices)

    class Meta:
        verbose_name = _("培训课程")
        verbose_name_plural = _("培训课程")
        ordering = ["checklist", "position"]
        constraints = [models.UniqueConstraint(fields=["checklist", "position"], name="course_position_once")]

    def __str__(self) -> str:
        return self.name


class CaseStudy(models.Model):
    """A case of collaboration (典型案例)."""

    checklist = models.ForeignKey(SupplyChecklist, on_delete=models.CASCADE, related_name="cases")
    position = models.PositiveSmallIntegerField(_("序号"))
    title = models.CharField(_("案例名称"), max_length=200)
    partner = models.CharField(_("合作单位"), max_length=200, blank=True)
    description = models.TextField(_("案例简介"), max_length=4000)

    class Meta:
        verbose_name = _("典型案例")
        verbose_name_plural = _("典型案例")
        ordering = ["checklist", "position"]
        constraints = [models.UniqueConstraint(fields=["checklist", "position"], name="case_position_once")]

    def __str__(self) -> str:
        return self.title
