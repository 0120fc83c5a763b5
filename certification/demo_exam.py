"""The demo's theory exam in progress (issue 12 item 11), called by certification.demo_batches once the 30-candidate
焊工 四级 batch is seated: its theory part started ten minutes before seeding and lasts two hours (the body's policy,
set by the demo `examcenter`: the clock runs on through a disconnect, automatic submission at the deadline).

- **Taken and graded**: the first eight seated candidates by ticket number (the demo `candidate` aside) opened
  their papers, answered every question and submitted early; each is graded (a spread of scores, two below 60),
  so the room shows 已交卷 and the results have theory scores to read.
- **In progress**: the demo `candidate` opened hers on the room's computer, answered the first five questions and
  then the demo `invigilator` released that session ("换用自己的设备"), so the demo browser's page takes the
  sitting over and continues with the time left and the five saved answers: the exam page, not "开考已超过 15 分钟".
- **Whenever `make demo` runs** (the design is silent; chosen so the demo stays usable without a new database):
  the sitting's clock is the server's, so a later run finds less time left; `refresh` then tops it up by the
  invigilator's extra time (延时, audited, with its reason) back to the full two hours whenever less than an hour is
  left. A sitting already closed is not reopened (certification.domain.sittings: submitted moves nowhere); after
  more than two hours without a run, a fresh database (`rm var/db.sqlite3`) brings the running exam back.
- Every write is the act of the person who would make it, through the services: each candidate's own answers and
  submission, the invigilator's release and extra time, the exam center's policy. Its own random generator.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from certification.domain import exam_clock as clock
from certification.models import Batch, BatchPart, PaperItem, Registration, Sitting
from certification.selectors.exam import sitting_timing
from certification.services import exam

DURATION = timedelta(minutes=120)
STARTED_BEFORE_SEEDING = timedelta(minutes=10)
TOP_UP_BELOW = timedelta(minutes=60)
SUBMITTED = 8
# How likely each of the eight knows an answer: the spread of the room (two below the pass mark of 60).
SKILL = (0.95, 0.9, 0.85, 0.8, 0.75, 0.7, 0.45, 0.4)
CANDIDATE_ANSWERED = 5


def _displayed(item: PaperItem, right: bool, rng: random.Random) -> tuple[int, ...]:
    """The displayed option indexes of a right (or a wrong) answer to an item."""
    order, key = list(item.option_order), set(item.version.answer)
    if right:
        return tuple(sorted(order.index(c) for c in key))
    wrong = [c for c in range(len(order)) if c not in key]
    return (order.index(rng.choice(wrong)),)


def _answer_all(person: User, sitting: Sitting, key: str, rng: random.Random, skill: float, upto: int | None) -> None:
    items = list(PaperItem.objects.filter(paper=sitting.paper).select_related("version").order_by("position"))
    now = timezone.now()
    answers = [exam.AnswerIn(n, _displayed(item, rng.random() < skill, rng), n + 1, now)
               for n, item in enumerate(items[:upto])]
    exam.answers_save(actor=person, sitting_id=sitting.pk, session_key=key, answers=answers)


def seed(batch: Batch, staff: User, rng: random.Random) -> None:
    """The policy, eight graded papers and the demo candidate's running exam (module docstring)."""
    theory = BatchPart.objects.get(batch=batch, kind="theory")
    exam.exam_policy_set(actor=staff, part_id=theory.pk, data=exam.PolicyData(
        duration_minutes=int(DURATION.total_seconds() // 60), disconnect=clock.DisconnectPolicy.RUNS_ON,
        deadline=clock.DeadlinePolicy.AUTO_SUBMIT, late_entry_minutes=30))
    seated = list(Registration.objects.filter(batch=batch).exclude(candidate__username="candidate")
                  .select_related("candidate").order_by("ticket_no"))
    for n, (registration, skill) in enumerate(zip(seated[:SUBMITTED], SKILL, strict=True)):
        key = f"demo-paper-{n:02d}"
        person = registration.candidate
        sitting = exam.sitting_open(actor=person, registration_id=registration.pk, session_key=key,
                                    device="考场计算机")
        _answer_all(person, sitting, key, rng, skill, None)
        exam.sitting_submit(actor=person, sitting_id=sitting.pk, session_key=key)
    mine = Registration.objects.filter(batch=batch, candidate__username="candidate").select_related(
        "candidate").first()
    invigilator = User.objects.filter(username="invigilator").first()
    if mine is None or invigilator is None:
        return
    key = "demo-room-computer"
    sitting = exam.sitting_open(actor=mine.candidate, registration_id=mine.pk, session_key=key, device="考场计算机")
    _answer_all(mine.candidate, sitting, key, rng, 1.0, CANDIDATE_ANSWERED)
    exam.session_release(actor=invigilator, sitting_id=sitting.pk, reason="考生换用自己的设备继续作答（演示）")


def refresh(batch: Batch) -> None:
    """On a later run: top the demo candidate's running exam up to its full time (module docstring)."""
    sitting = Sitting.objects.filter(registration__batch=batch, candidate__username="candidate",
                                     submitted_at__isnull=True).select_related("part", "part__exam_policy").first()
    invigilator = User.objects.filter(username="invigilator").first()
    if sitting is None or invigilator is None:
        return
    left = sitting_timing(sitting, timezone.now()).time_left
    if timedelta(0) < left < TOP_UP_BELOW:
        exam.extra_time_grant(actor=invigilator, sitting_id=sitting.pk,
                              minutes=int((DURATION - left).total_seconds() // 60),
                              reason="演示数据：延时，以便继续演示考试")
