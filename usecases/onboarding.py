"""Joining Chibot: redeeming an invite code (/start CODE) and creating invites (/moi, the CLI).

Wrong codes are recorded, and an account with too many of them within the hour is refused for
a while (the brute-force limit of `storage.invites`). A wrong code is not an error: its record
must be kept, so the outcome is returned, never raised.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from sqlalchemy import select

from domain import texts
from domain.errors import RuleError
from domain.roles import SECRETARY, can_invite
from storage import invites
from storage.models import ChatIdentity, Invite, OrgUnit, User
from usecases.uow import UnitOfWork


class Outcome(Enum):
    LINKED = "linked"  # the account is now a user
    ALREADY_LINKED = "already_linked"  # the account was a user already; the code is not used
    LOCKED = "locked"  # too many wrong codes: refused until `locked_until`
    BAD_CODE = "bad_code"  # no such code (recorded); `attempts_left` before the lock
    EXPIRED = "expired"  # the invite expired at `expires_at`
    USED_UP = "used_up"  # the invite was used as often as allowed


@dataclass(frozen=True)
class Redemption:
    outcome: Outcome
    user: User | None = None  # the linked user (LINKED, ALREADY_LINKED)
    identity: ChatIdentity | None = None  # the new chat identity (LINKED)
    locked_until: datetime | None = None
    attempts_left: int = 0
    expires_at: datetime | None = None


async def register(
    uow: UnitOfWork, channel: str, external_id: str, chat_id: str, code: str, display_name: str = ""
) -> Redemption:
    """Link the chat account to a new user with the invite's role and unit."""
    session, now = uow.session, uow.now()
    failures = await invites.recent_failures(session, channel, external_id, now)
    if (until := invites.locked_until(failures)) is not None:
        return Redemption(Outcome.LOCKED, locked_until=until)
    linked = await session.scalar(
        select(User).join(ChatIdentity).where(ChatIdentity.channel == channel, ChatIdentity.external_id == external_id)
    )
    if linked is not None:
        return Redemption(Outcome.ALREADY_LINKED, user=linked)

    invite = await invites.find_invite(session, code)
    if invite is None:
        await invites.record_failure(session, channel, external_id, now)
        failures.insert(0, now)
        if (until := invites.locked_until(failures)) is not None:
            return Redemption(Outcome.LOCKED, locked_until=until)
        return Redemption(Outcome.BAD_CODE, attempts_left=invites.MAX_FAILURES - len(failures))
    if invite.expires_at <= now:
        return Redemption(Outcome.EXPIRED, expires_at=invite.expires_at)
    if invite.used >= invite.max_uses:
        return Redemption(Outcome.USED_UP)

    invite.used += 1
    user = User(name=display_name or external_id, role=invite.role, org_id=invite.org_id, active=True, created_at=now)
    session.add(user)
    await session.flush()
    identity = ChatIdentity(
        user_id=user.id, channel=channel, external_id=external_id, chat_id=chat_id, blocked=False, linked_at=now
    )
    session.add(identity)
    await session.flush()
    await session.refresh(user, ["org"])
    identity.user = user
    uow.audit(
        "user.register", "user", user.id, org_id=user.org_id,
        after={"role": user.role, "org": user.org.code, "channel": channel, "invite": invite.id},
    )
    return Redemption(Outcome.LINKED, user=user, identity=identity)


@dataclass(frozen=True)
class NewInvite:
    code: str  # the plain code: shown once, only its hash is stored
    invite: Invite
    org: OrgUnit


async def create_invite(uow: UnitOfWork, org_id: int, role: str, *, uses: int = 1, days: int = 7) -> NewInvite:
    """An invite to `org_id` for `role`. A user invites within their rights (domain.roles);
    the command line, run by the operator, may invite anyone, but secretaries only to cells."""
    org = await uow.session.get(OrgUnit, org_id)
    if org is None:  # the caller found the unit by its code
        raise LookupError(f"no org unit {org_id}")
    if uow.actor.user_id is not None:
        inviter = await uow.session.get(User, uow.actor.user_id)  # with its unit (joined)
        if not can_invite(inviter.role, inviter.org.path, org.path, org.kind, role):
            raise RuleError(texts.INVITE_NOT_ALLOWED.format(role=texts.ROLE_NAMES[role], unit=org.name))
    elif role == SECRETARY and org.kind != "cell":
        raise RuleError(texts.CLI_INVITE_CELL_ONLY.format(code=org.code, kind=org.kind))
    code, invite = await invites.create_invite(
        uow.session, org, role, now=uow.now(), uses=uses, days=days, created_by=uow.actor.user_id
    )
    uow.audit("invite.create", "invite", invite.id, org_id=org.id, after={"role": role, "uses": uses, "days": days})
    return NewInvite(code, invite, org)
