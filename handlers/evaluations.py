"""/danhgia: the quarterly evaluation of each source in the pool (Directive 13-CT/TU, task 2).

`/danhgia` walks through every active source not yet evaluated this quarter (level buttons, then
an optional comment); `/danhgia N12` evaluates one person step by step; `/danhgia N12; khá;
nhận xét` does it in one line. One evaluation per person and quarter: a second one replaces
the first, and the audit row keeps both.
"""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from domain import texts
from domain.dates import quarter_of
from domain.pipeline import ACTIVE_STAGES, LEVELS, RuleError, parse_level, parse_text, quarter_label, split_args
from domain.roles import SECRETARY
from handlers.core import Context, Router
from handlers.people import cap, cell_id, groups, load, person_step, who, wrong_stage
from handlers.types import Choice, Reply, UserError
from handlers.wizard import SKIP, Step, Wizard, join_tail, not_here, skip_choice
from storage import sources
from storage.models import QuarterlyEvaluation, Source

router = Router()

LEVEL = "pl.lvl."
SKIP_PERSON = "pl.skipp"
STOP = "pl.stop"
LOOP = "danhgia_all"


def _check_active(source: Source) -> None:
    if source.stage not in ACTIVE_STAGES:
        raise wrong_stage(texts.EVAL_WRONG_STAGE, source)


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
    try:
        return parse_level(text)
    except RuleError as err:
        raise UserError(err.text) from None


def _comment_from(text: str, choice: str | None) -> str:
    if choice == SKIP:
        return ""
    if choice is not None:
        raise not_here(texts.LABEL_SKIP)
    try:
        return parse_text(text, what=texts.COMMENT_WHAT, example=texts.EXAMPLE_COMMENT)
    except RuleError as err:
        raise UserError(err.text) from None


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
    """Create this quarter's evaluation, or replace it (audited with the previous one)."""
    user = ctx.require_user()
    year, quarter = quarter_of(ctx.today())
    label = quarter_label(year, quarter)
    shown_comment = texts.EVAL_COMMENT.format(comment=comment) if comment else ""
    existing = await sources.evaluation(ctx.session, source.id, year, quarter)
    if existing is not None:
        before = sources.evaluation_snapshot(existing)
        existing.level, existing.comment = level, comment
        existing.evaluated_by, existing.evaluated_at = user.id, ctx.now()
        await ctx.session.flush()
        await ctx.audit(
            "evaluation.replace", "evaluation", existing.id, org_id=source.org_id, before=before,
            after=sources.evaluation_snapshot(existing),
        )
        return Reply(
            texts.EVAL_REPLACED.format(
                quarter=label, who=who(source), level=texts.LEVEL_NAMES[level], comment=shown_comment,
                old=texts.LEVEL_NAMES[before["level"]],
            )
        )
    row = QuarterlyEvaluation(
        source_id=source.id, year=year, quarter=quarter, level=level, comment=comment,
        evaluated_by=user.id, evaluated_at=ctx.now(),
    )
    try:
        async with ctx.session.begin_nested():
            ctx.session.add(row)
    except IntegrityError:  # another secretary of the cell saved one at the same moment
        raise UserError(texts.EVAL_RACE.format(who=who(source))) from None
    await ctx.audit(
        "evaluation.create", "evaluation", row.id, org_id=source.org_id, after=sources.evaluation_snapshot(row)
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
    try:
        _check_active(source)
    except RuleError as err:
        raise UserError(err.text) from None
    return await save_evaluation(ctx, source, data["level"], data.get("comment") or "")


one_wizard = Wizard(
    router,
    "danhgia",
    [
        person_step(
            "src", stages=ACTIVE_STAGES, ask_text=texts.EVAL_ASK_PERSON, none_text=texts.EVAL_NONE_ACTIVE,
            example="/danhgia N12; khá; tích cực", check=_check_active,
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
