"""What the competitions endpoints share: optional authentication for public reads, object lookup, the marking
outputs still built by hand and the Excel response. Everything else the endpoints answer is a selector's view."""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.http import HttpRequest, HttpResponse

from accounts.models import User
from competitions.excel import sheets as workbooks
from core.errors import NotFound


def user_of(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def get_object(model: type[Model], pk: int, **related: Any) -> Any:
    obj = model.objects.filter(pk=pk).select_related(*related.get("select", ())).first()  # type: ignore[attr-defined]
    if obj is None:
        raise NotFound()
    return obj




# A binary answer: ninja documents a response model as JSON, so the 200 is declared without a model and its
# content type and schema are written into the OpenAPI document here.
XLSX_RESPONSE = {"responses": {200: {"description": "Excel 工作簿 (.xlsx)", "content": {
    workbooks.XLSX_CONTENT_TYPE: {"schema": {"type": "string", "format": "binary"}}}}}}


def xlsx(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=workbooks.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = workbooks.content_disposition(filename)
    return response
