"""The console channel: one local user typing lines; replies printed as plain text.

Choices are printed as a numbered list; the user answers with the number (the core maps it).
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import TextIO

from domain import texts
from handlers.core import Conversation
from handlers.types import Incoming, Reply

CHANNEL = "console"


def render(reply: Reply, files_dir: Path | None = None) -> str:
    lines = [reply.text]
    for number, choice in enumerate(reply.choices, 1):
        lines.append(f"  {number}. {choice.label}" + (f" ({choice.url})" if choice.url else ""))
    if reply.file is not None:
        target = (files_dir or Path.cwd()) / reply.file.filename
        target.write_bytes(reply.file.content)
        lines.append(texts.CONSOLE_FILE.format(path=target))
    return "\n".join(lines)


async def run_console(
    conversation: Conversation,
    user: str,
    stdin: TextIO = sys.stdin,
    stdout: TextIO = sys.stdout,
    files_dir: Path | None = None,
) -> None:
    interactive = stdin.isatty()
    loop = asyncio.get_running_loop()
    while True:
        if interactive:
            stdout.write("> ")
            stdout.flush()
        line = await loop.run_in_executor(None, stdin.readline)
        if not line:
            break
        line = line.rstrip("\r\n")
        if not line.strip():
            continue
        incoming = Incoming(channel=CHANNEL, chat_id=user, user_id=user, text=line, display_name=user)
        for reply in await conversation.handle(incoming):
            stdout.write(render(reply, files_dir) + "\n")
        if not interactive:
            stdout.write("\n")
        stdout.flush()
