"""The conversation core: dialog state in the database, /huy, numbered choices, dedup,
group chats, input limits, and that every catalogue text is Vietnamese."""

from __future__ import annotations

import unicodedata

from sqlalchemy import func, select

import domain.texts as texts
from bot.app import build_app
from handlers import build_router
from handlers.core import Conversation, Router
from handlers.types import Choice, Reply
from storage.models import DialogState
from tests.conftest import Chat, make_settings

probe = Router()


@probe.command("thu", roles=("secretary",))
async def _start_probe(ctx, args):
    ctx.begin("probe", "colour")
    return Reply("Chọn màu", (Choice("Đỏ", "red"), Choice("Xanh", "blue")))


@probe.flow("probe")
async def _probe_flow(ctx, text, choice):
    if ctx.dialog.step == "colour":
        if choice not in ("red", "blue"):
            return Reply("Chọn lại màu", (Choice("Đỏ", "red"), Choice("Xanh", "blue")))
        ctx.goto("name", colour=choice)
        return Reply("Nhập tên")
    colour = ctx.data["colour"]
    ctx.finish()
    return Reply(f"Xong: {colour} {text}")


def with_probe(app) -> Conversation:
    router = build_router()
    router.include(probe)
    app.conversation = Conversation(app.services, router)
    return app.conversation


async def test_dialog_survives_a_restart(demo, database_url, clock):
    with_probe(demo)
    assert "Chọn màu" in await Chat(demo, "bithu").say("/thu")
    await demo.close()

    restarted = build_app(make_settings(database_url), clock=clock, with_kb=False)
    try:
        with_probe(restarted)
        chat = Chat(restarted, "bithu")
        assert await chat.say("2") == "Nhập tên"  # the numbered choice is remembered too
        assert await chat.say("Hoa") == "Xong: blue Hoa"
    finally:
        await restarted.close()


async def test_cancel_from_any_step(demo, chat_as):
    with_probe(demo)
    chat = chat_as("bithu")
    await chat.say("/thu")
    assert texts.CANCELLED == await chat.say("/huy")
    await chat.say("/thu")
    await chat.press("red")
    assert texts.CANCELLED == await chat.say("/HUY")
    assert texts.NOTHING_TO_CANCEL == await chat.say("/huy")
    async with demo.services.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(DialogState)) == 0


async def test_dialog_expires(demo, chat_as, clock):
    with_probe(demo)
    chat = chat_as("bithu")
    await chat.say("/thu")
    clock.advance(minutes=61)
    assert texts.DIALOG_EXPIRED in await chat.say("1")


async def test_a_new_command_replaces_an_unfinished_dialog(demo, chat_as):
    with_probe(demo)
    chat = chat_as("bithu")
    await chat.say("/thu")
    assert "bí thư chi bộ" in await chat.say("/trogiup")
    assert texts.NOTHING_TO_CANCEL == await chat.say("/huy")


async def test_redelivered_update_is_processed_once(demo, chat_as):
    with_probe(demo)
    chat = chat_as("bithu")
    assert await chat.send("/thu", update_id="100")
    assert await chat.send("/thu", update_id="100") == []
    assert await chat.send(choice="red", update_id="101")
    assert await chat.send(choice="red", update_id="101") == []


async def test_group_chat_refuses_personal_data_with_a_private_chat_button(demo, chat_as):
    demo.services.bot_username = "chibot_test_bot"
    group = chat_as("bithu", chat_type="group", chat_id="-100")
    replies = await group.send("/moi DEMO-CB1; bí thư")
    assert replies[0].text == texts.PRIVATE_ONLY
    assert replies[0].choices[0].url == "https://t.me/chibot_test_bot"
    assert texts.HELP_GROUP == await group.say("/trogiup")


async def test_long_text_emoji_and_empty_input_get_answers(demo, chat_as):
    chat = chat_as("bithu")
    reply = await chat.say("a" * 5000)
    assert "quá dài (5000 ký tự)" in reply
    assert "Không có lệnh /xyz" in await chat.say("/xyz")
    assert "Có phải đồng chí muốn gõ /danhgia?" in await chat.say("/dang gia N12; tốt")
    assert "Không có lệnh /__text__" in await chat.say("/__text__ hello")
    assert await chat.say("   ") == texts.EMPTY_INPUT
    assert await chat.say("\u200b") == texts.EMPTY_INPUT


async def test_commands_typed_in_nfd_or_upper_case_work(demo, chat_as):
    chat = chat_as("bithu")
    assert "bí thư chi bộ" in await chat.say(unicodedata.normalize("NFD", "/TROGIUP"))
    assert "bí thư chi bộ" in await chat.say("/trogiup@chibot_test_bot")


async def test_unregistered_user_is_told_how_to_register(demo, chat_as):
    stranger = chat_as("stranger")
    assert "mã mời" in await stranger.say("/start")
    assert "/start MÃ" in await stranger.say("/trogiup")
    assert texts.FAQ_REGISTER_FIRST == await stranger.say("Chỉ tiêu kết nạp là bao nhiêu?")


async def test_unexpected_error_becomes_a_vietnamese_reply(demo, chat_as):
    broken = Router()

    @broken.command("loi")
    async def fail(ctx, args):
        raise RuntimeError("boom")

    router = build_router()
    router.commands.update(broken.commands)
    demo.conversation = Conversation(demo.services, router)
    assert await chat_as("bithu").say("/loi") == texts.INTERNAL_ERROR


VIETNAMESE_MARKS = set("ăâđêôơưáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ")


def test_every_catalogue_text_is_vietnamese_with_diacritics():
    strings = {}
    for name, value in vars(texts).items():
        if name.isupper() and isinstance(value, str):
            strings[name] = value
        elif name.isupper() and isinstance(value, dict):
            strings.update({f"{name}[{k}]": v for k, v in value.items() if isinstance(v, str)})
    assert strings
    bare = [name for name, value in strings.items() if not VIETNAMESE_MARKS & set(value.lower())]
    assert bare == [], f"catalogue entries without Vietnamese diacritics: {bare}"
    nfd = [name for name, value in strings.items() if unicodedata.normalize("NFC", value) != value]
    assert nfd == [], f"catalogue entries not in NFC: {nfd}"


async def test_questions_are_answered_with_their_source_and_suggestions_can_be_picked(demo, chat_as, kb):
    demo.services.kb = kb
    chat = chat_as("bithu")
    answer = await chat.say("thoi gian du bi bao lau")
    assert "12 tháng" in answer and "Nguồn: Điều lệ Đảng" in answer
    refused = await chat.send("Ngày mai trời có mưa không?")
    assert "Ban Tổ chức cấp ủy cấp trên" in refused[0].text
    assert len(refused[0].choices) <= 3
    group = chat_as("someone", chat_type="group", chat_id="-5")
    assert "Nguồn:" in await group.say("Chỉ tiêu kết nạp đảng viên hằng năm là bao nhiêu?")
    entry = kb.get("bot_ketnap")
    picked = await chat.press(f"kb:{entry.id}")
    assert picked.startswith(entry.answer) and entry.source in picked
    # Related entries are offered as "see also" choices; typing 3 picks the third.
    assert [c.value for c in chat.choices] == [f"kb:{r}" for r in entry.related[:3]]
    third = kb.get(entry.related[2])
    assert (await chat.say("3")).startswith(third.answer)
    # An entry ranked almost as high as the answer is offered first, then the answer's related ones.
    answer = await chat.say("du bi bao lau thi xet chinh thuc")
    assert answer.startswith(kb.get("dv_cong_nhan").answer)
    assert [c.value for c in chat.choices] == ["kb:dv_du_bi", "kb:bot_chinhthuc"]
    assert (await chat.say("1")).startswith(kb.get("dv_du_bi").answer)
