"""Messages the bot sends on its own (reminders, announcements, broadcasts): to whom, when, once.

- **Recipient.** A message to a user goes to one chat identity, chosen in ONE place:
  `delivery_identity` (the app the user chose with /lienket, else the other one that did not block
  the bot). A user without one is "not linked", or "blocked" when every identity blocked the bot.
- **When.** Nothing goes out in the quiet hours (CHIBOT_QUIET_HOURS, local time): a message due
  then gets `send_after` = the end of the quiet hours (`release_time`).
- **Once.** Every message carries a unique dedup key; it is inserted ignoring a duplicate key,
  so a job that runs twice (or two schedulers) queues it once (`enqueue_once`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.channels.runtime import outbox_values
from handlers.types import Choice, Reply
from storage.clock import to_local
from storage.db import insert_ignoring_duplicates
from storage.models import ChatIdentity, OutboxMessage
from usecases import linking

LINKED, NOT_LINKED, BLOCKED = "linked", "not_linked", "blocked"


async def delivery_identity(session: AsyncSession, user_id: int) -> ChatIdentity | None:
    """THE choice of the chat identity a user's messages go to (every sender of scheduled
    messages and broadcasts goes through here): the app the user chose with /lienket, else the
    other one that has not blocked the bot (usecases.linking)."""
    return await linking.delivery_identity(session, user_id)


@dataclass(frozen=True)
class Recipient:
    user_id: int
    status: str  # linked | not_linked | blocked
    channel: str | None = None
    chat_id: str | None = None


async def recipient(session: AsyncSession, user_id: int) -> Recipient:
    identity = await delivery_identity(session, user_id)
    if identity is not None:
        return Recipient(user_id, LINKED, identity.channel, identity.chat_id)
    blocked = await session.scalar(
        select(ChatIdentity.id).where(ChatIdentity.user_id == user_id, ChatIdentity.blocked.is_(True)).limit(1)
    )
    return Recipient(user_id, BLOCKED if blocked is not None else NOT_LINKED)


def release_time(now: datetime, settings) -> datetime:
    """When a message due at `now` (naive UTC) may go out: `now`, or the end of the quiet
    hours when `now` falls in them (naive UTC)."""
    quiet = settings.quiet
    if quiet is None:
        return now
    start, end = quiet
    local = to_local(now, settings.tz)
    clock = local.time().replace(tzinfo=None)
    if start < end:  # e.g. 12:00-13:30, within one day
        inside = start <= clock < end
        end_day = local.date()
    else:  # e.g. 21:00-07:00, over midnight
        inside = clock >= start or clock < end
        end_day = local.date() + timedelta(days=1) if clock >= start else local.date()
    if not inside:
        return now
    release = datetime.combine(end_day, end, tzinfo=settings.tz)
    return release.astimezone(UTC).replace(tzinfo=None)


def local_moment(day, hour: int, settings) -> datetime:
    """`hour`:00 local time on `day`, as naive UTC."""
    moment = datetime.combine(day, time(hour), tzinfo=settings.tz)
    return moment.astimezone(UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class Notice:
    """One message a job wants to send: the `schedule due` row and the outbox row."""

    kind: str
    user_id: int
    org_id: int | None
    org_code: str | None
    channel: str
    chat_id: str
    dedup_key: str
    send_after: datetime  # naive UTC
    text: str
    choices: tuple[Choice, ...] = ()

    def outbox_row(self, now: datetime) -> dict[str, Any]:
        [row] = outbox_values(self.channel, self.chat_id, [Reply(self.text, self.choices)], now,
                              kind=self.kind, user_id=self.user_id)
        row.update(dedup_key=self.dedup_key, send_after=self.send_after, org_id=self.org_id)
        return row

    def as_json(self, settings) -> dict[str, Any]:
        return {
            "kind": self.kind, "user": self.user_id, "org": self.org_code, "channel": self.channel,
            "dedup_key": self.dedup_key,
            "send_after": to_local(self.send_after, settings.tz).isoformat(timespec="minutes"),
            "text": self.text,
        }


async def notice_for(session: AsyncSession, settings, now: datetime, *, kind: str, user_id: int,
                     org, dedup_key: str, text: str, choices: tuple[Choice, ...] = (),
                     due: datetime | None = None) -> Notice | None:
    """The notice to `user_id`, or None when the user has no usable chat identity (such a
    message waits: its key is not used, so it goes out once the user links an account)."""
    target = await recipient(session, user_id)
    if target.status != LINKED:
        return None
    moment = max(now, due) if due is not None else now
    return Notice(kind, user_id, org.id if org is not None else None, org.code if org is not None else None,
                  target.channel, target.chat_id, dedup_key, release_time(moment, settings), text, choices)


async def enqueue_once(session: AsyncSession, notices: list[Notice], now: datetime) -> int:
    """Queue the notices in the caller's transaction, each at most once ever (by dedup key);
    returns how many were new."""
    if not notices:
        return 0
    statement = insert_ignoring_duplicates(session, OutboxMessage)
    added = 0
    for notice in notices:
        result = await session.execute(statement.values(**notice.outbox_row(now)))
        added += result.rowcount or 0
    return added


async def known_keys(session: AsyncSession, keys: list[str]) -> set[str]:
    """Which of `keys` are already in the outbox (to skip work, not for correctness)."""
    found: set[str] = set()
    for start in range(0, len(keys), 500):
        chunk = keys[start:start + 500]
        found.update(await session.scalars(select(OutboxMessage.dedup_key).where(OutboxMessage.dedup_key.in_(chunk))))
    return found
