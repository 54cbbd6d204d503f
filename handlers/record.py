"""/xem MÃ_HOẶC_TÊN: everything recorded about one person, on one screen.

Stage and dates, groups, note, certificate and decision numbers, every quarterly evaluation
with its comment, the probation deadlines, and who changed what when (from the audit log).
Secretaries see the people of their own cell (by code or name); staff see the people of
their subtree by code. From /dsnguon a choice per person ("xem:<id>") opens the same view.
Private chats only (the core refuses the command in groups).
"""

from __future__ import annotations

from domain import texts
from domain.dates import age_on, fmt
from domain.naming import cap, who
from domain.pipeline import (
    PROBATIONARY,
    REMOVED,
    STAGES,
    earliest_recognition,
    needs_recognition,
    parse_code,
    quarter_label,
)
from domain.roles import ADMIN, SECRETARY, STAFF
from handlers.core import Context, Router
from handlers.people import groups, resolve
from handlers.types import Choice, Reply, UserError
from handlers.people import person_choice
from storage import sources
from storage.clock import to_local
from storage.models import AuditLog, OrgUnit, Source

router = Router()

CHOICE = "xem"
MAX_HISTORY = 12  # the latest changes shown; older ones are counted


@router.command("xem", roles=(SECRETARY, STAFF, ADMIN), order=19)
async def show_record(ctx: Context, args: str):
    user = ctx.require_user()
    if not args.strip():
        raise UserError(texts.RECORD_USAGE)
    if user.role == SECRETARY:
        found = await resolve(ctx, args, stages=STAGES, example="/xem N12")
        if isinstance(found, list):
            choices = tuple(Choice(person_choice(p).label, f"{CHOICE}:{p.id}") for p in found[:20])
            return Reply(texts.PERSON_MANY.format(n=len(found), name=args.strip()), choices)
        return await render(ctx, found)
    code = parse_code(args)
    if code is None:
        raise UserError(texts.RECORD_STAFF_CODE)
    return await render(ctx, await _in_scope(ctx, code))


@router.choice(CHOICE, command="xem")
async def pressed(ctx: Context, value: str):
    raw = value.split(":", 1)[1]
    if not (raw.isascii() and raw.isdigit()):
        raise UserError(texts.STALE_CHOICE)
    return await render(ctx, await _in_scope(ctx, int(raw)))


async def _in_scope(ctx: Context, source_id: int) -> Source:
    """The source when it belongs to the user's unit or subtree; another's reads as missing."""
    user = ctx.require_user()
    source = await sources.in_cell(ctx.session, user.org_id, source_id) if user.role == SECRETARY else None
    if source is None and user.role != SECRETARY and 0 < source_id <= sources.MAX_ID:
        candidate = await ctx.session.get(Source, source_id)
        unit = await ctx.session.get(OrgUnit, candidate.org_id) if candidate is not None else None
        if unit is not None and (user.role == ADMIN or unit.path.startswith(user.org.path)):
            source = candidate
    if source is None:
        raise UserError(texts.RECORD_NOT_FOUND.format(code=f"N{source_id}"))
    return source


async def render(ctx: Context, source: Source) -> Reply:
    today = ctx.today()
    unit = await ctx.session.get(OrgUnit, source.org_id)
    lines = [
        texts.RECORD_TITLE.format(who=who(source)),
        texts.RECORD_BIRTH.format(birth=fmt(source.birth_date), age=age_on(source.birth_date, today), unit=unit.name),
        texts.RECORD_STAGE.format(stage=texts.STAGE_NAMES[source.stage]),
        texts.RECORD_GROUPS.format(groups=groups(source)),
    ]
    if source.note:
        lines.append(texts.RECORD_NOTE.format(note=source.note))
    if source.awareness_date:
        cert = texts.RECORD_CERT.format(cert=source.certificate_no) if source.certificate_no else ""
        lines.append(texts.RECORD_AWARENESS.format(date=fmt(source.awareness_date), cert=cert))
    if source.admission_date:
        decision = texts.RECORD_DECISION.format(decision=source.decision_no) if source.decision_no else ""
        lines.append(texts.RECORD_ADMISSION.format(date=fmt(source.admission_date), decision=decision))
        if source.over60_decision_no or source.over60_authority:
            lines.append(texts.RECORD_OVER_60.format(decision=source.over60_decision_no or texts.EMPTY_VALUE,
                                                     authority=source.over60_authority or texts.EMPTY_VALUE))
        flag = ""
        if source.stage == PROBATIONARY:
            deadline = source.recognition_deadline
            if deadline is not None and deadline < today:
                flag = texts.RECORD_LATE
            elif needs_recognition(source.admission_date, deadline, today):
                flag = texts.RECORD_DUE
        lines.append(texts.RECORD_PROBATION.format(
            earliest=fmt(earliest_recognition(source.admission_date)),
            deadline=fmt(source.recognition_deadline) or texts.EMPTY_VALUE, flag=flag,
        ))
    if source.recognition_date:
        number = source.recognition_decision_no
        decision = texts.RECORD_DECISION.format(decision=number) if number else ""
        lines.append(texts.RECORD_RECOGNITION.format(date=fmt(source.recognition_date), decision=decision))
    if source.stage == REMOVED:
        removed = source.removed_at.date() if source.removed_at else None
        template = texts.RECORD_REMOVED_PROBATIONARY if source.admission_date else texts.RECORD_REMOVED
        lines.append(template.format(date=fmt(removed), reason=source.removed_reason or ""))
    lines += _evaluations(await sources.evaluations_of(ctx.session, source.id))
    lines += _history(ctx, await sources.history(ctx.session, source))
    return Reply("\n".join(lines))


def _evaluations(rows) -> list[str]:
    if not rows:
        return [texts.RECORD_NO_EVALUATIONS]
    lines = [texts.RECORD_EVALUATIONS]
    for row in rows:
        comment = texts.RECORD_EVALUATION_COMMENT.format(comment=row.comment) if row.comment else ""
        lines.append(texts.RECORD_EVALUATION.format(
            quarter=cap(quarter_label(row.year, row.quarter)), level=texts.LEVEL_NAMES.get(row.level, row.level),
            comment=comment,
        ))
    return lines


def _history(ctx: Context, rows: list[tuple[AuditLog, str | None]]) -> list[str]:
    if not rows:
        return []
    lines = [texts.RECORD_HISTORY]
    older = len(rows) - MAX_HISTORY
    if older > 0:
        lines.append(texts.RECORD_HISTORY_MORE.format(n=older))
    for row, name in rows[-MAX_HISTORY:]:
        time = to_local(row.at, ctx.settings.tz).strftime("%d/%m/%Y %H:%M")
        lines.append(texts.RECORD_HISTORY_LINE.format(
            time=time, actor=name or texts.RECORD_ACTOR_UNKNOWN, what=describe(row),
            undone=texts.RECORD_HISTORY_UNDONE if row.undone else "",
        ))
    return lines


def _shown(key: str, value) -> str:
    if value in (None, "", []):
        return texts.EMPTY_VALUE
    if key == "categories":
        from domain.categories import labels

        return labels(value)
    if key.endswith("_date"):
        from datetime import date

        return fmt(date.fromisoformat(value))
    return str(value)


_FIELD_KEYS = dict((
    ("name", "full_name"), ("birth", "birth_date"), ("categories", "categories"), ("note", "note"),
    ("awareness", "awareness_date"), ("certificate", "certificate_no"), ("admission", "admission_date"),
    ("decision", "decision_no"), ("recognition", "recognition_date"),
))


def describe(row: AuditLog) -> str:
    """One audit row in the words of the record ("sửa ngày sinh: “01/01/1998” → “05/03/1998”")."""
    before, after = row.before or {}, row.after or {}
    action = row.action
    if action == "undo":
        undone = before.get("action", "")
        if undone == "source.remove" and (before.get("state") or {}).get("stage") == REMOVED:
            state = (after.get("state") or {})
            undone += ".probationary" if state.get("stage") == PROBATIONARY else ""
        return texts.RECORD_ACTIONS["undo"].format(what=texts.RECORD_UNDO_WHAT.get(undone, texts.RECORD_UNDO_WHAT["_"]))
    if action == "source.remove" and before.get("stage") == PROBATIONARY:
        action = "source.remove.probationary"
    template = texts.RECORD_ACTIONS.get(action)
    if template is None:
        return action
    snapshot = after or before
    quarter = quarter_label(snapshot.get("year", 2000), snapshot.get("quarter", 1)) if row.entity == "evaluation" else ""
    fields = {"quarter": quarter, "level": texts.LEVEL_NAMES.get(snapshot.get("level"), ""),
              "reason": after.get("removed_reason") or ""}
    if action == "source.update":
        field = next((f for f, key in _FIELD_KEYS.items() if before.get(key) != after.get(key)), "note")
        key = _FIELD_KEYS[field]
        fields.update(field=texts.FIELD_NAMES[field], old=_shown(key, before.get(key)), new=_shown(key, after.get(key)))
    return template.format(**fields)
