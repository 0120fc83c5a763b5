"""What the competitions endpoints share: the Excel response. Everything else the endpoints answer is a selector's
view; the caller is `accounts.auth.signed_in_user` (`request.user` on the OPTIONAL_AUTH reads, where it may be
anonymous) and an object or 404 is `core.lookup.get_or_404`."""

from __future__ import annotations

from django.http import HttpResponse

from competitions.excel import sheets as workbooks

# A binary answer: ninja documents a response model as JSON, so the 200 is declared without a model and its
# content type and schema are written into the OpenAPI document here.
XLSX_RESPONSE = {"responses": {200: {"description": "Excel 工作簿 (.xlsx)", "content": {
    workbooks.XLSX_CONTENT_TYPE: {"schema": {"type": "string", "format": "binary"}}}}}}


def xlsx(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=workbooks.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = workbooks.content_disposition(filename)
    return response
