"""Composition root: builds the engine, services, knowledge base and conversation."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.reportfiles import FileBuilder
from bot.settings import Settings
from handlers import build_router
from handlers.core import Conversation, Services
from storage.db import create_engine, create_report_engine, session_factory

log = logging.getLogger(__name__)


@dataclass
class App:
    settings: Settings
    engine: AsyncEngine
    services: Services
    conversation: Conversation
    report_engine: AsyncEngine | None = None  # read-only, for the staff reports (storage.db)

    async def close(self) -> None:
        if self.services.report_builder is not None:
            self.services.report_builder.close()
        await self.engine.dispose()
        if self.report_engine is not None:
            await self.report_engine.dispose()


def load_kb(settings: Settings, router=None):
    """Load and index the knowledge base once; None (with a logged reason) if it cannot load.
    ``router``: the app's handlers, whose commands' roles the search uses (built here if None)."""
    try:
        from knowledge import KnowledgeBase, KnowledgeBaseError
        from knowledge.cli import declared_command_roles
    except ImportError:  # pragma: no cover - the package always ships
        return None
    try:
        return KnowledgeBase.load(settings.kb_path or None, contact=settings.kb_contact,
                                  command_roles=declared_command_roles(router), cache_dir=settings.kb_cache)
    except KnowledgeBaseError as exc:
        log.error("knowledge base not loaded: %s", exc)
        return None


def build_app(settings: Settings, *, clock=None, kb=None, with_kb: bool = True) -> App:
    engine = create_engine(settings.database_url)
    report_engine = create_report_engine(settings.database_url)
    router = build_router()
    services = Services(
        settings=settings,
        sessions=session_factory(engine),
        kb=kb if kb is not None else (load_kb(settings, router) if with_kb else None),
        clock=clock,
        report_sessions=session_factory(report_engine) if report_engine is not None else None,
        report_builder=FileBuilder(settings.database_url) if FileBuilder.usable(settings.database_url) else None,
    )
    return App(settings, engine, services, Conversation(services, router), report_engine)
