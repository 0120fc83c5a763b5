"""Audit entries in words (issue 10 item 7): what an action code, a stored key and a stored value mean to a person.

Entries keep their dotted action codes and raw JSON (they are hashed as stored, audit.chain); the history page
shows them through labels the apps register in their `AppConfig.ready` (audit registers accounts' own, accounts
standing below it):

- `register_action_labels({"competitions.mark.recorded": _("评分已记录"), …})`; an unknown code shows as itself.
- `register_fields(scope, {"status": FieldSpec(_("状态"), Status)})`, where `scope` is a target type
  ("competitions.skill") or an action code; an action's spec wins over its target type's, and a key without one
  shows as itself. `choices` is a `TextChoices` class or a mapping: a stored code then shows as its label.

`field_changes` turns one entry's old and new into rows: nested dicts flattened to "a.b" keys; for a creation (no
old value) every key, otherwise only the keys whose value changed. Values in words: None "—", booleans 是/否,
codes by their registered choices, ISO times in Asia/Shanghai ("2026-12-01 18:00"), lists joined with 、.
A value that audit.redaction hid shows its notice (`REDACTED`), never a value, and its key is always listed: two
hidden values cannot be told equal, so "unchanged" would itself say something.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import TextChoices
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from audit.redaction import REDACTED

Choices = type[TextChoices] | Mapping[str, str | Promise]


@dataclass(frozen=True, slots=True)
class FieldSpec:
    label: str | Promise
    choices: Choices | None = None


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One changed field of an entry, in words; `redacted`: the value is hidden from this reader."""

    key: str
    label: str
    old: str
    new: str
    redacted: bool = False


_ACTIONS: dict[str, str | Promise] = {}
_FIELDS: dict[str, dict[str, FieldSpec]] = {}

NONE = "—"
_ISO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2}|Z)?$")


def register_action_labels(labels: Mapping[str, str | Promise]) -> None:
    _ACTIONS.update(labels)


def register_fields(scope: str, fields: Mapping[str, FieldSpec | str | Promise]) -> None:
    """Labels (and choices) of the keys an action or a target type stores; a plain label is a FieldSpec without
    choices."""
    specs = _FIELDS.setdefault(scope, {})
    for key, spec in fields.items():
        specs[key] = spec if isinstance(spec, FieldSpec) else FieldSpec(spec)


def action_label(code: str) -> str:
    label = _ACTIONS.get(code)
    return str(label) if label is not None else code


def _spec(key: str, action: str, target_type: str) -> FieldSpec | None:
    last = key.rsplit(".", 1)[-1]
    for scope in (action, target_type):
        specs = _FIELDS.get(scope, {})
        spec = specs.get(key) or specs.get(last)
        if spec is not None:
            return spec
    return None


def _choice(choices: Choices, value: str) -> str | None:
    if isinstance(choices, type) and issubclass(choices, TextChoices):
        if value in choices.values:
            return str(choices(value).label)
        return None
    label = choices.get(value)
    return str(label) if label is not None else None


LONGEST = 300  # characters of one value shown; a published results table stays readable in the API's raw `new`


def value_words(value: Any, spec: FieldSpec | None = None) -> str:
    """A stored value as a person reads it (module docstring), cut at `LONGEST` characters."""
    words = _words(value, spec)
    return words if len(words) <= LONGEST else words[: LONGEST - 1] + "…"


def _words(value: Any, spec: FieldSpec | None) -> str:
    if value is None or value == "":
        return NONE
    if value == REDACTED:
        return REDACTED
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, list):
        return "、".join(_words(item, spec) for item in value) or NONE
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, str):
        if spec is not None and spec.choices is not None:
            label = _choice(spec.choices, value)
            if label is not None:
                return label
        if _ISO_TIME.match(value):
            try:
                moment = datetime.fromisoformat(value)
            except ValueError:
                return value
            if timezone.is_aware(moment):
                moment = timezone.localtime(moment)
            return moment.strftime("%Y-%m-%d %H:%M")
        return value
    return str(value)


def flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    """Nested dicts as one level of "a.b" keys; anything else (a list included) is a value."""
    if not isinstance(value, dict):
        return {prefix or "": value}
    out: dict[str, Any] = {}
    for key, item in value.items():
        name = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(item, dict) and item:
            out.update(flatten(item, name))
        else:
            out[name] = item
    return out


def field_changes(*, action: str, target_type: str, old: Any, new: Any) -> list[FieldChange]:
    """The entry's changed fields in words, in the order they were stored (new's keys first)."""
    creation = old is None
    before = {} if old is None else flatten(old)
    after = {} if new is None else flatten(new)
    keys = list(after) + [k for k in before if k not in after]
    rows = []
    for key in keys:
        was, now = before.get(key), after.get(key)
        hidden = REDACTED in (was, now)
        if not (creation or hidden or was != now):
            continue
        spec = _spec(key, action, target_type)
        label = str(spec.label) if spec is not None else (key or _("值"))
        rows.append(FieldChange(key, label, NONE if creation and key not in before else value_words(was, spec),
                                value_words(now, spec), redacted=hidden))
    return rows
