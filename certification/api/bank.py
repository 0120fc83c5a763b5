"""The question bank and papers: banks and their counts, questions (list, add, read with versions, revise,
retire), import (Excel or Moodle XML) and Moodle export, the blueprint, a test assembly, and stored papers with
their check. Rights as on the pages (certification.permissions)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import File, Router, Status, UploadedFile

from accounts.auth import signed_in_user
from certification import access, moodle, services
from certification.api.schemas import (
    BlueprintIn,
    PaperIn,
    QuestionIn,
    QuestionRevisionIn,
    ReasonIn,
    SearchText,
    SeedIn,
)
from certification.domain import papers
from certification.domain.questions import TRUE_FALSE_OPTIONS, QuestionContent
from certification.excel import tables
from certification.excel.bank import read_bank_file
from certification.excel.sheets import XLSX_CONTENT_TYPE
from certification.selectors import bank as selectors
from core.errors import ImportFailed, RowError, RuleBroken
from core.schemas import RowId, errors

router = Router()
Level = int


def _content(payload: QuestionIn) -> QuestionContent:
    kind = papers.Kind(payload.kind)
    return QuestionContent(kind=kind, point_code=payload.point_code.upper(),
                           importance=papers.Importance(payload.importance), difficulty=payload.difficulty,
                           stem=payload.stem, options=TRUE_FALSE_OPTIONS if kind == papers.Kind.TRUE_FALSE
                           and not payload.options else tuple(payload.options),
                           answer=tuple(sorted(set(payload.answer))), explanation=payload.explanation)


@router.get("/banks", response={200: list[selectors.BankView], **errors()}, summary="题库列表 Question banks")
def bank_list(request: HttpRequest) -> list[selectors.BankView]:
    access.require_bank_view(signed_in_user(request))
    return selectors.banks_all()


@router.get("/banks/{occupation_id}/{level}", response={200: selectors.BankCounts, **errors(404)},
            summary="题库题量（知识范围 × 题型 × 难度） A bank's counts")
def bank_counts(request: HttpRequest, occupation_id: RowId, level: Level) -> selectors.BankCounts:
    return selectors.bank_counts(access.access_bank(signed_in_user(request), occupation_id, level))


@router.get("/banks/{occupation_id}/{level}/questions", response={200: selectors.QuestionPage, **errors(404)},
            summary="试题列表（搜索与筛选） A bank's questions")
def question_list(request: HttpRequest, occupation_id: RowId, level: Level, q: SearchText = "", kind: str = "",
                  importance: str = "", difficulty: int | None = None, area: str = "", retired: bool = False,
                  page: int = 1) -> selectors.QuestionPage:
    ref = access.access_bank(signed_in_user(request), occupation_id, level, manage=True)
    found = selectors.QuestionFilter(
        query=q.strip()[:100], kind=kind if kind in {k.value for k in papers.Kind} else "",
        importance=importance if importance in {"X", "Y", "Z"} else "",
        difficulty=difficulty if difficulty in {1, 2, 3, 4, 5} else None, area=area.strip()[:30], retired=retired)
    return selectors.question_page(ref, found, max(1, min(page, 10**6)))


@router.post("/banks/{occupation_id}/{level}/questions", response={201: selectors.QuestionDetail, **errors(404)},
             summary="添加试题 Add a question")
def question_create(request: HttpRequest, occupation_id: RowId, level: Level,
                    payload: QuestionIn) -> Status[selectors.QuestionDetail]:
    actor = signed_in_user(request)
    question = services.question_create(actor=actor, occupation_id=occupation_id, level=level,
                                        content=_content(payload))
    return Status(201, selectors.question_detail(access.access_question(actor, question.pk)))


@router.get("/questions/{question_id}", response={200: selectors.QuestionDetail, **errors(404)},
            summary="试题及其全部版本 A question with its versions")
def question_get(request: HttpRequest, question_id: RowId) -> selectors.QuestionDetail:
    return selectors.question_detail(access.access_question(signed_in_user(request), question_id))


@router.put("/questions/{question_id}", response={200: selectors.QuestionDetail, **errors(404, 409)},
            summary="修改试题（生成新版本） Revise a question")
def question_revise(request: HttpRequest, question_id: RowId, payload: QuestionRevisionIn) -> selectors.QuestionDetail:
    actor = signed_in_user(request)
    services.question_revise(actor=actor, question_id=question_id, content=_content(payload), reason=payload.reason)
    return selectors.question_detail(access.access_question(actor, question_id))


@router.post("/questions/{question_id}/retire", response={200: selectors.QuestionDetail, **errors(404, 409)},
             summary="停用试题 Retire a question")
def question_retire(request: HttpRequest, question_id: RowId, payload: ReasonIn) -> selectors.QuestionDetail:
    actor = signed_in_user(request)
    services.question_retire(actor=actor, question_id=question_id, reason=payload.reason)
    return selectors.question_detail(access.access_question(actor, question_id))


@router.post("/banks/{occupation_id}/{level}/import", response={200: services.BankImportSummary, **errors(404)},
             summary="导入题库（Excel .xlsx 或 Moodle XML .xml；全部成功或全部不保存） Import questions")
def bank_import(request: HttpRequest, occupation_id: RowId, level: Level,
                file: File[UploadedFile]) -> services.BankImportSummary:
    actor = signed_in_user(request)
    access.access_bank(actor, occupation_id, level, manage=True)  # before the file is read
    contents, source_format = read_bank_file(file.name or "", bytes(file.read()))
    return services.questions_import(actor=actor, occupation_id=occupation_id, level=level, contents=contents,
                                     source_format=source_format)


@router.get("/banks/{occupation_id}/{level}/export.xml", response={200: None, **errors(404)},
            summary="导出 Moodle XML Export the bank as Moodle XML")
def bank_export(request: HttpRequest, occupation_id: RowId, level: Level) -> HttpResponse:
    ref = access.access_bank(signed_in_user(request), occupation_id, level, manage=True)
    return HttpResponse(moodle.write(selectors.bank_contents(ref), f"{ref.occupation.name}/{ref.level}"),
                        content_type="application/xml")


@router.get("/banks/{occupation_id}/{level}/blueprint", response={200: selectors.BlueprintView, **errors(404)},
            summary="鉴定要素细目表 The blueprint")
def blueprint_get(request: HttpRequest, occupation_id: RowId, level: Level) -> selectors.BlueprintView:
    found = selectors.blueprint_view(access.access_bank(signed_in_user(request), occupation_id, level))
    if found is None:
        raise RuleBroken("blueprint.missing")
    return found


@router.put("/banks/{occupation_id}/{level}/blueprint", response={200: selectors.BlueprintView, **errors(404)},
            summary="保存鉴定要素细目表 Set the blueprint")
def blueprint_set(request: HttpRequest, occupation_id: RowId, level: Level,
                  payload: BlueprintIn) -> selectors.BlueprintView:
    actor = signed_in_user(request)
    blueprint = papers.Blueprint(
        cells=tuple(papers.Cell(c.area.upper(), papers.Kind(c.kind), c.difficulty, c.count) for c in payload.cells),
        points={papers.Kind(k): v for k, v in payload.points.items()}, depth=payload.depth)
    services.blueprint_set(actor=actor, occupation_id=occupation_id, level=level, blueprint=blueprint)
    found = selectors.blueprint_view(access.access_bank(actor, occupation_id, level))
    assert found is not None  # noqa: S101 - just stored
    return found


@router.post("/banks/{occupation_id}/{level}/trial", response={200: selectors.TrialView, **errors(404)},
             summary="试组卷（不保存；列出题量不足的单元格或样卷） Test assembly")
def trial(request: HttpRequest, occupation_id: RowId, level: Level, payload: SeedIn) -> selectors.TrialView:
    ref = access.access_bank(signed_in_user(request), occupation_id, level, manage=True)
    blueprint = selectors.blueprint_of(ref)
    if blueprint is None:
        raise RuleBroken("blueprint.missing")
    return selectors.trial_assembly(ref, blueprint, services.new_seed() if payload.seed is None else payload.seed)


@router.post("/banks/{occupation_id}/{level}/papers", response={201: selectors.PaperView, **errors(404)},
             summary="组卷并保存（记录种子与所用版本） Assemble and store a paper")
def paper_assemble(request: HttpRequest, occupation_id: RowId, level: Level,
                   payload: PaperIn) -> Status[selectors.PaperView]:
    actor = signed_in_user(request)
    paper = services.paper_assemble(actor=actor, occupation_id=occupation_id, level=level, seed=payload.seed,
                                    candidate_id=payload.candidate_id)
    return Status(201, selectors.paper_view(access.access_paper(actor, paper.pk)))


@router.get("/papers/{paper_id}", response={200: selectors.PaperView, **errors(404)},
            summary="试卷及其校验（按种子重建并比对） A paper and its check")
def paper_get(request: HttpRequest, paper_id: RowId) -> selectors.PaperView:
    return selectors.paper_view(access.access_paper(signed_in_user(request), paper_id))


# --- the blueprint's Excel (certification.excel.tables) -------------------------------------------------------------

@router.get("/banks/{occupation_id}/{level}/blueprint/template.xlsx", response={200: None, **errors(404)},
            summary="细目表 Excel 模板 The blueprint's Excel template")
def blueprint_template(request: HttpRequest, occupation_id: RowId, level: Level) -> HttpResponse:
    access.access_bank(signed_in_user(request), occupation_id, level)
    return HttpResponse(tables.blueprint_template(), content_type=XLSX_CONTENT_TYPE)


@router.get("/banks/{occupation_id}/{level}/blueprint.xlsx", response={200: None, **errors(404)},
            summary="导出细目表（Excel） Export the blueprint as Excel")
def blueprint_export(request: HttpRequest, occupation_id: RowId, level: Level) -> HttpResponse:
    found = selectors.blueprint_of(access.access_bank(signed_in_user(request), occupation_id, level))
    if found is None:
        raise RuleBroken("blueprint.missing")
    return HttpResponse(tables.write_blueprint(found), content_type=XLSX_CONTENT_TYPE)


@router.post("/banks/{occupation_id}/{level}/blueprint/import", response={200: selectors.BlueprintView, **errors(404)},
             summary="从 Excel 导入细目表（整体替换；任何一处有误都不保存） Import the blueprint from Excel")
def blueprint_import(request: HttpRequest, occupation_id: RowId, level: Level,
                     file: File[UploadedFile]) -> selectors.BlueprintView:
    actor = signed_in_user(request)
    access.access_bank(actor, occupation_id, level, manage=True)  # before the file is read
    if file.size is not None and file.size > tables.MAX_FILE_BYTES:
        raise ImportFailed([RowError("", 0, "", "bank.too_large", {"max": tables.MAX_FILE_BYTES // 2**20})])
    services.blueprint_set(actor=actor, occupation_id=occupation_id, level=level,
                           blueprint=tables.read_blueprint(bytes(file.read())))
    found = selectors.blueprint_view(access.access_bank(actor, occupation_id, level))
    assert found is not None  # noqa: S101 - just stored
    return found
