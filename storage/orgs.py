"""Queries over the organisation tree."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import OrgUnit


async def by_code(session: AsyncSession, code: str) -> OrgUnit | None:
    code = code.strip()
    unit = await session.scalar(select(OrgUnit).where(OrgUnit.code == code))
    if unit is None and code:
        # Codes are typed on phones: accept any letter case.
        unit = await session.scalar(select(OrgUnit).where(func.lower(OrgUnit.code) == code.lower()))
    return unit


async def root(session: AsyncSession) -> OrgUnit | None:
    return await session.scalar(select(OrgUnit).where(OrgUnit.parent_id.is_(None)).order_by(OrgUnit.id))


async def subtree(session: AsyncSession, unit: OrgUnit) -> list[OrgUnit]:
    """The unit and everything below it, parents before children."""
    rows = await session.scalars(
        select(OrgUnit).where(OrgUnit.path.startswith(unit.path)).order_by(OrgUnit.depth, OrgUnit.code)
    )
    return list(rows)


async def children(session: AsyncSession, unit: OrgUnit) -> list[OrgUnit]:
    rows = await session.scalars(
        select(OrgUnit).where(OrgUnit.parent_id == unit.id).order_by(OrgUnit.code)
    )
    return list(rows)
