"""A broadcast to 500 secretaries through the real Telegram client: `chibot broadcast` queues it,
`chibot run` (a subprocess, SQLite file) sends it to the fake Bot API and is killed with SIGKILL
while sending, twice, and restarted. Every recipient gets the message; none more than once plus
the runtime's duplicate bound (at most one message per crash with CHIBOT_SEND_CONCURRENCY=1).
The seed is printed; CHIBOT_CRASH_SEED replays a run."""

from __future__ import annotations

import asyncio
import os
import random
import sqlite3
from collections import Counter

from chibot_process import ChibotRun, cli, guard, started, telegram_env, wait_until
from fake_telegram import FakeTelegram

RECIPIENTS = 500
KILLS = 2
FIRST_CHAT = 7_200_000


def add_secretaries(path: str, count: int) -> list[int]:
    """Secretaries of DEMO-CB1 linked on Telegram (rows written directly: this is setup)."""
    chats = [FIRST_CHAT + i for i in range(count)]
    with sqlite3.connect(path) as db:
        [org] = db.execute("SELECT id FROM org_units WHERE code = 'DEMO-CB1'").fetchone()
        for i, chat in enumerate(chats):
            cursor = db.execute("INSERT INTO users (name, role, org_id, active, created_at) "
                                "VALUES (?, 'secretary', ?, 1, '2026-11-01 00:00:00')", (f"Bí thư {i}", org))
            db.execute("INSERT INTO chat_identities (user_id, channel, external_id, chat_id, blocked, linked_at) "
                       "VALUES (?, 'telegram', ?, ?, 0, '2026-11-01 00:00:00')", (cursor.lastrowid, str(chat), str(chat)))
    return chats


@guard(420)
async def test_sigkill_while_broadcasting_to_500_loses_nothing(sqlite_url, tmp_path):
    seed_value = int(os.environ.get("CHIBOT_CRASH_SEED") or random.randrange(1_000_000))
    print(f"broadcast crash test: seed {seed_value}")
    rng = random.Random(seed_value)
    fake = await FakeTelegram().start()
    # Quiet hours off: the test runs on the real clock, whatever the hour.
    env = telegram_env(sqlite_url, fake) | {"CHIBOT_SEND_RATE": "200", "CHIBOT_QUIET_HOURS": ""}
    path = sqlite_url.split("///", 1)[1]
    run = ChibotRun(tmp_path, env, role="all")  # the scheduler too, as `make run` serves
    text = "Thông báo thử: họp bí thư chi bộ lúc 8 giờ ngày 15/12/2026"

    def delivered() -> Counter:
        return Counter(int(c["chat_id"]) for c in fake.of("sendMessage") if "họp bí thư" in (c.get("text") or ""))

    try:
        await cli(["demo"], tmp_path, env)
        chats = add_secretaries(path, RECIPIENTS)
        out = await cli(["broadcast", "--org", "DEMO", "--text", text], tmp_path, env)
        assert f"{RECIPIENTS + 1} tin" in out, out  # and bithu, on the console (not sent here)
        for _ in range(KILLS):
            target = sum(delivered().values()) + rng.randint(40, 160)
            await started(fake, run, webhook=False, timeout=120)  # a loaded machine starts slowly
            await wait_until(lambda: sum(delivered().values()) >= target, 60, f"{target} messages sent", run)
            await asyncio.sleep(rng.uniform(0.0, 0.05))
            run.kill()
        await started(fake, run, webhook=False, timeout=120)
        await wait_until(lambda: set(delivered()) >= set(chats), 90, "every recipient reached", run)
        await asyncio.sleep(1.0)  # a duplicate in flight would show now
    finally:
        await run.terminate()
        await fake.stop()

    counts = delivered()
    lost = [chat for chat in chats if counts[chat] == 0]
    duplicates = sum(n - 1 for n in counts.values() if n > 1)
    with sqlite3.connect(path) as db:
        statuses = dict(db.execute("SELECT status, COUNT(*) FROM outbox WHERE kind = 'broadcast' "
                                   "AND channel = 'telegram' GROUP BY status").fetchall())
    print(f"seed {seed_value}: {KILLS} kills, {RECIPIENTS} recipients, {len(lost)} lost, "
          f"{duplicates} duplicates (bound {KILLS}), rows {statuses}")
    assert not lost, f"never delivered: {lost[:5]}"
    assert duplicates <= KILLS, f"{duplicates} duplicates exceed one per crash"
    assert statuses == {"sent": RECIPIENTS}
