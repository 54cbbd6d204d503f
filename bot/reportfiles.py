"""The report's files (the workbook and the chart) for a unit, shared by /baocao and
`chibot report --xlsx/--png`. The figures come from the database (storage.reports); the files
are built in a worker thread so that the event loop keeps answering other users meanwhile."""

from __future__ import annotations

import asyncio
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
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
    late = await late_cells(session, unit, today, settings, limit=MAX_PEOPLE)
    names = await secretaries_of(session, [cell.id for cell, _ in late])
    probation, probation_total = await probation_list(session, unit, MAX_PEOPLE)
    admissions, admissions_total = await admissions_in(session, unit, year, MAX_PEOPLE)
    return {
        "report": report,
        "late": [LateCell(cell.code, cell.name, n, tuple(names.get(cell.id, ()))) for cell, n in late[:MAX_PEOPLE]],
        "late_total": report["cells_late"],
        "probation": probation, "probation_total": probation_total,
        "admissions": admissions, "admissions_total": admissions_total,
        "window": EvaluationWindow.on(today, settings.evaluation_due_day),
    }


def _build(kind: str, report: dict, settings, today: date, data: dict) -> bytes:
    """The workbook or the chart, in whichever thread or process runs it."""
    if kind == "xlsx":
        from bot.xlsx import build_workbook

        return build_workbook(report, settings=settings, today=today, **data)
    from bot.charts import render_chart

    return render_chart(report, settings)


class FileBuilder:
    """A separate process that builds the files for the running bot (one, started at the first
    export and kept). A worker thread is not enough there: matplotlib's renderer and lxml's
    serialiser hold the GIL for hundreds of milliseconds at a time, which stopped the event
    loop — and every other user's reply — for up to 1.3 s per export (benchmarks/scale.py
    --load). The command line builds in a thread (nobody else waits on it)."""

    def __init__(self) -> None:
        self._pool: ProcessPoolExecutor | None = None

    async def run(self, *args) -> bytes:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
        try:
            return await asyncio.get_running_loop().run_in_executor(self._pool, _build, *args)
        except BrokenProcessPool:  # the builder died (killed, out of memory): start another next time
            self._pool = None
            return await asyncio.to_thread(_build, *args)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None


async def report_files(session: AsyncSession, unit: OrgUnit, year: int, today: date, settings, *,
                       xlsx: bool = True, png: bool = True, builder: FileBuilder | None = None) -> ReportFiles:
    """The figures, then the files: in `builder`'s process when given, else in a thread."""
    data = await workbook_data(session, unit, year, today, settings)
    report = data.pop("report")
    build = builder.run if builder is not None else (lambda *args: asyncio.to_thread(_build, *args))
    book = await build("xlsx", report, settings, today, data) if xlsx else None
    chart = await build("png", report, settings, today, {}) if png else None
    return ReportFiles(report, book, chart)
