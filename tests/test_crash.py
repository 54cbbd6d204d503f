"""Crash test through the real Telegram client: `chibot run` (a subprocess, SQLite file) is
killed with SIGKILL at random moments during a burst of one-line `/nguon` reports from several
chats, restarted each time, and finally left to finish. Nothing may be lost: every report is
stored exactly once, every confirmation reaches its chat, at most one duplicate message per
crash (the Bot API has no idempotency key), and the database file is intact.

Long polling (the fake keeps updates until the bot confirms them with a later offset) and
webhook (the fake POSTs each update until it is answered 200), as Telegram does.
The seed is printed; set CHIBOT_CRASH_SEED to replay a run.
"""

from __future__ import annotations

import asyncio
import os
import random
import sqlite3
import time

import pytest

from chibot_process import (
    ChibotRun,
    free_port,
    guard,
    mentions,
    people,
    seed,
    started,
    telegram_env,
    wait_until,
)
from fake_telegram import FakeTelegram

CHATS = [6_100_001 + i for i in range(5)]
REPORTS = 60  # one-line /nguon updates, spread over the chats
KILLS = 5


def message(fake: FakeTelegram, chat: int, text: str) -> dict:
    """From the secretary of `chat`, whose own name is none of the reported people's."""
    return fake.message_update(chat, text, first_name="Bí Thư", last_name=f"Chi Bộ {'ABCDE'[CHATS.index(chat)]}")


def sqlite_path(url: str) -> str:
    return url.split("///", 1)[1]


@pytest.mark.parametrize("mode", ["polling", "webhook"])
@guard(150)
async def test_sigkill_during_a_burst_loses_no_update_and_no_reply(mode, sqlite_url, tmp_path):
    seed_value = int(os.environ.get("CHIBOT_CRASH_SEED") or random.randrange(1_000_000))
    print(f"crash test ({mode}): seed {seed_value}")
    rng = random.Random(seed_value)
    webhook = mode == "webhook"
    fake = await FakeTelegram(webhook_delivery=webhook, retry_delay=0.1, max_deliveries=400).start()
    env = telegram_env(sqlite_url, fake, webhook_port=free_port() if webhook else None)
    run = ChibotRun(tmp_path, env)
    reports = [(CHATS[i % len(CHATS)], name, birth) for i, (name, birth) in enumerate(people(REPORTS))]
    kills = 0
    try:
        code = await seed(tmp_path, env, uses=len(CHATS))
        await started(fake, run, webhook)
        for chat in CHATS:
            fake.push(message(fake, chat, f"/start {code}"))
        for chat in CHATS:
            await fake.wait_for("sendMessage", 1, timeout=30, chat_id=chat)

        # The burst, in slices: each slice is pushed while the bot runs, and the bot is killed at a
        # random point of handling it (after a random number of its replies, plus a random delay
        # of a few milliseconds), so some of its updates are done and some are in flight. Updates
        # pushed after the kill wait for the restart; the last slice goes to the final start.
        cuts = sorted(rng.sample(range(1, len(reports)), KILLS))
        slices = [reports[a:b] for a, b in zip([0, *cuts], [*cuts, len(reports)])]

        async def push(part) -> None:
            for chat, name, birth in part:
                fake.push(message(fake, chat, f"/nguon {name}; {birth}; đoàn viên"))
                await asyncio.sleep(rng.uniform(0.002, 0.03))

        for part in slices[:-1]:
            replies = len(fake.of("sendMessage"))
            target = replies + rng.randint(0, max(0, len(part) - 2))
            pushing = asyncio.create_task(push(part))
            deadline = time.monotonic() + 5
            while len(fake.of("sendMessage")) < target and time.monotonic() < deadline:
                await asyncio.sleep(0.002)
            await asyncio.sleep(rng.uniform(0.0, 0.05))
            run.kill()
            kills += 1
            await pushing
            await started(fake, run, webhook)
        await push(slices[-1])

        # The last start: let it handle everything (bounded), then stop it cleanly.
        def settled() -> bool:
            return all(any(mentions(t, name) for t in fake.texts(chat)) for chat, name, _ in reports) \
                and not fake.pending
        deadline = time.monotonic() + 20
        quiet_since, sent = time.monotonic(), len(fake.calls)
        while not settled() and time.monotonic() < deadline and run.running:
            await asyncio.sleep(0.1)
            if len(fake.calls) != sent or fake.pending:
                quiet_since, sent = time.monotonic(), len(fake.calls)
            elif time.monotonic() - quiet_since > 5:
                break  # everything delivered was handled and nothing moves: what is missing is lost
        await asyncio.sleep(0.5)  # a duplicate in flight would show now
    finally:
        await run.terminate()
        await fake.stop()

    with sqlite3.connect(sqlite_path(sqlite_url)) as db:
        stored = dict(db.execute("SELECT full_name, COUNT(*) FROM sources GROUP BY full_name").fetchall())
        integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
    confirmations = {name: sum(mentions(t, name) for t in fake.texts(chat)) for chat, name, _ in reports}
    lost = [name for _, name, _ in reports if name not in stored]
    twice = {name: n for name, n in stored.items() if n > 1}
    unanswered = [name for name, n in confirmations.items() if n == 0]
    duplicates = sum(n - 1 for n in confirmations.values() if n > 1)
    summary = (f"{mode}, seed {seed_value}: {kills} kills, {len(reports)} reports; rows for {len(stored)} names; "
               f"{len(lost)} reports lost, {len(twice)} stored twice, {len(unanswered)} never confirmed, "
               f"{duplicates} duplicate confirmations (bound: {kills}); integrity {integrity}; "
               f"{len(fake.dropped)} updates dropped by the fake")
    repeated = [t for chat, name, _ in reports if confirmations[name] > 1 for t in fake.texts(chat) if mentions(t, name)]
    if repeated:
        summary += f"\nrepeated messages: {repeated[:4]}"
    print(summary)
    problems = []
    if lost:
        problems.append(f"reports not stored: {lost[:5]}")
    if twice:
        problems.append(f"reports stored more than once: {dict(list(twice.items())[:5])}")
    if unanswered:
        problems.append(f"confirmations never delivered: {unanswered[:5]}")
    if duplicates > kills:
        problems.append(f"{duplicates} duplicate confirmations exceed one per crash ({kills})")
    if integrity != "ok":
        problems.append(f"PRAGMA integrity_check: {integrity}")
    assert not problems, summary + "\n" + "\n".join(problems) + "\n--- chibot output (tail) ---\n" + run.tail(15)
