"""The console channel: one local user typing lines; replies printed as plain text.

Choices are printed as a numbered list; the user answers with the number (the core maps it).

A message is usually one line. Two ways make a message of several lines, so that the one-line
commands' new-line separators work here as on a phone:
- a line ending with a backslash `\\` continues on the next line (in scripts and piped input
  too); the backslash itself is dropped;
- on an interactive terminal, lines pasted at once — already waiting in the input when the
  first one is read — form one message, except that a pasted line starting with "/" begins a
  new message (pasting several commands sends them one by one).
Piped input is otherwise read one line per message, as before.
"""

from __future__ import annotations

import asyncio
import select
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from domain import texts
from handlers.core import Conversation
from handlers.types import Incoming, Reply

CHANNEL = "console"
PROMPT = "> "
CONTINUE_PROMPT = "… "
CONTINUATION = "\\"
# A paste reaches the terminal in one go; a person cannot press Enter and type the next line
# this fast, so a line waiting within this time after the first belongs to the same paste.
PASTE_WINDOW = 0.05


def render(reply: Reply, files_dir: Path | None = None) -> str:
    lines = [reply.text]
    for number, choice in enumerate(reply.choices, 1):
        lines.append(f"  {number}. {choice.label}" + (f" ({choice.url})" if choice.url else ""))
    if reply.file is not None:
        target = (files_dir or Path.cwd()) / reply.file.filename
        target.write_bytes(reply.file.content)
        lines.append(texts.CONSOLE_FILE.format(path=target))
    return "\n".join(lines)


def input_waiting(stream: TextIO, timeout: float = PASTE_WINDOW) -> bool:
    """More input is already in the terminal (the rest of a paste), or arrives within `timeout`.
    On a terminal the kernel hands Python one line per read, so what was pasted after the first
    line is still in the terminal's queue, where select() sees it."""
    try:
        ready, _, _ = select.select([stream], [], [], timeout)
    except (OSError, ValueError, TypeError):  # no file descriptor (e.g. a StringIO), or Windows
        return False
    return bool(ready)


class MessageReader:
    """Turns input lines into messages (see the module's docstring)."""

    def __init__(
        self, stdin: TextIO, stdout: TextIO, interactive: bool, waiting: Callable[[], bool] | None = None
    ) -> None:
        self.stdin, self.stdout, self.interactive = stdin, stdout, interactive
        self.waiting = waiting if waiting is not None else (lambda: input_waiting(stdin))
        self._held: str | None = None  # a pasted line that starts the next message
        self._loop = asyncio.get_running_loop()

    async def _readline(self) -> str:
        return await self._loop.run_in_executor(None, self.stdin.readline)

    def _prompt(self, text: str) -> None:
        if self.interactive:
            self.stdout.write(text)
            self.stdout.flush()

    async def _more_pasted(self) -> bool:
        return self.interactive and await self._loop.run_in_executor(None, self.waiting)

    async def read(self) -> str | None:
        """The next message (its lines joined by new lines, blank ones left out), or None at
        the end of input."""
        lines: list[str] = []
        continued = False  # the last line ended with the backslash
        while True:
            if self._held is not None:
                raw, self._held = self._held, None
            else:
                if not lines:
                    self._prompt(PROMPT)
                raw = await self._readline()
            if not raw:  # end of input: what was collected is still a message
                return _joined(lines) or None
            line = raw.rstrip("\r\n")
            if lines and not continued and line.lstrip().startswith("/"):
                self._held = raw  # a pasted line that begins another command: the next message
                if text := _joined(lines):
                    return text
                lines = []
                continue
            continued = line.endswith(CONTINUATION)
            lines.append(line[: -len(CONTINUATION)] if continued else line)
            pasted = await self._more_pasted()
            if continued:
                if not pasted:
                    self._prompt(CONTINUE_PROMPT)
                continue
            if pasted:
                continue
            text = _joined(lines)
            if text:
                return text
            lines = []


def _joined(lines: list[str]) -> str:
    return "\n".join(line for line in lines if line.strip())


async def run_console(
    conversation: Conversation,
    user: str,
    stdin: TextIO = sys.stdin,
    stdout: TextIO = sys.stdout,
    files_dir: Path | None = None,
    waiting: Callable[[], bool] | None = None,
) -> None:
    """Read messages from `stdin` until its end and print each reply. `waiting` tells whether
    more input is already waiting (the rest of a paste); by default, select() on `stdin`."""
    interactive = stdin.isatty()
    reader = MessageReader(stdin, stdout, interactive, waiting)
    while True:
        text = await reader.read()
        if text is None:
            break
        incoming = Incoming(channel=CHANNEL, chat_id=user, user_id=user, text=text, display_name=user)
        for reply in await conversation.handle(incoming):
            stdout.write(render(reply, files_dir) + "\n")
        if not interactive:
            stdout.write("\n")
        stdout.flush()
