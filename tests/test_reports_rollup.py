"""Rollups over generated trees: at every level, every figure that sums equals the unit's own
plus the sum of its children, and equals a brute-force count over the generated people. The
whole subtree is reported at once (depth=None) and each unit again on its own (depth=1)."""

from __future__ import annotations

import math
import random
from collections import Counter
from datetime import date, datetime, timedelta

import pytest

from domain.categories import CATEGORIES
from storage import orgs
from storage.models import AdmissionTarget, QuarterlyEvaluation, Source, SourceCategory
from storage.reports import SUMMED, build_report, cell_status
from tests.test_reports import make_tree

TODAY = date(2026, 12, 20)  # after the quarter-IV deadline (15/12): late cells count
STAGES = ("source", "source", "awareness", "probationary", "full", "removed")


def generate(seed: int):
    """A random tree (3–5 levels) with members and people at every level."""
    rnd = random.Random(seed)
    rows, people = [("R", "", "Tỉnh ủy sinh", "province", rnd.randint(0, 5))], []
    frontier = ["R"]
    for level, kind in enumerate(("district", "grassroots", "cell")):
        next_frontier = []
        for parent in frontier:
            for i in range(rnd.randint(1, 3 if level < 2 else 4)):
                code = f"{parent}.{i}"
                rows.append((code, parent, f"Đơn vị {code}", kind, rnd.randint(0, 40)))
                next_frontier.append(code)
        frontier = next_frontier
    for code, *_ in rows:
        for n in range(rnd.randint(0, 6)):
            stage = rnd.choice(STAGES)
            admitted = awareness = None
            if stage in ("probationary", "full") or (stage == "removed" and rnd.random() < 0.5):
                admitted = date(rnd.randint(2020, 2026), rnd.randint(1, 12), rnd.randint(1, 28))
                awareness = admitted - timedelta(days=rnd.randint(30, 400))
            elif stage == "awareness":
                awareness = TODAY - timedelta(days=rnd.randint(5, 500))
            people.append({
                "unit": code, "stage": stage, "admitted": admitted, "awareness": awareness,
                "deadline": admitted + timedelta(days=400) if admitted else None,
                "recognised": date(2026, rnd.randint(1, 12), 5) if stage == "full" and rnd.random() < 0.5 else None,
                "categories": rnd.sample(CATEGORIES, rnd.choice((1, 1, 2))),
                "evaluated": rnd.random() < 0.5,
            })
    return rows, people


async def store(session, rows, people) -> None:
    await make_tree(session, rows)
    ids = {code: (await orgs.by_code(session, code)).id for code, *_ in rows}
    for n, p in enumerate(people):
        source = Source(org_id=ids[p["unit"]], full_name=f"Người {n}", name_key=f"nguoi {n}",
                        birth_date=date(1995, 1, 1), note="", stage=p["stage"], admission_date=p["admitted"],
                        awareness_date=p["awareness"],
                        recognition_deadline=p["deadline"], recognition_date=p["recognised"],
                        created_at=datetime(2026, 1, 1))
        source.categories = [SourceCategory(category=c) for c in p["categories"]]
        session.add(source)
        await session.flush()
        if p["evaluated"]:
            session.add(QuarterlyEvaluation(source_id=source.id, year=2026, quarter=4, level="tot", comment="",
                                            evaluated_at=datetime(2026, 12, 1)))
    session.add(AdmissionTarget(org_id=ids["R"], year=2026, target=7))
    await session.flush()


def own_figures(code: str, rows, people) -> dict:
    """What the unit `code` holds itself (not its children), counted by hand."""
    members = next(r[4] for r in rows if r[0] == code)
    mine = [p for p in people if p["unit"] == code]
    active = [p for p in mine if p["stage"] in ("source", "awareness")]
    due = [p for p in active if not p["evaluated"]]
    probation = [p for p in mine if p["stage"] == "probationary"]
    return {
        "members": members,
        "admissions": sum(1 for p in mine if p["admitted"] and p["admitted"].year == 2026),
        "sources_active": len(active),
        "evaluations_due": len(due),
        "cells_late": int(bool(due)),
        "probation_due": sum(1 for p in probation if p["deadline"] <= TODAY + timedelta(days=30)),
        "probation_overdue": sum(1 for p in probation if p["deadline"] < TODAY),
        "by_category": Counter(c for p in active for c in p["categories"]),
        "by_year": Counter(p["admitted"].year for p in mine if p["admitted"]),
        "pipeline": {"sources": sum(1 for p in mine if p["stage"] == "source"),
                     "awareness": sum(1 for p in mine if p["stage"] == "awareness"),
                     "probationary": len(probation),
                     "recognised": sum(1 for p in mine if p["recognised"] and p["recognised"].year == 2026)},
    }


def check(node: dict, rows, people, settings) -> dict:
    """Check `node` and everything below it; returns the brute-force totals of its subtree."""
    code = node["org"]["code"]
    own = own_figures(code, rows, people)
    totals = {key: own[key] for key in SUMMED}
    categories, by_year, pipeline = Counter(own["by_category"]), Counter(own["by_year"]), Counter(own["pipeline"])
    children = [r[0] for r in rows if r[1] == code]
    assert sorted(c["org"]["code"] for c in node["children"]) == sorted(children)
    for child in node["children"]:
        below = check(child, rows, people, settings)
        for key in SUMMED:
            totals[key] += below[key]
        categories.update(below["categories"])
        by_year.update(below["by_year"])
        pipeline.update(below["pipeline"])
        # the rollup: the parent's figure is its own plus the sum of the children's
    for key in SUMMED:
        assert node[key] == own[key] + sum(c[key] for c in node["children"]) == totals[key], (code, key)
    assert node["sources_by_category"] == {k: categories.get(k, 0) for k in CATEGORIES}, code
    for k in CATEGORIES:
        assert node["sources_by_category"][k] == own["by_category"].get(k, 0) + sum(
            c["sources_by_category"][k] for c in node["children"])
    assert node["pipeline"] == {k: pipeline.get(k, 0) for k in ("sources", "awareness", "probationary", "recognised")}
    assert node["admissions_by_year"] == {str(y): by_year.get(y, 0) for y in range(2020, 2027)}, code
    members = totals["members"]
    assert node["rate"] == (round(totals["admissions"] / members, 4) if members else 0.0)
    expected_period = round(sum(by_year.get(y, 0) for y in range(2020, 2026)) / (members * 6), 4) if members else 0.0
    assert node["period_rate"] == expected_period
    if code == "R":
        assert node["target"] == 7  # assigned
    else:
        assert node["target"] == math.ceil(round(0.04 * members, 6))
    return {**totals, "categories": categories, "by_year": by_year, "pipeline": pipeline}


@pytest.fixture(params=["kept", "rebuilt"])
def counting(request):
    """Both ways the counts come to be: kept by the sessions as the people are stored, and
    rebuilt from scratch (storage.rollups.rebuild, as after a bulk load)."""
    return request.param


async def rebuild_counts(app) -> None:
    from storage import rollups

    async with app.engine.begin() as conn:
        await conn.run_sync(rollups.rebuild)


@pytest.mark.parametrize("seed", [1, 2, 3])
async def test_rollups_equal_the_sum_of_the_children_at_every_level(app, seed, counting):
    rows, people = generate(seed)
    async with app.services.sessions() as session:
        async with session.begin():
            await store(session, rows, people)
    if counting == "rebuilt":
        await rebuild_counts(app)
    async with app.services.sessions() as session:
        root = await orgs.by_code(session, "R")
        whole = await build_report(session, root, 2026, TODAY, app.settings, depth=None)
        check(whole, rows, people, app.settings)

        # each unit on its own (the default shape) gives the same figures as in the whole tree
        def walk(node):
            yield node
            for child in node["children"]:
                yield from walk(child)

        for node in list(walk(whole))[:25]:
            unit = await orgs.by_code(session, node["org"]["code"])
            alone = await build_report(session, unit, 2026, TODAY, app.settings)
            zero = await build_report(session, unit, 2026, TODAY, app.settings, depth=0)  # its own path
            for key in (*SUMMED, "target", "rate", "period_rate", "sources_by_category", "pipeline",
                        "admissions_by_year"):
                assert alone[key] == node[key] == zero[key], (node["org"]["code"], key)
            # the waits of the projection are measured over the unit reported (README), so a
            # child inside a larger report may project with its parent's waits
            assert alone["projection"] == zero["projection"], node["org"]["code"]
            assert zero["children"] == []
            assert [c["org"]["code"] for c in alone["children"]] == sorted(c["org"]["code"] for c in node["children"])
            assert all(c["children"] == [] for c in alone["children"])


async def test_a_subtree_is_a_path_range_not_a_prefix_of_digits(app, counting):
    """Unit 1's subtree must not take in units 10, 11, … (paths "/1/" and "/10/")."""
    rows = [("A", "", "Gốc A", "province", 1)] + [(f"B{i}", "", f"Gốc B{i}", "province", 100) for i in range(11)]
    rows += [("A1", "A", "Chi bộ A1", "cell", 5)]
    async with app.services.sessions() as session:
        async with session.begin():
            await make_tree(session, rows)
    if counting == "rebuilt":
        await rebuild_counts(app)
    async with app.services.sessions() as session:
        a = await orgs.by_code(session, "A")
        report = await build_report(session, a, 2026, TODAY, app.settings, depth=None)
    assert report["members"] == 6
    assert [c["org"]["code"] for c in report["children"]] == ["A1"]


@pytest.mark.parametrize("today", [date(2026, 12, 20), date(2026, 11, 2), date(2027, 1, 10)])
async def test_a_cells_status_takes_a_few_statements_and_matches_the_general_path(app, today, monkeypatch):
    """A secretary's /tinhhinh (cell_status) counts a unit with nothing below it from its own
    rows in three statements; for every unit of a generated tree, the figures and lists equal
    those of the general path (build_report over the subtree), and a unit with units below it
    still takes the general path."""
    import storage.reports
    from sqlalchemy import event

    from storage import prepared

    rows, people = generate(4)
    async with app.services.sessions() as session:
        async with session.begin():
            await store(session, rows, people)
    statements = []

    def count(*_args):
        statements.append(1)

    async with app.services.sessions() as session:
        raw = prepared.driver(await session.connection())
        if raw is not None:  # SQLite: every statement, also those sent straight to the driver
            raw.set_trace_callback(lambda sql: None if sql.startswith(("BEGIN", "COMMIT", "ROLLBACK")) else count())
        else:
            event.listen(app.engine.sync_engine, "before_cursor_execute", count)
        try:
            fast = {}
            for code, *_ in rows:
                unit = await orgs.by_code(session, code)
                statements.clear()
                fast[code] = await cell_status(session, unit, today, app.settings)
                if not any(r[1] == code for r in rows):
                    assert len(statements) == 3, code
        finally:
            if raw is not None:
                raw.set_trace_callback(None)
            else:
                event.remove(app.engine.sync_engine, "before_cursor_execute", count)
        assert sum(1 for p in people if p["stage"] == "awareness") > 0
        async def general(*_args):
            return None
        monkeypatch.setattr(storage.reports, "_leaf_status", general)
        for code, *_ in rows:
            unit = await orgs.by_code(session, code)
            slow = await cell_status(session, unit, today, app.settings)
            quick = fast[code]
            assert quick.report == slow.report, code
            assert (quick.by_stage, quick.needs_evaluation, quick.probationary, quick.window) == (
                slow.by_stage, slow.needs_evaluation, slow.probationary, slow.window), code
