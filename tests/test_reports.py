"""Report figures (storage.reports) for a cell and rolled up the tree, with hand-computed
expected values; and `chibot report` / `chibot target set` through the real CLI.

The tree and the people (today is 26/11/2026, quarter IV, evaluations due 15/12/2026):

    P  province (0 members)
    ├── D1 district (0)                      assigned target 2026: 10, 2025: 7
    │   ├── C3 cell (20)                     s5, s6 active, not evaluated; one admission in 2020
    │   └── G1 grassroots (5)
    │       ├── C1 cell (25)                 assigned target 2026: 2 (see C1 below)
    │       └── C2 cell (30)
    └── D2 district (0)
        └── C4 cell (0)                      s7 active (khac), not evaluated

C1: s1 source (doan_vien, nong_thon) evaluated Q4; s2 awareness (tri_thuc) not evaluated;
    s3 source (doan_vien) evaluated Q3 only; p1 probationary admitted 10/03/2026, deadline
    21/04/2027; p2 probationary admitted 20/11/2025, deadline 20/12/2026 (24 days away);
    f1 full admitted 15/01/2026; r1 removed after admission on 01/02/2026; r2 removed before
    admission (khac); a24 full admitted 01/06/2024.
C2: s4 source (cong_nhan_tu_nhan) evaluated Q4; p3 probationary admitted 01/10/2025, deadline
    01/11/2026 (passed); f2 full admitted 31/12/2025; x1 probationary admitted 01/01/2026.
C3: s5 awareness (hoc_sinh_sinh_vien, quan_nhan_du_bi); s6 source (dan_quan_tu_ve);
    a20 full admitted 05/05/2020.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import event, func, select

from bot.settings import Settings
from storage import orgs
from storage.db import create_engine, session_factory
from storage.models import AdmissionTarget, AuditLog, QuarterlyEvaluation, Source
from usecases.orgs import import_orgs
from usecases.uow import Actor, UnitOfWork
from tests.factories import add_source
from storage.reports import build_report, cell_status, late_cells

# The category keys of the report contract (DESIGN.md), written out: the code must match them.
CATEGORY_KEYS = (
    "doan_vien", "tri_thuc", "quan_nhan_du_bi", "dan_quan_tu_ve",
    "hoc_sinh_sinh_vien", "nong_thon", "cong_nhan_tu_nhan", "khac",
)

TODAY = date(2026, 11, 26)
TREE = [
    ("P", "", "Tỉnh ủy thử", "province", 0),
    ("D1", "P", "Huyện ủy thử 1", "district", 0),
    ("D2", "P", "Huyện ủy thử 2", "district", 0),
    ("G1", "D1", "Đảng ủy xã thử", "grassroots", 5),
    ("C1", "G1", "Chi bộ thôn Một", "cell", 25),
    ("C2", "G1", "Chi bộ thôn Hai", "cell", 30),
    ("C3", "D1", "Chi bộ Ba", "cell", 20),
    ("C4", "D2", "Chi bộ Bốn", "cell", 0),
]
CONTRACT_KEYS = {
    "org", "year", "members", "target", "admissions", "rate", "period_rate", "sources_active",
    "sources_by_category", "evaluations_due", "cells_late", "probation_due", "children",
}
# Keys added to the contract (DESIGN.md allows more keys; these never replace one).
ADDED_KEYS = {"probation_overdue", "pipeline", "admissions_by_year", "projection", "kind"}


# --- factory: rows written directly, independent of the pipeline chat flows -----------------
async def make_tree(session, rows=TREE) -> None:
    raw = [dict(zip(("code", "parent_code", "name", "kind", "members"), map(str, r))) for r in rows]
    await import_orgs(UnitOfWork(session, Actor.system("test"), lambda: datetime(2026, 1, 1)), raw)


async def add_target(session, unit_code: str, year: int, target: int) -> None:
    unit = await orgs.by_code(session, unit_code)
    session.add(AdmissionTarget(org_id=unit.id, year=year, target=target))
    await session.flush()


async def seed(session) -> None:
    await make_tree(session)
    await add_target(session, "D1", 2026, 10)
    await add_target(session, "D1", 2025, 7)
    await add_target(session, "C1", 2026, 2)
    # C1
    await add_source(session, "C1", "Lê Văn Một", categories=("doan_vien", "nong_thon"), evaluated=[(2026, 4)])
    await add_source(session, "C1", "Phạm Thị Hai", stage="awareness", categories=("tri_thuc",))
    await add_source(session, "C1", "Võ Văn Ba", categories=("doan_vien",), evaluated=[(2026, 3)])
    await add_source(session, "C1", "Đặng Thị Bốn", stage="probationary", admitted=date(2026, 3, 10),
                     deadline=date(2027, 4, 21))
    await add_source(session, "C1", "Ngô Văn Năm", stage="probationary", admitted=date(2025, 11, 20),
                     deadline=date(2026, 12, 20))
    await add_source(session, "C1", "Bùi Thị Sáu", stage="full", admitted=date(2026, 1, 15))
    await add_source(session, "C1", "Hồ Văn Bảy", stage="removed", admitted=date(2026, 2, 1))
    await add_source(session, "C1", "Mai Thị Tám", stage="removed", categories=("khac",))
    await add_source(session, "C1", "Lý Văn Chín", stage="full", admitted=date(2024, 6, 1))
    # C2
    await add_source(session, "C2", "Trịnh Văn Mười", categories=("cong_nhan_tu_nhan",), evaluated=[(2026, 4)])
    await add_source(session, "C2", "Đỗ Thị Mười Một", stage="probationary", admitted=date(2025, 10, 1),
                     deadline=date(2026, 11, 1))
    await add_source(session, "C2", "Tạ Văn Mười Hai", stage="full", admitted=date(2025, 12, 31))
    await add_source(session, "C2", "Lương Thị Mười Ba", stage="probationary", admitted=date(2026, 1, 1),
                     deadline=date(2027, 2, 20))
    # C3
    await add_source(session, "C3", "Cao Văn Mười Bốn", stage="awareness",
                     categories=("hoc_sinh_sinh_vien", "quan_nhan_du_bi"))
    await add_source(session, "C3", "Kiều Thị Mười Lăm", categories=("dan_quan_tu_ve",))
    await add_source(session, "C3", "Quách Văn Mười Sáu", stage="full", admitted=date(2020, 5, 5))
    # C4
    await add_source(session, "C4", "Lâm Thị Mười Bảy", categories=("khac",))


@pytest.fixture
async def seeded(app):
    async with app.services.sessions() as session:
        async with session.begin():
            await seed(session)
    return app


async def report_for(app, code: str, year: int = 2026, today: date = TODAY, settings=None, depth=1):
    async with app.services.sessions() as session:
        unit = await orgs.by_code(session, code)
        return await build_report(session, unit, year, today, settings or app.settings, depth=depth)


def categories(**counts) -> dict[str, int]:
    return {key: counts.get(key, 0) for key in CATEGORY_KEYS}


# --- one cell -----------------------------------------------------------------------------------
async def test_cell_figures(seeded):
    r = await report_for(seeded, "C1")
    assert set(r) == CONTRACT_KEYS | ADDED_KEYS
    assert r["org"] == {"code": "C1", "name": "Chi bộ thôn Một"}
    assert r["year"] == 2026
    assert r["members"] == 25
    assert r["target"] == 2  # assigned
    # admitted in 2026: probationary p1, full f1, removed-after-admission r1; not p2 (2025), a24
    assert r["admissions"] == 3
    assert r["rate"] == 0.12
    # period 2020-2025 (report year 2026 is after it): 2024: 1, 2025: 1 -> 2 / (25 * 6)
    assert r["period_rate"] == 0.0133
    assert r["sources_active"] == 3
    assert r["sources_by_category"] == categories(doan_vien=2, nong_thon=1, tri_thuc=1)
    assert r["evaluations_due"] == 2  # s2 never evaluated, s3 only for quarter III
    assert r["cells_late"] == 0  # before 15/12/2026
    assert r["probation_due"] == 1  # p2 (20/12/2026); p1's deadline is months away
    assert r["children"] == []


async def test_cell_without_assigned_target_uses_the_rate(seeded):
    r = await report_for(seeded, "C2")
    assert r["members"] == 30
    assert r["target"] == 2  # ceil(0.04 * 30 = 1.2)
    assert r["admissions"] == 1  # 01/01/2026 counts; 31/12/2025 does not
    assert r["rate"] == 0.0333
    assert r["period_rate"] == round(2 / (30 * 6), 4)  # 2025: f2 and p3
    assert r["probation_due"] == 1  # p3: deadline passed
    assert r["evaluations_due"] == 0


async def test_target_of_exactly_four_percent_is_not_rounded_up(seeded):
    # C1 has an assigned target only for 2026; in 2025 the fallback is ceil(0.04 * 25) == 1.
    r = await report_for(seeded, "C1", year=2025)
    assert r["target"] == 1
    assert r["admissions"] == 1
    assert r["rate"] == 0.04


async def test_other_years_have_no_evaluations_due_but_probation_is_as_of_today(seeded):
    r = await report_for(seeded, "P", year=2025, today=date(2026, 12, 20))
    assert r["evaluations_due"] == 0 and r["cells_late"] == 0
    assert r["probation_due"] == 2
    assert r["admissions"] == 3  # p2, p3, f2
    assert r["members"] == 80
    assert r["target"] == 4  # P has no assigned target: ceil(0.04 * 80 = 3.2)


# --- rolled up ----------------------------------------------------------------------------------
async def test_district_rolls_up_its_subtree(seeded):
    r = await report_for(seeded, "D1")
    assert r["members"] == 80  # 0 + G1 5 + C1 25 + C2 30 + C3 20
    assert r["target"] == 10  # D1's own assigned target; children's targets are not summed
    assert r["admissions"] == 4  # C1 3 + C2 1
    assert r["rate"] == 0.05
    # 2020: 1 (C3), 2024: 1 (C1), 2025: 1 (C1) + 2 (C2) -> 5 / (80 * 6)
    assert r["period_rate"] == 0.0104
    assert r["sources_active"] == 6
    assert r["sources_by_category"] == categories(
        doan_vien=2, nong_thon=1, tri_thuc=1, cong_nhan_tu_nhan=1, hoc_sinh_sinh_vien=1,
        quan_nhan_du_bi=1, dan_quan_tu_ve=1)
    assert r["evaluations_due"] == 4
    assert r["cells_late"] == 0
    assert r["probation_due"] == 2
    assert [c["org"]["code"] for c in r["children"]] == ["C3", "G1"]
    g1 = r["children"][1]
    assert g1["members"] == 60
    assert g1["target"] == 3  # ceil(0.04 * 60 = 2.4): C1's assigned 2 does not change G1's
    assert g1["admissions"] == 4
    assert g1["rate"] == 0.0667
    assert g1["children"] == []  # one level only by default
    c3 = r["children"][0]
    assert (c3["members"], c3["target"], c3["admissions"], c3["evaluations_due"]) == (20, 1, 0, 2)
    assert c3["period_rate"] == round(1 / (20 * 6), 4)


async def test_province_totals_and_depth(seeded):
    r = await report_for(seeded, "P", depth=2)
    assert (r["members"], r["target"], r["admissions"], r["rate"]) == (80, 4, 4, 0.05)
    assert r["period_rate"] == 0.0104
    assert r["sources_active"] == 7
    assert r["sources_by_category"]["khac"] == 1  # C4's s7; r2 was removed
    assert r["evaluations_due"] == 5
    assert r["probation_due"] == 2
    d1, d2 = r["children"]
    assert d1["org"]["code"] == "D1" and [c["org"]["code"] for c in d1["children"]] == ["C3", "G1"]
    assert d1["children"][1]["children"] == []  # depth 2 stops at grandchildren
    assert d2["members"] == 0 and d2["target"] == 0 and d2["rate"] == 0.0
    c4 = d2["children"][0]
    assert (c4["members"], c4["rate"], c4["period_rate"], c4["evaluations_due"]) == (0, 0.0, 0.0, 1)
    assert (await report_for(seeded, "P", depth=0))["children"] == []


async def test_period_average_includes_the_report_year_inside_the_period(seeded):
    settings = Settings(_env_file=None, database_url=seeded.settings.database_url, period="2024-2028")
    r = await report_for(seeded, "C1", settings=settings)
    # 2024..2026: 1 + 1 + 3 admissions over 3 years against 25 members
    assert r["period_rate"] == round(5 / 75, 4) == 0.0667
    before = await report_for(seeded, "C1", year=2023, settings=settings)
    assert before["period_rate"] == 0.0  # the period has not started


async def test_cells_late_only_after_the_deadline(seeded):
    on_deadline = await report_for(seeded, "P", today=date(2026, 12, 15))
    assert on_deadline["cells_late"] == 0
    after = await report_for(seeded, "P", today=date(2026, 12, 16))
    assert after["cells_late"] == 3  # C1, C3, C4
    assert [c["cells_late"] for c in after["children"]] == [2, 1]
    async with seeded.services.sessions() as session:
        p = await orgs.by_code(session, "P")
        late = await late_cells(session, p, date(2026, 12, 16), seeded.settings)
        assert [(u.code, n) for u, n in late] == [("C1", 2), ("C3", 2), ("C4", 1)]
        assert await late_cells(session, p, date(2026, 12, 15), seeded.settings) == []

    # C1 evaluates its two remaining sources: it is no longer late.
    async with seeded.services.sessions() as session:
        async with session.begin():
            c1 = await orgs.by_code(session, "C1")
            pending = await session.scalars(
                select(Source).where(Source.org_id == c1.id, Source.stage.in_(("source", "awareness"))))
            for source in pending:
                if not await session.scalar(select(QuarterlyEvaluation.id).where(
                        QuarterlyEvaluation.source_id == source.id, QuarterlyEvaluation.quarter == 4)):
                    session.add(QuarterlyEvaluation(source_id=source.id, year=2026, quarter=4, level="kha",
                                                    comment="", evaluated_at=datetime(2026, 12, 16)))
    after = await report_for(seeded, "P", today=date(2026, 12, 16))
    assert after["cells_late"] == 2 and after["evaluations_due"] == 3


async def test_a_new_quarter_makes_every_active_source_due_again(seeded):
    r = await report_for(seeded, "P", year=2027, today=date(2027, 1, 5))
    assert r["evaluations_due"] == 7  # nobody is evaluated for quarter I/2027 yet
    assert r["cells_late"] == 0


async def test_probation_due_near_and_far(seeded):
    # 25/03/2027: p1's deadline (21/04/2027) is 27 days away; x1 (20/02/2027) has passed;
    # p2 and p3 passed long ago and are still probationary.
    r = await report_for(seeded, "P", year=2027, today=date(2027, 3, 25))
    assert r["probation_due"] == 4
    r = await report_for(seeded, "P", year=2026, today=date(2026, 10, 1))
    # 01/10/2026: p3 (01/11/2026) is 31 days away, p2 80 days: neither is due yet.
    assert r["probation_due"] == 0
    r = await report_for(seeded, "P", year=2026, today=date(2026, 10, 2))
    assert r["probation_due"] == 1  # p3 now exactly 30 days away


async def test_cell_status_lists_people(seeded):
    async with seeded.services.sessions() as session:
        c1 = await orgs.by_code(session, "C1")
        status = await cell_status(session, c1, TODAY, seeded.settings)
    assert status.report["admissions"] == 3 and status.report["target"] == 2
    assert status.by_stage == {"source": 2, "awareness": 1, "probationary": 2, "full": 2, "removed": 2}
    assert [p.name for p in status.needs_evaluation] == ["Phạm Thị Hai", "Võ Văn Ba"]
    assert all(p.code.startswith("N") for p in status.needs_evaluation)
    assert [(p.name, p.recognition_deadline) for p in status.probationary] == [
        ("Ngô Văn Năm", date(2026, 12, 20)), ("Đặng Thị Bốn", date(2027, 4, 21))]
    assert (status.window.quarter, status.window.deadline, status.window.late) == (4, date(2026, 12, 15), False)


async def test_report_uses_a_fixed_number_of_queries(seeded):
    """The number of statements does not grow with the tree (no query per unit): one grouped
    query per kind of figure, each reaching its sources through an index (storage.reports)."""
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    async def measure() -> int:
        statements.clear()
        event.listen(seeded.engine.sync_engine, "before_cursor_execute", count)
        try:
            await report_for(seeded, "P", depth=3)
        finally:
            event.remove(seeded.engine.sync_engine, "before_cursor_execute", count)
        return len([s for s in statements if s.lstrip().upper().startswith("SELECT")])

    small = await measure()
    async with seeded.services.sessions() as session:
        async with session.begin():
            rows = [(f"X{i}", "D2", f"Chi bộ thêm {i}", "cell", 10) for i in range(40)]
            await make_tree(session, rows)
            for i in range(40):
                await add_source(session, f"X{i}", f"Người Thứ {i}", categories=("nong_thon",))
    large = await measure()
    assert small == large <= 12
    assert (await report_for(seeded, "P"))["sources_active"] == 47


# --- through the real CLI -------------------------------------------------------------------------
def _run(tmp_path: Path, url: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "CHIBOT_DATABASE_URL": url, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=tmp_path, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=120)


@pytest.fixture
def cli_db(sqlite_url) -> str:
    async def fill() -> None:
        engine = create_engine(sqlite_url)
        async with session_factory(engine)() as session:
            async with session.begin():
                await seed(session)
        await engine.dispose()

    asyncio.run(fill())
    return sqlite_url


def test_cli_report_json_matches_the_contract(cli_db, tmp_path):
    done = _run(tmp_path, cli_db, "report", "--org", "D1", "--year", "2025", "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert set(report) == CONTRACT_KEYS | ADDED_KEYS
    assert report["org"] == {"code": "D1", "name": "Huyện ủy thử 1"}
    assert set(report["sources_by_category"]) == set(CATEGORY_KEYS)
    assert (report["year"], report["members"], report["target"], report["admissions"]) == (2025, 80, 7, 3)
    assert report["rate"] == 0.0375
    for child in report["children"]:
        assert set(child) == CONTRACT_KEYS | ADDED_KEYS and child["children"] == []
    assert [c["org"]["code"] for c in report["children"]] == ["C3", "G1"]

    root = json.loads(_run(tmp_path, cli_db, "report", "--json").stdout)
    assert root["org"]["code"] == "P" and root["members"] == 80


def test_cli_report_table_and_errors(cli_db, tmp_path):
    done = _run(tmp_path, cli_db, "report", "--org", "g1", "--year", "2026")
    assert done.returncode == 0, done.stderr
    assert "Đảng ủy xã thử (G1)" in done.stdout
    row = next(line for line in done.stdout.splitlines() if line.startswith("G1 "))
    # members, target, admissions, rate
    assert row.split()[-9:-5] == ["60", "3", "4", "6,67%"]
    assert any(line.strip().startswith("C1 Chi bộ thôn Một") for line in done.stdout.splitlines())

    unknown = _run(tmp_path, cli_db, "report", "--org", "NOPE", "--json")
    assert unknown.returncode == 1 and unknown.stdout == ""
    assert unknown.stderr.strip().count("\n") == 0 and "NOPE" in unknown.stderr
    bad_year = _run(tmp_path, cli_db, "report", "--year", "20x")
    assert bad_year.returncode == 1 and "--year 2026" in bad_year.stderr
    assert "Traceback" not in unknown.stderr + bad_year.stderr


def test_cli_target_set_is_audited_and_idempotent(cli_db, tmp_path):
    first = _run(tmp_path, cli_db, "target", "set", "--org", "C2", "--year", "2026", "5")
    assert first.returncode == 0, first.stderr
    assert "5" in first.stdout and "mặc định theo tỷ lệ là 2" in first.stdout
    again = _run(tmp_path, cli_db, "target", "set", "--org", "C2", "--year", "2026", "5")
    assert again.returncode == 0 and "không thay đổi" in again.stdout
    for bad in ("-1", "2.5", "năm"):
        refused = _run(tmp_path, cli_db, "target", "set", "--org", "C2", "--year", "2026", bad)
        assert refused.returncode == 1 and "số nguyên" in refused.stderr, bad
    unknown = _run(tmp_path, cli_db, "target", "set", "--org", "ZZ", "--year", "2026", "1")
    assert unknown.returncode == 1 and "ZZ" in unknown.stderr

    report = json.loads(_run(tmp_path, cli_db, "report", "--org", "C2", "--year", "2026", "--json").stdout)
    assert report["target"] == 5

    async def audit_rows():
        engine = create_engine(cli_db)
        async with session_factory(engine)() as session:
            rows = (await session.scalars(select(AuditLog).where(AuditLog.action == "target.set"))).all()
            n_targets = await session.scalar(select(func.count()).select_from(AdmissionTarget))
        await engine.dispose()
        return rows, n_targets

    rows, n_targets = asyncio.run(audit_rows())
    assert len(rows) == 1 and rows[0].before is None and rows[0].after == {"year": 2026, "target": 5}
    assert rows[0].actor == "cli"
    assert n_targets == 4  # the three seeded targets and the new one, no duplicate
