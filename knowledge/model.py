"""Value objects of the knowledge base: an entry, an answer, and the validation error."""

from __future__ import annotations

from dataclasses import dataclass, field

# Kinds of entry. "answer" answers the question; "refuse" is a neighbouring topic the knowledge base
# does not cover: it is matched like any entry, but the bot answers "not covered, ask CONTACT"
# (found is false); "greeting", "thanks" and "insult" answer small talk, found by
# knowledge.analysis.small_talk rather than by search ("insult" is a courteous refusal).
KINDS = ("answer", "refuse", "greeting", "thanks", "insult")
REFUSING_KINDS = frozenset({"refuse", "insult"})
ROLES = ("secretary", "staff", "admin")


@dataclass(frozen=True)
class Entry:
    """One question-and-answer item of the knowledge base."""

    id: str
    questions: tuple[str, ...]
    answer: str
    source: str  # the cited document and section, e.g. "Chỉ thị 13-CT/TU, mục 2"
    tags: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    kind: str = "answer"
    # The answer for a role when the role changes it (staff are told what staff can do).
    role_answers: tuple[tuple[str, str], ...] = field(default=())

    @property
    def refuses(self) -> bool:
        return self.kind in REFUSING_KINDS

    def answer_for(self, role: str | None) -> str:
        """The answer as a user of ``role`` should read it (admins read the staff answer)."""
        by_role = dict(self.role_answers)
        if role in by_role:
            return by_role[role]
        if role == "admin" and "staff" in by_role:
            return by_role["staff"]
        return self.answer


@dataclass(frozen=True)
class Example:
    """A question a user typed, labelled with the entry that answers it (None: no entry does).

    The knowledge base's examples train its classifier (knowledge.classifier); ``role`` is the
    asker's role where it mattered to the label.
    """

    question: str
    expect: str | None
    role: str | None = None


@dataclass(frozen=True)
class Answer:
    """What the bot says to a question.

    When ``found`` is false, ``answer`` is the Vietnamese "not found, please ask CONTACT" text
    (or the text of the neighbouring-topic or insult entry that refused, named by ``topic``),
    ``source`` is empty, ``entry`` is None and ``suggestions`` holds up to three close entries
    the user may have meant (possibly none). When found, ``entry`` is the entry as the asker's
    role reads it (its ``answer`` is ``answer``) and ``suggestions`` holds the entries that ranked
    almost as high (up to two, possibly none), offered before the entry's related ones.
    """

    question: str
    found: bool
    answer: str
    source: str
    score: float
    entry: Entry | None
    suggestions: tuple[Entry, ...] = ()
    topic: str | None = None  # when refused by a "refuse"/"insult" entry: that entry's id

    def to_json(self) -> dict[str, object]:
        """The `chibot faq --json` object (DESIGN.md contract).

        ``id`` is the answering entry's id (null when refused); ``related`` holds the ids the bot
        offers next: when answered, the entries that ranked almost as high, then the entry's related
        ids; when refused, the entries offered as suggestions.
        """
        if self.found and self.entry is not None:
            entry_id: str | None = self.entry.id
            related = list(dict.fromkeys((*(entry.id for entry in self.suggestions), *self.entry.related)))
        else:
            entry_id = None
            related = [entry.id for entry in self.suggestions]
        return {
            "question": self.question,
            "found": self.found,
            "answer": self.answer,
            "source": self.source,
            "score": round(self.score, 4),
            "id": entry_id,
            "related": related,
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
