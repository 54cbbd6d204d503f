"""Issue 3's acceptance script: a secretary registers with an invite and does a quarter's work
on the console (stdin into `chibot chat`); `chibot report --json` then shows exactly that."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import unicodedata
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from chibot_process import KB_CACHE_DIR


def chibot(args: list[str], cwd: Path, stdin: str = "") -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHIBOT_")}
    env["CHIBOT_KB_CACHE_DIR"] = str(KB_CACHE_DIR)
    done = subprocess.run(
        [sys.executable, "-m", "bot", *args], input=stdin, capture_output=True, text=True,
        env=env, cwd=cwd, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return done


def test_secretary_session_then_report(tmp_path):
    today = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()

    def ago(days: int) -> str:
        return (today - timedelta(days=days)).strftime("%d/%m/%Y")

    chibot(["demo"], tmp_path)
    code = chibot(["invite", "create", "--org", "DEMO-CB2", "--role", "secretary"], tmp_path).stdout.split()[0]
    admitted = [today - timedelta(days=400), today - timedelta(days=5)]
    script = [
        f"/start {code}",
        "/nguon Nguyễn Văn An; 05/03/1998; đoàn viên",                 # N1, one line
        "/nguon tran thi binh; 12/08/2000; sinh vien, nong thon",       # N2, no diacritics
        unicodedata.normalize("NFD", "/nguon Lê Thị Cúc; 01/01/1995; CN tư nhân; công nhân may"),  # N3
        "/nguon", "Phạm Văn Dũng", "02/09/1996", "4", "9", "1",          # N4, guided: group 4, done, no note
        f"/lopnhanthuc N1; {ago(430)}; GCN-01",
        f"/ketnap N1; {ago(400)}; 123-QĐ/HU",
        f"/chinhthuc N1; {ago(10)}",
        f"/lopnhanthuc N2; {ago(40)}; GCN-02",
        f"/ketnap tran thi binh; {ago(5)}",
        "/danhgia N3; tốt; tích cực",
        "/danhgia", "2", "1",                                           # N4: khá, no comment
    ]
    out = chibot(["chat", "--user", "hoa"], tmp_path, stdin="\n".join(script) + "\n").stdout
    blocks = out.split("\n\n")
    assert "Để đăng ký, đồng chí gửi mã mời" in blocks[0]  # the greeting of a console user not registered
    assert "Đã đăng ký" in blocks[1] and "Vạn Thuận" in blocks[1]
    assert "quần chúng Nguyễn Văn An (N1)" in out
    assert "quần chúng Lê Thị Cúc (N3)" in out, "NFD input is stored and shown composed"
    assert "quần chúng Phạm Văn Dũng (N4)" in out and "dân quân tự vệ" in out
    assert out.count("✅") >= 10, out

    report = json.loads(chibot(["report", "--org", "DEMO-CB2", "--json"], tmp_path).stdout)
    admissions = sum(1 for day in admitted if day.year == today.year)
    expected_categories = dict.fromkeys(
        ["doan_vien", "tri_thuc", "quan_nhan_du_bi", "dan_quan_tu_ve", "hoc_sinh_sinh_vien",
         "nong_thon", "cong_nhan_tu_nhan", "khac"], 0,
    )
    expected_categories.update(cong_nhan_tu_nhan=1, dan_quan_tu_ve=1)
    assert report["org"] == {"code": "DEMO-CB2", "name": "Chi bộ thôn Vạn Thuận (mẫu)"}
    assert report["year"] == today.year
    assert report["members"] == 31
    assert report["target"] == 2  # ceil(4 % of 31)
    assert report["admissions"] == admissions
    assert report["rate"] == round(admissions / 31, 4)
    assert report["sources_active"] == 2  # N3 and N4; N1 recognised, N2 probationary
    assert report["sources_by_category"] == expected_categories
    assert report["evaluations_due"] == 0
    assert report["cells_late"] == 0
    assert report["probation_due"] == 0  # N2's deadline is about a year away
    assert report["children"] == []

    commune = json.loads(chibot(["report", "--org", "DEMO-X1", "--json"], tmp_path).stdout)
    assert commune["members"] == 3 + 24 + 31
    assert commune["admissions"] == admissions and commune["sources_active"] == 2
    assert [c["org"]["code"] for c in commune["children"]] == ["DEMO-CB1", "DEMO-CB2"]
    assert commune["children"][1]["sources_active"] == 2
    assert commune["children"][0]["sources_active"] == 0
