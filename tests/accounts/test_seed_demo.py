"""The demo province: every role has its login, the data is valid, and running it twice changes nothing."""

from __future__ import annotations

from django.core.management import call_command
from django.utils import timezone

from accounts.identity import normalise_mobile, parse_id_number
from accounts.models import Membership, Organization, OrganizationKind, User
from audit.models import AuditEntry
from audit.sealing import audit_seal_all, audit_verify

ROLE_LOGINS = ["admin", "organizer", "encryptor", "chief", "referee", "contestant", "coach", "examcenter",
               "chiefassessor", "assessor", "candidate", "enterprise", "college", "chief2", "referee2",
               "invigilator"]


def test_seed_demo_is_believable_valid_and_idempotent(db: None, capsys) -> None:  # type: ignore[no-untyped-def]
    call_command("seed_demo")
    out = capsys.readouterr().out
    listed = [line.split()[0] for line in out.split("Logins (password demo-2026):", 1)[1].splitlines() if line.strip()]
    assert len(listed) == len(set(listed)), listed  # each login once, with what it is for in the demo
    for username in ROLE_LOGINS:
        user = User.objects.get(username=username)
        assert user.check_password("demo-2026")
        assert username in out
        parse_id_number(user.id_number, today=timezone.localdate())
        assert normalise_mobile(user.mobile) == user.mobile
    kinds = {kind: Organization.objects.filter(kind=kind).count() for kind in OrganizationKind}
    assert kinds[OrganizationKind.ENTERPRISE] >= 3 and kinds[OrganizationKind.COLLEGE] >= 2
    assert kinds[OrganizationKind.EXAM_CENTER] >= 2 and kinds[OrganizationKind.ORGANIZER] >= 1
    counts = (User.objects.count(), Membership.objects.count(), AuditEntry.objects.count())
    # The scripted writes are the system actor's, audited as "system"; the demo people's own acts are theirs.
    scripted = AuditEntry.objects.filter(action__in=["accounts.organization.created", "accounts.person.created",
                                                     "accounts.membership.granted", "competitions.entry.submitted"])
    assert set(scripted.values_list("actor_id", "actor_label").distinct()) == {(None, "system")}
    assert set(AuditEntry.objects.filter(action="competitions.event.created").values_list("actor_label", flat=True)) \
        == {"organizer"}

    _the_exam_batch_is_planned_to_the_ratios_registered_and_seated()
    _the_theory_exam_is_under_way_with_graded_papers_and_the_candidates_running()

    call_command("seed_demo")
    assert (User.objects.count(), Membership.objects.count(), AuditEntry.objects.count()) == counts
    audit_seal_all()
    assert audit_verify().problem is None


def _the_exam_batch_is_planned_to_the_ratios_registered_and_seated() -> None:
    """certification.demo_batches: 焊工 四级 at the first exam center, its parts, rooms and staff meeting the ratios
    for the seated candidates, 30 registered (12 by their enterprise's HR), approved and seated, the demo candidate
    holding a ticket whose PDF renders."""
    from certification import tickets
    from certification.domain import batches as rules
    from certification.models import Batch, Registration, Seat
    from certification.selectors import batches as views

    batch = Batch.objects.select_related("occupation", "body").get(name="2026 年第一批焊工四级/中级工")
    assert (batch.occupation.code, batch.level, batch.body.name, batch.status, batch.evaluation_kind) == (
        "6-18-02-04", 4, "山东省职业技能评价中心第一考核站", "closed", "social")
    parts = views.plan_parts(batch)
    assert [p.kind for p in parts] == ["practical", "theory"]  # the practical the day before the theory
    seated_in: dict[int, int] = {}
    for room_id in Seat.objects.filter(registration__batch=batch).values_list("room_id", flat=True):
        seated_in[room_id] = seated_in.get(room_id, 0) + 1
    assert rules.staffing_shortfalls(views.part_loads(parts, seated_in)) == []
    assert views.plan_problems(batch, parts) == ([], [])
    registrations = Registration.objects.filter(batch=batch)
    assert registrations.count() == 30 and set(registrations.values_list("status", flat=True)) == {"seated"}
    assert registrations.filter(submitted_by__username="enterprise").count() == 12
    assert Seat.objects.filter(registration__batch=batch).count() == 60  # every candidate in both parts
    mine = registrations.get(candidate__username="candidate")
    assert mine.ticket_no and mine.ticket_token and mine.submitted_by == mine.candidate
    assert tickets.ticket_pdf(views.ticket_view(mine), "https://demo.example/t")[:5] == b"%PDF-"


def _the_theory_exam_is_under_way_with_graded_papers_and_the_candidates_running() -> None:
    """certification.demo_exam: eight papers submitted and graded (some below 60), the demo candidate's sitting
    open with five saved answers and most of its two hours left, its session released for the demo browser."""
    from datetime import timedelta

    from certification.models import Sitting, SittingGrade
    from certification.selectors.exam import sitting_timing

    sittings = Sitting.objects.filter(registration__batch__name="2026 年第一批焊工四级/中级工")
    submitted = sittings.filter(submitted_at__isnull=False)
    assert submitted.count() == 8 and set(submitted.values_list("submitted_how", flat=True)) == {"candidate"}
    scores = list(SittingGrade.objects.filter(sitting__in=submitted).values_list("score", flat=True))
    assert len(scores) == 8 and min(scores) < 60 <= max(scores)
    mine = sittings.select_related("part", "part__exam_policy").get(candidate__username="candidate")
    assert mine.submitted_at is None and mine.session_released and mine.answered == 5
    assert sitting_timing(mine, timezone.now()).time_left > timedelta(minutes=100)
