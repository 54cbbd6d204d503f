"""Free text outside a dialog is a question for the knowledge base."""

from __future__ import annotations

from domain import texts
from handlers.core import Context, Router
from handlers.types import Choice, Reply
from knowledge.cli import render_entry

router = Router()


@router.command("__text__", group_ok=True)
async def question(ctx: Context, text: str) -> Reply:
    if ctx.user is None and not ctx.incoming.is_group:
        return Reply(texts.FAQ_REGISTER_FIRST)
    kb = ctx.services.kb
    if kb is None:
        return Reply(texts.FAQ_UNAVAILABLE.format(contact=ctx.settings.kb_contact))
    answer = kb.answer(text)
    if answer.found:
        return Reply(render_entry(answer.entry))
    choices = tuple(Choice(entry.questions[0], f"kb:{entry.id}") for entry in answer.suggestions[:3])
    return Reply(answer.answer, choices)


@router.choice("kb")
async def suggestion(ctx: Context, value: str) -> Reply:
    kb = ctx.services.kb
    entry = kb.get(value.split(":", 1)[1]) if kb is not None else None
    if entry is None:
        return Reply(texts.STALE_CHOICE)
    return Reply(render_entry(entry))
