"""/lopnhanthuc, /ketnap, /chinhthuc: stages, dates and the Charter's rules, as a secretary types."""

from __future__ import annotations

from datetime import date

import pytest
from test_pipeline_support import audits, get_source, insert_source, snapshot

# The fake clock's today is Thursday 26/11/2026.


@pytest.fixture
def bithu(cells, chat_as):
    return chat_as("bithu")


async def aware(app, name="Nguyễn Văn An", birth=date(1998, 3, 5), awareness=date(2026, 10, 1)) -> int:
    return await insert_source(app, name, birth, stage="awareness", awareness=awareness)


# --- /lopnhanthuc -----------------------------------------------------------------------------
async def test_awareness_class_in_one_line(cells, bithu):
    sid = await insert_source(cells, "Nguyễn Văn An", date(1998, 3, 5))
    text = await bithu.say(f"/lopnhanthuc N{sid}; 15/10/2026; 125/GCN-TTCT")
    assert "hoàn thành lớp bồi dưỡng nhận thức về Đảng ngày 15/10/2026, giấy chứng nhận số 125/GCN-TTCT" in text
    source = await get_source(cells, sid)
    assert (source.stage, source.awareness_date, source.certificate_no) == ("awareness", date(2026, 10, 15), "125/GCN-TTCT")
    [row] = await audits(cells, "source.awareness")
    assert row.before["stage"] == "source" and row.after["awareness_date"] == "2026-10-15"


async def test_awareness_class_guided_with_buttons(cells, bithu):
    sid = await insert_source(cells, "Nguyễn Văn An", date(1998, 3, 5))
    text = await bithu.say("/lopnhanthuc")
    assert bithu.choices[0].value == f"pl.pick.{sid}"
    text = await bithu.press(f"pl.pick.{sid}")
    assert "dd/mm/yyyy" in text
    text = await bithu.say("20/11/2026")
    assert "Số giấy chứng nhận" in text
    await bithu.press("pl.skip")
    source = await get_source(cells, sid)
    assert source.stage == "awareness" and source.certificate_no is None


async def test_awareness_class_date_rules(cells, bithu):
    sid = await insert_source(cells, "Nguyễn Văn An", date(2010, 6, 1))
    before = await snapshot(cells)
    assert "chưa đủ 16 tuổi" in await bithu.say(f"/lopnhanthuc N{sid}; 01/01/2026")
    assert "tương lai" in await bithu.say(f"/lopnhanthuc N{sid}; 01/12/2026")
    assert "không có thật" in await bithu.say(f"/lopnhanthuc N{sid}; 30/02/2026")
    assert "Cách ghi một dòng" in await bithu.say(f"/lopnhanthuc N{sid}; 01/11/2026; 1; 2")
    assert "không hợp lệ" in await bithu.say(f"/lopnhanthuc N{sid}; 01/11/2026; ★★")
    assert await snapshot(cells) == before


async def test_awareness_can_be_corrected_by_recording_it_again(cells, bithu):
    sid = await aware(cells)
    text = await bithu.say(f"/lopnhanthuc N{sid}; 02/10/2026")
    assert "đã cập nhật" in text
    assert (await get_source(cells, sid)).awareness_date == date(2026, 10, 2)


# --- /ketnap ----------------------------------------------------------------------------------
async def test_admission_in_one_line_stores_and_shows_the_deadline(cells, bithu):
    sid = await aware(cells)
    text = await bithu.say(f"/ketnap N{sid}; 20/11/2026; 125-QĐ/HU")
    # 12 months -> 20/11/2027 (a Saturday); 30 working days later, skipping Wednesday 24/11 (Ngày
    # Văn hóa Việt Nam), Saturday 01/01 and its day off Monday 03/01 -> Tuesday 04/01/2028.
    assert "đồng chí Nguyễn Văn An" in text and "ngày kết nạp 20/11/2026, quyết định số 125-QĐ/HU" in text
    assert "đến 20/11/2027" in text and "hạn chi bộ xét công nhận đảng viên chính thức: 04/01/2028" in text
    source = await get_source(cells, sid)
    assert source.stage == "probationary"
    assert (source.admission_date, source.decision_no, source.recognition_deadline) == (
        date(2026, 11, 20), "125-QĐ/HU", date(2028, 1, 4))
    [row] = await audits(cells, "source.admit")
    assert row.before["stage"] == "awareness" and row.after["recognition_deadline"] == "2028-01-04"
    assert "04/01/2028" in await bithu.say("/dsnguon")


async def test_admission_guided_by_name_without_diacritics(cells, bithu):
    sid = await aware(cells)
    await bithu.say("/ketnap")
    text = await bithu.say("nguyen van an")
    assert "Ngày kết nạp quần chúng Nguyễn Văn An" in text
    await bithu.say("26/11/2026")
    text = await bithu.say("1")  # Bỏ qua the decision number
    assert "ngày kết nạp 26/11/2026." in text
    source = await get_source(cells, sid)
    assert source.stage == "probationary" and source.decision_no is None


async def test_admission_needs_the_awareness_class_first(cells, bithu):
    sid = await insert_source(cells, "Nguyễn Văn An", date(1998, 3, 5))
    before = await snapshot(cells)
    text = await bithu.say(f"/ketnap N{sid}; 20/11/2026")
    assert "chưa được ghi nhận hoàn thành lớp bồi dưỡng nhận thức về Đảng" in text
    assert f"/lopnhanthuc N{sid}; dd/mm/yyyy" in text
    assert await snapshot(cells) == before
    assert "chưa có quần chúng nào đã hoàn thành" in await bithu.say("/ketnap")


async def test_sixteen_year_old_cannot_be_admitted(cells, bithu):
    sid = await aware(cells, birth=date(2010, 5, 1), awareness=date(2026, 9, 1))
    before = await snapshot(cells)
    text = await bithu.say(f"/ketnap N{sid}; 20/11/2026")
    assert "mới 16 tuổi" in text and "từ đủ 18 tuổi" in text and "01/05/2028" in text
    assert await snapshot(cells) == before


BAD_ADMISSIONS = [
    ("{code}; 31/11/2026", "không có thật"),
    ("{code}; 27/11/2026", "tương lai"),
    ("{code}; 30/09/2026", "trước ngày hoàn thành lớp"),
    ("{code}; hôm kia", "chưa đúng dạng"),
    ("{code}; 20/11/2026; " + "Q" * 65, "tối đa 64"),
    ("{code}; 20/11/2026; 1; 2; 3", "Cách ghi một dòng"),
    ("N99999; 20/11/2026", "Không có người mã N99999"),
    ("Ai Đó; 20/11/2026", "Không tìm thấy người tên"),
]


@pytest.mark.parametrize("args, phrase", BAD_ADMISSIONS, ids=[f"bad{i}" for i in range(len(BAD_ADMISSIONS))])
async def test_bad_admission_input_changes_nothing(cells, bithu, args, phrase):
    sid = await aware(cells)
    before = await snapshot(cells)
    text = await bithu.say("/ketnap " + args.format(code=f"N{sid}"))
    assert phrase in text
    assert await snapshot(cells) == before


async def test_over_sixty_needs_an_explicit_confirmation(cells, bithu):
    sid = await aware(cells, name="Trần Văn Lão", birth=date(1960, 1, 1))
    before = await snapshot(cells)
    text = await bithu.say(f"/ketnap N{sid}; 20/11/2026")
    assert "đã 66 tuổi" in text and "cấp ủy trực thuộc Trung ương" in text
    assert [c.label for c in bithu.choices] == ["Có, xác nhận", "Không, hủy"]
    assert await snapshot(cells) == before  # nothing until confirmed
    assert "Đã hủy" in await bithu.press("pl.no")
    assert await snapshot(cells) == before
    await bithu.say(f"/ketnap N{sid}; 20/11/2026; 7-QĐ/TU")
    text = await bithu.press("pl.yes")
    assert "số quyết định cho phép kết nạp trên 60 tuổi" in text  # who allowed it, by which decision
    assert await snapshot(cells) == before
    assert "chưa đủ" in await bithu.say("45-QĐ/TU")  # the committee is missing: asked again
    text = await bithu.say("45-QĐ/TU, Tỉnh ủy Bình Định")
    assert "Đồng chí đã ghi nhận kết nạp" in text
    assert "theo quyết định 45-QĐ/TU của Tỉnh ủy Bình Định" in text
    source = await get_source(cells, sid)
    assert source.stage == "probationary" and source.decision_no == "7-QĐ/TU"
    assert (source.over60_decision_no, source.over60_authority) == ("45-QĐ/TU", "Tỉnh ủy Bình Định")
    [row] = await audits(cells, "source.admit")
    assert row.after["over_60_confirmed"] is True
    assert row.after["over60_decision_no"] == "45-QĐ/TU" and row.after["over60_authority"] == "Tỉnh ủy Bình Định"


async def test_over_sixty_confirmed_on_one_line(cells, bithu):
    sid = await aware(cells, name="Trần Văn Lão", birth=date(1960, 1, 1))
    text = await bithu.say(f"/ketnap N{sid}; 20/11/2026; xác nhận; 45-QĐ/TU, Tỉnh ủy Bình Định")
    assert "Đồng chí đã ghi nhận kết nạp" in text and "45-QĐ/TU của Tỉnh ủy Bình Định" in text
    source = await get_source(cells, sid)
    assert source.stage == "probationary" and source.over60_authority == "Tỉnh ủy Bình Định"


async def test_over_sixty_confirmed_on_one_line_then_the_approval_is_asked(cells, bithu):
    sid = await aware(cells, name="Trần Văn Lão", birth=date(1960, 1, 1))
    text = await bithu.say(f"/ketnap N{sid}; 20/11/2026; xác nhận")
    assert "số quyết định cho phép" in text and (await get_source(cells, sid)).stage == "awareness"
    assert "Đồng chí đã ghi nhận kết nạp" in await bithu.say("12-QĐ/TU của Tỉnh ủy Bình Định")
    assert (await get_source(cells, sid)).over60_decision_no == "12-QĐ/TU"


async def test_over_sixty_guided_confirmation_by_typing(cells, bithu):
    sid = await aware(cells, name="Trần Văn Lão", birth=date(1960, 1, 1))
    await bithu.say("/ketnap")
    await bithu.say("1")
    await bithu.say("20/11/2026")
    text = await bithu.say("1")  # Bỏ qua the decision number
    assert "đã 66 tuổi" in text
    assert "Có, xác nhận" in await bithu.say("có lẽ")  # not an answer: asked again
    assert "số quyết định cho phép" in await bithu.say("1")
    assert "Đồng chí đã ghi nhận kết nạp" in await bithu.say("45-QĐ/TU, Tỉnh ủy Bình Định")
    assert (await get_source(cells, sid)).stage == "probationary"


async def test_already_admitted_cannot_be_admitted_again(cells, bithu):
    sid = await insert_source(cells, "Nguyễn Văn An", date(1990, 1, 1), stage="probationary",
                              awareness=date(2025, 1, 1), admission=date(2025, 6, 1))
    assert "hiện là đảng viên dự bị nên không ghi nhận kết nạp" in await bithu.say(f"/ketnap N{sid}; 20/11/2026")


# --- /chinhthuc -------------------------------------------------------------------------------
async def test_recognition_after_twelve_months(cells, bithu):
    sid = await insert_source(cells, "Nguyễn Văn An", date(1990, 1, 1), stage="probationary",
                              awareness=date(2025, 1, 1), admission=date(2025, 11, 20))
    text = await bithu.say(f"/chinhthuc N{sid}; 20/11/2026")
    assert "công nhận đảng viên chính thức: đồng chí Nguyễn Văn An" in text and "ngày 20/11/2026" in text
    assert "sau hạn" not in text
    source = await get_source(cells, sid)
    assert source.stage == "full" and source.recognition_date == date(2026, 11, 20)
    [row] = await audits(cells, "source.recognise")
    assert row.before["stage"] == "probationary" and row.after["recognition_date"] == "2026-11-20"


async def test_recognition_before_twelve_months_is_refused(cells, bithu):
    sid = await insert_source(cells, "Nguyễn Văn An", date(1990, 1, 1), stage="probationary",
                              awareness=date(2025, 1, 1), admission=date(2025, 12, 1))
    before = await snapshot(cells)
    text = await bithu.say(f"/chinhthuc N{sid}; 26/11/2026")
    assert "Chưa công nhận được" in text and "phải từ 01/12/2026 trở đi" in text
    assert await snapshot(cells) == before


async def test_recognition_guided_shows_the_window_and_warns_when_late(cells, bithu):
    sid = await insert_source(cells, "Lê Văn Cường", date(1990, 1, 1), stage="probationary",
                              awareness=date(2024, 1, 1), admission=date(2025, 6, 2))
    text = await bithu.say("/chinhthuc")
    assert bithu.choices[0].value == f"pl.pick.{sid}"
    text = await bithu.press(f"pl.pick.{sid}")
    assert "Kết nạp ngày 02/06/2025; sớm nhất 02/06/2026, hạn xét 14/07/2026" in text
    text = await bithu.say("01/09/2026")
    assert "Số quyết định công nhận" in text
    text = await bithu.say("bỏ qua")  # the label typed: no decision number yet
    assert "Lưu ý: ngày công nhận sau hạn chi bộ phải xét (14/07/2026)" in text
    source = await get_source(cells, sid)
    assert source.stage == "full" and source.recognition_decision_no is None


async def test_recognition_of_someone_not_on_probation_is_refused(cells, bithu):
    sid = await aware(cells)
    assert "chỉ công nhận chính thức cho đảng viên dự bị" in await bithu.say(f"/chinhthuc N{sid}; 20/11/2026")
    assert "chưa có đảng viên dự bị nào" in await bithu.say("/chinhthuc")


async def test_the_whole_pipeline_through_chat(cells, bithu, clock):
    await bithu.say("/nguon Đặng Thị Hồng; 12/12/1999; đoàn viên, nông thôn")
    sid = (await audits(cells, "source.create"))[0].entity_id
    await bithu.say(f"/lopnhanthuc N{sid}; 01/10/2026; 9/GCN")
    await bithu.say(f"/ketnap N{sid}; 26/11/2026; 10-QĐ/ĐU")
    clock.advance(days=366)
    text = await bithu.say("/chinhthuc hong; 26/11/2027")
    assert "đồng chí Đặng Thị Hồng" in text
    source = await get_source(cells, int(sid))
    assert source.stage == "full" and source.recognition_deadline == date(2028, 1, 10)
