"""Invite codes: created hashed, redeemed once per use, with expiry and a brute-force limit."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import FailedCodeAttempt, Invite, OrgUnit

# No 0/O, 1/I/L: codes are read aloud and typed on phones.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(hours=1)


def normalise_code(text: str) -> str:
    return re.sub(r"[\s\-_.]", "", text).upper()


def hash_code(code: str) -> str:
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


async def create_invite(
    session: AsyncSession,
    org: OrgUnit,
    role: str,
    *,
    now: datetime,
    uses: int = 1,
    days: int = 7,
    created_by: int | None = None,
) -> tuple[str, Invite]:
    """Return the plain code (shown once, never stored) and the stored invite."""
    code = new_code()
    invite = Invite(
        code_hash=hash_code(code),
        org_id=org.id,
        role=role,
        max_uses=uses,
        used=0,
        expires_at=now + timedelta(days=days),
        created_by=created_by,
        created_at=now,
    )
    session.add(invite)
    await session.flush()
    return code, invite


async def recent_failures(session: AsyncSession, channel: str, external_id: str, now: datetime) -> list[datetime]:
    """When the account typed wrong codes within the last hour, newest first."""
    rows = await session.scalars(
        select(FailedCodeAttempt.at)
        .where(
            FailedCodeAttempt.channel == channel,
            FailedCodeAttempt.external_id == external_id,
            FailedCodeAttempt.at > now - FAILURE_WINDOW,
        )
        .order_by(FailedCodeAttempt.at.desc())
    )
    return list(rows)


def locked_until(failures: list[datetime]) -> datetime | None:
    """The account is refused while it has MAX_FAILURES wrong codes within the last hour
    (`failures` newest first); it is free again an hour after the oldest of those."""
    if len(failures) < MAX_FAILURES:
        return None
    return failures[MAX_FAILURES - 1] + FAILURE_WINDOW


async def record_failure(session: AsyncSession, channel: str, external_id: str, now: datetime) -> None:
    session.add(FailedCodeAttempt(channel=channel, external_id=external_id, at=now))
    # Keep the table small: attempts older than the window no longer matter.
    await session.execute(delete(FailedCodeAttempt).where(FailedCodeAttempt.at < now - FAILURE_WINDOW))


async def find_invite(session: AsyncSession, code: str) -> Invite | None:
    return await session.scalar(select(Invite).where(Invite.code_hash == hash_code(code)))
