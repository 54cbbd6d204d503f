"""Dates as users type them (dd/mm/yyyy), quarters and working days. Pure functions."""

from __future__ import annotations

import re
from datetime import date, timedelta

_DATE = re.compile(r"^\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})\s*$")


class DateError(ValueError):
    """The text is not a real dd/mm/yyyy date; `reason` is "format" or "invalid"."""

    def __init__(self, text: str, reason: str):
        super().__init__(text)
        self.text = text
        self.reason = reason


def parse_date(text: str) -> date:
    """'5/3/1990', '05-03-1990' or '05.03.1990' -> date(1990, 3, 5); raises DateError."""
    match = _DATE.match(text)
    if not match:
        raise DateError(text, "format")
    day, month, year = (int(g) for g in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        raise DateError(text, "invalid") from None


def fmt(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


ROMAN_QUARTERS = ("I", "II", "III", "IV")


def quarter_of(value: date) -> tuple[int, int]:
    return value.year, (value.month - 1) // 3 + 1


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


def add_working_days(value: date, days: int) -> date:
    """Monday–Friday only; public holidays are not known here and are not skipped."""
    current = value
    while days > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            days -= 1
    return current


def age_on(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
