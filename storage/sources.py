"""Queries and snapshots for sources (quần chúng ưu tú), their evaluations and undo.

Every query takes the cell (`org_id`) explicitly: a secretary only ever reaches the sources of
their own cell, and a code of another cell's source is indistinguishable from a missing one.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.pipeline import ACTIVE_STAGES, REMOVED
from storage import prepared
from storage.models import AuditLog, QuarterlyEvaluation, Source, SourceCategory

UNDOABLE_ENTITIES = ("source", "evaluation")
UNDO_ACTION = "undo"
MAX_ID = 2**31 - 1  # ids are 32-bit integers on PostgreSQL


# --- finding sources --------------------------------------------------------------------------
async def in_cell(session: AsyncSession, org_id: int, source_id: int) -> Source | None:
    """The source with this id when it belongs to the cell, else None (whether it exists or not)."""
    if not 0 < source_id <= MAX_ID:
        return None
    source = await session.get(Source, source_id)
    if source is None or source.org_id != org_id:
        return None
    return source


async def by_name(
    session: AsyncSession, org_id: int, key: str, stages: tuple[str, ...] | None = None
) -> list[Source]:
    """Sources of the cell whose folded name is `key`, or else contains `key` as whole words
    ("van an" finds "nguyen van an" but "an" does not find "lan")."""
    query = select(Source).where(Source.org_id == org_id)
    if stages:
        query = query.where(Source.stage.in_(stages))
    exact = list(await session.scalars(query.where(Source.name_key == key).order_by(Source.id)))
    if exact:
        return exact
    words = or_(
        Source.name_key.startswith(key + " ", autoescape=True),
        Source.name_key.endswith(" " + key, autoescape=True),
        Source.name_key.contains(" " + key + " ", autoescape=True),
    )
    return list(await session.scalars(query.where(words).order_by(Source.id)))


async def for_cell(
    session: AsyncSession, org_id: int, stages: tuple[str, ...] | None = None
) -> list[Source]:
    query = select(Source).where(Source.org_id == org_id)
    if stages:
        query = query.where(Source.stage.in_(stages))
    return list(await session.scalars(query.order_by(Source.name_key, Source.id)))


async def count_for_cell(session: AsyncSession, org_id: int, stages: tuple[str, ...]) -> int:
    query = select(func.count()).select_from(Source).where(Source.org_id == org_id, Source.stage.in_(stages))
    return int(await session.scalar(query) or 0)


async def duplicate(
    session: AsyncSession, org_id: int, name_key: str, birth: date, exclude_id: int | None = None
) -> Source | None:
    """A source of the cell, not removed, with the same folded name and birth date."""
    found = await prepared.first(session, _DUPLICATE, {"org": org_id, "key": name_key, "birth": birth,
                                                        "exclude": -1 if exclude_id is None else exclude_id})
    return None if found is None else await session.get(Source, found[0])


# Built once (asked at every step of /nguon): the statement costs more to build than to run. Only
# the id: the person is loaded when there is one, which is rare.
_DUPLICATE = (
    select(Source.id)
    .where(Source.org_id == bindparam("org"), Source.name_key == bindparam("key"),
           Source.birth_date == bindparam("birth"), Source.stage != REMOVED, Source.id != bindparam("exclude"))
    .order_by(Source.id)
    .limit(1)
)


# --- evaluations --------------------------------------------------------------------------------
async def evaluation(session: AsyncSession, source_id: int, year: int, quarter: int) -> QuarterlyEvaluation | None:
    return await session.scalar(
        select(QuarterlyEvaluation).where(
            QuarterlyEvaluation.source_id == source_id,
            QuarterlyEvaluation.year == year,
            QuarterlyEvaluation.quarter == quarter,
        )
    )


async def latest_evaluations(session: AsyncSession, source_ids: list[int]) -> dict[int, QuarterlyEvaluation]:
    """The most recent evaluation (by year and quarter) of each source that has one."""
    if not source_ids:
        return {}
    rows = await session.scalars(
        select(QuarterlyEvaluation)
        .where(QuarterlyEvaluation.source_id.in_(source_ids))
        .order_by(QuarterlyEvaluation.year, QuarterlyEvaluation.quarter)
    )
    return {row.source_id: row for row in rows}  # later quarters overwrite earlier ones


def evaluated_in(year: int, quarter: int):
    """EXISTS clause: the source (correlated) has an evaluation for the quarter."""
    return exists().where(
        QuarterlyEvaluation.source_id == Source.id,
        QuarterlyEvaluation.year == year,
        QuarterlyEvaluation.quarter == quarter,
    )


async def not_evaluated(
    session: AsyncSession, org_id: int, year: int, quarter: int, exclude: list[int] = ()
) -> list[Source]:
    """Active sources of the cell without an evaluation for the quarter, in a stable order."""
    query = select(Source).where(
        Source.org_id == org_id, Source.stage.in_(ACTIVE_STAGES), ~evaluated_in(year, quarter)
    )
    if exclude:
        query = query.where(Source.id.not_in(list(exclude)))
    return list(await session.scalars(query.order_by(Source.name_key, Source.id)))


# --- snapshots for audit and undo ----------------------------------------------------------------
def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _datetime(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def source_snapshot(source: Source) -> dict[str, Any]:
    """Everything a secretary can change about a source, JSON-safe (dates as ISO strings)."""
    return {
        "code": source.code,
        "org_id": source.org_id,
        "full_name": source.full_name,
        "birth_date": _iso(source.birth_date),
        "categories": sorted(c.category for c in source.categories),
        "note": source.note or "",
        "stage": source.stage,
        "awareness_date": _iso(source.awareness_date),
        "certificate_no": source.certificate_no,
        "admission_date": _iso(source.admission_date),
        "decision_no": source.decision_no,
        "recognition_deadline": _iso(source.recognition_deadline),
        "recognition_date": _iso(source.recognition_date),
        "recognition_decision_no": source.recognition_decision_no,
        "over60_decision_no": source.over60_decision_no,
        "over60_authority": source.over60_authority,
        "removed_reason": source.removed_reason,
        "removed_at": _iso(source.removed_at),
    }


def set_categories(source: Source, keys: list[str]) -> None:
    wanted = set(keys)
    source.categories[:] = [c for c in source.categories if c.category in wanted]
    have = {c.category for c in source.categories}
    for key in sorted(wanted - have):
        source.categories.append(SourceCategory(category=key))


def restore_source(source: Source, snapshot: dict[str, Any]) -> None:
    """Put a source back to a snapshot taken by source_snapshot()."""
    from domain.text import fold

    source.full_name = snapshot["full_name"]
    source.name_key = fold(snapshot["full_name"])
    source.birth_date = _date(snapshot["birth_date"])
    source.note = snapshot["note"]
    source.stage = snapshot["stage"]
    source.awareness_date = _date(snapshot["awareness_date"])
    source.certificate_no = snapshot["certificate_no"]
    source.admission_date = _date(snapshot["admission_date"])
    source.decision_no = snapshot["decision_no"]
    source.recognition_deadline = _date(snapshot["recognition_deadline"])
    source.recognition_date = _date(snapshot["recognition_date"])
    # snapshots recorded before these fields existed do not have them
    source.recognition_decision_no = snapshot.get("recognition_decision_no")
    source.over60_decision_no = snapshot.get("over60_decision_no")
    source.over60_authority = snapshot.get("over60_authority")
    source.removed_reason = snapshot["removed_reason"]
    source.removed_at = _datetime(snapshot["removed_at"])
    set_categories(source, snapshot["categories"])


def evaluation_snapshot(row: QuarterlyEvaluation) -> dict[str, Any]:
    return {
        "source_id": row.source_id,
        "year": row.year,
        "quarter": row.quarter,
        "level": row.level,
        "comment": row.comment or "",
        "evaluated_by": row.evaluated_by,
        "evaluated_at": _iso(row.evaluated_at),
    }


def restore_evaluation(row: QuarterlyEvaluation, snapshot: dict[str, Any]) -> None:
    row.level = snapshot["level"]
    row.comment = snapshot["comment"]
    row.evaluated_by = snapshot["evaluated_by"]
    row.evaluated_at = _datetime(snapshot["evaluated_at"])


async def evaluations_of(session: AsyncSession, source_id: int) -> list[QuarterlyEvaluation]:
    """Every quarterly evaluation of the source, the latest quarter first."""
    rows = await session.scalars(
        select(QuarterlyEvaluation).where(QuarterlyEvaluation.source_id == source_id)
        .order_by(QuarterlyEvaluation.year.desc(), QuarterlyEvaluation.quarter.desc())
    )
    return list(rows)


async def history(session: AsyncSession, source: Source) -> list[tuple[AuditLog, str | None]]:
    """Every audited change to the source and to its evaluations (also removed ones), oldest
    first, each with the name of the user who made it (None: the CLI or the system)."""
    from storage.models import User

    mine = or_(
        (AuditLog.entity == "source") & (AuditLog.entity_id == str(source.id)),
        # the cell's evaluation rows, kept when they name the source (removed ones too)
        (AuditLog.entity == "evaluation") & (AuditLog.org_id == source.org_id),
    )
    rows = await session.execute(
        select(AuditLog, User.name).outerjoin(User, User.id == AuditLog.user_id)
        .where(mine).order_by(AuditLog.at, AuditLog.id)
    )
    found = []
    for row, name in rows:
        if row.entity == "evaluation" and not _about(row, source.id):
            continue
        found.append((row, name))
    return found


def _about(row: AuditLog, source_id: int) -> bool:
    for snapshot in (row.after, row.before):
        state = (snapshot or {}).get("state", snapshot) if row.action == UNDO_ACTION else snapshot
        if isinstance(state, dict) and state.get("source_id") == source_id:
            return True
    return False


async def has_evaluations(session: AsyncSession, source_id: int) -> bool:
    query = select(func.count()).select_from(QuarterlyEvaluation).where(QuarterlyEvaluation.source_id == source_id)
    return bool(await session.scalar(query))


# --- undo ------------------------------------------------------------------------------------------
async def last_change(session: AsyncSession, user_id: int, actions: tuple[str, ...]) -> AuditLog | None:
    """The user's own latest change (one of `actions`) to a source or an evaluation that is
    not undone yet."""
    return await session.scalar(
        select(AuditLog)
        .where(
            AuditLog.user_id == user_id,
            AuditLog.entity.in_(UNDOABLE_ENTITIES),
            AuditLog.action.in_(actions),
            AuditLog.undone.is_(False),
        )
        .order_by(AuditLog.at.desc(), AuditLog.id.desc())
        .limit(1)
    )


async def later_changes(session: AsyncSession, row: AuditLog) -> int:
    """Changes to the same entity recorded after `row` and still in force (by anyone)."""
    query = select(func.count()).select_from(AuditLog).where(
        AuditLog.entity == row.entity,
        AuditLog.entity_id == row.entity_id,
        AuditLog.id > row.id,
        AuditLog.action != UNDO_ACTION,
        AuditLog.undone.is_(False),
    )
    return int(await session.scalar(query) or 0)


def within(row: AuditLog, now: datetime, window: timedelta) -> bool:
    return row.at >= now - window
