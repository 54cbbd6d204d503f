"""Core statements compiled once and run straight on the sqlite3 connection.

On SQLite every statement through SQLAlchemy costs about 0.1 ms of CPU (execution context,
parameter and result processing) while the driver answers a keyed lookup in a few
microseconds (benchmarks/hot_paths.py). The few statements every update runs (the chat's
identity and dialog, the dialog's save) therefore go to the driver on SQLite, compiled once by
SQLAlchemy's own SQLite dialect and converted with the column types' own bind and result
processors, so the values written and read are exactly those SQLAlchemy would write and read.
PostgreSQL keeps the SQLAlchemy path (`Prepared` is used only where `driver()` finds sqlite3).
"""

from __future__ import annotations

import sqlite3
from typing import Any

from sqlalchemy.sql import Executable


def driver(connection) -> sqlite3.Connection | None:
    """The sqlite3 connection under an SQLAlchemy AsyncConnection (or, inside a sync ORM hook,
    a Connection) of an engine made by storage.db.create_engine (inline aiosqlite), or None for
    any other database."""
    sync = getattr(connection, "sync_connection", connection)
    adapted = sync.connection.dbapi_connection
    inline = getattr(adapted, "_connection", None)
    raw = getattr(inline, "_connection", None)
    return raw if isinstance(raw, sqlite3.Connection) else None


class Prepared:
    """One statement, compiled for SQLite the first time it runs (the dialect carries the
    engine's JSON serialiser, so it is taken from the connection)."""

    def __init__(self, statement: Executable):
        self.statement = statement
        self._compiled: tuple[str, list, list] | None = None
        self._lists: list[str] = []  # IN over a list given at each run: its parameters' names
        self._sql_for: dict[tuple[int, ...], str] = {}  # the statement for those lists' lengths

    def _compile(self, dialect) -> tuple[str, list, list]:
        compiled = self.statement.compile(dialect=dialect)
        sql = compiled.string
        binds = []  # (parameter name or None, bind processor, constant, one value per list item)
        for name in compiled.positiontup:
            bind = compiled.binds[name]
            process = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if bind.expanding and bind.required:  # IN over a list given at each run
                if name != bind.key:  # pragma: no cover - a programming error, caught by the tests
                    raise ValueError("name the list's bindparam explicitly")
                if name not in self._lists:
                    self._lists.append(name)
                binds.append((bind.key, process, None, True))
            elif bind.expanding:  # IN over a list written in the statement: one "?" per value
                values = bind.effective_value
                if not values:  # pragma: no cover - a programming error, caught by the tests
                    raise ValueError("IN over an empty list")
                sql = sql.replace(f"__[POSTCOMPILE_{name}]", ", ".join("?" * len(values)))
                binds.extend((None, None, v if process is None else process(v), False) for v in values)
            elif bind.required:  # a named parameter, given at each run
                binds.append((bind.key, process, None, False))
            else:  # a value written in the statement (a literal, a LIMIT): converted once
                value = bind.effective_value
                binds.append((None, None, value if process is None else process(value), False))
        results = [column.type.dialect_impl(dialect).result_processor(dialect, None)
                   for column in getattr(self.statement, "selected_columns", ())]
        return sql, binds, results

    def _run(self, connection, raw: sqlite3.Connection, params: dict[str, Any]) -> sqlite3.Cursor:
        if self._compiled is None:
            self._compiled = self._compile(connection.dialect)
        sql, binds, _ = self._compiled
        values = []
        for key, process, constant, many in binds:
            if key is None:
                values.append(constant)
            elif many:
                values.extend(params[key] if process is None else map(process, params[key]))
            else:
                values.append(params[key] if process is None else process(params[key]))
        if self._lists:
            lengths = tuple(len(params[name]) for name in self._lists)
            if 0 in lengths:  # pragma: no cover - a programming error, caught by the tests
                raise ValueError("IN over an empty list")
            if lengths not in self._sql_for:
                for name, n in zip(self._lists, lengths):
                    sql = sql.replace(f"__[POSTCOMPILE_{name}]", ", ".join("?" * n))
                self._sql_for[lengths] = sql
            sql = self._sql_for[lengths]
        return raw.execute(sql, values)

    def execute(self, connection, raw: sqlite3.Connection, params: dict[str, Any]) -> int:
        """Run a write; the number of rows it changed."""
        return self._run(connection, raw, params).rowcount

    def first(self, connection, raw: sqlite3.Connection, params: dict[str, Any]) -> tuple | None:
        """Run a query; its first row with every value converted by its column's type."""
        row = self._run(connection, raw, params).fetchone()
        return None if row is None else self._convert(row)

    def all(self, connection, raw: sqlite3.Connection, params: dict[str, Any]) -> list[tuple]:
        """Run a query; all its rows, converted like first()."""
        rows = self._run(connection, raw, params).fetchall()
        if not any(self._compiled[2]):
            return rows
        return [self._convert(row) for row in rows]

    def _convert(self, row: tuple) -> tuple:
        return tuple(value if process is None or value is None else process(value)
                     for value, process in zip(row, self._compiled[2]))


_PREPARED: dict[Executable, Prepared] = {}


def _prepared(statement: Executable) -> Prepared:
    """The Prepared of a statement built once at import (module constants only: the cache is
    keyed by the statement object)."""
    prepared = _PREPARED.get(statement)
    if prepared is None:
        prepared = _PREPARED[statement] = Prepared(statement)
    return prepared


async def _autoflush(session) -> None:
    """What the ORM does before its own queries: pending changes are written first, so a query
    on the driver sees them too."""
    if session.autoflush and (session.new or session.dirty or session.deleted):
        await session.flush()


async def first(session, statement: Executable, params: dict[str, Any]) -> tuple | None:
    """The first row of a query in the session's transaction: on the driver on SQLite,
    through SQLAlchemy elsewhere."""
    await _autoflush(session)
    connection = await session.connection()
    raw = driver(connection)
    if raw is not None:
        return _prepared(statement).first(connection, raw, params)
    return (await connection.execute(statement, params)).first()


async def all_rows(session, statement: Executable, params: dict[str, Any]) -> list[tuple]:
    """All rows of a query in the session's transaction, like first()."""
    await _autoflush(session)
    connection = await session.connection()
    raw = driver(connection)
    if raw is not None:
        return _prepared(statement).all(connection, raw, params)
    return [tuple(row) for row in await connection.execute(statement, params)]


async def execute(session, statement: Executable, params: dict[str, Any]) -> None:
    """A write in the session's transaction, like first()."""
    await _autoflush(session)
    connection = await session.connection()
    raw = driver(connection)
    if raw is not None:
        _prepared(statement).execute(connection, raw, params)
    else:
        await connection.execute(statement, params)


def rows_now(connection, statement: Executable, params: dict[str, Any]) -> list[tuple]:
    """All rows of a query on a sync Connection, as inside an ORM flush or commit hook (no
    autoflush: the hook runs within the flush): on the driver on SQLite."""
    raw = driver(connection)
    if raw is not None:
        return _prepared(statement).all(connection, raw, params)
    return [tuple(row) for row in connection.execute(statement, params)]
