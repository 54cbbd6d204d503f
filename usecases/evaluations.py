"""The quarterly evaluation of a source (/danhgia): one per person and quarter; a second one
replaces the first, and the audit row keeps both. The current quarter is evaluated, or the
previous one during the first month of the next (late evaluations of the quarter just closed);
a mistaken evaluation is corrected by evaluating again, or removed (audited, undoable)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError

from domain import texts
from datetime import date

from domain.dates import in_first_month_of_quarter, previous_quarter, quarter_of
from domain.errors import RuleError
from domain.naming import cap, who, wrong_stage
from domain.pipeline import ACTIVE_STAGES, quarter_label
from storage import sources
from storage.models import QuarterlyEvaluation, Source
from usecases.sources import source_in_cell
from usecases.uow import UnitOfWork


@dataclass(frozen=True)
class EvaluationSaved:
    source: Source
    evaluation: QuarterlyEvaluation
    year: int
    quarter: int
    replaced_level: str | None  # the level of the evaluation it replaced, None for a new one


def check_active(source: Source) -> None:
    if source.stage not in ACTIVE_STAGES:
        raise wrong_stage(texts.EVAL_WRONG_STAGE, source)


def open_quarters(today: date) -> list[tuple[int, int]]:
    """The quarters that can be evaluated today: this one, and the previous one during the
    first month of this one."""
    current = quarter_of(today)
    return [current, previous_quarter(*current)] if in_first_month_of_quarter(today) else [current]


def check_quarter(today: date, year: int, quarter: int) -> None:
    if (year, quarter) not in open_quarters(today):
        current = quarter_of(today)
        raise RuleError(texts.EVAL_QUARTER_CLOSED.format(
            quarter=quarter_label(year, quarter), current=quarter_label(*current),
        ))


@dataclass(frozen=True)
class EvaluationRemoved:
    source: Source
    year: int
    quarter: int
    level: str


async def remove_evaluation(
    uow: UnitOfWork, org_id: int, source_id: int, year: int, quarter: int
) -> EvaluationRemoved:
    """Remove a mistaken evaluation of an open quarter (audited with its snapshot, undoable)."""
    source = await source_in_cell(uow, org_id, source_id)
    check_quarter(uow.today(), year, quarter)
    existing = await sources.evaluation(uow.session, source.id, year, quarter)
    if existing is None:
        raise RuleError(texts.EVAL_REMOVE_NONE.format(Who=cap(who(source)), quarter=quarter_label(year, quarter)))
    before = sources.evaluation_snapshot(existing)
    await uow.session.delete(existing)
    await uow.session.flush()
    uow.audit("evaluation.remove", "evaluation", existing.id, org_id=source.org_id, before=before)
    return EvaluationRemoved(source, year, quarter, before["level"])


async def save_evaluation(
    uow: UnitOfWork, org_id: int, source_id: int, level: str, comment: str = "",
    quarter_of_year: tuple[int, int] | None = None,
) -> EvaluationSaved:
    """Create the quarter's evaluation of an active source (this quarter unless another open
    one is given), or replace it."""
    source = await source_in_cell(uow, org_id, source_id)
    check_active(source)
    year, quarter = quarter_of_year or quarter_of(uow.today())
    check_quarter(uow.today(), year, quarter)
    existing = await sources.evaluation(uow.session, source.id, year, quarter)
    if existing is not None:
        before = sources.evaluation_snapshot(existing)
        existing.level, existing.comment = level, comment
        existing.evaluated_by, existing.evaluated_at = uow.actor.user_id, uow.now()
        await uow.session.flush()
        uow.audit(
            "evaluation.replace", "evaluation", existing.id, org_id=source.org_id, before=before,
            after=sources.evaluation_snapshot(existing),
        )
        return EvaluationSaved(source, existing, year, quarter, before["level"])
    row = QuarterlyEvaluation(
        source_id=source.id, year=year, quarter=quarter, level=level, comment=comment,
        evaluated_by=uow.actor.user_id, evaluated_at=uow.now(),
    )
    try:
        async with uow.session.begin_nested():
            uow.session.add(row)
    except IntegrityError:  # another secretary of the cell saved one at the same moment
        raise RuleError(texts.EVAL_RACE.format(who=who(source))) from None
    uow.audit("evaluation.create", "evaluation", row.id, org_id=source.org_id, after=sources.evaluation_snapshot(row))
    return EvaluationSaved(source, row, year, quarter, None)
