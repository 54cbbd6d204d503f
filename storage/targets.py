"""Assigned admission targets (chỉ tiêu kết nạp) per unit and year."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import AdmissionTarget, AuditLog, OrgUnit

MAX_TARGET = 1_000_000


@dataclass(frozen=True)
class TargetChange:
    before: int | None  # the assigned target before, None when there was none
    after: int
    changed: bool


async def subtree_members(session: AsyncSession, unit: OrgUnit) -> int:
    total = await session.scalar(
        select(func.coalesce(func.sum(OrgUnit.members), 0)).where(OrgUnit.path.startswith(unit.path))
    )
    return int(total or 0)


async def set_target(
    session: AsyncSession, unit: OrgUnit, year: int, target: int, *, now: datetime,
    actor: str = "cli", user_id: int | None = None,
) -> TargetChange:
    """Assign `unit`'s admission target for `year`. Idempotent: setting the same value again
    changes nothing and writes no audit row; a change is audited with before and after."""
    if not 0 <= target <= MAX_TARGET:
        raise ValueError(f"target out of range: {target}")
    row = await session.get(AdmissionTarget, (unit.id, year))
    before = row.target if row is not None else None
    if before == target:
        return TargetChange(before, target, False)
    if row is None:
        session.add(AdmissionTarget(org_id=unit.id, year=year, target=target))
    else:
        row.target = target
    session.add(AuditLog(
        at=now, user_id=user_id, actor=actor, action="target.set", entity="admission_target",
        entity_id=f"{unit.code}:{year}", org_id=unit.id,
        before=None if before is None else {"year": year, "target": before},
        after={"year": year, "target": target},
    ))
    await session.flush()
    return TargetChange(before, target, True)
