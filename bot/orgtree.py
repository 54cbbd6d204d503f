"""Text rendering of the organisation tree for `chibot org tree`."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from domain import texts

from storage import orgs
from storage.models import OrgUnit

async def render_tree(session: AsyncSession, code: str | None) -> list[str] | None:
    top = await (orgs.by_code(session, code) if code else orgs.root(session))
    if top is None:
        return None if code else [texts.CLI_EMPTY_TREE]
    units = await orgs.subtree(session, top)
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
