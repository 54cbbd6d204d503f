"""Typing the text of an offered choice is the same as choosing it, on every channel (the
number already was): folded comparison (no diacritics, any case), only the last offered
choices; and the Zalo rendering of choices, links and long texts (pure)."""

from __future__ import annotations

import pytest

from bot.channels.zalo_render import MESSAGE_LIMIT, render
from domain import texts
from handlers.core import choice_key
from handlers.types import Choice, OutFile, Reply


@pytest.fixture
def picker(demo):
    """A command offering three choices; its choice handler echoes what was picked."""
    router = demo.conversation.router

    @router.command("thuchon")
    async def offer(ctx, args):
        return Reply("Chọn một:", (Choice("Đoàn viên thanh niên", "tc:doan"), Choice("✓ Khu vực nông thôn", "tc:nong"),
                                    Choice("Hướng dẫn", "", url="https://x.vn")))

    @router.command("thuchon2")
    async def offer_other(ctx, args):
        return Reply("Chọn khác:", (Choice("Trí thức", "tc:tri"),))

    @router.choice("tc", command="thuchon")
    async def picked(ctx, value):
        return Reply(f"đã chọn {value}")

    yield demo
    for name in ("thuchon", "thuchon2"):
        del router.commands[name]
    del router.choices["tc"]


@pytest.mark.parametrize("channel", ["console", "zalo", "telegram"])
async def test_typing_a_label_picks_the_choice_on_every_channel(picker, chat_as, channel):
    chat = chat_as("bithu", channel=channel) if channel == "console" else chat_as("55501", channel=channel)
    await chat.say("/thuchon")
    assert await chat.say("doan vien thanh nien") == "đã chọn tc:doan"
    await chat.say("/thuchon")
    assert await chat.say("KHU VỰC NÔNG THÔN") == "đã chọn tc:nong", "the ✓ mark is not part of the text"
    await chat.say("/thuchon")
    assert await chat.say("2") == "đã chọn tc:nong", "the number still works"


async def test_only_the_last_offered_choices_count(picker, chat_as):
    chat = chat_as("bithu")
    await chat.say("/thuchon")
    await chat.say("/thuchon2")
    assert await chat.say("Trí thức") == "đã chọn tc:tri"
    await chat.say("/thuchon2")
    answer = await chat.say("doan vien thanh nien")
    assert "đã chọn" not in answer, "a choice of an earlier message is not picked by its text"
    assert await chat.say("huong dan") != "đã chọn", "a link is not a choice"


def test_choice_key_folds_and_trims_symbols():
    assert choice_key("✓ Đoàn viên  thanh niên") == choice_key("doan vien thanh nien") == "doan vien thanh nien"
    assert choice_key("Tốt") == "tot"


def test_zalo_render_numbers_choices_lists_links_and_splits_in_order():
    lines = [f"Dòng {i:04d} " + "x" * 40 for i in range(120)]
    reply = Reply("\n".join(lines), (Choice("Có", "a:1"), Choice("Trang web", "", url="https://x.vn/a"),
                                     Choice("Không", "a:2"), Choice("(trống)", "")))
    calls = render("42", reply, links=False)
    assert all(c.method == "sendMessage" and c.params["chat_id"] == "42" for c in calls)
    shown = [c.params["text"] for c in calls]
    assert len(shown) > 1 and all(len(t) <= MESSAGE_LIMIT for t in shown)
    assert "\n".join(shown) == "\n".join(lines) + "\n\n1. Có\nTrang web: https://x.vn/a\n2. Không\n" + texts.ZALO_CHOOSE_HINT


def test_zalo_render_files_by_link_or_a_clear_text_without_a_public_url():
    photo = Reply("Biểu đồ", file=OutFile("bieudo.png", b"png", "photo"))
    document = Reply("Báo cáo", file=OutFile("baocao.xlsx", b"PK", "document"))
    assert [c.method for c in render("1", photo, links=True)] == ["sendMessage", "sendPhoto"]
    [text, link] = render("1", document, links=True)
    assert link.method == "sendMessage" and link.file.filename == "baocao.xlsx" and "{link}" in link.params["text"]
    [refused] = render("1", document, links=False)
    assert refused.params["text"] == "Báo cáo\n\n" + texts.ZALO_FILE_UNAVAILABLE.format(filename="baocao.xlsx")
    assert "Telegram" in texts.ZALO_FILE_UNAVAILABLE
