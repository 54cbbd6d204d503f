"""/lienket: one person on Telegram and Zalo.

- `/lienket` (registered): a one-time code to send on the other app, the apps the account is on,
  where reminders and broadcasts go, and choices to change that or to unlink an app;
- `/lienket MÃ` (on the other app, registered or not): this chat account joins the user who
  asked for the code.
"""

from __future__ import annotations

from domain import texts
from handlers.core import Context, Router
from handlers.onboarding import describe
from handlers.types import Choice, Reply, UserError
from storage import invites
from storage.clock import to_local
from usecases import linking

router = Router()


def _app(channel: str | None) -> str:
    return linking.app_name(channel) if channel else texts.LINK_NONE


@router.command("lienket", order=85)
async def lienket(ctx: Context, args: str) -> Reply:
    if args:
        return await _redeem(ctx, args)
    user = ctx.require_user()
    new = await linking.create_link_code(ctx.uow, ctx.incoming.channel)
    until = to_local(new.expires_at, ctx.settings.tz).strftime("%H:%M")
    lines = [texts.LINK_CODE_CREATED.format(code=new.code, time=until)]
    status, choices = await _status(ctx, user)
    return Reply("\n\n".join([*lines, status]), choices)


async def _status(ctx: Context, user) -> tuple[str, tuple[Choice, ...]]:
    mine = await linking.identities_of(ctx.session, user.id)
    apps = [identity.channel for identity in mine]
    preferred = linking.preferred_app(mine, user.preferred_channel)
    text = texts.LINK_STATUS.format(apps=", ".join(_app(a) for a in apps))
    text += "\n" + texts.LINK_PREFERRED.format(app=_app(preferred))
    choices: list[Choice] = []
    for app in apps:
        if app in linking.APPS and app != preferred:
            choices.append(Choice(texts.LINK_PREFER_LABEL.format(app=_app(app)), f"lk:pref:{app}"))
    if len(apps) > 1:
        for app in apps:
            choices.append(Choice(texts.LINK_UNLINK_LABEL.format(app=_app(app)), f"lk:unlink:{app}"))
    if choices:
        text += "\n" + texts.LINK_CHOOSE
    return text, tuple(choices)


async def _redeem(ctx: Context, code: str) -> Reply:
    incoming = ctx.incoming
    done = await linking.redeem_link_code(ctx.uow, incoming.channel, incoming.user_id, incoming.chat_id, code)
    app = _app(incoming.channel)
    outcome = done.outcome
    if outcome is linking.Outcome.LOCKED:
        local = to_local(done.locked_until, ctx.settings.tz).strftime("%H:%M %d/%m/%Y")
        return Reply(texts.LINK_LOCKED.format(n=invites.MAX_FAILURES, time=local))
    if outcome is linking.Outcome.BAD_CODE:
        return Reply(texts.LINK_BAD_CODE.format(left=done.attempts_left))
    if outcome is linking.Outcome.EXPIRED:
        return Reply(texts.LINK_EXPIRED)
    if outcome is linking.Outcome.SAME_APP:
        return Reply(texts.LINK_SAME_APP.format(app=_app(done.channel)))
    if outcome is linking.Outcome.ALREADY_SAME:
        return Reply(texts.LINK_ALREADY_SAME.format(app=app))
    if outcome is linking.Outcome.ALREADY_OTHER:
        return Reply(texts.LINK_ALREADY_OTHER.format(app=app))
    if outcome is linking.Outcome.HAS_APP:
        return Reply(texts.LINK_HAS_APP.format(app=app))
    ctx.identity = done.identity  # the rest of this update sees the linked user
    user = done.user
    await ctx.session.refresh(user, ["org"])
    mine = await linking.identities_of(ctx.session, user.id)
    preferred = linking.preferred_app(mine, user.preferred_channel)
    return Reply(texts.LINK_DONE.format(app=app, preferred=_app(preferred), **describe(user)))


@router.choice("lk", command="lienket")
async def lienket_choice(ctx: Context, value: str) -> Reply:
    user = ctx.require_user()
    _, action, channel = (value.split(":", 2) + ["", ""])[:3]
    if action == "pref":
        await linking.set_preferred(ctx.uow, user, channel)
        text = texts.LINK_PREFERRED_SET.format(app=_app(channel))
    elif action == "unlink":
        await linking.unlink(ctx.uow, user, channel)
        mine = await linking.identities_of(ctx.session, user.id)
        text = texts.LINK_UNLINKED.format(app=_app(channel), preferred=_app(linking.preferred_app(mine, user.preferred_channel)))
        if channel == ctx.incoming.channel:  # this very account was unlinked
            ctx.identity = None
            return Reply(text)
    else:
        raise UserError(texts.STALE_CHOICE)
    status, choices = await _status(ctx, user)
    return Reply(text + "\n\n" + status, choices)
