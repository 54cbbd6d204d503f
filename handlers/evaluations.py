"""/danhgia: the quarterly evaluation of each source in the pool (Directive 13-CT/TU, task 2).

`/danhgia` walks through every active source not yet evaluated this quarter (level buttons, then
an optional comment); `/danhgia N12` evaluates one person step by step; `/danhgia N12; khá;
nhận xét` does it in one line. One evaluation per person and quarter: a second one replaces
the first, and the audit row keeps both.

During the first month of a quarter the previous one is still open: `/danhgia quý trước` runs
the round for it, `/danhgia N12; quý trước; khá` evaluates one person. `/danhgia N12; xóa`
removes a mistaken evaluation (`/danhgia N12; xóa; quý trước` the previous quarter's).
"""

from __future__ import annotations

import re

from domain import texts
from domain.dates import previous_quarter, quarter_of
from domain.errors import RuleError
from domain.text import fold
from domain.naming import cap, who
from domain.pipeline import ACTIVE_STAGES, LEVELS, parse_level, parse_text, quarter_label, split_args
from domain.roles import SECRETARY
from handlers.core import Context, Router
from handlers.people import cell_id, groups, load, person_step
from handlers.types import Choice, Reply
from handlers.wizard import SKIP, Step, Wizard, join_tail, not_here, skip_choice, typed
from storage import sources
from storage.models import Source
from usecases import evaluations
from usecases.evaluations import check_active, check_quarter

router = Router()

LEVEL = "pl.lvl."
SKIP_PERSON = "pl.skipp"
STOP = "pl.stop"
LOOP = "danhgia_all"


def level_choices(loop: bool) -> tuple[Choice, ...]:
    choices = [Choice(cap(texts.LEVEL_NAMES[key]), LEVEL + key) for key in LEVELS]
    if loop:
        choices += [Choice(texts.LABEL_SKIP_PERSON, SKIP_PERSON), Choice(texts.LABEL_STOP, STOP)]
    return tuple(choices)


QUARTER_KEY = "yq"  # dialog data: [year, quarter] being evaluated (absent: the current quarter)
_QUARTER = re.compile(r"^(?:quy|q)\s*(i{1,3}|iv|[1-4])(?:\s*/\s*(\d{4}))?$")
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_REMOVE_WORDS = {"xoa", "xoa danh gia", "huy danh gia", "bo danh gia"}


def parse_quarter(text: str, today) -> tuple[int, int] | None:
    """"quý trước", "quý này", "quý III", "q4", "quý 4/2026" -> (year, quarter); None when the
    text does not name a quarter."""
    value = fold(text).strip(" .")
    current = quarter_of(today)
    if value in ("quy truoc", "quy vua qua", "quy roi"):
        return previous_quarter(*current)
    if value in ("quy nay", "quy hien tai"):
        return current
    match = _QUARTER.match(value)
    if not match:
        return None
    quarter = _ROMAN.get(match[1]) or int(match[1])
    if match[2]:
        return int(match[2]), quarter
    # without a year: this year's, or last year's fourth quarter in January
    return (current[0] - 1, quarter) if quarter > current[1] else (current[0], quarter)


def _quarter(ctx: Context, data: dict) -> tuple[int, int]:
    chosen = data.get(QUARTER_KEY)
    return (int(chosen[0]), int(chosen[1])) if chosen else quarter_of(ctx.today())


def _level_from(text: str, choice: str | None) -> str:
    if choice is not None:
        if choice.startswith(LEVEL) and choice[len(LEVEL):] in LEVELS:
            return choice[len(LEVEL):]
        raise not_here(texts.LEVEL_EMPTY)
    return parse_level(text)


def _comment_from(text: str, choice: str | None) -> str:
    if choice == SKIP or (choice is None and typed(text, texts.LABEL_SKIP)):
        return ""
    if choice is not None:
        raise not_here(texts.LABEL_SKIP)
    return parse_text(text, what=texts.COMMENT_WHAT, example=texts.EXAMPLE_COMMENT)


async def _history(ctx: Context, source: Source, year: int, quarter: int) -> str:
    """" Lần trước (quý III/2026): khá." or, when already evaluated that quarter, that level."""
    latest = (await sources.latest_evaluations(ctx.session, [source.id])).get(source.id)
    if latest is None:
        return ""
    level = texts.LEVEL_NAMES[latest.level]
    if (latest.year, latest.quarter) == (year, quarter):
        return texts.EVAL_CURRENT.format(quarter=quarter_label(year, quarter), level=level)
    return texts.EVAL_PREVIOUS.format(quarter=quarter_label(latest.year, latest.quarter), level=level)


async def _level_question(ctx: Context, source: Source, data: dict, *,
                          position: tuple[int, int] | None = None) -> Reply:
    year, quarter = _quarter(ctx, data)
    fields = dict(
        quarter=quarter_label(year, quarter), who=who(source), stage=texts.EVAL_STAGE[source.stage],
        groups=groups(source), previous=await _history(ctx, source, year, quarter),
    )
    if position is None:
        return Reply(texts.EVAL_ASK_LEVEL_ONE.format(**fields), level_choices(loop=False))
    return Reply(texts.EVAL_ASK_LEVEL.format(i=position[0], n=position[1], **fields), level_choices(loop=True))


def _comment_question(source: Source, level: str) -> Reply:
    return Reply(texts.EVAL_ASK_COMMENT.format(level=texts.LEVEL_NAMES[level], who=who(source)), (skip_choice(),))


async def save_evaluation(ctx: Context, source: Source, level: str, comment: str, data: dict | None = None) -> Reply:
    """Create the quarter's evaluation, or replace it; the answer says which."""
    saved = await evaluations.save_evaluation(
        ctx.uow, cell_id(ctx), source.id, level, comment, _quarter(ctx, data or {})
    )
    label = quarter_label(saved.year, saved.quarter)
    shown_comment = texts.EVAL_COMMENT.format(comment=comment) if comment else ""
    if saved.replaced_level is not None:
        return Reply(
            texts.EVAL_REPLACED.format(
                quarter=label, who=who(source), level=texts.LEVEL_NAMES[level], comment=shown_comment,
                old=texts.LEVEL_NAMES[saved.replaced_level],
            )
        )
    return Reply(texts.EVAL_SAVED.format(quarter=label, who=who(source), level=texts.LEVEL_NAMES[level], comment=shown_comment))


# --- one person: /danhgia N12 [; mức [; nhận xét]] ------------------------------------------------
async def _ask_level(ctx: Context, data: dict) -> Reply:
    return await _level_question(ctx, await load(ctx, data["src"]), data)


async def _accept_level(ctx: Context, data: dict, text: str, choice: str | None) -> dict:
    return {"level": _level_from(text, choice)}


async def _ask_comment(ctx: Context, data: dict) -> Reply:
    return _comment_question(await load(ctx, data["src"]), data["level"])


async def _accept_comment(ctx: Context, data: dict, text: str, choice: str | None) -> dict:
    return {"comment": _comment_from(text, choice)}


async def _commit_one(ctx: Context, data: dict) -> Reply:
    source = await load(ctx, data["src"])
    return await save_evaluation(ctx, source, data["level"], data.get("comment") or "", data)


one_wizard = Wizard(
    router,
    "danhgia",
    [
        person_step(
            "src", stages=ACTIVE_STAGES, ask_text=texts.EVAL_ASK_PERSON, none_text=texts.EVAL_NONE_ACTIVE,
            example="/danhgia N12; khá; tích cực", check=check_active,
        ),
        Step("level", _ask_level, _accept_level, what=texts.LEVEL_WHAT),
        Step("comment", _ask_comment, _accept_comment, optional=True, default="", what=texts.COMMENT_WHAT),
    ],
    _commit_one,
)


# --- everyone not yet evaluated: /danhgia --------------------------------------------------------
async def _next(ctx: Context, data: dict, replies: list[Reply]) -> list[Reply]:
    """Ask about the next person not evaluated in the round's quarter, or close the round."""
    year, quarter = _quarter(ctx, data)
    skipped = data.get("skipped", [])
    remaining = await sources.not_evaluated(ctx.session, cell_id(ctx), year, quarter, exclude=skipped)
    done = data.get("done", 0)
    if not remaining:
        ctx.finish()
        extra = texts.EVAL_SKIPPED.format(k=len(skipped)) if skipped else ""
        return replies + [Reply(texts.EVAL_SESSION_DONE.format(quarter=quarter_label(year, quarter), done=done, skipped=extra))]
    current = remaining[0]
    position = (done + len(skipped) + 1, done + len(skipped) + len(remaining))
    if ctx.dialog is None or ctx.dialog.flow != LOOP:
        ctx.begin(LOOP, "level", **data)
    ctx.goto("level", cur=current.id, level=None)
    return replies + [await _level_question(ctx, current, data, position=position)]


async def _current(ctx: Context, data: dict) -> Source | None:
    source = await sources.in_cell(ctx.session, cell_id(ctx), int(data["cur"]))
    return source if source is not None and source.stage in ACTIVE_STAGES else None


@router.flow(LOOP, command="danhgia")
async def evaluation_round(ctx: Context, text: str, choice: str | None):
    data = ctx.data
    source = await _current(ctx, data)
    if source is None:  # removed or admitted meanwhile (no longer due): go on with the others
        return await _next(ctx, data, [])
    if ctx.dialog.step == "level":
        if choice is None and typed(text, texts.LABEL_STOP):
            choice = STOP
        elif choice is None and typed(text, texts.LABEL_SKIP_PERSON, texts.LABEL_SKIP):
            choice = SKIP_PERSON
        if choice == STOP:
            year, quarter = _quarter(ctx, data)
            left = len(await sources.not_evaluated(ctx.session, cell_id(ctx), year, quarter))
            ctx.finish()
            return Reply(texts.EVAL_STOPPED.format(done=data.get("done", 0), left=left, quarter=quarter_label(year, quarter)))
        if choice == SKIP_PERSON:
            ctx.goto("level", skipped=[*data.get("skipped", []), source.id])
            return await _next(ctx, ctx.data, [])
        level = _level_from(text, choice)
        ctx.goto("comment", level=level)
        return _comment_question(source, level)
    comment = _comment_from(text, choice)
    saved = await save_evaluation(ctx, source, data["level"], comment, data)
    ctx.goto("level", done=data.get("done", 0) + 1)
    return await _next(ctx, ctx.data, [saved])


def _is_level(text: str) -> bool:
    try:
        parse_level(text)
    except RuleError:
        return False
    return True


def _commas(ctx: Context):
    """"N12, khá, tích cực" / "N12, quý trước, khá" are unambiguous at commas."""
    return lambda pieces: _is_level(pieces[1]) or parse_quarter(pieces[1], ctx.today()) is not None


async def _remove(ctx: Context, who_part: str, rest: list[str]) -> Reply:
    from handlers.people import resolve

    found = await resolve(ctx, who_part, stages=ACTIVE_STAGES, example="/danhgia N12; xóa")
    if isinstance(found, list):
        raise RuleError(texts.PERSON_MANY.format(n=len(found), name=who_part) + " " + texts.EVAL_REMOVE_BY_CODE)
    year, quarter = quarter_of(ctx.today())
    if rest:
        chosen = parse_quarter(rest[0], ctx.today())
        if chosen is None:
            raise RuleError(texts.EVAL_REMOVE_USAGE)
        year, quarter = chosen
    removed = await evaluations.remove_evaluation(ctx.uow, cell_id(ctx), found.id, year, quarter)
    return Reply(texts.EVAL_REMOVED.format(
        quarter=quarter_label(year, quarter), who=who(removed.source), level=texts.LEVEL_NAMES[removed.level],
    ))


@router.command("danhgia", roles=(SECRETARY,), order=21)
async def evaluate(ctx: Context, args: str):
    parts = split_args(args, commas=_commas(ctx))
    chosen = parse_quarter(parts[0], ctx.today()) if len(parts) == 1 else None
    if chosen is None and len(parts) >= 2 and fold(parts[1]).strip(" .") in _REMOVE_WORDS:
        return await _remove(ctx, parts[0], parts[2:])
    if chosen is None and parts:
        data = {}
        if len(parts) >= 2:
            quarter = parse_quarter(parts[1], ctx.today())
            if quarter is not None:
                check_quarter(ctx.today(), *quarter)
                data[QUARTER_KEY] = list(quarter)
                parts = [parts[0], *parts[2:]]
        return await one_wizard.start(ctx, join_tail(parts, 3, args), **data)
    user = ctx.require_user()
    if not await sources.count_for_cell(ctx.session, user.org_id, ACTIVE_STAGES):
        return Reply(texts.EVAL_NONE_ACTIVE)
    year, quarter = chosen or quarter_of(ctx.today())
    check_quarter(ctx.today(), year, quarter)
    data = {QUARTER_KEY: [year, quarter]} if chosen else {}
    if not await sources.not_evaluated(ctx.session, user.org_id, year, quarter):
        active = await sources.count_for_cell(ctx.session, user.org_id, ACTIVE_STAGES)
        return Reply(texts.EVAL_ALL_DONE.format(n=active, quarter=quarter_label(year, quarter)))
    ctx.begin(LOOP, "level", skipped=[], done=0, **data)
    return await _next(ctx, ctx.data, [])
