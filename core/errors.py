"""Domain errors: a stable code, parameters, and a message in the user's language.

Services and domain modules raise these; one API handler and one page helper turn them into the platform's
error shape (`code`, `message`, and where they apply `fields` or `rows`). Messages are looked up by code at the
moment they are shown, so the same error reads in Chinese for one user and in English for another.

Apps register their messages with `register_messages({code: gettext_lazy("... {param} ...")})` in their
`errors.py`; an unregistered code falls back to the English default given where it was raised.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

_MESSAGES: dict[str, str | Promise] = {}


def register_messages(messages: Mapping[str, str | Promise]) -> None:
    """Add message templates (with `{param}` placeholders) for error codes."""
    _MESSAGES.update(messages)


def render_message(code: str, params: Mapping[str, Any], default: str | None = None) -> str:
    """The message for `code` in the active language, with `params` filled in."""
    template = _MESSAGES.get(code)
    text = str(template) if template is not None else (default or code)
    try:
        return text.format(**params)
    except (KeyError, IndexError, ValueError):
        return text


class DomainError(Exception):
    """A rule of the domain was broken; `status` is the HTTP status the API answers with.

    `code` is stable and dotted (`mark.out_of_range`); `params` fill the placeholders of the translated message;
    `default` is the English text used when no translation is registered for the code. Errors compare by value
    (same class, code and parameters: the eligibility tests compare whole lists of reasons) and pickle with what
    they carry, so they travel through a task queue.
    """

    status: int = 400

    def __init__(self, code: str, params: Mapping[str, Any] | None = None, default: str | None = None) -> None:
        self.code = code
        self.params: dict[str, Any] = dict(params or {})
        self.default = default
        super().__init__(code, self.params, default)

    @property
    def message(self) -> str:
        return render_message(self.code, self.params, self.default)

    @property
    def default_message(self) -> str:
        """The English default with the parameters filled in (logs, and tests independent of the language)."""
        text = self.default or self.code
        try:
            return text.format(**self.params)
        except (KeyError, IndexError, ValueError):
            return text

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.code!r}, {self.params!r})"

    def _value(self) -> tuple[Any, ...]:
        return (self.code, self.params)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, DomainError):
            return NotImplemented
        return type(self) is type(other) and self._value() == other._value()

    def __hash__(self) -> int:
        return hash((type(self), self.code))

    def __reduce__(self) -> tuple[Any, ...]:
        # Subclasses have their own constructors (NotFound(code), ValidationFailed(errors)), so the error is
        # rebuilt from its state rather than by calling the constructor with `args` again.
        return (_rebuild, (type(self), self.args, self.__dict__.copy()))


def _rebuild(cls: type[DomainError], args: tuple[Any, ...], state: dict[str, Any]) -> DomainError:
    error = cls.__new__(cls, *args)
    error.args = args
    error.__dict__.update(state)
    return error


class RuleBroken(DomainError):
    """An input the domain's rules refuse (a mark out of range, an ineligible registrant, a scheme not totalling
    100): the API answers 422, as for a form that fails validation. The pure domain modules raise this; a state
    that refuses the request is a `Conflict` (409), and the base class keeps 400 for the platform's other errors.
    """

    status = 422


class NotFound(DomainError):
    """The object does not exist, or exists in a unit the caller may not see (the two are not told apart)."""

    status = 404

    def __init__(self, code: str = "not_found", params: Mapping[str, Any] | None = None) -> None:
        super().__init__(code, params, "Not found.")


class PermissionDenied(DomainError):
    """The caller sees the object but may not do this to it."""

    status = 403

    def __init__(self, code: str = "permission_denied", params: Mapping[str, Any] | None = None) -> None:
        super().__init__(code, params, "You do not have permission to do this.")


class NotAuthenticated(DomainError):
    status = 401


class TooManyRequests(DomainError):
    """The caller did this too often just now (a rate limit of the domain, e.g. objections); retry later."""

    status = 429


class Conflict(DomainError):
    """The request is valid but the object's state does not allow it (a locked sheet, a skipped step)."""

    status = 409


@dataclass(frozen=True, slots=True)
class FieldError:
    """One bad field: `field` is the key clients use, `label` what people call it (身份证号), shown in the message."""

    field: str
    code: str
    params: Mapping[str, Any] = dataclass_field(default_factory=dict)
    default: str | None = None
    label: str | Promise | None = None

    @property
    def message(self) -> str:
        return render_message(self.code, {"field": str(self.label or self.field), **self.params}, self.default)


@dataclass(frozen=True, slots=True)
class RowError:
    """One bad cell of an imported sheet: sheet name, 1-based row as Excel shows it, column header."""

    sheet: str
    row: int
    column: str
    code: str
    params: Mapping[str, Any] = dataclass_field(default_factory=dict)
    default: str | None = None

    @property
    def message(self) -> str:
        return render_message(self.code, {"column": self.column, **self.params}, self.default)


class ValidationFailed(DomainError):
    """One or more fields are wrong; every error is reported, not only the first."""

    status = 422

    def __init__(self, errors: Iterable[FieldError]) -> None:
        self.field_errors = list(errors)
        super().__init__("validation_failed", {}, "Some fields are not valid.")

    def _value(self) -> tuple[Any, ...]:
        return (self.code, self.field_errors)

    def fields(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for error in self.field_errors:
            out.setdefault(error.field, []).append(error.message)
        return out


class ImportFailed(DomainError):
    """An imported file has bad rows; nothing of it was saved."""

    status = 422

    def __init__(self, errors: Iterable[RowError]) -> None:
        self.row_errors = list(errors)
        super().__init__("import_failed", {"count": len(self.row_errors)}, "The file has errors; nothing was saved.")

    def _value(self) -> tuple[Any, ...]:
        return (self.code, self.row_errors)

    def rows(self) -> list[dict[str, Any]]:
        return [
            {"sheet": e.sheet, "row": e.row, "column": e.column, "message": e.message} for e in self.row_errors
        ]


register_messages(
    {
        "not_found": _("未找到。"),
        "permission_denied": _("您没有执行此操作的权限。"),
        "not_authenticated": _("请先登录。"),
        "validation_failed": _("部分字段填写有误。"),
        "import_failed": _("文件中有 {count} 处错误，未保存任何内容。"),
        "internal_error": _("服务器内部错误，请稍后重试。"),
        "csrf_failed": _("页面已过期（CSRF 校验失败），请刷新页面后重试。"),
        "bad_request": _("请求格式有误。"),
        "field.required": _("“{field}”为必填项。"),
        "field.invalid": _("“{field}”的值无效。"),
    }
)
