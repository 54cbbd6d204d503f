"""The Telegram channel (aiogram 3): updates in, the core's replies out.

In: a Message or a CallbackQuery becomes an `Incoming` (update id kept, so the core handles a
redelivered update once), handled by `app.conversation.handle`. Updates of one chat are handled
one after another, in order; different chats in parallel.
Out: each `Reply` is rendered (telegram_render) and sent through `TelegramSender`, which retries
429/5xx/timeouts and reports a user who blocked the bot (then marked, telegram_send.mark_blocked).
A button press is always answered (answerCallbackQuery), whatever the core does. When handling
takes more than about a second, the chat shows "typing…".

Modes: long polling by default; a webhook on the built-in web server (bot.web) when
CHIBOT_WEBHOOK_URL is set, with CHIBOT_WEBHOOK_SECRET checked on every call (401 otherwise).
CHIBOT_TELEGRAM_API_BASE points the client at another Bot API server (a local one, or the fake
server of the end-to-end tests).

Groups: only commands, messages that mention the bot and replies to the bot are taken; the core
answers questions and /trogiup there and refuses anything personal with a button that opens a
private chat (its URL needs the bot's username, read with getMe at start).
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field

from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    ClientDecodeError,
    TelegramAPIError,
    TelegramBadRequest,
    TelegramNotFound,
    TelegramUnauthorizedError,
)
from aiogram.methods import AnswerCallbackQuery, DeleteWebhook, GetMe, SendChatAction, SetWebhook
from aiogram.types import CallbackQuery, Message, Update
from aiogram.types import User as TgUser
from aiogram.utils.backoff import BackoffConfig
from aiogram.utils.token import TokenValidationError
from aiohttp import web
from sqlalchemy import select

from bot.app import App
from bot.channels.telegram_menu import set_all_menus, set_chat_menu
from bot.channels.telegram_render import render
from bot.channels.telegram_send import CHANNEL, BotBlocked, RetryPolicy, TelegramSender, mark_blocked
from bot.settings import Settings, SettingsError
from bot.web import WebServer
from handlers.core import parse_command
from handlers.types import Incoming, Reply
from storage.models import ChatIdentity, User

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
ALLOWED_UPDATES = ["message", "callback_query"]
_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_MENTION = re.compile(r"@([A-Za-z0-9_]{3,64})")


@dataclass(frozen=True)
class TelegramOptions:
    token: str
    api_base: str = "https://api.telegram.org"
    webhook_url: str = ""
    webhook_secret: str = ""
    host: str = "0.0.0.0"
    port: int = 8080
    polling_timeout: int = 30  # seconds one getUpdates call waits for updates
    polling_backoff: BackoffConfig = field(
        default_factory=lambda: BackoffConfig(min_delay=1.0, max_delay=30.0, factor=1.5, jitter=0.1)
    )
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    typing_delay: float = 1.0  # show "typing…" when handling takes longer than this
    typing_interval: float = 4.5  # Telegram shows the action for about 5 seconds
    menu_rate: float = 25.0  # setMyCommands calls per second at start
    shutdown_grace: float = 5.0  # seconds to let updates in progress finish on stop

    @classmethod
    def from_settings(cls, settings: Settings) -> TelegramOptions:
        timeout = settings.telegram_timeout
        return cls(
            token=settings.telegram_token,
            api_base=settings.telegram_api_base,
            webhook_url=settings.webhook_url,
            webhook_secret=settings.webhook_secret,
            host=settings.http_host,
            port=settings.http_port,
            retry=RetryPolicy(request_timeout=timeout, upload_timeout=max(60.0, 3 * timeout)),
            menu_rate=settings.send_rate,
        )

    @property
    def webhook_target(self) -> str:
        """The URL given to setWebhook: CHIBOT_WEBHOOK_URL + /telegram/webhook."""
        base = self.webhook_url.rstrip("/")
        return base if base.endswith(WEBHOOK_PATH) else base + WEBHOOK_PATH


def make_bot(token: str, api_base: str, timeout: float) -> Bot:
    session = AiohttpSession(api=TelegramAPIServer.from_base(api_base), timeout=timeout)
    try:
        return Bot(token, session=session)
    except TokenValidationError:
        raise SettingsError(
            "CHIBOT_TELEGRAM_TOKEN: not a Telegram bot token (expected the form 123456789:AA…, "
            "as given by @BotFather)"
        ) from None


async def fetch_username(settings: Settings) -> str | None:
    """The bot's username via getMe (for invite deep links); None when it cannot be read."""
    bot = make_bot(settings.telegram_token, settings.telegram_api_base, settings.telegram_timeout)
    try:
        sender = TelegramSender(bot, RetryPolicy(attempts=3, request_timeout=settings.telegram_timeout))
        me = await sender.call(GetMe())
        return me.username if me is not None else None
    finally:
        await bot.session.close()


async def serve_telegram(app: App) -> None:
    """Serve Telegram until cancelled: long polling, or the webhook when CHIBOT_WEBHOOK_URL is set."""
    await TelegramChannel(app).serve()


def full_name(user: TgUser) -> str:
    return " ".join(part for part in (user.first_name, user.last_name) if part).strip()


class KeyedLocks:
    """One asyncio lock per key (chat), dropped when nobody holds or waits for it."""

    def __init__(self) -> None:
        self._locks: dict[str, tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        lock, users = self._locks.get(key, (None, 0))
        lock = lock or asyncio.Lock()
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[key]
            if users <= 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)

    def __len__(self) -> int:
        return len(self._locks)


class TelegramChannel:
    def __init__(self, app: App, options: TelegramOptions | None = None):
        self.app = app
        self.options = options or TelegramOptions.from_settings(app.settings)
        if not self.options.token:
            raise SettingsError("CHIBOT_TELEGRAM_TOKEN: empty")
        if self.options.webhook_url and not _SECRET.match(self.options.webhook_secret):
            raise SettingsError(
                "CHIBOT_WEBHOOK_SECRET: required with CHIBOT_WEBHOOK_URL, 1-256 characters from "
                "A-Z a-z 0-9 _ - (make one with: python3 -c 'import secrets; print(secrets.token_urlsafe(32))')"
            )
        self.bot = make_bot(self.options.token, self.options.api_base, self.options.retry.request_timeout)
        self.sender = TelegramSender(self.bot, self.options.retry)
        self.dispatcher = Dispatcher()
        self.dispatcher.message.register(self._on_message)
        self.dispatcher.callback_query.register(self._on_callback)
        self.username: str | None = None
        self.ready = asyncio.Event()  # set once updates are being received
        self.web: WebServer | None = None
        self._bot_id: int | None = None
        self._locks = KeyedLocks()
        self._inflight: set[asyncio.Task] = set()  # updates being handled
        self._background: set[asyncio.Task] = set()  # updates fed from the webhook
        self._menus: asyncio.Task | None = None

    # --- running ------------------------------------------------------------------------------
    async def serve(self) -> None:
        """Run until cancelled. Raises SettingsError when Telegram rejects the token."""
        try:
            me = await self._get_me()
            self.username, self._bot_id = me.username, me.id
            self.app.services.bot_username = me.username
            log.info("telegram bot @%s (%s mode)", me.username,
                     "webhook" if self.options.webhook_url else "polling")
            self._menus = asyncio.create_task(self._set_menus())
            if self.options.webhook_url:
                await self._serve_webhook()
            else:
                await self._serve_polling()
        finally:
            await self._shutdown()

    async def _get_me(self):
        """getMe until it works: the API may be unreachable for a while at boot."""
        delay = self.options.retry.base_delay
        while True:
            try:
                return await self.bot.me()
            except (TelegramUnauthorizedError, TelegramNotFound):
                raise SettingsError(
                    "CHIBOT_TELEGRAM_TOKEN: Telegram rejected the token (revoked or mistyped); "
                    "get the current one from @BotFather with /token"
                ) from None
            except (TelegramAPIError, ClientDecodeError) as exc:
                log.warning("telegram getMe failed (%s); retrying in %.1fs", exc, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 60.0)

    async def _serve_polling(self) -> None:
        if await self.sender.call(DeleteWebhook(drop_pending_updates=False)) is None:
            log.warning("deleteWebhook failed; polling anyway (Telegram answers 409 while a webhook is set)")
        self.ready.set()
        while True:
            polling = asyncio.create_task(
                self.dispatcher.start_polling(
                    self.bot,
                    polling_timeout=self.options.polling_timeout,
                    backoff_config=self.options.polling_backoff,
                    allowed_updates=ALLOWED_UPDATES,
                    handle_signals=False,
                    close_bot_session=False,
                )
            )
            try:
                # Shielded: cancelling start_polling itself would leave aiogram's poller running.
                await asyncio.shield(polling)
                return
            except asyncio.CancelledError:
                await self._stop_polling(polling)
                raise
            except Exception:  # keep serving whatever happens inside aiogram
                log.exception("telegram polling stopped unexpectedly; restarting in 5 s")
                await asyncio.sleep(5)

    async def _stop_polling(self, polling: asyncio.Task) -> None:
        try:
            await asyncio.wait_for(self.dispatcher.stop_polling(), 5)
        except (RuntimeError, TimeoutError):  # not started yet, or stuck
            polling.cancel()
        with suppress(asyncio.CancelledError, Exception):
            await polling

    async def _serve_webhook(self) -> None:
        self.web = WebServer(self.app, self.options.host, self.options.port)
        self.web.add_webhook(WEBHOOK_PATH, self.handle_webhook)
        await self.web.start()
        delay = self.options.retry.base_delay
        while True:
            try:
                await self.bot(
                    SetWebhook(
                        url=self.options.webhook_target,
                        secret_token=self.options.webhook_secret,
                        allowed_updates=ALLOWED_UPDATES,
                        drop_pending_updates=False,
                    )
                )
                break
            except TelegramBadRequest as exc:
                raise SettingsError(f"CHIBOT_WEBHOOK_URL: Telegram refused the webhook: {exc.message}") from None
            except (TelegramAPIError, ClientDecodeError) as exc:
                log.warning("telegram setWebhook failed (%s); retrying in %.1fs", exc, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 60.0)
        log.info("telegram webhook set to %s", self.options.webhook_target)
        self.ready.set()
        await asyncio.Event().wait()  # serve until cancelled

    async def _shutdown(self) -> None:
        if self._menus is not None:
            self._menus.cancel()
        # Let updates in progress finish (their replies reach the user), then stop the rest.
        busy = self._inflight | self._background
        if busy:
            _, pending = await asyncio.wait(busy, timeout=self.options.shutdown_grace)
            for task in pending:
                task.cancel()
            if pending:
                await asyncio.wait(pending, timeout=1.0)
        if self.web is not None:
            await self.web.stop()
        await self.bot.session.close()

    def _spawn(self, coro) -> asyncio.Task:
        task = asyncio.create_task(coro)
        self._background.add(task)
        task.add_done_callback(self._background.discard)
        return task

    async def _set_menus(self) -> None:
        try:
            await set_all_menus(self.sender, self.app.conversation.router, self.app.services.sessions,
                                self.options.menu_rate)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("setting the telegram command menus failed")

    # --- webhook ------------------------------------------------------------------------------
    async def handle_webhook(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self.options.webhook_secret.encode()):
            log.warning("telegram webhook call with a wrong or missing secret from %s", request.remote)
            return web.Response(status=401, text="Unauthorized")
        try:
            update = Update.model_validate(await request.json(), context={"bot": self.bot})
        except Exception:
            return web.Response(status=400, text="Bad Request")
        # Answer at once; Telegram redelivers updates that are not acknowledged quickly.
        self._spawn(self._feed(update))
        return web.json_response({})

    async def _feed(self, update: Update) -> None:
        try:
            await self.dispatcher.feed_update(self.bot, update)
        except Exception:
            log.exception("telegram update %s failed", update.update_id)

    # --- updates ------------------------------------------------------------------------------
    def incoming_from_message(self, message: Message, update_id: int) -> Incoming | None:
        user = message.from_user
        if user is None or user.is_bot:
            return None
        private = message.chat.type == "private"
        text = message.text or message.caption or ""
        if not private:
            text = self._group_text(message, text)
            if text is None:
                return None
        return Incoming(
            channel=CHANNEL,
            chat_id=str(message.chat.id),
            user_id=str(user.id),
            text=text,
            chat_type="private" if private else "group",
            update_id=str(update_id),
            display_name=full_name(user),
        )

    def _group_text(self, message: Message, text: str) -> str | None:
        """The text meant for the bot in a group, or None when the message is not for it:
        service messages, media, chatter, commands addressed to another bot."""
        if not text.strip():
            return None
        username = (self.username or "").lower()
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0]
            if "@" in command and command.split("@", 1)[1].lower() != username:
                return None
            return text
        mentioned = any(m[1].lower() == username for m in _MENTION.finditer(text)) if username else False
        replied = message.reply_to_message is not None and message.reply_to_message.from_user is not None \
            and message.reply_to_message.from_user.id == self._bot_id
        if not (mentioned or replied):
            return None
        if mentioned:
            text = re.sub(rf"@{re.escape(self.username or '')}\b", " ", text, flags=re.I)
        return " ".join(text.split())

    def incoming_from_callback(self, query: CallbackQuery, update_id: int) -> Incoming | None:
        if not query.data:
            return None
        message = query.message
        chat = message.chat if message is not None else None
        return Incoming(
            channel=CHANNEL,
            chat_id=str(chat.id if chat is not None else query.from_user.id),
            user_id=str(query.from_user.id),
            text="",
            choice=query.data,
            chat_type="private" if chat is None or chat.type == "private" else "group",
            update_id=str(update_id),
            display_name=full_name(query.from_user),
        )

    async def _on_message(self, message: Message, event_update: Update) -> None:
        incoming = self.incoming_from_message(message, event_update.update_id)
        if incoming is not None:
            await self._process(incoming)

    async def _on_callback(self, query: CallbackQuery, event_update: Update) -> None:
        # Answer at once (the button stops spinning), whatever happens next.
        answer = asyncio.create_task(self._answer(query.id))
        try:
            incoming = self.incoming_from_callback(query, event_update.update_id)
            if incoming is not None:
                await self._process(incoming)
        finally:
            await answer

    async def _answer(self, query_id: str) -> None:
        with suppress(BotBlocked):
            await self.sender.call(AnswerCallbackQuery(callback_query_id=query_id))

    async def _process(self, incoming: Incoming) -> None:
        task = asyncio.current_task()
        self._inflight.add(task)
        try:
            async with self._locks.hold(incoming.chat_id):
                replies = await self._handle_with_typing(incoming)
                delivered = await self.deliver(incoming.chat_id, replies)
                if delivered and not incoming.is_group and _is_start(incoming):
                    await self._refresh_menu(incoming)
        except asyncio.CancelledError:
            raise
        except Exception:  # never let one update take the channel down
            log.exception("telegram update %s failed", incoming.update_id)
        finally:
            self._inflight.discard(task)

    async def _handle_with_typing(self, incoming: Incoming) -> list[Reply]:
        typing = asyncio.create_task(self._typing(incoming.chat_id))
        try:
            return await self.app.conversation.handle(incoming)
        finally:
            typing.cancel()
            with suppress(asyncio.CancelledError):
                await typing

    async def _typing(self, chat_id: str) -> None:
        await asyncio.sleep(self.options.typing_delay)
        while True:
            try:  # best effort: one try, no retries
                await self.sender.call(SendChatAction(chat_id=int(chat_id), action="typing"), attempts=1)
            except BotBlocked:
                return
            await asyncio.sleep(self.options.typing_interval)

    async def deliver(self, chat_id: int | str, replies: list[Reply]) -> bool:
        """Send replies in order. False when a message could not be delivered (the rest are
        not sent, so the user never sees a later message without the earlier one)."""
        for reply in replies:
            for method in render(int(chat_id), reply):
                try:
                    result = await self.sender.call(method)
                except BotBlocked:
                    await mark_blocked(self.app.services.sessions, chat_id, self.app.services.now())
                    return False
                if result is None:
                    log.error("telegram chat %s: reply not delivered; later replies dropped", chat_id)
                    return False
        return True

    async def _refresh_menu(self, incoming: Incoming) -> None:
        """After /start: the chat's menu for the role it is now linked to."""
        async with self.app.services.sessions() as session:
            role = await session.scalar(
                select(User.role)
                .join(ChatIdentity, ChatIdentity.user_id == User.id)
                .where(ChatIdentity.channel == CHANNEL, ChatIdentity.external_id == incoming.user_id)
            )
        if role is not None:
            await set_chat_menu(self.sender, self.app.conversation.router, incoming.chat_id, role)


def _is_start(incoming: Incoming) -> bool:
    command = parse_command(incoming.text) if incoming.choice is None else None
    return command is not None and command[0] == "start"
