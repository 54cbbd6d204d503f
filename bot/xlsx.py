"""The report workbook (openpyxl), in the shape committee staff use:

- "Tổng hợp": one row per child unit and a total row (the unit's own figures, exactly those of
  `report --json`): members, target, admissions, rate, period average, year-end projection,
  sources by priority group and by stage, evaluations due, late cells, probation due/overdue;
- "Chi bộ chậm đánh giá": the late cells with how many sources each and their secretaries;
- "Hạn xét chính thức": the probationary members by recognition deadline;
- "Kết nạp năm Y": the year's admissions.

Vietnamese headers, dates as real dates shown dd/mm/yyyy, numbers as numbers (rates as
percentages), a frozen header row, column widths that fit, A4 landscape print setup.
Pure: data in, bytes out (run it in a worker thread from the event loop).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from domain import texts
from domain.categories import CATEGORIES as CATEGORY_KEYS
from domain.dates import fmt
from domain.pipeline import quarter_label
from domain.rates import fmt_percent, period_years

DATE_FORMAT = "DD/MM/YYYY"
PERCENT_FORMAT = "0.00%"
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
TOTAL_FILL = PatternFill("solid", fgColor="FFF2CC")
THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
MAX_WIDTH = 50
HEADER_ROW = 4


@dataclass(frozen=True)
class LateCell:
    code: str
    name: str
    pending: int
    secretaries: tuple[str, ...]


def summary_values(report: dict[str, Any]) -> list[Any]:
    """The summary sheet's figures for one unit, in the order of XLSX_SUMMARY_HEADERS[3:]."""
    projection, pipeline = report["projection"], report["pipeline"]
    return [
        report["members"], report["target"], report["admissions"], report["rate"], report["period_rate"],
        projection["projected"], texts.XLSX_NO if projection["will_miss"] else texts.XLSX_YES,
        report["sources_active"],
        *(report["sources_by_category"][key] for key in CATEGORY_KEYS),
        pipeline["sources"], pipeline["awareness"], pipeline["probationary"], pipeline["recognised"],
        report["evaluations_due"], report["cells_late"], report["probation_due"], report["probation_overdue"],
    ]


class _Sheet:
    """One sheet of a write-only workbook (openpyxl's fast mode: rows are streamed, so a
    province's thousands of rows take well under a second): title rows, a styled header row,
    data rows; widths computed from the values, the header frozen, A4 landscape."""

    def __init__(self, book: Workbook, name: str, title: str, subtitle: str, headers: tuple[str, ...]):
        self.sheet = book.create_sheet(name)
        self.title, self.subtitle, self.headers = title, subtitle, headers
        self.rows: list[list[Any]] = []
        self.formats: dict[int, str] = {}  # column index (0-based) -> number format
        self.bold_last = False
        self.freeze_column = 1

    def write(self) -> None:
        sheet = self.sheet
        widths = [max(len(word) for word in h.split()) + 2 for h in self.headers]
        for row in self.rows:
            for i, value in enumerate(row):
                length = 10 if isinstance(value, date) else 8 if isinstance(value, float) else len(str(value))
                widths[i] = max(widths[i], length)
        for i, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(i)].width = min(MAX_WIDTH, width + 2)
        sheet.freeze_panes = f"{get_column_letter(self.freeze_column)}{HEADER_ROW + 1}"
        sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
        sheet.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(self.headers))}{HEADER_ROW}"
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.print_options.horizontalCentered = True

        title = WriteOnlyCell(sheet, self.title)
        title.font = Font(bold=True, size=13)
        subtitle = WriteOnlyCell(sheet, self.subtitle)
        subtitle.font = Font(italic=True)
        sheet.append([title])
        sheet.append([subtitle])
        sheet.append([])
        header = []
        for value in self.headers:
            cell = WriteOnlyCell(sheet, value)
            cell.font, cell.fill, cell.border = Font(bold=True), HEADER_FILL, BORDER
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            header.append(cell)
        sheet.row_dimensions[HEADER_ROW].height = 45
        sheet.append(header)
        last = len(self.rows) - 1
        for n, row in enumerate(self.rows):
            bold = self.bold_last and n == last
            if not bold and not self.formats and not any(isinstance(v, date) for v in row):
                sheet.append(row)
                continue
            cells = []
            for i, value in enumerate(row):
                cell = WriteOnlyCell(sheet, value)
                if isinstance(value, date):
                    cell.number_format = DATE_FORMAT
                elif i in self.formats:
                    cell.number_format = self.formats[i]
                if bold:
                    cell.font, cell.fill = Font(bold=True), TOTAL_FILL
                cells.append(cell)
            sheet.append(cells)


def _more(sheet: _Sheet, total: int | None, shown: int) -> None:
    if total is not None and total > shown:
        sheet.rows.append(["", "", texts.XLSX_MORE_ROWS.format(n=total - shown)])


def _person_rows(people, status=None) -> list[list[Any]]:
    """None for missing dates: an empty cell, not a text."""
    rows = []
    for n, person in enumerate(people, start=1):
        if status is None:
            rows.append([n, person.code, person.name, person.unit_code, person.unit_name,
                         person.admission_date, person.decision_no or ""])
        else:
            rows.append([n, person.code, person.name, person.unit_code, person.unit_name,
                         person.admission_date, person.recognition_deadline, status(person)])
    return rows


def build_workbook(report: dict[str, Any], *, late: list[LateCell], probation: list, admissions: list,
                   settings, today: date, window, late_total: int | None = None,
                   probation_total: int | None = None, admissions_total: int | None = None) -> bytes:
    """The workbook for `report` (build_report with depth 1) as .xlsx bytes. `probation` and
    `admissions` are storage.reports.PersonRow lists; `window` the EvaluationWindow of today;
    the *_total counts say how many rows there are when the lists were cut short."""
    year, org = report["year"], report["org"]
    years = period_years(settings.period_years, year)
    first, last = (years[0], years[-1]) if len(years) else settings.period_years
    title = texts.XLSX_TITLE.format(year=year, name=org["name"], code=org["code"])
    subtitle = texts.XLSX_SUBTITLE.format(date=fmt(today), first=first, last=last,
                                          required=fmt_percent(settings.target_rate))
    book = Workbook(write_only=True)

    summary = _Sheet(book, texts.XLSX_SHEET_SUMMARY, title, subtitle, texts.XLSX_SUMMARY_HEADERS)
    summary.rows = [[n, child["org"]["code"], child["org"]["name"], *summary_values(child)]
                    for n, child in enumerate(report["children"], start=1)]
    summary.rows.append(["", org["code"], texts.XLSX_TOTAL, *summary_values(report)])
    summary.formats = {6: PERCENT_FORMAT, 7: PERCENT_FORMAT}  # Tỷ lệ, BQ giai đoạn
    summary.bold_last = True
    summary.freeze_column = 4  # the header row and the unit's code and name stay in view
    summary.write()

    quarter = quarter_label(window.year, window.quarter)
    names = {"quarter": quarter, "deadline": fmt(window.deadline)}
    late_sheet = _Sheet(book, texts.XLSX_SHEET_LATE, title,
                        (texts.XLSX_LATE_SUBTITLE if late else texts.XLSX_LATE_NONE).format(**names),
                        texts.XLSX_LATE_HEADERS)
    late_sheet.rows = [[n, c.code, c.name, c.pending, ", ".join(c.secretaries)] for n, c in enumerate(late, start=1)]
    _more(late_sheet, late_total, len(late))
    late_sheet.write()

    def status(person) -> str:
        deadline = person.recognition_deadline
        if deadline is None:
            return texts.XLSX_PROBATION_UNKNOWN
        if deadline < today:
            return texts.XLSX_PROBATION_OVERDUE
        if (deadline - today).days <= 30:
            return texts.XLSX_PROBATION_DUE
        return texts.XLSX_PROBATION_LATER

    probation_sheet = _Sheet(book, texts.XLSX_SHEET_PROBATION, title, subtitle, texts.XLSX_PROBATION_HEADERS)
    probation_sheet.rows = _person_rows(probation, status)
    _more(probation_sheet, probation_total, len(probation))
    probation_sheet.write()

    admissions_sheet = _Sheet(book, texts.XLSX_SHEET_ADMISSIONS.format(year=year), title, subtitle,
                              texts.XLSX_ADMISSION_HEADERS)
    admissions_sheet.rows = _person_rows(admissions)
    _more(admissions_sheet, admissions_total, len(admissions))
    admissions_sheet.write()

    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
