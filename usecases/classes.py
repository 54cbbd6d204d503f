"""Training classes (/lophoc): staff create a class for a subtree; secretaries of the audience
are told (by the scheduler) and afterwards record who attended. Attendance of an awareness class
moves those people to the awareness stage through the same use case as /lopnhanthuc, with the
class's date; attendance of a new-member class is recorded on the probationary members."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain import texts
from domain.errors import RuleError
from domain.pipeline import ACTIVE_STAGES, PROBATIONARY, TEXT_MAX
from domain.roles import SECRETARY
from storage.clock import to_local
from storage.models import ClassAttendance, ClassInvitee, OrgUnit, Source, TrainingClass, User
from usecases import pipeline
from usecases.uow import UnitOfWork

AWARENESS_CLASS, NEW_MEMBER_CLASS = "awareness", "new_member"
CLASS_KINDS = (AWARENESS_CLASS, NEW_MEMBER_CLASS)


def class_date(klass: TrainingClass, tz) -> date:
    return to_local(klass.starts_at, tz).date()


def eligible_stages(kind: str) -> tuple[str, ...]:
    """Who may attend: candidates of the pool (awareness), probationary members (new member)."""
    return ACTIVE_STAGES if kind == AWARENESS_CLASS else (PROBATIONARY,)


async def create_class(uow: UnitOfWork, *, kind: str, starts_at: datetime, place: str, org: OrgUnit,
                       title: str = "", invitees: list[int] = ()) -> TrainingClass:
    """A class at `starts_at` (naive UTC, in the future) for the subtree of `org`; `invitees`
    (source ids, all in the subtree) narrows the audience to their cells."""
    if kind not in CLASS_KINDS:
        raise RuleError(texts.CLASS_BAD_KIND)
    if starts_at <= uow.now():
        raise RuleError(texts.CLASS_IN_PAST)
    place = place.strip()
    if not place or len(place) > TEXT_MAX:
        raise RuleError(texts.CLASS_BAD_PLACE)
    people = []
    for source_id in dict.fromkeys(invitees):
        source = await uow.session.get(Source, source_id)
        unit = await uow.session.get(OrgUnit, source.org_id) if source is not None else None
        if source is None or unit is None or not unit.path.startswith(org.path):
            raise RuleError(texts.CLASS_UNKNOWN_PERSON.format(code=f"N{source_id}", unit=org.name))
        if source.stage not in eligible_stages(kind):
            raise RuleError(texts.CLASS_PERSON_WRONG_STAGE.format(code=source.code))
        people.append(source_id)
    klass = TrainingClass(kind=kind, title=title or texts.CLASS_KIND_NAMES[kind], starts_at=starts_at,
                          place=place, org_id=org.id, created_by=uow.actor.user_id, created_at=uow.now())
    uow.session.add(klass)
    await uow.session.flush()
    for source_id in people:
        uow.session.add(ClassInvitee(class_id=klass.id, source_id=source_id))
    uow.audit("class.create", "training_class", klass.id, org_id=org.id, before=None,
              after={"kind": kind, "starts_at": starts_at.isoformat(), "place": place, "org": org.code,
                     "invitees": people})
    await uow.session.flush()
    klass.org = org
    return klass


async def invitee_ids(session: AsyncSession, class_id: int) -> list[int]:
    return list(await session.scalars(select(ClassInvitee.source_id).where(ClassInvitee.class_id == class_id)))


async def audience_secretaries(session: AsyncSession, klass: TrainingClass) -> list[User]:
    """The secretaries the class is for: of the cells of its subtree, or of the invitees' cells."""
    query = (
        select(User).join(OrgUnit, OrgUnit.id == User.org_id)
        .where(User.role == SECRETARY, User.active.is_(True), OrgUnit.path.startswith(klass.org.path))
        .order_by(User.id)
    )
    invited = await invitee_ids(session, klass.id)
    if invited:
        cells = select(Source.org_id).where(Source.id.in_(invited))
        query = query.where(User.org_id.in_(cells))
    return list(await session.scalars(query))


async def visible_classes(session: AsyncSession, user: User, since: datetime) -> list[TrainingClass]:
    """Classes starting after `since` that concern the user: (secretaries) those addressed to
    their cell; (staff) those whose audience holds the user's unit or lies inside its subtree."""
    own = user.org.path
    rows = await session.scalars(
        select(TrainingClass).join(OrgUnit, OrgUnit.id == TrainingClass.org_id)
        .where(TrainingClass.starts_at >= since)
        .order_by(TrainingClass.starts_at, TrainingClass.id)
    )
    visible = []
    for klass in rows:
        if user.role != SECRETARY and (klass.org.path.startswith(own) or own.startswith(klass.org.path)):
            visible.append(klass)
        elif user.role == SECRETARY and own.startswith(klass.org.path):
            invited = await invitee_ids(session, klass.id)
            cells = set(await session.scalars(select(Source.org_id).where(Source.id.in_(invited)))) if invited else None
            if cells is None or user.org_id in cells:
                visible.append(klass)
    return visible


async def class_for_cell(session: AsyncSession, class_id: int, cell: OrgUnit) -> TrainingClass:
    klass = await session.get(TrainingClass, class_id)
    if klass is None or not cell.path.startswith(klass.org.path):
        raise RuleError(texts.CLASS_UNKNOWN.format(id=class_id))
    return klass


async def attendance_candidates(session: AsyncSession, klass: TrainingClass, cell_id: int) -> list[Source]:
    """The cell's people who may have attended (invitees first when the class lists people)."""
    query = (
        select(Source)
        .where(Source.org_id == cell_id, Source.stage.in_(eligible_stages(klass.kind)))
        .order_by(Source.name_key, Source.id)
    )
    return list(await session.scalars(query))


async def attended(session: AsyncSession, class_id: int, cell_id: int) -> set[int]:
    rows = await session.scalars(
        select(ClassAttendance.source_id).join(Source, Source.id == ClassAttendance.source_id)
        .where(ClassAttendance.class_id == class_id, Source.org_id == cell_id)
    )
    return set(rows)


@dataclass(frozen=True)
class AttendanceResult:
    klass: TrainingClass
    recorded: list[Source]
    already: list[Source]


async def record_attendance(uow: UnitOfWork, klass: TrainingClass, cell_id: int,
                            source_ids: list[int]) -> AttendanceResult:
    """Record who of the cell attended. Awareness class: each person moves to the awareness
    stage dated on the class day (pipeline.record_awareness, the /lopnhanthuc use case)."""
    if klass.starts_at > uow.now():
        raise RuleError(texts.CLASS_NOT_YET.format(id=klass.id))
    day = class_date(klass, uow.tz)
    done = await attended(uow.session, klass.id, cell_id)
    recorded, already = [], []
    for source_id in dict.fromkeys(source_ids):
        if source_id in done:
            already.append(await uow.session.get(Source, source_id))
            continue
        if klass.kind == AWARENESS_CLASS:
            change = await pipeline.record_awareness(uow, cell_id, source_id, day)
            source = change.source
        else:
            source = await uow.session.get(Source, source_id)
            if source is None or source.org_id != cell_id or source.stage != PROBATIONARY:
                raise RuleError(texts.CLASS_PERSON_WRONG_STAGE.format(code=f"N{source_id}"))
            uow.audit("class.attendance", "source", source.id, org_id=cell_id, before=None,
                      after={"class": klass.id, "kind": klass.kind, "date": day.isoformat()})
        uow.session.add(ClassAttendance(class_id=klass.id, source_id=source.id,
                                        recorded_by=uow.actor.user_id, recorded_at=uow.now()))
        recorded.append(source)
    await uow.session.flush()
    return AttendanceResult(klass, recorded, already)
