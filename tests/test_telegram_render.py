"""Rendering replies for Telegram: splitting at 4,096 characters, HTML escaping, keyboards,
callback-data limits, files (no network here; the end-to-end tests cover the HTTP side)."""

from __future__ import annotations

from aiogram.methods import SendDocument, SendMessage, SendPhoto

from bot.channels.telegram_render import (
    CALLBACK_DATA_LIMIT,
    MESSAGE_LIMIT,
    fit_callback_data,
    keyboard,
    render,
    split_text,
    telegram_len,
)
from domain import texts
from handlers.types import Choice, OutFile, Reply


def test_short_text_is_one_chunk():
    assert split_text("Chào đồng chí") == ["Chào đồng chí"]


def test_long_text_splits_on_line_boundaries_and_loses_nothing():
    lines = [f"{i}. Quần chúng Nguyễn Văn An — chi bộ thôn Vĩnh Thạnh, đánh giá: tốt" for i in range(400)]
    text = "\n".join(lines)
    chunks = split_text(text)
    assert len(chunks) > 1
    assert all(telegram_len(c) <= MESSAGE_LIMIT for c in chunks)
    assert "\n".join(chunks) == text  # split only between lines
    assert all(not c.startswith("\n") for c in chunks)


def test_a_single_line_longer_than_the_limit_is_split_hard():
    word_line = " ".join(["Đảng"] * 3000)  # 14,999 characters with spaces
    chunks = split_text(word_line)
    assert all(telegram_len(c) <= MESSAGE_LIMIT for c in chunks)
    assert "".join(chunks) == word_line
    assert all(c.endswith(" ") for c in chunks[:-1]), "cut after a space when there is one"
    no_spaces = "x" * 10000
    chunks = split_text(no_spaces)
    assert [len(c) for c in chunks] == [4096, 4096, 1808]


def test_emoji_count_twice_as_telegram_counts_them():
    text = "✅" * 10 + "😀" * 3000  # 😀 is outside the BMP: 2 UTF-16 units each
    chunks = split_text(text)
    assert all(telegram_len(c) <= MESSAGE_LIMIT for c in chunks)
    assert "".join(chunks) == text


def test_blank_chunks_are_dropped():
    assert split_text("\n\n   \n") == []


def test_text_is_html_escaped():
    [method] = render(42, Reply("Quần chúng <Lê Thị B> & nhóm \"khác\""))
    assert isinstance(method, SendMessage)
    assert method.text == "Quần chúng &lt;Lê Thị B&gt; &amp; nhóm \"khác\""
    assert method.parse_mode == "HTML"


def test_choices_become_one_button_per_row_on_the_last_chunk():
    choices = (Choice("Đoàn viên", "pl.cat.doan_vien"), Choice("Mở", url="https://t.me/chibot_bot"))
    methods = render(42, Reply("a\n" * 5000, choices))
    assert len(methods) > 1
    assert all(m.reply_markup is None for m in methods[:-1])
    rows = methods[-1].reply_markup.inline_keyboard
    assert [len(r) for r in rows] == [1, 1]
    assert rows[0][0].callback_data == "pl.cat.doan_vien" and rows[0][0].url is None
    assert rows[1][0].url == "https://t.me/chibot_bot" and rows[1][0].callback_data is None


def test_callback_data_never_exceeds_64_bytes():
    value = "pl." + "đ" * 40  # 83 bytes in UTF-8
    fitted = fit_callback_data(value)
    assert len(fitted.encode()) <= CALLBACK_DATA_LIMIT
    assert value.startswith(fitted)
    assert fit_callback_data("kb:12") == "kb:12"
    markup = keyboard([Choice("x", value)])
    assert len(markup.inline_keyboard[0][0].callback_data.encode()) <= CALLBACK_DATA_LIMIT


def test_a_choice_without_value_or_url_is_not_a_button():
    assert keyboard([Choice("Mở trò chuyện riêng", "")]) is None


def test_buttons_without_text_still_get_a_message():
    [method] = render(42, Reply("", (Choice("Có", "pl.yes"),)))
    assert method.text == texts.TELEGRAM_CHOOSE


def test_photo_with_short_text_uses_it_as_caption():
    reply = Reply("Biểu đồ <2026>", (Choice("Tiếp", "pl.next"),), OutFile("chart.png", b"\x89PNG", "photo"))
    [method] = render(42, reply)
    assert isinstance(method, SendPhoto)
    assert method.caption == "Biểu đồ &lt;2026&gt;"
    assert method.photo.filename == "chart.png"
    assert method.reply_markup.inline_keyboard[0][0].callback_data == "pl.next"


def test_document_with_long_text_goes_after_the_text():
    reply = Reply("x" * 2000, (), OutFile("baocao.xlsx", b"PK\x03\x04", "document"))
    first, second = render(42, reply)
    assert isinstance(first, SendMessage) and isinstance(second, SendDocument)
    assert second.caption is None and second.document.filename == "baocao.xlsx"


def test_links_never_get_a_preview_card():
    from bot.channels.telegram_render import render
    from handlers.types import Reply

    [with_link] = render(1, Reply("Mở liên kết: https://t.me/chibot_test_bot?start=ABCD2345"))
    assert with_link.link_preview_options is not None and with_link.link_preview_options.is_disabled
    [plain] = render(1, Reply("Đã ghi nhận."))
    assert plain.link_preview_options is None
