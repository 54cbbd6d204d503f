from datetime import timedelta

from sqlalchemy import func, select

from storage.housekeeping import sweep
from storage.models import DialogState, FailedCodeAttempt, InboxUpdate


async def count(session, model) -> int:
    return await session.scalar(select(func.count()).select_from(model))


async def test_sweep_deletes_only_what_no_longer_matters(demo, chat_as, clock):
    chat = chat_as("bithu")
    await chat.send("/trogiup", update_id="1")
    await chat.send("/nguon", update_id="2")  # leaves a dialog open
    await chat_as("guess").say("/start WRONGCOD")
    clock.advance(days=8)
    await chat_as("canbo").send("/trogiup", update_id="3")  # recent: must stay
    async with demo.services.sessions() as session:
        async with session.begin():
            result = await sweep(session, clock() + timedelta(seconds=1))
        assert (result.updates, result.dialogs, result.attempts) == (2, 1, 1)
        assert await count(session, InboxUpdate) == 1
        assert await count(session, DialogState) == 0
        assert await count(session, FailedCodeAttempt) == 0
    # A recent update id is still recognised as processed.
    assert await chat_as("canbo").send("/trogiup", update_id="3") == []


async def test_sweeper_cancelled_mid_sweep_lets_the_transaction_finish(demo):
    """Shutdown during a sweep waits for its transaction instead of abandoning the query."""
    import asyncio

    from storage.housekeeping import sweep_forever

    finished = []

    def clock():
        finished.append("clock read")
        return demo.services.now()

    task = asyncio.create_task(sweep_forever(demo.services.sessions, clock, interval=3600))
    await asyncio.sleep(0)  # the sweep has started
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        pass
    assert finished == ["clock read"], "the sweep ran to the end before the task stopped"
    async with demo.services.sessions() as session:  # and the connection pool is still usable
        assert await count(session, InboxUpdate) == 0
