"""`chibot run`: the console when no channel is configured, otherwise the chat channels."""

from __future__ import annotations

import logging

from bot.app import App
from domain import texts

log = logging.getLogger(__name__)


async def run(app: App, *, console: bool = False, role: str = "all") -> int:
    """`chibot run --role`: `web` serves the channels (receiving, handling, sending), `scheduler`
    the background jobs (housekeeping; what they enqueue is sent by a web process), `all` both."""
    settings = app.settings
    if console or not settings.has_channels:
        return await _console(app)
    tasks = []
    if role in ("all", "web"):
        if settings.telegram_token or settings.zalo_token:
            tasks.append(serve_channels(app))
        else:
            log.warning("no channel configured for role %s", role)
    if role in ("all", "scheduler"):
        from storage.housekeeping import sweep_forever

        tasks.append(sweep_forever(app.services.sessions, app.services.now))
    if not tasks:
        return 1
    log.info("serving as role %s", role)
    return await _serve_until_stopped(tasks)


async def serve_channels(app: App) -> None:
    """Every channel that has a token, in this process, until cancelled: one web server for all
    of them (their webhooks, the file links under CHIBOT_PUBLIC_URL, /healthz) when a webhook or
    a public URL is configured. A channel that fails (a rejected token) stops the others."""
    import asyncio

    from bot.web import WebServer

    settings = app.settings
    web = WebServer(app) if settings.webhook_url or settings.public_url else None
    channels = []
    if settings.telegram_token:
        from bot.channels.telegram import TelegramChannel

        channels.append(TelegramChannel(app, web=web))
    if settings.zalo_token:
        from bot.channels.zalo import ZaloChannel

        channels.append(ZaloChannel(app, web=web))
    if web is not None:
        if settings.public_url:
            from bot import files

            files.add_route(web, app)
        await web.start()
    try:
        serving = [asyncio.ensure_future(channel.serve()) for channel in channels]
        try:
            done, _ = await asyncio.wait(serving, return_when=asyncio.FIRST_EXCEPTION)
            for task in done:
                task.result()
        finally:
            for task in serving:
                task.cancel()
            await asyncio.gather(*serving, return_exceptions=True)
    finally:
        if web is not None:
            await web.stop()


async def _serve_until_stopped(coros) -> int:
    """Run the channels and background jobs until one of them fails or SIGTERM/SIGINT arrives;
    then stop all of them cleanly (updates in progress finish, connections close). A failure
    (e.g. a rejected token) is raised after everything else has stopped."""
    import asyncio
    import signal

    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        try:
            loop.add_signal_handler(sig, stop.set)
        except (NotImplementedError, RuntimeError):  # not the main thread, or Windows
            pass
    tasks = [asyncio.ensure_future(coro) for coro in coros]
    stopping = asyncio.ensure_future(stop.wait())
    try:
        await asyncio.wait({*tasks, stopping}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for sig in (signal.SIGTERM, signal.SIGINT):
            try:
                loop.remove_signal_handler(sig)
            except (NotImplementedError, RuntimeError):
                pass
        stopping.cancel()
        failed = next((t for t in tasks if t.done() and not t.cancelled() and t.exception()), None)
        if failed is None:
            log.info("stopping")
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    if failed is not None:
        raise failed.exception()
    return 0


async def _console(app: App) -> int:
    from bot.channels.console import run_console
    from storage.demo import seed_demo

    async with app.services.sessions() as session:
        async with session.begin():
            await seed_demo(session, app.services.now())
    user = app.settings.console_user
    print(texts.CONSOLE_START.format(user=user), flush=True)
    await run_console(app.conversation, user)
    return 0
