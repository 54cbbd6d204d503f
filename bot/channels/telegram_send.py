"""Calling the Bot API without ever crashing the caller.

`TelegramSender.call(method)` retries what is worth retrying:
- 429 Too Many Requests: waits the `retry_after` Telegram asks for (up to a cap), then again;
- 5xx (JSON or an HTML page from a proxy), network errors and timeouts: exponential backoff
  with jitter, a bounded number of attempts;
and gives up quietly (logged, returns None) on the rest: a bad request is not fixed by sending
it again. A 403 because the user blocked the bot (or deleted the account) raises `BotBlocked`
so the caller stops sending to that chat and marks it (`mark_blocked`).

Exactly once, and its limit: a request that timed out may still have reached Telegram; the
Bot API has no idempotency key, so a retry after a timeout can in rare cases show a message
twice. Retrying is still the right trade (a lost reminder is worse than a rare duplicate); keep
CHIBOT_TELEGRAM_TIMEOUT well above normal latency so timeouts mean a real outage.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from aiogram import Bot
from aiogram.exceptions import (
    ClientDecodeError,
    TelegramAPIError,
    TelegramEntityTooLarge,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.methods import TelegramMethod
from sqlalchemy import select
from sqlalchemy.ext.asyncio import async_sessionmaker

from storage.models import AuditLog, ChatIdentity

log = logging.getLogger(__name__)

CHANNEL = "telegram"
# Telegram's descriptions for a chat that will never accept our messages again (until the
# user writes to the bot again).
_GONE = ("blocked by the user", "user is deactivated", "bot was kicked", "bot is not a member")


class BotBlocked(Exception):
    """The chat does not accept messages from the bot (HTTP 403)."""


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 5  # tries in all, the first included
    base_delay: float = 0.5  # seconds before the second try; doubles each time
    max_delay: float = 30.0
    max_retry_after: float = 120.0  # a longer flood wait is not waited out inside one update
    request_timeout: float = 20.0  # seconds per request
    upload_timeout: float = 60.0  # seconds per request that uploads a file

    def backoff(self, attempt: int) -> float:
        """Delay after the `attempt`-th failed try (1-based), with jitter in [50 %, 100 %]."""
        delay = min(self.base_delay * 2 ** (attempt - 1), self.max_delay)
        return delay * random.uniform(0.5, 1.0)


def _is_upload(method: TelegramMethod) -> bool:
    return type(method).__name__ in ("SendDocument", "SendPhoto")


class TelegramSender:
    def __init__(
        self,
        bot: Bot,
        policy: RetryPolicy | None = None,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
    ):
        self.bot = bot
        self.policy = policy or RetryPolicy()
        self._sleep = sleep

    async def call(self, method: TelegramMethod, *, attempts: int | None = None) -> Any | None:
        """The method's result, or None when it failed for good (already logged).

        Raises BotBlocked for a 403 from a chat that blocked or removed the bot; never raises
        any other Bot API or network error.
        """
        name = type(method).__name__
        attempts = attempts or self.policy.attempts
        timeout = self.policy.upload_timeout if _is_upload(method) else self.policy.request_timeout
        for attempt in range(1, attempts + 1):
            try:
                return await self.bot(method, request_timeout=timeout)
            except TelegramRetryAfter as exc:
                if exc.retry_after > self.policy.max_retry_after:
                    log.error("%s: flood wait of %ss is too long, not sent", name, exc.retry_after)
                    return None
                delay = float(exc.retry_after)
                reason = f"429, retry after {exc.retry_after}s"
            except TelegramForbiddenError as exc:
                if any(marker in exc.message.lower() for marker in _GONE):
                    raise BotBlocked(exc.message) from exc
                log.error("%s refused (403): %s", name, exc.message)
                return None
            except TelegramEntityTooLarge as exc:  # a NetworkError subclass, but final
                log.error("%s: file too large: %s", name, exc.message)
                return None
            except (TelegramServerError, TelegramNetworkError, ClientDecodeError) as exc:
                delay = self.policy.backoff(attempt)
                reason = f"{type(exc).__name__}: {getattr(exc, 'message', exc)}"
            except TelegramAPIError as exc:  # 400 and the like: sending it again will not help
                log.error("%s failed: %s: %s", name, type(exc).__name__, exc.message)
                return None
            if attempt == attempts:
                log.error("%s failed after %d attempts (%s)", name, attempts, reason)
                return None
            log.warning("%s attempt %d/%d failed (%s); retrying in %.2fs",
                        name, attempt, attempts, reason, delay)
            await self._sleep(delay)
        return None  # pragma: no cover - the loop always returns


async def mark_blocked(sessions: async_sessionmaker, chat_id: int | str, now: datetime) -> int:
    """Mark the Telegram identities of a private chat that blocked the bot; returns how many.

    The core clears the mark when the user writes again. The audit row says only which identity
    was marked, nothing personal.
    """
    async with sessions() as session:
        async with session.begin():
            rows = (
                await session.scalars(
                    select(ChatIdentity).where(
                        ChatIdentity.channel == CHANNEL,
                        ChatIdentity.chat_id == str(chat_id),
                        ChatIdentity.blocked.is_(False),
                    )
                )
            ).all()
            for identity in rows:
                identity.blocked = True
                session.add(
                    AuditLog(
                        at=now,
                        user_id=None,
                        actor="system:telegram",
                        action="identity.blocked",
                        entity="chat_identity",
                        entity_id=str(identity.id),
                        org_id=None,
                        before={"blocked": False},
                        after={"blocked": True},
                    )
                )
    if rows:
        log.info("telegram chat %s blocked the bot: %d identity marked", chat_id, len(rows))
    return len(rows)
