"""What the fake Telegram and Zalo Bot API servers share: an aiohttp server on 127.0.0.1 (random
port), scripted failures per method, updates queued for getUpdates or delivered to the bot's
webhook (one chat's updates in order, each until answered 200), and the call log tests inspect.
Each platform's fake (tests/fake_telegram.py, tests/fake_zalo.py) adds its methods, its update
bodies and its errors."""

from __future__ import annotations

import asyncio
import time
from typing import Any, ClassVar

import aiohttp
from aiohttp import web


class FakeBotApi:
    SECRET_HEADER: ClassVar[str]  # the header carrying the webhook's secret token
    POLL_COUNTER: ClassVar[str] = "polls"  # the counter wait_polling() watches

    def __init__(self, token: str, max_poll_wait: float, webhook_delivery: bool, retry_delay: float,
                 max_deliveries: int):
        self.token = token
        self.max_poll_wait = max_poll_wait
        self.webhook_delivery = webhook_delivery
        self.retry_delay = retry_delay
        self.max_deliveries = max_deliveries
        self.calls: list = []  # processed calls (getUpdates excluded)
        self.attempts: list = []  # every request, failed ones included (getUpdates excluded)
        self.polls = 0  # getUpdates requests answered
        self.poll_requests = 0  # getUpdates requests received (a long poll counts as it arrives)
        self.deliveries: list[tuple[Any, int | str]] = []  # (update key, HTTP status or error) per try
        self.dropped: list[dict] = []  # updates given up after max_deliveries tries
        self.webhook: dict[str, Any] | None = None
        self._updates: list[dict] = []
        self._new_update = asyncio.Event()
        self._failures: dict[str, list] = {}
        self._delivering: dict[Any, asyncio.Task] = {}  # chat id -> its delivery task
        self._handling: set[asyncio.Task] = set()
        self._http: aiohttp.ClientSession | None = None
        self._runner: web.AppRunner | None = None
        self.port: int | None = None

    # --- what each platform's fake says --------------------------------------------------------
    @staticmethod
    def chat_of(update: dict) -> Any:
        raise NotImplementedError

    @staticmethod
    def update_key(update: dict) -> Any:
        raise NotImplementedError

    def webhook_body(self, update: dict) -> dict:
        return update

    async def _answer(self, request: web.Request) -> web.StreamResponse:
        raise NotImplementedError

    # --- lifecycle ---------------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self):
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, shutdown_timeout=0.2, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]
        return self

    async def stop(self) -> None:
        # Requests still waiting (long polls, scripted hangs) end now, not after the test.
        waiting = list(self._handling) + list(self._delivering.values())
        for task in waiting:
            task.cancel()
        if waiting:
            await asyncio.wait(waiting, timeout=1)
        self._delivering.clear()
        if self._http is not None:
            await self._http.close()
            self._http = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # --- scripting -----------------------------------------------------------------------------
    def fail(self, method: str, *failures) -> None:
        """The next requests to `method` fail in this order; later ones succeed."""
        self._failures.setdefault(method.lower(), []).extend(failures)

    def push(self, update: dict) -> dict:
        """Queue an update for getUpdates, or for webhook delivery."""
        self._updates.append(update)
        self._new_update.set()
        if self.webhook_delivery:
            self._deliver_chat(self.chat_of(update))
        return update

    @property
    def pending(self) -> list[dict]:
        """Updates not yet handed out (polling) or answered 200 (webhook)."""
        return list(self._updates)

    # --- inspection ---------------------------------------------------------------------------
    def of(self, method: str, **match: Any) -> list:
        """Processed calls of `method` whose parameters equal `match` (compared as strings)."""
        return [
            call for call in self.calls
            if call.method.lower() == method.lower()
            and all(str(call.get(k)) == str(v) for k, v in match.items())
        ]

    def texts(self, chat_id) -> list[str]:
        """Texts of the messages delivered to `chat_id`, in order."""
        return [call["text"] for call in self.of("sendMessage", chat_id=chat_id)]

    async def wait_for(self, method: str, count: int = 1, timeout: float = 10.0, **match: Any) -> list:
        """Wait until at least `count` matching calls were processed; fails with the call log."""
        deadline = time.monotonic() + timeout
        while True:
            found = self.of(method, **match)
            if len(found) >= count:
                return found
            if time.monotonic() > deadline:
                log = "\n".join(f"  {c.method} {c.params}" for c in self.calls)
                raise AssertionError(f"expected {count} x {method} {match}, got {len(found)}; calls:\n{log}")
            await asyncio.sleep(0.02)

    async def wait_polling(self, polls: int = 1, timeout: float = 10.0) -> None:
        """Wait until the bot has polled `polls` more times (it is then surely listening)."""
        target = getattr(self, self.POLL_COUNTER) + polls
        deadline = time.monotonic() + timeout
        while getattr(self, self.POLL_COUNTER) < target:
            if time.monotonic() > deadline:
                raise AssertionError("the bot did not poll getUpdates")
            await asyncio.sleep(0.02)

    # --- webhook delivery ----------------------------------------------------------------------
    def _deliver_chat(self, chat_id) -> None:
        task = self._delivering.get(chat_id)
        if task is None or task.done():
            self._delivering[chat_id] = asyncio.create_task(self._deliver(chat_id))

    async def _deliver(self, chat_id) -> None:
        """This chat's pending updates to the webhook, oldest first, each until answered 200."""
        tries: dict[Any, int] = {}
        idle_until = time.monotonic() + 120  # no webhook for that long: leave the rest to getUpdates
        while time.monotonic() < idle_until:
            mine = [u for u in self._updates if self.chat_of(u) == chat_id]
            if not mine:
                return
            update = mine[0]
            if self.webhook is None:  # not set (yet), or deleted: getUpdates serves it
                await asyncio.sleep(0.02)
                continue
            idle_until = time.monotonic() + 120
            status = await self._post(update)
            key = self.update_key(update)
            self.deliveries.append((key, status))
            tries[key] = count = tries.get(key, 0) + 1
            if status == 200 or count >= self.max_deliveries:
                if update in self._updates:
                    self._updates.remove(update)
                if status != 200:
                    self.dropped.append(update)
                continue
            await asyncio.sleep(self.retry_delay)

    async def _post(self, update: dict) -> int | str:
        if self._http is None:
            self._http = aiohttp.ClientSession()
        headers = {self.SECRET_HEADER: str(self.webhook.get("secret_token", ""))}
        try:
            async with self._http.post(self.webhook["url"], json=self.webhook_body(update), headers=headers,
                                       timeout=aiohttp.ClientTimeout(total=10)) as response:
                await response.read()
                return response.status
        except (aiohttp.ClientError, TimeoutError) as exc:
            return type(exc).__name__

    # --- the API -----------------------------------------------------------------------------
    async def _handle(self, request: web.Request) -> web.StreamResponse:
        task = asyncio.current_task()
        self._handling.add(task)
        try:
            return await self._answer(request)
        finally:
            self._handling.discard(task)
