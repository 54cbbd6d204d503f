"""/nguon, /dsnguon, /suanguon, /xoanguon through the conversation core, as a secretary types."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from test_pipeline_support import audits, get_source, insert_source, snapshot, source_by_name

from storage.models import Source


@pytest.fixture
def bithu(cells, chat_as):
    return chat_as("bithu")


# --- /nguon -----------------------------------------------------------------------------------
async def test_one_line_source_is_stored_with_code_and_audit(cells, bithu):
    text = await bithu.say("/nguon Nguyễn Văn An; 05/03/1998; đoàn viên, sinh viên; Bí thư chi đoàn thôn")
    source = await source_by_name(cells, "Nguyễn Văn An")
    assert f"✅ Đồng chí đã ghi nhận nguồn: quần chúng Nguyễn Văn An ({source.code}), sinh 05/03/1998" in text
    assert "đoàn viên thanh niên; học sinh, sinh viên" in text
    assert source.birth_date == date(1998, 3, 5) and source.stage == "source"
    assert sorted(c.category for c in source.categories) == ["doan_vien", "hoc_sinh_sinh_vien"]
    assert source.note == "Bí thư chi đoàn thôn"
    [row] = await audits(cells, "source.create")
    assert row.entity == "source" and row.entity_id == str(source.id) and row.before is None
    assert row.after["full_name"] == "Nguyễn Văn An" and row.after["birth_date"] == "1998-03-05"
    assert row.user_id is not None and row.org_id == source.org_id


async def test_guided_source_by_pressing_choices(cells, bithu):
    assert "bước 1/4" in await bithu.say("/nguon")
    assert "Bước 2/4" in await bithu.say("trần thị bình")
    assert "Bước 3/4" in await bithu.say("01/02/2000")
    values = [c.value for c in bithu.choices]
    assert len(values) == 9 and bithu.choices[-1].label == "Chọn xong"
    text = await bithu.press(values[0])  # đoàn viên
    assert "Đã chọn: đoàn viên thanh niên." in text
    assert bithu.choices[0].label.startswith("✓")
    await bithu.press(values[6])  # công nhân
    await bithu.press(values[0])  # untoggle đoàn viên
    assert "Bước 4/4" in await bithu.press(values[-1])
    text = await bithu.press(bithu.choices[0].value)  # Bỏ qua the note
    assert "quần chúng Trần Thị Bình" in text
    source = await source_by_name(cells, "Trần Thị Bình")
    assert [c.category for c in source.categories] == ["cong_nhan_tu_nhan"] and source.note == ""


async def test_guided_source_by_typing_numbers_on_console(cells, bithu):
    await bithu.say("/nguon")
    await bithu.say("Lê Văn Cường")
    await bithu.say("1/1/1995")
    await bithu.say("2")  # toggles trí thức
    await bithu.say("4")  # toggles dân quân tự vệ
    assert "Bước 4/4" in await bithu.say("9")  # Chọn xong
    await bithu.say("Cán bộ kỹ thuật")
    source = await source_by_name(cells, "Lê Văn Cường")
    assert [c.category for c in source.categories] == ["dan_quan_tu_ve", "tri_thuc"]
    assert source.note == "Cán bộ kỹ thuật"


async def test_typed_group_list_answers_the_group_step_at_once(cells, bithu):
    await bithu.say("/nguon Phạm Thị Dung")  # a partial line continues step by step
    await bithu.say("02/02/2002")
    assert "Bước 4/4" in await bithu.say("1, 5")
    await bithu.say("1")  # "Bỏ qua"
    source = await source_by_name(cells, "Phạm Thị Dung")
    assert [c.category for c in source.categories] == ["doan_vien", "hoc_sinh_sinh_vien"]


async def test_done_without_a_group_is_refused(cells, bithu):
    await bithu.say("/nguon Phạm Thị Dung; 02/02/2002")
    text = await bithu.press("pl.done")
    assert "chưa chọn nhóm nào" in text
    assert await source_by_name(cells, "Phạm Thị Dung") is None


async def test_decomposed_input_is_stored_composed(cells, bithu):
    line = unicodedata.normalize("NFD", "/nguon Nguyễn Thị Ánh Tuyết; 03/04/1999; Đoàn viên")
    text = await bithu.say(line)
    assert "Nguyễn Thị Ánh Tuyết" in text
    source = await source_by_name(cells, "Nguyen Thi Anh Tuyet")
    assert source.full_name == "Nguyễn Thị Ánh Tuyết"
    assert unicodedata.is_normalized("NFC", source.full_name)


async def test_name_without_diacritics_is_title_cased_and_found_later_by_either_spelling(cells, bithu):
    text = await bithu.say("/nguon nguyen van binh; 05/03/1998; dv")
    assert "Nguyen Van Binh" in text and "chưa có dấu" in text
    await bithu.say("/nguon Trần Văn Hùng; 05/03/1990; dv")
    text = await bithu.say("/suanguon tran van hung; ghi chú; Trưởng thôn")
    assert "quần chúng Trần Văn Hùng" in text  # the canonical spelling, not what was typed


async def test_duplicate_source_is_refused(cells, bithu):
    await bithu.say("/nguon Nguyễn Văn An; 05/03/1998; dv")
    before = await snapshot(cells)
    text = await bithu.say("/nguon nguyen van an; 5/3/1998; sinh vien")
    assert "đã có trong nguồn" in text
    assert await snapshot(cells) == before


BAD_NGUON = [
    ("/nguon Nguyễn Văn An; 31/02/2000; dv", "không có thật"),
    ("/nguon Nguyễn Văn An; 01/01/2030; dv", "tương lai"),
    ("/nguon Nguyễn Văn An; 1998; dv", "chưa đúng dạng"),
    ("/nguon Nguyễn Văn An; 01/01/2015; dv", "mới 11 tuổi"),
    ("/nguon Nguyễn Văn An; 01/01/1900; dv", "không hợp lý"),
    ("/nguon ; 05/03/1998; dv", "Chưa có họ tên"),
    ("/nguon 😀😀😀; 05/03/1998; dv", "phải có chữ cái"),
    ("/nguon An3; 05/03/1998; dv", "chữ số"),
    ("/nguon " + "Nguyễn " * 20 + "; 05/03/1998; dv", "từ 2 đến 100"),
    ("/nguon Nguyễn Văn An; 05/03/1998; abc", "Không nhận ra nhóm “abc”"),
    ("/nguon Nguyễn Văn An; 05/03/1998; 😀", "Không nhận ra nhóm"),
    ("/nguon Nguyễn Văn An; 05/03/1998; dv; " + "a" * 600, "tối đa 500"),
    ("/nguon Nguyễn Văn An; 05/03/1998; dv; 🎉🎉", "chỉ có biểu tượng"),
    ("/nguon Nguyễn Văn An; 05/03/1998; dv; " + "x" * 5000, "quá dài"),
]


@pytest.mark.parametrize("line, phrase", BAD_NGUON, ids=[f"bad{i}" for i in range(len(BAD_NGUON))])
async def test_bad_source_input_changes_nothing(cells, bithu, line, phrase):
    await insert_source(cells, "Trần Văn Có", date(1990, 1, 1))
    before = await snapshot(cells)
    text = await bithu.say(line)
    assert phrase in text
    assert "ví dụ" in text.lower() or "quá dài" in text
    assert await snapshot(cells) == before


async def test_bad_answer_in_a_guided_step_keeps_the_step(cells, bithu):
    await bithu.say("/nguon")
    await bithu.say("Võ Thị Em")
    text = await bithu.say("31/02/2000")
    assert "không có thật" in text
    text = await bithu.say("29/02/2000")
    assert "Bước 3/4" in text
    await bithu.say("khac")
    await bithu.say("1")
    source = await source_by_name(cells, "Võ Thị Em")
    assert source.birth_date == date(2000, 2, 29)
    assert [c.category for c in source.categories] == ["khac"]


async def test_cancel_in_the_middle_stores_nothing(cells, bithu):
    before = await snapshot(cells)
    await bithu.say("/nguon")
    await bithu.say("Võ Thị Em")
    assert "Đã hủy" in await bithu.say("/huy")
    assert await snapshot(cells) == before


# --- /dsnguon ---------------------------------------------------------------------------------
async def test_list_shows_stage_groups_evaluation_and_deadline(cells, bithu):
    assert "chưa có nguồn" in await bithu.say("/dsnguon")
    a = await insert_source(cells, "Nguyễn Văn An", date(1998, 3, 5), categories=("doan_vien", "tri_thuc"))
    b = await insert_source(cells, "Trần Thị Bình", date(1995, 1, 1), stage="awareness", awareness=date(2026, 9, 1))
    c = await insert_source(cells, "Lê Văn Cường", date(1990, 1, 1), stage="probationary",
                            awareness=date(2025, 9, 1), admission=date(2026, 1, 15))
    d = await insert_source(cells, "Đỗ Văn Dũng", date(1980, 1, 1), stage="full")
    await bithu.say(f"/danhgia N{a}; khá")
    text = await bithu.say("/dsnguon")
    assert f"N{a} · Nguyễn Văn An — quần chúng ưu tú (nguồn)" in text
    assert "nhóm: đoàn viên thanh niên; trí thức; đánh giá quý IV/2026: khá" in text
    assert f"N{b} · Trần Thị Bình — cảm tình Đảng" in text and "chưa đánh giá quý IV/2026" in text
    assert f"N{c} · Lê Văn Cường — đảng viên dự bị từ 15/01/2026; hạn xét công nhận chính thức: 05/03/2027" in text
    assert f"N{d}" not in text and "Không hiện 1 người" in text
    text = await bithu.say("/dsnguon tất cả")
    assert f"N{d} · Đỗ Văn Dũng — đảng viên chính thức" in text
    assert "Cách dùng" in await bithu.say("/dsnguon linh tinh")


async def test_long_lists_are_split_to_fit_a_message(cells, bithu):
    for i in range(60):
        await insert_source(cells, f"Nguyễn Văn Người Thứ {'ABCDEFGHIJKLMNOPQRSTUVWXYZ'[i % 26]}{'abc'[i // 26]}",
                            date(1990, 1, 1) if i % 2 else date(1991, 1, 1))
    replies = await bithu.send("/dsnguon")
    assert len(replies) >= 2 and all(len(r.text) <= 4096 for r in replies)
    assert sum(r.text.count(" · ") for r in replies) == 60


# --- /suanguon --------------------------------------------------------------------------------
async def test_edit_each_field_in_one_line(cells, bithu):
    sid = await insert_source(cells, "Nguyễn Văn An", date(1998, 3, 5))
    text = await bithu.say(f"/suanguon N{sid}; tên; nguyễn văn ân")
    assert "“Nguyễn Văn An” → “Nguyễn Văn Ân”" in text
    text = await bithu.say(f"/suanguon n{sid}; ngay sinh; 06/03/1998")
    assert "“05/03/1998” → “06/03/1998”" in text
    await bithu.say(f"/suanguon {sid}; nhóm; tri thuc + dqtv")
    await bithu.say(f"/suanguon N{sid}; ghi chú; Giáo viên; trường THCS")
    source = await get_source(cells, sid)
    assert source.full_name == "Nguyễn Văn Ân" and source.name_key == "nguyen van an"
    assert source.birth_date == date(1998, 3, 6)
    assert [c.category for c in source.categories] == ["dan_quan_tu_ve", "tri_thuc"]
    assert source.note == "Giáo viên; trường THCS"
    rows = await audits(cells, "source.update")
    assert len(rows) == 4
    assert rows[0].before["full_name"] == "Nguyễn Văn An" and rows[0].after["full_name"] == "Nguyễn Văn Ân"


async def test_guided_edit_of_groups_starts_from_the_current_ones(cells, bithu):
    sid = await insert_source(cells, "Nguyễn Văn An", date(1998, 3, 5), categories=("doan_vien",))
    await bithu.say("/suanguon")
    await bithu.press(f"pl.pick.{sid}")
    text = await bithu.press("pl.field.categories")
    assert "Đã chọn: đoàn viên thanh niên." in text
    await bithu.press("pl.cat.nong_thon")
    text = await bithu.press("pl.done")
    assert "“đoàn viên thanh niên” → “đoàn viên thanh niên; khu vực nông thôn”" in text


async def test_guided_edit_by_typing_numbers(cells, bithu):
    sid = await insert_source(cells, "Nguyễn Văn An", date(1998, 3, 5), note="cũ")
    await bithu.say("/suanguon")
    await bithu.say("1")  # the only person
    await bithu.say("4")  # Ghi chú
    text = await bithu.say("1")  # Xóa ghi chú
    assert "“cũ” → “(trống)”" in text
    assert (await get_source(cells, sid)).note == ""


BAD_EDITS = [
    ("tên; 😀", "phải có chữ cái"),
    ("tên; ", "Cách sửa một mục"),
    ("ngày sinh; 31/02/2000", "không có thật"),
    ("ngày sinh; 01/01/2099", "tương lai"),
    ("nhóm; abc", "Không nhận ra nhóm"),
    ("màu mắt; xanh", "Không có mục “màu mắt”"),
    ("ghi chú; " + "b" * 501, "tối đa 500"),
]


@pytest.mark.parametrize("rest, phrase", BAD_EDITS, ids=[f"bad{i}" for i in range(len(BAD_EDITS))])
async def test_bad_edit_changes_nothing(cells, bithu, rest, phrase):
    sid = await insert_source(cells, "Nguyễn Văn An", date(1998, 3, 5))
    before = await snapshot(cells)
    text = await bithu.say(f"/suanguon N{sid}; {rest}")
    if phrase == "Cách sửa một mục":  # an empty value continues step by step instead
        assert "Họ tên mới" in text
        return
    assert phrase in text
    assert await snapshot(cells) == before


async def test_birth_date_edit_cannot_make_a_member_too_young_at_admission(cells, bithu):
    sid = await insert_source(cells, "Nguyễn Văn An", date(1998, 3, 5), stage="probationary",
                              awareness=date(2026, 1, 1), admission=date(2026, 2, 1))
    before = await snapshot(cells)
    text = await bithu.say(f"/suanguon N{sid}; ngày sinh; 01/05/2008")
    assert "chưa đủ 18 tuổi vào ngày kết nạp 01/02/2026" in text
    assert await snapshot(cells) == before


async def test_removed_person_cannot_be_edited(cells, bithu):
    sid = await insert_source(cells, "Nguyễn Văn An", date(1998, 3, 5), stage="removed")
    text = await bithu.say(f"/suanguon N{sid}; ghi chú; x")
    assert "đã được đưa ra khỏi nguồn" in text


# --- /xoanguon --------------------------------------------------------------------------------
async def test_remove_in_one_line(cells, bithu, clock):
    sid = await insert_source(cells, "Nguyễn Văn An", date(1998, 3, 5))
    text = await bithu.say(f"/xoanguon N{sid}; chuyển đi nơi khác")
    assert "ra khỏi nguồn. Lý do: chuyển đi nơi khác" in text
    source = await get_source(cells, sid)
    assert source.stage == "removed" and source.removed_reason == "chuyển đi nơi khác"
    assert source.removed_at == clock.now
    [row] = await audits(cells, "source.remove")
    assert row.before["stage"] == "source" and row.after["stage"] == "removed"
    assert f"N{sid}" not in await bithu.say("/dsnguon")


async def test_guided_remove_asks_for_confirmation(cells, bithu):
    sid = await insert_source(cells, "Nguyễn Văn An", date(1998, 3, 5))
    before = await snapshot(cells)
    await bithu.say("/xoanguon")
    await bithu.press(f"pl.pick.{sid}")
    text = await bithu.say("không còn phấn đấu")
    assert "với lý do: “không còn phấn đấu”?" in text
    assert "Đã hủy" in await bithu.press("pl.no")
    assert await snapshot(cells) == before
    await bithu.say("/xoanguon")
    await bithu.say("nguyen van an")  # by name
    await bithu.say("không còn phấn đấu")
    await bithu.say("1")  # Đồng ý
    assert (await get_source(cells, sid)).stage == "removed"


async def test_remove_needs_a_real_reason(cells, bithu):
    sid = await insert_source(cells, "Nguyễn Văn An", date(1998, 3, 5))
    before = await snapshot(cells)
    text = await bithu.say(f"/xoanguon N{sid}; 😀")
    assert "Lý do phải có chữ" in text
    assert await snapshot(cells) == before


async def test_probationary_member_can_be_struck_off_but_keeps_the_admission(cells, bithu):
    sid = await insert_source(cells, "Nguyễn Văn An", date(1998, 3, 5), stage="probationary",
                              awareness=date(2025, 1, 1), admission=date(2025, 6, 1))
    text = await bithu.say(f"/xoanguon N{sid}; không được đề nghị công nhận")
    # a member's removal typed on one line is confirmed too
    assert "Xóa tên đảng viên dự bị Nguyễn Văn An" in text and "?" in text
    assert (await get_source(cells, sid)).stage == "probationary"
    text = await bithu.say("đồng ý")  # the label typed
    assert "khỏi danh sách đảng viên dự bị" in text
    source = await get_source(cells, sid)
    assert source.stage == "removed" and source.admission_date == date(2025, 6, 1)


async def test_full_member_cannot_be_removed(cells, bithu):
    sid = await insert_source(cells, "Nguyễn Văn An", date(1980, 3, 5), stage="full")
    assert "không đưa ra khỏi nguồn được" in await bithu.say(f"/xoanguon N{sid}; lý do")


# --- finding people ---------------------------------------------------------------------------
async def test_several_people_with_the_name_are_offered_then_the_line_goes_on(cells, bithu):
    first = await insert_source(cells, "Nguyễn Văn An", date(1998, 3, 5))
    second = await insert_source(cells, "Nguyễn Văn An", date(2000, 7, 7))
    text = await bithu.say("/suanguon nguyen van an; ghi chú; Thôn 2")
    assert "Có 2 người tên" in text
    assert {c.value for c in bithu.choices} == {f"pl.pick.{first}", f"pl.pick.{second}"}
    assert "sinh 07/07/2000" in bithu.choices[1].label
    text = await bithu.press(f"pl.pick.{second}")
    assert "“(trống)” → “Thôn 2”" in text
    assert (await get_source(cells, second)).note == "Thôn 2"
    assert (await get_source(cells, first)).note == ""


async def test_unknown_name_and_code(cells, bithu):
    await insert_source(cells, "Nguyễn Văn An", date(1998, 3, 5))
    assert "Không tìm thấy người tên “Hoàng Văn Zê”" in await bithu.say("/suanguon Hoàng Văn Zê; ghi chú; x")
    assert "Không có người mã N99999" in await bithu.say("/suanguon N99999; ghi chú; x")
    assert "không phải mã" in await bithu.say("/suanguon 🙂; ghi chú; x")
    assert "Không có người mã N99999999" in await bithu.say("/suanguon N99999999; ghi chú; x")


async def test_partial_name_matches_whole_words_only(cells, bithu):
    sid = await insert_source(cells, "Nguyễn Văn An", date(1998, 3, 5))
    await insert_source(cells, "Trần Thị Lan", date(1998, 3, 5))
    text = await bithu.say("/suanguon van an; ghi chú; x")
    assert f"quần chúng Nguyễn Văn An (N{sid})" in text
    assert "Không tìm thấy" in await bithu.say("/suanguon la; ghi chú; x")


async def test_source_model_code_property(cells):
    sid = await insert_source(cells, "Nguyễn Văn An", date(1998, 3, 5))
    assert Source(id=sid).code == f"N{sid}"
