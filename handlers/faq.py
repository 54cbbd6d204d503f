"""Free text outside a dialog is a question for the knowledge base."""

from __future__ import annotations

from domain import texts
from handlers.core import Context, Router
from handlers.types import Choice, Reply
from knowledge.cli import render_entry

router = Router()
MAX_CHOICES = 3


@router.command("__text__", group_ok=True)
async def question(ctx: Context, text: str) -> Reply:
    if ctx.user is None and not ctx.incoming.is_group:
        return Reply(texts.FAQ_REGISTER_FIRST)
    kb = ctx.services.kb
    if kb is None:
        return Reply(texts.FAQ_UNAVAILABLE.format(contact=ctx.settings.kb_contact))
    answer = kb.answer(text, role=ctx.user.role if ctx.user else None)
    if answer.found:
        return _entry_reply(kb, answer.entry, answer.suggestions)
    return Reply(answer.answer, _choices(answer.suggestions))


def _choices(entries) -> tuple[Choice, ...]:
    return tuple(Choice(entry.questions[0], f"kb:{entry.id}") for entry in entries[:MAX_CHOICES])


def _entry_reply(kb, entry, close=()) -> Reply:
    """The answer with its source; offered as "see also" choices, the entries that ranked almost as
    high (``close``: the user may have meant one of them) and then the entry's related ones."""
    offered = {e.id: e for e in close}
    for entry_id in entry.related:
        related = kb.get(entry_id)
        if related is not None:
            offered.setdefault(related.id, related)
    offered.pop(entry.id, None)
    return Reply(render_entry(entry), _choices(list(offered.values())))


@router.choice("kb", command="__text__")
async def suggestion(ctx: Context, value: str) -> Reply:
    kb = ctx.services.kb
    entry = kb.get(value.split(":", 1)[1], role=ctx.user.role if ctx.user else None) if kb is not None else None
    if entry is None:
        return Reply(texts.STALE_CHOICE)
    return _entry_reply(kb, entry)
