"""/lophoc through the conversation core and the scheduler: staff open a class for their subtree,
its secretaries (and nobody outside it) get the announcement, a reminder the day before and the
attendance question; attendance of an awareness class moves people to the awareness stage dated
on the class day, and /ketnap then accepts them."""

from __future__ import annotations

from datetime import date

import pytest
from scheduler_support import ListAdapter, add_user, deliver, local, run
from test_pipeline_support import audits, get_source, insert_source


@pytest.fixture
async def tree(cells):
    await add_user(cells, "canbo_xa", "Đỗ Văn Xã", "staff", "DEMO-X1")
    await add_user(cells, "bithu3", "Trương Văn Ba", "secretary", "DEMO-CB3")  # under DEMO-X2
    return cells


async def test_a_class_from_creation_to_attendance_and_admission(tree, clock, chat_as):
    an = await insert_source(tree, "Nguyễn Văn An", date(1998, 3, 5))
    other = await insert_source(tree, "Lê Văn Bình", date(1997, 7, 7), org="DEMO-CB2")
    staff, bithu = chat_as("canbo_xa"), chat_as("bithu")

    assert "Mở lớp nào?" in await staff.say("/lophoc tao")
    assert "dd/mm/yyyy HH:MM" in await staff.press("pl.kind.awareness")
    assert "Địa điểm" in await staff.say("10/12/2026 07:30")
    assert "đơn vị nào" in await staff.say("Hội trường Đảng ủy xã Nhơn Hậu")
    assert "Không tìm thấy đơn vị có mã “KHONG-CO”" in await staff.say("KHONG-CO")
    assert "N12, N15" in await staff.press("pl.unit.own")
    preview = await staff.press("pl.skip")
    assert "10/12/2026 lúc 07:30" in preview and "Hội trường Đảng ủy xã Nhơn Hậu" in preview
    created = await staff.press("pl.yes")
    assert "Đã mở lớp" in created and "3 bí thư chi bộ" in created

    adapter = ListAdapter()
    await run(tree)
    await run(tree)
    await deliver(tree, adapter)
    assert sorted(chat for chat, _ in adapter.sent) == ["bithu", "bithu2", "phobithu"], "not bithu3 (DEMO-X2)"
    [announcement] = [t for t in adapter.to("bithu") if "lớp số 1" in t]
    assert "Lớp bồi dưỡng nhận thức về Đảng" in announcement and "10/12/2026 lúc 07:30" in announcement
    assert "/lophoc" in announcement
    assert "Lớp số 1" in await bithu.say("/lophoc")
    assert "chưa có lớp" in await chat_as("bithu3").say("/lophoc")

    clock.set(local(9, 12, 2026, 8))
    await run(tree)
    clock.set(local(10, 12, 2026, 12))  # the class began at 07:30; the question comes at 11:30
    await run(tree)
    await run(tree)
    await deliver(tree, adapter)
    _, reminder, question = [t for t in adapter.to("bithu") if "lớp số 1" in t]  # (and evaluation reminders)
    assert "ngày mai 10/12/2026" in reminder and "/lophoc diemdanh 1" in question

    menu = await bithu.press("lh:att:1")
    assert "Chọn xong" in [c.label for c in bithu.choices]
    assert f"pl.att.{other}" not in [c.value for c in bithu.choices], "only the secretary's own cell"
    await bithu.press(f"pl.att.{an}")
    assert any(c.label.startswith("☑") for c in bithu.choices)
    done = await bithu.press("pl.done")
    assert "Đã ghi nhận 1 người dự lớp số 1" in done and "10/12/2026" in done and "Nguyễn Văn An" in done
    source = await get_source(tree, an)
    assert (source.stage, source.awareness_date) == ("awareness", date(2026, 12, 10))
    assert [row.after["awareness_date"] for row in await audits(tree, "source.awareness")] == ["2026-12-10"]
    assert "Chọn xong" in menu

    clock.set(local(11, 12, 2026, 9))
    admitted = await bithu.say(f"/ketnap N{an}; 11/12/2026")
    assert "ngày kết nạp 11/12/2026" in admitted
    assert (await get_source(tree, an)).stage == "probationary"


async def test_one_line_class_attendance_by_codes_and_the_rules(tree, clock, chat_as):
    an = await insert_source(tree, "Nguyễn Văn An", date(1998, 3, 5))
    staff, bithu = chat_as("canbo_xa"), chat_as("bithu")
    assert "Chỉ cán bộ cấp ủy" in await bithu.say("/lophoc tao")
    assert "tương lai" in await staff.say("/lophoc tao nhận thức; 01/11/2026 07:30; Hội trường; DEMO-X1")
    assert "không có quyền" in await staff.say("/lophoc tao nhận thức; 01/12/2026 07:30; Hội trường; DEMO-X2")
    preview = await staff.say("/lophoc tao nhận thức; 01/12/2026 07:30; https://meet.example/lop; DEMO-CB1")
    assert "https://meet.example/lop" in preview
    assert "1 bí thư" not in preview
    created = await staff.press("pl.yes")
    assert "2 bí thư chi bộ" in created  # bithu and phobithu of DEMO-CB1
    assert "chưa diễn ra" in await bithu.say("/lophoc diemdanh 1; N%d" % an)
    clock.set(local(1, 12, 2026, 15))
    assert "không phải mã người" in await bithu.say("/lophoc diemdanh 1; abc")
    assert "Không có lớp số 9" in await bithu.say("/lophoc diemdanh 9")
    done = await bithu.say(f"/lophoc diemdanh 1; N{an}")
    assert "Đã ghi nhận 1 người" in done and "01/12/2026" in done
    again = await bithu.say(f"/lophoc diemdanh 1; N{an}")
    assert "đã ghi nhận trước đó" in again
    assert "Không có lớp số 1" in await chat_as("bithu3").say("/lophoc diemdanh 1")


async def test_new_member_class_records_the_probationary_members(tree, clock, chat_as):
    member = await insert_source(tree, "Phạm Thị Cúc", date(1995, 4, 4), stage="probationary",
                                 admission=date(2026, 6, 1))
    pool = await insert_source(tree, "Nguyễn Văn An", date(1998, 3, 5))
    staff, bithu = chat_as("canbo_xa"), chat_as("bithu")
    preview = await staff.say(f"/lophoc tao đảng viên mới; 28/11/2026 08:00; Nhà văn hóa thôn; DEMO-X1; N{member}")
    assert "1 người được cử đi học" in preview
    assert "2 bí thư chi bộ" in await staff.press("pl.yes")  # of DEMO-CB1 only
    clock.set(local(28, 11, 2026, 14))
    assert "Lớp số 1" not in await chat_as("bithu2").say("/lophoc")
    await bithu.say("/lophoc diemdanh 1")
    values = [c.value for c in bithu.choices]
    assert f"pl.att.{member}" in values and f"pl.att.{pool}" not in values
    await bithu.say("1")  # typing the number picks the first option
    done = await bithu.press("pl.done")
    assert "Đã ghi nhận 1 đảng viên dự bị dự lớp số 1" in done and "Phạm Thị Cúc" in done
    assert (await get_source(tree, member)).stage == "probationary"
    [row] = await audits(tree, "class.attendance")
    assert row.after["date"] == "2026-11-28"
