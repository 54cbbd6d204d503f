"""End to end over HTTP on 127.0.0.1: the real aiogram client of the real channel against a
fake Bot API server (tests/fake_telegram.py), in long-polling and in webhook mode.

Every test is wrapped in a timeout so a hang fails instead of blocking CI. Timeouts and
backoff are shortened through TelegramOptions; the behaviour is the production code's.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from contextlib import asynccontextmanager, suppress
from dataclasses import replace

import aiohttp
import pytest
from aiogram.utils.backoff import BackoffConfig
from sqlalchemy import func, select

from bot.channels.telegram import TelegramChannel, TelegramOptions, fetch_username
from bot.channels.telegram_send import RetryPolicy
from bot.settings import SettingsError
from chibot_process import KB_CACHE_DIR, guard
from conftest import make_settings
from domain import texts
from fake_telegram import TOKEN, Fail, FakeTelegram
from handlers.types import Choice, OutFile, Reply
from storage import invites, orgs
from storage.models import AuditLog, ChatIdentity, OrgUnit, InboxUpdate, User

SECRET = "s3cret-token_for-tests"
SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
USER = 5550001


def guest_help() -> str:
    from handlers import build_router
    from handlers.onboarding import help_text

    return help_text(build_router(), None)



@pytest.fixture
async def fake():
    server = await FakeTelegram().start()
    yield server
    await server.stop()


def options(fake: FakeTelegram, **overrides) -> TelegramOptions:
    base = TelegramOptions(
        token=TOKEN,
        api_base=fake.base_url,
        host="127.0.0.1",
        port=0,
        polling_timeout=1,
        polling_backoff=BackoffConfig(min_delay=0.05, max_delay=0.5, factor=2, jitter=0.0),
        retry=RetryPolicy(attempts=5, base_delay=0.05, max_delay=0.5, request_timeout=1.0, upload_timeout=2.0),
        typing_delay=0.3,
        typing_interval=0.3,
        menu_rate=1000,
        shutdown_grace=2.0,
    )
    return replace(base, **overrides)


@asynccontextmanager
async def running(app, fake: FakeTelegram, **overrides):
    """The channel serving in the background; stopped (cancelled) at the end."""
    channel = TelegramChannel(app, options(fake, **overrides))
    task = asyncio.create_task(channel.serve())
    ready = asyncio.create_task(channel.ready.wait())
    await asyncio.wait({task, ready}, timeout=10, return_when=asyncio.FIRST_COMPLETED)
    if task.done():
        task.result()  # raise the start-up error
    assert channel.ready.is_set(), "channel did not start"
    if not channel.options.webhook_url:
        await fake.wait_polling()
    try:
        yield channel
    finally:
        task.cancel()
        with suppress(asyncio.CancelledError):
            await task


async def make_invite(app, org_code: str, role: str) -> str:
    async with app.services.sessions() as session:
        async with session.begin():
            org = await orgs.by_code(session, org_code)
            code, _ = await invites.create_invite(session, org, role, now=app.services.now())
    return code


async def identity_of(app, user_id: int) -> ChatIdentity | None:
    async with app.services.sessions() as session:
        identity = await session.scalar(
            select(ChatIdentity).where(ChatIdentity.channel == "telegram", ChatIdentity.external_id == str(user_id))
        )
        if identity is not None:
            await session.refresh(identity, ["user"])
        return identity


async def link(app, fake: FakeTelegram, user_id: int, org: str = "DEMO-CB1", role: str = "secretary") -> None:
    """/start CODE from `user_id` through the running channel."""
    code = await make_invite(app, org, role)
    before = len(fake.texts(user_id))
    fake.push(fake.message_update(user_id, f"/start {code}"))
    await fake.wait_for("sendMessage", before + 1, chat_id=user_id)


# --- /start CODE and buttons, polling -------------------------------------------------------------
@guard(40)
async def test_start_code_links_the_account_and_buttons_are_answered(demo, fake):
    """On SQLite and PostgreSQL: a deep-link /start CODE links the Telegram account, the chat's
    menu becomes the secretary's, and button presses are answered and handled."""
    code = await make_invite(demo, "DEMO-CB1", "secretary")
    async with running(demo, fake):
        assert demo.services.bot_username == "chibot_test_bot"
        fake.push(fake.message_update(USER, f"/start {code}"))
        [reply] = await fake.wait_for("sendMessage", chat_id=USER)
        assert "Đã đăng ký" in reply["text"] and "Nguyễn Văn An" in reply["text"]
        assert reply["parse_mode"] == "HTML"

        identity = await identity_of(demo, USER)
        assert identity is not None and identity.chat_id == str(USER) and not identity.blocked
        assert identity.user.role == "secretary" and identity.user.name == "Nguyễn Văn An"

        chat_menu = await fake.wait_for_scope("chat", USER)
        names = [c["command"] for c in chat_menu["commands"]]
        assert "trogiup" in names and "huy" in names and "start" not in names
        assert "moi" not in names, "a secretary's menu has no staff command"
        assert all(c["description"] == texts.COMMAND_MENU[c["command"]] for c in chat_menu["commands"])

        # A button from an old message: the press is answered and the user told what to do.
        fake.push(fake.callback_update(USER, "pl.cat.old"))
        await fake.wait_for("answerCallbackQuery")
        await fake.wait_for("sendMessage", 2, chat_id=USER)
        assert fake.texts(USER)[-1] == texts.STALE_CHOICE
    assert len(fake.of("answerCallbackQuery")) == 1


async def press(fake: FakeTelegram, user_id: int, label: str) -> None:
    """Press the button labelled `label` (its checkmark aside) on the last message to `user_id`."""
    [message] = fake.of("sendMessage", chat_id=user_id)[-1:]
    matches = [b for b in message.buttons if b["text"].removeprefix("✓ ") == label]
    assert matches, f"no button {label!r} in {message.buttons}"
    fake.push(fake.callback_update(user_id, matches[0]["callback_data"]))


async def say_and_wait(fake: FakeTelegram, user_id: int, text: str | None = None, label: str | None = None) -> str:
    """Type `text` or press `label`; wait for the next reply and return its text."""
    before = len(fake.texts(user_id))
    if label is not None:
        await press(fake, user_id, label)
    else:
        fake.push(fake.message_update(user_id, text))
    await fake.wait_for("sendMessage", before + 1, chat_id=user_id)
    return fake.texts(user_id)[-1]


@guard(40)
async def test_guided_nguon_completed_with_inline_buttons_stores_the_source(demo, fake):
    """On SQLite and PostgreSQL: /start CODE, then /nguon answered by typing the name and date
    and by pressing the group buttons, "Xong" and "Bỏ qua"; the source is stored."""
    if "nguon" not in demo.conversation.router.commands:
        pytest.skip("/nguon is not registered in handlers/__init__.py yet")
    from sqlalchemy.orm import selectinload

    from storage.models import Source

    async with running(demo, fake):
        await link(demo, fake, USER)
        assert "bước 1/4" in (await say_and_wait(fake, USER, "/nguon")).lower()
        assert "05/03/1998" in await say_and_wait(fake, USER, "Trần Thị Bích")
        asked = await say_and_wait(fake, USER, "15/03/1998")
        assert "Trần Thị Bích" in asked
        youth, rural = texts.CATEGORY_NAMES["doan_vien"], texts.CATEGORY_NAMES["nong_thon"]
        await say_and_wait(fake, USER, label=youth)
        toggled = fake.of("sendMessage", chat_id=USER)[-1]
        assert {"text": "✓ " + youth, "callback_data": "pl.cat.doan_vien"} in toggled.buttons
        await say_and_wait(fake, USER, label=rural)
        await say_and_wait(fake, USER, label=texts.LABEL_DONE)
        done = await say_and_wait(fake, USER, label=texts.LABEL_SKIP)
        assert done.startswith("✅") and "Trần Thị Bích" in done and "15/03/1998" in done
        await fake.wait_for("answerCallbackQuery", 4)

    assert len(fake.of("answerCallbackQuery")) == 4, "every press answered once"
    async with demo.services.sessions() as session:
        [source] = (await session.scalars(select(Source).options(selectinload(Source.categories)))).all()
        cell = await orgs.by_code(session, "DEMO-CB1")
    assert source.full_name == "Trần Thị Bích" and source.birth_date.isoformat() == "1998-03-15"
    assert source.org_id == cell.id and source.stage == "source" and source.note == ""
    assert sorted(c.category for c in source.categories) == ["doan_vien", "nong_thon"]


@SQLITE_ONLY
@guard(30)
async def test_status_drill_down_by_inline_buttons(demo, fake):
    """A staff member's /tinhhinh offers the units below as inline buttons; pressing one shows
    that unit. Every press gets answerCallbackQuery."""
    if "tinhhinh" not in demo.conversation.router.commands:
        pytest.skip("/tinhhinh not registered yet")
    async with running(demo, fake):
        await link(demo, fake, USER, "DEMO", "staff")
        fake.push(fake.message_update(USER, "/tinhhinh"))
        [status] = (await fake.wait_for("sendMessage", 2, chat_id=USER))[1:]
        buttons = [b for b in status.buttons if "callback_data" in b]
        assert buttons, status.params
        assert all(len(b["callback_data"].encode()) <= 64 for b in buttons)
        pressed = buttons[0]
        fake.push(fake.callback_update(USER, pressed["callback_data"]))
        await fake.wait_for("sendMessage", 3, chat_id=USER)
        await fake.wait_for("answerCallbackQuery", 1)
        async with demo.services.sessions() as session:
            unit = await session.get(OrgUnit, int(pressed["callback_data"].split(":", 1)[1]))
        assert unit.name in fake.texts(USER)[-1], "the pressed unit's status is shown"


# --- groups ---------------------------------------------------------------------------------
@SQLITE_ONLY
@guard(30)
async def test_group_chat_answers_questions_and_help_only_and_refuses_personal_data(demo, fake, kb):
    group = -100123
    demo.services.kb = kb
    async with running(demo, fake):
        await link(demo, fake, USER)
        personal = next(c for c in ("nguon", "tinhhinh", "moi") if c in demo.conversation.router.commands)
        fake.push(fake.message_update(USER, f"/{personal}", chat_id=group, chat_type="supergroup"))
        [refusal] = await fake.wait_for("sendMessage", chat_id=group)
        assert refusal["text"] == texts.PRIVATE_ONLY
        assert refusal.buttons == [{"text": texts.OPEN_PRIVATE_CHAT, "url": "https://t.me/chibot_test_bot"}]

        fake.push(fake.message_update(USER, "/trogiup@chibot_test_bot", chat_id=group, chat_type="group"))
        await fake.wait_for("sendMessage", 2, chat_id=group)
        assert fake.texts(group)[-1] == texts.HELP_GROUP

        # A question to the bot (mentioned) is answered from the knowledge base, with its source.
        fake.push(fake.message_update(USER, "@chibot_test_bot cho hỏi thời gian dự bị bao lâu?",
                                      chat_id=group, chat_type="group"))
        await fake.wait_for("sendMessage", 3, chat_id=group)
        answer = fake.texts(group)[-1]
        assert "12 tháng" in answer and texts.KB_SOURCE_LINE.split("{")[0] in answer

        # Not for this bot: chatter, a sticker, another bot's command, a service message.
        fake.push(fake.message_update(USER, "Chiều nay họp chi bộ nhé", chat_id=group, chat_type="group"))
        fake.push(fake.message_update(USER, "/trogiup@other_bot", chat_id=group, chat_type="group"))
        sticker = fake.message_update(USER, "", chat_id=group, chat_type="group")
        del sticker["message"]["text"]
        sticker["message"]["sticker"] = {"file_id": "s", "file_unique_id": "s", "type": "regular",
                                         "width": 1, "height": 1, "is_animated": False, "is_video": False}
        fake.push(sticker)
        joined = fake.message_update(USER, "", chat_id=group, chat_type="group")
        del joined["message"]["text"]
        joined["message"]["new_chat_members"] = [fake.user(777)]
        fake.push(joined)
        # The private chat still works, in order, after them.
        fake.push(fake.message_update(USER, "/huy"))
        await fake.wait_for("sendMessage", 2, chat_id=USER)
        assert fake.texts(USER)[-1] == texts.NOTHING_TO_CANCEL
        assert len(fake.texts(group)) == 3


# --- questions ---------------------------------------------------------------------------------
@SQLITE_ONLY
@guard(30)
async def test_question_answer_offers_related_entries_as_buttons(demo, fake, kb):
    """A question in a private chat is answered with its source and the entry's related
    entries as inline buttons; pressing one shows that entry and the press is answered."""
    demo.services.kb = kb
    async with running(demo, fake):
        await link(demo, fake, USER)
        fake.push(fake.message_update(USER, "thoi gian du bi bao lau?"))
        [_, answer] = await fake.wait_for("sendMessage", 2, chat_id=USER)
        entry = kb.answer("thoi gian du bi bao lau?").entry
        assert answer["text"].startswith(entry.answer.split(";")[0])
        assert [b["callback_data"] for b in answer.buttons] == [f"kb:{r}" for r in entry.related[:3]]
        related = kb.get(entry.related[0])
        fake.push(fake.callback_update(USER, answer.buttons[0]["callback_data"]))
        await fake.wait_for("sendMessage", 3, chat_id=USER)
        await fake.wait_for("answerCallbackQuery", 1)
        assert fake.texts(USER)[-1].startswith(related.answer.split(";")[0])
        assert related.source in fake.texts(USER)[-1]


# --- rendering through the real client ---------------------------------------------------------------
@SQLITE_ONLY
@guard(30)
async def test_long_escaped_replies_files_and_typing(demo, fake):
    """A long reply arrives split on line boundaries, HTML-escaped; a PNG as a photo and an Excel
    file as a document; a slow answer shows "typing…" first."""
    lines = [f"{i:03d}. Quần chúng <Nguyễn Văn {i}> & chi bộ" for i in range(300)]
    router = demo.conversation.router

    @router.command("dai", group_ok=False)
    async def long_reply(ctx, args):
        await asyncio.sleep(0.8)  # slow work: the chat shows "typing…"
        return [
            Reply("\n".join(lines), (Choice("Tiếp", "pl.next"),)),
            Reply("Biểu đồ", (), OutFile("bieudo.png", b"\x89PNG\r\n\x1a\nfake", "photo")),
            Reply("Báo cáo", (), OutFile("baocao.xlsx", b"PK\x03\x04fake", "document")),
        ]

    try:
        async with running(demo, fake):
            fake.push(fake.message_update(USER, "/dai"))
            await fake.wait_for("sendDocument", chat_id=USER)
    finally:
        del router.commands["dai"]

    action = fake.of("sendChatAction", chat_id=USER)
    assert action and action[0]["action"] == "typing"
    messages = fake.of("sendMessage", chat_id=USER)
    assert action[0].at < messages[0].at
    assert len(messages) >= 3
    joined = "\n".join(m["text"] for m in messages)
    assert joined == "\n".join(lines).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    assert [m.buttons for m in messages[:-1]] == [[]] * (len(messages) - 1)
    assert messages[-1].buttons == [{"text": "Tiếp", "callback_data": "pl.next"}]
    [photo] = fake.of("sendPhoto", chat_id=USER)
    assert photo.file("photo") == ("bieudo.png", b"\x89PNG\r\n\x1a\nfake") and photo["caption"] == "Biểu đồ"
    [document] = fake.of("sendDocument", chat_id=USER)
    assert document.file("document") == ("baocao.xlsx", b"PK\x03\x04fake")
    order = [c.method for c in fake.calls if c.method in ("sendMessage", "sendPhoto", "sendDocument")]
    assert order[-2:] == ["sendPhoto", "sendDocument"]


# --- robustness -----------------------------------------------------------------------------
@SQLITE_ONLY
@pytest.mark.parametrize(
    "failure",
    [Fail.retry_after(1), Fail.server_error(502), Fail.server_error(502, html=True), Fail.hang(2.5)],
    ids=["429-retry-after", "502-json", "502-html", "hang-past-timeout"],
)
@guard(30)
async def test_every_reply_is_delivered_exactly_once_despite_failures(demo, fake, failure):
    async with running(demo, fake):
        fake.fail("sendMessage", failure)
        fake.fail("answerCallbackQuery", failure)
        started = asyncio.get_running_loop().time()
        fake.push(fake.message_update(USER, "/trogiup"))
        fake.push(fake.callback_update(USER, "pl.old"))
        await fake.wait_for("sendMessage", 2, chat_id=USER)
        await fake.wait_for("answerCallbackQuery")
        await asyncio.sleep(0.5)  # nothing more arrives later
        elapsed = asyncio.get_running_loop().time() - started
    assert fake.texts(USER) == [guest_help(), texts.STALE_CHOICE]
    assert len(fake.of("answerCallbackQuery")) == 1
    failed = [a for a in fake.attempts if a.method == "sendMessage" and a.outcome != "ok"]
    assert len(failed) == 1, "the failed attempt was retried, not dropped"
    if failure.kind == "retry_after":
        assert elapsed >= 1.0, "retry_after was honoured"


@SQLITE_ONLY
@guard(30)
async def test_an_outage_longer_than_the_retries_does_not_stop_the_bot(demo, fake):
    async with running(demo, fake):
        fake.fail("sendMessage", *[Fail.server_error(500)] * 5)  # every attempt of one reply
        fake.push(fake.message_update(USER, "/trogiup"))
        while len([a for a in fake.attempts if a.method == "sendMessage"]) < 5:
            await asyncio.sleep(0.02)
        await asyncio.sleep(0.2)
        assert fake.texts(USER) == []
        fake.push(fake.message_update(USER, "/huy"))
        await fake.wait_for("sendMessage", chat_id=USER)
    assert fake.texts(USER) == [texts.NOTHING_TO_CANCEL]


@SQLITE_ONLY
@guard(30)
async def test_polling_survives_get_updates_failures(demo, fake):
    async with running(demo, fake):
        fake.fail("getUpdates", Fail.server_error(502, html=True), Fail.retry_after(1), Fail.hang(2.2))
        fake.push(fake.message_update(USER, "/trogiup"))
        await fake.wait_for("sendMessage", chat_id=USER)
    assert fake.texts(USER) == [guest_help()]


@SQLITE_ONLY
@guard(30)
async def test_a_user_who_blocked_the_bot_is_marked_and_unmarked_when_back(demo, fake):
    async with running(demo, fake):
        await link(demo, fake, USER)
        fake.fail("sendMessage", Fail.blocked())
        fake.push(fake.message_update(USER, "/trogiup"))
        for _ in range(100):
            identity = await identity_of(demo, USER)
            if identity.blocked:
                break
            await asyncio.sleep(0.05)
        assert identity.blocked
        assert sum(1 for a in fake.attempts if a.method == "sendMessage" and a.outcome == "403") == 1
        async with demo.services.sessions() as session:
            audit = await session.scalar(select(AuditLog).where(AuditLog.action == "identity.blocked"))
        assert audit.entity_id == str(identity.id) and audit.after == {"blocked": True}

        fake.push(fake.message_update(USER, "/huy"))  # they unblocked the bot and wrote again
        await fake.wait_for("sendMessage", 2, chat_id=USER)
        assert not (await identity_of(demo, USER)).blocked


@SQLITE_ONLY
@guard(30)
async def test_a_redelivered_update_is_processed_once_after_a_restart(demo, fake):
    """The bot stops before confirming an update (offset); Telegram sends it again."""
    code = await make_invite(demo, "DEMO-CB1", "secretary")
    update = fake.message_update(USER, f"/start {code}")
    async with running(demo, fake):
        fake.push(update)
        await fake.wait_for("sendMessage", chat_id=USER)
    fake.push(update)  # not confirmed before the restart
    async with running(demo, fake):
        await fake.wait_polling(2)
        fake.push(fake.message_update(USER, "/huy"))
        await fake.wait_for("sendMessage", 2, chat_id=USER)
    assert len(fake.texts(USER)) == 2 and fake.texts(USER)[1] == texts.NOTHING_TO_CANCEL
    async with demo.services.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(User).where(User.name == "Nguyễn Văn An")) == 1


# --- webhook --------------------------------------------------------------------------------
@SQLITE_ONLY
@guard(30)
async def test_webhook_checks_the_secret_and_processes_each_update_once(demo, fake):
    code = await make_invite(demo, "DEMO-CB1", "secretary")
    async with running(demo, fake, webhook_url="https://chibot.example.org", webhook_secret=SECRET) as channel:
        assert fake.webhook["url"] == "https://chibot.example.org/telegram/webhook"
        assert fake.webhook["secret_token"] == SECRET
        assert fake.polls == 0
        url = f"http://127.0.0.1:{channel.web.port}"
        update = fake.message_update(USER, f"/start {code}")
        async with aiohttp.ClientSession() as http:
            async with http.get(f"{url}/healthz") as response:
                assert response.status == 200 and (await response.json())["status"] == "ok"
            for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "wrong"}):
                async with http.post(f"{url}/telegram/webhook", json=update, headers=headers) as response:
                    assert response.status == 401
            await asyncio.sleep(0.5)
            assert fake.of("sendMessage") == []
            async with demo.services.sessions() as session:
                assert await session.scalar(select(func.count()).select_from(InboxUpdate)) == 0
            assert await identity_of(demo, USER) is None

            good = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
            for _ in range(2):  # Telegram redelivers when it did not get our 200 in time
                async with http.post(f"{url}/telegram/webhook", json=update, headers=good) as response:
                    assert response.status == 200
            await fake.wait_for("sendMessage", chat_id=USER)
            press = fake.callback_update(USER, "pl.old")
            async with http.post(f"{url}/telegram/webhook", json=press, headers=good) as response:
                assert response.status == 200
            await fake.wait_for("answerCallbackQuery")
            await fake.wait_for("sendMessage", 2, chat_id=USER)
            await asyncio.sleep(0.3)
    assert "Đã đăng ký" in fake.texts(USER)[0]
    assert fake.texts(USER)[1:] == [texts.STALE_CHOICE]
    assert (await identity_of(demo, USER)).user.role == "secretary"


@SQLITE_ONLY
async def test_webhook_mode_requires_a_secret(demo, fake):
    with pytest.raises(SettingsError, match="CHIBOT_WEBHOOK_SECRET"):
        TelegramChannel(demo, options(fake, webhook_url="https://chibot.example.org"))
    with pytest.raises(SettingsError, match="CHIBOT_WEBHOOK_SECRET"):
        TelegramChannel(demo, options(fake, webhook_url="https://x.org", webhook_secret="có dấu"))


@SQLITE_ONLY
@guard(15)
async def test_a_rejected_token_is_a_clear_start_up_error(demo, fake):
    channel = TelegramChannel(demo, options(fake, token="999:WRONG-token"))
    with pytest.raises(SettingsError, match="CHIBOT_TELEGRAM_TOKEN"):
        await channel.serve()
    with pytest.raises(SettingsError, match="CHIBOT_TELEGRAM_TOKEN"):
        TelegramChannel(demo, options(fake, token="not a token"))


# --- menus and invite links -----------------------------------------------------------------
@SQLITE_ONLY
@guard(30)
async def test_menus_in_vietnamese_per_role_and_invite_links_for_staff(demo, fake):
    staff = 5550002
    async with running(demo, fake):
        await link(demo, fake, staff, "DEMO", "staff")
        await link(demo, fake, USER, "DEMO-CB1", "secretary")
        fake.push(fake.message_update(staff, "/moi DEMO-CB2; bí thư"))
        await fake.wait_for("sendMessage", 2, chat_id=staff)
        assert "https://t.me/chibot_test_bot?start=" in fake.texts(staff)[-1]

    fake.calls.clear()
    async with running(demo, fake):  # at start: global menus and every linked chat's menu
        default = await fake.wait_for_scope("default")
        assert [c["command"] for c in default["commands"]] == ["start", "trogiup", "huy"]
        group = await fake.wait_for_scope("all_group_chats")
        assert [c["command"] for c in group["commands"]] == ["start", "trogiup", "huy"]
        staff_menu = [c["command"] for c in (await fake.wait_for_scope("chat", staff))["commands"]]
        secretary_menu = [c["command"] for c in (await fake.wait_for_scope("chat", USER))["commands"]]
    assert "moi" in staff_menu and staff_menu[-2:] == ["trogiup", "huy"]
    assert "moi" not in secretary_menu and "trogiup" in secretary_menu
    for name in staff_menu + secretary_menu:
        assert name in demo.conversation.router.commands, f"/{name} in the menu but not a command"


@guard(20)
async def test_fetch_username_reads_get_me(sqlite_url, fake):
    settings = make_settings(sqlite_url, telegram_token=TOKEN, telegram_api_base=fake.base_url)
    assert await fetch_username(settings) == "chibot_test_bot"
    fake.fail("getMe", Fail.server_error(502))
    assert await fetch_username(settings) == "chibot_test_bot"


# --- the real process -----------------------------------------------------------------------
async def chibot(args: list[str], cwd, env: dict, stdin: bytes = b"") -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args, cwd=cwd, env=env,
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    out, err = await process.communicate(stdin)
    return process.returncode, out.decode(), err.decode()


def process_env(fake: FakeTelegram, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHIBOT_")}
    env.update(CHIBOT_TELEGRAM_TOKEN=TOKEN, CHIBOT_TELEGRAM_API_BASE=fake.base_url, CHIBOT_TELEGRAM_TIMEOUT="2",
               CHIBOT_KB_CACHE_DIR=str(KB_CACHE_DIR), **extra)
    return env


@guard(60)
async def test_chibot_run_serves_telegram_and_invite_prints_a_deep_link(tmp_path, fake):
    """`chibot invite create` prints the t.me deep link; `chibot run` with a token polls the
    (fake) Bot API, links the account with /start CODE, and stops cleanly on SIGTERM."""
    env = process_env(fake)
    code, out, err = await chibot(["demo"], tmp_path, env)
    assert code == 0, err
    code, out, err = await chibot(["invite", "create", "--org", "DEMO-CB1", "--role", "secretary"], tmp_path, env)
    assert code == 0, err
    invite, *_, link_line = out.strip().splitlines()
    assert link_line == f"https://t.me/chibot_test_bot?start={invite}"

    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=tmp_path, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    try:
        await fake.wait_polling(1, timeout=30)
        fake.push(fake.message_update(USER, f"/start {invite}"))
        [reply] = await fake.wait_for("sendMessage", chat_id=USER, timeout=15)
        assert "Đã đăng ký" in reply["text"]
    finally:
        process.send_signal(signal.SIGTERM)
        _, err = await asyncio.wait_for(process.communicate(), 20)
    assert process.returncode == 0, err
    assert "Traceback" not in err.decode()


@guard(30)
async def test_chibot_run_with_a_webhook_but_no_secret_refuses_to_start(tmp_path, fake):
    env = process_env(fake, CHIBOT_WEBHOOK_URL="https://chibot.example.org")
    code, out, err = await chibot(["run"], tmp_path, env)
    assert code == 1
    assert "CHIBOT_WEBHOOK_SECRET" in err and "Traceback" not in err
    assert fake.of("setWebhook") == [] and fake.of("sendMessage") == []
    # Refused before anything is built (the database, the knowledge base): no file was created.
    assert list(tmp_path.iterdir()) == []


@SQLITE_ONLY
@guard(30)
async def test_webhook_answers_5xx_when_the_update_cannot_be_stored_and_takes_it_again(demo, fake):
    """Telegram is told "received" only once the update is stored: a failing store gets a 5xx
    (so Telegram sends it again), and the redelivery is handled once."""
    async with running(demo, fake, webhook_url="https://chibot.example.org", webhook_secret=SECRET) as channel:
        url = f"http://127.0.0.1:{channel.web.port}/telegram/webhook"
        headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
        update = fake.message_update(USER, "/trogiup")
        store = channel.runtime.store

        async def broken(updates):
            raise OSError("disk I/O error")

        channel.runtime.store = broken
        async with aiohttp.ClientSession() as http:
            async with http.post(url, json=update, headers=headers) as response:
                assert response.status == 500
            await asyncio.sleep(0.3)
            assert fake.of("sendMessage", chat_id=USER) == []
            channel.runtime.store = store
            for _ in range(2):  # the redelivery, and one more that Telegram may send
                async with http.post(url, json=update, headers=headers) as response:
                    assert response.status == 200
        [reply] = await fake.wait_for("sendMessage", chat_id=USER)
        assert reply["text"].startswith(texts.HELP_HEADER[None])
        await asyncio.sleep(0.3)
        assert len(fake.of("sendMessage", chat_id=USER)) == 1
