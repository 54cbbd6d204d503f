"""Finding units: every root of the tree, and a unit by part of its name typed with or without
diacritics (OrgUnit.name_key holds domain.text.fold(name))."""

from __future__ import annotations

from sqlalchemy import and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.text import fold
from storage.models import OrgUnit
from storage.reports import in_subtree


async def roots(session: AsyncSession) -> list[OrgUnit]:
    """Every unit without a parent, by code (several trees may be imported side by side)."""
    return list(await session.scalars(
        select(OrgUnit).where(OrgUnit.parent_id.is_(None)).order_by(OrgUnit.code)))


def _escape(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


async def find_by_name(session: AsyncSession, text: str, within: OrgUnit | None,
                       limit: int = 20) -> list[OrgUnit]:
    """Units whose folded name contains every word of `text` (folded), inside `within`'s
    subtree (None: the whole tree); the highest units first, then by code; at most `limit`."""
    words = fold(text).split()
    if not words:
        return []
    conditions = [OrgUnit.name_key.like(f"%{_escape(w)}%", escape="\\") for w in words]
    if within is not None:
        conditions.append(in_subtree(within))
    rows = await session.scalars(
        select(OrgUnit).where(and_(*conditions)).order_by(OrgUnit.depth, OrgUnit.code).limit(limit))
    return list(rows)
