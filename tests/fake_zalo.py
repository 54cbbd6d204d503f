"""A fake Zalo Bot API server for end-to-end tests (aiohttp on 127.0.0.1, random port), written
from the documented facts (see bot/channels/zalo_client.py):

- `POST|GET /bot{token}/{method}`, parameters as JSON, form or query; answers
  {"ok": true, "result": …} or {"ok": false, "error_code": N, "description": …} with HTTP 200
  even for errors; a wrong token is error 401, an unknown method error 404;
- `getUpdates {timeout}` answers ONE update and forgets it (no offset); with nothing new it
  answers error 408 after the wait (at most `max_poll_wait` seconds here). An update is not
  handed to a request whose client has gone (a killed process), as a careful server would not;
  it refuses to work while a webhook is set (error 400, the exact code is not documented);
- update bodies as documented: event_name, message with a hex-string message_id, date in
  milliseconds, string ids, chat_type PRIVATE | GROUP;
- getMe, setWebhook (secret_token of 8-256 characters), deleteWebhook, getWebhookInfo,
  sendMessage (at most 2,000 characters), sendPhoto (the photo must be an http(s) URL; the fake
  downloads it, as Zalo does, and keeps what it got in `Call.fetched`), sendChatAction;
- scripted failures per method (`fail(method, ...)`): a 429 as the API's JSON (HTTP 200), a 429
  as a proxy's HTML page (HTTP 429), a 502 HTML page, a hang (answered 504 after a while and
  not carried out), a 403, a 401;
- with `webhook_delivery=True`, once setWebhook was called each pushed update is POSTed to the
  webhook with the `X-Bot-Api-Secret-Token` header, flat or (`wrapped=True`) inside
  {"ok": true, "result": …}, one chat's updates in order, again until answered 200 (whether Zalo
  redelivers after a failure is not documented; Telegram does, and so does this fake).
"""

from __future__ import annotations

import asyncio
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web

from fake_botapi import FakeBotApi

TOKEN = "1234567890123456789:ZaloFakeTokenForChibotE2eTests_x9"
BOT_ID = "4829173650012"


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    at: float = field(default_factory=time.monotonic)
    outcome: str = "ok"
    fetched: tuple[int, bytes, str] | None = None  # sendPhoto: (status, body, content type) of the photo URL

    def __getitem__(self, name: str) -> Any:
        return self.params[name]

    def get(self, name: str, default: Any = None) -> Any:
        return self.params.get(name, default)


@dataclass(frozen=True)
class Failure:
    kind: str  # json429 | html429 | html502 | hang | blocked | unauthorized | echo
    value: float = 0


class Fail:
    @staticmethod
    def too_many(retry_after: float | None = None) -> Failure:
        """429 as the API's JSON with HTTP 200 (retry_after in `parameters` when given)."""
        return Failure("json429", retry_after if retry_after is not None else -1)

    @staticmethod
    def too_many_page() -> Failure:
        """HTTP 429 with an HTML page, as a proxy in front of the API sends."""
        return Failure("html429")

    @staticmethod
    def bad_gateway() -> Failure:
        return Failure("html502")

    @staticmethod
    def hang(seconds: float) -> Failure:
        return Failure("hang", seconds)

    @staticmethod
    def blocked() -> Failure:
        return Failure("blocked")

    @staticmethod
    def unauthorized() -> Failure:
        return Failure("unauthorized")

    @staticmethod
    def echoing() -> Failure:
        """Error 500 (HTTP 200) whose description repeats the request URL, token included."""
        return Failure("echo")


def _ok(result: Any) -> web.Response:
    return web.json_response({"ok": True, "result": result})


def _error(code: int, description: str, **extra: Any) -> web.Response:
    return web.json_response({"ok": False, "error_code": code, "description": description, **extra})


def _chat_of(update: dict) -> str:
    body = update.get("result", update) if "event_name" not in update else update
    return str(((body.get("message") or {}).get("chat") or {}).get("id", ""))


class FakeZalo(FakeBotApi):
    SECRET_HEADER = "X-Bot-Api-Secret-Token"
    POLL_COUNTER = "poll_requests"

    def __init__(self, token: str = TOKEN, max_poll_wait: float = 0.5, *, webhook_delivery: bool = False,
                 wrapped: bool = False, retry_delay: float = 0.1, max_deliveries: int = 300):
        super().__init__(token, max_poll_wait, webhook_delivery, retry_delay, max_deliveries)
        self.wrapped = wrapped
        self.handed_out: list[dict] = []  # updates answered to getUpdates (and forgotten)

    chat_of = staticmethod(_chat_of)

    @staticmethod
    def update_key(update: dict) -> str:
        return update["message"]["message_id"]

    def webhook_body(self, update: dict) -> dict:
        return {"ok": True, "result": update} if self.wrapped else update

    # --- scripting ---------------------------------------------------------------------------
    def text_update(self, user_id: str, text: str, *, chat_id: str | None = None, group: bool = False,
                    name: str = "Nguyễn Văn An", event: str = "message.text.received") -> dict:
        message: dict[str, Any] = {
            "message_id": secrets.token_hex(16),
            "date": int(time.time() * 1000),
            "from": {"id": str(user_id), "display_name": name, "is_bot": False},
            "chat": {"id": str(chat_id or user_id), "chat_type": "GROUP" if group else "PRIVATE"},
        }
        if text is not None:
            message["text"] = text
        return {"event_name": event, "message": message}

    def media_update(self, user_id: str, event: str = "message.image.received") -> dict:
        update = self.text_update(user_id, None, event=event)
        if event == "message.image.received":
            update["message"]["photo"] = "https://example.invalid/p.jpg"
        return update

    # --- the API -----------------------------------------------------------------------------
    async def _params(self, request: web.Request) -> dict[str, Any]:
        if request.content_type == "application/json":
            body = await request.json()
            return dict(body or {})
        params = dict(request.query)
        if request.method == "POST":
            params.update({k: v for k, v in (await request.post()).items() if isinstance(v, str)})
        return params

    async def _answer(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return _error(401, "Unauthorized")
        method = request.match_info["method"]
        key = method.lower()
        call = Call(method, await self._params(request))
        if key != "getupdates":
            self.attempts.append(call)
        else:
            self.poll_requests += 1
        script = self._failures.get(key)
        if script:
            failure = script.pop(0)
            call.outcome = failure.kind
            if failure.kind == "json429":
                extra = {"parameters": {"retry_after": failure.value}} if failure.value >= 0 else {}
                return _error(429, "Too Many Requests", **extra)
            if failure.kind == "html429":
                return web.Response(status=429, content_type="text/html",
                                    text="<html><body><h1>429 Too Many Requests</h1></body></html>")
            if failure.kind == "html502":
                return web.Response(status=502, content_type="text/html",
                                    text="<html><body><h1>502 Bad Gateway</h1><p>nginx</p></body></html>")
            if failure.kind == "hang":
                await asyncio.sleep(failure.value)
                return web.Response(status=504, text="Gateway Timeout")  # not carried out
            if failure.kind == "unauthorized":
                return _error(401, "Unauthorized")
            if failure.kind == "echo":
                return _error(500, f"Internal Server Error: upstream failed for {request.url}")
            return _error(403, "Forbidden: the user has blocked the bot or is not reachable")
        handler = getattr(self, f"_m_{key}", None)
        if handler is None:
            return _error(404, "Not Found")
        response = await handler(call, request)
        if key != "getupdates" and response.status == 200 and call.outcome == "ok":
            self.calls.append(call)
        return response

    async def _m_getme(self, call: Call, request) -> web.Response:
        return _ok({"id": BOT_ID, "account_name": "bot.chibot", "account_type": "BASIC",
                    "can_join_groups": True, "display_name": "Chibot"})

    async def _m_getupdates(self, call: Call, request: web.Request) -> web.Response:
        if self.webhook is not None:
            return _error(400, "Bad Request: getUpdates does not work while a webhook is set")
        try:
            wait = min(float(call.get("timeout") or 30), self.max_poll_wait)
        except ValueError:
            wait = self.max_poll_wait
        deadline = time.monotonic() + wait
        while not self._updates and time.monotonic() < deadline:
            self._new_update.clear()
            try:
                await asyncio.wait_for(self._new_update.wait(), max(0.0, deadline - time.monotonic()))
            except TimeoutError:
                pass
        self.polls += 1
        transport = request.transport
        if not self._updates or transport is None or transport.is_closing():
            return _error(408, "Request timeout")
        update = self._updates.pop(0)
        self.handed_out.append(update)
        return _ok(update)

    async def _m_setwebhook(self, call: Call, request) -> web.Response:
        url, secret = str(call.get("url") or ""), str(call.get("secret_token") or "")
        if not url.startswith(("https://", "http://127.0.0.1")):
            return _error(400, "Bad Request: url must be https")
        if not 8 <= len(secret) <= 256:
            return _error(400, "Bad Request: secret_token must have 8-256 characters")
        self.webhook = {"url": url, "secret_token": secret}
        return _ok({"url": url, "updated_at": int(time.time() * 1000)})

    async def _m_deletewebhook(self, call: Call, request) -> web.Response:
        self.webhook = None
        return _ok({"url": "", "updated_at": int(time.time() * 1000)})

    async def _m_getwebhookinfo(self, call: Call, request) -> web.Response:
        return _ok({"url": (self.webhook or {}).get("url", ""), "updated_at": int(time.time() * 1000)})

    async def _m_sendchataction(self, call: Call, request) -> web.Response:
        return _ok({})

    def _sent(self) -> web.Response:
        return _ok({"message_id": secrets.token_hex(16), "date": int(time.time() * 1000)})

    async def _m_sendmessage(self, call: Call, request) -> web.Response:
        text = call.get("text")
        if not call.get("chat_id") or not isinstance(text, str) or not text.strip():
            return _error(400, "Bad Request: chat_id and text are required")
        if len(text) > 2000:
            return _error(400, "Bad Request: text must be at most 2000 characters")
        return self._sent()

    async def _m_sendphoto(self, call: Call, request) -> web.Response:
        photo = str(call.get("photo") or "")
        if not call.get("chat_id") or not photo.startswith(("http://", "https://")):
            return _error(400, "Bad Request: photo must be a public http(s) URL")
        if self._http is None:
            self._http = aiohttp.ClientSession()
        try:
            async with self._http.get(photo, timeout=aiohttp.ClientTimeout(total=5)) as response:
                call.fetched = (response.status, await response.read(), response.headers.get("Content-Type", ""))
        except (aiohttp.ClientError, TimeoutError) as exc:
            call.fetched = (0, str(exc).encode(), "")
        if call.fetched[0] != 200:
            return _error(400, "Bad Request: photo could not be downloaded")
        return self._sent()
