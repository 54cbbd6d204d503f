"""Issue 12: the secretary's everyday experience, as the exchanges a secretary has on a phone —
the wrong line, the repair, the stored row — on SQLite and PostgreSQL (the `cells` fixture)."""

from __future__ import annotations

import asyncio
import io
import os
from datetime import date, datetime

import pytest
from sqlalchemy import select
from test_pipeline_support import audits, evaluations, get_source, insert_source, snapshot, source_by_name

from bot.channels.console import run_console
from domain import pipeline as p
from domain.errors import RuleError
from domain.holidays import is_holiday
from storage.models import OrgUnit, Source


@pytest.fixture
def bithu(cells, chat_as):
    return chat_as("bithu")


def lines_of(text: str) -> list[str]:
    return text.splitlines()


# --- forgiving one-line input -------------------------------------------------------------------
async def test_a_wrong_date_on_the_line_keeps_the_other_fields_and_asks_for_the_date(cells, bithu):
    text = await bithu.say("/nguon Đặng Thị Hoa; 10/13/1995; nong thon")
    assert "tháng phải từ 1 đến 12" in text and "tháng 2" not in text
    assert "Đồng chí gõ lại ngày sinh (các mục khác đã được giữ lại):" in text
    assert await source_by_name(cells, "Đặng Thị Hoa") is None  # nothing stored yet
    text = await bithu.say("13/10/1995")  # the repair: the date alone, not taken as a question
    assert "✅ Đồng chí đã ghi nhận nguồn: quần chúng Đặng Thị Hoa" in text and "khu vực nông thôn" in text
    source = await source_by_name(cells, "Đặng Thị Hoa")
    assert source.birth_date == date(1995, 10, 13) and [c.category for c in source.categories] == ["nong_thon"]


async def test_a_wrong_group_asks_for_the_groups_with_their_buttons(cells, bithu):
    text = await bithu.say("/nguon Đặng Thị Hoa; 13/10/1995; nông dân tập thể xyz; làm ruộng")
    assert "Không nhận ra nhóm" in text and len(bithu.choices) == 9
    text = await bithu.say("6")  # toggles "khu vực nông thôn"
    text = await bithu.press("pl.done")
    assert "✅" in text and "Ghi chú: làm ruộng" in text  # the note after the wrong part is kept
    assert (await source_by_name(cells, "Đặng Thị Hoa")).note == "làm ruộng"


async def test_a_wrong_value_of_an_edit_is_asked_again_in_the_dialog(cells, bithu):
    sid = await insert_source(cells, "Nguyễn Văn An", date(1998, 3, 5))
    text = await bithu.say(f"/suanguon N{sid}; ngày sinh; 31/02/1999")
    assert "không có thật" in text and "Đồng chí gõ lại ngày sinh" in text
    text = await bithu.say("28/02/1999")
    assert "“05/03/1998” → “28/02/1999”" in text
    assert (await get_source(cells, sid)).birth_date == date(1999, 2, 28)
    [row] = await audits(cells, "source.update")
    assert row.before["birth_date"] == "1998-03-05" and row.after["birth_date"] == "1999-02-28"


async def test_an_unknown_person_on_the_line_is_asked_again_and_the_rest_applied(cells, bithu):
    sid = await insert_source(cells, "Nguyễn Văn An", date(1998, 3, 5))
    text = await bithu.say("/danhgia N999; khá; tích cực")
    assert "Không có người mã N999" in text and "gõ lại mã hoặc họ tên" in text
    text = await bithu.say(f"N{sid}")
    assert "✅ Đã ghi đánh giá quý IV/2026: quần chúng Nguyễn Văn An" in text and "tích cực" in text
    [row] = await evaluations(cells)
    assert (row.level, row.comment) == ("kha", "tích cực")


async def test_a_duplicate_person_ends_the_line_instead_of_asking_again(cells, bithu):
    await insert_source(cells, "Nguyễn Văn An", date(1998, 3, 5))
    text = await bithu.say("/nguon Nguyễn Văn An; 05/03/1998; dv")
    assert "đã có trong nguồn" in text and "gõ lại" not in text
    assert "đã có trong nguồn" not in await bithu.say("/trogiup")  # no dialog left open


# --- separators ---------------------------------------------------------------------------------
async def test_commas_separate_the_fields_when_the_second_is_a_date(cells, bithu):
    text = await bithu.say("/nguon Nguyen Van An, 05/03/1998, doan vien")
    assert "✅" in text
    source = await source_by_name(cells, "Nguyen Van An")
    assert source.birth_date == date(1998, 3, 5) and [c.category for c in source.categories] == ["doan_vien"]
    text = await bithu.say("/nguon Lê Thị Mai, 02/02/2000, sinh viên, nông thôn, lớp trưởng, học giỏi")
    mai = await source_by_name(cells, "Lê Thị Mai")
    assert [c.category for c in mai.categories] == ["hoc_sinh_sinh_vien", "nong_thon"]
    assert mai.note == "lớp trưởng, học giỏi"


async def test_new_lines_separate_the_fields(cells, bithu):
    text = await bithu.say("/nguon Lê Thị Mai\n02/02/2000\nsinh viên, nông thôn\nlớp trưởng; học giỏi")
    assert "✅" in text
    mai = await source_by_name(cells, "Lê Thị Mai")
    assert [c.category for c in mai.categories] == ["hoc_sinh_sinh_vien", "nong_thon"]
    assert mai.note == "lớp trưởng; học giỏi"


async def test_a_semicolon_at_the_end_of_a_line_is_one_separator_with_the_line_break(cells, bithu):
    assert p.split_args("An;\n05/03/1998 ;\n dv") == ["An", "05/03/1998", "dv"]
    sid = await insert_source(cells, "Nguyễn Văn An", date(1998, 3, 5))
    text = await bithu.say(f"/suanguon N{sid}; ghi chú;\nxóm 3")
    assert "“xóm 3”" in text and (await get_source(cells, sid)).note == "xóm 3"


async def test_a_line_without_separators_gets_a_hint_about_them(cells, bithu):
    text = await bithu.say("/nguon Nguyen Van An 05/03/1998 doan vien")
    assert "không được có chữ số" in text and "dấu chấm phẩy “;” hoặc xuống dòng" in text


async def test_commas_in_other_one_line_commands(cells, bithu):
    sid = await insert_source(cells, "Nguyễn Văn An", date(1998, 3, 5))
    await bithu.say(f"/danhgia N{sid}, khá, tích cực, gương mẫu")
    [row] = await evaluations(cells)
    assert (row.level, row.comment) == ("kha", "tích cực, gương mẫu")
    await bithu.say(f"/suanguon N{sid}, ghi chú, Bí thư chi đoàn, thôn 3")
    assert (await get_source(cells, sid)).note == "Bí thư chi đoàn, thôn 3"
    await bithu.say(f"/lopnhanthuc N{sid}, 01/10/2026, 12/GCN")
    source = await get_source(cells, sid)
    assert (source.stage, source.awareness_date, source.certificate_no) == ("awareness", date(2026, 10, 1), "12/GCN")


# --- typing the label of an offered choice, at the step itself -------------------------------------
async def test_typing_bo_qua_at_the_comment_step_skips_the_comment(cells, bithu):
    sid = await insert_source(cells, "Nguyễn Văn An", date(1998, 3, 5))
    await bithu.say(f"/danhgia N{sid}")
    await bithu.say("khá")
    text = await bithu.say("bỏ qua")
    assert "✅ Đã ghi đánh giá" in text and "nhận xét" not in text
    [row] = await evaluations(cells)
    assert row.comment == ""


async def test_typing_dung_lai_and_bo_qua_nguoi_nay_in_the_round(cells, bithu):
    await insert_source(cells, "Nguyễn Văn An", date(1998, 3, 5))
    await insert_source(cells, "Trần Thị Bình", date(1999, 3, 5))
    await insert_source(cells, "Lê Văn Cường", date(1997, 3, 5))
    text = await bithu.say("/danhgia")
    assert "(1/3)" in text
    text = await bithu.say("bo qua nguoi nay")  # without diacritics
    assert "(2/3)" in text
    text = await bithu.say("Dừng lại")
    assert "Đã dừng" in text and "còn 3 người" in text
    assert await evaluations(cells) == []


async def test_typing_bo_qua_at_an_optional_step(cells, bithu):
    await bithu.say("/nguon Lê Thị Mai; 02/02/2000")
    await bithu.say("sv")
    assert "✅" in await bithu.say("Bỏ qua")
    assert (await source_by_name(cells, "Lê Thị Mai")).note == ""


# --- removals of members are always confirmed -------------------------------------------------------
async def test_one_line_removal_of_a_probationary_member_asks_and_can_be_declined(cells, bithu):
    sid = await insert_source(cells, "Nguyễn Văn An", date(1998, 3, 5), stage="probationary",
                              awareness=date(2025, 1, 1), admission=date(2025, 6, 1))
    before = await snapshot(cells)
    text = await bithu.say(f"/xoanguon N{sid}; không được đề nghị công nhận")
    assert "Xóa tên đảng viên dự bị Nguyễn Văn An" in text
    assert [c.label for c in bithu.choices] == ["Đồng ý", "Không, hủy"]
    assert "Đã hủy" in await bithu.say("không, hủy")
    assert await snapshot(cells) == before


async def test_one_line_removal_of_a_source_needs_no_confirmation(cells, bithu):
    sid = await insert_source(cells, "Nguyễn Văn An", date(1998, 3, 5))
    assert "✅" in await bithu.say(f"/xoanguon N{sid}; chuyển đi nơi khác")
    assert (await get_source(cells, sid)).stage == "removed"


# --- names and codes --------------------------------------------------------------------------------
async def test_the_diacritics_hint_names_the_person_themselves(cells, bithu):
    await bithu.say("/nguon Nguyễn Văn An; 05/03/1998; dv")
    text = await bithu.say("/nguon tran thi binh; 12/08/2000; sinh vien")
    binh = await source_by_name(cells, "Tran Thi Binh")
    assert f"/suanguon {binh.code}; tên; Tran Thi Binh" in text
    assert "Nguyễn Văn An" not in text


async def test_a_single_word_is_not_a_full_name(cells, bithu):
    text = await bithu.say("/nguon An; 05/03/1998; dv")
    assert "mới có một từ" in text and "gõ lại họ tên" in text
    assert await source_by_name(cells, "An") is None
    assert "✅" in await bithu.say("Nguyễn Văn An")
    assert (await source_by_name(cells, "Nguyễn Văn An")).birth_date == date(1998, 3, 5)


async def test_a_code_is_never_given_twice_even_after_undo(cells, bithu):
    await bithu.say("/nguon Nguyễn Văn An; 05/03/1998; dv")
    await bithu.say("/nguon Trần Thị Bình; 05/03/1999; dv")
    second = await source_by_name(cells, "Trần Thị Bình")
    assert "đã được xóa khỏi danh sách" in await bithu.say("/hoantac")
    text = await bithu.say("/nguon Lê Văn Cường; 05/03/1997; dv")
    third = await source_by_name(cells, "Lê Văn Cường")
    assert third.id > second.id and f"({third.code})" in text and f"({second.code})" not in text
    # the code that was undone still names only the first person in the audit log
    created = {row.entity_id for row in await audits(cells, "source.create")}
    assert created == {str((await source_by_name(cells, "Nguyễn Văn An")).id), str(second.id), str(third.id)}


# --- dates ----------------------------------------------------------------------------------------
async def test_two_digit_years_and_relative_days(cells, bithu):
    await bithu.say("/nguon Lê Văn Tư; 5/3/98; dv")
    tu = await source_by_name(cells, "Lê Văn Tư")
    assert tu.birth_date == date(1998, 3, 5)
    text = await bithu.say(f"/lopnhanthuc {tu.code}; hôm qua")
    assert "ngày 25/11/2026" in text
    await bithu.say("/nguon Phạm Văn Năm; 01/01/05; sv")  # 2005, not 1905
    assert (await source_by_name(cells, "Phạm Văn Năm")).birth_date == date(2005, 1, 1)
    sid = (await source_by_name(cells, "Phạm Văn Năm")).id
    text = await bithu.say(f"/lopnhanthuc N{sid}; hom nay")
    assert "ngày 26/11/2026" in text


def test_impossible_dates_get_the_right_explanation():
    with pytest.raises(RuleError) as month:
        p.parse_past_date("32/13/2000", today=date(2026, 11, 26), what="ngày sinh", example="05/03/1998")
    assert "tháng phải từ 1 đến 12" in month.value.text and "tháng 2" not in month.value.text
    with pytest.raises(RuleError) as day:
        p.parse_past_date("31/04/2000", today=date(2026, 11, 26), what="ngày sinh", example="05/03/1998")
    assert "tháng đó không có ngày này" in day.value.text and "05/03/1998" in day.value.text


# --- deadlines as the cell thinks of them -------------------------------------------------------------
def test_the_recognition_deadline_skips_public_holidays():
    # 12 months after 20/11/2025 end on 20/11/2026; counting weekdays only, the 30th would be
    # Friday 01/01/2027 (Tết Dương lịch). Skipping 24/11/2026 and 01/01/2027: Tuesday 05/01/2027.
    assert p.recognition_deadline(date(2025, 11, 20)) == date(2027, 1, 5)
    assert is_holiday(date(2027, 1, 1)) and is_holiday(date(2027, 2, 8))  # Tết Nguyên đán 2027 (lunar)
    assert not is_holiday(p.recognition_deadline(date(2025, 11, 20)))


async def test_the_flag_shows_from_the_day_the_twelve_months_end(cells, bithu, clock):
    # admitted 20/11/2025: 12 months ended 20/11/2026, deadline 05/01/2027 (40 days ahead)
    sid = await insert_source(cells, "Nguyễn Văn An", date(1990, 3, 5), stage="probationary",
                              awareness=date(2025, 1, 1), admission=date(2025, 11, 20))
    text = await bithu.say("/dsnguon")
    assert "hạn xét công nhận chính thức: 05/01/2027 ⏰ cần xét công nhận" in text
    assert "⏰ cần xét công nhận" in await bithu.say(f"/xem N{sid}")
    assert not p.needs_recognition(date(2025, 11, 20), date(2027, 1, 5), date(2026, 11, 19))
    assert p.needs_recognition(date(2025, 11, 20), date(2027, 1, 5), date(2026, 11, 20))


# --- wording -----------------------------------------------------------------------------------------
async def test_a_member_is_not_named_by_the_stage_twice(cells, bithu):
    sid = await insert_source(cells, "Nguyễn Văn An", date(1990, 3, 5), stage="probationary",
                              awareness=date(2025, 1, 1), admission=date(2025, 11, 20))
    text = await bithu.say(f"/danhgia N{sid}; khá")
    assert "Đồng chí Nguyễn Văn An (N" in text and "hiện là đảng viên dự bị" in text
    assert "Đảng viên dự bị Nguyễn Văn An" not in text


async def test_undoing_a_probationary_removal_uses_the_words_of_the_removal(cells, bithu):
    sid = await insert_source(cells, "Nguyễn Văn An", date(1990, 3, 5), stage="probationary",
                              awareness=date(2025, 1, 1), admission=date(2025, 11, 20))
    await bithu.say(f"/xoanguon N{sid}; không được đề nghị")
    assert "xóa tên" in await bithu.say("đồng ý")
    text = await bithu.say("/hoantac")
    assert "xóa tên đảng viên dự bị Nguyễn Văn An" in text and "ra khỏi nguồn" not in text
    assert (await get_source(cells, sid)).stage == "probationary"


async def test_late_undo_of_an_evaluation_suggests_evaluating_again(cells, bithu, clock):
    sid = await insert_source(cells, "Nguyễn Văn An", date(1998, 3, 5))
    await bithu.say(f"/danhgia N{sid}; khá")
    clock.advance(minutes=11)
    text = await bithu.say("/hoantac")
    assert "đã quá 10 phút" in text and f"/danhgia N{sid}; mức; nhận xét" in text
    assert "ngày sinh" not in text


# --- /dsnguon order and the record ----------------------------------------------------------------------
async def test_list_in_vietnamese_order_with_a_choice_per_person(cells, bithu):
    binh = await insert_source(cells, "Lê Văn Bình", date(1998, 3, 5))
    an2 = await insert_source(cells, "Trần Thị An", date(1998, 3, 5))
    an1 = await insert_source(cells, "Nguyễn An", date(1998, 3, 5))
    text = await bithu.say("/dsnguon")
    order = [line.split(" · ")[0] for line in lines_of(text) if " · " in line]
    assert order == [f"N{an1}", f"N{an2}", f"N{binh}"]  # given name, then middle name, then surname
    assert [c.value for c in bithu.choices] == [f"xem:{an1}", f"xem:{an2}", f"xem:{binh}"]
    record = await bithu.say("2")  # on the console, typing the number opens that record
    assert "📋 Hồ sơ quần chúng Trần Thị An" in record


async def test_the_record_shows_everything_and_who_changed_what(cells, bithu, clock):
    await bithu.say("/nguon Nguyễn Văn An; 05/03/1997; đoàn viên; Bí thư chi đoàn")
    source = await source_by_name(cells, "Nguyễn Văn An")
    code = source.code
    clock.advance(minutes=1)
    await bithu.say(f"/suanguon {code}; ngày sinh; 05/03/1998")
    await bithu.say(f"/lopnhanthuc {code}; 01/10/2026; 125/GCN-TTCT")
    await bithu.say(f"/danhgia {code}; tốt; tích cực, gương mẫu")
    text = await bithu.say(f"/xem {code}")
    assert text.startswith(f"📋 Hồ sơ quần chúng Nguyễn Văn An ({code})")
    for expected in [
        "Sinh 05/03/1998 (28 tuổi) · Chi bộ thôn Thanh Liêm (mẫu)",
        "Giai đoạn: cảm tình Đảng", "Nhóm: đoàn viên thanh niên", "Ghi chú: Bí thư chi đoàn",
        "Học xong lớp nhận thức về Đảng: 01/10/2026, giấy chứng nhận số 125/GCN-TTCT",
        "• Quý IV/2026: mức tốt, nhận xét “tích cực, gương mẫu”",
        "Lịch sử thay đổi:",
        "• 26/11/2026 10:00 Nguyễn Văn Bình đã ghi nhận vào nguồn",
        "• 26/11/2026 10:01 Nguyễn Văn Bình đã sửa ngày sinh: “05/03/1997” → “05/03/1998”",
        "• 26/11/2026 10:01 Nguyễn Văn Bình đã đánh giá quý IV/2026: tốt",
    ]:
        assert expected in text, expected
    assert len(lines_of(text)) <= 25
    assert text == await bithu.say("/xem nguyen van an")  # by name, without diacritics


async def test_the_record_of_a_recognised_member_with_the_decisions(cells, bithu):
    sid = await insert_source(cells, "Lê Văn Cường", date(1990, 1, 1), stage="probationary",
                              awareness=date(2024, 1, 1), admission=date(2025, 6, 2))
    text = await bithu.say(f"/chinhthuc N{sid}; 10/06/2026; 45-QĐ/ĐU")
    assert "quyết định số 45-QĐ/ĐU" in text
    source = await get_source(cells, sid)
    assert source.stage == "full" and source.recognition_decision_no == "45-QĐ/ĐU"
    [row] = await audits(cells, "source.recognise")
    assert row.after["recognition_decision_no"] == "45-QĐ/ĐU"
    record = await bithu.say(f"/xem N{sid}")
    assert "Công nhận chính thức: 10/06/2026, quyết định số 45-QĐ/ĐU" in record
    assert "Kết nạp: 02/06/2025" in record


async def test_the_record_is_seen_in_the_subtree_only(cells, chat_as):
    sid = await insert_source(cells, "Nguyễn Văn An", date(1998, 3, 5))
    assert "📋 Hồ sơ" in await chat_as("canbo").say(f"/xem N{sid}")  # staff of the root: by code
    assert "Không có người mã" in await chat_as("bithu2").say(f"/xem N{sid}")  # another cell
    group = chat_as("bithu", chat_type="group", chat_id="-100")
    assert "trò chuyện riêng" in await group.say(f"/xem N{sid}")


# --- evaluations: the quarter just closed, removing a mistaken one --------------------------------
async def test_previous_quarter_is_open_during_the_first_month(cells, bithu, clock):
    sid = await insert_source(cells, "Nguyễn Văn An", date(1998, 3, 5))
    clock.set(datetime(2027, 1, 10, 3, 0))  # 10/01/2027: quarter I, the first month
    text = await bithu.say(f"/danhgia N{sid}; quý trước; khá; đánh giá bổ sung")
    assert "quý IV/2026" in text
    [row] = await evaluations(cells)
    assert (row.year, row.quarter, row.level) == (2026, 4, "kha")
    clock.set(datetime(2027, 2, 10, 3, 0))  # February: the previous quarter is closed
    text = await bithu.say(f"/danhgia N{sid}; quý IV; tốt")
    assert "Không đánh giá quý IV/2026 được nữa" in text
    assert [(e.year, e.quarter, e.level) for e in await evaluations(cells)] == [(2026, 4, "kha")]


async def test_a_round_for_the_previous_quarter(cells, bithu, clock):
    await insert_source(cells, "Nguyễn Văn An", date(1998, 3, 5))
    clock.set(datetime(2027, 1, 5, 3, 0))
    text = await bithu.say("/danhgia quý trước")
    assert "Đánh giá chất lượng quý IV/2026 (1/1)" in text
    await bithu.say("tốt")
    text = await bithu.say("bỏ qua")
    assert "Đã xong lượt đánh giá quý IV/2026" in text
    [row] = await evaluations(cells)
    assert (row.year, row.quarter) == (2026, 4)


async def test_a_mistaken_evaluation_is_removed_audited_and_undoable(cells, bithu):
    sid = await insert_source(cells, "Nguyễn Văn An", date(1998, 3, 5))
    await bithu.say(f"/danhgia N{sid}; chưa đạt; nhầm người")
    text = await bithu.say(f"/danhgia N{sid}; xóa")
    assert f"đã xóa đánh giá quý IV/2026 của quần chúng Nguyễn Văn An (N{sid}) (mức chưa đạt)" in text
    assert await evaluations(cells) == []
    [row] = await audits(cells, "evaluation.remove")
    assert row.before["level"] == "chua_dat" and row.after is None
    assert "chưa có đánh giá" in await bithu.say(f"/danhgia N{sid}; xóa")
    text = await bithu.say("/hoantac")
    assert "xóa đánh giá quý IV/2026" in text
    [back] = await evaluations(cells)
    assert (back.level, back.comment) == ("chua_dat", "nhầm người")
    assert "đã xóa đánh giá quý IV/2026 (đã hoàn tác)" in await bithu.say(f"/xem N{sid}")


# --- demo data kept apart ----------------------------------------------------------------------------
async def test_the_demo_refuses_a_database_with_a_real_tree(app):
    from storage.demo import seed_demo
    from usecases.orgs import import_orgs
    from usecases.uow import Actor, UnitOfWork

    rows = [{"code": "T", "parent_code": "", "name": "Tỉnh ủy", "kind": "tỉnh", "members": "0"},
            {"code": "C1", "parent_code": "T", "name": "Chi bộ Một", "kind": "Chi bộ", "members": "9"}]
    async with app.services.sessions() as session, session.begin():
        await import_orgs(UnitOfWork(session, Actor.cli(), app.services.now), rows)
    with pytest.raises(RuleError) as refused:
        async with app.services.sessions() as session, session.begin():
            await seed_demo(session, app.services.now())
    assert "cây tổ chức thật (gốc T)" in refused.value.text
    async with app.services.sessions() as session:
        assert {u.code: u.kind for u in await session.scalars(select(OrgUnit))} == {"T": "province", "C1": "cell"}


async def test_a_real_tree_is_not_imported_next_to_the_demo(demo):
    from storage.org_import import ImportRefused
    from usecases.orgs import import_orgs
    from usecases.uow import Actor, UnitOfWork

    rows = [{"code": "T", "parent_code": "", "name": "Tỉnh ủy", "kind": "tinh", "members": "0"}]
    with pytest.raises(ImportRefused) as refused:
        async with demo.services.sessions() as session, session.begin():
            await import_orgs(UnitOfWork(session, Actor.cli(), demo.services.now), rows)
    assert "dữ liệu mẫu" in refused.value.problems[0]
    async with demo.services.sessions() as session:
        assert await session.scalar(select(OrgUnit).where(OrgUnit.code == "T")) is None


@pytest.mark.parametrize("typed, kind", [
    ("tỉnh", "province"), ("Tinh", "province"), ("huyện", "district"), ("HUYEN", "district"),
    ("cơ sở", "grassroots"), ("co so", "grassroots"), ("chi bộ", "cell"), ("Chi Bo", "cell"),
    ("cell", "cell"), ("Grassroots", "grassroots"),
])
def test_import_kinds_in_vietnamese(typed, kind):
    from storage.org_import import parse_kind

    assert parse_kind(typed) == kind


async def test_sources_table_never_reuses_an_id(cells):
    """The database itself: delete the newest row, the next insert gets a new id."""
    sid = await insert_source(cells, "Nguyễn Văn An", date(1998, 3, 5))
    async with cells.services.sessions() as session, session.begin():
        await session.delete(await session.get(Source, sid))
    again = await insert_source(cells, "Trần Thị Bình", date(1998, 3, 5))
    assert again > sid


# --- /suanguon past 60: the confirmation records who allowed it, as /ketnap does ------------------
APPROVAL = "45-QĐ/TU, Tỉnh ủy Bình Định"


async def turning_sixty(cells) -> int:
    """Born 10/03/1966, admitted 01/03/2026 at 59: a later admission day is past the 60th birthday."""
    return await insert_source(cells, "Trần Văn Lão", date(1966, 3, 10), stage="probationary",
                               awareness=date(2025, 1, 1), admission=date(2026, 3, 1))


async def test_guided_admission_correction_past_sixty_records_decision_and_committee(cells, bithu):
    sid = await turning_sixty(cells)
    await bithu.say("/suanguon")
    await bithu.press(f"pl.pick.{sid}")
    await bithu.press("pl.field.admission")
    before = await snapshot(cells)
    text = await bithu.say("20/11/2026")
    assert "đã 60 tuổi" in text and "cấp ủy trực thuộc Trung ương" in text
    assert f"/suanguon N{sid}; ngày kết nạp; 20/11/2026; xác nhận; {APPROVAL}" in text
    assert [c.label for c in bithu.choices] == ["Có, xác nhận", "Không, hủy"]
    text = await bithu.press("pl.yes")
    assert "số quyết định cho phép kết nạp trên 60 tuổi và cấp ủy ra quyết định" in text
    text = await bithu.say("45-QĐ/TU")  # the wrong line: the committee is missing
    assert "“45-QĐ/TU” chưa đủ" in text and "ví dụ: 45-QĐ/TU, Tỉnh ủy Bình Định" in text
    assert await snapshot(cells) == before  # nothing until the approval is complete
    text = await bithu.say(APPROVAL)  # the repair
    assert "“01/03/2026” → “20/11/2026”" in text
    assert "Kết nạp trên 60 tuổi theo quyết định 45-QĐ/TU của Tỉnh ủy Bình Định." in text
    source = await get_source(cells, sid)  # the stored row
    assert source.admission_date == date(2026, 11, 20)
    assert (source.over60_decision_no, source.over60_authority) == ("45-QĐ/TU", "Tỉnh ủy Bình Định")
    [row] = await audits(cells, "source.update")  # one change, one audit row with both
    assert (row.before["admission_date"], row.before["over60_decision_no"]) == ("2026-03-01", None)
    assert (row.after["admission_date"], row.after["over60_decision_no"]) == ("2026-11-20", "45-QĐ/TU")
    assert row.after["over60_authority"] == "Tỉnh ủy Bình Định" and row.after["over_60_confirmed"] is True
    assert "Kết nạp trên 60 tuổi theo quyết định 45-QĐ/TU của Tỉnh ủy Bình Định" in await bithu.say(f"/xem N{sid}")
    assert "hoàn tác" in await bithu.say("/hoantac")
    source = await get_source(cells, sid)
    assert (source.admission_date, source.over60_decision_no, source.over60_authority) == (date(2026, 3, 1), None, None)


async def test_one_line_admission_correction_with_the_approval_as_last_part(cells, bithu):
    sid = await turning_sixty(cells)
    text = await bithu.say(f"/suanguon N{sid}; ngay ket nap; 20/11/2026; xac nhan; 45-QĐ/TU cua Tinh uy Binh Dinh")
    assert "“01/03/2026” → “20/11/2026”" in text
    assert "Kết nạp trên 60 tuổi theo quyết định 45-QĐ/TU của Tinh uy Binh Dinh." in text
    source = await get_source(cells, sid)
    assert source.admission_date == date(2026, 11, 20) and source.over60_decision_no == "45-QĐ/TU"
    assert source.over60_authority == "Tinh uy Binh Dinh"  # stored as typed
    [row] = await audits(cells, "source.update")
    assert row.after["over60_decision_no"] == "45-QĐ/TU"


async def test_a_wrong_approval_on_the_line_is_asked_for_alone(cells, bithu):
    sid = await turning_sixty(cells)
    before = await snapshot(cells)
    text = await bithu.say(f"/suanguon N{sid}; ngày kết nạp; 20/11/2026; xác nhận; Tỉnh ủy Bình Định")
    assert "“Tỉnh ủy Bình Định” chưa đủ" in text and "Đồng chí gõ số quyết định cho phép" in text
    assert await snapshot(cells) == before
    text = await bithu.say(APPROVAL)  # date and confirmation were kept
    assert "“01/03/2026” → “20/11/2026”" in text
    assert (await get_source(cells, sid)).over60_authority == "Tỉnh ủy Bình Định"


async def test_a_wrong_approval_on_a_ketnap_line_is_asked_for_alone(cells, bithu):
    sid = await insert_source(cells, "Trần Văn Lão", date(1960, 1, 1), stage="awareness", awareness=date(2026, 10, 1))
    text = await bithu.say(f"/ketnap N{sid}; 20/11/2026; 7-QĐ/HU; xác nhận; 45-QĐ/TU")
    assert "“45-QĐ/TU” chưa đủ" in text and (await get_source(cells, sid)).stage == "awareness"
    assert "Đồng chí đã ghi nhận kết nạp" in await bithu.say(APPROVAL)
    source = await get_source(cells, sid)
    assert (source.decision_no, source.over60_decision_no) == ("7-QĐ/HU", "45-QĐ/TU")


async def test_moving_the_admission_back_under_sixty_clears_the_approval(cells, bithu):
    sid = await turning_sixty(cells)
    await bithu.say(f"/suanguon N{sid}; ngày kết nạp; 20/11/2026; xác nhận; {APPROVAL}")
    text = await bithu.say(f"/suanguon N{sid}; ngày kết nạp; 01/03/2026")  # no confirmation asked
    assert "“20/11/2026” → “01/03/2026”" in text
    assert "chưa quá 60 tuổi" in text and "đã bỏ ghi nhận quyết định 45-QĐ/TU của Tỉnh ủy Bình Định" in text
    source = await get_source(cells, sid)
    assert (source.admission_date, source.over60_decision_no, source.over60_authority) == (date(2026, 3, 1), None, None)
    assert "trên 60 tuổi" not in await bithu.say(f"/xem N{sid}")
    await bithu.say("/hoantac")  # the approval comes back with the date
    source = await get_source(cells, sid)
    assert (source.admission_date, source.over60_decision_no) == (date(2026, 11, 20), "45-QĐ/TU")


async def test_a_date_still_past_sixty_keeps_the_recorded_approval(cells, bithu):
    sid = await turning_sixty(cells)
    await bithu.say(f"/suanguon N{sid}; ngày kết nạp; 20/11/2026; xác nhận; {APPROVAL}")
    text = await bithu.say(f"/suanguon N{sid}; ngày kết nạp; 21/11/2026")  # the decision still covers it
    assert "“20/11/2026” → “21/11/2026”" in text and "xác nhận" not in text
    assert (await get_source(cells, sid)).over60_decision_no == "45-QĐ/TU"


async def test_a_birth_correction_that_puts_the_admission_past_sixty_asks_for_the_approval(cells, bithu):
    sid = await insert_source(cells, "Trần Văn Lão", date(1970, 1, 1), stage="probationary",
                              awareness=date(2026, 1, 1), admission=date(2026, 6, 1))
    before = await snapshot(cells)
    text = await bithu.say(f"/suanguon N{sid}; ngày sinh; 01/01/1960")
    assert "Với ngày sinh 01/01/1960, đến ngày kết nạp 01/06/2026 đảng viên dự bị Trần Văn Lão" in text
    assert "đã 66 tuổi" in text and f"/suanguon N{sid}; ngày sinh; 01/01/1960; xác nhận; {APPROVAL}" in text
    assert "Đã hủy" in await bithu.say("không")
    assert await snapshot(cells) == before
    await bithu.say(f"/suanguon N{sid}; ngày sinh; 01/01/1960")
    text = await bithu.say("12-QĐ/TU của Tỉnh ủy Bình Định")  # the approval typed at the question itself
    assert "“01/01/1970” → “01/01/1960”" in text and "theo quyết định 12-QĐ/TU của Tỉnh ủy Bình Định" in text
    source = await get_source(cells, sid)
    assert (source.birth_date, source.over60_decision_no) == (date(1960, 1, 1), "12-QĐ/TU")
    [row] = await audits(cells, "source.update")
    assert (row.after["birth_date"], row.after["over60_authority"]) == ("1960-01-01", "Tỉnh ủy Bình Định")
    text = await bithu.say(f"/suanguon N{sid}; ngày sinh; 01/01/1970")  # back under 60: cleared
    assert "đã bỏ ghi nhận quyết định 12-QĐ/TU" in text
    assert (await get_source(cells, sid)).over60_decision_no is None


async def test_a_birth_correction_past_sixty_on_one_line(cells, bithu):
    sid = await insert_source(cells, "Trần Văn Lão", date(1970, 1, 1), stage="probationary",
                              awareness=date(2026, 1, 1), admission=date(2026, 6, 1))
    text = await bithu.say(f"/suanguon N{sid}\nngày sinh\n01/01/1960\nxác nhận\n{APPROVAL}")
    assert "“01/01/1970” → “01/01/1960”" in text
    source = await get_source(cells, sid)
    assert (source.birth_date, source.over60_authority) == (date(1960, 1, 1), "Tỉnh ủy Bình Định")


# --- the console: a message of several lines ------------------------------------------------------
class Terminal(io.StringIO):
    """A terminal the test types into: each chunk arrives at once (a paste, or one typed line);
    `waiting` answers, as select() would, whether more of the current chunk is still unread."""

    def __init__(self, chunks: list[str]):
        super().__init__("".join(chunks))
        self.ends, end = [], 0
        for chunk in chunks:
            end += len(chunk)
            self.ends.append(end)

    def isatty(self) -> bool:
        return True

    def waiting(self) -> bool:
        position = self.tell()
        return position not in self.ends and position < self.ends[-1]


async def test_lines_pasted_at_once_on_a_terminal_are_one_message(cells):
    terminal = Terminal([
        "/nguon Lê Thị Mai\n02/02/2000\nsinh viên, nông thôn\nlớp trưởng\n",  # pasted: one message
        "/dsnguon\n",  # typed afterwards: its own message
        "/nguon Phạm Văn Dũng; 02/09/1996; dân quân\n/nguon Võ Thị Hà; 03/03/1997; trí thức\n",  # two commands pasted
    ])
    out = io.StringIO()
    await run_console(cells.conversation, "bithu", stdin=terminal, stdout=out, waiting=terminal.waiting)
    text = out.getvalue()
    assert text.count("✅ Đồng chí đã ghi nhận nguồn") == 3 and "Không nhận ra" not in text
    assert "Bước" not in text  # the pasted lines were one one-line /nguon, not answers to a guided one
    mai = await source_by_name(cells, "Lê Thị Mai")
    assert mai.birth_date == date(2000, 2, 2) and mai.note == "lớp trưởng"
    assert sorted(c.category for c in mai.categories) == ["hoc_sinh_sinh_vien", "nong_thon"]
    assert f"{mai.code} · Lê Thị Mai — quần chúng ưu tú" in text  # /dsnguon ran on its own, after the paste
    assert (await source_by_name(cells, "Phạm Văn Dũng")) is not None
    assert (await source_by_name(cells, "Võ Thị Hà")) is not None


async def test_typed_lines_on_a_terminal_stay_separate_messages(cells):
    terminal = Terminal(["/nguon\n", "Lê Thị Mai\n", "02/02/2000\n", "5\n", "chọn xong\n", "bỏ qua\n"])
    out = io.StringIO()
    await run_console(cells.conversation, "bithu", stdin=terminal, stdout=out, waiting=terminal.waiting)
    text = out.getvalue()  # each line typed answered one step of the guided form
    assert "Bước 2/4" in text and "Bước 3/4" in text and "Bước 4/4" in text
    assert "✅ Đồng chí đã ghi nhận nguồn: quần chúng Lê Thị Mai" in text
    assert (await source_by_name(cells, "Lê Thị Mai")).birth_date == date(2000, 2, 2)


async def test_a_paste_into_a_real_pseudo_terminal_is_one_message(cells):
    try:
        master, slave = os.openpty()
    except OSError:  # pragma: no cover - a machine without pseudo-terminals
        pytest.skip("no pseudo-terminal on this machine")
    stdin = open(slave, encoding="utf-8", closefd=True)
    out = io.StringIO()
    try:
        console = asyncio.create_task(run_console(cells.conversation, "bithu", stdin=stdin, stdout=out))
        os.write(master, "/nguon Lê Thị Mai\n02/02/2000\nsinh viên\n".encode())  # one write, as a paste
        for _ in range(200):
            if "✅" in out.getvalue() or "Không" in out.getvalue():
                break
            await asyncio.sleep(0.05)
        os.write(master, b"\x04")  # Ctrl-D: the end of input
        await asyncio.wait_for(console, 10)
    finally:
        stdin.close()
        os.close(master)
    assert "✅ Đồng chí đã ghi nhận nguồn: quần chúng Lê Thị Mai" in out.getvalue(), out.getvalue()
    assert "Bước" not in out.getvalue()
    mai = await source_by_name(cells, "Lê Thị Mai")
    assert [c.category for c in mai.categories] == ["hoc_sinh_sinh_vien"]


async def test_a_backslash_continues_the_message_in_piped_input(cells):
    piped = io.StringIO("/nguon Lê Thị Mai\\\n02/02/2000\\\nsinh viên\\\nlớp trưởng\n/dsnguon\n")
    out = io.StringIO()
    await run_console(cells.conversation, "bithu", stdin=piped, stdout=out)
    replies = out.getvalue().strip().split("\n\n")
    assert len(replies) == 2 and replies[0].startswith("✅ Đồng chí đã ghi nhận nguồn: quần chúng Lê Thị Mai")
    assert (await source_by_name(cells, "Lê Thị Mai")).note == "lớp trưởng"
