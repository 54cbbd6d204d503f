"""Two secretaries of one cell add the same 40 people at the same moment, through the real
Telegram client (`chibot run` as a subprocess against the fake Bot API on 127.0.0.1), on SQLite
and on PostgreSQL: each person is stored once, and for each person one secretary gets the
confirmation and the other the duplicate message.
"""

from __future__ import annotations

from sqlalchemy import text

from chibot_process import ChibotRun, guard, mentions, people, seed, started, telegram_env, wait_until
from domain import texts
from fake_telegram import FakeTelegram
from storage.db import create_engine

SECRETARIES = {6_200_001: "Một", 6_200_002: "Hai"}
PEOPLE = people(40, offset=200)
# The fixed words of the duplicate message, between the birth date and the code.
DUPLICATE_MARK = texts.NGUON_DUPLICATE.split("{birth}", 1)[1].split("{", 1)[0].split("(")[0].strip()


def says_duplicate(message: str, name: str) -> bool:
    return mentions(message, name) and DUPLICATE_MARK in message


async def stored_counts(url: str) -> dict[str, int]:
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            rows = await conn.execute(text("SELECT full_name, COUNT(*) FROM sources GROUP BY full_name"))
            return {name: count for name, count in rows}
    finally:
        await engine.dispose()


@guard(120)
async def test_two_secretaries_adding_the_same_40_people_at_once_store_each_once(database_url, tmp_path):
    assert DUPLICATE_MARK, "the duplicate message's fixed words"
    fake = await FakeTelegram().start()
    run = ChibotRun(tmp_path, telegram_env(database_url, fake))
    try:
        code = await seed(tmp_path, run.env, org="DEMO-CB1", uses=len(SECRETARIES))
        await started(fake, run, webhook=False)
        for chat, label in SECRETARIES.items():
            fake.push(fake.message_update(chat, f"/start {code}", first_name="Bí Thư", last_name=label))
        for chat in SECRETARIES:
            await fake.wait_for("sendMessage", 1, timeout=30, chat_id=chat)

        # The same moment: each person's two reports arrive together, in one getUpdates batch
        # (chats are handled in parallel); the next person once both were answered.
        for index, (name, birth) in enumerate(PEOPLE, start=2):
            for chat, label in SECRETARIES.items():
                fake.push(fake.message_update(chat, f"/nguon {name}; {birth}; đoàn viên",
                                              first_name="Bí Thư", last_name=label))
            await wait_until(lambda: all(len(fake.texts(chat)) >= index for chat in SECRETARIES),
                             20, f"both replies about {name}", run, step=0.005)
    finally:
        await run.terminate()
        await fake.stop()

    stored = await stored_counts(database_url)
    twice = {name: n for name, n in stored.items() if n > 1}
    missing = [name for name, _ in PEOPLE if name not in stored]
    replies = {chat: fake.texts(chat)[1:] for chat in SECRETARIES}
    outcomes = {}  # name -> (chats told it was recorded, chats told it already exists)
    for name, _ in PEOPLE:
        told = [(chat, m) for chat in SECRETARIES for m in replies[chat] if mentions(m, name)]
        recorded = {chat for chat, m in told if not says_duplicate(m, name)}
        refused = {chat for chat, m in told if says_duplicate(m, name)}
        outcomes[name] = (len(recorded), len(refused))
        if recorded & refused:
            outcomes[name] = ("one chat told both", sorted(recorded & refused))
    wrong = {name: o for name, o in outcomes.items() if o != (1, 1)}
    assert not twice and not missing and len(stored) == len(PEOPLE) and not wrong, (
        f"{len(stored)} people stored, {sum(stored.values())} rows; {len(twice)} stored more than once "
        f"(e.g. {dict(list(twice.items())[:3])}); {len(missing)} not stored; {len(wrong)} people without "
        f"one secretary confirmed and the other told it is a duplicate (chats confirmed, chats told duplicate): "
        f"{dict(list(wrong.items())[:3])}"
    )
