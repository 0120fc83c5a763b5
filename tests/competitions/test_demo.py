"""The demo competition: published 焊工, 电工 mid-marking, a recused referee; safe to run twice."""

from __future__ import annotations

import random

from django.test import Client

from accounts import demo as accounts_demo
from accounts.models import User
from competitions import demo, selectors
from competitions.models import Entry, Event, Mark, Sheet, SheetStatus, Status


def test_demo_competition(db: None, client: Client) -> None:
    accounts_demo.seed(random.Random(2026))
    logins = demo.seed(random.Random(2026))
    assert {login.username for login in logins} >= {"organizer", "encryptor", "chief", "referee", "contestant"}
    event = Event.objects.get(name=demo.EVENT_NAME)
    welding, electrician = event.skills.order_by("id")
    assert (event.level, event.status) == ("provincial_1", Status.MARKING)
    assert (welding.status, electrician.status) == (Status.PUBLISHED, Status.MARKING)
    assert Entry.objects.filter(skill__event=event).count() == 40
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
    assert [s["skill_name"] for s in body["skills"]] == ["焊工"]
    assert len(body["skills"][0]["rows"]) == 20 and body["skills"][0]["rows"][0]["award"] == "gold"
    assert any("王志强" in (row["names"] or []) for row in body["skills"][0]["rows"])
    assert selectors.skill_full_recompute(welding) == dict(
        Entry.objects.filter(skill=welding).values_list("pk", "total")
    )

    assert demo.seed(random.Random(2026)) == []
    assert Entry.objects.filter(skill__event=event).count() == 40
