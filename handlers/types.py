"""The channel-agnostic message types: what a channel gives the core and what it renders."""

from __future__ import annotations

from dataclasses import dataclass, field

from domain.errors import RuleError


@dataclass(frozen=True)
class Incoming:
    """One user action: a typed line or a pressed choice."""

    channel: str  # "telegram" | "zalo" | "console"
    chat_id: str
    user_id: str
    text: str = ""
    choice: str | None = None  # the value of a pressed Choice (Telegram callback data)
    chat_type: str = "private"  # "private" | "group"
    update_id: str | None = None  # for deduplication of redelivered updates
    display_name: str = ""

    @property
    def is_group(self) -> bool:
        return self.chat_type != "private"


@dataclass(frozen=True)
class Choice:
    """An option offered to the user. `value` fits Telegram's 64-byte callback data;
    `url` makes it a link button instead (rendered as a plain link on other channels)."""

    label: str
    value: str = ""
    url: str | None = None


@dataclass(frozen=True)
class OutFile:
    filename: str
    content: bytes
    kind: str = "document"  # "document" | "photo"


@dataclass(frozen=True)
class Reply:
    text: str
    choices: tuple[Choice, ...] = field(default_factory=tuple)
    file: OutFile | None = None


# The one error type (domain.errors.RuleError): handlers raise it under this name too.
UserError = RuleError
