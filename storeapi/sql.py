"""Precompiled reads for the hottest paths (authentication, the customer profile).

Building, compiling and iterating a queryset costs this machine ~0.4-1 ms of Python per query,
several times the round trip to PostgreSQL (docs/performance.md). A `Select` is written once,
as SQL over the models' own table and column names, and turns rows into model instances the
way the ORM's iterator does: the backend's and the fields' converters (SQLite decimals, JSON,
datetimes), then `Model.from_db`, so the instances behave like ORM ones (`save()` writes an
UPDATE, `refresh_from_db()` works). Only for reads whose shape is fixed; everything else stays
on the ORM.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connections
from django.db.models import DecimalField, Field, Model, Value

Converter = Callable[[Any, Any, Any], Any]
Conversion = tuple[list[Converter], Any]  # the converters and the column they were made for


@dataclass(frozen=True)
class _Part:
    model: type[Model]
    alias: str
    fields: tuple[Field, ...]


def _conversion(field: Field, alias: str, connection) -> Conversion:
    column = field.get_col(alias)
    return (
        connection.ops.get_db_converters(column) + column.get_db_converters(connection),
        column,
    )


class Select:
    """`SELECT <every concrete column of each (model, alias)> <tail> [<lock>]`; one instance
    per model per row. `tail` is the FROM/JOIN/WHERE/ORDER BY text with `%s` placeholders;
    `lock` (e.g. `FOR UPDATE OF r NOWAIT`) is added on databases that have row locks."""

    def __init__(
        self, parts: Sequence[tuple[type[Model], str]], tail: str, *, lock: str | None = None
    ):
        self.parts = tuple(
            _Part(model, alias, tuple(model._meta.concrete_fields)) for model, alias in parts
        )
        columns = [f'{part.alias}."{field.column}"' for part in self.parts for field in part.fields]
        self.sql = f"SELECT {', '.join(columns)} {tail}"
        self.locking_sql = f"{self.sql} {lock}" if lock else self.sql
        self._conversions: dict[str, list[Conversion]] = {}

    def _conversions_for(self, connection) -> list[Conversion]:
        if connection.alias not in self._conversions:
            self._conversions[connection.alias] = [
                _conversion(field, part.alias, connection)
                for part in self.parts
                for field in part.fields
            ]
        return self._conversions[connection.alias]

    def all(self, params: Sequence[Any], using: str = "default") -> list[tuple[Model, ...]]:
        connection = connections[using]
        locks = connection.features.has_select_for_update
        with connection.cursor() as cursor:
            cursor.execute(self.locking_sql if locks else self.sql, params)
            rows = cursor.fetchall()
        if not rows:
            return []
        conversions = self._conversions_for(connection)
        result = []
        for row in rows:
            values = [
                _convert(value, conversion, connection) if conversion[0] else value
                for value, conversion in zip(row, conversions, strict=True)
            ]
            instances, start = [], 0
            for part in self.parts:
                end = start + len(part.fields)
                names = [field.attname for field in part.fields]
                instances.append(part.model.from_db(using, names, values[start:end]))
                start = end
            result.append(tuple(instances))
        return result

    def first(self, params: Sequence[Any], using: str = "default") -> tuple[Model, ...] | None:
        rows = self.all(params, using)
        return rows[0] if rows else None


def _convert(value: Any, conversion: Conversion, connection) -> Any:
    converters, column = conversion
    for converter in converters:
        value = converter(value, column, connection)
    return value


def column_reader(model: type[Model], field_name: str, using: str = "default") -> Callable:
    """Turns a raw value of `model.field_name`'s column into what the ORM would give (e.g. a
    Decimal where SQLite hands back a float), for hand-written reads of a few columns."""
    connection = connections[using]
    conversion = _conversion(model._meta.get_field(field_name), model._meta.db_table, connection)
    if not conversion[0]:
        return lambda value: value
    return lambda value: _convert(value, conversion, connection)


def scalar_decimal(
    sql: str, params: Sequence[Any], *, decimal_places: int, using: str = "default"
) -> Decimal | None:
    """One numeric value (e.g. a SUM) as an exact Decimal on every backend (SQLite answers
    numeric sums as floats; they are converted the way the ORM converts a DecimalField)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    value = row[0] if row else None
    if value is None:
        return None
    expression = Value(
        None, output_field=DecimalField(max_digits=30, decimal_places=decimal_places)
    )
    for converter in connection.ops.get_db_converters(expression):
        value = converter(value, expression, connection)
    return Decimal(value).quantize(Decimal(1).scaleb(-decimal_places))
