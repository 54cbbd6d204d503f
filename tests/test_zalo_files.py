"""Files on Zalo: a photo goes out with sendPhoto as a signed, expiring link to Chibot's own web
server (the fake Zalo downloads it, as Zalo does), a document as a download link in the text.
The link is served from the database, so it works after a restart; a changed link is refused,
an expired one is gone. Without CHIBOT_PUBLIC_URL the chat is told where to get the file."""

from __future__ import annotations

import asyncio
import logging
import re
from contextlib import asynccontextmanager, suppress

import aiohttp
import pytest

from bot.app import build_app
from bot.runner import serve_channels
from chibot_process import free_port, guard
from conftest import make_settings
from domain import texts
from fake_zalo import TOKEN, FakeZalo
from handlers.types import OutFile, Reply
from storage.demo import seed_demo

USER = "7351988213664211821"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
XLSX = b"PK\x03\x04" + b"bao-cao" * 300


@asynccontextmanager
async def serving(app):
    task = asyncio.create_task(serve_channels(app))
    await asyncio.sleep(0.1)
    if task.done():
        task.result()
    try:
        yield
    finally:
        task.cancel()
        with suppress(asyncio.CancelledError):
            await task


async def make_app(database_url, clock, fake, public_url: str = "", port: int = 0):
    settings = make_settings(database_url, zalo_token=TOKEN, zalo_api_base=fake.base_url, public_url=public_url,
                             http_host="127.0.0.1", http_port=port or free_port())
    app = build_app(settings, clock=clock, with_kb=False)
    async with app.services.sessions() as session:
        async with session.begin():
            await seed_demo(session, app.services.now())

    @app.conversation.router.command("tep")
    async def files_reply(ctx, args):
        return [Reply("Biểu đồ tình hình", file=OutFile("bieu-do.png", PNG, "photo")),
                Reply("Báo cáo quý IV", file=OutFile("Báo cáo quý IV.xlsx", XLSX, "document"))]

    return app


async def fetch(url: str) -> tuple[int, bytes, dict]:
    async with aiohttp.ClientSession() as http:
        async with http.get(url) as response:
            return response.status, await response.read(), dict(response.headers)


@pytest.fixture
async def fake():
    server = await FakeZalo().start()
    yield server
    await server.stop()


@guard(60)
async def test_photo_and_document_links_work_after_a_restart_and_expire(database_url, clock, fake, caplog):
    """On SQLite and PostgreSQL. A link is a key to the file: it is never written to the log."""
    caplog.set_level(logging.INFO)
    port = free_port()
    app = await make_app(database_url, clock, fake, public_url=f"http://127.0.0.1:{port}", port=port)
    try:
        async with serving(app):
            fake.push(fake.text_update(USER, "/tep"))
            [photo] = await fake.wait_for("sendPhoto", chat_id=USER, timeout=20)
            await fake.wait_for("sendMessage", 3, chat_id=USER)
        assert photo.fetched == (200, PNG, "image/png"), "Zalo could download the photo"
        assert photo["photo"].startswith(f"http://127.0.0.1:{port}/files/")
        first, document, link_text = fake.texts(USER)
        assert first == "Biểu đồ tình hình" and document == "Báo cáo quý IV"
        assert link_text.startswith("📄 Báo cáo quý IV.xlsx: http")
        order = [c.method for c in fake.calls if c.method.startswith("send") and c.method != "sendChatAction"]
        assert order == ["sendMessage", "sendPhoto", "sendMessage", "sendMessage"]
        assert "07/11/2026" not in link_text and "10:00 27/11/2026" in link_text, "24 h from now, local time"
        link = re.search(r"(http://\S+)", link_text)[1]

        async with serving(app):  # a new web server: the link is served from the database
            status, body, headers = await fetch(link)
            assert status == 200 and body == XLSX
            assert headers["Content-Disposition"].startswith("attachment;")
            assert headers["Content-Type"].startswith("application/vnd.openxmlformats")
            assert (await fetch(link.replace("&s=", "&s=0")))[0] == 403, "a changed signature"
            later = re.sub(r"e=(\d+)", lambda m: f"e={int(m[1]) + 86400}", link)
            assert (await fetch(later))[0] == 403, "a longer validity cannot be forged"
            clock.advance(hours=25)
            assert (await fetch(link))[0] == 410, "expired after 24 hours"
            assert (await fetch(f"http://127.0.0.1:{port}/healthz"))[0] == 200, "one server for all"
        signature = re.search(r"&s=(\w+)", link)[1]
        logged = [r.getMessage() for r in caplog.records if signature in r.getMessage() or "/files/" in r.getMessage()]
        assert not logged, f"the signed link reached the log: {logged[:2]}"
    finally:
        await app.close()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@guard(40)
async def test_without_a_public_url_the_user_is_told_where_to_get_the_file(database_url, clock, fake):
    app = await make_app(database_url, clock, fake)
    try:
        async with serving(app):
            fake.push(fake.text_update(USER, "/tep"))
            await fake.wait_for("sendMessage", 2, chat_id=USER, timeout=20)
            await asyncio.sleep(0.3)
    finally:
        await app.close()
    assert fake.of("sendPhoto") == []
    assert fake.texts(USER) == [
        "Biểu đồ tình hình\n\n" + texts.ZALO_FILE_UNAVAILABLE.format(filename="bieu-do.png"),
        "Báo cáo quý IV\n\n" + texts.ZALO_FILE_UNAVAILABLE.format(filename="Báo cáo quý IV.xlsx"),
    ]
