"""Assigning a unit's admission target (chỉ tiêu kết nạp) for a year (`chibot target set`)."""

from __future__ import annotations

from dataclasses import dataclass

from domain import texts
from domain.errors import RuleError
from storage import orgs
from storage.models import AdmissionTarget, OrgUnit
from storage.targets import MAX_TARGET
from usecases.uow import UnitOfWork


@dataclass(frozen=True)
class TargetChange:
    unit: OrgUnit
    year: int
    before: int | None  # the assigned target before, None when there was none
    after: int

    @property
    def changed(self) -> bool:
        return self.before != self.after


async def set_target(uow: UnitOfWork, org_code: str, year: int, target: int) -> TargetChange:
    """Idempotent: setting the same value again changes nothing and writes no audit row; a
    change is audited with before and after."""
    if not 0 <= target <= MAX_TARGET:
        raise RuleError(texts.TARGET_BAD_NUMBER.format(value=target))
    unit = await orgs.by_code(uow.session, org_code)
    if unit is None:
        raise RuleError(texts.REPORT_UNKNOWN_ORG.format(code=org_code))
    row = await uow.session.get(AdmissionTarget, (unit.id, year))
    before = row.target if row is not None else None
    if before == target:
        return TargetChange(unit, year, before, target)
    if row is None:
        uow.session.add(AdmissionTarget(org_id=unit.id, year=year, target=target))
    else:
        row.target = target
    uow.audit(
        "target.set", "admission_target", f"{unit.code}:{year}", org_id=unit.id,
        before=None if before is None else {"year": year, "target": before},
        after={"year": year, "target": target},
    )
    await uow.session.flush()
    return TargetChange(unit, year, before, target)
