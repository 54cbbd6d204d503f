"""The unit of work is the only writer of audit rows: no other module builds an AuditLog,
and no handler calls the deprecated Context.audit."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIPPED_DIRS = {"tests", "migrations", ".venv"}
WRITER = Path("usecases/uow.py")
# Temporary: the lead switches the Telegram sender to usecases.identities.mark_blocked.
PENDING: set[Path] = set()


def _sources() -> list[Path]:
    return [
        path.relative_to(ROOT)
        for path in ROOT.rglob("*.py")
        if not SKIPPED_DIRS & set(path.relative_to(ROOT).parts)
    ]


def _files_matching(pattern: str) -> set[Path]:
    regex = re.compile(pattern)
    return {path for path in _sources() if regex.search((ROOT / path).read_text(encoding="utf-8"))}


def test_audit_rows_are_built_only_by_the_unit_of_work():
    builders = _files_matching(r"(?<!class )\bAuditLog\(")
    assert WRITER in builders, "the check must see the one writer"
    assert builders - {WRITER} - PENDING == set()


def test_no_handler_writes_audit_rows_through_the_context():
    assert _files_matching(r"\bctx\.audit\(") == set()
