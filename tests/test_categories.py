"""The priority-group matcher: what secretaries type -> the directive's category keys."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.categories import CATEGORIES, CategoryEmpty, CategoryError, labels, match_categories, numbered_list


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("doan vien", ["doan_vien"]),
        ("Đoàn viên", ["doan_vien"]),
        ("ĐVTN", ["doan_vien"]),
        ("dv", ["doan_vien"]),
        ("đoàn viên thanh niên", ["doan_vien"]),
        ("sinh viên", ["hoc_sinh_sinh_vien"]),
        ("hoc sinh", ["hoc_sinh_sinh_vien"]),
        ("HSSV", ["hoc_sinh_sinh_vien"]),
        ("học sinh, sinh viên", ["hoc_sinh_sinh_vien"]),
        ("CN tư nhân", ["cong_nhan_tu_nhan"]),
        ("công nhân", ["cong_nhan_tu_nhan"]),
        ("công nhân lao động trong các đơn vị kinh tế tư nhân", ["cong_nhan_tu_nhan"]),
        ("tri thuc", ["tri_thuc"]),
        ("Trí thức", ["tri_thuc"]),
        ("dân quân", ["dan_quan_tu_ve"]),
        ("DQTV", ["dan_quan_tu_ve"]),
        ("dân quân tự vệ", ["dan_quan_tu_ve"]),
        ("quân nhân dự bị", ["quan_nhan_du_bi"]),
        ("nông thôn", ["nong_thon"]),
        ("khu vực nông thôn", ["nong_thon"]),
        ("khác", ["khac"]),
        ("1", ["doan_vien"]),
        ("8", ["khac"]),
        ("1,3", ["doan_vien", "quan_nhan_du_bi"]),
        ("1 3", ["doan_vien", "quan_nhan_du_bi"]),
        ("3, 1", ["doan_vien", "quan_nhan_du_bi"]),
        ("dv + sv", ["doan_vien", "hoc_sinh_sinh_vien"]),
        ("đoàn viên và sinh viên", ["doan_vien", "hoc_sinh_sinh_vien"]),
        ("doan vien sinh vien", ["doan_vien", "hoc_sinh_sinh_vien"]),
        ("đoàn viên, đoàn viên", ["doan_vien"]),
        ("HS/SV", ["hoc_sinh_sinh_vien"]),
        ("  Dân Quân Tự Vệ.  ", ["dan_quan_tu_ve"]),
        ("nhóm đoàn viên", ["doan_vien"]),
    ],
)
def test_typed_groups_are_recognised(typed, expected):
    assert match_categories(typed) == expected


@pytest.mark.parametrize("typed", ["doan vein", "sinh vein", "cong nhna", "dan quan tu vẹ", "tri thưc"])
def test_small_typos_are_forgiven(typed):
    assert len(match_categories(typed)) == 1


def test_decomposed_unicode_matches_like_composed():
    assert match_categories(unicodedata.normalize("NFD", "Đoàn viên, công nhân")) == ["doan_vien", "cong_nhan_tu_nhan"]


@pytest.mark.parametrize(
    "typed, unknown", [("abc", ["abc"]), ("dv, xyz", ["xyz"]), ("9", ["9"]), ("1, 0", ["0"]), ("Abc, Xyz", ["Abc", "Xyz"])]
)
def test_unknown_parts_are_named_with_the_numbered_list(typed, unknown):
    with pytest.raises(CategoryError) as err:
        match_categories(typed)
    assert err.value.unknown == unknown
    assert "Không nhận ra nhóm" in err.value.text
    assert "1 đoàn viên thanh niên" in err.value.text and "8 nhóm khác" in err.value.text
    for part in unknown:
        assert f"“{part}”" in err.value.text


def test_short_abbreviations_are_never_fuzzy_matched():
    with pytest.raises(CategoryError):
        match_categories("dx")


@pytest.mark.parametrize("typed", ["", "   ", ",", " + "])
def test_empty_input_asks_for_a_group(typed):
    with pytest.raises(CategoryEmpty) as err:
        match_categories(typed)
    assert "Chưa có nhóm" in err.value.text


def test_emoji_only_is_unknown():
    with pytest.raises(CategoryError) as err:
        match_categories("😀🎉")
    assert "😀🎉" in err.value.text


def test_labels_and_numbered_list_follow_the_directive_order():
    assert labels(["hoc_sinh_sinh_vien", "doan_vien"]) == "đoàn viên thanh niên; học sinh, sinh viên"
    listed = numbered_list()
    positions = [listed.index(f"{n} ") for n in range(1, len(CATEGORIES) + 1)]
    assert positions == sorted(positions)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_any_text_gives_keys_or_a_clear_error(text):
    try:
        keys = match_categories(text)
    except (CategoryError, CategoryEmpty) as err:
        assert err.text
    else:
        assert keys and set(keys) <= set(CATEGORIES) and keys == sorted(set(keys), key=CATEGORIES.index)
