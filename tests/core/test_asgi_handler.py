"""The HTTP handler daphne serves (core/asgi.py): the middleware chain and the view run in one call on one of a
bounded set of request threads, and the chain still does its work (request id, security headers, sessions and
CSRF) through the real application of config/asgi.py."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from asgiref import sync as asgiref_sync
from asgiref.sync import async_to_sync
from asgiref.testing import ApplicationCommunicator
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signals
from django.db import connections
from django.http import StreamingHttpResponse
from django.test import override_settings
from django.urls import path

from config.asgi import application
from core.asgi import SyncChainASGIHandler

pytestmark = pytest.mark.django_db(transaction=True)


def _scope(method: str, path: str, headers: list[tuple[bytes, bytes]] | None = None) -> dict[str, Any]:
    return {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method, "scheme": "http",
            "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
            "headers": [(b"host", b"127.0.0.1"), *(headers or [])], "client": ("127.0.0.1", 50000),
            "server": ("127.0.0.1", 80)}


def _request(method: str, path: str, body: bytes = b"",
             headers: list[tuple[bytes, bytes]] | None = None) -> tuple[int, dict[bytes, bytes], bytes]:
    async def run() -> tuple[int, dict[bytes, bytes], bytes]:
        communicator = ApplicationCommunicator(application, _scope(method, path, headers))
        await communicator.send_input({"type": "http.request", "body": body, "more_body": False})
        start = await communicator.receive_output(10)
        content = b""
        while True:
            message = await communicator.receive_output(10)
            content += message.get("body", b"")
            if not message.get("more_body"):
                break
        await communicator.wait(10)
        return start["status"], dict(start["headers"]), content

    return async_to_sync(run)()


def test_daphne_serves_http_through_the_one_hop_handler() -> None:
    assert isinstance(application.application_mapping["http"], SyncChainASGIHandler)


def test_a_request_goes_through_the_whole_chain() -> None:
    status, headers, _ = _request("GET", "/healthz")
    assert status == 200
    assert headers[b"X-Request-ID"]
    assert b"default-src" in headers[b"Content-Security-Policy"]


def test_a_form_post_without_its_csrf_token_is_refused() -> None:
    status, _, _ = _request("POST", "/accounts/login/", b"username=a&password=b",
                            [(b"content-type", b"application/x-www-form-urlencoded")])
    assert status == 403


def test_the_chain_and_the_view_run_on_a_request_thread_with_no_other_hop(monkeypatch: pytest.MonkeyPatch) -> None:
    """Django's own handler crossed between the event loop and a worker thread nine times for this request, and
    made a thread for it; ours runs the request_started signal, the chain, the view and the response's close in
    one call on one of the process's request threads (module docstring of core/asgi.py)."""
    hops: list[int] = []
    threads: list[str] = []
    original = asgiref_sync.SyncToAsync.__call__

    def counted(self: Any, *args: Any, **kwargs: Any) -> Any:
        hops.append(threading.get_ident())
        return original(self, *args, **kwargs)

    def seen(**kwargs: Any) -> None:
        threads.append(threading.current_thread().name)

    monkeypatch.setattr(asgiref_sync.SyncToAsync, "__call__", counted)
    signals.request_started.connect(seen)
    signals.request_finished.connect(seen)
    try:
        status, _, _ = _request("GET", "/api/v1/competitions/events")
    finally:
        signals.request_started.disconnect(seen)
        signals.request_finished.disconnect(seen)
    assert status == 200
    assert hops == []
    assert len(threads) == 2 and len(set(threads)) == 1 and threads[0].startswith("request")


def test_requests_share_the_bounded_set_of_request_threads() -> None:
    for _ in range(3):
        assert _request("GET", "/healthz")[0] == 200
    before = threading.active_count()
    for _ in range(2 * settings.REQUEST_THREADS + 5):
        assert _request("GET", "/healthz")[0] == 200
    assert threading.active_count() <= before + settings.REQUEST_THREADS
    names = {t.name for t in threading.enumerate() if t.name.startswith("request")}
    assert 1 <= len(names) <= settings.REQUEST_THREADS


def test_a_request_thread_gives_its_database_connection_back_when_the_request_ends() -> None:
    assert _request("GET", "/api/v1/competitions/events")[0] == 200
    executor = SyncChainASGIHandler.executor
    assert executor is not None

    def still_connected() -> bool:
        return any(c.connection is not None and not c.in_atomic_block and c.vendor == "postgresql"
                   for c in connections.all(initialized_only=True))

    # every thread of the pool: none keeps a PostgreSQL connection out of the pool between requests
    results = [executor.submit(still_connected) for _ in range(settings.REQUEST_THREADS * 2)]
    assert not any(r.result(10) for r in results)


def _streamed(request: Any) -> StreamingHttpResponse:
    def chunks() -> Iterator[bytes]:
        yield b"people: "
        yield str(get_user_model().objects.count()).encode()  # the database, from the sending side
        yield b" end"

    return StreamingHttpResponse(chunks(), content_type="text/plain")


urlpatterns = [path("streamed/", _streamed)]


@override_settings(ROOT_URLCONF=__name__)
def test_a_streaming_response_is_sent_whole_then_closed_once() -> None:
    finished: list[str] = []

    def seen(**kwargs: Any) -> None:
        finished.append(threading.current_thread().name)

    signals.request_finished.connect(seen)
    try:
        status, _, content = _request("GET", "/streamed/")
    finally:
        signals.request_finished.disconnect(seen)
    assert status == 200
    assert content == f"people: {get_user_model().objects.count()} end".encode()
    assert len(finished) == 1


def test_the_long_lived_objects_are_frozen_once_the_process_has_served_its_first_requests(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import gc

    from core import asgi

    monkeypatch.setattr(asgi.SyncChainASGIHandler, "served", 0)
    monkeypatch.setattr(asgi.SyncChainASGIHandler, "freezing", True)  # as gc_freezing_start sets it in daphne
    monkeypatch.setattr(asgi, "FREEZE_AFTER", frozenset({3}))
    gc.unfreeze()
    try:
        for _ in range(2):
            assert _request("GET", "/healthz")[0] == 200
        assert gc.get_freeze_count() == 0
        assert _request("GET", "/healthz")[0] == 200
        assert gc.get_freeze_count() > 10_000  # Django and the apps, not a handful
        frozen = gc.get_freeze_count()
        assert _request("GET", "/healthz")[0] == 200
        assert gc.get_freeze_count() <= frozen  # once per count (frozen objects may still be freed by refcount)
    finally:
        gc.unfreeze()


def test_a_process_that_is_not_a_server_keeps_the_usual_collector() -> None:
    from core import asgi

    assert asgi.SyncChainASGIHandler.freezing is False  # this test process imported config.asgi
