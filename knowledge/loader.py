"""Reading and validating a knowledge-base YAML file.

The file is a mapping with an optional ``meta`` mapping and an ``entries`` list; each entry has
``id``, ``questions``, ``answer``, ``source`` and optionally ``tags``, ``related``, ``kind`` and
``role_answers`` (see the header of ``knowledge/default.yaml``); ``meta.examples`` may name a file
of labelled user questions (a ``questions`` list of ``{q, expect}``), relative to the knowledge-base
file. Validation collects every problem, each as one Vietnamese line naming the line number and
entry id, and raises them together in a KnowledgeBaseError.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from domain import texts
from domain.text import fold, nfc
from knowledge.model import KINDS, ROLES, Entry, Example, KnowledgeBaseError

DEFAULT_FILENAME = "default.yaml"
ENTRY_FIELDS = ("id", "questions", "answer", "source", "tags", "related", "kind", "role_answers")
# An example's fields: the question and its label; the evaluation also reads near, nfd and split.
EXAMPLE_FIELDS = ("q", "expect", "role", "near", "nfd", "split")
_ID = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
_NON_WORD = re.compile(r"[\W_]+")
# A chat command named in a text: "/ketnap", not "dd/mm/yyyy", "13-CT/TU" or "13/2023/NĐ-CP".
_COMMAND_MENTION = re.compile(r"(?<![\w/])/([a-z][a-z0-9_]*)")


@dataclass(frozen=True)
class LoadedFile:
    """A validated knowledge-base file."""

    path: str
    entries: tuple[Entry, ...]
    meta: dict[str, Any] = field(default_factory=dict)
    examples: tuple[Example, ...] = ()  # the labelled questions of meta.examples, if any


def default_path() -> Path:
    """The packaged default knowledge base (Directive 13-CT/TU)."""
    return Path(str(resources.files("knowledge").joinpath(DEFAULT_FILENAME)))


def load_file(path: str | Path | None = None) -> LoadedFile:
    """Read and validate a knowledge-base file and its examples; None means the packaged default."""
    target = Path(path) if path is not None else default_path()
    entries, meta = parse_text(_read(target))
    examples: tuple[Example, ...] = ()
    named = meta.get("examples")
    if named is not None:
        if not isinstance(named, str) or not named.strip():
            raise KnowledgeBaseError(texts.KB_ERR_EXAMPLES_PATH)
        source = target.parent / named.strip()
        examples = parse_examples(_read(source), {entry.id for entry in entries}, str(source))
    return LoadedFile(path=str(target), entries=entries, meta=meta, examples=examples)


def _read(target: Path) -> str:
    label = str(target)
    try:
        raw = target.read_bytes()
    except FileNotFoundError:
        raise KnowledgeBaseError(texts.KB_ERR_NO_FILE.format(path=label)) from None
    except IsADirectoryError:
        raise KnowledgeBaseError(texts.KB_ERR_READ.format(path=label, detail="là một thư mục")) from None
    except OSError as exc:
        raise KnowledgeBaseError(texts.KB_ERR_READ.format(path=label, detail=exc.strerror or exc)) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise KnowledgeBaseError(texts.KB_ERR_ENCODING.format(path=label)) from None


def parse_text(text: str) -> tuple[tuple[Entry, ...], dict[str, Any]]:
    """Parse and validate knowledge-base YAML text; raise KnowledgeBaseError listing every problem."""
    root, data = _parse_yaml(text)
    if not isinstance(data, dict) or "entries" not in data:
        raise KnowledgeBaseError(texts.KB_ERR_ROOT)
    items = data["entries"]
    if not isinstance(items, list) or not items:
        raise KnowledgeBaseError(texts.KB_ERR_NO_ENTRIES)
    meta = data.get("meta") if isinstance(data.get("meta"), dict) else {}
    lines = _item_lines(root, "entries", len(items))
    return _validate(items, lines), meta


def parse_examples(text: str, entry_ids: set[str] | frozenset[str], path: str = "") -> tuple[Example, ...]:
    """Parse and validate an examples file against the entries' ids; raise listing every problem."""
    root, data = _parse_yaml(text)
    items = data.get("questions") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise KnowledgeBaseError(texts.KB_ERR_EXAMPLES_ROOT.format(path=path))
    lines = _item_lines(root, "questions", len(items))
    problems: list[str] = []
    examples: list[Example] = []
    for item, line in zip(items, lines):
        question = item.get("q") if isinstance(item, dict) else None
        if not isinstance(question, str) or not question.strip() or any(key not in EXAMPLE_FIELDS for key in item):
            problems.append(texts.KB_ERR_EXAMPLE_BAD.format(line=line))
            continue
        expect, role = item.get("expect"), item.get("role")
        if expect is not None and (not isinstance(expect, str) or expect not in entry_ids):
            problems.append(texts.KB_ERR_EXAMPLE_UNKNOWN.format(line=line, id=expect))
        elif role is not None and role not in ROLES:
            problems.append(texts.KB_ERR_EXAMPLE_BAD_ROLE.format(line=line, roles=", ".join(ROLES)))
        else:
            examples.append(Example(nfc(question).strip(), expect, role))
    if problems:
        raise KnowledgeBaseError(problems)
    return tuple(examples)


def _parse_yaml(text: str) -> tuple[yaml.Node | None, Any]:
    # LibYAML's loader when PyYAML has it: the examples file (thousands of items) loads 10x faster.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    try:
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)
        detail = exc.problem or exc.context or "không rõ"
        raise KnowledgeBaseError(texts.KB_ERR_YAML.format(line=line, column=column, detail=detail)) from None
    except yaml.YAMLError as exc:
        raise KnowledgeBaseError(texts.KB_ERR_YAML.format(line=0, column=0, detail=exc)) from None
    finally:
        loader.dispose()
    return root, data


def _item_lines(root: yaml.Node | None, name: str, count: int) -> list[int]:
    """1-based line of each item of the top-level sequence ``name`` (0 when unknown)."""
    if isinstance(root, yaml.MappingNode):
        for key, value in root.value:
            if isinstance(key, yaml.ScalarNode) and key.value == name and isinstance(value, yaml.SequenceNode):
                return [item.start_mark.line + 1 for item in value.value]
    return [0] * count


def mentioned_commands(text: str) -> list[str]:
    """The chat commands a text tells the user to type, without the slash, in order."""
    return _COMMAND_MENTION.findall(text)


def unknown_commands(entries: tuple[Entry, ...], declared: set[str] | frozenset[str]) -> list[str]:
    """One problem line per answer (any role's) that names a command the bot does not declare."""
    problems: list[str] = []
    for entry in entries:
        named: list[str] = []
        for text in (entry.answer, *(answer for _, answer in entry.role_answers)):
            named.extend(c for c in mentioned_commands(text) if c not in declared and c not in named)
        problems.extend(texts.KB_ERR_UNKNOWN_COMMAND.format(id=entry.id, command="/" + c) for c in named)
    return problems


def _text(value: str) -> str:
    """Compose to NFC and trim, keeping intended line breaks."""
    return unicodedata.normalize("NFC", value).strip()


def question_key(question: str) -> str:
    """Comparison key for duplicate phrasings: folded, punctuation-free."""
    return " ".join(_NON_WORD.sub(" ", fold(question)).split())


def _validate(items: list[Any], lines: list[int]) -> tuple[Entry, ...]:
    problems: list[str] = []
    entries: list[Entry] = []
    first_line: dict[str, int] = {}
    seen_questions: dict[str, str] = {}
    pending_related: list[tuple[int, str, tuple[str, ...]]] = []

    for index, item in enumerate(items, start=1):
        line = lines[index - 1] if index - 1 < len(lines) else 0
        if not isinstance(item, dict):
            problems.append(texts.KB_ERR_ENTRY_NOT_MAPPING.format(line=line, index=index))
            continue
        raw_id = item.get("id")
        if raw_id is None or (isinstance(raw_id, str) and not raw_id.strip()):
            problems.append(texts.KB_ERR_MISSING_ID.format(line=line, index=index))
            entry_id = f"#{index}"
        elif not isinstance(raw_id, str) or not _ID.match(raw_id.strip()):
            problems.append(texts.KB_ERR_BAD_ID.format(line=line, id=raw_id))
            entry_id = str(raw_id)
        else:
            entry_id = raw_id.strip()
            if entry_id in first_line:
                problems.append(
                    texts.KB_ERR_DUPLICATE_ID.format(line=line, id=entry_id, first=first_line[entry_id])
                )
            else:
                first_line[entry_id] = line

        for key in item:
            if key not in ENTRY_FIELDS:
                problems.append(texts.KB_ERR_UNKNOWN_FIELD.format(line=line, id=entry_id, field=key))

        ok = True
        texts_out: dict[str, str] = {}
        for name in ("answer", "source"):
            value = item.get(name)
            if value is None or (isinstance(value, str) and not value.strip()):
                problems.append(texts.KB_ERR_MISSING_FIELD.format(line=line, id=entry_id, field=name))
                ok = False
            elif not isinstance(value, str):
                problems.append(texts.KB_ERR_BAD_TEXT.format(line=line, id=entry_id, field=name))
                ok = False
            else:
                texts_out[name] = _text(value)

        lists: dict[str, tuple[str, ...]] = {}
        for name, required in (("questions", True), ("tags", False), ("related", False)):
            value = item.get(name)
            if value is None or value == []:
                if required:
                    problems.append(texts.KB_ERR_MISSING_FIELD.format(line=line, id=entry_id, field=name))
                    ok = False
                lists[name] = ()
                continue
            if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
                problems.append(texts.KB_ERR_BAD_LIST.format(line=line, id=entry_id, field=name))
                ok = False
                lists[name] = ()
                continue
            cleaned = tuple(nfc(v) if name == "questions" else _text(v) for v in value)
            lists[name] = cleaned

        for question in lists["questions"]:
            key = question_key(question)
            other = seen_questions.get(key)
            if other is not None:
                problems.append(
                    texts.KB_ERR_DUPLICATE_QUESTION.format(line=line, id=entry_id, question=question, other=other)
                )
            else:
                seen_questions[key] = entry_id

        kind = item.get("kind", "answer")
        if kind not in KINDS:
            problems.append(texts.KB_ERR_BAD_KIND.format(line=line, id=entry_id, kinds=", ".join(KINDS)))
            ok = False
        role_answers: list[tuple[str, str]] = []
        raw_roles = item.get("role_answers")
        if raw_roles is not None:
            if not isinstance(raw_roles, dict) or not all(
                role in ROLES and isinstance(text, str) and text.strip() for role, text in raw_roles.items()
            ):
                problems.append(texts.KB_ERR_BAD_ROLES.format(line=line, id=entry_id, roles=", ".join(ROLES)))
                ok = False
            else:
                role_answers = [(role, _text(text)) for role, text in raw_roles.items()]

        if lists["related"]:
            pending_related.append((line, entry_id, lists["related"]))
        if ok:
            entries.append(
                Entry(
                    id=entry_id,
                    questions=lists["questions"],
                    answer=texts_out["answer"],
                    source=texts_out["source"],
                    tags=lists["tags"],
                    related=lists["related"],
                    kind=kind,
                    role_answers=tuple(role_answers),
                )
            )

    for line, entry_id, related in pending_related:
        for other in related:
            if other == entry_id:
                problems.append(texts.KB_ERR_SELF_RELATED.format(line=line, id=entry_id))
            elif other not in first_line:
                problems.append(texts.KB_ERR_UNKNOWN_RELATED.format(line=line, id=entry_id, related=other))

    if problems:
        raise KnowledgeBaseError(problems)
    return tuple(entries)
