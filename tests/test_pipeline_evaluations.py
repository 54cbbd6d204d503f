"""/danhgia: the quarterly evaluation round, one-line evaluations and re-evaluation."""

from __future__ import annotations

from datetime import date

import pytest
from test_pipeline_support import audits, evaluations, insert_source, snapshot


@pytest.fixture
def bithu(cells, chat_as):
    return chat_as("bithu")


async def three(app) -> list[int]:
    return [
        await insert_source(app, "Nguyễn Văn An", date(1998, 3, 5)),
        await insert_source(app, "Trần Thị Bình", date(1997, 1, 1), stage="awareness", awareness=date(2026, 9, 1)),
        await insert_source(app, "Lê Văn Cường", date(1996, 1, 1)),
    ]


async def test_round_walks_through_everyone_not_yet_evaluated(cells, bithu):
    an, binh, cuong = await three(cells)
    await insert_source(cells, "Phạm Văn Dự", date(1990, 1, 1), stage="probationary",
                        awareness=date(2025, 1, 1), admission=date(2026, 1, 1))
    text = await bithu.say("/danhgia")
    assert "quý IV/2026 (1/3): quần chúng Lê Văn Cường" in text  # alphabetical by name
    assert [c.label for c in bithu.choices] == ["Tốt", "Khá", "Trung bình", "Chưa đạt", "Bỏ qua người này", "Dừng lại"]
    text = await bithu.press("pl.lvl.tot")
    assert "Nhận xét ngắn" in text and bithu.choices[0].label == "Bỏ qua"
    text = await bithu.say("Gương mẫu, nhiệt tình")
    assert "✅ Đã ghi đánh giá quý IV/2026: quần chúng Lê Văn Cường" in text
    assert "(2/3): quần chúng Nguyễn Văn An" in text
    await bithu.press("pl.lvl.kha")
    text = await bithu.press("pl.skip")
    assert "(3/3): quần chúng Trần Thị Bình" in text and "cảm tình Đảng" in text
    await bithu.press("pl.lvl.chua_dat")
    text = await bithu.say("Còn hạn chế")
    assert "Đã xong lượt đánh giá quý IV/2026: 3 người được đánh giá." in text
    got = {e.source_id: (e.year, e.quarter, e.level, e.comment) for e in await evaluations(cells)}
    assert got == {
        cuong: (2026, 4, "tot", "Gương mẫu, nhiệt tình"),
        an: (2026, 4, "kha", ""),
        binh: (2026, 4, "chua_dat", "Còn hạn chế"),
    }
    assert len(await audits(cells, "evaluation.create")) == 3
    text = await bithu.say("/danhgia")
    assert "Cả 3 quần chúng trong nguồn đã được đánh giá quý IV/2026" in text


async def test_round_by_typing_numbers_and_words_on_console(cells, bithu):
    an, binh, cuong = await three(cells)
    await bithu.say("/danhgia")
    await bithu.say("3")  # Trung bình
    await bithu.say("1")  # Bỏ qua the comment
    await bithu.say("tb")  # a typed level
    await bithu.say("ổn định")
    text = await bithu.say("5")  # Bỏ qua người này
    assert "bỏ qua 1 người" in text
    levels = {e.source_id: e.level for e in await evaluations(cells)}
    assert levels == {cuong: "trung_binh", an: "trung_binh"}


async def test_stop_in_the_middle_keeps_what_was_saved(cells, bithu):
    await three(cells)
    await bithu.say("/danhgia")
    await bithu.say("1")
    await bithu.say("1")
    text = await bithu.press("pl.stop")
    assert "Lượt này đồng chí đánh giá 1 người; còn 2 người chưa đánh giá quý IV/2026" in text
    assert len(await evaluations(cells)) == 1
    text = await bithu.say("/danhgia")
    assert "(1/2)" in text


async def test_bad_level_or_comment_in_the_round_keeps_the_step(cells, bithu):
    await three(cells)
    await bithu.say("/danhgia")
    before = await snapshot(cells)
    assert "Không nhận ra mức đánh giá “xuất sắc”" in await bithu.say("xuất sắc")
    await bithu.say("khá")
    assert "tối đa 500" in await bithu.say("x" * 501)
    assert "chỉ có biểu tượng" in await bithu.say("👍👍")
    assert await snapshot(cells) == before
    assert "✅ Đã ghi đánh giá" in await bithu.say("được")


async def test_one_line_evaluation_and_re_evaluation_replaces_with_audit(cells, bithu, clock):
    an, _, _ = await three(cells)
    text = await bithu.say(f"/danhgia N{an}; tốt; tích cực")
    assert "mức tốt, nhận xét: “tích cực”" in text
    clock.advance(minutes=5)
    text = await bithu.say(f"/danhgia n{an}; trung binh; sa sút")
    assert "Đã đánh giá lại quý IV/2026" in text and "thay cho mức tốt" in text
    [row] = await evaluations(cells)
    assert (row.level, row.comment) == ("trung_binh", "sa sút")
    [replace] = await audits(cells, "evaluation.replace")
    assert replace.before["level"] == "tot" and replace.before["comment"] == "tích cực"
    assert replace.after["level"] == "trung_binh" and replace.after["comment"] == "sa sút"
    assert replace.entity == "evaluation" and replace.entity_id == str(row.id)


async def test_single_person_guided_shows_the_current_evaluation(cells, bithu):
    an, _, _ = await three(cells)
    await bithu.say(f"/danhgia N{an}; khá")
    text = await bithu.say(f"/danhgia N{an}")
    assert "Đã đánh giá quý IV/2026: khá; đánh giá mới sẽ thay thế" in text
    await bithu.press("pl.lvl.tot")
    await bithu.press("pl.skip")
    [row] = await evaluations(cells)
    assert row.level == "tot"


async def test_previous_quarter_is_shown_and_a_new_quarter_needs_a_new_evaluation(cells, bithu, clock):
    an, binh, cuong = await three(cells)
    for sid in (an, binh, cuong):
        await bithu.say(f"/danhgia N{sid}; khá")
    clock.advance(days=40)  # 05/01/2027: the first quarter of 2027
    text = await bithu.say("/danhgia")
    assert "quý I/2027 (1/3)" in text and "Lần trước (quý IV/2026): khá." in text
    assert "chưa đánh giá quý I/2027 (lần trước quý IV/2026: khá)" in await bithu.say("/dsnguon")


BAD_EVALUATIONS = [
    ("{code}; xuất sắc", "Không nhận ra mức đánh giá"),
    ("{code}; ; nhận xét", "Chưa có mức đánh giá"),
    ("{code}; tốt; " + "y" * 600, "tối đa 500"),
    ("{code}; tốt; 🙂🙂", "chỉ có biểu tượng"),
    ("{probationary}; tốt", "chỉ dành cho quần chúng trong nguồn"),
    ("N99999; tốt", "Không có người mã N99999"),
]


@pytest.mark.parametrize("args, phrase", BAD_EVALUATIONS, ids=[f"bad{i}" for i in range(len(BAD_EVALUATIONS))])
async def test_bad_evaluation_changes_nothing(cells, bithu, args, phrase):
    an, _, _ = await three(cells)
    probationary = await insert_source(cells, "Phạm Văn Dự", date(1990, 1, 1), stage="probationary",
                                       awareness=date(2025, 1, 1), admission=date(2026, 1, 1))
    before = await snapshot(cells)
    text = await bithu.say("/danhgia " + args.format(code=f"N{an}", probationary=f"N{probationary}"))
    assert phrase in text
    assert await snapshot(cells) == before


async def test_nothing_to_evaluate(cells, bithu):
    assert "chưa có quần chúng nào trong nguồn để đánh giá" in await bithu.say("/danhgia")


async def test_person_removed_during_the_round_is_passed_over(cells, bithu, chat_as):
    an, binh, cuong = await three(cells)
    await bithu.say("/danhgia")  # asks about Lê Văn Cường
    await chat_as("phobithu").say(f"/xoanguon N{cuong}; chuyển đi")
    text = await bithu.press("pl.lvl.tot")
    assert "quần chúng Nguyễn Văn An" in text
    assert await evaluations(cells) == []
    await bithu.press("pl.lvl.kha")
    await bithu.press("pl.skip")
    await bithu.press("pl.lvl.kha")
    text = await bithu.press("pl.skip")
    assert "2 người được đánh giá." in text and "bỏ qua" not in text
