"""Text table of a status report for `chibot report` (without --json)."""

from __future__ import annotations

from datetime import date
from typing import Any

from domain import texts
from domain.dates import fmt
from domain.rates import fmt_percent, period_years
from domain.categories import CATEGORIES as CATEGORY_KEYS
from domain.pipeline import quarter_label
from storage.reports import EvaluationWindow

NAME_WIDTH = 40


def _cell_text(value: str, width: int) -> str:
    return value if len(value) <= width else value[: width - 1] + "…"


def _row(report: dict[str, Any], indent: int) -> list[str]:
    label = "  " * indent + f"{report['org']['code']} {report['org']['name']}"
    return [
        _cell_text(label, NAME_WIDTH),
        str(report["members"]),
        str(report["target"]),
        str(report["admissions"]),
        fmt_percent(report["rate"]),
        fmt_percent(report["period_rate"]),
        str(report["sources_active"]),
        str(report["evaluations_due"]),
        str(report["cells_late"]),
        str(report["probation_due"]),
    ]


def _rows(report: dict[str, Any], indent: int = 0) -> list[list[str]]:
    rows = [_row(report, indent)]
    for child in report["children"]:
        rows += _rows(child, indent + 1)
    return rows


def render_report(report: dict[str, Any], settings, today: date) -> list[str]:
    """A title, one row for the unit and one per child (indented), then the notes."""
    year = report["year"]
    lines = [texts.REPORT_TITLE.format(year=year, name=report["org"]["name"],
                                       code=report["org"]["code"], date=fmt(today)), ""]
    table = [list(texts.REPORT_COLUMNS)] + _rows(report)
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    for n, row in enumerate(table):
        cells = [row[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(row[1:], widths[1:])]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    lines.append("")

    items = "; ".join(f"{texts.CATEGORY_NAMES[k]} {report['sources_by_category'][k]}"
                      for k in CATEGORY_KEYS)
    lines.append(texts.REPORT_CATEGORIES.format(items=items))
    years = period_years(settings.period_years, year)
    first, last = settings.period_years
    if len(years):
        lines.append(texts.REPORT_PERIOD_NOTE.format(first=years[0], last=years[-1],
                                                     required=fmt_percent(settings.target_rate)))
    else:
        lines.append(texts.REPORT_PERIOD_NOT_STARTED.format(first=first, last=last, year=year))
    window = EvaluationWindow.on(today, settings.evaluation_due_day)
    lines.append(texts.REPORT_EVALUATION_NOTE.format(
        quarter=quarter_label(window.year, window.quarter), year=window.year, deadline=fmt(window.deadline)))
    return lines
