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


def _header(sheet: Worksheet, row: int, headers: tuple[str, ...]) -> None:
    for column, title in enumerate(headers, start=1):
        cell = sheet.cell(row=row, column=column, value=title)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    sheet.freeze_panes = sheet.cell(row=row + 1, column=1)
    sheet.print_title_rows = f"{row}:{row}"
    sheet.auto_filter.ref = f"A{row}:{get_column_letter(len(headers))}{row}"


def _rows(sheet: Worksheet, first: int, rows: list[list[Any]]) -> None:
    for offset, values in enumerate(rows):
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=first + offset, column=column, value=value)
            cell.border = BORDER
            if isinstance(value, date):
                cell.number_format = DATE_FORMAT
                cell.alignment = Alignment(horizontal="center")


def _fit(sheet: Worksheet, header_row: int) -> None:
    """Column widths that fit the longest value (headers wrap, so they count by word)."""
    widths: dict[int, int] = {}
    for row in sheet.iter_rows(min_row=header_row):
        for cell in row:
            if cell.value is None:
                continue
            if isinstance(cell.value, date):
                length = 10
            elif isinstance(cell.value, float):
                length = 8
            elif cell.row == header_row:
                length = max(len(word) for word in str(cell.value).split()) + 2
            else:
                length = len(str(cell.value))
            widths[cell.column] = max(widths.get(cell.column, 0), length)
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = min(MAX_WIDTH, width + 2)
    sheet.row_dimensions[header_row].height = 45


def _print_setup(sheet: Worksheet) -> None:
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4


def _title(sheet: Worksheet, title: str, subtitle: str) -> None:
    sheet["A1"] = title
    sheet["A1"].font = Font(bold=True, size=13)
    sheet["A2"] = subtitle
    sheet["A2"].font = Font(italic=True)


def _person_rows(people, status=None) -> list[list[Any]]:
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
                   settings, today: date, window) -> bytes:
    """The workbook for `report` (build_report with depth 1) as .xlsx bytes. `probation` and
    `admissions` are storage.reports.PersonRow lists; `window` the EvaluationWindow of today."""
    year, org = report["year"], report["org"]
    years = period_years(settings.period_years, year)
    first, last = (years[0], years[-1]) if len(years) else settings.period_years
    title = texts.XLSX_TITLE.format(year=year, name=org["name"], code=org["code"])
    subtitle = texts.XLSX_SUBTITLE.format(date=fmt(today), first=first, last=last,
                                          required=fmt_percent(settings.target_rate))
    book = Workbook()

    summary = book.active
    summary.title = texts.XLSX_SHEET_SUMMARY
    _title(summary, title, subtitle)
    header_row = 4
    _header(summary, header_row, texts.XLSX_SUMMARY_HEADERS)
    summary.freeze_panes = summary.cell(row=header_row + 1, column=4)  # header and unit names stay
    rows = [[n, child["org"]["code"], child["org"]["name"], *summary_values(child)]
            for n, child in enumerate(report["children"], start=1)]
    rows.append(["", org["code"], texts.XLSX_TOTAL, *summary_values(report)])
    _rows(summary, header_row + 1, rows)
    total_row = header_row + len(rows)
    for column in range(1, len(texts.XLSX_SUMMARY_HEADERS) + 1):
        cell = summary.cell(row=total_row, column=column)
        cell.font = Font(bold=True)
        cell.fill = TOTAL_FILL
    for rate_column in (7, 8):  # Tỷ lệ, BQ giai đoạn
        for row in range(header_row + 1, total_row + 1):
            summary.cell(row=row, column=rate_column).number_format = PERCENT_FORMAT
    _fit(summary, header_row)
    _print_setup(summary)

    late_sheet = book.create_sheet(texts.XLSX_SHEET_LATE)
    quarter = quarter_label(window.year, window.quarter)
    _title(late_sheet, title, texts.XLSX_LATE_NONE.format(quarter=quarter, deadline=fmt(window.deadline))
           if not late else texts.XLSX_LATE_SUBTITLE.format(quarter=quarter, deadline=fmt(window.deadline)))
    _header(late_sheet, header_row, texts.XLSX_LATE_HEADERS)
    _rows(late_sheet, header_row + 1, [[n, c.code, c.name, c.pending, ", ".join(c.secretaries)]
                                       for n, c in enumerate(late, start=1)])
    _fit(late_sheet, header_row)
    _print_setup(late_sheet)

    def status(person) -> str:
        deadline = person.recognition_deadline
        if deadline is None:
            return texts.XLSX_PROBATION_UNKNOWN
        if deadline < today:
            return texts.XLSX_PROBATION_OVERDUE
        if (deadline - today).days <= 30:
            return texts.XLSX_PROBATION_DUE
        return texts.XLSX_PROBATION_LATER

    probation_sheet = book.create_sheet(texts.XLSX_SHEET_PROBATION)
    _title(probation_sheet, title, subtitle)
    _header(probation_sheet, header_row, texts.XLSX_PROBATION_HEADERS)
    _rows(probation_sheet, header_row + 1, _person_rows(probation, status))
    _fit(probation_sheet, header_row)
    _print_setup(probation_sheet)

    admissions_sheet = book.create_sheet(texts.XLSX_SHEET_ADMISSIONS.format(year=year))
    _title(admissions_sheet, title, subtitle)
    _header(admissions_sheet, header_row, texts.XLSX_ADMISSION_HEADERS)
    _rows(admissions_sheet, header_row + 1, _person_rows(admissions))
    _fit(admissions_sheet, header_row)
    _print_setup(admissions_sheet)

    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
