"""The cell's pool of sources: /nguon (add) and /dsnguon (list). Edits: handlers/source_edits.py."""

from __future__ import annotations

from datetime import date

from domain import categories, texts
from domain.dates import age_on, fmt, quarter_of
from domain.pipeline import (
    ACTIVE_STAGES,
    ADMISSION_MAX_AGE,
    FULL,
    PROBATIONARY,
    REMOVED,
    STAGES,
    looks_like_date,
    name_order_key,
    needs_recognition,
    parse_birth,
    parse_name,
    parse_text,
    quarter_label,
    split_args,
)
from domain.roles import SECRETARY
from domain.categories import CategoryEmpty, CategoryError, match_categories
from domain.text import fold, has_diacritics
from handlers.core import Context, Router
from handlers.groups import accept_categories, categories_reply
from handlers.people import cell_id, groups
from handlers.types import Choice, Reply, UserError
from handlers.wizard import Step, Wizard, join_tail, not_here, skip_choice
from storage import sources
from storage.models import Source
from usecases import sources as source_cases
from usecases.sources import refuse_duplicate

router = Router()

MAX_REPLY_CHARS = 3500  # Telegram allows 4096 per message
RECORD_CHOICE = "xem:"  # handlers.record opens the person's record
MAX_RECORD_CHOICES = 30


# --- /nguon ---------------------------------------------------------------------------------------
async def _ask_name(ctx: Context, data: dict) -> Reply:
    return Reply(texts.NGUON_ASK_NAME)


async def _accept_name(ctx: Context, data: dict, text: str, choice: str | None) -> dict:
    if choice is not None:
        raise not_here(texts.NAME_EMPTY)
    return {"name": parse_name(text)}


async def _ask_birth(ctx: Context, data: dict) -> Reply:
    return Reply(texts.NGUON_ASK_BIRTH.format(name=data["name"]))


async def _accept_birth(ctx: Context, data: dict, text: str, choice: str | None) -> dict:
    if choice is not None:
        raise not_here()
    birth = parse_birth(text, ctx.today())
    await refuse_duplicate(ctx.uow, cell_id(ctx), data["name"], birth)
    return {"birth": birth.isoformat()}


async def _ask_categories(ctx: Context, data: dict) -> Reply:
    return categories_reply(texts.NGUON_ASK_CATEGORIES.format(name=data["name"]), data.get("sel") or [])


async def _ask_note(ctx: Context, data: dict) -> Reply:
    return Reply(texts.NGUON_ASK_NOTE, (skip_choice(),))


async def _accept_note(ctx: Context, data: dict, text: str, choice: str | None) -> dict:
    if choice is not None:
        raise not_here(texts.NGUON_ASK_NOTE)
    return {"note": parse_text(text, what="ghi chú", example=texts.EXAMPLE_NOTE)}


async def _commit_source(ctx: Context, data: dict) -> Reply:
    birth = date.fromisoformat(data["birth"])
    source = await source_cases.add_source(
        ctx.uow, cell_id(ctx), data["name"], birth, data["cats"], data.get("note") or ""
    )
    lines = [
        texts.NGUON_DONE.format(
            name=source.full_name, code=source.code, birth=fmt(birth), groups=categories.labels(data["cats"])
        )
    ]
    if source.note:
        lines.append(texts.NGUON_NOTE.format(note=source.note))
    if not has_diacritics(source.full_name):
        lines.append(texts.NGUON_NO_DIACRITICS.format(code=source.code, name=source.full_name))
    age = age_on(birth, ctx.today())
    if age > ADMISSION_MAX_AGE:
        lines.append(texts.NGUON_OVER_60.format(age=age))
    lines.append(texts.NGUON_NEXT.format(code=source.code))
    return Reply("\n".join(lines))


nguon_wizard = Wizard(
    router,
    "nguon",
    [
        Step("name", _ask_name, _accept_name, what=texts.FIELD_NAMES["name"]),
        Step("birth", _ask_birth, _accept_birth, what=texts.FIELD_NAMES["birth"]),
        Step("cats", _ask_categories, accept_categories("cats")),
        Step("note", _ask_note, _accept_note, optional=True, default="", what=texts.FIELD_NAMES["note"]),
    ],
    _commit_source,
)


def _is_group(text: str) -> bool:
    try:
        match_categories(text)
    except (CategoryError, CategoryEmpty):
        return False
    return True


def nguon_parts(args: str) -> list[str]:
    """The fields of a one-line /nguon: separated by ";" or new lines, or by commas when the
    second piece is a date ("Nguyễn Văn An, 05/03/1998, đoàn viên, sinh viên, Bí thư chi
    đoàn"): then the pieces after the date that name groups are the groups, the rest the note."""
    parts = split_args(args, commas=lambda pieces: looks_like_date(pieces[1]))
    if ";" in args or "\n" in args or len(parts) <= 3:
        return join_tail(parts, 4)
    rest = parts[2:]
    count = 1
    while count < len(rest) and _is_group(rest[count]):
        count += 1
    groups, note = ", ".join(rest[:count]), ", ".join(rest[count:])
    return [parts[0], parts[1], groups] + ([note] if note else [])


@router.command("nguon", roles=(SECRETARY,), order=10)
async def add_source(ctx: Context, args: str):
    return await nguon_wizard.start(ctx, nguon_parts(args))


# --- /dsnguon -------------------------------------------------------------------------------------
LISTED = (*ACTIVE_STAGES, PROBATIONARY)
LIST_ORDER = {"source": 0, "awareness": 0, "probationary": 1, "full": 2, "removed": 3}


def _list_line(source: Source, latest, quarter: tuple[int, int], today: date) -> str:
    code, name = source.code, source.full_name
    if source.stage in ACTIVE_STAGES:
        if latest is not None and (latest.year, latest.quarter) == quarter:
            evaluation = texts.LIST_EVALUATED.format(
                quarter=quarter_label(*quarter), level=texts.LEVEL_NAMES[latest.level]
            )
        elif latest is not None:
            evaluation = texts.LIST_LAST_EVALUATED.format(
                quarter=quarter_label(*quarter), last=quarter_label(latest.year, latest.quarter),
                level=texts.LEVEL_NAMES[latest.level],
            )
        else:
            evaluation = texts.LIST_NOT_EVALUATED.format(quarter=quarter_label(*quarter))
        return texts.LIST_LINE_ACTIVE.format(
            code=code, name=name, stage=texts.STAGE_NAMES[source.stage], groups=groups(source), evaluation=evaluation
        )
    if source.stage == PROBATIONARY:
        deadline = source.recognition_deadline
        if deadline is not None and deadline < today:
            late = texts.LIST_LATE
        elif needs_recognition(source.admission_date, deadline, today):
            late = texts.LIST_DUE
        else:
            late = ""
        return texts.LIST_LINE_PROBATIONARY.format(
            code=code, name=name, admission=fmt(source.admission_date), deadline=fmt(deadline) or "—", late=late
        )
    if source.stage == FULL:
        return texts.LIST_LINE_FULL.format(code=code, name=name, date=fmt(source.recognition_date))
    removed = source.removed_at.date() if source.removed_at else None
    return texts.LIST_LINE_REMOVED.format(code=code, name=name, date=fmt(removed), reason=source.removed_reason or "")


def chunk(lines: list[str], limit: int = MAX_REPLY_CHARS) -> list[Reply]:
    replies, current = [], ""
    for line in lines:
        if current and len(current) + 1 + len(line) > limit:
            replies.append(Reply(current))
            current = line
        else:
            current = f"{current}\n{line}" if current else line
    if current:
        replies.append(Reply(current))
    return replies


@router.command("dsnguon", roles=(SECRETARY,), order=11)
async def list_sources(ctx: Context, args: str):
    user = ctx.require_user()
    mode = fold(args).replace(" ", "")
    if mode not in ("", "tatca", "all"):
        raise UserError(texts.LIST_USAGE)
    show_all = bool(mode)
    people = await sources.for_cell(ctx.session, user.org_id, STAGES if show_all else LISTED)
    if not people:
        hidden = await sources.count_for_cell(ctx.session, user.org_id, (FULL, REMOVED))
        lines = [texts.LIST_EMPTY] + ([texts.LIST_HIDDEN.format(n=hidden)] if hidden and not show_all else [])
        return Reply("\n".join(lines))
    people.sort(key=lambda s: (LIST_ORDER[s.stage], name_order_key(s.full_name), s.id))
    today = ctx.today()
    quarter = quarter_of(today)
    latest = await sources.latest_evaluations(ctx.session, [s.id for s in people])
    header = (texts.LIST_HEADER_ALL if show_all else texts.LIST_HEADER).format(unit=user.org.name, n=len(people))
    lines = [header] + [_list_line(s, latest.get(s.id), quarter, today) for s in people]
    if not show_all:
        hidden = await sources.count_for_cell(ctx.session, user.org_id, (FULL, REMOVED))
        if hidden:
            lines.append(texts.LIST_HIDDEN.format(n=hidden))
    lines.append(texts.LIST_HINT.format(code=people[0].code))
    replies = chunk(lines)
    # One choice per person opens their record (/xem): a button on Telegram, a number elsewhere.
    shown = people[:MAX_RECORD_CHOICES]
    choices = tuple(Choice(f"{s.code} · {s.full_name}", f"{RECORD_CHOICE}{s.id}") for s in shown)
    last = replies[-1]
    replies[-1] = Reply(last.text + "\n" + texts.LIST_RECORD_HINT, choices)
    return replies
