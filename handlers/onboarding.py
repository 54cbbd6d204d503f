"""/start (with an invite code), /trogiup, /huy and /moi (staff create invites in chat)."""

from __future__ import annotations

from datetime import timedelta

from domain import texts
from domain.roles import ADMIN, SECRETARY, STAFF
from domain.text import fold
from handlers.core import Context, Router
from handlers.types import Reply, UserError
from storage import invites, orgs
from storage.clock import to_local
from storage.models import User
from usecases.onboarding import Outcome, create_invite, register

router = Router()

INVITE_ROLES = {"bi thu": SECRETARY, "bithu": SECRETARY, "secretary": SECRETARY,
                "can bo": STAFF, "canbo": STAFF, "staff": STAFF, "quan tri": ADMIN, "admin": ADMIN}


def describe(user: User) -> dict[str, str]:
    return {"name": user.name, "role": texts.ROLE_NAMES[user.role], "unit": user.org.name}


@router.command("start", group_ok=True, order=1, guests_only=True)
async def start(ctx: Context, args: str) -> Reply:
    if not args:
        if ctx.incoming.is_group:
            return Reply(texts.GREETING_GROUP)
        if ctx.user is not None:
            return Reply(texts.GREETING_LINKED.format(**describe(ctx.user)))
        return Reply(texts.GREETING_NEW)
    if ctx.incoming.is_group:
        return Reply(texts.START_IN_GROUP)
    return await _redeem(ctx, args)


def _locked(ctx: Context, until) -> Reply:
    local = to_local(until, ctx.settings.tz).strftime("%H:%M %d/%m/%Y")
    return Reply(texts.START_LOCKED.format(n=invites.MAX_FAILURES, time=local))


async def _redeem(ctx: Context, code: str) -> Reply:
    incoming = ctx.incoming
    done = await register(
        ctx.uow, incoming.channel, incoming.user_id, incoming.chat_id, code, incoming.display_name
    )
    if done.outcome is Outcome.LOCKED:
        return _locked(ctx, done.locked_until)
    if done.outcome is Outcome.ALREADY_LINKED:
        return Reply(texts.START_ALREADY_LINKED.format(**describe(done.user)))
    if done.outcome is Outcome.BAD_CODE:
        return Reply(texts.START_BAD_CODE.format(left=done.attempts_left))
    if done.outcome is Outcome.EXPIRED:
        expired = to_local(done.expires_at, ctx.settings.tz).strftime("%d/%m/%Y")
        return Reply(texts.START_EXPIRED.format(date=expired))
    if done.outcome is Outcome.USED_UP:
        return Reply(texts.START_USED_UP)
    ctx.identity = done.identity  # the rest of this update sees the new user
    return Reply(texts.START_LINKED.format(**describe(done.user)))


@router.command("trogiup", "help", group_ok=True, order=90)
async def help_(ctx: Context, args: str) -> Reply:
    if ctx.incoming.is_group:
        return Reply(texts.HELP_GROUP)
    return Reply(help_text(ctx.services.router, ctx.user.role if ctx.user else None))


def help_text(router, role: str | None) -> str:
    """/trogiup: the role's header, its commands (from the command records), its footer."""
    return "\n".join((texts.HELP_HEADER[role], router.command_list(role), texts.HELP_FOOTER[role]))


@router.command("huy", "cancel", group_ok=True, order=91)
async def cancel(ctx: Context, args: str) -> Reply:
    if ctx.dialog is None or ctx.dialog.flow == "menu":
        ctx.finish()
        return Reply(texts.NOTHING_TO_CANCEL)
    ctx.finish()
    return Reply(texts.CANCELLED)


@router.command("moi", roles=(STAFF, ADMIN), order=40)
async def invite(ctx: Context, args: str) -> Reply:
    ctx.require_user()
    parts = [p.strip() for p in args.split(";")]
    if len(parts) < 2 or not parts[0] or not parts[1]:
        raise UserError(texts.INVITE_USAGE)
    org = await orgs.by_code(ctx.session, parts[0])
    if org is None:
        raise UserError(texts.INVITE_UNKNOWN_ORG.format(code=parts[0]))
    role = INVITE_ROLES.get(fold(parts[1]))
    if role is None:
        raise UserError(texts.INVITE_BAD_ROLE.format(role=parts[1]))
    uses = 1
    if len(parts) > 2 and parts[2]:
        if not (parts[2].isascii() and parts[2].isdigit()) or not 1 <= int(parts[2]) <= 100:
            raise UserError(texts.INVITE_BAD_USES)
        uses = int(parts[2])
    new = await create_invite(ctx.uow, org.id, role, uses=uses)
    expires = to_local(new.invite.expires_at - timedelta(seconds=1), ctx.settings.tz).strftime("%d/%m/%Y")
    text = texts.INVITE_CREATED.format(
        role=texts.ROLE_NAMES[role], unit=org.name, code=new.code, uses=uses, expires=expires
    )
    if ctx.services.bot_username:
        link = f"https://t.me/{ctx.services.bot_username}?start={new.code}"
        text += "\n" + texts.INVITE_LINK.format(link=link)
    return Reply(text)
