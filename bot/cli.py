"""The `chibot` command line (also `python -m bot`). Errors: one line on stderr, exit 1."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING

from bot.settings import Settings, SettingsError, load_settings
from domain import texts
from domain.errors import RuleError

if TYPE_CHECKING:
    from usecases.uow import UnitOfWork

log = logging.getLogger("chibot")


class CliError(Exception):
    """A user-facing error: printed on stderr without a traceback."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="chibot", description="Chibot — trợ lý phát triển đảng viên")
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="serve the configured channels (console when no token)")
    run.add_argument("--console", action="store_true", help="force the console channel")
    run.add_argument("--role", choices=("all", "web", "scheduler"), default="all")

    chat = sub.add_parser("chat", help="console channel as a console user")
    chat.add_argument("--user", required=True)

    sub.add_parser("demo", help="seed demo data (idempotent)")

    db = sub.add_parser("db", help="database").add_subparsers(dest="db_command", required=True)
    db.add_parser("upgrade", help="apply migrations")
    backup = db.add_parser("backup", help="consistent copy of the SQLite database")
    backup.add_argument("path")

    org = sub.add_parser("org", help="organisation tree").add_subparsers(dest="org_command", required=True)
    org_import = org.add_parser("import", help="import/update from CSV or XLSX")
    org_import.add_argument("file")
    tree = org.add_parser("tree", help="print the tree with member counts")
    tree.add_argument("code", nargs="?")

    invite = sub.add_parser("invite", help="invites").add_subparsers(dest="invite_command", required=True)
    create = invite.add_parser("create", help="print a new invite code")
    create.add_argument("--org", required=True)
    create.add_argument("--role", required=True, choices=("secretary", "staff", "admin"))
    create.add_argument("--uses", type=int, default=1)
    create.add_argument("--days", type=int, default=7)

    faq = sub.add_parser("faq", help="answer from the knowledge base")
    faq.add_argument("question", nargs="?")
    faq.add_argument("--json", action="store_true")

    kb = sub.add_parser("kb", help="knowledge base").add_subparsers(dest="kb_command", required=True)
    check = kb.add_parser("check", help="validate a knowledge-base file")
    check.add_argument("path", nargs="?")

    report = sub.add_parser("report", help="status of a subtree (root by default)")
    report.add_argument("--org", help="unit code (default: the root)")
    report.add_argument("--year", help="report year (default: this year)")
    report.add_argument("--json", action="store_true", help="one JSON object (the report contract)")

    target = sub.add_parser("target", help="admission targets").add_subparsers(
        dest="target_command", required=True)
    target_set = target.add_parser("set", help="assign a unit's admission target for a year")
    target_set.add_argument("--org", required=True)
    target_set.add_argument("--year", required=True)
    target_set.add_argument("value", metavar="N", help="the target, an integer >= 0")

    broadcast = sub.add_parser("broadcast", help="queue a message to the secretaries of a subtree")
    broadcast.add_argument("--org", required=True, help="unit code: its whole subtree is addressed")
    broadcast.add_argument("--text", required=True)

    schedule = sub.add_parser("schedule", help="scheduled jobs").add_subparsers(
        dest="schedule_command", required=True)
    due = schedule.add_parser("due", help="what the jobs would queue at a moment, without sending")
    due.add_argument("--at", help='local time "dd/mm/yyyy HH:MM" (default: now)')
    due.add_argument("--json", action="store_true", help="one JSON object per message")

    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    redact = str  # until the settings are read there is no secret to hide
    try:
        settings = load_settings()
        serving = args.command == "run" and settings.has_channels and not args.console
        # A server logs its work; the console and one-shot commands keep the terminal clean.
        logging.basicConfig(
            level=logging.INFO if serving else logging.WARNING,
            format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        )
        logging.getLogger("alembic").setLevel(logging.WARNING)
        from bot.logsafety import install as redact_logs

        redact = redact_logs(settings).redact  # tokens, webhook secret and DB password: never shown
        return COMMANDS[args.command](settings, args)
    except (SettingsError, CliError) as exc:
        print(f"chibot: {redact(str(exc))}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # never a traceback on the terminal; the log has details
        log.debug("unexpected error", exc_info=True)
        detail = redact(str(exc))
        print("chibot: " + texts.CLI_UNEXPECTED.format(kind=type(exc).__name__, detail=detail), file=sys.stderr)
        return 1


# --- helpers ----------------------------------------------------------------------------------
def _with_app(settings: Settings, work: Callable, *, with_kb: bool = False, serving: bool = False) -> int:
    """Migrate, build the app, run `work(app)` and close; returns work's exit code."""
    from bot.app import build_app
    from storage.db import upgrade

    upgrade(settings.database_url)

    async def runner() -> int:
        app = build_app(settings, with_kb=with_kb)
        try:
            result = await work(app)
            return 0 if result is None else int(result)
        except RuleError as err:  # a broken rule: its text, one line, exit 1 (see main)
            raise CliError(err.text) from None
        finally:
            await app.close()

    if serving:  # a server: uvloop's event loop costs less per network call than asyncio's
        import uvloop

        return uvloop.run(runner())
    return asyncio.run(runner())


async def _in_transaction(app, work: Callable[..., Awaitable]):
    async with app.services.sessions() as session:
        async with session.begin():
            return await work(session)


async def _use_case(app, work: Callable[[UnitOfWork], Awaitable]):
    """Run a use case as the command line (`Actor.cli()`) in its own unit of work."""
    from usecases.uow import Actor, unit_of_work

    services = app.services
    async with unit_of_work(services.sessions, Actor.cli(), clock=services.now, tz=services.settings.tz) as uow:
        return await work(uow)


# --- commands ---------------------------------------------------------------------------------
def cmd_db(settings: Settings, args) -> int:
    from storage.db import upgrade

    if args.db_command == "upgrade":
        upgrade(settings.database_url)
        print(texts.CLI_DB_UPGRADED)
        return 0
    from bot.backup import backup

    backup(settings.database_url, Path(args.path))
    print(texts.CLI_BACKUP_DONE.format(path=args.path))
    return 0


def cmd_demo(settings: Settings, args) -> int:
    from storage.demo import seed_demo

    async def work(app):
        lines = await _in_transaction(app, lambda s: seed_demo(s, app.services.now()))
        print("\n".join(lines))

    return _with_app(settings, work)


def cmd_chat(settings: Settings, args) -> int:
    from bot.channels.console import run_console

    async def work(app):
        await run_console(app.conversation, args.user)

    return _with_app(settings, work, with_kb=True)


def cmd_run(settings: Settings, args) -> int:
    from bot.runner import run

    return _with_app(settings, lambda app: run(app, console=args.console, role=args.role), with_kb=True,
                     serving=settings.has_channels and not args.console)


def cmd_org(settings: Settings, args) -> int:
    from domain import texts
    from storage.org_import import ImportRefused, read_table
    from usecases.orgs import import_orgs

    if args.org_command == "import":
        try:
            raw = read_table(Path(args.file))
        except ImportRefused as exc:
            raise CliError("\n".join(exc.problems)) from None

        async def work(app):
            try:
                result = await _use_case(app, lambda uow: import_orgs(uow, raw))
            except ImportRefused as exc:
                print(texts.IMPORT_REFUSED.format(n=len(exc.problems)), file=sys.stderr)
                for problem in exc.problems:
                    print("  " + problem, file=sys.stderr)
                return 1
            print(texts.IMPORT_DONE.format(total=result.total, created=result.created,
                                           updated=result.updated, unchanged=result.unchanged))

        return _with_app(settings, work)

    from bot.orgtree import render_tree

    async def tree(app):
        async with app.services.sessions() as session:
            lines = await render_tree(session, args.code)
        if lines is None:
            raise CliError(texts.CLI_UNKNOWN_ORG.format(code=args.code))
        print("\n".join(lines))

    return _with_app(settings, tree)


def cmd_invite(settings: Settings, args) -> int:
    from storage import orgs
    from usecases.onboarding import create_invite

    if not 1 <= args.uses <= 1000:
        raise CliError(texts.CLI_INVITE_USES)
    if not 1 <= args.days <= 365:
        raise CliError(texts.CLI_INVITE_DAYS)

    async def work(app):
        async def create(uow: UnitOfWork):
            org = await orgs.by_code(uow.session, args.org)
            if org is None:
                raise CliError(texts.CLI_UNKNOWN_ORG.format(code=args.org))
            new = await create_invite(uow, org.id, args.role, uses=args.uses, days=args.days)
            return new.code, new.org

        code, org = await _use_case(app, create)
        print(code)
        print(texts.CLI_INVITE_CREATED.format(role=texts.ROLE_NAMES[args.role], unit=org.name,
                                              code=org.code, uses=args.uses, days=args.days, invite=code))
        username = await _bot_username(settings)
        if username:
            print(f"https://t.me/{username}?start={code}")

    return _with_app(settings, work)


async def _bot_username(settings: Settings) -> str | None:
    """The Telegram bot's username, when a token is configured and the API answers."""
    if not settings.telegram_token:
        return None
    try:
        from bot.channels.telegram import fetch_username
    except ImportError:
        return None
    try:
        return await asyncio.wait_for(fetch_username(settings), timeout=10)
    except Exception:  # the code is still valid without the link
        log.warning("could not ask Telegram for the bot's username", exc_info=True)
        return None


def cmd_faq(settings: Settings, args) -> int:
    from knowledge.cli import faq_command

    return faq_command(args.question, args.json, settings.kb_path or None, settings.kb_contact,
                       sys.stdin, sys.stdout, sys.stderr)


def cmd_kb(settings: Settings, args) -> int:
    from knowledge.cli import kb_check_command

    return kb_check_command(args.path or settings.kb_path or None, sys.stdout, sys.stderr)


def _report_year(text: str) -> int:
    import re

    from domain import texts

    if not re.fullmatch(r"[0-9]{4}", text.strip()) or not 2000 <= int(text) <= 2100:
        raise CliError(texts.REPORT_BAD_YEAR.format(year=text))
    return int(text)


def cmd_report(settings: Settings, args) -> int:
    import json

    from bot.reporttable import render_report
    from domain import texts
    from storage import orgs
    from storage.reports import build_report

    year = _report_year(args.year) if args.year is not None else None

    async def work(app):
        today = app.services.today()

        async def load(session):
            unit = await (orgs.by_code(session, args.org) if args.org else orgs.root(session))
            if unit is None:
                raise CliError(texts.REPORT_UNKNOWN_ORG.format(code=args.org) if args.org
                               else texts.REPORT_NO_TREE)
            return await build_report(session, unit, year or today.year, today, settings)

        report = await _in_transaction(app, load)
        if args.json:
            print(json.dumps(report, ensure_ascii=False, indent=2))
        else:
            print("\n".join(render_report(report, settings, today)))

    return _with_app(settings, work)


def cmd_target(settings: Settings, args) -> int:
    import re

    from domain import texts
    from domain.rates import default_target
    from storage.targets import MAX_TARGET, subtree_members
    from usecases.targets import set_target

    year = _report_year(args.year)
    value = args.value.strip()
    if not re.fullmatch(r"[0-9]+", value) or int(value) > MAX_TARGET:
        raise CliError(texts.TARGET_BAD_NUMBER.format(value=args.value))

    async def work(app):
        async def save(uow: UnitOfWork):
            change = await set_target(uow, args.org, year, int(value))
            fallback = default_target(await subtree_members(uow.session, change.unit), settings.target_rate)
            return change, fallback

        change, fallback = await _use_case(app, save)
        unit = change.unit
        names = {"year": year, "name": unit.name, "code": unit.code, "target": change.after}
        if not change.changed:
            print(texts.TARGET_UNCHANGED.format(**names))
            return
        before = (texts.TARGET_NOT_SET_BEFORE.format(default=fallback) if change.before is None
                  else change.before)
        print(texts.TARGET_SET.format(before=before, **names))

    return _with_app(settings, work)


def cmd_broadcast(settings: Settings, args) -> int:
    from storage import orgs
    from usecases.broadcasts import SUBTREE, create_broadcast

    async def work(app):
        async def queue(uow: UnitOfWork):
            org = await orgs.by_code(uow.session, args.org)
            if org is None:
                raise CliError(texts.CLI_UNKNOWN_ORG.format(code=args.org))
            return await create_broadcast(uow, settings, org=org, mode=SUBTREE, text=args.text)

        queued = await _use_case(app, queue)
        b = queued.broadcast
        print(texts.BROADCAST_CLI_QUEUED.format(id=b.id, queued=queued.queued, recipients=b.recipients,
                                                code=b.org.code, not_linked=b.not_linked, blocked=b.blocked))

    return _with_app(settings, work)


def _local_moment(text: str, settings: Settings):
    import re
    from datetime import UTC, datetime

    match = re.fullmatch(r"\s*(\d{1,2})/(\d{1,2})/(\d{4})\s+(\d{1,2}):(\d{2})\s*", text)
    try:
        if not match:
            raise ValueError(text)
        day, month, year, hour, minute = (int(g) for g in match.groups())
        moment = datetime(year, month, day, hour, minute, tzinfo=settings.tz)
    except ValueError:
        raise CliError(texts.CLI_SCHEDULE_BAD_AT.format(value=text)) from None
    return moment.astimezone(UTC).replace(tzinfo=None)


def cmd_schedule(settings: Settings, args) -> int:
    import json

    from scheduler.jobs import due_notices
    from storage.clock import to_local

    async def work(app):
        at = _local_moment(args.at, settings) if args.at else app.services.now()
        async with app.services.sessions() as session:
            notices = await due_notices(session, settings, at)
            await session.rollback()
        if args.json:
            for notice in notices:
                print(json.dumps(notice.as_json(settings), ensure_ascii=False))
            return
        when = to_local(at, settings.tz).strftime("%d/%m/%Y %H:%M")
        print(texts.CLI_SCHEDULE_HEADER.format(n=len(notices), at=when))
        for notice in notices:
            send = to_local(notice.send_after, settings.tz).strftime("%d/%m/%Y %H:%M")
            first = notice.text.splitlines()[0][:90]
            print(f"{send}  {notice.kind:<19} user {notice.user_id:<5} {notice.org_code or '-':<12} "
                  f"{notice.channel:<8} {notice.dedup_key}  {first}")

    return _with_app(settings, work)


COMMANDS: dict[str, Callable[[Settings, argparse.Namespace], int]] = {
    "run": cmd_run,
    "chat": cmd_chat,
    "demo": cmd_demo,
    "db": cmd_db,
    "org": cmd_org,
    "invite": cmd_invite,
    "faq": cmd_faq,
    "kb": cmd_kb,
    "report": cmd_report,
    "target": cmd_target,
    "broadcast": cmd_broadcast,
    "schedule": cmd_schedule,
}


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
