"""Value objects of the knowledge base: an entry, an answer, and the validation error."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Entry:
    """One question-and-answer item of the knowledge base."""

    id: str
    questions: tuple[str, ...]
    answer: str
    source: str  # the cited document and section, e.g. "Chỉ thị 13-CT/TU, mục 2"
    tags: tuple[str, ...] = ()
    related: tuple[str, ...] = ()


@dataclass(frozen=True)
class Answer:
    """What the bot says to a question.

    When ``found`` is false, ``answer`` is the Vietnamese "not found, please ask CONTACT" text,
    ``source`` is empty, ``entry`` is None and ``suggestions`` holds up to three close entries
    the user may have meant (possibly none).
    """

    question: str
    found: bool
    answer: str
    source: str
    score: float
    entry: Entry | None
    suggestions: tuple[Entry, ...] = ()

    def to_json(self) -> dict[str, object]:
        """The `chibot faq --json` object (DESIGN.md contract)."""
        return {
            "question": self.question,
            "found": self.found,
            "answer": self.answer,
            "source": self.source,
            "score": round(self.score, 4),
        }


class KnowledgeBaseError(Exception):
    """A knowledge-base file that cannot be used.

    ``problems`` holds one human-readable Vietnamese line per problem (with the line number and
    entry id where known); ``str(error)`` joins them with newlines.
    """

    def __init__(self, problems: list[str] | tuple[str, ...] | str) -> None:
        if isinstance(problems, str):
            problems = (problems,)
        self.problems: tuple[str, ...] = tuple(problems)
        super().__init__("\n".join(self.problems))
