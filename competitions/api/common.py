"""What the competitions endpoints share: the Excel response, and the results answer encoded once per snapshot
version (competitions.selectors.standings) by one thread of a process while the others wanting that version wait
for it (`OneEncoder`). Everything else the endpoints answer is a selector's view; the caller
is `accounts.auth.signed_in_user` (`request.user` on the OPTIONAL_AUTH reads, where it may be anonymous) and an
object or 404 is `core.lookup.get_or_404`."""

from __future__ import annotations

import gzip
import json
import threading
from collections import OrderedDict
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
    """The JSON ninja would answer for `data` (its encoder, the API's UTF-8 renderer), without the spaces after
    separators: the same document, a tenth smaller for a reader that does not take gzip."""
    return json.dumps(adapter.dump_python(data), cls=NinjaJSONEncoder, ensure_ascii=False,
                      separators=(",", ":")).encode()


class OneEncoder:
    """One lock per ETag being encoded in this process: the first reader of a new version encodes it; the others
    wanting that version meanwhile get the family's previous answer with the stale header (or, when there is none
    yet, wait for it) instead of each encoding it (a crowd re-asking right after a change)."""

    def __init__(self, families: int = 64) -> None:
        self._locks: dict[str, threading.Lock] = {}
        self._latest: OrderedDict[str, str] = OrderedDict()
        self._families = families
        self._guard = threading.Lock()

    def latest(self, family: str) -> str | None:
        with self._guard:
            return self._latest.get(family)

    def encoded(self, family: str, etag: str) -> None:
        with self._guard:
            self._latest[family] = etag
            self._latest.move_to_end(family)
            while len(self._latest) > self._families:
                self._latest.popitem(last=False)

    def lock(self, key: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(key, threading.Lock())

    def done(self, key: str) -> None:
        with self._guard:
            self._locks.pop(key, None)


_ONE_ENCODER = OneEncoder()


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


STALE_HEADER = "Standings-Stale"


def _stale(response: HttpResponse, stale: bool) -> None:
    """Say that the answer is the previous version while its rebuild runs (competitions.selectors.standings,
    "Serving while a rebuild runs"): the ETag names what the body holds, so the reader's next request, with
    If-None-Match, gets the new version as soon as it is built."""
    if stale:
        response[STALE_HEADER] = "rebuilding"


def event_results_answer(request: HttpRequest, event_id: RowId) -> HttpResponse:
    """The event's results as the viewer may see them: 304 when If-None-Match names the current version, else the
    body encoded once per version (competitions.selectors.standings)."""
    wanted = set(parse_etags(request.headers.get("If-None-Match", "")))
    for _attempt in range(ATTEMPTS):
        version = selectors.event_results_version(viewer=request.user, event_id=event_id)
        if f'"{version.etag}"' in wanted or f'W/"{version.etag}"' in wanted or "*" in wanted:
            not_modified = HttpResponseNotModified()
            _headers(not_modified, version.etag)
            _stale(not_modified, version.stale)
            return not_modified
        etag, stale = version.etag, version.stale
        found = _encoded(etag)
        if found is None:
            lock = _ONE_ENCODER.lock(etag)
            if not lock.acquire(blocking=False):
                # Another thread encodes this version: the previous one of the family stands in, saying so.
                previous = _ONE_ENCODER.latest(version.family)
                found = _encoded(previous) if previous is not None else None
                if found is not None:
                    etag, stale = previous, True  # type: ignore[assignment]
                else:
                    lock.acquire()
            if found is None:
                try:
                    found = _encoded(etag)  # another thread may have encoded it while this one waited
                    if found is None:
                        data = selectors.event_results_from(version)
                        if data is not None:  # None: a rebuild raced this read, and the version is read again
                            found = _store(etag, encode_json(_RESULTS, data))
                            _ONE_ENCODER.encoded(version.family, etag)
                finally:
                    lock.release()
                    _ONE_ENCODER.done(etag)
            if found is None:
                continue
        response = _answer(request, found[0], found[1], etag)
        _stale(response, stale)
        return response
    return _answer(request, encode_json(_RESULTS, selectors.event_results(viewer=request.user, event_id=event_id)),
                   None, None)
