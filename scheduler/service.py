"""The scheduler process part (`chibot run --role scheduler|all`): APScheduler 3 runs the jobs
(scheduler/jobs.py) at start and every CHIBOT_SCHEDULER_INTERVAL seconds, plus the hourly
housekeeping sweep.

Only one scheduler acts at a time. On PostgreSQL it holds a session-level advisory lock on a
connection of its own: a second scheduler finds the lock taken, stays idle and tries again at
every tick; when the first one dies its connection closes, the lock is released and the second
takes over at its next tick. (Even two acting at once would queue nothing twice: every message
has a unique dedup key. The lock saves the duplicate work.) SQLite is one machine: no lock.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from scheduler.jobs import run_jobs
from storage.db import is_postgres
from storage.housekeeping import SWEEP_INTERVAL_SECONDS, sweep

log = logging.getLogger(__name__)

LOCK_KEY = 0x43484942  # "CHIB": the advisory lock id of the acting scheduler
_TRY_LOCK = text("SELECT pg_try_advisory_lock(:key)")


class Scheduler:
    def __init__(self, app, *, interval: float | None = None):
        self.app = app
        self.settings = app.settings
        self.sessions = app.services.sessions
        self.now = app.services.now
        self.interval = interval if interval is not None else self.settings.scheduler_interval
        self.pg = is_postgres(app.engine.sync_engine)
        self._lock: AsyncConnection | None = None
        self.runs = 0  # job runs made while acting (for tests and logs)

    # --- the advisory lock ---------------------------------------------------------------------
    async def acting(self) -> bool:
        """True when this scheduler may act: SQLite, or it holds (or just took) the lock."""
        if not self.pg:
            return True
        if self._lock is not None:
            try:
                await self._lock.execute(text("SELECT 1"))
                return True
            except Exception:  # the connection died: the lock went with it
                log.warning("scheduler: lost the database connection holding the lock")
                await self._drop_lock()
        connection = await self.app.engine.connect()
        try:
            taken = (await connection.execute(_TRY_LOCK, {"key": LOCK_KEY})).scalar()
            await connection.commit()  # the lock is session-level: it outlives the transaction
        except Exception:
            await connection.close()
            raise
        if not taken:
            await connection.close()
            return False
        self._lock = connection
        log.info("scheduler: acting (holds the scheduler lock)")
        return True

    async def _drop_lock(self) -> None:
        if self._lock is not None:
            lock, self._lock = self._lock, None
            try:
                await lock.invalidate()
            except Exception:  # already gone
                pass

    async def release(self) -> None:
        if self._lock is not None:
            lock, self._lock = self._lock, None
            try:
                await lock.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": LOCK_KEY})
                await lock.commit()
            finally:
                await lock.close()

    # --- ticks -----------------------------------------------------------------------------
    async def tick(self) -> int | None:
        """One run of the jobs if this scheduler acts; None when it stays idle."""
        try:
            if not await self.acting():
                return None
            added = await run_jobs(self.sessions, self.settings, self.now())
            self.runs += 1
            return added
        except asyncio.CancelledError:  # the process stops: a run cut short, not a failure
            log.info("scheduler: stopped during a run; it is made again at the next start")
            return None
        except Exception:
            log.exception("scheduler: a run failed; trying again at the next tick")
            return None

    async def housekeeping(self) -> None:
        try:
            if not await self.acting():
                return
            async with self.sessions() as session:
                async with session.begin():
                    result = await sweep(session, self.now())
            log.info("housekeeping: %s", result)
        except asyncio.CancelledError:  # the process stops (APScheduler would log a traceback)
            return
        except Exception:
            log.exception("housekeeping failed; retrying at the next interval")

    async def serve(self) -> None:
        """Run until cancelled: the jobs at start and every `interval`, housekeeping hourly."""
        logging.getLogger("apscheduler").setLevel(logging.WARNING)  # not a line per tick
        aps = AsyncIOScheduler(timezone=UTC)
        start = datetime.now(UTC)
        aps.add_job(self.tick, "interval", seconds=self.interval, next_run_time=start, id="jobs",
                    max_instances=1, coalesce=True, misfire_grace_time=None)
        aps.add_job(self.housekeeping, "interval", seconds=SWEEP_INTERVAL_SECONDS, next_run_time=start,
                    id="housekeeping", max_instances=1, coalesce=True, misfire_grace_time=None)
        aps.start()
        try:
            await asyncio.Event().wait()
        finally:
            aps.shutdown(wait=False)
            await self.release()
