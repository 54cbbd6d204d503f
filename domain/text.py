"""Vietnamese text normalisation shared by every layer.

Users type on phones with or without diacritics, sometimes in decomposed Unicode (NFD, as
some keyboards and copy-paste from PDFs produce). Everything that compares text goes through
these helpers so "Nguyễn Văn An", "Nguyen Van An" and the NFD form match.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_SPACES = re.compile(r"\s+")
# Zero-width and formatting characters that phones insert invisibly.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)


# Control characters (C0 but tab and newline, DEL, C1), bidi embeddings/overrides/isolates and
# marks, lone surrogates and non-characters: never meant as content, and dangerous when echoed (an
# escape sequence clears a terminal, an override reverses what a name shows) or stored (NUL is
# refused by PostgreSQL).
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069"
                     "\ud800-\udfff\ufffe\uffff]")


def sanitize(text: str) -> str:
    """Remove control, bidi-override and other unsafe characters; "\r\n" becomes "\n"."""
    return _UNSAFE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def nfc(text: str) -> str:
    """Compose to NFC, drop invisible characters and collapse whitespace."""
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    return _SPACES.sub(" ", text).strip()


def nfc_lines(text: str) -> str:
    """nfc() for each line, keeping the line breaks between non-empty lines (one-line
    commands may put each field on its own line)."""
    lines = (nfc(line) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def strip_diacritics(text: str) -> str:
    """Remove Vietnamese tone and vowel marks: "Đảng viên" -> "Dang vien"."""
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return bare.replace("đ", "d").replace("Đ", "D")


def fold(text: str) -> str:
    """Canonical comparison key: NFC, no diacritics, lower case, single spaces."""
    return strip_diacritics(nfc(text)).casefold()


def has_diacritics(text: str) -> bool:
    return strip_diacritics(text) != unicodedata.normalize("NFC", text)


def has_letters(text: str) -> bool:
    """True when the text has at least one letter (emoji-only input has none)."""
    return any(unicodedata.category(ch).startswith("L") for ch in text)


def title_name(text: str) -> str:
    """A person's name in title case: "nguyễn văn  an" -> "Nguyễn Văn An"."""
    return " ".join(part[:1].upper() + part[1:].lower() for part in nfc(text).split(" "))


def closest_command(typed: str, names: Iterable[str]) -> tuple[str, str] | None:
    """The command a mistyped "/command" most likely meant, and the part of ``typed`` it replaces:
    "/strat" -> ("start", "/strat"), "/dang gia N12" -> ("danhgia", "/dang gia"), "/lop nhan thuc"
    -> ("lopnhanthuc", "/lop nhan thuc"). None when ``typed`` does not start with "/", already names one of
    ``names``, or no name is close enough without a tie (one edit for names of up to five letters,
    two for longer ones; a letter swap counts as one)."""
    from rapidfuzz.distance import OSA

    match = _TYPED_COMMAND.match(typed.strip())
    if match is None:
        return None
    words = match.group(1).split()
    known = {name.casefold() for name in names if name and not name.startswith("_")}
    first = fold(words[0])
    if first in known:
        return None
    best: tuple[int, int, str, str] | None = None  # (distance, words used, name, replaced)
    tied = False
    for used in (3, 2, 1):
        if len(words) < used:
            continue
        key = "".join(fold(word) for word in words[:used])
        replaced = "/" + " ".join(words[:used])
        for name in known:
            distance = OSA.distance(key, name)
            if distance > (1 if len(name) <= 5 else 2):
                continue
            candidate = (distance, -used, name, replaced)
            if best is None or candidate[:2] < best[:2]:
                best, tied = candidate, False
            elif candidate[:2] == best[:2] and name != best[2]:
                tied = True
    if best is None or tied:
        return None
    return best[2], best[3]


# "/" and up to three words of letters after it (the rest of the line is the command's arguments).
_TYPED_COMMAND = re.compile(r"/([^\W\d_]+(?:[ \t]+[^\W\d_]+){0,2})")
