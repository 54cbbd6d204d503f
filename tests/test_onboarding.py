"""Invites, registration, the brute-force limit, roles and scopes."""

from __future__ import annotations

from sqlalchemy import func, select

from domain.roles import ADMIN, SECRETARY, STAFF, can_invite, in_scope
from storage import invites, orgs
from storage.models import AuditLog, ChatIdentity, Invite, User


async def make_invite(app, code: str, role: str = SECRETARY, uses: int = 1, days: int = 7) -> str:
    async with app.services.sessions() as session:
        async with session.begin():
            org = await orgs.by_code(session, code)
            plain, _ = await invites.create_invite(session, org, role, now=app.services.now(), uses=uses, days=days)
    return plain


async def test_start_with_code_links_the_account(demo, chat_as):
    code = await make_invite(demo, "DEMO-CB2")
    chat = chat_as("an")
    assert "chưa đăng ký" in await chat.say("/moi DEMO-CB1; bí thư")
    reply = await chat.say(f"/start {code.lower()[:4]}-{code.lower()[4:]}")  # typed loosely
    assert "Đã đăng ký" in reply and "bí thư chi bộ" in reply and "Vạn Thuận" in reply
    assert "/nguon" in await chat.say("/trogiup")
    async with demo.services.sessions() as session:
        identity = await session.scalar(select(ChatIdentity).where(ChatIdentity.external_id == "an"))
        assert identity is not None
        audit = await session.scalar(select(AuditLog).where(AuditLog.action == "user.register"))
        assert audit.after["org"] == "DEMO-CB2"


async def test_codes_are_stored_hashed(demo):
    code = await make_invite(demo, "DEMO-CB2")
    async with demo.services.sessions() as session:
        stored = (await session.scalars(select(Invite.code_hash))).all()
    assert stored and all(code not in value for value in stored)


async def test_expired_invite_is_refused(demo, chat_as, clock):
    code = await make_invite(demo, "DEMO-CB2", days=1)
    clock.advance(days=1, seconds=1)
    reply = await chat_as("an").say(f"/start {code}")
    assert "hết hạn" in reply
    async with demo.services.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(User)) == 2  # demo users only


async def test_invite_cannot_be_used_more_than_allowed(demo, chat_as):
    code = await make_invite(demo, "DEMO-CB2", uses=2)
    assert "Đã đăng ký" in await chat_as("a1").say(f"/start {code}")
    assert "Đã đăng ký" in await chat_as("a2").say(f"/start {code}")
    assert "dùng hết" in await chat_as("a3").say(f"/start {code}")


async def test_linked_account_does_not_consume_another_invite(demo, chat_as):
    code = await make_invite(demo, "DEMO-CB2")
    reply = await chat_as("bithu").say(f"/start {code}")
    assert "đã được đăng ký" in reply
    assert "Đã đăng ký" in await chat_as("an").say(f"/start {code}")


async def test_five_wrong_codes_in_an_hour_lock_the_account(demo, chat_as, clock):
    good = await make_invite(demo, "DEMO-CB2")
    chat = chat_as("guess")
    for attempt in range(4):
        reply = await chat.say(f"/start WRONG{attempt}XY")
        assert "không đúng" in reply and f"Còn {4 - attempt} lần" in reply
    assert "tạm bị từ chối" in await chat.say("/start WRONG9XY")
    # Even the right code is refused while locked, and the invite is not consumed.
    assert "tạm bị từ chối" in await chat.say(f"/start {good}")
    assert "bị từ chối" not in await chat_as("other").say("/start WRONGZZZ")  # per account
    clock.advance(hours=1, seconds=1)
    assert "Đã đăng ký" in await chat.say(f"/start {good}")


async def test_staff_invites_only_within_their_subtree(demo, chat_as):
    staff_code = await make_invite(demo, "DEMO-X2", role=STAFF)
    staff = chat_as("xa2")
    await staff.say(f"/start {staff_code}")
    created = await staff.say("/moi DEMO-CB3; bi thu")
    assert "Mã mời bí thư chi bộ cho Chi bộ thôn Thanh Giang" in created
    plain = created.split(": ", 1)[1].split("\n")[0]
    assert "Đã đăng ký" in await chat_as("new").say(f"/start {plain}")
    assert "không thể mời" in await staff.say("/moi DEMO-CB1; bí thư")  # another commune
    assert "không thể mời" in await staff.say("/moi DEMO-X2; bí thư")  # secretaries go to cells
    assert "Không tìm thấy đơn vị" in await staff.say("/moi NOPE; bí thư")
    assert "không hợp lệ" in await staff.say("/moi DEMO-CB3; thủ quỹ")
    assert "Cách tạo mã mời" in await staff.say("/moi")


async def test_secretary_cannot_invite(demo, chat_as):
    reply = await chat_as("bithu").say("/moi DEMO-CB1; bí thư")
    assert "không dành cho vai trò" in reply


def test_scope_rules():
    cell, other_cell, commune = "/1/2/3/", "/1/2/4/", "/1/2/"
    assert in_scope(SECRETARY, cell, cell)
    assert not in_scope(SECRETARY, cell, other_cell)
    assert not in_scope(SECRETARY, cell, commune)
    assert in_scope(STAFF, commune, cell) and in_scope(STAFF, commune, commune)
    assert not in_scope(STAFF, commune, "/1/")
    assert not in_scope(STAFF, "/1/2/", "/1/20/"), "a path prefix must end at a separator"
    assert in_scope(ADMIN, cell, "/9/")
    assert can_invite(STAFF, commune, cell, "cell", SECRETARY)
    assert not can_invite(STAFF, commune, cell, "cell", ADMIN)
    assert not can_invite(SECRETARY, cell, cell, "cell", SECRETARY)
    assert can_invite(ADMIN, cell, "/9/", "district", STAFF)
