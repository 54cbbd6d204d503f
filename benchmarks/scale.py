"""Scale of the staff reports (not part of the test run).

Generates a provincial tree (1 province > 20 districts > 10 grassroots > 10 cells: 2,000 cells,
about 60,000 members, 12,000 sources with five years of history) or a national one (63
provinces > 11 districts > 10 grassroots > 29 cells: about 200,000 cells, 5.5 million members,
1.2 million sources), in bulk (executemany on SQLite, COPY on PostgreSQL), then prints:

- the root report's p50/p95 (storage.reports.build_report, the `report --json` shape), and a
  district's and a cell's, in process;
- the time to build the root's workbook and chart (bot.reportfiles);
- the peak memory (max RSS) of the generation and of the measurement, each its own process;
- with --load: the reply times of N secretaries each asking /tinhhinh or /trogiup every --pace
  seconds (on average) through the real conversation core, alone and while two staff members
  ask /tinhhinh and /baocao for the root again and again, and the longest stall of the event
  loop in each case.

    .venv/bin/python benchmarks/scale.py --scale province --load
    .venv/bin/python benchmarks/scale.py --scale nation --fraction 0.1 \\
        --url postgresql+asyncpg://postgres@127.0.0.1:5432/chibot_scale

--fraction scales the number of districts (province) or provinces (nation). A PostgreSQL --url
names a database that is dropped and created again (server from the URL, trust auth).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from domain.categories import CATEGORIES  # noqa: E402
from domain.text import fold  # noqa: E402
from storage import rollups  # noqa: E402
from storage.db import create_engine, upgrade  # noqa: E402
from storage.models import (  # noqa: E402
    AdmissionTarget, ChatIdentity, OrgUnit, QuarterlyEvaluation, Source, SourceCategory, User,
)

TODAY = date(2026, 12, 16)  # just after the quarter-IV deadline: late cells count
NOW = datetime(2026, 12, 16, 3, 0)  # 10:00 local
SHAPES = {  # children per level below the root: kind, count
    "province": [("district", 20), ("grassroots", 10), ("cell", 10)],
    "nation": [("province", 63), ("district", 11), ("grassroots", 10), ("cell", 29)],
}
MEMBERS_PER_CELL = {"province": 30, "nation": 27}
SOURCES_PER_CELL = 6
STAGES = ["source"] * 5 + ["awareness"] * 3 + ["probationary"] * 2 + ["full"] * 3 + ["removed"]
CHUNK = 20_000


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- generation --------------------------------------------------------------------------
class Generator:
    """Rows in id order, streamed one top-level branch at a time (memory stays flat)."""

    def __init__(self, scale: str, fraction: float, seed: int = 13):
        self.rnd = random.Random(seed)
        self.shape = [list(level) for level in SHAPES[scale]]
        self.shape[0][1] = max(1, round(self.shape[0][1] * fraction))
        self.scale = scale
        self.unit_id = 0
        self.source_id = 0
        self.counts = dict.fromkeys(("units", "cells", "members", "sources", "categories",
                                     "evaluations", "targets"), 0)

    def _unit(self, parent, code, name, kind, members):
        self.unit_id += 1
        path = (parent[1] if parent else "/") + f"{self.unit_id}/"
        self.counts["units"] += 1
        self.counts["members"] += members
        return (self.unit_id, code, parent[0] if parent else None, name, kind, members, path,
                path.count("/") - 2, fold(name))

    def branches(self):
        """Yield (units, sources, categories, evaluations, targets) per top-level branch."""
        rnd = self.rnd
        root = self._unit(None, "ROOT", "Trung ương (thử tải)" if self.scale == "nation" else "Tỉnh ủy (thử tải)",
                          "province" if self.scale == "province" else "province", 0)
        yield [root], [], [], [], []
        for top in range(self.shape[0][1]):
            units, sources, categories, evaluations, targets = [], [], [], [], []

            def grow(parent, level, code):
                kind, count = self.shape[level]
                for i in range(count):
                    child_code = f"{code}.{i}"
                    members = (rnd.randint(MEMBERS_PER_CELL[self.scale] // 3, MEMBERS_PER_CELL[self.scale] * 5 // 3)
                               if kind == "cell" else (3 if kind == "grassroots" else 0))
                    unit = self._unit(parent, child_code, f"{_NAMES[kind]} {child_code}", kind, members)
                    units.append(unit)
                    if kind == "cell":
                        self.counts["cells"] += 1
                        self._people(unit[0], sources, categories, evaluations)
                        if rnd.random() < 0.3:
                            targets.append((unit[0], 2026, rnd.randint(0, 3)))
                    else:
                        grow((unit[0], unit[6]), level + 1, child_code)

            kind, _ = self.shape[0]
            unit = self._unit((root[0], root[6]), f"U{top}", f"{_NAMES[kind]} {top}", kind, 0)
            units.append(unit)
            grow((unit[0], unit[6]), 1, f"U{top}")
            self.counts["targets"] += len(targets)
            yield units, sources, categories, evaluations, targets

    def _people(self, org_id, sources, categories, evaluations):
        rnd = self.rnd
        for _ in range(rnd.randint(SOURCES_PER_CELL - 3, SOURCES_PER_CELL + 3)):
            self.source_id += 1
            stage = rnd.choice(STAGES)
            admitted = awareness = deadline = recognised = None
            if stage in ("probationary", "full") or (stage == "removed" and rnd.random() < 0.5):
                admitted = date(rnd.randint(2022, 2026), rnd.randint(1, 12), rnd.randint(1, 28))
                if admitted > TODAY:
                    admitted = TODAY - timedelta(days=30)
                if stage == "probationary" and admitted < TODAY - timedelta(days=420):
                    admitted = TODAY - timedelta(days=rnd.randint(30, 420))
                awareness = admitted - timedelta(days=rnd.randint(60, 420))
                deadline = admitted + timedelta(days=365 + 42)
                if stage == "full":
                    recognised = admitted + timedelta(days=365 + rnd.randint(0, 40))
            elif stage == "awareness":
                awareness = TODAY - timedelta(days=rnd.randint(10, 700))
            sources.append((self.source_id, org_id, f"Người Thử {self.source_id}", f"nguoi thu {self.source_id}",
                            date(1995, 1, 1), "", stage, awareness, admitted, deadline, recognised, NOW))
            for key in rnd.sample(CATEGORIES, rnd.choice((1, 1, 2))):
                categories.append((self.source_id, key))
            if stage in ("source", "awareness") and rnd.random() < 0.8:
                evaluations.append((self.source_id, 2026, 4, "tot", "", NOW))
        self.counts["sources"] = self.source_id


_NAMES = {"province": "Tỉnh ủy", "district": "Huyện ủy", "grassroots": "Đảng ủy xã", "cell": "Chi bộ thôn"}
UNIT_COLUMNS = ("id", "code", "parent_id", "name", "kind", "members", "path", "depth", "name_key")
SOURCE_COLUMNS = ("id", "org_id", "full_name", "name_key", "birth_date", "note", "stage", "awareness_date",
                  "admission_date", "recognition_deadline", "recognition_date", "created_at")
TABLES = [
    (OrgUnit, UNIT_COLUMNS),
    (Source, SOURCE_COLUMNS),
    (SourceCategory, ("source_id", "category")),
    (QuarterlyEvaluation, ("source_id", "year", "quarter", "level", "comment", "evaluated_at")),
    (AdmissionTarget, ("org_id", "year", "target")),
]


async def fill(url: str, scale: str, fraction: float) -> dict:
    engine = create_engine(url)
    generator = Generator(scale, fraction)
    pg = not url.startswith("sqlite")
    rows_written = dict.fromkeys((t.__tablename__ for t, _ in TABLES), 0)
    async with engine.begin() as conn:
        raw = (await conn.get_raw_connection()).driver_connection if pg else None
        for batch in generator.branches():
            for (table, columns), rows in zip(TABLES, batch):
                rows_written[table.__tablename__] += len(rows)
                for start in range(0, len(rows), CHUNK):
                    chunk = rows[start:start + CHUNK]
                    if pg:
                        await raw.copy_records_to_table(table.__tablename__, records=chunk, columns=columns)
                    else:
                        await conn.execute(insert(table), [dict(zip(columns, r)) for r in chunk])
        if pg:
            await conn.exec_driver_sql("SELECT setval('org_units_id_seq', (SELECT max(id) FROM org_units))")
            await conn.exec_driver_sql("SELECT setval('sources_id_seq', (SELECT max(id) FROM sources))")
    async with engine.connect() as conn:
        conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
        await conn.exec_driver_sql("VACUUM ANALYZE" if pg else "ANALYZE")
    started = time.perf_counter()
    async with engine.begin() as conn:  # the reports' counts, as after any bulk load
        await conn.run_sync(rollups.rebuild)
    generator.counts["counts_rebuild_s"] = round(time.perf_counter() - started, 1)
    async with engine.connect() as conn:
        conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
        await conn.exec_driver_sql("ANALYZE report_counts" if pg else "ANALYZE")
    await engine.dispose()
    generator.counts["categories"] = rows_written["source_categories"]
    generator.counts["evaluations"] = rows_written["evaluations"]
    return generator.counts


# --- measurement -------------------------------------------------------------------------
def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))] * 1000


async def measure(url: str, runs: int, load_seconds: float, users: int, xlsx: bool, pace: float) -> dict:
    from bot.app import build_app
    from bot.reportfiles import report_files
    from bot.settings import Settings
    from storage.reports import build_report

    settings = Settings(_env_file=None, database_url=url)
    app = build_app(settings, clock=lambda: NOW, with_kb=False)
    out: dict = {}
    async with app.services.sessions() as session:
        root = await session.scalar(select(OrgUnit).where(OrgUnit.code == "ROOT"))
        first = await session.scalar(select(OrgUnit).where(OrgUnit.parent_id == root.id).order_by(OrgUnit.id))
        cell = await session.scalar(select(OrgUnit).where(OrgUnit.kind == "cell").order_by(OrgUnit.id))
        for label, unit in (("root", root), ("top_child", first), ("cell", cell)):
            times = []
            for _ in range(runs if label == "root" else max(5, runs // 2)):
                started = time.perf_counter()
                report = await build_report(session, unit, 2026, TODAY, settings)
                times.append(time.perf_counter() - started)
            out[f"{label}_report_ms"] = {"p50": round(pct(times, 0.5), 1), "p95": round(pct(times, 0.95), 1),
                                         "runs": len(times), "children": len(report["children"])}
            if label == "root":
                out["root_figures"] = {k: report[k] for k in ("members", "target", "admissions", "rate",
                                                               "period_rate", "sources_active", "evaluations_due",
                                                               "cells_late", "probation_due", "projection")}
        if xlsx:
            for kind in ("xlsx", "png"):
                started = time.perf_counter()
                files = await report_files(session, root, 2026, TODAY, settings,
                                           xlsx=kind == "xlsx", png=kind == "png")
                seconds = time.perf_counter() - started
                size = len(files.xlsx if kind == "xlsx" else files.png)
                out[f"root_{kind}"] = {"seconds": round(seconds, 2), "bytes": size}
    if load_seconds:
        out["load"] = await load(app, root, users, load_seconds, pace)
    await app.close()
    out["peak_rss_mb"] = round(peak_mb())
    return out


async def _add_users(app, root: OrgUnit, users: int) -> list[str]:
    async with app.services.sessions() as session:
        async with session.begin():
            known = set(await session.scalars(select(ChatIdentity.external_id).where(ChatIdentity.channel == "console")))
            if known:  # --reuse: the users of an earlier run
                wanted = [f"bithu{i}" for i in range(users)] + ["canbo0", "canbo1"]
                if set(wanted) <= known:
                    return wanted
                raise SystemExit("the reused database has other console users; generate it again")
            cells = list(await session.scalars(
                select(OrgUnit.id).where(OrgUnit.kind == "cell").order_by(OrgUnit.id).limit(users)))
            logins = []
            people = [(f"bithu{i}", "secretary", org_id) for i, org_id in enumerate(cells)]
            people += [(f"canbo{i}", "staff", root.id) for i in range(2)]
            for login, role, org_id in people:
                user = User(name=f"Người dùng {login}", role=role, org_id=org_id, active=True, created_at=NOW)
                session.add(user)
                await session.flush()
                session.add(ChatIdentity(user_id=user.id, channel="console", external_id=login, chat_id=login,
                                         blocked=False, linked_at=NOW))
                logins.append(login)
    return logins


async def load(app, root: OrgUnit, users: int, seconds: float, pace: float) -> dict:
    """Secretaries ask /tinhhinh or /trogiup about every `pace` seconds each; then the same
    while two staff ask for the root again and again (/tinhhinh and /baocao in turn)."""
    from handlers.types import Incoming

    logins = await _add_users(app, root, users)
    secretaries = [login for login in logins if login.startswith("bithu")]
    staff = [login for login in logins if login.startswith("canbo")]

    async def ask(login: str, text_: str) -> float:
        started = time.perf_counter()
        replies = await app.conversation.handle(Incoming("console", login, login, text=text_))
        assert replies and "sự cố" not in replies[0].text, replies
        return time.perf_counter() - started

    async def phase(with_staff: bool) -> dict:
        stop = time.perf_counter() + seconds
        latencies: list[float] = []
        staff_times: list[float] = []
        lag = [0.0]

        async def secretary(login):
            rnd = random.Random(login)
            await asyncio.sleep(rnd.uniform(0, pace))
            n = 0
            while time.perf_counter() < stop:
                latencies.append(await ask(login, "/trogiup" if n % 2 else "/tinhhinh"))
                n += 1
                await asyncio.sleep(rnd.uniform(0.5 * pace, 1.5 * pace))

        async def officer(login):
            n = 0
            while time.perf_counter() < stop:
                staff_times.append(await ask(login, "/baocao" if n % 2 else "/tinhhinh"))
                n += 1

        async def ticker():
            while time.perf_counter() < stop:
                before = time.perf_counter()
                await asyncio.sleep(0.01)
                lag[0] = max(lag[0], time.perf_counter() - before - 0.01)

        tasks = [secretary(s) for s in secretaries] + [ticker()]
        if with_staff:
            tasks += [officer(s) for s in staff]
        await asyncio.gather(*tasks)
        result = {"replies": len(latencies), "p50_ms": round(pct(latencies, 0.5), 1),
                  "p99_ms": round(pct(latencies, 0.99), 1), "max_loop_stall_ms": round(lag[0] * 1000, 1)}
        if with_staff:
            result["staff_requests"] = len(staff_times)
            result["staff_p50_ms"] = round(pct(staff_times, 0.5), 1)
        return result

    return {"secretaries": len(secretaries), "seconds": seconds, "pace_s": pace,
            "alone": await phase(False), "with_staff": await phase(True)}


# --- driver --------------------------------------------------------------------------------
def reset_pg(url: str) -> None:
    parsed = make_url(url)
    admin = parsed.set(database="postgres").render_as_string(hide_password=False)

    async def run() -> None:
        engine = create_engine(admin, isolation_level="AUTOCOMMIT")
        async with engine.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
            await conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
        await engine.dispose()

    asyncio.run(run())


def child(args: list[str]) -> dict:
    done = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=tuple(SHAPES), default="province")
    parser.add_argument("--fraction", type=float, default=1.0)
    parser.add_argument("--url", help="database URL (default: a temporary SQLite file)")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--load", action="store_true", help="also measure other users' reply times")
    parser.add_argument("--load-seconds", type=float, default=20)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--pace", type=float, default=3.0, help="seconds between a user's messages")
    parser.add_argument("--no-files", action="store_true", help="skip the workbook and chart")
    parser.add_argument("--reuse", action="store_true",
                        help="measure the tree already in --url (generated by an earlier run) without generating")
    parser.add_argument("--phase", choices=("fill", "measure"), help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.phase == "fill":
        started = time.perf_counter()
        counts = asyncio.run(fill(args.url, args.scale, args.fraction))
        print(json.dumps({**counts, "seconds": round(time.perf_counter() - started, 1), "peak_rss_mb": round(peak_mb())}))
        return
    if args.phase == "measure":
        print(json.dumps(asyncio.run(measure(args.url, args.runs, args.load_seconds if args.load else 0,
                                             args.users, not args.no_files, args.pace)), ensure_ascii=False))
        return

    with tempfile.TemporaryDirectory() as tmp:
        url = args.url or f"sqlite+aiosqlite:///{Path(tmp) / 'scale.sqlite3'}"
        if args.reuse and not args.url:
            raise SystemExit("--reuse needs the --url of a tree generated before")
        common = ["--url", url, "--scale", args.scale, "--fraction", str(args.fraction)]
        print(f"{args.scale} (fraction {args.fraction}) on {make_url(url).get_backend_name()}:")
        if args.reuse:
            upgrade(url)
            print("  generated: reused the tree already in the database")
        else:
            if not url.startswith("sqlite"):
                reset_pg(url)
            upgrade(url)
            filled = child(["--phase", "fill", *common])
            print("  generated:", ", ".join(f"{k} {v:,}" for k, v in filled.items()
                                            if k not in ("seconds", "peak_rss_mb")))
            print(f"  generation: {filled['seconds']} s, peak RSS {filled['peak_rss_mb']} MB")
        flags = ["--runs", str(args.runs), "--users", str(args.users), "--load-seconds", str(args.load_seconds),
                 "--pace", str(args.pace)]
        flags += ["--load"] if args.load else []
        flags += ["--no-files"] if args.no_files else []
        measured = child(["--phase", "measure", *common, *flags])
        for key, value in measured.items():
            print(f"  {key}: {json.dumps(value, ensure_ascii=False)}")


if __name__ == "__main__":
    main()
