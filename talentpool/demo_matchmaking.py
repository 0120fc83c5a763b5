"""Demo data of matchmaking and challenges (issue 14 item 11), after the checklist demo (demo_checklists): the
高端装备产业链校企对接会 in 济南, organised by 省人社厅, with the platform's proposals from whatever checklists
exist, 鲁中重机 and 山东工业技师学院 invited and accepted, and outcomes recorded (interviews, hires, an agreement);
and 鲁中重机's open challenge 大型结构件焊接变形控制 (linked to one of its collaboration needs when the checklist demo
made any) with an application from 山东工业技师学院. Every write goes through the services as the system actor;
run twice, it adds nothing (each step looks for what it would make first)."""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.actors import SYSTEM
from accounts.demo import DemoLogin
from accounts.models import Organization
from talentpool.models import (
    Challenge,
    ChallengeApplication,
    CollaborationNeed,
    IndustryChain,
    Invitation,
    InvitationStatus,
    MatchmakingEvent,
    MatchmakingScope,
    Outcome,
    OutcomeKind,
)
from talentpool.services import challenges as challenge_services
from talentpool.services import matchmaking as services

ORGANIZER = "山东省人力资源和社会保障厅"
ENTERPRISE = "鲁中重型机械股份有限公司"
COLLEGE = "山东工业技师学院"
EVENT_NAME = "高端装备产业链校企对接会"
CHALLENGE_TITLE = "大型结构件焊接变形控制"
OUTCOMES = ((OutcomeKind.INTERVIEW, 12, "焊工、装配钳工岗位现场面试"), (OutcomeKind.HIRE, 5, "焊接技术应用专业毕业生"),
            (OutcomeKind.AGREEMENT, 1, "共建焊接工艺联合实训基地"))


def _chain() -> IndustryChain | None:
    return IndustryChain.objects.filter(code="high-end-equipment").first()


def _event(organizer: Organization) -> MatchmakingEvent:
    event = MatchmakingEvent.objects.filter(name=EVENT_NAME, organizer=organizer).first()
    if event is not None:
        return event
    chain = _chain()
    # By the chain (seeded by migration 0002); by the city of 济南 on a database whose seeded rows were flushed.
    scope = MatchmakingScope.CHAIN if chain is not None else MatchmakingScope.CITY
    return services.matchmaking_event_create(actor=SYSTEM, organizer_id=organizer.pk, draft=services.EventDraft(
        name=EVENT_NAME, scope=scope, chain_id=chain.pk if chain else None, city="jinan",
        held_on=timezone.localdate(),
        venue="济南 · 山东国际会展中心",
        description="围绕高端装备产业链焊接、装配、数控岗位需求，组织链上企业与技工院校对接。"))


def _invite_and_accept(event: MatchmakingEvent, unit: Organization) -> None:
    invitation = Invitation.objects.filter(event=event, organization=unit).first()
    if invitation is None or invitation.status in (InvitationStatus.PROPOSED, InvitationStatus.DECLINED):
        invitation = services.matchmaking_invite(actor=SYSTEM, event_id=event.pk, organization_id=unit.pk)
    if invitation.status == InvitationStatus.INVITED and event.held_on >= timezone.localdate():
        services.matchmaking_respond(actor=SYSTEM, invitation_id=invitation.pk, accept=True)


def seed(rng: random.Random) -> list[DemoLogin]:
    organizer = Organization.objects.get(name=ORGANIZER)
    enterprise = Organization.objects.get(name=ENTERPRISE)
    college = Organization.objects.get(name=COLLEGE)
    event = _event(organizer)
    services.matchmaking_propose(actor=SYSTEM, event_id=event.pk)
    for unit in (enterprise, college):
        _invite_and_accept(event, unit)
    if not Outcome.objects.filter(event=event).exists():
        for kind, count, note in OUTCOMES:
            services.matchmaking_outcome_record(actor=SYSTEM, event_id=event.pk, draft=services.OutcomeDraft(
                kind=kind, enterprise_id=enterprise.pk, college_id=college.pk, count=count, note=note))

    challenge = Challenge.objects.filter(enterprise=enterprise, title=CHALLENGE_TITLE).first()
    if challenge is None:
        need = CollaborationNeed.objects.filter(checklist__enterprise=enterprise).order_by("-checklist__year",
                                                                                          "position").first()
        chain = _chain()
        challenge = challenge_services.challenge_publish(
            actor=SYSTEM, enterprise_id=enterprise.pk, draft=challenge_services.ChallengeDraft(
                title=CHALLENGE_TITLE,
                problem="大型箱形梁、臂架等结构件焊后变形超差，校形工时占总工时 30% 以上；厚板多层多道焊残余应力大。",
                goal="建立焊接变形预测与反变形工艺，焊后变形控制在 2 mm/m 以内，校形工时降低 50%；"
                     "形成焊接机器人工艺包。",
                budget=Decimal("80.00"), deadline=timezone.localdate() + timedelta(days=60),
                chain_id=chain.pk if chain else None,
                need_id=need.pk if need else None))
    if not ChallengeApplication.objects.filter(challenge=challenge, college=college).exists() \
            and challenge.deadline >= timezone.localdate():
        challenge_services.challenge_apply(
            actor=SYSTEM, challenge_id=challenge.pk, college_id=college.pk,
            proposal="依托焊接技术应用专业与省级焊接实训基地，采用有限元热-力耦合仿真预测变形，结合机器人多层多道"
                     "焊路径优化与随焊冷却，分两期完成工艺验证与现场应用。",
            team="焊接教研室 6 人（高级技师 3 名，正高级讲师 1 名），企业兼职教师 2 名")
    _ = rng  # nothing random: the demo's event and challenge are fixed texts
    return []
