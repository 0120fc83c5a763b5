"""Django's HTTP handler for daphne, with the whole middleware chain and view run in one call on a request thread.

Django's own `ASGIHandler` builds its middleware chain in async mode. Every view of ours is sync, and so is most
middleware; Django then adapts at each boundary, so one request crossed between the event loop and a worker thread
nine times (the outer sync middleware, back to async for the async-capable inner middleware, then a hop for each
of their `process_request`, `process_view` and `process_response` methods, the view, the signal and `close`).
Each crossing is a future, a thread wake-up and a copy of the context, all on the event loop's thread, which under
the mark path's load held the GIL for about three quarters of the samples while the views held it for a quarter
(py-spy `--gil`, bench/mark_path.py at 16 clients).

This handler loads the chain in sync mode, as under WSGI, and serves a request in one call on one of the
process's request threads (`REQUEST_THREADS`, a `ThreadPoolExecutor` made when the chain is loaded): the
`request_started` signal, the request's creation, the chain with its view and, for a response that is not
streamed, its `close` (the `request_finished` signal, which gives the thread's database connection back to the
pool). Django's handler also opens a `ThreadSensitiveContext` per request, which starts a thread for the request
and a second one to join it at the end, and hops to that thread for the signal and the close: under the mark path's
load (bench/mark_path.py, py-spy `--gil`) the event loop's share of that was a fifth of the process. A streamed
response (WhiteNoise's files, the certificate zips) is still sent from its iterator inside a `ThreadSensitiveContext`
and closed there, as Django does; its request thread has given its connection back before.

Why a bounded set: a request thread holds a pooled connection, so more threads than the pool lends would only
wait for one. `REQUEST_THREADS` (default 8) is at most what the database pool lends at once (README "Connections");
8 served the most marks of 2, 4 and 8 at 16 clients (bench/mark_path.py: 82.8, 90.5, 110.6 marks/s, one noisy run
each), since a transaction waiting on an entry's row lock leaves its thread idle;
requests beyond it wait on the event loop, which costs nothing. It does not block on a client: the body is read
before the call, the response sent after it. What the price is: a view blocked for long (a slow external call) holds
one of the threads; our views do no such thing (long work is a background task). Django's handler also watches for
the client's disconnect while the view runs, to cancel an async view; ours are sync, which cancelling never
stopped, so the handler does not watch. An async view would be wrapped in `async_to_sync` and run on the request
thread; there are none (a view that needs the event loop is a consumer).

Garbage collection: a daphne process holds about 290,000 objects that live as long as it does (Django, the apps,
their URL and API tables, then what the first requests load: translation catalogues, templates, pydantic
validators). Left to the collector, every full collection walks all of them: 100–130 ms on these machines, a pause
every request in flight waits out, which set the verification API's p99 (a request costs ~2 ms). They are moved
out of the collector's generations (`gc.freeze`) when the application is loaded in a daphne process
(config/asgi.py, `gc_freezing_start`) and again after the `FREEZE_AFTER` counts of requests, by then loaded too;
objects made later are collected as usual. Measured in-process over 3,000 verification requests: full collections
of 104 and 128 ms without, 3–6 ms with. The price: what is frozen is never collected, so garbage in a reference
cycle among the objects alive at a freeze stays (once per freeze: a few requests' worth at most). Only a server
process freezes: a test process that imports the application (the browser tests serve it from a thread) keeps
the usual collector, since a frozen, unreachable SQLite cursor there would hold its table lock for good.
"""

from __future__ import annotations

import asyncio
import contextvars
import gc
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from asgiref.sync import ThreadSensitiveContext, sync_to_async
from django.conf import settings
from django.core import signals
from django.core.exceptions import RequestAborted
from django.core.handlers.asgi import ASGIHandler, get_script_prefix
from django.db import close_old_connections
from django.http import HttpResponseBase
from django.urls import set_script_prefix

FREEZE_AFTER = frozenset({100, 1_000, 10_000})  # requests served, after which the long-lived objects are frozen


class SyncChainASGIHandler(ASGIHandler):
    """ASGIHandler whose middleware chain runs synchronously, a request in one call on a bounded set of threads."""

    served = 0  # requests answered by this process (counted on the event loop's one thread)
    freezing = False  # set by gc_freezing_start in a server process

    executor: ThreadPoolExecutor | None = None  # the request threads, made with the chain

    def load_middleware(self, is_async: bool = False) -> None:
        super().load_middleware(is_async=False)
        SyncChainASGIHandler.executor = ThreadPoolExecutor(max_workers=settings.REQUEST_THREADS,
                                                           thread_name_prefix="request")

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            raise ValueError(f"Django can only handle ASGI/HTTP connections, not {scope['type']}.")
        try:
            body_file = await self.read_body(receive)
        except RequestAborted:
            return
        try:
            context = contextvars.copy_context()
            response = await asyncio.get_running_loop().run_in_executor(self.executor, context.run, self._serve,
                                                                        scope, body_file)
            self._served()
            if response.streaming:
                async with ThreadSensitiveContext():
                    try:
                        await self.send_response(response, send)
                    finally:
                        await sync_to_async(response.close, thread_sensitive=True)()
            else:
                await self.send_response(response, send)
        finally:
            body_file.close()

    def _serve(self, scope: dict[str, Any], body_file: Any) -> HttpResponseBase:
        """On a request thread: the signal, the request, the chain and view, and the close (module docstring)."""
        set_script_prefix(get_script_prefix(scope))
        signals.request_started.send(sender=self.__class__, scope=scope)
        request, error_response = self.create_request(scope, body_file)
        response = self.get_response(request) if request is not None else error_response
        assert response is not None  # create_request gives a request or the error response
        if response.streaming:
            close_old_connections()
        else:
            response.close()
        return response

    def _served(self) -> None:
        SyncChainASGIHandler.served += 1
        if SyncChainASGIHandler.freezing and SyncChainASGIHandler.served in FREEZE_AFTER:
            freeze_long_lived()


def gc_freezing_start() -> None:
    """In a server process: freeze what is loaded now, and again after the first requests (module docstring)."""
    SyncChainASGIHandler.freezing = True
    freeze_long_lived()


def freeze_long_lived() -> None:
    """Collect once, then move every surviving object out of the collector's generations (module docstring)."""
    gc.collect()
    gc.freeze()


def get_asgi_application() -> Any:
    """Django's `get_asgi_application` with the handler above."""
    import django

    django.setup(set_prefix=False)
    return SyncChainASGIHandler()
