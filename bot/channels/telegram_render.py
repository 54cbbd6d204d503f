"""Rendering the core's `Reply` as Telegram Bot API calls (pure: no I/O).

- text is HTML-escaped and sent with parse_mode HTML, so a name like "A <B> & C" shows as typed;
- a text longer than Telegram's 4,096 characters is split on line boundaries (a single longer
  line is split at a space, or hard when it has none);
- choices become an inline keyboard, one button per row; a choice with a URL is a link button;
  callback data is kept within Telegram's 64-byte limit;
- a file is sent as a photo (kind "photo") or a document, with the text as its caption when the
  text fits a caption, otherwise after the text.
"""

from __future__ import annotations

import html
import logging

from aiogram.methods import SendDocument, SendMessage, SendPhoto, TelegramMethod
from aiogram.types import (
    BufferedInputFile,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
)

from domain import texts
from handlers.types import Choice, Reply

log = logging.getLogger(__name__)

MESSAGE_LIMIT = 4096  # characters of a message text, after entity parsing
CAPTION_LIMIT = 1024  # characters of a photo/document caption
CALLBACK_DATA_LIMIT = 64  # bytes of callback data
BUTTON_LABEL_LIMIT = 64  # characters shown on a button; longer labels are cut with "…"
PARSE_MODE = "HTML"
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


def telegram_len(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units: an emoji outside the BMP counts 2)."""
    return len(text.encode("utf-16-le")) // 2


def _cut(text: str, limit: int) -> tuple[str, str]:
    """Split `text` into a head of at most `limit` Telegram characters and the rest."""
    size = 0
    for index, char in enumerate(text):
        size += 2 if ord(char) > 0xFFFF else 1
        if size > limit:
            return text[:index], text[index:]
    return text, ""


def _split_line(line: str, limit: int) -> list[str]:
    """A line longer than the limit: cut after the last space that fits, else hard.
    The pieces concatenate back to the line."""
    pieces = []
    rest = line
    while telegram_len(rest) > limit:
        head, tail = _cut(rest, limit)
        space = head.rfind(" ")
        if space > 0:
            head, tail = head[: space + 1], head[space + 1 :] + tail
        pieces.append(head)
        rest = tail
    pieces.append(rest)
    return pieces


def split_text(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Split a message text into chunks of at most `limit` characters, on line boundaries.

    Joining the chunks with "\\n" gives back the text when no single line exceeds the limit;
    chunks that would be blank (Telegram refuses empty messages) are dropped.
    """
    chunks: list[str] = []
    current: list[str] = []
    size = 0
    for line in text.split("\n"):
        for piece in _split_line(line, limit) if telegram_len(line) > limit else [line]:
            piece_size = telegram_len(piece)
            extra = piece_size + (1 if current else 0)
            if current and size + extra > limit:
                chunks.append("\n".join(current))
                current, size = [], 0
                extra = piece_size
            current.append(piece)
            size += extra
    if current:
        chunks.append("\n".join(current))
    return [chunk for chunk in chunks if chunk.strip()]


def _has_link(text: str) -> bool:
    return "http" in text or "t.me/" in text or "www." in text


def fit_callback_data(value: str) -> str:
    """Callback data within 64 bytes. Handlers keep values short (the core documents it); a
    longer value is a bug, logged and truncated at a character boundary so the message is still
    sent (the core then answers the press as a stale choice instead of the send failing)."""
    raw = value.encode("utf-8")
    if len(raw) <= CALLBACK_DATA_LIMIT:
        return value
    log.error("choice value longer than %d bytes, truncated: %r", CALLBACK_DATA_LIMIT, value)
    return raw[:CALLBACK_DATA_LIMIT].decode("utf-8", errors="ignore")


def _label(choice: Choice) -> str:
    label = " ".join(choice.label.split()) or choice.value or "…"
    if len(label) > BUTTON_LABEL_LIMIT:
        label = label[: BUTTON_LABEL_LIMIT - 1] + "…"
    return label


def keyboard(choices: tuple[Choice, ...] | list[Choice]) -> InlineKeyboardMarkup | None:
    """One button per row; link buttons for choices with a URL. Choices with neither a value
    nor a URL cannot be pressed on Telegram and are left out."""
    rows = []
    for choice in choices:
        if choice.url:
            rows.append([InlineKeyboardButton(text=_label(choice), url=choice.url)])
        elif choice.value:
            rows.append(
                [InlineKeyboardButton(text=_label(choice), callback_data=fit_callback_data(choice.value))]
            )
    return InlineKeyboardMarkup(inline_keyboard=rows) if rows else None


class SendMessageUnread(SendMessage):
    """sendMessage whose answer is checked (ok, the error codes, retry_after) but not built into
    a Message: the runtime reads nothing of it. With the answer Telegram gives (sender, chat,
    text, keyboard), aiogram's check_response then takes about 12 µs instead of 70."""

    __returning__ = dict


def render(chat_id: int | str, reply: Reply) -> list[TelegramMethod]:
    """The Bot API calls that show `reply` in `chat_id`, in order."""
    markup = keyboard(reply.choices)
    text = reply.text or ""
    methods: list[TelegramMethod] = []

    caption: str | None = None
    if reply.file is not None and text.strip() and telegram_len(text) <= CAPTION_LIMIT:
        caption, text = text, ""
    chunks = split_text(text)
    if not chunks and reply.file is None and markup is not None:
        chunks = [texts.TELEGRAM_CHOOSE]  # Telegram cannot show buttons without a text

    for index, chunk in enumerate(chunks):
        last = index == len(chunks) - 1 and reply.file is None
        methods.append(
            SendMessageUnread(
                chat_id=chat_id,
                text=html.escape(chunk, quote=False),
                parse_mode=PARSE_MODE,
                # no preview card for a link; without a link there is nothing to switch off
                link_preview_options=NO_PREVIEW if _has_link(chunk) else None,
                reply_markup=markup if last else None,
            )
        )

    if reply.file is not None:
        upload = BufferedInputFile(reply.file.content, filename=reply.file.filename)
        common = {
            "chat_id": chat_id,
            "caption": html.escape(caption, quote=False) if caption else None,
            "parse_mode": PARSE_MODE if caption else None,
            "reply_markup": markup,
        }
        if reply.file.kind == "photo":
            methods.append(SendPhoto(photo=upload, **common))
        else:
            methods.append(SendDocument(document=upload, **common))
    return methods
