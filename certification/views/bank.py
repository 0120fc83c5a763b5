"""The question bank's pages (issue 12 items 5–6): the banks with their counts by area × type × difficulty, a bank's
question list with search and filters, a question with its versions (edit makes a new version; retire), the
import (Excel or Moodle XML; a refused file lists every bad entry) and exports, the blueprint's table editor, and
the test assembly that shows the short cells or a sample paper. Rights from certification.access, as the API asks
them (certification.permissions: counts and blueprints for exam centers, questions for the bank's keepers)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.auth import signed_in_user
from accounts.permissions import can
from certification import access, moodle, services
from certification.domain import papers
from certification.domain.questions import TRUE_FALSE_OPTIONS, QuestionContent, parse_answer_letters
from certification.excel import tables
from certification.excel.bank import MAX_FILE_BYTES, questions_template, read_bank_file, write_questions
from certification.excel.sheets import XLSX_CONTENT_TYPE
from certification.models import Importance, QuestionKind
from certification.permissions import Action
from certification.selectors import bank as selectors
from certification.selectors import exam as exam_selectors
from core.errors import Conflict, ImportFailed, NotFound, RowError, ValidationFailed


def _attachment(data: bytes, content_type: str, ascii_name: str, filename: str) -> HttpResponse:
    from urllib.parse import quote

    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    return response


@login_required
@require_GET
def banks(request: HttpRequest) -> HttpResponse:
    access.require_bank_view(signed_in_user(request))
    return render(request, "certification/banks.html", {"banks": [b for b in selectors.banks_all()]})


@login_required
@require_GET
def bank(request: HttpRequest, occupation_id: int, level: int) -> HttpResponse:
    user = signed_in_user(request)
    ref = access.access_bank(user, occupation_id, level)
    return render(request, "certification/bank.html", {
        "counts": selectors.bank_counts(ref), "blueprint": selectors.blueprint_view(ref),
        "may_manage": can(user, Action.BANK_MANAGE)})


def _filter(request: HttpRequest) -> selectors.QuestionFilter:
    difficulty = request.GET.get("difficulty", "")
    return selectors.QuestionFilter(
        query=request.GET.get("q", "").strip()[:100],
        kind=request.GET.get("kind", "") if request.GET.get("kind") in QuestionKind.values else "",
        importance=request.GET.get("importance", "") if request.GET.get("importance") in Importance.values else "",
        difficulty=int(difficulty) if difficulty in {"1", "2", "3", "4", "5"} else None,
        area=request.GET.get("area", "").strip()[:30], retired=request.GET.get("retired") == "1")


@login_required
@require_GET
def questions(request: HttpRequest, occupation_id: int, level: int) -> HttpResponse:
    ref = access.access_bank(signed_in_user(request), occupation_id, level, manage=True)
    found = selectors.question_page(ref, _filter(request), request.GET.get("page", 1))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "certification/questions.html", {
        "counts": selectors.bank_counts(ref), "found": found, "kinds": QuestionKind.choices,
        "importances": Importance.choices, "query": query.urlencode()})


class QuestionForm(forms.Form):
    """A question's content as one form (the edit page): options one per line, the answer as letters."""

    kind = forms.ChoiceField(label=gettext_lazy("题型"), choices=QuestionKind.choices)
    point_code = forms.CharField(label=gettext_lazy("鉴定点代码"), max_length=30)
    importance = forms.ChoiceField(label=gettext_lazy("重要程度"), choices=Importance.choices)
    difficulty = forms.TypedChoiceField(label=gettext_lazy("难度"), coerce=int,
                                        choices=[(n, str(n)) for n in range(1, 6)])
    stem = forms.CharField(label=gettext_lazy("题干"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    options = forms.CharField(label=gettext_lazy("选项（每行一个；判断题留空）"), required=False,
                              widget=forms.Textarea(attrs={"rows": 5}), max_length=4000)
    answer = forms.CharField(label=gettext_lazy("答案（选项字母，如 A 或 ABD；判断题填 A 正确、B 错误）"),
                             max_length=10)
    explanation = forms.CharField(label=gettext_lazy("解析"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    reason = forms.CharField(label=gettext_lazy("修改原因"), max_length=500)

    def content(self) -> QuestionContent:
        data = self.cleaned_data
        kind = papers.Kind(data["kind"])
        options = TRUE_FALSE_OPTIONS if kind == papers.Kind.TRUE_FALSE else tuple(
            line.strip() for line in data["options"].splitlines() if line.strip())
        return QuestionContent(kind=kind, point_code=data["point_code"].strip().upper(),
                               importance=papers.Importance(data["importance"]), difficulty=data["difficulty"],
                               stem=data["stem"].strip(), options=options,
                               answer=parse_answer_letters(data["answer"]) or (),
                               explanation=data["explanation"].strip())


def _initial(detail: selectors.QuestionDetail) -> dict[str, Any]:
    v = detail.current
    return {"kind": v.kind, "point_code": v.point_code, "importance": v.importance, "difficulty": v.difficulty,
            "stem": v.stem, "options": "" if v.kind == "truefalse" else "\n".join(o.text for o in v.options),
            "answer": "".join("AB"[n] if v.kind == "truefalse" else o.letter for n, o in enumerate(v.options)
                              if o.correct), "explanation": v.explanation}


@login_required
@require_http_methods(["GET", "POST"])
def question(request: HttpRequest, question_id: int) -> HttpResponse:
    user = signed_in_user(request)
    found = access.access_question(user, question_id)
    detail = selectors.question_detail(found)
    form = QuestionForm(request.POST or None, initial=_initial(detail))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                version = services.question_revise(actor=user, question_id=found.pk, content=form.content(),
                                                   reason=form.cleaned_data["reason"])
            except ValidationFailed as exc:
                for error in exc.field_errors:
                    form.add_error(error.field if error.field in form.fields else None, error.message)
            except Conflict as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("已保存为第 %(version)s 版。") % {"version": version.version})
                return redirect("certification:question", question_id=found.pk)
        status = 422
    may_regrade = can(user, Action.EXAM_REGRADE)
    return render(request, "certification/question.html", {
        "detail": detail, "form": form, "may_regrade": may_regrade,
        "uses": exam_selectors.version_uses(found.pk) if may_regrade else [],
        "regrades": exam_selectors.question_regrades(found.pk) if may_regrade else []}, status=status)


@login_required
@require_POST
def question_retire(request: HttpRequest, question_id: int) -> HttpResponse:
    user = signed_in_user(request)
    found = access.access_question(user, question_id)
    try:
        services.question_retire(actor=user, question_id=found.pk, reason=request.POST.get("reason", ""))
    except (ValidationFailed, Conflict) as exc:
        messages.error(request, "；".join(e.message for e in exc.field_errors) if isinstance(exc, ValidationFailed)
                       else exc.message)
    else:
        messages.success(request, _("试题已停用。"))
    return redirect("certification:question", question_id=found.pk)


def _exchange_page(request: HttpRequest, ref: access.BankRef, failed: ImportFailed | None = None,
                   status: int = 200) -> HttpResponse:
    return render(request, "certification/bank_exchange.html", {
        "counts": selectors.bank_counts(ref), "failed": failed,
        "error_rows": failed.rows() if failed is not None else []}, status=status)


@login_required
@require_GET
def bank_exchange(request: HttpRequest, occupation_id: int, level: int) -> HttpResponse:
    return _exchange_page(request, access.access_bank(signed_in_user(request), occupation_id, level, manage=True))


@login_required
@require_POST
def bank_import(request: HttpRequest, occupation_id: int, level: int) -> HttpResponse:
    user = signed_in_user(request)
    ref = access.access_bank(user, occupation_id, level, manage=True)  # 403 before the file is read
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("请选择要上传的文件。"))
        return redirect("certification:bank_exchange", occupation_id=occupation_id, level=level)
    try:
        if upload.size is not None and upload.size > MAX_FILE_BYTES:
            raise ImportFailed([RowError("", 0, "", "bank.too_large", {"max": MAX_FILE_BYTES // 2**20})])
        contents, source_format = read_bank_file(upload.name or "", bytes(upload.read()))
        summary = services.questions_import(actor=user, occupation_id=ref.occupation.pk, level=ref.level,
                                            contents=contents, source_format=source_format)
    except ImportFailed as exc:
        return _exchange_page(request, ref, failed=exc, status=422)
    messages.success(request, _("题库已导入：新增 %(created)s 道，已有相同试题跳过 %(skipped)s 道。") % {
        "created": summary.created, "skipped": summary.skipped})
    return redirect("certification:bank_exchange", occupation_id=occupation_id, level=level)


def _bank_filename(ref: access.BankRef, ext: str) -> str:
    return f"题库-{ref.occupation.name}-{ref.level}.{ext}"


@login_required
@require_GET
def bank_export_xml(request: HttpRequest, occupation_id: int, level: int) -> HttpResponse:
    ref = access.access_bank(signed_in_user(request), occupation_id, level, manage=True)
    data = moodle.write(selectors.bank_contents(ref), f"{ref.occupation.name}/{ref.level}")
    return _attachment(data, "application/xml", "bank.xml", _bank_filename(ref, "xml"))


@login_required
@require_GET
def bank_export_xlsx(request: HttpRequest, occupation_id: int, level: int) -> HttpResponse:
    ref = access.access_bank(signed_in_user(request), occupation_id, level, manage=True)
    return _attachment(write_questions(selectors.bank_contents(ref)), XLSX_CONTENT_TYPE, "bank.xlsx",
                       _bank_filename(ref, "xlsx"))


@login_required
@require_GET
def bank_template(request: HttpRequest, occupation_id: int, level: int) -> HttpResponse:
    access.access_bank(signed_in_user(request), occupation_id, level, manage=True)
    return _attachment(questions_template(), XLSX_CONTENT_TYPE, "bank-template.xlsx", "题库模板.xlsx")


BLANK_ROWS = 6


def _posted_blueprint(request: HttpRequest) -> tuple[papers.Blueprint | None, list[str]]:
    """The table editor's rows (area, type, difficulty, count; a row with no area is blank) and points."""
    errors = []
    cells = []
    rows = zip(request.POST.getlist("area"), request.POST.getlist("kind"), request.POST.getlist("difficulty"),
               request.POST.getlist("count"), strict=False)
    for n, (area, kind, difficulty, count) in enumerate(rows, start=1):
        area = area.strip().upper()
        if not area and not count.strip():
            continue
        if (not area or kind not in QuestionKind.values or difficulty not in {"1", "2", "3", "4", "5"}
                or not count.strip().isdigit()):
            errors.append(_("第 %(row)s 行：请填写知识范围、题型、难度（1–5）和题量（非负整数）。") % {"row": n})
            continue
        cells.append(papers.Cell(area, papers.Kind(kind), int(difficulty), int(count)))
    points = {}
    for kind in papers.Kind:
        text = request.POST.get(f"points_{kind.value}", "").strip()
        if text:
            if not text.isdigit():
                errors.append(_("每题分值应为整数。"))
                continue
            points[kind] = int(text)
    depth = request.POST.get("depth", "2")
    if errors:
        return None, errors
    return papers.Blueprint(tuple(cells), points, int(depth) if depth in {"1", "2", "3"} else 2), []


def _blueprint_rows(view: selectors.BlueprintView | None) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = [{"area": c.area, "kind": c.kind, "difficulty": c.difficulty, "count": c.count}
                                  for c in (view.cells if view else [])]
    return rows + [{"area": "", "kind": "", "difficulty": "", "count": ""}] * BLANK_ROWS


@login_required
@require_http_methods(["GET", "POST"])
def blueprint(request: HttpRequest, occupation_id: int, level: int) -> HttpResponse:
    user = signed_in_user(request)
    ref = access.access_bank(user, occupation_id, level)
    may_manage = can(user, Action.BANK_MANAGE)
    errors: list[str] = []
    if request.method == "POST":
        access.access_bank(user, occupation_id, level, manage=True)
        posted, errors = _posted_blueprint(request)
        if posted is not None:
            try:
                services.blueprint_set(actor=user, occupation_id=occupation_id, level=level, blueprint=posted)
            except ValidationFailed as exc:
                errors = [e.message for e in exc.field_errors]
            else:
                messages.success(request, _("鉴定要素细目表已保存。"))
                return redirect("certification:blueprint", occupation_id=occupation_id, level=level)
    return _blueprint_page(request, ref, may_manage, errors)


def _blueprint_page(request: HttpRequest, ref: access.BankRef, may_manage: bool, errors: list[str],
                    failed: ImportFailed | None = None) -> HttpResponse:
    view = selectors.blueprint_view(ref)
    return render(request, "certification/blueprint.html", {
        "counts": selectors.bank_counts(ref), "blueprint": view, "rows": _blueprint_rows(view),
        "kinds": QuestionKind.choices, "errors": errors, "may_manage": may_manage,
        "points": view.points if view else {"single": 1, "multiple": 2, "truefalse": 1},
        "failed": failed, "error_rows": failed.rows() if failed is not None else []},
        status=422 if errors or failed else 200)


@login_required
@require_http_methods(["GET", "POST"])
def trial(request: HttpRequest, occupation_id: int, level: int) -> HttpResponse:
    """Test assembly: POST draws a sample paper (not stored) with a fresh seed, or the seed given (a rebuild)."""
    ref = access.access_bank(signed_in_user(request), occupation_id, level, manage=True)
    blueprint_now = selectors.blueprint_of(ref)
    result = None
    if request.method == "POST" and blueprint_now is not None:
        seed_text = request.POST.get("seed", "").strip()
        seed = int(seed_text) if seed_text.isdigit() and int(seed_text) < 2**63 else services.new_seed()
        result = selectors.trial_assembly(ref, blueprint_now, seed)
    return render(request, "certification/trial.html", {
        "counts": selectors.bank_counts(ref), "blueprint": selectors.blueprint_view(ref), "result": result})


# --- the blueprint's Excel (issue 12 follow-ups; certification.excel.tables) -----------------------------------------
# The template and the table as it stands are downloads for whoever reads the blueprint (BANK_VIEW, as the page);
# the upload replaces the table whole through services.blueprint_set (BANK_MANAGE), or re-renders the blueprint page
# naming every bad cell with nothing saved.

def _blueprint_filename(ref: access.BankRef, what: str) -> str:
    return f"{what}-{ref.occupation.name}-{ref.level}.xlsx"


@login_required
@require_GET
def blueprint_template_download(request: HttpRequest, occupation_id: int, level: int) -> HttpResponse:
    ref = access.access_bank(signed_in_user(request), occupation_id, level)
    return _attachment(tables.blueprint_template(), XLSX_CONTENT_TYPE, "blueprint-template.xlsx",
                       _blueprint_filename(ref, "细目表模板"))


@login_required
@require_GET
def blueprint_export_download(request: HttpRequest, occupation_id: int, level: int) -> HttpResponse:
    ref = access.access_bank(signed_in_user(request), occupation_id, level)
    found = selectors.blueprint_of(ref)
    if found is None:
        raise NotFound()
    return _attachment(tables.write_blueprint(found), XLSX_CONTENT_TYPE, "blueprint.xlsx",
                       _blueprint_filename(ref, "鉴定要素细目表"))


@login_required
@require_POST
def blueprint_import(request: HttpRequest, occupation_id: int, level: int) -> HttpResponse:
    user = signed_in_user(request)
    ref = access.access_bank(user, occupation_id, level, manage=True)  # 403 before the file is read
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("请选择要上传的文件。"))
        return redirect("certification:blueprint", occupation_id=occupation_id, level=level)
    try:
        if upload.size is not None and upload.size > MAX_FILE_BYTES:
            raise ImportFailed([RowError("", 0, "", "bank.too_large", {"max": MAX_FILE_BYTES // 2**20})])
        services.blueprint_set(actor=user, occupation_id=occupation_id, level=level,
                               blueprint=tables.read_blueprint(bytes(upload.read())))
    except ImportFailed as exc:
        return _blueprint_page(request, ref, True, [], failed=exc)
    except ValidationFailed as exc:
        return _blueprint_page(request, ref, True, [e.message for e in exc.field_errors])
    messages.success(request, _("鉴定要素细目表已从 Excel 导入。"))
    return redirect("certification:blueprint", occupation_id=occupation_id, level=level)
