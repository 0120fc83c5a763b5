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
    """Response declarations for error statuses. Possible everywhere, so always declared: 400 (unparseable body),
    401 (not signed in), 403 (not allowed, or a page session's write without its CSRF token), 422 (a bad field)."""
    return {status: ErrorOut for status in sorted({400, 401, 403, 422, *statuses})}
