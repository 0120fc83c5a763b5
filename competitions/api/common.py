"""What the competitions endpoints share: optional authentication for public reads, object lookup, the marking
outputs still built by hand and the Excel response. Everything else the endpoints answer is a selector's view."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Model
from django.http import HttpRequest, HttpResponse

from accounts.models import User
from competitions import excel as workbooks
from competitions.models import (
    Mark,
    MarkCorrection,
    Sheet,
    Skill,
)
from config.api import BearerTokenAuth, PageSessionAuth
from core.errors import NotFound


def anonymous(request: HttpRequest) -> Any:
    """The last resort of optional authentication: anyone, as the anonymous user."""
    return AnonymousUser()


OPTIONAL_AUTH = [BearerTokenAuth(), PageSessionAuth(), anonymous]




def user_of(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def get_object(model: type[Model], pk: int, **related: Any) -> Any:
    obj = model.objects.filter(pk=pk).select_related(*related.get("select", ())).first()  # type: ignore[attr-defined]
    if obj is None:
        raise NotFound()
    return obj


def scheme_out(skill: Skill) -> dict[str, Any]:
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


def sheet_out(sheet: Sheet) -> dict[str, Any]:
    from competitions.services.marking import sheet_state

    state = sheet_state(sheet)
    return {
        "sheet_id": sheet.pk, "workstation_no": sheet.entry.workstation_no, "module": sheet.module.code,
        "status": sheet.status, "score": sheet.score, "incomplete": list(state.incomplete),
        "divergent": list(state.divergent),
        "confirmed": {code: value["reason"] for code, value in sheet.confirmed_divergences.items()},
    }


def correction_out(c: MarkCorrection) -> dict[str, Any]:
    return {"id": c.pk, "mark_id": c.mark_id, "old_value": c.old_value, "new_value": c.new_value,
            "reason": c.reason, "status": c.status, "requested_at": c.requested_at, "decided_at": c.decided_at}


def mark_out(mark: Mark) -> dict[str, Any]:
    return {"id": mark.pk, "workstation_no": mark.entry.workstation_no, "aspect_code": mark.aspect.code,
            "value": mark.value, "replayed": getattr(mark, "replayed", False), "updated_at": mark.updated_at}


# A binary answer: ninja documents a response model as JSON, so the 200 is declared without a model and its
# content type and schema are written into the OpenAPI document here.
XLSX_RESPONSE = {"responses": {200: {"description": "Excel 工作簿 (.xlsx)", "content": {
    workbooks.XLSX_CONTENT_TYPE: {"schema": {"type": "string", "format": "binary"}}}}}}


def xlsx(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=workbooks.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = workbooks.content_disposition(filename)
    return response
