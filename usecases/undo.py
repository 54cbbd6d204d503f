"""Undo one's own last change to a source or an evaluation, within 10 minutes (/hoantac).

The change is found in the audit log (the user's latest row not undone yet). Its `before`
snapshot is put back (a creation is deleted), the row is marked undone and an "undo" row is
written. When the record was changed again after that row (by anyone), nothing is undone, so
nobody's later work is silently overwritten. Putting a removed source back can make it a second
active source of the same person: the database refuses that like a duplicate /nguon.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from domain import texts
from domain.errors import RuleError
from domain.naming import who
from domain.pipeline import REMOVED, UNDO_WINDOW, quarter_label
from storage import sources
from storage.clock import to_local
from storage.models import AuditLog, QuarterlyEvaluation, Source
from usecases.sources import write_unique_person
from usecases.uow import UnitOfWork

ACTIONS = tuple(action for action in texts.UNDO_ACTIONS if action.count(".") == 1)

# The field a /suanguon change touched, by its snapshot key (the admission date before the
# recognition deadline it moves along).
_FIELD_KEYS = (
    ("name", "full_name"), ("birth", "birth_date"), ("categories", "categories"), ("note", "note"),
    ("awareness", "awareness_date"), ("certificate", "certificate_no"), ("admission", "admission_date"),
    ("decision", "decision_no"), ("recognition", "recognition_date"),
)


@dataclass(frozen=True)
class Undone:
    """What was undone: `what` describes the change; for a source, `source` is the restored
    one (None when a creation was deleted); for an evaluation, `level` is the restored level
    (None when a creation was deleted)."""

    entity: str  # "source" | "evaluation"
    what: str
    person: str  # the person as named before the undo
    source: Source | None = None
    quarter: str = ""
    level: str | None = None

    @property
    def deleted(self) -> bool:
        return (self.source is None) if self.entity == "source" else (self.level is None)


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
    """The change in the words its own reply used ("xóa tên … khỏi danh sách đảng viên dự
    bị" for a probationary member's removal, "đưa … ra khỏi nguồn" for a source's)."""
    field = _changed_field(row) if row.action == "source.update" else ""
    action = row.action
    if action == "source.remove" and (row.before or {}).get("stage") == "probationary":
        action = "source.remove.probationary"
    return texts.UNDO_ACTIONS[action].format(who=person, field=field, quarter=quarter)


def _same(current: dict, recorded: dict | None) -> bool:
    """Does the record still look exactly as this change left it?"""
    return recorded is not None and all(recorded.get(key) == value for key, value in current.items())


def _check_window(uow: UnitOfWork, row: AuditLog, what: str, code: str) -> None:
    """Refuse past the window, with the command that corrects that kind of change."""
    if not sources.within(row, uow.now(), UNDO_WINDOW):
        time = to_local(row.at, uow.tz).strftime("%H:%M %d/%m/%Y")
        template = texts.UNDO_EXAMPLE_EVALUATION if row.entity == "evaluation" else texts.UNDO_EXAMPLE_SOURCE
        example = template.format(code=code or "N12")
        raise RuleError(texts.UNDO_TOO_OLD.format(what=what, time=time, example=example))


async def undo_last(uow: UnitOfWork, org_id: int) -> Undone | None:
    """Undo the acting user's latest change in their cell; None when there is nothing to undo."""
    row = await sources.last_change(uow.session, uow.actor.user_id, ACTIONS)
    if row is None:
        return None
    if row.entity == "source":
        return await _undo_source(uow, org_id, row)
    return await _undo_evaluation(uow, org_id, row)


def _record_undo(uow: UnitOfWork, row: AuditLog, current: dict, restored: dict | None) -> None:
    row.undone = True
    uow.audit(
        "undo", row.entity, row.entity_id, org_id=row.org_id,
        before={"undo_of": row.id, "action": row.action, "state": current},
        after={"undo_of": row.id, "action": row.action, "state": restored},
    )


async def _undo_source(uow: UnitOfWork, org_id: int, row: AuditLog) -> Undone:
    source = await sources.in_cell(uow.session, org_id, int(row.entity_id))
    snapshot = row.before or row.after
    what = _describe(row, _person(row))
    _check_window(uow, row, what, (row.after or row.before or {}).get("code", ""))
    if source is None:
        raise RuleError(texts.UNDO_CONFLICT.format(what=what))
    current = sources.source_snapshot(source)
    if not _same(current, row.after) or await sources.later_changes(uow.session, row):
        raise RuleError(texts.UNDO_CONFLICT.format(what=what))
    person = who(source)
    if row.before is None:  # a creation: delete it, unless it was evaluated meanwhile
        if await sources.has_evaluations(uow.session, source.id):
            raise RuleError(texts.UNDO_CONFLICT.format(what=what))
        await uow.session.delete(source)
        await uow.session.flush()
        _record_undo(uow, row, current, None)
        return Undone("source", what, person)
    if snapshot["stage"] != REMOVED:  # the restored record is an active person again
        birth = date.fromisoformat(snapshot["birth_date"])
        await write_unique_person(
            uow, source.org_id, snapshot["full_name"], birth, lambda: sources.restore_source(source, snapshot),
            exclude=source.id,
        )
    else:
        sources.restore_source(source, snapshot)
        await uow.session.flush()
    _record_undo(uow, row, current, sources.source_snapshot(source))
    return Undone("source", what, person, source=source)


async def _undo_evaluation(uow: UnitOfWork, org_id: int, row: AuditLog) -> Undone:
    evaluation = await uow.session.get(QuarterlyEvaluation, int(row.entity_id))
    recorded = row.after or row.before or {}
    source = await sources.in_cell(uow.session, org_id, int(recorded.get("source_id", 0)))
    person = who(source) if source is not None else "?"
    quarter = quarter_label(recorded.get("year", 0), recorded.get("quarter", 1)) if recorded else ""
    what = _describe(row, person, quarter)
    _check_window(uow, row, what, source.code if source is not None else "")
    if row.action == "evaluation.remove":
        return await _restore_removed(uow, row, source, what, person, quarter)
    if evaluation is None or source is None or evaluation.source_id != source.id:
        raise RuleError(texts.UNDO_CONFLICT.format(what=what))
    current = sources.evaluation_snapshot(evaluation)
    if not _same(current, row.after) or await sources.later_changes(uow.session, row):
        raise RuleError(texts.UNDO_CONFLICT.format(what=what))
    if row.before is None:
        await uow.session.delete(evaluation)
        restored = None
        level = None
    else:
        sources.restore_evaluation(evaluation, row.before)
        restored = sources.evaluation_snapshot(evaluation)
        level = evaluation.level
    await uow.session.flush()
    _record_undo(uow, row, current, restored)
    return Undone("evaluation", what, person, quarter=quarter, level=level)


async def _restore_removed(
    uow: UnitOfWork, row: AuditLog, source: Source | None, what: str, person: str, quarter: str
) -> Undone:
    """Undo a removed evaluation: put it back with its id, unless the quarter got another one."""
    snapshot = row.before or {}
    if source is None or await sources.later_changes(uow.session, row):
        raise RuleError(texts.UNDO_CONFLICT.format(what=what))
    if await sources.evaluation(uow.session, source.id, snapshot["year"], snapshot["quarter"]) is not None:
        raise RuleError(texts.UNDO_CONFLICT.format(what=what))
    evaluation = QuarterlyEvaluation(id=int(row.entity_id), source_id=source.id, year=snapshot["year"],
                                     quarter=snapshot["quarter"], level=snapshot["level"], comment="",
                                     evaluated_at=uow.now())
    sources.restore_evaluation(evaluation, snapshot)
    uow.session.add(evaluation)
    await uow.session.flush()
    _record_undo(uow, row, None, sources.evaluation_snapshot(evaluation))
    return Undone("evaluation", what, person, quarter=quarter, level=evaluation.level)

