"""Helpers for the pipeline conversation tests (imported by tests/test_pipeline_*.py).

The `cells` fixture (demo app plus `bithu2` of DEMO-CB2 and deputy `phobithu` of DEMO-CB1)
lives in conftest.py.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from domain.pipeline import recognition_deadline
from domain.text import fold
from storage.models import AuditLog, OrgUnit, QuarterlyEvaluation, Source, SourceCategory

async def insert_source(
    app,
    name: str,
    birth: date,
    *,
    org: str = "DEMO-CB1",
    stage: str = "source",
    categories=("doan_vien",),
    awareness: date | None = None,
    admission: date | None = None,
    note: str = "",
) -> int:
    """A source put straight into the database (to set up a state quickly)."""
    async with app.services.sessions() as session:
        async with session.begin():
            unit = await session.scalar(select(OrgUnit).where(OrgUnit.code == org))
            source = Source(
                org_id=unit.id, full_name=name, name_key=fold(name), birth_date=birth, note=note, stage=stage,
                awareness_date=awareness, admission_date=admission,
                recognition_deadline=recognition_deadline(admission) if admission else None,
                created_at=app.services.now(), categories=[SourceCategory(category=c) for c in categories],
            )
            session.add(source)
            await session.flush()
            return source.id


async def get_source(app, source_id: int) -> Source | None:
    async with app.services.sessions() as session:
        return await session.get(Source, source_id)


async def rows(app, model) -> list:
    async with app.services.sessions() as session:
        return list(await session.scalars(select(model)))


async def evaluations(app) -> list[QuarterlyEvaluation]:
    return await rows(app, QuarterlyEvaluation)


async def audits(app, action: str | None = None) -> list[AuditLog]:
    found = await rows(app, AuditLog)
    return sorted((a for a in found if action is None or a.action == action), key=lambda a: a.id)


async def snapshot(app) -> dict:
    """Every column of every pipeline row: equal before and after means nothing was stored."""
    out = {}
    for model in (Source, SourceCategory, QuarterlyEvaluation, AuditLog):
        table = model.__table__
        async with app.services.sessions() as session:
            result = await session.execute(select(*table.columns))
            out[table.name] = sorted((tuple(map(repr, row)) for row in result.all()))
    return out


async def source_by_name(app, name: str) -> Source:
    async with app.services.sessions() as session:
        return await session.scalar(select(Source).where(Source.name_key == fold(name)))
