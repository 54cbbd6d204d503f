"""Rows written directly, independent of the chat flows, for report and status tests."""

from __future__ import annotations

from datetime import date, datetime

from domain.text import fold
from storage import orgs
from storage.models import QuarterlyEvaluation, Source, SourceCategory


async def add_source(session, unit_code: str, name: str, *, stage: str = "source",
                     categories=("doan_vien",), admitted: date | None = None,
                     deadline: date | None = None, evaluated=()) -> Source:
    """Rows written directly, independent of the pipeline chat flows."""
    unit = await orgs.by_code(session, unit_code)
    source = Source(
        org_id=unit.id, full_name=name, name_key=fold(name), birth_date=date(1999, 2, 3), note="",
        stage=stage, admission_date=admitted, recognition_deadline=deadline,
        created_at=datetime(2026, 1, 5),
    )
    source.categories = [SourceCategory(category=c) for c in categories]
    session.add(source)
    await session.flush()
    for year, quarter in evaluated:
        session.add(QuarterlyEvaluation(source_id=source.id, year=year, quarter=quarter, level="tot",
                                        comment="", evaluated_at=datetime(year, quarter * 3, 1)))
    await session.flush()
    return source
