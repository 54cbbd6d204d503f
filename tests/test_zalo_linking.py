"""One person on two apps (/lienket): a one-time code (hashed, 10 minutes, limited against
guessing) links a Zalo account to the user registered on Telegram; reminders and broadcasts go
to the app the user chose (`usecases.linking.delivery_identity`); an app can be unlinked.

The conversation tests go through the core as the channels do; the last test runs both real
channels in one process (bot.runner.serve_channels) against the fake Telegram and Zalo servers."""

from __future__ import annotations

import asyncio
import re
from contextlib import asynccontextmanager, suppress

import pytest
from sqlalchemy import select

import bot.channels.telegram  # noqa: F401 - imported at collection, not inside a timed test
from bot.app import build_app
from bot.channels.runtime import enqueue, outbox_values
from bot.runner import serve_channels
from conftest import make_settings
from domain import texts
from fake_telegram import TOKEN as TG_TOKEN, FakeTelegram
from fake_zalo import TOKEN as ZALO_TOKEN, FakeZalo
from handlers.types import Reply
from storage import invites, orgs
from storage.demo import seed_demo
from storage.models import AuditLog, ChatIdentity, LinkCode, User
from usecases.broadcasts import SUBTREE, create_broadcast
from usecases.linking import delivery_identity
from usecases.uow import Actor, UnitOfWork

TG, ZALO = "5550001", "7351988213664211821"


async def invite(app) -> str:
    async with app.services.sessions() as session:
        async with session.begin():
            org = await orgs.by_code(session, "DEMO-CB1")
            code, _ = await invites.create_invite(session, org, "secretary", now=app.services.now())
    return code


def code_in(text: str) -> str:
    match = re.search(r"/lienket ([A-Z0-9]{8})", text)
    assert match, text
    return match[1]


async def user_of(app, channel: str, external_id: str) -> User | None:
    async with app.services.sessions() as session:
        return await session.scalar(
            select(User).join(ChatIdentity).where(ChatIdentity.channel == channel, ChatIdentity.external_id == external_id)
        )


async def where_to(app, user_id: int) -> tuple[str, str] | None:
    async with app.services.sessions() as session:
        identity = await delivery_identity(session, user_id)
    return (identity.channel, identity.chat_id) if identity else None


@pytest.fixture
async def pair(demo, chat_as):
    """A secretary registered on Telegram, and a Zalo account not registered yet."""
    telegram = chat_as(TG, channel="telegram")
    assert "Đã đăng ký" in await telegram.say(f"/start {await invite(demo)}")
    return telegram, chat_as(ZALO, channel="zalo")


async def test_lienket_links_zalo_to_the_telegram_user_and_the_preferred_app_decides(demo, pair):
    telegram, zalo = pair
    user = await user_of(demo, "telegram", TG)
    assert await where_to(demo, user.id) == ("telegram", TG)

    offered = await telegram.say("/lienket")
    code = code_in(offered)
    assert "Telegram" in offered and "10" not in code
    async with demo.services.sessions() as session:
        [row] = (await session.scalars(select(LinkCode))).all()
    assert row.code_hash == invites.hash_code("L" + code) and code not in row.code_hash, "stored hashed"

    linked = await zalo.say(f"/lienket {code.lower()}")
    assert linked.startswith("Đã liên kết") and "Chi bộ" in linked
    assert (await user_of(demo, "zalo", ZALO)).id == user.id, "both accounts are one user"
    assert "Đã đăng ký" not in await zalo.say("/dsnguon"), "the Zalo account acts as the secretary"
    assert await where_to(demo, user.id) == ("zalo", ZALO), "no choice yet: the newest app"

    status = await zalo.say("/lienket")
    assert "Telegram, Zalo" in status and texts.LINK_PREFERRED.format(app="Zalo") in status
    assert [c.label for c in zalo.choices][0] == texts.LINK_PREFER_LABEL.format(app="Telegram")
    chosen = await zalo.say("nhan nhac viec qua telegram")  # the option's text, typed
    assert chosen.startswith(texts.LINK_PREFERRED_SET.format(app="Telegram"))
    assert await where_to(demo, user.id) == ("telegram", TG)

    async with demo.services.sessions() as session:
        async with session.begin():
            identity = await session.scalar(select(ChatIdentity).where(ChatIdentity.channel == "telegram"))
            identity.blocked = True
    assert await where_to(demo, user.id) == ("zalo", ZALO), "the preferred app blocked the bot: the other one"

    assert "đã dùng" in await zalo.say(f"/lienket {code}"), "the code works once"
    actions = await _audit_actions(demo)
    assert {"identity.link_code", "identity.link", "user.preferred_channel"} <= actions


async def _audit_actions(app) -> set[str]:
    async with app.services.sessions() as session:
        return set(await session.scalars(select(AuditLog.action)))


async def test_unlink_keeps_the_other_app_and_never_the_last(demo, pair):
    telegram, zalo = pair
    await zalo.say(f"/lienket {code_in(await telegram.say('/lienket'))}")
    user = await user_of(demo, "telegram", TG)
    await telegram.say("/lienket")
    labels = [c.label for c in telegram.choices if c.value]
    number = str(labels.index(texts.LINK_UNLINK_LABEL.format(app="Zalo")) + 1)
    assert "Đã hủy liên kết tài khoản Zalo" in await telegram.say(number)
    assert await user_of(demo, "zalo", ZALO) is None
    assert await where_to(demo, user.id) == ("telegram", TG)
    await telegram.say("/lienket")
    assert not telegram.choices, "the last app cannot be unlinked"
    assert texts.LINK_LAST_IDENTITY in await telegram.press("lk:unlink:telegram")
    assert (await user_of(demo, "telegram", TG)).id == user.id


async def test_codes_expire_are_guessing_limited_and_are_for_the_other_app(demo, pair, chat_as, clock):
    telegram, zalo = pair
    code = code_in(await telegram.say("/lienket"))
    assert texts.LINK_SAME_APP.format(app="Telegram") in await chat_as("5550002", channel="telegram").say(f"/lienket {code}")
    clock.advance(minutes=11)
    assert texts.LINK_EXPIRED in await zalo.say(f"/lienket {code}")

    code = code_in(await telegram.say("/lienket"))
    for left in (4, 3, 2, 1):
        assert texts.LINK_BAD_CODE.format(left=left) in await zalo.say("/lienket ABCDEFGH")
    assert "sai mã 5 lần" in await zalo.say("/lienket ZZZZZZZZ")
    assert "sai mã 5 lần" in await zalo.say(f"/lienket {code}"), "locked: even the right code waits"
    clock.advance(minutes=61)
    assert texts.LINK_EXPIRED in await zalo.say(f"/lienket {code}")
    fresh = code_in(await telegram.say("/lienket"))
    assert (await zalo.say(f"/lienket {fresh}")).startswith("Đã liên kết")

    other = chat_as("5550003", channel="telegram")
    await other.say(f"/start {await invite(demo)}")
    again = code_in(await other.say("/lienket"))
    assert texts.LINK_ALREADY_OTHER.format(app="Zalo") in await zalo.say(f"/lienket {again}")
    third = code_in(await telegram.say("/lienket"))
    assert texts.LINK_HAS_APP.format(app="Zalo") in await chat_as("999", channel="zalo").say(f"/lienket {third}")


async def test_lienket_needs_a_registered_user_and_a_private_chat(demo, chat_as):
    assert texts.NOT_REGISTERED in await chat_as("1", channel="zalo").say("/lienket")
    group = chat_as(TG, channel="telegram", chat_type="group", chat_id="-100")
    assert texts.PRIVATE_ONLY in await group.say("/lienket")


# --- both channels in one process ---------------------------------------------------------------
@asynccontextmanager
async def serving(app):
    task = asyncio.create_task(serve_channels(app))
    await asyncio.sleep(0.2)
    if task.done():
        task.result()  # a start-up error
    try:
        yield task
    finally:
        task.cancel()
        with suppress(asyncio.CancelledError):
            await task


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_one_process_serves_both_apps_and_a_reminder_and_a_broadcast_reach_the_chosen_one(database_url, clock):
    tg, zl = await FakeTelegram().start(), await FakeZalo().start()
    settings = make_settings(database_url, telegram_token=TG_TOKEN, telegram_api_base=tg.base_url,
                             zalo_token=ZALO_TOKEN, zalo_api_base=zl.base_url)
    app = build_app(settings, clock=clock, with_kb=False)
    try:
        async with app.services.sessions() as session:
            async with session.begin():
                await seed_demo(session, app.services.now())
        code = await invite(app)
        async with asyncio.timeout(60), serving(app):
            tg.push(tg.message_update(int(TG), f"/start {code}"))
            await tg.wait_for("sendMessage", chat_id=TG, timeout=15)
            tg.push(tg.message_update(int(TG), "/lienket"))
            [_, offered] = await tg.wait_for("sendMessage", 2, chat_id=TG)
            zl.push(zl.text_update(ZALO, f"/lienket {code_in(offered['text'])}"))
            [linked] = await zl.wait_for("sendMessage", chat_id=ZALO)
            assert linked["text"].startswith("Đã liên kết")

            user = await user_of(app, "telegram", TG)
            zl.push(zl.text_update(ZALO, "/lienket"))
            [_, status] = await zl.wait_for("sendMessage", 2, chat_id=ZALO)
            assert "1. Nhận nhắc việc qua Telegram" in status["text"], "Zalo is the newest: Telegram offered"
            zl.push(zl.text_update(ZALO, "1"))
            await zl.wait_for("sendMessage", 3, chat_id=ZALO)
            zl.push(zl.text_update(ZALO, "/lienket"))
            await zl.wait_for("sendMessage", 4, chat_id=ZALO)
            zl.push(zl.text_update(ZALO, "nhận nhắc việc qua zalo"))
            await zl.wait_for("sendMessage", 5, chat_id=ZALO)
            assert zl.texts(ZALO)[-1].startswith(texts.LINK_PREFERRED_SET.format(app="Zalo"))

            # A reminder for the user, queued as the scheduler and broadcasts do.
            async with app.services.sessions() as session:
                async with session.begin():
                    identity = await delivery_identity(session, user.id)
                    await enqueue(session, outbox_values(identity.channel, identity.chat_id,
                                                         [Reply("Nhắc việc: đánh giá quý IV/2026")],
                                                         app.services.now(), kind="reminder", user_id=user.id))
            await zl.wait_for("sendMessage", 6, chat_id=ZALO, timeout=15)
            assert zl.texts(ZALO)[-1] == "Nhắc việc: đánh giá quý IV/2026"

            # A broadcast to the cell's secretaries (what /thongbao and `chibot broadcast` queue).
            async with app.services.sessions() as session:
                async with session.begin():
                    uow = UnitOfWork(session, Actor.cli(), app.services.now, settings.tz)
                    cell = await orgs.by_code(session, "DEMO-CB1")
                    queued = await create_broadcast(uow, settings, org=cell, mode=SUBTREE,
                                                    text="Họp bí thư chi bộ lúc 8 giờ ngày 15/12/2026")
            assert queued.broadcast.recipients == 2  # the demo's console secretary and this user
            await zl.wait_for("sendMessage", 7, chat_id=ZALO, timeout=15)
            await asyncio.sleep(0.5)
        assert "Họp bí thư chi bộ lúc 8 giờ ngày 15/12/2026" in zl.texts(ZALO)[-1]
        assert not any("Họp bí thư chi bộ" in t for t in tg.texts(int(TG))), "only the chosen app gets it"
        assert "Nhắc việc: đánh giá quý IV/2026" not in tg.texts(int(TG)), "only the chosen app gets it"
        assert zl.texts(ZALO).count("Nhắc việc: đánh giá quý IV/2026") == 1
    finally:
        await app.close()
        await tg.stop()
        await zl.stop()
