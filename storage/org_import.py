"""Import or update the organisation tree from CSV or XLSX (format in DESIGN.md).

All or nothing: every row is validated first (row numbers count the header as row 1, as in
a spreadsheet) and nothing is written when any row is bad. Importing the same file twice
changes nothing.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain import texts
from domain.text import fold, nfc, sanitize
from storage import rollups
from storage.models import OrgUnit

COLUMNS = ("code", "parent_code", "name", "kind", "members")
KINDS = ("province", "district", "grassroots", "cell")
# The `kind` column in Vietnamese, as typed in a spreadsheet, with or without diacritics.
KIND_WORDS = {
    "tinh": "province", "tinh uy": "province", "dang bo tinh": "province", "thanh uy": "province",
    "huyen": "district", "huyen uy": "district", "dang bo huyen": "district", "thi uy": "district",
    "quan uy": "district", "cap huyen": "district",
    "co so": "grassroots", "dang bo co so": "grassroots", "dang uy co so": "grassroots", "cap co so": "grassroots",
    "chi bo": "cell", "chi bo truc thuoc": "cell",
}
DEMO_ROOT = "DEMO"  # the demo tree's root (storage.demo); its data never mixes with a real tree


def parse_kind(text: str) -> str | None:
    """"cell", "Chi bộ", "chi bo", "CƠ SỞ" -> the stored kind; None when unknown."""
    value = fold(text).strip(" .")
    if value in KINDS:
        return value
    return KIND_WORDS.get(value.replace("_", " ").replace("-", " "))


class ImportRefused(Exception):
    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Row:
    number: int
    code: str
    parent_code: str
    name: str
    kind: str
    members: int


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


def read_table(path: Path) -> list[dict[str, str]]:
    """Rows of the file as dicts of stripped strings (header keys lower-cased)."""
    if not path.is_file():
        raise ImportRefused([texts.IMPORT_NO_FILE.format(path=path)])
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            records = _read_xlsx(path)
        else:
            text = path.read_bytes().decode("utf-8-sig")
            records = list(csv.reader(io.StringIO(text)))
    except (UnicodeDecodeError, csv.Error, OSError, ValueError, KeyError) as exc:
        raise ImportRefused([texts.IMPORT_BAD_FORMAT.format(path=path, detail=exc)]) from None
    if not records:
        raise ImportRefused([texts.IMPORT_EMPTY])
    header = [nfc(str(h or "")).lower() for h in records[0]]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise ImportRefused([texts.IMPORT_MISSING_COLUMNS.format(columns=", ".join(missing))])
    rows = []
    for values in records[1:]:
        cells = [nfc("" if v is None else str(v)) for v in values]
        cells += [""] * (len(header) - len(cells))
        rows.append(dict(zip(header, cells)))
    return rows


def _read_xlsx(path: Path) -> list[list]:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        return [list(r) for r in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def validate(raw: list[dict[str, str]], existing: dict[str, str | None]) -> list[Row]:
    """Check every row; `existing` maps codes already stored to their parent codes."""
    problems: list[str] = []
    rows: list[Row] = []
    first_row: dict[str, int] = {}
    for index, values in enumerate(raw, start=2):
        # control and bidi-override characters from a spreadsheet are never part of a code or name
        values = {key: nfc(sanitize(str(value or ""))) for key, value in values.items()}
        if not any(values.values()):
            continue  # blank spreadsheet line
        code, parent = values["code"], values["parent_code"]
        kind, members = parse_kind(values["kind"]) or values["kind"].lower(), values["members"]
        bad = False
        if not code:
            problems.append(texts.IMPORT_ROW_EMPTY_CODE.format(row=index))
            bad = True
        elif len(code) > 64:
            problems.append(texts.IMPORT_ROW_LONG_CODE.format(row=index))
            bad = True
        elif code in first_row:
            problems.append(texts.IMPORT_ROW_DUPLICATE.format(row=index, code=code, first=first_row[code]))
            bad = True
        else:
            first_row[code] = index
        if not values["name"]:
            problems.append(texts.IMPORT_ROW_EMPTY_NAME.format(row=index))
            bad = True
        if kind not in KINDS:
            problems.append(texts.IMPORT_ROW_BAD_KIND.format(row=index, kind=values["kind"]))
            bad = True
        count = _members(members)
        if count is None:
            problems.append(texts.IMPORT_ROW_BAD_MEMBERS.format(row=index, members=members))
            bad = True
        if code and parent == code:
            problems.append(texts.IMPORT_ROW_SELF_PARENT.format(row=index, code=code))
            bad = True
        if not bad:
            rows.append(Row(index, code, parent, values["name"][:255], kind, count))

    in_file = {row.code for row in rows}
    for row in rows:
        if row.parent_code and row.parent_code not in in_file and row.parent_code not in existing:
            if row.parent_code not in first_row:  # a bad row's code is reported on its own
                problems.append(texts.IMPORT_ROW_UNKNOWN_PARENT.format(row=row.number, parent=row.parent_code))
    problems.extend(_cycles(rows, existing))
    if problems:
        raise ImportRefused(problems)
    return rows


def _members(text: str) -> int | None:
    text = text.strip()
    if not text:
        return 0
    try:
        value = float(text)  # XLSX numbers arrive as "12" or "12.0"
    except ValueError:
        return None
    if value < 0 or value != int(value):
        return None
    return int(value)


def _cycles(rows: list[Row], existing: dict[str, str | None]) -> list[str]:
    parent_of = dict(existing)
    parent_of.update({row.code: row.parent_code or None for row in rows})
    number_of = {row.code: row.number for row in rows}
    state: dict[str, int] = {}  # 1 visiting, 2 done
    problems = []
    for start in parent_of:
        chain = []
        node = start
        while node is not None and node in parent_of and state.get(node) != 2:
            if state.get(node) == 1:
                loop = chain[chain.index(node):]
                numbers = sorted(number_of[c] for c in loop if c in number_of)
                problems.append(
                    texts.IMPORT_CYCLE.format(
                        rows=", ".join(map(str, numbers)), codes=" → ".join(loop + [node])
                    )
                )
                break
            state[node] = 1
            chain.append(node)
            node = parent_of[node]
        for visited in chain:
            state[visited] = 2
    return problems


@dataclass(frozen=True)
class UnitChange:
    """One unit created or changed by an import, for its audit row."""

    code: str
    org_id: int
    created: bool
    before: dict | None
    after: dict


async def apply_rows(session: AsyncSession, raw: list[dict[str, str]]) -> tuple[ImportResult, list[UnitChange]]:
    """Validate and write in the caller's transaction; raises ImportRefused, writing nothing.
    The caller records the changes (usecases.orgs.import_orgs)."""
    units = {u.code: u for u in (await session.scalars(select(OrgUnit))).all()}
    by_id = {u.id: u for u in units.values()}
    existing = {code: (by_id[u.parent_id].code if u.parent_id else None) for code, u in units.items()}
    rows = validate(raw, existing)
    if not rows:
        raise ImportRefused([texts.IMPORT_EMPTY])
    _refuse_mixing_with_demo(units, rows)

    before = {u.id: (u.members, u.path) for u in units.values()}
    created = updated = 0
    changes: dict[str, dict] = {}
    for row in rows:  # first pass: create or update without parents
        unit = units.get(row.code)
        if unit is None:
            unit = OrgUnit(code=row.code, name=row.name, name_key=fold(row.name)[:255], kind=row.kind,
                           members=row.members, path="", depth=0)
            session.add(unit)
            units[row.code] = unit
            created += 1
            changes[row.code] = {"created": True}
        else:
            before = {"name": unit.name, "kind": unit.kind, "members": unit.members}
            after = {"name": row.name, "kind": row.kind, "members": row.members}
            if before != after:
                unit.name, unit.kind, unit.members = row.name, row.kind, row.members
                unit.name_key = fold(row.name)[:255]
                changes[row.code] = {"before": before, "after": after}
    await session.flush()
    for row in rows:  # second pass: parents, now that every unit has an id
        unit = units[row.code]
        parent_id = units[row.parent_code].id if row.parent_code else None
        if unit.parent_id != parent_id:
            if row.code in changes and "created" not in changes[row.code]:
                changes[row.code]["after"]["parent"] = row.parent_code
            elif row.code not in changes:
                changes[row.code] = {"after": {"parent": row.parent_code}}
            unit.parent_id = parent_id
    _recompute_paths(list(units.values()))
    await session.flush()
    await _keep_counts(session, before, {u.id: (u.members, u.path) for u in units.values()})
    updated = sum(1 for change in changes.values() if "created" not in change)
    recorded = [
        UnitChange(code, units[code].id, "created" in change, change.get("before"), change.get("after") or {"code": code})
        for code, change in changes.items()
    ]
    return ImportResult(created, updated, len(rows) - created - updated), recorded


async def _keep_counts(session: AsyncSession, before: dict[int, tuple[int, str]],
                       after: dict[int, tuple[int, str]]) -> None:
    """The reports' precomputed counts (storage.rollups), in the import's transaction: a
    change of members is added up the (new) tree; a unit that moved takes its counts from its
    old ancestors to its new ones, which are counted again."""
    members = {org_id: m - (before[org_id][0] if org_id in before else 0)
               for org_id, (m, _path) in after.items()}
    moved: set[int] = set()
    for org_id, (_m, path) in after.items():
        if org_id in before and before[org_id][1] != path:
            old, new = before[org_id][1], path
            if old.rsplit("/", 2)[0] != new.rsplit("/", 2)[0]:  # its parent changed
                moved.update(rollups.ancestors(old)[:-1])
                moved.update(rollups.ancestors(new)[:-1])
    paths = {org_id: path for org_id, (_m, path) in after.items()}

    def keep(sync_session) -> None:
        connection = sync_session.connection()
        rollups.add_members(connection, members, paths)
        if moved:
            rollups.recount(connection, moved)

    await session.run_sync(keep)


def _refuse_mixing_with_demo(units: dict[str, OrgUnit], rows: list[Row]) -> None:
    """A real tree (a root other than the demo's) is never imported next to the demo data, so
    no real report or rollup can contain what the demo made."""
    if DEMO_ROOT not in units:
        return
    roots = [row for row in rows if not row.parent_code and row.code != DEMO_ROOT]
    if roots:
        raise ImportRefused([texts.IMPORT_DEMO_DATABASE.format(row=roots[0].number, code=roots[0].code)])


def _recompute_paths(units: list[OrgUnit]) -> None:
    """Set path ("/1/5/23/") and depth from parent links, touching only rows that change."""
    children: dict[int | None, list[OrgUnit]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)
    stack = [(root, "/", 0) for root in children.get(None, [])]
    while stack:
        unit, prefix, depth = stack.pop()
        path = f"{prefix}{unit.id}/"
        if unit.path != path:
            unit.path = path
        if unit.depth != depth:
            unit.depth = depth
        stack.extend((child, path, depth + 1) for child in children.get(unit.id, []))
