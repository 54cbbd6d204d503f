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

import os
import random

import pytest

from chibot_process import (
    ChibotRun,
    burst_outcome,
    burst_with_kills,
    free_port,
    guard,
    mentions,
    people,
    seed,
    telegram_env,
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
# Six starts of `chibot run`. Fitting the knowledge base's classifier took 15-16 s a start under CI's
# load and overran 150 s (round 16); the starts now read it from the tests' cache (chibot_process
# KB_CACHE_DIR), and only the first start of a changed knowledge base fits it. Both modes: 132 s.
@guard(360)
async def test_sigkill_during_a_burst_loses_no_update_and_no_reply(mode, sqlite_url, tmp_path):
    seed_value = int(os.environ.get("CHIBOT_CRASH_SEED") or random.randrange(1_000_000))
    print(f"crash test ({mode}): seed {seed_value}")
    rng = random.Random(seed_value)
    webhook = mode == "webhook"
    # Telegram retries a webhook update for hours; 400 tries 0.1 s apart (about 40 s) was shorter than
    # five restarts on a loaded two-core CI machine, and the fake gave up on an update the bot had
    # never acknowledged (seed 307592). 3,000 tries is about five minutes.
    fake = await FakeTelegram(webhook_delivery=webhook, retry_delay=0.1, max_deliveries=3000).start()
    env = telegram_env(sqlite_url, fake, webhook_port=free_port() if webhook else None)
    run = ChibotRun(tmp_path, env)
    reports = [(CHATS[i % len(CHATS)], name, birth) for i, (name, birth) in enumerate(people(REPORTS))]
    try:
        code = await seed(tmp_path, env, uses=len(CHATS))
        kills = await burst_with_kills(fake, run, webhook, rng, code, CHATS, reports, message, KILLS)
    finally:
        await run.terminate()
        await fake.stop()

    outcome = burst_outcome(sqlite_path(sqlite_url), fake, reports)
    lost, twice, duplicates, integrity = (outcome[k] for k in ("lost", "twice", "duplicates", "integrity"))
    confirmations = outcome["confirmations"]
    unanswered = [name for name, n in confirmations.items() if n == 0]
    summary = (f"{mode}, seed {seed_value}: {kills} kills, {len(reports)} reports; rows for {len(outcome['stored'])} "
               f"names; {len(lost)} reports lost, {len(twice)} stored twice, {len(unanswered)} never confirmed, "
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
