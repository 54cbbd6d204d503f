"""Vietnamese public holidays (ngày nghỉ lễ, Tết), for counting working days.

The `holidays` library (PyPI, the Open World Holidays Framework) knows Vietnam's: the fixed-date
holidays (Tết Dương lịch 1/1, 30/4, 1/5, Quốc khánh 2/9 and the day next to it), the lunar ones
(Tết Nguyên đán, Giỗ Tổ Hùng Vương 10/3 âm lịch) computed for any year, and the substitute days
off the government announces. A day off decided locally can be added as `extra`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from functools import lru_cache


@lru_cache(maxsize=64)
def _vietnam(year: int) -> frozenset[date]:
    import holidays  # imported when first needed: it is not small, and most processes never need it

    return frozenset(holidays.country_holidays("VN", years=year).keys())


class VietnamHolidays:
    """A container of dates: `day in VietnamHolidays()` for any year, computed on demand."""

    def __init__(self, extra: Iterable[date] = ()):
        self.extra = frozenset(extra)

    def __contains__(self, day: object) -> bool:
        if not isinstance(day, date):
            return False
        return day in self.extra or day in _vietnam(day.year)

    def in_year(self, year: int) -> list[date]:
        return sorted(_vietnam(year) | {d for d in self.extra if d.year == year})


VIETNAM = VietnamHolidays()


def is_holiday(day: date) -> bool:
    return day in VIETNAM
