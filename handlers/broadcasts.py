"""/thongbao (staff): compose → audience (the whole subtree, only cells not yet evaluated this
quarter, or one unit) → preview with the recipient count → confirm. The messages go through the
outbox; the delivery report (sent, failed, blocked, not linked) reaches the sender when every
message has an outcome, and `/thongbao ketqua` shows it any time."""

from __future__ import annotations

from domain import texts
from domain.roles import ADMIN, STAFF
from domain.text import fold
from handlers.core import Context, Router
from handlers.types import Choice, Reply, UserError
from handlers.wizard import Step, Wizard, accept_confirmation, confirm_choices, not_here
from storage import orgs
from usecases import broadcasts as usecase
from usecases import notify

router = Router()


async def _ask_text(ctx: Context, data: dict) -> Reply:
    return Reply(texts.BROADCAST_ASK_TEXT)


async def _accept_text(ctx: Context, data: dict, text: str, choice: str | None) -> dict:
    if choice is not None:
        raise not_here()
    return {"text": usecase.check_text(text)}


async def _ask_audience(ctx: Context, data: dict) -> Reply:
    unit = ctx.require_user().org
    names = texts.BROADCAST_AUDIENCE_CHOICES
    return Reply(texts.BROADCAST_ASK_AUDIENCE.format(unit=unit.name),
                 (Choice(names["subtree"].format(unit=unit.name), "pl.aud.subtree"),
                  Choice(names["late"], "pl.aud.late"), Choice(names["unit"], "pl.aud.unit")))


async def _accept_audience(ctx: Context, data: dict, text: str, choice: str | None) -> dict:
    if choice is not None and choice.startswith("pl.aud.") and choice[7:] in usecase.AUDIENCES:
        return {"aud": choice[7:]}
    if choice is None:
        word = fold(text).strip(" .")
        for mode, words in (("subtree", ("1", "toan bo", "tat ca")), ("late", ("2", "chua danh gia", "cham")),
                            ("unit", ("3", "mot don vi", "don vi"))):
            if word in words:
                return {"aud": mode}
    raise not_here(texts.BROADCAST_AUDIENCE_HINT)


async def _ask_unit(ctx: Context, data: dict) -> Reply:
    return Reply(texts.BROADCAST_ASK_UNIT.format(example=ctx.require_user().org.code))


async def _accept_unit(ctx: Context, data: dict, text: str, choice: str | None) -> dict:
    if choice is not None:
        raise not_here()
    own = ctx.require_user().org
    unit = await orgs.by_code(ctx.session, text)
    if unit is None:
        raise UserError(texts.UNIT_CODE_UNKNOWN.format(code=text.strip()[:40], example=own.code))
    ctx.require_scope(unit)
    return {"org": unit.code}


async def _target(ctx: Context, data: dict):
    if data.get("aud") == usecase.UNIT:
        return await orgs.by_code(ctx.session, data["org"])
    return ctx.require_user().org


async def _ask_confirm(ctx: Context, data: dict) -> Reply:
    unit = await _target(ctx, data)
    users = await usecase.audience(ctx.session, unit, data["aud"], ctx.today(), ctx.settings)
    if not users:
        ctx.finish()
        raise UserError(texts.BROADCAST_NOBODY.format(unit=unit.name))
    linked = 0
    for user in users:
        linked += (await notify.recipient(ctx.session, user.id)).status == notify.LINKED
    return Reply(texts.BROADCAST_PREVIEW.format(
        text=data["text"], audience=texts.BROADCAST_AUDIENCE_NAMES[data["aud"]], unit=unit.name, n=len(users),
        linked=linked, not_linked=len(users) - linked), confirm_choices(texts.BROADCAST_SEND))


async def _commit(ctx: Context, data: dict) -> Reply:
    unit = await _target(ctx, data)
    ctx.require_scope(unit)
    queued = await usecase.create_broadcast(ctx.uow, ctx.settings, org=unit, mode=data["aud"], text=data["text"],
                                            sender=ctx.require_user())
    b = queued.broadcast
    return Reply(texts.BROADCAST_QUEUED.format(id=b.id, queued=queued.queued, recipients=b.recipients,
                                               not_linked=b.not_linked, blocked=b.blocked))


wizard = Wizard(
    router, "thongbao_flow",
    [
        Step("text", _ask_text, _accept_text),
        Step("aud", _ask_audience, _accept_audience),
        Step("org", _ask_unit, _accept_unit, needed=lambda data: data.get("aud") == usecase.UNIT),
        Step("confirmed", _ask_confirm, accept_confirmation, from_line=False),
    ],
    _commit,
)
router.owners["thongbao_flow"] = "thongbao"


@router.command("thongbao", roles=(STAFF, ADMIN), order=55)
async def thongbao(ctx: Context, args: str):
    user = ctx.require_user()
    if fold(args).strip(" .") in ("ketqua", "ket qua"):
        sent = await usecase.latest_of(ctx.session, user.id)
        if not sent:
            return Reply(texts.BROADCAST_NONE_YET)
        reports = [usecase.report_text(await usecase.delivery_report(ctx.session, b), ctx.settings.tz) for b in sent]
        return Reply("\n\n".join(reports))
    return await wizard.start(ctx, [args] if args.strip() else [])
