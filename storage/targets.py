"""Admission targets (chỉ tiêu kết nạp): the members a target is computed from. Assigning one
is a use case (usecases.targets.set_target)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import OrgUnit

MAX_TARGET = 1_000_000


async def subtree_members(session: AsyncSession, unit: OrgUnit) -> int:
    total = await session.scalar(
        select(func.coalesce(func.sum(OrgUnit.members), 0)).where(OrgUnit.path.startswith(unit.path))
    )
    return int(total or 0)
