"""The source use cases without a chat: one person is never an active source twice, whatever
the concurrency (the read check is only a fast path; the database's partial unique index
`uq_sources_active_person` decides), on SQLite and on PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import date

import pytest
from sqlalchemy import func, select

from domain import texts
from domain.dates import fmt
from domain.errors import RuleError
from storage import sources
from storage.models import AuditLog, ChatIdentity, OrgUnit, Source
from tests.test_pipeline_support import insert_source
from usecases.sources import add_source, edit_source, remove_source
from usecases.undo import undo_last
from usecases.uow import Actor, unit_of_work

NAME, BIRTH = "Nguyễn Văn An", date(1998, 3, 5)


async def _ids(app) -> tuple[int, int]:
    """The demo cell DEMO-CB1 and its secretary `bithu`."""
    async with app.services.sessions() as session:
        cell = await session.scalar(select(OrgUnit.id).where(OrgUnit.code == "DEMO-CB1"))
        user = await session.scalar(select(ChatIdentity.user_id).where(ChatIdentity.external_id == "bithu"))
    return cell, user


def _as(app, user_id: int):
    services = app.services
    return unit_of_work(services.sessions, Actor.user(user_id), clock=services.now, tz=services.settings.tz)


async def _active(app, name: str = NAME) -> list[Source]:
    async with app.services.sessions() as session:
        rows = await session.scalars(select(Source).where(Source.full_name == name, Source.stage != "removed"))
        return list(rows)


def _duplicate_text(twin_code: str, name: str = NAME, birth: date = BIRTH) -> str:
    return texts.NGUON_DUPLICATE.format(name=name, birth=fmt(birth), code=twin_code)


@pytest.fixture
def stale_fast_path(monkeypatch):
    """The first duplicate read misses the twin, as a read racing another writer does."""
    real = sources.duplicate
    calls: list[tuple] = []

    async def first_misses(*args, **kwargs):
        calls.append(args)
        return None if len(calls) == 1 else await real(*args, **kwargs)

    monkeypatch.setattr(sources, "duplicate", first_misses)
    return calls


async def test_concurrent_adds_of_one_person_store_one_source(demo):
    cell, user = await _ids(demo)

    async def add() -> str | RuleError:
        try:
            async with _as(demo, user) as uow:  # each in its own session and transaction
                return (await add_source(uow, cell, NAME, BIRTH, ["doan_vien"])).code
        except RuleError as err:
            return err

    results = await asyncio.gather(*(add() for _ in range(4)))
    codes = [r for r in results if isinstance(r, str)]
    refused = [r for r in results if isinstance(r, RuleError)]
    assert len(codes) == 1 and len(refused) == 3, results
    assert all(err.text == _duplicate_text(codes[0]) for err in refused)
    assert [s.code for s in await _active(demo)] == codes
    async with demo.services.sessions() as session:
        created = await session.scalar(
            select(func.count()).select_from(AuditLog).where(AuditLog.action == "source.create")
        )
    assert created == 1, "a refused add leaves no audit row"


async def test_the_database_refuses_a_twin_the_read_missed(demo, stale_fast_path):
    cell, user = await _ids(demo)
    twin = await insert_source(demo, NAME, BIRTH)
    with pytest.raises(RuleError) as refused:
        async with _as(demo, user) as uow:
            await add_source(uow, cell, NAME, BIRTH, ["doan_vien"])
    assert refused.value.text == _duplicate_text(f"N{twin}")
    assert len(stale_fast_path) == 2, "the insert reached the index, then the twin was named"
    assert [s.id for s in await _active(demo)] == [twin]


async def test_renaming_into_an_active_twin_is_refused_by_the_database(demo, stale_fast_path):
    cell, user = await _ids(demo)
    twin = await insert_source(demo, NAME, BIRTH)
    other = await insert_source(demo, "Nguyễn Văn Anh", BIRTH)
    with pytest.raises(RuleError) as refused:
        async with _as(demo, user) as uow:
            await edit_source(uow, cell, other, "name", NAME)
    assert refused.value.text == _duplicate_text(f"N{twin}")
    assert len(stale_fast_path) == 2
    assert [s.id for s in await _active(demo, "Nguyễn Văn Anh")] == [other]


async def test_undoing_a_removal_cannot_make_a_second_active_source(demo):
    cell, user = await _ids(demo)
    async with _as(demo, user) as uow:
        removed = (await add_source(uow, cell, NAME, BIRTH, ["doan_vien"])).id
    async with _as(demo, user) as uow:
        await remove_source(uow, cell, removed, "chuyển đi nơi khác")
    twin = await insert_source(demo, NAME, BIRTH)  # added again meanwhile, e.g. by the deputy
    with pytest.raises(RuleError) as refused:
        async with _as(demo, user) as uow:
            await undo_last(uow, cell)
    assert refused.value.text == _duplicate_text(f"N{twin}")
    assert [s.id for s in await _active(demo)] == [twin]
    async with demo.services.sessions() as session:
        assert (await session.get(Source, removed)).stage == "removed"


async def test_another_cells_source_is_out_of_reach(demo):
    _, user = await _ids(demo)
    source = await insert_source(demo, NAME, BIRTH, org="DEMO-CB2")
    async with demo.services.sessions() as session:
        cell = await session.scalar(select(OrgUnit.id).where(OrgUnit.code == "DEMO-CB1"))
    with pytest.raises(RuleError) as refused:
        async with _as(demo, user) as uow:
            await remove_source(uow, cell, source, "chuyển đi")
    assert f"N{source}" in refused.value.text
    assert [s.stage for s in await _active(demo)] == ["source"]
