"""Finding an object's history by its name (issue 10 item 7): the kinds of object people look up, as each app
registers them.

The audit app stands below the apps whose objects it records (DESIGN.md "Layout"), so it cannot know what an event,
a skill or a person is called. Each app registers its searchable kinds in its `AppConfig.ready`, as it registers its
redactor (audit.redaction): a `TargetKind` names the audit target type ("competitions.skill"), a label for the kind
(赛项), a search function and a describe function. accounts stands below audit and cannot register anything with
it, so audit registers accounts' kinds (people, units) itself, as the shell registers accounts' menu entries.

- `search(viewer, query, limit)` returns at most `limit` matches (target id, display name) among the objects whose
  audit `viewer` may see: it narrows its query with the permission engine on audit.permissions.Action.AUDIT_VIEW
  (`filter_allowed`), so objects of another unit are not listed at all, not merely refused when opened; the history
  page asks `require(viewer, AUDIT_VIEW, obj)` again when one is opened.
- `describe(obj)` is the object's name as the history page's heading shows it ("电工").

Choices where DESIGN.md is silent: a query is cut to 100 characters and each kind answers at most 20 matches
(`PER_KIND`), so a search costs one bounded query per kind; kinds answer in the order they were registered.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise

PER_KIND = 20
MAX_QUERY = 100


@dataclass(frozen=True, slots=True)
class TargetMatch:
    """One object a search found: its audit target id and the name people know it by."""

    target_id: str
    name: str


Search = Callable[[Any, str, int], Sequence[TargetMatch]]
Describe = Callable[[Any], str]


@dataclass(frozen=True, slots=True)
class TargetKind:
    target_type: str  # the audit entries' target_type, "app_label.model"
    label: str | Promise  # 赛事, 赛项, 人员, 单位 …
    search: Search | None  # None: named on the history page, not searched
    describe: Describe = str


_KINDS: dict[str, TargetKind] = {}


def register_target_kind(kind: TargetKind) -> None:
    """Add (or replace) a kind; registering the same target type twice keeps one."""
    _KINDS[kind.target_type] = kind


def target_kinds() -> list[TargetKind]:
    return list(_KINDS.values())


def target_kind(target_type: str) -> TargetKind | None:
    return _KINDS.get(target_type)
