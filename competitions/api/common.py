"""What the competitions endpoints share: the Excel response, and the results answer encoded once per snapshot
version (competitions.selectors.standings). Everything else the endpoints answer is a selector's view; the caller
is `accounts.auth.signed_in_user` (`request.user` on the OPTIONAL_AUTH reads, where it may be anonymous) and an
object or 404 is `core.lookup.get_or_404`."""

from __future__ import annotations

import gzip
import json
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.http import parse_etags
from ninja.responses import NinjaJSONEncoder
from pydantic import TypeAdapter

from competitions import selectors
from competitions.excel import sheets as workbooks
from competitions.selectors.standings import ATTEMPTS, ENCODED
from core.schemas import RowId

CACHE_SECONDS = 3600
_RESULTS = TypeAdapter(selectors.EventResults)

# A binary answer: ninja documents a response model as JSON, so the 200 is declared without a model and its
# content type and schema are written into the OpenAPI document here.
XLSX_RESPONSE = {"responses": {200: {"description": "Excel 工作簿 (.xlsx)", "content": {
    workbooks.XLSX_CONTENT_TYPE: {"schema": {"type": "string", "format": "binary"}}}}}}


def xlsx(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=workbooks.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = workbooks.content_disposition(filename)
    return response


def encode_json(adapter: TypeAdapter[Any], data: Any) -> bytes:
    """The JSON ninja would answer for `data` (its encoder, the API's UTF-8 renderer)."""
    return json.dumps(adapter.dump_python(data), cls=NinjaJSONEncoder, ensure_ascii=False).encode()


def _encoded(etag: str) -> tuple[bytes, bytes] | None:
    found = ENCODED.get(etag)
    if found is None:
        stored = cache.get(f"competitions:results:{etag}")
        if isinstance(stored, bytes):
            found = stored
            ENCODED.put(etag, found)
    if found is None:
        return None
    plain_size = int.from_bytes(found[:4], "big")
    return found[4:4 + plain_size], found[4 + plain_size:]


def _store(etag: str, plain: bytes) -> tuple[bytes, bytes]:
    packed = gzip.compress(plain, compresslevel=6)
    value = len(plain).to_bytes(4, "big") + plain + packed
    ENCODED.put(etag, value)
    cache.set(f"competitions:results:{etag}", value, CACHE_SECONDS)
    return plain, packed


def _answer(request: HttpRequest, plain: bytes, packed: bytes | None, etag: str | None) -> HttpResponse:
    accepts_gzip = "gzip" in request.headers.get("Accept-Encoding", "")
    response = HttpResponse(packed if packed is not None and accepts_gzip else plain,
                            content_type="application/json; charset=utf-8")
    if packed is not None and accepts_gzip:
        response["Content-Encoding"] = "gzip"
    _headers(response, etag)
    return response


def _headers(response: HttpResponse, etag: str | None) -> None:
    if etag is not None:
        response["ETag"] = f'"{etag}"'
    # Revalidated on every read (cheap: 304); never kept by a shared cache, since the jury's answer differs.
    response["Cache-Control"] = "private, no-cache"
    response["Vary"] = "Accept-Encoding, Accept-Language, Cookie, Authorization"


def event_results_answer(request: HttpRequest, event_id: RowId) -> HttpResponse:
    """The event's results as the viewer may see them: 304 when If-None-Match names the current version, else the
    body encoded once per version (competitions.selectors.standings)."""
    wanted = set(parse_etags(request.headers.get("If-None-Match", "")))
    for _attempt in range(ATTEMPTS):
        version = selectors.event_results_version(viewer=request.user, event_id=event_id)
        if f'"{version.etag}"' in wanted or f'W/"{version.etag}"' in wanted or "*" in wanted:
            not_modified = HttpResponseNotModified()
            _headers(not_modified, version.etag)
            return not_modified
        found = _encoded(version.etag)
        if found is None:
            data = selectors.event_results_from(version)
            if data is None:  # a rebuild raced this read: read the version again
                continue
            found = _store(version.etag, encode_json(_RESULTS, data))
        return _answer(request, found[0], found[1], version.etag)
    return _answer(request, encode_json(_RESULTS, selectors.event_results(viewer=request.user, event_id=event_id)),
                   None, None)
