"""Engine and session factory; SQLite gets WAL and foreign keys, PostgreSQL is used as is."""

from __future__ import annotations

import sqlite3
from functools import partial
from pathlib import Path

import aiosqlite
import orjson

from alembic import command
from alembic.config import Config
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine

MIGRATIONS = Path(__file__).with_name("migrations")


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def _ensure_sqlite_dir(url: str) -> None:
    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)


class InlineConnection(aiosqlite.Connection):
    """aiosqlite's connection without its worker thread: every call runs at once, in the event
    loop's thread.

    A local SQLite database answers in microseconds, while handing each call to a worker thread
    and back cost about 0.15 ms of CPU (a thread wake-up and a GIL handover per call, some
    thirty calls per update). The price of running inline: a call that waits for another
    process's write lock (a CLI command during an import) blocks the loop meanwhile, so
    in-process writers must not wait on each other — the engine keeps one connection
    (`pool_size=1`) and sessions queue for it instead of for SQLite's lock."""

    def __init__(self, connector, iter_chunk_size: int = 64):
        super().__init__(connector, iter_chunk_size)
        self._tx = _InlineQueue()  # SQLAlchemy's adapter queues some calls itself

    def __await__(self):
        return self._connect().__await__()

    async def _connect(self) -> InlineConnection:
        if self._connection is None:
            self._connection = self._connector()
        return self

    async def _execute(self, fn, *args, **kwargs):
        if not self._running or self._connection is None:
            raise ValueError("Connection closed")
        return fn(*args, **kwargs)

    def stop(self) -> None:
        self._running = False
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    async def close(self) -> None:
        self.stop()


class _InlineQueue:
    """Stands in for aiosqlite's queue to the worker thread: runs the call at once."""

    @staticmethod
    def put_nowait(item) -> None:
        future, function = item
        try:
            result = function()
        except BaseException as exc:  # noqa: B036 - handed to the awaiting caller
            if future is not None and not future.done():
                future.set_exception(exc)
            return
        if future is not None and not future.done():
            future.set_result(result)


def _json_dumps(value) -> str:
    return orjson.dumps(value).decode()


def _sqlite_creator(url: str, timeout: float):
    database = make_url(url).database or ":memory:"

    async def creator() -> InlineConnection:
        connector = partial(sqlite3.connect, database, timeout=timeout, check_same_thread=False)
        return await InlineConnection(connector, 64)

    return creator


def create_engine(url: str, **kwargs) -> AsyncEngine:
    if is_sqlite(url):
        _ensure_sqlite_dir(url)
        kwargs.setdefault("async_creator", _sqlite_creator(url, 30))
        kwargs.setdefault("pool_size", 1)
        kwargs.setdefault("max_overflow", 0)
        kwargs.setdefault("pool_timeout", 120)
    else:
        kwargs.setdefault("pool_pre_ping", True)
    # SQL parameters carry names and birth dates: never put them into logs or error texts.
    kwargs.setdefault("hide_parameters", True)
    kwargs.setdefault("json_serializer", _json_dumps)
    kwargs.setdefault("json_deserializer", orjson.loads)
    engine = create_async_engine(url, **kwargs)
    if is_sqlite(url):

        @event.listens_for(engine.sync_engine, "connect")
        def _pragmas(dbapi_conn, _record):  # pragma: no cover - trivial
            # SQLAlchemy's documented workaround for the sqlite3 driver, which otherwise starts
            # transactions late and commits on SAVEPOINT: let SQLAlchemy emit BEGIN itself, so a
            # SAVEPOINT (begin_nested) is nested in the real transaction and rolls back with it.
            dbapi_conn.isolation_level = None
            cursor = dbapi_conn.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        @event.listens_for(engine.sync_engine, "begin")
        def _begin(conn):  # pragma: no cover - trivial
            # IMMEDIATE: take the write lock at the start, so two writers queue on busy_timeout
            # instead of one failing at its first write with "database is locked". Straight to
            # the sqlite3 connection when it runs inline: this runs for every transaction.
            inline = getattr(conn.connection.dbapi_connection, "_connection", None)
            if isinstance(inline, InlineConnection) and inline._connection is not None:
                inline._connection.execute("BEGIN IMMEDIATE")
            else:
                conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def create_report_engine(url: str) -> AsyncEngine | None:
    """A second, read-only engine for the staff reports on a SQLite file, so that a report
    never holds the one connection the writers queue for: aiosqlite's own worker thread per
    connection (sqlite3 lets go of the GIL while a statement runs, so the event loop keeps
    answering other users), PRAGMA query_only, and one deferred transaction per session, which
    under WAL reads one snapshot without ever blocking the writer. None elsewhere (PostgreSQL's
    pool already gives each session its own connection; an in-memory database has no second
    connection)."""
    if not is_sqlite(url):
        return None
    database = make_url(url).database
    if not database or database == ":memory:" or "mode=memory" in url:
        return None
    engine = create_async_engine(url, pool_size=2, max_overflow=0, pool_timeout=120, hide_parameters=True,
                                 connect_args={"timeout": 30, "check_same_thread": False})

    @event.listens_for(engine.sync_engine, "connect")
    def _read_only(dbapi_conn, _record):  # pragma: no cover - trivial
        dbapi_conn.isolation_level = None  # SQLAlchemy emits BEGIN itself (see create_engine)
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA query_only=ON")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _begin(conn):  # pragma: no cover - trivial
        conn.exec_driver_sql("BEGIN")  # deferred: a read snapshot, no write lock

    return engine


def session_factory(engine: AsyncEngine) -> async_sessionmaker:
    from storage import rollups

    rollups.install()  # the reports' counts are kept by every session (storage.rollups)
    return async_sessionmaker(engine, expire_on_commit=False)


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url)
    return config


def upgrade(url: str, revision: str = "head") -> None:
    """Apply migrations (blocking; runs its own event loop)."""
    if is_sqlite(url):
        _ensure_sqlite_dir(url)
    command.upgrade(alembic_config(url), revision)


def is_postgres(session_or_engine) -> bool:
    bind = session_or_engine.get_bind() if hasattr(session_or_engine, "get_bind") else session_or_engine
    return bind.dialect.name == "postgresql"


def insert_ignoring_duplicates(session_or_engine, model):
    """INSERT … ON CONFLICT DO NOTHING for the database of a session or a (sync) engine."""
    if is_postgres(session_or_engine):
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(model).on_conflict_do_nothing()
