"""The command line as a user runs it: real processes, real files."""

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


def test_demo_then_chat_prints_the_secretary_help(tmp_path):
    """`chibot demo && printf '/trogiup\\n' | chibot chat --user bithu` with default settings."""
    demo = chibot(["demo"], tmp_path)
    assert demo.returncode == 0, demo.stderr
    assert "bithu" in demo.stdout and "canbo" in demo.stdout
    assert (tmp_path / "data" / "chibot.sqlite3").is_file()
    again = chibot(["demo"], tmp_path)
    assert again.returncode == 0 and again.stdout == demo.stdout, "demo is idempotent"
    chat = chibot(["chat", "--user", "bithu"], tmp_path, stdin="/trogiup\n")
    assert chat.returncode == 0, chat.stderr
    assert "Các việc bí thư chi bộ làm với Chibot" in chat.stdout
    assert "> " not in chat.stdout, "no prompt when stdin is piped"


def test_run_without_tokens_opens_the_console_as_the_demo_secretary(tmp_path):
    done = chibot(["run"], tmp_path, stdin="/trogiup\n")
    assert done.returncode == 0, done.stderr
    first, rest = done.stdout.split("\n", 1)
    assert "Chưa cấu hình token" in first and "bithu" in first
    assert "Các việc bí thư chi bộ làm với Chibot" in rest


def test_invalid_settings_give_one_clear_error(tmp_path):
    done = chibot(["demo"], tmp_path, CHIBOT_DATABASE_URL="mysql://x", CHIBOT_TARGET_RATE="abc")
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "CHIBOT_DATABASE_URL" in done.stderr and "CHIBOT_TARGET_RATE" in done.stderr
    env_file = tmp_path / ".env"
    env_file.write_text("CHIBOT_PERIOD=2025-2020\n", encoding="utf-8")
    done = chibot(["demo"], tmp_path)
    assert done.returncode == 1 and "CHIBOT_PERIOD" in done.stderr


def test_invite_create_prints_a_code_that_links_in_chat(tmp_path):
    chibot(["demo"], tmp_path)
    done = chibot(["invite", "create", "--org", "DEMO-CB2", "--role", "secretary", "--uses", "2"], tmp_path)
    assert done.returncode == 0, done.stderr
    code = done.stdout.splitlines()[0]
    assert len(code) == 8
    chat = chibot(["chat", "--user", "moi"], tmp_path, stdin=f"/start {code}\n")
    assert "Đã đăng ký" in chat.stdout and "Vạn Thuận" in chat.stdout
    wrong = chibot(["invite", "create", "--org", "DEMO-X1", "--role", "secretary"], tmp_path)
    assert wrong.returncode == 1 and "chi bộ" in wrong.stderr and "Traceback" not in wrong.stderr
    missing = chibot(["invite", "create", "--org", "NOPE", "--role", "staff"], tmp_path)
    assert missing.returncode == 1 and "NOPE" in missing.stderr


def test_db_upgrade_and_backup(tmp_path):
    assert chibot(["db", "upgrade"], tmp_path).returncode == 0
    chibot(["demo"], tmp_path)
    done = chibot(["db", "backup", str(tmp_path / "copy.sqlite3")], tmp_path)
    assert done.returncode == 0, done.stderr
    import sqlite3

    with sqlite3.connect(tmp_path / "copy.sqlite3") as conn:
        assert conn.execute("select count(*) from org_units").fetchone()[0] == 7
    again = chibot(["db", "backup", str(tmp_path / "copy.sqlite3")], tmp_path)
    assert again.returncode == 1 and "đã tồn tại" in again.stderr


def test_env_example_is_valid_and_documents_every_setting(tmp_path):
    """Every setting is in .env.example with a comment, and the file loads as it is."""
    from bot.settings import Settings

    example = Path(__file__).resolve().parent.parent / ".env.example"
    lines = example.read_text(encoding="utf-8").splitlines()
    names = {line.split("=", 1)[0] for line in lines if line.startswith("CHIBOT_")}
    assert names == {f"CHIBOT_{field.upper()}" for field in Settings.model_fields}
    for index, line in enumerate(lines):
        if line.startswith("CHIBOT_"):
            assert any(l.startswith("#") for l in lines[max(0, index - 3):index]), line
    (tmp_path / ".env").write_text(example.read_text(encoding="utf-8"), encoding="utf-8")
    assert chibot(["demo"], tmp_path).returncode == 0
