"""Hand-written statements on the hot paths, read back exactly as the ORM would read them (issue 8, "Performance").

Composing a query with the ORM costs far more CPU than running it: on the mark path, building the SQL of the
caller's token, the aspect and the locked entry took about half of the request's time in the server process,
while PostgreSQL answered each in a fraction of a millisecond. The few statements a venue's load runs hundreds of
times a second are therefore written once, in SQL both databases run (only quoted table and column names taken
from the models are put into the text; every value is a parameter), and their rows are turned into model
instances here, with the conversions the ORM applies to each column (SQLite's text dates and decimals, JSON), so
that callers receive the same objects as from a queryset. Everywhere else the ORM stays the way to query.

`Columns(Model, "alias")` is one model's concrete columns under a table alias (`exclude=` leaves some deferred):
`.sql()` is the select list (in field order), `.load(row, start)` the instance built from that slice of a row.
`value_of(Model, "field", v)` is a parameter as the field would send it (a UUID as 32 hex digits on SQLite).
`insert_rows(objs, on_conflict=…, update=…)` writes several new instances in one statement (ids not read back),
optionally as an upsert (`INSERT … ON CONFLICT (…) DO UPDATE`, which both databases run).
`insert(obj)` and `update(obj, fields)` write one instance as `obj.save()` and `obj.save(update_fields=…)` would
(each field's `pre_save` and `get_db_prep_save`, the new id read back with RETURNING), without composing the
statement each time; no model signals are sent, and none of the models written this way has receivers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar, cast

from django.db import DatabaseError, connection
from django.db.models import Field, Model

M = TypeVar("M", bound=Model)
Converter = Callable[[Any, Any, Any], Any]


def quote(name: str) -> str:
    return connection.ops.quote_name(name)


def column(field: Field[Any, Any]) -> str:
    """A concrete field's column name, quoted (every field these statements name has a column)."""
    return quote(cast(str, field.column))


def table(model: type[Model]) -> str:
    """The model's table name, quoted for the current database."""
    return quote(model._meta.db_table)


def value_of(model: type[Model], field_name: str, value: Any) -> Any:
    """`value` as a parameter for a comparison with the model's column (what a queryset filter would send)."""
    field = cast("Field[Any, Any]", model._meta.get_field(field_name))  # a concrete column, never a reverse side
    return field.get_db_prep_value(value, connection, prepared=False)


class Columns(Generic[M]):
    """A model's concrete columns under a table alias, and rows read back into instances (module docstring)."""

    def __init__(self, model: type[M], alias: str, *, exclude: Sequence[str] = ()) -> None:
        self.model = model
        self.alias = alias
        # Excluded fields are left deferred on the instances, as `.defer(...)` leaves them.
        self.fields: list[Field[Any, Any]] = [f for f in model._meta.concrete_fields if f.name not in exclude]
        self.attnames = [f.attname for f in self.fields]
        self.width = len(self.fields)
        self._sql: dict[str, str] = {}
        self._converters: dict[str, list[tuple[int, list[Converter], Any]]] = {}

    def sql(self) -> str:
        """The select list, `alias."column", …`, in field order."""
        vendor = connection.vendor
        if vendor not in self._sql:
            self._sql[vendor] = ", ".join(f"{quote(self.alias)}.{column(f)}" for f in self.fields)
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


_INSERTS: dict[tuple[type[Model], str], tuple[str, list[Field[Any, Any]]]] = {}
_UPDATES: dict[tuple[type[Model], tuple[str, ...], str], tuple[str, list[Field[Any, Any]]]] = {}


def _insert_statement(model: type[Model]) -> tuple[str, list[Field[Any, Any]]]:
    key = (model, connection.vendor)
    if key not in _INSERTS:
        pk = model._meta.pk
        fields = [f for f in model._meta.concrete_fields if f is not pk]
        columns = ", ".join(column(f) for f in fields)
        values = ", ".join(["%s"] * len(fields))
        returning = f" RETURNING {column(pk)}" if connection.features.can_return_columns_from_insert else ""
        _INSERTS[key] = (f"INSERT INTO {table(model)} ({columns}) VALUES ({values}){returning}", fields)  # noqa: S608
    return _INSERTS[key]


def insert(obj: M) -> M:
    """Insert `obj` as a new row (its primary key an auto field left to the database) and give it its id."""
    statement, fields = _insert_statement(type(obj))
    params = [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]  # noqa: FBT003 - `add`
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        if connection.features.can_return_columns_from_insert:
            row = cursor.fetchone()
            new_id = row[0] if row is not None else None
        else:
            new_id = cursor.lastrowid
    obj.pk = new_id
    obj._state.adding = False
    obj._state.db = connection.alias
    return obj


def update(obj: Model, field_names: Sequence[str]) -> None:
    """Write these fields of an existing row, as `obj.save(update_fields=field_names)` would (which also refuses
    a row that is not there)."""
    model = type(obj)
    key = (model, tuple(field_names), connection.vendor)
    if key not in _UPDATES:
        fields = [cast("Field[Any, Any]", model._meta.get_field(name)) for name in field_names]
        assignments = ", ".join(f"{column(f)} = %s" for f in fields)
        pk_column = column(model._meta.pk)
        _UPDATES[key] = (f"UPDATE {table(model)} SET {assignments} WHERE {pk_column} = %s", fields)  # noqa: S608
    statement, fields = _UPDATES[key]
    params = [f.get_db_prep_save(f.pre_save(obj, False), connection) for f in fields]  # noqa: FBT003 - `add`
    with connection.cursor() as cursor:
        cursor.execute(statement, [*params, obj.pk])
        if cursor.rowcount != 1:
            raise DatabaseError("Save with update_fields did not affect any rows.")


def insert_rows(objs: Sequence[Model], *, on_conflict: Sequence[str] = (), update: Sequence[str] = ()) -> None:
    """Insert these new instances of one model in one statement, as `bulk_create` would write them (each field's
    `pre_save` and `get_db_prep_save`; their ids are not read back). With `on_conflict`, the fields of a unique
    constraint, a row already there takes the `update` fields of the new one instead, as
    `bulk_create(update_conflicts=True, unique_fields=…, update_fields=…)` does."""
    if not objs:
        return
    model = type(objs[0])
    pk = model._meta.pk
    fields = [f for f in model._meta.concrete_fields if f is not pk]
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    statement = (f"INSERT INTO {table(model)} ({', '.join(column(f) for f in fields)}) "  # noqa: S608
                 f"VALUES {', '.join([row] * len(objs))}")
    if on_conflict:
        def col(name: str) -> str:
            return column(cast("Field[Any, Any]", model._meta.get_field(name)))

        sets = ", ".join(f"{col(name)} = EXCLUDED.{col(name)}" for name in update)
        statement += f" ON CONFLICT ({', '.join(col(name) for name in on_conflict)}) DO UPDATE SET {sets}"
    params = [f.get_db_prep_save(f.pre_save(obj, True), connection) for obj in objs for f in fields]  # noqa: FBT003
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
