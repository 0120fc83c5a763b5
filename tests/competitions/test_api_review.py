"""The review stage's reads in the API: a skill's corrections and objections for its chief referee, an event's
技术能手 proposals and nominations for its organizer; the same selectors, masking and refusals as the pages (another
unit's objects are 404, a wrong role in the unit is 403)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from accounts.models import OrganizationKind, Role, User
from competitions import services
from competitions.models import Mark, Objection, RefereeRole, Sheet, TitleProposal
from tests.accounts.factories import OrganizationFactory, person
from tests.accounts.steps import bearer
from tests.competitions import steps
from tests.competitions.steps import Scenario, mark_entry

API = "/api/v1/competitions"


def _foreign_chief() -> User:
    """A chief referee of another organizer: the role reaches everywhere, this skill is not theirs to see."""
    return person(Role.CHIEF_REFEREE, OrganizationFactory(name="市人社局（测试）", kind=OrganizationKind.ORGANIZER))


def test_the_chief_lists_a_skill_s_corrections_pending_first_by_workstation(
    scenario: Scenario, client: Client
) -> None:
    s = scenario
    entry = s.entries_b[0]
    mark_entry(s, entry)
    services.sheet_sign_off(chief=s.chief, sheet_id=Sheet.objects.get(entry=entry, module__code="M1").pk)
    a1 = Mark.objects.get(entry=entry, aspect=s.aspects["A1"])
    first = services.correction_request(actor=s.referee_a, mark_id=a1.pk, new_value=Decimal(0), reason="复测超差")
    services.correction_reject(chief=s.chief, correction_id=first.pk, reason="录像显示合格")
    services.correction_request(actor=s.referee_a, mark_id=a1.pk, new_value=Decimal(0), reason="二次复测超差")

    response = client.get(f"{API}/skills/{s.skill.pk}/corrections", **bearer(s.chief))
    assert response.status_code == 200
    rows = response.json()
    assert [(r["status"], r["reason"]) for r in rows] == [("pending", "二次复测超差"), ("rejected", "复测超差")]
    assert rows[0]["workstation_no"] == entry.workstation_no and rows[0]["aspect_code"] == "A1"
    assert rows[1]["decision_reason"] == "录像显示合格"
    assert entry.members.get().person.real_name not in response.content.decode()  # 工位号 only


@pytest.mark.parametrize("kind", ["corrections", "objections"])
def test_a_skill_s_review_lists_are_refused_as_the_pages_refuse_them(
    scenario: Scenario, client: Client, hr_of_b: User, kind: str
) -> None:
    s = scenario
    url = f"{API}/skills/{s.skill.pk}/{kind}"
    assert client.get(url, **bearer(s.chief)).status_code == 200
    assert client.get(url, **bearer(s.r1)).status_code == 403  # a referee of the skill, not its chief
    assert client.get(url, **bearer(s.organizer)).status_code == 403  # of the organizer's unit, wrong role
    assert client.get(url, **bearer(hr_of_b)).status_code == 404  # another unit's skill is invisible
    assert client.get(url, **bearer(_foreign_chief())).status_code == 404
    assert client.get(f"{API}/skills/0/{kind}", **bearer(s.chief)).status_code == 404
    assert client.get(url).status_code == 401


def test_the_chief_lists_objections_unanswered_first_with_the_filer_named(scenario: Scenario, client: Client) -> None:
    s = scenario
    steps.bring_to_review_with_a_tie(s)
    late, early = s.entries[3], s.entries[2]
    answered = services.objection_file(person=early.members.get().person, entry_id=early.pk, text="J1 偏低")
    services.objection_answer(chief=s.chief, objection=answered, answer="经复核，维持原成绩。")
    services.objection_file(person=late.members.get().person, entry_id=late.pk, text="A1 漏评，请复核")

    response = client.get(f"{API}/skills/{s.skill.pk}/objections", **bearer(s.chief))
    assert response.status_code == 200
    rows = response.json()
    assert [r["text"] for r in rows] == ["A1 漏评，请复核", "J1 偏低"]
    contestant = late.members.get().person
    assert rows[0]["answered_at"] is None and rows[0]["filed_by"] == contestant.real_name
    assert rows[0]["names"] == [contestant.real_name]  # decrypted: named, never with ID numbers
    assert rows[1]["answer"] == "经复核，维持原成绩。" and rows[1]["answered_by"] == s.chief.real_name
    assert contestant.id_number not in response.content.decode()


def test_the_organizer_lists_title_proposals_and_others_are_refused(
    scenario: Scenario, client: Client, hr_of_b: User
) -> None:
    s = scenario
    steps.bring_to_review_with_a_tie(s)
    steps.publish(s)
    proposal = TitleProposal.objects.order_by("place", "pk").first()
    assert proposal is not None
    services.title_approve(actor=s.organizer, proposal=proposal)
    url = f"{API}/events/{s.event.pk}/titles"
    response = client.get(url, **bearer(s.organizer))
    assert response.status_code == 200
    rows = response.json()
    assert [(r["place"], r["scope"], r["approved_at"] is not None) for r in rows] == [
        (1, "provincial", True), (2, "provincial", False), (2, "provincial", False),
    ]
    assert rows[0]["person"] == proposal.person.real_name and rows[0]["approved_by"] == s.organizer.real_name
    assert proposal.person.id_number not in response.content.decode()
    assert client.get(url, **bearer(s.chief)).status_code == 403  # of the organizer's unit, not its staff
    assert client.get(url, **bearer(hr_of_b)).status_code == 404
    assert client.get(f"{API}/events/0/titles", **bearer(s.organizer)).status_code == 404


def test_the_organizer_lists_nominations_sent_and_received_and_others_are_refused(
    scenario: Scenario, client: Client, hr_of_a: User
) -> None:
    s = scenario
    target = steps.national_welding(s)
    steps.link_nomination(s, target, 1)
    steps.bring_to_review_with_a_tie(s)
    steps.publish(s)
    sent = client.get(f"{API}/events/{s.event.pk}/nominations", **bearer(s.organizer))
    received = client.get(f"{API}/events/{target.event_id}/nominations", **bearer(s.organizer))
    assert sent.status_code == received.status_code == 200
    (row,) = sent.json()["sent"]
    assert sent.json()["received"] == [] and received.json() == {"sent": [], "received": [row]}
    assert row["place"] == 1 and row["to_skill"] == str(target) and row["names"] == [
        s.entries[0].members.get().person.real_name
    ]
    url = f"{API}/events/{s.event.pk}/nominations"
    assert client.get(url, **bearer(s.chief)).status_code == 403
    assert client.get(url, **bearer(hr_of_a)).status_code == 404
    assert client.get(url).status_code == 401


def test_the_pages_refuse_as_the_api_does(scenario: Scenario, client_of, hr_of_b: User) -> None:  # type: ignore[no-untyped-def]
    s = scenario
    for page in ("corrections", "objections", "sheets"):
        url = f"/competitions/skills/{s.skill.pk}/{page}/"
        assert client_of(hr_of_b).get(url).status_code == 404
        assert client_of(s.organizer).get(url).status_code == 403
        assert client_of(s.chief).get(url).status_code == 200


def test_filing_and_answering_an_objection_answer_with_the_row_the_list_shows(
    scenario: Scenario, client: Client
) -> None:
    s = scenario
    steps.bring_to_review_with_a_tie(s)
    entry = s.entries[0]
    filed = client.post(f"{API}/entries/{entry.pk}/objections", {"text": "A1 漏评，请复核"},
                        content_type="application/json", **bearer(entry.members.get().person))
    assert filed.status_code == 201
    answered = client.post(f"{API}/objections/{filed.json()['id']}/answer", {"answer": "经复核，维持原成绩。"},
                           content_type="application/json", **bearer(s.chief))
    assert answered.status_code == 200
    (listed,) = client.get(f"{API}/skills/{s.skill.pk}/objections", **bearer(s.chief)).json()
    assert answered.json() == listed and listed["answered_by"] == s.chief.real_name
    assert filed.json() == {**listed, "answer": "", "answered_by": "", "answered_at": None}
    assert "entry_id" not in listed


def test_approving_a_title_answers_with_the_row_the_list_shows(scenario: Scenario, client: Client) -> None:
    s = scenario
    steps.bring_to_review_with_a_tie(s)
    steps.publish(s)
    proposal = TitleProposal.objects.order_by("place", "pk").first()
    assert proposal is not None
    approved = client.post(f"{API}/titles/{proposal.pk}/approve", **bearer(s.organizer))
    assert approved.status_code == 200 and approved.json()["approved_at"] is not None
    listed = client.get(f"{API}/events/{s.event.pk}/titles", **bearer(s.organizer)).json()
    assert approved.json() == next(r for r in listed if r["id"] == proposal.pk)


def test_a_chief_cannot_approve_their_own_correction_and_a_second_chief_can(  # type: ignore[no-untyped-def]
    scenario: Scenario, client
) -> None:
    """Through the API: the self-approval of issue 9 is refused naming why; another chief referee of the skill
    approves; the organizer's supervisor may not take over a request the chief referees can decide."""
    s = scenario
    entry = s.entries_b[0]
    mark_entry(s, entry)
    services.sheet_sign_off(chief=s.chief, sheet_id=Sheet.objects.get(entry=entry, module__code="M1").pk)
    a1 = Mark.objects.get(entry=entry, aspect=s.aspects["A1"])
    asked = client.post(f"{API}/marks/{a1.pk}/corrections", {"new_value": "0", "reason": "复测超差"},
                        content_type="application/json", **bearer(s.chief))
    assert asked.status_code == 201
    correction_id = asked.json()["id"]
    own = client.post(f"{API}/corrections/{correction_id}/approve", {"reason": ""}, content_type="application/json",
                      **bearer(s.chief))
    assert own.status_code == 403 and own.json()["code"] == "correction.own_request"
    second = person(Role.CHIEF_REFEREE, s.event.organizer, username="chief2")
    services.referee_assign(actor=s.chief, skill=s.skill, referee=second, role=RefereeRole.CHIEF,
                            reason="增设副裁判长复核更正")  # panels are frozen in marking: the chief, with a reason
    supervisor = person(Role.SUPERVISOR, s.event.organizer, username="supervisor")
    taken = client.post(f"{API}/corrections/{correction_id}/approve", {"reason": ""},
                        content_type="application/json", **bearer(supervisor))
    assert taken.status_code == 403 and taken.json()["code"] == "correction.for_chiefs"
    approved = client.post(f"{API}/corrections/{correction_id}/approve", {"reason": "录像复核"},
                           content_type="application/json", **bearer(second))
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    a1.refresh_from_db()
    assert a1.value == 0


def test_objections_come_only_from_whom_the_entry_concerns_one_open_at_a_time_and_not_in_bursts(  # type: ignore[no-untyped-def]
    scenario: Scenario, client
) -> None:
    """Issue 9 item 11: any signed-in user could file objections to any entry, as often as they liked."""
    s = scenario
    steps.bring_to_review_with_a_tie(s)
    entry = s.entries_a[0]
    url = f"{API}/entries/{entry.pk}/objections"

    def file(who: User, text: str = "J1 评分与录像不符"):  # type: ignore[no-untyped-def]
        return client.post(url, {"text": text}, content_type="application/json", **bearer(who))

    stranger = person(Role.CONTESTANT, OrganizationFactory(name="无关单位"), username="stranger")
    assert file(stranger).status_code == 404  # not theirs: not even there
    other_hr = person(Role.ENTERPRISE_HR, s.entries_b[0].unit, username="other_hr")
    assert file(other_hr).status_code == 404  # staff of another nominating unit
    assert file(s.organizer).status_code == 404  # the jury's side does not object to its own results
    staff = person(Role.ENTERPRISE_HR, entry.unit, username="unit_hr")
    first = file(staff)
    assert first.status_code == 201
    again = file(staff, "再补充一点")
    assert again.status_code == 409 and again.json()["code"] == "objection.already_open"
    member = entry.members.get().person
    assert file(member).status_code == 201  # one open objection per person, not per entry
    assert Objection.objects.filter(entry=entry).count() == 2

    objection = Objection.objects.get(pk=first.json()["id"])
    for n in range(4):  # answered, filed again: five within minutes
        services.objection_answer(chief=s.chief, objection=objection, answer="经复核，维持原成绩。")
        response = file(staff, f"第 {n + 2} 次")
        assert response.status_code == 201, response.json()
        objection = Objection.objects.get(pk=response.json()["id"])
    services.objection_answer(chief=s.chief, objection=objection, answer="经复核，维持原成绩。")
    burst = file(staff, "第 6 次")
    assert burst.status_code == 429 and burst.json()["code"] == "objection.too_many"
    assert "10 分钟内最多提出 5 条" in burst.json()["message"]
    assert Objection.objects.filter(filed_by=staff).count() == 5
