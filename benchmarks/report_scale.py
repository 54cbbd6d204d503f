"""Scale check for storage.reports.build_report (not part of the test run).

Builds a tree of 1 province > 20 districts > 10 grassroots each > 10 cells each (2,000 cells,
2,221 units) with ~20 sources per cell (about 40,000 sources, their categories, evaluations
and admissions over the period) in a temporary SQLite file, then times build_report for the
root, a district and a cell, and counts the SQL statements each one runs.

    .venv/bin/python benchmarks/report_scale.py [--cells-per-unit 10] [--sources 20] [--url URL]

--url may point at an empty, migrated PostgreSQL database instead (it is filled, not cleaned).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event, insert, select  # noqa: E402

from storage import rollups  # noqa: E402

from bot.settings import Settings  # noqa: E402
from storage.db import create_engine, session_factory, upgrade  # noqa: E402
from storage.models import (  # noqa: E402
    AdmissionTarget,
    OrgUnit,
    QuarterlyEvaluation,
    Source,
    SourceCategory,
)
from storage.reports import CATEGORY_KEYS, build_report  # noqa: E402

TODAY = date(2026, 12, 16)  # just after the quarter-IV evaluation deadline
STAGES = ["source"] * 9 + ["awareness"] * 5 + ["probationary"] * 3 + ["full"] * 2 + ["removed"]


def make_units(districts: int, grassroots: int, cells: int) -> list[dict]:
    units: list[dict] = []

    def add(code, parent, name, kind, members):
        id_ = len(units) + 1
        path = (parent["path"] if parent else "/") + f"{id_}/"
        unit = {"id": id_, "code": code, "parent_id": parent["id"] if parent else None, "name": name,
                "kind": kind, "members": members, "path": path, "depth": path.count("/") - 2}
        units.append(unit)
        return unit

    root = add("T", None, "Tỉnh ủy (thử tải)", "province", 0)
    for d in range(districts):
        district = add(f"T-H{d}", root, f"Huyện ủy {d}", "district", 0)
        for g in range(grassroots):
            base = add(f"T-H{d}-X{g}", district, f"Đảng ủy xã {d}.{g}", "grassroots", 3)
            for c in range(cells):
                add(f"T-H{d}-X{g}-C{c}", base, f"Chi bộ {d}.{g}.{c}", "cell", random.randint(8, 60))
    return units


async def fill(url: str, districts: int, grassroots: int, cells: int, per_cell: int) -> dict:
    random.seed(13)
    engine = create_engine(url)
    units = make_units(districts, grassroots, cells)
    cell_units = [u for u in units if u["kind"] == "cell"]
    sources, categories, evaluations, targets = [], [], [], []
    source_id = 0
    for unit in cell_units:
        for _ in range(random.randint(per_cell - 5, per_cell + 5)):
            source_id += 1
            stage = random.choice(STAGES)
            admitted = deadline = None
            if stage in ("probationary", "full") or (stage == "removed" and random.random() < 0.5):
                admitted = date(random.randint(2020, 2026), random.randint(1, 12), random.randint(1, 28))
                if admitted > TODAY:
                    admitted = TODAY - timedelta(days=30)
                deadline = admitted + timedelta(days=365 + 42)
            sources.append({"id": source_id, "org_id": unit["id"], "full_name": f"Người {source_id}",
                            "name_key": f"nguoi {source_id}", "birth_date": date(1995, 1, 1), "note": "",
                            "stage": stage, "admission_date": admitted, "recognition_deadline": deadline,
                            "created_at": datetime(2026, 1, 1)})
            for key in random.sample(CATEGORY_KEYS, random.choice((1, 1, 2))):
                categories.append({"source_id": source_id, "category": key})
            if stage in ("source", "awareness") and random.random() < 0.8:
                evaluations.append({"source_id": source_id, "year": 2026, "quarter": 4, "level": "tot",
                                    "comment": "", "evaluated_at": datetime(2026, 12, 1)})
        if random.random() < 0.3:
            targets.append({"org_id": unit["id"], "year": 2026, "target": random.randint(0, 3)})

    async with engine.begin() as conn:
        for table, rows in ((OrgUnit, units), (Source, sources), (SourceCategory, categories),
                            (QuarterlyEvaluation, evaluations), (AdmissionTarget, targets)):
            for start in range(0, len(rows), 5000):
                await conn.execute(insert(table), rows[start:start + 5000])
        await conn.run_sync(rollups.rebuild)  # the reports' counts, as after any bulk load
    # Fresh statistics, as autovacuum / SQLite's optimizer would have after normal use.
    async with engine.connect() as conn:
        conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
        await conn.exec_driver_sql("ANALYZE")
    await engine.dispose()
    return {"units": len(units), "cells": len(cell_units), "sources": len(sources),
            "categories": len(categories), "evaluations": len(evaluations), "targets": len(targets)}


async def measure(url: str, runs: int) -> None:
    engine = create_engine(url)
    sessions = session_factory(engine)
    settings = Settings(_env_file=None, database_url=url)
    statements: list[str] = []
    event.listen(engine.sync_engine, "before_cursor_execute",
                 lambda conn, cursor, statement, *a: statements.append(statement))
    async with sessions() as session:
        codes = {"root": "T", "district": "T-H0", "cell": "T-H0-X0-C0"}
        for label, code in codes.items():
            unit = await session.scalar(select(OrgUnit).where(OrgUnit.code == code))
            times = []
            for _ in range(runs):
                statements.clear()
                started = time.perf_counter()
                report = await build_report(session, unit, 2026, TODAY, settings)
                times.append(time.perf_counter() - started)
            print(f"{label:8} {code:12} min {min(times) * 1000:8.1f} ms  median "
                  f"{statistics.median(times) * 1000:8.1f} ms  statements {len(statements)}  "
                  f"children {len(report['children'])}")
            if label == "root":
                root_report = report
    await engine.dispose()
    r = root_report
    print("root figures: members {members}, target {target}, admissions {admissions}, rate {rate}, "
          "period_rate {period_rate}, sources_active {sources_active}, evaluations_due "
          "{evaluations_due}, cells_late {cells_late}, probation_due {probation_due}".format(**r))
    print("root sources_by_category:", r["sources_by_category"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--districts", type=int, default=20)
    parser.add_argument("--grassroots", type=int, default=10, help="grassroots units per district")
    parser.add_argument("--cells-per-unit", type=int, default=10, help="cells per grassroots unit")
    parser.add_argument("--sources", type=int, default=20, help="average sources per cell")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--url", help="database URL (default: a temporary SQLite file)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        url = args.url or f"sqlite+aiosqlite:///{Path(tmp) / 'scale.sqlite3'}"
        upgrade(url)
        started = time.perf_counter()
        counts = asyncio.run(fill(url, args.districts, args.grassroots, args.cells_per_unit, args.sources))
        print(", ".join(f"{k} {v}" for k, v in counts.items()),
              f"(filled in {time.perf_counter() - started:.1f} s)")
        asyncio.run(measure(url, args.runs))


if __name__ == "__main__":
    main()
