"""`chibot schedule due` and `chibot broadcast` as an operator runs them (real processes)."""

from __future__ import annotations

import json
import sqlite3

from test_cli import chibot

KEYS = {"kind", "user", "org", "channel", "dedup_key", "send_after", "text"}


def outbox_rows(tmp_path) -> list[tuple]:
    with sqlite3.connect(tmp_path / "data" / "chibot.sqlite3") as db:
        return db.execute("SELECT kind, chat_id, dedup_key, status FROM outbox WHERE kind != 'reply'").fetchall()


def test_schedule_due_prints_what_would_go_out_and_sends_nothing(tmp_path):
    assert chibot(["demo"], tmp_path).returncode == 0
    added = chibot(["chat", "--user", "bithu"], tmp_path, stdin="/nguon Nguyễn Văn An; 05/03/1998; đoàn viên\n")
    assert "Nguyễn Văn An" in added.stdout, added.stderr

    done = chibot(["schedule", "due", "--at", "01/12/2026 08:00", "--json"], tmp_path)
    assert done.returncode == 0, done.stderr
    [line] = done.stdout.splitlines()
    notice = json.loads(line)
    assert set(notice) == KEYS
    assert notice["kind"] == "evaluation_reminder" and notice["org"] == "DEMO-CB1"
    assert notice["channel"] == "console" and notice["send_after"] == "2026-12-01T08:00+07:00"
    assert notice["dedup_key"].startswith("eval:2026q4:r1:u") and "Nguyễn Văn An" in notice["text"]

    late = json.loads(chibot(["schedule", "due", "--at", "01/12/2026 22:30", "--json"], tmp_path).stdout)
    assert late["send_after"] == "2026-12-02T07:00+07:00", "due in the quiet hours: out when they end"
    assert chibot(["schedule", "due", "--at", "30/11/2026 23:00", "--json"], tmp_path).stdout == ""
    table = chibot(["schedule", "due", "--at", "01/01/2027 08:00"], tmp_path)
    assert "target_prompt" in table.stdout and "DEMO" in table.stdout
    assert outbox_rows(tmp_path) == [], "nothing was queued"

    bad = chibot(["schedule", "due", "--at", "32/12/2026 08:00"], tmp_path)
    assert bad.returncode == 1 and "dd/mm/yyyy HH:MM" in bad.stderr and "Traceback" not in bad.stderr


def test_broadcast_queues_one_message_per_linked_secretary(tmp_path):
    assert chibot(["demo"], tmp_path).returncode == 0
    done = chibot(["broadcast", "--org", "DEMO", "--text", "Họp bí thư chi bộ lúc 8 giờ ngày 15/12/2026"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert "1 tin tới 1 bí thư chi bộ" in done.stdout
    [(kind, chat, key, status)] = outbox_rows(tmp_path)
    assert (kind, chat, status) == ("broadcast", "bithu", "pending") and key.startswith("bc:1:")
    empty = chibot(["broadcast", "--org", "DEMO", "--text", "  "], tmp_path)
    assert empty.returncode == 1 and "trống" in empty.stderr
    unknown = chibot(["broadcast", "--org", "NOPE", "--text", "x"], tmp_path)
    assert unknown.returncode == 1 and "NOPE" in unknown.stderr
