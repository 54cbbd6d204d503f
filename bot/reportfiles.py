"""The report's files (the workbook and the chart) for a unit, shared by /baocao and
`chibot report --xlsx/--png`. The figures come from the database (storage.reports); the files
are built in a worker thread so that the event loop keeps answering other users meanwhile."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import OrgUnit
from storage.reports import (EvaluationWindow, admissions_in, build_report, late_cells, probation_list,
                             secretaries_of)


# Rows per list sheet: a province's lists fit whole; a national root's would run to hundreds of
# thousands of names, so the sheet stops and says so (each unit below has its own workbook).
MAX_PEOPLE = 20_000


@dataclass(frozen=True)
class ReportFiles:
    report: dict[str, Any]
    xlsx: bytes | None
    png: bytes | None


async def workbook_data(session: AsyncSession, unit: OrgUnit, year: int, today: date, settings) -> dict:
    """Everything the workbook shows, read in the caller's session."""
    from bot.xlsx import LateCell

    report = await build_report(session, unit, year, today, settings, depth=1)
    late = await late_cells(session, unit, today, settings)
    names = await secretaries_of(session, [cell.id for cell, _ in late])
    probation, probation_total = await probation_list(session, unit, MAX_PEOPLE)
    admissions, admissions_total = await admissions_in(session, unit, year, MAX_PEOPLE)
    return {
        "report": report,
        "late": [LateCell(cell.code, cell.name, n, tuple(names.get(cell.id, ()))) for cell, n in late[:MAX_PEOPLE]],
        "late_total": len(late),
        "probation": probation, "probation_total": probation_total,
        "admissions": admissions, "admissions_total": admissions_total,
        "window": EvaluationWindow.on(today, settings.evaluation_due_day),
    }


async def report_files(session: AsyncSession, unit: OrgUnit, year: int, today: date, settings, *,
                       xlsx: bool = True, png: bool = True) -> ReportFiles:
    from bot.charts import render_chart
    from bot.xlsx import build_workbook

    data = await workbook_data(session, unit, year, today, settings)
    report = data.pop("report")
    book = chart = None
    if xlsx:
        book = await asyncio.to_thread(build_workbook, report, settings=settings, today=today, **data)
    if png:
        chart = await asyncio.to_thread(render_chart, report, settings)
    return ReportFiles(report, book, chart)
