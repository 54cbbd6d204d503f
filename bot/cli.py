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


class _HelpFormatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        return super().add_usage(usage, actions, groups, texts.CLI_USAGE_PREFIX if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    """argparse with its headings and -h in Vietnamese (the help strings: texts.CLI_HELP)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _HelpFormatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = texts.CLI_POSITIONALS
        self._optionals.title = texts.CLI_OPTIONS
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help=texts.CLI_HELP_OPTION)

    def add_subparsers(self, **kwargs):
        kwargs.setdefault("title", texts.CLI_COMMANDS)
        kwargs.setdefault("metavar", "LỆNH")
        action = super().add_subparsers(**kwargs)
        original = action.add_parser

        def add_parser(name, **options):
            # the help line shows in the parent's list and as the sub-command's description
            options.setdefault("description", options.get("help"))
            return original(name, **options)

        action.add_parser = add_parser
        return action


def build_parser() -> argparse.ArgumentParser:
    h = texts.CLI_HELP
    parser = _Parser(prog="chibot", description=texts.CLI_DESCRIPTION)
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help=h["run"])
    run.add_argument("--console", action="store_true", help=h["run.console"])
    run.add_argument("--role", choices=("all", "web", "scheduler"), default="all", help=h["run.role"])

    chat = sub.add_parser("chat", help=h["chat"])
    chat.add_argument("--user", required=True, metavar="TÊN", help=h["chat.user"])

    sub.add_parser("demo", help=h["demo"])

    db = sub.add_parser("db", help=h["db"]).add_subparsers(dest="db_command", required=True)
    db.add_parser("upgrade", help=h["db.upgrade"])
    backup = db.add_parser("backup", help=h["db.backup"])
    backup.add_argument("path", metavar="TỆP", help=h["db.backup.path"])

    org = sub.add_parser("org", help=h["org"]).add_subparsers(dest="org_command", required=True)
    org_import = org.add_parser("import", help=h["org.import"])
    org_import.add_argument("file", metavar="TỆP", help=h["org.import.file"])
    tree = org.add_parser("tree", help=h["org.tree"])
    tree.add_argument("code", nargs="?", metavar="MÃ", help=h["org.tree.code"])

    invite = sub.add_parser("invite", help=h["invite"]).add_subparsers(dest="invite_command", required=True)
    create = invite.add_parser("create", help=h["invite.create"])
    create.add_argument("--org", required=True, metavar="MÃ", help=h["invite.org"])
    create.add_argument("--role", required=True, choices=("secretary", "staff", "admin"), help=h["invite.role"])
    create.add_argument("--uses", type=int, default=1, metavar="N", help=h["invite.uses"])
    create.add_argument("--days", type=int, default=7, metavar="D", help=h["invite.days"])

    faq = sub.add_parser("faq", help=h["faq"])
    faq.add_argument("question", nargs="?", metavar="CÂU_HỎI", help=h["faq.question"])
    faq.add_argument("--json", action="store_true", help=h["faq.json"])

    kb = sub.add_parser("kb", help=h["kb"]).add_subparsers(dest="kb_command", required=True)
    check = kb.add_parser("check", help=h["kb.check"])
    check.add_argument("path", nargs="?", metavar="TỆP", help=h["kb.check.path"])

    report = sub.add_parser("report", help=h["report"])
    report.add_argument("--org", metavar="MÃ", help=h["report.org"])
    report.add_argument("--year", metavar="NĂM", help=h["report.year"])
    report.add_argument("--json", action="store_true", help=h["report.json"])
    report.add_argument("--xlsx", metavar="ĐƯỜNG_DẪN", help=h["report.xlsx"])
    report.add_argument("--png", metavar="ĐƯỜNG_DẪN", help=h["report.png"])
    report.add_argument("--depth", metavar="N", help=h["report.depth"])

    target = sub.add_parser("target", help=h["target"]).add_subparsers(
        dest="target_command", required=True)
    target_set = target.add_parser("set", help=h["target.set"])
    target_set.add_argument("--org", required=True, metavar="MÃ", help=h["target.org"])
    target_set.add_argument("--year", required=True, metavar="NĂM", help=h["target.year"])
    target_set.add_argument("value", metavar="N", help=h["target.value"])

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


async def console_greeting(app, login: str) -> str:
    """What `chibot chat --user NAME` says first: who the console user is, or how to register."""
    from sqlalchemy import select
    from sqlalchemy.orm import joinedload

    from storage.models import ChatIdentity

    async with app.services.sessions() as session:
        identity = await session.scalar(
            select(ChatIdentity).options(joinedload(ChatIdentity.user))
            .where(ChatIdentity.channel == "console", ChatIdentity.external_id == login)
        )
        if identity is None or identity.user is None:
            return texts.GREETING_NEW
        user = identity.user
        return texts.GREETING_LINKED.format(name=user.name, role=texts.ROLE_NAMES[user.role], unit=user.org.name)


def cmd_chat(settings: Settings, args) -> int:
    from bot.channels.console import run_console

    async def work(app):
        print(await console_greeting(app, args.user) + ("" if sys.stdin.isatty() else "\n"), flush=True)
        await run_console(app.conversation, args.user)

    return _with_app(settings, work, with_kb=True)


def cmd_run(settings: Settings, args) -> int:
    from bot.runner import check_channels, run

    if not args.console and args.role != "scheduler":
        check_channels(settings)
    # A scheduler process answers no question: it neither loads the knowledge base nor its
    # classifier (1-2 s from the cache, 8-15 s to fit, and the model's memory).
    answers = args.console or args.role != "scheduler"
    return _with_app(settings, lambda app: run(app, console=args.console, role=args.role), with_kb=answers,
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


def _report_depth(text: str | None) -> int | None:
    from domain import texts

    if text is None:
        return None
    if not text.strip().isascii() or not text.strip().isdigit():
        raise CliError(texts.REPORT_BAD_DEPTH)
    return int(text.strip())


def cmd_report(settings: Settings, args) -> int:
    import json

    from bot.reporttable import render_report
    from domain import texts
    from storage import orgs
    from storage.orgsearch import roots
    from storage.reports import build_report

    year = _report_year(args.year) if args.year is not None else None
    depth = _report_depth(args.depth)
    files = args.xlsx or args.png

    async def work(app):
        today = app.services.today()
        report_year = year or today.year

        async def units(session):
            if args.org:
                unit = await orgs.by_code(session, args.org)
                if unit is None:
                    raise CliError(texts.REPORT_UNKNOWN_ORG.format(code=args.org))
                return [unit]
            found = await roots(session)
            if not found:
                raise CliError(texts.REPORT_NO_TREE)
            if files and len(found) > 1:
                raise CliError(texts.REPORT_SEVERAL_ROOTS_FILE.format(
                    n=len(found), codes=", ".join(u.code for u in found)))
            return found

        if files:
            await _export_files(app, settings, units, report_year, today, args)
            if not args.json:
                return

        async def load(session):
            # --json keeps the contract's shape (children one level down) unless --depth is given
            shape = depth if depth is not None else (1 if args.json else None)
            return [await build_report(session, unit, report_year, today, settings, depth=shape)
                    for unit in await units(session)]

        reports = await _in_transaction(app, load)
        if args.json:
            print(json.dumps(reports[0] if len(reports) == 1 else reports, ensure_ascii=False, indent=2))
            return
        for n, report in enumerate(reports):
            if n:
                print()
            print("\n".join(render_report(report, settings, today)))

    return _with_app(settings, work)


async def _export_files(app, settings: Settings, units, year: int, today, args) -> None:
    """Write --xlsx / --png for the one unit, audited as the command line's export."""
    from bot.reportfiles import report_files
    from domain import texts
    from usecases.reports import record_export

    async def export(uow: UnitOfWork):
        (unit,) = await units(uow.session)
        made = await report_files(uow.session, unit, year, today, settings,
                                  xlsx=bool(args.xlsx), png=bool(args.png))
        written = []
        for path, content in ((args.xlsx, made.xlsx), (args.png, made.png)):
            if path:
                try:
                    Path(path).write_bytes(content)
                except OSError as exc:
                    raise CliError(f"{path}: {exc.strerror or exc}") from None
                written.append(path)
        record_export(uow, unit, year, [Path(p).name for p in written])
        return written

    for path in await _use_case(app, export):
        print(texts.REPORT_FILE_WRITTEN.format(path=path))


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
