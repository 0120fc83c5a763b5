"""Domain errors of the competitions domain modules: a stable code, parameters and a plain English default.

The pure modules (`scoring`, `ranking`, `awards`, `draws`, `recusal`, `eligibility`, `promotion`, `titles`) must
import nothing from Django, so they cannot raise `core.errors.DomainError` (it renders messages through
`gettext`). This class has the same constructor and attributes (`code`, `params`, `default`, `message`), so the
service layer translates it by code exactly like the core one, and a later merge is a change of base class only.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class DomainError(Exception):
    """A rule of the competitions domain was broken.

    `code` is stable and dotted (`mark.out_of_range`); `params` fill the placeholders of the translated message;
    `default` is the English text used when no translation is registered for the code.
    """

    def __init__(self, code: str, params: Mapping[str, Any] | None = None, default: str | None = None) -> None:
        self.code = code
        self.params: dict[str, Any] = dict(params or {})
        self.default = default
        # args mirror the constructor so the exception pickles (task queues) and compares in tests by value.
        super().__init__(code, self.params, default)

    @property
    def message(self) -> str:
        """The English default with the parameters filled in; the code itself when no default was given."""
        text = self.default or self.code
        try:
            return text.format(**self.params)
        except (KeyError, IndexError, ValueError):
            return text

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"DomainError({self.code!r}, {self.params!r})"

    def __eq__(self, other: object) -> bool:
        # Value equality lets eligibility tests compare whole lists of reasons.
        if not isinstance(other, DomainError):
            return NotImplemented
        return (self.code, self.params) == (other.code, other.params)

    def __hash__(self) -> int:
        return hash(self.code)
