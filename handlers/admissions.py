"""Stages of the pipeline: /lopnhanthuc (awareness class), /ketnap (admission), /chinhthuc (recognition)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date

from domain import texts
from domain.dates import fmt
from domain.naming import who
from domain.pipeline import (
    ACTIVE_STAGES,
    ADMITTABLE_STAGES,
    AWARENESS,
    EXAMPLE_CERTIFICATE,
    PROBATIONARY,
    check_admission,
    check_awareness_date,
    check_recognition,
    earliest_recognition,
    is_confirmation,
    looks_like_date,
    over_age_limit,
    parse_approval,
    parse_number,
    parse_past_date,
    recognition_deadline,
    split_args,
)
from domain.roles import SECRETARY
from domain.text import fold
from handlers.core import Context, Router
from handlers.people import cell_id, load, person_step
from handlers.types import Reply, UserError
from domain.errors import RuleError
from handlers.types import Choice
from handlers.wizard import (
    NO,
    Cancel,
    Step,
    Wizard,
    accept_confirmation,
    confirm_choices,
    not_here,
    skip_choice,
)
from usecases import pipeline
from usecases.pipeline import check_admittable, check_awareness_stage, check_recognisable, over60_text

router = Router()
APPROVAL_ERROR = "_approval_error"  # dialog data: why the approval typed on the line was refused


def _too_many(parts: list[str], count: int, usage: str) -> list[str]:
    if len(parts) > count:
        raise UserError(usage)
    return parts


# --- /lopnhanthuc -----------------------------------------------------------------------------------

async def _ask_awareness_date(ctx: Context, data: dict) -> Reply:
    source = await load(ctx, data["src"])
    return Reply(texts.AWARENESS_ASK_DATE.format(who=who(source), example=fmt(ctx.today())))


async def _accept_awareness_date(ctx: Context, data: dict, text: str, choice: str | None) -> dict:
    if choice is not None:
        raise not_here()
    source = await load(ctx, data["src"])
    value = parse_past_date(text, today=ctx.today(), what=texts.AWARENESS_DATE_WHAT, example=fmt(ctx.today()))
    check_awareness_date(source.birth_date, value)
    return {"date": value.isoformat()}


async def _ask_certificate(ctx: Context, data: dict) -> Reply:
    return Reply(texts.AWARENESS_ASK_CERT, (skip_choice(),))


async def _accept_certificate(ctx: Context, data: dict, text: str, choice: str | None) -> dict:
    if choice is not None:
        raise not_here(texts.AWARENESS_ASK_CERT)
    return {"cert": parse_number(text, what=texts.CERT_WHAT, example=EXAMPLE_CERTIFICATE)}


async def _commit_awareness(ctx: Context, data: dict) -> Reply:
    value = date.fromisoformat(data["date"])
    change = await pipeline.record_awareness(ctx.uow, cell_id(ctx), data["src"], value, data.get("cert") or "")
    source = change.source
    cert = texts.AWARENESS_CERT.format(cert=source.certificate_no) if source.certificate_no else ""
    template = texts.AWARENESS_UPDATED if change.previous_stage == AWARENESS else texts.AWARENESS_DONE
    return Reply(template.format(who=who(source), date=fmt(value), cert=cert))


awareness_wizard = Wizard(
    router,
    "lopnhanthuc",
    [
        person_step(
            "src", stages=ACTIVE_STAGES, ask_text=texts.AWARENESS_ASK_PERSON, none_text=texts.AWARENESS_NONE,
            example="/lopnhanthuc N12; 15/10/2026; 125/GCN-TTCT", check=check_awareness_stage,
        ),
        Step("date", _ask_awareness_date, _accept_awareness_date, what=texts.AWARENESS_DATE_WHAT),
        Step("cert", _ask_certificate, _accept_certificate, optional=True, default="", what=texts.CERT_WHAT),
    ],
    _commit_awareness,
)


@router.command("lopnhanthuc", roles=(SECRETARY,), order=20)
async def awareness(ctx: Context, args: str):
    parts = _too_many(split_args(args, commas=_dated), 3, texts.AWARENESS_USAGE)
    return await awareness_wizard.start(ctx, parts)


# --- /ketnap ----------------------------------------------------------------------------------------

async def _ask_admission_date(ctx: Context, data: dict) -> Reply:
    source = await load(ctx, data["src"])
    return Reply(texts.ADMIT_ASK_DATE.format(who=who(source), example=fmt(ctx.today())))


async def _accept_admission_date(ctx: Context, data: dict, text: str, choice: str | None) -> dict:
    if choice is not None:
        raise not_here()
    source = await load(ctx, data["src"])
    value = parse_past_date(text, today=ctx.today(), what=texts.ADMIT_DATE_WHAT, example=fmt(ctx.today()))
    check_admission(source.birth_date, source.awareness_date, value, name=source.full_name, code=source.code)
    return {"date": value.isoformat(), "over60": over_age_limit(source.birth_date, value)}


async def _ask_decision(ctx: Context, data: dict) -> Reply:
    return Reply(texts.ADMIT_ASK_DECISION, (skip_choice(),))


async def _accept_decision(ctx: Context, data: dict, text: str, choice: str | None) -> dict:
    if choice is not None:
        raise not_here(texts.ADMIT_ASK_DECISION)
    return {"decision": parse_number(text, what=texts.DECISION_WHAT, example=texts.EXAMPLE_DECISION)}


async def _accept_over60(ctx: Context, data: dict, text: str, choice: str | None) -> dict:
    """Yes (then the approval is asked), no, or the approval typed at once."""
    if choice is not None or is_confirmation(text) or fold(text) in ("khong", "huy", "khong, huy", "no"):
        return await accept_confirmation(ctx, data, text, choice)
    try:
        decision, authority = parse_approval(text)
    except RuleError:
        raise not_here(texts.CONFIRM_OR_APPROVAL) from None
    return {"confirmed": True, "over60_decision": decision, "over60_authority": authority}


async def _ask_approval(ctx: Context, data: dict) -> Reply:
    # an approval typed wrong on the one-line form: say what was wrong, then ask for it
    error = data.pop(APPROVAL_ERROR, None)
    text = f"{error}\n{texts.APPROVAL_ASK}" if error else texts.APPROVAL_ASK
    return Reply(text, (Choice(texts.LABEL_CANCEL, NO),))


async def _accept_approval(ctx: Context, data: dict, text: str, choice: str | None) -> dict:
    if choice == NO or (choice is None and fold(text) in ("khong", "huy", "khong, huy")):
        raise Cancel()
    if choice is not None:
        raise not_here(texts.APPROVAL_ASK)
    decision, authority = parse_approval(text)
    return {"over60_decision": decision, "over60_authority": authority}


def over60_steps(question: Callable[[Context, dict], Awaitable[str]]) -> list[Step]:
    """Over 60 on the admission day: confirm that the committee directly under the Central
    Committee decided it, and record which decision and which committee. A step before sets
    `over60` in the dialog data; `question` words the confirmation for the command (/ketnap
    asks about the admission, /suanguon about the corrected date)."""
    def over60(data: dict) -> bool:
        return bool(data.get("over60"))

    async def ask_confirm(ctx: Context, data: dict) -> Reply:
        return Reply(await question(ctx, data), confirm_choices())

    return [
        Step("confirm", ask_confirm, _accept_over60, from_line=False,
             needed=lambda data: over60(data) and not data.get("confirmed")),
        Step("approval", _ask_approval, _accept_approval, from_line=False,
             needed=lambda data: over60(data) and not data.get("over60_decision")),
    ]


def approval(data: dict) -> tuple[str, str] | None:
    return (data["over60_decision"], data["over60_authority"]) if data.get("over60_decision") else None


async def _over60_question(ctx: Context, data: dict) -> str:
    return over60_text(await load(ctx, data["src"]), date.fromisoformat(data["date"]))


async def _commit_admission(ctx: Context, data: dict) -> Reply:
    admission = date.fromisoformat(data["date"])
    change = await pipeline.admit(
        ctx.uow, cell_id(ctx), data["src"], admission, data.get("decision") or "",
        confirmed=bool(data.get("confirmed")), approval=approval(data),
    )
    source = change.source
    decision = texts.ADMIT_DECISION.format(decision=source.decision_no) if source.decision_no else ""
    lines = [
        texts.ADMIT_DONE.format(
            name=source.full_name, code=source.code, date=fmt(admission), decision=decision,
            earliest=fmt(earliest_recognition(admission)), deadline=fmt(source.recognition_deadline),
        )
    ]
    if source.over60_decision_no:
        lines.append(texts.APPROVAL_DONE.format(decision=source.over60_decision_no, authority=source.over60_authority))
    return Reply("\n".join(lines))


admission_wizard = Wizard(
    router,
    "ketnap",
    [
        person_step(
            "src", stages=ADMITTABLE_STAGES, ask_text=texts.ADMIT_ASK_PERSON, none_text=texts.ADMIT_NONE,
            example="/ketnap N12; 20/11/2026; 125-QĐ/HU", check=check_admittable,
        ),
        Step("date", _ask_admission_date, _accept_admission_date, what=texts.ADMIT_DATE_WHAT),
        Step("decision", _ask_decision, _accept_decision, optional=True, default="", what=texts.DECISION_WHAT),
        *over60_steps(_over60_question),
    ],
    _commit_admission,
)


def _dated(pieces: list[str]) -> bool:
    return looks_like_date(pieces[1])


def confirmation_tail(parts: list[str]) -> tuple[list[str], dict]:
    """"…; xác nhận" confirms an admission over 60 on the line; "…; xác nhận; 45-QĐ/TU, Tỉnh
    ủy Bình Định" also gives the approval. An approval typed wrong keeps the confirmation and
    the rest of the line: the dialog says what was wrong and asks for the approval alone."""
    if len(parts) > 2 and is_confirmation(parts[-2]):
        try:
            decision, authority = parse_approval(parts[-1])
        except RuleError as err:
            return parts[:-2], {"confirmed": True, APPROVAL_ERROR: err.text}
        return parts[:-2], {"confirmed": True, "over60_decision": decision, "over60_authority": authority}
    if len(parts) > 1 and is_confirmation(parts[-1]):
        return parts[:-1], {"confirmed": True}
    return parts, {"confirmed": False}


@router.command("ketnap", roles=(SECRETARY,), order=22)
async def admit(ctx: Context, args: str):
    parts, confirmed = confirmation_tail(split_args(args, commas=_dated))
    parts = _too_many(parts, 3, texts.ADMIT_USAGE)
    return await admission_wizard.start(ctx, parts, **confirmed)


# --- /chinhthuc -------------------------------------------------------------------------------------

async def _ask_recognition_date(ctx: Context, data: dict) -> Reply:
    source = await load(ctx, data["src"])
    earliest = earliest_recognition(source.admission_date)
    deadline = source.recognition_deadline or recognition_deadline(source.admission_date)
    return Reply(
        texts.RECOGNISE_ASK_DATE.format(
            who=who(source), admission=fmt(source.admission_date), earliest=fmt(earliest),
            deadline=fmt(deadline), example=fmt(earliest),
        )
    )


async def _accept_recognition_date(ctx: Context, data: dict, text: str, choice: str | None) -> dict:
    if choice is not None:
        raise not_here()
    source = await load(ctx, data["src"])
    value = parse_past_date(text, today=ctx.today(), what=texts.RECOGNISE_DATE_WHAT, example=fmt(ctx.today()))
    check_recognition(source.admission_date, value, name=source.full_name, code=source.code)
    return {"date": value.isoformat()}


async def _ask_recognition_decision(ctx: Context, data: dict) -> Reply:
    return Reply(texts.RECOGNISE_ASK_DECISION, (skip_choice(),))


async def _accept_recognition_decision(ctx: Context, data: dict, text: str, choice: str | None) -> dict:
    if choice is not None:
        raise not_here(texts.RECOGNISE_ASK_DECISION)
    return {"decision": parse_number(text, what=texts.DECISION_WHAT, example=texts.EXAMPLE_RECOGNITION_DECISION)}


async def _commit_recognition(ctx: Context, data: dict) -> Reply:
    value = date.fromisoformat(data["date"])
    change = await pipeline.recognise(ctx.uow, cell_id(ctx), data["src"], value, data.get("decision") or "")
    source = change.source
    decision = texts.RECOGNISE_DECISION.format(decision=source.recognition_decision_no) if source.recognition_decision_no else ""
    lines = [texts.RECOGNISE_DONE.format(name=source.full_name, code=source.code, date=fmt(value), decision=decision)]
    if value > source.recognition_deadline:
        lines.append(texts.RECOGNISE_LATE.format(deadline=fmt(source.recognition_deadline)))
    return Reply("\n".join(lines))


recognition_wizard = Wizard(
    router,
    "chinhthuc",
    [
        person_step(
            "src", stages=(PROBATIONARY,), ask_text=texts.RECOGNISE_ASK_PERSON, none_text=texts.RECOGNISE_NONE,
            example="/chinhthuc N12; 20/11/2026", check=check_recognisable,
        ),
        Step("date", _ask_recognition_date, _accept_recognition_date, what=texts.RECOGNISE_DATE_WHAT),
        Step("decision", _ask_recognition_decision, _accept_recognition_decision, optional=True, default="",
             what=texts.DECISION_WHAT),
    ],
    _commit_recognition,
)


@router.command("chinhthuc", roles=(SECRETARY,), order=23)
async def recognise(ctx: Context, args: str):
    parts = _too_many(split_args(args, commas=_dated), 3, texts.RECOGNISE_USAGE)
    return await recognition_wizard.start(ctx, parts)
