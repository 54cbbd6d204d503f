"""Telegram's command menu (setMyCommands), in Vietnamese, per role.

Menus are derived from the command records (handlers.core.Command): a command appears as soon
as its module is registered and has a menu text (domain.texts.COMMAND_MENU), and only for the
roles that may use it.

Scopes: the default scope (anyone who has not registered) gets the commands open to everyone;
group chats get those that work in groups; each linked private chat gets the commands of its
user's role (BotCommandScopeChat), set at start for every linked chat and again after /start.
"""

from __future__ import annotations

import asyncio
import logging

from aiogram.methods import SetMyCommands
from aiogram.types import (
    BotCommand,
    BotCommandScopeAllGroupChats,
    BotCommandScopeChat,
    BotCommandScopeDefault,
)
from sqlalchemy import select
from sqlalchemy.ext.asyncio import async_sessionmaker

from bot.channels.telegram_send import CHANNEL, BotBlocked, TelegramSender
from handlers.core import Router
from storage.models import ChatIdentity, User

log = logging.getLogger(__name__)

def menu(router: Router, role: str | None, *, group: bool = False) -> list[BotCommand]:
    """The menu of a user of `role` (None: not registered) or of group chats, from the
    command records: every command they may type that has a menu text, in order."""
    return [BotCommand(command=r.name, description=r.menu) for r in router.listed(role, group=group) if r.menu]


def role_menu(router: Router, role: str) -> list[BotCommand]:
    return menu(router, role)


async def set_global_menus(sender: TelegramSender, router: Router) -> None:
    await sender.call(SetMyCommands(commands=menu(router, None), scope=BotCommandScopeDefault()))
    await sender.call(SetMyCommands(commands=menu(router, None, group=True), scope=BotCommandScopeAllGroupChats()))


async def set_chat_menu(sender: TelegramSender, router: Router, chat_id: int | str, role: str) -> bool:
    """Set one private chat's menu; False when Telegram did not accept it (logged)."""
    try:
        result = await sender.call(
            SetMyCommands(commands=role_menu(router, role), scope=BotCommandScopeChat(chat_id=int(chat_id)))
        )
    except BotBlocked:
        return False
    return bool(result)


async def linked_chats(sessions: async_sessionmaker) -> list[tuple[str, str]]:
    """(chat_id, role) of every linked Telegram chat that has not blocked the bot."""
    async with sessions() as session:
        rows = await session.execute(
            select(ChatIdentity.chat_id, User.role)
            .join(User, User.id == ChatIdentity.user_id)
            .where(ChatIdentity.channel == CHANNEL, ChatIdentity.blocked.is_(False), User.active.is_(True))
            .order_by(ChatIdentity.id)
        )
        return [(chat_id, role) for chat_id, role in rows]


async def set_all_menus(
    sender: TelegramSender, router: Router, sessions: async_sessionmaker, rate: float
) -> int:
    """Global menus, then every linked chat's menu at no more than `rate` calls per second.
    Returns the number of chats whose menu was set."""
    await set_global_menus(sender, router)
    done = 0
    for chat_id, role in await linked_chats(sessions):
        if not chat_id.lstrip("-").isdigit():
            continue
        if await set_chat_menu(sender, router, chat_id, role):
            done += 1
        await asyncio.sleep(1 / rate)
    log.info("telegram command menus set for %d linked chats", done)
    return done
