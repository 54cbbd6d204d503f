"""The directive's priority groups of sources, and matching what secretaries type to them.

Directive 13-CT/TU, task 2: "chú trọng phát triển đảng viên là đoàn viên thanh niên, trí thức,
quân nhân dự bị, dân quân tự vệ, học sinh, sinh viên, khu vực nông thôn, công nhân lao động
trong các đơn vị kinh tế tư nhân". Every source carries one or more of these groups ("khác" for
anyone outside them). Pure functions, no I/O.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz, process

from domain import texts
from domain.text import fold

# Keys are a fixed contract (report JSON); the order is the numbered list users see.
CATEGORIES: tuple[str, ...] = (
    "doan_vien",
    "tri_thuc",
    "quan_nhan_du_bi",
    "dan_quan_tu_ve",
    "hoc_sinh_sinh_vien",
    "nong_thon",
    "cong_nhan_tu_nhan",
    "khac",
)

# What people type, folded (no diacritics, lower case) -> category key.
_ALIASES: dict[str, str] = {}
for _key, _words in {
    "doan_vien": (
        "doan vien", "doan vien thanh nien", "doan vien tn", "dv", "dvtn", "doan", "thanh nien",
        "doan thanh nien", "doan tncs", "thanh nien doan vien",
    ),
    "tri_thuc": ("tri thuc", "nha tri thuc", "tri thuc tre"),
    "quan_nhan_du_bi": (
        "quan nhan du bi", "qndb", "quan nhan", "du bi", "qn du bi", "quan nhan xuat ngu",
        "bo doi xuat ngu", "xuat ngu", "quan doi du bi",
    ),
    "dan_quan_tu_ve": ("dan quan tu ve", "dqtv", "dan quan", "tu ve", "dq", "dan quan tv"),
    "hoc_sinh_sinh_vien": (
        "hoc sinh", "sinh vien", "hssv", "hs", "sv", "hoc sinh sinh vien", "hs sv",
        "hoc vien", "sinh vien hoc sinh",
    ),
    "nong_thon": ("nong thon", "khu vuc nong thon", "vung nong thon", "nong dan", "thon", "nt"),
    "cong_nhan_tu_nhan": (
        "cong nhan", "cn", "cong nhan tu nhan", "cn tu nhan", "cong nhan lao dong", "cnld",
        "cong nhan lao dong tu nhan", "lao dong tu nhan", "tu nhan", "doanh nghiep tu nhan",
        "dntn", "kinh te tu nhan", "ngoai nha nuoc", "doanh nghiep", "nguoi lao dong",
        "cong nhan lao dong trong cac don vi kinh te tu nhan",
        "cong nhan lao dong trong don vi kinh te tu nhan",
        "cong nhan doanh nghiep", "cn doanh nghiep",
    ),
    "khac": ("khac", "nhom khac", "doi tuong khac", "other"),
}.items():
    for _word in _words:
        _ALIASES[fold(_word)] = _key
for _number, _key in enumerate(CATEGORIES, start=1):
    _ALIASES[str(_number)] = _key

# Words people add around a group name that carry no meaning of their own.
_FILLER = {"la", "nhom", "doi tuong", "thuoc", "va"}
_MAX_ALIAS_WORDS = max(len(a.split()) for a in _ALIASES)
# Fuzzy matching only for longer spellings: "dv" vs "cn" must never be a typo of each other.
_FUZZY_CHOICES = [a for a in _ALIASES if len(a) >= 5 and not a.isdigit()]
_FUZZY_CUTOFF = 85
_SEPARATORS = re.compile(r"\s*(?:[,+&/;]|\bva\b|\bvoi\b)\s*")


class CategoryError(ValueError):
    """Some typed group is unknown; `text` is the Vietnamese message listing the groups."""

    def __init__(self, unknown: list[str]):
        self.unknown = unknown
        self.text = texts.CATEGORY_UNKNOWN.format(
            parts=", ".join(f"“{u}”" for u in unknown), groups=numbered_list()
        )
        super().__init__(self.text)


class CategoryEmpty(ValueError):
    def __init__(self) -> None:
        self.text = texts.CATEGORY_EMPTY.format(groups=numbered_list())
        super().__init__(self.text)


def label(key: str) -> str:
    return texts.CATEGORY_NAMES[key]


def labels(keys: list[str] | tuple[str, ...]) -> str:
    """"đoàn viên thanh niên; học sinh, sinh viên" in the list's order (";" because one
    group's own name has a comma)."""
    return "; ".join(label(k) for k in sort_keys(keys))


def sort_keys(keys) -> list[str]:
    return sorted(set(keys), key=CATEGORIES.index)


def numbered_list() -> str:
    return "; ".join(f"{n} {label(k)}" for n, k in enumerate(CATEGORIES, start=1))


def _match_part(part: str) -> list[str] | None:
    """One separated piece of the input -> its categories, or None when unknown."""
    if part in _ALIASES:
        return [_ALIASES[part]]
    words = part.split()
    if words and all(w.isdigit() for w in words):  # "1 3"
        found = [_ALIASES.get(w) for w in words]
        return None if None in found else found
    # "doan vien sinh vien": cover the words with known aliases, longest first.
    found, i = [], 0
    while i < len(words):
        for size in range(min(_MAX_ALIAS_WORDS, len(words) - i), 0, -1):
            chunk = " ".join(words[i : i + size])
            if chunk in _ALIASES and not chunk.isdigit():
                found.append(_ALIASES[chunk])
                i += size
                break
            if chunk in _FILLER:
                i += size
                break
        else:
            found = []
            break
    if found:
        return found
    if len(part) >= 5:  # small typos: "doan vein", "sinh vein", "cong nhna"
        best = process.extract(part, _FUZZY_CHOICES, scorer=fuzz.ratio, limit=3)
        best = [b for b in best if b[1] >= _FUZZY_CUTOFF]
        if best:
            top = best[0]
            rivals = {_ALIASES[b[0]] for b in best if b[1] >= top[1] - 3}
            if len(rivals) == 1:
                return [_ALIASES[top[0]]]
    return None


def match_categories(text: str) -> list[str]:
    """'đoàn viên, sinh viên' / 'DV + HSSV' / '1,5' / '1 5' -> ['doan_vien', 'hoc_sinh_sinh_vien'].

    Raises CategoryEmpty for no input and CategoryError naming every part not understood."""
    folded = fold(text).strip(" .")
    if not folded:
        raise CategoryEmpty()
    parts = [p.strip(" .") for p in _SEPARATORS.split(folded)]
    parts = [p for p in parts if p and p not in _FILLER]
    if not parts:
        raise CategoryEmpty()
    keys: list[str] = []
    unknown: list[str] = []
    originals = _original_parts(text, len(parts))
    for index, part in enumerate(parts):
        found = _match_part(part)
        if found is None:
            unknown.append(originals[index] if originals else part)
        else:
            keys.extend(found)
    if unknown:
        raise CategoryError(unknown)
    return sort_keys(keys)


def _original_parts(text: str, count: int) -> list[str] | None:
    """The user's own spelling of each part (for the error message), when it lines up."""
    pieces = [p.strip(" .") for p in re.split(r"\s*(?:[,+&/;]|\bvà\b|\bva\b|\bvới\b|\bvoi\b)\s*", text, flags=re.I)]
    pieces = [p for p in pieces if p and fold(p) not in _FILLER]
    return pieces if len(pieces) == count else None
