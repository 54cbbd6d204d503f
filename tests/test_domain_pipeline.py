"""Pure rules of the pipeline: names, dates, ages, deadlines, levels, codes."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain import pipeline as p
from domain.holidays import is_holiday
from domain.pipeline import RuleError

TODAY = date(2026, 11, 26)


# --- names ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "typed, stored",
    [
        ("nguyễn văn an", "Nguyễn Văn An"),
        ("  NGUYỄN   VĂN   AN ", "Nguyễn Văn An"),
        ("nguyen van an", "Nguyen Van An"),
        (unicodedata.normalize("NFD", "Trần Thị Bích Ngọc"), "Trần Thị Bích Ngọc"),
        ("H'Hen Niê", "H'Hen Niê"),
        ("h'hen niê", "H'hen Niê"),
        ("NGUYỄN văn AN", "Nguyễn Văn An"),
    ],
)
def test_names_are_stored_composed_and_title_cased(typed, stored):
    name = p.parse_name(typed)
    assert name == stored
    assert unicodedata.is_normalized("NFC", name)


@pytest.mark.parametrize(
    "typed, phrase",
    [
        ("", "Chưa có họ tên"),
        ("   ", "Chưa có họ tên"),
        ("😀😀", "phải có chữ cái"),
        ("An 3", "không được có chữ số"),
        ("An 😀", "ký tự “😀”"),
        ("A", "từ 2 đến 100"),
        ("A" * 101, "từ 2 đến 100"),
        ("Nguyễn@An", "ký tự “@”"),
    ],
)
def test_bad_names_are_refused_with_the_reason(typed, phrase):
    with pytest.raises(RuleError) as err:
        p.parse_name(typed)
    assert phrase in err.value.text
    assert "Nguyễn Văn An" in err.value.text  # always an example


# --- dates ------------------------------------------------------------------------------------
def test_past_dates_in_several_spellings():
    for typed in ("05/03/1998", "5/3/1998", "05-03-1998", "05.03.1998"):
        assert p.parse_past_date(typed, today=TODAY, what="ngày sinh", example="x") == date(1998, 3, 5)


@pytest.mark.parametrize(
    "typed, phrase",
    [
        ("31/02/2000", "không có thật"),
        ("29/02/2023", "không có thật"),
        ("2000", "chưa đúng dạng"),
        ("hôm kia", "chưa đúng dạng"),
        ("", "Chưa có ngày sinh"),
        ("27/11/2026", "tương lai"),
        ("01/01/1850", "trước năm 1900"),
    ],
)
def test_bad_dates_name_the_problem_and_show_an_example(typed, phrase):
    with pytest.raises(RuleError) as err:
        p.parse_past_date(typed, today=TODAY, what="ngày sinh", example="05/03/1998")
    assert phrase in err.value.text
    if typed:
        assert "05/03/1998" in err.value.text


def test_today_is_not_the_future():
    assert p.parse_past_date("26/11/2026", today=TODAY, what="ngày", example="x") == TODAY


def test_pool_age_limits():
    assert p.parse_birth("26/11/2010", TODAY) == date(2010, 11, 26)  # 16 today
    with pytest.raises(RuleError, match="mới 15 tuổi"):
        p.parse_birth("27/11/2010", TODAY)
    with pytest.raises(RuleError, match="không hợp lý"):
        p.parse_birth("01/01/1920", TODAY)


# --- admission and recognition ------------------------------------------------------------------
def test_admission_needs_18_full_years():
    birth = date(2008, 11, 27)
    with pytest.raises(RuleError) as err:
        p.check_admission(birth, None, date(2026, 11, 26), name="An", code="N1")
    assert "mới 17 tuổi" in err.value.text and "27/11/2026" in err.value.text
    p.check_admission(birth, None, date(2026, 11, 27), name="An", code="N1")


def test_sixteen_year_old_is_refused_at_admission():
    with pytest.raises(RuleError, match="mới 16 tuổi"):
        p.check_admission(date(2010, 1, 1), None, date(2026, 11, 1), name="An", code="N1")


def test_admission_not_before_the_awareness_class():
    with pytest.raises(RuleError, match="trước ngày hoàn thành lớp"):
        p.check_admission(date(1990, 1, 1), date(2026, 10, 1), date(2026, 9, 30), name="An", code="N1")
    p.check_admission(date(1990, 1, 1), date(2026, 10, 1), date(2026, 10, 1), name="An", code="N1")


def test_over_sixty_means_past_the_sixtieth_birthday():
    birth = date(1966, 11, 26)
    assert not p.over_age_limit(birth, date(2026, 11, 26))  # exactly 60: "đủ 60 tuổi" is allowed
    assert p.over_age_limit(birth, date(2026, 11, 27))


def test_recognition_deadline_is_twelve_months_plus_thirty_working_days():
    admission = date(2025, 11, 3)  # a Monday
    assert p.earliest_recognition(admission) == date(2026, 11, 3)
    # 30 working days after Tuesday 03/11/2026: six weeks later, Tuesday 15/12/2026, and one day
    # more for the public holiday of Tuesday 24/11/2026 (Ngày Văn hóa Việt Nam).
    assert p.recognition_deadline(admission) == date(2026, 12, 16)


def test_recognition_deadline_from_a_month_end():
    assert p.earliest_recognition(date(2024, 2, 29)) == date(2025, 2, 28)


def test_recognition_not_before_twelve_months():
    admission = date(2025, 11, 27)
    with pytest.raises(RuleError) as err:
        p.check_recognition(admission, date(2026, 11, 26), name="An", code="N1")
    assert "27/11/2026" in err.value.text  # says from when it is possible
    p.check_recognition(admission, date(2026, 11, 27), name="An", code="N1")


def test_awareness_class_not_before_sixteen():
    with pytest.raises(RuleError, match="chưa đủ 16 tuổi"):
        p.check_awareness_date(date(2010, 6, 1), date(2026, 5, 31))
    p.check_awareness_date(date(2010, 6, 1), date(2026, 6, 1))


# --- levels, codes, fields, free text -----------------------------------------------------------
@pytest.mark.parametrize(
    "typed, level",
    [
        ("tốt", "tot"), ("tot", "tot"), ("TỐT", "tot"), ("1", "tot"),
        ("khá", "kha"), ("kha", "kha"), ("2", "kha"),
        ("trung bình", "trung_binh"), ("tb", "trung_binh"), ("TB", "trung_binh"), ("3", "trung_binh"),
        ("chưa đạt", "chua_dat"), ("chua dat", "chua_dat"), ("4", "chua_dat"),
        (unicodedata.normalize("NFD", "Chưa đạt"), "chua_dat"),
    ],
)
def test_levels(typed, level):
    assert p.parse_level(typed) == level


@pytest.mark.parametrize("typed", ["xuất sắc", "5", "😀"])
def test_unknown_level_lists_the_levels(typed):
    with pytest.raises(RuleError) as err:
        p.parse_level(typed)
    assert "1 tốt, 2 khá, 3 trung bình, 4 chưa đạt" in err.value.text


@pytest.mark.parametrize("typed, code", [("N12", 12), ("n12", 12), ("n 12", 12), ("12", 12), ("N-7", 7), ("Nguyễn", None), ("N12a", None)])
def test_codes(typed, code):
    assert p.parse_code(typed) == code


@pytest.mark.parametrize(
    "typed, field", [("tên", "name"), ("Họ tên", "name"), ("ngày sinh", "birth"), ("ngay sinh", "birth"),
                     ("nhóm", "categories"), ("nhom", "categories"), ("ghi chú", "note"), ("ghi chu", "note")]
)
def test_fields(typed, field):
    assert p.parse_field(typed) == field


def test_free_text_limits():
    assert p.parse_text("  Bí thư  chi đoàn ", what="ghi chú", example="x") == "Bí thư chi đoàn"
    assert p.parse_text("", what="ghi chú", example="x") == ""
    with pytest.raises(RuleError, match="tối đa 500"):
        p.parse_text("a" * 501, what="ghi chú", example="x")
    with pytest.raises(RuleError, match="chỉ có biểu tượng"):
        p.parse_text("🎉🎉", what="ghi chú", example="x")
    with pytest.raises(RuleError, match="Chưa có lý do"):
        p.parse_text(" ", what="lý do", example="x", required=True)


def test_split_args_keeps_empty_middle_parts():
    assert p.split_args(" ; 05/03/1998; dv ;") == ["", "05/03/1998", "dv"]
    assert p.split_args("") == []


def test_quarter_label():
    assert p.quarter_label(2026, 4) == "quý IV/2026"


@settings(max_examples=150, deadline=None)
@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
def test_deadline_is_always_a_weekday_after_the_probation(admission):
    earliest = p.earliest_recognition(admission)
    deadline = p.recognition_deadline(admission)
    assert deadline.weekday() < 5 and not is_holiday(deadline)
    # 30 working days = 6 weeks, give or take a weekend, plus up to two weeks of Tết and holidays
    assert 40 <= (deadline - earliest).days <= 58
