"""`chibot run`: the console when no channel is configured, otherwise the chat channels."""

from __future__ import annotations

import logging

from bot.app import App
from domain import texts

log = logging.getLogger(__name__)


async def run(app: App, *, console: bool = False, role: str = "all") -> int:
    """`chibot run --role`: `web` serves the channels (receiving, handling, sending), `scheduler`
    the scheduled jobs and housekeeping (what they enqueue is sent by a web process; on
    PostgreSQL one scheduler acts, a second stays idle until the first dies), `all` both."""
    settings = app.settings
    if console or (not settings.has_channels and role != "scheduler"):
        return await _console(app)
    tasks = []
    if role in ("all", "web"):
        if settings.telegram_token or settings.zalo_token:
            tasks.append(serve_channels(app))
        else:
            log.warning("no channel configured for role %s", role)
    if role in ("all", "scheduler"):
        from scheduler.service import Scheduler

        tasks.append(Scheduler(app).serve())
    if not tasks:
        return 1
    log.info("serving as role %s", role)
    return await _serve_until_stopped(tasks)


def check_channels(settings) -> None:
    """Refuse what would stop a configured channel at start (an empty token, a webhook without a
    valid secret) before the app is built: loading the knowledge base takes seconds."""
    if settings.telegram_token:
        from bot.channels.telegram import TelegramOptions

        TelegramOptions.from_settings(settings).check()
    if settings.zalo_token:
        from bot.channels.zalo import ZaloOptions

        ZaloOptions.from_settings(settings).check()


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
    """The console as the demo secretary, on the demo data. The demo never shares a database
    with a real tree: when the configured SQLite database holds one, the demo runs on its own
    file beside it (data/demo.sqlite3); another database is refused (storage.demo)."""
    import asyncio
    from pathlib import Path

    from bot.app import build_app
    from bot.channels.console import run_console
    from domain.errors import RuleError
    from sqlalchemy.engine import make_url
    from storage.db import is_sqlite, upgrade
    from storage.demo import seed_demo

    demo_app = app
    try:
        async with app.services.sessions() as session:
            async with session.begin():
                await seed_demo(session, app.services.now())
    except RuleError:
        database = make_url(app.settings.database_url).database if is_sqlite(app.settings.database_url) else None
        if not database or database == ":memory:":
            raise
        path = Path(database).with_name(DEMO_FILE)
        url = f"sqlite+aiosqlite:///{path}"
        await asyncio.get_running_loop().run_in_executor(None, upgrade, url)
        demo_app = build_app(app.settings.model_copy(update={"database_url": url}), clock=app.services.clock,
                             kb=app.services.kb, with_kb=False)
        async with demo_app.services.sessions() as session:
            async with session.begin():
                await seed_demo(session, demo_app.services.now())
    user = app.settings.console_user
    line = texts.CONSOLE_START.format(user=user)
    if demo_app is not app:
        line += " " + texts.CONSOLE_DEMO_FILE.format(path=demo_app.settings.database_url.split("///", 1)[1])
    print(line, flush=True)
    try:
        await run_console(demo_app.conversation, user)
    finally:
        if demo_app is not app:
            await demo_app.close()
    return 0


DEMO_FILE = "demo.sqlite3"  # the demo's own database, beside a database holding a real tree
