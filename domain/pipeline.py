"""Rules of the development pipeline (nguồn → cảm tình Đảng → dự bị → chính thức). Pure functions.

Stages: `source` (quần chúng ưu tú in the pool) → `awareness` (completed the party-awareness
class, certificate) → `probationary` (admitted; 12 months of probation) → `full` (recognised as
full member), or `removed` from the pool / the probationary list.

Every check raises RuleError whose `text` is the Vietnamese message (from domain.texts) that
names the problem and shows a correct example; only the conversation core and the CLI turn it
into a message.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date, timedelta

from domain.errors import RuleError  # noqa: F401 (re-exported: the one error type)
from domain import texts
from domain.dates import ROMAN_QUARTERS, DateError, add_months, add_working_days, age_on, fmt, parse_date
from domain.holidays import VIETNAM
from domain.text import fold, has_letters, nfc, title_name

SOURCE, AWARENESS, PROBATIONARY, FULL, REMOVED = "source", "awareness", "probationary", "full", "removed"
STAGES = (SOURCE, AWARENESS, PROBATIONARY, FULL, REMOVED)
ACTIVE_STAGES = (SOURCE, AWARENESS)  # the pool: evaluated every quarter, counted as active
ADMITTABLE_STAGES = (AWARENESS,)  # the Charter requires the awareness certificate first
REMOVABLE_STAGES = (SOURCE, AWARENESS, PROBATIONARY)
EDITABLE_STAGES = (SOURCE, AWARENESS, PROBATIONARY, FULL)

LEVELS = ("tot", "kha", "trung_binh", "chua_dat")

POOL_MIN_AGE = 16  # youth-union age: a pupil of 16 may be cultivated, admitted only at 18
MAX_AGE = 100  # beyond this a birth date is a typing mistake
ADMISSION_MIN_AGE = 18
ADMISSION_MAX_AGE = 60  # over 60 only by decision of a committee under the Central Committee
PROBATION_MONTHS = 12
RECOGNITION_WORKING_DAYS = 30
NAME_MIN, NAME_MAX = 2, 100
TEXT_MAX = 500  # notes, comments, reasons
NUMBER_MAX = 64  # certificate and decision numbers
EARLIEST_YEAR = 1900
# Examples shown in messages (values, not words, so they live here rather than in the catalogue).
EXAMPLE_BIRTH = "05/03/1998"
EXAMPLE_CERTIFICATE = "125/GCN-TTCT"
UNDO_WINDOW = timedelta(minutes=10)  # /hoantac: one's own last change, within this window

_NAME_PUNCT = set(" '’-.")
_CODE = re.compile(r"^n\s*-?\s*(\d{1,9})$")
_BARE_NUMBER = re.compile(r"^\d{1,9}$")


# --- splitting one-line commands -----------------------------------------------------------
# ";" and a line break with only spaces between ("An;" then a new line) separate once, not twice
_SEPARATORS = re.compile(r";[^\S\n]*\n|\n[^\S\n]*;|[;\n]")


def split_args(args: str, commas: Callable[[list[str]], bool] | None = None) -> list[str]:
    """'An; 05/03/1998; dv;' -> ['An', '05/03/1998', 'dv'] (trailing empty parts dropped).

    Fields are separated by ";" or by new lines (on a phone ";" is on the second keyboard
    page). A line with neither is split at commas when `commas(pieces)` says the pieces make
    sense that way (e.g. the second one is a date), so "An, 05/03/1998, đoàn viên" works too."""
    if not args.strip():
        return []
    if _SEPARATORS.search(args):
        parts = [nfc(p) for p in _SEPARATORS.split(args)]
    else:
        parts = [nfc(args)]
        pieces = [nfc(p) for p in args.split(",")]
        if len(pieces) > 1 and commas is not None and commas(pieces):
            parts = pieces
    while parts and not parts[-1]:
        parts.pop()
    return parts


def looks_like_date(text: str) -> bool:
    """Typed as a date (dd/mm/yyyy, d/m/yy, "hôm nay"), whether or not it is a real one."""
    try:
        parse_date(text, date(2000, 1, 1))
    except DateError as err:
        return err.reason == "invalid"
    return True


# --- names ---------------------------------------------------------------------------------
def parse_name(text: str, *, full: bool = True) -> str:
    """A person's full name as it will be stored: NFC, title case, the user's diacritics.
    `full`: at least two words (a surname and a given name); False for a name searched for."""
    value = nfc(text)
    if not value:
        raise RuleError(texts.NAME_EMPTY)
    if not has_letters(value):
        raise RuleError(texts.NAME_NO_LETTERS.format(value=_clip(value)))
    if any(ch.isdigit() for ch in value):
        # digits in a name: most likely the fields of a one-line command were not separated
        raise RuleError(texts.NAME_DIGITS.format(value=_clip(value)) + texts.NAME_SEPARATOR_HINT)
    for ch in value:
        category = unicodedata.category(ch)
        if not (category.startswith("L") or category.startswith("M") or ch in _NAME_PUNCT):
            raise RuleError(texts.NAME_SYMBOLS.format(value=_clip(value), char=ch))
    if not NAME_MIN <= len(value) <= NAME_MAX:
        raise RuleError(texts.NAME_LENGTH.format(n=len(value), min=NAME_MIN, max=NAME_MAX))
    if full and len(value.split(" ")) < 2:
        raise RuleError(texts.NAME_ONE_WORD.format(value=_clip(value)))
    return _title(value)


def name_order_key(full_name: str) -> tuple[str, str, str]:
    """Vietnamese list order: by given name (the last word), then the middle name, then the
    surname, each compared without diacritics ("Trần Thị An" before "Lê Văn Bình")."""
    words = fold(full_name).split(" ")
    given = words[-1] if words else ""
    middle = " ".join(words[1:-1])
    return given, middle, words[0] if len(words) > 1 else ""


def _title(value: str) -> str:
    """Title case for words typed all lower or all upper ("nguyễn", "NGUYỄN" -> "Nguyễn");
    a capitalised word in mixed case is the user's own spelling and is kept ("H'Hen")."""
    words = []
    for word in value.split(" "):
        kept = word[:1].isupper() and not word.isupper()
        words.append(word if kept else title_name(word))
    return " ".join(words)


def _clip(value: str, limit: int = 40) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


# --- dates ---------------------------------------------------------------------------------
def parse_past_date(text: str, *, today: date, what: str, example: str) -> date:
    """A date typed dd/mm/yyyy that is real, not before 1900 and not after today.
    `what` is the field's name in Vietnamese ("ngày sinh", "ngày kết nạp")."""
    value = nfc(text)
    if not value:
        raise RuleError(texts.DATE_EMPTY.format(what=what, example=example))
    try:
        parsed = parse_date(value, today)
    except DateError as err:
        if err.reason != "invalid":
            template = texts.DATE_FORMAT
        else:
            template = texts.DATE_INVALID_MONTH if err.detail == "month" else texts.DATE_INVALID
        raise RuleError(template.format(What=_cap(what), value=_clip(value), example=example)) from None
    if parsed.year < EARLIEST_YEAR:
        raise RuleError(texts.DATE_TOO_OLD.format(What=_cap(what), value=fmt(parsed), example=example))
    if parsed > today:
        raise RuleError(
            texts.DATE_FUTURE.format(What=_cap(what), value=fmt(parsed), today=fmt(today), example=example)
        )
    return parsed


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def parse_birth(text: str, today: date) -> date:
    birth = parse_past_date(text, today=today, what="ngày sinh", example=EXAMPLE_BIRTH)
    check_birth(birth, today)
    return birth


def check_birth(birth: date, today: date) -> None:
    """Who may be in the pool: from 16 (a pupil can be cultivated) to 100 (typing mistakes)."""
    age = age_on(birth, today)
    if age < POOL_MIN_AGE:
        raise RuleError(texts.BIRTH_TOO_YOUNG.format(birth=fmt(birth), age=age, min=POOL_MIN_AGE))
    if age > MAX_AGE:
        raise RuleError(texts.BIRTH_TOO_OLD.format(birth=fmt(birth), age=age))


# --- free text: notes, comments, reasons, numbers -------------------------------------------
def parse_text(text: str, *, what: str, example: str, required: bool = False, limit: int = TEXT_MAX) -> str:
    value = nfc(text)
    if not value:
        if required:
            raise RuleError(texts.TEXT_EMPTY.format(what=what, example=example))
        return ""
    if len(value) > limit:
        raise RuleError(texts.TEXT_TOO_LONG.format(What=_cap(what), n=len(value), limit=limit, example=example))
    if not any(ch.isalnum() for ch in value):
        raise RuleError(texts.TEXT_NO_LETTERS.format(What=_cap(what), value=_clip(value), example=example))
    return value


def parse_number(text: str, *, what: str, example: str) -> str:
    """A certificate or decision number such as "125-QĐ/HU" (optional: "" when empty)."""
    value = nfc(text)
    if not value:
        return ""
    if len(value) > NUMBER_MAX:
        raise RuleError(texts.NUMBER_TOO_LONG.format(What=_cap(what), n=len(value), limit=NUMBER_MAX, example=example))
    if not any(ch.isalnum() for ch in value):
        raise RuleError(texts.NUMBER_BAD.format(What=_cap(what), value=_clip(value), example=example))
    return value


# --- stages and their dates ------------------------------------------------------------------
def check_awareness_date(birth: date, awareness: date) -> None:
    if awareness < add_months(birth, 12 * POOL_MIN_AGE):
        raise RuleError(
            texts.AWARENESS_TOO_YOUNG.format(date=fmt(awareness), birth=fmt(birth), min=POOL_MIN_AGE)
        )


def adult_on(birth: date) -> date:
    return add_months(birth, 12 * ADMISSION_MIN_AGE)


def over_age_limit(birth: date, admission: date) -> bool:
    """True when the person is past their 60th birthday ("đủ 60 tuổi") on the admission date."""
    return admission > add_months(birth, 12 * ADMISSION_MAX_AGE)


def check_admission(birth: date, awareness: date | None, admission: date, *, name: str, code: str) -> None:
    """Refuses an admission under 18 or before the awareness class; over 60 is checked
    separately (over_age_limit) because it only needs a confirmation."""
    if admission < adult_on(birth):
        raise RuleError(
            texts.ADMIT_UNDER_18.format(
                name=name, code=code, birth=fmt(birth), date=fmt(admission),
                age=age_on(birth, admission), adult=fmt(adult_on(birth)),
            )
        )
    if awareness is not None and admission < awareness:
        raise RuleError(
            texts.ADMIT_BEFORE_AWARENESS.format(date=fmt(admission), awareness=fmt(awareness), code=code)
        )


def earliest_recognition(admission: date) -> date:
    """The end of the 12-month probation: the first day recognition can be dated."""
    return add_months(admission, PROBATION_MONTHS)


def recognition_deadline(admission: date) -> date:
    """The cell must consider recognition within 30 working days after probation ends.
    Working days are Monday to Friday without Vietnamese public holidays (domain.holidays),
    so the deadline itself is never a weekend or a holiday."""
    return add_working_days(earliest_recognition(admission), RECOGNITION_WORKING_DAYS, VIETNAM)


DUE_SOON_DAYS = 30  # the report's "dự bị đến hạn": the deadline within this many days


def needs_recognition(admission: date | None, deadline: date | None, today: date) -> bool:
    """"Cần xét công nhận": from the day the 12 months of probation are served (or, as the
    reports count it, once the deadline is within 30 days or past)."""
    if admission is not None and today >= earliest_recognition(admission):
        return True
    return deadline is not None and (deadline - today).days <= DUE_SOON_DAYS


def check_recognition(admission: date, recognition: date, *, name: str, code: str) -> None:
    earliest = earliest_recognition(admission)
    if recognition < earliest:
        raise RuleError(
            texts.RECOGNISE_TOO_EARLY.format(
                name=name, code=code, admission=fmt(admission), date=fmt(recognition),
                earliest=fmt(earliest), deadline=fmt(recognition_deadline(admission)),
            )
        )


# --- evaluation levels -----------------------------------------------------------------------
_LEVEL_WORDS = {
    "tot": "tot", "muc tot": "tot", "1": "tot",
    "kha": "kha", "muc kha": "kha", "2": "kha",
    "trung binh": "trung_binh", "tb": "trung_binh", "trungbinh": "trung_binh", "muc trung binh": "trung_binh",
    "3": "trung_binh",
    "chua dat": "chua_dat", "chuadat": "chua_dat", "cd": "chua_dat", "khong dat": "chua_dat",
    "kem": "chua_dat", "yeu": "chua_dat", "4": "chua_dat",
}


def parse_level(text: str) -> str:
    value = fold(text).strip(" .")
    value = value.replace("_", " ")
    if value in _LEVEL_WORDS:
        return _LEVEL_WORDS[value]
    if not value:
        raise RuleError(texts.LEVEL_EMPTY)
    raise RuleError(texts.LEVEL_UNKNOWN.format(value=_clip(nfc(text))))


# --- identifying a person and a field -----------------------------------------------------------
def parse_code(text: str) -> int | None:
    """'N12', 'n12', 'n 12', '12' -> 12; None when the text is not a code (then: a name)."""
    value = fold(text).strip(" .#")
    match = _CODE.match(value)
    if match:
        return int(match[1])
    if _BARE_NUMBER.match(value):
        return int(value)
    return None


FIELDS = ("name", "birth", "categories", "note")
_FIELD_WORDS = {
    "ten": "name", "ho ten": "name", "ho va ten": "name", "hoten": "name", "name": "name",
    "ngay sinh": "birth", "ngaysinh": "birth", "ns": "birth", "sinh": "birth", "nam sinh": "birth",
    "nhom": "categories", "nhom uu tien": "categories", "doi tuong": "categories", "nhóm": "categories",
    "ghi chu": "note", "ghichu": "note", "gc": "note", "note": "note",
}


def parse_field(text: str) -> str:
    value = fold(text).strip(" .")
    if value in _FIELD_WORDS:
        return _FIELD_WORDS[value]
    raise RuleError(texts.FIELD_UNKNOWN.format(value=_clip(nfc(text)) or "(trống)"))


_APPROVAL_SPLIT = re.compile(r"\s*(?:[,;]|\s(?:của|cua|do)\s)\s*", re.I)


def parse_approval(text: str) -> tuple[str, str]:
    """"45-QĐ/TU, Tỉnh ủy Bình Định" (or "45-QĐ/TU của Tỉnh ủy Bình Định") -> the number of
    the decision that allowed an admission over 60 and the committee that made it."""
    value = nfc(text)
    pieces = _APPROVAL_SPLIT.split(value, maxsplit=1)
    if len(pieces) != 2 or not pieces[0] or not has_letters(pieces[1]):
        raise RuleError(texts.APPROVAL_FORMAT.format(value=_clip(value) or "(trống)"))
    decision = parse_number(pieces[0], what=texts.DECISION_WHAT, example=texts.EXAMPLE_APPROVAL)
    authority = parse_text(pieces[1], what=texts.AUTHORITY_WHAT, example=texts.EXAMPLE_APPROVAL, limit=255)
    return decision, authority


_CONFIRM_WORDS = {"xac nhan", "co", "co xac nhan", "co, xac nhan", "dong y", "yes", "ok"}


def is_confirmation(text: str) -> bool:
    return fold(text).strip(" .!") in _CONFIRM_WORDS


def quarter_label(year: int, quarter: int) -> str:
    return texts.QUARTER_LABEL.format(roman=ROMAN_QUARTERS[quarter - 1], year=year)


# --- corrections of recorded stage data (/suanguon) --------------------------------------------
# Besides the personal fields (FIELDS), /suanguon corrects what the stage commands recorded, but
# only once the person has reached the stage that records it.
STAGE_FIELDS = ("awareness", "certificate", "admission", "decision", "recognition")
FIELD_STAGES = {
    "awareness": (AWARENESS, PROBATIONARY, FULL),
    "certificate": (AWARENESS, PROBATIONARY, FULL),
    "admission": (PROBATIONARY, FULL),
    "decision": (PROBATIONARY, FULL),
    "recognition": (FULL,),
}
_FIELD_NEEDS = {
    "awareness": texts.EDIT_NEEDS_AWARENESS,
    "certificate": texts.EDIT_NEEDS_AWARENESS,
    "admission": texts.EDIT_NEEDS_ADMISSION,
    "decision": texts.EDIT_NEEDS_ADMISSION,
    "recognition": texts.EDIT_NEEDS_RECOGNITION,
}
_FIELD_WORDS.update({
    # awareness_date: the day the party-awareness class was completed
    "ngay hoc lop": "awareness", "ngay lop nhan thuc": "awareness", "ngay hoc lop nhan thuc": "awareness",
    "ngay hoc xong lop": "awareness", "ngay hoc xong lop nhan thuc": "awareness", "ngay hoan thanh lop": "awareness",
    "ngay lop": "awareness", "lop nhan thuc": "awareness", "ngay nhan thuc": "awareness", "nhan thuc": "awareness",
    "ngay hoc lop nhan thuc ve dang": "awareness", "lop boi duong nhan thuc": "awareness",
    "ngay cam tinh": "awareness", "ngay cam tinh dang": "awareness", "ngay hoc": "awareness",
    # certificate_no
    "so giay chung nhan": "certificate", "giay chung nhan": "certificate", "so chung nhan": "certificate",
    "so gcn": "certificate", "gcn": "certificate", "so giay cn": "certificate", "chung nhan": "certificate",
    # admission_date
    "ngay ket nap": "admission", "ket nap": "admission", "ngay kn": "admission", "ngayketnap": "admission",
    "ngay vao dang": "admission", "ngay ket nap dang": "admission",
    # decision_no
    "so quyet dinh": "decision", "quyet dinh": "decision", "so qd": "decision", "qd": "decision",
    "so quyet dinh ket nap": "decision", "quyet dinh ket nap": "decision", "so qd ket nap": "decision",
    # recognition_date
    "ngay cong nhan": "recognition", "ngay chinh thuc": "recognition", "cong nhan": "recognition",
    "chinh thuc": "recognition", "ngay cong nhan chinh thuc": "recognition", "ngay ct": "recognition",
    "ngay cong nhan dang vien chinh thuc": "recognition", "ngay len chinh thuc": "recognition",
})


def fields_for(stage: str) -> tuple[str, ...]:
    """The fields /suanguon offers for a person at `stage`, in the order they are shown."""
    return FIELDS + tuple(f for f in STAGE_FIELDS if stage in FIELD_STAGES[f])


def check_field_stage(field: str, stage: str, *, who: str, code: str) -> None:
    """A stage field can be corrected only once the stage that records it was reached; the
    message names the command that records it."""
    if field in FIELD_STAGES and stage not in FIELD_STAGES[field]:
        raise RuleError(
            _FIELD_NEEDS[field].format(Who=_cap(who), field=texts.FIELD_NAMES[field], code=code)
        )


def check_awareness_change(birth: date, awareness: date, admission: date | None, *, who: str, code: str) -> None:
    """A corrected awareness date: the /lopnhanthuc rule, and (once admitted) not after the
    admission, which must not come before the class."""
    check_awareness_date(birth, awareness)
    if admission is not None and awareness > admission:
        raise RuleError(
            texts.EDIT_AWARENESS_AFTER_ADMISSION.format(
                who=who, code=code, date=fmt(awareness), admission=fmt(admission)
            )
        )


def check_admission_change(
    birth: date, awareness: date | None, admission: date, recognition: date | None, *, name: str, who: str, code: str
) -> None:
    """A corrected admission date: the /ketnap rules (check_admission; over 60 is asked to be
    confirmed separately with over_age_limit) and, for a full member, the recognition still at
    least 12 months later (check_recognition)."""
    if awareness is not None and admission < awareness:  # check_admission's rule, with the edit's example
        raise RuleError(
            texts.EDIT_ADMISSION_BEFORE_AWARENESS.format(
                who=who, code=code, date=fmt(admission), awareness=fmt(awareness)
            )
        )
    check_admission(birth, awareness, admission, name=name, code=code)
    if recognition is not None:
        try:
            check_recognition(admission, recognition, name=name, code=code)
        except RuleError:
            raise RuleError(
                texts.EDIT_ADMISSION_AFTER_RECOGNITION.format(
                    who=who, code=code, date=fmt(admission), recognition=fmt(recognition),
                    earliest=fmt(earliest_recognition(admission)),
                    latest=fmt(add_months(recognition, -PROBATION_MONTHS)),
                )
            ) from None


def check_recognition_change(admission: date | None, recognition: date, *, name: str, who: str, code: str) -> None:
    """A corrected recognition date: the /chinhthuc rule (check_recognition)."""
    if admission is None:
        return
    try:
        check_recognition(admission, recognition, name=name, code=code)
    except RuleError:
        raise RuleError(
            texts.EDIT_RECOGNITION_TOO_EARLY.format(
                who=who, code=code, date=fmt(recognition), admission=fmt(admission),
                earliest=fmt(earliest_recognition(admission)),
            )
        ) from None
