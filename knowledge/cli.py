"""`chibot faq` and `chibot kb check`, as plain functions over text streams.

bot/cli.py parses the arguments and calls these; they never raise on bad input, they print a
Vietnamese message on stderr and return a non-zero exit code.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TextIO

from domain import texts
from knowledge.loader import load_file, unknown_commands
from knowledge.model import Answer, Entry, KnowledgeBaseError
from knowledge.search import KnowledgeBase

EXIT_OK = 0
EXIT_BAD_KB = 1
EXIT_BAD_INPUT = 2


def render_entry(entry: Entry) -> str:
    """An entry's answer followed by its "Nguồn: …" line (also for a suggestion the user picked)."""
    return f"{entry.answer}\n{texts.KB_SOURCE_LINE.format(source=entry.source)}"


def render_answer(answer: Answer) -> str:
    """The answer as the bot shows it: the text and its source, or the refusal and suggestions."""
    if answer.found:
        return f"{answer.answer}\n{texts.KB_SOURCE_LINE.format(source=answer.source)}"
    lines = [answer.answer]
    if answer.suggestions:
        lines.append(texts.KB_SUGGESTIONS)
        lines.extend(f"{number}. {entry.questions[0]}" for number, entry in enumerate(answer.suggestions, 1))
    return "\n".join(lines)


def _print_problems(error: KnowledgeBaseError, path: str | Path | None, stderr: TextIO) -> None:
    if len(error.problems) > 1:
        label = str(path) if path else "mặc định"
        print(texts.KB_ERR_SUMMARY.format(path=label, count=len(error.problems)), file=stderr)
    for problem in error.problems:
        print(problem, file=stderr)


def faq_command(
    question: str | None,
    as_json: bool,
    kb_path: str | None,
    contact: str = texts.KB_DEFAULT_CONTACT,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Answer one question, or every line of stdin (one JSON object per line) when question is None."""
    import sys

    stdin = stdin if stdin is not None else sys.stdin
    stdout = stdout if stdout is not None else sys.stdout
    stderr = stderr if stderr is not None else sys.stderr
    try:
        kb = KnowledgeBase.load(kb_path or None, contact)
    except KnowledgeBaseError as error:
        _print_problems(error, kb_path, stderr)
        return EXIT_BAD_KB

    if question is not None:
        if not question.strip():
            print(texts.KB_FAQ_EMPTY, file=stderr)
            return EXIT_BAD_INPUT
        answer = kb.answer(question)
        if as_json:
            print(json.dumps(answer.to_json(), ensure_ascii=False), file=stdout)
        else:
            print(render_answer(answer), file=stdout)
        return EXIT_OK

    for line in stdin:
        asked = line.strip()
        if not asked:
            continue
        print(json.dumps(kb.answer(asked).to_json(), ensure_ascii=False), file=stdout)
        stdout.flush()
    return EXIT_OK


def declared_commands() -> frozenset[str]:
    """The chat commands the bot declares (handlers' router), without the slash."""
    return frozenset(declared_command_roles())


def declared_command_roles(router=None) -> dict[str, frozenset[str] | None]:
    """The roles that may use each chat command the bot declares (None: anyone), without the slash;
    from ``router`` when given (the app's own), else from a router built here."""
    if router is None:
        from handlers import build_router

        router = build_router()
    return {name: command.roles for name, command in router.commands.items() if not name.startswith("_")}


def kb_check_command(
    path: str | None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    commands: frozenset[str] | set[str] | None = None,
) -> int:
    """Validate a knowledge-base file (None: the packaged default) and print a one-line summary.

    Besides the file's shape, every ``/command`` an answer names must be one the bot declares
    (``commands``; by default the handlers' router): the knowledge base never tells users to type
    a command that does not exist.
    """
    import sys

    stdout = stdout if stdout is not None else sys.stdout
    stderr = stderr if stderr is not None else sys.stderr
    try:
        loaded = load_file(path or None)
        KnowledgeBase(loaded.entries, path=loaded.path)  # the index must build too
        problems = unknown_commands(loaded.entries, declared_commands() if commands is None else commands)
        if problems:
            raise KnowledgeBaseError(problems)
    except KnowledgeBaseError as error:
        _print_problems(error, path, stderr)
        return EXIT_BAD_KB
    questions = sum(len(entry.questions) for entry in loaded.entries)
    print(texts.KB_CHECK_OK.format(count=len(loaded.entries), questions=questions, path=loaded.path), file=stdout)
    return EXIT_OK
