"""/chitieu through the conversation core: staff see their units' yearly targets with the
proposals, give one unit its target, take all proposals at once; an unknown code, a unit outside
their subtree, a bad number and a secretary get a clear answer and change nothing."""

from __future__ import annotations

import pytest
from scheduler_support import add_user
from sqlalchemy import select

from storage.models import AdmissionTarget


@pytest.fixture
async def staff_tree(cells):
    await add_user(cells, "canbo_xa", "Đỗ Văn Xã", "staff", "DEMO-X1")
    return cells


async def targets(app) -> dict[str, int]:
    from storage.models import OrgUnit

    async with app.services.sessions() as session:
        rows = await session.execute(select(OrgUnit.code, AdmissionTarget.target)
                                     .join(OrgUnit, OrgUnit.id == AdmissionTarget.org_id))
        return dict(rows.all())


async def test_staff_set_targets_and_every_wrong_input_is_answered(staff_tree, chat_as):
    staff = chat_as("canbo_xa")
    listing = await staff.say("/chitieu")
    assert "Chỉ tiêu kết nạp đảng viên năm" in listing and "DEMO-CB1" in listing and "đề xuất" in listing

    assert "Không tìm thấy đơn vị có mã “KHONG-CO”" in await staff.say("/chitieu KHONG-CO; 2")
    assert "Cách ghi: /chitieu" in await staff.say("/chitieu N1; N1; 3")
    assert "không có quyền" in await staff.say("/chitieu DEMO-CB3; 2")  # under DEMO-X2
    assert await targets(staff_tree) == {}

    assert "Đã đặt chỉ tiêu kết nạp năm" in await staff.say("/chitieu DEMO-CB1; 2")
    assert "không thay đổi" in await staff.say("/chitieu demo-cb1; 2")
    accepted = await staff.say("/chitieu nhan")
    assert "theo đề xuất" in accepted and "DEMO-CB1" not in accepted
    assert (await targets(staff_tree))["DEMO-CB1"] == 2

    assert "/chitieu" in await chat_as("bithu").say("/chitieu DEMO-CB1; 5")
    assert (await targets(staff_tree))["DEMO-CB1"] == 2
