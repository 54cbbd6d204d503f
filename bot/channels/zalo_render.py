"""Rendering the core's `Reply` as Zalo Bot API calls (pure: no I/O).

Zalo shows plain text only: no buttons, no keyboards, no markup, no documents, no editing.
- choices become a numbered list ("1. label"), answered with the number or the option's text
  (the conversation core maps both); link choices (Choice.url) are plain "label: URL" lines;
- a text longer than 2,000 characters is split on line boundaries, in order (the runtime counts
  the parts sent, so a message cut by a crash continues where it stopped);
- a photo is sent with sendPhoto, a document as a download link in a text message: both by a
  signed, expiring link to Chibot's web server (bot/files.py), filled in when the call is made;
  without CHIBOT_PUBLIC_URL the chat is told where to get the file instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from domain import texts
from handlers.types import OutFile, Reply

MESSAGE_LIMIT = 2000  # characters of a sendMessage text (Zalo Bot API documentation)
CAPTION_LIMIT = 2000  # not documented for sendPhoto; the photo gets a short caption only
LINK = "{link}"  # where the file's link goes in a templated text
TELEGRAM_LINKS = ("https://t.me/", "http://t.me/", "tg://")


def _split_line(line: str, limit: int) -> list[str]:
    """A line longer than the limit: cut after the last space that fits, else hard; the pieces
    concatenate back to the line."""
    pieces = []
    while len(line) > limit:
        head = line[:limit]
        space = head.rfind(" ")
        cut = space + 1 if space > 0 else limit
        pieces.append(line[:cut])
        line = line[cut:]
    pieces.append(line)
    return pieces


def split_text(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Chunks of at most `limit` characters on line boundaries, in order; joined with "\\n"
    they give back the text when no line is longer than the limit. Blank chunks are dropped
    (Zalo refuses an empty text). Without aiogram: the Zalo channel does not load it."""
    chunks: list[str] = []
    current: list[str] = []
    size = 0
    for line in text.split("\n"):
        for piece in _split_line(line, limit):
            extra = len(piece) + (1 if current else 0)
            if current and size + extra > limit:
                chunks.append("\n".join(current))
                current, size, extra = [], 0, len(piece)
            current.append(piece)
            size += extra
    if current:
        chunks.append("\n".join(current))
    return [chunk for chunk in chunks if chunk.strip()]


@dataclass(frozen=True)
class ZaloCall:
    method: str
    params: dict[str, Any]
    file: OutFile | None = field(default=None, compare=False)  # shared by link when the call is made

    @property
    def needs_link(self) -> bool:
        return self.file is not None


def choices_block(reply: Reply) -> str:
    """The numbered options (only choices with a value are numbered, in order: the core's
    remembered menu has the same order) and the links."""
    lines: list[str] = []
    number = 0
    for choice in reply.choices:
        label = " ".join(choice.label.split()) or choice.value
        if choice.url and choice.url.startswith(TELEGRAM_LINKS):
            continue  # e.g. "open a private chat" with the Telegram bot: not for a Zalo user
        if choice.url:
            lines.append(f"{label}: {choice.url}")
        elif choice.value:
            number += 1
            lines.append(f"{number}. {label}")
    if number:
        lines.append(texts.ZALO_CHOOSE_HINT)
    return "\n".join(lines)


def render(chat_id: str, reply: Reply, *, links: bool) -> list[ZaloCall]:
    """The calls that show `reply` in `chat_id`; `links`: file links can be given
    (CHIBOT_PUBLIC_URL is set)."""
    parts = [part for part in ((reply.text or "").strip("\n"), choices_block(reply)) if part.strip()]
    file = reply.file
    if file is not None and not links:
        parts.append(texts.ZALO_FILE_UNAVAILABLE.format(filename=file.filename))
    calls = [ZaloCall("sendMessage", {"chat_id": chat_id, "text": chunk})
             for chunk in split_text("\n\n".join(parts), MESSAGE_LIMIT)]
    if file is not None and links:
        if file.kind == "photo":
            calls.append(ZaloCall("sendPhoto", {"chat_id": chat_id, "photo": LINK, "caption": file.filename}, file))
        else:
            calls.append(ZaloCall("sendMessage", {"chat_id": chat_id, "text": texts.ZALO_FILE_LINK}, file))
    return calls
