"""The scheduler service: APScheduler runs the jobs at start and at every interval; on one
PostgreSQL database a second scheduler stays idle behind the advisory lock and takes over when the
first dies; and even two schedulers acting at once queue nothing twice."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import date

import pytest
from scheduler_support import add_user, local, outbox
from test_pipeline_support import insert_source

from bot.app import build_app
from scheduler.jobs import run_jobs
from scheduler.service import Scheduler
from tests.conftest import make_settings

PG_ONLY = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)


async def seed(app) -> None:
    await add_user(app, "canbo_xa", "Đỗ Văn Xã", "staff", "DEMO-X1")
    for i, name in enumerate(["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"]):
        await insert_source(app, name, date(1990 + i, 1, 1), org=("DEMO-CB1", "DEMO-CB2", "DEMO-CB3")[i])
    await insert_source(app, "Phạm Thị Cúc", date(1995, 4, 4), stage="probationary", admission=date(2025, 6, 2))


async def test_the_service_runs_the_jobs_at_start_and_every_interval(cells, clock):
    await seed(cells)
    clock.set(local(1, 12, 2026, 8))
    service = Scheduler(cells, interval=0.2)
    task = asyncio.create_task(service.serve())
    try:
        async with asyncio.timeout(20):
            while not await outbox(cells, "evaluation_reminder"):
                await asyncio.sleep(0.05)
            first = len(await outbox(cells))
            clock.set(local(16, 12, 2026, 8))  # the next ticks find the late cells
            while not await outbox(cells, "evaluation_late"):
                await asyncio.sleep(0.05)
            runs = service.runs
            while service.runs < runs + 3:
                await asyncio.sleep(0.05)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    keys = Counter(r.dedup_key for r in await outbox(cells))
    assert first >= 3 and max(keys.values()) == 1


@PG_ONLY
async def test_a_second_scheduler_stays_idle_and_takes_over_when_the_first_dies(cells, database_url, clock):
    await seed(cells)
    clock.set(local(1, 12, 2026, 8))
    other = build_app(make_settings(database_url), clock=clock, with_kb=False)
    first, second = Scheduler(cells, interval=60), Scheduler(other, interval=60)
    try:
        results = await asyncio.gather(first.tick(), second.tick())
        assert results[1] is None and results[0] > 0, "the second finds the lock taken and stays idle"
        assert await second.tick() is None and await first.tick() == 0
        # The first dies: its connection (and with it the lock) is gone.
        await first._lock.invalidate()
        first._lock = None
        clock.set(local(16, 12, 2026, 8))
        assert await second.tick() > 0, "the second takes over at its next tick"
        assert await first.tick() is None, "and the first, back, now waits"
    finally:
        await second.release()
        await first.release()
        await other.close()
    keys = Counter(r.dedup_key for r in await outbox(cells))
    assert keys and max(keys.values()) == 1


@PG_ONLY
async def test_two_schedulers_acting_at_once_queue_each_message_once(cells, database_url, clock):
    await seed(cells)
    apps = [cells] + [build_app(make_settings(database_url), clock=clock, with_kb=False) for _ in range(3)]
    try:
        for moment in (local(1, 12, 2026, 8), local(12, 12, 2026, 8), local(24, 12, 2026, 9)):
            clock.set(moment)
            # No lock: four runs at the same moment on one database.
            await asyncio.gather(*(run_jobs(a.services.sessions, a.settings, moment) for a in apps))
    finally:
        for app in apps[1:]:
            await app.close()
    rows = await outbox(cells)
    keys = Counter(r.dedup_key for r in rows)
    assert max(keys.values()) == 1
    kinds = Counter(r.kind for r in rows)
    assert kinds["evaluation_reminder"] == 2 * 3  # r1 and r2 to bithu, phobithu (CB1) and bithu2 (CB2)
    assert kinds["evaluation_late"] == 1  # canbo_xa, for DEMO-CB1 and DEMO-CB2
