"""storage.prepared: statements run on the sqlite3 driver write and read exactly what SQLAlchemy
writes and reads (dates, times, JSON, booleans, literals in the statement), on both databases."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import bindparam, insert, select, update

from domain.pipeline import REMOVED
from storage import prepared
from storage.models import DialogState, Source
from tests.conftest import make_settings

DS = DialogState.__table__
NEW = insert(DS).values(channel=bindparam("channel"), chat_id=bindparam("chat"), user_external_id=bindparam("user"),
                        flow=bindparam("flow"), step=bindparam("step"), data=bindparam("data"),
                        expires_at=bindparam("expires"), updated_at=bindparam("now"))
READ = select(DS.c.id, DS.c.flow, DS.c.data, DS.c.expires_at).where(DS.c.chat_id == bindparam("chat"))
RENAME = update(DS).where(DS.c.chat_id == bindparam("chat")).values(step=bindparam("step"))
ACTIVE = select(Source.id, Source.birth_date).where(Source.org_id == bindparam("org"), Source.stage != REMOVED).order_by(Source.id).limit(1)


async def test_written_and_read_as_sqlalchemy_does(database_url):
    from bot.app import build_app

    app = build_app(make_settings(database_url), with_kb=False)
    expires = datetime(2026, 12, 1, 8, 30, 15, 123456)
    data = {"name": "Nguyễn Thị Ánh", "menu": ["a", "b"], "n": 3, "ok": True}
    try:
        async with app.services.sessions() as session, session.begin():
            await prepared.execute(session, NEW, {"channel": "telegram", "chat": "42", "user": "42", "flow": "nguon",
                                                  "step": "birth", "data": data, "expires": expires, "now": expires})
            await prepared.execute(session, RENAME, {"chat": "42", "step": "groups"})
        async with app.services.sessions() as session:
            stored = (await session.scalars(select(DialogState))).one()  # read by the ORM
            assert (stored.step, stored.data, stored.expires_at) == ("groups", data, expires)
            row = await prepared.first(session, READ, {"chat": "42"})
            assert row == (stored.id, "nguon", data, expires)
            assert await prepared.first(session, READ, {"chat": "missing"}) is None
    finally:
        await app.close()


async def test_literals_of_the_statement_are_applied(demo):
    from tests.factories import add_source

    async with demo.services.sessions() as session, session.begin():
        removed = await add_source(session, "DEMO-CB3", "Lê Văn Bình", stage=REMOVED)  # the first row
        kept = await add_source(session, "DEMO-CB3", "Lê Văn Cường")
        org_id = kept.org_id
    async with demo.services.sessions() as session:
        row = await prepared.first(session, ACTIVE, {"org": org_id})
    assert removed.org_id == org_id and row == (kept.id, date(1999, 2, 3))


async def test_pending_changes_are_flushed_first_as_the_orm_does(demo):
    from tests.factories import add_source

    async with demo.services.sessions() as session, session.begin():
        person = await add_source(session, "DEMO-CB3", "Lê Văn Bình")
        person.stage = REMOVED  # pending, not flushed
        row = await prepared.first(session, ACTIVE, {"org": person.org_id})
    assert row is None, "the query saw the person as still active"


IN_LIST = (select(Source.full_name, Source.birth_date)
           .where(Source.org_id == bindparam("org"), Source.stage.in_(["source", "awareness"]))
           .order_by(Source.id))


async def test_fixed_in_lists_and_all_rows_as_the_orm_reads_them(demo):
    from tests.factories import add_source

    async with demo.services.sessions() as session, session.begin():
        first = await add_source(session, "DEMO-CB3", "Lê Văn Bình")
        await add_source(session, "DEMO-CB3", "Lê Văn Cường", stage=REMOVED)
        third = await add_source(session, "DEMO-CB3", "Lê Thị Dung", stage="awareness")
        org_id = first.org_id
    async with demo.services.sessions() as session:
        rows = await prepared.all_rows(session, IN_LIST, {"org": org_id})
        by_orm = [tuple(r) for r in await session.execute(IN_LIST, {"org": org_id})]
    assert rows == by_orm and [name for name, _ in rows] == [first.full_name, third.full_name]
    assert all(isinstance(born, date) for _, born in rows)


BY_IDS = select(Source.id, Source.birth_date).where(Source.id.in_(bindparam("ids", expanding=True))).order_by(Source.id)


async def test_in_over_a_list_given_at_each_run(demo):
    from tests.factories import add_source

    async with demo.services.sessions() as session, session.begin():
        people = [await add_source(session, "DEMO-CB3", name) for name in ("Lê Văn Bình", "Lê Văn Cường", "Lê Thị Dung")]
        ids = [p.id for p in people]
    async with demo.services.sessions() as session:
        connection = await session.connection()
        for wanted in ([ids[1]], ids, [ids[2], ids[0]], [ids[0]]):  # lengths vary, and come back
            rows = await connection.run_sync(lambda sync: prepared.rows_now(sync, BY_IDS, {"ids": wanted}))
            by_orm = [tuple(r) for r in await session.execute(BY_IDS, {"ids": wanted})]
            assert rows == by_orm and [id_ for id_, _ in rows] == sorted(wanted)
