"""Valid checklist forms the talent pool's checklist tests start from (and break one field at a time)."""

from __future__ import annotations

from decimal import Decimal

from talentpool.domain import checklists as d

WELDER = "6-18-02-04"
TURNER = "6-18-01-01"


def demand_form(**changes: object) -> d.DemandForm:
    post = d.PostForm(name="焊接工", occupation_code=WELDER, headcount=5, level="四级/中级工", city="jinan",
                      education=2, years_experience=2, salary="8000-12000 元/月", description="焊接结构件",
                      skills=(d.PostSkillForm("二氧化碳气体保护焊", "四级", True), d.PostSkillForm("识图", "", False)))
    form = d.DemandForm(enterprise_name="甲企业", nature="chain_leader", city="jinan", contact_person="王经理",
                        contact_phone="0531-88888888", chains=("high-end-equipment",),
                        credit_code="91370100MA3C123456", address="济南市历城区", employees=1200,
                        main_business="工程机械", contact_title="人力资源部经理", contact_email="hr@example.cn",
                        posts=(post,),
                        training_needs=(d.TrainingNeedForm("焊接机器人编程", "焊工", 30, "2026年第三季度",
                                                           "offline"),),
                        collaboration_needs=(d.CollaborationNeedForm("厚板焊接变形", "变形量降低30%",
                                                                     "joint_project", "焊接实验室"),))
    return _replace(form, **changes)


def supply_form(**changes: object) -> d.SupplyForm:
    form = d.SupplyForm(
        college_name="乙学院", city="zibo", contact_person="李老师", contact_phone="13912345678",
        chains=("high-end-equipment",), contact_title="招就处处长", contact_email="li@example.edu.cn",
        majors=(d.MajorForm("0302", "焊接加工", (WELDER,)), d.MajorForm("0201", "数控加工", (TURNER,))),
        students=(d.StudentForm("0302", 2024, 120), d.StudentForm("0302", 2025, 130)),
        graduates=(d.GraduateForm("0302", 2025, 100, 80, "国有企业、民营企业", "焊工"),),
        teachers=(d.TeacherForm("0302", 20, 8, 5),),
        equipment=(d.EquipmentForm("焊接机器人", 6, "机器人焊接实训", True, True, "周一至周五"),),
        research=(d.ResearchForm("厚板焊接工艺", "provincial", "应用研究", 2024, "某重工", Decimal("12.50"), True),),
        ip=(d.IpForm("utility", "一种焊接夹具", "ZL202420000001.1", 2025),),
        courses=(d.CourseForm("焊工中级培训", "CO2 焊", 300, "offline", WELDER),),
        cases=(d.CaseForm("订单班", "为企业培养焊工 60 人", "某重工"),),
    )
    return _replace(form, **changes)


def _replace(form, **changes):  # type: ignore[no-untyped-def]
    import dataclasses

    return dataclasses.replace(form, **changes)
