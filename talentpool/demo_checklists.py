"""Demo checklists (issue 14 item 11): one demand checklist per demo enterprise and a supply checklist for each of
the two demo colleges, realistic for the province's chains, all submitted. Every write goes through the services
with the system actor; a unit's checklist of the year that exists already is left as it is (safe to run twice).
The few occupations the posts and majors need beyond certification's demo catalogue are added through the
catalogue service."""

from __future__ import annotations

import random
from decimal import Decimal

from django.utils import timezone

from accounts.actors import SYSTEM
from accounts.models import Organization
from certification import services as catalogue
from certification.demo import ALL_LEVELS
from certification.models import Occupation
from talentpool.domain import checklists as d
from talentpool.models import DemandChecklist, SupplyChecklist
from talentpool.services import checklists as services

WELDER, ELECTRICIAN, TURNER, MILLER = "6-18-02-04", "6-31-01-03", "6-18-01-01", "6-18-01-02"
FITTER, PIPEFITTER, BATTERY = "6-20-01-01", "6-29-03-03", "6-24-03-02"
OCCUPATIONS = [
    (FITTER, "装配钳工", "使用工具、夹具、量具和设备，按技术要求对机械设备零部件进行装配、调整和检验的人员。"),
    (PIPEFITTER, "管工", "使用工具和设备，进行管道及附件预制、安装、试压和维修的人员。"),
    (BATTERY, "电池制造工", "操作设备，进行锂离子等动力电池电极、电芯和模组制造的人员。"),
]


def _L(rung: int) -> str:
    return d.level_label(rung)


def _post(name: str, code: str, headcount: int, rung: int, city: str, skills: list[tuple[str, int, bool]], *,
          education: int = 2, years: int = 2, salary: str = "", description: str = "") -> d.PostForm:
    return d.PostForm(name=name, occupation_code=code, headcount=headcount, level=_L(rung), city=city,
                      education=education, years_experience=years, salary=salary, description=description,
                      skills=tuple(d.PostSkillForm(s, _L(r) if r else "", must) for s, r, must in skills))


DEMANDS: dict[str, d.DemandForm] = {
    "鲁中重型机械股份有限公司": d.DemandForm(
        enterprise_name="鲁中重型机械股份有限公司", nature="chain_leader", city="jinan",
        chains=("construction-machinery", "high-end-equipment"), credit_code="91370100MA3C4DEM01",
        address="济南市章丘区明水经济开发区", employees=4200,
        main_business="挖掘机、装载机等工程机械整机及关键零部件制造",
        contact_person="赵立群", contact_title="人力资源部部长", contact_phone="0531-83216688",
        contact_email="hr@luzhong-demo.cn",
        posts=(
            _post("结构件焊工（电焊工）", WELDER, 30, 4, "jinan",
                  [("二氧化碳气体保护焊", 4, True), ("厚板多层多道焊", 4, True), ("焊接机器人操作", 0, False),
                   ("焊接图识读", 0, False)],
                  salary="9000-13000 元/月", description="挖掘机动臂、斗杆等结构件焊接"),
            _post("数控车工", TURNER, 12, 4, "jinan",
                  [("数控车床编程", 4, True), ("FANUC 系统操作", 0, True), ("精密测量", 0, False)],
                  salary="8000-11000 元/月", description="液压油缸、回转支承零件车削"),
            _post("装配钳工", FITTER, 15, 3, "jinan",
                  [("液压系统装配", 3, True), ("整机调试", 0, False)], years=3,
                  salary="7500-10000 元/月", description="整机总装与液压系统装配调试"),
            _post("焊接技师", WELDER, 3, 5, "jinan",
                  [("焊接工艺评定", 5, True), ("焊接缺陷分析", 0, True)], education=3, years=8,
                  salary="14000-18000 元/月", description="焊接工艺编制与现场技术指导"),
        ),
        training_needs=(
            d.TrainingNeedForm("焊接机器人编程与离线仿真", "在岗焊工", 40, "2026年第三季度，60 学时", "mixed"),
            d.TrainingNeedForm("数控车工（三级/高级工）技能提升", "数控车工", 20, "2026年下半年，80 学时", "offline"),
        ),
        collaboration_needs=(
            d.CollaborationNeedForm("厚板结构件焊接变形控制", "动臂焊后变形量降低 30%，减少矫形工时",
                                    "joint_project", "焊接实验室、焊接工艺专家"),
            d.CollaborationNeedForm("焊工订单班", "每年定向培养焊工 40 人", "order_class", "焊接专业师资与实训基地"),
        ),
    ),
    "胶东海工装备有限公司": d.DemandForm(
        enterprise_name="胶东海工装备有限公司", nature="specialised", city="qingdao", chains=("ships-offshore",),
        credit_code="91370200MA3C4DEM02", address="青岛市黄岛区海西湾造修船基地", employees=1800,
        main_business="海洋工程平台模块、船舶分段建造", contact_person="孙海涛", contact_title="人事行政部经理",
        contact_phone="0532-86881234", contact_email="hr@jiaodong-demo.cn",
        posts=(
            _post("船舶电焊工", WELDER, 25, 4, "qingdao",
                  [("船舶分段全位置焊", 4, True), ("埋弧焊", 0, False), ("船级社焊工证", 0, True)],
                  salary="10000-14000 元/月", description="船体分段与海工模块焊接"),
            _post("管工", PIPEFITTER, 10, 3, "qingdao",
                  [("船舶管系安装", 3, True), ("管路试压", 0, False)], salary="8500-11000 元/月",
                  description="船舶与平台管系预制安装"),
        ),
        training_needs=(
            d.TrainingNeedForm("船级社焊工考证培训", "新入职焊工", 30, "2026年第四季度", "offline"),
        ),
        collaboration_needs=(
            d.CollaborationNeedForm("高强钢焊接接头低温韧性提升", "满足 -40℃ 冲击功要求", "joint_lab",
                                    "材料检测设备、联合实验室"),
        ),
    ),
    "潍坊新能源动力有限公司": d.DemandForm(
        enterprise_name="潍坊新能源动力有限公司", nature="gazelle", city="weifang", chains=("new-energy-equipment",),
        credit_code="91370700MA3C4DEM03", address="潍坊市高新区新能源产业园", employees=950,
        main_business="动力电池模组与储能系统", contact_person="刘晓燕", contact_title="招聘主管",
        contact_phone="13853612345", contact_email="zhaopin@weifang-ne-demo.cn",
        posts=(
            _post("电池制造工", BATTERY, 40, 3, "weifang",
                  [("电芯装配", 3, True), ("洁净车间规范", 0, True), ("MES 系统操作", 0, False)],
                  salary="6500-8500 元/月", description="电芯装配、模组 PACK 生产"),
            _post("设备电工", ELECTRICIAN, 8, 4, "weifang",
                  [("PLC 编程与调试", 4, True), ("低压电工作业", 0, True)], years=3, salary="8000-11000 元/月",
                  description="产线电气设备维护与故障排除"),
        ),
        training_needs=(
            d.TrainingNeedForm("动力电池安全生产与质量控制", "一线员工", 120, "每季度一期", "online"),
        ),
        collaboration_needs=(
            d.CollaborationNeedForm("电池模组激光焊接质量在线检测", "焊接不良检出率 99% 以上", "joint_project",
                                    "机器视觉研发团队"),
        ),
    ),
}


def _supplies(year: int) -> dict[str, d.SupplyForm]:
    return {
        "山东工业技师学院": d.SupplyForm(
            college_name="山东工业技师学院", city="zibo", chains=("high-end-equipment", "new-energy-equipment"),
            contact_person="王建国", contact_title="校企合作处处长", contact_phone="0533-2786543",
            contact_email="xqhz@sdgyjs-demo.edu.cn",
            majors=(d.MajorForm("0102", "数控加工（数控车工）", (TURNER, MILLER)),
                    d.MajorForm("0106", "机械设备装配与自动控制", (FITTER,)),
                    d.MajorForm("0111", "焊接加工", (WELDER,)),
                    d.MajorForm("0301", "电气自动化设备安装与维修", (ELECTRICIAN,))),
            students=tuple(d.StudentForm(code, year - k, count)
                           for code, base in (("0102", 160), ("0106", 90), ("0111", 120), ("0301", 140))
                           for k, count in enumerate((base, base - 10, base - 20))),
            graduates=tuple(d.GraduateForm(code, year - k, count, int(count * 0.82), "国有企业、民营企业", posts)
                            for code, count, posts in (("0102", 130, "数控车工、数控铣工"),
                                                       ("0111", 100, "焊工、焊接质检员"),
                                                       ("0301", 120, "维修电工、设备电工"))
                            for k in (1, 2, 3)),
            teachers=(d.TeacherForm("0102", 24, 9, 6), d.TeacherForm("0106", 14, 5, 4),
                      d.TeacherForm("0111", 18, 7, 5), d.TeacherForm("0301", 22, 8, 6)),
            equipment=(d.EquipmentForm("焊接机器人工作站", 8, "机器人焊接实训与工艺试验", True, True,
                                       "周一至周五 8:00-17:00，需提前一周预约"),
                       d.EquipmentForm("五轴联动加工中心", 2, "复杂零件加工与技能竞赛训练", True, True, "周末"),
                       d.EquipmentForm("数控车床", 40, "数控车工教学实训", False, False, "")),
            research=(d.ResearchForm("厚板结构件机器人焊接工艺研究", "provincial", "应用研究", year - 1,
                                     "山东省人社厅", Decimal("20.00"), False),
                      d.ResearchForm("工程机械液压油缸焊缝缺陷检测", "enterprise", "技术服务", year - 2,
                                     "鲁中重型机械股份有限公司", Decimal("35.50"), True)),
            ip=(d.IpForm("utility", "一种厚板焊接防变形夹具", "ZL202320000123.4", year - 1),
                d.IpForm("software", "焊接实训过程评价系统 V1.0", "2024SR0123456", year - 2)),
            courses=(d.CourseForm("焊工（四级/中级工）培训", "CO2 气体保护焊、焊条电弧焊", 400, "offline", WELDER),
                     d.CourseForm("数控车工（三级/高级工）培训", "数控编程与复杂零件加工", 200, "offline", TURNER),
                     d.CourseForm("焊接机器人操作与编程", "示教编程、离线仿真", 120, "mixed", WELDER)),
            cases=(d.CaseForm("“鲁中重机焊工班”订单培养", "三年为企业输送焊工 96 人，留岗率 88%",
                              "鲁中重型机械股份有限公司"),),
        ),
        "青岛海洋职业技术学院": d.SupplyForm(
            college_name="青岛海洋职业技术学院", city="qingdao", chains=("ships-offshore",),
            contact_person="陈海燕", contact_title="招生就业处副处长", contact_phone="0532-80901234",
            contact_email="zjc@qdhy-demo.edu.cn",
            majors=(d.MajorForm("460110", "焊接技术与自动化", (WELDER,)),
                    d.MajorForm("460501", "船舶工程技术", (WELDER, PIPEFITTER)),
                    d.MajorForm("460502", "船舶电气工程技术", (ELECTRICIAN,))),
            students=tuple(d.StudentForm(code, year - k, count)
                           for code, base in (("460110", 110), ("460501", 150), ("460502", 80))
                           for k, count in enumerate((base, base - 5, base - 15))),
            graduates=tuple(d.GraduateForm(code, year - k, count, int(count * 0.7), "船舶制造企业、海工企业", posts)
                            for code, count, posts in (("460110", 95, "船舶电焊工"),
                                                       ("460501", 130, "船体装配工、管工"))
                            for k in (1, 2, 3)),
            teachers=(d.TeacherForm("460110", 16, 6, 5), d.TeacherForm("460501", 20, 9, 7),
                      d.TeacherForm("460502", 12, 4, 3)),
            equipment=(d.EquipmentForm("船舶管系实训平台", 2, "管系预制安装与试压实训", True, False, "寒暑假"),
                       d.EquipmentForm("全位置焊接实训工位", 60, "船舶焊工考证实训", False, False, "")),
            research=(d.ResearchForm("海工高强钢焊接接头低温韧性研究", "city", "应用研究", year - 1,
                                     "青岛市科技局", Decimal("15.00"), False),),
            ip=(d.IpForm("invention", "一种船舶管系快速对中装置", "ZL202210000456.7", year - 2),),
            courses=(d.CourseForm("船级社焊工考证培训", "全位置焊、船级社规范", 300, "offline", WELDER),
                     d.CourseForm("船舶管系安装", "管系识图、预制与安装", 100, "offline", PIPEFITTER)),
            cases=(d.CaseForm("海工装备产业学院", "与胶东海工共建产业学院，年培养焊工、管工 120 人",
                              "胶东海工装备有限公司"),),
        ),
    }


def _occupations() -> None:
    for code, name, description in OCCUPATIONS:
        if not Occupation.objects.filter(code=code).exists():
            catalogue.occupation_create(actor=SYSTEM, data=catalogue.OccupationData(code, name, ALL_LEVELS,
                                                                                    description))


def seed(rng: random.Random) -> list[object]:
    year = timezone.localdate().year
    _occupations()
    for name, form in DEMANDS.items():
        unit = Organization.objects.filter(name=name).first()
        if unit is None or DemandChecklist.objects.filter(enterprise=unit, year=year).exists():
            continue
        checklist = services.demand_checklist_save(actor=SYSTEM, enterprise=unit, year=year, form=form,
                                                   reason="演示数据")
        services.demand_checklist_submit(actor=SYSTEM, checklist=checklist, reason="演示数据")
    for name, supply in _supplies(year).items():
        unit = Organization.objects.filter(name=name).first()
        if unit is None or SupplyChecklist.objects.filter(college=unit, year=year).exists():
            continue
        checklist_s = services.supply_checklist_save(actor=SYSTEM, college=unit, year=year, form=supply,
                                                     reason="演示数据")
        services.supply_checklist_submit(actor=SYSTEM, checklist=checklist_s, reason="演示数据")
    return []
