"""The conversation core: one entry point, `Conversation.handle(Incoming) -> list[Reply]`.

Channels (Telegram, Zalo, console) adapt platform updates to `Incoming` and render `Reply`.
Handlers register commands, dialog flows and choice handlers on a `Router`; the core loads
the user and dialog state from the database, runs the handler in one transaction, and stores
the dialog state back, so a restart or a second worker continues where the user left off.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, bindparam, delete, insert, select, update
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from domain import texts
from domain.roles import in_scope
from domain.errors import RuleError
from domain.text import closest_command, fold, nfc_lines, sanitize
from handlers.types import Choice, Incoming, Reply, UserError
from storage.clock import to_local, utcnow
from storage.db import insert_ignoring_duplicates
from storage import prepared
from usecases.identities import clear_blocked
from usecases.uow import Actor, UnitOfWork
from storage.models import ChatIdentity, DialogState, InboxUpdate, OrgUnit, User

if TYPE_CHECKING:
    from bot.settings import Settings

log = logging.getLogger(__name__)

MAX_INPUT_CHARS = 2000
_COMMAND = re.compile(r"^/([A-Za-z0-9_]+)(?:@\S+)?\s*(.*)$", re.S)
MENU_KEY = "_menu"  # dialog data key holding the values of the choices last offered
MENU_LABELS_KEY = "_menu_labels"  # ... and their labels, folded (typing one picks it)

Result = Reply | list[Reply] | None
Claim = Callable[[AsyncSession], Awaitable[bool]]
Record = Callable[[AsyncSession, list[Reply]], Awaitable[None]]
CommandHandler = Callable[["Context", str], Awaitable[Result]]
FlowHandler = Callable[["Context", str, str | None], Awaitable[Result]]
ChoiceHandler = Callable[["Context", str], Awaitable[Result]]


@dataclass
class Services:
    """What handlers may use; built by the composition root (bot.app)."""

    settings: Settings
    sessions: async_sessionmaker
    kb: Any = None  # knowledge.KnowledgeBase
    clock: Callable[[], datetime] | None = None  # naive UTC; tests inject a fixed clock
    bot_username: str | None = None  # Telegram username, for deep links and private-chat buttons
    router: Router | None = None  # the commands, set by Conversation (for /trogiup and menus)
    # read-only sessions for the staff reports (SQLite: a second connection, storage.db
    # create_report_engine); None: reports read in the update's own session
    report_sessions: async_sessionmaker | None = None
    # builds the report files off the event loop (bot.reportfiles.FileBuilder); None: a thread
    report_builder: Any = None

    def now(self) -> datetime:
        return self.clock() if self.clock is not None else utcnow()

    def today(self) -> date:
        return to_local(self.now(), self.settings.tz).date()


@dataclass(frozen=True)
class Command:
    """One chat command, declared once. Dispatch, the role and group checks (for the typed
    command and for every input or button press of its dialogs), /trogiup, Telegram's menus and
    the plain-text command list of channels without menus all come from these records.

    `menu` and `help` come from the catalogue (texts.COMMAND_MENU / texts.COMMAND_HELP, by name):
    a command without them is still dispatched but listed nowhere."""

    name: str
    handler: CommandHandler
    roles: frozenset[str] | None  # None: anyone, linked or not
    group_ok: bool = False
    order: int = 100  # position in /trogiup and the menus
    aliases: tuple[str, ...] = ()
    guests_only: bool = False  # listed only for chat accounts not registered yet (/start)

    @property
    def menu(self) -> str | None:
        return texts.COMMAND_MENU.get(self.name)

    @property
    def help(self) -> str | None:
        return texts.COMMAND_HELP.get(self.name)

    def allows(self, role: str | None) -> bool:
        return self.roles is None or (role is not None and role in self.roles)


class Router:
    """Commands, dialog flows and global choice handlers of one capability module.

    Every flow and every choice prefix belongs to a command (`command=`, by default the flow's
    own name), whose role and group rules apply to it too."""

    def __init__(self) -> None:
        self.commands: dict[str, Command] = {}  # by name and by alias
        self.flows: dict[str, FlowHandler] = {}
        self.choices: dict[str, ChoiceHandler] = {}
        self.owners: dict[str, str] = {}  # flow name or "choice:prefix" -> command name

    def command(self, name: str, *aliases: str, roles: tuple[str, ...] | None = None,
                group_ok: bool = False, order: int = 100, guests_only: bool = False):
        def register(handler: CommandHandler) -> CommandHandler:
            record = Command(name, handler, frozenset(roles) if roles is not None else None, group_ok,
                             order, aliases, guests_only)
            for key in (name, *aliases):
                self.commands[key] = record
            return handler

        return register

    def flow(self, name: str, command: str | None = None):
        def register(handler: FlowHandler) -> FlowHandler:
            self.flows[name] = handler
            self.owners[name] = command or name
            return handler

        return register

    def choice(self, prefix: str, command: str):
        """Handle choices whose value is `prefix:...`, pressed outside any dialog."""

        def register(handler: ChoiceHandler) -> ChoiceHandler:
            self.choices[prefix] = handler
            self.owners["choice:" + prefix] = command
            return handler

        return register

    def include(self, other: Router) -> None:
        self.commands.update(other.commands)
        self.flows.update(other.flows)
        self.choices.update(other.choices)
        self.owners.update(other.owners)

    def check(self) -> None:
        """Every flow and choice belongs to a declared command (called once at start)."""
        for key, owner in self.owners.items():
            if owner not in self.commands:
                raise RuntimeError(f"{key} belongs to an unknown command /{owner}")

    def owner(self, key: str) -> Command | None:
        name = self.owners.get(key)
        return self.commands.get(name) if name else None

    def listed(self, role: str | None, *, group: bool = False) -> list[Command]:
        """The commands a user of `role` (None: not registered) can type here, in order, once
        each: what /trogiup, the menus and the plain-text command list show."""
        seen: dict[str, Command] = {}
        for record in self.commands.values():
            if record.name.startswith("_") or record.name in seen or not record.allows(role):
                continue
            if record.guests_only and role is not None:
                continue
            if group and not (record.group_ok and record.roles is None):
                continue
            seen[record.name] = record
        return sorted(seen.values(), key=lambda r: (r.order, r.name))

    def command_list(self, role: str | None, *, group: bool = False) -> str:
        """One line per command with its help text, for /trogiup and channels without menus."""
        return "\n".join(r.help for r in self.listed(role, group=group) if r.help)


@dataclass
class Dialog:
    """A chat's open dialog: the flow, its step and the fields collected so far. Loaded and
    saved with plain statements on `dialog_states` (no ORM object: it changes on every step)."""

    flow: str
    step: str
    data: dict[str, Any]
    expires_at: datetime | None = None
    id: int | None = None  # the stored row, None until saved


@dataclass
class Context:
    services: Services
    session: AsyncSession
    incoming: Incoming
    identity: ChatIdentity | None
    dialog: Dialog | None
    expired: bool = False  # the user's previous dialog timed out
    _stored: Dialog | None = field(default=None, repr=False)  # the row as loaded
    _uow: UnitOfWork | None = field(default=None, repr=False)

    # --- who ------------------------------------------------------------------------------
    @property
    def user(self) -> User | None:
        return self.identity.user if self.identity else None

    def require_user(self) -> User:
        if self.user is None:
            raise UserError(texts.NOT_REGISTERED)
        return self.user

    def require_scope(self, org: OrgUnit) -> None:
        """Refuse unless the current user may act on `org` (roles are decided in domain.roles)."""
        user = self.require_user()
        if not in_scope(user.role, user.org.path, org.path):
            raise UserError(texts.OUT_OF_SCOPE.format(unit=org.name))

    @property
    def settings(self) -> Settings:
        return self.services.settings

    def now(self) -> datetime:
        return self.services.now()

    def today(self) -> date:
        return self.services.today()

    # --- dialog ---------------------------------------------------------------------------
    def begin(self, flow: str, step: str, **data: Any) -> None:
        stored = self._stored.id if self._stored is not None else None
        self.dialog = Dialog(flow, step, dict(data), id=stored)

    def goto(self, step: str, **updates: Any) -> None:
        if self.dialog is None:
            raise RuntimeError("goto() outside a dialog")
        self.dialog.step = step
        self.dialog.data = {**(self.dialog.data or {}), **updates}

    @property
    def data(self) -> dict[str, Any]:
        return dict(self.dialog.data or {}) if self.dialog else {}

    def finish(self) -> None:
        self.dialog = None

    # --- the unit of work: use cases change data through it ------------------------------
    @property
    def uow(self) -> UnitOfWork:
        if self._uow is None:
            user = self.user
            actor = Actor.user(user.id) if user else Actor.chat(self.incoming.channel, self.incoming.user_id)
            self._uow = UnitOfWork(self.session, actor, self.services.now, self.settings.tz)
        return self._uow


def _as_list(result: Result) -> list[Reply]:
    if result is None:
        return []
    return result if isinstance(result, list) else [result]


def parse_command(text: str) -> tuple[str, str] | None:
    """'/NGUON@chibot  a; b' -> ('nguon', 'a; b'); None when the text is not a command."""
    match = _COMMAND.match(text)
    if not match:
        return None
    return fold(match[1]), match[2].strip()


# Built once: the query of every update (building a statement costs more than running it): the
# chat account with its user and unit, and the chat's dialog if one is open, in one round trip.
_DS = DialogState.__table__
_DIALOG_COLUMNS = (_DS.c.id, _DS.c.flow, _DS.c.step, _DS.c.data, _DS.c.expires_at)
_ID, _USER, _ORG = ChatIdentity.__table__, User.__table__, OrgUnit.__table__
_IDENTITY_AND_DIALOG = (  # plain columns: building the objects by hand costs a quarter of the ORM's load
    select(*_ID.c, *_USER.c, *_ORG.c, *_DIALOG_COLUMNS)
    .join(_USER, _USER.c.id == _ID.c.user_id)
    .join(_ORG, _ORG.c.id == _USER.c.org_id)
    .outerjoin(_DS, and_(_DS.c.channel == _ID.c.channel, _DS.c.user_external_id == _ID.c.external_id,
                         _DS.c.chat_id == bindparam("chat")))
    .where(_ID.c.channel == bindparam("channel"), _ID.c.external_id == bindparam("user"))
)
_SLICES = tuple(  # (model, attribute names, start and end of its columns in the row)
    (model, tuple(c.key for c in table.c), start, start + len(table.c))
    for model, table, start in ((ChatIdentity, _ID, 0), (User, _USER, len(_ID.c)),
                                (OrgUnit, _ORG, len(_ID.c) + len(_USER.c)))
)
_DIALOG = select(*_DIALOG_COLUMNS).where(
    _DS.c.channel == bindparam("channel"),
    _DS.c.chat_id == bindparam("chat"),
    _DS.c.user_external_id == bindparam("user"),
)
_SAVE_DIALOG = update(_DS).where(_DS.c.id == bindparam("row")).values(
    flow=bindparam("flow"), step=bindparam("step"), data=bindparam("data"),
    expires_at=bindparam("expires"), updated_at=bindparam("now"))
_NEW_DIALOG = insert(_DS).values(
    channel=bindparam("channel"), chat_id=bindparam("chat"), user_external_id=bindparam("user"),
    flow=bindparam("flow"), step=bindparam("step"), data=bindparam("data"),
    expires_at=bindparam("expires"), updated_at=bindparam("now"))
_END_DIALOG = delete(_DS).where(_DS.c.id == bindparam("row"))


def _loaded(session: AsyncSession, row) -> ChatIdentity:
    """The chat identity with its user and the user's unit, as persistent objects of `session`
    made from one row of _IDENTITY_AND_DIALOG, as if the ORM had loaded them (SQLAlchemy's
    documented way for objects from elsewhere: set_committed_value, make_transient_to_detached)."""
    objects = []
    for model, keys, start, end in _SLICES:
        obj = model()
        obj.__dict__.update(zip(keys, row[start:end]))  # what the ORM's loader does: no history
        objects.append(obj)
    identity, user, org = objects
    set_committed_value(identity, "user", user)
    set_committed_value(user, "org", org)
    for obj in objects:  # all detached before any is added (adding cascades to the others)
        make_transient_to_detached(obj)
    session.add(identity)
    return identity


def _dialog(row) -> Dialog | None:
    """The Dialog of a result row ending with the _DIALOG_COLUMNS, None when there is none."""
    id_, flow, step, data, expires_at = row[-5:]
    return None if id_ is None else Dialog(flow, step, data or {}, expires_at, id_)


class Conversation:
    def __init__(self, services: Services, router: Router):
        self.services = services
        self.router = router
        services.router = router

    async def handle(self, incoming: Incoming) -> list[Reply]:
        """Answer one user action in its own transaction (the console, the CLI and tests).

        With an update id the update is recorded in the inbox as handled in the same
        transaction, so a redelivered one is answered once. Never raises."""
        incoming = clean(incoming)

        async def claim(session: AsyncSession) -> bool:
            return incoming.update_id is None or await self._first_delivery(session, incoming)

        async def record(session: AsyncSession, replies: list[Reply]) -> None:
            return None

        try:
            async with self.services.sessions() as session:
                return await self.process(session, incoming, claim, record)
        except Exception:  # the last line of defence: no traceback reaches the user
            log.exception("unhandled error on %s", incoming.channel)
            return [Reply(texts.INTERNAL_ERROR)]

    async def process(self, session: AsyncSession, incoming: Incoming, claim: Claim, record: Record) -> list[Reply]:
        """Answer `incoming` in one transaction of `session`: `claim(session)` first (False: it
        was handled already, nothing to do), then the handler, then `record(session, replies)`
        (the channel runtime writes the replies to the outbox and marks the inbox row handled),
        then commit: the change, its audit row and its replies are stored together.

        A RuleError rolls back what the handler did and answers its text; any other error rolls
        back and answers a generic apology (logged without personal data). In both cases the
        claim and the record are made again in a fresh transaction, so a bad update is answered
        once instead of failing forever. Errors of the database itself propagate."""
        incoming = clean(incoming)
        if not await claim(session):
            await session.rollback()
            return []
        try:
            ctx = await self._context(session, incoming)
            replies = await self._dispatch(ctx)
            self._remember_menu(ctx, replies)
            await self._save_dialog(ctx)
            await session.flush()  # the handler's own writes fail here, as the handler's error
        except RuleError as err:
            replies = [Reply(err.text, err.choices)]
        except Exception as exc:
            if _is_database_error(exc):
                raise
            log.exception("unhandled error on %s", incoming.channel)
            replies = [Reply(texts.INTERNAL_ERROR)]
        else:
            await record(session, replies)
            await session.commit()
            return replies
        # Nothing the handler did is kept; the dialog stays where it was.
        await session.rollback()
        if not await claim(session):
            await session.rollback()
            return []
        await record(session, replies)
        await session.commit()
        return replies

    # --- steps of process() ----------------------------------------------------------------
    async def _first_delivery(self, session: AsyncSession, incoming: Incoming) -> bool:
        """Record the update id as handled; False when it was handled before."""
        now = self.services.now()
        inserted = await session.execute(
            insert_ignoring_duplicates(session, InboxUpdate).values(
                channel=incoming.channel, update_id=str(incoming.update_id), chat_id=incoming.chat_id,
                payload={}, received_at=now, handled_at=now,
            )
        )
        return inserted.rowcount == 1

    async def _context(self, session: AsyncSession, incoming: Incoming) -> Context:
        who = {"channel": incoming.channel, "user": incoming.user_id, "chat": incoming.chat_id}
        found = await prepared.first(session, _IDENTITY_AND_DIALOG, who)
        identity, dialog = (_loaded(session, found), _dialog(found)) if found is not None else (None, None)
        if identity is not None and identity.blocked:  # they wrote again: they unblocked the bot
            system = UnitOfWork(session, Actor.system(incoming.channel), self.services.now)
            await clear_blocked(system, incoming.channel, identity.chat_id)
        if identity is None:  # not registered: the dialog alone (e.g. typing an invite code)
            row = await prepared.first(session, _DIALOG, who)
            dialog = _dialog(row) if row is not None else None
        ctx = Context(self.services, session, incoming, identity, dialog, _stored=dialog)
        if dialog is not None and dialog.expires_at < self.services.now():
            ctx.finish()
            ctx.expired = True
        return ctx

    async def _dispatch(self, ctx: Context) -> list[Reply]:
        incoming = ctx.incoming
        text = incoming.text
        if len(text) > MAX_INPUT_CHARS:
            raise UserError(texts.TOO_LONG.format(n=len(text), limit=MAX_INPUT_CHARS))

        command = parse_command(text) if incoming.choice is None else None
        if command is not None:
            return await self._command(ctx, *command)

        choice = incoming.choice
        if choice is None and ctx.dialog is not None:
            choice = _typed_choice(ctx.dialog.data or {}, text)

        if choice is not None:
            prefix = choice.split(":", 1)[0]
            if prefix in self.router.choices:
                refused = self._refuse(ctx, self.router.owner("choice:" + prefix))
                if refused is not None:
                    return refused
                return _as_list(await self.router.choices[prefix](ctx, choice))

        prefix_replies: list[Reply] = []
        if ctx.expired:
            prefix_replies.append(Reply(texts.DIALOG_EXPIRED))
        elif ctx.dialog is not None and ctx.dialog.flow in self.router.flows:
            if incoming.is_group:
                ctx.finish()
            else:
                refused = self._refuse(ctx, self.router.owner(ctx.dialog.flow))
                if refused is not None:
                    ctx.finish()
                    return refused
                flow = self.router.flows[ctx.dialog.flow]
                return _as_list(await flow(ctx, text, choice))

        if choice is not None:  # a button from an old message
            return prefix_replies + [Reply(texts.STALE_CHOICE)]
        if not text:
            return prefix_replies + [Reply(texts.EMPTY_INPUT)]
        return prefix_replies + _as_list(await self._free_text(ctx, text))

    async def _command(self, ctx: Context, name: str, args: str) -> list[Reply]:
        command = None if name.startswith("_") else self.router.commands.get(name)
        if command is None:  # "_" names are internal entry points, not typed commands
            meant = closest_command(f"/{name} {args}", self.router.commands)  # "/strat", "/dang gia"
            if meant is not None:
                return [Reply(texts.UNKNOWN_COMMAND_MEANT.format(typed=meant[1], meant=meant[0]))]
            return [Reply(texts.UNKNOWN_COMMAND.format(command=name))]
        refused = self._refuse(ctx, command)
        if refused is not None:
            return refused
        if ctx.dialog is not None and name != "huy":
            ctx.finish()  # a new command replaces an unfinished dialog
        return _as_list(await command.handler(ctx, args))

    def _refuse(self, ctx: Context, command: Command | None) -> list[Reply] | None:
        """The same rules for a typed command and for its dialogs' inputs and buttons: None when
        the user may go on, else the answer (private-only in groups; registered users of the
        command's roles only)."""
        if command is None:
            return None
        if ctx.incoming.is_group and not command.group_ok:
            return [Reply(texts.PRIVATE_ONLY, (self._private_chat_button(),))]
        if command.roles is not None:
            user = ctx.require_user()
            if user.role not in command.roles:
                raise UserError(texts.WRONG_ROLE.format(command=command.name))
        return None

    async def _free_text(self, ctx: Context, text: str) -> Result:
        handler = self.router.commands.get("__text__")
        if handler is None:
            return Reply(texts.UNKNOWN_INPUT)
        return await handler.handler(ctx, text)

    def _private_chat_button(self) -> Choice:
        username = self.services.bot_username
        url = f"https://t.me/{username}" if username else None
        return Choice(texts.OPEN_PRIVATE_CHAT, "", url=url)

    def _remember_menu(self, ctx: Context, replies: list[Reply]) -> None:
        """Remember the values of the last choices offered, so typing "2" picks the second."""
        if ctx.incoming.is_group or not replies:
            return
        offered = [c for c in replies[-1].choices if c.value and not c.url]
        if offered:
            if ctx.dialog is None:
                ctx.begin("menu", "menu")
            ctx.goto(ctx.dialog.step, **{MENU_KEY: [c.value for c in offered],
                                         MENU_LABELS_KEY: [choice_key(c.label) for c in offered]})
        elif ctx.dialog is not None and ctx.dialog.flow == "menu":
            ctx.finish()
        elif ctx.dialog is not None and MENU_KEY in (ctx.dialog.data or {}):
            data = dict(ctx.dialog.data)
            del data[MENU_KEY]
            data.pop(MENU_LABELS_KEY, None)
            ctx.dialog.data = data

    async def _save_dialog(self, ctx: Context) -> None:
        """Write the dialog back: deleted when finished, else saved with a new expiry."""
        stored, dialog = ctx._stored, ctx.dialog
        if dialog is None and stored is None:
            return
        if dialog is None:
            await prepared.execute(ctx.session, _END_DIALOG, {"row": stored.id})
            return
        now = self.services.now()
        dialog.expires_at = now + timedelta(minutes=self.services.settings.dialog_ttl_minutes)
        values = {"flow": dialog.flow, "step": dialog.step, "data": dialog.data, "expires": dialog.expires_at,
                  "now": now}
        if stored is not None:
            await prepared.execute(ctx.session, _SAVE_DIALOG, {"row": stored.id, **values})
        else:
            incoming = ctx.incoming
            await prepared.execute(ctx.session, _NEW_DIALOG, {"channel": incoming.channel, "chat": incoming.chat_id,
                                                    "user": incoming.user_id, **values})


_EDGE_SYMBOLS = re.compile(r"^[\W_]+|[\W_]+$")


def choice_key(label: str) -> str:
    """How a typed text is compared with an offered choice's label: folded (no diacritics, case
    or extra spaces), without the symbols around it ("✓ Đoàn viên" -> "doan vien")."""
    return _EDGE_SYMBOLS.sub("", " ".join(fold(label).split()))


def _typed_choice(data: dict[str, Any], text: str) -> str | None:
    """The value of the last offered choice that `text` picks: its number (ASCII digits), or its
    label typed with or without diacritics, on every channel. None when it picks none (a label
    offered twice picks none either)."""
    menu = data.get(MENU_KEY) or []
    if not menu or not text:
        return None
    if text.isascii() and text.isdigit():
        return menu[int(text) - 1] if 1 <= int(text) <= len(menu) else None
    labels = data.get(MENU_LABELS_KEY) or []
    key = choice_key(text)
    matches = [value for value, label in zip(menu, labels) if key and label == key]
    return matches[0] if len(matches) == 1 else None


def clean(incoming: Incoming) -> Incoming:
    """NFC-normalise the text (users paste NFD), drop control and bidi-override characters
    (domain.text.sanitize) from the text, the pressed choice and the display name."""
    choice = sanitize(incoming.choice) if incoming.choice is not None else None
    return replace(incoming, text=nfc_lines(sanitize(incoming.text or "")), choice=choice,
                   display_name=sanitize(incoming.display_name or "")[:255])


def _is_database_error(exc: Exception) -> bool:
    """The database failed (connection lost, disk full): not the update's fault, so it is not
    answered now but handled again later."""
    from sqlalchemy.exc import DBAPIError

    return isinstance(exc, DBAPIError) and not isinstance(exc, IntegrityError | DataError)
