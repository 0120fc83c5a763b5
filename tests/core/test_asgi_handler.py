"""The HTTP handler daphne serves (core/asgi.py): the middleware chain and the view run in one worker-thread hop,
and the chain still does its work (request id, security headers, sessions and CSRF) through the real application
of config/asgi.py."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from asgiref import sync as asgiref_sync
from asgiref.sync import async_to_sync
from asgiref.testing import ApplicationCommunicator

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


def test_the_chain_and_the_view_cost_one_hop(monkeypatch: pytest.MonkeyPatch) -> None:
    """Django's own handler crossed between the event loop and a worker thread nine times for this request; ours
    three: the request_started signal, the chain with its view, and closing the response."""
    hops: list[int] = []
    original = asgiref_sync.SyncToAsync.__call__

    def counted(self: Any, *args: Any, **kwargs: Any) -> Any:
        hops.append(threading.get_ident())
        return original(self, *args, **kwargs)

    monkeypatch.setattr(asgiref_sync.SyncToAsync, "__call__", counted)
    status, _, _ = _request("GET", "/api/v1/competitions/events")
    assert status == 200
    assert len(hops) == 3


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
