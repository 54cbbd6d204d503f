"""How updates come in under load. A batch-polling channel paces its fetches
(`ChannelRuntime.intake_room`): with nothing in progress it fetches at once; while several chats
still have a reply to send it waits for them, so what arrives meanwhile comes in one batch, but
never longer than `intake_max_wait`, so a stuck platform call does not stop the bot from taking
new messages. Webhook calls arriving together are stored in one transaction
(`store_together`), and each call returns only once its update is stored."""

from __future__ import annotations

import asyncio
import time

import pytest
from sqlalchemy import func, select

from bot.channels.runtime import ChannelRuntime, RuntimeOptions, StoredUpdate
from storage.models import InboxUpdate
from tests.test_runtime_workers import ListAdapter


class HeldAdapter(ListAdapter):
    """Platform calls wait until `release` is set, as a slow Bot API would make them."""

    def __init__(self):
        super().__init__([])
        self.release = asyncio.Event()
        self.sent = self.log

    def render(self, chat_id, reply):
        return [chat_id]

    async def call(self, call, timeout):
        await self.release.wait()
        self.sent.append(call)


def question(n: int, chat: str) -> StoredUpdate:
    return StoredUpdate(str(n), chat, {"user_id": chat, "text": "/trogiup", "chat_type": "private",
                                       "display_name": chat})


async def timed(runtime: ChannelRuntime) -> float:
    started = time.perf_counter()
    async with asyncio.timeout(2):
        await runtime.intake_room()
    return time.perf_counter() - started


async def test_polling_waits_for_busy_chats_but_never_longer_than_the_cap(demo):
    adapter = HeldAdapter()
    runtime = ChannelRuntime(demo, adapter, RuntimeOptions(intake_low_water=2, intake_max_wait=0.3, typing_delay=60))
    runtime.start()
    try:
        assert await timed(runtime) < 0.05  # nothing in progress: fetch at once

        await runtime.store([question(n, chat) for n, chat in enumerate(["a", "b", "c", "d"], 1)])
        waited = await timed(runtime)  # four chats wait for their reply, the platform hangs
        assert 0.25 <= waited < 1.0, waited

        async def release_soon():
            await asyncio.sleep(0.05)
            adapter.release.set()

        releaser = asyncio.create_task(release_soon())
        waited = await timed(runtime)  # the replies go out: intake goes on as soon as they did
        await releaser
        assert waited < 0.25, waited
        async with asyncio.timeout(5):
            while len(adapter.sent) < 4:
                await asyncio.sleep(0.01)
        assert sorted(adapter.sent) == ["a", "b", "c", "d"]
    finally:
        await runtime.stop()


async def test_webhook_calls_arriving_together_are_stored_in_one_transaction(demo):
    adapter = HeldAdapter()
    adapter.release.set()
    runtime = ChannelRuntime(demo, adapter, RuntimeOptions(typing_delay=60))
    stores: list[int] = []
    real_store = runtime.store

    async def counted(updates):
        stores.append(len(updates))
        await real_store(updates)

    runtime.store = counted
    try:
        chats = [f"c{n}" for n in range(10)]
        await asyncio.gather(*(runtime.store_together(question(n, chat)) for n, chat in enumerate(chats, 1)))
        assert stores == [10]  # one transaction for the ten calls
        async with demo.services.sessions() as session:  # each call returned after its row was stored
            assert await session.scalar(select(func.count()).select_from(InboxUpdate)) == 10
        async with asyncio.timeout(5):
            while len(adapter.sent) < 10:
                await asyncio.sleep(0.01)
        assert sorted(adapter.sent) == sorted(chats)
    finally:
        await runtime.stop()


async def test_when_the_store_fails_every_call_of_the_batch_is_told(demo):
    runtime = ChannelRuntime(demo, HeldAdapter(), RuntimeOptions(typing_delay=60))

    async def failing(updates):
        raise OSError("disk full")

    runtime.store = failing
    results = await asyncio.gather(*(runtime.store_together(question(n, f"c{n}")) for n in range(3)),
                                   return_exceptions=True)
    assert [type(r) for r in results] == [OSError] * 3
    with pytest.raises(OSError):  # and the next call starts a batch of its own
        await runtime.store_together(question(9, "c9"))
    await runtime.stop()
