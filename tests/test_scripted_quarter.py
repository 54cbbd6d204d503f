"""Issue 12's acceptance script: a secretary's quarter typed into the real console (`chibot chat`
with stdin piped) — sources with a mistake repaired in the dialog, a correction, an evaluation
round, an admission, a record view, an undo. Every reply fits a phone screen (at most about 25
lines of 40 characters, except the lists the user asked for) and no reply repeats itself."""

from __future__ import annotations

import math
import os
import subprocess
import sys
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from chibot_process import KB_CACHE_DIR

SCREEN_LINES, SCREEN_WIDTH = 25, 40
LISTS = ("/dsnguon", "/trogiup")  # asked for as lists: may be longer than a screen


def chibot(args: list[str], cwd, stdin: str = "") -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHIBOT_")}
    env["CHIBOT_KB_CACHE_DIR"] = str(KB_CACHE_DIR)
    done = subprocess.run([sys.executable, "-m", "bot", *args], input=stdin, capture_output=True, text=True,
                          env=env, cwd=cwd, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return done.stdout


def screen_lines(reply: str) -> int:
    """Lines on a phone 40 characters wide: long lines wrap."""
    return sum(max(1, math.ceil(len(line) / SCREEN_WIDTH)) for line in reply.splitlines())


def test_a_secretary_quarter_on_the_console(tmp_path):
    today = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()
    awareness = (today - timedelta(days=60)).strftime("%d/%m/%Y")
    chibot(["demo"], tmp_path)
    script = [
        "/nguon Đặng Thị Hoa; 10/13/1995; nong thon",         # N1: wrong month, the rest kept
        "13/10/1995",                                         # the repair
        "/nguon Nguyen Van An, 05/03/98, doan vien, sinh vien",  # N2: commas, two-digit year
        "/nguon tran thi binh; 12/08/2000; sinh viên; lớp trưởng",  # N3: no diacritics
        "/suanguon N3; tên; Trần Thị Bình",                  # the correction the hint suggested
        f"/lopnhanthuc N1; {awareness}; 12/GCN",
        "/danhgia",                                           # the round: N1 …
        "1",                                                  # tốt
        "bỏ qua",                                             # no comment (typed label)
        "khá",                                                # N2 …
        "tích cực",
        "dừng lại",                                           # N3 later (typed label)
        "/ketnap Đặng Thị Hoa; hôm qua; 45-QĐ/HU",
        "/dsnguon",
        "/xem N3",
        "/xoanguon N2; chuyển đi nơi khác",
        "/hoantac",
        "/xem N2",
    ]
    out = chibot(["chat", "--user", "bithu"], tmp_path, stdin="\n".join(script) + "\n")
    blocks = out.rstrip("\n").split("\n\n")
    greeting, replies = blocks[0], blocks[1:]
    assert "Chào đồng chí Nguyễn Văn Bình" in greeting
    assert len(replies) == len(script), out

    for typed, reply in zip(script, replies):
        if not typed.startswith(LISTS):
            assert screen_lines(reply) <= SCREEN_LINES, f"{typed!r} does not fit a phone screen:\n{reply}"
        lines = [line for line in reply.splitlines() if line.strip()]
        assert len(lines) == len(set(lines)), f"{typed!r}: a line repeats:\n{reply}"
        sentences = [s.strip() for line in lines for s in line.split(". ") if len(s.strip()) > 20]
        assert len(sentences) == len(set(sentences)), f"{typed!r}: a sentence repeats:\n{reply}"
    for previous, reply in zip(replies, replies[1:]):
        assert previous != reply

    said = dict(zip(script, replies))
    assert "tháng phải từ 1 đến 12" in replies[0] and "gõ lại ngày sinh" in replies[0]
    assert "quần chúng Đặng Thị Hoa (N1), sinh 13/10/1995, nhóm: khu vực nông thôn" in replies[1]
    assert "Nguyen Van An (N2), sinh 05/03/1998" in replies[2]
    assert "/suanguon N3; tên; Tran Thi Binh" in replies[3]
    assert "“Tran Thi Binh” → “Trần Thị Bình”" in replies[4]
    assert "mức tốt." in replies[8] and "(2/3)" in replies[8]
    assert "Đã dừng" in replies[11] and "còn 1 người" in replies[11]
    yesterday = (today - timedelta(days=1)).strftime("%d/%m/%Y")
    assert f"ngày kết nạp {yesterday}, quyết định số 45-QĐ/HU" in said["/ketnap Đặng Thị Hoa; hôm qua; 45-QĐ/HU"]
    listed = said["/dsnguon"]
    assert listed.index("N2 · Nguyen Van An") < listed.index("N3 · Trần Thị Bình")  # An before Bình
    assert "  3. N1 · Đặng Thị Hoa" in listed  # a number per person opens the record
    record = said["/xem N3"]
    assert "📋 Hồ sơ quần chúng Trần Thị Bình (N3)" in record and "Ghi chú: lớp trưởng" in record
    assert "đã sửa họ tên: “Tran Thi Binh” → “Trần Thị Bình”" in record
    assert "↩️ Đồng chí đã hoàn tác: đưa quần chúng Nguyen Van An (N2) ra khỏi nguồn" in replies[16]
    last = replies[17]
    assert "• Quý IV/2026: mức khá, nhận xét “tích cực”" in last or "nhận xét “tích cực”" in last
    assert "(đã hoàn tác)" in last and "đã hoàn tác việc đưa ra khỏi nguồn" in last
