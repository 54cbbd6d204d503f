"""The quarterly evaluation of a source (/danhgia): one per person and quarter; a second one
replaces the first, and the audit row keeps both."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError

from domain import texts
from domain.dates import quarter_of
from domain.errors import RuleError
from domain.naming import who, wrong_stage
from domain.pipeline import ACTIVE_STAGES
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


async def save_evaluation(
    uow: UnitOfWork, org_id: int, source_id: int, level: str, comment: str = ""
) -> EvaluationSaved:
    """Create this quarter's evaluation of an active source, or replace it."""
    source = await source_in_cell(uow, org_id, source_id)
    check_active(source)
    year, quarter = quarter_of(uow.today())
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
