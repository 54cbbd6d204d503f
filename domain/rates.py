"""Admission targets and rates (Directive 13-CT/TU, task 1). Pure functions, no I/O.

The directive asks each party organisation to admit, on average per year, more than a given
share of its membership (4 % in 2020–2025). The share and the period are settings
(CHIBOT_TARGET_RATE, CHIBOT_PERIOD), passed in here as plain values.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from decimal import Decimal

RATE_DECIMALS = 4  # rates are fractions (0.0417 == 4.17 %), rounded to 4 decimals


def default_target(members: int, target_rate: float) -> int:
    """ceil(target_rate × members), computed in decimal so that 0.04 × 25 is exactly 1."""
    if members <= 0:
        return 0
    return math.ceil(Decimal(str(target_rate)) * members)


def unit_target(assigned: int | None, members: int, target_rate: float) -> int:
    """The unit's target for a year: the assigned one when set, else the default share."""
    return assigned if assigned is not None else default_target(members, target_rate)


def admission_rate(admissions: int, members: int) -> float:
    """admissions / members, 0 when the unit records no members; rounded to 4 decimals."""
    if members <= 0:
        return 0.0
    return round(admissions / members, RATE_DECIMALS)


def period_years(period: tuple[int, int], year: int) -> range:
    """The years of the period from its start up to `year`, clipped to the period.

    (2020, 2025) and 2023 -> 2020..2023; 2027 -> 2020..2025; 2019 -> empty."""
    start, end = period
    return range(start, min(year, end) + 1)


def period_rate(
    admissions_by_year: Mapping[int, int], members: int, period: tuple[int, int], year: int
) -> float:
    """The average yearly admission rate over the period up to `year` (see `period_years`):
    the mean over those years of admissions_in_year / members.

    `members` is the unit's *current* recorded membership: the organisation tree keeps one
    member count per unit, not a history, so every year of the period is measured against
    today's membership. 0 when no year of the period has started or the unit has no members."""
    years = period_years(period, year)
    if members <= 0 or len(years) == 0:
        return 0.0
    total = sum(admissions_by_year.get(y, 0) for y in years)
    return round(total / (members * len(years)), RATE_DECIMALS)


def fmt_percent(fraction: float) -> str:
    """0.0417 -> "4,17%", 0.04 -> "4%", 0 -> "0%": Vietnamese decimal comma, at most two
    decimals, no trailing zeros. The one style for rates everywhere (chat and CLI)."""
    value = (Decimal(str(fraction)) * 100).quantize(Decimal("0.01"))
    text = f"{value:f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") + "%"
