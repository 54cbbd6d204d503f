"""Shared fixtures: a migrated database per test (SQLite always, PostgreSQL when
CHIBOT_TEST_POSTGRES_URL is set), a controllable clock, the app, and chat helpers."""

from __future__ import annotations

import asyncio
import os
import shutil
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.engine import make_url

from bot.app import App, build_app
from bot.settings import Settings
from handlers.types import Incoming, Reply
from storage.db import create_engine, upgrade
from storage.models import Base, ChatIdentity, OrgUnit, User

PG_URL = os.environ.get("CHIBOT_TEST_POSTGRES_URL", "")
PG_SKIP = "PostgreSQL tests skipped: set CHIBOT_TEST_POSTGRES_URL (e.g. postgresql+asyncpg://postgres@127.0.0.1:5432/test)"

# 10:00 on 26/11/2026 in Asia/Ho_Chi_Minh (UTC+7): the fourth quarter.
START = datetime(2026, 11, 26, 3, 0, 0)


class FakeClock:
    def __init__(self, now: datetime = START):
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> None:
        self.now += timedelta(**delta)

    def set(self, now: datetime) -> None:
        self.now = now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """Migrations run once; each test gets a copy of the migrated file."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    upgrade(f"sqlite+aiosqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def pg_migrated():
    """A fresh database per test session (so parallel runs don't collide), migrated once."""
    if not PG_URL:
        pytest.skip(PG_SKIP)
    name = f"chibot_test_{os.getpid()}"
    url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)

    async def admin(statement: str) -> None:
        engine = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
        async with engine.connect() as conn:
            await conn.execute(text(statement))
        await engine.dispose()

    asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}"'))
    asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    upgrade(url)
    yield url
    asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


async def _truncate_pg(url: str) -> None:
    engine = create_engine(url)
    tables = ", ".join(t.name for t in Base.metadata.sorted_tables)
    async with engine.begin() as conn:
        await conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    await engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> str:
    """Each test using this runs on SQLite and on PostgreSQL (or is skipped with a reason)."""
    if request.param == "sqlite":
        template = request.getfixturevalue("sqlite_template")
        path = tmp_path / "chibot.sqlite3"
        shutil.copy(template, path)
        return f"sqlite+aiosqlite:///{path}"
    url = request.getfixturevalue("pg_migrated")
    asyncio.run(_truncate_pg(url))
    return url


@pytest.fixture
def sqlite_url(sqlite_template, tmp_path) -> str:
    """SQLite only, for tests that are about files or processes rather than the database."""
    path = tmp_path / "chibot.sqlite3"
    shutil.copy(sqlite_template, path)
    return f"sqlite+aiosqlite:///{path}"


def make_settings(database_url: str, **overrides) -> Settings:
    return Settings(_env_file=None, database_url=database_url, **overrides)


@pytest.fixture(scope="session")
def kb():
    from knowledge import KnowledgeBase

    from chibot_process import KB_CACHE_DIR

    return KnowledgeBase.load(None, contact="Ban Tổ chức cấp ủy cấp trên", cache_dir=KB_CACHE_DIR)


@pytest.fixture
async def app(database_url, clock) -> App:
    application = build_app(make_settings(database_url), clock=clock, with_kb=False)
    yield application
    await application.close()


@pytest.fixture
async def demo(app) -> App:
    """The app with the demo tree and the console users `bithu` and `canbo`."""
    from storage.demo import seed_demo

    async with app.services.sessions() as session:
        async with session.begin():
            await seed_demo(session, app.services.now())
    return app


@dataclass
class Chat:
    """One chat account talking to the conversation core, as a channel would."""

    app: App
    user: str
    channel: str = "console"
    chat_type: str = "private"
    chat_id: str | None = None
    replies: list[Reply] = field(default_factory=list)
    _update: int = 0

    async def send(self, text: str = "", choice: str | None = None, update_id: str | None = None) -> list[Reply]:
        incoming = Incoming(
            channel=self.channel,
            chat_id=self.chat_id or self.user,
            user_id=self.user,
            text=text,
            choice=choice,
            chat_type=self.chat_type,
            update_id=update_id,
            display_name=self.user,
        )
        self.replies = await self.app.conversation.handle(incoming)
        return self.replies

    async def say(self, text: str) -> str:
        """Send a line and return all reply texts joined by blank lines."""
        return "\n\n".join(r.text for r in await self.send(text))

    async def press(self, value: str) -> str:
        return "\n\n".join(r.text for r in await self.send(choice=value))

    @property
    def choices(self):
        return self.replies[-1].choices if self.replies else ()


@pytest.fixture
def chat_as(app):
    def make(user: str, **kwargs) -> Chat:
        return Chat(app, user, **kwargs)

    return make


EXTRA_USERS = [("bithu2", "Lê Thị Hoa", "DEMO-CB2"), ("phobithu", "Phạm Văn Nam", "DEMO-CB1")]


@pytest.fixture
async def cells(demo):
    """The demo app plus a second secretary `bithu2` of DEMO-CB2 and a deputy `phobithu` of
    DEMO-CB1, so tests can show that cells do not see each other and that undo is one's own."""
    async with demo.services.sessions() as session:
        async with session.begin():
            now = demo.services.now()
            for login, name, code in EXTRA_USERS:
                org = await session.scalar(select(OrgUnit).where(OrgUnit.code == code))
                user = User(name=name, role="secretary", org_id=org.id, active=True, created_at=now)
                session.add(user)
                await session.flush()
                session.add(ChatIdentity(user_id=user.id, channel="console", external_id=login, chat_id=login,
                                         blocked=False, linked_at=now))
    return demo
