"""Sweep reads (and the sweep's marks) compiled once per process (issue 20, benchmark 7a).

The sweep runs the same few reads every 15 minutes with only the day changed. With the reads
down to what can owe an alert (decisions 0195, 0196), Django took longer to build and compile
each read (~3 ms: the anti-joins' subqueries are cloned at every `.filter()` and compiled every
time) than PostgreSQL took to run it. A `CompiledRead` builds its queryset once, with a
`Parameter` where each run's value goes, and then runs the same SQL with that run's values:
the rows come back exactly as the queryset's `.values()` would give them (the backend's
converters applied, e.g. SQLite's dates). A `CompiledUpdate` does the same for an UPDATE of the
rows a sweep has just read, given by primary key (`Ids`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import BigIntegerField, Expression, Field, QuerySet
from django.db.models.sql import UpdateQuery
from django.db.models.sql.compiler import SQLCompiler

PARAMETER_MISSING = "The compiled statement needs a value for {name!r}."


class Parameter(Expression):
    """A value given when the compiled read runs, not when its queryset is built."""

    def __init__(self, name: str, output_field: Field):
        super().__init__(output_field=output_field)
        self.name = name

    def as_sql(self, compiler, connection):
        return "%s", [self]

    def value(self, values: dict):
        if self.name not in values:
            raise KeyError(PARAMETER_MISSING.format(name=self.name))
        return values[self.name]

    def bind(self, values: dict, connection):
        return self.output_field.get_db_prep_value(self.value(values), connection)


class Ids(Parameter):
    """Primary keys given at run time, as `pk__in=Ids("ids")`: one parameter whatever their
    number (a subquery over an array on PostgreSQL, over a JSON array on SQLite)."""

    def __init__(self, name: str):
        super().__init__(name, output_field=BigIntegerField())

    def as_sql(self, compiler, connection):
        return "SELECT value FROM json_each(%s)", [self]

    def as_postgresql(self, compiler, connection):
        return "SELECT unnest(%s::bigint[])", [self]

    def bind(self, values: dict, connection):
        ids = [int(pk) for pk in self.value(values)]
        return ids if connection.vendor == "postgresql" else json.dumps(ids)


def _bound(params: Sequence, values: dict, connection) -> list:
    return [p.bind(values, connection) if isinstance(p, Parameter) else p for p in params]


@dataclass(frozen=True)
class _Compiled:
    """The SQL and its parameters (constants and `Parameter`s), the names of the columns, and
    the compiler, kept for its converters (they use the backend's operations, never a cursor,
    so a read compiled on one thread's connection converts another's rows)."""

    sql: str
    params: tuple
    names: tuple[str, ...]
    compiler: SQLCompiler


class CompiledRead:
    """`build()` returns a `.values()` queryset that uses `Parameter`s; calling the read with
    their values returns its rows as dicts. Compiled on first use for each database (the SQL
    depends only on the backend), so nothing in `build` may depend on the day or on settings
    that change at run time: those are Parameters."""

    def __init__(self, build: Callable[[], QuerySet], *, using: str = DEFAULT_DB_ALIAS):
        self._build = build
        self._using = using
        self._compiled: dict[str, _Compiled] = {}

    def _compile(self) -> _Compiled:
        query = self._build().query
        compiler = query.get_compiler(self._using)
        sql, params = compiler.as_sql()
        # The columns' names as `.values()` gives them (django.db.models.query.ValuesIterable).
        if query.selected:
            names = tuple(query.selected)
        else:
            names = (*query.extra_select, *query.values_select, *query.annotation_select)
        return _Compiled(sql, tuple(params), names, compiler)

    def __call__(self, **values) -> list[dict]:
        connection = connections[self._using]
        compiled = self._compiled.get(connection.vendor)
        if compiled is None:
            compiled = self._compiled[connection.vendor] = self._compile()
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, _bound(compiled.params, values, connection))
            rows = cursor.fetchall()
        rows = compiled.compiler.results_iter([rows])  # the backend's converters
        return [dict(zip(compiled.names, row, strict=True)) for row in rows]


class CompiledUpdate:
    """`build()` returns the rows to update (a queryset of one table that uses `Parameter`s),
    `assignments` the fields to set (values or expressions of the row, as `.update()` takes);
    calling it with the Parameters' values runs the UPDATE and returns the rows updated."""

    def __init__(
        self, build: Callable[[], QuerySet], assignments: dict, *, using: str = DEFAULT_DB_ALIAS
    ):
        self._build = build
        self._assignments = assignments
        self._using = using
        self._compiled: dict[str, tuple[str, tuple]] = {}

    def _compile(self) -> tuple[str, tuple]:
        query = self._build().query.chain(UpdateQuery)
        query.add_update_values(self._assignments)
        sql, params = query.get_compiler(self._using).as_sql()
        return sql, tuple(params)

    def __call__(self, **values) -> int:
        connection = connections[self._using]
        compiled = self._compiled.get(connection.vendor)
        if compiled is None:
            compiled = self._compiled[connection.vendor] = self._compile()
        sql, params = compiled
        with connection.cursor() as cursor:
            cursor.execute(sql, _bound(params, values, connection))
            return cursor.rowcount
