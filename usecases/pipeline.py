"""The stages of the pipeline: the awareness class (/lopnhanthuc), admission (/ketnap) and
recognition as a full member (/chinhthuc). Each checks the stage and the dates against the
rules of `domain.pipeline` and audits the change with full snapshots, so /hoantac restores it."""

from __future__ import annotations

from datetime import date

from domain import texts
from domain.dates import age_on, fmt
from domain.errors import RuleError
from domain.naming import wrong_stage
from domain.pipeline import (
    ACTIVE_STAGES,
    ADMITTABLE_STAGES,
    AWARENESS,
    FULL,
    PROBATIONARY,
    SOURCE,
    check_admission,
    check_awareness_date,
    check_recognition,
    over_age_limit,
    recognition_deadline,
)
from storage import sources
from storage.models import Source
from usecases.sources import SourceChange, source_in_cell
from usecases.uow import UnitOfWork


# --- /lopnhanthuc -----------------------------------------------------------------------------------
def check_awareness_stage(source: Source) -> None:
    if source.stage not in ACTIVE_STAGES:
        raise wrong_stage(texts.AWARENESS_WRONG_STAGE, source)


async def record_awareness(
    uow: UnitOfWork, org_id: int, source_id: int, completed: date, certificate: str = ""
) -> SourceChange:
    """The person completed the party-awareness class on `completed`; a second record for a
    person already at that stage updates the date (and the certificate when one is given)."""
    source = await source_in_cell(uow, org_id, source_id)
    check_awareness_stage(source)
    check_awareness_date(source.birth_date, completed)
    before = sources.source_snapshot(source)
    updating = source.stage == AWARENESS
    source.stage = AWARENESS
    source.awareness_date = completed
    if certificate or not updating:
        source.certificate_no = certificate or None
    await uow.session.flush()
    after = sources.source_snapshot(source)
    uow.audit("source.awareness", "source", source.id, org_id=source.org_id, before=before, after=after)
    return SourceChange(source, before, after)


# --- /ketnap ----------------------------------------------------------------------------------------
def check_admittable(source: Source) -> None:
    if source.stage == SOURCE:
        raise RuleError(texts.ADMIT_NEEDS_AWARENESS.format(name=source.full_name, code=source.code))
    if source.stage not in ADMITTABLE_STAGES:
        raise wrong_stage(texts.ADMIT_WRONG_STAGE, source)


def over60_text(source: Source, admission: date) -> str:
    return texts.ADMIT_OVER_60.format(
        name=source.full_name, code=source.code, birth=fmt(source.birth_date), date=fmt(admission),
        age=age_on(source.birth_date, admission),
    )


async def admit(
    uow: UnitOfWork, org_id: int, source_id: int, admission: date, decision: str = "", *, confirmed: bool = False,
    approval: tuple[str, str] | None = None,
) -> SourceChange:
    """Admission as a probationary member; past the 60th birthday only when `confirmed`, with
    the `approval` (decision number, committee) that allowed it recorded on the person."""
    source = await source_in_cell(uow, org_id, source_id)
    check_admittable(source)
    check_admission(source.birth_date, source.awareness_date, admission, name=source.full_name, code=source.code)
    over60 = over_age_limit(source.birth_date, admission)
    if over60 and not confirmed:
        raise RuleError(over60_text(source, admission))
    before = sources.source_snapshot(source)
    source.stage = PROBATIONARY
    source.admission_date = admission
    source.decision_no = decision or None
    source.recognition_deadline = recognition_deadline(admission)
    if over60 and approval is not None:
        source.over60_decision_no, source.over60_authority = approval
    await uow.session.flush()
    after = sources.source_snapshot(source)
    audited = {**after, "over_60_confirmed": True} if over60 else after
    uow.audit("source.admit", "source", source.id, org_id=source.org_id, before=before, after=audited)
    return SourceChange(source, before, after)


# --- /chinhthuc -------------------------------------------------------------------------------------
def check_recognisable(source: Source) -> None:
    if source.stage != PROBATIONARY:
        raise wrong_stage(texts.RECOGNISE_WRONG_STAGE, source)


async def recognise(
    uow: UnitOfWork, org_id: int, source_id: int, recognised: date, decision: str = ""
) -> SourceChange:
    """Recognition as a full member, at least 12 months after the admission, with the number
    of the decision that recognised them when there is one."""
    source = await source_in_cell(uow, org_id, source_id)
    check_recognisable(source)
    check_recognition(source.admission_date, recognised, name=source.full_name, code=source.code)
    before = sources.source_snapshot(source)
    source.stage = FULL
    source.recognition_date = recognised
    source.recognition_decision_no = decision or None
    if source.recognition_deadline is None:
        source.recognition_deadline = recognition_deadline(source.admission_date)
    await uow.session.flush()
    after = sources.source_snapshot(source)
    uow.audit("source.recognise", "source", source.id, org_id=source.org_id, before=before, after=after)
    return SourceChange(source, before, after)
