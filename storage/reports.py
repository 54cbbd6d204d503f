"""Status of a unit's subtree: the `report --json` contract (DESIGN.md) and the cell view.

`build_report` runs a fixed handful of aggregate queries over the whole subtree (units,
assigned targets, source counts per unit, admissions per unit and year, categories per unit),
each restricted by the materialised path prefix and grouped by unit, then rolls the counts up
the tree in Python. The number of queries does not depend on the size of the tree.

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
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import and_, case, extract, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.categories import CATEGORIES as CATEGORY_KEYS
from domain.dates import evaluation_deadline, quarter_of
from domain.pipeline import ACTIVE_STAGES, STAGES
from domain.rates import admission_rate, period_rate, period_years, unit_target
from storage.models import AdmissionTarget, OrgUnit, QuarterlyEvaluation, Source, SourceCategory
from storage.sources import evaluated_in


PROBATION_HORIZON_DAYS = 30


def _in_subtree(unit: OrgUnit):
    return OrgUnit.path.startswith(unit.path)


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


async def _tree(session: AsyncSession, unit: OrgUnit, year: int, today: date, settings) -> _Node:
    """Load the subtree's counts with a fixed number of grouped queries and roll them up."""
    window = EvaluationWindow.on(today, settings.evaluation_due_day)
    current_year = year == today.year
    horizon = today + timedelta(days=PROBATION_HORIZON_DAYS)
    in_subtree = _in_subtree(unit)
    # Sources are reached through their unit id (index ix_sources_org_stage) rather than a join,
    # so that a small subtree does not scan every source of the province.
    source_in_subtree = Source.org_id.in_(select(OrgUnit.id).where(in_subtree))

    nodes: dict[int, _Node] = {}
    rows = await session.execute(
        select(OrgUnit.id, OrgUnit.parent_id, OrgUnit.code, OrgUnit.name, OrgUnit.kind,
               OrgUnit.depth, OrgUnit.members).where(in_subtree)
    )
    for id_, parent_id, code, name, kind, depth, members in rows:
        nodes[id_] = _Node(id_, parent_id, code, name, kind, depth, members or 0)
    if unit.id not in nodes:  # the unit was deleted meanwhile
        raise LookupError(unit.code)

    targets = await session.execute(
        select(AdmissionTarget.org_id, AdmissionTarget.target)
        .where(AdmissionTarget.org_id.in_(select(OrgUnit.id).where(in_subtree)),
               AdmissionTarget.year == year)
    )
    for org_id, target in targets:
        nodes[org_id].assigned = target

    # Pipeline counts per unit: active sources, those not yet evaluated this quarter,
    # probationary members near or past their recognition deadline.
    active = Source.stage.in_(ACTIVE_STAGES)
    unevaluated = and_(active, QuarterlyEvaluation.id.is_(None))
    due_soon = and_(Source.stage == "probationary", Source.recognition_deadline <= horizon)
    counts = await session.execute(
        select(
            Source.org_id,
            func.sum(case((active, 1), else_=0)),
            func.sum(case((unevaluated, 1), else_=0)),
            func.sum(case((due_soon, 1), else_=0)),
        )
        .outerjoin(
            QuarterlyEvaluation,
            and_(
                QuarterlyEvaluation.source_id == Source.id,
                QuarterlyEvaluation.year == window.year,
                QuarterlyEvaluation.quarter == window.quarter,
            ),
        )
        .where(source_in_subtree, Source.stage.in_((*ACTIVE_STAGES, "probationary")))
        .group_by(Source.org_id)
    )
    for org_id, n_active, n_due, n_probation in counts:
        node = nodes[org_id]
        node.active = int(n_active or 0)
        node.probation_due = int(n_probation or 0)
        if current_year:
            node.evaluations_due = int(n_due or 0)
            node.cells_late = int(window.late and node.evaluations_due > 0)

    # Admissions per unit and year, for the report year and the period up to it.
    years = set(period_years(settings.period_years, year)) | {year}
    admission_year = extract("year", Source.admission_date)
    admissions = await session.execute(
        select(Source.org_id, admission_year, func.count())
        .where(
            source_in_subtree,
            Source.admission_date >= date(min(years), 1, 1),
            Source.admission_date <= date(max(years), 12, 31),
        )
        .group_by(Source.org_id, admission_year)
    )
    for org_id, admitted_year, n in admissions:
        nodes[org_id].admissions_by_year[int(admitted_year)] += int(n)

    categories = await session.execute(
        select(Source.org_id, SourceCategory.category, func.count())
        .join(SourceCategory, SourceCategory.source_id == Source.id)
        .where(source_in_subtree, active)
        .group_by(Source.org_id, SourceCategory.category)
    )
    for org_id, category, n in categories:
        key = category if category in CATEGORY_KEYS else "khac"
        nodes[org_id].by_category[key] += int(n)

    # Roll up: children before parents.
    for node in sorted(nodes.values(), key=lambda n: -n.depth):
        if node.id == unit.id or node.parent_id not in nodes:
            continue
        parent = nodes[node.parent_id]
        parent.children.append(node)
        parent.members += node.members
        parent.admissions_by_year.update(node.admissions_by_year)
        parent.active += node.active
        parent.by_category.update(node.by_category)
        parent.evaluations_due += node.evaluations_due
        parent.cells_late += node.cells_late
        parent.probation_due += node.probation_due
    return nodes[unit.id]


def _as_dict(node: _Node, year: int, settings, depth: int) -> dict[str, Any]:
    admissions = node.admissions_by_year.get(year, 0)
    children = sorted(node.children, key=lambda n: n.code) if depth > 0 else []
    return {
        "org": {"code": node.code, "name": node.name},
        "year": year,
        "members": node.members,
        "target": unit_target(node.assigned, node.members, settings.target_rate),
        "admissions": admissions,
        "rate": admission_rate(admissions, node.members),
        "period_rate": period_rate(node.admissions_by_year, node.members, settings.period_years, year),
        "sources_active": node.active,
        "sources_by_category": {key: node.by_category.get(key, 0) for key in CATEGORY_KEYS},
        "evaluations_due": node.evaluations_due,
        "cells_late": node.cells_late,
        "probation_due": node.probation_due,
        "children": [_as_dict(child, year, settings, depth - 1) for child in children],
    }


async def build_report(
    session: AsyncSession, unit: OrgUnit, year: int, today: date, settings, depth: int = 1
) -> dict[str, Any]:
    """The `report --json` object for `unit`'s subtree in `year`, as seen on `today`.

    `depth` is how many levels of `children` to fill: 1 (the default, the contract's shape)
    lists the direct children with empty `children`; 0 lists none; 2 adds grandchildren."""
    root = await _tree(session, unit, year, today, settings)
    return _as_dict(root, year, settings, depth)


async def late_cells(
    session: AsyncSession, unit: OrgUnit, today: date, settings
) -> list[tuple[OrgUnit, int]]:
    """Units in the subtree still holding unevaluated active sources after this quarter's
    deadline, with how many each; empty before the deadline. Ordered by code."""
    window = EvaluationWindow.on(today, settings.evaluation_due_day)
    if not window.late:
        return []
    evaluated = evaluated_in(window.year, window.quarter)
    rows = await session.execute(
        select(OrgUnit, func.count(Source.id))
        .join(Source, Source.org_id == OrgUnit.id)
        .where(_in_subtree(unit), Source.stage.in_(ACTIVE_STAGES), ~evaluated)
        .group_by(OrgUnit.id)
        .order_by(OrgUnit.code)
    )
    return [(org, int(n)) for org, n in rows]


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
    who still needs this quarter's evaluation, and probationary members by deadline."""
    report = await build_report(session, cell, today.year, today, settings, depth=0)
    window = EvaluationWindow.on(today, settings.evaluation_due_day)

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
