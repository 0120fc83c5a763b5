"""Services of matchmaking events, challenges and equipment sharing: the rows they write, the audit entries, and
who may do what (another enterprise cannot pick on a challenge, another college cannot decide on equipment)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from accounts.actors import SYSTEM
from accounts.models import Organization, User
from audit.models import AuditEntry
from core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from talentpool.models import (
    ApplicationStatus,
    ChallengeStatus,
    EquipmentRequestStatus,
    Invitation,
    InvitationStatus,
    MatchmakingScope,
    OutcomeKind,
)
from talentpool.services import challenges as challenge_services
from talentpool.services import equipment as equipment_services
from talentpool.services import matchmaking as services
from tests.talentpool import meet_steps as steps

pytestmark = pytest.mark.django_db


def _audited(action: str, target: object) -> AuditEntry:
    return AuditEntry.objects.get(action=action, target_id=str(target.pk))  # type: ignore[attr-defined]


@pytest.fixture
def college_a() -> Organization:
    return steps.college("甲技师学院")


@pytest.fixture
def college_b() -> Organization:
    return steps.college("乙职业学院", city="青岛市")


@pytest.fixture
def staff_a(college_a: Organization) -> User:
    return steps.staff_of(college_a, "staff_a")


@pytest.fixture
def staff_b(college_b: Organization) -> User:
    return steps.staff_of(college_b, "staff_b")


@pytest.fixture
def event(organizer: User, organizer_unit: Organization):  # type: ignore[no-untyped-def]
    return services.matchmaking_event_create(actor=organizer, organizer_id=organizer_unit.pk, draft=services.EventDraft(
        name="高端装备对接会", scope=MatchmakingScope.CHAIN, chain_id=steps.chain().pk, held_on=steps.in_days(7)))


def test_organizer_creates_an_event_audited(event, organizer: User) -> None:  # type: ignore[no-untyped-def]
    assert event.created_by == organizer and event.chain == steps.chain()
    entry = _audited("talentpool.matchmaking.created", event)
    assert entry.actor == organizer and entry.new["name"] == "高端装备对接会"


def test_an_event_must_name_its_scope(organizer: User, organizer_unit: Organization) -> None:
    with pytest.raises(ValidationFailed) as caught:
        services.matchmaking_event_create(actor=organizer, organizer_id=organizer_unit.pk, draft=services.EventDraft(
            name="x", scope=MatchmakingScope.CITY, held_on=steps.in_days(1), city="nowhere"))
    assert [e.field for e in caught.value.field_errors] == ["city"]


def test_hr_cannot_create_an_event(hr_of_a: User, organizer_unit: Organization) -> None:
    with pytest.raises(NotFound):
        services.matchmaking_event_create(actor=hr_of_a, organizer_id=organizer_unit.pk, draft=services.EventDraft(
            name="x", scope=MatchmakingScope.CITY, city="jinan", held_on=steps.in_days(1)))


def test_proposals_are_recorded_once_with_reasons(event, organizer: User, enterprise_a: Organization,  # type: ignore[no-untyped-def]
                                                  college_a: Organization) -> None:
    steps.demand(enterprise_a, posts=[(steps.WELDER, 18, "jinan")])
    steps.supply(college_a, majors=[("660301", "焊接技术应用", [steps.WELDER[0]], {steps.this_year(): 120})])
    steps.demand(steps.college("草稿企业"), posts=[(steps.WELDER, 9, "jinan")], submitted=False)
    added = services.matchmaking_propose(actor=organizer, event_id=event.pk)
    assert {(i.organization_id, i.status, i.proposed) for i in added} == {
        (enterprise_a.pk, InvitationStatus.PROPOSED, True), (college_a.pk, InvitationStatus.PROPOSED, True)}
    assert "岗位 焊工 18 人 ↔ 甲技师学院 焊接技术应用专业 毕业生 120 人" in added[0].reason
    assert services.matchmaking_propose(actor=organizer, event_id=event.pk) == []
    assert Invitation.objects.filter(event=event).count() == 2
    assert AuditEntry.objects.filter(action="talentpool.matchmaking.proposed").count() == 1


def test_invite_answer_and_outcomes(event, organizer: User, enterprise_a: Organization, hr_of_a: User,  # type: ignore[no-untyped-def]
                                    hr_of_b: User, college_a: Organization, enterprise_b: Organization) -> None:
    invitation = services.matchmaking_invite(actor=organizer, event_id=event.pk, organization_id=enterprise_a.pk)
    services.matchmaking_invite(actor=organizer, event_id=event.pk, organization_id=college_a.pk)
    assert invitation.status == InvitationStatus.INVITED and not invitation.proposed
    with pytest.raises(Conflict):
        services.matchmaking_invite(actor=organizer, event_id=event.pk, organization_id=enterprise_a.pk)
    with pytest.raises(NotFound):  # another enterprise's HR cannot answer for 甲企业
        services.matchmaking_respond(actor=hr_of_b, invitation_id=invitation.pk, accept=True)
    answered = services.matchmaking_respond(actor=hr_of_a, invitation_id=invitation.pk, accept=True)
    assert answered.status == InvitationStatus.ACCEPTED
    assert _audited("talentpool.matchmaking.responded", invitation).actor == hr_of_a

    outcome = services.matchmaking_outcome_record(actor=organizer, event_id=event.pk, draft=services.OutcomeDraft(
        kind=OutcomeKind.HIRE, enterprise_id=enterprise_a.pk, college_id=college_a.pk, count=5))
    assert (outcome.count, outcome.recorded_by) == (5, organizer)
    assert _audited("talentpool.matchmaking.outcome_recorded", outcome).new["count"] == 5
    with pytest.raises(ValidationFailed) as caught:  # 乙企业 was not invited
        services.matchmaking_outcome_record(actor=organizer, event_id=event.pk, draft=services.OutcomeDraft(
            kind=OutcomeKind.HIRE, enterprise_id=enterprise_b.pk, count=0))
    assert {e.field for e in caught.value.field_errors} == {"enterprise_id", "count"}


def test_uninvite_returns_a_proposal_and_removes_a_hand_invitation(event, organizer: User,  # type: ignore[no-untyped-def]
                                                                  enterprise_a: Organization) -> None:
    invitation = services.matchmaking_invite(actor=organizer, event_id=event.pk, organization_id=enterprise_a.pk)
    assert services.matchmaking_uninvite(actor=organizer, invitation_id=invitation.pk) is None
    assert not Invitation.objects.filter(pk=invitation.pk).exists()
    proposed = Invitation.objects.create(event=event, organization=enterprise_a, proposed=True, reason="r")
    services.matchmaking_invite(actor=organizer, event_id=event.pk, organization_id=enterprise_a.pk)
    back = services.matchmaking_uninvite(actor=organizer, invitation_id=proposed.pk)
    assert back is not None and back.status == InvitationStatus.PROPOSED


# --- challenges -----------------------------------------------------------------------------------------------

def _challenge(hr: User, enterprise: Organization, **changes: object):  # type: ignore[no-untyped-def]
    fields: dict[str, object] = {"title": "焊接变形控制", "problem": "结构件焊后变形", "goal": "变形小于 2mm",
                                 "budget": Decimal("80"), "deadline": steps.in_days(30)}
    fields.update(changes)
    return challenge_services.challenge_publish(actor=hr, enterprise_id=enterprise.pk,
                                                draft=challenge_services.ChallengeDraft(**fields))  # type: ignore[arg-type]


def test_publish_from_own_need_only(hr_of_a: User, enterprise_a: Organization, enterprise_b: Organization) -> None:
    own = steps.need(steps.demand(enterprise_a, posts=[(steps.WELDER, 1, "jinan")]))
    other = steps.need(steps.demand(enterprise_b, posts=[(steps.WELDER, 1, "jinan")]))
    challenge = _challenge(hr_of_a, enterprise_a, need_id=own.pk, problem="", goal=" ")
    assert challenge.need == own and challenge.status == ChallengeStatus.OPEN
    assert (challenge.problem, challenge.goal) == (own.problem, own.goal)  # taken from the need
    assert _audited("talentpool.challenge.published", challenge).actor == hr_of_a
    with pytest.raises(ValidationFailed) as caught:
        _challenge(hr_of_a, enterprise_a, need_id=other.pk, budget=Decimal("-1"), deadline=steps.in_days(-1))
    assert {e.field for e in caught.value.field_errors} == {"need_id", "budget", "deadline"}
    with pytest.raises(ValidationFailed) as caught:
        _challenge(hr_of_a, enterprise_a, problem="")  # no need to take it from
    assert [e.field for e in caught.value.field_errors] == ["problem"]


def test_apply_once_pick_and_the_others_not_selected(hr_of_a: User, hr_of_b: User, enterprise_a: Organization,
                                                     staff_a: User, staff_b: User, college_a: Organization,
                                                     college_b: Organization) -> None:
    challenge = _challenge(hr_of_a, enterprise_a)
    first = challenge_services.challenge_apply(actor=staff_a, challenge_id=challenge.pk, college_id=college_a.pk,
                                               proposal="仿真 + 反变形", team="6 人")
    second = challenge_services.challenge_apply(actor=staff_b, challenge_id=challenge.pk, college_id=college_b.pk,
                                                proposal="机器人焊接")
    assert _audited("talentpool.challenge.applied", first).actor == staff_a
    with pytest.raises(Conflict):
        challenge_services.challenge_apply(actor=staff_a, challenge_id=challenge.pk, college_id=college_a.pk,
                                           proposal="again")
    with pytest.raises(NotFound):  # a college's staff cannot apply for another college
        challenge_services.challenge_apply(actor=staff_a, challenge_id=challenge.pk, college_id=college_b.pk,
                                           proposal="x")
    with pytest.raises((NotFound, PermissionDenied)):  # another enterprise cannot pick
        challenge_services.challenge_pick(actor=hr_of_b, application_id=first.pk)
    awarded = challenge_services.challenge_pick(actor=hr_of_a, application_id=first.pk)
    assert awarded.status == ChallengeStatus.AWARDED and awarded.awarded_at is not None
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (ApplicationStatus.SELECTED, ApplicationStatus.NOT_SELECTED)
    assert _audited("talentpool.challenge.awarded", challenge).new["not_selected"] == [second.pk]
    with pytest.raises(Conflict):
        challenge_services.challenge_close(actor=hr_of_a, challenge_id=challenge.pk)


def test_no_application_after_the_deadline(hr_of_a: User, enterprise_a: Organization, staff_a: User,
                                           college_a: Organization) -> None:
    challenge = _challenge(hr_of_a, enterprise_a)
    type(challenge).objects.filter(pk=challenge.pk).update(deadline=steps.in_days(-1))
    with pytest.raises(Conflict) as caught:
        challenge_services.challenge_apply(actor=staff_a, challenge_id=challenge.pk, college_id=college_a.pk,
                                           proposal="late")
    assert caught.value.code == "challenge.deadline_passed"


def test_close_makes_standing_applications_not_selected(hr_of_a: User, enterprise_a: Organization, staff_a: User,
                                                        college_a: Organization) -> None:
    challenge = _challenge(hr_of_a, enterprise_a)
    application = challenge_services.challenge_apply(actor=staff_a, challenge_id=challenge.pk,
                                                     college_id=college_a.pk, proposal="p")
    closed = challenge_services.challenge_close(actor=hr_of_a, challenge_id=challenge.pk, reason="需求取消")
    application.refresh_from_db()
    assert closed.status == ChallengeStatus.CLOSED and application.status == ApplicationStatus.NOT_SELECTED
    assert _audited("talentpool.challenge.closed", challenge).reason == "需求取消"


# --- equipment ------------------------------------------------------------------------------------------------

def test_request_and_the_owning_college_decides(hr_of_a: User, enterprise_a: Organization, staff_a: User,
                                                staff_b: User, college_a: Organization) -> None:
    checklist = steps.supply(college_a, majors=[], equipment=[("焊接机器人", "弧焊", True, False),
                                                              ("内部设备", "-", False, False)])
    robot, closed = list(checklist.equipment.order_by("position"))
    with pytest.raises(NotFound):
        equipment_services.equipment_request_create(actor=hr_of_a, equipment_id=closed.pk,
                                                    enterprise_id=enterprise_a.pk, purpose="x",
                                                    start_on=steps.in_days(1), end_on=steps.in_days(2))
    with pytest.raises(ValidationFailed) as caught:
        equipment_services.equipment_request_create(actor=hr_of_a, equipment_id=robot.pk,
                                                    enterprise_id=enterprise_a.pk, purpose=" ",
                                                    start_on=steps.in_days(3), end_on=steps.in_days(2))
    assert {e.field for e in caught.value.field_errors} == {"purpose", "end_on"}
    made = equipment_services.equipment_request_create(actor=hr_of_a, equipment_id=robot.pk,
                                                       enterprise_id=enterprise_a.pk, purpose="试焊",
                                                       start_on=steps.in_days(1), end_on=steps.in_days(5))
    assert _audited("talentpool.equipment.requested", made).actor == hr_of_a
    with pytest.raises((NotFound, PermissionDenied)):  # another college cannot decide
        equipment_services.equipment_request_decide(actor=staff_b, request_id=made.pk, approve=True)
    with pytest.raises(ValidationFailed):
        equipment_services.equipment_request_decide(actor=staff_a, request_id=made.pk, approve=False)
    decided = equipment_services.equipment_request_decide(actor=staff_a, request_id=made.pk, approve=True,
                                                          reply="周三上午")
    assert (decided.status, decided.decided_by, decided.reply) == (EquipmentRequestStatus.APPROVED, staff_a, "周三上午")
    assert _audited("talentpool.equipment.decided", made).new["status"] == "approved"
    with pytest.raises(Conflict):
        equipment_services.equipment_request_withdraw(actor=hr_of_a, request_id=made.pk)


def test_system_actor_writes_with_empty_person_columns(organizer_unit: Organization) -> None:
    event = services.matchmaking_event_create(actor=SYSTEM, organizer_id=organizer_unit.pk, draft=services.EventDraft(
        name="系统", scope=MatchmakingScope.CITY, city="jinan", held_on=steps.in_days(1)))
    assert event.created_by is None
    assert _audited("talentpool.matchmaking.created", event).actor_label == "system"
