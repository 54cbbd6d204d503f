"""Adding, correcting and removing a source of a cell (/nguon, /suanguon, /xoanguon).

A source belongs to one cell: every use case takes the cell (`org_id`) and treats another
cell's source as missing. The same person (cell, folded name, birth date) is never an active
source twice: a read finds the twin quickly, and the partial unique index
`uq_sources_active_person` refuses the second row whatever the concurrency.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.exc import IntegrityError

from domain import texts
from domain.dates import add_months, age_on, fmt
from domain.errors import RuleError
from domain.naming import cap, who, wrong_stage
from domain.pipeline import (
    ADMISSION_MIN_AGE,
    EXAMPLE_CERTIFICATE,
    POOL_MIN_AGE,
    REMOVABLE_STAGES,
    REMOVED,
    SOURCE,
    STAGE_FIELDS,
    check_admission_change,
    check_awareness_change,
    check_birth,
    check_field_stage,
    check_recognition_change,
    over_age_limit,
    recognition_deadline,
)
from domain.text import fold
from storage import sources
from storage.models import Source
from usecases.uow import UnitOfWork

ACTIVE_PERSON_INDEX = "uq_sources_active_person"
_PASSED = "duplicate_checks_passed"  # session.info: refuse_duplicate's checks of this transaction

# Date fields of /suanguon: the Source attribute and the field's name in date messages.
DATE_FIELDS = {
    "awareness": ("awareness_date", texts.AWARENESS_DATE_WHAT),
    "admission": ("admission_date", texts.ADMIT_DATE_WHAT),
    "recognition": ("recognition_date", texts.RECOGNISE_DATE_WHAT),
}
# Number fields: the Source attribute, the field's name and an example.
NUMBER_FIELDS = {
    "certificate": ("certificate_no", texts.CERT_WHAT, EXAMPLE_CERTIFICATE),
    "decision": ("decision_no", texts.DECISION_WHAT, texts.EXAMPLE_DECISION),
}


@dataclass(frozen=True)
class SourceChange:
    """A source after a change, with the snapshots the audit row recorded."""

    source: Source
    before: dict[str, Any] | None
    after: dict[str, Any]

    @property
    def changed(self) -> bool:
        return self.before != self.after

    @property
    def previous_stage(self) -> str:
        return (self.before or self.after)["stage"]


# --- finding the source ---------------------------------------------------------------------
async def source_in_cell(uow: UnitOfWork, org_id: int, source_id: int) -> Source:
    """The source when it (still) belongs to the cell; another cell's is as good as missing."""
    source = await sources.in_cell(uow.session, org_id, int(source_id))
    if source is None:
        raise RuleError(texts.PERSON_NOT_IN_CELL.format(code=f"N{source_id}", example="/dsnguon"))
    return source


# --- one person, one active source --------------------------------------------------------------
def _duplicate_error(twin: Source, birth: date) -> RuleError:
    err = RuleError(texts.NGUON_DUPLICATE.format(name=twin.full_name, birth=fmt(birth), code=twin.code))
    err.final = True  # retyping a field would not help: the person is already there
    return err


async def refuse_duplicate(
    uow: UnitOfWork, org_id: int, name: str, birth: date, exclude: int | None = None
) -> None:
    """The fast path: refuse when the cell already has this person as an active source (the
    database's unique index is the guard; see write_unique_person). A check already passed in
    this transaction, with no person written since, is not made again (a one-line /nguon
    checks at its birth-date step and again when it saves)."""
    key = (org_id, fold(name), birth, exclude)
    passed = uow.session.info.setdefault(_PASSED, set())
    if key in passed:
        return
    twin = await sources.duplicate(uow.session, org_id, key[1], birth, exclude)
    if twin is not None:
        raise _duplicate_error(twin, birth)
    passed.add(key)


def _is_active_person_conflict(err: IntegrityError) -> bool:
    message = str(err.orig)  # PostgreSQL names the index; SQLite names its columns
    return ACTIVE_PERSON_INDEX in message or "sources.org_id, sources.name_key, sources.birth_date" in message


async def write_unique_person(
    uow: UnitOfWork, org_id: int, name: str, birth: date, write: Callable[[], None], exclude: int | None = None
) -> None:
    """Apply `write` (which adds or changes a source to be this active person) and flush it in
    a savepoint; when the database refuses a second active row for the person, the savepoint is
    rolled back and the twin that won is named in the duplicate message."""
    uow.session.info.pop(_PASSED, None)  # a person is written: earlier checks no longer hold
    try:
        async with uow.session.begin_nested():
            write()
            await uow.session.flush()
    except IntegrityError as err:
        if not _is_active_person_conflict(err):
            raise
        twin = await sources.duplicate(uow.session, org_id, fold(name), birth, exclude)
        if twin is None:  # pragma: no cover - the index named it, so it exists
            raise
        raise _duplicate_error(twin, birth) from None


# --- /nguon -----------------------------------------------------------------------------------
async def add_source(
    uow: UnitOfWork, org_id: int, name: str, birth: date, categories: list[str], note: str = ""
) -> Source:
    """A new source in the cell's pool (the name already parsed: NFC, title case)."""
    check_birth(birth, uow.today())
    await refuse_duplicate(uow, org_id, name, birth)
    source = Source(
        org_id=org_id,
        full_name=name,
        name_key=fold(name),
        birth_date=birth,
        note=note or "",
        stage=SOURCE,
        created_by=uow.actor.user_id,
        created_at=uow.now(),
        categories=[],
    )
    sources.set_categories(source, categories)
    await write_unique_person(uow, org_id, name, birth, lambda: uow.session.add(source))
    uow.audit("source.create", "source", source.id, org_id=org_id, after=sources.source_snapshot(source))
    return source


# --- /suanguon ----------------------------------------------------------------------------------
def check_editable(source: Source) -> None:
    if source.stage == REMOVED:
        raise RuleError(texts.EDIT_REMOVED.format(Who=cap(who(source))))


def check_field(source: Source, field: str) -> None:
    """Stage data can be corrected only once the person reached that stage."""
    check_field_stage(field, source.stage, who=who(source), code=source.code)


def check_date(source: Source, field: str, value: date) -> None:
    """The rules of the command that recorded the date (/lopnhanthuc, /ketnap, /chinhthuc),
    against everything else already recorded."""
    named = {"who": who(source), "code": source.code}
    if field == "awareness":
        check_awareness_change(source.birth_date, value, source.admission_date, **named)
    elif field == "admission":
        check_admission_change(
            source.birth_date, source.awareness_date, value, source.recognition_date, name=source.full_name, **named
        )
    else:
        check_recognition_change(source.admission_date, value, name=source.full_name, **named)


def check_birth_edit(source: Source, birth: date, today: date) -> None:
    """A new birth date must still fit the pool and what was already recorded."""
    check_birth(birth, today)
    if source.awareness_date and source.awareness_date < add_months(birth, 12 * POOL_MIN_AGE):
        raise RuleError(
            texts.EDIT_BIRTH_AWARENESS.format(birth=fmt(birth), who=who(source), awareness=fmt(source.awareness_date))
        )
    if source.admission_date and source.admission_date < add_months(birth, 12 * ADMISSION_MIN_AGE):
        raise RuleError(
            texts.EDIT_BIRTH_CONFLICT.format(birth=fmt(birth), who=who(source), admission=fmt(source.admission_date))
        )


def needs_over60_approval(source: Source, *, birth: date | None = None, admission: date | None = None) -> bool:
    """A corrected birth or admission date that puts the admission past the 60th birthday needs
    what /ketnap asks for: the confirmation and the approval (decision, committee) — unless an
    approval is already recorded on the person, which still covers them."""
    birth = birth or source.birth_date
    admission = admission or source.admission_date
    if admission is None or (birth, admission) == (source.birth_date, source.admission_date):
        return False
    return over_age_limit(birth, admission) and not source.over60_decision_no


def over60_text(source: Source, *, birth: date | None = None, admission: date | None = None) -> str:
    """The confirmation asked for a corrected admission date (or, with `birth`, birth date)."""
    birth = birth or source.birth_date
    admission = admission or source.admission_date
    template = texts.EDIT_BIRTH_OVER_60 if birth != source.birth_date else texts.EDIT_ADMISSION_OVER_60
    return template.format(
        Who=cap(who(source)), who=who(source), code=source.code, birth=fmt(birth), date=fmt(admission),
        age=age_on(birth, admission), example=texts.EXAMPLE_APPROVAL,
    )


def _settle_approval(source: Source, approval: tuple[str, str] | None) -> None:
    """After a corrected birth or admission date: record the approval given for an admission
    now over 60; drop a recorded one the admission no longer needs (under 60 on that day)."""
    if source.admission_date is None:
        return
    if over_age_limit(source.birth_date, source.admission_date):
        if approval is not None:
            source.over60_decision_no, source.over60_authority = approval
    elif source.over60_decision_no or source.over60_authority:
        source.over60_decision_no = source.over60_authority = None


def _apply(source: Source, field: str, value: Any) -> None:
    if field == "name":
        source.full_name, source.name_key = value, fold(value)
    elif field == "birth":
        source.birth_date = value
    elif field == "categories":
        sources.set_categories(source, value)
    elif field == "note":
        source.note = value
    elif field in NUMBER_FIELDS:
        setattr(source, NUMBER_FIELDS[field][0], value or None)
    else:
        setattr(source, DATE_FIELDS[field][0], value)
        # a new admission date moves the deadline; a missing one is filled in as /chinhthuc does
        missing = source.recognition_deadline is None and source.admission_date is not None
        if field == "admission" or missing:
            source.recognition_deadline = recognition_deadline(source.admission_date)


async def edit_source(
    uow: UnitOfWork, org_id: int, source_id: int, field: str, value: Any, *, confirmed: bool = False,
    approval: tuple[str, str] | None = None,
) -> SourceChange:
    """Correct one field: "name" (parsed name), "birth" and the date fields (a date),
    "categories" (keys), "note" and the number fields (text). Nothing is written, and the
    change says so, when the value is the one recorded.

    A birth or admission date that puts the admission past the 60th birthday is refused unless
    `confirmed`, as /ketnap does; the `approval` (decision number, committee) is recorded in the
    same change and audit row, and a recorded one is dropped when the admission is no longer
    over 60."""
    source = await source_in_cell(uow, org_id, source_id)
    check_editable(source)
    over60 = False
    if field in STAGE_FIELDS:  # the record may have changed since the answers were checked
        check_field(source, field)
    if field in DATE_FIELDS:
        check_date(source, field, value)
    if field == "birth":
        check_birth_edit(source, value, uow.today())
    if field in ("admission", "birth"):
        dates = {field: value}
        over60 = needs_over60_approval(source, **dates)
        if over60 and not confirmed:
            raise RuleError(over60_text(source, **dates))
    before = sources.source_snapshot(source)
    if field in ("name", "birth"):
        name, birth = (value, source.birth_date) if field == "name" else (source.full_name, value)
        await refuse_duplicate(uow, org_id, name, birth, exclude=source.id)
        await write_unique_person(uow, org_id, name, birth, lambda: _apply(source, field, value), exclude=source.id)
    else:
        _apply(source, field, value)
    if field in ("admission", "birth"):
        _settle_approval(source, approval if over60 else None)
    after = sources.source_snapshot(source)
    if after == before:
        return SourceChange(source, before, after)
    await uow.session.flush()
    audited = {**after, "over_60_confirmed": True} if over60 else after
    uow.audit("source.update", "source", source.id, org_id=source.org_id, before=before, after=audited)
    return SourceChange(source, before, after)


# --- /xoanguon ----------------------------------------------------------------------------------
def check_removable(source: Source) -> None:
    if source.stage not in REMOVABLE_STAGES:
        raise wrong_stage(texts.REMOVE_WRONG_STAGE, source)


async def remove_source(uow: UnitOfWork, org_id: int, source_id: int, reason: str) -> SourceChange:
    """Take a source (or a probationary member) off the cell's list, with the reason."""
    source = await source_in_cell(uow, org_id, source_id)
    check_removable(source)
    before = sources.source_snapshot(source)
    source.stage = REMOVED
    source.removed_reason = reason
    source.removed_at = uow.now()
    await uow.session.flush()
    after = sources.source_snapshot(source)
    uow.audit("source.remove", "source", source.id, org_id=source.org_id, before=before, after=after)
    return SourceChange(source, before, after)
