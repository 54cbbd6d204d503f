"""Two cells at once: secretaries neither see nor touch each other's people; roles and groups."""

from __future__ import annotations

from datetime import date

import pytest
from test_pipeline_support import get_source, insert_source, snapshot


@pytest.fixture
async def two(cells, chat_as):
    """bithu (DEMO-CB1) and bithu2 (DEMO-CB2), each with people of their own."""
    ours = await insert_source(cells, "Nguyễn Văn An", date(1993, 7, 14), org="DEMO-CB1")
    aware = await insert_source(cells, "Trần Thị Bình", date(1995, 1, 1), org="DEMO-CB1",
                                stage="awareness", awareness=date(2026, 9, 1))
    probation = await insert_source(cells, "Lê Văn Cường", date(1990, 1, 1), org="DEMO-CB1", stage="probationary",
                                    awareness=date(2024, 1, 1), admission=date(2025, 6, 1))
    theirs = await insert_source(cells, "Hồ Thị Xuân", date(1999, 9, 9), org="DEMO-CB2")
    return chat_as("bithu"), chat_as("bithu2"), {"an": ours, "binh": aware, "cuong": probation, "xuan": theirs}


async def test_each_secretary_lists_only_their_own_cell(cells, two):
    bithu, bithu2, ids = two
    mine, theirs = await bithu.say("/dsnguon tatca"), await bithu2.say("/dsnguon tatca")
    assert "Nguyễn Văn An" in mine and "Hồ Thị Xuân" not in mine
    assert "Hồ Thị Xuân" in theirs and "Nguyễn Văn An" not in theirs and "Lê Văn Cường" not in theirs


FOREIGN = [
    "/suanguon N{an}; ghi chú; x",
    "/suanguon N{an}",
    "/xoanguon N{an}; lý do",
    "/danhgia N{an}; tốt; x",
    "/lopnhanthuc N{an}; 01/11/2026",
    "/ketnap N{binh}; 20/11/2026",
    "/chinhthuc N{cuong}; 20/11/2026",
]


@pytest.mark.parametrize("line", FOREIGN)
async def test_another_cells_code_is_refused_without_revealing_the_person(cells, two, line):
    bithu, bithu2, ids = two
    before = await snapshot(cells)
    text = await bithu2.say(line.format(**ids))
    assert "không có người mã" in text.lower() and "chi bộ của đồng chí" in text
    for name in ("Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "14/07/1993", "01/01/1995"):
        assert name not in text
    assert await snapshot(cells) == before


async def test_another_cells_name_is_not_found(cells, two):
    bithu, bithu2, ids = two
    before = await snapshot(cells)
    assert "Không tìm thấy người tên" in await bithu2.say("/danhgia Nguyen Van An; tốt")
    assert "Không tìm thấy người tên" in await bithu.say("/xoanguon Hồ Thị Xuân; lý do")
    assert await snapshot(cells) == before


async def test_guided_lists_offer_only_own_people_and_forged_choices_fail(cells, two):
    bithu, bithu2, ids = two
    await bithu2.say("/suanguon")
    assert [c.value for c in bithu2.choices] == [f"pl.pick.{ids['xuan']}"]
    before = await snapshot(cells)
    text = await bithu2.press(f"pl.pick.{ids['an']}")  # a value from another cell's keyboard
    assert "Không có người mã" in text and "Nguyễn Văn An" not in text
    assert await snapshot(cells) == before
    await bithu2.say("/danhgia")
    assert "Hồ Thị Xuân" in bithu2.replies[-1].text
    await bithu2.press("pl.lvl.tot")
    await bithu2.press("pl.skip")
    source = await get_source(cells, ids["an"])
    assert source.stage == "source"


async def test_two_secretaries_working_at_the_same_time(cells, two):
    bithu, bithu2, ids = two
    await bithu.say("/nguon")
    await bithu2.say("/nguon")
    await bithu.say("Phan Văn Một")
    await bithu2.say("Phan Văn Hai")
    await bithu.say("01/01/2000")
    await bithu2.say("02/02/2000")
    await bithu.say("1")
    await bithu2.say("2")
    await bithu.say("9")
    await bithu2.say("9")
    await bithu.say("1")
    await bithu2.say("1")
    mine, theirs = await bithu.say("/dsnguon"), await bithu2.say("/dsnguon")
    assert "Phan Văn Một" in mine and "Phan Văn Hai" not in mine
    assert "Phan Văn Hai" in theirs and "Phan Văn Một" not in theirs and "trí thức" in theirs


async def test_staff_and_unregistered_users_get_the_cores_answers(cells, chat_as):
    before = await snapshot(cells)
    for command in ("/nguon An; 01/01/2000; dv", "/dsnguon", "/danhgia", "/ketnap", "/hoantac"):
        assert "không dành cho vai trò" in await chat_as("canbo").say(command)
        assert "chưa đăng ký" in await chat_as("stranger").say(command)
    assert await snapshot(cells) == before


async def test_personal_data_is_never_handled_in_a_group(cells, chat_as):
    group = chat_as("bithu", chat_type="group", chat_id="group-1")
    text = await group.say("/dsnguon")
    assert "trò chuyện riêng" in text
