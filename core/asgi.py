"""Django's HTTP handler for daphne, with the whole middleware chain and view run in one worker-thread hop.

Django's own `ASGIHandler` builds its middleware chain in async mode. Every view of ours is sync, and so is most
middleware; Django then adapts at each boundary, so one request crossed between the event loop and a worker thread
nine times (the outer sync middleware, back to async for the async-capable inner middleware, then a hop for each
of their `process_request`, `process_view` and `process_response` methods, the view, the signal and `close`).
Each crossing is a future, a thread wake-up and a copy of the context, all on the event loop's thread, which under
the mark path's load held the GIL for about three quarters of the samples while the views held it for a quarter
(py-spy `--gil`, bench/mark_path.py at 16 clients).

This handler loads the chain in sync mode, as under WSGI, and runs it in one `sync_to_async` call: one hop for
the request instead of seven (the `request_started` signal and `close` keep theirs). The hop is thread-sensitive
inside the per-request `ThreadSensitiveContext` that `ASGIHandler.__call__` opens, so each request still gets a
thread of its own, and a sync view's database connection stays on that thread for the whole request. Websockets
are untouched (channels' consumers). The price: an async view would be wrapped in `async_to_sync` and run on the
worker thread; there are none (a view that needs the event loop is a consumer).

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

import gc
from typing import Any

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIHandler
from django.http import HttpRequest, HttpResponseBase

FREEZE_AFTER = frozenset({100, 1_000, 10_000})  # requests served, after which the long-lived objects are frozen


class SyncChainASGIHandler(ASGIHandler):
    """ASGIHandler whose middleware chain runs synchronously in one worker-thread hop per request."""

    served = 0  # requests answered by this process (counted on the event loop's one thread)
    freezing = False  # set by gc_freezing_start in a server process

    def load_middleware(self, is_async: bool = False) -> None:
        super().load_middleware(is_async=False)

    async def get_response_async(self, request: HttpRequest) -> HttpResponseBase:
        response: HttpResponseBase = await sync_to_async(self.get_response, thread_sensitive=True)(request)
        SyncChainASGIHandler.served += 1
        if SyncChainASGIHandler.freezing and SyncChainASGIHandler.served in FREEZE_AFTER:
            freeze_long_lived()
        return response


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
