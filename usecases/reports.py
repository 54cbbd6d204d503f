"""Exporting a report is an audited action: who took which unit's figures and people, when."""

from __future__ import annotations

from storage.models import OrgUnit
from usecases.uow import UnitOfWork


def record_export(uow: UnitOfWork, unit: OrgUnit, year: int, files: list[str]) -> None:
    """One audit row per export (chat or command line), naming the unit, year and files."""
    uow.audit("report.export", "org_unit", unit.code, org_id=unit.id,
              after={"year": year, "files": files})
