"""Finding a person of the secretary's own cell by code or name, and naming them in replies."""

from __future__ import annotations

from collections.abc import Callable

from domain import categories, texts
from domain.dates import fmt
from domain.errors import RuleError
from domain.pipeline import name_order_key, parse_code, parse_name
from domain.text import fold, has_letters, nfc
from handlers.core import Context
from handlers.types import Choice, Reply
from handlers.wizard import Ask, Step, not_here
from storage import sources
from storage.models import Source
from usecases.sources import source_in_cell

PICK = "pl.pick."
STAGE_KEY = "_stage"  # dialog data: the picked person's stage when picked
MAX_CHOICES = 20  # buttons per message; more people are reached by typing a code or name

Check = Callable[[Source], None]  # raises RuleError when the person cannot go through the step


def groups(source: Source) -> str:
    return categories.labels([c.category for c in source.categories]) or texts.CATEGORY_NAMES["khac"]


def person_choice(source: Source) -> Choice:
    return Choice(f"{source.code} · {source.full_name}, sinh {fmt(source.birth_date)}", f"{PICK}{source.id}")


def cell_id(ctx: Context) -> int:
    return ctx.require_user().org_id


async def load(ctx: Context, source_id: int) -> Source:
    """The source when it (still) belongs to the user's cell."""
    return await source_in_cell(ctx.uow, cell_id(ctx), source_id)


async def resolve(ctx: Context, text: str, *, stages: tuple[str, ...], example: str) -> Source | list[Source]:
    """A typed code ("N12", "n12", "12") or name -> the source, or several sources sharing
    the name. Another cell's code gets the same answer as a missing one."""
    value = nfc(text)
    if not value:
        raise RuleError(texts.PERSON_EMPTY.format(example=example))
    code = parse_code(value)
    if code is not None:
        source = await sources.in_cell(ctx.session, cell_id(ctx), code)
        if source is None:
            raise RuleError(texts.PERSON_NOT_IN_CELL.format(code=f"N{code}", example=example))
        return source
    if not has_letters(value) or len(value) > 100:
        raise RuleError(texts.PERSON_BAD.format(value=value[:40], example=example))
    try:
        name = parse_name(value, full=False)
    except RuleError:
        raise RuleError(texts.PERSON_BAD.format(value=value[:40], example=example)) from None
    found = await sources.by_name(ctx.session, cell_id(ctx), fold(name))
    preferred = [s for s in found if s.stage in stages]
    found = preferred or found
    if not found:
        raise RuleError(texts.PERSON_NO_NAME.format(name=name))
    return found[0] if len(found) == 1 else found


def person_step(
    key: str,
    *,
    stages: tuple[str, ...],
    ask_text: str,
    none_text: str,
    example: str,
    check: Check,
) -> Step:
    """The first step of most commands: which person (buttons, a code or a name)."""

    async def ask(ctx: Context, data: dict) -> Reply:
        people = await sources.for_cell(ctx.session, cell_id(ctx), stages)
        people.sort(key=lambda s: (name_order_key(s.full_name), s.id))
        if not people:
            raise RuleError(none_text)
        text = ask_text
        if len(people) > MAX_CHOICES:
            text += "\n" + texts.PERSON_MORE.format(shown=MAX_CHOICES, n=len(people))
        return Reply(text, tuple(person_choice(p) for p in people[:MAX_CHOICES]))

    async def accept(ctx: Context, data: dict, text: str, choice: str | None) -> dict:
        if choice is not None:
            if not choice.startswith(PICK) or not (choice[len(PICK):].isascii() and choice[len(PICK):].isdigit()):
                raise not_here(texts.PERSON_PICK_HINT)
            found: Source | list[Source] = await load(ctx, int(choice[len(PICK):]))
        else:
            found = await resolve(ctx, text, stages=stages, example=example)
        if isinstance(found, list):
            shown = found[:MAX_CHOICES]
            reply_text = texts.PERSON_MANY.format(n=len(found), name=nfc(text))
            raise Ask(Reply(reply_text, tuple(person_choice(p) for p in shown)))
        check(found)
        return {key: found.id, STAGE_KEY: found.stage}

    return Step(key, ask, accept, what=texts.PERSON_WHAT)

