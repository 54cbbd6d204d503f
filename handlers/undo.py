"""/hoantac: undo one's own last change to a source or an evaluation, within 10 minutes
(the rules: usecases.undo)."""

from __future__ import annotations

from domain import texts
from domain.naming import cap, who
from domain.roles import SECRETARY
from handlers.core import Context, Router
from handlers.people import cell_id
from handlers.types import Reply
from usecases.undo import Undone, undo_last

router = Router()


def _result(undone: Undone) -> str:
    if undone.entity == "source":
        if undone.deleted:
            return texts.UNDO_DELETED.format(who=undone.person)
        source = undone.source
        return texts.UNDO_STATE.format(who=who(source), stage=texts.STAGE_NAMES[source.stage])
    if undone.deleted:
        return texts.UNDO_EVAL_DELETED.format(Quarter=cap(undone.quarter), who=undone.person)
    return texts.UNDO_EVAL_STATE.format(quarter=undone.quarter, who=undone.person, level=texts.LEVEL_NAMES[undone.level])


@router.command("hoantac", roles=(SECRETARY,), order=80)
async def undo(ctx: Context, args: str) -> Reply:
    undone = await undo_last(ctx.uow, cell_id(ctx))
    if undone is None:
        return Reply(texts.UNDO_NOTHING)
    return Reply(texts.UNDO_DONE.format(what=undone.what) + "\n" + _result(undone))
