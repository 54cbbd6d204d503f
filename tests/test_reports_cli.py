"""`chibot report` (indented table of the whole subtree, --depth, every root) and
`chibot org tree` with several roots, through the real CLI."""

from __future__ import annotations

import asyncio
import json

import pytest

from storage.db import create_engine, session_factory
from tests.test_reports import _run, cli_db, make_tree  # noqa: F401  (the fixture)


@pytest.fixture
def two_roots(cli_db) -> str:
    async def fill() -> None:
        engine = create_engine(cli_db)
        async with session_factory(engine)() as session:
            async with session.begin():
                await make_tree(session, [("Q", "", "Đảng bộ thứ hai", "province", 0),
                                          ("Q1", "Q", "Chi bộ Q1", "cell", 12)])
        await engine.dispose()

    asyncio.run(fill())
    return cli_db


def table_codes(stdout: str) -> list[str]:
    """The unit codes of the table rows, with their indentation."""
    lines = stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("---")) + 1
    rows = []
    for line in lines[start:]:
        if not line.strip():
            break
        rows.append(line[: len(line) - len(line.lstrip())] + line.split()[0])
    return rows


def test_the_table_shows_the_whole_subtree_indented(cli_db, tmp_path):
    done = _run(tmp_path, cli_db, "report", "--org", "P", "--year", "2026")
    assert done.returncode == 0, done.stderr
    assert table_codes(done.stdout) == ["P", "  D1", "    C3", "    G1", "      C1", "      C2", "  D2", "    C4"]
    one = _run(tmp_path, cli_db, "report", "--org", "P", "--depth", "1")
    assert table_codes(one.stdout) == ["P", "  D1", "  D2"]
    bad = _run(tmp_path, cli_db, "report", "--depth", "-1")
    assert bad.returncode == 1 and "--depth" in bad.stderr and "Traceback" not in bad.stderr


def test_every_root_without_org(two_roots, tmp_path):
    done = _run(tmp_path, two_roots, "report", "--year", "2026")
    assert done.returncode == 0, done.stderr
    assert "Tỉnh ủy thử (P)" in done.stdout and "Đảng bộ thứ hai (Q)" in done.stdout
    reports = json.loads(_run(tmp_path, two_roots, "report", "--json").stdout)
    assert [r["org"]["code"] for r in reports] == ["P", "Q"]
    assert reports[1]["members"] == 12 and reports[1]["children"][0]["org"]["code"] == "Q1"
    refused = _run(tmp_path, two_roots, "report", "--xlsx", str(tmp_path / "x.xlsx"))
    assert refused.returncode == 1 and "P, Q" in refused.stderr and not (tmp_path / "x.xlsx").exists()

    tree = _run(tmp_path, two_roots, "org", "tree")
    assert tree.returncode == 0, tree.stderr
    firsts = [line.split()[0] for line in tree.stdout.splitlines() if not line.startswith(" ")]
    assert firsts == ["P", "Q"]
    assert "  Q1  Chi bộ Q1 [chi bộ] — 12 đảng viên" in tree.stdout
    only = _run(tmp_path, two_roots, "org", "tree", "Q")
    assert only.stdout.splitlines()[0].startswith("Q ") and "P " not in only.stdout
