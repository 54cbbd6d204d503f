"""Text rendering of the organisation tree for `chibot org tree`."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain import texts

from storage import orgs
from storage.models import OrgUnit
from storage.orgsearch import roots
from storage.reports import in_subtree

async def render_tree(session: AsyncSession, code: str | None) -> list[str] | None:
    """The tree below the unit `code`, or every root's tree when no code is given; None for an
    unknown code."""
    if code:
        top = await orgs.by_code(session, code)
        return None if top is None else await _render(session, top)
    lines: list[str] = []
    for top in await roots(session):
        lines += await _render(session, top)
    return lines or [texts.CLI_EMPTY_TREE]


async def _render(session: AsyncSession, top: OrgUnit) -> list[str]:
    units = list(await session.scalars(  # the subtree as an index range of paths
        select(OrgUnit).where(in_subtree(top)).order_by(OrgUnit.depth, OrgUnit.code)))
    kids: dict[int, list[OrgUnit]] = {}
    for unit in units:
        if unit.parent_id is not None:
            kids.setdefault(unit.parent_id, []).append(unit)
    total: dict[int, int] = {}
    for unit in sorted(units, key=lambda u: -u.depth):  # children before parents
        total[unit.id] = unit.members + sum(total[c.id] for c in kids.get(unit.id, []))

    lines: list[str] = []

    def walk(unit: OrgUnit, indent: int) -> None:
        lines.append(texts.ORG_TREE_LINE.format(
            indent="  " * indent, code=unit.code, name=unit.name,
            kind=texts.KIND_NAMES.get(unit.kind, unit.kind), members=total[unit.id],
        ))
        for child in sorted(kids.get(unit.id, []), key=lambda u: u.code):
            walk(child, indent + 1)

    walk(top, 0)
    return lines
