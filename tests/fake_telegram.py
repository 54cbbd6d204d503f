"""A fake Telegram Bot API server for end-to-end tests (aiohttp on 127.0.0.1, random port).

The real aiogram client talks to it over HTTP (`CHIBOT_TELEGRAM_API_BASE=http://127.0.0.1:PORT`,
calls `POST /bot{token}/{method}`). It
- records every method call that it processed, with its parameters (form, multipart or JSON)
  and uploaded files (`calls`), and every attempt including failed ones (`attempts`);
- serves `getUpdates` from a queue with long polling (waits for a new update, at most
  `max_poll_wait` seconds) and honours `offset` (confirmed updates are dropped), and answers 409
  while a webhook is set, as Telegram does;
- answers getMe, setMyCommands, deleteWebhook, setWebhook, getWebhookInfo, sendMessage (a real
  Message object), answerCallbackQuery, sendChatAction, sendDocument, sendPhoto;
- fails on request, per method, in script order (`fail(method, ...)`): 429 with
  `parameters.retry_after`, a 5xx (JSON, or an HTML page as a proxy sends), a hang (the request
  waits, then is answered 504 without being processed: the client has timed out by then, so the
  method was NOT carried out and a retry delivers once), or 403 "bot was blocked by the user";
  and the answers of a broken setup that echo what they were asked, as proxies and servers do:
  401 Unauthorized (JSON), an HTML 404 page repeating the request path (the token is in it), a
  JSON 500 whose description repeats the URL with the request's parameters. `fail_always`
  applies one failure to every request (getUpdates included) until `fail_always(None)`;
- with `webhook_delivery=True`, delivers pushed updates as Telegram does once setWebhook was
  called: each update is POSTed to the webhook URL with the secret header, one chat's updates
  one after another in push order, and sent again (after `retry_delay`) until the bot answers
  200, at most `max_deliveries` times (then dropped, recorded in `dropped`). Undelivered updates
  stay pending: after deleteWebhook they are served by getUpdates. Every try is in `deliveries`.
"""

from __future__ import annotations

import asyncio
import html
import json
import re
import time
from urllib.parse import urlencode
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from fake_botapi import FakeBotApi

TOKEN = "123456789:TEST-fake_token_for_chibot_e2e"
BOT_ID = 123456789
# A "<" that does not open or close a tag Telegram's HTML mode knows: unescaped text.
_BAD_HTML = re.compile(r"<(?!/?(?:b|strong|i|em|u|ins|s|strike|del|a|code|pre|tg-spoiler|blockquote)[\s>])")
JSON_FIELDS = {
    "reply_markup", "commands", "scope", "allowed_updates", "link_preview_options",
    "entities", "caption_entities", "reply_parameters",
}


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    at: float = field(default_factory=time.monotonic)
    outcome: str = "ok"  # for attempts: ok | 429 | 5xx | hang | 403 | 401 | 404

    def __getitem__(self, name: str) -> Any:
        return self.params[name]

    def get(self, name: str, default: Any = None) -> Any:
        return self.params.get(name, default)

    @property
    def chat_id(self) -> int | None:
        value = self.params.get("chat_id")
        return None if value is None else int(value)

    @property
    def buttons(self) -> list[dict]:
        """The inline keyboard's buttons, row by row flattened."""
        markup = self.params.get("reply_markup") or {}
        return [button for row in markup.get("inline_keyboard", []) for button in row]

    def file(self, name: str) -> tuple[str, bytes]:
        """The uploaded file sent as parameter `name` (attach://… resolved)."""
        value = self.params[name]
        key = value[len("attach://"):] if isinstance(value, str) and value.startswith("attach://") else name
        return self.files[key]


@dataclass(frozen=True)
class Failure:
    kind: str  # retry_after | status | hang | blocked | unauthorized
    value: float = 0
    html: bool = False
    echo: bool = False  # the body repeats the request (path, URL and parameters)


class Fail:
    @staticmethod
    def retry_after(seconds: int) -> Failure:
        return Failure("retry_after", seconds)

    @staticmethod
    def server_error(status: int = 502, html: bool = False) -> Failure:
        return Failure("status", status, html)

    @staticmethod
    def hang(seconds: float) -> Failure:
        return Failure("hang", seconds)

    @staticmethod
    def blocked() -> Failure:
        return Failure("blocked")

    @staticmethod
    def unauthorized() -> Failure:
        """401 {"ok": false, "description": "Unauthorized"}: a revoked or mistyped token."""
        return Failure("unauthorized")

    @staticmethod
    def not_found_page() -> Failure:
        """An HTML 404 page (a proxy's or web server's) whose text repeats the request path."""
        return Failure("status", 404, html=True, echo=True)

    @staticmethod
    def echoing_error(status: int = 500) -> Failure:
        """A JSON error whose description repeats the request URL, parameters included."""
        return Failure("status", status, echo=True)


def _error(code: int, description: str, **parameters: Any) -> web.Response:
    body: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
    if parameters:
        body["parameters"] = parameters
    return web.json_response(body, status=code)


def _ok(result: Any) -> web.Response:
    return web.json_response({"ok": True, "result": result})


def _chat_of(update: dict) -> int:
    """The chat an update belongs to (its sender's id when it names no chat)."""
    for kind in ("message", "edited_message", "callback_query"):
        body = update.get(kind)
        if body:
            message = body.get("message", body) if kind == "callback_query" else body
            chat = message.get("chat") or {}
            return int(chat.get("id") or body.get("from", {}).get("id") or 0)
    return 0


class FakeTelegram(FakeBotApi):
    SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"

    def __init__(self, token: str = TOKEN, username: str = "chibot_test_bot", max_poll_wait: float = 0.5,
                 *, webhook_delivery: bool = False, retry_delay: float = 0.1, max_deliveries: int = 300):
        super().__init__(token, max_poll_wait, webhook_delivery, retry_delay, max_deliveries)
        self.username = username
        self._always: Failure | None = None
        self._next_update_id = 1000
        self._next_message_id = 1

    chat_of = staticmethod(_chat_of)

    @staticmethod
    def update_key(update: dict) -> int:
        return update["update_id"]

    # --- scripting -----------------------------------------------------------------------------
    def fail_always(self, failure: Failure | None) -> None:
        """Every request, of any method, fails this way (None: back to normal)."""
        self._always = failure

    def push(self, update: dict) -> dict:
        """Queue an update for getUpdates, or for webhook delivery (an update_id is assigned
        when missing)."""
        if "update_id" not in update:
            update = {"update_id": self.next_update_id(), **update}
        return super().push(update)

    def next_update_id(self) -> int:
        self._next_update_id += 1
        return self._next_update_id

    def user(self, user_id: int, first_name: str = "Nguyễn Văn", last_name: str | None = "An") -> dict:
        user = {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": "vi"}
        if last_name:
            user["last_name"] = last_name
        return user

    def chat(self, chat_id: int, chat_type: str = "private") -> dict:
        if chat_type == "private":
            return {"id": chat_id, "type": "private", "first_name": "An"}
        return {"id": chat_id, "type": chat_type, "title": "Chi bộ thôn Vĩnh Thạnh"}

    def message_update(self, user_id: int, text: str, *, chat_id: int | None = None,
                       chat_type: str = "private", first_name: str = "Nguyễn Văn",
                       last_name: str | None = "An", update_id: int | None = None,
                       extra: dict | None = None) -> dict:
        message = {
            "message_id": self._message_id(),
            "date": int(time.time()),
            "chat": self.chat(chat_id if chat_id is not None else user_id, chat_type),
            "from": self.user(user_id, first_name, last_name),
            "text": text,
            **(extra or {}),
        }
        if text.startswith("/"):
            length = len(text.split(maxsplit=1)[0])
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        return {"update_id": update_id or self.next_update_id(), "message": message}

    def callback_update(self, user_id: int, data: str, *, chat_id: int | None = None,
                        chat_type: str = "private", update_id: int | None = None) -> dict:
        chat_id = chat_id if chat_id is not None else user_id
        return {
            "update_id": update_id or self.next_update_id(),
            "callback_query": {
                "id": f"cb{self._message_id()}",
                "from": self.user(user_id),
                "chat_instance": f"ci{chat_id}",
                "data": data,
                "message": {
                    "message_id": self._message_id(),
                    "date": int(time.time()),
                    "chat": self.chat(chat_id, chat_type),
                    "from": self._bot_user(),
                    "text": "…",
                },
            },
        }

    # --- inspection ---------------------------------------------------------------------------
    async def wait_for_scope(self, scope: str, chat_id: int | None = None, timeout: float = 10.0) -> Call:
        """Wait for a setMyCommands call for this scope type (and chat); the latest one."""
        deadline = time.monotonic() + timeout
        while True:
            found = [
                call for call in self.of("setMyCommands")
                if call["scope"]["type"] == scope and (chat_id is None or call["scope"].get("chat_id") == chat_id)
            ]
            if found:
                return found[-1]
            if time.monotonic() > deadline:
                raise AssertionError(f"no setMyCommands for scope {scope} {chat_id or ''}")
            await asyncio.sleep(0.02)

    # --- the API -----------------------------------------------------------------------------
    async def _answer(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return _error(401, "Unauthorized")
        method = request.match_info["method"]
        params, files = await self._params(request)
        key = method.lower()
        call = Call(method, params, files)
        if key != "getupdates":
            self.attempts.append(call)

        script = self._failures.get(key)
        if script or self._always is not None:
            failure = script.pop(0) if script else self._always
            call.outcome = {"retry_after": "429", "status": "5xx", "hang": "hang", "blocked": "403",
                            "unauthorized": "401"}[failure.kind]
            if failure.kind == "retry_after":
                seconds = int(failure.value)
                return _error(429, f"Too Many Requests: retry after {seconds}", retry_after=seconds)
            if failure.kind == "unauthorized":
                return _error(401, "Unauthorized")
            if failure.kind == "status":
                status = int(failure.value)
                if status < 500:
                    call.outcome = str(status)
                url = str(request.url) + (("?" + urlencode(params)) if params and failure.echo else "")
                if failure.html:
                    title = "Not Found" if status == 404 else "Bad Gateway"
                    said = f"<p>The requested URL {html.escape(request.path)} was not found on this server.</p>" \
                        if failure.echo else ""
                    return web.Response(status=status, content_type="text/html",
                                        text=f"<html><body><h1>{status} {title}</h1>{said}</body></html>")
                if failure.echo:
                    return _error(status, f"Internal Server Error: upstream failed for {url}")
                return _error(status, "Bad Gateway")
            if failure.kind == "hang":
                await asyncio.sleep(failure.value)
                return _error(504, "Gateway Timeout")  # not processed: nothing is recorded
            return _error(403, "Forbidden: bot was blocked by the user")

        handler = getattr(self, f"_m_{key}", None)
        if handler is None:
            return _error(404, "Not Found: method not found")
        response = await handler(call)
        if key != "getupdates" and response.status == 200:
            self.calls.append(call)
        return response

    async def _params(self, request: web.Request) -> tuple[dict[str, Any], dict[str, tuple[str, bytes]]]:
        params: dict[str, Any] = {}
        files: dict[str, tuple[str, bytes]] = {}
        if request.content_type == "application/json":
            body = await request.json()
            return dict(body or {}), files
        if request.method == "GET":
            form = request.query
        else:
            form = await request.post()
        for name, value in form.items():
            if isinstance(value, web.FileField):
                files[name] = (value.filename, value.file.read())
            elif name in JSON_FIELDS:
                params[name] = json.loads(value)
            else:
                params[name] = value
        return params, files

    def _message_id(self) -> int:
        self._next_message_id += 1
        return self._next_message_id

    def _bot_user(self) -> dict:
        return {"id": BOT_ID, "is_bot": True, "first_name": "Chibot", "username": self.username}

    def _sent(self, call: Call, **content: Any) -> dict:
        chat_id = int(call["chat_id"])
        return {
            "message_id": self._message_id(),
            "date": int(time.time()),
            "chat": self.chat(chat_id, "private" if chat_id > 0 else "group"),
            "from": self._bot_user(),
            **content,
        }

    async def _m_getme(self, call: Call) -> web.Response:
        return _ok({**self._bot_user(), "can_join_groups": True, "can_read_all_group_messages": False,
                    "supports_inline_queries": False})

    async def _m_getupdates(self, call: Call) -> web.Response:
        self.poll_requests += 1
        if self.webhook is not None:
            return _error(409, "Conflict: can't use getUpdates method while webhook is active; "
                               "use deleteWebhook to delete the webhook first")
        offset = int(call.get("offset") or 0)
        if offset:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        wait = min(float(call.get("timeout") or 0), self.max_poll_wait)
        if not self._updates and wait > 0:
            self._new_update.clear()
            try:
                await asyncio.wait_for(self._new_update.wait(), wait)
            except TimeoutError:
                pass
        self.polls += 1
        limit = int(call.get("limit") or 100)
        return _ok(self._updates[:limit])

    async def _m_setwebhook(self, call: Call) -> web.Response:
        self.webhook = dict(call.params)
        return _ok(True)

    async def _m_deletewebhook(self, call: Call) -> web.Response:
        self.webhook = None
        if str(call.get("drop_pending_updates")).lower() == "true":
            self._updates.clear()
        return _ok(True)

    async def _m_getwebhookinfo(self, call: Call) -> web.Response:
        url = (self.webhook or {}).get("url", "")
        return _ok({"url": url, "has_custom_certificate": False, "pending_update_count": len(self._updates)})

    async def _m_setmycommands(self, call: Call) -> web.Response:
        return _ok(True)

    async def _m_answercallbackquery(self, call: Call) -> web.Response:
        return _ok(True)

    async def _m_sendchataction(self, call: Call) -> web.Response:
        return _ok(True)

    def _check_content(self, call: Call, text: str | None, limit: int) -> web.Response | None:
        """Telegram's own checks that matter here: length, HTML markup, callback data size."""
        if text is not None:
            html_mode = str(call.get("parse_mode")).upper() == "HTML"
            shown = html.unescape(re.sub(r"<[^>]*>", "", text)) if html_mode else text
            if len(shown.encode("utf-16-le")) // 2 > limit:
                return _error(400, "Bad Request: message is too long")
            if html_mode and _BAD_HTML.search(text):
                return _error(400, "Bad Request: can't parse entities: unsupported start tag")
        for button in call.buttons:
            if len(button.get("callback_data", "").encode()) > 64:
                return _error(400, "Bad Request: BUTTON_DATA_INVALID")
        return None

    async def _m_sendmessage(self, call: Call) -> web.Response:
        text = call.get("text") or ""
        if not text.strip():
            return _error(400, "Bad Request: message text is empty")
        if (refused := self._check_content(call, text, 4096)) is not None:
            return refused
        return _ok(self._sent(call, text=text))

    async def _m_senddocument(self, call: Call) -> web.Response:
        name, content = call.file("document")
        if (refused := self._check_content(call, call.get("caption"), 1024)) is not None:
            return refused
        return _ok(self._sent(call, document={"file_id": f"doc{len(self.calls)}", "file_unique_id": "d",
                                               "file_name": name, "file_size": len(content)}))

    async def _m_sendphoto(self, call: Call) -> web.Response:
        _, content = call.file("photo")
        if (refused := self._check_content(call, call.get("caption"), 1024)) is not None:
            return refused
        return _ok(self._sent(call, photo=[{"file_id": f"photo{len(self.calls)}", "file_unique_id": "p",
                                             "width": 800, "height": 600, "file_size": len(content)}]))
