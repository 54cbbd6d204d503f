"""Use cases run from the command line with no chat at all: the audit row names the CLI as the
actor, and a broken rule is one line on stderr with exit status 1 (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
import os

import pytest
from sqlalchemy import func, select

from bot import cli
from domain import texts
from storage.db import create_engine, session_factory
from storage.models import AdmissionTarget, AuditLog, DialogState, InboxUpdate, Invite


@pytest.fixture
def run_cli(database_url, tmp_path, monkeypatch, capsys):
    for name in [k for k in os.environ if k.startswith("CHIBOT_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("CHIBOT_DATABASE_URL", database_url)
    monkeypatch.chdir(tmp_path)

    def run(*args: str) -> tuple[int, str, str]:
        status = cli.main(list(args))
        out, err = capsys.readouterr()
        return status, out, err

    assert run("demo")[0] == 0  # the demo tree: DEMO-CB1 is a cell, DEMO-X1 a commune
    return run


def _query(url: str, statement):
    async def go():
        engine = create_engine(url)
        try:
            async with session_factory(engine)() as session:
                return (await session.execute(statement)).all()
        finally:
            await engine.dispose()

    return asyncio.run(go())


def test_target_set_from_the_cli_is_audited_as_the_cli(run_cli, database_url):
    status, out, err = run_cli("target", "set", "--org", "DEMO-CB1", "--year", "2026", "3")
    assert status == 0, err
    assert "(DEMO-CB1): 3" in out
    [(audit,)] = _query(database_url, select(AuditLog).where(AuditLog.action == "target.set"))
    assert (audit.actor, audit.user_id, audit.entity_id) == ("cli", None, "DEMO-CB1:2026")
    assert audit.after == {"year": 2026, "target": 3}
    assert _query(database_url, select(AdmissionTarget.target)) == [(3,)]
    # nothing of a chat was involved
    assert _query(database_url, select(func.count()).select_from(InboxUpdate)) == [(0,)]
    assert _query(database_url, select(func.count()).select_from(DialogState)) == [(0,)]


def test_a_broken_rule_is_one_line_on_stderr_and_exit_1(run_cli, database_url):
    status, out, err = run_cli("invite", "create", "--org", "DEMO-X1", "--role", "secretary")
    assert status == 1 and out == ""
    assert err == "chibot: " + texts.CLI_INVITE_CELL_ONLY.format(code="DEMO-X1", kind="grassroots") + "\n"
    assert _query(database_url, select(func.count()).select_from(Invite)) == [(0,)]
    assert _query(database_url, select(func.count()).select_from(AuditLog).where(
        AuditLog.action == "invite.create")) == [(0,)]


def test_invite_created_from_the_cli_is_audited_as_the_cli(run_cli, database_url):
    status, out, err = run_cli("invite", "create", "--org", "DEMO-CB1", "--role", "secretary", "--uses", "2")
    assert status == 0, err
    code = out.splitlines()[0]
    [(audit,)] = _query(database_url, select(AuditLog).where(AuditLog.action == "invite.create"))
    assert (audit.actor, audit.user_id) == ("cli", None)
    assert audit.after == {"role": "secretary", "uses": 2, "days": 7}
    assert code not in str(audit.after), "the plain code is shown once, never stored"
