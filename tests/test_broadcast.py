"""/thongbao through the conversation core, the outbox and the real sender: compose, audience,
preview with the count, confirm; the secretaries of the subtree (only) receive it; the sender
gets the delivery report (sent, failed, blocked, not linked) once every message has an outcome,
and `/thongbao ketqua` shows it."""

from __future__ import annotations

from datetime import date

import pytest
from scheduler_support import ListAdapter, add_user, deliver, local, outbox, run
from test_pipeline_support import insert_source

from bot.channels.runtime import Blocked


@pytest.fixture
async def tree(cells):
    await add_user(cells, "canbo_xa", "Đỗ Văn Xã", "staff", "DEMO-X1")
    await add_user(cells, "bithu3", "Trương Văn Ba", "secretary", "DEMO-CB3")  # under DEMO-X2
    await add_user(cells, "chualienket", "Hồ Văn Chưa", "secretary", "DEMO-CB2", channel="")
    return cells


class BlockingAdapter(ListAdapter):
    """bithu2 has blocked the bot."""

    async def call(self, call, timeout):
        if call[0] == "bithu2":
            raise Blocked("403")
        await super().call(call, timeout)


async def test_broadcast_to_the_subtree_with_preview_and_delivery_report(tree, clock, chat_as):
    staff = chat_as("canbo_xa")
    assert "nội dung thông báo" in await staff.say("/thongbao")
    assert "Gửi thông báo tới ai" in await staff.say("Họp bí thư chi bộ lúc 8 giờ ngày 15/12/2026 tại hội trường xã.")
    preview = await staff.press("pl.aud.subtree")
    # bithu, phobithu (DEMO-CB1), bithu2 and one not linked (DEMO-CB2); not bithu3 (DEMO-X2)
    assert "4 người (3 đã liên kết tài khoản, 1 chưa liên kết)" in preview and "Họp bí thư" in preview
    queued = await staff.press("pl.yes")
    assert "Đã xếp hàng gửi thông báo số 1: 3 tin tới 4 bí thư" in queued
    assert "Còn 3 tin đang chờ gửi" in await staff.say("/thongbao ketqua")

    adapter = BlockingAdapter()
    await deliver(tree, adapter)
    assert sorted(chat for chat, _ in adapter.sent) == ["bithu", "phobithu"]
    [text] = adapter.to("bithu")
    assert "Thông báo của Đảng ủy xã Nhơn Hậu (mẫu) (Đỗ Văn Xã)" in text and "Họp bí thư" in text
    assert "vì là bí thư chi bộ thuộc" in text

    assert await run(tree) >= 1  # every row final: the report is queued for the sender
    assert await run(tree) == 0
    await deliver(tree, adapter)
    [report] = adapter.to("canbo_xa")
    assert "đã gửi 2, lỗi 0, đã chặn Chibot 1, chưa liên kết tài khoản 1" in report
    later = await staff.say("/thongbao ketqua")
    assert "Kết quả gửi thông báo số 1" in later and "đã gửi 2" in later
    assert "chưa gửi thông báo nào" in await chat_as("canbo").say("/thongbao ketqua")


async def test_report_waits_until_every_message_has_an_outcome(tree, clock, chat_as):
    staff = chat_as("canbo_xa")
    await staff.say("/thongbao Nộp báo cáo quý trước ngày 20/12/2026.")
    await staff.press("pl.aud.subtree")
    await staff.press("pl.yes")
    await run(tree)
    assert await outbox(tree, "broadcast") and all(r.dedup_key.startswith("bc:") for r in await outbox(tree, "broadcast"))
    assert "Còn 3 tin đang chờ gửi" in await staff.say("/thongbao ketqua")
    await deliver(tree, ListAdapter())
    await run(tree)
    adapter = await deliver(tree, ListAdapter())
    [report] = adapter.to("canbo_xa")
    assert "đã gửi 3" in report


async def test_only_late_cells_or_one_unit_and_the_rules(tree, clock, chat_as):
    await insert_source(tree, "Nguyễn Văn An", date(1998, 3, 5))  # DEMO-CB1 has someone to evaluate
    staff = chat_as("canbo_xa")
    await staff.say("/thongbao Đề nghị hoàn thành đánh giá quý IV.")
    preview = await staff.press("pl.aud.late")
    assert "2 người" in preview  # bithu and phobithu only
    await staff.press("pl.no")
    await staff.say("/thongbao Lịch họp chi bộ tháng 12.")
    await staff.press("pl.aud.unit")
    assert "Không tìm thấy đơn vị có mã “KHONG-CO”" in await staff.say("KHONG-CO")
    assert "không có quyền" in await staff.say("DEMO-CB3")
    preview = await staff.say("DEMO-CB2")
    assert "2 người (1 đã liên kết tài khoản, 1 chưa liên kết)" in preview
    assert "Đã xếp hàng" in await staff.press("pl.yes")
    refused = await chat_as("bithu").say("/thongbao xin chào")
    assert "/thongbao" in refused and "Gửi thông báo tới ai" not in refused
    assert "trống" in await staff.say("/thongbao ...")

    clock.set(local(1, 12, 2026, 22, 30))  # quiet hours: queued now, sent at 07:00
    await staff.say("/thongbao Nhắc họp sáng mai.")
    await staff.press("pl.aud.subtree")
    await staff.press("pl.yes")
    rows = [r for r in await outbox(tree, "broadcast") if r.dedup_key.startswith("bc:2:")]
    assert rows and {r.send_after for r in rows} == {local(2, 12, 2026, 7, 0)}
