"""The scheduled jobs, level-triggered: each run computes from the database what is due at that
moment and queues it in the outbox under a unique dedup key. Nothing remembers that a job fired:
a run after days of downtime catches up what is still relevant, and a second run (or a second
scheduler) adds nothing, because every key is inserted ignoring duplicates.

When several stages of one reminder are due at once (after downtime), only the latest is sent:
a secretary gets "the deadline is in 3 days", not also the first reminder of two weeks ago.

Jobs and their keys (u = the recipient's user id):
- evaluation_reminder  `eval:{year}q{q}:r{1|2}:u`  secretaries of cells with sources not yet
  evaluated this quarter: from CHIBOT_EVALUATION_FIRST_DAY of the quarter's last month, and
  CHIBOT_EVALUATION_SECOND_DAYS before CHIBOT_EVALUATION_DUE_DAY; until the due day.
- evaluation_late      `evlate:{year}q{q}:l{1|2}:u`  after the due day, staff of the unit above
  the late cells (level 1), after CHIBOT_EVALUATION_ESCALATION_DAYS more the unit above that.
- probation            `prob:{source}:{event}:{deadline}:u`  12 months over, the recognition
  deadline CHIBOT_PROBATION_WARNING_DAYS away, the deadline passed (also to the unit above).
- target_prompt        `target:{year}:u`  in January, staff whose child units have no target.
- class_announcement / class_reminder / class_attendance  `cls:{id}:{ann|rem|att}:u`.
- broadcast            `bcr:{id}`  the delivery report, once every row of the broadcast is final.
Every message is due at CHIBOT_REMINDER_HOUR local time of its day (announcements and reports
at once) and never goes out in the quiet hours (usecases.notify.release_time).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain import texts
from domain.dates import evaluation_deadline, fmt, quarter_of
from domain.pipeline import ACTIVE_STAGES, PROBATIONARY, earliest_recognition, quarter_label, recognition_deadline
from domain.rates import default_target
from domain.roles import ADMIN, SECRETARY, STAFF
from handlers.types import Choice
from storage.clock import to_local
from storage.models import AdmissionTarget, OrgUnit, Source, TrainingClass, User
from storage.sources import evaluated_in
from storage.targets import subtree_members
from usecases import broadcasts, classes, notify
from usecases.notify import Notice, local_moment

log = logging.getLogger(__name__)

KINDS = ("evaluation_reminder", "evaluation_late", "probation", "target_prompt", "class_announcement",
         "class_reminder", "class_attendance", "broadcast")
NAMES_SHOWN = 15  # people listed in one reminder; the rest are counted


def _ids(path: str) -> list[int]:
    return [int(part) for part in path.strip("/").split("/") if part]


def _names(people: list[tuple[int, str]]) -> str:
    lines = [f"• {name} (N{id_})" for id_, name in people[:NAMES_SHOWN]]
    if len(people) > NAMES_SHOWN:
        lines.append(texts.SCHED_AND_MORE.format(n=len(people) - NAMES_SHOWN))
    return "\n".join(lines)


@dataclass
class Planner:
    """Computes the notices due at `now` (naive UTC)."""

    session: AsyncSession
    settings: object
    now: datetime

    @property
    def today(self) -> date:
        return to_local(self.now, self.settings.tz).date()

    def at(self, day: date) -> datetime:
        return local_moment(day, self.settings.reminder_hour, self.settings)

    async def notice(self, **kwargs) -> dict:
        """A message a job wants to send; resolved into a Notice (recipient, send time) by
        `all()` only when its dedup key is new, so a run over what was already sent costs one
        indexed lookup per message rather than the recipient's queries."""
        return kwargs

    async def users(self, *, roles: tuple[str, ...], org_ids=None) -> list[User]:
        query = select(User).where(User.active.is_(True), User.role.in_(roles)).order_by(User.id)
        if org_ids is not None:
            query = query.where(User.org_id.in_(list(org_ids)))
        return list(await self.session.scalars(query))

    # --- quarterly evaluation --------------------------------------------------------------
    async def evaluations(self) -> list[dict]:
        s = self.settings
        year, quarter = quarter_of(self.today)
        deadline = evaluation_deadline(year, quarter, s.evaluation_due_day)
        first = deadline.replace(day=min(s.evaluation_first_day, deadline.day))
        second = max(first, deadline - timedelta(days=s.evaluation_second_days))
        label = quarter_label(year, quarter)
        rows = (await self.session.execute(
            select(Source.org_id, Source.id, Source.full_name)
            .where(Source.stage.in_(ACTIVE_STAGES), ~evaluated_in(year, quarter))
            .order_by(Source.org_id, Source.name_key, Source.id)
        )).all()
        pending: dict[int, list[tuple[int, str]]] = {}
        for org_id, id_, name in rows:
            pending.setdefault(org_id, []).append((id_, name))
        if not pending:
            return []
        units = {u.id: u for u in await self.session.scalars(select(OrgUnit).where(OrgUnit.id.in_(list(pending))))}
        out: list[dict] = []
        if self.today <= deadline and self.now >= self.at(first):
            stage = 2 if self.now >= self.at(second) else 1
            template = texts.SCHED_EVAL_SECOND if stage == 2 else texts.SCHED_EVAL_FIRST
            for user in await self.users(roles=(SECRETARY,), org_ids=pending):
                people = pending[user.org_id]
                text = template.format(quarter=label, unit=units[user.org_id].name, n=len(people),
                                       names=_names(people), deadline=fmt(deadline))
                out.append(await self.notice(kind="evaluation_reminder", user_id=user.id, org=units[user.org_id],
                                             dedup_key=f"eval:{year}q{quarter}:r{stage}:u{user.id}", text=text))
        if self.today > deadline:
            late_at = {1: self.at(deadline + timedelta(days=1)),
                       2: self.at(deadline + timedelta(days=1 + s.evaluation_escalation_days))}
            # (level, unit above) -> the late cells under it
            above: dict[tuple[int, int], list[OrgUnit]] = {}
            for unit in units.values():
                chain = _ids(unit.path)
                for level in (1, 2):
                    if len(chain) > level and self.now >= late_at[level]:
                        above.setdefault((level, chain[-1 - level]), []).append(unit)
            if above:
                heads = {u.id: u for u in await self.session.scalars(
                    select(OrgUnit).where(OrgUnit.id.in_({head for _, head in above})))}
                staff = await self.users(roles=(STAFF, ADMIN), org_ids=heads)
                for (level, head), cells in sorted(above.items()):
                    lines = "\n".join(
                        texts.SCHED_LATE_LINE.format(unit=c.name, code=c.code, n=len(pending[c.id]))
                        for c in sorted(cells, key=lambda c: c.code))
                    template = texts.SCHED_LATE if level == 1 else texts.SCHED_LATE_ESCALATED
                    for user in staff:
                        if user.org_id != head:
                            continue
                        text = template.format(quarter=label, deadline=fmt(deadline), unit=heads[head].name,
                                               n=len(cells), lines=lines, code=heads[head].code)
                        out.append(await self.notice(kind="evaluation_late", user_id=user.id, org=heads[head],
                                                     dedup_key=f"evlate:{year}q{quarter}:l{level}:u{user.id}",
                                                     text=text))
        return out

    # --- probation ---------------------------------------------------------------------------
    async def probation(self) -> list[dict]:
        s = self.settings
        sources = list(await self.session.scalars(
            select(Source).where(Source.stage == PROBATIONARY, Source.admission_date.is_not(None))
            .order_by(Source.org_id, Source.id)
        ))
        if not sources:
            return []
        units = {u.id: u for u in await self.session.scalars(
            select(OrgUnit).where(OrgUnit.id.in_({p.org_id for p in sources})))}
        parents = {u.parent_id for u in units.values() if u.parent_id is not None}
        heads = {u.id: u for u in await self.session.scalars(select(OrgUnit).where(OrgUnit.id.in_(parents)))}
        secretaries = await self.users(roles=(SECRETARY,), org_ids=units)
        staff = await self.users(roles=(STAFF, ADMIN), org_ids=heads)
        out: list[dict] = []
        for person in sources:
            deadline = person.recognition_deadline or recognition_deadline(person.admission_date)
            events = [("ended", earliest_recognition(person.admission_date)),
                      ("soon", deadline - timedelta(days=s.probation_warning_days)),
                      ("passed", deadline + timedelta(days=1))]
            due = [(name, day) for name, day in events if self.now >= self.at(day)]
            if not due:
                continue
            event, _ = max(due, key=lambda e: e[1])
            unit = units[person.org_id]
            values = {"name": person.full_name, "code": person.code, "unit": unit.name,
                      "admission": fmt(person.admission_date), "deadline": fmt(deadline),
                      "ended": fmt(earliest_recognition(person.admission_date)), "days": s.probation_warning_days}
            text = texts.SCHED_PROBATION[event].format(**values)
            key = f"prob:{person.id}:{event}:{deadline.isoformat()}"
            for user in secretaries:
                if user.org_id == person.org_id:
                    out.append(await self.notice(kind="probation", user_id=user.id, org=unit,
                                                 dedup_key=f"{key}:u{user.id}", text=text))
            if event == "passed" and unit.parent_id in heads:
                staff_text = texts.SCHED_PROBATION_STAFF.format(**values, code_unit=unit.code)
                for user in staff:
                    if user.org_id == unit.parent_id:
                        out.append(await self.notice(kind="probation", user_id=user.id, org=unit,
                                                     dedup_key=f"{key}:u{user.id}", text=staff_text))
        return out

    # --- yearly targets ----------------------------------------------------------------------
    async def targets(self) -> list[dict]:
        s = self.settings
        year = self.today.year
        start = date(year, 1, 1)
        if not (self.at(start) <= self.now < self.at(start + timedelta(days=s.target_prompt_days))):
            return []
        out: list[dict] = []
        for user in await self.users(roles=(STAFF, ADMIN)):
            unit = await self.session.get(OrgUnit, user.org_id)
            proposals = await target_proposals(self.session, unit, year, s)
            missing = [p for p in proposals if p.assigned is None]
            if not missing:
                continue
            lines = "\n".join(texts.SCHED_TARGET_LINE.format(unit=p.unit.name, code=p.unit.code, members=p.members,
                                                             proposed=p.proposed) for p in missing)
            text = texts.SCHED_TARGET.format(year=year, unit=unit.name, n=len(missing), lines=lines,
                                             rate=f"{s.target_rate * 100:g}", example=missing[0].unit.code,
                                             example_n=missing[0].proposed)
            out.append(await self.notice(kind="target_prompt", user_id=user.id, org=unit,
                                         dedup_key=f"target:{year}:u{user.id}", text=text,
                                         choices=(Choice(texts.TARGET_ACCEPT_ALL, f"tg:all:{year}"),)))
        return out

    # --- training classes ----------------------------------------------------------------------
    async def classes(self) -> list[dict]:
        s = self.settings
        horizon = self.now - timedelta(days=s.class_attendance_days)
        rows = list(await self.session.scalars(
            select(TrainingClass).where(TrainingClass.starts_at >= horizon).order_by(TrainingClass.id)))
        out: list[dict] = []
        for klass in rows:
            start_local = to_local(klass.starts_at, s.tz)
            values = {"id": klass.id, "kind": texts.CLASS_KIND_NAMES[klass.kind], "title": klass.title,
                      "date": fmt(start_local.date()), "time": start_local.strftime("%H:%M"), "place": klass.place,
                      "unit": klass.org.name}
            ask_at = klass.starts_at + timedelta(hours=s.class_attendance_hours)
            remind_at = self.at(start_local.date() - timedelta(days=1))
            if self.now >= ask_at:
                step, kind, template = "att", "class_attendance", texts.SCHED_CLASS_ATTENDANCE
                choices = (Choice(texts.CLASS_RECORD_BUTTON, f"lh:att:{klass.id}"),)
            elif self.now >= klass.starts_at:
                continue  # under way: nothing to say until it is over
            elif self.now >= remind_at:
                step, kind, template, choices = "rem", "class_reminder", texts.SCHED_CLASS_REMINDER, ()
            else:
                step, kind, template, choices = "ann", "class_announcement", texts.SCHED_CLASS_ANNOUNCEMENT, ()
            for user in await classes.audience_secretaries(self.session, klass):
                unit = await self.session.get(OrgUnit, user.org_id)
                out.append(await self.notice(kind=kind, user_id=user.id, org=unit,
                                             dedup_key=f"cls:{klass.id}:{step}:u{user.id}",
                                             text=template.format(**values), choices=choices))
        return out

    # --- broadcast delivery reports -----------------------------------------------------------
    async def broadcast_reports(self, finished: list | None = None) -> list[dict]:
        out: list[dict] = []
        for broadcast in await broadcasts.unreported(self.session):
            report = await broadcasts.delivery_report(self.session, broadcast)
            if not report.final:
                continue
            if finished is not None:
                finished.append(broadcast)
            if broadcast.sender_id is None:
                continue
            out.append(await self.notice(kind="broadcast", user_id=broadcast.sender_id, org=broadcast.org,
                                         dedup_key=f"bcr:{broadcast.id}",
                                         text=broadcasts.report_text(report, self.settings.tz)))
        return out

    async def all(self, finished: list | None = None) -> list[Notice]:
        drafts: list[dict] = []
        for job in (self.evaluations, self.probation, self.targets, self.classes):
            drafts += await job()
        drafts += await self.broadcast_reports(finished)
        known = await notify.known_keys(self.session, [d["dedup_key"] for d in drafts])
        fresh: list[Notice] = []
        for draft in drafts:
            if draft["dedup_key"] in known:
                continue
            known.add(draft["dedup_key"])
            notice = await notify.notice_for(self.session, self.settings, self.now, **draft)
            if notice is not None:  # not linked (or blocked): the key stays free until they are
                fresh.append(notice)
        return fresh


@dataclass(frozen=True)
class Proposal:
    unit: OrgUnit
    members: int
    proposed: int
    assigned: int | None


async def target_proposals(session: AsyncSession, unit: OrgUnit, year: int, settings) -> list[Proposal]:
    """The child units of `unit` with their members, the proposed target (the configured rate of
    their membership, rounded up) and the target assigned for `year`, if any."""
    children = list(await session.scalars(select(OrgUnit).where(OrgUnit.parent_id == unit.id).order_by(OrgUnit.code)))
    if not children:
        return []
    assigned = dict((await session.execute(
        select(AdmissionTarget.org_id, AdmissionTarget.target)
        .where(AdmissionTarget.year == year, AdmissionTarget.org_id.in_([c.id for c in children]))
    )).all())
    out = []
    for child in children:
        members = await subtree_members(session, child)
        out.append(Proposal(child, members, default_target(members, settings.target_rate), assigned.get(child.id)))
    return out


async def due_notices(session: AsyncSession, settings, now: datetime) -> list[Notice]:
    """What a run at `now` would queue (nothing is written): `chibot schedule due`."""
    return await Planner(session, settings, now).all()


async def run_jobs(sessions, settings, now: datetime) -> int:
    """One run of every job in one transaction; returns how many messages were queued."""
    async with sessions() as session:
        async with session.begin():
            finished: list = []
            notices = await Planner(session, settings, now).all(finished)
            added = await notify.enqueue_once(session, notices, now)
            for broadcast in finished:
                broadcast.reported_at = now
    if added:
        log.info("scheduler: %d message(s) queued", added)
    return added

