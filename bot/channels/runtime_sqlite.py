"""The runtime's own statements on SQLite, run straight on the sqlite3 connection.

Every update costs the runtime five statements of its own (store it in the inbox, take it,
mark it handled, write its replies to the outbox, record that they were sent) and two
transactions outside the conversation's. Through SQLAlchemy each statement costs about
0.1 ms of CPU (execution context, parameter processing, result object), on the sqlite3
connection a few microseconds; measured with benchmarks/hot_paths.py, the difference is a
large share of what an update costs in all. So on SQLite these few fixed statements go to the
driver directly, on the connection (and in the transaction) SQLAlchemy holds; PostgreSQL keeps
the SQLAlchemy statements of runtime.py, with their row locks.

The values are written exactly as SQLAlchemy's SQLite types write them (DateTime as
"YYYY-MM-DD HH:MM:SS.ffffff", JSON as text), so rows read back through the ORM are the same.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import Any

import orjson

from storage.prepared import driver  # noqa: F401 - the runtime's way to reach the driver

STORE = ("INSERT INTO inbox (channel, update_id, chat_id, payload, received_at, handled_at) "
         "VALUES (?, ?, ?, ?, ?, NULL) ON CONFLICT DO NOTHING")
NEXT_UPDATE = ("SELECT id, update_id, payload FROM inbox WHERE channel = ? AND chat_id = ? "
               "AND handled_at IS NULL ORDER BY id LIMIT 1")
MARK_HANDLED = "UPDATE inbox SET handled_at = ? WHERE id = ?"
ENQUEUE = ("INSERT INTO outbox (channel, chat_id, kind, payload, file_content, status, attempts, parts_sent, "
           "send_after, created_at, inbox_id, user_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
SENT = "UPDATE outbox SET status = 'sent', sent_at = ?, attempts = ?, parts_sent = ?, error = NULL WHERE id = ?"


def stamp(value: datetime | None) -> str | None:
    """A datetime as SQLAlchemy's SQLite DateTime stores it."""
    return None if value is None else value.isoformat(" ", "microseconds")


def json(value: Any) -> str:
    return orjson.dumps(value).decode()


def store(raw: sqlite3.Connection, rows: list[dict[str, Any]]) -> None:
    """The inbox rows, in a transaction of their own (the connection is idle: SQLAlchemy has
    not begun one on it)."""
    raw.execute("BEGIN IMMEDIATE")
    try:
        raw.executemany(STORE, [(r["channel"], r["update_id"], r["chat_id"], json(r["payload"]),
                                 stamp(r["received_at"])) for r in rows])
    except BaseException:
        raw.execute("ROLLBACK")
        raise
    raw.execute("COMMIT")


def next_update(raw: sqlite3.Connection, channel: str, chat_id: str) -> tuple[int, str, dict] | None:
    row = raw.execute(NEXT_UPDATE, (channel, chat_id)).fetchone()
    return None if row is None else (row[0], row[1], orjson.loads(row[2]))


def mark_handled(raw: sqlite3.Connection, row_id: int, now: datetime) -> None:
    raw.execute(MARK_HANDLED, (stamp(now), row_id))


def enqueue(raw: sqlite3.Connection, values: list[dict[str, Any]]) -> list[int]:
    """Outbox rows in the current transaction; their ids, in order."""
    ids = []
    for v in values:
        cursor = raw.execute(ENQUEUE, (
            v["channel"], v["chat_id"], v["kind"], json(v["payload"]), v["file_content"], v["status"],
            v["attempts"], v["parts_sent"], stamp(v["send_after"]), stamp(v["created_at"]), v["inbox_id"],
            v["user_id"]))
        ids.append(cursor.lastrowid)
    return ids


def sent(raw: sqlite3.Connection, row_id: int, now: datetime, attempts: int, parts: int) -> None:
    """Record a delivered message, in a transaction of its own."""
    raw.execute("BEGIN IMMEDIATE")
    try:
        raw.execute(SENT, (stamp(now), attempts, parts, row_id))
    except BaseException:
        raw.execute("ROLLBACK")
        raise
    raw.execute("COMMIT")
