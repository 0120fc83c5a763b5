"""The one DomainError: value equality, pickling through a task queue, the English default, the status by kind."""

from __future__ import annotations

import pickle

import pytest

from audit.models import AppendOnlyError
from core.errors import (
    Conflict,
    DomainError,
    FieldError,
    ImportFailed,
    NotFound,
    PermissionDenied,
    RowError,
    RuleBroken,
    ValidationFailed,
)

ERRORS: list[DomainError] = [
    DomainError("x.base", {"n": 1}, "Base {n}."),
    RuleBroken("mark.out_of_range", {"value": 11, "min": 0, "max": 10}, "Mark {value} is outside {min}..{max}."),
    Conflict("sheet.already_signed"),
    NotFound(),
    PermissionDenied("mark.recused", {"reason": "同属一个单位"}),
    ValidationFailed([FieldError("reason", "correction.reason_required")]),
    ImportFailed([RowError("报名表", 3, "身份证号", "import.invalid", {"value": "x"})]),
    AppendOnlyError(),
]


@pytest.mark.parametrize("error", ERRORS, ids=lambda e: type(e).__name__)
def test_every_error_pickles_with_what_it_carries(error: DomainError) -> None:
    copy = pickle.loads(pickle.dumps(error))  # noqa: S301 - our own bytes, as a task queue carries them
    assert type(copy) is type(error) and copy == error
    assert (copy.code, copy.params, copy.default, copy.status) == (error.code, error.params, error.default,
                                                                   error.status)
    assert copy.message == error.message


def test_errors_compare_by_class_code_and_parameters() -> None:
    assert RuleBroken("a", {"n": 1}) == RuleBroken("a", {"n": 1}, "An English default does not count.")
    assert RuleBroken("a", {"n": 1}) != RuleBroken("a", {"n": 2})
    assert RuleBroken("a") != Conflict("a")
    assert len({RuleBroken("a", {"n": 1}), RuleBroken("a", {"n": 1})}) == 1
    assert ValidationFailed([FieldError("name", "field.required")]) != ValidationFailed(
        [FieldError("city", "field.required")]
    )


def test_default_message_fills_the_english_text() -> None:
    error = RuleBroken("mark.out_of_range", {"value": 11, "min": 0, "max": 10}, "Mark {value} is outside {min}..{max}.")
    assert error.default_message == "Mark 11 is outside 0..10."
    assert RuleBroken("no.default").default_message == "no.default"
    assert repr(error) == "RuleBroken('mark.out_of_range', {'value': 11, 'min': 0, 'max': 10})"


def test_status_by_kind() -> None:
    """A broken rule answers 422; the base class keeps 400 for errors that are no domain rule of an app."""
    assert (DomainError("x").status, RuleBroken("x").status, Conflict("x").status) == (400, 422, 409)
    assert (NotFound().status, PermissionDenied().status, ValidationFailed([]).status) == (404, 403, 422)
