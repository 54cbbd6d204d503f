"""A small async client of the Zalo Bot API (aiohttp), with its errors mapped onto the channel
runtime's retry policy.

What it relies on (the Zalo Bot Platform documentation, bot.zaloplatforms.com/docs, and the SDK
it points to, PyPI `python-zalo-bot` 0.1.9, read but not used):
- a call is `{base}/bot{token}/{method}`, here always POST with a JSON body;
- the answer is `{"ok": true, "result": …}` or `{"ok": false, "error_code": N, "description": …}`,
  in practice with HTTP 200 even for errors (codes 400, 401, 403, 404, 408, 429). The HTTP status
  is read too, since a proxy in front of the API answers 429/5xx with its own (often HTML) page;
- `getUpdates {timeout}` answers ONE update (not a list) and error 408 when nothing came within
  the timeout; it has no offset: reading an update removes it from the queue.

Mapping (uncertain where the documentation is silent, see the notes):
- 429 (JSON or an HTML page) → RetryLater, with `retry_after` when the answer gives one (in
  `parameters.retry_after`, as Telegram does, or a Retry-After header: not documented by Zalo);
- 5xx, a timeout, a connection error, an answer that is not JSON → RetryLater (back off);
- 403 → Blocked (the documentation does not say which 403s mean "the user blocked the bot";
  every 403 to a chat is taken as such);
- 401 → Unauthorized (a revoked or mistyped token: a start-up error, never retried);
- 408 from getUpdates → NoUpdate (idle); from another method → RetryLater;
- any other 4xx → Undeliverable.
No reason or message ever contains the token or the request URL: they are built from the
error code and the API's description, with the token cut out of the latter.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import aiohttp
import orjson

from bot.channels.runtime import Blocked, DeliveryError, RetryLater, Undeliverable

log = logging.getLogger(__name__)

DEFAULT_BASE = "https://bot-api.zaloplatforms.com"


class Unauthorized(Undeliverable):
    """401: the token was rejected."""


class NoUpdate(Exception):
    """getUpdates: nothing new within the timeout (error 408)."""


def _retry_after(body: dict[str, Any] | None, headers) -> float | None:
    value = None
    if isinstance(body, dict):
        parameters = body.get("parameters")
        if isinstance(parameters, dict):
            value = parameters.get("retry_after")
    if value is None and headers is not None:
        value = headers.get("Retry-After")
    try:
        return max(0.0, float(value)) if value is not None else None
    except (TypeError, ValueError):
        return None


class ZaloClient:
    def __init__(self, token: str, api_base: str = DEFAULT_BASE, timeout: float = 20.0):
        self.token = token
        self.api_base = api_base.rstrip("/")
        self.timeout = timeout
        self._session: aiohttp.ClientSession | None = None

    def _url(self, method: str) -> str:
        return f"{self.api_base}/bot{self.token}/{method}"

    def _clean(self, text: str) -> str:
        """An API description without the token (a proxy may repeat the URL)."""
        text = str(text or "")[:160]
        return text.replace(self.token, "[redacted]") if self.token else text

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    def _http(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(json_serialize=lambda v: orjson.dumps(v).decode())
        return self._session

    async def call(self, method: str, params: dict[str, Any] | None = None, timeout: float | None = None) -> Any:
        """The method's `result`; raises RetryLater, Blocked, Unauthorized, Undeliverable or
        (getUpdates) NoUpdate."""
        limit = aiohttp.ClientTimeout(total=timeout or self.timeout)
        try:
            async with self._http().post(self._url(method), json=params or {}, timeout=limit) as response:
                status, headers = response.status, response.headers
                raw = await response.read()
        except (TimeoutError, asyncio.TimeoutError):
            raise RetryLater(f"{method}: timeout") from None
        except aiohttp.ClientError as exc:
            raise RetryLater(f"{method}: {type(exc).__name__}") from None
        try:
            body = orjson.loads(raw) if raw else None
        except orjson.JSONDecodeError:
            body = None
        if not isinstance(body, dict) or "ok" not in body:
            # Not the API's JSON: a proxy's page (HTML 429/502…), or garbage.
            if status == 429:
                raise RetryLater(f"{method}: 429 (page)", _retry_after(None, headers))
            if status == 401:
                raise Unauthorized(f"{method}: 401")
            if status == 403:
                raise Blocked(f"{method}: 403")
            if 400 <= status < 500 and status not in (408, 429):
                raise Undeliverable(f"{method}: HTTP {status} (page)")
            raise RetryLater(f"{method}: HTTP {status}, not the API's JSON")
        if body.get("ok"):
            return body.get("result")
        try:
            code = int(body.get("error_code") or status)
        except (TypeError, ValueError):
            code = status
        if code < 400 and status >= 400:
            code = status
        raise self._error(method, code, self._clean(body.get("description", "")), body, headers)

    def _error(self, method: str, code: int, description: str, body, headers) -> DeliveryError | NoUpdate:
        reason = f"{method}: {code} {description}".strip()
        if code == 408:
            return NoUpdate() if method == "getUpdates" else RetryLater(reason)
        if code == 429:
            return RetryLater(reason, _retry_after(body, headers))
        if code >= 500:
            return RetryLater(reason)
        if code == 401:
            return Unauthorized(reason)
        if code == 403:
            return Blocked(reason)
        return Undeliverable(reason)

    # --- the methods Chibot uses ---------------------------------------------------------------
    async def get_me(self, timeout: float | None = None) -> dict[str, Any]:
        return await self.call("getMe", {}, timeout) or {}

    async def get_updates(self, wait: int) -> list[dict[str, Any]]:
        """The update read (the API answers one), or [] when none came within `wait` seconds."""
        try:
            result = await self.call("getUpdates", {"timeout": str(wait)}, timeout=wait + self.timeout)
        except NoUpdate:
            return []
        if isinstance(result, list):  # not what the documentation says; accepted all the same
            return [u for u in result if isinstance(u, dict)]
        return [result] if isinstance(result, dict) else []

    async def set_webhook(self, url: str, secret_token: str) -> Any:
        return await self.call("setWebhook", {"url": url, "secret_token": secret_token})

    async def delete_webhook(self) -> Any:
        return await self.call("deleteWebhook", {})
