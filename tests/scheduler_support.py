"""Helpers for the scheduler, class and broadcast tests: local times, staff users, running the
jobs and delivering the outbox through the real channel runtime (to a list, on the console
channel the test users are linked on)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.channels.runtime import ChannelRuntime, RuntimeOptions
from scheduler.jobs import run_jobs
from storage.models import ChatIdentity, OrgUnit, OutboxMessage, User

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def local(day: int, month: int, year: int, hour: int = 8, minute: int = 0) -> datetime:
    """A local (Asia/Ho_Chi_Minh) moment as the naive UTC the clock and the database use."""
    return datetime(year, month, day, hour, minute, tzinfo=TZ).astimezone(UTC).replace(tzinfo=None)


async def add_user(app, login: str, name: str, role: str, org: str, *, channel: str = "console") -> int:
    async with app.services.sessions() as session:
        async with session.begin():
            unit = await session.scalar(select(OrgUnit).where(OrgUnit.code == org))
            user = User(name=name, role=role, org_id=unit.id, active=True, created_at=app.services.now())
            session.add(user)
            await session.flush()
            if channel:
                session.add(ChatIdentity(user_id=user.id, channel=channel, external_id=login, chat_id=login,
                                         blocked=False, linked_at=app.services.now()))
            return user.id


async def run(app) -> int:
    return await run_jobs(app.services.sessions, app.settings, app.services.now())


async def outbox(app, kind: str | None = None) -> list[OutboxMessage]:
    async with app.services.sessions() as session:
        query = select(OutboxMessage).where(OutboxMessage.kind != "reply").order_by(OutboxMessage.id)
        if kind is not None:
            query = query.where(OutboxMessage.kind == kind)
        return list(await session.scalars(query))


class ListAdapter:
    """A console 'platform' that records what reaches each chat."""

    channel = "console"

    def __init__(self):
        self.sent: list[tuple[str, str]] = []

    def render(self, chat_id, reply):
        return [(chat_id, reply.text)]

    def is_upload(self, call) -> bool:
        return False

    async def call(self, call, timeout):
        self.sent.append(call)

    async def typing(self, chat_id):
        return None

    def acknowledge(self, update):
        return None

    def handled(self, incoming, replies):
        return None

    def to(self, chat: str) -> list[str]:
        return [text for chat_id, text in self.sent if chat_id == chat]


async def deliver(app, adapter: ListAdapter) -> ListAdapter:
    """One pass of the real sender over the outbox at the app's (fake) time: what is due is
    sent (bulk pacing shortened), what waits for the end of the quiet hours stays."""
    runtime = ChannelRuntime(app, adapter, RuntimeOptions(send_rate=1000, bulk_chat_interval=0.0,
                                                          scan_interval=3600))
    await runtime.scan()
    async with asyncio.timeout(30):
        while not runtime.idle:
            await asyncio.sleep(0.01)
    await runtime.stop()
    return adapter
