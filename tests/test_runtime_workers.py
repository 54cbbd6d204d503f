"""The channel runtime with two workers on one PostgreSQL database, as two `chibot run --role web`
processes behind a load balancer would run: updates of one chat arrive at either worker, yet each
is handled once, in order per chat, and each reply is sent once (advisory lock per chat, rows
claimed with FOR UPDATE SKIP LOCKED). Also the SQLite single-worker path: a reply whose delivery
failed is sent after a restart."""

from __future__ import annotations

import asyncio
import itertools
from collections import defaultdict

import pytest
from sqlalchemy import func, select

from bot.app import build_app
from bot.channels.runtime import ChannelRuntime, RetryLater, RuntimeOptions, StoredUpdate
from storage.models import InboxUpdate, OutboxMessage, Source
from tests.conftest import make_settings

PG_ONLY = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
NAMES = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Khánh", "Lan", "Minh", "Nga", "Phúc", "Quân"]
CHATS = ["bithu", "bithu2", "phobithu"]  # three secretaries (tests/conftest.py `cells`)
SURNAME = {"bithu": "Hải", "bithu2": "Hòa", "phobithu": "Huệ"}  # bithu and phobithu share a cell


class ListAdapter:
    channel = "console"

    def __init__(self, log: list, fail_first: int = 0):
        self.log = log
        self.fail_first = fail_first

    def render(self, chat_id, reply):
        return [(chat_id, reply.text)]

    def is_upload(self, call) -> bool:
        return False

    async def call(self, call, timeout):
        if self.fail_first > 0:
            self.fail_first -= 1
            raise RetryLater("502")
        await asyncio.sleep(0.002)  # a platform round trip: lets the other worker interleave
        self.log.append(call)

    async def typing(self, chat_id):
        return None

    def acknowledge(self, update):
        return None

    def handled(self, incoming, replies):
        return None


def update(n: int, chat: str, name: str) -> StoredUpdate:
    text = f"/nguon Nguyễn Văn {name}; 05/03/1998; đoàn viên"
    return StoredUpdate(str(n), chat, {"user_id": chat, "text": text, "chat_type": "private",
                                       "display_name": chat})


async def settle(runtimes, seconds: float = 30) -> None:
    async with asyncio.timeout(seconds):
        while True:
            await asyncio.sleep(0.05)
            if all(r.idle for r in runtimes):
                await asyncio.sleep(0.2)
                if all(r.idle for r in runtimes):
                    return


@PG_ONLY
async def test_two_workers_keep_each_chat_in_order_and_send_each_reply_once(cells, database_url, clock):
    second = build_app(make_settings(database_url), clock=clock, with_kb=False)
    log: list = []
    options = RuntimeOptions(scan_interval=0.2, typing_delay=60, send_concurrency=2)
    workers = [ChannelRuntime(cells, ListAdapter(log), options), ChannelRuntime(second, ListAdapter(log), options)]
    try:
        for worker in workers:
            worker.start()
        numbers = itertools.count(1)
        sent: dict[str, list[str]] = defaultdict(list)
        for name in NAMES:  # each chat's updates alternate between the workers
            for index, chat in enumerate(CHATS):
                full = f"{name} {SURNAME[chat]}"
                sent[chat].append(full)
                await workers[(len(sent[chat]) + index) % 2].store([update(next(numbers), chat, full)])
        await settle(workers)
    finally:
        for worker in workers:
            await worker.stop()
        await second.close()

    delivered: dict[str, list[str]] = defaultdict(list)
    for chat, text in log:
        delivered[chat].append(text)
    for chat in CHATS:
        shown = [next(name for name in sent[chat] if f"Nguyễn Văn {name}" in text) for text in delivered[chat]]
        assert shown == sent[chat], f"{chat}: replies out of order or repeated"
    async with cells.services.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Source)) == len(NAMES) * len(CHATS)
        assert await session.scalar(select(func.count()).where(InboxUpdate.handled_at.is_(None))) == 0
        statuses = (await session.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status))).all()
    assert dict(statuses) == {"sent": len(NAMES) * len(CHATS)}


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
async def test_a_reply_not_delivered_is_sent_after_a_restart(cells, database_url, clock):
    """The platform fails every try of the first run; the reply stays pending, and the next run
    (a new process) delivers it once."""
    from bot.channels.runtime import RetryPolicy

    log: list = []
    quick = RetryPolicy(attempts=2, base_delay=0.01, redelivery_delay=0.01)
    first = ChannelRuntime(cells, ListAdapter(log, fail_first=10**6), RuntimeOptions(retry=quick, scan_interval=0.1))
    first.start()
    await first.store([update(1, "bithu", "Xuân")])
    await asyncio.sleep(0.5)
    await first.stop()
    assert log == []
    async with cells.services.sessions() as session:
        row = await session.scalar(select(OutboxMessage))
        assert row.status == "pending" and row.attempts >= 1 and row.error == "502"

    restarted = build_app(make_settings(database_url), clock=clock, with_kb=False)
    clock.advance(minutes=1)  # past the redelivery delay
    second = ChannelRuntime(restarted, ListAdapter(log), RuntimeOptions(scan_interval=0.1))
    try:
        second.start()
        await settle([second], 10)
    finally:
        await second.stop()
        await restarted.close()
    assert [text for _, text in log if "Nguyễn Văn Xuân" in text] and len(log) == 1
