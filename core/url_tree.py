"""URL patterns nested by their leading path segments, so resolving a path tries a few prefixes, not every route.

Django resolves a request by trying each pattern of a list in order. The API's 245 routes form one flat list
(django-ninja's `api.urls`), so a mark (`competitions/skills/<id>/marks`, after the certification and talent pool
routers) was matched against about 170 patterns on every request: a tenth of the mark path's CPU in-process
(cProfile, bench/mark_path.py's request). `nested_by_prefix` turns each contiguous run of routes that share a
literal first segment into one `include()` of that segment, recursively, so the same request tries the six
router prefixes, then the competitions routes' second segments, then a handful of routes.

Resolution is unchanged: only a *contiguous* run of routes with the same literal segment is nested, so no route
moves past another (Django tries them in the same order as before; a route that starts with a converter stays where
it was), and the names stay in the parent's namespace (an `include` of a plain list adds none), so `reverse` gives
the same URLs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.urls import URLPattern, URLResolver, include, path

LEAST = 4  # a run shorter than this stays flat: nesting it would add a step for nothing


def nested_by_prefix(patterns: Sequence[URLPattern | URLResolver], least: int = LEAST) -> list[Any]:
    """`patterns` (route patterns made with `path`), with each contiguous run of at least `least` routes sharing
    a literal first segment nested under that segment (module docstring)."""
    out: list[Any] = []
    run: list[tuple[str, URLPattern]] = []
    head: str | None = None

    def flush() -> None:
        if head is not None and len(run) >= least:
            out.append(path(f"{head}/", include(nested_by_prefix(
                [path(rest, p.callback, p.default_args, p.name) for rest, p in run], least))))
        else:
            out.extend(p for _, p in run)
        run.clear()

    for pattern in patterns:
        first, slash, rest = _route(pattern).partition("/")
        key = first if slash and isinstance(pattern, URLPattern) and "<" not in first else None
        if key is None or key != head:
            flush()
            head = key
        if isinstance(pattern, URLPattern) and key is not None:
            run.append((rest, pattern))
        else:
            out.append(pattern)
    flush()
    return out


def _route(pattern: URLPattern | URLResolver) -> str:
    """The route string of a `path()` pattern; "" for a regex pattern (never nested)."""
    return str(getattr(pattern.pattern, "_route", ""))
