"""Targets and rates (domain.rates): pure functions."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from domain.rates import (
    admission_rate,
    default_target,
    fmt_percent,
    period_rate,
    period_years,
    unit_target,
)


def test_default_target_is_exact_for_round_products():
    # 0.04 * 25 == 1.0000000000000002 in binary floating point; the target must be 1.
    assert default_target(25, 0.04) == 1
    assert default_target(50, 0.04) == 2
    assert default_target(75, 0.04) == 3
    assert default_target(100, 0.07) == 7  # 0.07 * 100 == 7.000000000000001


def test_default_target_rounds_up_partial_admissions():
    assert default_target(24, 0.04) == 1  # 0.96
    assert default_target(26, 0.04) == 2  # 1.04
    assert default_target(1, 0.04) == 1
    assert default_target(0, 0.04) == 0


@given(st.integers(min_value=0, max_value=100_000), st.integers(min_value=1, max_value=100))
def test_default_target_is_the_smallest_integer_reaching_the_share(members, percent):
    rate = percent / 100
    target = default_target(members, rate)
    # exact integer arithmetic: target*100 >= percent*members > (target-1)*100
    assert target * 100 >= percent * members
    assert target == 0 or (target - 1) * 100 < percent * members


def test_assigned_target_wins_even_when_zero():
    assert unit_target(5, 25, 0.04) == 5
    assert unit_target(0, 200, 0.04) == 0
    assert unit_target(None, 200, 0.04) == 8


def test_admission_rate():
    assert admission_rate(1, 24) == 0.0417
    assert admission_rate(3, 25) == 0.12
    assert admission_rate(0, 25) == 0.0
    assert admission_rate(2, 0) == 0.0  # no recorded members: no rate, not a crash


def test_period_years_are_clipped_to_the_period():
    assert list(period_years((2020, 2025), 2023)) == [2020, 2021, 2022, 2023]
    assert list(period_years((2020, 2025), 2027)) == [2020, 2021, 2022, 2023, 2024, 2025]
    assert list(period_years((2020, 2025), 2019)) == []
    assert list(period_years((2025, 2030), 2025)) == [2025]


def test_period_rate_is_the_mean_yearly_rate_up_to_the_report_year():
    by_year = {2019: 9, 2020: 1, 2021: 2, 2022: 0, 2023: 3, 2026: 7}
    # 2020..2023 against 25 members: (1/25 + 2/25 + 0 + 3/25) / 4 = 0.06
    assert period_rate(by_year, 25, (2020, 2025), 2023) == 0.06
    # the report year after the period: clipped to 2020..2025; 2019 and 2026 never count
    assert period_rate(by_year, 25, (2020, 2025), 2026) == round(6 / (25 * 6), 4) == 0.04
    assert period_rate(by_year, 25, (2020, 2025), 2019) == 0.0
    assert period_rate(by_year, 0, (2020, 2025), 2023) == 0.0
    assert period_rate({}, 25, (2020, 2025), 2023) == 0.0


@given(st.dictionaries(st.integers(2015, 2035), st.integers(0, 500)), st.integers(1, 10_000),
       st.integers(2015, 2035))
def test_period_rate_equals_mean_of_yearly_rates(by_year, members, year):
    years = list(period_years((2020, 2025), year))
    expected = (sum(by_year.get(y, 0) / members for y in years) / len(years)) if years else 0.0
    assert math.isclose(period_rate(by_year, members, (2020, 2025), year), expected, abs_tol=5e-5 + 1e-12)  # rounded to 4 places: off by at most half a unit


def test_percentages_use_the_vietnamese_decimal_comma():
    assert fmt_percent(0.0417) == "4,17%"
    assert fmt_percent(0.04) == "4%"
    assert fmt_percent(0.125) == "12,5%"
    assert fmt_percent(0.0) == "0%"
    assert fmt_percent(1.0) == "100%"
