"""Schemas every API module shares: the one error shape and how endpoints declare their error responses."""

from __future__ import annotations

from typing import Annotated

from ninja import Schema
from pydantic import Field

# A row id as a path parameter or a field of a body: the databases' 64-bit keys. A larger number would reach
# SQLite unchecked and fail there (a 500); refused at the edge, it is a 422 naming the parameter.
RowId = Annotated[int, Field(ge=0, le=2**63 - 1)]


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
