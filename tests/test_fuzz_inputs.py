"""Property-based: whatever a secretary or staff member types after any command, the bot
answers in Vietnamese and never falls back to the internal-error message."""

from __future__ import annotations

import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import domain.texts as texts
from bot.app import build_app
from handlers import build_router
from storage.demo import seed_demo
from tests.conftest import Chat, FakeClock, make_settings

COMMANDS = sorted(name for name in build_router().commands if not name.startswith("_"))
PIECES = st.sampled_from([
    "N1", "n2", "12", "N999999999999", "Nguyễn Văn An", "nguyen van an", "31/02/2000", "01/01/2099",
    "05/03/1998", "29/02/2024", "tốt", "kha", "trung binh", "chưa đạt", "đoàn viên", "1, 5", "9",
    "xác nhận", "ghi chú", "ngày kết nạp", "tên", "DEMO-CB1", "DEMO", "bí thư", "cán bộ", "😀",
    "", " ", ";", ";;", "-1", "0", "1e9", "\u200b", "\x00", "a" * 600, "<b>x</b>", "%s", "{}",
])
LINES = st.one_of(
    st.lists(PIECES, max_size=5).map("; ".join),
    st.text(max_size=80),
)


def _app(tmp_path_factory, sqlite_template):
    import shutil

    path = tmp_path_factory.mktemp("fuzz") / "db.sqlite3"
    shutil.copy(sqlite_template, path)
    return build_app(make_settings(f"sqlite+aiosqlite:///{path}"), clock=FakeClock(), with_kb=False)


def test_any_input_after_any_command_gets_a_proper_answer(tmp_path_factory, sqlite_template, kb):
    """Hypothesis drives a synchronous test; each example runs on one long-lived event loop."""
    import asyncio

    loop = asyncio.new_event_loop()
    app = _app(tmp_path_factory, sqlite_template)
    app.services.kb = kb
    users = {"bithu": Chat(app, "bithu"), "canbo": Chat(app, "canbo"), "stranger": Chat(app, "x")}

    async def prepare():
        async with app.services.sessions() as session:
            async with session.begin():
                await seed_demo(session, app.services.now())
        await users["bithu"].say("/nguon Nguyễn Văn An; 05/03/1998; đoàn viên")

    async def play(user, command, line, follow, nfd):
        chat = users[user]
        for text in [f"/{command} {line}", *follow]:
            if nfd:
                text = unicodedata.normalize("NFD", text)
            for reply in await chat.send(text):
                assert reply.text.strip(), (command, text)
                assert reply.text != texts.INTERNAL_ERROR, (user, command, text)
        await chat.send("/huy")

    @settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
    @given(
        user=st.sampled_from(sorted(users)),
        command=st.sampled_from(COMMANDS),
        line=LINES,
        follow=st.lists(LINES, max_size=3),
        nfd=st.booleans(),
    )
    def check(user, command, line, follow, nfd):
        loop.run_until_complete(play(user, command, line, follow, nfd))

    try:
        loop.run_until_complete(prepare())
        check()
    finally:
        loop.run_until_complete(app.close())
        loop.close()
