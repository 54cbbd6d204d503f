"""The year-end projection (domain.projection) on constructed histories: the rule alone, and
through the report over a tree whose past admissions set the observed durations."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from domain.projection import (DEFAULT_MEDIAN_DAYS, DEFAULT_P90_DAYS, Durations, likely_window,
                               project, quantile, summarise)
from storage import orgs
from storage.models import Source
from storage.reports import build_report
from tests.test_reports import make_tree

TODAY = date(2026, 11, 26)


def test_quantiles_of_observed_durations():
    histogram = {100: 1, 120: 1, 150: 2, 200: 1, 400: 1}  # six people
    assert quantile(histogram, 0.5) == 150
    assert quantile(histogram, 0.9) == 400
    assert summarise(histogram) == Durations(150, 400, 6)


def test_too_few_observations_fall_back_to_the_defaults():
    assert summarise({90: 2, 120: 2}) == Durations(DEFAULT_MEDIAN_DAYS, DEFAULT_P90_DAYS, 0)
    # admissions recorded before the class are data errors, not observations
    assert summarise({-5: 10, 30: 4}).observed == 0


def test_the_window_of_likely_candidates():
    durations = Durations(150, 400, 6)
    first, last = likely_window(2026, TODAY, durations)
    assert last == date(2026, 12, 31) - timedelta(days=150) == date(2026, 8, 3)
    assert first == TODAY - timedelta(days=400)
    assert likely_window(2025, TODAY, durations) is None  # past years project nothing


def test_will_miss_when_the_projection_falls_short():
    assert project(2, 1, 4).as_dict() == {"likely": 1, "projected": 3, "will_miss": True}
    assert project(2, 2, 4).will_miss is False
    assert project(0, 0, 0).will_miss is False


TREE = [
    ("P", "", "Tỉnh ủy thử", "province", 0),
    ("A", "P", "Chi bộ A", "cell", 50),
    ("B", "P", "Chi bộ B", "cell", 50),
]


async def person(session, code, n, stage, awareness=None, admitted=None):
    unit = await orgs.by_code(session, code)
    session.add(Source(org_id=unit.id, full_name=f"Người {code}{n}", name_key=f"nguoi {code}{n}",
                       birth_date=date(1995, 1, 1), note="", stage=stage, awareness_date=awareness,
                       admission_date=admitted, created_at=datetime(2024, 1, 1)))


@pytest.fixture(params=["kept", "rebuilt"])
async def history(app, request):
    """The counts kept as the people are stored, or rebuilt from scratch after (storage.rollups)."""
    async with app.services.sessions() as session:
        async with session.begin():
            await make_tree(session, TREE)
            # Six admissions of the past in B: class-to-admission 100, 120, 150, 150, 200, 400 days.
            for n, days in enumerate((100, 120, 150, 150, 200, 400)):
                class_day = date(2023, 1, 10)
                await person(session, "B", n, "full", class_day, class_day + timedelta(days=days))
            # A: one admission this year, three candidates who attended the class.
            await person(session, "A", 1, "probationary", date(2025, 9, 1), date(2026, 3, 1))
            await person(session, "A", 2, "awareness", date(2026, 7, 1))   # 1/7 + 150 d = 28/11: likely
            await person(session, "A", 3, "awareness", date(2026, 9, 15))  # + 150 d = 12/02/2027: not this year
            await person(session, "A", 4, "awareness", date(2025, 1, 2))   # 693 days waiting > 400: stuck
            await person(session, "A", 5, "source")                         # no class yet: cannot be admitted
    if request.param == "rebuilt":
        from storage import rollups

        async with app.engine.begin() as conn:
            await conn.run_sync(rollups.rebuild)
    return app


async def report(app, code, year=2026, today=TODAY):
    async with app.services.sessions() as session:
        unit = await orgs.by_code(session, code)
        return await build_report(session, unit, year, today, app.settings)


async def test_projection_from_the_observed_durations(history):
    a = await report(history, "A")
    assert a["target"] == 2  # ceil(0.04 * 50)
    assert a["admissions"] == 1
    # durations are observed over P's subtree for P's report, over A's own for A's (none there:
    # the defaults 180/365 days apply): 1/7/2026 + 180 d = 28/12 is this year; 15/9 + 180 is not
    assert a["projection"] == {"likely": 1, "projected": 2, "will_miss": False}

    p = await report(history, "P")
    assert p["target"] == 4
    assert p["admissions"] == 1
    # B's six admissions give median 150, P90 400: candidate 2 is likely, 3 too late, 4 stuck
    assert p["projection"] == {"likely": 1, "projected": 2, "will_miss": True}
    by_code = {c["org"]["code"]: c for c in p["children"]}
    assert by_code["A"]["projection"] == {"likely": 1, "projected": 2, "will_miss": False}
    assert by_code["B"]["projection"] == {"likely": 0, "projected": 0, "will_miss": True}


async def test_later_in_the_year_fewer_candidates_are_likely(history):
    # On 20/12/2026 candidate 2 is still within P90; a report for 2025 projects nothing.
    p = await report(history, "P", today=date(2026, 12, 20))
    assert p["projection"]["likely"] == 1
    past = await report(history, "P", year=2025)
    assert past["projection"] == {"likely": 0, "projected": past["admissions"], "will_miss": past["admissions"] < past["target"]}


async def test_a_long_wait_in_the_data_widens_the_window(history):
    # Add admissions that took two years: P90 grows beyond candidate 4's wait, who counts again.
    async with history.services.sessions() as session:
        async with session.begin():
            for n in range(6):
                await person(session, "B", 10 + n, "full", date(2022, 1, 1), date(2024, 1, 1))
    p = await report(history, "P")
    # 12 observations: median (the 6th) 400 days, P90 730: candidate 2 (1/7 + 400 d) falls out of
    # this year, candidate 4 (waiting 693 days) is no longer stuck
    assert p["projection"]["likely"] == 1
    a_in_p = next(c for c in p["children"] if c["org"]["code"] == "A")
    assert a_in_p["projection"]["likely"] == 1
