"""/danhgia: the quarterly evaluation of each source in the pool (Directive 13-CT/TU, task 2).

`/danhgia` walks through every active source not yet evaluated this quarter (level buttons, then
an optional comment); `/danhgia N12` evaluates one person step by step; `/danhgia N12; khá;
nhận xét` does it in one line. One evaluation per person and quarter: a second one replaces
the first, and the audit row keeps both.
"""

from __future__ import annotations

from domain import texts
from domain.dates import quarter_of
from domain.naming import cap, who
from domain.pipeline import ACTIVE_STAGES, LEVELS, parse_level, parse_text, quarter_label, split_args
from domain.roles import SECRETARY
from handlers.core import Context, Router
from handlers.people import cell_id, groups, load, person_step
from handlers.types import Choice, Reply
from handlers.wizard import SKIP, Step, Wizard, join_tail, not_here, skip_choice
from storage import sources
from storage.models import Source
from usecases import evaluations
from usecases.evaluations import check_active

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


def _level_from(text: str, choice: str | None) -> str:
    if choice is not None:
        if choice.startswith(LEVEL) and choice[len(LEVEL):] in LEVELS:
            return choice[len(LEVEL):]
        raise not_here(texts.LEVEL_EMPTY)
    return parse_level(text)


def _comment_from(text: str, choice: str | None) -> str:
    if choice == SKIP:
        return ""
    if choice is not None:
        raise not_here(texts.LABEL_SKIP)
    return parse_text(text, what=texts.COMMENT_WHAT, example=texts.EXAMPLE_COMMENT)


async def _history(ctx: Context, source: Source) -> str:
    """" Lần trước (quý III/2026): khá." or, when already evaluated this quarter, that level."""
    year, quarter = quarter_of(ctx.today())
    latest = (await sources.latest_evaluations(ctx.session, [source.id])).get(source.id)
    if latest is None:
        return ""
    level = texts.LEVEL_NAMES[latest.level]
    if (latest.year, latest.quarter) == (year, quarter):
        return texts.EVAL_CURRENT.format(quarter=quarter_label(year, quarter), level=level)
    return texts.EVAL_PREVIOUS.format(quarter=quarter_label(latest.year, latest.quarter), level=level)


async def _level_question(ctx: Context, source: Source, *, position: tuple[int, int] | None = None) -> Reply:
    year, quarter = quarter_of(ctx.today())
    fields = dict(
        quarter=quarter_label(year, quarter), who=who(source), stage=texts.STAGE_NAMES[source.stage],
        groups=groups(source), previous=await _history(ctx, source),
    )
    if position is None:
        return Reply(texts.EVAL_ASK_LEVEL_ONE.format(**fields), level_choices(loop=False))
    return Reply(texts.EVAL_ASK_LEVEL.format(i=position[0], n=position[1], **fields), level_choices(loop=True))


def _comment_question(source: Source, level: str) -> Reply:
    return Reply(texts.EVAL_ASK_COMMENT.format(level=texts.LEVEL_NAMES[level], who=who(source)), (skip_choice(),))


async def save_evaluation(ctx: Context, source: Source, level: str, comment: str) -> Reply:
    """Create this quarter's evaluation, or replace it; the answer says which."""
    saved = await evaluations.save_evaluation(ctx.uow, cell_id(ctx), source.id, level, comment)
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
    return await _level_question(ctx, await load(ctx, data["src"]))


async def _accept_level(ctx: Context, data: dict, text: str, choice: str | None) -> dict:
    return {"level": _level_from(text, choice)}


async def _ask_comment(ctx: Context, data: dict) -> Reply:
    return _comment_question(await load(ctx, data["src"]), data["level"])


async def _accept_comment(ctx: Context, data: dict, text: str, choice: str | None) -> dict:
    return {"comment": _comment_from(text, choice)}


async def _commit_one(ctx: Context, data: dict) -> Reply:
    source = await load(ctx, data["src"])
    return await save_evaluation(ctx, source, data["level"], data.get("comment") or "")


one_wizard = Wizard(
    router,
    "danhgia",
    [
        person_step(
            "src", stages=ACTIVE_STAGES, ask_text=texts.EVAL_ASK_PERSON, none_text=texts.EVAL_NONE_ACTIVE,
            example="/danhgia N12; khá; tích cực", check=check_active,
        ),
        Step("level", _ask_level, _accept_level),
        Step("comment", _ask_comment, _accept_comment, optional=True, default=""),
    ],
    _commit_one,
)


# --- everyone not yet evaluated: /danhgia --------------------------------------------------------
async def _next(ctx: Context, data: dict, replies: list[Reply]) -> list[Reply]:
    """Ask about the next person not evaluated this quarter, or close the round."""
    year, quarter = quarter_of(ctx.today())
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
    return replies + [await _level_question(ctx, current, position=position)]


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
        if choice == STOP:
            year, quarter = quarter_of(ctx.today())
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
    saved = await save_evaluation(ctx, source, data["level"], comment)
    ctx.goto("level", done=data.get("done", 0) + 1)
    return await _next(ctx, ctx.data, [saved])


@router.command("danhgia", roles=(SECRETARY,), order=21)
async def evaluate(ctx: Context, args: str):
    parts = join_tail(split_args(args), 3)
    if parts:
        return await one_wizard.start(ctx, parts)
    user = ctx.require_user()
    if not await sources.count_for_cell(ctx.session, user.org_id, ACTIVE_STAGES):
        return Reply(texts.EVAL_NONE_ACTIVE)
    year, quarter = quarter_of(ctx.today())
    if not await sources.not_evaluated(ctx.session, user.org_id, year, quarter):
        active = await sources.count_for_cell(ctx.session, user.org_id, ACTIVE_STAGES)
        return Reply(texts.EVAL_ALL_DONE.format(n=active, quarter=quarter_label(year, quarter)))
    ctx.begin(LOOP, "level", skipped=[], done=0)
    return await _next(ctx, ctx.data, [])
