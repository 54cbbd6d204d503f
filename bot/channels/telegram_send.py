"""Calling the Bot API without ever crashing the caller.

`TelegramSender.call(method)` retries what is worth retrying:
- 429 Too Many Requests: waits the `retry_after` Telegram asks for (up to a cap), then again;
- 5xx (JSON or an HTML page from a proxy), network errors and timeouts: exponential backoff
  with jitter, a bounded number of attempts;
and gives up quietly (logged, returns None) on the rest: a bad request is not fixed by sending
it again. A 403 because the user blocked the bot (or deleted the account) raises `BotBlocked`.
Messages go through the outbox and the channel runtime (bot.channels.runtime), which uses
`delivery_error` below; this sender serves the calls that are not messages (getMe, menus).

Exactly once, and its limit: a request that timed out may still have reached Telegram; the
Bot API has no idempotency key, so a retry after a timeout can in rare cases show a message
twice. Retrying is still the right trade (a lost reminder is worse than a rare duplicate); keep
CHIBOT_TELEGRAM_TIMEOUT well above normal latency so timeouts mean a real outage.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
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
from bot.channels.runtime import Blocked, RetryLater, RetryPolicy, Undeliverable

log = logging.getLogger(__name__)

CHANNEL = "telegram"
# Telegram's descriptions for a chat that will never accept our messages again (until the
# user writes to the bot again).
_GONE = ("blocked by the user", "user is deactivated", "bot was kicked", "bot is not a member")


class BotBlocked(Exception):
    """The chat does not accept messages from the bot (HTTP 403)."""


def delivery_error(exc: TelegramAPIError | ClientDecodeError) -> Exception:
    """The runtime's view of a failed Bot API call (its reason never holds the request URL)."""
    if isinstance(exc, TelegramRetryAfter):
        return RetryLater(f"429, retry after {exc.retry_after}s", float(exc.retry_after))
    if isinstance(exc, TelegramForbiddenError):
        if any(marker in exc.message.lower() for marker in _GONE):
            return Blocked(exc.message)
        return Undeliverable(f"403: {exc.message}")
    if isinstance(exc, TelegramEntityTooLarge):  # a NetworkError subclass, but final
        return Undeliverable("file too large")
    if isinstance(exc, TelegramServerError | TelegramNetworkError | ClientDecodeError):
        return RetryLater(type(exc).__name__)
    return Undeliverable(f"{type(exc).__name__}: {getattr(exc, 'message', '')}")


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
                reason = type(exc).__name__  # its text may repeat the request URL, token included
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
