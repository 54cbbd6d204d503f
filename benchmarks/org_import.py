"""Time `chibot org import` on a large tree (not part of the test run).

Writes a CSV of 1 province > 20 districts > 10 grassroots each > N cells each, then runs the
real CLI three times on a fresh SQLite database: the first import, the same file again (must
change nothing), and the file with every cell's member count changed.

    .venv/bin/python benchmarks/org_import.py [--cells 2000]
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
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["code", "parent_code", "name", "kind", "members"])
        writer.writerows(rows)
    return len(rows)


def timed(args: list[str], cwd: Path, env: dict) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "bot", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    return elapsed, done.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cells", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        env = {**os.environ, "CHIBOT_DATABASE_URL": f"sqlite+aiosqlite:///{work}/bench.sqlite3",
               "PYTHONPATH": str(ROOT)}
        units = write_tree(work / "tree.csv", args.cells)
        write_tree(work / "changed.csv", args.cells, bump=1)
        timed(["db", "upgrade"], work, env)  # migrations are not part of the import time
        print(f"tree: {units} units, {args.cells} cells (SQLite, whole CLI process each run)")
        for label, name in (("first import", "tree.csv"), ("same file again", "tree.csv"),
                            ("every cell changed", "changed.csv")):
            seconds, out = timed(["org", "import", str(work / name)], work, env)
            print(f"  {label:<20} {seconds:6.2f} s   {out}")


if __name__ == "__main__":
    main()
