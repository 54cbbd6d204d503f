"""Marking the chat identities of a chat that blocked the bot, and clearing the mark."""

from __future__ import annotations

from sqlalchemy import select

from storage.models import AuditLog, ChatIdentity
from usecases.identities import clear_blocked, mark_blocked
from usecases.uow import Actor, unit_of_work


async def _blocked(app) -> list[bool]:
    async with app.services.sessions() as session:
        return list(await session.scalars(select(ChatIdentity.blocked).where(ChatIdentity.chat_id == "bithu")))


async def test_mark_and_clear_are_audited_as_the_system(demo):
    sessions = demo.services.sessions
    system = Actor.system("console")
    async with unit_of_work(sessions, system, clock=demo.services.now) as uow:
        assert await mark_blocked(uow, "console", "bithu") == 1
    async with unit_of_work(sessions, system, clock=demo.services.now) as uow:
        assert await mark_blocked(uow, "console", "bithu") == 0, "already marked"
        assert await mark_blocked(uow, "telegram", "bithu") == 0, "another channel's chat"
    assert await _blocked(demo) == [True]
    async with unit_of_work(sessions, system, clock=demo.services.now) as uow:
        assert await clear_blocked(uow, "console", "bithu") == 1
    assert await _blocked(demo) == [False]
    async with sessions() as session:
        rows = list(await session.scalars(select(AuditLog).where(AuditLog.entity == "chat_identity")
                                          .order_by(AuditLog.id)))
    assert [(r.action, r.actor, r.user_id, r.after) for r in rows] == [
        ("identity.blocked", "system:console", None, {"blocked": True}),
        ("identity.unblocked", "system:console", None, {"blocked": False}),
    ]
