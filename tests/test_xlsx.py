"""The report workbook: /baocao in chat (staff only, own subtree only, audited) and
`chibot report --xlsx`, opened with openpyxl and checked against `report --json`."""

from __future__ import annotations

import io
import json
from datetime import datetime

from openpyxl import load_workbook
from sqlalchemy import select

from domain import texts
from domain.categories import CATEGORIES
from storage.db import create_engine, session_factory
from storage.models import AuditLog
from tests.test_reports import _run, cli_db  # noqa: F401  (the fixture)
from tests.test_status import unit_id, world  # noqa: F401  (the fixture)

SUMMARY = texts.XLSX_SUMMARY_HEADERS
HEADER_ROW = 4


def sheet_rows(sheet, first=HEADER_ROW + 1):
    return [list(row) for row in sheet.iter_rows(min_row=first, values_only=True) if any(v is not None for v in row)]


def expected_row(report: dict) -> list:
    """The summary sheet's columns from Đảng viên on, from a `report --json` object."""
    projection, pipeline = report["projection"], report["pipeline"]
    return [
        report["members"], report["target"], report["admissions"], report["rate"], report["period_rate"],
        projection["projected"], texts.XLSX_NO if projection["will_miss"] else texts.XLSX_YES,
        report["sources_active"], *(report["sources_by_category"][k] for k in CATEGORIES),
        pipeline["sources"], pipeline["awareness"], pipeline["probationary"], pipeline["recognised"],
        report["evaluations_due"], report["cells_late"], report["probation_due"], report["probation_overdue"],
    ]


def test_cli_workbook_holds_exactly_the_figures_of_report_json(cli_db, tmp_path):
    path = tmp_path / "d1.xlsx"
    done = _run(tmp_path, cli_db, "report", "--org", "D1", "--year", "2026", "--xlsx", str(path))
    assert done.returncode == 0, done.stderr
    assert str(path) in done.stdout
    report = json.loads(_run(tmp_path, cli_db, "report", "--org", "D1", "--year", "2026", "--json").stdout)

    book = load_workbook(path)
    assert book.sheetnames == [texts.XLSX_SHEET_SUMMARY, texts.XLSX_SHEET_LATE, texts.XLSX_SHEET_PROBATION,
                               texts.XLSX_SHEET_ADMISSIONS.format(year=report["year"])]
    summary = book[texts.XLSX_SHEET_SUMMARY]
    assert [c.value for c in summary[HEADER_ROW]] == list(SUMMARY)
    rows = sheet_rows(summary)
    assert len(rows) == len(report["children"]) + 1
    for n, (row, child) in enumerate(zip(rows, report["children"]), start=1):
        assert row[:3] == [n, child["org"]["code"], child["org"]["name"]]
        assert row[3:] == expected_row(child)
    total = rows[-1]
    assert total[1:3] == ["D1", texts.XLSX_TOTAL]
    assert total[3:] == expected_row(report)
    # numbers are numbers, rates are shown as percentages
    assert all(isinstance(v, int) for v in total[3:6]) and isinstance(total[6], float)
    assert summary.cell(row=HEADER_ROW + 1, column=7).number_format == "0.00%"
    # frozen header, print setup, widths
    assert summary.freeze_panes == f"D{HEADER_ROW + 1}"
    assert summary.page_setup.orientation == "landscape"
    assert int(summary.page_setup.paperSize) == int(summary.PAPERSIZE_A4) == 9
    assert summary.sheet_properties.pageSetUpPr.fitToPage
    assert summary.column_dimensions["C"].width >= len("Đảng ủy xã thử")

    # the year's admissions of D1 (2026): Đặng Thị Bốn, Bùi Thị Sáu, Hồ Văn Bảy (C1), Lương Thị Mười Ba (C2)
    admissions = sheet_rows(book[texts.XLSX_SHEET_ADMISSIONS.format(year=report["year"])])
    assert len(admissions) == report["admissions"] == 4
    assert [r[2] for r in admissions] == ["Lương Thị Mười Ba", "Bùi Thị Sáu", "Hồ Văn Bảy", "Đặng Thị Bốn"]
    dates = [r[5] for r in admissions]
    assert dates == sorted(dates) and isinstance(dates[0], datetime)
    admission_sheet = book[texts.XLSX_SHEET_ADMISSIONS.format(year=report["year"])]
    assert admission_sheet.cell(row=HEADER_ROW + 1, column=6).number_format == "DD/MM/YYYY"

    probation = sheet_rows(book[texts.XLSX_SHEET_PROBATION])
    # by deadline: Đỗ Thị Mười Một (01/11/2026, passed) first
    assert [r[2] for r in probation][:2] == ["Đỗ Thị Mười Một", "Ngô Văn Năm"]
    assert probation[0][7] == texts.XLSX_PROBATION_OVERDUE

    def audits():
        import asyncio

        async def read():
            engine = create_engine(cli_db)
            async with session_factory(engine)() as session:
                rows = (await session.scalars(select(AuditLog).where(AuditLog.action == "report.export"))).all()
            await engine.dispose()
            return rows

        return asyncio.run(read())

    rows = audits()
    assert len(rows) == 1 and rows[0].actor == "cli" and rows[0].entity_id == "D1"
    assert rows[0].after == {"year": 2026, "files": ["d1.xlsx"]}


def test_cli_png_and_errors(cli_db, tmp_path):
    done = _run(tmp_path, cli_db, "report", "--org", "P", "--png", str(tmp_path / "p.png"))
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "p.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    bad = _run(tmp_path, cli_db, "report", "--org", "P", "--xlsx", str(tmp_path / "no" / "such" / "x.xlsx"))
    assert bad.returncode == 1 and "Traceback" not in bad.stderr and "x.xlsx" in bad.stderr


async def test_baocao_sends_a_workbook_and_a_chart(world, chat_as, clock):
    clock.set(datetime(2026, 12, 16, 3, 0))  # after the deadline: CB1 and CB3 are late
    canbo = chat_as("canbo")
    replies = await canbo.send("/baocao")
    assert [r.file.kind for r in replies] == ["document", "photo"]
    book_reply, chart_reply = replies
    assert book_reply.file.filename == "baocao_DEMO_2026.xlsx"
    assert "Đảng bộ tỉnh (mẫu) (DEMO)" in book_reply.text
    assert chart_reply.file.content[:8] == b"\x89PNG\r\n\x1a\n"
    book = load_workbook(io.BytesIO(book_reply.file.content))
    late = sheet_rows(book[texts.XLSX_SHEET_LATE])
    assert [(r[1], r[3]) for r in late] == [("DEMO-CB1", 1), ("DEMO-CB3", 1)]
    assert late[0][4] == "Nguyễn Văn Bình"  # the secretary of DEMO-CB1 (bithu)
    probation = sheet_rows(book[texts.XLSX_SHEET_PROBATION])
    assert [r[2] for r in probation] == ["Phan Văn Dũng", "Lê Thị Mai"]
    assert probation[0][6] == datetime(2026, 11, 20) and probation[0][7] == texts.XLSX_PROBATION_OVERDUE

    async with world.services.sessions() as session:
        rows = (await session.scalars(select(AuditLog).where(AuditLog.action == "report.export"))).all()
    assert len(rows) == 1 and rows[0].entity_id == "DEMO" and rows[0].actor.startswith("user:")


async def test_baocao_by_name_and_only_inside_ones_subtree(world, chat_as):
    staff = chat_as("canbo_x2")
    replies = await staff.send("/baocao thanh giang")
    assert [r.file.filename for r in replies if r.file] == ["baocao_DEMO-CB3_2026.xlsx", "bieudo_DEMO-CB3_2026.png"]
    refused = await staff.say("/baocao DEMO-CB1")
    assert refused == texts.OUT_OF_SCOPE.format(unit="Chi bộ thôn Thanh Liêm (mẫu)")
    assert staff.replies[-1].file is None
    assert "Không tìm thấy" in await staff.say("/baocao thanh liem")
    forged = await staff.press(f"bc:{await unit_id(world, 'DEMO-X1')}")
    assert "không có quyền" in forged and all(r.file is None for r in staff.replies)

    bithu = chat_as("bithu")
    assert await bithu.say("/baocao") == texts.WRONG_ROLE.format(command="baocao")
    assert bithu.replies[-1].file is None
    group = chat_as("canbo", chat_type="group", chat_id="group-9")
    assert await group.say("/baocao") == texts.PRIVATE_ONLY and group.replies[-1].file is None

    async with world.services.sessions() as session:
        rows = (await session.scalars(select(AuditLog).where(AuditLog.action == "report.export"))).all()
    assert [r.entity_id for r in rows] == ["DEMO-CB3"]  # refusals export nothing and record nothing


async def test_baocao_several_matches_then_a_choice(world, chat_as):
    canbo = chat_as("canbo")
    text = await canbo.say("/baocao thanh")
    assert text == texts.UNIT_SEVERAL.format(n=2, text="thanh")
    assert all(c.value.startswith("bc:") for c in canbo.choices)
    replies = await canbo.send("1")
    assert replies[0].file.filename == "baocao_DEMO-CB1_2026.xlsx"


def test_long_lists_stop_and_say_how_many_more():
    from datetime import date

    from bot.settings import Settings
    from bot.xlsx import build_workbook
    from storage.reports import EvaluationWindow, PersonRow

    report = {"org": {"code": "T", "name": "Tỉnh"}, "year": 2026, "members": 10, "target": 1, "admissions": 2,
              "rate": 0.2, "period_rate": 0.1, "sources_active": 0,
              "sources_by_category": dict.fromkeys(CATEGORIES, 0), "evaluations_due": 0, "cells_late": 0,
              "probation_due": 0, "probation_overdue": 0,
              "pipeline": {"sources": 0, "awareness": 0, "probationary": 0, "recognised": 0},
              "projection": {"likely": 0, "projected": 2, "will_miss": False}, "children": []}
    people = [PersonRow("N1", "Nguyễn Văn A", "C1", "Chi bộ 1", date(2026, 2, 3), "12-QĐ/HU", None)]
    content = build_workbook(report, late=[], probation=people, admissions=people, probation_total=1,
                             admissions_total=25_001, settings=Settings(_env_file=None, database_url="sqlite+aiosqlite:///x"),
                             today=date(2026, 11, 26), window=EvaluationWindow.on(date(2026, 11, 26), 15))
    book = load_workbook(io.BytesIO(content))
    admissions = sheet_rows(book[texts.XLSX_SHEET_ADMISSIONS.format(year=2026)])
    assert admissions[0][2] == "Nguyễn Văn A" and admissions[0][5] == datetime(2026, 2, 3)
    assert admissions[-1][2] == texts.XLSX_MORE_ROWS.format(n=25_000)
    assert len(sheet_rows(book[texts.XLSX_SHEET_PROBATION])) == 1  # complete: no note
    assert sheet_rows(book[texts.XLSX_SHEET_PROBATION])[0][6] is None  # no deadline: an empty cell
