"""/start (with an invite code), /trogiup, /huy and /moi (staff create invites in chat)."""

from __future__ import annotations

from datetime import timedelta

from domain import texts
from domain.roles import ADMIN, SECRETARY, STAFF, can_invite  # noqa: F401
from domain.text import fold
from handlers.core import Context, Router
from handlers.types import Reply, UserError
from storage import invites, orgs
from storage.clock import to_local
from storage.models import ChatIdentity, User

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
    session, incoming, now = ctx.session, ctx.incoming, ctx.now()
    failures = await invites.recent_failures(session, incoming.channel, incoming.user_id, now)
    if (until := invites.locked_until(failures)) is not None:
        return _locked(ctx, until)
    if ctx.user is not None:
        return Reply(texts.START_ALREADY_LINKED.format(**describe(ctx.user)))

    invite = await invites.find_invite(session, code)
    if invite is None:
        await invites.record_failure(session, incoming.channel, incoming.user_id, now)
        failures.insert(0, now)
        if (until := invites.locked_until(failures)) is not None:
            return _locked(ctx, until)
        return Reply(texts.START_BAD_CODE.format(left=invites.MAX_FAILURES - len(failures)))
    if invite.expires_at <= now:
        expired = to_local(invite.expires_at, ctx.settings.tz).strftime("%d/%m/%Y")
        return Reply(texts.START_EXPIRED.format(date=expired))
    if invite.used >= invite.max_uses:
        return Reply(texts.START_USED_UP)

    invite.used += 1
    user = User(
        name=incoming.display_name or incoming.user_id,
        role=invite.role,
        org_id=invite.org_id,
        active=True,
        created_at=now,
    )
    session.add(user)
    await session.flush()
    identity = ChatIdentity(
        user_id=user.id,
        channel=incoming.channel,
        external_id=incoming.user_id,
        chat_id=incoming.chat_id,
        blocked=False,
        linked_at=now,
    )
    session.add(identity)
    await session.flush()
    await session.refresh(user, ["org"])
    ctx.identity = identity
    identity.user = user
    await ctx.audit(
        "user.register",
        "user",
        user.id,
        org_id=user.org_id,
        after={"role": user.role, "org": user.org.code, "channel": incoming.channel, "invite": invite.id},
    )
    return Reply(texts.START_LINKED.format(**describe(user)))


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
    user = ctx.require_user()
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
        if not parts[2].isdigit() or not 1 <= int(parts[2]) <= 100:
            raise UserError(texts.INVITE_BAD_USES)
        uses = int(parts[2])
    if not can_invite(user.role, user.org.path, org.path, org.kind, role):
        raise UserError(texts.INVITE_NOT_ALLOWED.format(role=texts.ROLE_NAMES[role], unit=org.name))
    code, row = await invites.create_invite(
        ctx.session, org, role, now=ctx.now(), uses=uses, created_by=user.id
    )
    await ctx.audit("invite.create", "invite", row.id, org_id=org.id, after={"role": role, "uses": uses})
    expires = to_local(row.expires_at - timedelta(seconds=1), ctx.settings.tz).strftime("%d/%m/%Y")
    text = texts.INVITE_CREATED.format(
        role=texts.ROLE_NAMES[role], unit=org.name, code=code, uses=uses, expires=expires
    )
    if ctx.services.bot_username:
        link = f"https://t.me/{ctx.services.bot_username}?start={code}"
        text += "\n" + texts.INVITE_LINK.format(link=link)
    return Reply(text)
