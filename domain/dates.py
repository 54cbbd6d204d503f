"""Dates as users type them (dd/mm/yyyy), quarters and working days. Pure functions."""

from __future__ import annotations

import re
from collections.abc import Container
from datetime import date, timedelta

from domain.text import fold

_DATE = re.compile(r"^\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4}|\d{2})\s*$")
# Words for a day relative to today, as typed with or without diacritics.
_RELATIVE = {"hom nay": 0, "homnay": 0, "hnay": 0, "hom qua": -1, "homqua": -1, "hqua": -1}


class DateError(ValueError):
    """The text is not a real date; `reason` is "format" or "invalid" ("day" when the day does
    not exist in that month, "month" when the month is not 1–12)."""

    def __init__(self, text: str, reason: str, detail: str = ""):
        super().__init__(text)
        self.text = text
        self.reason = reason
        self.detail = detail


def expand_year(two_digits: int, today: date) -> int:
    """A two-digit year as people write it: the latest year ending in those digits that is not
    after this year ("98" -> 1998, "05" -> 2005 in 2026, "30" -> 1930 in 2026)."""
    century = today.year - today.year % 100
    year = century + two_digits
    return year if year <= today.year else year - 100


def parse_date(text: str, today: date | None = None) -> date:
    """'5/3/1990', '05-03-1990', '05.03.1990', '5/3/90' -> date(1990, 3, 5); "hôm nay" and
    "hôm qua" (with or without diacritics) when `today` is given; raises DateError."""
    if today is not None:
        relative = _RELATIVE.get(fold(text).strip(" ."))
        if relative is not None:
            return today + timedelta(days=relative)
    match = _DATE.match(text)
    if not match:
        raise DateError(text, "format")
    day, month, year = (int(g) for g in match.groups())
    if len(match[3]) == 2:
        year = expand_year(year, today or date.today())
    if not 1 <= month <= 12:
        raise DateError(text, "invalid", "month")
    try:
        return date(year, month, day)
    except ValueError:
        raise DateError(text, "invalid", "day") from None


def fmt(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


ROMAN_QUARTERS = ("I", "II", "III", "IV")


def quarter_of(value: date) -> tuple[int, int]:
    return value.year, (value.month - 1) // 3 + 1


def previous_quarter(year: int, quarter: int) -> tuple[int, int]:
    return (year, quarter - 1) if quarter > 1 else (year - 1, 4)


def in_first_month_of_quarter(value: date) -> bool:
    return (value.month - 1) % 3 == 0


def quarter_last_day(year: int, quarter: int) -> date:
    month = quarter * 3
    first_next = date(year + (month == 12), month % 12 + 1, 1)
    return first_next - timedelta(days=1)


def evaluation_deadline(year: int, quarter: int, due_day: int) -> date:
    """The day a quarter's evaluations are due: `due_day` of the quarter's last month."""
    last = quarter_last_day(year, quarter)
    return last.replace(day=min(due_day, last.day))


def add_months(value: date, months: int) -> date:
    month_index = value.month - 1 + months
    year, month = value.year + month_index // 12, month_index % 12 + 1
    last = (date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)).day
    return date(year, month, min(value.day, last))


def is_working_day(value: date, holidays: Container[date] = ()) -> bool:
    return value.weekday() < 5 and value not in holidays


def add_working_days(value: date, days: int, holidays: Container[date] = ()) -> date:
    """`days` working days after `value`: Monday–Friday, skipping the given public holidays
    (domain.holidays), so the result is itself always a working day."""
    current = value
    while days > 0:
        current += timedelta(days=1)
        if is_working_day(current, holidays):
            days -= 1
    return current


def age_on(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
