"""Commands are declared once: one record drives dispatch, the role and group checks (typed and
pressed alike), /trogiup, Telegram's menus and the plain-text command list."""

from __future__ import annotations

import pytest

import domain.texts as texts
from bot.channels.telegram_menu import menu
from handlers import build_router
from handlers.core import Conversation, Router
from handlers.onboarding import help_text
from handlers.types import Choice, Reply
from tests.conftest import Chat

extra = Router()


@extra.command("thuchanh", roles=("secretary",), order=15)
async def _practice(ctx, args):
    ctx.begin("thuchanh", "pick")
    return Reply("Chọn một", (Choice("Một", "pl.one"), Choice("Hai", "pl.two")))


@extra.flow("thuchanh")
async def _practice_flow(ctx, text, choice):
    ctx.finish()
    return Reply(f"Đã chọn {choice or text}")


@pytest.fixture
def catalogue(monkeypatch):
    monkeypatch.setitem(texts.COMMAND_MENU, "thuchanh", "Thực hành một lệnh mới")
    monkeypatch.setitem(texts.COMMAND_HELP, "thuchanh", "/thuchanh — thực hành một lệnh mới")


def with_extra(app) -> Router:
    router = build_router()
    router.include(extra)
    router.check()
    app.conversation = Conversation(app.services, router)
    return router


async def test_one_record_reaches_dispatch_help_and_menu(demo, catalogue):
    router = with_extra(demo)
    assert await Chat(demo, "bithu").say("/thuchanh") == "Chọn một"
    # /trogiup of a secretary lists it in its order (15: after /xoanguon, before /lopnhanthuc) ...
    shown = await Chat(demo, "bithu").say("/trogiup")
    lines = shown.splitlines()
    assert "/thuchanh — thực hành một lệnh mới" in lines
    assert lines.index("/thuchanh — thực hành một lệnh mới") == lines.index(texts.COMMAND_HELP["xoanguon"]) + 1
    # ... Telegram's secretary menu has it, the staff and guest menus do not
    secretary = [c.command for c in menu(router, "secretary")]
    assert "thuchanh" in secretary and secretary.index("thuchanh") == secretary.index("xoanguon") + 1
    assert "thuchanh" not in [c.command for c in menu(router, "staff")]
    assert "thuchanh" not in [c.command for c in menu(router, None)]
    assert "/thuchanh" not in help_text(router, "staff")


async def test_role_rules_apply_to_a_dialog_after_the_role_changed(demo, catalogue):
    """A button of a secretary's dialog is refused once that account is no longer a secretary."""
    from sqlalchemy import update

    from storage.models import ChatIdentity, User

    with_extra(demo)
    chat = Chat(demo, "bithu")
    await chat.say("/thuchanh")
    async with demo.services.sessions() as session, session.begin():
        user_id = await session.scalar(
            ChatIdentity.__table__.select().with_only_columns(ChatIdentity.user_id)
            .where(ChatIdentity.external_id == "bithu"))
        await session.execute(update(User).where(User.id == user_id).values(role="staff"))
    assert await chat.press("pl.one") == texts.WRONG_ROLE.format(command="thuchanh")
    assert await chat.say("2") != "Đã chọn pl.two"


async def test_drill_down_button_in_a_group_is_refused_like_the_command(demo):
    group = Chat(demo, "canbo", chat_type="group", chat_id="-100")
    replies = await group.send(choice="tt:1")
    assert replies[0].text == texts.PRIVATE_ONLY


def test_every_flow_and_choice_belongs_to_a_declared_command():
    router = build_router()
    router.check()
    assert router.owner("danhgia_all").name == "danhgia"
    assert router.owner("choice:tt").name == "tinhhinh"
    orphan = Router()

    @orphan.flow("mocoi")
    async def _flow(ctx, text, choice):  # pragma: no cover - never dispatched
        return None

    router.include(orphan)
    with pytest.raises(RuntimeError, match="mocoi"):
        router.check()


async def test_start_in_a_group_greets_without_role_or_unit(demo):
    group = Chat(demo, "bithu", chat_type="group", chat_id="-100")
    text = await group.say("/start")
    assert text == texts.GREETING_GROUP
    assert "bí thư" not in text and "DEMO" not in text and "Chi bộ" not in text


def test_every_catalogue_text_the_code_names_exists():
    """A text removed from domain/texts.py while a handler still names it would answer the user
    with the generic error (it happened to /chitieu, /lophoc and /thongbao with an unknown code)."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    named = {(path.relative_to(root).as_posix(), name)
             for folder in ("bot", "domain", "handlers", "knowledge", "scheduler", "storage", "usecases")
             for path in (root / folder).rglob("*.py")
             for name in re.findall(r"\btexts\.([A-Z][A-Z0-9_]+)\b", path.read_text(encoding="utf-8"))}
    assert len(named) > 100
    assert [(path, name) for path, name in sorted(named) if not hasattr(texts, name)] == []
