"""Latency and throughput of the conversation core (not part of the test run).

Seeds the demo tree, registers S secretaries on one cell each (a copy of DEMO-CB1's shape),
then has them work concurrently through the real `Conversation.handle`: add a source in one
line, list the cell's sources, evaluate, ask a question. Prints p50/p95/max latency per
message and messages per second. SQLite in a temporary file by default; --url for an empty,
migrated PostgreSQL database.

    .venv/bin/python benchmarks/conversation_latency.py [--secretaries 50] [--rounds 5] [--url URL]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.app import build_app  # noqa: E402
from bot.settings import Settings  # noqa: E402
from handlers.types import Incoming  # noqa: E402
from storage import invites, orgs  # noqa: E402
from storage.db import upgrade  # noqa: E402
from storage.demo import seed_demo  # noqa: E402
from usecases.orgs import import_orgs  # noqa: E402
from usecases.uow import Actor, UnitOfWork  # noqa: E402


async def run(url: str, secretaries: int, rounds: int) -> None:
    app = build_app(Settings(_env_file=None, database_url=url))
    sessions, now = app.services.sessions, app.services.now
    async with sessions() as session, session.begin():
        await seed_demo(session, now())
        rows = [{"code": f"B{i}", "parent_code": "DEMO-X1", "name": f"Chi bộ {i}", "kind": "cell",
                 "members": "20"} for i in range(secretaries)]
        await import_orgs(UnitOfWork(session, Actor.system("bench"), now), rows)
        codes = []
        for i in range(secretaries):
            code, _ = await invites.create_invite(session, await orgs.by_code(session, f"B{i}"),
                                                  "secretary", now=now())
            codes.append(code)

    latencies: list[float] = []

    async def say(user: str, text: str) -> None:
        start = time.perf_counter()
        replies = await app.conversation.handle(Incoming("console", user, user, text, display_name=user))
        latencies.append(time.perf_counter() - start)
        assert replies, text

    async def secretary(i: int) -> None:
        user = f"s{i}"
        await say(user, f"/start {codes[i]}")
        for r in range(rounds):
            await say(user, f"/nguon Nguyễn Văn Số {i} {r}; 0{1 + r % 9}/03/1998; đoàn viên")
            await say(user, "/dsnguon")
            await say(user, f"/danhgia Nguyễn Văn Số {i} {r}; tốt; tích cực")
            await say(user, "thời gian dự bị bao lâu")

    started = time.perf_counter()
    await asyncio.gather(*(secretary(i) for i in range(secretaries)))
    elapsed = time.perf_counter() - started
    await app.close()
    ms = sorted(x * 1000 for x in latencies)
    print(f"{url.split(':')[0]}: {secretaries} secretaries concurrently, {len(ms)} messages in {elapsed:.1f} s "
          f"= {len(ms) / elapsed:.0f} messages/s")
    print(f"  latency per message: p50 {statistics.median(ms):.1f} ms, "
          f"p95 {ms[int(0.95 * (len(ms) - 1))]:.1f} ms, max {ms[-1]:.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--secretaries", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--url", default="")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.url or f"sqlite+aiosqlite:///{tmp}/bench.sqlite3"
        upgrade(url)
        asyncio.run(run(url, args.secretaries, args.rounds))


if __name__ == "__main__":
    main()
