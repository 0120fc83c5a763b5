"""The demo competition: published 焊工, 电工 mid-marking, a recused referee, 汽车维修工 under review with an open and
an answered objection, 数控车工 with a divergent panel for the chief; safe to run twice."""

from __future__ import annotations

import random
from decimal import Decimal

from django.test import Client
from django.utils import timezone

from accounts import demo as accounts_demo
from accounts.models import User
from competitions import demo, selectors
from competitions.models import Entry, Event, Mark, Sheet, SheetStatus, Status


def test_demo_competition(db: None, client: Client) -> None:
    accounts_demo.seed(random.Random(2026))
    logins = demo.seed(random.Random(2026))
    assert {login.username for login in logins} >= {"organizer", "encryptor", "chief", "referee", "contestant"}
    event = Event.objects.get(name=demo.EVENT_NAME)
    welding, electrician, repair, turning = event.skills.order_by("id")
    assert (event.level, event.status) == ("provincial_1", Status.MARKING)
    assert (welding.status, electrician.status) == (Status.PUBLISHED, Status.MARKING)
    assert (repair.name, repair.status, turning.name, turning.status) == (
        demo.REVIEW_SKILL, Status.REVIEW, demo.DIVERGENT_SKILL, Status.MARKING)
    assert Entry.objects.filter(skill__event=event).count() == 40 + 2 * demo.SMALL_SKILL
    assert not Sheet.objects.filter(entry__skill=welding, status=SheetStatus.OPEN).exists()
    assert Mark.objects.filter(entry__skill=electrician).exists()
    referee = User.objects.get(username="referee")
    own_unit = Entry.objects.filter(skill=welding, unit__name="鲁中重型机械股份有限公司")
    assert own_unit.exists() and not Mark.objects.filter(referee=referee, entry__in=own_unit).exists()
    assert Mark.objects.filter(referee=referee, entry__skill=welding).exists()
    # 电工 is marked in groups: the referee's page lists his group's block only, with work still on it.
    assert selectors.marking_groups(skill=electrician).placed
    sheet = selectors.marking_sheet(referee=referee, skill=electrician)
    mine = {w.workstation_no for w in sheet.workstations}
    own_numbers = Entry.objects.filter(skill=electrician, unit__name="鲁中重型机械股份有限公司").values_list(
        "workstation_no", flat=True)
    assert len(mine) == 10 and not mine & set(own_numbers)
    cells = [c for w in sheet.workstations for c in w.cells]
    assert any(c.my_value is None for c in cells) and any(c.my_value is not None for c in cells)
    assert all(c.may_mark for c in cells)

    body = client.get(f"/api/v1/competitions/events/{event.pk}/results").json()
    assert [s["skill_name"] for s in body["skills"]] == ["焊工", "汽车维修工"]
    assert len(body["skills"][0]["rows"]) == 20 and body["skills"][0]["rows"][0]["award"] == "gold"
    assert any("王志强" in (row["names"] or []) for row in body["skills"][0]["rows"])
    assert selectors.skill_full_recompute(welding) == dict(
        Entry.objects.filter(skill=welding).values_list("pk", "total")
    )

    # 汽车维修工 under review (公示) until a later working day, with the coach's objection open for either chief
    # and a contestant's answered.
    assert repair.review_until is not None and repair.review_until > timezone.now()
    for chief_name in ("chief", "chief2"):
        objections = selectors.skill_objections(chief=User.objects.get(username=chief_name), skill=repair)
        assert [(o.filed_by, bool(o.answer)) for o in objections][0] == ("刘德明", False)
        assert len(objections) == 2 and objections[1].answer and objections[1].names
    # 数控车工: one sheet's judgement panel diverges (1, 1, 3) and waits for the chief; some sheets are clean, some
    # signed off, and referee2 (on every panel) still has judgement to mark.
    sheets = selectors.chief_sheets(chief=User.objects.get(username="chief2"), skill=turning)
    divergent = [s for s in sheets if s.divergent]
    assert len(divergent) == 1 and divergent[0].panel_scores == {"J1": [Decimal(1), Decimal(1), Decimal(3)]}
    assert any(s.clean for s in sheets) and any(s.status == SheetStatus.SIGNED_OFF for s in sheets)
    referee2 = User.objects.get(username="referee2")
    assert referee2.check_password("demo-2026") and User.objects.get(username="chief2").check_password("demo-2026")
    cells = [c for w in selectors.marking_sheet(referee=referee2, skill=turning).workstations for c in w.cells]
    assert any(c.my_value is None for c in cells) and any(c.my_value == Decimal(1) for c in cells)

    assert demo.seed(random.Random(2026)) == []
    assert Entry.objects.filter(skill__event=event).count() == 40 + 2 * demo.SMALL_SKILL
