"""/tinhhinh for staff: a unit by part of its name typed without diacritics, choices when
several match, marks on child units, and no way outside one's subtree by code, button or name.

Demo tree (tests/test_status.py): DEMO > DEMO-H1 > DEMO-X1 > DEMO-CB1 "Thanh Liêm", DEMO-CB2
"Vạn Thuận"; DEMO-H1 > DEMO-X2 > DEMO-CB3 "Thanh Giang". Today 26/11/2026.
"""

from __future__ import annotations

from datetime import date, datetime

from domain import texts
from tests.factories import add_source
from tests.test_status import add_console_user, unit_id, world  # noqa: F401  (the fixture)


async def test_a_unit_by_part_of_its_name_without_diacritics(world, chat_as):
    canbo = chat_as("canbo")
    text = await canbo.say("/tinhhinh Van Thuan")
    assert "Chi bộ thôn Vạn Thuận (mẫu) (DEMO-CB2)" in text
    assert "Không tìm thấy" not in text
    assert "Chi bộ thôn Vạn Thuận (mẫu) (DEMO-CB2)" in await canbo.say("/tinhhinh vạn thuận")
    assert "(DEMO-X1)" in await canbo.say("/tinhhinh nhon hau")


async def test_several_matches_are_offered_as_choices(world, chat_as):
    canbo = chat_as("canbo")
    text = await canbo.say("/tinhhinh thanh")
    assert text == texts.UNIT_SEVERAL.format(n=2, text="thanh")
    labels = [c.label for c in canbo.choices]
    assert labels == ["Chi bộ thôn Thanh Liêm (mẫu) (DEMO-CB1)", "Chi bộ thôn Thanh Giang (mẫu) (DEMO-CB3)"]
    picked = await canbo.say("2")
    assert "Chi bộ thôn Thanh Giang (mẫu) (DEMO-CB3)" in picked and "Đảng viên: 18" in picked


async def test_an_unknown_name_is_quoted_whole(world, chat_as):
    canbo = chat_as("canbo")
    text = await canbo.say("/tinhhinh Van Thuong")
    assert text == texts.UNIT_NOT_FOUND.format(text="Van Thuong", command="tinhhinh", example="DEMO")
    assert "“Van Thuong”" in text and '"Van"' not in text


async def test_names_are_looked_up_only_inside_ones_subtree(world, chat_as):
    staff = chat_as("canbo_x2")  # staff of DEMO-X2 (Thanh Giang only)
    assert "(DEMO-CB3)" in await staff.say("/tinhhinh thanh")  # one match in scope: shown directly
    outside = await staff.say("/tinhhinh thanh liem")
    assert "Không tìm thấy" in outside and "Đảng viên" not in outside
    assert "Không tìm thấy" in await staff.say("/tinhhinh van thuan")
    # by code it is refused, by a forged button too
    assert "không có quyền" in await staff.say("/tinhhinh DEMO-CB2")
    forged = await staff.press(f"tt:{await unit_id(world, 'DEMO-CB2')}")
    assert "không có quyền" in forged and "Đảng viên" not in forged
    # a secretary finds only the own cell by name
    bithu = chat_as("bithu")
    assert "Nguyễn Thị Hoa" in await bithu.say("/tinhhinh thanh liem")
    assert "Không tìm thấy" in await bithu.say("/tinhhinh thanh giang")


async def test_child_units_needing_attention_are_marked(world, chat_as, clock):
    clock.set(datetime(2026, 12, 16, 3, 0))  # after the quarter-IV deadline
    canbo = chat_as("canbo")
    await canbo.say("/tinhhinh")
    text = await canbo.say("/tinhhinh DEMO-X1")
    # CB1: 1/1 admitted (target met), late with Hoa's evaluation, Phan Văn Dũng's deadline passed
    assert ("⚠️ Chi bộ thôn Thanh Liêm (mẫu) (DEMO-CB1): 1/1, chưa đánh giá 1 — chậm đánh giá; "
            "1 dự bị quá hạn xét chính thức") in text
    # CB2: nothing admitted, nobody in the pipeline: will miss its target of 2
    assert "⚠️ Chi bộ thôn Vạn Thuận (mẫu) (DEMO-CB2): 0/2, chưa đánh giá 0 — dự kiến không đạt chỉ tiêu" in text
    root = await canbo.say("/tinhhinh")
    assert "Dự kiến đến 31/12/2026: 1/4" in root and "⚠️ Dự kiến không đạt chỉ tiêu kết nạp năm 2026 (thiếu 3)." in root
    assert "2 chi bộ chậm đánh giá" in root
    assert "trong đó đã quá hạn: 1" in root
    assert "/baocao DEMO" in root


async def test_a_candidate_in_the_pipeline_lifts_the_projection(world, chat_as):
    async with world.services.sessions() as session:
        async with session.begin():
            for n in range(2):
                source = await add_source(session, "DEMO-CB2", f"Đỗ Văn Thứ {n}", stage="awareness")
                source.awareness_date = date(2026, 6, 1)  # + 180 days (the default wait) = 28/11
    canbo = chat_as("canbo")
    text = await canbo.say("/tinhhinh DEMO-X1")
    assert "⚠️ Chi bộ thôn Vạn Thuận (mẫu) (DEMO-CB2): 0/2, chưa đánh giá 2 — chưa đạt chỉ tiêu" in text
    cb2 = await canbo.say("/tinhhinh DEMO-CB2")
    assert "Dự kiến đến 31/12/2026: 2/2 (thêm 2 cảm tình Đảng có khả năng kết nạp)" in cb2
    assert "Dự kiến không đạt" not in cb2
    assert "trong đó 2 cảm tình Đảng" in cb2


async def test_a_staff_report_does_not_hold_up_a_secretary(demo, chat_as, monkeypatch):
    """While a staff member's report is being counted, a secretary's /nguon is recorded and
    answered at once (on SQLite the report reads through its own connection and the staff
    member's update gives the writers' one back meanwhile; PostgreSQL has a pool)."""
    import asyncio

    import handlers.status as status

    started, release = asyncio.Event(), asyncio.Event()
    real = status.build_report

    async def slow(*args, **kwargs):
        started.set()
        await release.wait()
        return await real(*args, **kwargs)

    monkeypatch.setattr(status, "build_report", slow)
    staff = asyncio.create_task(chat_as("canbo").say("/tinhhinh"))
    await asyncio.wait_for(started.wait(), 10)
    answer = await asyncio.wait_for(chat_as("bithu").say("/nguon Nguyễn Văn Tư; 02/03/1999; đoàn viên"), 10)
    assert "Nguyễn Văn Tư" in answer
    release.set()
    report = await asyncio.wait_for(staff, 30)
    assert "(DEMO)" in report and "Nguyễn Văn Tư" not in report  # figures only, no names
