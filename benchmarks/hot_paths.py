"""SQL statements and CPU per update on the hot paths, through the real channel runtime.

The runtime (inbox → conversation core → outbox → sender) runs in process with an adapter that
delivers to a list instead of a platform, so the figures are Chibot's own cost per update with
no HTTP: a question, a one-line report (/nguon …), a guided step (typed answer), a button
press, /tinhhinh. SQLite in a temporary file by default; --url for an empty migrated PostgreSQL
database. Not part of the test run.

    .venv/bin/python benchmarks/hot_paths.py [--users 20] [--rounds 10] [--url URL] [--show PATH]

--show PATH (e.g. --show /tinhhinh) also prints the statements of that path's last update.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event  # noqa: E402

from bot.app import build_app  # noqa: E402
from bot.channels import runtime_sqlite as fast  # noqa: E402
from bot.channels.runtime import ChannelRuntime, RuntimeOptions, StoredUpdate  # noqa: E402
from bot.settings import Settings  # noqa: E402
from storage import invites, orgs  # noqa: E402
from storage.db import upgrade  # noqa: E402
from storage.demo import seed_demo  # noqa: E402
from usecases.orgs import import_orgs  # noqa: E402
from usecases.uow import Actor, UnitOfWork  # noqa: E402


class ListAdapter:
    """Delivers to a list: what the runtime would send, without a platform."""

    channel = "bench"

    def __init__(self) -> None:
        self.sent: dict[str, list] = defaultdict(list)
        self.arrived: dict[str, asyncio.Event] = defaultdict(asyncio.Event)

    def render(self, chat_id, reply):
        return [(chat_id, reply)]

    def is_upload(self, call) -> bool:
        return False

    async def call(self, call, timeout):
        chat_id, reply = call
        self.sent[chat_id].append(reply)
        self.arrived[chat_id].set()

    async def typing(self, chat_id):
        return None

    def acknowledge(self, update):
        return None

    def handled(self, incoming, replies):
        return None


SYLLABLES = ("An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Khánh", "Lan", "Minh", "Nga", "Phúc", "Quân",
             "Sơn", "Tâm", "Uyên", "Vinh", "Xuân", "Yến")


def name_part(n: int) -> str:
    """A distinct name part for every number (names may not contain digits)."""
    parts = []
    while True:
        n, digit = divmod(n, len(SYLLABLES))
        parts.append(SYLLABLES[digit])
        if not n:
            return " ".join(parts)


async def run(url: str, users: int, rounds: int, show: str = "") -> None:
    app = build_app(Settings(_env_file=None, database_url=url))
    sessions, now = app.services.sessions, app.services.now
    async with sessions() as session, session.begin():
        await seed_demo(session, now())
        rows = [{"code": f"B{i}", "parent_code": "DEMO-X1", "name": f"Chi bộ {i}", "kind": "cell",
                 "members": "20"} for i in range(users)]
        await import_orgs(UnitOfWork(session, Actor.system("bench"), now), rows)
        codes = [(await invites.create_invite(session, await orgs.by_code(session, f"B{i}"), "secretary",
                                              now=now()))[0] for i in range(users)]
    adapter = ListAdapter()
    runtime = ChannelRuntime(app, adapter, RuntimeOptions(typing_delay=60, scan_interval=3600))
    counter = {"n": 0}
    seen: list[str] = []  # the statements of the update being measured

    async with app.engine.connect() as conn:
        raw = fast.driver(conn)
    if raw is not None:  # SQLite: every statement, also those the runtime sends straight to sqlite3
        def _trace(sql: str) -> None:
            if not sql.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")):
                counter["n"] += 1
                seen.append(sql)

        raw.set_trace_callback(_trace)
    else:
        @event.listens_for(app.engine.sync_engine, "before_cursor_execute")
        def _count(_conn, _cursor, sql, *_args):
            counter["n"] += 1
            seen.append(sql)

    update_ids = iter(range(1, 10**9))

    async def send(user: str, text: str = "", choice: str | None = None):
        """One update through the runtime; waits for its replies. Returns the last reply."""
        adapter.arrived[user].clear()
        before = len(adapter.sent[user])
        payload = {"user_id": user, "text": text, "chat_type": "private", "display_name": user}
        if choice is not None:
            payload["choice"] = choice
        await runtime.store([StoredUpdate(str(next(update_ids)), user, payload)])
        while len(adapter.sent[user]) == before:
            await asyncio.wait_for(adapter.arrived[user].wait(), 10)
            adapter.arrived[user].clear()
        while not runtime.idle:  # the outcome is recorded too
            await asyncio.sleep(0.001)
        return adapter.sent[user][-1]

    for i in range(users):
        await send(f"s{i}", f"/start {codes[i]}")

    measures: dict[str, list[tuple[int, float]]] = defaultdict(list)
    shown: list[str] = []

    async def measure(path: str, user: str, text: str = "", choice: str | None = None):
        seen.clear()
        statements, cpu = counter["n"], time.process_time()
        reply = await send(user, text, choice)
        measures[path].append((counter["n"] - statements, time.process_time() - cpu))
        if path == show:
            shown[:] = seen
        return reply

    for r in range(rounds):
        for i in range(users):
            user = f"s{i}"
            await measure("question", user, "thời gian dự bị bao lâu")
            await measure("one-line report", user, f"/nguon Nguyễn Văn {name_part(i * rounds + r)}; 0{1 + r % 9}/03/1998; đoàn viên")
            await measure("command starting a dialog", user, "/nguon")
            await measure("guided step (typed)", user, f"Trần Thị {name_part(i * rounds + r)}")
            reply = await measure("guided step (typed)", user, f"0{1 + r % 9}/04/1999")
            group = next(c.value for c in reply.choices if c.value.startswith("pl.cat"))
            await measure("button press", user, choice=group)
            await measure("/tinhhinh", user, "/tinhhinh")
            await send(user, "/huy")
    await runtime.stop()
    await app.close()
    print(f"{url.split(':')[0]}: {users} users × {rounds} rounds, through the channel runtime "
          "(inbox store, core, outbox, delivery, outcome)")
    print(f"  {'hot path':28} {'updates':>8} {'SQL/update':>11} {'CPU ms/update':>14}")
    for path, values in measures.items():
        statements = sum(v[0] for v in values) / len(values)
        cpu = sum(v[1] for v in values) / len(values) * 1000
        print(f"  {path:28} {len(values):8d} {statements:11.1f} {cpu:14.2f}")
    if show:
        print(f"\nStatements of the last {show!r} update:")
        for sql in shown:
            print("  " + " ".join(sql.split())[:300])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--url", default="")
    parser.add_argument("--show", default="", metavar="PATH", help="print the statements of this path's last update")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.url or f"sqlite+aiosqlite:///{tmp}/bench.sqlite3"
        upgrade(url)
        asyncio.run(run(url, args.users, args.rounds, args.show))


if __name__ == "__main__":
    main()
