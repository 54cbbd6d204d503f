"""The unit of work: one transaction, the actor who acts in it, and its clock.

A use case never commits: the caller's unit of work does (the conversation core once per
update, the CLI once per command, the scheduler once per run), so a change, its audit row and
the messages that report it are stored together or not at all.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.clock import to_local, utcnow
from storage.models import AuditLog


@dataclass(frozen=True)
class Actor:
    """Who acts: a registered user, the command line, the scheduler, or the system itself
    (e.g. a channel marking a chat that blocked the bot). `label` names an unregistered chat
    account ("telegram:5550001") or the subsystem ("telegram")."""

    kind: str  # user | cli | scheduler | system | chat
    user_id: int | None = None
    label: str = ""

    @classmethod
    def user(cls, user_id: int) -> Actor:
        return cls("user", user_id)

    @classmethod
    def cli(cls) -> Actor:
        return cls("cli")

    @classmethod
    def scheduler(cls) -> Actor:
        return cls("scheduler")

    @classmethod
    def system(cls, label: str) -> Actor:
        return cls("system", label=label)

    @classmethod
    def chat(cls, channel: str, external_id: str) -> Actor:
        """A chat account that is not linked to a user (yet)."""
        return cls("chat", label=f"{channel}:{external_id}")

    @property
    def name(self) -> str:
        """The audit log's `actor` column: "user:12", "cli", "scheduler", "system:telegram"."""
        if self.kind == "user":
            return f"user:{self.user_id}"
        if self.kind == "chat":
            return self.label
        return f"{self.kind}:{self.label}" if self.label else self.kind


@dataclass
class UnitOfWork:
    session: AsyncSession
    actor: Actor
    clock: Callable[[], datetime] = utcnow  # naive UTC
    tz: ZoneInfo | None = None
    audited: list[AuditLog] = field(default_factory=list)

    def now(self) -> datetime:
        return self.clock()

    def today(self) -> date:
        now = self.now()
        return to_local(now, self.tz).date() if self.tz is not None else now.date()

    def audit(
        self,
        action: str,
        entity: str,
        entity_id: Any,
        *,
        org_id: int | None = None,
        before: dict | None = None,
        after: dict | None = None,
    ) -> AuditLog:
        """Record one change (before/after snapshots, JSON-safe). The only writer of audit rows."""
        row = AuditLog(
            at=self.now(),
            user_id=self.actor.user_id,
            actor=self.actor.name,
            action=action,
            entity=entity,
            entity_id=None if entity_id is None else str(entity_id),
            org_id=org_id,
            before=before,
            after=after,
        )
        self.session.add(row)
        self.audited.append(row)
        return row


    async def audit_many(self, changes: Iterable[tuple[str, str, Any, int | None, dict | None, dict | None]]) -> int:
        """Record many changes at once — (action, entity, entity_id, org_id, before, after)
        each, the same rows as `audit` — in batches without ORM objects (an import of the
        national tree audits 208,000 units). Returns how many were written."""
        table = AuditLog.__table__
        at, user_id, actor = self.now(), self.actor.user_id, self.actor.name
        written = 0
        batch: list[dict] = []
        for action, entity, entity_id, org_id, before, after in changes:
            batch.append({"at": at, "user_id": user_id, "actor": actor, "action": action, "entity": entity,
                          "entity_id": None if entity_id is None else str(entity_id), "org_id": org_id,
                          "before": before, "after": after, "undone": False})
            if len(batch) == 5000:
                await self.session.execute(table.insert(), batch)
                written += len(batch)
                batch = []
        if batch:
            await self.session.execute(table.insert(), batch)
            written += len(batch)
        return written


@asynccontextmanager
async def unit_of_work(
    sessions: async_sessionmaker, actor: Actor, *, clock: Callable[[], datetime] = utcnow,
    tz: ZoneInfo | None = None,
) -> AsyncIterator[UnitOfWork]:
    """A unit of work in its own transaction: committed when the block ends normally, rolled
    back when it raises (a RuleError included)."""
    async with sessions() as session:
        async with session.begin():
            yield UnitOfWork(session, actor, clock, tz)
