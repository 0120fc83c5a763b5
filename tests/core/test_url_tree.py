"""URL patterns nested by their leading segments (core/url_tree.py): the API resolves every route as the flat list
did, with fewer patterns tried, and reverses to the same URLs."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from django.http import HttpResponse
from django.urls import URLPattern, URLResolver, path
from django.urls.exceptions import Resolver404
from ninja import NinjaAPI

from config.api import api
from core.url_tree import nested_by_prefix


def _view(name: str) -> Any:
    def view(request: Any, **kwargs: Any) -> HttpResponse:
        return HttpResponse(name)

    view.__name__ = name
    return view


def _resolver(patterns: list[Any]) -> URLResolver:
    from django.urls.resolvers import RegexPattern

    return URLResolver(RegexPattern(r"^/"), patterns)


def _sample(route: str) -> str:
    """A path that the route matches: each converter replaced by a value it accepts."""
    def value(match: re.Match[str]) -> str:
        converter = match.group(1) or "str"
        return {"int": "7", "uuid": str(uuid.UUID(int=7)), "slug": "a-b", "path": "x/y"}.get(converter, "abc")

    return "/" + re.sub(r"<(?:(\w+):)?\w+>", value, route)


def _flat_api_patterns() -> list[URLPattern]:
    flat: list[URLPattern] = NinjaAPI.urls.fget(api)[0]  # type: ignore[attr-defined]  # ninja's own flat list
    return flat


def test_every_api_route_resolves_to_the_same_view_with_the_same_arguments() -> None:
    flat = _flat_api_patterns()
    nested = nested_by_prefix(flat)
    assert len(api.urls[0]) < 15 < len(flat)  # what is served: the routers' prefixes and a few routes
    flat_resolver, nested_resolver = _resolver(flat), _resolver(nested)
    for pattern in flat:
        sample = _sample(str(pattern.pattern))
        expected = flat_resolver.resolve(sample)
        got = nested_resolver.resolve(sample)
        assert (got.func, got.kwargs, got.url_name) == (expected.func, expected.kwargs, expected.url_name), sample


def test_a_path_no_route_matches_is_not_found_in_both() -> None:
    for sample in ["/competitions/", "/competitions/nothing-here", "/certification/verify/x/y/z", "/nope"]:
        with pytest.raises(Resolver404):
            _resolver(_flat_api_patterns()).resolve(sample)
        with pytest.raises(Resolver404):
            _resolver(api.urls[0]).resolve(sample)


def test_only_a_contiguous_run_is_nested_so_no_route_moves_past_another() -> None:
    a1, a2, a3, a4, c, a5 = (path(r, _view(n), name=n) for r, n in [
        ("a/one", "a1"), ("a/two", "a2"), ("a/<int:n>/three", "a3"), ("a/four", "a4"), ("<slug:s>/one", "c"),
        ("a/five", "a5")])
    nested = nested_by_prefix([a1, a2, a3, a4, c, a5], least=2)
    assert [type(p) for p in nested] == [URLResolver, URLPattern, URLPattern]
    assert nested[1] is c and nested[2] is a5  # the converter route stays between, and the later "a" stays after it
    resolver = _resolver(nested)
    assert resolver.resolve("/a/one").url_name == "a1"  # the run's first route wins over `<slug:s>/one` as before
    assert resolver.resolve("/a/7/three").kwargs == {"n": 7}
    assert resolver.resolve("/b/one").url_name == "c"
    assert resolver.resolve("/a/five").url_name == "a5"


def test_a_short_run_stays_flat() -> None:
    patterns = [path("x/one", _view("x1")), path("x/two", _view("x2")), path("y", _view("y"))]
    assert nested_by_prefix(patterns, least=3) == patterns


def test_names_reverse_to_the_same_urls() -> None:
    from django.urls import reverse

    assert reverse("api:mark_record", kwargs={"skill_id": 7}) == "/api/v1/competitions/skills/7/marks"
    assert reverse("api:openapi-json") == "/api/v1/openapi.json"
