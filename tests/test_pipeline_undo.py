"""/hoantac: undo one's own last change within 10 minutes, audited, never someone else's."""

from __future__ import annotations

from datetime import date

import pytest
from test_pipeline_support import audits, evaluations, get_source, insert_source, snapshot


@pytest.fixture
def bithu(cells, chat_as):
    return chat_as("bithu")


async def test_undo_a_new_source_deletes_it(cells, bithu, clock):
    await bithu.say("/nguon Nguyễn Văn An; 05/03/1998; dv")
    [created] = await audits(cells, "source.create")
    clock.advance(minutes=9)
    text = await bithu.say("/hoantac")
    assert "↩️ Đồng chí đã hoàn tác: ghi nhận nguồn quần chúng Nguyễn Văn An" in text
    assert "đã được xóa khỏi danh sách" in text
    assert await get_source(cells, int(created.entity_id)) is None
    [created] = await audits(cells, "source.create")
    assert created.undone is True
    [undo] = await audits(cells, "undo")
    assert undo.before["undo_of"] == created.id and undo.after["state"] is None
    assert undo.entity == "source" and undo.entity_id == created.entity_id
    assert "chưa có thay đổi nào" in await bithu.say("/hoantac")


async def test_undo_after_ten_minutes_is_refused(cells, bithu, clock):
    await bithu.say("/nguon Nguyễn Văn An; 05/03/1998; dv")
    clock.advance(minutes=11)
    before = await snapshot(cells)
    text = await bithu.say("/hoantac")
    assert "đã quá 10 phút" in text and "10:00 26/11/2026" in text
    assert await snapshot(cells) == before


async def test_undo_admission_returns_to_the_awareness_stage(cells, bithu):
    sid = await insert_source(cells, "Nguyễn Văn An", date(1998, 3, 5), stage="awareness", awareness=date(2026, 10, 1))
    await bithu.say(f"/ketnap N{sid}; 20/11/2026; 12-QĐ")
    text = await bithu.say("/hoantac")
    assert "ghi nhận kết nạp quần chúng Nguyễn Văn An" in text and "cảm tình Đảng" in text
    source = await get_source(cells, sid)
    assert source.stage == "awareness" and source.awareness_date == date(2026, 10, 1)
    assert (source.admission_date, source.decision_no, source.recognition_deadline) == (None, None, None)


async def test_undo_walks_back_one_change_at_a_time(cells, bithu):
    sid = await insert_source(cells, "Nguyễn Văn An", date(1998, 3, 5), categories=("doan_vien",))
    await bithu.say(f"/suanguon N{sid}; tên; Nguyễn Văn Ân")
    await bithu.say(f"/suanguon N{sid}; nhóm; 2")
    text = await bithu.say("/hoantac")
    assert "sửa nhóm của quần chúng Nguyễn Văn Ân" in text
    text = await bithu.say("/hoantac")
    assert "sửa họ tên của quần chúng Nguyễn Văn Ân" in text
    source = await get_source(cells, sid)
    assert source.full_name == "Nguyễn Văn An" and source.name_key == "nguyen van an"
    assert [c.category for c in source.categories] == ["doan_vien"]


async def test_undo_removal_and_evaluation_replace(cells, bithu):
    sid = await insert_source(cells, "Nguyễn Văn An", date(1998, 3, 5))
    await bithu.say(f"/danhgia N{sid}; khá; ổn")
    await bithu.say(f"/danhgia N{sid}; chưa đạt; kém")
    text = await bithu.say("/hoantac")
    assert "đánh giá lại quý IV/2026 của quần chúng Nguyễn Văn An" in text and "trở lại mức khá" in text
    [row] = await evaluations(cells)
    assert (row.level, row.comment) == ("kha", "ổn")
    await bithu.say(f"/xoanguon N{sid}; nhầm người")
    await bithu.say("/hoantac")
    source = await get_source(cells, sid)
    assert source.stage == "source" and source.removed_reason is None and source.removed_at is None
    text = await bithu.say("/hoantac")  # now the first evaluation
    assert "Quý IV/2026 chưa có đánh giá" in text
    assert await evaluations(cells) == []


async def test_only_ones_own_changes_are_undone(cells, bithu, chat_as):
    deputy = chat_as("phobithu")  # a second secretary of the same cell
    sid = await insert_source(cells, "Nguyễn Văn An", date(1998, 3, 5))
    await deputy.say(f"/suanguon N{sid}; ghi chú; của phó bí thư")
    before = await snapshot(cells)
    assert "chưa có thay đổi nào" in await bithu.say("/hoantac")
    assert await snapshot(cells) == before


async def test_a_change_overtaken_by_someone_else_is_not_undone(cells, bithu, chat_as):
    sid = await insert_source(cells, "Nguyễn Văn An", date(1998, 3, 5))
    await bithu.say(f"/suanguon N{sid}; ghi chú; bí thư ghi")
    await chat_as("phobithu").say(f"/suanguon N{sid}; ghi chú; phó bí thư sửa")
    before = await snapshot(cells)
    text = await bithu.say("/hoantac")
    assert "Không hoàn tác được" in text and "đã được thay đổi sau đó" in text
    assert await snapshot(cells) == before
    assert (await get_source(cells, sid)).note == "phó bí thư sửa"


async def test_undo_of_a_creation_is_refused_once_someone_evaluated_it(cells, bithu, chat_as):
    await bithu.say("/nguon Nguyễn Văn An; 05/03/1998; dv")
    [created] = await audits(cells, "source.create")
    await chat_as("phobithu").say(f"/danhgia N{created.entity_id}; tốt")
    text = await bithu.say("/hoantac")
    assert "Không hoàn tác được" in text
    assert await get_source(cells, int(created.entity_id)) is not None


async def test_other_cells_secretary_cannot_undo_anything_here(cells, bithu, chat_as):
    await bithu.say("/nguon Nguyễn Văn An; 05/03/1998; dv")
    before = await snapshot(cells)
    assert "chưa có thay đổi nào" in await chat_as("bithu2").say("/hoantac")
    assert await snapshot(cells) == before
