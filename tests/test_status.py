"""/tinhhinh in chat: the secretary's own cell with names, staff drill-down, scope refusals.

Demo tree: DEMO > DEMO-H1 > DEMO-X1 > DEMO-CB1 (24 members, secretary `bithu`), DEMO-CB2;
DEMO-H1 > DEMO-X2 > DEMO-CB3. `canbo` is staff of DEMO; `canbo_x2` (added here) of DEMO-X2.
Today is 26/11/2026 (quarter IV, evaluations due 15/12/2026).
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from domain import texts
from storage import orgs
from storage.models import ChatIdentity, User
from tests.factories import add_source


async def add_console_user(session, login: str, name: str, role: str, unit_code: str) -> None:
    unit = await orgs.by_code(session, unit_code)
    user = User(name=name, role=role, org_id=unit.id, active=True, created_at=datetime(2026, 1, 1))
    session.add(user)
    await session.flush()
    session.add(ChatIdentity(user_id=user.id, channel="console", external_id=login, chat_id=login,
                             blocked=False, linked_at=datetime(2026, 1, 1)))


@pytest.fixture
async def world(demo):
    async with demo.services.sessions() as session:
        async with session.begin():
            await add_source(session, "DEMO-CB1", "Nguyễn Thị Hoa", categories=("doan_vien", "nong_thon"))
            await add_source(session, "DEMO-CB1", "Trần Văn Hùng", stage="awareness",
                             categories=("tri_thuc",), evaluated=[(2026, 4)])
            await add_source(session, "DEMO-CB1", "Lê Thị Mai", stage="probationary",
                             admitted=date(2026, 2, 10), deadline=date(2027, 3, 20))
            await add_source(session, "DEMO-CB1", "Phan Văn Dũng", stage="probationary",
                             admitted=date(2025, 10, 5), deadline=date(2026, 11, 20))
            await add_source(session, "DEMO-CB3", "Hoàng Văn Tư", categories=("nong_thon",))
            await add_console_user(session, "canbo_x2", "Võ Thị Thu", "staff", "DEMO-X2")
    return demo


async def unit_id(app, code: str) -> int:
    async with app.services.sessions() as session:
        return (await orgs.by_code(session, code)).id


async def test_secretary_sees_own_cell_with_names(world, chat_as):
    bithu = chat_as("bithu")
    text = await bithu.say("/tinhhinh")
    assert "Chi bộ thôn Thanh Liêm (mẫu) (DEMO-CB1), ngày 26/11/2026" in text
    assert "Đảng viên: 24" in text
    assert "Kết nạp năm 2026: 1/1 chỉ tiêu, bằng 4,17% số đảng viên" in text  # Lê Thị Mai; ceil(0.96)
    assert "Đã đạt chỉ tiêu" in text
    assert "Nguồn đang bồi dưỡng: 2 quần chúng ưu tú, trong đó 1 cảm tình Đảng" in text
    assert "đoàn viên thanh niên 1" in text and "khu vực nông thôn 1" in text and "trí thức 1" in text
    # who still needs this quarter's evaluation: Hoa, not Hùng (evaluated)
    assert "Cần đánh giá quý IV/2026 (hạn 15/12/2026):" in text
    assert "quần chúng Nguyễn Thị Hoa" in text
    assert "Trần Văn Hùng" not in text
    assert "/danhgia" in text
    # probationary members by deadline: the overdue one first
    assert text.index("Phan Văn Dũng") < text.index("Lê Thị Mai")
    assert "hạn 20/11/2026 (quá hạn 6 ngày)" in text
    assert "kết nạp 10/02/2026, hạn 20/03/2027 (còn 114 ngày)" in text
    assert "/chinhthuc" in text
    # no other cell's people
    assert "Hoàng Văn Tư" not in text
    assert bithu.choices == ()


async def test_secretary_may_name_own_cell_but_no_other(world, chat_as):
    bithu = chat_as("bithu")
    assert "Nguyễn Thị Hoa" in await bithu.say("/tinhhinh demo-cb1")
    refused = await bithu.say("/tinhhinh DEMO-CB3")
    assert refused == texts.OUT_OF_SCOPE.format(unit="Chi bộ thôn Thanh Giang (mẫu)")
    assert "Hoàng Văn Tư" not in refused
    refused = await bithu.say("/tinhhinh DEMO")
    assert "không có quyền" in refused and "Đảng viên" not in refused
    unknown = await bithu.say("/tinhhinh KHONGCO")
    assert "KHONGCO" in unknown and "/tinhhinh DEMO-CB1" in unknown  # says what and shows an example
    # a forged drill-down button is checked too
    forged = await bithu.press(f"tt:{await unit_id(world, 'DEMO-CB3')}")
    assert "không có quyền" in forged and "Hoàng Văn Tư" not in forged


async def test_staff_drills_down_to_a_cell(world, chat_as):
    canbo = chat_as("canbo")
    text = await canbo.say("/tinhhinh")
    assert "Đảng bộ tỉnh (mẫu) (DEMO)" in text
    assert "Đảng viên: 78" in text
    assert "Kết nạp năm 2026: 1/4 chỉ tiêu, bằng 1,28% số đảng viên" in text
    assert "Nguồn đang bồi dưỡng: 3 quần chúng ưu tú" in text
    assert "Chưa đánh giá quý IV/2026: 2 quần chúng (hạn 15/12/2026)" in text
    assert "dự bị đến hạn xét công nhận chính thức (trong 30 ngày hoặc đã quá hạn): 1" in text
    assert "Huyện ủy An Nhơn (mẫu) (DEMO-H1): 1/4, chưa đánh giá 2" in text  # ceil(3.12)
    assert "Nguyễn Thị Hoa" not in text
    h1 = await unit_id(world, "DEMO-H1")
    assert [c.value for c in canbo.choices] == [f"tt:{h1}"]

    text = await canbo.press(f"tt:{h1}")
    assert "Huyện ủy An Nhơn (mẫu) (DEMO-H1)" in text
    labels = [c.label for c in canbo.choices]
    assert labels[:2] == ["Đảng ủy xã Nhơn Hậu (mẫu)", "Đảng ủy xã Nhơn Phong (mẫu)"]
    assert labels[-1] == "⬆ Lên Đảng bộ tỉnh (mẫu)"

    text = await canbo.say("1")  # on the console, typing the number presses the first choice
    assert "Đảng ủy xã Nhơn Hậu (mẫu) (DEMO-X1)" in text
    assert "Chi bộ thôn Thanh Liêm (mẫu) (DEMO-CB1): 1/1, chưa đánh giá 1" in text
    cb1 = next(c for c in canbo.choices if c.label == "Chi bộ thôn Thanh Liêm (mẫu)")

    text = await canbo.press(cb1.value)
    assert "Chi bộ thôn Thanh Liêm (mẫu) (DEMO-CB1)" in text
    assert "Đảng viên: 24" in text and "Chưa đánh giá quý IV/2026: 1 quần chúng" in text
    # staff see the cell's figures, not its people
    assert "Nguyễn Thị Hoa" not in text and "Lê Thị Mai" not in text
    assert [c.label for c in canbo.choices] == ["⬆ Lên Đảng ủy xã Nhơn Hậu (mẫu)"]


async def test_staff_outside_their_subtree_is_refused(world, chat_as):
    staff = chat_as("canbo_x2")
    text = await staff.say("/tinhhinh")
    assert "Đảng ủy xã Nhơn Phong (mẫu) (DEMO-X2)" in text and "Đảng viên: 20" in text
    assert all("⬆" not in c.label for c in staff.choices)  # no way up from one's own unit
    assert "Chi bộ thôn Thanh Giang (mẫu)" in await staff.say("/tinhhinh DEMO-CB3")
    assert (await staff.say("/tinhhinh DEMO-X1")) == texts.OUT_OF_SCOPE.format(unit="Đảng ủy xã Nhơn Hậu (mẫu)")
    assert "không có quyền" in await staff.say("/tinhhinh DEMO-H1")
    forged = await staff.press(f"tt:{await unit_id(world, 'DEMO-CB1')}")
    assert "không có quyền" in forged and "Đảng viên" not in forged


async def test_late_cells_after_the_deadline(world, chat_as, clock):
    clock.set(datetime(2026, 12, 16, 3, 0))  # 10:00 on 16/12/2026 local
    canbo = chat_as("canbo")
    text = await canbo.say("/tinhhinh")
    assert "Chi bộ chậm đánh giá quý IV/2026 (quá hạn 15/12/2026): 2" in text
    assert "• Chi bộ thôn Thanh Liêm (mẫu) (DEMO-CB1): 1 quần chúng" in text
    assert "• Chi bộ thôn Thanh Giang (mẫu) (DEMO-CB3): 1 quần chúng" in text
    assert "Vạn Thuận" not in text  # DEMO-CB2 has nobody to evaluate
    bithu = chat_as("bithu")
    assert "Đã quá hạn đánh giá quý IV/2026 (15/12/2026), còn:" in await bithu.say("/tinhhinh")

    clock.set(datetime(2026, 12, 15, 3, 0))
    assert "chậm đánh giá" not in await canbo.say("/tinhhinh")


async def test_not_in_groups_and_not_for_strangers(world, chat_as):
    group = chat_as("bithu", chat_type="group", chat_id="group-1")
    text = await group.say("/tinhhinh")
    assert text == texts.PRIVATE_ONLY and "Nguyễn Thị Hoa" not in text
    pressed = await group.press(f"tt:{await unit_id(world, 'DEMO-CB1')}")
    assert pressed == texts.PRIVATE_ONLY
    stranger = chat_as("nobody")
    assert await stranger.say("/tinhhinh") == texts.NOT_REGISTERED
    assert await stranger.press("tt:1") == texts.NOT_REGISTERED


async def test_a_vanished_unit_button_is_answered(world, chat_as):
    canbo = chat_as("canbo")
    assert await canbo.press("tt:999999") == texts.STATUS_STALE_UNIT
    assert await canbo.press("tt:abc") == texts.STATUS_STALE_UNIT
