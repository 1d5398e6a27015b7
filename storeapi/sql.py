"""Precompiled reads and writes for the hottest paths (authentication, the customer profile,
the refresh rotation, the cart and checkout).

Building, compiling and iterating a queryset costs this machine ~0.4-1 ms of Python per query,
several times the round trip to PostgreSQL (docs/performance.md). A `Select` is written once,
as SQL over the models' own table and column names, and turns rows into model instances the
way the ORM's iterator does: the backend's and the fields' converters (SQLite decimals, JSON,
datetimes), then `Model.from_db`, so the instances behave like ORM ones (`save()` writes an
UPDATE, `refresh_from_db()` works). `insert`, `update`, `save_fields` and `exists` are the
equivalent one-statement writes, their SQL built once per shape; like `bulk_create` and
`QuerySet.update` they send no model signals. Only for statements whose shape is fixed;
everything else stays on the ORM.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connections
from django.db.models import DEFERRED, DecimalField, Field, Model, Value

Converter = Callable[[Any, Any, Any], Any]
Conversion = tuple[list[Converter], Any]  # the converters and the column they were made for


@dataclass(frozen=True)
class _Part:
    model: type[Model]
    alias: str
    fields: tuple[Field, ...]
    names: tuple[str, ...]  # the fields' attnames, as Model.from_db takes them
    pk_index: int  # where the primary key is among `fields`
    # With `only`: where each read field sits among all concrete fields (the rest are passed as
    # DEFERRED, which spares Model.from_db its per-field name search).
    slots: tuple[int, ...] | None = None
    width: int = 0

    def instance(self, using: str, values: list) -> Model:
        if self.slots is not None:
            full = [DEFERRED] * self.width
            for slot, value in zip(self.slots, values, strict=True):
                full[slot] = value
            values = full
        return self.model.from_db(using, self.names, values)


def _cursor(connection, sql: str):
    """A prepared-statement cursor for `sql` where the backend has one (storeapi/postgresql):
    these statements are fixed, so PostgreSQL parses and plans each once per connection, and
    the connection keeps a cursor per statement (psycopg reuses its adapters)."""
    prepared = getattr(connection, "prepared_cursor", None)
    return prepared(sql) if prepared is not None else connection.cursor()


def _conversion(field: Field, alias: str, connection) -> Conversion:
    column = field.get_col(alias)
    return (
        connection.ops.get_db_converters(column) + column.get_db_converters(connection),
        column,
    )


def _part(model: type[Model], alias: str, only: Sequence[str] | None = None) -> _Part:
    """Every concrete field, or (`only`, as QuerySet.only) those named and the primary key; the
    others are deferred on the instances (read on first access, one query each)."""
    fields = tuple(
        field
        for field in model._meta.concrete_fields
        if only is None or field.primary_key or field.name in only or field.attname in only
    )
    if only is not None:
        unknown = set(only) - {f.name for f in fields} - {f.attname for f in fields}
        if unknown:
            raise ValueError(f"{model.__name__} has no concrete fields {sorted(unknown)}")
    concrete = list(model._meta.concrete_fields)
    return _Part(
        model,
        alias,
        fields,
        tuple(field.attname for field in fields),
        [field.primary_key for field in fields].index(True),
        None if only is None else tuple(concrete.index(field) for field in fields),
        len(concrete),
    )


class Select:
    """`SELECT <every concrete column of each (model, alias[, only])> [, <extra>...] <tail>
    [<lock>]`; one instance per model per row (`only`: those fields, the others deferred).

    - `tail`: the FROM/JOIN/WHERE/ORDER BY text with `%s` placeholders.
    - `lock` (e.g. `FOR UPDATE OF r NOWAIT`): added on databases that have row locks.
    - `optional`: aliases of LEFT JOINed parts, None in a row where their primary key is NULL.
    - `once`: aliases of parts that are the same row in every row of the result (the one side
      of a one-to-many join): read once, one instance shared by every row.
    - `extras`: (SQL expression, the field its value is read as), e.g. a scalar subquery; the
      values follow the instances in each row (a decimal exact to the field's places, as
      `scalar_decimal` reads one). Their placeholders come before the tail's."""

    def __init__(
        self,
        parts: Sequence[tuple[type[Model], str] | tuple[type[Model], str, Sequence[str]]],
        tail: str,
        *,
        lock: str | None = None,
        optional: Sequence[str] = (),
        extras: Sequence[tuple[str, Field]] = (),
        once: Sequence[str] = (),
    ):
        self.optional = frozenset(optional)
        self.once = frozenset(once)
        self.extras = tuple(field for _, field in extras)
        self.parts = tuple(_part(*part) for part in parts)
        columns = [f'{part.alias}."{field.column}"' for part in self.parts for field in part.fields]
        columns += [expression for expression, _ in extras]
        self.sql = f"SELECT {', '.join(columns)} {tail}"
        self.locking_sql = f"{self.sql} {lock}" if lock else self.sql
        self._conversions: dict[str, list[Conversion]] = {}

    def _conversions_for(self, connection) -> list[Conversion]:
        if connection.alias not in self._conversions:
            self._conversions[connection.alias] = [
                _conversion(field, part.alias, connection)
                for part in self.parts
                for field in part.fields
            ] + [_expression_conversion(field, connection) for field in self.extras]
        return self._conversions[connection.alias]

    def all(self, params: Sequence[Any], using: str = "default") -> list[tuple[Model, ...]]:
        connection = connections[using]
        sql = self.locking_sql if connection.features.has_select_for_update else self.sql
        with _cursor(connection, sql) as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if not rows:
            return []
        conversions = self._conversions_for(connection)
        result = []
        for row in rows:
            instances, start = [], 0
            for index, part in enumerate(self.parts):
                end = start + len(part.fields)
                if result and part.alias in self.once:
                    instances.append(result[0][index])
                elif part.alias in self.optional and row[start + part.pk_index] is None:
                    instances.append(None)
                else:
                    values = [
                        _convert(value, conversion, connection) if conversion[0] else value
                        for value, conversion in zip(
                            row[start:end], conversions[start:end], strict=True
                        )
                    ]
                    instances.append(part.instance(using, values))
                start = end
            instances.extend(
                _exact(_convert(value, conversion, connection), field)
                for value, conversion, field in zip(
                    row[start:], conversions[start:], self.extras, strict=True
                )
            )
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


def _expression_conversion(field: Field, connection) -> Conversion:
    expression = Value(None, output_field=field)
    return (
        connection.ops.get_db_converters(expression) + expression.get_db_converters(connection),
        expression,
    )


def _exact(value: Any, field: Field) -> Any:
    """A computed decimal at its field's places: SQLite computes numeric sums in floats."""
    if value is None or not isinstance(field, DecimalField):
        return value
    return Decimal(value).quantize(Decimal(1).scaleb(-field.decimal_places))


def column_reader(model: type[Model], field_name: str, using: str = "default") -> Callable:
    """Turns a raw value of `model.field_name`'s column into what the ORM would give (e.g. a
    Decimal where SQLite hands back a float), for hand-written reads of a few columns."""
    connection = connections[using]
    conversion = _conversion(model._meta.get_field(field_name), model._meta.db_table, connection)
    if not conversion[0]:
        return lambda value: value
    return lambda value: _convert(value, conversion, connection)


def fetch_all(sql: str, params: Sequence[Any], using: str = "default") -> list[tuple]:
    """The raw rows of a fixed hand-written read (prepared on PostgreSQL, like every statement
    here); the caller converts the values it needs (`column_reader`)."""
    with _cursor(connections[using], sql) as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def execute(sql: str, params: Sequence[Any], using: str = "default") -> int:
    """A fixed hand-written write (prepared on PostgreSQL); the number of rows it changed."""
    with _cursor(connections[using], sql) as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def scalar_decimal(
    sql: str, params: Sequence[Any], *, decimal_places: int, using: str = "default"
) -> Decimal | None:
    """One numeric value (e.g. a SUM) as an exact Decimal on every backend (SQLite answers
    numeric sums as floats; they are converted the way the ORM converts a DecimalField)."""
    connection = connections[using]
    with _cursor(connection, sql) as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    value = row[0] if row else None
    if value is None:
        return None
    field = DecimalField(max_digits=30, decimal_places=decimal_places)
    return _exact(_convert(value, _expression_conversion(field, connection), connection), field)


# --- precompiled writes ----------------------------------------------------------------------
#
# The writes of the checkout's hot path, as plain statements over the models' table and column
# names. Values go through each field's `pre_save` (auto_now, auto_now_add) and
# `get_db_prep_save` (Decimal, JSON, datetimes), as the ORM's compilers do; no model signals
# are sent (these models have no receivers), and the instance ends as `save()` leaves it.

_WRITES: dict[tuple, str] = {}


def _field(model: type[Model], name: str) -> Field:
    meta = model._meta
    return meta.pk if name == "pk" else meta.get_field(name)


def _insert_fields(model: type[Model]) -> list[Field]:
    meta = model._meta
    return [f for f in meta.local_concrete_fields if f is not meta.auto_field and not f.generated]


#: Appended to a RETURNING list: the transaction of the statement (its own, in autocommit)
#: commits without waiting for the WAL flush (PostgreSQL; see insert_numbered `draft`).
DRAFT_COMMIT = "set_config('synchronous_commit', 'off', true)"


def _insert_sql(
    model: type[Model],
    rows: int,
    connection,
    unless_taken: str | None = None,
    draft: bool = False,
) -> tuple[str, bool]:
    returning = connection.features.can_return_columns_from_insert
    draft = draft and returning and connection.vendor == "postgresql"
    key = ("insert", model, rows, connection.vendor, returning, unless_taken, draft)
    if key not in _WRITES:
        quote = connection.ops.quote_name
        fields = _insert_fields(model)
        row = f"({', '.join(['%s'] * len(fields))})"
        sql = (
            f"INSERT INTO {quote(model._meta.db_table)} "  # noqa: S608 (names from the model)
            f"({', '.join(quote(f.column) for f in fields)}) VALUES {', '.join([row] * rows)}"
        )
        if unless_taken:
            sql += f" ON CONFLICT ({quote(_field(model, unless_taken).column)}) DO NOTHING"
        if returning:
            sql += f" RETURNING {quote(model._meta.pk.column)}"
        if draft:
            sql += f", {DRAFT_COMMIT}"
        _WRITES[key] = sql
    return _WRITES[key], returning


def insert(*instances: Model, using: str = "default") -> None:
    """INSERT new instances of one model (no primary key yet) in one statement; each gets its
    primary key and is saved as far as Django knows (`Model.save()` / `bulk_create`). With
    several rows the database must answer their keys (PostgreSQL, SQLite 3.35+), as for
    `bulk_create`."""
    if not instances:
        return
    model = type(instances[0])
    connection = connections[using]
    sql, returning = _insert_sql(model, len(instances), connection)
    if len(instances) > 1 and not returning:
        model._base_manager.using(using).bulk_create(instances)
        return
    fields = _insert_fields(model)
    params = [
        field.get_db_prep_save(field.pre_save(instance, True), connection)
        for instance in instances
        for field in fields
    ]
    meta = model._meta
    with _cursor(connection, sql) as cursor:
        cursor.execute(sql, params)
        if returning:
            keys = [row[0] for row in cursor.fetchall()]
        else:
            keys = [connection.ops.last_insert_id(cursor, meta.db_table, meta.pk.column)]
    for instance, key in zip(instances, keys, strict=True):
        setattr(instance, meta.pk.attname, key)
        instance._state.adding = False
        instance._state.db = using


def insert_numbered(
    instance: Model,
    *,
    field: str,
    generate: Callable[[], str],
    attempts: int = 20,
    using: str = "default",
    draft: bool = False,
) -> None:
    """INSERT a new `instance` whose unique `field` (a random number such as an order's)
    gets a fresh `generate()` value, in one statement: the database skips a value already
    taken (`ON CONFLICT (field) DO NOTHING`) and another is drawn, instead of a read to check
    each value first. Raises RuntimeError after `attempts` taken values. Databases that cannot
    answer the new key (no RETURNING) check first with `exists`. `draft` (PostgreSQL): the
    statement's transaction commits without waiting for the WAL flush (a new cart: a database
    crash may lose the last fraction of a second of them)."""
    connection = connections[using]
    sql, returning = _insert_sql(type(instance), 1, connection, unless_taken=field, draft=draft)
    if not returning or connection.vendor not in ("postgresql", "sqlite"):
        for _ in range(attempts):
            setattr(instance, field, generate())
            if not exists(type(instance), using=using, **{field: getattr(instance, field)}):
                insert(instance, using=using)
                return
        raise RuntimeError(f"could not find a free {type(instance).__name__} {field}")
    meta = instance._meta
    fields = _insert_fields(type(instance))
    for _ in range(attempts):
        setattr(instance, field, generate())
        params = [f.get_db_prep_save(f.pre_save(instance, True), connection) for f in fields]
        with _cursor(connection, sql) as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
        if row is not None:
            setattr(instance, meta.pk.attname, row[0])
            instance._state.adding = False
            instance._state.db = using
            return
    raise RuntimeError(f"could not find a free {type(instance).__name__} {field}")


def insert_numbered_with(
    instance: Model,
    *,
    field: str,
    generate: Callable[[], str],
    children: Sequence[tuple[str, Sequence[Model]]],
    attempts: int = 20,
    using: str = "default",
) -> None:
    """insert_numbered, and the new rows of `children` that point at `instance`: for each
    (the name of their foreign key to it, the instances of one model). On PostgreSQL all in
    one statement (data-modifying CTEs: a child row is written only if the parent row was,
    so a number already taken writes nothing and another is drawn); elsewhere one statement
    per model. Each child gets its primary key and its foreign key set."""
    children = [(fk, list(rows)) for fk, rows in children if rows]
    connection = connections[using]
    if connection.vendor != "postgresql":
        insert_numbered(instance, field=field, generate=generate, attempts=attempts, using=using)
        for fk, rows in children:
            for row in rows:
                setattr(row, fk, instance)
            insert(*rows, using=using)
        return
    shape = tuple((type(rows[0]), fk, len(rows)) for fk, rows in children)
    sql = _insert_with_children_sql(type(instance), field, shape, connection)
    parent_fields = _insert_fields(type(instance))
    child_params = []
    for fk, rows in children:
        fields = [f for f in _insert_fields(type(rows[0])) if f.name != fk]
        child_params += [
            f.get_db_prep_save(f.pre_save(row, True), connection) for row in rows for f in fields
        ]
    for _ in range(attempts):
        setattr(instance, field, generate())
        params = [f.get_db_prep_save(f.pre_save(instance, True), connection) for f in parent_fields]
        with _cursor(connection, sql) as cursor:
            cursor.execute(sql, params + child_params)
            keys = cursor.fetchall()
        if keys:
            break
    else:
        raise RuntimeError(f"could not find a free {type(instance).__name__} {field}")
    by_part: dict[int, list[int]] = {}
    for part, key in keys:
        by_part.setdefault(part, []).append(key)
    _saved(instance, by_part[0][0], using)
    for index, (fk, rows) in enumerate(children, start=1):
        # Keys come from one sequence in the order the rows were written: ascending.
        for row, key in zip(rows, sorted(by_part[index]), strict=True):
            setattr(row, fk, instance)
            _saved(row, key, using)


def _saved(instance: Model, key: int, using: str) -> None:
    setattr(instance, instance._meta.pk.attname, key)
    instance._state.adding = False
    instance._state.db = using


def _insert_with_children_sql(
    model: type[Model], field: str, shape: tuple[tuple[type[Model], str, int], ...], connection
) -> str:
    key = ("insert_with", model, field, shape, connection.vendor)
    if key not in _WRITES:
        quote = connection.ops.quote_name
        parent, _ = _insert_sql(model, 1, connection, unless_taken=field)
        ctes = [f"p0 AS ({parent})"]
        for index, (child, fk, rows) in enumerate(shape, start=1):
            fk_column = quote(child._meta.get_field(fk).column)
            fields = [f for f in _insert_fields(child) if f.name != fk]
            # Typed: a VALUES list in a SELECT has no column to take its types from.
            row = ", ".join(f"CAST(%s AS {f.db_type(connection)})" for f in fields)
            names = ", ".join(f"c{i}" for i in range(len(fields)))
            ctes.append(
                f"p{index} AS (INSERT INTO {quote(child._meta.db_table)} "  # noqa: S608
                f"({fk_column}, {', '.join(quote(f.column) for f in fields)}) "
                f"SELECT p0.{quote(model._meta.pk.column)}, {names} "
                f"FROM p0, (VALUES {', '.join([f'({row})'] * rows)}) AS v({names}) "
                f"RETURNING {quote(child._meta.pk.column)})"
            )
        models = [model, *(child for child, _, _ in shape)]
        answers = " UNION ALL ".join(
            f"SELECT {index}, {quote(each._meta.pk.column)} FROM p{index}"  # noqa: S608
            for index, each in enumerate(models)
        )
        _WRITES[key] = f"WITH {', '.join(ctes)} {answers}"
    return _WRITES[key]


def _conditions(model: type[Model], shape: tuple[tuple[str, bool], ...], connection) -> str:
    """`column = %s` for each name, `column IS NULL` where the value is None (as filter())."""
    quote = connection.ops.quote_name
    return " AND ".join(
        f"{quote(_field(model, name).column)} {'IS NULL' if is_null else '= %s'}"
        for name, is_null in shape
    )


def _condition_params(model: type[Model], where: dict[str, Any], connection) -> list[Any]:
    return [
        _field(model, name).get_db_prep_value(value, connection)
        for name, value in where.items()
        if value is not None
    ]


def update(
    model: type[Model], values: dict[str, Any], *, using: str = "default", **where: Any
) -> int:
    """`model.objects.filter(**where).update(**values)` for plain values and equality (or,
    with None, IS NULL) conditions on field names; returns the number of rows changed."""
    connection = connections[using]
    meta = model._meta
    shape = tuple((name, value is None) for name, value in where.items())
    key = ("update", model, tuple(values), shape, connection.vendor)
    if key not in _WRITES:
        quote = connection.ops.quote_name
        sets = ", ".join(f"{quote(_field(model, name).column)} = %s" for name in values)
        conditions = _conditions(model, shape, connection)
        _WRITES[key] = f"UPDATE {quote(meta.db_table)} SET {sets} WHERE {conditions}"  # noqa: S608
    params = [_field(model, name).get_db_prep_save(v, connection) for name, v in values.items()]
    params += _condition_params(model, where, connection)
    with _cursor(connection, _WRITES[key]) as cursor:
        cursor.execute(_WRITES[key], params)
        return cursor.rowcount


def save_fields(instance: Model, names: Sequence[str], *, using: str = "default") -> None:
    """`instance.save(update_fields=names)` (auto_now fields move; an instance whose row is
    gone raises DatabaseError, as save() does)."""
    from django.db import DatabaseError

    meta = type(instance)._meta
    values = {}
    for name in dict.fromkeys(names):
        field = meta.get_field(name)
        values[field.name] = field.pre_save(instance, False)
    if not update(type(instance), values, using=using, pk=instance.pk):
        raise DatabaseError("Save with update_fields did not affect any rows.")


def exists(model: type[Model], *, using: str = "default", **where: Any) -> bool:
    """`model.objects.filter(**where).exists()` for equality conditions on field names."""
    connection = connections[using]
    meta = model._meta
    shape = tuple((name, value is None) for name, value in where.items())
    key = ("exists", model, shape, connection.vendor)
    if key not in _WRITES:
        quote = connection.ops.quote_name
        conditions = _conditions(model, shape, connection)
        _WRITES[key] = f"SELECT 1 FROM {quote(meta.db_table)} WHERE {conditions} LIMIT 1"  # noqa: S608
    params = _condition_params(model, where, connection)
    with _cursor(connection, _WRITES[key]) as cursor:
        cursor.execute(_WRITES[key], params)
        return cursor.fetchone() is not None
