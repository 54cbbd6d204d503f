"""Issue 12 on the command line, as a user runs it: real processes, real files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from chibot_process import KB_CACHE_DIR


def chibot(args: list[str], cwd: Path, stdin: str = "", **env) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("CHIBOT_")}
    environment["CHIBOT_KB_CACHE_DIR"] = str(KB_CACHE_DIR)
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], input=stdin, capture_output=True, text=True,
        env=environment, cwd=cwd, timeout=120,
    )


def test_chat_opens_with_a_greeting(tmp_path):
    chibot(["demo"], tmp_path)
    done = chibot(["chat", "--user", "canbo"], tmp_path, stdin="/trogiup\n")
    assert done.returncode == 0, done.stderr
    greeting, rest = done.stdout.split("\n\n", 1)
    assert greeting == "Chào đồng chí Trần Thị Lan, cán bộ cấp ủy — Đảng bộ tỉnh (mẫu). Gõ /trogiup để xem các việc có thể làm."
    assert "Các việc cán bộ cấp ủy làm với Chibot" in rest


def test_the_demo_never_shares_a_database_with_a_real_tree(tmp_path):
    tree = tmp_path / "to-chuc.csv"
    tree.write_text("code,parent_code,name,kind,members\nTU,,Đảng bộ tỉnh,tỉnh,0\n"
                    "CB1,TU,Chi bộ thôn Một,chi bộ,12\n", encoding="utf-8")
    done = chibot(["org", "import", str(tree)], tmp_path)
    assert done.returncode == 0, done.stderr
    refused = chibot(["demo"], tmp_path)
    assert refused.returncode == 1 and "cây tổ chức thật (gốc TU)" in refused.stderr
    assert "Traceback" not in refused.stderr
    # make run without a token: the console demo on its own file beside the real one
    run = chibot(["run"], tmp_path, stdin="/dsnguon\n")
    assert run.returncode == 0, run.stderr
    first = run.stdout.splitlines()[0]
    assert "Chưa cấu hình token" in first and "demo.sqlite3" in first
    assert (tmp_path / "data" / "demo.sqlite3").is_file()
    tree_out = chibot(["org", "tree"], tmp_path).stdout
    assert "TU" in tree_out and "DEMO" not in tree_out  # the real database has no demo unit
    # and the demo's database refuses the real tree
    demo_db = f"sqlite+aiosqlite:///{tmp_path / 'data' / 'demo.sqlite3'}"
    mixed = chibot(["org", "import", str(tree)], tmp_path, CHIBOT_DATABASE_URL=demo_db)
    assert mixed.returncode == 1 and "dữ liệu mẫu" in mixed.stderr


def test_help_is_in_vietnamese_for_every_command(capsys):
    import argparse

    import pytest

    from bot.cli import build_parser

    parser = build_parser()
    pages = [parser.format_help()]
    stack = [parser]
    while stack:  # every sub-command's own page too
        for action in stack.pop()._actions:
            if isinstance(action, argparse._SubParsersAction):
                for sub in action.choices.values():
                    pages.append(sub.format_help())
                    stack.append(sub)
    assert len(pages) >= 18
    for page in pages:
        assert page.startswith("Cách dùng: chibot")
        assert "hiện hướng dẫn này rồi thoát" in page
        for english in ("usage:", "show this help", "positional arguments", "options:", "serve the", "seed demo"):
            assert english not in page, page
    assert "nhập hoặc cập nhật cây tổ chức" in parser.format_help() or "cây tổ chức" in parser.format_help()
    with pytest.raises(SystemExit) as done:
        parser.parse_args(["--help"])
    assert done.value.code == 0 and "chạy bot trên các kênh đã cấu hình" in capsys.readouterr().out


def test_piped_console_joins_lines_ending_with_a_backslash(tmp_path):
    """A script for `chibot chat`: the fields of one /nguon on continued lines, as on a phone."""
    import sqlite3

    chibot(["demo"], tmp_path)
    script = "/nguon Lê Thị Mai \\\n02/02/2000\\\nsinh viên, nông thôn\\\nlớp trưởng\n/dsnguon\n"
    done = chibot(["chat", "--user", "bithu"], tmp_path, stdin=script)
    assert done.returncode == 0, done.stderr
    greeting, added, listing = done.stdout.strip().split("\n\n")
    assert added.startswith("✅ Đồng chí đã ghi nhận nguồn: quần chúng Lê Thị Mai (N"), added
    assert "khu vực nông thôn" in added and "Ghi chú: lớp trưởng" in added
    assert ": 1 người" in listing.splitlines()[0]
    with sqlite3.connect(tmp_path / "data" / "chibot.sqlite3") as db:
        rows = db.execute("SELECT full_name, birth_date, note FROM sources").fetchall()
    assert rows == [("Lê Thị Mai", "2000-02-02", "lớp trưởng")]
