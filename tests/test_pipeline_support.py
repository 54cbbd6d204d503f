"""Helpers for the pipeline conversation tests (imported by tests/test_pipeline_*.py).

`cells`: the demo app plus a second secretary `bithu2` of DEMO-CB2 and a deputy `phobithu` of
DEMO-CB1, so tests can show that cells do not see each other and that undo is one's own.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from domain.pipeline import recognition_deadline
from domain.text import fold
from storage.models import AuditLog, ChatIdentity, OrgUnit, QuarterlyEvaluation, Source, SourceCategory, User

EXTRA_USERS = [("bithu2", "Lê Thị Hoa", "DEMO-CB2"), ("phobithu", "Phạm Văn Nam", "DEMO-CB1")]


@pytest.fixture
async def cells(demo):
    async with demo.services.sessions() as session:
        async with session.begin():
            now = demo.services.now()
            for login, name, code in EXTRA_USERS:
                org = await session.scalar(select(OrgUnit).where(OrgUnit.code == code))
                user = User(name=name, role="secretary", org_id=org.id, active=True, created_at=now)
                session.add(user)
                await session.flush()
                session.add(ChatIdentity(user_id=user.id, channel="console", external_id=login, chat_id=login,
                                         blocked=False, linked_at=now))
    return demo


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


def test_support_fixture_adds_two_secretaries(cells):
    assert [u[0] for u in EXTRA_USERS] == ["bithu2", "phobithu"]
