"""The report chart (PNG): admission rate by child unit against the target line, and the
unit's rate by year over the period. Headless (matplotlib's Agg canvas, no pyplot state, so
it is safe in a worker thread) and drawn in DejaVu Sans, the font matplotlib ships, which has
every Vietnamese letter (tests/test_charts.py checks each label against the font's glyphs).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.font_manager import FontProperties  # noqa: E402

from domain import texts  # noqa: E402
from domain.rates import admission_rate, fmt_percent, period_years  # noqa: E402

FONT_PATH = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
FONT = FontProperties(fname=str(FONT_PATH))
MAX_BARS = 40
LABEL_CHARS = 38


def _short(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "…"


def chart_labels(report: dict[str, Any], settings) -> list[str]:
    """Every text the chart draws (for the glyph check)."""
    return _texts(report, settings)[0]


def _texts(report: dict[str, Any], settings):
    year, name = report["year"], report["org"]["name"]
    required = fmt_percent(settings.target_rate)
    children = report["children"][:MAX_BARS]
    labels = [_short(f"{c['org']['name']}") for c in children]
    more = len(report["children"]) - len(children)
    strings = [texts.CHART_TITLE.format(year=year, name=name), texts.CHART_RATE_AXIS,
               texts.CHART_TARGET_LINE.format(required=required), texts.CHART_UNIT_RATE,
               texts.CHART_BY_YEAR.format(name=name), texts.CHART_YEAR_AXIS, *labels]
    if more > 0:
        strings.append(texts.CHART_MORE_UNITS.format(n=more))
    return strings, labels, children, more


def render_chart(report: dict[str, Any], settings) -> bytes:
    """The PNG for `report` (build_report with depth >= 1)."""
    strings, labels, children, more = _texts(report, settings)
    year, name = report["year"], report["org"]["name"]
    required = settings.target_rate * 100
    bars = max(len(children), 1)
    figure = Figure(figsize=(11.7, max(4.5, 0.32 * bars + 2.2) + 3.6), dpi=110)
    FigureCanvasAgg(figure)
    top, bottom = figure.subplots(2, 1, gridspec_kw={"height_ratios": [max(3, bars * 0.32 + 1.2), 3]})

    # 1. rate by child unit (or the unit itself when it has no children), against the target
    units = children or [report]
    names = labels or [_short(name)]
    rates = [u["rate"] * 100 for u in units]
    colours = ["#c62828" if r < required else "#2e7d32" for r in rates]
    positions = list(range(len(units)))[::-1]
    top.barh(positions, rates, color=colours, label=texts.CHART_UNIT_RATE)
    top.axvline(required, color="#1565c0", linestyle="--",
                label=texts.CHART_TARGET_LINE.format(required=fmt_percent(settings.target_rate)))
    top.set_yticks(positions, names, fontproperties=FONT, fontsize=8)
    for position, rate in zip(positions, rates):
        top.text(rate, position, " " + fmt_percent(rate / 100), va="center", fontproperties=FONT, fontsize=7)
    top.set_xlabel(texts.CHART_RATE_AXIS, fontproperties=FONT)
    title = texts.CHART_TITLE.format(year=year, name=name)
    if more > 0:
        title += " " + texts.CHART_MORE_UNITS.format(n=more)
    top.set_title(title, fontproperties=FONT, fontsize=11)
    top.legend(prop=FONT, loc="lower right", fontsize=8)
    top.set_xlim(0, max([required * 1.6, *rates]) * 1.15 or 1)

    # 2. the unit's rate by year over the period
    years = [y for y in period_years(settings.period_years, year)] or [year]
    by_year = report.get("admissions_by_year", {})
    year_rates = [admission_rate(by_year.get(str(y), 0), report["members"]) * 100 for y in years]
    bottom.plot(years, year_rates, marker="o", color="#6a1b9a", label=texts.CHART_UNIT_RATE)
    bottom.axhline(required, color="#1565c0", linestyle="--",
                   label=texts.CHART_TARGET_LINE.format(required=fmt_percent(settings.target_rate)))
    bottom.set_xticks(years, [str(y) for y in years], fontproperties=FONT)
    bottom.set_xlabel(texts.CHART_YEAR_AXIS, fontproperties=FONT)
    bottom.set_ylabel("%", fontproperties=FONT)
    bottom.set_ylim(0, max([required * 1.6, *year_rates]) * 1.15)
    bottom.set_title(texts.CHART_BY_YEAR.format(name=name), fontproperties=FONT, fontsize=11)
    bottom.legend(prop=FONT, loc="upper left", fontsize=8)
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()
