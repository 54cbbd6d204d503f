"""The crash test of tests/test_crash.py on the Zalo channel: `chibot run` (a subprocess, SQLite
file) serving Zalo through the real client is killed with SIGKILL at random moments during a
burst of one-line `/nguon` reports from several chats, restarted each time, then left to finish.

Webhook (the fake POSTs each update until it is answered 200, flat or wrapped): nothing may be
lost. Long polling: Zalo's getUpdates has no offset, reading an update removes it, so an update
whose answer had reached the process but was not yet committed when it was killed is gone for
good — the bound is at most one lost update per kill (one update is read at a time and stored
before the next is asked for), and a lost one must be one the fake handed out. In both modes:
nothing stored twice, every stored report confirmed, at most one duplicate message per kill,
the database intact. The seed is printed; set CHIBOT_CRASH_SEED to replay a run.
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
    wait_until,
    zalo_env,
)
from fake_zalo import FakeZalo

CHATS = [str(7_300_000_000_000_000_001 + i) for i in range(5)]
REPORTS = 60
KILLS = 5


def message(fake: FakeZalo, chat: str, text: str) -> dict:
    return fake.text_update(chat, text, name=f"Bí Thư Chi Bộ {'ABCDE'[CHATS.index(chat)]}")


@pytest.mark.parametrize("mode", ["polling", "webhook"])
@guard(150)
async def test_sigkill_during_a_burst_on_zalo(mode, sqlite_url, tmp_path):
    seed_value = int(os.environ.get("CHIBOT_CRASH_SEED") or random.randrange(1_000_000))
    print(f"zalo crash test ({mode}): seed {seed_value}")
    rng = random.Random(seed_value)
    webhook = mode == "webhook"
    fake = await FakeZalo(webhook_delivery=webhook, wrapped=rng.random() < 0.5, retry_delay=0.1,
                          max_deliveries=400).start()
    env = zalo_env(sqlite_url, fake, webhook_port=free_port() if webhook else None)
    run = ChibotRun(tmp_path, env)
    reports = [(CHATS[i % len(CHATS)], name, birth) for i, (name, birth) in enumerate(people(REPORTS, offset=200))]
    try:
        code = await seed(tmp_path, env, uses=len(CHATS))
        kills = await burst_with_kills(fake, run, webhook, rng, code, CHATS, reports, message, KILLS)
        await wait_until(lambda: run.running, 1, "chibot run still serving", run)
    finally:
        await run.terminate()
        await fake.stop()

    outcome = burst_outcome(sqlite_url.split("///", 1)[1], fake, reports)
    lost, twice, duplicates, integrity = (outcome[k] for k in ("lost", "twice", "duplicates", "integrity"))
    handed = {u["message"].get("text", "") for u in fake.handed_out}
    lost_unread = [name for name in lost if not any(mentions(text, name) for text in handed)]
    unanswered = [name for name, n in outcome["confirmations"].items() if n == 0 and name in outcome["stored"]]
    summary = (f"zalo {mode}, seed {seed_value}: {kills} kills, {len(reports)} reports; {len(lost)} lost "
               f"(read by a killed process, the API keeps no copy), {len(twice)} stored twice, "
               f"{len(unanswered)} stored but never confirmed, {duplicates} duplicate confirmations (bound: {kills}); "
               f"integrity {integrity}; {len(fake.dropped)} updates dropped by the fake")
    print(summary)
    problems = []
    if webhook and lost:
        problems.append(f"reports lost with the webhook: {lost[:5]}")
    if len(lost) > kills:
        problems.append(f"{len(lost)} reports lost, more than one per kill: {lost[:5]}")
    if lost_unread:
        problems.append(f"reports lost that the API never handed out: {lost_unread[:5]}")
    if twice:
        problems.append(f"reports stored more than once: {dict(list(twice.items())[:5])}")
    if unanswered:
        problems.append(f"confirmations never delivered: {unanswered[:5]}")
    if duplicates > kills:
        problems.append(f"{duplicates} duplicate confirmations exceed one per crash ({kills})")
    if integrity != "ok":
        problems.append(f"PRAGMA integrity_check: {integrity}")
    assert not problems, summary + "\n" + "\n".join(problems) + "\n--- chibot output (tail) ---\n" + run.tail(15)
