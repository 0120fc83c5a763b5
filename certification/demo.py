"""The demo's certification data (issue 12 items 1–3): a small catalogue, each occupation certified at its five
levels with DESIGN.md's default eligibility rules, and a few levels held by the demo people, recorded as
certificates issued before the platform (with evidence). The demo competition links its skills to this catalogue
and records the promotions of its published results here (competitions.demo). Safe to run twice.

The codes are those of the national classification (《中华人民共和国职业分类大典》), data, never hard-coded
elsewhere: 车工 and 铣工 share the 小类 6-18-01 (a talent-pool comparison has something to find).

Appointments (issue 12 item 10): the demo enterprise (鲁中重型机械) appointed its welder 郑海波, a 高级技师 since
2014, 特级技师 for 2022–2026 and, from 2024, 首席技师 for 2024–2028, each by its document (a one-page PDF made
here), recorded by the system actor.

Exam batches (issue 12 item 4): a 焊工 四级 batch at the first exam center, planned, registered, approved and
seated, the demo candidate holding a 准考证 (certification.demo_batches)."""

from __future__ import annotations

import random
from datetime import date

from accounts.actors import SYSTEM
from accounts.models import User
from certification import services
from certification.domain.appointments import Title
from certification.domain.ladder import SkillLevel
from certification.models import Appointment, HeldLevel, Occupation

ALL_LEVELS = (SkillLevel.FIVE, SkillLevel.FOUR, SkillLevel.THREE, SkillLevel.TWO, SkillLevel.ONE)

CATALOGUE = [
    ("6-18-02-04", "焊工", "操作焊接和气割设备，进行金属工件的焊接或切割成型的人员。"),
    ("6-31-01-03", "电工",
     "使用工具、量具和仪器仪表，安装、调试与维护、修理机械设备电气部分"
     "和电气系统线路及器件的人员。"),
    ("4-12-01-01", "汽车维修工", "使用工具、设备和仪器，对汽车进行维护、修理和调试的人员。"),
    ("6-18-01-01", "车工", "操作车床（含数控车床），进行工件旋转表面切削加工的人员。"),
    ("6-18-01-02", "铣工", "操作铣床（含数控铣床），进行工件铣削加工的人员。"),
]

# username → (occupation code, level, obtained on, evidence): certificates issued before the platform.
HELD = [
    ("contestant", "6-18-02-04", SkillLevel.THREE, date(2021, 6, 30),
     "职业技能等级证书 S000037000101213000123（演示）"),
    ("candidate", "6-31-01-03", SkillLevel.FIVE, date(2023, 12, 15),
     "职业技能等级证书 Y123437000045235000017（演示）"),
    ("coach", "6-18-02-04", SkillLevel.ONE, date(2016, 11, 20), "高级技师职业资格证书（演示）"),
    ("referee", "6-18-02-04", SkillLevel.ONE, date(2014, 7, 1), "高级技师职业资格证书（演示）"),
]

# username → (enterprise, occupation code, title, term start, term end, document number), in the order recorded.
APPOINTMENTS = [
    ("referee", "鲁中重型机械股份有限公司", "6-18-02-04", Title.PRINCIPAL, date(2022, 1, 1), date(2026, 12, 31),
     "鲁重机人字〔2021〕58号"),
    ("referee", "鲁中重型机械股份有限公司", "6-18-02-04", Title.CHIEF, date(2024, 1, 1), date(2028, 12, 31),
     "鲁重机人字〔2023〕71号"),
]


def _document_pdf(number: str) -> bytes:
    """A one-page PDF standing for the appointment document (its number in the document's metadata)."""
    from io import BytesIO

    from reportlab.pdfgen import canvas

    out = BytesIO()
    pdf = canvas.Canvas(out, pagesize=(595, 842))
    pdf.setTitle(number)
    pdf.drawString(72, 770, "Appointment document (demo)")
    pdf.save()
    return out.getvalue()


def appointments_seed() -> None:
    from django.core.files.base import ContentFile

    from accounts.models import Organization

    for username, unit_name, code, title, start, end, number in APPOINTMENTS:
        person = User.objects.filter(username=username).first()
        unit = Organization.objects.filter(name=unit_name).first()
        if person is None or unit is None or Appointment.objects.filter(person=person, title=title).exists():
            continue
        services.appointment_record(
            actor=SYSTEM, enterprise_id=unit.pk, person_id=person.pk,
            occupation_id=Occupation.objects.get(code=code).pk, title=title,
            term=services.Term(start, end, number, "经企业技能人才评价委员会评审（演示）"),
            evidence=ContentFile(_document_pdf(number), name=f"{number}.pdf"))


def catalogue_seed() -> None:
    """The demo catalogue, added by the system actor where an occupation is missing."""
    for code, name, description in CATALOGUE:
        if not Occupation.objects.filter(code=code).exists():
            services.occupation_create(actor=SYSTEM, data=services.OccupationData(code, name, ALL_LEVELS, description))


def seed(rng: random.Random) -> list[object]:
    from certification import demo_bank

    demo_certificate_key()
    catalogue_seed()
    demo_bank.seed()
    for username, code, level, obtained_on, evidence in HELD:
        person = User.objects.filter(username=username).first()
        occupation = Occupation.objects.get(code=code)
        if person is None or HeldLevel.objects.filter(person=person, occupation=occupation).exists():
            continue
        services.held_level_record(actor=SYSTEM, person_id=person.pk, occupation_id=occupation.pk, level=level,
                                   obtained_on=obtained_on, evidence=evidence)
    appointments_seed()
    from certification import demo_batches

    demo_batches.seed()

    from certification.demo_practical import seed_practical_demo

    seed_practical_demo(rng)
    return []


def demo_certificate_key() -> None:
    """`make demo` signs certificates, so it needs a key: with DEBUG on, an empty key store gets one (audited as
    the system actor); with DEBUG off nothing is made behind anyone's back (`manage.py certificate_keys generate`,
    README), and an environment key (CERTIFICATE_SIGNING_KEY) is used as it is."""
    from django.conf import settings

    from certification import keys
    from certification.services.certificate_keys import certificate_key_generate

    if settings.DEBUG and not settings.CERTIFICATE_SIGNING_KEY and not keys.public_keys():
        certificate_key_generate(actor=SYSTEM)
