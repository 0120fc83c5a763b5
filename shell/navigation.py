"""The navigation and the home page's "waiting for you" list, assembled from every app by permission.

Each app above the shell declares its menu entries with the permission action that shows them, and its home-page
providers, in its `AppConfig.ready`; the shell registers accounts' own (shell/home.py). The shell asks
`accounts.permissions.can` for each entry, so a menu never offers what the role cannot open. Entries and items
appear in the order they were registered, which is INSTALLED_APPS order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise

from accounts.permissions import PolicyAction, can


@dataclass(frozen=True, slots=True)
class NavEntry:
    key: str
    label: str | Promise
    url_name: str
    action: PolicyAction | None  # None: every signed-in person


@dataclass(frozen=True, slots=True)
class WaitingItem:
    """Something waiting for the person: what it is, how many, where to act on it."""

    title: str
    detail: str
    url: str
    count: int = 1
    level: str = "info"  # info | warning
    code: str = ""  # stable and dotted ("competitions.sheets_to_sign"): the home page shows it as data-code


_ENTRIES: list[NavEntry] = []
_PROVIDERS: list[Callable[[Any], list[WaitingItem]]] = []


def register_nav(*entries: NavEntry) -> None:
    known = {entry.key for entry in _ENTRIES}
    _ENTRIES.extend(entry for entry in entries if entry.key not in known)


def register_waiting(provider: Callable[[Any], list[WaitingItem]]) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def nav_for(user: Any) -> list[dict[str, str]]:
    if not getattr(user, "is_authenticated", False):
        return []
    return [
        {"key": entry.key, "label": str(entry.label), "url": reverse(entry.url_name)}
        for entry in _ENTRIES
        if entry.action is None or can(user, entry.action)
    ]


def waiting_for(user: Any) -> list[WaitingItem]:
    items: list[WaitingItem] = []
    for provider in _PROVIDERS:
        items.extend(provider(user))
    return items


# --- the public front door ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PublicLink:
    label: str
    url: str
    code: str = ""  # stable, shown as data-code


@dataclass(frozen=True, slots=True)
class PublicItem:
    """One thing a logged-out visitor may follow (an event): what it is, and the public pages it has."""

    title: str
    detail: str
    status: str = ""
    links: tuple[PublicLink, ...] = ()


@dataclass(frozen=True, slots=True)
class PublicSection:
    key: str
    title: str
    items: list[PublicItem]
    empty: str = ""  # said when there are no items


_FRONT_DOOR: list[Callable[[], list[PublicSection]]] = []


def register_front_door(provider: Callable[[], list[PublicSection]]) -> None:
    """An app above the shell adds sections to the page a logged-out visitor lands on (shell.views.home)."""
    if provider not in _FRONT_DOOR:
        _FRONT_DOOR.append(provider)


def front_door() -> list[PublicSection]:
    sections: list[PublicSection] = []
    for provider in _FRONT_DOOR:
        sections.extend(provider())
    return sections
