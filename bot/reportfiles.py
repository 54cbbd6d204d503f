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


def _report_in_child(url: str, unit_id: int, year: int, today: date, settings, xlsx: bool, png: bool) -> ReportFiles:
    """The whole export in the builder's process: its own read-only connection, the figures,
    the files."""
    return asyncio.run(_report_in_child_async(url, unit_id, year, today, settings, xlsx, png))


async def _report_in_child_async(url, unit_id, year, today, settings, xlsx, png) -> ReportFiles:
    from storage.db import create_engine, create_report_engine, session_factory

    engine = create_report_engine(url) or create_engine(url)
    try:
        async with session_factory(engine)() as session:
            async with session.begin():
                unit = await session.get(OrgUnit, unit_id)
                if unit is None:
                    raise LookupError(unit_id)
                return await report_files(session, unit, year, today, settings, xlsx=xlsx, png=png)
    finally:
        await engine.dispose()


class FileBuilder:
    """A separate process that makes the report files for the running bot — the figures and
    lists read through its own connection, the workbook and the chart — one, started at the
    first export and kept. The event loop only waits: in a worker thread, matplotlib's renderer
    and lxml's serialiser held the GIL for hundreds of milliseconds at a time, and reading a
    national root's lists (60,000 rows) was Python work on the loop, which stopped every other
    user's reply for up to 1.3 s per export on a province, 6 s on the nation
    (benchmarks/scale.py --load). The command line builds in process (nobody waits on it)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._pool: ProcessPoolExecutor | None = None

    @staticmethod
    def usable(url: str) -> bool:
        """A second process can open the database (not an in-memory SQLite one)."""
        return ":memory:" not in url and "mode=memory" not in url and url not in ("sqlite://", "sqlite+aiosqlite://")

    async def report_files(self, unit: OrgUnit, year: int, today: date, settings, *,
                           xlsx: bool = True, png: bool = True) -> ReportFiles:
        args = (self.url, unit.id, year, today, settings, xlsx, png)
        if self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
        try:
            return await asyncio.get_running_loop().run_in_executor(self._pool, _report_in_child, *args)
        except BrokenProcessPool:  # the builder died (killed, out of memory): another next time
            self._pool = None
            raise

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None


async def report_files(session: AsyncSession, unit: OrgUnit, year: int, today: date, settings, *,
                       xlsx: bool = True, png: bool = True) -> ReportFiles:
    """The figures read in `session`, then the files built in a worker thread."""
    data = await workbook_data(session, unit, year, today, settings)
    report = data.pop("report")
    book = await asyncio.to_thread(_build, "xlsx", report, settings, today, data) if xlsx else None
    chart = await asyncio.to_thread(_build, "png", report, settings, today, {}) if png else None
    return ReportFiles(report, book, chart)
