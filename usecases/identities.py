"""Chat accounts that blocked the bot: marked so nothing more is sent to them, and cleared
when the user writes again. The audit rows say only which identity changed, nothing personal.
Run these with a system actor (`Actor.system(channel)`)."""

from __future__ import annotations

from sqlalchemy import select

from storage.models import ChatIdentity
from usecases.uow import UnitOfWork


async def _identities(uow: UnitOfWork, channel: str, chat_id: str, *, blocked: bool) -> list[ChatIdentity]:
    return list(
        await uow.session.scalars(
            select(ChatIdentity).where(
                ChatIdentity.channel == channel,
                ChatIdentity.chat_id == chat_id,
                ChatIdentity.blocked.is_(blocked),
            )
        )
    )


async def _set_blocked(uow: UnitOfWork, channel: str, chat_id: int | str, blocked: bool) -> int:
    rows = await _identities(uow, channel, str(chat_id), blocked=not blocked)
    for identity in rows:
        identity.blocked = blocked
        uow.audit(
            "identity.blocked" if blocked else "identity.unblocked", "chat_identity", identity.id,
            before={"blocked": not blocked}, after={"blocked": blocked},
        )
    return len(rows)


async def mark_blocked(uow: UnitOfWork, channel: str, chat_id: int | str) -> int:
    """Mark the identities of a private chat that blocked the bot; returns how many."""
    return await _set_blocked(uow, channel, chat_id, True)


async def clear_blocked(uow: UnitOfWork, channel: str, chat_id: int | str) -> int:
    """The chat wrote to the bot again, so it is unblocked; returns how many were marked."""
    return await _set_blocked(uow, channel, chat_id, False)
