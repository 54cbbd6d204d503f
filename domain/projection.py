"""Year-end projection of admissions (a pure rule, no I/O; the README states it).

    projected = admissions so far this year + likely admissions before 31/12

"Likely" counts the candidates of the pipeline who have completed the party-awareness class
(stage cảm tình Đảng, with the date of the class) and whose wait fits what the data shows:
the durations from the awareness class to admission observed in the same subtree (people
admitted since the start of the configured period) give a median M and a 90th percentile P90.
A candidate who finished the class on day A is likely before 31/12 when

    A + M <= 31/12            (a typical wait ends this year), and
    today - A <= P90          (they are not already stuck longer than 9 in 10 admitted people).

With fewer than MIN_OBSERVATIONS observed durations the defaults DEFAULT_MEDIAN_DAYS and
DEFAULT_P90_DAYS are used. Sources who have not attended the class cannot be admitted this
year by this rule; people already admitted count in `admissions`. A unit "will miss" its target
when projected < target. Reports for past years project nothing (projected == admissions).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

MIN_OBSERVATIONS = 5
DEFAULT_MEDIAN_DAYS = 180
DEFAULT_P90_DAYS = 365


@dataclass(frozen=True)
class Durations:
    """Observed awareness-class-to-admission durations, summarised."""

    median: int
    p90: int
    observed: int  # how many durations were observed (0: the defaults are used)


def quantile(histogram: Mapping[int, int], q: float) -> int:
    """The smallest duration d such that at least q of the observations are <= d."""
    total = sum(histogram.values())
    if total <= 0:
        raise ValueError("no observations")
    need = max(1, math.ceil(q * total))
    seen = 0
    for days in sorted(histogram):
        seen += histogram[days]
        if seen >= need:
            return days
    return max(histogram)  # pragma: no cover - unreachable


def summarise(histogram: Mapping[int, int]) -> Durations:
    """Durations (days -> how many people) into median and P90; defaults when too few.
    Negative durations (admission recorded before the class) are data errors and ignored."""
    clean = {d: n for d, n in histogram.items() if d >= 0 and n > 0}
    observed = sum(clean.values())
    if observed < MIN_OBSERVATIONS:
        return Durations(DEFAULT_MEDIAN_DAYS, DEFAULT_P90_DAYS, 0)
    return Durations(quantile(clean, 0.5), quantile(clean, 0.9), observed)


def likely_window(year: int, today: date, durations: Durations) -> tuple[date, date] | None:
    """The awareness-class dates [first, last] of candidates likely admitted before 31/12 of
    `year`, as seen on `today`; None when the report year is not the current one."""
    if year != today.year:
        return None
    last = date(year, 12, 31) - timedelta(days=durations.median)
    first = today - timedelta(days=durations.p90)
    return first, last


@dataclass(frozen=True)
class Projection:
    likely: int
    projected: int
    will_miss: bool

    def as_dict(self) -> dict:
        return {"likely": self.likely, "projected": self.projected, "will_miss": self.will_miss}


def project(admissions: int, likely: int, target: int) -> Projection:
    projected = admissions + likely
    return Projection(likely, projected, projected < target)
