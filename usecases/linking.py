"""One person on two apps (/lienket): a one-time code links another chat account to the same
user; the user chooses the app that reminders and broadcasts go to; an account can be unlinked.

The code is short (8 characters of the invite alphabet), valid 10 minutes, used once and
stored hashed. Wrong codes count against the typing account exactly like wrong invite codes
(storage.invites: 5 within an hour lock the account for a while); a wrong code is an outcome,
not an error, so its record is kept.

`delivery_identity(session, user_id)` is what reminders and broadcasts use to find where to send.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain import texts
from domain.errors import RuleError
from storage import invites
from storage.models import ChatIdentity, LinkCode, User
from usecases.uow import UnitOfWork

CODE_TTL = timedelta(minutes=10)
APPS = ("telegram", "zalo")  # the channels a message can be sent to
APP_NAMES = {"telegram": "Telegram", "zalo": "Zalo", "console": "console"}  # product names, as shown


def app_name(channel: str) -> str:
    return APP_NAMES.get(channel, channel)


@dataclass(frozen=True)
class NewLinkCode:
    code: str  # the plain code: shown once, only its hash is stored
    expires_at: datetime


async def create_link_code(uow: UnitOfWork, channel: str) -> NewLinkCode:
    """A fresh code for the acting user (earlier unused codes of the user stop working)."""
    user_id = uow.actor.user_id
    if user_id is None:
        raise RuleError(texts.NOT_REGISTERED)
    now = uow.now()
    await uow.session.execute(delete(LinkCode).where(LinkCode.expires_at < now - timedelta(days=1)))
    for old in await uow.session.scalars(
        select(LinkCode).where(LinkCode.user_id == user_id, LinkCode.used_at.is_(None))
    ):
        old.used_at = now  # superseded
    code = invites.new_code()
    row = LinkCode(code_hash=invites.hash_code("L" + code), user_id=user_id, channel=channel,
                   created_at=now, expires_at=now + CODE_TTL)
    uow.session.add(row)
    await uow.session.flush()
    uow.audit("identity.link_code", "link_code", row.id, after={"channel": channel})
    return NewLinkCode(code, row.expires_at)


class Outcome(Enum):
    LINKED = "linked"
    LOCKED = "locked"
    BAD_CODE = "bad_code"
    EXPIRED = "expired"
    SAME_APP = "same_app"  # typed on the app where it was made
    ALREADY_SAME = "already_same"  # this account already belongs to the code's user
    ALREADY_OTHER = "already_other"  # this account belongs to another user
    HAS_APP = "has_app"  # the user already has an account on this app


@dataclass(frozen=True)
class Linking:
    outcome: Outcome
    user: User | None = None
    identity: ChatIdentity | None = None
    locked_until: datetime | None = None
    attempts_left: int = 0
    channel: str = ""  # SAME_APP: where the code was made


async def redeem_link_code(uow: UnitOfWork, channel: str, external_id: str, chat_id: str, code: str) -> Linking:
    """Link the chat account (channel, external_id) to the user who asked for `code`."""
    session, now = uow.session, uow.now()
    failures = await invites.recent_failures(session, channel, external_id, now)
    if (until := invites.locked_until(failures)) is not None:
        return Linking(Outcome.LOCKED, locked_until=until)
    row = await session.scalar(select(LinkCode).where(LinkCode.code_hash == invites.hash_code("L" + code)))
    if row is None or row.used_at is not None:
        await invites.record_failure(session, channel, external_id, now)
        failures.insert(0, now)
        if (until := invites.locked_until(failures)) is not None:
            return Linking(Outcome.LOCKED, locked_until=until)
        return Linking(Outcome.BAD_CODE, attempts_left=invites.MAX_FAILURES - len(failures))
    if row.expires_at <= now:
        return Linking(Outcome.EXPIRED)
    user = await session.get(User, row.user_id)
    current = await session.scalar(
        select(ChatIdentity).where(ChatIdentity.channel == channel, ChatIdentity.external_id == external_id)
    )
    if current is not None:
        if current.user_id == user.id:
            return Linking(Outcome.ALREADY_SAME, user=user)
        return Linking(Outcome.ALREADY_OTHER)
    if row.channel == channel:
        return Linking(Outcome.SAME_APP, channel=row.channel)
    taken = await session.scalar(
        select(ChatIdentity.id).where(ChatIdentity.user_id == user.id, ChatIdentity.channel == channel)
    )
    if taken is not None:
        return Linking(Outcome.HAS_APP, user=user)
    row.used_at = now
    identity = ChatIdentity(user_id=user.id, channel=channel, external_id=external_id, chat_id=chat_id,
                            blocked=False, linked_at=now)
    session.add(identity)
    await session.flush()
    identity.user = user
    uow.audit("identity.link", "chat_identity", identity.id, org_id=user.org_id,
              after={"user": user.id, "channel": channel, "code_from": row.channel})
    return Linking(Outcome.LINKED, user=user, identity=identity)


async def identities_of(session: AsyncSession, user_id: int) -> list[ChatIdentity]:
    return list(await session.scalars(
        select(ChatIdentity).where(ChatIdentity.user_id == user_id).order_by(ChatIdentity.linked_at, ChatIdentity.id)
    ))


async def set_preferred(uow: UnitOfWork, user: User, channel: str) -> None:
    """Reminders and broadcasts to `user` go to `channel` (one of the user's apps)."""
    apps = {identity.channel for identity in await identities_of(uow.session, user.id)}
    if channel not in apps or channel not in APPS:
        raise RuleError(texts.LINK_NO_SUCH_APP.format(app=app_name(channel)))
    before = user.preferred_channel
    if before == channel:
        return
    user.preferred_channel = channel
    uow.audit("user.preferred_channel", "user", user.id, org_id=user.org_id,
              before={"preferred_channel": before}, after={"preferred_channel": channel})


async def unlink(uow: UnitOfWork, user: User, channel: str) -> None:
    """Remove the user's account on `channel`; the last account cannot be removed."""
    mine = await identities_of(uow.session, user.id)
    target = next((identity for identity in mine if identity.channel == channel), None)
    if target is None:
        raise RuleError(texts.LINK_NO_SUCH_APP.format(app=app_name(channel)))
    if len(mine) < 2:
        raise RuleError(texts.LINK_LAST_IDENTITY)
    uow.audit("identity.unlink", "chat_identity", target.id, org_id=user.org_id,
              before={"user": user.id, "channel": channel}, after=None)
    await uow.session.delete(target)
    if user.preferred_channel == channel:
        before = user.preferred_channel
        user.preferred_channel = None
        uow.audit("user.preferred_channel", "user", user.id, org_id=user.org_id,
                  before={"preferred_channel": before}, after={"preferred_channel": None})
    await uow.session.flush()


def pick(identities: list[ChatIdentity], preferred: str | None) -> ChatIdentity | None:
    """The identity messages go to: the preferred app's if not blocked, else another app's that
    is not blocked (the most recently linked first), else None. A console identity counts only
    for a user who has no app at all (the demo's and the tests' console users), so a real user's
    messages never wait for a console that is not running."""
    unblocked = [identity for identity in identities if not identity.blocked]
    usable = [identity for identity in unblocked if identity.channel in APPS] or unblocked
    for identity in usable:
        if identity.channel == preferred:
            return identity
    return max(usable, key=lambda identity: (identity.linked_at, identity.id), default=None)


async def delivery_identity(session: AsyncSession, user_id: int) -> ChatIdentity | None:
    """The chat identity reminders and broadcasts to `user_id` go to: the user's preferred app
    if linked and not blocked, else the other non-blocked one, else None. Read-only."""
    preferred = await session.scalar(select(User.preferred_channel).where(User.id == user_id))
    return pick(await identities_of(session, user_id), preferred)


def preferred_app(identities: list[ChatIdentity], preferred: str | None) -> str | None:
    chosen = pick(identities, preferred)
    return chosen.channel if chosen is not None else None
