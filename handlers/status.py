"""/tinhhinh [MÃ hoặc tên]: status of one's unit, or of a unit in one's subtree, with drill-down.

Secretaries see their own cell with the names of the people who still need this quarter's
evaluation and of the probationary members with their deadlines (private chat only: the core
refuses this command in groups). Staff and admins see figures for any unit of their subtree,
the late cells, the pipeline by stage, the year-end projection, and buttons ("tt:<unit id>";
numbers on Zalo and the console) to go down to a child unit or back up; every press is checked
against the user's scope again. Child units below target, late with evaluations or with
probation deadlines passed are marked. A unit is named by its code or by part of its name
typed with or without diacritics; a name is looked up only inside the user's own scope, and
several matches are offered as choices. Staff see figures, not names: people's data stays
with the cell that reports it (the audited /baocao workbook is the exception).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from domain import texts
from domain.dates import fmt
from domain.rates import fmt_percent, period_years
from domain.roles import ADMIN, SECRETARY, STAFF, in_scope
from handlers.core import Context, Router
from handlers.types import Choice, Reply, UserError
from storage import orgs
from storage.models import OrgUnit
from storage.orgsearch import find_by_name
from domain.categories import CATEGORIES as CATEGORY_KEYS
from domain.pipeline import quarter_label
from storage.reports import EvaluationWindow, build_report, cell_status, late_cells

router = Router()

DRILL = "tt"
MAX_CHILDREN = 30  # children listed and offered as buttons
MAX_LINES = 30  # people or late cells listed


@router.command("tinhhinh", roles=(SECRETARY, STAFF, ADMIN), order=30)
async def status(ctx: Context, args: str) -> Reply:
    user = ctx.require_user()
    unit = user.org
    if args:
        found = await resolve_unit(ctx, args, "tinhhinh", DRILL)
        if isinstance(found, Reply):
            return found
        unit = found
    ctx.require_scope(unit)
    return await show(ctx, unit)


MAX_MATCHES = 8  # units offered when several match a typed name


async def resolve_unit(ctx: Context, args: str, command: str, prefix: str) -> OrgUnit | Reply:
    """The unit typed after a command: its code (any letter case), else part of its name with
    or without diacritics, looked up only inside the user's scope; several matches come back
    as a Reply offering them ("<prefix>:<id>" choices). The caller still checks the scope of a
    unit found by code (so a code outside it is refused, not "not found")."""
    user = ctx.require_user()
    text = args.strip()
    unit = await orgs.by_code(ctx.session, text)
    if unit is not None:
        return unit
    within = None if user.role == ADMIN else user.org
    matches = await find_by_name(ctx.session, text, within, limit=MAX_MATCHES + 1)
    if len(matches) == 1:
        return matches[0]
    if not matches:
        first = text.split()[0] if text.split() else text
        unit = await orgs.by_code(ctx.session, first) if first != text else None
        if unit is not None:  # "/tinhhinh DEMO-CB1 xem" still means the code
            return unit
        raise UserError(texts.UNIT_NOT_FOUND.format(text=text, command=command, example=user.org.code))
    if len(matches) > MAX_MATCHES:
        lines = [texts.UNIT_MANY.format(n=MAX_MATCHES, text=text)]
    else:
        lines = [texts.UNIT_SEVERAL.format(n=len(matches), text=text)]
    choices = tuple(Choice(f"{m.name} ({m.code})", f"{prefix}:{m.id}")
                    for m in matches[:MAX_MATCHES])
    return Reply("\n".join(lines), choices)


@router.choice(DRILL, command="tinhhinh")
async def drill(ctx: Context, value: str) -> Reply:
    user = ctx.require_user()
    if ctx.incoming.is_group:
        return Reply(texts.PRIVATE_ONLY)
    if user.role not in (SECRETARY, STAFF, ADMIN):
        raise UserError(texts.WRONG_ROLE.format(command="tinhhinh"))
    raw = value.split(":", 1)[1]
    unit = await ctx.session.get(OrgUnit, int(raw)) if raw.isascii() and raw.isdigit() else None
    if unit is None:
        raise UserError(texts.STATUS_STALE_UNIT)
    ctx.require_scope(unit)
    return await show(ctx, unit)


async def show(ctx: Context, unit: OrgUnit) -> Reply:
    user = ctx.require_user()
    if user.role == SECRETARY and unit.id == user.org_id:
        return await _cell_view(ctx, unit)
    return await _unit_view(ctx, unit)


# --- rendering --------------------------------------------------------------------------------
def _quarter(window: EvaluationWindow) -> dict[str, str | int]:
    return {"quarter": quarter_label(window.year, window.quarter), "year": window.year,
            "deadline": fmt(window.deadline)}


def _figures(report: dict, settings) -> list[str]:
    """The lines common to every view: members, admissions against target, the period."""
    year = report["year"]
    lines = [
        texts.STATUS_MEMBERS.format(members=report["members"]),
        texts.STATUS_ADMISSIONS.format(year=year, admissions=report["admissions"],
                                       target=report["target"], rate=fmt_percent(report["rate"])),
    ]
    if report["target"] and report["admissions"] >= report["target"]:
        lines.append(texts.STATUS_TARGET_MET.format(year=year))
    years = period_years(settings.period_years, year)
    first, last = settings.period_years
    if len(years):
        lines.append(texts.STATUS_PERIOD.format(first=years[0], last=years[-1],
                                                rate=fmt_percent(report["period_rate"]),
                                                required=fmt_percent(settings.target_rate)))
    else:
        lines.append(texts.STATUS_PERIOD_NOT_STARTED.format(first=first, last=last))
    return lines


def _categories(report: dict) -> list[str]:
    categories = category_summary(report["sources_by_category"])
    return [texts.STATUS_POOL_CATEGORIES.format(items=categories)] if categories else []


def category_summary(by_category: dict[str, int]) -> str:
    """'đoàn viên thanh niên 3; khu vực nông thôn 2' — only the groups present
    (";" because some group names contain a comma)."""
    return "; ".join(
        f"{texts.CATEGORY_NAMES[key]} {by_category[key]}"
        for key in CATEGORY_KEYS
        if by_category.get(key)
    )


def child_marks(child: dict, current_year: bool) -> list[str]:
    """What to flag on a child unit's line: below target (and whether the projection says it
    will miss), late with evaluations, probation deadlines passed."""
    marks = []
    if child["target"] and child["admissions"] < child["target"]:
        will_miss = current_year and child["projection"]["will_miss"]
        marks.append(texts.MARK_WILL_MISS if will_miss or not current_year else texts.MARK_BELOW_TARGET)
    if child["cells_late"]:
        marks.append(texts.MARK_LATE_CELL if child.get("kind") == "cell"
                     else texts.MARK_LATE_CELLS.format(n=child["cells_late"]))
    if child["probation_overdue"]:
        marks.append(texts.MARK_PROBATION_OVERDUE.format(n=child["probation_overdue"]))
    return marks


def _child_line(child: dict, current_year: bool) -> str:
    names = {"name": child["org"]["name"], "code": child["org"]["code"], "admissions": child["admissions"],
             "target": child["target"], "due": child["evaluations_due"]}
    marks = child_marks(child, current_year)
    if marks:
        return texts.STAFF_CHILD_FLAGGED.format(marks="; ".join(marks), **names)
    return texts.STATUS_CHILD_LINE.format(**names)


@asynccontextmanager
async def report_session(ctx: Context) -> AsyncIterator[AsyncSession]:
    """Where a staff report reads: the read-only report sessions when there are (a second
    SQLite connection: the update's own connection, which every writer queues for, is not held
    while the figures are counted), else the update's session."""
    if ctx.services.report_sessions is None:
        yield ctx.session
        return
    await release_writer(ctx)
    async with ctx.services.report_sessions() as session:
        async with session.begin():
            yield session


async def release_writer(ctx: Context) -> None:
    """SQLite has one writer connection, which an update holds from its first query until its
    commit, and every other update queues for it: while a staff report is counted and its
    files are built (seconds for a province's workbook) the update gives it back. What the
    update writes (the export's audit row, the dialog, the replies and the inbox row marked
    handled) is still written in one transaction when the handler returns; an update cut short
    by a crash meanwhile is handled again on start. Nothing to do on PostgreSQL (a pool)."""
    update = ctx.session
    if ctx.services.report_sessions is not None and not (update.new or update.dirty or update.deleted):
        await update.commit()


async def _unit_view(ctx: Context, unit: OrgUnit) -> Reply:
    async with report_session(ctx) as reader:
        return await _unit_view_in(ctx, unit, reader)


async def _unit_view_in(ctx: Context, unit: OrgUnit, reader: AsyncSession) -> Reply:
    user = ctx.require_user()
    today, settings, session = ctx.today(), ctx.settings, ctx.session
    report = await build_report(reader, unit, today.year, today, settings, depth=1)
    window = EvaluationWindow.on(today, settings.evaluation_due_day)
    quarter = _quarter(window)
    year = report["year"]
    pipeline, projection = report["pipeline"], report["projection"]

    lines = [texts.STATUS_HEADER.format(unit=unit.name, code=unit.code, date=fmt(today))]
    lines += _figures(report, settings)
    if report["target"] and report["admissions"] < report["target"]:
        lines.append(texts.STAFF_PROJECTION.format(year=year, target=report["target"], **projection))
        if projection["will_miss"]:
            lines.append(texts.STAFF_PROJECTION_MISS.format(
                year=year, short=report["target"] - projection["projected"]))
    lines.append(texts.CELL_POOL.format(active=report["sources_active"], awareness=pipeline["awareness"]))
    lines += _categories(report)
    lines.append(texts.STAFF_PIPELINE.format(year=year, **pipeline))
    if report["evaluations_due"]:
        lines.append(texts.STATUS_EVALUATIONS_DUE.format(n=report["evaluations_due"], **quarter))
    elif report["sources_active"]:
        lines.append(texts.STATUS_EVALUATIONS_DONE.format(**quarter))
    if report["probation_due"]:
        line = texts.STATUS_PROBATION_DUE.format(n=report["probation_due"])
        if report["probation_overdue"]:
            line += ", " + texts.STAFF_PROBATION_OVERDUE.format(n=report["probation_overdue"])
        lines.append(line)

    if report["cells_late"]:
        lines.append(texts.STATUS_CELLS_LATE.format(n=report["cells_late"], **quarter))
        late = await late_cells(reader, unit, today, settings, limit=MAX_LINES)
        for cell, n in late:
            lines.append(texts.STATUS_LATE_LINE.format(name=cell.name, code=cell.code, n=n))
        if report["cells_late"] > len(late):
            lines.append(texts.STATUS_MORE.format(n=report["cells_late"] - len(late)))

    choices: list[Choice] = []
    children = report["children"]
    if children:
        ids = {child.code: child.id for child in await orgs.children(reader, unit)}
        lines.append(texts.STATUS_CHILDREN_HEADER)
        # flagged units first, so that the ones needing attention fit the screen
        ordered = sorted(children, key=lambda c: not child_marks(c, True))
        for child in ordered[:MAX_CHILDREN]:
            lines.append(_child_line(child, True))
            if child["org"]["code"] in ids:
                choices.append(Choice(child["org"]["name"], f"{DRILL}:{ids[child['org']['code']]}"))
        if len(children) > MAX_CHILDREN:
            lines.append(texts.STATUS_CHILDREN_MORE.format(
                n=len(children) - MAX_CHILDREN, example=ordered[MAX_CHILDREN]["org"]["code"]))
        lines.append(texts.STATUS_CHILDREN_PICK)
    if user.role in (STAFF, ADMIN):
        lines.append(texts.STAFF_REPORT_HINT.format(code=unit.code))
    if unit.id != user.org_id and unit.parent_id is not None:
        parent = await session.get(OrgUnit, unit.parent_id)
        if parent is not None and in_scope(user.role, user.org.path, parent.path):
            choices.append(Choice(texts.STATUS_UP.format(name=parent.name), f"{DRILL}:{parent.id}"))
    return Reply("\n".join(lines), tuple(choices))


async def _cell_view(ctx: Context, cell: OrgUnit) -> Reply:
    today, settings = ctx.today(), ctx.settings
    data = await cell_status(ctx.session, cell, today, settings)
    report, window, quarter = data.report, data.window, _quarter(data.window)

    lines = [texts.STATUS_HEADER.format(unit=cell.name, code=cell.code, date=fmt(today))]
    lines += _figures(report, settings)
    lines.append(texts.CELL_POOL.format(active=report["sources_active"], **data.by_stage))
    lines += _categories(report)
    lines.append(texts.CELL_MEMBERS_PIPELINE.format(**data.by_stage))

    lines.append("")
    if data.needs_evaluation:
        header = texts.CELL_NEEDS_EVALUATION_LATE if window.late else texts.CELL_NEEDS_EVALUATION
        lines.append(header.format(**quarter))
        for person in data.needs_evaluation[:MAX_LINES]:
            lines.append(texts.CELL_PERSON.format(code=person.code, name=person.name))
        if len(data.needs_evaluation) > MAX_LINES:
            lines.append(texts.CELL_MORE.format(n=len(data.needs_evaluation) - MAX_LINES))
        lines.append(texts.CELL_EVALUATION_HINT)
    elif report["sources_active"]:
        lines.append(texts.CELL_ALL_EVALUATED.format(**quarter))
    else:
        lines.append(texts.CELL_NO_ACTIVE)

    if data.probationary:
        lines.append("")
        lines.append(texts.CELL_PROBATION_HEADER)
        for person in data.probationary[:MAX_LINES]:
            admitted = fmt(person.admission_date) or "?"
            if person.recognition_deadline is None:
                lines.append(texts.CELL_PROBATION_LINE_NO_DEADLINE.format(
                    code=person.code, name=person.name, admitted=admitted))
                continue
            lines.append(texts.CELL_PROBATION_LINE.format(
                code=person.code, name=person.name, admitted=admitted,
                deadline=fmt(person.recognition_deadline),
                when=_days_to(person.recognition_deadline, today)))
        if len(data.probationary) > MAX_LINES:
            lines.append(texts.CELL_MORE.format(n=len(data.probationary) - MAX_LINES))
        if report["probation_due"]:
            lines.append(texts.CELL_PROBATION_HINT)
    return Reply("\n".join(lines))


def _days_to(deadline: date, today: date) -> str:
    days = (deadline - today).days
    if days > 0:
        return texts.CELL_DAYS_LEFT.format(n=days)
    if days < 0:
        return texts.CELL_DAYS_OVERDUE.format(n=-days)
    return texts.CELL_DEADLINE_TODAY
