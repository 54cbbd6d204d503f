"""Changing a source's record: /suanguon (edit one field) and /xoanguon (remove from the pool).

/suanguon corrects the personal fields (name, birth date, groups, note) and, once the person
reached the stage that records them, the stage data: the awareness class date and certificate
number, the admission date and decision number, the recognition date. A corrected date obeys the
rules of the command that recorded it; a new admission date recomputes the recognition deadline.
Every change is audited as "source.update" with full snapshots, so /hoantac restores it.
"""

from __future__ import annotations

from datetime import date

from domain import texts
from domain.dates import add_months, age_on, fmt
from domain.pipeline import (
    ADMISSION_MIN_AGE,
    EDITABLE_STAGES,
    EXAMPLE_BIRTH,
    EXAMPLE_CERTIFICATE,
    FULL,
    POOL_MIN_AGE,
    PROBATIONARY,
    REMOVABLE_STAGES,
    REMOVED,
    STAGE_FIELDS,
    RuleError,
    check_admission_change,
    check_awareness_change,
    check_birth,
    check_field_stage,
    check_recognition_change,
    earliest_recognition,
    fields_for,
    is_confirmation,
    over_age_limit,
    parse_field,
    parse_name,
    parse_number,
    parse_past_date,
    parse_text,
    recognition_deadline,
    split_args,
)
from domain.roles import SECRETARY
from domain.text import fold
from handlers.core import Context, Router
from handlers.groups import accept_categories, categories_reply
from handlers.people import cap, groups, load, person_step, who, wrong_stage
from handlers.sources import refuse_duplicate
from handlers.types import Choice, Reply, UserError
from handlers.wizard import LINE_KEY, Step, Wizard, accept_confirmation, confirm_choices, join_tail, not_here
from storage import sources
from storage.models import Source

router = Router()

FIELD = "pl.field."
CLEAR = "pl.clear"


def _user_error(err: RuleError) -> UserError:
    return UserError(err.text)


# --- /suanguon ------------------------------------------------------------------------------------
# Date fields: the Source attribute and the field's name in "what" of date messages.
DATE_FIELDS = {
    "awareness": ("awareness_date", texts.AWARENESS_DATE_WHAT),
    "admission": ("admission_date", texts.ADMIT_DATE_WHAT),
    "recognition": ("recognition_date", texts.RECOGNISE_DATE_WHAT),
}
# Number fields: the Source attribute, the field's name and an example.
NUMBER_FIELDS = {
    "certificate": ("certificate_no", texts.CERT_WHAT, EXAMPLE_CERTIFICATE),
    "decision": ("decision_no", texts.DECISION_WHAT, texts.EXAMPLE_DECISION),
}


def _rule(check, *args, **kwargs) -> None:
    try:
        check(*args, **kwargs)
    except RuleError as err:
        raise _user_error(err) from None


def _check_editable(source: Source) -> None:
    if source.stage == REMOVED:
        raise RuleError(texts.EDIT_REMOVED.format(Who=cap(who(source))))


def _check_field(source: Source, field: str) -> None:
    """Stage data can be corrected only once the person reached that stage."""
    check_field_stage(field, source.stage, who=who(source), code=source.code)


def _check_date(source: Source, field: str, value: date) -> None:
    """The rules of the command that recorded the date (/lopnhanthuc, /ketnap, /chinhthuc),
    against everything else already recorded."""
    named = {"who": who(source), "code": source.code}
    if field == "awareness":
        check_awareness_change(source.birth_date, value, source.admission_date, **named)
    elif field == "admission":
        check_admission_change(
            source.birth_date, source.awareness_date, value, source.recognition_date, name=source.full_name, **named
        )
    else:
        check_recognition_change(source.admission_date, value, name=source.full_name, **named)


def _needs_over60(source: Source, admission: date) -> bool:
    """A new admission date past the 60th birthday needs the same confirmation as /ketnap."""
    return admission != source.admission_date and over_age_limit(source.birth_date, admission)


async def _ask_field(ctx: Context, data: dict) -> Reply:
    source = await load(ctx, data["src"])
    choices = tuple(Choice(cap(texts.FIELD_NAMES[f]), FIELD + f) for f in fields_for(source.stage))
    return Reply(texts.EDIT_ASK_FIELD.format(who=who(source)), choices)


async def _accept_field(ctx: Context, data: dict, text: str, choice: str | None) -> dict:
    if choice is not None:
        if not (choice.startswith(FIELD) and choice[len(FIELD):] in texts.FIELD_NAMES):
            raise not_here(texts.EDIT_USAGE)
        field = choice[len(FIELD):]
    else:
        field = parse_field(text)
    _check_field(await load(ctx, data["src"]), field)
    return {"field": field}


def _show(field: str, source: Source) -> str:
    if field == "name":
        return source.full_name
    if field == "birth":
        return fmt(source.birth_date)
    if field == "categories":
        return groups(source)
    if field in DATE_FIELDS:
        value = getattr(source, DATE_FIELDS[field][0])
        return fmt(value) if value else texts.EMPTY_VALUE
    if field in NUMBER_FIELDS:
        return getattr(source, NUMBER_FIELDS[field][0]) or texts.EMPTY_VALUE
    return source.note or texts.EMPTY_NOTE


def _example_date(source: Source, field: str, today: date) -> str:
    """A date for the examples in messages: the one recorded now, else today."""
    return fmt(getattr(source, DATE_FIELDS[field][0]) or today)


async def _ask_value(ctx: Context, data: dict) -> Reply:
    source = await load(ctx, data["src"])
    field, current = data["field"], _show(data["field"], source)
    if field == "name":
        return Reply(texts.EDIT_ASK_NAME.format(current=current))
    if field == "birth":
        return Reply(texts.EDIT_ASK_BIRTH.format(current=current))
    if field == "note":
        return Reply(texts.EDIT_ASK_NOTE.format(current=current), (Choice(texts.LABEL_CLEAR_NOTE, CLEAR),))
    if field == "certificate":
        return Reply(texts.EDIT_ASK_CERTIFICATE.format(current=current))
    if field == "decision":
        return Reply(texts.EDIT_ASK_DECISION.format(current=current))
    if field in ("awareness", "admission"):
        template = texts.EDIT_ASK_AWARENESS if field == "awareness" else texts.EDIT_ASK_ADMISSION
        return Reply(template.format(current=current, example=_example_date(source, field, ctx.today())))
    if field == "recognition":
        admission = source.admission_date
        earliest = fmt(earliest_recognition(admission)) if admission else texts.EMPTY_VALUE
        return Reply(
            texts.EDIT_ASK_RECOGNITION.format(
                current=current, admission=fmt(admission) if admission else texts.EMPTY_VALUE, earliest=earliest,
                example=_example_date(source, field, ctx.today()),
            )
        )
    if "sel" not in data:
        data["sel"] = sorted(c.category for c in source.categories)
    return categories_reply(texts.EDIT_ASK_CATEGORIES.format(who=who(source)), data["sel"])


async def _accept_value(ctx: Context, data: dict, text: str, choice: str | None) -> dict:
    field = data["field"]
    source = await load(ctx, data["src"])
    if field == "categories":
        return await accept_categories("value")(ctx, data, text, choice)
    if field == "note":
        if choice == CLEAR:
            return {"value": ""}
        if choice is not None:
            raise not_here()
        return {"value": parse_text(text, what="ghi chú", example=texts.EXAMPLE_NOTE)}
    if choice is not None:
        raise not_here()
    if field == "name":
        name = parse_name(text)
        await refuse_duplicate(ctx, name, source.birth_date, exclude=source.id)
        return {"value": name}
    if field in NUMBER_FIELDS:
        _, what, example = NUMBER_FIELDS[field]
        number = parse_number(text, what=what, example=example)
        if not number:
            raise RuleError(texts.TEXT_EMPTY.format(what=what, example=example))
        return {"value": number}
    if field in DATE_FIELDS:
        _check_field(source, field)
        value = parse_past_date(
            text, today=ctx.today(), what=DATE_FIELDS[field][1], example=_example_date(source, field, ctx.today())
        )
        _check_date(source, field, value)
        if field == "admission":
            return {"value": value.isoformat(), "over60": _needs_over60(source, value)}
        return {"value": value.isoformat()}
    birth = parse_past_date(text, today=ctx.today(), what="ngày sinh", example=EXAMPLE_BIRTH)
    _check_birth_edit(source, birth, ctx.today())
    await refuse_duplicate(ctx, source.full_name, birth, exclude=source.id)
    return {"value": birth.isoformat()}


def _check_birth_edit(source: Source, birth: date, today: date) -> None:
    """A new birth date must still fit the pool and what was already recorded."""
    check_birth(birth, today)
    if source.awareness_date and source.awareness_date < add_months(birth, 12 * POOL_MIN_AGE):
        raise RuleError(
            texts.EDIT_BIRTH_AWARENESS.format(birth=fmt(birth), who=who(source), awareness=fmt(source.awareness_date))
        )
    if source.admission_date and source.admission_date < add_months(birth, 12 * ADMISSION_MIN_AGE):
        raise RuleError(
            texts.EDIT_BIRTH_CONFLICT.format(birth=fmt(birth), who=who(source), admission=fmt(source.admission_date))
        )


def _over60_text(source: Source, admission: date) -> str:
    return texts.EDIT_ADMISSION_OVER_60.format(
        Who=cap(who(source)), code=source.code, birth=fmt(source.birth_date), date=fmt(admission),
        age=age_on(source.birth_date, admission),
    )


async def _ask_over60(ctx: Context, data: dict) -> Reply:
    source = await load(ctx, data["src"])
    return Reply(_over60_text(source, date.fromisoformat(data["value"])), confirm_choices())


def _apply(source: Source, field: str, value) -> None:
    if field == "name":
        source.full_name, source.name_key = value, fold(value)
    elif field == "birth":
        source.birth_date = date.fromisoformat(value)
    elif field == "categories":
        sources.set_categories(source, value)
    elif field == "note":
        source.note = value
    elif field in NUMBER_FIELDS:
        setattr(source, NUMBER_FIELDS[field][0], value or None)
    else:
        setattr(source, DATE_FIELDS[field][0], date.fromisoformat(value))
        # a new admission date moves the deadline; a missing one is filled in as /chinhthuc does
        missing = source.recognition_deadline is None and source.admission_date is not None
        if field == "admission" or missing:
            source.recognition_deadline = recognition_deadline(source.admission_date)


def _late(source: Source) -> bool:
    """Recognised after the deadline the cell had to consider it by."""
    deadline, recognised = source.recognition_deadline, source.recognition_date
    return deadline is not None and recognised is not None and recognised > deadline


def _deadline_lines(ctx: Context, source: Source, old_deadline: date | None) -> list[str]:
    """After a new admission date: the probation's end and the recomputed deadline."""
    lines = [
        texts.EDIT_DEADLINE.format(
            earliest=fmt(earliest_recognition(source.admission_date)), deadline=fmt(source.recognition_deadline),
            old=fmt(old_deadline) if old_deadline else texts.EMPTY_VALUE,
        )
    ]
    if source.stage == FULL and _late(source):
        lines.append(texts.RECOGNISE_LATE.format(deadline=fmt(source.recognition_deadline)))
    elif source.stage == PROBATIONARY and source.recognition_deadline < ctx.today():
        lines.append(texts.EDIT_DEADLINE_PASSED.format(code=source.code))
    return lines


async def _commit_edit(ctx: Context, data: dict) -> Reply:
    source = await load(ctx, data["src"])
    _rule(_check_editable, source)
    field, value = data["field"], data["value"]
    over60 = False
    if field in STAGE_FIELDS:  # the record may have changed since the answers were checked
        _rule(_check_field, source, field)
    if field in DATE_FIELDS:
        _rule(_check_date, source, field, date.fromisoformat(value))
    if field == "admission":
        over60 = _needs_over60(source, date.fromisoformat(value))
        if over60 and not data.get("confirmed"):
            raise UserError(_over60_text(source, date.fromisoformat(value)))
    before = sources.source_snapshot(source)
    old, old_deadline = _show(field, source), source.recognition_deadline
    _apply(source, field, value)
    new = _show(field, source)
    after = sources.source_snapshot(source)
    if after == before:
        return Reply(texts.EDIT_SAME.format(Field=cap(texts.FIELD_NAMES[field]), who=who(source), value=new))
    await ctx.session.flush()
    if over60:
        after["over_60_confirmed"] = True
    await ctx.audit("source.update", "source", source.id, org_id=source.org_id, before=before, after=after)
    lines = [texts.EDIT_DONE.format(field=texts.FIELD_NAMES[field], who=who(source), old=old, new=new)]
    if field == "admission":
        lines += _deadline_lines(ctx, source, old_deadline)
    elif field == "recognition" and _late(source):
        lines.append(texts.RECOGNISE_LATE.format(deadline=fmt(source.recognition_deadline)))
    return Reply("\n".join(lines))


edit_wizard = Wizard(
    router,
    "suanguon",
    [
        person_step(
            "src", stages=EDITABLE_STAGES, ask_text=texts.EDIT_ASK_PERSON, none_text=texts.EDIT_NONE,
            example="/suanguon N12; ngày sinh; 05/03/1998", check=_check_editable,
        ),
        Step("field", _ask_field, _accept_field),
        Step("value", _ask_value, _accept_value),
        Step("confirm", _ask_over60, accept_confirmation, from_line=False,
             needed=lambda data: bool(data.get("over60")) and not data.get("confirmed")),
    ],
    _commit_edit,
)


def _is_admission_field(text: str) -> bool:
    try:
        return parse_field(text) == "admission"
    except RuleError:
        return False


@router.command("suanguon", roles=(SECRETARY,), order=12)
async def edit_source(ctx: Context, args: str):
    parts = split_args(args)
    # "/suanguon N12; ngày kết nạp; 20/11/2026; xác nhận": over 60, confirmed on the line as with /ketnap
    confirmed = len(parts) == 4 and _is_admission_field(parts[1]) and is_confirmation(parts[3])
    if confirmed:
        parts = parts[:3]
    return await edit_wizard.start(ctx, join_tail(parts, 3), confirmed=confirmed)


# --- /xoanguon ------------------------------------------------------------------------------------
def _check_removable(source: Source) -> None:
    if source.stage not in REMOVABLE_STAGES:
        raise wrong_stage(texts.REMOVE_WRONG_STAGE, source)


async def _ask_reason(ctx: Context, data: dict) -> Reply:
    source = await load(ctx, data["src"])
    template = texts.REMOVE_ASK_REASON_PROBATIONARY if source.stage == PROBATIONARY else texts.REMOVE_ASK_REASON
    return Reply(template.format(who=who(source)))


async def _accept_reason(ctx: Context, data: dict, text: str, choice: str | None) -> dict:
    if choice is not None:
        raise not_here()
    return {"reason": parse_text(text, what=texts.REASON_WHAT, example=texts.EXAMPLE_REASON, required=True)}


async def _ask_remove_confirm(ctx: Context, data: dict) -> Reply:
    source = await load(ctx, data["src"])
    template = texts.REMOVE_CONFIRM_PROBATIONARY if source.stage == PROBATIONARY else texts.REMOVE_CONFIRM
    return Reply(template.format(who=who(source), reason=data["reason"]), confirm_choices(texts.LABEL_AGREE))


async def _commit_remove(ctx: Context, data: dict) -> Reply:
    source = await load(ctx, data["src"])
    try:
        _check_removable(source)
    except RuleError as err:
        raise _user_error(err) from None
    before = sources.source_snapshot(source)
    was_probationary = source.stage == PROBATIONARY
    named = who(source)
    source.stage = REMOVED
    source.removed_reason = data["reason"]
    source.removed_at = ctx.now()
    await ctx.session.flush()
    await ctx.audit(
        "source.remove", "source", source.id, org_id=source.org_id, before=before, after=sources.source_snapshot(source)
    )
    template = texts.REMOVE_DONE_PROBATIONARY if was_probationary else texts.REMOVE_DONE
    return Reply(template.format(who=named, reason=data["reason"]))


remove_wizard = Wizard(
    router,
    "xoanguon",
    [
        person_step(
            "src", stages=REMOVABLE_STAGES, ask_text=texts.REMOVE_ASK_PERSON, none_text=texts.REMOVE_NONE,
            example="/xoanguon N12; chuyển đi nơi khác", check=_check_removable,
        ),
        Step("reason", _ask_reason, _accept_reason),
        Step("confirm", _ask_remove_confirm, accept_confirmation, from_line=False,
             needed=lambda data: not data.get(LINE_KEY)),
    ],
    _commit_remove,
)


@router.command("xoanguon", roles=(SECRETARY,), order=13)
async def remove_source(ctx: Context, args: str):
    return await remove_wizard.start(ctx, join_tail(split_args(args), 2))
