"""Hand-written statements on the hot paths, read back exactly as the ORM would read them (issue 8, "Performance").

Composing a query with the ORM costs far more CPU than running it: on the mark path, building the SQL of the
caller's token, the aspect and the locked entry took about half of the request's time in the server process,
while PostgreSQL answered each in a fraction of a millisecond. The few statements a venue's load runs hundreds of
times a second are therefore written once, in SQL both databases run (only quoted table and column names taken
from the models are put into the text; every value is a parameter), and their rows are turned into model
instances here, with the conversions the ORM applies to each column (SQLite's text dates and decimals, JSON), so
that callers receive the same objects as from a queryset. Everywhere else the ORM stays the way to query.

`Columns(Model, "alias")` is one model's concrete columns under a table alias: `.sql()` is the select list (in
field order), `.load(row, start)` the instance built from that slice of a row. `value_of(Model, "field", v)` is a
parameter as the field would send it (a UUID as 32 hex digits on SQLite).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar, cast

from django.db import connection
from django.db.models import Field, Model

M = TypeVar("M", bound=Model)
Converter = Callable[[Any, Any, Any], Any]


def quote(name: str) -> str:
    return connection.ops.quote_name(name)


def table(model: type[Model]) -> str:
    """The model's table name, quoted for the current database."""
    return quote(model._meta.db_table)


def value_of(model: type[Model], field_name: str, value: Any) -> Any:
    """`value` as a parameter for a comparison with the model's column (what a queryset filter would send)."""
    field = cast("Field[Any, Any]", model._meta.get_field(field_name))  # a concrete column, never a reverse side
    return field.get_db_prep_value(value, connection, prepared=False)


class Columns(Generic[M]):
    """A model's concrete columns under a table alias, and rows read back into instances (module docstring)."""

    def __init__(self, model: type[M], alias: str) -> None:
        self.model = model
        self.alias = alias
        self.fields: list[Field[Any, Any]] = list(model._meta.concrete_fields)
        self.attnames = [f.attname for f in self.fields]
        self.width = len(self.fields)
        self._sql: dict[str, str] = {}
        self._converters: dict[str, list[tuple[int, list[Converter], Any]]] = {}

    def sql(self) -> str:
        """The select list, `alias."column", …`, in field order."""
        vendor = connection.vendor
        if vendor not in self._sql:
            self._sql[vendor] = ", ".join(f"{quote(self.alias)}.{quote(f.column)}" for f in self.fields)
        return self._sql[vendor]

    def _converters_now(self) -> list[tuple[int, list[Converter], Any]]:
        # The ORM's own per-column conversions (SQLCompiler.get_converters): the backend's, then the field's.
        vendor = connection.vendor
        if vendor not in self._converters:
            found = []
            for i, field in enumerate(self.fields):
                column = field.get_col(self.alias)
                converters = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
                if converters:
                    found.append((i, converters, column))
            self._converters[vendor] = found
        return self._converters[vendor]

    def load(self, row: Sequence[Any], start: int = 0) -> M:
        """The instance whose columns are `row[start:start + width]`, as a queryset would have built it."""
        values = list(row[start:start + self.width])
        for i, converters, column in self._converters_now():
            for converter in converters:
                values[i] = converter(values[i], column, connection)
        return self.model.from_db(connection.alias, self.attnames, values)
