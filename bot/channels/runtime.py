"""The channel runtime shared by every channel: durable inbox, outbox sender, per-chat order.

A channel adapter (Telegram, Zalo) only turns platform updates into inbox rows, renders a
`Reply` into platform calls and makes those calls. Everything else lives here, once:

    platform update ──store()──▶ inbox row ──handle──▶ conversation core ──▶ outbox rows ──send──▶ platform
                     (then ack)           (one transaction: the change, its audit row,
                                           the replies, the inbox row marked handled)

- **Inbox.** `store()` writes updates in one transaction (a redelivered update id is ignored by
  the unique index) and only then may the adapter acknowledge them: long polling moves its
  offset past stored updates only, a webhook answers 200 only after the store. Unhandled rows
  are handled on start and by a periodic scan, so a crash loses nothing.
- **Per-chat order.** The updates of one chat are handled one after another, oldest first;
  different chats in parallel. In one process a task per chat does it; across processes on
  PostgreSQL a transaction-scoped advisory lock per chat serialises them and the row is claimed
  with FOR UPDATE SKIP LOCKED.
- **Outbox.** Replies are written by the handling transaction and sent at once; reminders and
  broadcasts (any other `kind`) are sent under CHIBOT_SEND_RATE overall and at most one a second
  per chat. 429 waits `retry_after`, 5xx and timeouts back off and are retried, a user who
  blocked the bot is marked and skipped, and every outcome is recorded on the row. A message
  that could not be sent (outage, crash) stays pending and is sent after the restart.
- **Duplicate bound.** The platforms have no idempotency key, so a message whose request was
  made but whose outcome was not yet recorded when the process died is sent again on start.
  At most `send_concurrency` messages are in that state at any moment (default 1: messages
  are sent one at a time, each outcome committed before the next request), so a crash repeats
  at most that many messages — by default at most one per crash. (Independently of crashes, a
  request that timed out after the platform accepted it is retried and may show twice.)
- **Typing, shutdown.** A chat sees "typing…" when handling takes longer than `typing_delay`;
  on shutdown intake stops first, then updates and sends in progress get `shutdown_grace`
  seconds to finish.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections import OrderedDict
from collections.abc import Awaitable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, ClassVar, Protocol

from sqlalchemy import bindparam, insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.channels import runtime_sqlite as fast
from domain.text import sanitize
from handlers.types import Choice, Incoming, OutFile, Reply
from storage.db import insert_ignoring_duplicates, is_postgres
from storage.models import InboxUpdate, OutboxMessage

log = logging.getLogger(__name__)

REPLY = "reply"


# --- what an adapter's platform call may raise ------------------------------------------------
class DeliveryError(Exception):
    """A platform call failed. `reason` is short and never contains a token or personal data."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class RetryLater(DeliveryError):
    """Worth trying again: 429 (`delay` = retry_after), 5xx, a timeout, a network error."""

    def __init__(self, reason: str, delay: float | None = None):
        super().__init__(reason)
        self.delay = delay


class Blocked(DeliveryError):
    """The user blocked the bot or deleted the account: stop sending to this chat."""


class Undeliverable(DeliveryError):
    """Sending it again will not help (a bad request, a file too large)."""


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 5  # tries of one platform call, the first included
    base_delay: float = 0.5  # seconds before the second try; doubles each time
    max_delay: float = 30.0
    max_retry_after: float = 120.0  # a longer flood wait is waited out between deliveries
    request_timeout: float = 20.0  # seconds per request
    upload_timeout: float = 60.0  # seconds per request that uploads a file
    max_deliveries: int = 12  # delivery rounds of one message before it is marked failed
    redelivery_delay: float = 30.0  # seconds before the second round; doubles, up to 30 minutes

    def backoff(self, attempt: int) -> float:
        """Delay after the `attempt`-th failed try (1-based), with jitter in [50 %, 100 %]."""
        delay = min(self.base_delay * 2 ** (attempt - 1), self.max_delay)
        return delay * random.uniform(0.5, 1.0)

    def redelivery(self, round_: int) -> float:
        return min(self.redelivery_delay * 2 ** (round_ - 1), 1800.0)


@dataclass(frozen=True)
class RuntimeOptions:
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    typing_delay: float = 1.0  # show "typing…" when handling takes longer than this
    typing_interval: float = 4.5  # Telegram shows the action for about 5 seconds
    shutdown_grace: float = 5.0  # seconds to let updates and sends in progress finish
    send_concurrency: int = 1  # messages in flight at once (= the duplicate bound per crash)
    send_rate: float = 25.0  # bulk messages (not replies) per second, overall
    bulk_chat_interval: float = 1.0  # seconds between two bulk messages to one chat
    handle_concurrency: int = 16  # updates handled at once (different chats)
    intake_low_water: int = 2  # a batch-polling channel fetches again once at most this many chats
    intake_max_wait: float = 0.05  # have work in progress, or after this many seconds (intake_room)
    scan_interval: float = 2.0  # seconds between looks for due outbox rows and stray inbox rows


@dataclass(frozen=True)
class ChannelOptions:
    """What every channel is configured with: its token and webhook, and the runtime's
    options. Each channel's options add the platform's own (API base, polling)."""

    WEBHOOK_PATH: ClassVar[str] = "/webhook"

    token: str
    api_base: str = ""
    webhook_url: str = ""
    webhook_secret: str = ""
    host: str = "0.0.0.0"
    port: int = 8080
    polling_timeout: int = 30  # seconds one getUpdates call waits for updates
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    typing_delay: float = 1.0  # show "typing…" when handling takes longer than this
    typing_interval: float = 4.5  # the platforms show the action for about 5 seconds
    shutdown_grace: float = 5.0  # seconds to let updates in progress finish on stop
    send_rate: float = 25.0  # bulk messages per second (CHIBOT_SEND_RATE)
    send_concurrency: int = 1  # messages in flight at once: the duplicate bound per crash
    scan_interval: float = 2.0

    def runtime(self) -> RuntimeOptions:
        return RuntimeOptions(
            retry=self.retry, typing_delay=self.typing_delay, typing_interval=self.typing_interval,
            shutdown_grace=self.shutdown_grace, send_concurrency=self.send_concurrency,
            send_rate=self.send_rate, scan_interval=self.scan_interval,
        )

    @property
    def webhook_target(self) -> str:
        """The URL given to the platform: CHIBOT_WEBHOOK_URL + the channel's webhook path."""
        base = self.webhook_url.rstrip("/")
        return base if base.endswith(self.WEBHOOK_PATH) else base + self.WEBHOOK_PATH


@dataclass(frozen=True)
class StoredUpdate:
    """What an adapter stores for one platform update: the update id, the chat, and the
    `Incoming` fields (plus adapter extras such as a callback query id) as JSON."""

    update_id: str
    chat_id: str
    payload: dict[str, Any]


class Adapter(Protocol):
    channel: str

    def render(self, chat_id: str, reply: Reply) -> list[Any]:
        """The platform calls that show `reply` in `chat_id`, in order (pure)."""

    def is_upload(self, call: Any) -> bool: ...

    async def call(self, call: Any, timeout: float) -> Any:
        """Make one platform call; raise RetryLater, Blocked or Undeliverable."""

    async def typing(self, chat_id: str) -> None: ...

    def acknowledge(self, update: StoredUpdate) -> Awaitable | None:
        """After the update is stored: what to do then (e.g. answer a button press), or None.
        Best effort."""

    def handled(self, incoming: Incoming, replies: list[Reply]) -> Awaitable | None:
        """After the update's transaction committed: what to do then (e.g. refresh a menu), or
        None. Best effort."""


# --- replies <-> outbox payloads ---------------------------------------------------------------
def reply_payload(reply: Reply) -> dict[str, Any]:
    payload: dict[str, Any] = {"text": reply.text}
    if reply.choices:
        payload["choices"] = [[c.label, c.value, c.url] for c in reply.choices]
    if reply.file is not None:
        payload["file"] = {"filename": reply.file.filename, "kind": reply.file.kind}
    return payload


def reply_from(payload: dict[str, Any], content: bytes | None) -> Reply:
    choices = tuple(Choice(label, value, url) for label, value, url in payload.get("choices", ()))
    file = payload.get("file")
    out = OutFile(file["filename"], content or b"", file.get("kind", "document")) if file else None
    return Reply(payload.get("text", ""), choices, out)


def outbox_values(channel: str, chat_id: str, replies: list[Reply], now, *, kind: str = REPLY,
                  inbox_id: int | None = None, user_id: int | None = None) -> list[dict[str, Any]]:
    """The outbox rows (as column values) of `replies` to one chat."""
    return [
        {"channel": channel, "chat_id": chat_id, "kind": kind, "payload": reply_payload(reply),
         "file_content": reply.file.content if reply.file is not None else None, "status": "pending",
         "attempts": 0, "parts_sent": 0, "send_after": now, "created_at": now, "inbox_id": inbox_id,
         "user_id": user_id}
        for reply in replies
    ]


async def enqueue(session: AsyncSession, values: list[dict[str, Any]]) -> list[Pending]:
    """Write outbox rows in the caller's transaction; the pending messages, in order."""
    if not values:
        return []
    if session.new or session.dirty or session.deleted:  # the rows they may refer to first
        await session.flush()
    connection = await session.connection()
    raw = fast.driver(connection)
    if raw is not None:
        ids = fast.enqueue(raw, values)
    else:
        ids = (await connection.execute(_ENQUEUE, values)).scalars()
    return [Pending(id_, v["chat_id"], v["kind"], v["payload"], v["file_content"], 0, 0, v["send_after"])
            for id_, v in zip(ids, values, strict=True)]


@dataclass
class Pending:
    """An outbox row on its way out (what the sender needs of it)."""

    id: int
    chat_id: str
    kind: str
    payload: dict[str, Any]
    file_content: bytes | None
    attempts: int
    parts_sent: int
    send_after: Any
    error: str | None = None

    @classmethod
    def of(cls, row: OutboxMessage) -> Pending:
        return cls(row.id, row.chat_id, row.kind, row.payload, row.file_content, row.attempts or 0,
                   row.parts_sent or 0, row.send_after, row.error)


def incoming_of(channel: str, row_update_id: str, chat_id: str, payload: dict[str, Any]) -> Incoming:
    return Incoming(
        channel=channel, chat_id=chat_id, user_id=payload.get("user_id", chat_id), text=payload.get("text", ""),
        choice=payload.get("choice"), chat_type=payload.get("chat_type", "private"),
        update_id=row_update_id, display_name=payload.get("display_name", ""),
    )


def _clean_payload(payload: dict[str, Any]) -> dict[str, Any]:
    """What users typed is stored without control or bidi-override characters (PostgreSQL
    refuses NUL; the rest is never meant as content)."""
    return {key: sanitize(value) if isinstance(value, str) else value for key, value in payload.items()}


PACE_MARGIN = 0.98


class _Bucket:
    """A token bucket: `rate` per second, no bursts (at most one token saved up).

    The platforms count a sliding second: a burst of a second's worth followed by the steady
    rate puts twice the rate into the first second, the platform answers 429 with retry_after,
    and the sender waits it out (benchmarks/broadcast.py measured 0.75 of a 30/s limit that
    way). Evenly spaced messages stay under the limit and keep the sender busy; they go 2 %
    under it (PACE_MARGIN), since the round trip's jitter brings two of them closer at the
    platform than they left, and one 429 stops the sender for a whole second (5,000 messages at
    exactly 30/s: 8 429s, 0.937 of the limit)."""

    def __init__(self, rate: float):
        self.rate = rate * PACE_MARGIN
        self.tokens = 1.0
        self.at = time.monotonic()
        self.lock = asyncio.Lock()

    async def take(self) -> None:
        async with self.lock:
            while True:
                now = time.monotonic()
                self.tokens = min(1.0, self.tokens + (now - self.at) * self.rate)
                self.at = now
                if self.tokens >= 1:
                    self.tokens -= 1
                    return
                await asyncio.sleep((1 - self.tokens) / self.rate)


# --- statements of every update, built once ------------------------------------------------------
# Core statements on the tables (executed on the session's connection: no ORM machinery).
_INBOX, _OUTBOX = InboxUpdate.__table__, OutboxMessage.__table__
_NEXT_UPDATE = (
    select(_INBOX.c.id, _INBOX.c.update_id, _INBOX.c.payload)
    .where(_INBOX.c.channel == bindparam("channel"), _INBOX.c.chat_id == bindparam("chat"),
           _INBOX.c.handled_at.is_(None))
    .order_by(_INBOX.c.id)
    .limit(1)
)
_NEXT_UPDATE_PG = _NEXT_UPDATE.with_for_update(skip_locked=True)
_CHAT_LOCK = text("SELECT pg_advisory_xact_lock(hashtext(:key))")
_SEND_LOCK = text("SELECT pg_try_advisory_xact_lock(hashtext(:key))")
_PENDING = (  # a chat's messages still to send, oldest first
    select(OutboxMessage)
    .where(OutboxMessage.channel == bindparam("channel"), OutboxMessage.chat_id == bindparam("chat"),
           OutboxMessage.status == "pending")
    .order_by(OutboxMessage.id)
)
_PENDING_PG = _PENDING.limit(1).with_for_update(skip_locked=True)
_MARK_HANDLED = update(_INBOX).where(_INBOX.c.id == bindparam("row")).values(handled_at=bindparam("now"))
_ENQUEUE = insert(_OUTBOX).returning(_OUTBOX.c.id, sort_by_parameter_order=True)
_SENT = (
    update(_OUTBOX)
    .where(_OUTBOX.c.id == bindparam("row"))
    .values(status="sent", sent_at=bindparam("now"), attempts=bindparam("attempts"),
            parts_sent=bindparam("parts"), error=None)
)


# --- the runtime --------------------------------------------------------------------------------
class ChannelRuntime:
    def __init__(self, app, adapter: Adapter, options: RuntimeOptions | None = None):
        self.app = app
        self.adapter = adapter
        self.channel = adapter.channel
        self.options = options or RuntimeOptions()
        self.sessions = app.services.sessions
        self.now = app.services.now
        self.conversation = app.conversation
        self.pg = is_postgres(app.engine.sync_engine)
        self._insert_inbox = insert_ignoring_duplicates(app.engine.sync_engine, InboxUpdate)
        self._handlers: dict[str, asyncio.Task] = {}
        self._due: dict[str, int] = {}  # updates stored per chat and not handled yet (a hint)
        self._batch: list[tuple[StoredUpdate, asyncio.Future]] = []  # see store_together
        self._worked = asyncio.Event()  # set when an update was handled or a message sent (intake_room)
        self._senders: dict[str, asyncio.Task] = {}
        self._queued: dict[str, list[Pending]] = {}  # rows just written, sent without a query
        self._resend: set[str] = set()
        # Outbox ids this process has taken to send: a row can be both just queued and found by a
        # look at the outbox, and must still go out once (bounded: the newest 10,000).
        self._taken: OrderedDict[int, None] = OrderedDict()
        self._background: set[asyncio.Task] = set()
        self._handle_slots = asyncio.Semaphore(self.options.handle_concurrency)
        self._send_slots = asyncio.Semaphore(self.options.send_concurrency)
        self._bulk = _Bucket(self.options.send_rate)
        self._last_bulk: dict[str, float] = {}
        self._scanner: asyncio.Task | None = None
        self.closing = False

    # --- lifecycle ---------------------------------------------------------------------------
    def start(self) -> None:
        """Recover what a previous run left (unhandled updates, unsent messages), then keep
        looking for due messages and stray updates every `scan_interval` seconds."""
        self._scanner = asyncio.create_task(self._scan_forever())

    async def stop(self) -> None:
        """Call after intake stopped: let work in progress finish, then cancel the rest."""
        self.closing = True
        if self._scanner is not None:
            self._scanner.cancel()
        busy = {*self._handlers.values(), *self._senders.values(), *self._background}
        if busy:
            _, pending = await asyncio.wait(busy, timeout=self.options.shutdown_grace)
            for task in pending:
                task.cancel()
            if pending:
                await asyncio.wait(pending, timeout=1.0)
        if self._scanner is not None:
            await asyncio.gather(self._scanner, return_exceptions=True)

    def spawn(self, coro: Awaitable) -> asyncio.Task:
        task = asyncio.ensure_future(coro)
        self._background.add(task)
        task.add_done_callback(self._background.discard)
        return task

    @property
    def idle(self) -> bool:
        return not (self._handlers or self._senders or self._queued)

    # --- inbox -------------------------------------------------------------------------------
    async def store(self, updates: list[StoredUpdate]) -> None:
        """Store updates durably, in one transaction; raises when the database fails (then the
        caller must not acknowledge them). Handling starts right after."""
        if not updates:
            return
        now = self.now()
        rows = [{"channel": self.channel, "update_id": u.update_id, "chat_id": u.chat_id,
                 "payload": _clean_payload(u.payload), "received_at": now, "handled_at": None} for u in updates]
        if self.pg:
            async with self.app.engine.begin() as conn:
                await conn.execute(self._insert_inbox, rows[0] if len(rows) == 1 else rows)
        else:
            async with self.app.engine.connect() as conn:
                fast.store(fast.driver(conn), rows)
        for u in updates:
            self._due[u.chat_id] = self._due.get(u.chat_id, 0) + 1
        for chat_id in dict.fromkeys(u.chat_id for u in updates):
            self.kick_handle(chat_id)
        for u in updates:
            follow_up = self.adapter.acknowledge(u)
            if follow_up is not None:
                self.spawn(self._quietly(follow_up))

    async def store_together(self, update: StoredUpdate) -> None:
        """Store one update that came alone (a webhook call) together with those arriving at
        the same moment: the first caller opens a batch, every caller until it is stored joins
        it, and one transaction stores them all. Each caller returns only once its update is
        stored, and raises like store() when it could not be, so a webhook still answers 200
        only for what is stored (5xx otherwise, and the platform sends it again)."""
        waiting = asyncio.get_running_loop().create_future()
        self._batch.append((update, waiting))
        if len(self._batch) == 1:
            self.spawn(self._store_batch())
        await waiting

    async def _store_batch(self) -> None:
        await asyncio.sleep(0)  # let the calls that arrived with the first one join
        batch, self._batch = self._batch, []
        failure: Exception | None = None
        try:
            await self.store([update for update, _ in batch])
        except Exception as exc:  # each caller raises it (its webhook call answers 5xx)
            failure = exc
        except BaseException:  # cancelled at shutdown: no caller may wait for ever
            failure = RuntimeError("not stored")
            raise
        finally:
            for _, waiting in batch:
                if waiting.done():
                    continue
                if failure is None:
                    waiting.set_result(None)
                else:
                    waiting.set_exception(failure)

    async def intake_room(self) -> None:
        """A channel that fetches updates in batches (Telegram's getUpdates) calls this before
        fetching again. While more than `intake_low_water` chats still have an update to handle
        or a reply to send, it lets them go first, for at most `intake_max_wait` seconds: what arrives
        meanwhile stays with the platform and comes in the next batch. Under load one fetch and
        one commit then take many updates instead of one each; without load nothing waits.
        Nothing is at risk: the platform keeps updates until they are stored."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.options.intake_max_wait
        while not self.closing and len(self._handlers) + len(self._senders) > self.options.intake_low_water:
            left = deadline - loop.time()
            if left <= 0:
                return
            self._worked.clear()
            try:
                await asyncio.wait_for(self._worked.wait(), left)
            except asyncio.TimeoutError:
                return

    def kick_handle(self, chat_id: str) -> None:
        """Make sure the chat's updates are being handled (its task loops while any is due)."""
        self._due.setdefault(chat_id, 1)
        self._ensure_task(self._handlers, chat_id, self._handle_chat)

    def _ensure_task(self, tasks: dict[str, asyncio.Task], chat_id: str, work) -> None:
        """One task per chat in `tasks` running `work(chat_id)`: started unless one runs."""
        task = tasks.get(chat_id)
        if (task is not None and not task.done()) or self.closing:
            return
        task = asyncio.create_task(work(chat_id))
        tasks[chat_id] = task
        task.add_done_callback(lambda _t: tasks.pop(chat_id, None) if tasks.get(chat_id) is _t else None)

    async def _handle_chat(self, chat_id: str) -> None:
        failures = 0
        while not self.closing and self._due.get(chat_id, 0) > 0:
            try:
                handled = await self._handle_next(chat_id)
                failures = 0
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # the database failed: the update stays in the inbox
                failures += 1
                log.error("%s: handling an update failed (%s); retrying", self.channel, type(exc).__name__)
                await asyncio.sleep(min(0.2 * 2 ** failures, 10.0))
                continue
            if handled:
                self._due[chat_id] = self._due.get(chat_id, 1) - 1
            else:  # nothing left (a redelivered update was not stored again)
                self._due[chat_id] = 0
            self._worked.set()
        if self._due.get(chat_id, 0) <= 0:
            self._due.pop(chat_id, None)

    async def _handle_next(self, chat_id: str) -> bool:
        """Handle the oldest unhandled update of the chat; False when there is none."""
        async with self._handle_slots:
            async with self.sessions() as session:
                row = await self._claim(session, chat_id)
                if row is None:
                    await session.rollback()
                    return False
                row_id, update_id, payload = row
                incoming = incoming_of(self.channel, update_id, chat_id, payload)
                written: list[Pending] = []
                first = True

                async def claim(s: AsyncSession) -> bool:
                    nonlocal first
                    if first:
                        first = False
                        return True
                    again = await self._claim(s, chat_id)
                    return again is not None and again[0] == row_id

                async def record(s: AsyncSession, replies: list[Reply]) -> None:
                    now = self.now()
                    connection = await s.connection()
                    if self.pg:
                        await connection.execute(_MARK_HANDLED, {"row": row_id, "now": now})
                    else:
                        fast.mark_handled(fast.driver(connection), row_id, now)
                    written[:] = await enqueue(s, outbox_values(self.channel, chat_id, replies, now, inbox_id=row_id))

                # "typing…" only when handling is slow: a timer, not a task per update
                typing: list[asyncio.Task] = []
                timer = None if incoming.is_group else asyncio.get_running_loop().call_later(
                    self.options.typing_delay, lambda: typing.append(self.spawn(self._typing(chat_id))))
                try:
                    replies = await self.conversation.process(session, incoming, claim, record)
                finally:
                    if timer is not None:
                        timer.cancel()
                    for task in typing:
                        task.cancel()
        if written:
            self.kick_send(chat_id, written)
        follow_up = self.adapter.handled(incoming, replies)
        if follow_up is not None:
            self.spawn(self._quietly(follow_up))
        return True

    async def _claim(self, session: AsyncSession, chat_id: str):
        """Begin the update's transaction: (PostgreSQL) take the chat's lock, then the oldest
        unhandled update of the chat as (id, update_id, payload), or None."""
        connection = await session.connection()
        if not self.pg:
            return fast.next_update(fast.driver(connection), self.channel, chat_id)
        await connection.execute(_CHAT_LOCK, {"key": f"in:{self.channel}:{chat_id}"})
        return (await connection.execute(_NEXT_UPDATE_PG, {"channel": self.channel, "chat": chat_id})).first()

    async def _typing(self, chat_id: str) -> None:
        while True:
            try:
                await self.adapter.typing(chat_id)
            except Blocked:
                return
            except Exception:  # best effort
                pass
            await asyncio.sleep(self.options.typing_interval)

    # --- outbox ------------------------------------------------------------------------------
    def kick_send(self, chat_id: str, rows: list[Pending] | None = None) -> None:
        """Send the chat's pending messages: `rows` just written (no query needed), else what
        the outbox holds for the chat."""
        if rows and not self.pg:
            self._queued.setdefault(chat_id, []).extend(rows)
        else:
            self._resend.add(chat_id)
        self._ensure_task(self._senders, chat_id, self._send_chat)

    async def _send_chat(self, chat_id: str) -> None:
        while not self.closing:
            if self.pg:
                self._resend.discard(chat_id)
                try:
                    sent = await self._deliver_next_pg(chat_id)
                except asyncio.CancelledError:
                    raise
                except Exception as exc:
                    log.error("%s: sending failed (%s); retrying later", self.channel, type(exc).__name__)
                    return
                self._worked.set()
                if not sent and chat_id not in self._resend:
                    return
                continue
            rows = self._queued.pop(chat_id, None)
            if rows is None:
                if chat_id not in self._resend:
                    return
                self._resend.discard(chat_id)
                rows = await self._pending(chat_id)
                if not rows:
                    continue
            for row in rows:
                if not await self._deliver(row):  # not sent now: later rows of the chat wait too
                    self._queued.pop(chat_id, None)
                    return

    async def _pending(self, chat_id: str) -> list[Pending]:
        async with self.sessions() as session:
            rows = await session.scalars(_PENDING.limit(50), {"channel": self.channel, "chat": chat_id})
            result = [Pending.of(row) for row in rows]
            await session.rollback()
            return result

    async def _deliver(self, row: Pending) -> bool:
        """SQLite (one process): send one message, then record the outcome. True when the chat
        may go on with its next message."""
        if row.id in self._taken:  # already sent (or being sent) by this process
            return True
        if row.send_after > self.now():
            return False
        self._taken[row.id] = None
        if len(self._taken) > 10_000:
            self._taken.popitem(last=False)
        async with self._send_slots:
            outcome, parts = await self._send_parts(row, None)
            if outcome == "sent":  # the common case, straight on the driver
                async with self.app.engine.connect() as conn:
                    row.attempts, row.parts_sent = (row.attempts or 0) + 1, parts
                    fast.sent(fast.driver(conn), row.id, self.now(), row.attempts, parts)
            else:
                async with self.app.engine.begin() as conn:
                    await self._record(conn, row, outcome, parts)
        if outcome == "retry":  # may be taken again later (from the outbox)
            self._taken.pop(row.id, None)
        self._worked.set()
        return outcome in ("sent", "failed")

    async def _deliver_next_pg(self, chat_id: str) -> bool:
        """PostgreSQL (any number of processes): in one transaction, take the chat's send lock
        and its oldest due message (FOR UPDATE SKIP LOCKED), send it, record the outcome."""
        async with self._send_slots:
            async with self.sessions() as session:
                async with session.begin():
                    locked = await session.scalar(_SEND_LOCK, {"key": f"out:{self.channel}:{chat_id}"})
                    if not locked:
                        return False
                    row = await session.scalar(_PENDING_PG, {"channel": self.channel, "chat": chat_id})
                    if row is None or row.send_after > self.now():
                        return False
                    pending = Pending.of(row)
                    outcome, parts = await self._send_parts(pending, session)
                    await self._record(session, pending, outcome, parts)
        return outcome in ("sent", "failed")

    async def _send_parts(self, row: Pending, session: AsyncSession | None) -> tuple[str, int]:
        """Make the message's platform calls from the first not yet sent; (outcome, parts sent)."""
        reply = reply_from(row.payload, row.file_content)
        calls = self.adapter.render(row.chat_id, reply)
        parts = row.parts_sent or 0
        for call in calls[parts:]:
            if row.kind != REPLY:
                await self._bulk_pace(row.chat_id)
            try:
                await self._call(call)
            except Blocked:
                return "blocked", parts
            except Undeliverable as exc:
                row.error = exc.reason[:255]
                return "failed", parts
            except RetryLater as exc:
                row.error = exc.reason[:255]
                return "retry", parts
            parts += 1
            if parts < len(calls):  # a long message in several parts: remember the progress
                await self._progress(row, parts, session)
        return "sent", parts

    async def _progress(self, row: Pending, parts: int, session: AsyncSession | None) -> None:
        statement = update(OutboxMessage).where(OutboxMessage.id == row.id).values(parts_sent=parts)
        if session is not None:  # PostgreSQL: kept with the outcome, in the send transaction
            await session.execute(statement)
        else:
            async with self.app.engine.begin() as conn:
                await conn.execute(statement)
        row.parts_sent = parts

    async def _call(self, call: Any) -> Any:
        """One platform call under the retry policy (waits for 429 and backs off on 5xx and
        timeouts within `attempts`); raises RetryLater when the message should wait."""
        policy = self.options.retry
        timeout = policy.upload_timeout if self.adapter.is_upload(call) else policy.request_timeout
        for attempt in range(1, policy.attempts + 1):
            try:
                return await self.adapter.call(call, timeout)
            except RetryLater as exc:
                if exc.delay is not None and exc.delay > policy.max_retry_after:
                    raise
                if attempt == policy.attempts:
                    raise
                delay = exc.delay if exc.delay is not None else policy.backoff(attempt)
                log.warning("%s: send attempt %d/%d failed (%s); retrying in %.2fs",
                            self.channel, attempt, policy.attempts, exc.reason, delay)
                await asyncio.sleep(delay)
        raise RetryLater("attempts exhausted")  # pragma: no cover - the loop always returns

    async def _bulk_pace(self, chat_id: str) -> None:
        last = self._last_bulk.get(chat_id)
        if last is not None:
            wait = self.options.bulk_chat_interval - (time.monotonic() - last)
            if wait > 0:
                await asyncio.sleep(wait)
        await self._bulk.take()
        self._last_bulk[chat_id] = time.monotonic()

    async def _record(self, session, row: Pending, outcome: str, parts: int) -> None:
        """Record a delivery's outcome (on a session or a connection, in its transaction)."""
        now = self.now()
        if outcome == "sent":  # the common case, with a statement built once
            row.attempts, row.parts_sent = (row.attempts or 0) + 1, parts
            await session.execute(_SENT, {"row": row.id, "now": now, "attempts": row.attempts, "parts": parts})
            return
        values: dict[str, Any] = {"attempts": (row.attempts or 0) + 1, "parts_sent": parts, "error": row.error}
        if outcome == "sent":
            values.update(status="sent", sent_at=now, error=None)
        elif outcome == "failed":
            values["status"] = "failed"
            log.error("%s: message %s not delivered: %s", self.channel, row.id, row.error)
        elif outcome == "blocked":
            values.update(status="blocked", error="blocked by the user")
            await self._mark_blocked(session, row.chat_id, now)
        elif values["attempts"] >= self.options.retry.max_deliveries:
            values["status"] = "failed"
            log.error("%s: message %s given up after %d rounds: %s", self.channel, row.id,
                      values["attempts"], row.error)
        else:
            values["send_after"] = now + timedelta(seconds=self.options.retry.redelivery(values["attempts"]))
            log.warning("%s: message %s will be retried (%s)", self.channel, row.id, row.error)
        await session.execute(update(OutboxMessage).where(OutboxMessage.id == row.id).values(**values))
        row.attempts, row.parts_sent = values["attempts"], parts

    async def _mark_blocked(self, session, chat_id: str, now) -> None:
        """The chat blocked the bot: its identities are marked (the core clears the mark when the
        user writes again) and its other pending messages are not tried."""
        from usecases.identities import mark_blocked
        from usecases.uow import Actor, UnitOfWork

        # In the caller's transaction: a session as it is, a connection through a session on it.
        orm = session if isinstance(session, AsyncSession) else AsyncSession(bind=session)
        await mark_blocked(UnitOfWork(orm, Actor.system(self.channel), self.now), self.channel, chat_id)
        await orm.flush()
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.channel == self.channel, OutboxMessage.chat_id == chat_id,
                   OutboxMessage.status == "pending")
            .values(status="blocked", error="blocked by the user")
        )

    # --- the periodic scan -----------------------------------------------------------------
    async def _scan_forever(self) -> None:
        while not self.closing:
            try:
                await self.scan()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.error("%s: scanning the inbox and outbox failed (%s)", self.channel, type(exc).__name__)
            await asyncio.sleep(self.options.scan_interval)

    async def scan(self) -> None:
        """Chats with unhandled updates or due messages get a task (on start: recovery)."""
        async with self.sessions() as session:
            inbox = await session.scalars(
                select(InboxUpdate.chat_id).where(InboxUpdate.channel == self.channel,
                                                  InboxUpdate.handled_at.is_(None)).distinct()
            )
            chats_in = list(inbox)
            outbox = await session.scalars(
                select(OutboxMessage.chat_id).where(OutboxMessage.channel == self.channel,
                                                    OutboxMessage.status == "pending",
                                                    OutboxMessage.send_after <= self.now()).distinct()
            )
            chats_out = list(outbox)
            await session.rollback()
        for chat_id in chats_in:
            if chat_id not in self._handlers:
                self.kick_handle(chat_id)
        for chat_id in chats_out:
            if chat_id not in self._senders:
                self.kick_send(chat_id)

    @staticmethod
    async def _quietly(coro: Awaitable) -> None:
        try:
            await coro
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.warning("best-effort platform call failed (%s)", type(exc).__name__)


