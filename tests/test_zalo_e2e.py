"""End to end over HTTP on 127.0.0.1: the real Zalo client of the real channel against a fake
Zalo Bot API server (tests/fake_zalo.py: one update per getUpdates, 408 when idle, string ids,
errors with HTTP 200), in long-polling and in webhook mode (flat and wrapped bodies).

Every test is wrapped in a timeout so a hang fails instead of blocking CI. Timeouts and backoff
are shortened through ZaloOptions; the behaviour is the production code's.
"""

from __future__ import annotations

import asyncio
import re
from contextlib import asynccontextmanager, suppress
from dataclasses import replace

import aiohttp
import pytest
from sqlalchemy import func, select

from bot.channels.runtime import RetryPolicy
from bot.channels.zalo import ZaloChannel, ZaloOptions
from bot.settings import SettingsError
from chibot_process import free_port, guard
from domain import texts
from fake_zalo import TOKEN, Fail, FakeZalo
from storage import invites, orgs
from storage.models import ChatIdentity, InboxUpdate, QuarterlyEvaluation, Source

SECRET = "zalo-webhook_secret-for-tests"
SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
USER = "7351988213664211821"  # Zalo ids are strings of digits


def guest_help() -> str:
    from handlers import build_router
    from handlers.onboarding import help_text

    return help_text(build_router(), None)


@pytest.fixture
async def fake():
    server = await FakeZalo().start()
    yield server
    await server.stop()


def options(fake: FakeZalo, **overrides) -> ZaloOptions:
    base = ZaloOptions(
        token=TOKEN, api_base=fake.base_url, host="127.0.0.1", port=0, polling_timeout=1,
        polling_min_delay=0.05, polling_max_delay=0.5,
        retry=RetryPolicy(attempts=5, base_delay=0.05, max_delay=0.5, request_timeout=1.0, upload_timeout=2.0),
        typing_delay=0.3, typing_interval=0.3, shutdown_grace=2.0,
    )
    return replace(base, **overrides)


def webhook_options(port: int) -> dict:
    return {"webhook_url": f"http://127.0.0.1:{port}", "webhook_secret": SECRET, "port": port}


@asynccontextmanager
async def running(app, fake: FakeZalo, **overrides):
    channel = ZaloChannel(app, options(fake, **overrides))
    task = asyncio.create_task(channel.serve())
    ready = asyncio.create_task(channel.ready.wait())
    await asyncio.wait({task, ready}, timeout=10, return_when=asyncio.FIRST_COMPLETED)
    if task.done():
        task.result()
    assert channel.ready.is_set(), "channel did not start"
    if not channel.options.webhook_url:
        await fake.wait_polling()
    try:
        yield channel
    finally:
        task.cancel()
        with suppress(asyncio.CancelledError):
            await task


async def make_invite(app, org_code: str = "DEMO-CB1", role: str = "secretary") -> str:
    async with app.services.sessions() as session:
        async with session.begin():
            org = await orgs.by_code(session, org_code)
            code, _ = await invites.create_invite(session, org, role, now=app.services.now())
    return code


async def say(fake: FakeZalo, text: str, user: str = USER, **kwargs) -> str:
    """Send `text`; wait for the next message to `user` and return all new texts joined."""
    before = len(fake.texts(user))
    fake.push(fake.text_update(user, text, **kwargs))
    await fake.wait_for("sendMessage", before + 1, chat_id=user)
    await asyncio.sleep(0.05)  # a reply in several parts: the rest follows at once
    return "\n".join(fake.texts(user)[before:])


def number_of(text: str, label: str) -> str:
    """The number in front of `label` in a numbered list ("3. Chọn xong")."""
    match = re.search(rf"^(\d+)\. {re.escape(label)}$", text, re.M)
    assert match, f"no option {label!r} in:\n{text}"
    return match[1]


async def register(app, fake: FakeZalo, user: str = USER) -> str:
    code = await make_invite(app)
    return await say(fake, f"/start {code}", user)


# --- conversations over polling -------------------------------------------------------------------
@guard(60)
async def test_registration_guided_nguon_by_numbers_one_line_nguon_and_evaluation(demo, fake):
    """On SQLite and PostgreSQL: /start CODE registers the Zalo account; a guided /nguon answered
    with numbers (and an option typed as text); a one-line /nguon without diacritics; a
    /danhgia round answered by typing the options' text."""
    async with running(demo, fake):
        linked = await register(demo, fake)
        assert "Đã đăng ký" in linked and "Nguyễn Văn An" in linked
        async with demo.services.sessions() as session:
            identity = await session.scalar(select(ChatIdentity).where(ChatIdentity.channel == "zalo"))
        assert identity.external_id == USER and identity.chat_id == USER

        assert "bước 1/4" in (await say(fake, "/nguon")).lower()
        await say(fake, "Trần Thị Bích")
        groups = await say(fake, "15/03/1998")
        assert "1. " + texts.CATEGORY_NAMES["doan_vien"] in groups and texts.ZALO_CHOOSE_HINT in groups
        assert "<" not in groups and "*" not in groups, "no markup on Zalo"
        toggled = await say(fake, number_of(groups, texts.CATEGORY_NAMES["doan_vien"]))
        await say(fake, "khu vuc nong thon")  # the option's text, without diacritics
        note = await say(fake, number_of(toggled, texts.LABEL_DONE))
        done = await say(fake, number_of(note, texts.LABEL_SKIP))
        assert done.startswith("✅") and "Trần Thị Bích" in done and "15/03/1998" in done

        one_line = await say(fake, "/nguon Le Van Nam; 01/02/1995; sinh vien")
        assert one_line.startswith("✅") and "Le Van Nam" in one_line and "học sinh, sinh viên" in one_line

        first = await say(fake, "/danhgia")
        assert "(1/2)" in first and "1. Tốt" in first
        comment = await say(fake, "tot")  # "Tốt" typed without diacritics picks it
        assert "Mức tốt" in comment or "Mức Tốt" in comment
        second = await say(fake, "tích cực, gương mẫu")
        assert "✅" in second and "(2/2)" in second
        await say(fake, "kha")
        finished = await say(fake, number_of(fake.texts(USER)[-1], texts.LABEL_SKIP))
        assert "Đã xong lượt đánh giá" in finished

    async with demo.services.sessions() as session:
        sources = {s.full_name: s for s in (await session.scalars(select(Source))).all()}
        levels = sorted((await session.scalars(select(QuarterlyEvaluation.level))).all())
    assert set(sources) == {"Trần Thị Bích", "Le Van Nam"}
    assert sorted(c.category for c in sources["Trần Thị Bích"].categories) == ["doan_vien", "nong_thon"]
    assert levels == ["kha", "tot"]


@SQLITE_ONLY
@guard(30)
async def test_knowledge_base_question_help_and_media(demo, fake, kb):
    demo.services.kb = kb
    async with running(demo, fake):
        await register(demo, fake)
        answer = await say(fake, "thoi gian du bi bao lau")
        assert "12 tháng" in answer and "Nguồn: Điều lệ Đảng" in answer
        assert re.search(r"^1\. ", answer, re.M), "related entries as a numbered list"
        related = await say(fake, "1")
        assert related and related != answer

        help_text = await say(fake, "/trogiup")
        assert "/nguon Họ tên; dd/mm/yyyy; nhóm" in help_text and "/lienket" in help_text

        fake.push(fake.media_update(USER))
        fake.push(fake.media_update(USER, "message.sticker.received"))
        await fake.wait_for("sendMessage", len(fake.texts(USER)) + 2, chat_id=USER)
        assert fake.texts(USER)[-2:] == [texts.ZALO_MEDIA, texts.ZALO_MEDIA]


# --- webhook --------------------------------------------------------------------------------------
@pytest.mark.parametrize("wrapped", [False, True], ids=["flat", "wrapped"])
@guard(40)
async def test_webhook_flat_and_wrapped_bodies_and_a_wrong_secret(demo, wrapped):
    """On SQLite and PostgreSQL: Zalo POSTs each update to /zalo/webhook; registration and a
    one-line /nguon go through; a call with a wrong or missing secret gets 401 and nothing is
    stored; a redelivered message is handled once."""
    fake = await FakeZalo(webhook_delivery=True, wrapped=wrapped).start()
    port = free_port()
    try:
        async with running(demo, fake, **webhook_options(port)):
            assert fake.webhook == {"url": f"http://127.0.0.1:{port}/zalo/webhook", "secret_token": SECRET}
            assert fake.poll_requests == 0
            assert "Đã đăng ký" in await register(demo, fake)
            update = fake.text_update(USER, "/nguon Pham Thi Hoa; 02/03/1996; tri thuc")
            fake.push(update)
            await fake.wait_for("sendMessage", 2, chat_id=USER)
            photo = fake.media_update(USER)
            fake.push(photo)
            await fake.wait_for("sendMessage", 3, chat_id=USER)

            url = f"http://127.0.0.1:{port}/zalo/webhook"
            intruder = fake.text_update("999", "/nguon Kẻ Lạ; 01/01/1990; trí thức")
            async with aiohttp.ClientSession() as http:
                for headers in ({}, {"X-Bot-Api-Secret-Token": "wrong-secret-123"}):
                    async with http.post(url, json=intruder, headers=headers) as response:
                        assert response.status == 401
                for again in (update, photo):  # redeliveries: acknowledged, not handled again
                    async with http.post(url, json=again, headers={"X-Bot-Api-Secret-Token": SECRET}) as response:
                        assert response.status == 200
            await asyncio.sleep(0.5)
    finally:
        await fake.stop()
    assert len(fake.texts(USER)) == 3 and fake.texts(USER)[1].startswith("✅")
    assert fake.texts(USER)[2] == texts.ZALO_MEDIA
    assert fake.texts("999") == []
    async with demo.services.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(InboxUpdate).where(InboxUpdate.chat_id == "999")) == 0
        assert list(await session.scalars(select(Source.full_name))) == ["Pham Thi Hoa"]


@SQLITE_ONLY
@guard(20)
async def test_webhook_mode_requires_a_secret_of_8_characters(demo, fake):
    with pytest.raises(SettingsError, match="CHIBOT_WEBHOOK_SECRET"):
        ZaloChannel(demo, options(fake, webhook_url="https://chibot.example.org"))
    with pytest.raises(SettingsError, match="8-256"):
        ZaloChannel(demo, options(fake, webhook_url="https://chibot.example.org", webhook_secret="short"))


# --- robustness -----------------------------------------------------------------------------------
@SQLITE_ONLY
@pytest.mark.parametrize(
    "failure", [Fail.too_many(1), Fail.too_many_page(), Fail.bad_gateway(), Fail.hang(2.5)],
    ids=["429-json", "429-html", "502", "hang-past-timeout"],
)
@guard(30)
async def test_every_reply_is_delivered_once_despite_failures(demo, fake, failure):
    async with running(demo, fake):
        fake.fail("sendMessage", failure)
        started = asyncio.get_running_loop().time()
        fake.push(fake.text_update(USER, "/trogiup"))
        fake.push(fake.text_update(USER, "/huy"))
        await fake.wait_for("sendMessage", 2, chat_id=USER)
        await asyncio.sleep(0.5)  # nothing more arrives later
        elapsed = asyncio.get_running_loop().time() - started
    assert fake.texts(USER) == [guest_help(), texts.NOTHING_TO_CANCEL]
    failed = [a for a in fake.attempts if a.method == "sendMessage" and a.outcome != "ok"]
    assert len(failed) == 1, "the failed attempt was retried, not dropped"
    if failure.kind == "json429":
        assert elapsed >= 1.0, "retry_after was honoured"


@SQLITE_ONLY
@guard(30)
async def test_polling_survives_get_updates_failures(demo, fake):
    async with running(demo, fake):
        fake.fail("getUpdates", Fail.bad_gateway(), Fail.too_many_page(), Fail.too_many(1), Fail.hang(2.2))
        fake.push(fake.text_update(USER, "/trogiup"))
        await fake.wait_for("sendMessage", chat_id=USER, timeout=15)
    assert fake.texts(USER) == [guest_help()]


@SQLITE_ONLY
@guard(30)
async def test_a_user_who_blocked_the_bot_is_marked_and_unmarked_when_back(demo, fake):
    async with running(demo, fake):
        await register(demo, fake)
        fake.fail("sendMessage", Fail.blocked())
        fake.push(fake.text_update(USER, "/trogiup"))

        async def blocked() -> bool:
            async with demo.services.sessions() as session:
                return await session.scalar(select(ChatIdentity.blocked).where(ChatIdentity.external_id == USER))

        for _ in range(100):
            if await blocked():
                break
            await asyncio.sleep(0.05)
        assert await blocked()
        await say(fake, "/huy")
        assert not await blocked()
    assert sum(1 for a in fake.attempts if a.outcome == "blocked") == 1


@SQLITE_ONLY
@guard(30)
async def test_a_reply_longer_than_2000_characters_arrives_in_pieces_in_order(demo, fake):
    lines = [f"{i:03d}. Quần chúng Nguyễn Văn {i} — chi bộ thôn Vĩnh Thạnh" for i in range(150)]
    router = demo.conversation.router
    from handlers.types import Choice, Reply

    @router.command("dai", group_ok=False)
    async def long_reply(ctx, args):
        await asyncio.sleep(0.8)  # slow: the chat sees "typing…"
        return Reply("\n".join(lines), (Choice("Tiếp theo", "pl.next"), Choice("Xem hướng dẫn", "", url="https://x.vn/h")))

    try:
        async with running(demo, fake):
            fake.push(fake.text_update(USER, "/dai"))
            await fake.wait_for("sendMessage", 4, chat_id=USER)
            await asyncio.sleep(0.3)
    finally:
        del router.commands["dai"]
    messages = fake.texts(USER)
    assert len(messages) >= 4 and all(len(m) <= 2000 for m in messages)
    assert "\n".join(messages) == "\n".join(lines) + "\n\n" + "\n".join(
        ["1. Tiếp theo", "Xem hướng dẫn: https://x.vn/h", texts.ZALO_CHOOSE_HINT])
    [action, *_] = fake.of("sendChatAction", chat_id=USER)
    assert action["action"] == "typing" and action.at < fake.of("sendMessage", chat_id=USER)[0].at


# --- start-up -------------------------------------------------------------------------------------
@SQLITE_ONLY
@guard(20)
async def test_a_rejected_token_is_a_clear_start_up_error_without_the_token(demo, fake):
    channel = ZaloChannel(demo, options(fake, token="1234:not-the-right-token-xyz"))
    with pytest.raises(SettingsError) as error:
        await channel.serve()
    assert "CHIBOT_ZALO_TOKEN" in str(error.value) and "rejected" in str(error.value)
    assert "not-the-right-token" not in str(error.value)


@SQLITE_ONLY
@guard(30)
async def test_group_chat_answers_help_refuses_personal_commands_and_ignores_media(demo, fake):
    group = "g-8812736450"
    async with running(demo, fake):
        await register(demo, fake)
        fake.push(fake.text_update(USER, "@bot.chibot /trogiup", chat_id=group, group=True))
        await fake.wait_for("sendMessage", chat_id=group)
        fake.push(fake.media_update(USER) | {"message": {**fake.media_update(USER)["message"],
                                                          "chat": {"id": group, "chat_type": "GROUP"}}})
        fake.push(fake.text_update(USER, "/dsnguon", chat_id=group, group=True))
        await fake.wait_for("sendMessage", 2, chat_id=group)
        await asyncio.sleep(0.3)
    help_in_group, refused = fake.texts(group)
    assert help_in_group == texts.HELP_GROUP
    assert refused.startswith(texts.PRIVATE_ONLY) and "t.me" not in refused, "no Telegram link on Zalo"
