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
from contextlib import suppress
from dataclasses import dataclass, field
from typing import ClassVar

import orjson
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    ClientDecodeError,
    TelegramAPIError,
    TelegramBadRequest,
    TelegramNotFound,
    TelegramUnauthorizedError,
)
from aiogram.methods import (
    AnswerCallbackQuery,
    DeleteWebhook,
    GetMe,
    GetUpdates,
    SendChatAction,
    SendDocument,
    SendMessage,
    SendPhoto,
    SetMyCommands,
    SetWebhook,
)
from aiogram.methods.base import Response
from aiogram.types import CallbackQuery, Message, Update
from aiogram.types import User as TgUser
from aiogram.utils.backoff import BackoffConfig
from aiogram.utils.token import TokenValidationError
from aiohttp import web
from sqlalchemy import select

from bot.app import App
from bot.channels.telegram_menu import set_all_menus, set_chat_menu
from bot.channels.telegram_render import SendMessageUnread, render
from bot.channels.runtime import ChannelOptions, ChannelRuntime, RetryPolicy, StoredUpdate
from bot.channels.telegram_send import CHANNEL, BotBlocked, TelegramSender, delivery_error
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
class TelegramOptions(ChannelOptions):
    WEBHOOK_PATH: ClassVar[str] = WEBHOOK_PATH

    api_base: str = "https://api.telegram.org"
    polling_backoff: BackoffConfig = field(
        default_factory=lambda: BackoffConfig(min_delay=1.0, max_delay=30.0, factor=1.5, jitter=0.1)
    )
    menu_rate: float = 25.0  # setMyCommands calls per second at start

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
            send_rate=settings.send_rate,
            send_concurrency=settings.send_concurrency,
        )

    def check(self) -> None:
        """Raise SettingsError when the channel cannot start with these options."""
        if not self.token:
            raise SettingsError("CHIBOT_TELEGRAM_TOKEN: empty")
        if self.webhook_url and not _SECRET.match(self.webhook_secret):
            raise SettingsError(
                "CHIBOT_WEBHOOK_SECRET: required with CHIBOT_WEBHOOK_URL, 1-256 characters from "
                "A-Z a-z 0-9 _ - (make one with: python3 -c 'import secrets; print(secrets.token_urlsafe(32))')"
            )


def _dumps(value) -> str:
    return orjson.dumps(value).decode()


def make_bot(token: str, api_base: str, timeout: float) -> Bot:
    session = AiohttpSession(api=TelegramAPIServer.from_base(api_base), timeout=timeout,
                             json_loads=orjson.loads, json_dumps=_dumps)
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


async def serve_telegram(app: App, web: WebServer | None = None) -> None:
    """Serve Telegram until cancelled: long polling, or the webhook when CHIBOT_WEBHOOK_URL is set
    (on `web`, the process's shared web server, when given; else on a server of its own)."""
    await TelegramChannel(app, web=web).serve()


def full_name(user: TgUser) -> str:
    return " ".join(part for part in (user.first_name, user.last_name) if part).strip()


# aiogram validates every answer with pydantic's `Response[<result type>]`; the installed pydantic
# keeps those parametrised classes only weakly, so without a strong reference they are collected
# and rebuilt on almost every call (about 1.4 ms each). Keep the ones the channel uses alive.
_RESPONSE_TYPES = [
    Response[m.__returning__]  # type: ignore[name-defined]
    for m in (GetUpdates, SendMessage, SendMessageUnread, SendPhoto, SendDocument, AnswerCallbackQuery,
              SendChatAction, SetMyCommands, GetMe, DeleteWebhook, SetWebhook)
]


class TelegramAdapter:
    """The platform side of the Telegram channel, as the runtime sees it."""

    channel = CHANNEL

    def __init__(self, bot: Bot, sender: TelegramSender, app: App):
        self.bot = bot
        self.sender = sender
        self.app = app
        self.username: str | None = None
        self.bot_id: int | None = None

    # --- out ---------------------------------------------------------------------------------
    def render(self, chat_id: str, reply: Reply) -> list:
        return render(int(chat_id), reply)

    def is_upload(self, call) -> bool:
        return isinstance(call, SendDocument | SendPhoto)

    async def call(self, call, timeout: float):
        try:
            return await self.bot(call, request_timeout=timeout)
        except (TelegramAPIError, ClientDecodeError) as exc:
            raise delivery_error(exc) from None

    async def typing(self, chat_id: str) -> None:
        if chat_id.lstrip("-").isdigit():
            await self.call(SendChatAction(chat_id=int(chat_id), action="typing"), 5.0)

    def acknowledge(self, update: StoredUpdate):
        query_id = update.payload.get("callback_id")
        return self._answer(query_id) if query_id else None

    async def _answer(self, query_id: str) -> None:
        with suppress(BotBlocked):  # the button stops spinning
            await self.sender.call(AnswerCallbackQuery(callback_query_id=query_id), attempts=2)

    def handled(self, incoming: Incoming, replies: list[Reply]):
        """After /start in a private chat: the chat's menu for the role it is now linked to."""
        if incoming.is_group or not _is_start(incoming):
            return None
        return self._refresh_menu(incoming)

    async def _refresh_menu(self, incoming: Incoming) -> None:
        async with self.app.services.sessions() as session:
            role = await session.scalar(
                select(User.role)
                .join(ChatIdentity, ChatIdentity.user_id == User.id)
                .where(ChatIdentity.channel == CHANNEL, ChatIdentity.external_id == incoming.user_id)
            )
        if role is not None:
            await set_chat_menu(self.sender, self.app.conversation.router, incoming.chat_id, role)

    # --- in ----------------------------------------------------------------------------------
    def stored(self, update: Update) -> StoredUpdate | None:
        """The inbox row of an update, or None when it is not for the bot (then it is only
        acknowledged: group chatter, service messages, other bots' commands)."""
        if update.message is not None:
            incoming = self.incoming_from_message(update.message, update.update_id)
        elif update.callback_query is not None:
            incoming = self.incoming_from_callback(update.callback_query, update.update_id)
        else:
            incoming = None
        if incoming is None:
            return None
        payload = {"user_id": incoming.user_id, "text": incoming.text, "chat_type": incoming.chat_type,
                   "display_name": incoming.display_name}
        if incoming.choice is not None:
            payload["choice"] = incoming.choice
            payload["callback_id"] = update.callback_query.id
        return StoredUpdate(str(update.update_id), incoming.chat_id, payload)

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
            and message.reply_to_message.from_user.id == self.bot_id
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


class TelegramChannel:
    def __init__(self, app: App, options: TelegramOptions | None = None, web: WebServer | None = None):
        self.app = app
        self.options = options or TelegramOptions.from_settings(app.settings)
        self.options.check()
        self.bot = make_bot(self.options.token, self.options.api_base, self.options.retry.request_timeout)
        self.sender = TelegramSender(self.bot, self.options.retry)
        self.adapter = TelegramAdapter(self.bot, self.sender, app)
        self.runtime = ChannelRuntime(app, self.adapter, self.options.runtime())
        self.ready = asyncio.Event()  # set once updates are being received
        # The process's shared web server (bot.runner), or None: the webhook gets its own.
        self.web: WebServer | None = web
        self._own_web = web is None
        if web is not None and self.options.webhook_url:
            web.add_webhook(WEBHOOK_PATH, self.handle_webhook)
        self._menus: asyncio.Task | None = None
        self._accepting = False

    @property
    def username(self) -> str | None:
        return self.adapter.username

    # --- running ------------------------------------------------------------------------------
    async def serve(self) -> None:
        """Run until cancelled. Raises SettingsError when Telegram rejects the token."""
        try:
            me = await self._get_me()
            self.adapter.username, self.adapter.bot_id = me.username, me.id
            self.app.services.bot_username = me.username
            log.info("telegram bot @%s (%s mode)", me.username,
                     "webhook" if self.options.webhook_url else "polling")
            self._menus = asyncio.create_task(self._set_menus())
            self.runtime.start()
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
                log.warning("telegram getMe failed (%s); retrying in %.1fs", type(exc).__name__, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 60.0)

    async def _serve_polling(self) -> None:
        if await self.sender.call(DeleteWebhook(drop_pending_updates=False)) is None:
            log.warning("deleteWebhook failed; polling anyway (Telegram answers 409 while a webhook is set)")
        self.ready.set()
        offset: int | None = None
        failures = 0
        backoff = self.options.polling_backoff
        while True:
            await self.runtime.intake_room()
            try:
                updates = await self.bot(
                    GetUpdates(offset=offset, timeout=self.options.polling_timeout, allowed_updates=ALLOWED_UPDATES),
                    request_timeout=self.options.polling_timeout + self.options.retry.request_timeout,
                )
                failures = 0
            except (TelegramAPIError, ClientDecodeError) as exc:
                failures += 1
                delay = min(backoff.min_delay * backoff.factor ** (failures - 1), backoff.max_delay)
                log.warning("telegram getUpdates failed (%s); retrying in %.1fs", type(exc).__name__, delay)
                await asyncio.sleep(delay)
                continue
            if not updates:
                continue
            stored = [row for row in map(self.adapter.stored, updates) if row is not None]
            await self._store_until_done(stored)
            # Only now may Telegram forget them: the next offset confirms this batch.
            offset = updates[-1].update_id + 1

    async def _store_until_done(self, stored: list[StoredUpdate]) -> None:
        """Store a polled batch; while the database fails, wait and try again (the offset is
        not moved, so nothing is lost however long it takes)."""
        delay = 0.2
        while True:
            try:
                await self.runtime.store(stored)
                return
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.error("storing %d telegram updates failed (%s); retrying in %.1fs",
                          len(stored), type(exc).__name__, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 10.0)

    async def _serve_webhook(self) -> None:
        if self.web is None:
            self.web = WebServer(self.app, self.options.host, self.options.port)
            self.web.add_webhook(WEBHOOK_PATH, self.handle_webhook)
            await self.web.start()
        self._accepting = True
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
                log.warning("telegram setWebhook failed (%s); retrying in %.1fs", type(exc).__name__, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 60.0)
        log.info("telegram webhook set to %s", self.options.webhook_target)
        self.ready.set()
        await asyncio.Event().wait()  # serve until cancelled

    async def _shutdown(self) -> None:
        self._accepting = False
        if self._menus is not None:
            self._menus.cancel()
        await self.runtime.stop()
        if self._own_web and self.web is not None:
            await self.web.stop()
        await self.bot.session.close()

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
        if not self._accepting:  # shutting down: Telegram will deliver it again
            return web.Response(status=503, text="Shutting down")
        try:
            update = Update.model_validate(await request.json(), context={"bot": self.bot})
        except Exception:
            return web.Response(status=400, text="Bad Request")
        stored = self.adapter.stored(update)
        if stored is not None:
            try:
                await self.runtime.store_together(stored)
            except Exception as exc:  # not stored: not acknowledged, Telegram sends it again
                log.error("storing telegram update %s failed (%s)", update.update_id, type(exc).__name__)
                return web.Response(status=500, text="Not stored")
        return web.json_response({})


def _is_start(incoming: Incoming) -> bool:
    command = parse_command(incoming.text) if incoming.choice is None else None
    return command is not None and command[0] == "start"
