"""Competitions API, mounted at /api/v1/competitions/: thin endpoints over the services and selectors.

Events and results are readable without signing in (`auth` ends with an anonymous fallback): the events past
their draft, and the standings of published skills. A signed-in member of the jury gets provisional standings
from the same endpoint. Referees address entries by 工位号 only (`POST /skills/{id}/marks`).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from ninja import File, Router, Status, UploadedFile

from accounts.auth import OPTIONAL_AUTH
from accounts.models import Organization, User
from accounts.permissions import Action, require
from competitions import access, imports, selectors, services
from competitions import selectors_review as review
from competitions.models import (
    Aspect,
    Draw,
    Entry,
    EntryStatus,
    Event,
    Mark,
    MarkCorrection,
    Objection,
    RefereeRole,
    Sheet,
    Skill,
    TitleProposal,
)
from competitions.schemas import (
    AnswerIn,
    AssignmentIn,
    AssignmentOut,
    CorrectionIn,
    CorrectionOut,
    CorrectionRowOut,
    DrawIn,
    DrawOut,
    EntryIn,
    EntryOut,
    EventDetailOut,
    EventIn,
    EventNominationsOut,
    EventOut,
    EventResultsOut,
    MarkIn,
    MarkingSheetOut,
    MarkOut,
    MyAssignmentOut,
    MyEntryOut,
    ObjectionIn,
    ObjectionOut,
    ObjectionRowOut,
    ReasonIn,
    SchemeIn,
    SchemeOut,
    SheetOut,
    SignOffIn,
    SkillIn,
    SkillOut,
    TitleOut,
    TitleRowOut,
    TransitionIn,
)
from core.errors import NotFound
from core.schemas import errors

router = Router()


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _get(model: type[Model], pk: int, **related: Any) -> Any:
    obj = model.objects.filter(pk=pk).select_related(*related.get("select", ())).first()  # type: ignore[attr-defined]
    if obj is None:
        raise NotFound()
    return obj


def _event_out(event: Event) -> dict[str, Any]:
    return {
        "id": event.pk, "name": event.name, "level": event.level, "level_label": str(event.get_level_display()),
        "series": event.series, "organizer_id": event.organizer_id, "organizer": event.organizer.name,
        "starts_on": event.starts_on, "ends_on": event.ends_on, "status": event.status,
        "status_label": str(event.get_status_display()),
    }


def _skill_out(skill: Skill) -> dict[str, Any]:
    return {
        "id": skill.pk, "event_id": skill.event_id, "name": skill.name, "occupation_code": skill.occupation_code,
        "group": skill.group, "team_size": skill.team_size, "status": skill.status,
        "review_until": skill.review_until, "decrypted": skill.decrypted_at is not None,
        "published_at": skill.published_at,
    }


def _entry_out(entry: Entry) -> dict[str, Any]:
    return {
        "id": entry.pk, "skill_id": entry.skill_id, "unit_id": entry.unit_id, "unit": entry.unit.name,
        "status": entry.status, "status_label": str(entry.get_status_display()), "review_reason": entry.review_reason,
        "members": [{"person_id": m.person_id, "name": m.person.real_name or m.person.username}
                    for m in entry.members.all()],
    }


# --- events and results (public) ----------------------------------------------------------------------------------


@router.get("/events", response={200: list[EventOut], **errors()}, auth=OPTIONAL_AUTH, summary="竞赛列表 Events")
def events(request: HttpRequest) -> list[dict[str, Any]]:
    return [_event_out(e) for e in selectors.events_visible(viewer=_user(request))[:500]]


@router.get("/events/{event_id}", response={200: EventDetailOut, **errors(404)}, auth=OPTIONAL_AUTH,
            summary="竞赛详情 An event")
def event_detail(request: HttpRequest, event_id: int) -> dict[str, Any]:
    event = selectors.event_visible(viewer=_user(request), event_id=event_id)
    return {**_event_out(event), "skills": [_skill_out(s) for s in selectors.skills_of(event)]}


@router.get("/events/{event_id}/results", response={200: EventResultsOut, **errors(404)}, auth=OPTIONAL_AUTH,
            summary="竞赛成绩 Standings of every skill")
def event_results(request: HttpRequest, event_id: int) -> dict[str, Any]:
    results = selectors.event_results(viewer=_user(request), event_id=event_id)
    return {
        "event_id": results.event.pk, "event_name": results.event.name,
        "provisional": any(s.provisional for s in results.skills),
        "skills": [asdict(s) for s in results.skills],
    }


# --- organizers ---------------------------------------------------------------------------------------------------


@router.post("/events", response={201: EventOut, **errors(404)}, summary="创建竞赛 Announce an event")
def event_create(request: HttpRequest, payload: EventIn) -> Status[dict[str, Any]]:
    organizer = _get(Organization, payload.organizer_id)
    data = services.EventData(
        name=payload.name, level=payload.level, starts_on=payload.starts_on, ends_on=payload.ends_on,
        series=payload.series, award_rule=payload.award_rule, excellence_basis=payload.excellence_basis,
        min_total=payload.min_total, review_days=payload.review_days,
    )
    return Status(201, _event_out(services.event_create(actor=_user(request), organizer=organizer, data=data)))


@router.post("/events/{event_id}/skills", response={201: SkillOut, **errors(404, 409)}, summary="添加赛项 Add a skill")
def skill_create(request: HttpRequest, event_id: int, payload: SkillIn) -> Status[dict[str, Any]]:
    event = _get(Event, event_id)
    data = services.SkillData(
        name=payload.name, occupation_code=payload.occupation_code, group=payload.group,
        team_size=payload.team_size, min_age=payload.min_age, max_age=payload.max_age,
        theory_weight=payload.theory_weight, tie_breaks=tuple(payload.tie_breaks),
        award_rule=payload.award_rule or "",
    )
    return Status(201, _skill_out(services.skill_create(actor=_user(request), event=event, data=data)))


@router.post("/events/{event_id}/transition", response={200: EventOut, **errors(404, 409)},
             summary="竞赛状态变更 Move an event")
def event_transition(request: HttpRequest, event_id: int, payload: TransitionIn) -> dict[str, Any]:
    event = _get(Event, event_id)
    moved = services.event_transition(actor=_user(request), event=event, target=payload.target,
                                      reason=payload.reason)
    return _event_out(Event.objects.select_related("organizer").get(pk=moved.pk))


@router.post("/skills/{skill_id}/transition", response={200: SkillOut, **errors(404, 409)},
             summary="赛项状态变更 Move one skill")
def skill_transition(request: HttpRequest, skill_id: int, payload: TransitionIn) -> dict[str, Any]:
    skill = _get(Skill, skill_id)
    return _skill_out(services.skill_transition(actor=_user(request), skill=skill, target=payload.target,
                                                reason=payload.reason))


def _scheme_out(skill: Skill) -> dict[str, Any]:
    scheme = getattr(skill, "scheme", None)
    if scheme is None:
        raise NotFound()
    from competitions.adapters import domain_aspect

    aspects = scheme.aspects.select_related("module").order_by("module__position", "position", "id")
    return {
        "skill_id": skill.pk, "frozen_at": scheme.frozen_at,
        "aspects": [{"id": a.pk, "code": a.code, "module": a.module.code, "description": a.description,
                     "method": a.method, "method_label": str(a.get_method_display()), "max_mark": a.max_mark,
                     "referee_count": domain_aspect(a).referee_count} for a in aspects],
    }


@router.get("/skills/{skill_id}/scheme", response={200: SchemeOut, **errors(404)}, summary="评分标准 The scheme")
def scheme(request: HttpRequest, skill_id: int) -> dict[str, Any]:
    skill = _get(Skill, skill_id, select=["event"])
    if skill.pk not in access.assigned_skill_ids(_user(request)):
        require(_user(request), Action.SCHEME_MANAGE, skill)
    return _scheme_out(skill)


@router.put("/skills/{skill_id}/scheme", response={200: SchemeOut, **errors(404, 409)},
            summary="保存评分标准 Replace the scheme")
def scheme_save(request: HttpRequest, skill_id: int, payload: SchemeIn) -> dict[str, Any]:
    skill = _get(Skill, skill_id)
    modules = [
        services.ModuleData(m.code, m.name, tuple(
            services.AspectData(
                code=a.code, max_mark=a.max_mark, method=a.method, description=a.description, nominal=a.nominal,
                bands=tuple((t, d) for t, d in a.bands), referee_count=a.referee_count,
                divergence_threshold=a.divergence_threshold,
            )
            for a in m.aspects
        ))
        for m in payload.modules
    ]
    services.scheme_save(actor=_user(request), skill=skill, modules=modules)
    return _scheme_out(Skill.objects.get(pk=skill.pk))


@router.get("/skills/{skill_id}/entries", response={200: list[EntryOut], **errors(404)},
            summary="报名名单 Registrations")
def entries(request: HttpRequest, skill_id: int) -> list[dict[str, Any]]:
    skill = _get(Skill, skill_id, select=["event"])
    return [_entry_out(e) for e in selectors.entries_visible(viewer=_user(request), skill=skill)]


@router.post("/skills/{skill_id}/entries", response={201: EntryOut, **errors(404, 409)},
             summary="报名 Enter contestants")
def entry_submit(request: HttpRequest, skill_id: int, payload: EntryIn) -> Status[dict[str, Any]]:
    skill = _get(Skill, skill_id)
    unit = _get(Organization, payload.unit_id)
    members = [services.MemberData(_get(User, m.person_id), m.group) for m in payload.members]
    coaches = [_get(User, pk) for pk in payload.coach_ids]
    entry = services.entry_submit(actor=_user(request), skill=skill, unit=unit, members=members, coaches=coaches)
    return Status(201, _entry_out(entry))


@router.post("/entries/{entry_id}/approve", response={200: EntryOut, **errors(404, 409)},
             summary="审核通过 Approve a registration")
def entry_approve(request: HttpRequest, entry_id: int, payload: ReasonIn) -> dict[str, Any]:
    return _entry_out(services.entry_approve(actor=_user(request), entry=_get(Entry, entry_id),
                                             reason=payload.reason))


@router.post("/entries/{entry_id}/reject", response={200: EntryOut, **errors(404, 409)},
             summary="驳回报名 Reject a registration")
def entry_reject(request: HttpRequest, entry_id: int, payload: ReasonIn) -> dict[str, Any]:
    return _entry_out(services.entry_reject(actor=_user(request), entry=_get(Entry, entry_id),
                                            reason=payload.reason))


@router.post("/entries/{entry_id}/withdraw", response={200: EntryOut, **errors(404, 409)},
             summary="退赛 Withdraw an entry")
def entry_withdraw(request: HttpRequest, entry_id: int, payload: ReasonIn) -> dict[str, Any]:
    return _entry_out(services.entry_withdraw(actor=_user(request), entry=_get(Entry, entry_id, select=["unit"]),
                                              reason=payload.reason))


@router.post("/skills/{skill_id}/referees", response={200: AssignmentOut, **errors(404)},
             summary="安排裁判 Appoint a referee")
def referee_assign(request: HttpRequest, skill_id: int, payload: AssignmentIn) -> Any:
    skill = _get(Skill, skill_id, select=["event"])
    require(_user(request), Action.COMPETITION_MANAGE, skill)
    return services.referee_assign(
        actor=_user(request), skill=skill, referee=_get(User, payload.referee_id), role=RefereeRole(payload.role),
        priority=payload.priority, aspect_codes=payload.aspect_codes, workstation_nos=payload.workstation_nos,
    )


@router.post("/titles/{title_id}/approve", response={200: TitleOut, **errors(404, 409)},
             summary="核准技术能手 Approve a title")
def title_approve(request: HttpRequest, title_id: int) -> Any:
    return services.title_approve(actor=_user(request), proposal=_get(TitleProposal, title_id))


# --- encryption officers ------------------------------------------------------------------------------------------


@router.post("/skills/{skill_id}/draws/{stage}", response={201: DrawOut, **errors(404, 409)},
             summary="抽签（checkin 检录号 / workstation 工位号） Run a draw")
def draw_run(request: HttpRequest, skill_id: int, stage: str, payload: DrawIn) -> Status[Draw]:
    skill = _get(Skill, skill_id)
    if stage == "checkin":
        draw = services.draw_checkin(officer=_user(request), skill=skill, seed=payload.seed or None)
    elif stage == "workstation":
        draw = services.draw_workstations(officer=_user(request), skill=skill, seed=payload.seed or None)
    else:
        raise NotFound()
    return Status(201, draw)


@router.post("/skills/{skill_id}/decrypt", response={200: SkillOut, **errors(404, 409)},
             summary="解密 Decrypt a skill")
def decrypt(request: HttpRequest, skill_id: int) -> dict[str, Any]:
    return _skill_out(services.skill_decrypt(officer=_user(request), skill=_get(Skill, skill_id)))


# --- chief referees -----------------------------------------------------------------------------------------------


@router.get("/skills/{skill_id}/sheets", response={200: list[SheetOut], **errors(404)},
            summary="评分表与分歧 Sheets and divergences")
def sheets(request: HttpRequest, skill_id: int) -> list[dict[str, Any]]:
    skill = _get(Skill, skill_id)
    return [asdict(s) for s in selectors.chief_sheets(chief=_user(request), skill=skill)]


def _sheet_out(sheet: Sheet) -> dict[str, Any]:
    from competitions.services.marking import sheet_state

    state = sheet_state(sheet)
    return {
        "sheet_id": sheet.pk, "workstation_no": sheet.entry.workstation_no, "module": sheet.module.code,
        "status": sheet.status, "score": sheet.score, "incomplete": list(state.incomplete),
        "divergent": list(state.divergent),
        "confirmed": {code: value["reason"] for code, value in sheet.confirmed_divergences.items()},
    }


@router.post("/sheets/{sheet_id}/sign-off", response={200: SheetOut, **errors(404, 409)},
             summary="签字确认评分表 Sign a sheet off")
def sheet_sign_off(request: HttpRequest, sheet_id: int, payload: SignOffIn) -> dict[str, Any]:
    sheet = _get(Sheet, sheet_id)
    signed = services.sheet_sign_off(chief=_user(request), sheet=sheet, confirmations=payload.confirmations)
    return _sheet_out(signed)


def _correction_out(c: MarkCorrection) -> dict[str, Any]:
    return {"id": c.pk, "mark_id": c.mark_id, "old_value": c.old_value, "new_value": c.new_value,
            "reason": c.reason, "status": c.status, "requested_at": c.requested_at, "decided_at": c.decided_at}


@router.post("/marks/{mark_id}/corrections", response={201: CorrectionOut, **errors(404, 409)},
             summary="申请更正评分 Request a correction")
def correction_request(request: HttpRequest, mark_id: int, payload: CorrectionIn) -> Status[dict[str, Any]]:
    mark = _get(Mark, mark_id)
    correction = services.correction_request(actor=_user(request), mark=mark, new_value=payload.new_value,
                                             reason=payload.reason)
    return Status(201, _correction_out(correction))


@router.post("/corrections/{correction_id}/approve", response={200: CorrectionOut, **errors(404, 409)},
             summary="批准更正 Approve a correction")
def correction_approve(request: HttpRequest, correction_id: int, payload: ReasonIn) -> dict[str, Any]:
    correction = _get(MarkCorrection, correction_id)
    return _correction_out(services.correction_approve(chief=_user(request), correction=correction,
                                                       reason=payload.reason))


@router.post("/corrections/{correction_id}/reject", response={200: CorrectionOut, **errors(404, 409)},
             summary="驳回更正 Reject a correction")
def correction_reject(request: HttpRequest, correction_id: int, payload: ReasonIn) -> dict[str, Any]:
    correction = _get(MarkCorrection, correction_id)
    return _correction_out(services.correction_reject(chief=_user(request), correction=correction,
                                                      reason=payload.reason))


@router.post("/objections/{objection_id}/answer", response={200: ObjectionOut, **errors(404, 409)},
             summary="答复异议 Answer an objection")
def objection_answer(request: HttpRequest, objection_id: int, payload: AnswerIn) -> Objection:
    return services.objection_answer(chief=_user(request), objection=_get(Objection, objection_id),
                                     answer=payload.answer)


# --- referees -----------------------------------------------------------------------------------------------------


@router.get("/my/assignments", response={200: list[MyAssignmentOut], **errors()}, summary="我的裁判任务 My assignments")
def my_assignments(request: HttpRequest) -> list[dict[str, Any]]:
    return [asdict(a) for a in selectors.my_assignments(referee=_user(request))]


@router.get("/skills/{skill_id}/marking", response={200: MarkingSheetOut, **errors(404)},
            summary="评分表（按工位号） What I mark")
def marking(request: HttpRequest, skill_id: int) -> dict[str, Any]:
    skill = _get(Skill, skill_id)
    view = selectors.marking_sheet(referee=_user(request), skill=skill)
    out = asdict(view)
    for row in out["workstations"]:
        row.pop("entry_id", None)
    return out


def _mark_out(mark: Mark) -> dict[str, Any]:
    return {"id": mark.pk, "workstation_no": mark.entry.workstation_no, "aspect_code": mark.aspect.code,
            "value": mark.value, "replayed": getattr(mark, "replayed", False), "updated_at": mark.updated_at}


@router.get("/my/marks", response={200: list[MarkOut], **errors()}, summary="我的评分 My marks")
def my_marks(request: HttpRequest, skill_id: int | None = None) -> list[dict[str, Any]]:
    skill = Skill.objects.filter(pk=skill_id).first() if skill_id is not None else None
    return [_mark_out(m) for m in selectors.my_marks(referee=_user(request), skill=skill)[:2000]]


@router.post("/skills/{skill_id}/marks", response={200: MarkOut, 201: MarkOut, **errors(404, 409)},
             summary="录入评分（带幂等键） Record a mark")
def mark_record(request: HttpRequest, skill_id: int, payload: MarkIn) -> Status[dict[str, Any]]:
    user = _user(request)
    skill = _get(Skill, skill_id)
    if skill.pk not in access.assigned_skill_ids(user):
        raise NotFound()
    entry = Entry.objects.filter(skill=skill, workstation_no=payload.workstation_no).exclude(
        status__in=[EntryStatus.REJECTED]
    ).first()
    aspect = Aspect.objects.filter(scheme__skill=skill, code=payload.aspect_code).select_related("scheme").first()
    if entry is None or aspect is None:
        raise NotFound()
    mark = services.mark_record(referee=user, entry=entry, aspect=aspect, value=payload.value,
                                idempotency_key=payload.idempotency_key)
    mark = Mark.objects.select_related("entry", "aspect").get(pk=mark.pk) if not hasattr(mark, "entry") else mark
    replayed = getattr(mark, "replayed", False)
    return Status(200 if replayed else 201, _mark_out(mark))


# --- contestants and coaches --------------------------------------------------------------------------------------


@router.get("/my/entries", response={200: list[MyEntryOut], **errors()}, summary="我的报名与成绩 My entries")
def my_entries(request: HttpRequest) -> list[dict[str, Any]]:
    out = []
    standings: dict[int, dict[int, Any]] = {}
    for entry in selectors.my_entries(person=_user(request)):
        skill = entry.skill
        published = skill.published_at is not None
        row = None
        # From the review period (公示) on, one's own place and total are shown, as they are to the public.
        if skill.status in selectors.PUBLIC_STATUSES and entry.status == EntryStatus.APPROVED:
            if skill.pk not in standings:
                standings[skill.pk] = {r.entry_id: r for r in selectors.skill_standings(skill, names=False).rows}
            row = standings[skill.pk].get(entry.pk)
        out.append({
            "id": entry.pk, "event_id": skill.event_id, "event_name": skill.event.name, "skill_id": skill.pk,
            "skill_name": skill.name, "status": entry.status, "status_label": str(entry.get_status_display()),
            "published": published, "place": row.place if row else None, "total": row.total if row else None,
            "award_label": row.award_label if row else None,
        })
    return out


@router.post("/entries/{entry_id}/objections", response={201: ObjectionOut, **errors(404, 409)},
             summary="实名提出成绩异议 File an objection")
def objection_file(request: HttpRequest, entry_id: int, payload: ObjectionIn) -> Status[Objection]:
    entry = _get(Entry, entry_id, select=["skill__event"])
    if entry.skill.review_until is None:  # results not shown yet: nothing to object to, nothing to reveal
        raise NotFound()
    return Status(201, services.objection_file(person=_user(request), entry=entry, text=payload.text))


# --- Excel in and out (competitions.imports) ----------------------------------------------------------------------

# A binary answer: ninja documents a response model as JSON, so the 200 is declared without a model and its
# content type and schema are written into the OpenAPI document here.
XLSX_RESPONSE = {"responses": {200: {"description": "Excel 工作簿 (.xlsx)", "content": {
    imports.XLSX_CONTENT_TYPE: {"schema": {"type": "string", "format": "binary"}}}}}}


def _xlsx(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=imports.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = imports.content_disposition(filename)
    return response


@router.get("/excel-templates/{kind}", response={200: None, **errors(404)}, openapi_extra=XLSX_RESPONSE,
            summary="Excel 模板（roster 报名表 / scheme 评分标准） Download a template")
def excel_template(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in imports.TEMPLATES:
        raise NotFound()
    build, filename = imports.TEMPLATES[kind]
    return _xlsx(build(), filename)


@router.post("/skills/{skill_id}/roster/import", response={201: list[EntryOut], **errors(404, 409)},
             summary="Excel 导入报名表（全部成功或全部不保存） Import a roster")
def roster_import(request: HttpRequest, skill_id: int, file: File[UploadedFile]) -> Status[list[dict[str, Any]]]:
    skill = _get(Skill, skill_id)
    data = imports.read_upload(file, imports.ROSTER)
    entries = services.roster_import(actor=_user(request), skill=skill, data=data)
    return Status(201, [_entry_out(e) for e in Entry.objects.filter(pk__in=[e.pk for e in entries])
                        .select_related("unit").prefetch_related("members__person").order_by("pk")])


@router.get("/skills/{skill_id}/roster/export", response={200: None, **errors(404)}, openapi_extra=XLSX_RESPONSE,
            summary="Excel 导出报名表 Export the roster")
def roster_export(request: HttpRequest, skill_id: int) -> HttpResponse:
    skill = _get(Skill, skill_id)
    return _xlsx(imports.roster_export(viewer=_user(request), skill=skill), f"{skill.name}报名表.xlsx")


@router.post("/skills/{skill_id}/scheme/import", response={200: SchemeOut, **errors(404, 409)},
             summary="Excel 导入评分标准（评分开始后锁定） Import a scheme")
def scheme_import(request: HttpRequest, skill_id: int, file: File[UploadedFile]) -> dict[str, Any]:
    skill = _get(Skill, skill_id)
    services.scheme_import(actor=_user(request), skill=skill, data=imports.read_upload(file, imports.SCHEME))
    return _scheme_out(Skill.objects.get(pk=skill.pk))


@router.get("/skills/{skill_id}/scheme/export", response={200: None, **errors(404)}, openapi_extra=XLSX_RESPONSE,
            summary="Excel 导出评分标准 Export the scheme")
def scheme_export(request: HttpRequest, skill_id: int) -> HttpResponse:
    skill = _get(Skill, skill_id)
    return _xlsx(imports.scheme_export(viewer=_user(request), skill=skill), f"{skill.name}评分标准.xlsx")


@router.get("/skills/{skill_id}/results/export", response={200: None, **errors(404, 409)},
            openapi_extra=XLSX_RESPONSE, summary="Excel 导出赛项正式成绩 Export a skill's official results")
def skill_results_export(request: HttpRequest, skill_id: int) -> HttpResponse:
    skill = _get(Skill, skill_id, select=["event"])
    data = imports.results_export(viewer=_user(request), event=skill.event, skill=skill)
    return _xlsx(data, f"{skill.name}正式成绩.xlsx")


@router.get("/events/{event_id}/results/export", response={200: None, **errors(404, 409)},
            openapi_extra=XLSX_RESPONSE, summary="Excel 导出竞赛正式成绩 Export an event's official results")
def event_results_export(request: HttpRequest, event_id: int) -> HttpResponse:
    event = _get(Event, event_id)
    return _xlsx(imports.results_export(viewer=_user(request), event=event), f"{event.name}正式成绩.xlsx")


# --- review stage: corrections, objections, titles, nominations (competitions.selectors_review) --------------------


@router.get("/skills/{skill_id}/corrections", response={200: list[CorrectionRowOut], **errors(404)},
            summary="评分更正（待审批在前，裁判长） A skill's corrections, pending first")
def skill_corrections(request: HttpRequest, skill_id: int) -> list[dict[str, Any]]:
    skill = _get(Skill, skill_id, select=["event"])
    return [asdict(c) for c in review.skill_corrections(chief=_user(request), skill=skill)]


@router.get("/skills/{skill_id}/objections", response={200: list[ObjectionRowOut], **errors(404)},
            summary="成绩异议（未答复在前，裁判长） A skill's objections, unanswered first")
def skill_objections(request: HttpRequest, skill_id: int) -> list[dict[str, Any]]:
    skill = _get(Skill, skill_id, select=["event"])
    return [asdict(o) for o in review.skill_objections(chief=_user(request), skill=skill)]


@router.get("/events/{event_id}/titles", response={200: list[TitleRowOut], **errors(404)},
            summary="技术能手推荐与核准 An event's title proposals")
def event_titles(request: HttpRequest, event_id: int) -> list[dict[str, Any]]:
    return [asdict(t) for t in review.event_titles(viewer=_user(request), event=_get(Event, event_id))]


@router.get("/events/{event_id}/nominations", response={200: EventNominationsOut, **errors(404)},
            summary="选拔推荐（推荐至上级、来自下级） An event's nominations sent and received")
def event_nominations(request: HttpRequest, event_id: int) -> dict[str, Any]:
    return asdict(review.event_nominations(viewer=_user(request), event=_get(Event, event_id)))


__all__ = ["router"]
