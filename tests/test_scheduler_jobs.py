"""The level-triggered jobs with a controlled clock and the real outbox and sender: each reminder
goes once, at the right local time, to the right people and nobody outside their subtree, never
in the quiet hours; missed ones are caught up after downtime; a second run sends nothing more."""

from __future__ import annotations

from datetime import date

import pytest
from scheduler_support import ListAdapter, add_user, deliver, local, outbox, run
from test_pipeline_support import insert_source

from storage.models import AdmissionTarget, OrgUnit, QuarterlyEvaluation
from sqlalchemy import select


@pytest.fixture
async def tree(cells):
    """Demo cells (bithu, phobithu: DEMO-CB1; bithu2: DEMO-CB2) plus staff of the commune
    DEMO-X1 above both cells, of the district DEMO-H1, and of the other commune DEMO-X2."""
    await add_user(cells, "canbo_xa", "Đỗ Văn Xã", "staff", "DEMO-X1")
    await add_user(cells, "canbo_huyen", "Võ Thị Huyện", "staff", "DEMO-H1")
    await add_user(cells, "canbo_x2", "Mai Văn Khác", "staff", "DEMO-X2")
    return cells


async def evaluate(app, source_id: int, year: int = 2026, quarter: int = 4) -> None:
    async with app.services.sessions() as session:
        async with session.begin():
            session.add(QuarterlyEvaluation(source_id=source_id, year=year, quarter=quarter, level="tot",
                                            comment="", evaluated_at=app.services.now()))


async def test_first_evaluation_reminder_goes_once_at_eight_to_the_cells_secretaries_only(tree, clock):
    an = await insert_source(tree, "Nguyễn Văn An", date(1998, 3, 5))
    hoa = await insert_source(tree, "Lê Thị Hoà", date(1997, 1, 2), org="DEMO-CB2")
    await evaluate(tree, hoa)  # DEMO-CB2 has evaluated everybody: nothing to remind there
    adapter = ListAdapter()

    clock.set(local(1, 12, 2026, 7, 59))
    assert await run(tree) == 0, "not before 08:00 of the first reminder day"
    clock.set(local(1, 12, 2026, 8, 0))
    assert await run(tree) == 2
    assert await run(tree) == 0, "a second run queues nothing"
    await deliver(tree, adapter)
    assert await run(tree) == 0, "nor after the first ones were sent"
    await deliver(tree, adapter)

    assert sorted(chat for chat, _ in adapter.sent) == ["bithu", "phobithu"]
    [text] = adapter.to("bithu")
    assert "quý IV/2026" in text and f"Nguyễn Văn An (N{an})" in text and "15/12/2026" in text
    assert "/danhgia" in text and "Hoà" not in text
    rows = await outbox(tree, "evaluation_reminder")
    assert {r.status for r in rows} == {"sent"} and len(rows) == 2


async def test_second_reminder_then_late_cells_to_the_unit_above_then_one_level_higher(tree, clock):
    await insert_source(tree, "Nguyễn Văn An", date(1998, 3, 5))
    await insert_source(tree, "Trần Văn Bảo", date(1996, 6, 7), org="DEMO-CB3")  # under DEMO-X2
    adapter = ListAdapter()
    for moment in (local(1, 12, 2026), local(12, 12, 2026), local(16, 12, 2026), local(23, 12, 2026)):
        clock.set(moment)
        await run(tree)
        await run(tree)
        await deliver(tree, adapter)
    first, second = adapter.to("bithu")
    assert "Nhắc đánh giá quý IV/2026" in first and "Sắp đến hạn" in second
    [late] = adapter.to("canbo_xa")
    assert "Đã quá hạn đánh giá quý IV/2026 (15/12/2026)" in late
    assert "Chi bộ thôn Thanh Liêm (mẫu) (DEMO-CB1): 1 người" in late and "DEMO-CB3" not in late
    assert "Nguyễn Văn An" not in late, "staff get the cells, not the people's names"
    [late_x2] = adapter.to("canbo_x2")
    assert "DEMO-CB3" in late_x2 and "DEMO-CB1" not in late_x2
    [escalated] = adapter.to("canbo_huyen")
    assert "hơn một tuần" in escalated and "DEMO-CB1" in escalated and "DEMO-CB3" in escalated
    assert adapter.to("canbo") == [], "the province is two levels above the communes, not three"


async def test_downtime_catches_up_only_the_latest_reminder(tree, clock):
    await insert_source(tree, "Nguyễn Văn An", date(1998, 3, 5))
    clock.set(local(26, 11, 2026, 10))
    assert await run(tree) == 0
    # Down from 26/11 to 24/12: the first and second reminders and both late lists were missed.
    clock.set(local(24, 12, 2026, 9, 30))
    await run(tree)
    adapter = await deliver(tree, ListAdapter())
    assert adapter.to("bithu") == [], "after the deadline the secretary's reminders are moot"
    assert len(adapter.to("canbo_xa")) == 1 and len(adapter.to("canbo_huyen")) == 1
    assert await run(tree) == 0


async def test_nothing_goes_out_in_the_quiet_hours(tree, clock):
    await insert_source(tree, "Nguyễn Văn An", date(1998, 3, 5))
    clock.set(local(1, 12, 2026, 22, 15))  # the scheduler was down all day and starts at 22:15
    assert await run(tree) == 2
    adapter = await deliver(tree, ListAdapter())
    assert adapter.sent == []
    [row, _] = await outbox(tree, "evaluation_reminder")
    assert row.send_after == local(2, 12, 2026, 7, 0)
    clock.set(local(2, 12, 2026, 6, 59))
    assert (await deliver(tree, adapter)).sent == []
    clock.set(local(2, 12, 2026, 7, 0))
    await deliver(tree, adapter)
    assert sorted(chat for chat, _ in adapter.sent) == ["bithu", "phobithu"]


async def test_probation_reminders_at_twelve_months_ten_days_before_and_after_the_deadline(tree, clock):
    # Admitted 10/12/2025: probation ends 10/12/2026; 30 working days later (01/01 is a public
    # holiday): 22/01/2027.
    sid = await insert_source(tree, "Phạm Thị Cúc", date(1995, 4, 4), stage="probationary",
                              admission=date(2025, 12, 10))
    adapter = ListAdapter()
    clock.set(local(9, 12, 2026, 20))
    assert await run(tree) == 0
    clock.set(local(10, 12, 2026, 8))
    await run(tree)
    await deliver(tree, adapter)
    [ended] = adapter.to("bithu")
    assert f"Phạm Thị Cúc (N{sid})" in ended and "đủ 12 tháng" in ended and "22/01/2027" in ended
    assert f"/chinhthuc N{sid}; dd/mm/yyyy" in ended
    clock.set(local(12, 1, 2027, 8))
    await run(tree)
    clock.set(local(23, 1, 2027, 8))
    await run(tree)
    await run(tree)
    await deliver(tree, adapter)
    ended_, soon, passed = [t for t in adapter.to("bithu") if "dự bị" in t]
    assert "Còn 10 ngày" in soon and "Đã quá hạn" in passed
    [staff] = [t for t in adapter.to("canbo_xa") if "dự bị" in t]  # (January: also the targets prompt)
    assert "Đã quá hạn" in staff and f"N{sid}" in staff
    assert adapter.to("bithu2") == [] and [t for t in adapter.to("canbo_x2") if "dự bị" in t] == []


async def test_targets_prompt_in_january_proposes_the_rate_and_accept_all_assigns_them(tree, clock, chat_as):
    adapter = ListAdapter()
    clock.set(local(31, 12, 2026, 12))
    await run(tree)
    assert await outbox(tree, "target_prompt") == []
    clock.set(local(1, 1, 2027, 8))
    await run(tree)
    await run(tree)
    await deliver(tree, adapter)
    [prompt] = adapter.to("canbo_xa")
    # 4 % of 24 members -> 1; of 31 -> 2 (rounded up)
    assert "DEMO-CB1): 24 đảng viên, đề xuất 1" in prompt and "DEMO-CB2): 31 đảng viên, đề xuất 2" in prompt
    assert "/chitieu" in prompt
    staff = chat_as("canbo_xa")
    text = await staff.press("tg:all:2027")
    assert "2 đơn vị" in text
    async with tree.services.sessions() as session:
        rows = (await session.execute(
            select(OrgUnit.code, AdmissionTarget.target).join(OrgUnit, OrgUnit.id == AdmissionTarget.org_id)
            .where(AdmissionTarget.year == 2027))).all()
    assert sorted(rows) == [("DEMO-CB1", 1), ("DEMO-CB2", 2)]
    clock.set(local(2, 1, 2027, 8))
    assert await run(tree) >= 0
    assert len([r for r in await outbox(tree, "target_prompt") if r.chat_id == "canbo_xa"]) == 1
