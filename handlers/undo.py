"""/hoantac: undo one's own last change to a source or an evaluation, within 10 minutes.

The change is found in the audit log (the user's latest row not undone yet). Its `before`
snapshot is put back (a creation is deleted), the row is marked undone and an "undo" row is
written. Repeating /hoantac walks further back, each step within the window. When the record
was changed again after that row (by anyone), nothing is undone: the user is told to correct it
with the usual commands instead, so nobody's later work is silently overwritten.
"""

from __future__ import annotations

from domain import texts
from domain.pipeline import UNDO_WINDOW, quarter_label
from domain.roles import SECRETARY
from handlers.core import Context, Router
from handlers.people import cap, who
from handlers.types import Reply, UserError
from storage import sources
from storage.clock import to_local
from storage.models import AuditLog, QuarterlyEvaluation

router = Router()

ACTIONS = tuple(texts.UNDO_ACTIONS)


# The field a /suanguon change touched, by its snapshot key (the admission date before the
# recognition deadline it moves along).
_FIELD_KEYS = (
    ("name", "full_name"), ("birth", "birth_date"), ("categories", "categories"), ("note", "note"),
    ("awareness", "awareness_date"), ("certificate", "certificate_no"), ("admission", "admission_date"),
    ("decision", "decision_no"), ("recognition", "recognition_date"),
)


def _changed_field(row: AuditLog) -> str:
    before, after = row.before or {}, row.after or {}
    for field, key in _FIELD_KEYS:
        if before.get(key) != after.get(key):
            return texts.FIELD_NAMES[field]
    return texts.FIELD_NAMES["note"]


def _person(row: AuditLog) -> str:
    """The person as the user last saw them (the name after the change), titled by the stage
    before it ("ghi nhận kết nạp quần chúng …", not "… đảng viên dự bị …")."""
    after = row.after or {}
    before = row.before or after
    template = texts.WHO.get(before.get("stage", "source"), texts.WHO["source"])
    return template.format(name=after.get("full_name", ""), code=after.get("code", ""))


def _describe(row: AuditLog, person: str, quarter: str = "") -> str:
    field = _changed_field(row) if row.action == "source.update" else ""
    return texts.UNDO_ACTIONS[row.action].format(who=person, field=field, quarter=quarter)


def _same(current: dict, recorded: dict | None) -> bool:
    """Does the record still look exactly as this change left it?"""
    return recorded is not None and all(recorded.get(key) == value for key, value in current.items())


@router.command("hoantac", roles=(SECRETARY,), order=80)
async def undo(ctx: Context, args: str) -> Reply:
    user = ctx.require_user()
    row = await sources.last_change(ctx.session, user.id, ACTIONS)
    if row is None:
        return Reply(texts.UNDO_NOTHING)
    if row.entity == "source":
        return await _undo_source(ctx, row)
    return await _undo_evaluation(ctx, row)


def _check_window(ctx: Context, row: AuditLog, what: str) -> None:
    if not sources.within(row, ctx.now(), UNDO_WINDOW):
        time = to_local(row.at, ctx.settings.tz).strftime("%H:%M %d/%m/%Y")
        raise UserError(texts.UNDO_TOO_OLD.format(what=what, time=time))


async def _undo_source(ctx: Context, row: AuditLog) -> Reply:
    user = ctx.require_user()
    source = await sources.in_cell(ctx.session, user.org_id, int(row.entity_id))
    snapshot = row.before or row.after
    what = _describe(row, _person(row))
    _check_window(ctx, row, what)
    if source is None:
        raise UserError(texts.UNDO_CONFLICT.format(what=what))
    current = sources.source_snapshot(source)
    if not _same(current, row.after) or await sources.later_changes(ctx.session, row):
        raise UserError(texts.UNDO_CONFLICT.format(what=what))
    if row.before is None:  # a creation: delete it, unless it was evaluated meanwhile
        if await sources.has_evaluations(ctx.session, source.id):
            raise UserError(texts.UNDO_CONFLICT.format(what=what))
        named = who(source)
        await ctx.session.delete(source)
        await ctx.session.flush()
        result = texts.UNDO_DELETED.format(who=named)
        restored = None
    else:
        sources.restore_source(source, snapshot)
        await ctx.session.flush()
        restored = sources.source_snapshot(source)
        result = texts.UNDO_STATE.format(who=who(source), stage=texts.STAGE_NAMES[source.stage])
    row.undone = True
    await ctx.audit(
        "undo", "source", row.entity_id, org_id=row.org_id,
        before={"undo_of": row.id, "action": row.action, "state": current},
        after={"undo_of": row.id, "action": row.action, "state": restored},
    )
    return Reply(texts.UNDO_DONE.format(what=what) + "\n" + result)


async def _undo_evaluation(ctx: Context, row: AuditLog) -> Reply:
    user = ctx.require_user()
    evaluation = await ctx.session.get(QuarterlyEvaluation, int(row.entity_id))
    recorded = row.after or {}
    source = await sources.in_cell(ctx.session, user.org_id, int(recorded.get("source_id", 0)))
    person = who(source) if source is not None else "?"
    quarter = quarter_label(recorded.get("year", 0), recorded.get("quarter", 1)) if recorded else ""
    what = _describe(row, person, quarter)
    _check_window(ctx, row, what)
    if evaluation is None or source is None or evaluation.source_id != source.id:
        raise UserError(texts.UNDO_CONFLICT.format(what=what))
    current = sources.evaluation_snapshot(evaluation)
    if not _same(current, row.after) or await sources.later_changes(ctx.session, row):
        raise UserError(texts.UNDO_CONFLICT.format(what=what))
    if row.before is None:
        await ctx.session.delete(evaluation)
        restored = None
        result = texts.UNDO_EVAL_DELETED.format(Quarter=cap(quarter), who=person)
    else:
        sources.restore_evaluation(evaluation, row.before)
        restored = sources.evaluation_snapshot(evaluation)
        result = texts.UNDO_EVAL_STATE.format(quarter=quarter, who=person, level=texts.LEVEL_NAMES[evaluation.level])
    await ctx.session.flush()
    row.undone = True
    await ctx.audit(
        "undo", "evaluation", row.entity_id, org_id=row.org_id,
        before={"undo_of": row.id, "action": row.action, "state": current},
        after={"undo_of": row.id, "action": row.action, "state": restored},
    )
    return Reply(texts.UNDO_DONE.format(what=what) + "\n" + result)
