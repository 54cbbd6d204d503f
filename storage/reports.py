"""Status of a unit's subtree: the `report --json` contract (DESIGN.md) and the cell view.

How it is computed (measured with benchmarks/scale.py; see the README, "Benchmarks"): the
figures that add up the tree and do not move with the calendar are read from the counts kept
per subtree (storage.rollups: a few rows per unit shown, 64 units for the national root); the
ones that move with the calendar alone (probation deadlines, the projection's window) are
counted from the people through covering indexes, each person going to the shown unit above
it, read from the materialised path (the subtree is the index range `path >= "/1/5/" AND
path < "/1/50"`; a `LIKE '/1/5/%'` prefix is not an indexed range on either database). A
cell's own status (`cell_status`) takes three statements over the cell's own rows.

What each figure means (all over the unit's whole subtree):
- `members`: the sum of the recorded members of the unit and every unit below it.
- `target`: the unit's own assigned target for the year (AdmissionTarget) when one is set,
  else ceil(target_rate × members). Targets assigned to units below are NOT summed upwards:
  each committee is assigned its own figure, and the contract defines the fallback from members.
- `admissions`: sources whose admission date falls in the year, whatever happened later. A
  probationary member who was later removed from the list was still admitted that year, and
  a recognised member still counts in the year of admission. (Undoing a wrongly recorded
  admission clears the admission date, so it no longer counts.)
- `rate`: admissions / members, rounded to 4 decimals (0 without members).
- `period_rate`: see domain.rates.period_rate (measured against current membership).
- `sources_active`: stage source or awareness (neither admitted nor removed), as of today.
- `sources_by_category`: active sources per category; a source with two categories counts in
  both. All eight contract keys are always present; an unknown stored key counts as `khac`.
- `evaluations_due`: active sources without an evaluation for today's quarter; only for the
  current year's report (0 for other years, whose quarters are over).
- `cells_late`: units holding such sources once today is past the quarter's deadline
  (settings.evaluation_due_day of the quarter's last month); 0 before the deadline.
- `probation_due`: probationary members whose recognition deadline is within 30 days of
  today or has passed, as of today (whatever the report year).
Added keys (the contract allows more keys):
- `probation_overdue`: of those, the ones whose deadline has passed.
- `pipeline`: {`sources`, `awareness`, `probationary`, `recognised`}: sources not yet at the
  class, cảm tình Đảng, probationary members (as of today) and recognitions dated in the year.
- `admissions_by_year`: {"2020": n, …} for every year of the period up to the report year and
  the report year itself: the figures for any past year.
- `projection`: {`likely`, `projected`, `will_miss`}, see domain.projection.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Integer, and_, bindparam, case, cast, exists, func, or_, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from domain.categories import CATEGORIES as CATEGORY_KEYS
from domain.dates import evaluation_deadline, quarter_of
from domain.pipeline import ACTIVE_STAGES, STAGES
from domain.projection import Durations, likely_window, project, summarise
from domain.rates import admission_rate, period_rate, period_years, unit_target
from storage import prepared
from storage.models import AdmissionTarget, OrgUnit, ReportCount, Source, SourceCategory, User
from storage.sources import evaluated_in


PROBATION_HORIZON_DAYS = 30
# The figures that add up the tree (a parent's is its own plus its children's).
SUMMED = ("members", "admissions", "sources_active", "evaluations_due", "cells_late",
          "probation_due", "probation_overdue")


def path_upper(path: str) -> str:
    """The first path after every path of the subtree: "/1/5/" -> "/1/50" ("0" follows "/")."""
    return path[:-1] + "0"


def in_subtree(unit: OrgUnit, column=OrgUnit.path):
    """The unit and everything below it, as an index range over the materialised paths."""
    return and_(column >= unit.path, column < path_upper(unit.path))


_in_subtree = in_subtree  # the old private name, still used by other modules


@dataclass
class _Node:
    id: int
    parent_id: int | None
    code: str
    name: str
    kind: str
    depth: int
    members: int = 0
    assigned: int | None = None
    admissions_by_year: Counter = field(default_factory=Counter)
    active: int = 0
    by_category: Counter = field(default_factory=Counter)
    evaluations_due: int = 0
    cells_late: int = 0
    probation_due: int = 0
    probation_overdue: int = 0
    pipeline: dict[str, int] = field(default_factory=dict)
    likely: int = 0
    children: list[_Node] = field(default_factory=list)


@dataclass(frozen=True)
class EvaluationWindow:
    """The quarter whose evaluations are being collected on `today`, and whether it is late."""

    year: int
    quarter: int
    deadline: date
    late: bool

    @classmethod
    def on(cls, today: date, due_day: int) -> EvaluationWindow:
        year, quarter = quarter_of(today)
        deadline = evaluation_deadline(year, quarter, due_day)
        return cls(year, quarter, deadline, today > deadline)


async def observed_durations(session: AsyncSession, unit: OrgUnit, since: date) -> Durations:
    """Awareness class to admission, in days, for the people of the subtree admitted since
    `since` (domain.projection.summarise): the unit's kept histogram (storage.rollups,
    "wait" by year of admission)."""
    rows = await session.execute(
        select(ReportCount.quarter, func.sum(ReportCount.n))
        .where(ReportCount.org_id == unit.id, ReportCount.name == "wait", ReportCount.year >= since.year)
        .group_by(ReportCount.quarter))
    return summarise({int(d): int(n) for d, n in rows if d is not None})


def _child_segment(session: AsyncSession, unit: OrgUnit, path=OrgUnit.path):
    """For a unit below `unit`, the id of its ancestor among `unit`'s children, read from its
    path: "/1/5/23/99/" below "/1/" -> 5."""
    rest = func.substr(path, len(unit.path) + 1)
    if session.get_bind().dialect.name == "sqlite":
        return cast(func.substr(rest, 1, func.instr(rest, "/") - 1), Integer)
    return cast(func.split_part(rest, "/", 1), Integer)


def _shown_filter(unit: OrgUnit, depth: int | None):
    if depth == 0:
        return OrgUnit.id == unit.id
    if depth == 1:
        return or_(OrgUnit.id == unit.id, OrgUnit.parent_id == unit.id)
    if depth is None:
        return in_subtree(unit)
    return and_(in_subtree(unit), OrgUnit.depth <= unit.depth + depth)


def _ids_of(nodes: dict, unit: OrgUnit, depth: int | None):
    """The shown units' ids: a list when there are few, else the same as a subquery."""
    if len(nodes) <= 1000:
        return list(nodes)
    return select(OrgUnit.id).where(_shown_filter(unit, depth))


async def _per_shown(session: AsyncSession, unit: OrgUnit, depth: int | None, nodes: dict,
                     columns, *conditions) -> dict[int, list[int]]:
    """Counts over the people of the subtree matching `conditions`, for every shown unit (each
    over its own subtree): one grouped statement; for depth 0 and 1 the database adds up by
    shown unit (the unit, or its child read from the path), deeper the rows per unit are added
    to their shown ancestors here."""
    base = (select().select_from(Source).join(OrgUnit, OrgUnit.id == Source.org_id)
            .where(in_subtree(unit), *conditions))
    found: dict[int, list[int]] = {}
    if depth == 0:
        row = (await session.execute(base.add_columns(*columns))).one()
        found[unit.id] = [int(v or 0) for v in row]
        return found
    if depth == 1:
        bucket = case((OrgUnit.id == unit.id, unit.id), else_=_child_segment(session, unit))
        for bucket_id, *values in await session.execute(base.add_columns(bucket, *columns).group_by(bucket)):
            found[int(bucket_id)] = [int(v or 0) for v in values]
        found.setdefault(unit.id, [0] * len(columns))
        # the unit's own figure is the sum over its subtree, children included
        total = [sum(v[i] for v in found.values()) for i in range(len(columns))]
        found[unit.id] = total
        return found
    for path, *values in await session.execute(base.add_columns(OrgUnit.path, *columns).group_by(OrgUnit.path)):
        for above in _path_ids(path):
            if above in nodes:
                sums = found.setdefault(above, [0] * len(columns))
                for i, v in enumerate(values):
                    sums[i] += int(v or 0)
    return found


def _path_ids(path: str) -> list[int]:
    return [int(part) for part in path.strip("/").split("/") if part]


def _sum(condition):
    return func.sum(case((condition, 1), else_=0))


async def _counted(session: AsyncSession, unit: OrgUnit, year: int, today: date, settings,
                   depth: int | None) -> _Node:
    """The unit and the units `depth` levels below it (None: all), each with the figures of
    its whole subtree: what adds up the tree is read from the precomputed counts
    (storage.rollups, a few rows per unit shown); what moves with the calendar alone —
    probation deadlines, the projection's window — is counted from indexed date columns."""
    window = EvaluationWindow.on(today, settings.evaluation_due_day)
    current_year = year == today.year
    horizon = today + timedelta(days=PROBATION_HORIZON_DAYS)
    years = sorted(set(period_years(settings.period_years, year)) | {year})
    if session.get_bind().dialect.name == "postgresql":
        # A plan for these bounds, not the generic one PostgreSQL settles on after five runs of
        # a prepared statement (asyncpg prepares every statement): planned for the national
        # root, it read a whole index for a cell (5 ms -> 170 ms). Until the transaction ends.
        await session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))

    nodes: dict[int, _Node] = {}
    if depth == 0:
        nodes[unit.id] = _Node(unit.id, unit.parent_id, unit.code, unit.name, unit.kind, unit.depth,
                               pipeline={"sources": 0, "awareness": 0, "probationary": 0, "recognised": 0})
    else:
        rows = await session.execute(
            select(OrgUnit.id, OrgUnit.parent_id, OrgUnit.code, OrgUnit.name, OrgUnit.kind, OrgUnit.depth)
            .where(_shown_filter(unit, depth)))
        for id_, parent_id, code, name, kind, node_depth in rows:
            nodes[id_] = _Node(id_, parent_id, code, name, kind, node_depth,
                               pipeline={"sources": 0, "awareness": 0, "probationary": 0, "recognised": 0})
        if unit.id not in nodes:  # the unit was deleted meanwhile
            raise LookupError(unit.code)
    ids = _ids_of(nodes, unit, depth)

    # 1. What adds up the tree: the stored counts of the shown units.
    counts = await session.execute(
        select(ReportCount.org_id, ReportCount.name, ReportCount.year, ReportCount.quarter, ReportCount.n)
        .where(ReportCount.org_id.in_(ids), ReportCount.year.in_([0, *years]), ReportCount.name != "wait"))
    for org_id, name, count_year, quarter, n in counts:
        node = nodes.get(org_id)
        if node is None or not n:
            continue
        if name == "members":
            node.members = n
        elif name in ("source", "awareness", "probationary"):
            node.active += n if name != "probationary" else 0
            node.pipeline["sources" if name == "source" else name] += n
        elif name.startswith("cat:"):
            node.by_category[name[4:]] += n
        elif name == "admitted":
            node.admissions_by_year[count_year] += n
        elif name == "recognised":
            if count_year == year:
                node.pipeline["recognised"] += n
        elif (count_year, quarter) == (window.year, window.quarter) and current_year:
            if name == "evaluated":
                node.evaluations_due -= n
            elif name == "units_done":
                node.cells_late -= n
        elif name == "units_active" and current_year:
            node.cells_late += n
    for node in nodes.values():
        if current_year:
            node.evaluations_due += node.active
            node.cells_late = node.cells_late if window.late else 0
        else:
            node.evaluations_due = node.cells_late = 0

    # 2. What moves with the calendar: counted from the people, through the date indexes.
    probationary = Source.stage == "probationary"
    probation = await _per_shown(
        session, unit, depth, nodes,
        (func.count(), _sum(Source.recognition_deadline < today)),
        probationary, Source.recognition_deadline <= horizon)
    for org_id, (n_due, n_overdue) in probation.items():
        if org_id in nodes:
            nodes[org_id].probation_due, nodes[org_id].probation_overdue = n_due, n_overdue
    if current_year:
        durations = await observed_durations(session, unit, date(min(years), 1, 1))
        first, last = likely_window(year, today, durations)
        likely = await _per_shown(session, unit, depth, nodes, (func.count(),),
                                  Source.stage == "awareness", Source.awareness_date.between(first, last))
        for org_id, (n,) in likely.items():
            if org_id in nodes:
                nodes[org_id].likely = n

    targets = await session.execute(
        select(AdmissionTarget.org_id, AdmissionTarget.target)
        .where(AdmissionTarget.org_id.in_(ids), AdmissionTarget.year == year))
    for org_id, target in targets:
        if org_id in nodes:
            nodes[org_id].assigned = target

    # 3. The shown tree (each unit's figures are already those of its subtree).
    for node in nodes.values():
        if node.id != unit.id and node.parent_id in nodes:
            nodes[node.parent_id].children.append(node)
    return nodes[unit.id]


def _as_dict(node: _Node, year: int, settings, depth: int | None) -> dict[str, Any]:
    admissions = node.admissions_by_year.get(year, 0)
    more = depth is None or depth > 0
    children = sorted(node.children, key=lambda n: n.code) if more else []
    target = unit_target(node.assigned, node.members, settings.target_rate)
    years = sorted(set(period_years(settings.period_years, year)) | {year})
    return {
        "org": {"code": node.code, "name": node.name},
        "year": year,
        "members": node.members,
        "target": target,
        "admissions": admissions,
        "rate": admission_rate(admissions, node.members),
        "period_rate": period_rate(node.admissions_by_year, node.members, settings.period_years, year),
        "sources_active": node.active,
        "sources_by_category": {key: node.by_category.get(key, 0) for key in CATEGORY_KEYS},
        "evaluations_due": node.evaluations_due,
        "cells_late": node.cells_late,
        "probation_due": node.probation_due,
        "probation_overdue": node.probation_overdue,
        "pipeline": dict(node.pipeline),
        "admissions_by_year": {str(y): node.admissions_by_year.get(y, 0) for y in years},
        "projection": project(admissions, node.likely, target).as_dict(),
        "kind": node.kind,
        "children": [_as_dict(child, year, settings, None if depth is None else depth - 1)
                     for child in children],
    }


async def build_report(
    session: AsyncSession, unit: OrgUnit, year: int, today: date, settings, depth: int | None = 1
) -> dict[str, Any]:
    """The `report --json` object for `unit`'s subtree in `year`, as seen on `today`.

    `depth` is how many levels of `children` to fill: 1 (the default, the contract's shape)
    lists the direct children with empty `children`; 0 lists none; 2 adds grandchildren;
    None fills the whole subtree."""
    root = await _counted(session, unit, year, today, settings, depth)
    return _as_dict(root, year, settings, depth)


async def late_cells(
    session: AsyncSession, unit: OrgUnit, today: date, settings, limit: int | None = None
) -> list[tuple[OrgUnit, int]]:
    """Cells late with evaluations: the units of the subtree still holding active sources
    without this quarter's evaluation after the quarter's deadline, with how many each; empty
    before the deadline. Ordered by code; the first `limit` only when given (the chat lists
    30: the units are then walked in code order and the walk stops there, instead of counting
    the whole subtree). (The reminders' "late cells" audience and the reports' late sheet use
    it too.)"""
    window = EvaluationWindow.on(today, settings.evaluation_due_day)
    if not window.late:
        return []
    evaluated = evaluated_in(window.year, window.quarter)
    pending = and_(Source.stage.in_(ACTIVE_STAGES), ~evaluated)
    if limit is not None:
        late = (select(OrgUnit)
                .where(in_subtree(unit), exists().where(Source.org_id == OrgUnit.id, pending))
                .order_by(OrgUnit.code).limit(limit))
        units = list(await session.scalars(late))
        if not units:
            return []
        counts = dict((await session.execute(
            select(Source.org_id, func.count()).where(Source.org_id.in_([u.id for u in units]), pending)
            .group_by(Source.org_id))).all())
        return [(u, int(counts.get(u.id, 0))) for u in units]
    rows = await session.execute(
        select(OrgUnit, func.count(Source.id))
        .join(Source, Source.org_id == OrgUnit.id)
        .where(in_subtree(unit), pending)
        .group_by(OrgUnit.id)
        .order_by(OrgUnit.code)
    )
    return [(org, int(n)) for org, n in rows]


async def secretaries_of(session: AsyncSession, org_ids: list[int]) -> dict[int, list[str]]:
    """The names of the active secretaries of each unit (for the late-cells sheet)."""
    found: dict[int, list[str]] = {}
    for start in range(0, len(org_ids), 500):
        rows = await session.execute(
            select(User.org_id, User.name)
            .where(User.org_id.in_(org_ids[start:start + 500]), User.role == "secretary", User.active)
            .order_by(User.name)
        )
        for org_id, name in rows:
            found.setdefault(org_id, []).append(name)
    return found


@dataclass(frozen=True)
class PersonRow:
    """One person on a report sheet (staff only, their subtree only)."""

    code: str
    name: str
    unit_code: str
    unit_name: str
    admission_date: date | None
    decision_no: str | None
    recognition_deadline: date | None


async def _people(session: AsyncSession, unit: OrgUnit, *conditions, order, limit: int | None
                  ) -> tuple[list[PersonRow], int]:
    """The people of the subtree matching `conditions`, at most `limit`, and how many match."""
    where = (Source.org_id.in_(select(OrgUnit.id).where(in_subtree(unit))), *conditions)
    query = (select(Source.id, Source.full_name, OrgUnit.code, OrgUnit.name, Source.admission_date,
                    Source.decision_no, Source.recognition_deadline)
             .join(OrgUnit, OrgUnit.id == Source.org_id)
             .where(*where)
             .order_by(*order, OrgUnit.code, Source.name_key, Source.id))
    if limit is not None:
        query = query.limit(limit)
    people = [PersonRow(f"N{id_}", *rest) for id_, *rest in await session.execute(query)]
    total = len(people)
    if limit is not None and total >= limit:
        total = int(await session.scalar(select(func.count()).select_from(Source).where(*where)))
    return people, total


async def probation_list(session: AsyncSession, unit: OrgUnit, limit: int | None = None
                         ) -> tuple[list[PersonRow], int]:
    """Probationary members of the subtree by recognition deadline (unknown deadlines last),
    at most `limit`, and how many there are."""
    return await _people(session, unit, Source.stage == "probationary",
                         order=(Source.recognition_deadline.is_(None), Source.recognition_deadline),
                         limit=limit)


async def admissions_in(session: AsyncSession, unit: OrgUnit, year: int, limit: int | None = None
                        ) -> tuple[list[PersonRow], int]:
    """Everyone of the subtree admitted in `year`, by date, at most `limit`, and how many."""
    return await _people(session, unit, Source.admission_date.between(date(year, 1, 1), date(year, 12, 31)),
                         order=(Source.admission_date,), limit=limit)


# --- the secretary's view of one cell ---------------------------------------------------------
@dataclass(frozen=True)
class PersonLine:
    code: str  # "N12"
    name: str
    admission_date: date | None = None
    recognition_deadline: date | None = None


@dataclass
class CellStatus:
    unit: OrgUnit
    today: date
    report: dict[str, Any]  # build_report(..., depth=0) for the cell, current year
    window: EvaluationWindow
    by_stage: dict[str, int]  # every stage, 0 when none
    needs_evaluation: list[PersonLine]  # active sources without this quarter's evaluation
    probationary: list[PersonLine]  # by recognition deadline, unknown deadlines last


async def cell_status(session: AsyncSession, cell: OrgUnit, today: date, settings) -> CellStatus:
    """What a cell secretary needs on one screen: figures, the pool by stage and category,
    who still needs this quarter's evaluation, and probationary members by deadline.

    A unit with nothing below it (every cell) takes three statements whatever the size of the
    tree (`_leaf_status`); a unit with units below it takes the general path."""
    window = EvaluationWindow.on(today, settings.evaluation_due_day)
    leaf = await _leaf_status(session, cell, today, settings, window)
    if leaf is not None:
        return leaf
    report = await build_report(session, cell, today.year, today, settings, depth=0)

    stage_rows = await session.execute(
        select(Source.stage, func.count()).where(Source.org_id == cell.id).group_by(Source.stage)
    )
    by_stage = dict.fromkeys(STAGES, 0)
    for stage, n in stage_rows:
        by_stage[stage] = by_stage.get(stage, 0) + int(n)

    pending = await session.execute(  # names only: no need to load whole records
        select(Source.id, Source.full_name)
        .where(Source.org_id == cell.id, Source.stage.in_(ACTIVE_STAGES),
               ~evaluated_in(window.year, window.quarter))
        .order_by(Source.name_key, Source.id)
    )
    needs_evaluation = [PersonLine(f"N{id_}", name) for id_, name in pending]

    probation = await session.execute(
        select(Source.id, Source.full_name, Source.admission_date, Source.recognition_deadline)
        .where(Source.org_id == cell.id, Source.stage == "probationary")
        .order_by(Source.name_key, Source.id)
    )
    probationary = sorted(
        (PersonLine(f"N{id_}", name, admitted, deadline) for id_, name, admitted, deadline in probation),
        key=lambda p: (p.recognition_deadline is None, p.recognition_deadline or date.max),
    )
    return CellStatus(cell, today, report, window, by_stage, needs_evaluation, probationary)


# The three statements of _leaf_status, built once (building them costs more than running them).
_BELOW = aliased(OrgUnit, name="below")
_LEAF_HEAD = (
    select(OrgUnit.members,
           select(AdmissionTarget.target)
           .where(AdmissionTarget.org_id == bindparam("unit"), AdmissionTarget.year == bindparam("year"))
           .scalar_subquery(),
           select(_BELOW.id).where(_BELOW.parent_id == bindparam("unit")).limit(1).scalar_subquery())
    .where(OrgUnit.id == bindparam("unit"))
)
_LEAF_PEOPLE = (
    select(Source.id, Source.full_name, Source.stage, Source.awareness_date, Source.admission_date,
           Source.recognition_deadline, Source.recognition_date,
           evaluated_in(bindparam("eval_year"), bindparam("eval_quarter")))
    .where(Source.org_id == bindparam("unit"))
    .order_by(Source.name_key, Source.id)
)
_CATEGORY = case((SourceCategory.category.in_(CATEGORY_KEYS), SourceCategory.category), else_="khac")
_LEAF_CATEGORIES = (
    select(_CATEGORY, func.count()).select_from(Source)
    .join(SourceCategory, SourceCategory.source_id == Source.id)
    .where(Source.org_id == bindparam("unit"), Source.stage.in_(ACTIVE_STAGES)).group_by(_CATEGORY)
)


async def _leaf_status(session: AsyncSession, cell: OrgUnit, today: date, settings,
                       window: EvaluationWindow) -> CellStatus | None:
    """cell_status for a unit with no unit below it, in three statements that do not grow with
    the tree: the unit's members, target and whether anything is below it; its people (each
    with whether this quarter is evaluated); the categories of its active people. The figures
    are then counted in Python over the cell's few rows, with exactly the rules of `_totals`
    (tests/test_status*.py compare both). None when the unit has units below it."""
    year = today.year
    head = await prepared.first(session, _LEAF_HEAD, {"unit": cell.id, "year": year})
    if head is None:  # the unit was deleted meanwhile
        raise LookupError(cell.code)
    members, assigned, child = head
    if child is not None:
        return None
    people = await prepared.all_rows(session, _LEAF_PEOPLE,
                                     {"unit": cell.id, "eval_year": window.year, "eval_quarter": window.quarter})
    categories = await prepared.all_rows(session, _LEAF_CATEGORIES, {"unit": cell.id})

    years = sorted(set(period_years(settings.period_years, year)) | {year})
    since = date(min(years), 1, 1)
    horizon = today + timedelta(days=PROBATION_HORIZON_DAYS)
    node = _Node(cell.id, cell.parent_id, cell.code, cell.name, cell.kind, cell.depth, int(members or 0),
                 assigned, pipeline={"sources": 0, "awareness": 0, "probationary": 0, "recognised": 0})
    for key, n in categories:
        node.by_category[key] += int(n)
    by_stage = dict.fromkeys(STAGES, 0)
    durations: Counter = Counter()
    needs_evaluation: list[PersonLine] = []
    probationary: list[PersonLine] = []
    awareness_dates: list[date] = []
    for id_, name, stage, awareness, admitted, deadline, recognised, is_evaluated in people:
        by_stage[stage] = by_stage.get(stage, 0) + 1
        if stage in ACTIVE_STAGES:
            node.active += 1
            if not is_evaluated:
                node.evaluations_due += 1
                needs_evaluation.append(PersonLine(f"N{id_}", name))
        if stage == "source":
            node.pipeline["sources"] += 1
        elif stage == "awareness":
            node.pipeline["awareness"] += 1
            if awareness is not None:
                awareness_dates.append(awareness)
        elif stage == "probationary":
            node.pipeline["probationary"] += 1
            probationary.append(PersonLine(f"N{id_}", name, admitted, deadline))
            if deadline is not None and deadline <= horizon:
                node.probation_due += 1
                if deadline < today:
                    node.probation_overdue += 1
        if recognised is not None and recognised.year == year:
            node.pipeline["recognised"] += 1
        if admitted is not None:
            if admitted.year in years:
                node.admissions_by_year[admitted.year] += 1
            if admitted >= since and awareness is not None:
                durations[(admitted - awareness).days] += 1
    node.cells_late = int(window.late and node.evaluations_due > 0)
    first, last = likely_window(year, today, summarise(durations))
    node.likely = sum(1 for a in awareness_dates if first <= a <= last)
    report = _as_dict(node, year, settings, 0)
    probationary.sort(key=lambda p: (p.recognition_deadline is None, p.recognition_deadline or date.max))
    return CellStatus(cell, today, report, window, by_stage, needs_evaluation, probationary)
