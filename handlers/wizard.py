"""Step-by-step dialogs that also accept the same answers on one line.

A `Wizard` is an ordered list of `Step`s and a `commit`. `/ketnap N12; 01/11/2026` feeds the
parts to the steps in order; whatever is still missing is asked in a dialog, one step at a time
(so `/ketnap N12` asks for the date). When the line held every required answer, optional steps
are skipped rather than asked. Each answer is checked when it is given; a wrong answer raises a
RuleError, which keeps the dialog at the same step and stores nothing.

A wrong part of a one-line command does not throw the line away: the parts already accepted
are kept, the dialog stops at that step with the error and asks for just that field, and the
parts after it are applied once it is answered ("Ngày sinh chưa đúng … Đồng chí gõ lại ngày
sinh:"). A RuleError marked `final` (e.g. the person is already in the pool) still ends it.

Choice values used in these dialogs start with "pl." and contain no ":", so they never collide
with the global choice prefixes of other modules.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from domain import texts
from domain.errors import RuleError
from domain.text import fold
from handlers.core import Context, Result, Router
from handlers.types import Choice, Reply, UserError

SKIP = "pl.skip"
DONE = "pl.done"
YES = "pl.yes"
NO = "pl.no"
DONE_KEY = "_done"  # dialog data: the keys of the steps already answered
REST_KEY = "_rest"  # one-line parts still to apply after a person was picked
LINE_KEY = "_line"  # the answers came on the command line and none was missing


class Stay(Exception):
    """Stay on the same step (a multi-select toggle) after applying `updates`."""

    def __init__(self, updates: dict[str, Any]):
        super().__init__()
        self.updates = updates


class Ask(Exception):
    """Stay on the same step and show `reply` instead of the step's question
    (e.g. several people share the typed name: offer them as choices)."""

    def __init__(self, reply: Reply, updates: dict[str, Any] | None = None):
        super().__init__(reply.text)
        self.reply = reply
        self.updates = updates or {}


class Cancel(Exception):
    """The user declined (e.g. "Không, hủy"): end the dialog without saving."""


Asker = Callable[[Context, dict], Awaitable[Reply]]
Acceptor = Callable[[Context, dict, str, "str | None"], Awaitable[dict]]


@dataclass
class Step:
    key: str
    ask: Asker
    accept: Acceptor
    optional: bool = False  # "Bỏ qua" stores `default`; skipped after a complete one-line command
    default: Any = ""
    needed: Callable[[dict], bool] = field(default=lambda data: True)
    from_line: bool = True  # False: never fed from the one-line parts (confirmations)
    what: str | Callable[[dict], str] = ""  # the field's name, to ask it again after a wrong one-line part ("ngày sinh")


def skip_choice() -> Choice:
    return Choice(texts.LABEL_SKIP, SKIP)


class Wizard:
    def __init__(self, router: Router, flow: str, steps: list[Step], commit: Callable[[Context, dict], Awaitable[Result]]):
        self.flow = flow
        self.steps = steps
        self.commit = commit
        router.flow(flow)(self.on_input)

    def _step(self, key: str) -> Step:
        for step in self.steps:
            if step.key == key:
                return step
        raise KeyError(key)

    def _required_missing(self, data: dict) -> bool:
        done = data.get(DONE_KEY, [])
        return any(
            s.key not in done and not s.optional and s.from_line and s.needed(data) for s in self.steps
        )

    async def start(self, ctx: Context, parts: list[str], **data: Any) -> Result:
        """Begin with the one-line `parts` (possibly none) and any preset `data`."""
        data = {DONE_KEY: [], **data}
        if parts:
            data[LINE_KEY] = True
        return await self._advance(ctx, data, list(parts))

    async def _advance(self, ctx: Context, data: dict, parts: list[str]) -> Result:
        for step in self.steps:
            if step.key in data[DONE_KEY] or not step.needed(data):
                continue
            if parts and step.from_line:
                part = parts.pop(0)
                try:
                    updates = await step.accept(ctx, data, part, None)
                except Ask as ask:  # e.g. several people of that name: choose, then go on
                    ctx.begin(self.flow, step.key, **{**data, **ask.updates, REST_KEY: parts})
                    return ask.reply
                except RuleError as err:  # keep the good parts, ask again for this one only
                    if getattr(err, "final", False):
                        raise
                    ctx.begin(self.flow, step.key, **{**data, REST_KEY: parts})
                    return await self._ask_again(ctx, data, step, err)
                self._mark(data, step, updates)
                continue
            if step.optional and data.get(LINE_KEY) and not self._required_missing(data):
                self._mark(data, step, {step.key: step.default})
                continue
            if not step.optional:
                data[LINE_KEY] = False  # the line was incomplete: from here on, ask everything
            reply = await step.ask(ctx, data)
            ctx.begin(self.flow, step.key, **data)
            return reply
        ctx.finish()
        return await self.commit(ctx, data)

    @staticmethod
    async def _ask_again(ctx: Context, data: dict, step: Step, err: RuleError) -> Reply:
        what = step.what(data) if callable(step.what) else step.what
        if what:
            return Reply(err.text + "\n" + texts.LINE_RETYPE.format(what=what), err.choices)
        question = await step.ask(ctx, data)
        return Reply(err.text + "\n" + question.text, question.choices or err.choices)

    @staticmethod
    def _mark(data: dict, step: Step, updates: dict) -> None:
        data.update(updates)
        data[DONE_KEY] = [*data.get(DONE_KEY, []), step.key]

    async def on_input(self, ctx: Context, text: str, choice: str | None) -> Result:
        data = ctx.data
        try:
            step = self._step(ctx.dialog.step)
        except KeyError:
            ctx.finish()
            return Reply(texts.STALE_CHOICE)
        try:
            if step.optional and (choice == SKIP or (choice is None and typed(text, texts.LABEL_SKIP))):
                updates = {step.key: step.default}
            else:
                updates = await step.accept(ctx, data, text, choice)
        except Stay as stay:
            data.update(stay.updates)
            ctx.goto(step.key, **stay.updates)
            return await step.ask(ctx, data)
        except Ask as ask:
            ctx.goto(step.key, **ask.updates)
            return ask.reply
        except Cancel:
            ctx.finish()
            return Reply(texts.FLOW_CANCELLED)
        rest = data.pop(REST_KEY, None) or []
        self._mark(data, step, updates)
        return await self._advance(ctx, data, list(rest))


def typed(text: str, *labels: str) -> bool:
    """The user typed the label of an offered choice ("bỏ qua", "Bo qua.", "dừng lại")."""
    value = fold(text).strip(" .!")
    return bool(value) and any(value == fold(label) for label in labels)


def not_here(hint: str = "") -> UserError:
    return UserError(texts.CHOICE_NOT_HERE.format(hint=hint).strip())


def confirm_choices(yes_label: str = texts.LABEL_CONFIRM) -> tuple[Choice, ...]:
    return (Choice(yes_label, YES), Choice(texts.LABEL_CANCEL, NO))


async def accept_confirmation(ctx: Context, data: dict, text: str, choice: str | None) -> dict:
    """Yes/no: "Có, xác nhận" (or typed "xác nhận", "có") goes on; "Không, hủy" cancels."""
    from domain.pipeline import is_confirmation
    from domain.text import fold

    if choice == YES or (choice is None and is_confirmation(text)):
        return {"confirmed": True}
    if choice == NO or (choice is None and fold(text) in ("khong", "huy", "khong, huy", "no")):
        raise Cancel()
    raise not_here(texts.CONFIRM_HINT)


def join_tail(parts: list[str], count: int, args: str = "") -> list[str]:
    """Free text at the end may itself contain ";" (or "," when the line was split at commas):
    keep it whole as the last part, joined as it was typed."""
    if len(parts) <= count:
        return parts
    sep = ", " if args and ";" not in args and "\n" not in args else "; "
    return [*parts[: count - 1], sep.join(parts[count - 1 :])]
