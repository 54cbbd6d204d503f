"""/lophoc: upcoming training classes for everyone; staff create one (`/lophoc tao`), secretaries
record who attended (`/lophoc diemdanh SỐ_LỚP`, or the button of the scheduler's question).

Creating: kind → date and time → place or online link → audience unit (default: one's own) →
(optionally) the people it is for → confirm; one line works too:
`/lophoc tao nhận thức; 15/12/2026 07:30; Hội trường xã; DEMO-X1[; N12, N15]`.
Attendance: the cell's people who may have attended, as toggles (or typed codes `N12, N13`),
then "Chọn xong": an awareness class moves them to the awareness stage dated on the class day
(the /lopnhanthuc use case), a new-member class is recorded on the probationary members.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from domain import texts
from domain.dates import DateError, fmt, parse_date
from domain.naming import who
from domain.pipeline import parse_code, split_args
from domain.roles import ADMIN, SECRETARY, STAFF
from domain.text import fold
from handlers.core import Context, Router
from handlers.types import Choice, Reply, UserError
from handlers.wizard import DONE, NO, YES, Step, Wizard, accept_confirmation, confirm_choices, not_here, skip_choice
from storage import orgs
from storage.clock import to_local
from usecases import classes as usecase

router = Router()

ATTEND = "lh"  # global choice "lh:att:<class id>" (the scheduler's attendance question)
ATT_FLOW = "lophoc_att"
_TIME = re.compile(r"^\s*(.+?)\s+(\d{1,2})\s*[:hg]\s*(\d{0,2})\s*$", re.I)
_KIND_WORDS = {
    "nhan thuc": "awareness", "nhan thuc ve dang": "awareness", "boi duong nhan thuc": "awareness",
    "awareness": "awareness", "1": "awareness", "cam tinh": "awareness",
    "dang vien moi": "new_member", "dv moi": "new_member", "moi": "new_member", "new_member": "new_member",
    "2": "new_member",
}


def _local(value: datetime, ctx: Context) -> datetime:
    return to_local(value, ctx.settings.tz)


def class_line(ctx: Context, klass) -> str:
    start = _local(klass.starts_at, ctx)
    return texts.CLASS_LINE.format(id=klass.id, title=klass.title, date=fmt(start.date()),
                                   time=start.strftime("%H:%M"), place=klass.place, unit=klass.org.name)


# --- /lophoc -----------------------------------------------------------------------------------
@router.command("lophoc", roles=(SECRETARY, STAFF, ADMIN), order=35)
async def lophoc(ctx: Context, args: str):
    user = ctx.require_user()
    word, _, rest = args.partition(" ")
    action = fold(word)
    if action in ("tao", "them", "mo"):
        if user.role not in (STAFF, ADMIN):
            raise UserError(texts.CLASS_STAFF_ONLY)
        return await create_wizard.start(ctx, split_args(rest))
    if action in ("diemdanh", "dd", "ghinhan"):
        if user.role != SECRETARY:
            raise UserError(texts.CLASS_SECRETARY_ONLY)
        return await _attendance_command(ctx, rest)
    if args:
        raise UserError(texts.CLASS_USAGE)
    since = ctx.now() - timedelta(hours=ctx.settings.class_attendance_hours)
    upcoming = await usecase.visible_classes(ctx.session, user, since)
    hint = texts.CLASS_HINT_STAFF if user.role in (STAFF, ADMIN) else texts.CLASS_HINT_SECRETARY
    if not upcoming:
        return Reply(texts.CLASS_NONE + "\n" + hint)
    lines = "\n".join(class_line(ctx, k) for k in upcoming[:20])
    return Reply(texts.CLASS_LIST.format(lines=lines) + "\n" + hint)


# --- creating a class (staff) ------------------------------------------------------------------
async def _ask_kind(ctx: Context, data: dict) -> Reply:
    return Reply(texts.CLASS_ASK_KIND, (Choice(texts.CLASS_KIND_NAMES["awareness"], "pl.kind.awareness"),
                                       Choice(texts.CLASS_KIND_NAMES["new_member"], "pl.kind.new_member")))


async def _accept_kind(ctx: Context, data: dict, text: str, choice: str | None) -> dict:
    if choice is not None:
        if choice.startswith("pl.kind.") and choice[8:] in usecase.CLASS_KINDS:
            return {"kind": choice[8:]}
        raise not_here()
    kind = _KIND_WORDS.get(fold(text).strip(" ."))
    if kind is None:
        raise UserError(texts.CLASS_BAD_KIND)
    return {"kind": kind}


def parse_when(text: str, ctx: Context) -> datetime:
    """'15/12/2026 07:30' (also 7h30, 7g) local time -> naive UTC, in the future."""
    match = _TIME.match(text)
    if not match:
        raise UserError(texts.CLASS_BAD_TIME.format(value=text.strip()[:40]))
    try:
        day = parse_date(match[1])
    except DateError:
        raise UserError(texts.CLASS_BAD_TIME.format(value=text.strip()[:40])) from None
    hour, minute = int(match[2]), int(match[3] or 0)
    if hour > 23 or minute > 59:
        raise UserError(texts.CLASS_BAD_TIME.format(value=text.strip()[:40]))
    moment = datetime(day.year, day.month, day.day, hour, minute, tzinfo=ctx.settings.tz)
    value = moment.astimezone(UTC).replace(tzinfo=None)
    if value <= ctx.now():
        raise UserError(texts.CLASS_IN_PAST)
    return value


async def _ask_when(ctx: Context, data: dict) -> Reply:
    return Reply(texts.CLASS_ASK_TIME.format(example=fmt(ctx.today() + timedelta(days=7))))


async def _accept_when(ctx: Context, data: dict, text: str, choice: str | None) -> dict:
    if choice is not None:
        raise not_here()
    return {"when": parse_when(text, ctx).isoformat()}


async def _ask_place(ctx: Context, data: dict) -> Reply:
    return Reply(texts.CLASS_ASK_PLACE)


async def _accept_place(ctx: Context, data: dict, text: str, choice: str | None) -> dict:
    if choice is not None:
        raise not_here()
    place = text.strip()
    if not place or len(place) > 500:
        raise UserError(texts.CLASS_BAD_PLACE)
    return {"place": place}


async def _ask_unit(ctx: Context, data: dict) -> Reply:
    own = ctx.require_user().org
    return Reply(texts.CLASS_ASK_UNIT.format(unit=own.name, code=own.code),
                 (Choice(texts.CLASS_OWN_UNIT.format(code=own.code), "pl.unit.own"),))


async def _accept_unit(ctx: Context, data: dict, text: str, choice: str | None) -> dict:
    own = ctx.require_user().org
    if choice is not None:
        if choice == "pl.unit.own":
            return {"org": own.code}
        raise not_here()
    unit = await orgs.by_code(ctx.session, text)
    if unit is None:
        raise UserError(texts.UNIT_CODE_UNKNOWN.format(code=text.strip()[:40], example=own.code))
    ctx.require_scope(unit)
    return {"org": unit.code}


async def _ask_people(ctx: Context, data: dict) -> Reply:
    return Reply(texts.CLASS_ASK_PEOPLE, (skip_choice(),))


async def _accept_people(ctx: Context, data: dict, text: str, choice: str | None) -> dict:
    if choice is not None:
        raise not_here(texts.CLASS_ASK_PEOPLE)
    return {"people": _codes(text)}


async def _ask_confirm(ctx: Context, data: dict) -> Reply:
    unit = await orgs.by_code(ctx.session, data["org"])
    start = _local(datetime.fromisoformat(data["when"]), ctx)
    people = texts.CLASS_PREVIEW_PEOPLE.format(n=len(data["people"])) if data.get("people") else ""
    return Reply(texts.CLASS_PREVIEW.format(kind=texts.CLASS_KIND_NAMES[data["kind"]], date=fmt(start.date()),
                                            time=start.strftime("%H:%M"), place=data["place"], unit=unit.name,
                                            people=people),
                 confirm_choices())


async def _commit_class(ctx: Context, data: dict) -> Reply:
    unit = await orgs.by_code(ctx.session, data["org"])
    ctx.require_scope(unit)
    klass = await usecase.create_class(ctx.uow, kind=data["kind"], starts_at=datetime.fromisoformat(data["when"]),
                                       place=data["place"], org=unit, invitees=data.get("people") or [])
    audience = await usecase.audience_secretaries(ctx.session, klass)
    return Reply(texts.CLASS_CREATED.format(line=class_line(ctx, klass), n=len(audience)))


create_wizard = Wizard(
    router, "lophoc_tao",
    [
        Step("kind", _ask_kind, _accept_kind),
        Step("when", _ask_when, _accept_when),
        Step("place", _ask_place, _accept_place),
        Step("org", _ask_unit, _accept_unit),
        Step("people", _ask_people, _accept_people, optional=True, default=[]),
        Step("confirmed", _ask_confirm, accept_confirmation, from_line=False),
    ],
    _commit_class,
)
router.owners["lophoc_tao"] = "lophoc"


# --- attendance (secretaries) ---------------------------------------------------------------------
def _class_id(text: str) -> int:
    raw = text.strip().lstrip("#").strip()
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 9:
        raise UserError(texts.CLASS_ATT_USAGE)
    return int(raw)


def _codes(text: str) -> list[int]:
    ids = []
    for part in re.split(r"[,\s]+", text.strip()):
        if not part:
            continue
        code = parse_code(part)
        if code is None:
            raise UserError(texts.CLASS_ATT_BAD_CODES.format(value=part[:20]))
        ids.append(code)
    return ids


async def _attendance_command(ctx: Context, rest: str):
    parts = split_args(rest)
    if not parts:
        raise UserError(texts.CLASS_ATT_USAGE)
    klass = await usecase.class_for_cell(ctx.session, _class_id(parts[0]), ctx.require_user().org)
    if len(parts) > 1:
        return await _record(ctx, klass, _codes("; ".join(parts[1:])))
    return await _start_attendance(ctx, klass)


async def _start_attendance(ctx: Context, klass) -> Reply:
    if klass.starts_at > ctx.now():
        raise UserError(texts.CLASS_NOT_YET.format(id=klass.id))
    cell = ctx.require_user().org
    done = await usecase.attended(ctx.session, klass.id, cell.id)
    ctx.begin(ATT_FLOW, "pick", cls=klass.id, sel=sorted(done))
    return await _attendance_menu(ctx, klass, sorted(done))


async def _attendance_menu(ctx: Context, klass, selected: list[int]) -> Reply:
    people = await usecase.attendance_candidates(ctx.session, klass, ctx.require_user().org_id)
    if not people:
        ctx.finish()
        return Reply(texts.CLASS_ATT_NOBODY.format(id=klass.id))
    marks = [Choice(("☑ " if p.id in selected else "☐ ") + f"{p.full_name} ({p.code})", f"pl.att.{p.id}")
             for p in people[:40]]
    return Reply(texts.CLASS_ATT_ASK.format(line=class_line(ctx, klass)),
                 (*marks, Choice(texts.LABEL_DONE, DONE), Choice(texts.LABEL_CANCEL, NO)))


@router.flow(ATT_FLOW, command="lophoc")
async def attendance_step(ctx: Context, text: str, choice: str | None):
    data = ctx.data
    klass = await usecase.class_for_cell(ctx.session, data["cls"], ctx.require_user().org)
    selected = list(data.get("sel") or [])
    if choice == NO:
        ctx.finish()
        return Reply(texts.FLOW_CANCELLED)
    if choice == DONE:
        ctx.finish()
        return await _record(ctx, klass, selected)
    if choice is not None and choice.startswith("pl.att."):
        sid = int(choice[7:])
        selected = [s for s in selected if s != sid] if sid in selected else [*selected, sid]
        ctx.goto("pick", sel=selected)
        return await _attendance_menu(ctx, klass, selected)
    if choice is not None or choice == YES:
        raise not_here()
    ctx.finish()
    return await _record(ctx, klass, _codes(text))


async def _record(ctx: Context, klass, source_ids: list[int]) -> Reply:
    if not source_ids:
        return Reply(texts.CLASS_ATT_NONE_CHOSEN.format(id=klass.id))
    result = await usecase.record_attendance(ctx.uow, klass, ctx.require_user().org_id, source_ids)
    day = fmt(usecase.class_date(klass, ctx.settings.tz))
    lines = [texts.CLASS_ATT_RECORDED_LINE.format(who=who(s)) for s in result.recorded]
    lines += [texts.CLASS_ATT_ALREADY_LINE.format(who=who(s)) for s in result.already if s is not None]
    template = texts.CLASS_ATT_DONE_AWARENESS if klass.kind == usecase.AWARENESS_CLASS else texts.CLASS_ATT_DONE
    return Reply(template.format(id=klass.id, n=len(result.recorded), date=day, lines="\n".join(lines)))


@router.choice(ATTEND, command="lophoc")
async def attendance_pressed(ctx: Context, value: str):
    user = ctx.require_user()
    if ctx.incoming.is_group:
        return Reply(texts.PRIVATE_ONLY)
    if user.role != SECRETARY:
        raise UserError(texts.CLASS_SECRETARY_ONLY)
    raw = value.rsplit(":", 1)[-1]
    if not (raw.isascii() and raw.isdigit()):
        raise UserError(texts.STALE_CHOICE)
    klass = await usecase.class_for_cell(ctx.session, int(raw), user.org)
    return await _start_attendance(ctx, klass)
