"""/suanguon corrects what the stage commands recorded: the awareness class date and certificate
number, the admission date and decision number, the recognition date — with the rules of
/lopnhanthuc, /ketnap and /chinhthuc, only at the stage that records them, audited and undoable."""

from __future__ import annotations

from datetime import date

import pytest
from test_pipeline_support import audits, get_source, insert_source, snapshot

from domain.pipeline import parse_field, recognition_deadline
from storage.models import Source

# The fake clock's today is Thursday 26/11/2026.


@pytest.fixture
def bithu(cells, chat_as):
    return chat_as("bithu")


async def put(app, source_id: int, **columns) -> None:
    """Set columns the support factory does not take (certificate, decision, recognition)."""
    async with app.services.sessions() as session, session.begin():
        source = await session.get(Source, source_id)
        for key, value in columns.items():
            setattr(source, key, value)


async def aware(app, name="Nguyễn Văn An", birth=date(1998, 3, 5), awareness=date(2026, 10, 1)) -> int:
    sid = await insert_source(app, name, birth, stage="awareness", awareness=awareness)
    await put(app, sid, certificate_no="125/GCN-TTCT")
    return sid


async def probationary(app, name="Lê Văn Cường", birth=date(1990, 1, 1), awareness=date(2026, 1, 1),
                       admission=date(2026, 6, 1)) -> int:
    sid = await insert_source(app, name, birth, stage="probationary", awareness=awareness, admission=admission)
    await put(app, sid, certificate_no="9/GCN", decision_no="10-QĐ/ĐU")
    return sid


async def full(app, name="Trần Thị Bình", birth=date(1990, 1, 1), awareness=date(2024, 10, 1),
               admission=date(2025, 1, 10), recognition=date(2026, 1, 10)) -> int:
    sid = await insert_source(app, name, birth, stage="full", awareness=awareness, admission=admission)
    await put(app, sid, recognition_date=recognition, decision_no="3-QĐ/HU")
    return sid


def labels(chat) -> list[str]:
    return [c.label for c in chat.choices]


# --- the fields, as people type them ------------------------------------------------------------
@pytest.mark.parametrize("typed, field", [
    ("ngày học lớp", "awareness"), ("ngay hoc lop", "awareness"), ("Ngày lớp nhận thức", "awareness"),
    ("ngay lop nhan thuc", "awareness"), ("lớp nhận thức", "awareness"),
    ("số giấy chứng nhận", "certificate"), ("so giay chung nhan", "certificate"), ("GCN", "certificate"),
    ("ngày kết nạp", "admission"), ("ngay ket nap", "admission"), ("NGÀY KẾT NẠP.", "admission"),
    ("số quyết định", "decision"), ("so qd", "decision"), ("quyet dinh", "decision"),
    ("ngày công nhận", "recognition"), ("ngay chinh thuc", "recognition"), ("Ngày chính thức", "recognition"),
    ("ngay cong nhan chinh thuc", "recognition"),
])
def test_field_names_with_or_without_diacritics(typed, field):
    assert parse_field(typed) == field


async def test_unknown_field_lists_the_new_fields(cells, bithu):
    sid = await probationary(cells)
    text = await bithu.say(f"/suanguon N{sid}; ngày sinh nhật; 01/01/1990")
    assert "Không có mục “ngày sinh nhật”" in text
    for name in ("ngày học lớp", "số giấy chứng nhận", "ngày kết nạp", "số quyết định", "ngày công nhận"):
        assert name in text


async def test_help_lists_the_new_fields(cells, bithu):
    text = await bithu.say("/trogiup")
    assert "/suanguon N12; mục; giá trị mới" in text and "ngày kết nạp, số quyết định, ngày công nhận" in text


# --- awareness class: date and certificate ------------------------------------------------------
async def test_awareness_date_in_one_line_without_diacritics(cells, bithu):
    sid = await aware(cells)
    text = await bithu.say(f"/suanguon N{sid}; ngay hoc lop; 15/10/2026")
    assert "Đồng chí đã sửa ngày học lớp nhận thức của quần chúng Nguyễn Văn An" in text
    assert "“01/10/2026” → “15/10/2026”" in text
    source = await get_source(cells, sid)
    assert (source.stage, source.awareness_date, source.certificate_no) == ("awareness", date(2026, 10, 15), "125/GCN-TTCT")
    [row] = await audits(cells, "source.update")
    assert row.before["awareness_date"] == "2026-10-01" and row.after["awareness_date"] == "2026-10-15"
    assert row.before["stage"] == row.after["stage"] == "awareness"


async def test_certificate_in_one_line_for_a_probationary_member(cells, bithu):
    sid = await probationary(cells)
    text = await bithu.say(f"/suanguon N{sid}; so giay chung nhan; 19/GCN-TTCT")
    assert "sửa số giấy chứng nhận của đảng viên dự bị Lê Văn Cường" in text and "“9/GCN” → “19/GCN-TTCT”" in text
    assert (await get_source(cells, sid)).certificate_no == "19/GCN-TTCT"
    [row] = await audits(cells, "source.update")
    assert (row.before["certificate_no"], row.after["certificate_no"]) == ("9/GCN", "19/GCN-TTCT")


async def test_certificate_recorded_later_when_it_was_skipped(cells, bithu):
    sid = await aware(cells)
    await put(cells, sid, certificate_no=None)
    text = await bithu.say(f"/suanguon N{sid}; số giấy chứng nhận; 125/GCN-TTCT")
    assert "“(chưa có)” → “125/GCN-TTCT”" in text


async def test_guided_awareness_fields_only_after_the_class(cells, bithu):
    sid = await aware(cells)
    await bithu.say("/suanguon")
    text = await bithu.press(f"pl.pick.{sid}")
    assert labels(bithu) == ["Họ tên", "Ngày sinh", "Nhóm", "Ghi chú", "Ngày học lớp nhận thức", "Số giấy chứng nhận"]
    text = await bithu.press("pl.field.awareness")
    assert "hiện tại: 01/10/2026" in text and "dd/mm/yyyy" in text
    text = await bithu.say("02/10/2026")
    assert "“01/10/2026” → “02/10/2026”" in text
    await bithu.say(f"/suanguon N{sid}")
    text = await bithu.say("6")  # Số giấy chứng nhận, by its number
    assert "Số giấy chứng nhận mới (hiện tại: 125/GCN-TTCT)" in text
    text = await bithu.say("126")  # digits are the number itself, not a menu choice
    assert "“125/GCN-TTCT” → “126”" in text
    source = await get_source(cells, sid)
    assert (source.awareness_date, source.certificate_no) == (date(2026, 10, 2), "126")


BAD_AWARENESS = [
    ("ngày học lớp; 27/11/2026", "tương lai"),
    ("ngày học lớp; 31/09/2026", "không có thật"),
    ("ngày học lớp; tháng 10", "chưa đúng dạng"),
    ("ngày học lớp; 01/01/2005", "chưa đủ 16 tuổi"),  # born 01/01/1990
    ("ngày học lớp; 02/06/2026", "không thể sau ngày kết nạp"),  # admitted 01/06/2026
    ("số giấy chứng nhận; ★★", "không hợp lệ"),
    ("số giấy chứng nhận; " + "Q" * 65, "tối đa 64"),
]


@pytest.mark.parametrize("rest, phrase", BAD_AWARENESS, ids=[f"bad{i}" for i in range(len(BAD_AWARENESS))])
async def test_bad_awareness_corrections_change_nothing(cells, bithu, rest, phrase):
    sid = await probationary(cells)
    before = await snapshot(cells)
    text = await bithu.say(f"/suanguon N{sid}; {rest}")
    assert phrase in text
    assert await snapshot(cells) == before


async def test_awareness_after_admission_shows_a_correct_example(cells, bithu):
    sid = await probationary(cells)
    text = await bithu.say(f"/suanguon N{sid}; ngày học lớp; 02/06/2026")
    assert "được kết nạp ngày 01/06/2026" in text and f"/suanguon N{sid}; ngày học lớp; 01/06/2026" in text
    assert "đã sửa" in await bithu.say(f"/suanguon N{sid}; ngày học lớp; 01/06/2026")  # the example works


# --- admission: date and decision -----------------------------------------------------------------
async def test_admission_date_in_one_line_recomputes_the_deadline(cells, bithu):
    sid = await probationary(cells)  # admitted 01/06/2026: deadline 13/07/2027
    text = await bithu.say(f"/suanguon N{sid}; ngày kết nạp; 20/11/2026")
    assert "sửa ngày kết nạp của đảng viên dự bị Lê Văn Cường" in text and "“01/06/2026” → “20/11/2026”" in text
    # 12 months -> 20/11/2027 (a Saturday); 30 working days later, skipping the holidays 24/11 and 03/01 -> Tuesday 04/01/2028.
    assert "Thời gian dự bị 12 tháng đến 20/11/2027" in text
    assert "hạn chi bộ xét công nhận đảng viên chính thức: 04/01/2028 (trước đây: 13/07/2027)" in text
    source = await get_source(cells, sid)
    assert (source.stage, source.admission_date, source.recognition_deadline) == (
        "probationary", date(2026, 11, 20), date(2028, 1, 4))
    assert source.decision_no == "10-QĐ/ĐU"
    [row] = await audits(cells, "source.update")
    assert (row.before["admission_date"], row.after["admission_date"]) == ("2026-06-01", "2026-11-20")
    assert (row.before["recognition_deadline"], row.after["recognition_deadline"]) == ("2027-07-13", "2028-01-04")
    assert "hạn xét công nhận chính thức: 04/01/2028" in await bithu.say("/dsnguon")


async def test_earlier_admission_date_warns_that_the_deadline_has_passed(cells, bithu):
    sid = await probationary(cells, awareness=date(2025, 1, 1), admission=date(2025, 11, 20))
    text = await bithu.say(f"/suanguon N{sid}; ngay ket nap; 01/09/2025")
    assert "hạn chi bộ xét công nhận đảng viên chính thức: 14/10/2026 (trước đây: 05/01/2027)" in text
    assert "Lưu ý: hạn xét công nhận đã qua" in text and f"/chinhthuc N{sid}; dd/mm/yyyy" in text
    assert (await get_source(cells, sid)).recognition_deadline == date(2026, 10, 14)


async def test_guided_admission_fields_and_decision(cells, bithu):
    sid = await probationary(cells)
    await bithu.say("/suanguon")
    await bithu.press(f"pl.pick.{sid}")
    assert labels(bithu)[4:] == ["Ngày học lớp nhận thức", "Số giấy chứng nhận", "Ngày kết nạp", "Số quyết định"]
    text = await bithu.say("so quyet dinh")  # the field typed instead of pressed
    assert "Số quyết định kết nạp mới (hiện tại: 10-QĐ/ĐU)" in text
    text = await bithu.say("12-QĐ/HU")
    assert f"sửa số quyết định của đảng viên dự bị Lê Văn Cường (N{sid}): “10-QĐ/ĐU” → “12-QĐ/HU”" in text
    assert (await get_source(cells, sid)).decision_no == "12-QĐ/HU"


async def test_guided_admission_date(cells, bithu):
    sid = await probationary(cells)
    await bithu.say(f"/suanguon N{sid}")
    text = await bithu.press("pl.field.admission")
    assert "Ngày kết nạp mới (hiện tại: 01/06/2026)" in text and "sẽ được tính lại" in text
    assert "tương lai" in await bithu.say("01/12/2026")  # refused, still at this step
    text = await bithu.say("20/11/2026")
    assert "04/01/2028" in text
    source = await get_source(cells, sid)
    assert (source.admission_date, source.recognition_deadline) == (date(2026, 11, 20), date(2028, 1, 4))


async def test_admission_date_under_18_is_refused(cells, bithu):
    sid = await probationary(cells, birth=date(2007, 6, 1), awareness=date(2024, 1, 1), admission=date(2025, 7, 1))
    before = await snapshot(cells)
    text = await bithu.say(f"/suanguon N{sid}; ngày kết nạp; 01/05/2025")
    assert "mới 17 tuổi" in text and "từ đủ 18 tuổi" in text and "01/06/2025" in text
    assert await snapshot(cells) == before


async def test_admission_date_before_the_class_is_refused_with_the_edit_example(cells, bithu):
    sid = await probationary(cells)  # class 01/01/2026
    before = await snapshot(cells)
    text = await bithu.say(f"/suanguon N{sid}; ngày kết nạp; 31/12/2025")
    assert "trước ngày đảng viên dự bị Lê Văn Cường" in text and "hoàn thành lớp bồi dưỡng nhận thức" in text
    assert f"/suanguon N{sid}; ngày kết nạp; 01/01/2026" in text and "/ketnap" not in text
    assert await snapshot(cells) == before


BAD_ADMISSIONS = [
    ("ngày kết nạp; 27/11/2026", "tương lai"),
    ("ngày kết nạp; 29/02/2026", "không có thật"),
    ("ngày kết nạp; 2026", "chưa đúng dạng"),
    ("ngày kết nạp; 01/01/1899", "trước năm 1900"),
    ("số quyết định; ...", "không hợp lệ"),
    ("số quyết định; " + "Q" * 65, "tối đa 64"),
]


@pytest.mark.parametrize("rest, phrase", BAD_ADMISSIONS, ids=[f"bad{i}" for i in range(len(BAD_ADMISSIONS))])
async def test_bad_admission_corrections_change_nothing(cells, bithu, rest, phrase):
    sid = await probationary(cells)
    before = await snapshot(cells)
    text = await bithu.say(f"/suanguon N{sid}; {rest}")
    assert phrase in text
    assert await snapshot(cells) == before


async def test_full_member_admission_must_stay_twelve_months_before_recognition(cells, bithu):
    sid = await full(cells)  # admitted 10/01/2025, recognised 10/01/2026
    before = await snapshot(cells)
    text = await bithu.say(f"/suanguon N{sid}; ngày kết nạp; 01/02/2025")
    assert "được công nhận chính thức ngày 10/01/2026" in text and "ít nhất 12 tháng" in text
    assert f"/suanguon N{sid}; ngày kết nạp; 10/01/2025" in text
    assert await snapshot(cells) == before
    text = await bithu.say(f"/suanguon N{sid}; ngày kết nạp; 03/01/2025")
    assert "sửa ngày kết nạp của đảng viên Trần Thị Bình" in text and "“10/01/2025” → “03/01/2025”" in text
    source = await get_source(cells, sid)
    assert source.stage == "full" and source.recognition_deadline == recognition_deadline(date(2025, 1, 3))


async def test_over_sixty_admission_date_needs_a_confirmation(cells, bithu):
    sid = await probationary(cells, name="Trần Văn Lão", birth=date(1960, 1, 1))
    before = await snapshot(cells)
    text = await bithu.say(f"/suanguon N{sid}; ngày kết nạp; 20/11/2026")
    assert "đã 66 tuổi" in text and "cấp ủy trực thuộc Trung ương" in text
    assert f"/suanguon N{sid}; ngày kết nạp; 20/11/2026; xác nhận" in text
    assert labels(bithu) == ["Có, xác nhận", "Không, hủy"]
    assert await snapshot(cells) == before  # nothing until confirmed
    assert "Đã hủy" in await bithu.press("pl.no")
    assert await snapshot(cells) == before
    await bithu.say(f"/suanguon N{sid}; ngày kết nạp; 20/11/2026")
    text = await bithu.press("pl.yes")
    assert "số quyết định cho phép kết nạp trên 60 tuổi" in text  # as /ketnap: who allowed it
    assert await snapshot(cells) == before
    text = await bithu.say("45-QĐ/TU, Tỉnh ủy Bình Định")
    assert "“01/06/2026” → “20/11/2026”" in text and "theo quyết định 45-QĐ/TU của Tỉnh ủy Bình Định" in text
    [row] = await audits(cells, "source.update")
    assert row.after["over_60_confirmed"] is True and row.after["over60_authority"] == "Tỉnh ủy Bình Định"


async def test_over_sixty_confirmed_on_one_line(cells, bithu):
    sid = await probationary(cells, name="Trần Văn Lão", birth=date(1960, 1, 1))
    text = await bithu.say(f"/suanguon N{sid}; ngay ket nap; 20/11/2026; xac nhan")
    assert "số quyết định cho phép" in text  # confirmed on the line; the approval is asked
    assert (await get_source(cells, sid)).admission_date == date(2026, 6, 1)
    text = await bithu.say("45-QĐ/TU của Tỉnh ủy Bình Định")
    assert "“01/06/2026” → “20/11/2026”" in text
    source = await get_source(cells, sid)
    assert (source.admission_date, source.over60_decision_no) == (date(2026, 11, 20), "45-QĐ/TU")


async def test_confirmation_word_is_kept_in_a_note(cells, bithu):
    sid = await probationary(cells)
    await bithu.say(f"/suanguon N{sid}; ghi chú; đã họp; xác nhận")
    assert (await get_source(cells, sid)).note == "đã họp; xác nhận"


# --- recognition --------------------------------------------------------------------------------
async def test_recognition_date_in_one_line(cells, bithu):
    sid = await full(cells)
    text = await bithu.say(f"/suanguon N{sid}; ngày chính thức; 20/01/2026")
    assert f"sửa ngày công nhận chính thức của đảng viên Trần Thị Bình (N{sid}): “10/01/2026” → “20/01/2026”" in text
    assert "sau hạn" not in text
    source = await get_source(cells, sid)
    assert (source.stage, source.recognition_date) == ("full", date(2026, 1, 20))
    [row] = await audits(cells, "source.update")
    assert (row.before["recognition_date"], row.after["recognition_date"]) == ("2026-01-10", "2026-01-20")


async def test_guided_recognition_date_warns_when_late(cells, bithu):
    sid = await full(cells)  # deadline 27/02/2026 (Tết 16–20/02 skipped)
    await bithu.say("/suanguon")
    await bithu.press(f"pl.pick.{sid}")
    assert labels(bithu)[4:] == [
        "Ngày học lớp nhận thức", "Số giấy chứng nhận", "Ngày kết nạp", "Số quyết định", "Ngày công nhận chính thức"]
    text = await bithu.press("pl.field.recognition")
    assert "hiện tại: 10/01/2026" in text and "Kết nạp ngày 10/01/2025; ngày công nhận sớm nhất 10/01/2026" in text
    text = await bithu.say("02/03/2026")
    assert "“10/01/2026” → “02/03/2026”" in text and "sau hạn chi bộ phải xét (27/02/2026)" in text
    assert (await get_source(cells, sid)).recognition_date == date(2026, 3, 2)


async def test_recognition_before_twelve_months_is_refused(cells, bithu):
    sid = await full(cells)
    before = await snapshot(cells)
    text = await bithu.say(f"/suanguon N{sid}; ngày công nhận; 09/01/2026")
    assert "Không sửa được" in text and "phải từ 10/01/2026 trở đi" in text
    assert f"/suanguon N{sid}; ngày công nhận; 10/01/2026" in text
    assert "tương lai" in await bithu.say(f"/suanguon N{sid}; ngày công nhận; 27/11/2026")
    assert "không có thật" in await bithu.say(f"/suanguon N{sid}; ngày công nhận; 30/02/2026")
    assert await snapshot(cells) == before


# --- only at the stage that records the field --------------------------------------------------
STAGE_REFUSALS = [
    ("source", "ngày kết nạp; 20/11/2026", "chưa được ghi nhận kết nạp", "/ketnap N{sid}"),
    ("source", "số quyết định; 1-QĐ", "chưa được ghi nhận kết nạp", "/ketnap N{sid}"),
    ("source", "ngày học lớp; 20/11/2026", "chưa được ghi nhận hoàn thành lớp", "/lopnhanthuc N{sid}"),
    ("source", "số giấy chứng nhận; 1/GCN", "chưa được ghi nhận hoàn thành lớp", "/lopnhanthuc N{sid}"),
    ("source", "ngày công nhận; 20/11/2026", "chưa được công nhận đảng viên chính thức", "/chinhthuc N{sid}"),
    ("awareness", "ngay ket nap; 20/11/2026", "chưa được ghi nhận kết nạp", "/ketnap N{sid}"),
    ("awareness", "ngày chính thức; 20/11/2026", "chưa được công nhận đảng viên chính thức", "/chinhthuc N{sid}"),
    ("probationary", "ngày công nhận; 20/11/2026", "chưa được công nhận đảng viên chính thức", "/chinhthuc N{sid}"),
]


@pytest.mark.parametrize("stage, rest, phrase, command", STAGE_REFUSALS,
                         ids=[f"{s[0]}-{i}" for i, s in enumerate(STAGE_REFUSALS)])
async def test_stage_fields_are_refused_before_that_stage(cells, bithu, stage, rest, phrase, command):
    if stage == "source":
        sid = await insert_source(cells, "Nguyễn Văn An", date(1998, 3, 5))
    elif stage == "awareness":
        sid = await aware(cells)
    else:
        sid = await probationary(cells)
    before = await snapshot(cells)
    text = await bithu.say(f"/suanguon N{sid}; {rest}")
    assert phrase in text and command.format(sid=sid) in text
    assert await snapshot(cells) == before


async def test_admission_date_of_a_plain_source_says_to_use_ketnap(cells, bithu):
    sid = await insert_source(cells, "Nguyễn Văn An", date(1998, 3, 5))
    text = await bithu.say(f"/suanguon N{sid}; ngày kết nạp; 20/11/2026")
    assert text.startswith(f"Quần chúng Nguyễn Văn An (N{sid}) chưa được ghi nhận kết nạp")
    assert "chưa có ngày kết nạp để sửa" in text and f"/ketnap N{sid}; 20/11/2026; 125-QĐ/HU" in text


async def test_guided_plain_source_is_offered_only_personal_fields(cells, bithu):
    sid = await insert_source(cells, "Nguyễn Văn An", date(1998, 3, 5))
    await bithu.say(f"/suanguon N{sid}")
    assert labels(bithu) == ["Họ tên", "Ngày sinh", "Nhóm", "Ghi chú"]
    before = await snapshot(cells)
    text = await bithu.press("pl.field.admission")  # a forged or stale button
    assert "/ketnap" in text
    text = await bithu.say("ngày học lớp")  # typed: refused, still asked for the field
    assert "/lopnhanthuc" in text
    assert await snapshot(cells) == before
    assert "Ghi chú mới" in await bithu.say("4")


async def test_the_record_is_checked_again_when_saving(cells, bithu):
    """The person's record changed while the over-60 confirmation was asked: nothing is stored."""
    sid = await probationary(cells, name="Trần Văn Lão", birth=date(1960, 1, 1))
    assert "đã 66 tuổi" in await bithu.say(f"/suanguon N{sid}; ngày kết nạp; 20/11/2026")
    await put(cells, sid, stage="awareness", admission_date=None, recognition_deadline=None, decision_no=None)
    before = await snapshot(cells)
    await bithu.press("pl.yes")
    text = await bithu.say("45-QĐ/TU, Tỉnh ủy Bình Định")
    assert "chưa được ghi nhận kết nạp" in text
    assert await snapshot(cells) == before


async def test_same_value_changes_nothing(cells, bithu):
    sid = await probationary(cells)
    before = await snapshot(cells)
    text = await bithu.say(f"/suanguon N{sid}; ngày kết nạp; 01/06/2026")
    assert "đã là “01/06/2026”; không có gì thay đổi" in text
    assert await snapshot(cells) == before


# --- another cell -------------------------------------------------------------------------------
FOREIGN = [
    "ngày học lớp; 02/10/2026",
    "số giấy chứng nhận; 1/GCN",
    "ngày kết nạp; 20/11/2026",
    "số quyết định; 1-QĐ",
    "ngày công nhận; 20/01/2026",
]


@pytest.mark.parametrize("rest", FOREIGN)
async def test_another_cells_person_is_refused_without_revealing_anything(cells, bithu, chat_as, rest):
    ids = [await aware(cells), await probationary(cells), await full(cells)]
    before = await snapshot(cells)
    for sid in ids:
        text = await chat_as("bithu2").say(f"/suanguon N{sid}; {rest}")
        assert f"Không có người mã N{sid} trong chi bộ của đồng chí" in text
        for secret in ("Nguyễn Văn An", "Lê Văn Cường", "Trần Thị Bình", "01/06/2026", "10/01/2026"):
            assert secret not in text
    assert await snapshot(cells) == before


# --- /hoantac -------------------------------------------------------------------------------------
async def test_undo_restores_the_admission_date_and_the_deadline(cells, bithu, clock):
    sid = await probationary(cells)
    await bithu.say(f"/suanguon N{sid}; ngày kết nạp; 20/11/2026")
    clock.advance(minutes=9)
    text = await bithu.say("/hoantac")
    assert "↩️ Đồng chí đã hoàn tác: sửa ngày kết nạp của đảng viên dự bị Lê Văn Cường" in text
    source = await get_source(cells, sid)
    assert (source.admission_date, source.recognition_deadline) == (date(2026, 6, 1), date(2027, 7, 13))
    [row] = await audits(cells, "source.update")
    assert row.undone is True
    [undo] = await audits(cells, "undo")
    assert undo.before["undo_of"] == row.id and undo.after["state"]["admission_date"] == "2026-06-01"


async def test_undo_walks_back_each_stage_correction(cells, bithu):
    sid = await full(cells)
    await bithu.say(f"/suanguon N{sid}; ngày học lớp; 02/10/2024")
    await bithu.say(f"/suanguon N{sid}; số giấy chứng nhận; 77/GCN")
    await bithu.say(f"/suanguon N{sid}; số quyết định; 4-QĐ/HU")
    await bithu.say(f"/suanguon N{sid}; ngày công nhận; 15/01/2026")
    changed = await get_source(cells, sid)
    assert (changed.awareness_date, changed.certificate_no, changed.decision_no, changed.recognition_date) == (
        date(2024, 10, 2), "77/GCN", "4-QĐ/HU", date(2026, 1, 15))
    for field in ("ngày công nhận chính thức", "số quyết định", "số giấy chứng nhận", "ngày học lớp nhận thức"):
        assert f"sửa {field} của đảng viên Trần Thị Bình" in await bithu.say("/hoantac")
    source = await get_source(cells, sid)
    assert (source.awareness_date, source.certificate_no, source.decision_no, source.recognition_date) == (
        date(2024, 10, 1), None, "3-QĐ/HU", date(2026, 1, 10))
    assert source.stage == "full"


async def test_undo_after_ten_minutes_is_refused(cells, bithu, clock):
    sid = await probationary(cells)
    await bithu.say(f"/suanguon N{sid}; số quyết định; 12-QĐ/HU")
    clock.advance(minutes=11)
    before = await snapshot(cells)
    text = await bithu.say("/hoantac")
    assert "sửa số quyết định của đảng viên dự bị Lê Văn Cường" in text and "đã quá 10 phút" in text
    assert await snapshot(cells) == before
