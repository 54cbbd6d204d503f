"""Changing a source's record: /suanguon (edit one field) and /xoanguon (remove from the pool)."""

from __future__ import annotations

from datetime import date

from domain import texts
from domain.dates import add_months, fmt
from domain.pipeline import (
    ADMISSION_MIN_AGE,
    EDITABLE_STAGES,
    EXAMPLE_BIRTH,
    POOL_MIN_AGE,
    PROBATIONARY,
    REMOVABLE_STAGES,
    REMOVED,
    RuleError,
    check_birth,
    parse_field,
    parse_name,
    parse_past_date,
    parse_text,
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
def _check_editable(source: Source) -> None:
    if source.stage == REMOVED:
        raise RuleError(texts.EDIT_REMOVED.format(Who=cap(who(source))))


async def _ask_field(ctx: Context, data: dict) -> Reply:
    source = await load(ctx, data["src"])
    choices = tuple(Choice(cap(texts.FIELD_NAMES[f]), FIELD + f) for f in ("name", "birth", "categories", "note"))
    return Reply(texts.EDIT_ASK_FIELD.format(who=who(source)), choices)


async def _accept_field(ctx: Context, data: dict, text: str, choice: str | None) -> dict:
    if choice is not None:
        if choice.startswith(FIELD) and choice[len(FIELD):] in texts.FIELD_NAMES:
            return {"field": choice[len(FIELD):]}
        raise not_here(texts.EDIT_USAGE)
    return {"field": parse_field(text)}


def _show(field: str, source: Source) -> str:
    if field == "name":
        return source.full_name
    if field == "birth":
        return fmt(source.birth_date)
    if field == "categories":
        return groups(source)
    return source.note or texts.EMPTY_NOTE


async def _ask_value(ctx: Context, data: dict) -> Reply:
    source = await load(ctx, data["src"])
    field, current = data["field"], _show(data["field"], source)
    if field == "name":
        return Reply(texts.EDIT_ASK_NAME.format(current=current))
    if field == "birth":
        return Reply(texts.EDIT_ASK_BIRTH.format(current=current))
    if field == "note":
        return Reply(texts.EDIT_ASK_NOTE.format(current=current), (Choice(texts.LABEL_CLEAR_NOTE, CLEAR),))
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


async def _commit_edit(ctx: Context, data: dict) -> Reply:
    source = await load(ctx, data["src"])
    try:
        _check_editable(source)
    except RuleError as err:
        raise _user_error(err) from None
    field, value = data["field"], data["value"]
    before = sources.source_snapshot(source)
    old = _show(field, source)
    if field == "name":
        source.full_name, source.name_key = value, fold(value)
    elif field == "birth":
        source.birth_date = date.fromisoformat(value)
    elif field == "categories":
        sources.set_categories(source, value)
    else:
        source.note = value
    new = _show(field, source)
    after = sources.source_snapshot(source)
    if after == before:
        return Reply(texts.EDIT_SAME.format(Field=cap(texts.FIELD_NAMES[field]), who=who(source), value=new))
    await ctx.session.flush()
    await ctx.audit("source.update", "source", source.id, org_id=source.org_id, before=before, after=after)
    return Reply(texts.EDIT_DONE.format(field=texts.FIELD_NAMES[field], who=who(source), old=old, new=new))


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
    ],
    _commit_edit,
)


@router.command("suanguon", roles=(SECRETARY,))
async def edit_source(ctx: Context, args: str):
    return await edit_wizard.start(ctx, join_tail(split_args(args), 3))


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


@router.command("xoanguon", roles=(SECRETARY,))
async def remove_source(ctx: Context, args: str):
    return await remove_wizard.start(ctx, join_tail(split_args(args), 2))
