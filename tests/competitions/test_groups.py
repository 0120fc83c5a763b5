"""Marking groups by blocks of workstations (裁判分组; issue 9 item 5, DESIGN.md "Recusal without a leak"): the
service, the referee's page and API, the chief's page and API, and the recusal-leak test.

The grouped skill: four contestants (two of enterprise A, two of enterprise B) and six referees: referee_a (A), r1
and r2 (the exam center), r3 (a college), r4 (B) and r5 (another college). Group 一 = referee_a, r1, r3 may not
mark A's contestants, group 二 = r4, r2, r5 may not mark B's, so with two workstations each the only placement is
A's two in 二 and B's two in 一.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from uuid import uuid4

import pytest
from django.test import Client

from accounts.actors import SYSTEM
from accounts.models import Membership, Organization, OrganizationKind, Role, User
from audit.models import AuditEntry
from audit.selectors import audit_history
from competitions import selectors, services
from competitions.models import Entry, Group, Mark, MarkingGroup, RefereeAssignment, RefereeRole, Skill, Status
from core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from tests.accounts.factories import OrganizationFactory, person
from tests.accounts.steps import bearer
from tests.competitions.factories import contestant
from tests.competitions.steps import Scenario, mark, marking_workstations

SAME_REQUEST_ID = "leak-test-0001"


@dataclass
class Grouped:
    skill: Skill
    organizer: User
    encryptor: User
    chief: User
    referees: dict[str, User]
    entries_a: list[Entry]
    entries_b: list[Entry]

    def groups(self) -> list[services.GroupData]:
        r = self.referees
        return [services.GroupData((r["referee_a"].pk, r["r1"].pk, r["r3"].pk), "一"),
                services.GroupData((r["r4"].pk, r["r2"].pk, r["r5"].pk), "二")]

    def numbers(self, entries: list[Entry]) -> set[str]:
        for entry in entries:
            entry.refresh_from_db()
        return {e.workstation_no for e in entries}


@pytest.fixture
def grouped(registration_skill: Skill, organizer: User, encryptor: User, chief: User, referee_of_a: User,
            enterprise_a: Organization, enterprise_b: Organization, exam_center: Organization) -> Grouped:
    """The skill at check-in after both draws, its referees appointed and no groups yet."""
    skill = registration_skill
    college = OrganizationFactory(name="丁技师学院", kind=OrganizationKind.COLLEGE)
    college2 = OrganizationFactory(name="戊职业学院", kind=OrganizationKind.COLLEGE)
    referees = {"referee_a": referee_of_a, "r1": person(Role.REFEREE, exam_center, username="r1"),
                "r2": person(Role.REFEREE, exam_center, username="r2"),
                "r3": person(Role.REFEREE, college, username="r3"),
                "r4": person(Role.REFEREE, enterprise_b, username="r4"),
                "r5": person(Role.REFEREE, college2, username="r5")}
    entries: dict[int, list[Entry]] = {}
    for unit in (enterprise_a, enterprise_b):
        for _ in range(2):
            entry = services.entry_submit(actor=SYSTEM, skill=skill, unit=unit,
                                          members=[services.MemberData(contestant(unit), Group.WORKER)])
            entries.setdefault(unit.pk, []).append(services.entry_approve(actor=organizer, entry=entry))
    services.event_transition(actor=organizer, event=skill.event, target=Status.CHECK_IN)
    services.venue_create(actor=organizer, event=skill.event, name="赛场",
                          workstations={skill: [f"{n:02d}" for n in range(1, 5)]})
    services.draw_checkin(officer=encryptor, skill=skill, seed="seed-one")
    services.draw_workstations(officer=encryptor, skill=skill, seed="seed-two")
    services.referee_assign(actor=organizer, skill=skill, referee=chief, role=RefereeRole.CHIEF)
    for priority, referee in enumerate(referees.values(), start=1):
        services.referee_assign(actor=organizer, skill=skill, referee=referee, priority=priority)
    skill.refresh_from_db()
    return Grouped(skill, organizer, encryptor, chief, referees, entries[enterprise_a.pk], entries[enterprise_b.pk])


def _start_marking(g: Grouped) -> None:
    services.event_transition(actor=g.organizer, event=g.skill.event, target=Status.COMPETING)
    services.event_transition(actor=g.organizer, event=g.skill.event, target=Status.MARKING)
    g.skill.refresh_from_db()


def _blocks(skill: Skill) -> dict[str, set[str]]:
    return {m.name: set(m.workstation_nos) for m in MarkingGroup.objects.filter(skill=skill)}


# --- the service -----------------------------------------------------------------------------------------------


def test_the_chief_forms_groups_and_each_recused_workstation_is_placed_in_another_group(grouped: Grouped) -> None:
    g = grouped
    services.marking_groups_form(actor=g.chief, skill=g.skill, groups=g.groups())
    assert _blocks(g.skill) == {"一": g.numbers(g.entries_b), "二": g.numbers(g.entries_a)}
    members = dict(RefereeAssignment.objects.filter(skill=g.skill, role=RefereeRole.REFEREE)
                   .values_list("referee__username", "group__name"))
    assert members == {"referee_a": "一", "r1": "一", "r3": "一", "r4": "二", "r2": "二", "r5": "二"}
    entry = AuditEntry.objects.get(action="competitions.groups.formed")
    assert entry.actor == g.chief and entry.target_type == "competitions.skill"
    assert entry.new == [{"name": "一", "referees": [g.referees[n].pk for n in ("referee_a", "r1", "r3")],
                          "block_size": 2},
                         {"name": "二", "referees": [g.referees[n].pk for n in ("r2", "r4", "r5")], "block_size": 2}]
    # The audit log is read by the organizer: it holds no block, so no workstation number at all.
    # (Every text the entry holds, compared whole: referee ids are numbers, and "101" is not workstation "01".)
    texts = {v for group in entry.new for v in group.values() if isinstance(v, str)}
    assert texts == {"一", "二"} and not texts & (g.numbers(g.entries_a) | g.numbers(g.entries_b))


def test_the_chief_sees_that_the_placement_succeeded_never_which_workstations_a_block_holds(
    grouped: Grouped, client_of
) -> None:  # type: ignore[no-untyped-def]
    g = grouped
    services.marking_groups_form(actor=g.chief, skill=g.skill, groups=g.groups())
    view = selectors.marking_groups(skill=g.skill)
    assert view.placed and [(x.name, x.block_size) for x in view.groups] == [("一", 2), ("二", 2)]
    assert not hasattr(view.groups[0], "workstation_nos")
    api = client_of(g.chief).get(f"/api/v1/competitions/skills/{g.skill.pk}/groups").json()
    assert api["placed"] is True and "workstation" not in str(api["groups"])
    page = client_of(g.chief).get(f"/competitions/skills/{g.skill.pk}/groups/").content.decode()
    assert 'data-placed="true"' in page
    assert not any(f">{no}<" in page for no in g.numbers(g.entries_a) | g.numbers(g.entries_b))


def test_groups_that_cannot_be_placed_are_refused_with_what_is_missing_and_nothing_written(grouped: Grouped) -> None:
    g, r = grouped, grouped.referees
    before = AuditEntry.objects.count()
    # Both groups hold a referee of A (referee_a) or of B (r4) and a panel of three: A's and B's contestants fit
    # nowhere once each group holds one of them.
    mixed = [services.GroupData((r["referee_a"].pk, r["r4"].pk, r["r1"].pk)),
             services.GroupData((r["r2"].pk, r["r3"].pk, r["r5"].pk))]
    with pytest.raises(ValidationFailed) as refused:
        services.marking_groups_form(actor=g.chief, skill=g.skill, groups=mixed)
    (problem,) = refused.value.field_errors
    assert problem.code == "groups.no_placement" and problem.params == {"unplaced": 2, "stations": 4}
    with pytest.raises(ValidationFailed) as small:
        services.marking_groups_form(actor=g.chief, skill=g.skill, groups=[
            services.GroupData((r["referee_a"].pk, r["r1"].pk)), services.GroupData((r["r2"].pk, r["r3"].pk))])
    assert {e.code for e in small.value.field_errors} == {"groups.panel_unfillable"}
    assert "J1" in small.value.fields()["groups"][0] and "3" in small.value.fields()["groups"][0]
    with pytest.raises(ValidationFailed) as unknown:
        services.marking_groups_form(actor=g.chief, skill=g.skill, groups=[services.GroupData((g.chief.pk,))])
    assert unknown.value.field_errors[0].code == "groups.unknown_referee"
    assert not MarkingGroup.objects.exists() and AuditEntry.objects.count() == before


def test_a_skill_too_small_for_two_groups_says_so_to_the_chief_before_marking_starts(
    scenario: Scenario, client_of
) -> None:  # type: ignore[no-untyped-def]
    """The shared scenario has four referees and a WorldSkills panel of three."""
    view = selectors.marking_groups(skill=scenario.skill)
    assert not view.placed and view.warning is not None and "6" in view.warning and "4" in view.warning
    page = client_of(scenario.chief).get(f"/competitions/skills/{scenario.skill.pk}/groups/").content.decode()
    assert 'data-testid="groups-warning"' in page and "不足以分组" in page


def test_who_forms_groups_and_when(grouped: Grouped, hr_of_a: User, outsider: User) -> None:
    g = grouped
    with pytest.raises(NotFound):
        services.marking_groups_form(actor=hr_of_a, skill=g.skill, groups=g.groups())  # another unit: invisible
    with pytest.raises(PermissionDenied):
        services.marking_groups_form(actor=g.referees["r1"], skill=g.skill, groups=g.groups())
    services.marking_groups_form(actor=g.organizer, skill=g.skill, groups=g.groups())  # the organizer may too
    _start_marking(g)
    with pytest.raises(ValidationFailed) as reason:
        services.marking_groups_form(actor=g.chief, skill=g.skill, groups=g.groups())
    assert reason.value.field_errors[0].code == "groups.reason_required"
    services.marking_groups_form(actor=g.chief, skill=g.skill, groups=g.groups(), reason="裁判调整")
    assert AuditEntry.objects.filter(action="competitions.groups.formed").latest("pk").reason == "裁判调整"


def test_groups_need_the_workstation_draw(registration_skill: Skill, chief: User, organizer: User) -> None:
    services.referee_assign(actor=organizer, skill=registration_skill, referee=chief, role=RefereeRole.CHIEF)
    with pytest.raises(Conflict) as refused:
        services.marking_groups_form(actor=chief, skill=registration_skill, groups=[services.GroupData(())])
    assert refused.value.code == "groups.not_drawn"


def test_a_new_workstation_draw_drops_the_groups(grouped: Grouped) -> None:
    g = grouped
    services.marking_groups_form(actor=g.chief, skill=g.skill, groups=g.groups())
    assert MarkingGroup.objects.filter(skill=g.skill).count() == 2
    services.draw_workstations(officer=g.encryptor, skill=g.skill, seed="seed-three")
    assert not MarkingGroup.objects.filter(skill=g.skill).exists()
    assert not RefereeAssignment.objects.filter(skill=g.skill, group__isnull=False).exists()
    dropped = AuditEntry.objects.get(action="competitions.groups.dropped")
    assert dropped.reason == "工位号重新抽签" and dropped.actor == g.encryptor
    services.marking_groups_form(actor=g.chief, skill=g.skill, groups=g.groups())  # formed again on new numbers
    assert _blocks(g.skill) == {"一": g.numbers(g.entries_b), "二": g.numbers(g.entries_a)}


# --- the referee: only the group's workstations, never a closed cell -----------------------------------------


def _marking(client: Client, skill: Skill) -> dict[str, object]:
    return client.get(f"/api/v1/competitions/skills/{skill.pk}/marking").json()  # type: ignore[no-any-return]


def test_a_referee_s_page_and_api_show_only_their_group_s_workstations_never_a_closed_cell(
    grouped: Grouped, client_of
) -> None:  # type: ignore[no-untyped-def]
    g = grouped
    services.marking_groups_form(actor=g.chief, skill=g.skill, groups=g.groups())
    _start_marking(g)
    for name, expected in (("referee_a", g.numbers(g.entries_b)), ("r1", g.numbers(g.entries_b)),
                           ("r4", g.numbers(g.entries_a)), ("r5", g.numbers(g.entries_a))):
        sheet = selectors.marking_sheet(referee=g.referees[name], skill=g.skill)
        assert {w.workstation_no for w in sheet.workstations} == expected, name
        assert all(c.may_mark for w in sheet.workstations for c in w.cells)  # no closed cell
        api = _marking(client_of(g.referees[name]), g.skill)
        assert {w["workstation_no"] for w in api["workstations"]} == expected  # type: ignore[attr-defined]
        page = client_of(g.referees[name]).get(f"/competitions/skills/{g.skill.pk}/marking/").content.decode()
        assert marking_workstations(page, g.numbers(g.entries_a) | g.numbers(g.entries_b)) == expected
        assert "由其他裁判评判" not in page
    # Group 一 marks B's contestants: its three referees are the judgement panel, referee_a first.
    mark(g.referees["referee_a"], g.entries_b[0], g.skill.scheme.aspects.get(code="A1"), 20)
    for name in ("referee_a", "r1", "r3"):
        mark(g.referees[name], g.entries_b[0], g.skill.scheme.aspects.get(code="J1"), 2)
    assert Mark.objects.filter(entry=g.entries_b[0]).count() == 4


def test_a_referee_without_a_group_marks_nothing_in_a_grouped_skill(grouped: Grouped) -> None:
    g, r = grouped, grouped.referees
    services.marking_groups_form(actor=g.chief, skill=g.skill, groups=[
        services.GroupData((r["referee_a"].pk, r["r1"].pk, r["r3"].pk)),
        services.GroupData((r["r4"].pk, r["r2"].pk, r["r5"].pk)),
    ])
    late_unit = OrganizationFactory(name="己考核站")
    services.referee_assign(actor=g.organizer, skill=g.skill,
                            referee=person(Role.REFEREE, late_unit, username="late"), priority=0)
    _start_marking(g)
    late = User.objects.get(username="late")
    g.numbers(g.entries_b)  # the entries as the draw numbered them
    assert selectors.marking_sheet(referee=late, skill=g.skill).workstations == []
    with pytest.raises(PermissionDenied) as refused:
        mark(late, g.entries_b[0], g.skill.scheme.aspects.get(code="A1"), 20)
    assert refused.value.code == "mark.not_assigned"


# --- the leak test ---------------------------------------------------------------------------------------------


def _attempt(client: Client, user: User, skill: Skill, workstation_no: str) -> tuple[int, bytes]:
    response = client.post(
        f"/api/v1/competitions/skills/{skill.pk}/marks",
        {"workstation_no": workstation_no, "aspect_code": "A1", "value": "20", "idempotency_key": str(uuid4())},
        content_type="application/json", HTTP_X_REQUEST_ID=SAME_REQUEST_ID, **bearer(user),
    )
    return response.status_code, response.content


def test_a_recused_and_an_other_group_workstation_are_refused_identically(grouped: Grouped, client: Client) -> None:
    """The recusal-leak test: the answer to a direct attempt is byte for byte the same whether the workstation
    holds a contestant of the referee's unit or simply belongs to another group; only the audit entry names why."""
    g = grouped
    services.marking_groups_form(actor=g.chief, skill=g.skill, groups=g.groups())
    _start_marking(g)
    g.numbers(g.entries_a)
    a_workstation = g.entries_a[0].workstation_no  # in group 二's block
    recused = _attempt(client, g.referees["referee_a"], g.skill, a_workstation)  # referee_a is of A
    other_group = _attempt(client, g.referees["r1"], g.skill, a_workstation)  # r1 (exam center) is not
    assert recused == other_group and recused[0] == 403
    body = recused[1].decode()
    assert "mark.not_assigned" in body and "回避" not in body and "单位" not in body and a_workstation not in body
    reasons = list(AuditEntry.objects.filter(action="competitions.mark.refused").order_by("pk")
                   .values_list("actor__username", "reason"))
    assert reasons == [("referee_a", "recusal.same_organization"), ("r1", "mark.other_group")]
    assert not Mark.objects.exists()


def test_without_groups_a_recused_and_an_off_panel_workstation_are_refused_identically(
    scenario: Scenario, client: Client
) -> None:
    """Fails on main, where the recused referee heard "同属一个单位" and the workstation: both now read the same."""
    s = scenario
    recused = _attempt(client, s.referee_a, s.skill, s.entries_a[0].workstation_no)
    off_panel = _attempt(client, s.r3, s.skill, s.entries_b[0].workstation_no)  # r3 is fourth: not on B's panel
    assert recused == off_panel and recused[0] == 403
    assert "同属一个单位" not in recused[1].decode()


# --- the chief's page and API ----------------------------------------------------------------------------------


def test_the_chief_forms_the_groups_on_the_page(grouped: Grouped, client_of) -> None:  # type: ignore[no-untyped-def]
    g, r = grouped, grouped.referees
    client = client_of(g.chief)
    url = f"/competitions/skills/{g.skill.pk}/groups/"
    page = client.get(f"{url}?count=2").content.decode()
    assert "csrfmiddlewaretoken" in page and 'data-testid="groups-form"' in page and "裁判分组" in page
    choice = {"referee_a": 1, "r1": 1, "r3": 1, "r4": 2, "r2": 2, "r5": 2}
    posted = client.post(url, {"count": "2", "name_1": "一", "name_2": "二",
                               **{f"group_{r[n].pk}": str(v) for n, v in choice.items()}}, follow=True)
    html = posted.content.decode()
    assert 'data-code="groups.formed"' in html and 'data-placed="true"' in html
    assert _blocks(g.skill) == {"一": g.numbers(g.entries_b), "二": g.numbers(g.entries_a)}
    # A grouping that cannot be placed comes back as the message naming what is missing; nothing changes.
    bad = client.post(url, {"count": "2", **{f"group_{r[n].pk}": "1" for n in choice}}, follow=True)
    assert 'data-code="groups.empty"' in bad.content.decode()
    assert _blocks(g.skill) == {"一": g.numbers(g.entries_b), "二": g.numbers(g.entries_a)}
    not_a_number = client.post(url, {"count": "2", "size_1": "两", **{f"group_{r[n].pk}": str(v)
                                                                     for n, v in choice.items()}}, follow=True)
    assert "第1组的工位数须为整数" in not_a_number.content.decode()


def test_the_groups_page_without_csrf_is_refused(grouped: Grouped) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(grouped.chief, backend="accounts.auth.AccountBackend")
    assert client.post(f"/competitions/skills/{grouped.skill.pk}/groups/", {"count": "1"}).status_code == 403


def test_the_api_forms_groups_and_answers_what_is_missing(grouped: Grouped, client: Client, hr_of_a: User) -> None:
    g, r = grouped, grouped.referees
    url = f"/api/v1/competitions/skills/{g.skill.pk}/groups"
    body = {"groups": [{"name": "一", "referee_ids": [r[n].pk for n in ("referee_a", "r1", "r3")]},
                       {"name": "二", "referee_ids": [r[n].pk for n in ("r4", "r2", "r5")]}]}
    assert client.put(url, body, content_type="application/json", **bearer(hr_of_a)).status_code == 404
    small = client.put(url, {"groups": [{"referee_ids": [r["r1"].pk]}]}, content_type="application/json",
                       **bearer(g.chief))
    assert small.status_code == 422 and "J1" in str(small.json()["fields"]["groups"])
    done = client.put(url, body, content_type="application/json", **bearer(g.chief))
    assert done.status_code == 200 and done.json()["placed"] is True
    assert [x["block_size"] for x in done.json()["groups"]] == [2, 2]
    assert client.get(url, **bearer(g.organizer)).json()["placed"] is True


@pytest.mark.django_db(transaction=True)
def test_a_mark_in_a_grouped_skill_keeps_the_mark_path_s_query_budget(  # type: ignore[no-untyped-def]
    grouped: Grouped, client: Client, django_assert_max_num_queries
) -> None:
    """The group's block comes with the seats in the one statement that says who sits on a panel: still the 10
    queries of tests/competitions/test_mark_path.py for a new mark."""
    g = grouped
    services.marking_groups_form(actor=g.chief, skill=g.skill, groups=g.groups())
    _start_marking(g)
    g.numbers(g.entries_b)
    headers = bearer(g.referees["referee_a"])
    assert client.get("/api/v1/competitions/my/assignments", **headers).status_code == 200
    payload = {"workstation_no": g.entries_b[0].workstation_no, "aspect_code": "A1", "value": "20",
               "idempotency_key": str(uuid4())}
    with django_assert_max_num_queries(10):
        done = client.post(f"/api/v1/competitions/skills/{g.skill.pk}/marks", payload,
                           content_type="application/json", **headers)
    assert done.status_code == 201


def test_the_groups_page_reads_in_english(grouped: Grouped, client_of) -> None:  # type: ignore[no-untyped-def]
    page = client_of(grouped.chief).get(f"/competitions/skills/{grouped.skill.pk}/groups/",
                                        HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Marking groups" in page and "Form the groups and place the workstations" in page


# --- a conflict that appears after the groups are formed (issue 9 item 1, the recusal hole) -------------------------


def _neutral_groups(g: Grouped) -> tuple[list[User], list[User]]:
    """Groups of referees with no conflict at all (referee_a and r4 left out as reserves), so the placement is free
    and every workstation may be swapped: 一 = r1, r3, n1; 二 = r2, r5, n2."""
    extra = [person(Role.REFEREE, OrganizationFactory(name=f"中立单位{i}"), username=f"n{i}") for i in (1, 2)]
    for priority, referee in enumerate(extra, start=10):
        services.referee_assign(actor=g.organizer, skill=g.skill, referee=referee, priority=priority)
    r = g.referees
    one, two = [r["r1"], r["r3"], extra[0]], [r["r2"], r["r5"], extra[1]]
    services.marking_groups_form(actor=g.chief, skill=g.skill, groups=[
        services.GroupData(tuple(u.pk for u in one), "一"), services.GroupData(tuple(u.pk for u in two), "二")])
    return one, two


def _at(g: Grouped, workstation_no: str) -> tuple[Entry, User]:
    entry = Entry.objects.get(skill=g.skill, workstation_no=workstation_no)
    return entry, entry.members.get().person


def test_a_relationship_recorded_after_the_groups_moves_the_workstation_out_of_the_referee_s_block(
    grouped: Grouped,
) -> None:
    g = grouped
    _neutral_groups(g)
    before = _blocks(g.skill)
    station = sorted(before["一"])[0]
    entry, related = _at(g, station)
    services.relationship_record(actor=g.organizer, skill=g.skill, referee=g.referees["r1"], person=related,
                                 reason="表兄弟")
    after = _blocks(g.skill)
    assert station in after["二"] and station not in after["一"]  # swapped with one of 二's, sizes kept
    assert len(after["一"]) == len(after["二"]) == 2 and after["一"] | after["二"] == before["一"] | before["二"]
    assert len(after["一"] ^ before["一"]) == 2
    applied = AuditEntry.objects.get(action="competitions.groups.recusal_applied")
    assert applied.actor == g.organizer and applied.new["moved"] == 2
    written = json.dumps(applied.new, ensure_ascii=False)
    assert not any(f'"{no}"' in written for no in before["一"] | before["二"])  # no block in the log
    # The organizer reads the log: how many moved is hidden with the 工位号 before decryption.
    (shown,) = [e for e in audit_history(viewer=g.organizer, target_type=applied.target_type,
                                         target_id=applied.target_id) if e.id == applied.pk]
    assert shown.new["moved"] != 2 and "moved" in shown.redacted
    _start_marking(g)
    assert station not in {w.workstation_no for w in
                           selectors.marking_sheet(referee=g.referees["r1"], skill=g.skill).workstations}
    with pytest.raises(PermissionDenied) as refused:
        mark(g.referees["r1"], entry, g.skill.scheme.aspects.get(code="A1"), 20)
    assert refused.value.code == "mark.not_assigned"


def test_a_relationship_on_a_workstation_already_marked_is_refused_telling_the_chief_to_re_form_the_groups(
    grouped: Grouped,
) -> None:
    g = grouped
    one, _two = _neutral_groups(g)
    _start_marking(g)
    station = sorted(_blocks(g.skill)["一"])[0]
    entry, related = _at(g, station)
    mark(one[0], entry, g.skill.scheme.aspects.get(code="A1"), 20)  # r1 is first on 一's A1 panel
    blocks, declared = _blocks(g.skill), AuditEntry.objects.filter(action="competitions.relationship.recorded")
    with pytest.raises(Conflict) as refused:
        services.relationship_record(actor=g.organizer, skill=g.skill, referee=one[1], person=related,
                                     reason="师徒")
    assert refused.value.code == "groups.re_form_needed" and "重新分组" in refused.value.message
    assert station not in refused.value.message  # names no workstation
    assert _blocks(g.skill) == blocks and not declared.exists()  # nothing written

    # The referee's own declaration is recorded all the same (refusing it would tell them the person is in their
    # block); the blocks cannot follow, and the mark path refuses the related referee that workstation.
    services.relationship_declare(referee=one[1], person=related, reason="师徒")
    assert _blocks(g.skill) == blocks
    with pytest.raises(PermissionDenied) as mark_refused:
        mark(one[1], entry, g.skill.scheme.aspects.get(code="J1"), 2)
    assert mark_refused.value.code == "mark.not_assigned"
    reason = AuditEntry.objects.filter(action="competitions.mark.refused").latest("pk").reason
    assert reason == "recusal.declared_relationship"


def test_appointing_a_grouped_referee_anew_from_a_contestant_s_unit_moves_that_workstation(
    grouped: Grouped, enterprise_a: Organization,
) -> None:
    g = grouped
    _neutral_groups(g)
    n1 = User.objects.get(username="n1")  # in group 一
    services.referee_assign(actor=g.organizer, skill=g.skill, referee=n1, priority=10)  # nothing new: no move
    assert AuditEntry.objects.filter(action="competitions.groups.recusal_applied").latest("pk").new["moved"] == 0
    Membership.objects.create(user=n1, organization=enterprise_a, role=Role.REFEREE)  # n1 now also of A
    services.referee_assign(actor=g.organizer, skill=g.skill, referee=n1, priority=10)
    assert not g.numbers(g.entries_a) & _blocks(g.skill)["一"]  # A's workstations are all in 二's block now
    assert _blocks(g.skill)["一"] == g.numbers(g.entries_b)
