"""The demo's practical assessment (issue 12 items 8 and 11), in the demo's 30-candidate 焊工 四级 batch
(certification.demo_batches), whose practical part was the day before seeding: a three-item scoring sheet set by
the exam center's staff, and the sheet partly scored by the demo `assessor` on her tablet: every item of the first
candidate of her group, the first item of the second, nothing of the others yet. Her group (焊接实训车间 第一组) has
fifteen candidates and a panel of three; the demo `chiefassessor` sits on the other group's panel, so she is on
duty for the batch and reaches its flags page.

Until issue 12's follow-ups this was a separate 3-candidate batch; it was folded into the 30-candidate one so the
demo has one batch whose theory, practical and results tell the same story. The scores are the assessor's own act
(a score has an assessor, never the system); the sheet is the exam center staff's."""

from __future__ import annotations

from decimal import Decimal
from uuid import uuid4

from accounts.models import User
from certification.models import Batch, BatchPart, Seat, StaffAssignment
from certification.services import practical

SHEET = practical.SheetIn(items=[
    practical.SheetItemIn("A1", "焊前准备与安全文明生产", Decimal(20), tolerance=Decimal(3)),
    practical.SheetItemIn("A2", "板对接平焊焊缝外观", Decimal(40)),
    practical.SheetItemIn("A3", "焊缝内部质量（射线检测）", Decimal(40)),
])
ASSESSOR_SCORES = [("A1", "17"), ("A2", "32"), ("A3", "30")]


def seed(batch: Batch, staff: User) -> None:
    """The sheet and the assessor's first scores (module docstring)."""
    part = BatchPart.objects.get(batch=batch, kind="practical")
    practical.sheet_set(actor=staff, part_id=part.pk, data=SHEET)
    assessor = User.objects.filter(username="assessor").first()
    duty = StaffAssignment.objects.filter(part=part, person=assessor).first() if assessor else None
    if assessor is None or duty is None:
        return
    seats = Seat.objects.filter(part=part).order_by("room_id", "number")
    if duty.room_id is not None:
        seats = seats.filter(room_id=duty.room_id)
    for seat, scored in zip(seats[:2], (ASSESSOR_SCORES, ASSESSOR_SCORES[:1]), strict=False):
        for item, value in scored:
            practical.score_record(assessor=assessor, registration_id=seat.registration_id, part_kind="practical",
                                   item_code=item, value=Decimal(value), idempotency_key=uuid4())
