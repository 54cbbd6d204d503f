"""The reports' precomputed counts (storage.rollups) stay right under every write path: after
random sequences of use-case calls — add, edit, remove a source, awareness class, admission,
recognition, evaluation and its removal, undo, a transaction that fails halfway, and org
imports that move units and change member counts — the kept counts equal a rebuild from
scratch, and the report read from them equals the figures counted by hand. SQLite and
PostgreSQL."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from domain.categories import CATEGORIES
from domain.errors import RuleError
from storage import orgs, rollups
from storage.models import Source, User
from storage.reports import build_report
from tests.test_reports import make_tree
from usecases.evaluations import remove_evaluation, save_evaluation
from usecases.pipeline import admit, recognise, record_awareness
from usecases.sources import add_source, edit_source, remove_source
from usecases.undo import undo_last
from usecases.uow import Actor, unit_of_work

NOW = datetime(2026, 12, 10, 3, 0)  # quarter IV is open, before its deadline
TODAY = NOW.date()
TREE = [
    ("R", "", "Tỉnh ủy thử", "province", 0),
    ("D1", "R", "Huyện ủy 1", "district", 2),
    ("D2", "R", "Huyện ủy 2", "district", 0),
    ("G1", "D1", "Đảng ủy xã 1", "grassroots", 3),
    ("G2", "D2", "Đảng ủy xã 2", "grassroots", 1),
    ("C1", "G1", "Chi bộ 1", "cell", 20),
    ("C2", "G1", "Chi bộ 2", "cell", 15),
    ("C3", "G2", "Chi bộ 3", "cell", 30),
    ("C4", "D2", "Chi bộ 4", "cell", 9),
]
CELLS = ("C1", "C2", "C3", "C4")
CHECK_EVERY = 10


class Failed(Exception):
    """Raised inside a unit of work after a change, so that it rolls back."""


async def kept_and_rebuilt(app) -> tuple[dict, dict]:
    async with app.engine.connect() as conn:
        transaction = await conn.begin()
        kept = await conn.run_sync(rollups.stored)
        await conn.run_sync(rollups.rebuild)
        rebuilt = await conn.run_sync(rollups.stored)
        await transaction.rollback()  # the kept counts go on being tested
    return kept, rebuilt


async def brute_force(app, code: str) -> dict:
    """Some of the unit's figures counted from the people, by hand."""
    async with app.services.sessions() as session:
        unit = await orgs.by_code(session, code)
        below = {u.id for u in await session.scalars(select(type(unit)))
                 if u.path.startswith(unit.path)}
        members = sum(u.members for u in await session.scalars(select(type(unit))) if u.id in below)
        people = [s for s in await session.scalars(select(Source)) if s.org_id in below]
        active = [s for s in people if s.stage in ("source", "awareness")]
        return {
            "members": members,
            "sources_active": len(active),
            "admissions": sum(1 for s in people if s.admission_date and s.admission_date.year == 2026),
            "sources_by_category": {k: sum(1 for s in active for c in s.categories
                                           if (c.category if c.category in CATEGORIES else "khac") == k)
                                    for k in CATEGORIES},
        }


@pytest.mark.parametrize("seed", [7, 8])
async def test_kept_counts_equal_a_rebuild_after_random_use_case_calls(app, seed):
    rnd = random.Random(seed)
    clock = lambda: NOW  # noqa: E731
    async with app.services.sessions() as session:
        async with session.begin():
            await make_tree(session, TREE)
    async with app.services.sessions() as session:
        async with session.begin():
            ids = {code: (await orgs.by_code(session, code)).id for code, *_ in TREE}
            users = {}
            for code in CELLS:
                user = User(name=f"Bí thư {code}", role="secretary", org_id=ids[code], active=True, created_at=NOW)
                session.add(user)
                await session.flush()
                users[code] = user.id
    tree = [list(row) for row in TREE]

    def uow(code: str):
        actor = Actor.user(users[code]) if code in users else Actor.cli()
        return unit_of_work(app.services.sessions, actor, clock=clock, tz=app.settings.tz)

    async def people(code: str) -> list[Source]:
        async with app.services.sessions() as session:
            return list(await session.scalars(select(Source).where(Source.org_id == ids[code])))

    done: dict[str, int] = {}
    n_people = 0
    for step in range(140):
        code = rnd.choice(CELLS)
        mine = await people(code)
        person = rnd.choice(mine) if mine else None
        action = rnd.choice(("add", "add", "add", "awareness", "admit", "recognise", "evaluate", "evaluate",
                             "unevaluate", "categories", "admission_date", "remove", "undo", "undo", "fail",
                             "move", "members"))
        wanted = {"awareness": ("source",), "admit": ("awareness",), "recognise": ("probationary",),
                  "evaluate": ("source", "awareness"), "unevaluate": ("source", "awareness"),
                  "admission_date": ("probationary", "full")}.get(action)
        fitting = [p for p in mine if wanted is None or p.stage in wanted]
        person = rnd.choice(fitting) if fitting else person
        if person is None and action not in ("move", "members", "undo"):
            action = "add"
        try:
            if action == "add":
                n_people += 1
                async with uow(code) as work:
                    await add_source(work, ids[code], f"Nguyễn Văn {n_people}", date(1995, 1, 1 + n_people % 28),
                                     rnd.sample(CATEGORIES, rnd.choice((1, 2))))
            elif action == "awareness":
                async with uow(code) as work:
                    await record_awareness(work, ids[code], person.id, date(2024, rnd.randint(1, 12), 5))
            elif action == "admit":
                async with uow(code) as work:
                    await admit(work, ids[code], person.id, date(rnd.choice((2025, 2026)), rnd.randint(1, 11), 20))
            elif action == "recognise":
                async with uow(code) as work:
                    await recognise(work, ids[code], person.id, TODAY - timedelta(days=rnd.randint(0, 30)))
            elif action == "evaluate":
                async with uow(code) as work:
                    quarter = rnd.choice(((2026, 4), (2026, 3))) if TODAY.month == 10 else (2026, 4)
                    await save_evaluation(work, ids[code], person.id, rnd.choice(("tot", "kha")),
                                          quarter_of_year=quarter)
            elif action == "unevaluate":
                async with uow(code) as work:
                    await remove_evaluation(work, ids[code], person.id, 2026, 4)
            elif action == "categories":
                async with uow(code) as work:
                    await edit_source(work, ids[code], person.id, "categories",
                                      rnd.sample(CATEGORIES, rnd.choice((1, 2, 3))))
            elif action == "admission_date":
                async with uow(code) as work:
                    await edit_source(work, ids[code], person.id, "admission", date(2025, rnd.randint(1, 12), 3))
            elif action == "remove":
                async with uow(code) as work:
                    await remove_source(work, ids[code], person.id, "chuyển đi")
            elif action == "undo":
                async with uow(code) as work:
                    await undo_last(work, ids[code])
            elif action == "fail":  # a change, then the transaction fails: nothing is counted
                with pytest.raises(Failed):
                    async with uow(code) as work:
                        await add_source(work, ids[code], f"Trần Thị {step}", date(1996, 2, 2), ["khac"])
                        await remove_source(work, ids[code], person.id, "nhầm")
                        raise Failed()
            elif action == "move":  # a cell changes parent; the whole file is imported again
                row = next(r for r in tree if r[0] == code)
                row[1] = rnd.choice([p for p in ("G1", "G2", "D1", "D2") if p != row[1]])
                async with uow("cli") as work:
                    from usecases.orgs import import_orgs

                    await import_orgs(work, [dict(zip(("code", "parent_code", "name", "kind", "members"),
                                                      map(str, r))) for r in tree])
            elif action == "members":
                row = rnd.choice(tree)
                row[4] = rnd.randint(0, 50)
                async with uow("cli") as work:
                    from usecases.orgs import import_orgs

                    await import_orgs(work, [dict(zip(("code", "parent_code", "name", "kind", "members"),
                                                      map(str, r))) for r in tree])
            done[action] = done.get(action, 0) + 1
        except RuleError:
            pass  # refused by the rules: nothing changed, which the counts must show too
        if step % CHECK_EVERY == CHECK_EVERY - 1:
            kept, rebuilt = await kept_and_rebuilt(app)
            assert kept == rebuilt, (step, action)
    kept, rebuilt = await kept_and_rebuilt(app)
    assert kept == rebuilt
    # every kind of change happened
    assert {"add", "awareness", "admit", "evaluate", "remove", "undo", "fail", "move", "members"} <= set(done), done
    for code in ("R", "D1", "D2", "G1", "C3"):
        expected = await brute_force(app, code)
        async with app.services.sessions() as session:
            unit = await orgs.by_code(session, code)
            report = await build_report(session, unit, 2026, TODAY, app.settings, depth=1)
        assert {k: report[k] for k in expected} == expected, code
