"""Broadcasts (/thongbao, `chibot broadcast`): a message to the secretaries of a subtree, queued
through the outbox (one row per recipient, dedup key `bc:{id}:{user_id}`), with a delivery
report computed from the rows' outcomes (sent, failed, blocked) plus the recipients who had no
usable chat account when it was queued (not linked, blocked)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain import texts
from domain.errors import RuleError
from domain.pipeline import ACTIVE_STAGES
from domain.roles import SECRETARY
from storage.models import Broadcast, OrgUnit, OutboxMessage, Source, User
from storage.reports import EvaluationWindow
from storage.sources import evaluated_in
from usecases import notify
from usecases.uow import UnitOfWork

SUBTREE, LATE, UNIT = "subtree", "late", "unit"
AUDIENCES = (SUBTREE, LATE, UNIT)
KIND = "broadcast"
TEXT_LIMIT = 3000


def key_prefix(broadcast_id: int) -> str:
    return f"bc:{broadcast_id}:"


def check_text(text: str) -> str:
    value = text.strip()
    if not value or not any(ch.isalnum() for ch in value):
        raise RuleError(texts.BROADCAST_EMPTY)
    if len(value) > TEXT_LIMIT:
        raise RuleError(texts.BROADCAST_TOO_LONG.format(n=len(value), limit=TEXT_LIMIT))
    return value


async def audience(session: AsyncSession, org: OrgUnit, mode: str, today: date, settings) -> list[User]:
    """The secretaries addressed: of every cell of the subtree (subtree, and unit: the subtree
    of the one chosen unit), or only of its cells with sources not yet evaluated this quarter
    (late)."""
    query = (
        select(User).join(OrgUnit, OrgUnit.id == User.org_id)
        .where(User.role == SECRETARY, User.active.is_(True), OrgUnit.path.startswith(org.path))
        .order_by(User.id)
    )
    if mode == LATE:
        window = EvaluationWindow.on(today, settings.evaluation_due_day)
        late = select(Source.org_id).where(Source.stage.in_(ACTIVE_STAGES), ~evaluated_in(window.year, window.quarter))
        query = query.where(User.org_id.in_(late))
    return list(await session.scalars(query))


def message_text(broadcast: Broadcast, sender_name: str | None) -> str:
    sender = sender_name or texts.BROADCAST_FROM_CLI
    return texts.BROADCAST_MESSAGE.format(unit=broadcast.org.name, sender=sender, text=broadcast.text)


@dataclass(frozen=True)
class Queued:
    broadcast: Broadcast
    queued: int


async def create_broadcast(uow: UnitOfWork, settings, *, org: OrgUnit, mode: str, text: str,
                           sender: User | None = None) -> Queued:
    """Queue the broadcast for its audience (quiet hours respected) in the caller's transaction."""
    if mode not in AUDIENCES:
        raise RuleError(texts.BROADCAST_BAD_AUDIENCE)
    body = check_text(text)
    users = await audience(uow.session, org, mode, uow.today(), settings)
    if not users:
        raise RuleError(texts.BROADCAST_NOBODY.format(unit=org.name))
    now = uow.now()
    broadcast = Broadcast(sender_id=sender.id if sender is not None else None, org_id=org.id, audience=mode,
                          text=body, recipients=len(users), created_at=now)
    uow.session.add(broadcast)
    await uow.session.flush()
    broadcast.org = org
    message = message_text(broadcast, sender.name if sender is not None else None)
    notices = []
    for user in users:
        target = await notify.recipient(uow.session, user.id)
        if target.status == notify.NOT_LINKED:
            broadcast.not_linked += 1
        elif target.status == notify.BLOCKED:
            broadcast.blocked += 1
        else:
            notices.append(notify.Notice(KIND, user.id, user.org_id, None, target.channel, target.chat_id,
                                         f"{key_prefix(broadcast.id)}{user.id}", notify.release_time(now, settings),
                                         message))
    queued = await notify.enqueue_once(uow.session, notices, now)
    uow.audit("broadcast.create", "broadcast", broadcast.id, org_id=org.id, before=None,
              after={"audience": mode, "recipients": len(users), "queued": queued,
                     "not_linked": broadcast.not_linked, "blocked": broadcast.blocked})
    await uow.session.flush()
    return Queued(broadcast, queued)


@dataclass(frozen=True)
class DeliveryReport:
    broadcast: Broadcast
    sent: int
    failed: int
    blocked: int
    not_linked: int
    pending: int

    @property
    def final(self) -> bool:
        return self.pending == 0


async def delivery_report(session: AsyncSession, broadcast: Broadcast) -> DeliveryReport:
    rows = await session.execute(
        select(OutboxMessage.status, func.count())
        .where(OutboxMessage.dedup_key.startswith(key_prefix(broadcast.id), autoescape=True))
        .group_by(OutboxMessage.status)
    )
    counts = {status: int(n) for status, n in rows}
    return DeliveryReport(broadcast, counts.get("sent", 0), counts.get("failed", 0),
                          counts.get("blocked", 0) + broadcast.blocked, broadcast.not_linked,
                          counts.get("pending", 0))


def report_text(report: DeliveryReport, tz) -> str:
    from domain.dates import fmt
    from storage.clock import to_local

    b = report.broadcast
    when = to_local(b.created_at, tz)
    head = texts.BROADCAST_REPORT.format(
        id=b.id, date=fmt(when.date()), time=when.strftime("%H:%M"), unit=b.org.name,
        audience=texts.BROADCAST_AUDIENCE_NAMES[b.audience], recipients=b.recipients, sent=report.sent,
        failed=report.failed, blocked=report.blocked, not_linked=report.not_linked,
    )
    if not report.final:
        head += "\n" + texts.BROADCAST_REPORT_PENDING.format(pending=report.pending)
    return head


async def latest_of(session: AsyncSession, sender_id: int, limit: int = 3) -> list[Broadcast]:
    rows = await session.scalars(
        select(Broadcast).where(Broadcast.sender_id == sender_id).order_by(Broadcast.id.desc()).limit(limit)
    )
    return list(rows)


async def unreported(session: AsyncSession) -> list[Broadcast]:
    return list(await session.scalars(select(Broadcast).where(Broadcast.reported_at.is_(None)).order_by(Broadcast.id)))
