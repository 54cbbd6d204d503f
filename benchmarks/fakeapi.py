"""A lean fake Telegram Bot API for the throughput benchmark (aiohttp on 127.0.0.1).

It lives in the load generator's process, so its CPU is never counted as the bot's. It keeps
only what the benchmark needs: per chat, the messages the bot sent (text, buttons, arrival
time), and a FIFO of the updates waiting for their replies, so a reply completes the oldest
pending update of its chat once that update's expected number of messages has arrived.

Delivery: long polling (`getUpdates` with `offset`, woken at once by a new update) or, with
`webhook()`, each update POSTed to the bot's webhook with the secret header, one at a time per
chat and redelivered until the bot answers 200 (a bounded number of tries), as Telegram does.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web

TOKEN = "123456789:TEST-fake_token_for_chibot_e2e"
BOT_ID = 123456789
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
REPLY_METHODS = {"sendmessage", "senddocument", "sendphoto", "editmessagetext"}
_JSON_FIELDS = {"reply_markup", "commands", "scope", "allowed_updates", "link_preview_options", "entities"}


@dataclass
class Pending:
    """An update waiting for `expected` reply messages (None: complete on the first one)."""

    pushed: float
    expected: int | None
    done: asyncio.Future  # resolves to (latency in seconds, the texts of its replies)
    texts: list[str] = field(default_factory=list)


@dataclass
class ChatLog:
    messages: list[tuple[float, str, list[dict]]] = field(default_factory=list)  # (at, text, buttons)
    pending: deque[Pending] = field(default_factory=deque)
    changed: asyncio.Event = field(default_factory=asyncio.Event)
    unsolicited: int = 0


class LeanFake:
    def __init__(self, token: str = TOKEN, username: str = "chibot_bench_bot"):
        self.token = token
        self.username = username
        self.chats: dict[int, ChatLog] = {}
        self.counts: dict[str, int] = {}  # method -> calls answered
        self._updates: list[dict] = []
        self._new = asyncio.Event()
        self._next_update = 10_000
        self._next_message = 1
        self._runner: web.AppRunner | None = None
        self._client: aiohttp.ClientSession | None = None
        self._webhook: tuple[str, str] | None = None  # (url, secret) once setWebhook was called
        self._webhook_wanted = False
        self._outbox: dict[int, asyncio.Queue] = {}
        self._pushers: list[asyncio.Task] = []
        self.redeliveries = 0
        self.port = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> LeanFake:
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._handle)
        app.router.add_get("/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.2)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0, backlog=1024)
        await site.start()
        self.port = self._runner.addresses[0][1]
        return self

    async def stop(self) -> None:
        for task in self._pushers:
            task.cancel()
        await asyncio.gather(*self._pushers, return_exceptions=True)
        self._pushers.clear()
        if self._client is not None:
            await self._client.close()
            self._client = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def reset(self) -> None:
        """Forget chats and queued updates (between two bots)."""
        self.chats.clear()
        self.counts.clear()
        self._updates.clear()
        self._webhook = None
        self._webhook_wanted = False
        self.redeliveries = 0

    def expect_webhook(self) -> None:
        """Deliver updates by webhook once the bot calls setWebhook."""
        self._webhook_wanted = True

    @property
    def webhook_set(self) -> bool:
        return self._webhook is not None

    # --- updates --------------------------------------------------------------------------
    def chat(self, chat_id: int) -> ChatLog:
        log = self.chats.get(chat_id)
        if log is None:
            log = self.chats[chat_id] = ChatLog()
        return log

    def push(self, update: dict, chat_id: int, expected: int | None) -> asyncio.Future:
        """Queue an update; the future resolves to (latency in seconds, reply texts) once its
        replies are in."""
        done = asyncio.get_running_loop().create_future()
        self.chat(chat_id).pending.append(Pending(time.perf_counter(), expected, done))
        if self._webhook_wanted:
            queue = self._outbox.get(chat_id)
            if queue is None:
                queue = self._outbox[chat_id] = asyncio.Queue()
                self._pushers.append(asyncio.create_task(self._deliver(queue)))
            queue.put_nowait(update)
        else:
            self._updates.append(update)
            self._new.set()
        return done

    def message(self, user_id: int, text: str) -> dict:
        self._next_update += 1
        self._next_message += 1
        message = {
            "message_id": self._next_message,
            "date": int(time.time()),
            "chat": {"id": user_id, "type": "private", "first_name": "Bench"},
            "from": {"id": user_id, "is_bot": False, "first_name": "Người", "last_name": f"Dùng {user_id}",
                     "language_code": "vi"},
            "text": text,
        }
        if text.startswith("/"):
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        return {"update_id": self._next_update, "message": message}

    def callback(self, user_id: int, data: str) -> dict:
        self._next_update += 1
        self._next_message += 1
        return {
            "update_id": self._next_update,
            "callback_query": {
                "id": f"cb{self._next_update}",
                "from": {"id": user_id, "is_bot": False, "first_name": "Người", "last_name": f"Dùng {user_id}"},
                "chat_instance": f"ci{user_id}",
                "data": data,
                "message": {
                    "message_id": self._next_message, "date": int(time.time()),
                    "chat": {"id": user_id, "type": "private", "first_name": "Bench"},
                    "from": self._bot(), "text": "…",
                },
            },
        }

    async def _deliver(self, queue: asyncio.Queue) -> None:
        """One chat's updates to the webhook, in order; each until answered 200 (bounded)."""
        while True:
            update = await queue.get()
            while self._webhook is None:
                await asyncio.sleep(0.01)
            url, secret = self._webhook
            if self._client is None:
                self._client = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=200))
            for attempt in range(50):
                try:
                    async with self._client.post(url, json=update, headers={SECRET_HEADER: secret},
                                                 timeout=aiohttp.ClientTimeout(total=30)) as response:
                        body = await response.read()
                        if response.status == 200:
                            self._webhook_reply(body)
                            break
                except (aiohttp.ClientError, asyncio.TimeoutError):
                    pass
                self.redeliveries += 1
                await asyncio.sleep(min(0.05 * 2 ** attempt, 1.0))

    def _webhook_reply(self, body: bytes) -> None:
        """A bot may answer a webhook call with a method to carry out (aiogram can)."""
        if not body or body[:1] != b"{":
            return
        try:
            data = json.loads(body)
        except ValueError:
            return
        method = str(data.pop("method", "")).lower() if isinstance(data, dict) else ""
        if method:
            self._do(method, data)

    # --- the API ----------------------------------------------------------------------------
    def _bot(self) -> dict:
        return {"id": BOT_ID, "is_bot": True, "first_name": "Bench", "username": self.username}

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response({"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401)
        method = request.match_info["method"].lower()
        if request.content_type == "application/json":
            params = await request.json()
        else:
            form = await request.post() if request.method == "POST" else request.query
            params = {}
            for name, value in form.items():
                if isinstance(value, web.FileField):
                    params[name] = value.filename
                elif name in _JSON_FIELDS:
                    params[name] = json.loads(value)
                else:
                    params[name] = value
        if method == "getupdates":
            return await self._get_updates(params)
        return web.json_response({"ok": True, "result": self._do(method, params)})

    def _do(self, method: str, params: dict[str, Any]) -> Any:
        self.counts[method] = self.counts.get(method, 0) + 1
        if method == "getme":
            return {**self._bot(), "can_join_groups": True, "can_read_all_group_messages": False,
                    "supports_inline_queries": False}
        if method == "setwebhook":
            self._webhook = (params["url"], params.get("secret_token", ""))
            return True
        if method == "deletewebhook":
            self._webhook = None
            return True
        if method == "getwebhookinfo":
            return {"url": self._webhook[0] if self._webhook else "", "has_custom_certificate": False,
                    "pending_update_count": len(self._updates)}
        if method in REPLY_METHODS:
            return self._reply(method, params)
        return True

    def _reply(self, method: str, params: dict[str, Any]) -> dict:
        now = time.perf_counter()
        chat_id = int(params["chat_id"])
        text = params.get("text") or params.get("caption") or ""
        markup = params.get("reply_markup") or {}
        buttons = [b for row in markup.get("inline_keyboard", []) for b in row] if isinstance(markup, dict) else []
        log = self.chat(chat_id)
        log.messages.append((now, text, buttons))
        if log.pending:
            head = log.pending[0]
            head.texts.append(text)
            if head.expected is None or len(head.texts) >= head.expected:
                log.pending.popleft()
                if not head.done.done():
                    head.done.set_result((now - head.pushed, head.texts))
        else:
            log.unsolicited += 1
        log.changed.set()
        self._next_message += 1
        message = {"message_id": self._next_message, "date": int(time.time()),
                   "chat": {"id": chat_id, "type": "private", "first_name": "Bench"}, "from": self._bot()}
        if method == "senddocument":
            message["document"] = {"file_id": "d", "file_unique_id": "d"}
        elif method == "sendphoto":
            message["photo"] = [{"file_id": "p", "file_unique_id": "p", "width": 1, "height": 1}]
        else:
            message["text"] = text
        return message

    async def _get_updates(self, params: dict[str, Any]) -> web.Response:
        if self._webhook is not None:
            return web.json_response({"ok": False, "error_code": 409, "description": "Conflict: webhook is active"},
                                     status=409)
        offset = int(params.get("offset") or 0)
        if offset and self._updates and self._updates[0]["update_id"] < offset:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        timeout = float(params.get("timeout") or 0)
        if not self._updates and timeout > 0:
            self._new.clear()
            try:
                await asyncio.wait_for(self._new.wait(), min(timeout, 25.0))
            except asyncio.TimeoutError:
                pass
        self.counts["getupdates"] = self.counts.get("getupdates", 0) + 1
        limit = int(params.get("limit") or 100)
        return web.json_response({"ok": True, "result": self._updates[:limit]})
