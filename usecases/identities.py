"""Chat accounts that stopped accepting messages from the bot."""

from __future__ import annotations

import logging

from sqlalchemy import select

from storage.models import ChatIdentity
from usecases.uow import UnitOfWork

log = logging.getLogger(__name__)


async def mark_blocked(uow: UnitOfWork, channel: str, chat_id: str) -> int:
    """Mark the identities of a private chat that blocked the bot (or deleted the account); the
    conversation core clears the mark when the user writes again. Returns how many were marked;
    the audit row names the identity only, nothing personal."""
    rows = (
        await uow.session.scalars(
            select(ChatIdentity).where(
                ChatIdentity.channel == channel, ChatIdentity.chat_id == str(chat_id),
                ChatIdentity.blocked.is_(False),
            )
        )
    ).all()
    for identity in rows:
        identity.blocked = True
        uow.audit("identity.blocked", "chat_identity", identity.id, before={"blocked": False}, after={"blocked": True})
    if rows:
        log.info("%s: a chat blocked the bot; %d identity marked", channel, len(rows))
    return len(rows)
