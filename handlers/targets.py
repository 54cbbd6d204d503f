"""/chitieu: staff assign this year's admission targets to their child units (the start-of-year
prompt of the scheduler links here): the list with the proposed figures, `/chitieu MÃ; N` for
one unit, "accept all proposed" (a button, or `/chitieu nhan`) for every unit still without one.
The same use case as `chibot target set` (usecases.targets.set_target)."""

from __future__ import annotations

import re

from domain import texts
from domain.pipeline import split_args
from domain.roles import ADMIN, STAFF
from domain.text import fold
from handlers.core import Context, Router
from handlers.types import Choice, Reply, UserError
from scheduler.jobs import target_proposals
from storage import orgs
from storage.targets import MAX_TARGET
from usecases.targets import set_target

router = Router()
ACCEPT = "tg"


def _listing(year: int, unit, proposals) -> Reply:
    if not proposals:
        return Reply(texts.TARGETS_NO_CHILDREN.format(unit=unit.name))
    lines = []
    for p in proposals:
        state = (texts.TARGETS_ASSIGNED.format(target=p.assigned) if p.assigned is not None
                 else texts.TARGETS_PROPOSED.format(proposed=p.proposed))
        lines.append(texts.TARGETS_LINE.format(unit=p.unit.name, code=p.unit.code, members=p.members, state=state))
    missing = [p for p in proposals if p.assigned is None]
    choices = (Choice(texts.TARGET_ACCEPT_ALL, f"{ACCEPT}:all:{year}"),) if missing else ()
    return Reply(texts.TARGETS_LIST.format(year=year, unit=unit.name, lines="\n".join(lines),
                                           example=proposals[0].unit.code), choices)


async def accept_all(ctx: Context, year: int) -> Reply:
    user = ctx.require_user()
    proposals = await target_proposals(ctx.session, user.org, year, ctx.settings)
    missing = [p for p in proposals if p.assigned is None]
    if not missing:
        return Reply(texts.TARGETS_NONE_MISSING.format(year=year, unit=user.org.name))
    for p in missing:
        await set_target(ctx.uow, p.unit.code, year, p.proposed)
    lines = "\n".join(texts.TARGETS_SET_LINE.format(unit=p.unit.name, code=p.unit.code, target=p.proposed)
                      for p in missing)
    return Reply(texts.TARGETS_ACCEPTED.format(n=len(missing), year=year, lines=lines))


@router.command("chitieu", roles=(STAFF, ADMIN), order=45)
async def targets(ctx: Context, args: str) -> Reply:
    user = ctx.require_user()
    year = ctx.today().year
    parts = split_args(args)
    if not parts:
        return _listing(year, user.org, await target_proposals(ctx.session, user.org, year, ctx.settings))
    if len(parts) == 1 and fold(parts[0]) in ("nhan", "nhan tat ca", "dong y", "tat ca"):
        return await accept_all(ctx, year)
    if len(parts) != 2:
        raise UserError(texts.TARGETS_USAGE.format(example=user.org.code))
    unit = await orgs.by_code(ctx.session, parts[0])
    if unit is None:
        raise UserError(texts.UNIT_CODE_UNKNOWN.format(code=parts[0], example=user.org.code))
    ctx.require_scope(unit)
    value = parts[1].strip()
    if not re.fullmatch(r"[0-9]+", value) or int(value) > MAX_TARGET:
        raise UserError(texts.TARGET_BAD_NUMBER.format(value=value))
    change = await set_target(ctx.uow, unit.code, year, int(value))
    names = {"year": year, "name": unit.name, "code": unit.code, "target": change.after}
    if not change.changed:
        return Reply(texts.TARGET_UNCHANGED.format(**names))
    before = change.before if change.before is not None else texts.TARGETS_NONE_BEFORE
    return Reply(texts.TARGET_SET.format(before=before, **names))


@router.choice(ACCEPT, command="chitieu")
async def accept_pressed(ctx: Context, value: str) -> Reply:
    if ctx.incoming.is_group:
        return Reply(texts.PRIVATE_ONLY)
    _, _, raw = value.partition(":all:")
    if not (raw.isascii() and raw.isdigit()):
        raise UserError(texts.STALE_CHOICE)
    return await accept_all(ctx, int(raw))
