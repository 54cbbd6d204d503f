"""The Zalo channel: the Zalo Bot API (own small client, bot/channels/zalo_client.py) on the
shared channel runtime.

In: long polling (`getUpdates`, one update per call, no offset: reading an update removes it
from Zalo's queue, so each one is stored in the inbox as soon as it is read, before the next is
asked for) or a webhook on the built-in web server at `/zalo/webhook` (registered with
setWebhook as CHIBOT_WEBHOOK_URL + /zalo/webhook and CHIBOT_WEBHOOK_SECRET; a call without the
right `X-Bot-Api-Secret-Token` gets 401 and nothing is stored; 200 only after the store, 5xx when
the store failed). The documentation shows webhook bodies wrapped in {"ok": true, "result": …},
integrators report them flat: both are accepted. Updates are deduplicated on the message id.
Images, stickers and unsupported messages get a short answer saying what the bot reads.

Loss bound of long polling: the API gives no second chance, so an update whose getUpdates
answer had arrived but was not yet committed when the process died is lost — at most one per
crash (one update is read at a time and stored before the next is asked for). The webhook has
no such window (Zalo sees 200 only after the commit): use it where no message may be lost.

Out: `zalo_render` turns a Reply into sendMessage/sendPhoto calls; files are shared by signed,
expiring links (bot/files.py) when CHIBOT_PUBLIC_URL is set. Errors map onto the runtime's
retry policy in the client.

Groups: the bot sees only messages that mention it or reply to it (Zalo's rule); a leading
mention of the bot's name is removed (how Zalo writes mentions in the text is not documented).
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import re
from dataclasses import dataclass
from typing import Any, ClassVar

import orjson
from aiohttp import web

from bot import files
from bot.app import App
from bot.channels.runtime import (
    Blocked,
    ChannelOptions,
    ChannelRuntime,
    RetryLater,
    RetryPolicy,
    StoredUpdate,
    Undeliverable,
    enqueue,
    outbox_values,
)
from bot.channels.zalo_client import Unauthorized, ZaloClient
from bot.channels.zalo_render import LINK, ZaloCall, render
from bot.settings import Settings, SettingsError
from bot.web import WebServer
from domain import texts
from handlers.types import Incoming, Reply
from storage.clock import to_local
from storage.db import insert_ignoring_duplicates
from storage.models import InboxUpdate

log = logging.getLogger(__name__)

CHANNEL = "zalo"
WEBHOOK_PATH = "/zalo/webhook"
SECRET_HEADER = "X-Bot-Api-Secret-Token"
_SECRET = re.compile(r"^[A-Za-z0-9_-]{8,256}$")
TEXT_EVENT = "message.text.received"
MEDIA_EVENTS = ("message.image.received", "message.sticker.received", "message.unsupported.received")


@dataclass(frozen=True)
class ZaloOptions(ChannelOptions):
    WEBHOOK_PATH: ClassVar[str] = WEBHOOK_PATH

    api_base: str = "https://bot-api.zaloplatforms.com"
    polling_min_delay: float = 1.0  # backoff of getUpdates after a failure
    polling_max_delay: float = 30.0
    # send_rate: no rate limit is published; the same default as Telegram

    @classmethod
    def from_settings(cls, settings: Settings) -> ZaloOptions:
        timeout = settings.zalo_timeout
        return cls(
            token=settings.zalo_token, api_base=settings.zalo_api_base, webhook_url=settings.webhook_url,
            webhook_secret=settings.webhook_secret, host=settings.http_host, port=settings.http_port,
            retry=RetryPolicy(request_timeout=timeout, upload_timeout=timeout),
            send_rate=settings.send_rate, send_concurrency=settings.send_concurrency,
        )

    def check(self) -> None:
        """Raise SettingsError when the channel cannot start with these options."""
        if not self.token:
            raise SettingsError("CHIBOT_ZALO_TOKEN: empty")
        if self.webhook_url and not _SECRET.match(self.webhook_secret):
            raise SettingsError(
                "CHIBOT_WEBHOOK_SECRET: required with CHIBOT_WEBHOOK_URL for Zalo, 8-256 characters from "
                "A-Z a-z 0-9 _ - (make one with: python3 -c 'import secrets; print(secrets.token_urlsafe(32))')"
            )


def unwrap(body: Any) -> dict[str, Any] | None:
    """The update of a webhook body, flat or wrapped in {"ok": true, "result": …}."""
    if isinstance(body, dict) and "event_name" not in body and isinstance(body.get("result"), dict):
        body = body["result"]
    return body if isinstance(body, dict) else None


@dataclass(frozen=True)
class Parsed:
    stored: StoredUpdate
    media: bool = False  # answered at once with texts.ZALO_MEDIA


class ZaloAdapter:
    """The platform side of the Zalo channel, as the runtime sees it."""

    channel = CHANNEL

    def __init__(self, client: ZaloClient, app: App):
        self.client = client
        self.app = app
        self.bot_name: str = ""

    # --- out ---------------------------------------------------------------------------------
    def render(self, chat_id: str, reply: Reply) -> list[ZaloCall]:
        return render(chat_id, reply, links=bool(self.app.settings.public_url))

    def is_upload(self, call: ZaloCall) -> bool:
        return False  # Zalo takes photos by URL only

    async def call(self, call: ZaloCall, timeout: float):
        params = call.params
        if call.file is not None:
            try:
                link, expires = await files.share(self.app.services.sessions, self.app.settings, call.file.filename,
                                                  call.file.kind, call.file.content, self.app.services.now())
            except Exception as exc:  # the database failed: try again later
                raise RetryLater(f"sharing a file failed ({type(exc).__name__})") from None
            local = to_local(expires, self.app.settings.tz).strftime("%H:%M %d/%m/%Y")
            params = {
                key: (value.replace(LINK, link) if key == "photo" else
                      value.format(filename=call.file.filename, link=link, expires=local) if key == "text" else value)
                for key, value in params.items()
            }
        try:
            return await self.client.call(call.method, params, timeout)
        except Unauthorized as exc:  # the token was revoked while serving: nothing will go out
            log.error("zalo rejected the token (401) while sending; replace CHIBOT_ZALO_TOKEN")
            raise RetryLater(exc.reason) from None

    async def typing(self, chat_id: str) -> None:
        await self.client.call("sendChatAction", {"chat_id": chat_id, "action": "typing"}, 5.0)

    def acknowledge(self, update: StoredUpdate):
        return None

    def handled(self, incoming: Incoming, replies: list[Reply]):
        return None

    # --- in ----------------------------------------------------------------------------------
    def parse(self, update: dict[str, Any]) -> Parsed | None:
        """The inbox row of an update, or None when it is not for the bot (a bot's message,
        an event without a message, media in a group)."""
        message = update.get("message")
        if not isinstance(message, dict):
            return None
        sender, chat = message.get("from") or {}, message.get("chat") or {}
        user_id, chat_id = str(sender.get("id") or ""), str(chat.get("id") or sender.get("id") or "")
        if not user_id or not chat_id or sender.get("is_bot"):
            return None
        group = str(chat.get("chat_type", "PRIVATE")).upper() != "PRIVATE"
        event = str(update.get("event_name") or "")
        text = message.get("text")
        message_id = str(message.get("message_id") or f"{chat_id}:{message.get('date', '')}:{user_id}")
        payload = {"user_id": user_id, "text": "", "chat_type": "group" if group else "private",
                   "display_name": str(sender.get("display_name") or sender.get("name") or "")[:255]}
        if event in MEDIA_EVENTS or not isinstance(text, str) or not text.strip():
            if group:
                return None
            return Parsed(StoredUpdate(message_id, chat_id, payload), media=True)
        if group:
            text = self._group_text(text)
        payload["text"] = text
        return Parsed(StoredUpdate(message_id, chat_id, payload))

    def _group_text(self, text: str) -> str:
        name = self.bot_name
        if name and text.lstrip().lower().startswith("@" + name.lower()):
            text = text.lstrip()[len(name) + 1:]
        return " ".join(text.split())


class ZaloChannel:
    def __init__(self, app: App, options: ZaloOptions | None = None, web: WebServer | None = None):
        self.app = app
        self.options = options or ZaloOptions.from_settings(app.settings)
        self.options.check()
        self.client = ZaloClient(self.options.token, self.options.api_base, self.options.retry.request_timeout)
        self.adapter = ZaloAdapter(self.client, app)
        self.runtime = ChannelRuntime(app, self.adapter, self.options.runtime())
        self.ready = asyncio.Event()
        self.web = web
        self._own_web = web is None
        self._accepting = False
        if web is not None and self.options.webhook_url:
            web.add_webhook(WEBHOOK_PATH, self.handle_webhook)

    # --- running ------------------------------------------------------------------------------
    async def serve(self) -> None:
        """Run until cancelled. Raises SettingsError when Zalo rejects the token."""
        try:
            me = await self._get_me()
            self.adapter.bot_name = str(me.get("account_name") or me.get("display_name") or "")
            log.info("zalo bot %s (%s mode)", self.adapter.bot_name or "?",
                     "webhook" if self.options.webhook_url else "polling")
            self.runtime.start()
            if self.options.webhook_url:
                await self._serve_webhook()
            else:
                await self._serve_polling()
        finally:
            await self._shutdown()

    async def _get_me(self) -> dict[str, Any]:
        delay = self.options.retry.base_delay
        while True:
            try:
                return await self.client.get_me(self.options.retry.request_timeout)
            except Unauthorized:
                raise SettingsError(
                    "CHIBOT_ZALO_TOKEN: Zalo rejected the token (revoked or mistyped); copy the current "
                    "one from the Zalo Bot Manager (see docs/zalo.md)"
                ) from None
            except (RetryLater, Undeliverable, Blocked) as exc:
                log.warning("zalo getMe failed (%s); retrying in %.1fs", exc.reason, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 60.0)

    async def _serve_polling(self) -> None:
        try:
            await self.client.delete_webhook()
        except Unauthorized:
            raise SettingsError("CHIBOT_ZALO_TOKEN: Zalo rejected the token") from None
        except Exception as exc:
            log.warning("zalo deleteWebhook failed (%s); polling anyway", type(exc).__name__)
        self.ready.set()
        failures = 0
        while True:
            try:
                updates = await self.client.get_updates(self.options.polling_timeout)
                failures = 0
            except Unauthorized:
                raise SettingsError("CHIBOT_ZALO_TOKEN: Zalo rejected the token") from None
            except (RetryLater, Undeliverable, Blocked) as exc:
                failures += 1
                delay = min(self.options.polling_min_delay * 1.5 ** (failures - 1), self.options.polling_max_delay)
                log.warning("zalo getUpdates failed (%s); retrying in %.1fs", exc.reason, delay)
                await asyncio.sleep(delay)
                continue
            for update in updates:
                parsed = self.adapter.parse(unwrap(update) or {})
                if parsed is not None:
                    # Zalo has forgotten it already: store before asking for the next one.
                    await self._store_until_done(parsed)

    async def _store_until_done(self, parsed: Parsed) -> None:
        delay = 0.2
        while True:
            try:
                await self.store(parsed)
                return
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.error("storing a zalo update failed (%s); retrying in %.1fs", type(exc).__name__, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 10.0)

    async def store(self, parsed: Parsed) -> None:
        """Store one update durably (raises when the database fails). Media get their answer in
        the same transaction (the inbox row is stored as handled, so a redelivery is ignored)."""
        if not parsed.media:
            await self.runtime.store_together(parsed.stored)
            return
        update, now = parsed.stored, self.app.services.now()
        async with self.app.services.sessions() as session:
            async with session.begin():
                inserted = await session.execute(
                    insert_ignoring_duplicates(session, InboxUpdate).values(
                        channel=CHANNEL, update_id=update.update_id, chat_id=update.chat_id,
                        payload=update.payload, received_at=now, handled_at=now,
                    )
                )
                pending = []
                if inserted.rowcount == 1:
                    pending = await enqueue(session, outbox_values(CHANNEL, update.chat_id, [Reply(texts.ZALO_MEDIA)], now))
        if pending:
            self.runtime.kick_send(update.chat_id, pending)

    async def _serve_webhook(self) -> None:
        if self.web is None:
            self.web = WebServer(self.app, self.options.host, self.options.port)
            self.web.add_webhook(WEBHOOK_PATH, self.handle_webhook)
            await self.web.start()
        self._accepting = True
        delay = self.options.retry.base_delay
        while True:
            try:
                await self.client.set_webhook(self.options.webhook_target, self.options.webhook_secret)
                break
            except Unauthorized:
                raise SettingsError("CHIBOT_ZALO_TOKEN: Zalo rejected the token") from None
            except Undeliverable as exc:
                raise SettingsError(f"CHIBOT_WEBHOOK_URL: Zalo refused the webhook ({exc.reason})") from None
            except (RetryLater, Blocked) as exc:
                log.warning("zalo setWebhook failed (%s); retrying in %.1fs", exc.reason, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 60.0)
        log.info("zalo webhook set to %s", self.options.webhook_target)
        self.ready.set()
        await asyncio.Event().wait()

    async def _shutdown(self) -> None:
        self._accepting = False
        await self.runtime.stop()
        if self._own_web and self.web is not None:
            await self.web.stop()
        await self.client.close()

    # --- webhook ------------------------------------------------------------------------------
    async def handle_webhook(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self.options.webhook_secret.encode()):
            log.warning("zalo webhook call with a wrong or missing secret from %s", request.remote)
            return web.Response(status=401, text="Unauthorized")
        if not self._accepting:
            return web.Response(status=503, text="Shutting down")
        try:
            body = orjson.loads(await request.read())
        except Exception:
            return web.Response(status=400, text="Bad Request")
        parsed = self.adapter.parse(unwrap(body) or {})
        if parsed is not None:
            try:
                await self.store(parsed)
            except Exception as exc:
                log.error("storing a zalo update failed (%s)", type(exc).__name__)
                return web.Response(status=500, text="Not stored")
        return web.json_response({"ok": True})


async def serve_zalo(app: App, web: WebServer | None = None) -> None:
    """Serve Zalo until cancelled: long polling, or the webhook when CHIBOT_WEBHOOK_URL is set."""
    await ZaloChannel(app, web=web).serve()
