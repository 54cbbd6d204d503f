"""/baocao [MÃ hoặc tên]: the status of a unit of one's subtree as an Excel workbook (a
document) and a chart (a photo). Staff and admins only, private chats only (the core refuses
the command in groups), only for units in the user's subtree; every export is audited
(usecases.reports.record_export, in the update's unit of work)."""

from __future__ import annotations

from domain import texts
from domain.dates import fmt
from domain.roles import ADMIN, STAFF
from handlers.core import Context, Router
from handlers.status import release_writer, report_session, resolve_unit
from handlers.types import OutFile, Reply, UserError
from storage.models import OrgUnit
from usecases.reports import record_export

router = Router()

PICK = "bc"


@router.command("baocao", roles=(STAFF, ADMIN), order=35)
async def baocao(ctx: Context, args: str) -> list[Reply] | Reply:
    user = ctx.require_user()
    unit = user.org
    if args:
        found = await resolve_unit(ctx, args, "baocao", PICK)
        if isinstance(found, Reply):
            return found
        unit = found
    return await export(ctx, unit)


@router.choice(PICK, command="baocao")
async def picked(ctx: Context, value: str) -> list[Reply]:
    raw = value.split(":", 1)[1]
    unit = await ctx.session.get(OrgUnit, int(raw)) if raw.isascii() and raw.isdigit() else None
    if unit is None:
        raise UserError(texts.STATUS_STALE_UNIT)
    return await export(ctx, unit)


def file_names(code: str, year: int) -> tuple[str, str]:
    safe = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_") else "_" for ch in code)
    return f"baocao_{safe}_{year}.xlsx", f"bieudo_{safe}_{year}.png"


async def export(ctx: Context, unit: OrgUnit) -> list[Reply]:
    from bot.reportfiles import report_files

    ctx.require_scope(unit)
    today = ctx.today()
    year = today.year
    builder = ctx.services.report_builder
    if builder is not None:  # the whole export in the builder's process: the loop only waits
        await release_writer(ctx)
        files = await builder.report_files(unit, year, today, ctx.settings)
    else:
        async with report_session(ctx) as reader:
            files = await report_files(reader, unit, year, today, ctx.settings)
    book_name, chart_name = file_names(unit.code, year)
    record_export(ctx.uow, unit, year, [book_name, chart_name])
    names = {"year": year, "name": unit.name, "code": unit.code, "date": fmt(today)}
    return [
        Reply(texts.REPORT_READY.format(**names), file=OutFile(book_name, files.xlsx, "document")),
        Reply(texts.REPORT_CHART_CAPTION.format(**names), file=OutFile(chart_name, files.png, "photo")),
    ]
