"""Importing or updating the organisation tree (`chibot org import`, the demo data)."""

from __future__ import annotations

from storage.org_import import ImportResult, apply_rows
from usecases.uow import UnitOfWork


async def import_orgs(uow: UnitOfWork, raw: list[dict[str, str]]) -> ImportResult:
    """All or nothing (storage.org_import.ImportRefused lists every bad row); each unit created
    or changed is audited. Importing the same rows again changes and records nothing."""
    result, changes = await apply_rows(uow.session, raw)
    await uow.audit_many(
        ("org.create" if change.created else "org.update", "org_unit", change.code, change.org_id,
         change.before, change.after)
        for change in changes
    )
    return result
