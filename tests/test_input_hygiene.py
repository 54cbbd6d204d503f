"""NUL, other control characters and bidi overrides in every free-text field of every command, on
SQLite and PostgreSQL: a proper Vietnamese answer (never the internal-error apology), nothing
stored raw (people, evaluations, audit, dialogs, the inbox) and nothing echoed raw."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

import domain.texts as texts
from storage.models import AuditLog, DialogState, InboxUpdate, QuarterlyEvaluation, Source
from tests.conftest import Chat
from tests.factories import add_source

# NUL (refused by PostgreSQL), a terminal escape that clears the screen, a bidi override that
# shows a name reversed, a C1 control, a lone surrogate.
UNSAFE = ["\x00", "\x1b[2J", "\u202e", "\x85", "\ud800"]
RAW = ("\x00", "\x1b", "\u202e", "\x85", "\ud800")


def lines(bad: str, person: str, probationary: str) -> list[str]:
    """One line per free-text field of every command that has one."""
    return [
        f"/nguon Trần{bad} Thị Hoa; 05/03/1998; đoàn viên; ghi chú{bad} riêng",
        f"/nguon Lê Văn Bình; 05/03/1999; sinh viên{bad}",
        f"/suanguon {person}; ghi chú; đã chuyển{bad} công tác",
        f"/suanguon {person}; tên; Phạm{bad} Thị Lan",
        f"/danhgia {person}; tốt; tích cực{bad} tham gia",
        f"/lopnhanthuc {person}; 02/11/2026; 125{bad}/GCN",
        f"/ketnap {person}; 20/11/2026; 12{bad}-QĐ/HU",
        f"/xoanguon {probationary}; chuyển{bad} đi nơi khác",
        f"/dsnguon tatca{bad}",
        f"/tinhhinh DEMO-CB1{bad}",
        f"thời gian dự bị{bad} bao lâu",
        f"/hoantac{bad}",
    ]


@pytest.mark.parametrize("bad", UNSAFE, ids=["nul", "escape", "bidi", "c1", "surrogate"])
async def test_unsafe_characters_never_reach_storage_or_replies(demo, bad):
    async with demo.services.sessions() as session, session.begin():
        person = (await add_source(session, "DEMO-CB1", "Ngô Văn Tâm", stage="awareness")).code
        probationary = (await add_source(session, "DEMO-CB1", "Đỗ Thị Mai", stage="probationary")).code
    chat = Chat(demo, "bithu")
    for number, line in enumerate(lines(bad, person, probationary)):
        replies = await chat.send(line, update_id=f"{line[:8]}-{number}")
        assert replies, line
        for reply in replies:
            assert reply.text != texts.INTERNAL_ERROR, line
            assert not any(raw in reply.text for raw in RAW), (line, reply.text)
    # Guided: the unsafe character typed at a step, and pressed as a forged button value.
    await chat.send("/nguon")
    replies = await chat.send(f"Vũ{bad} Thị Yến")
    assert all(r.text != texts.INTERNAL_ERROR for r in replies)
    replies = await chat.send(choice=f"pl.cat.doan{bad}_vien")
    assert all(r.text != texts.INTERNAL_ERROR for r in replies)

    async with demo.services.sessions() as session:
        stored = []
        for source in await session.scalars(select(Source)):
            stored += [source.full_name, source.note, source.certificate_no or "", source.decision_no or "",
                       source.removed_reason or ""]
        stored += [e.comment for e in await session.scalars(select(QuarterlyEvaluation))]
        stored += [json.dumps(a.before, ensure_ascii=False) + json.dumps(a.after, ensure_ascii=False)
                   for a in await session.scalars(select(AuditLog))]
        stored += [json.dumps(d.data, ensure_ascii=False) for d in await session.scalars(select(DialogState))]
        stored += [json.dumps(i.payload, ensure_ascii=False) for i in await session.scalars(select(InboxUpdate))]
    assert not [value for value in stored if any(raw in value for raw in RAW)]
    # the lines were really taken (cleaned), not refused wholesale
    assert any("công tác" in value for value in stored) and any("tham gia" in value for value in stored)


async def test_org_import_refuses_or_cleans_control_characters(demo, tmp_path):
    """The CLI path: a unit code or name with a NUL from a spreadsheet is never stored raw."""
    from usecases.orgs import import_orgs
    from usecases.uow import Actor, UnitOfWork
    from storage.models import OrgUnit

    rows = [{"code": "CB\x0099", "parent_code": "DEMO-X1", "name": "Chi bộ\u202e mới", "kind": "cell",
             "members": "5"}]
    try:
        async with demo.services.sessions() as session, session.begin():
            await import_orgs(UnitOfWork(session, Actor.cli(), demo.services.now), rows)
    except Exception as exc:  # refused: with a message, as an import problem
        assert "\x00" not in str(exc)
    async with demo.services.sessions() as session:
        units = list(await session.scalars(select(OrgUnit)))
    assert not [u for u in units if any(raw in u.code + u.name for raw in RAW)]
