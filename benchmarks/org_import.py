"""Time `chibot org import` on a large tree (not part of the test run).

Writes a CSV of 1 province > 20 districts > 10 grassroots each > N cells each (or, with
--nation, the national shape of benchmarks/scale.py: 63 provinces > 11 districts > 10
grassroots > 29 cells, 208,657 units), then runs the real CLI three times on a fresh database:
the first import, the same file again (must change nothing), and the file with every cell's
member count changed. Prints each run's time and the CLI process's peak memory (max RSS).

    .venv/bin/python benchmarks/org_import.py [--cells 2000] [--nation] [--url URL]

--url: an empty PostgreSQL database to use instead of a SQLite file (dropped and created again).
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def write_tree(path: Path, cells: int, bump: int = 0) -> int:
    rows = [("P", "", "Tỉnh ủy", "province", 0)]
    districts, communes = 20, 10
    for d in range(districts):
        rows.append((f"D{d}", "P", f"Huyện ủy {d}", "district", 0))
        for g in range(communes):
            rows.append((f"G{d}-{g}", f"D{d}", f"Đảng ủy xã {d}-{g}", "grassroots", 3))
    for c in range(cells):
        d, g = c % districts, (c // districts) % communes
        rows.append((f"C{c:05d}", f"G{d}-{g}", f"Chi bộ {c}", "cell", 10 + c % 40 + bump))
    return _write(path, rows)


def write_nation(path: Path, bump: int = 0) -> int:
    rows = [("TW", "", "Trung ương", "province", 0)]
    for p in range(63):
        rows.append((f"T{p}", "TW", f"Tỉnh ủy {p}", "province", 0))
        for d in range(11):
            rows.append((f"T{p}-H{d}", f"T{p}", f"Huyện ủy {p}-{d}", "district", 0))
            for g in range(10):
                rows.append((f"T{p}-H{d}-X{g}", f"T{p}-H{d}", f"Đảng ủy xã {p}-{d}-{g}", "grassroots", 3))
                for c in range(29):
                    rows.append((f"T{p}-H{d}-X{g}-C{c}", f"T{p}-H{d}-X{g}", f"Chi bộ {p}-{d}-{g}-{c}", "cell",
                                 10 + (p + d + g + c) % 40 + bump))
    return _write(path, rows)


def _write(path: Path, rows) -> int:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["code", "parent_code", "name", "kind", "members"])
        writer.writerows(rows)
    return len(rows)


def timed(args: list[str], cwd: Path, env: dict) -> tuple[float, float, str]:
    """Seconds, peak RSS (MB) and output of one CLI run."""
    start = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        process = subprocess.Popen([sys.executable, "-m", "bot", *args], cwd=cwd, env=env, stdout=out, stderr=err)
        _pid, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if process.returncode != 0:
            raise SystemExit(err.read())
        return elapsed, usage.ru_maxrss / 1024, out.read().strip()


def reset_pg(url: str) -> None:
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from scale import reset_pg as reset

    reset(url)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cells", type=int, default=2000)
    parser.add_argument("--nation", action="store_true", help="the national tree (208,657 units)")
    parser.add_argument("--url", help="an empty PostgreSQL database (dropped and created again)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        url = args.url or f"sqlite+aiosqlite:///{work}/bench.sqlite3"
        if args.url:
            reset_pg(url)
        env = {**os.environ, "CHIBOT_DATABASE_URL": url, "PYTHONPATH": str(ROOT)}
        if args.nation:
            units = write_nation(work / "tree.csv")
            write_nation(work / "changed.csv", bump=1)
        else:
            units = write_tree(work / "tree.csv", args.cells)
            write_tree(work / "changed.csv", args.cells, bump=1)
        timed(["db", "upgrade"], work, env)  # migrations are not part of the import time
        backend = "PostgreSQL" if args.url else "SQLite"
        print(f"tree: {units:,} units ({backend}, whole CLI process each run)")
        for label, name in (("first import", "tree.csv"), ("same file again", "tree.csv"),
                            ("every cell changed", "changed.csv")):
            seconds, peak, out = timed(["org", "import", str(work / name)], work, env)
            print(f"  {label:<20} {seconds:7.2f} s   peak RSS {peak:6.0f} MB   {out}")


if __name__ == "__main__":
    main()
