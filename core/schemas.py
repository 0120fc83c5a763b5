"""Schemas every API module shares: the one error shape and how endpoints declare their error responses."""

from __future__ import annotations

from ninja import Schema


class RowErrorOut(Schema):
    sheet: str
    row: int
    column: str
    message: str


class ErrorOut(Schema):
    """Every error the API returns: a stable `code`, a `message` in the caller's language, and the details."""

    code: str
    message: str
    fields: dict[str, list[str]] | None = None
    rows: list[RowErrorOut] | None = None
    request_id: str | None = None


def errors(*statuses: int) -> dict[int, type[ErrorOut]]:
    """Response declarations for error statuses; 401 and 422 are always possible and always declared."""
    return {status: ErrorOut for status in sorted({401, 422, *statuses})}
