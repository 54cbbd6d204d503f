"""Precomputed report figures: per unit, the counts over its whole subtree (`report_counts`).

Why (measured with benchmarks/scale.py, README "Benchmarks"): counting the national tree's
1.2 million sources at every request took 5 s on PostgreSQL, most of it in grouped joins of
sources, categories and evaluations to 208,000 units. The counts that add up the tree and do
not move with the calendar are kept here instead, so a report reads a few rows per unit shown:

    members                     the recorded party members
    source, awareness,          people at that stage now
      probationary
    cat:<category>              active people (source or awareness) per priority group;
                                an unknown stored key counts as `khac`
    admitted (year)             admissions dated in the year
    recognised (year)           recognitions dated in the year
    evaluated (year, quarter)   active people with an evaluation for the quarter
    wait (year, days)           people admitted in the year `days` after their awareness
                                class (the `quarter` column holds the days): the
                                projection's observed waits (domain.projection)
    units_active                units holding active people
    units_done (year, quarter)  of those, the units whose active people are all evaluated

so evaluations_due = active − evaluated(q) and cells_late = units_active − units_done(q). The
figures that change with the calendar alone (probation deadlines, the projection's window)
are counted from indexed date columns by storage.reports.

How they stay right: every ORM session is watched (`install`, done once by storage.db). The
first time a transaction's flush touches a person (the person, a category, an evaluation), the
person's share of their unit's counts is taken as the database holds it before the change, and
for each touched unit (before and after a move) the two facts of the whole unit (it holds active
people; all of them are evaluated for a quarter); a person inserted by the flush had no share.
At commit the same people and units are counted again and the difference is added to each
unit's row and every ancestor's, in the same transaction. Counting the touched people again
rather than reasoning about each write path keeps every use case — add, edit, remove,
admission, recognition, evaluation, undo — right without touching it, and a change costs the
same in a cell of ten people as in one of a thousand (the throughput benchmark's three cells
hold hundreds each: counting the whole cell again cost about 1 ms per update there). Changes to
the tree (storage.org_import) call `add_members` and `recount`; bulk loads call `rebuild`.
tests/test_reports_counts.py compares the kept counts with a rebuild after random sequences of
use-case calls, on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from sqlalchemy import Integer, and_, bindparam, case, delete, event, extract, func, literal, select, text, union_all
from sqlalchemy.orm import Session, attributes

from domain.categories import CATEGORIES as CATEGORY_KEYS
from domain.pipeline import ACTIVE_STAGES
from storage import prepared
from storage.models import OrgUnit, QuarterlyEvaluation, ReportCount, Source, SourceCategory

Key = tuple[str, int, int]  # (name, year, quarter)
_STATE = "report_counts"  # session.info key: the transaction's _Changes


def _ids(column, org_ids):
    return column.in_(org_ids) if org_ids is not None else literal(True)


def own_counts(dialect: str, org_ids: Iterable[int] | None = None):
    """(org_id, name, year, quarter, n): each unit's OWN counts (not its subtree's), for the
    units `org_ids` (a list or a subquery of ids; None: every unit)."""
    return union_all(*_own_parts(dialect, org_ids))


def _own_parts(dialect: str, org_ids):
    active = Source.stage.in_(ACTIVE_STAGES)
    zero = literal(0, Integer)
    parts = [
        select(OrgUnit.id, literal("members"), zero, zero, OrgUnit.members)
        .where(_ids(OrgUnit.id, org_ids), OrgUnit.members != 0),
        select(Source.org_id, Source.stage, zero, zero, func.count())
        .where(_ids(Source.org_id, org_ids), Source.stage.in_(("source", "awareness", "probationary")))
        .group_by(Source.org_id, Source.stage),
    ]
    category = case((SourceCategory.category.in_(CATEGORY_KEYS), SourceCategory.category), else_="khac")
    parts.append(
        select(Source.org_id, literal("cat:").concat(category), zero, zero, func.count())
        .join(SourceCategory, SourceCategory.source_id == Source.id)
        .where(_ids(Source.org_id, org_ids), active)
        .group_by(Source.org_id, category))
    for name, column in (("admitted", Source.admission_date), ("recognised", Source.recognition_date)):
        year = cast_int(extract("year", column))
        parts.append(
            select(Source.org_id, literal(name), year, zero, func.count())
            .where(_ids(Source.org_id, org_ids), column.is_not(None))
            .group_by(Source.org_id, year))
    if dialect == "sqlite":
        days = cast_int(func.julianday(Source.admission_date) - func.julianday(Source.awareness_date))
    else:
        days = Source.admission_date - Source.awareness_date  # PostgreSQL: whole days
    admitted_year = cast_int(extract("year", Source.admission_date))
    parts.append(  # the projection's observed waits, class to admission: year admitted, days
        select(Source.org_id, literal("wait"), admitted_year, days, func.count())
        .where(_ids(Source.org_id, org_ids), Source.admission_date.is_not(None), Source.awareness_date.is_not(None))
        .group_by(Source.org_id, admitted_year, days))
    evaluated = (
        select(Source.org_id.label("org_id"), QuarterlyEvaluation.year.label("year"),
               QuarterlyEvaluation.quarter.label("quarter"), func.count().label("n"))
        .join(QuarterlyEvaluation, QuarterlyEvaluation.source_id == Source.id)
        .where(_ids(Source.org_id, org_ids), active)
        .group_by(Source.org_id, QuarterlyEvaluation.year, QuarterlyEvaluation.quarter)
    ).subquery("evaluated")
    pool = (select(Source.org_id.label("org_id"), func.count().label("n"))
            .where(_ids(Source.org_id, org_ids), active).group_by(Source.org_id)).subquery("pool")
    parts.append(select(evaluated.c.org_id, literal("evaluated"), evaluated.c.year, evaluated.c.quarter,
                        evaluated.c.n))
    parts.append(select(pool.c.org_id, literal("units_active"), zero, zero, literal(1, Integer)))
    parts.append(
        select(evaluated.c.org_id, literal("units_done"), evaluated.c.year, evaluated.c.quarter,
               literal(1, Integer))
        .join(pool, and_(pool.c.org_id == evaluated.c.org_id, pool.c.n == evaluated.c.n)))
    return [_labelled(part) for part in parts]


def _labelled(query):
    """The same columns under the names every part of the union shares."""
    columns = list(query.selected_columns)
    return query.with_only_columns(*(c.label(name) for c, name in zip(columns, COLUMNS)))


COLUMNS = ("org_id", "name", "year", "quarter", "n")


def cast_int(expression):
    from sqlalchemy import cast

    return cast(expression, Integer)


_PERSONS = (select(Source.org_id, Source.id, Source.stage, Source.admission_date, Source.awareness_date,
                   Source.recognition_date, SourceCategory.category)
            .outerjoin(SourceCategory, SourceCategory.source_id == Source.id)
            .where(Source.id.in_(bindparam("ids", expanding=True))))
_PERSONS_EVALUATED = (
    select(Source.org_id, QuarterlyEvaluation.year, QuarterlyEvaluation.quarter, func.count())
    .join(QuarterlyEvaluation, QuarterlyEvaluation.source_id == Source.id)
    .where(Source.id.in_(bindparam("ids", expanding=True)), Source.stage.in_(ACTIVE_STAGES))
    .group_by(Source.org_id, QuarterlyEvaluation.year, QuarterlyEvaluation.quarter))
_PATHS = select(OrgUnit.id, OrgUnit.path).where(OrgUnit.id.in_(bindparam("units", expanding=True)))
_ACTIVE = (select(Source.org_id, func.count())
           .where(Source.org_id.in_(bindparam("units", expanding=True)), Source.stage.in_(ACTIVE_STAGES))
           .group_by(Source.org_id))
_EVALUATED = (select(Source.org_id, QuarterlyEvaluation.year, QuarterlyEvaluation.quarter, func.count())
              .join(QuarterlyEvaluation, QuarterlyEvaluation.source_id == Source.id)
              .where(Source.org_id.in_(bindparam("units", expanding=True)), Source.stage.in_(ACTIVE_STAGES))
              .group_by(Source.org_id, QuarterlyEvaluation.year, QuarterlyEvaluation.quarter))


def _persons(connection, ids: list[int], found: dict[int, Counter]) -> None:
    """Add what the people `ids` (as the database holds them now) count for in their units:
    every figure of `own_counts` that is a sum over people (all but members, `units_active`
    and `units_done`), in two statements compiled once. A person's share is counted, not the
    unit's: the cost of a change does not grow with the size of its cell."""
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        seen: set[int] = set()
        for org_id, id_, stage, admitted, awareness, recognised, category in prepared.rows_now(
                connection, _PERSONS, {"ids": chunk}):
            counts = found.setdefault(org_id, Counter())
            if category is not None and stage in ACTIVE_STAGES:
                counts[("cat:" + (category if category in CATEGORY_KEYS else "khac"), 0, 0)] += 1
            if id_ in seen:
                continue  # one row per category: the person's own figures once
            seen.add(id_)
            if stage in ("source", "awareness", "probationary"):
                counts[(stage, 0, 0)] += 1
            if admitted is not None:
                counts[("admitted", admitted.year, 0)] += 1
                if awareness is not None:
                    counts[("wait", admitted.year, (admitted - awareness).days)] += 1
            if recognised is not None:
                counts[("recognised", recognised.year, 0)] += 1
        for org_id, year, quarter, n in prepared.rows_now(connection, _PERSONS_EVALUATED, {"ids": chunk}):
            found.setdefault(org_id, Counter())[("evaluated", int(year), int(quarter))] += int(n)


def _flags(connection, units: list[int], found: dict[int, Counter]) -> None:
    """Add the units' own `units_active` (it holds active people) and `units_done` (all of
    them evaluated for the quarter): facts of the whole unit, counted by the database."""
    for start in range(0, len(units), 500):
        chunk = units[start:start + 500]
        active = {org_id: int(n) for org_id, n in prepared.rows_now(connection, _ACTIVE, {"units": chunk})}
        for org_id, n in active.items():
            if n:
                found.setdefault(org_id, Counter())[("units_active", 0, 0)] += 1
        for org_id, year, quarter, n in prepared.rows_now(connection, _EVALUATED, {"units": chunk}):
            if int(n) == active.get(org_id, 0):
                found.setdefault(org_id, Counter())[("units_done", int(year), int(quarter))] += 1


# The same statement on SQLite and PostgreSQL: through SQLAlchemy a text() (compiled once and
# cached; the dialects' insert().on_conflict_do_update() has no cache key and was compiled at
# every change), on SQLite straight on the driver.
_UPSERT_SQL = ("INSERT INTO report_counts (org_id, name, year, quarter, n) VALUES ({}) "
               "ON CONFLICT (org_id, name, year, quarter) DO UPDATE SET n = report_counts.n + excluded.n")
_UPSERT = text(_UPSERT_SQL.format(":org_id, :name, :year, :quarter, :n"))
_UPSERT_SQLITE = _UPSERT_SQL.format("?, ?, ?, ?, ?")


def add(connection, deltas: dict[tuple[int, str, int, int], int]) -> None:
    """Add each delta {(org_id, name, year, quarter): n} to the stored counts (on SQLite
    straight on the driver, in the connection's transaction)."""
    rows = [(org_id, name, year, quarter, n) for (org_id, name, year, quarter), n in deltas.items() if n]
    raw = prepared.driver(connection)
    for start in range(0, len(rows), 5000):
        batch = rows[start:start + 5000]
        if raw is not None:
            raw.executemany(_UPSERT_SQLITE, batch)
        else:
            connection.execute(_UPSERT, [dict(zip(COLUMNS, row)) for row in batch])


def ancestors(path: str) -> list[int]:
    """"/1/5/23/" -> [1, 5, 23]: the unit itself and every unit above it."""
    return [int(part) for part in path.strip("/").split("/") if part]


def propagate(connection, own_deltas: dict[int, Counter], paths: dict[int, str] | None = None) -> None:
    """Add each unit's change of its own counts to its row and to every ancestor's (`paths`:
    the units' paths when the caller has them, else read)."""
    changed = {org_id: delta for org_id, delta in own_deltas.items() if any(delta.values())}
    if not changed:
        return
    if paths is None:
        wanted = list(changed)
        paths = {}
        for start in range(0, len(wanted), 500):
            paths.update(prepared.rows_now(connection, _PATHS, {"units": wanted[start:start + 500]}))
    deltas: Counter = Counter()
    for org_id, delta in changed.items():
        if org_id not in paths:
            continue  # the unit is gone; nothing of it can be reported
        for above in ancestors(paths[org_id]):
            for (name, year, quarter), n in delta.items():
                if n:
                    deltas[(above, name, year, quarter)] += n
    add(connection, deltas)


def add_members(connection, changes: dict[int, int], paths: dict[int, str]) -> None:
    """A unit's recorded members changed by `n` ({org_id: n}; `paths`: the units' paths):
    add it up the tree."""
    deltas: Counter = Counter()
    for org_id, n in changes.items():
        if n:
            for above in ancestors(paths[org_id]):
                deltas[(above, "members", 0, 0)] += n
    add(connection, deltas)


def recount(connection, org_ids: Iterable[int]) -> None:
    """Count the subtree rows of `org_ids` again from the people (after a unit moved)."""
    for org_id in sorted(set(org_ids)):
        path = connection.execute(select(OrgUnit.path).where(OrgUnit.id == org_id)).scalar()
        if path is None:
            continue
        subtree = select(OrgUnit.id).where(OrgUnit.path >= path, OrgUnit.path < path[:-1] + "0")
        counted = own_counts(connection.dialect.name, subtree).subquery("own")
        name, year, quarter = counted.c.name, counted.c.year, counted.c.quarter
        totals = connection.execute(select(name, year, quarter, func.sum(counted.c.n))
                                    .group_by(name, year, quarter)).all()
        connection.execute(delete(ReportCount).where(ReportCount.org_id == org_id))
        add(connection, {(org_id, n_, int(y), int(q)): int(t) for n_, y, q, t in totals})


def rebuild(connection) -> None:
    """Count every row again from scratch, level by level from the deepest units up: a
    unit's row is its own counts plus its children's rows. For bulk loads and the migration."""
    connection.execute(delete(ReportCount))
    deepest = connection.execute(select(func.max(OrgUnit.depth))).scalar()
    if deepest is None:
        return
    for depth in range(deepest, -1, -1):
        level = select(OrgUnit.id).where(OrgUnit.depth == depth)
        own = _own_parts(connection.dialect.name, level)
        child = OrgUnit.__table__.alias("child")
        below = _labelled(
            select(child.c.parent_id, ReportCount.name, ReportCount.year, ReportCount.quarter, ReportCount.n)
            .select_from(ReportCount).join(child, child.c.id == ReportCount.org_id)
            .where(child.c.depth == depth + 1))
        rows = union_all(*own, below).subquery("rows")
        org_id, name, year, quarter, n = (rows.c[c] for c in COLUMNS)
        summed = (select(org_id, name, year, quarter, func.sum(n))
                  .group_by(org_id, name, year, quarter).having(func.sum(n) != 0))
        connection.execute(ReportCount.__table__.insert().from_select(
            ["org_id", "name", "year", "quarter", "n"], summed))


def stored(connection, org_ids: list[int] | None = None) -> dict[tuple[int, str, int, int], int]:
    """The stored counts (zeros left out), for comparing with a rebuild in the tests."""
    query = select(ReportCount.org_id, ReportCount.name, ReportCount.year, ReportCount.quarter, ReportCount.n)
    if org_ids is not None:
        query = query.where(ReportCount.org_id.in_(org_ids))
    return {(o, name, y, q): n for o, name, y, q, n in connection.execute(query) if n}


# --- keeping them in the same transaction as every change -----------------------------------
def _touched(session: Session) -> tuple[set[int], set[int]]:
    """The units and the stored people touched by the coming flush."""
    units: set[int] = set()
    people: set[int] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Source):
            if obj.id is not None:  # a stored person (a new one gets its id at the flush)
                people.add(obj.id)
            if obj.org_id is not None:
                units.add(obj.org_id)
            history = attributes.get_history(obj, "org_id")
            units.update(v for v in history.deleted if v is not None)
        elif isinstance(obj, (QuarterlyEvaluation, SourceCategory)):
            if obj.source_id is not None:
                people.add(obj.source_id)
            history = attributes.get_history(obj, "source_id")
            people.update(v for v in history.deleted if v is not None)
    return units, people


class _Changes:
    """What the session's transaction has touched so far, and what it counted for before."""

    def __init__(self) -> None:
        self.people: set[int] = set()  # people whose share was taken before their first change
        self.units: set[int] = set()  # units whose flags were taken before their first change
        self.before: dict[int, Counter] = {}


def _before_flush(session: Session, _context, _instances) -> None:
    units, people = _touched(session)
    if not units and not people:
        return
    connection = session.connection()
    changes = session.info.setdefault(_STATE, _Changes())
    new_people = sorted(people - changes.people)
    if new_people:  # their share as it is before this transaction changes them
        shares: dict[int, Counter] = {}
        _persons(connection, new_people, shares)
        for org_id, counts in shares.items():
            changes.before.setdefault(org_id, Counter()).update(counts)
        units.update(shares)  # every stored person has a row there (categories are outer-joined)
        changes.people.update(new_people)
    new_units = sorted(units - changes.units)
    if new_units:
        flags: dict[int, Counter] = {}
        _flags(connection, new_units, flags)
        for org_id in new_units:
            changes.before.setdefault(org_id, Counter()).update(flags.get(org_id, Counter()))
        changes.units.update(new_units)


def _after_flush(session: Session, _context) -> None:
    changes = session.info.get(_STATE)
    if changes is None:
        return
    for obj in session.new:  # people inserted now: nothing of theirs was counted before
        if isinstance(obj, Source) and obj.id is not None:
            changes.people.add(obj.id)


def _before_commit(session: Session) -> None:
    if session.in_nested_transaction() or not session.info.get(_STATE):
        return
    session.flush()  # the last changes (and their snapshots) before counting again
    changes = session.info.pop(_STATE, None)
    if changes is None:
        return
    connection = session.connection()
    now: dict[int, Counter] = {}
    _persons(connection, sorted(changes.people), now)
    _flags(connection, sorted(changes.units), now)
    units = changes.units | set(now)
    propagate(connection, {org_id: _minus(now.get(org_id, Counter()), changes.before.get(org_id, Counter()))
                           for org_id in units})


def _minus(after: Counter, before: Counter) -> Counter:
    delta = Counter()
    for key in after.keys() | before.keys():
        delta[key] = after.get(key, 0) - before.get(key, 0)
    return delta


def _forget(session: Session, transaction) -> None:
    if transaction.parent is None:  # the transaction itself ended (not a savepoint)
        session.info.pop(_STATE, None)


_installed = False


def install() -> None:
    """Watch every ORM session (once per process)."""
    global _installed
    if _installed:
        return
    event.listen(Session, "before_flush", _before_flush)
    event.listen(Session, "after_flush", _after_flush)
    event.listen(Session, "before_commit", _before_commit)
    event.listen(Session, "after_transaction_end", _forget)
    _installed = True


def grouped(rows) -> dict[int, dict[Key, int]]:
    """{org_id: {(name, year, quarter): n}} from (org_id, name, year, quarter, n) rows."""
    found: dict[int, dict[Key, int]] = defaultdict(dict)
    for org_id, name, year, quarter, n in rows:
        found[org_id][(name, year, quarter)] = found[org_id].get((name, year, quarter), 0) + n
    return found
