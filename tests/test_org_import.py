"""Organisation import: validation with row numbers, all-or-nothing, idempotence, scale."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from storage import orgs
from storage.models import AuditLog, OrgUnit
from storage.org_import import ImportRefused, read_table
from usecases.orgs import import_orgs
from usecases.uow import Actor, UnitOfWork

HEADER = ["code", "parent_code", "name", "kind", "members"]
GOOD = [
    ["T", "", "Tỉnh ủy", "province", "0"],
    ["H1", "T", "Huyện ủy Một", "district", "0"],
    ["X1", "H1", "Đảng ủy xã Một", "grassroots", "3"],
    ["C1", "X1", "Chi bộ thôn A", "cell", "20"],
    ["C2", "X1", "Chi bộ thôn B", "cell", "30"],
]


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def big_tree(cells: int = 2000) -> list[list[str]]:
    rows = [["P", "", "Tỉnh ủy", "province", "0"]]
    for d in range(10):
        rows.append([f"D{d}", "P", f"Huyện ủy {d}", "district", "0"])
        for g in range(10):
            rows.append([f"G{d}.{g}", f"D{d}", f"Đảng ủy xã {d}.{g}", "grassroots", "2"])
    for c in range(cells):
        d, g = c % 10, (c // 10) % 10
        rows.append([f"C{c:04d}", f"G{d}.{g}", f"Chi bộ {c}", "cell", str(10 + c % 30)])
    return rows


async def snapshot(session) -> list[tuple]:
    units = await session.scalars(select(OrgUnit).order_by(OrgUnit.code))
    return [(u.code, u.parent_id, u.name, u.kind, u.members, u.path, u.depth) for u in units]


async def run_import(app, rows: list[list[str]], tmp_path: Path):
    raw = read_table(write_csv(tmp_path / "org.csv", rows))
    async with app.services.sessions() as session:
        async with session.begin():
            return await import_orgs(UnitOfWork(session, Actor.system("test"), app.services.now), raw)


async def test_import_builds_tree_with_paths_in_any_row_order(app, tmp_path):
    result = await run_import(app, list(reversed(GOOD)), tmp_path)
    assert (result.created, result.updated, result.unchanged) == (5, 0, 0)
    async with app.services.sessions() as session:
        x1 = await orgs.by_code(session, "X1")
        codes = [u.code for u in await orgs.subtree(session, x1)]
        assert codes == ["X1", "C1", "C2"]
        c1 = await orgs.by_code(session, "c1")  # codes typed in any case
        assert c1.path.startswith(x1.path) and c1.depth == 3


async def test_second_import_of_same_file_changes_nothing(app, tmp_path):
    rows = big_tree(2000)
    first = await run_import(app, rows, tmp_path)
    assert first.created == len(rows)
    async with app.services.sessions() as session:
        before = await snapshot(session)
        audits = await session.scalar(select(func.count()).select_from(AuditLog))
    second = await run_import(app, rows, tmp_path)
    assert (second.created, second.updated, second.unchanged) == (0, 0, len(rows))
    async with app.services.sessions() as session:
        assert await snapshot(session) == before
        assert await session.scalar(select(func.count()).select_from(AuditLog)) == audits
        root = await orgs.root(session)
        assert len(await orgs.subtree(session, root)) == len(rows)


async def test_update_moves_a_subtree_and_is_audited(app, tmp_path):
    await run_import(app, GOOD, tmp_path)
    moved = GOOD + [["H2", "T", "Huyện ủy Hai", "district", "0"]]
    moved[2] = ["X1", "H2", "Đảng ủy xã Một", "grassroots", "4"]
    result = await run_import(app, moved, tmp_path)
    assert (result.created, result.updated) == (1, 1)
    async with app.services.sessions() as session:
        h2 = await orgs.by_code(session, "H2")
        c2 = await orgs.by_code(session, "C2")
        assert c2.path.startswith(h2.path), "children follow their moved parent"
        audit = await session.scalar(
            select(AuditLog).where(AuditLog.entity_id == "X1", AuditLog.action == "org.update")
        )
        assert audit.before["members"] == 3 and audit.after["members"] == 4


@pytest.mark.parametrize(
    "rows, expected",
    [
        (GOOD + [["C3", "NOPE", "Chi bộ C", "cell", "5"]], ["Dòng 7", "NOPE"]),
        (GOOD + [["C1", "X1", "Chi bộ trùng", "cell", "5"]], ["Dòng 7", "trùng với dòng 5"]),
        (GOOD + [["A", "B", "A", "grassroots", "1"], ["B", "A", "B", "grassroots", "1"]], ["7, 8", "vòng lặp"]),
        (GOOD + [["C3", "X1", "Chi bộ C", "cell", "-2"]], ["Dòng 7", "-2"]),
        (GOOD + [["C3", "X1", "Chi bộ C", "chi đoàn", "2"]], ["Dòng 7", "chi đoàn", "tỉnh, huyện, cơ sở hoặc chi bộ"]),
        (GOOD + [["C3", "C3", "Chi bộ C", "cell", "2"]], ["Dòng 7", "chính nó"]),
        (GOOD + [["", "X1", "Chi bộ C", "cell", "2"]], ["Dòng 7", "thiếu mã"]),
    ],
    ids=["unknown-parent", "duplicate", "cycle", "negative", "bad-kind", "self-parent", "empty-code"],
)
async def test_bad_file_is_refused_with_row_numbers_and_nothing_changes(app, tmp_path, rows, expected):
    await run_import(app, GOOD[:3], tmp_path)
    async with app.services.sessions() as session:
        before = await snapshot(session)
    with pytest.raises(ImportRefused) as refused:
        await run_import(app, rows, tmp_path)
    message = "\n".join(refused.value.problems)
    for part in expected:
        assert part in message
    async with app.services.sessions() as session:
        assert await snapshot(session) == before


async def test_cycle_through_units_already_stored_is_refused(app, tmp_path):
    await run_import(app, GOOD, tmp_path)
    with pytest.raises(ImportRefused) as refused:
        await run_import(app, [["H1", "C1", "Huyện ủy Một", "district", "0"]], tmp_path)
    assert "vòng lặp" in refused.value.problems[0]


async def test_xlsx_import(app, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in GOOD:
        sheet.append(row[:4] + [int(row[4])])
    book.save(tmp_path / "org.xlsx")
    raw = read_table(tmp_path / "org.xlsx")
    async with app.services.sessions() as session:
        async with session.begin():
            result = await import_orgs(UnitOfWork(session, Actor.system("test"), app.services.now), raw)
    assert result.created == 5
    async with app.services.sessions() as session:
        assert (await orgs.by_code(session, "C2")).members == 30


def test_missing_columns_and_missing_file(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("code,name\nA,B\n", encoding="utf-8")
    with pytest.raises(ImportRefused) as refused:
        read_table(bad)
    assert "parent_code" in refused.value.problems[0]
    with pytest.raises(ImportRefused) as refused:
        read_table(tmp_path / "absent.csv")
    assert "Không tìm thấy" in refused.value.problems[0]


def cli(args: list[str], url: str, cwd: Path, stdin: str = "") -> subprocess.CompletedProcess:
    env = {**os.environ, "CHIBOT_DATABASE_URL": url}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], input=stdin, capture_output=True, text=True,
        env=env, cwd=cwd, timeout=120,
    )


def test_cli_import_and_tree(sqlite_url, tmp_path):
    path = write_csv(tmp_path / "org.csv", GOOD)
    done = cli(["org", "import", str(path)], sqlite_url, tmp_path)
    assert done.returncode == 0, done.stderr
    assert "thêm mới 5" in done.stdout
    again = cli(["org", "import", str(path)], sqlite_url, tmp_path)
    assert "thêm mới 0, cập nhật 0, không đổi 5" in again.stdout
    tree = cli(["org", "tree"], sqlite_url, tmp_path)
    assert tree.returncode == 0
    assert tree.stdout.splitlines()[0].startswith("T  Tỉnh ủy") and "53 đảng viên" in tree.stdout
    sub = cli(["org", "tree", "X1"], sqlite_url, tmp_path)
    assert sub.stdout.splitlines()[0] == "X1  Đảng ủy xã Một [cơ sở] — 53 đảng viên"


def test_cli_refuses_bad_file_without_traceback(sqlite_url, tmp_path):
    path = write_csv(tmp_path / "org.csv", GOOD + [["A", "B", "A", "cell", "1"], ["B", "A", "B", "cell", "x"]])
    done = cli(["org", "import", str(path)], sqlite_url, tmp_path)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "Dòng 8" in done.stderr and "Không nhập dữ liệu nào" in done.stderr
    tree = cli(["org", "tree"], sqlite_url, tmp_path)
    assert "chưa có đơn vị nào" in tree.stdout
