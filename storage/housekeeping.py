"""Deleting what no longer matters: old update ids, expired dialogs, stale wrong-code attempts.

Level-triggered like the scheduler: each sweep deletes whatever is old at that moment, so a
missed sweep is caught up by the next and running it twice does nothing more.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.invites import FAILURE_WINDOW
from storage.models import DialogState, FailedCodeAttempt, InboxUpdate

log = logging.getLogger(__name__)

# Telegram redelivers an unconfirmed update for at most 24 hours; a week is a wide margin.
UPDATE_ID_RETENTION = timedelta(days=7)
SWEEP_INTERVAL_SECONDS = 3600


@dataclass(frozen=True)
class SweepResult:
    updates: int
    dialogs: int
    attempts: int


async def sweep(session: AsyncSession, now: datetime) -> SweepResult:
    updates = await session.execute(
        delete(InboxUpdate).where(InboxUpdate.handled_at.is_not(None),
                                  InboxUpdate.received_at < now - UPDATE_ID_RETENTION)
    )
    dialogs = await session.execute(delete(DialogState).where(DialogState.expires_at < now))
    attempts = await session.execute(
        delete(FailedCodeAttempt).where(FailedCodeAttempt.at < now - FAILURE_WINDOW)
    )
    return SweepResult(updates.rowcount, dialogs.rowcount, attempts.rowcount)


async def sweep_forever(sessions: async_sessionmaker, clock, interval: float = SWEEP_INTERVAL_SECONDS) -> None:
    """Sweep at start and then every `interval` seconds; errors are logged, never fatal.

    On shutdown a sweep in progress is allowed to finish its transaction (it takes
    milliseconds): cancelling a query mid-flight would leave the database driver's thread
    answering an event loop that is already closed."""

    async def once() -> None:
        async with sessions() as session:
            async with session.begin():
                result = await sweep(session, clock())
        log.info("housekeeping: %s", result)

    while True:
        work = asyncio.ensure_future(once())
        try:
            await asyncio.shield(work)
        except asyncio.CancelledError:
            await asyncio.gather(work, return_exceptions=True)
            raise
        except Exception:
            log.exception("housekeeping failed; retrying at the next interval")
        await asyncio.sleep(interval)
