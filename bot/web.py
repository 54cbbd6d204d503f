"""The built-in web server: channel webhooks and `GET /healthz`.

One aiohttp application per process (bot.runner.serve_channels builds it). Channels register
their webhook routes before the server starts (`add_webhook`): Telegram `/telegram/webhook`, Zalo
`/zalo/webhook`, so one port and one reverse-proxy rule serve both. With CHIBOT_PUBLIC_URL set,
`GET /files/{id}/{name}` serves the signed, expiring file links of bot/files.py (what Zalo
users get instead of an upload).

`/healthz` answers 200 {"status": "ok"} when the database answers, else 503: a load balancer
takes a worker out of rotation when its database connection is broken.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from aiohttp import web
from sqlalchemy import text

from bot.app import App

log = logging.getLogger(__name__)

WebhookHandler = Callable[[web.Request], Awaitable[web.StreamResponse]]
HEALTH_TIMEOUT = 5.0


class WebServer:
    def __init__(self, app: App, host: str | None = None, port: int | None = None,
                 shutdown_timeout: float = 5.0):
        self.app = app
        self.host = host if host is not None else app.settings.http_host
        self.port = port if port is not None else app.settings.http_port
        self.shutdown_timeout = shutdown_timeout
        self.web = web.Application(client_max_size=1024 * 1024)
        self.web.router.add_get("/healthz", self._healthz)
        self._runner: web.AppRunner | None = None

    def add_webhook(self, path: str, handler: WebhookHandler) -> None:
        """Register a channel's webhook (POST) before `start()`."""
        self.web.router.add_post(path, handler)

    async def start(self) -> None:
        # No access log: a file link's path and query are the key to a report with personal
        # data (bot/files.py), and a line per webhook call cost CPU on every update. Errors are
        # logged by the handlers themselves.
        self._runner = web.AppRunner(self.web, shutdown_timeout=self.shutdown_timeout, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        # With port 0 the system picks a free port; report the real one.
        for address in self._runner.addresses:
            if isinstance(address, tuple):
                self.port = address[1]
                break
        log.info("web server listening on %s:%s", self.host, self.port)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _healthz(self, request: web.Request) -> web.Response:
        try:
            async with asyncio.timeout(HEALTH_TIMEOUT):
                async with self.app.services.sessions() as session:
                    await session.execute(text("SELECT 1"))
        except Exception as exc:  # any failure means: do not send traffic here
            log.warning("health check failed: %s: %s", type(exc).__name__, exc)
            return web.json_response({"status": "error", "database": "unavailable"}, status=503)
        return web.json_response({"status": "ok"})
