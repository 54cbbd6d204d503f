"""Turning Vietnamese text as typed on phones into search terms.

Both questions and documents go through the same steps, so "Đảng viên", "dang vien", the NFD
form and "ĐV" all end up as the terms ``dang`` and ``vien``:

1. NFC, invisible characters dropped (domain.text.nfc), "đ/c" spelt out;
2. tokens: runs of letters, runs of digits, and "%"; a token written in capitals that is a known
   ambiguous abbreviation ("TU", "HU", "ĐU") is expanded before folding;
3. fold (no diacritics, lower case), numbers without leading zeros, spelling variants unified
   ("tỉ"/"tỷ", "lí"/"lý", "qui"/"quy"), abbreviations expanded ("qcut" -> "quan chung uu tu"),
   synonyms unified ("lớn nhất" -> "tối đa", "lớp 9" -> "trung học cơ sở", "bot" -> "chibot");
4. question filler removed: phrases ("như thế nào", "cho hỏi", "tất cả") and single words
   ("gì", "ạ", "không", "tôi" unless in "tối đa"…); question words become markers ("bao lâu" ->
   "?bao_lau", "năm nào" -> "?khi_nao"; "nguyên nhân" also adds "?tai_sao");
5. terms: the remaining syllables plus adjacent-syllable bigrams ("dang_vien").

Typo correction needs the index's vocabulary and lives in knowledge.search.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence

from domain.text import fold, nfc

# fold() of one typed word: the same few thousand words come back in every question, so they are
# folded once.
_fold_word = functools.lru_cache(maxsize=16384)(fold)

# Abbreviations that are not Vietnamese syllables, so they are expanded whatever their case.
ABBREVIATIONS: dict[str, str] = {
    "dv": "dang vien",
    "dvs": "dang vien",
    "dvdb": "dang vien du bi",
    "dvct": "dang vien chinh thuc",
    "dvm": "dang vien moi",
    "qcut": "quan chung uu tu",
    "qcu": "quan chung uu tu",
    "qc": "quan chung",
    "knd": "ket nap dang",
    "kndv": "ket nap dang vien",
    "kn": "ket nap",
    "ptdv": "phat trien dang vien",
    "bch": "ban chap hanh",
    "btv": "ban thuong vu",
    "btvtu": "ban thuong vu tinh uy",
    "btc": "ban to chuc",
    "btctu": "ban to chuc tinh uy",
    "bt": "bi thu",
    "btcb": "bi thu chi bo",
    "cb": "chi bo",
    "ct": "chi thi",
    "nv": "nhiem vu",  # "nv 4", "nv1 của ct13": the directive's tasks
    "ctr": "chuong trinh",
    "cttu": "chi thi tinh uy",
    "tw": "trung uong",
    "dld": "dieu le dang",
    "dtn": "doan thanh nien",
    "dvtn": "doan vien thanh nien",
    "tncs": "thanh nien cong san",
    "hssv": "hoc sinh sinh vien",
    "hs": "hoc sinh",
    "sv": "sinh vien",
    "dqtv": "dan quan tu ve",
    "qndb": "quan nhan du bi",
    "cnct": "cong nhan chinh thuc",
    "dn": "doanh nghiep",
    "dnnn": "doanh nghiep nha nuoc",
    "tp": "thanh pho",
    "nq": "nghi quyet",
    "qd": "quyet dinh",
    "hd": "huong dan",
    "dk": "dieu kien",
    "dkien": "dieu kien",
    "tc": "tieu chuan",
    "tchuan": "tieu chuan",
    "sh": "sinh hoat",
    "shcb": "sinh hoat chi bo",
    "bc": "bao cao",
    "bcao": "bao cao",
    "tg": "thoi gian",
    "tgian": "thoi gian",
    "ptram": "phan tram",
    "lh": "lien he",
    "ng": "nguoi",
    "ngta": "nguoi ta",
    "trc": "truoc",
    "onl": "truc tuyen",
    "online": "truc tuyen",
    "tele": "telegram",
    "thcs": "trung hoc co so",
    "thpt": "trung hoc pho thong",
    "gcn": "giay chung nhan",
    "ds": "danh sach",
    "link": "duong dan",
    "dsach": "danh sach",
    "bd": "boi duong",  # "lớp bd nhận thức"
    "zoom": "truc tuyen",
    "meet": "truc tuyen",
    # English words young users mix in ("join Đảng", "deadline xét chính thức", "update nguồn")
    "join": "vao",
    "apply": "xin",
    "deadline": "han",
    "update": "cap nhat",
    "list": "danh sach",
    "report": "bao cao",
    # chat shorthand for filler words (removed afterwards as stopwords)
    "j": "gi",
    "ntn": "nhu the nao",
    "bn": "bao nhieu",
    "bnhieu": "bao nhieu",
    "bnhiu": "bao nhieu",
    "ko": "khong",
    "k": "khong",
    "kh": "khong",
    "hok": "khong",
    "hong": "khong",
    "dc": "duoc",
    "vs": "voi",
    "mk": "minh",
    "z": "vay",  # "là j z": là gì vậy
    "mn": "moi nguoi",
    "tg": "thoi gian",
}

# Chat abbreviations that are also well-formed syllables ("hong" = "hông", không): typed with
# diacritics they are the word itself ("sổ hồng" is a land title), unless in this accented form.
ACCENTED_ABBREVIATIONS: frozenset[str] = frozenset({"hông"})

# Abbreviations that are also ordinary syllables once folded ("tu" is từ, tự, tư…): expanded only
# when written in capitals, as in "13-CT/TU".
CASED_ABBREVIATIONS: dict[str, str] = {
    "tu": "tinh uy",
    "hu": "huyen uy",
    "du": "dang uy",
    "tv": "thuong vu",
    "ubkt": "uy ban kiem tra",
}

# Spelling variants that Vietnamese allows for the same syllable.
VARIANTS: dict[str, str] = {"ti": "ty", "li": "ly", "ki": "ky", "qui": "quy", "mi": "my", "si": "sy"}

# Different words for the same thing, as folded phrases -> the knowledge base's term. Applied to
# questions and documents alike, longest phrase first.
SYNONYMS: dict[tuple[str, ...], tuple[str, ...]] = {
    tuple(k.split()): tuple(v.split())
    for k, v in (
        ("bot", "chibot"),
        ("chuyen dang chinh thuc", "cong nhan chinh thuc"),
        ("chuyen chinh thuc", "cong nhan chinh thuc"),
        ("len chinh thuc", "cong nhan chinh thuc"),
        ("bot nhan tin", "chibot nhac"),  # the bot messaging the asker: a reminder, not a broadcast
        ("chibot nhan tin", "chibot nhac"),
        ("khong nhan tin", "khong nhac"),  # "sao bot không nhắn tin nhắc"
        ("nhan tin", "nhan tin thong bao"),
        ("undo", "hoan tac"),
        ("te le gam", "telegram"),  # as voice typing spells it
        ("te le ram", "telegram"),
        # "ai (thì) được vào Đảng" asks who is eligible, not who decides or organises
        ("ai duoc vao dang", "ai tieu chuan ket nap dang"),
        ("ai thi duoc vao dang", "ai tieu chuan ket nap dang"),
        ("ai duoc ket nap", "ai tieu chuan ket nap"),
        ("ai thi duoc ket nap", "ai tieu chuan ket nap"),
        ("qua 12 thang", "het 12 thang"),
        ("du 12 thang", "het 12 thang"),
        ("len dang vien chinh thuc", "cong nhan dang vien chinh thuc"),
        ("thanh dang vien chinh thuc", "cong nhan dang vien chinh thuc"),
        ("thu nhat", "1"),
        ("thu hai", "2"),
        ("thu ba", "3"),
        ("thu tu", "4"),
        ("thu nam", "5"),
        ("thu sau", "6"),
        ("thu bay", "7"),
        ("tro ly ao", "chibot"),
        ("tro ly", "chibot"),
        ("nhiem vu dau tien", "nhiem vu 1"),
        ("thanh tuu", "ket qua"),
        ("uu diem", "ket qua"),
        ("khai quat", "tong quan"),
        ("tom tat", "tong quan"),
        ("yeu kem", "han che"),
        ("mat yeu", "han che"),
        ("con yeu", "han che"),
        ("bat cap", "han che"),
        ("ly do", "nguyen nhan"),
        ("van hoa", "hoc van"),
        ("bang cap", "hoc van"),
        ("xac minh", "tham tra"),
        ("tan thanh", "dong y"),
        ("tep", "file"),
        ("tu xa", "truc tuyen"),
        # extremes of a limit ("tuổi lớn nhất" is the maximum age)
        ("lon nhat", "toi da"),
        ("cao nhat", "toi da"),
        ("nho nhat", "toi thieu"),
        ("thap nhat", "toi thieu"),
        # school levels as people say them
        ("lop 9", "trung hoc co so"),
        ("cap 2", "trung hoc co so"),
        ("cap hai", "trung hoc co so"),
        ("lop 12", "trung hoc pho thong"),
        ("cap 3", "trung hoc pho thong"),
        ("cap ba", "trung hoc pho thong"),
        # days off ("thứ bảy" alone stays the ordinal "7")
        ("thu bay chu nhat", "ngay nghi"),
        ("chu nhat", "ngay nghi"),
        ("cuoi tuan", "ngay nghi"),
        ("ngay le", "ngay nghi"),
        # wrongdoing and shortcomings in the Party's vocabulary
        ("lam sai", "vi pham"),
        ("sai pham", "vi pham"),
        ("ton tai", "han che"),
        ("vuong mac", "han che"),
        ("liet ke", "danh sach"),
        ("lien he", "hoi"),
        ("hoc xong", "hoan thanh"),
        ("tuoi tre", "thanh nien"),
        ("tre tuoi", "thanh nien"),
        ("loai khoi", "dua ra khoi"),
        ("vao dang", "ket nap dang"),  # "vào Đảng" as people say "kết nạp Đảng"
        # "đối tượng Đảng" is what people call a candidate, and "lớp đối tượng (Đảng)" the
        # awareness class; "đối tượng đảng viên …" (which members) stays as it is
        ("lop doi tuong dang", "lop boi duong nhan thuc ve dang"),
        ("lop doi tuong", "lop boi duong nhan thuc ve dang"),
        ("doi tuong dang vien", "doi tuong dang vien"),
        ("doi tuong ket nap dang", "quan chung uu tu"),
        ("doi tuong dang", "quan chung uu tu"),
        ("vo dang", "ket nap dang"),  # "vô Đảng": "vào" as the South says it
        ("cu phap", "lenh"),  # "cú pháp lệnh …": how to type a command
        # "điều lệ" (charter) and "lễ kết nạp" (ceremony) fold to the same "le": one word each
        ("dieu le", "dieule"),
        # and so does "tỷ lệ" (a rate): "tỷ lệ kết nạp" is not "lễ kết nạp"
        ("ty le", "tyle"),
        ("ti le", "tyle"),
        # how people speak of admission and probation
        ("dung vao hang ngu cua dang", "ket nap dang"),
        ("dung vao hang ngu dang", "ket nap dang"),
        ("vao hang ngu cua dang", "ket nap dang"),
        ("thoi gian thu thach", "thoi ky du bi"),
        ("thoi ky thu thach", "thoi ky du bi"),
        ("bao lanh", "gioi thieu"),  # the introducers "vouch" for the candidate
        ("lon tuoi", "tren 60 tuoi"),
        ("gia roi", "tren 60 tuoi"),
        ("phat trien dang vien", "phat trien dang vien"),  # kept as it is (longest phrase first)
        ("phat trien dang", "phat trien dang vien"),
        ("thong ke", "so lieu"),
        # land titles: "đỏ" folds onto the filler "đó", "hồng" onto the chat "hông" (không)
        ("so do", "sodo"),
        ("so hong", "sodo"),
        # a school grade asked about: "học hết lớp mấy"
        ("lop may", "hoc van"),
        # attending the cell's meetings is how people say taking part in its activities
        ("di hop chi bo", "du sinh hoat chi bo"),
        ("du hop chi bo", "du sinh hoat chi bo"),
    )
}
_SYNONYM_SIZES = sorted({len(k) for k in SYNONYMS}, reverse=True)

# Question filler, as folded phrases, removed before single stopwords.
STOP_PHRASES: tuple[tuple[str, ...], ...] = tuple(
    tuple(p.split())
    for p in (
        "cho toi hoi",
        "cho em hoi",
        "cho minh hoi",
        "cho hoi",
        "xin hoi",
        "vui long",
        "nhu the nao",
        "the nao",
        "ra sao",
        "lam sao",
        "la gi",
        "nghia la",
        "co phai",
        "hay khong",
        "duoc khong",
        "co the",
        "nhu nao",
        "kieu gi",
        "cach nao",
        "cho toi biet",
        "cho em biet",
        "cho minh biet",
        "giup toi",
        "giup em",
        "giup minh",
        "tat ca",
        "toan bo",
        "hien nay",
        "bay gio",
    )
)

# Question words that tell what kind of answer is wanted (a duration, a number, a time, a place,
# a person, a reason). They become marker terms ("?bao_lau") that rank entries answering that kind
# of question higher, but they count neither as content a match must cover nor against a match.
QUESTION_MARKERS: dict[tuple[str, ...], str] = {
    tuple(k.split()): v
    for k, v in (
        ("bao lau", "?bao_lau"),
        ("bao nhieu", "?bao_nhieu"),
        ("bao nhiu", "?bao_nhieu"),
        ("may", "?bao_nhieu"),
        ("khi nao", "?khi_nao"),
        ("luc nao", "?khi_nao"),
        ("bao gio", "?khi_nao"),
        ("o dau", "?o_dau"),
        ("la ai", "?ai"),
        ("ai", "?ai"),
        ("tai sao", "?tai_sao"),
        ("vi sao", "?tai_sao"),
        ("do dau", "?tai_sao"),
        ("khien", "?tai_sao"),
        ("keo dai", "?bao_lau"),
        ("de lam gi", "?muc_dich"),  # "… để làm gì": what it is for
        ("nham muc dich gi", "?muc_dich"),
    )
}
# Two-word phrases that keep their words as content and also tell what kind of answer is wanted.
IMPLIED_MARKERS: dict[tuple[str, str], str] = {
    ("nguyen", "nhan"): "?tai_sao",
    ("muc", "dich"): "?muc_dich",
}
# "<noun> nào" asks for a time, a place or a body/person: "năm nào", "nơi nào", "cấp nào".
WHICH_MARKERS: dict[str, str] = {
    "ngay": "?khi_nao",
    "nam": "?khi_nao",
    "thang": "?khi_nao",
    "diem": "?khi_nao",  # thời điểm nào
    "noi": "?o_dau",
    "dau": "?o_dau",
    "nguoi": "?ai",
    "chi": "?ai",  # đồng chí nào
    "quan": "?ai",  # cơ quan nào
    "cap": "?ai",
    "ban": "?ai",
}
# ... and those that ask that only after a given word: "thời điểm nào" (when), but "khác ở điểm
# nào" (in which respect).
_WHICH_AFTER: dict[str, str] = {"diem": "thoi"}
# Units of time after "bao nhiêu"/"mấy" make it a question about a duration as well.
_DURATION_UNITS = frozenset({"ngay", "tuan", "thang", "nam"})
# Words before "may" that make it "máy" (a machine), not "mấy" (how many).
_MACHINE_BEFORE = frozenset({"xe", "danh"})
# "khiển trách" (a reprimand, a form of discipline) folds like "khiến" (causes, asks why) + "trách".
_NOT_WHY_AFTER = frozenset({"trach"})
NEGATIONS = frozenset({"chua", "khong"})  # never corrected into another word
_MARKER_SIZES = sorted({len(k) for k in QUESTION_MARKERS}, reverse=True)


def is_marker(term: str) -> bool:
    return term.startswith("?")


# "thì" (then) folds like "thị" in "chỉ thị", "thi hành", "thi đua": it is dropped unless it is part
# of one of those.
_THI_BEFORE = frozenset({"chi"})
_THI_AFTER = frozenset({"hanh", "dua"})
# "tôi" (I) folds like "tối" in "tối đa", "tối thiểu", "tối ưu": it is dropped unless it is part of those.
_TOI_AFTER = frozenset({"da", "thieu", "uu"})

# Single folded words that carry no content in a question. Deliberately absent: words that fold
# onto frequent content words ("trong" = trọng, "tai" = tài khoản, "can" = cán bộ, "ban" = Ban,
# "thu" = bí thư, "bao" = báo cáo, "tu" = tư nhân, "chu" = chú trọng). "co" (có) is dropped although
# it also folds "cơ": "cơ sở" keeps its distinctive syllable "so", and "động cơ" keeps it (drop_filler).
STOPWORDS: frozenset[str] = frozenset(
    """
    gi nao a oi nhe nha vay ha la cua va voi cho minh em co con duoc khong nhu the ra sao
    lam de o nay do day kia ay nhung cac mot phai muon khi hay nen se da roi di len ve
    cai xong chao ad admin alo hello
    e mn nhi ak ah z
    """.split()
)

# --- colloquial wrappers around a question ----------------------------------------------------
# "ad ơi cho e hỏi chút xíu … vs ạ", "mn ơi … nhỉ", "e muốn hỏi … ạ": words that address the bot
# or ask leave to ask, before the question, and particles after it. They are removed from a query
# before typo correction (which would otherwise turn "xíu" into some word of the knowledge base).
# Only a leading run that ends in a vocative "ơi" or contains the verb "hỏi" after a requester
# ("cho", "xin", "em", "muốn"…) or before "chút", "xíu" is a wrapper: "chị" in "chi bộ" or "hỏi" in
# "hỏi bot không dấu" stays.
_ADDRESS = frozenset("ad admin anh chi em e mn moi nguoi ca nha ban bot chibot dong cac co chu bac thay".split())
_REQUESTER = frozenset("cho xin e em minh toi to chau muon can".split())
_WRAPPER = _ADDRESS | _REQUESTER | frozenset("da oi hoi chut xiu ti nhanh voi vs giup duoc dc a ah chao".split())
_TRAILING = frozenset("a ah ak z v nhi nhe nha nhen vay the ha ad admin oi voi vs em e mn ne di".split())


_ACKNOWLEDGEMENTS = frozenset("vang da ok oke okay okie uh um u a".split())  # "vâng, …", "ok vậy …"


def strip_wrappers(tokens: Sequence[str]) -> list[str]:
    """The question without the words that address the bot or ask leave before it, nor the particles after it."""
    out = list(tokens)
    while len(out) > 1 and out[0] in _ACKNOWLEDGEMENTS:
        out = out[1:]
    cut = 0
    for i, token in enumerate(out[:10]):
        if token not in _WRAPPER:
            break
        if token == "oi" and i:
            cut = i + 1  # "ad ơi", "mn ơi", "chị ơi"
        elif token == "hoi" and (not _REQUESTER.isdisjoint(out[:i]) or out[i + 1 : i + 2] in (["chut"], ["xiu"], ["ti"])):
            cut = i + 1  # "cho em hỏi", "e muốn hỏi", "hỏi xíu"
            while cut < len(out) and out[cut] in {"chut", "xiu", "ti", "nhanh", "ad", "admin", "a", "voi"}:
                cut += 1
    if cut and cut < len(out):
        out = out[cut:]
    end = len(out)
    while end > 1 and out[end - 1] in _TRAILING:
        end -= 1
    return out[:end]


# A well-formed Vietnamese syllable once folded: optional initial consonant, a vowel nucleus that
# Vietnamese has, and a final consonant only after a nucleus that can take one ("tuan", "nghieng",
# but not "tein", "toui", "nhuung"). It only tells real (possibly unknown) words from typos.
_INITIALS = ("ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr", *"bcdghklmnprstvx", "")
_OPEN_NUCLEI = frozenset(
    "ai ao au ay eo eu ia iu oi ui uu ieu yeu uoi uou oai oay uay uya uyu oeo ya ua ue".split()
)  # nuclei that end in a glide (or are open, like "ua" in "mua"): at most "ua", "ue" take a final
_CLOSED_NUCLEI = frozenset("a e i o u y ie ye oa oe ua ue uo uy uye oo".split())  # may take a final
_FINALS = ("ch", "nh", "ng", "c", "m", "n", "p", "t", "")


@functools.lru_cache(maxsize=65536)
def is_syllable(word: str) -> bool:
    """True when a folded word is shaped like a Vietnamese syllable ("dang", "nghieng"), not "dnag"."""
    for initial in _INITIALS:
        if not word.startswith(initial):
            continue
        rest = word[len(initial) :]
        for final in _FINALS:
            if final and not rest.endswith(final):
                continue
            nucleus = rest[: len(rest) - len(final)] if final else rest
            if not nucleus:
                if initial == "gi":
                    return True  # "gì", "gìn": the "i" of "gi" is the vowel
                continue
            if final and nucleus in _CLOSED_NUCLEI:
                return True
            if not final and (nucleus in _OPEN_NUCLEI or nucleus in _CLOSED_NUCLEI):
                return True
    return False


# Chibot's chat commands, as typed with or without the slash, spelt as the words they stand for.
COMMANDS: dict[str, str] = {
    "start": "bat dau",
    "nguon": "nguon",
    "dsnguon": "dsnguon",
    "suanguon": "sua nguon",
    "xoanguon": "xoa nguon",
    "lopnhanthuc": "lop nhan thuc",
    "ketnap": "ket nap",
    "chinhthuc": "chinh thuc",
    "danhgia": "danh gia",
    "lophoc": "lop hoc",
    "tinhhinh": "tinh hinh",
    "baocao": "bao cao",
    "thongbao": "thong bao",
    "hoantac": "hoan tac",
    "lienket": "lien ket",
    "huy": "huy",
    "trogiup": "tro giup",
    "moi": "moi",
    "xem": "xem ho so",
    "chitieu": "chi tieu",
    "help": "tro giup",  # what other bots call /trogiup
    "menu": "tro giup",
}
# Command names that are also ordinary words once folded: expanded only when typed with the slash.
_PLAIN_WORD_COMMANDS = frozenset({"nguon", "huy", "moi", "xem"})
_COMMAND = re.compile(r"(?<![\w/])/(" + "|".join(COMMANDS) + r")(?![\w])", re.IGNORECASE)

_ABBREV_DC = re.compile(r"(?i)(?<!\w)[đd]\s*/\s*c(?!\w)")
_TWO_THIRDS = re.compile(r"(?<![\d/])2\s*/\s*3(?![\d/])")  # "2/3" of the votes, as the rules write it
_TOKEN = re.compile(r"[^\W\d_]+|\d+|%")
# A letter typed three times or more stretches the word ("hiii", "cảm ơnnn", "dự biiii"): no
# Vietnamese or Telex spelling repeats a letter three times.
_STRETCHED = re.compile(r"([^\W\d_])\1{2,}")


def words(text: str) -> list[str]:
    """Folded, expanded words of a text, before stopword removal."""
    return list(_words(text))


@functools.lru_cache(maxsize=1024)  # a question and its clauses are read several times while answering it
def _words(text: str) -> tuple[str, ...]:
    text = _ABBREV_DC.sub(" đồng chí ", nfc(text))
    text = _TWO_THIRDS.sub(" hai phần ba ", text)
    text = _COMMAND.sub(lambda m: f" lệnh {COMMANDS[m.group(1).lower()]} ", text)
    out: list[str] = []
    tokens = spoken_numbers(_TOKEN.findall(_STRETCHED.sub(r"\1", text)))
    # In text typed all in capitals ("DANG VIEN DU BI"), capitals say nothing about abbreviations.
    lettered = [t for t in tokens if len(t) >= 2 and not t.isdecimal()]
    shouting = len(lettered) > 2 and all(t.isupper() for t in lettered)
    for raw in tokens:
        if raw == "%":
            out.extend(("phan", "tram"))
            continue
        if raw.isdecimal():
            out.append(str(int(raw)))
            continue
        folded = _fold_word(raw)
        if not shouting and len(raw) >= 2 and raw.isupper() and folded in CASED_ABBREVIATIONS:
            out.extend(CASED_ABBREVIATIONS[folded].split())
            continue
        folded = VARIANTS.get(folded, folded)
        expansion = ABBREVIATIONS.get(folded)
        if expansion is not None and folded != raw.lower() and is_syllable(folded) and raw.lower() not in ACCENTED_ABBREVIATIONS:
            expansion = None  # "hồng" typed with its tone is not the chat shorthand "hong"
        if expansion is None and folded in COMMANDS and folded not in _PLAIN_WORD_COMMANDS:
            expansion = "lenh " + COMMANDS[folded]
        if expansion is not None:
            out.extend(expansion.split())
        else:
            out.append(folded)
    out = _ages_as_bands(_report_as_record(_replace_synonyms(_transfer_not_recognition(out))))
    return tuple(w for i, w in enumerate(out) if i == 0 or w != out[i - 1])


# Numbers said to a phone's voice typing, or typed as words: "chỉ thị mười ba", "hai mươi tám",
# "sáu mươi mốt tuổi", "bốn phần trăm", "muoi tam tuoi". With diacritics "mười" is ten and "mươi"
# the tens; without them "muoi" is either. After ten, "năm" is years ("mười năm"), "lăm" five.
_DIGITS = {"một": 1, "mốt": 1, "hai": 2, "ba": 3, "bốn": 4, "tư": 4, "năm": 5, "lăm": 5, "nhăm": 5,
           "sáu": 6, "bảy": 7, "bẩy": 7, "tám": 8, "chín": 9}
_DIGITS_UNACCENTED = {fold(word): value for word, value in _DIGITS.items()}


def _digit(raw: str, unit: bool = False) -> int | None:
    lower = raw.lower()
    if unit and _fold_word(lower) == "nam":
        return None
    if lower in _DIGITS:
        return _DIGITS[lower]
    return _DIGITS_UNACCENTED.get(lower) if lower == _fold_word(lower) else None


def _is_ten(raw: str, tens: bool) -> bool:
    lower = raw.lower()
    return lower == "muoi" or lower == ("mươi" if tens else "mười")


def spoken_numbers(tokens: Sequence[str]) -> list[str]:
    """Raw tokens with numbers told in words as digits ("hai", "mươi", "tám" -> "28")."""
    out: list[str] = []
    i, n = 0, len(tokens)
    while i < n:
        first = _digit(tokens[i])
        if first is not None and first >= 2 and i + 1 < n and _is_ten(tokens[i + 1], tens=True):
            value, i = first * 10, i + 2
        elif _is_ten(tokens[i], tens=False):
            value, i = 10, i + 1
        else:
            if first is not None and [_fold_word(t) for t in tokens[i + 1 : i + 3]] == ["phan", "tram"]:
                out.append(str(first))  # "bốn phần trăm"
            else:
                out.append(tokens[i])
            i += 1
            continue
        unit = _digit(tokens[i], unit=True) if i < n else None
        if unit is not None:
            value, i = value + unit, i + 1
        out.append(str(value))
    return out


_WORD_SPAN = re.compile(r"[^\W\d_]+")


def proper_names(text: str) -> frozenset[str]:
    """The folded words typed as names: capitalised, not opening a sentence ("bạn Lan đi làm ăn ở
    Sài Gòn" gives lan, sai, gon). A name tells the asker's situation, not a topic: where the
    knowledge base does not know the word, the search weighs it as nothing, as a number."""
    text = nfc(text)
    found: set[str] = set()
    for match in _WORD_SPAN.finditer(text):
        word = match.group(0)
        before = text[: match.start()].rstrip()
        opens = not before or before[-1] in ".!?:\n"
        if not opens and len(word) > 1 and word[0].isupper() and word[1:].islower():
            found.add(fold(word))
    return frozenset(found)


# In a question about admission, an age told as a number ("mẹ em 62 tuổi, có được kết nạp không",
# "cháu 17 tuổi 11 tháng") is read as the band the rules name: over 60 ("trên 60 tuổi") or under 18
# ("chưa đủ 18 tuổi"). The rules name ages only for admission, so elsewhere ("đảng viên 80 tuổi có
# phải đóng đảng phí") and between the limits an age stays as typed (a number no entry uses weighs nothing).
_OVER_AGE = ("tren", "60")
_UNDER_AGE = ("chua", "du", "18")


def _ages_as_bands(tokens: list[str]) -> list[str]:
    if not any(pair == ("ket", "nap") for pair in zip(tokens, tokens[1:])):
        return tokens
    tokens = ["tuoi" if t == "t" and i and tokens[i - 1].isdecimal() else t for i, t in enumerate(tokens)]  # "17t"
    out: list[str] = []
    for i, token in enumerate(tokens):
        if token.isdecimal() and tokens[i + 1 : i + 2] == ["tuoi"]:
            age = int(token)
            band = _OVER_AGE if age > 60 else _UNDER_AGE if age < 18 else None
            if band is not None:
                # "trên 65 tuổi", "chưa đủ 16 tuổi": the band's words already typed are not repeated
                typed = next((k for k in range(len(band) - 1, 0, -1) if tuple(out[-k:]) == band[:k]), 0)
                out.extend(band[typed:])
                continue
        out.append(token)
    return out


# "Chuyển Đảng chính thức" is how people say recognition as a full member, but "chuyển Đảng chính
# thức sang tỉnh khác" is moving one's membership: with a direction after it, it is "chuyển sinh hoạt".
_DIRECTIONS = frozenset({"sang", "ve", "qua", "den", "toi", "di", "noi"})


def _transfer_not_recognition(tokens: list[str]) -> list[str]:
    for i in range(len(tokens) - 1):
        if tokens[i] == "chuyen" and tokens[i + 1] == "dang" and not _DIRECTIONS.isdisjoint(tokens[i + 2 : i + 6]):
            return [*tokens[: i + 1], "sinh", "hoat", *tokens[i + 1 :]]
    return tokens


# "Báo cáo" (report) followed by a step of the pipeline ("báo cáo kết nạp", "báo cáo việc công nhận
# chính thức") means recording that step, not the Excel report: it becomes "ghi nhận".
_RECORDED_STEPS: tuple[tuple[str, ...], ...] = (
    ("ket", "nap"), ("chinh", "thuc"), ("cong", "nhan"), ("lop",), ("danh", "gia"), ("nguon",),
    ("quan", "chung"), ("cam", "tinh"),
)


def _report_as_record(tokens: list[str]) -> list[str]:
    out = list(tokens)
    for i in range(len(out) - 2):
        if out[i] != "bao" or out[i + 1] != "cao":
            continue
        for start in (i + 2, i + 3):  # allow one word between: "báo cáo việc kết nạp"
            if any(tuple(out[start : start + len(step)]) == step for step in _RECORDED_STEPS):
                out[i], out[i + 1] = "ghi", "nhan"
                break
    return out


def respell(tokens: list[str]) -> list[str]:
    """Synonyms and the "báo cáo" rule applied again, to words corrected after ``words``."""
    return _report_as_record(_replace_synonyms(tokens))


def _replace_synonyms(tokens: list[str]) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(tokens):
        for size in _SYNONYM_SIZES:
            replacement = SYNONYMS.get(tuple(tokens[i : i + size]))
            if replacement is not None:
                out.extend(replacement)
                i += size
                break
        else:
            out.append(tokens[i])
            i += 1
    return out


# Words that make a question one about using Chibot ("bot", "Chibot", "lệnh /nguon").
CHIBOT_WORDS = frozenset({"chibot", "lenh"})
# A question that opens with an imperative verb of record keeping ("thêm …", "xem ds …", "sửa …",
# "nhắn tin …") asks to do something, which only the commands do: it counts as a question about
# Chibot (the rules entries are scored down, not the commands'). Folded words that also open questions about
# the rules are excluded by what follows them ("xem xét", "xóa tên", "nhận xét").
ACTION_VERBS = frozenset({"them", "xem", "sua", "xoa", "gui", "nhan", "tai", "xuat", "nhap", "doi", "ghi", "nhac", "tao", "mo"})
ACTION_PAIRS = frozenset({("cap", "nhat"), ("diem", "danh")})  # "cập nhật …" ("cấp ủy" folds to the same "cap")
_NOT_ACTION_AFTER = frozenset({"xet", "ten", "thuc", "lai"})
_NOT_ACTION_PAIRS = frozenset({("tao", "nguon"), ("tao", "dieu")})  # "tạo nguồn", "tạo điều kiện": the rules' terms
_WHERE_TO_DO = frozenset({"xem", "lam", "nhap", "ghi", "bao"})  # "… làm ở đâu", "… nhập ở đâu"


_UNITS = frozenset({("chi", "bo"), ("don", "vi"), ("dang", "bo")})
_OWNERS = frozenset({"minh", "toi", "em", "tui"})


_FIGURES = frozenset({("bao", "nhieu"), ("ty", "le"), ("tinh", "hinh"), ("so", "lieu"), ("duoc", "may"), ("danh", "sach")})


def asks_about_own_unit(tokens: Sequence[str]) -> bool:
    """Whether a question asks for the figures of the asker's own unit ("chi bộ mình đã kết nạp
    được bao nhiêu", "tỷ lệ của đơn vị tôi"): what only Chibot's records hold, not the rules.
    ``tokens``: the folded words as typed. ("chi bộ em không có ai trong diện tạo nguồn thì sao"
    names its unit but asks about the rules.)"""
    own = any(
        (tokens[i], tokens[i + 1]) in _UNITS and tokens[i + 2] in _OWNERS for i in range(len(tokens) - 2)
    )
    return own and any(pair in _FIGURES for pair in zip(tokens, tokens[1:]))


def asks_about_reminders(tokens: Sequence[str]) -> bool:
    """Whether a question asks about being reminded ("bí thư có được nhắc khi sắp hết hạn dự bị
    không"): reminders are Chibot's, the rules name none. ("nhắc nhở", to admonish, is not one.)
    ``tokens``: the folded words as typed."""
    return any(word == "nhac" and nxt != "nho" for word, nxt in zip(tokens, (*tokens[1:], "")))


# "sắp tới" (coming up), "sắp mở": what is scheduled is in Chibot's records, not in the rules.
_SCHEDULE_PAIRS = frozenset({("sap", "toi"), ("sap", "mo"), ("sap", "den")})


def asks_where_to_do(tokens: Sequence[str]) -> bool:
    """Whether a question asks where to do or see something ("đánh giá quý này làm ở đâu", "biểu
    đồ xem ở đâu"): a place in Chibot, not a rule. ``tokens``: the folded words as typed ("làm" is
    a stopword, gone from the content words)."""
    return any(
        w in _WHERE_TO_DO and (o, dau) == ("o", "dau") for w, o, dau in zip(tokens, tokens[1:], tokens[2:])
    )


def asks_for_schedule(tokens: Sequence[str]) -> bool:
    """Whether a question asks what is coming up ("các lớp bồi dưỡng sắp tới"). ``tokens``: the
    folded words as typed."""
    return any(pair in _SCHEDULE_PAIRS for pair in zip(tokens, tokens[1:]))


def asks_for_action(content: Sequence[str]) -> bool:
    """Whether a question's content words open with a verb of record keeping ("them nguon …")."""
    plain = [w for w in content if not w.startswith("?")]
    if len(plain) >= 2 and (plain[0], plain[1]) in ACTION_PAIRS:
        return True
    if not plain or plain[0] not in ACTION_VERBS:
        return False
    return len(plain) < 2 or (plain[1] not in _NOT_ACTION_AFTER and (plain[0], plain[1]) not in _NOT_ACTION_PAIRS)
_CLAUSE = re.compile(r"(?<=[.;!?])\s+")
_CROSS_REFERENCE = re.compile(r"(?i)\bchibot\b|(?<![\w/])/[a-z]+")


def mentions_chibot(text: str) -> bool:
    """Does a text speak of Chibot itself ("bot", "Chibot", a chat command)?"""
    return not CHIBOT_WORDS.isdisjoint(words(text))


def split_cross_references(answer: str) -> tuple[str, str]:
    """An answer's own text, and its clauses that point to Chibot or one of its commands.

    In an answer about the Party's rules, "Chibot nhắc hạn này; ghi kết quả bằng /chinhthuc" is a
    pointer to the entry about that command; the search leaves it out, so that a question about the
    command finds the command's own entry.
    """
    own: list[str] = []
    pointers: list[str] = []
    for part in _CLAUSE.split(answer):
        (pointers if _CROSS_REFERENCE.search(part) else own).append(part)
    return " ".join(own), " ".join(pointers)


_STOP_PHRASES_BY_FIRST: dict[str, tuple[tuple[str, ...], ...]] = {
    first: tuple(p for p in STOP_PHRASES if p[0] == first) for first in {p[0] for p in STOP_PHRASES}
}  # in STOP_PHRASES order: the first phrase that matches is dropped


def drop_filler(tokens: Sequence[str]) -> list[str]:
    """Remove question-filler phrases and stopwords, keeping the order of the rest.

    Question words become marker terms ("?bao_lau"); a few content phrases also add one
    ("nguyên nhân" asks why), and "<noun> nào" adds the marker of what the noun asks for.
    """
    kept: list[str] = []
    i = 0
    n = len(tokens)
    while i < n:
        if tokens[i] == "ai" and i and tokens[i - 1] == "duoc" and NEGATIONS.intersection(tokens[:i]):
            i += 1  # "chưa kết nạp được ai": anyone, not "ai" (who)
            continue
        marker = None
        for size in _MARKER_SIZES:
            if i + size > n:
                continue  # a slice past the end is shorter than ``size``: tried at its own size
            if size == 1 and tokens[i] == "may" and i and tokens[i - 1] in _MACHINE_BEFORE:
                continue  # "xe máy" (motorbike), "đánh máy" (typed), not "mấy" (how many)
            if size == 1 and tokens[i] == "khien" and i + 1 < n and tokens[i + 1] in _NOT_WHY_AFTER:
                continue  # "khiển trách" (a reprimand), not "khiến" (why)
            marker = QUESTION_MARKERS.get(tuple(tokens[i : i + size]))
            if marker is not None:
                kept.append(marker)
                i += size
                if marker == "?bao_nhieu" and i < n and tokens[i] in _DURATION_UNITS:
                    kept.append("?bao_lau")
                break
        if marker is not None:
            continue
        implied = IMPLIED_MARKERS.get(tuple(tokens[i : i + 2]))
        if implied is not None:
            kept.extend(tokens[i : i + 2])
            kept.append(implied)
            i += 2
            continue
        for phrase in _STOP_PHRASES_BY_FIRST.get(tokens[i], ()):
            size = len(phrase)
            if tuple(tokens[i : i + size]) == phrase:
                i += size
                break
        else:
            token = tokens[i]
            if token == "thi":
                before = tokens[i - 1] if i else ""
                after = tokens[i + 1] if i + 1 < n else ""
                if before in _THI_BEFORE or after in _THI_AFTER:
                    kept.append(token)
            elif token == "the":  # "thế" (so) is filler, "thẻ đảng viên" (party card) is not
                if i + 1 < n and tokens[i + 1] == "dang":
                    kept.append(token)
            elif token == "do":  # "do" (by, because) is filler, "biểu đồ" (a chart) is not
                if i and tokens[i - 1] == "bieu":
                    kept.append(token)
            elif token == "co":  # "có" (have) is filler, "động cơ" (motive) is not
                if i and tokens[i - 1] == "dong":
                    kept.append(token)
            elif token == "toi":
                if i + 1 < n and tokens[i + 1] in _TOI_AFTER:
                    kept.append(token)
            elif token == "nao" and i and tokens[i - 1] in WHICH_MARKERS and (
                tokens[i - 1] not in _WHICH_AFTER or (i > 1 and tokens[i - 2] == _WHICH_AFTER[tokens[i - 1]])
            ):
                kept.append(WHICH_MARKERS[tokens[i - 1]])
            elif token not in STOPWORDS:
                kept.append(token)
            i += 1
    return kept


def content_words(text: str) -> list[str]:
    """The content syllables of a text, in order (folded, expanded, filler removed)."""
    return drop_filler(words(text))


def terms(content: Sequence[str]) -> list[str]:
    """Index terms: the syllables and question markers plus adjacent-syllable bigrams ("dang_vien")."""
    out = list(content)
    words_only = [w for w in content if not is_marker(w)]
    out.extend(f"{a}_{b}" for a, b in zip(words_only, words_only[1:]))
    return out


def unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


# --- small talk -----------------------------------------------------------------------------------
# A message made only of greeting (or thanks) words and the words around them ("chào ad ạ",
# "ok cảm ơn bot nhiều nhé") is small talk, not a question; a message with an insult or a
# provocation anywhere gets a courteous refusal. Matched on folded words, so the NFC, NFD and
# diacritic-free forms of a message are treated alike.
_GREETING_KEYS = frozenset({
    "chao", "hello", "helo", "hi", "hii", "hey", "alo", "xin chao", "good morning", "morning",
    "ad oi", "admin oi", "bot oi", "chibot oi", "co ai",  # a bare call to the bot
    "tam biet", "bye", "goodbye", "chuc",  # leave-taking and wishes: "Chào đồng chí" answers them too
})
_THANKS_KEYS = frozenset({
    "cam on", "thanks", "thank", "tks", "thx", "ok", "oke", "okay", "okie", "okee", "okiee",
    "vang", "da vang", "tuyet voi", "hay qua",  # acknowledgements
})
_KEYS_ACCENTED = {"vang": "vâng"}
_AROUND = frozenset(
    """
    xin ad admin bot chibot dong chi anh chi em ban moi nguoi ca nha a oi nhe nha nhieu rat you
    buoi sang chieu toi trua da vang duoc roi tot qua lam nhe ha vay u uh minh cac
    so much vui ve co ai khong ko k kh ngay moi vao tot lanh
    hieu ro e
    kinh tro ly mot viec suc khoe nhiu
    """.split()
)
# Folded phrases that insult or provoke ("bot ngu quá", "lãnh đạo toàn tham nhũng"). Single
# syllables are ambiguous once folded ("ngu" is also ngủ, ngũ), so most entries are pairs, and
# pairs that fold onto everyday words are left out ("còn cho" = "con chó") or count only as typed
# with their diacritics ("mấy thằng", not "mấy tháng"; INSULT_ACCENTED).
INSULT_PHRASES: tuple[tuple[str, ...], ...] = tuple(
    tuple(p.split())
    for p in (
        "ngu qua", "ngu the", "ngu vay", "ngu ngoc", "ngu si", "do ngu", "bot ngu", "may ngu", "oc cho",
        "vo dung", "do rac", "an hai", "an cap", "an ban", "tham nhung", "lua dao", "lua bip", "bo lao", "mat day",
        "lao toet", "bon co hoi", "toan bon", "bon no", "lu no", "thang cha", "cut di", "im di", "im mom",
        "gioi noi", "chi gioi noi", "may biet gi", "thang nao", "may thang", "may",
        "phan dong", "doc tai", "sup do", "ha be", "dm", "dmm", "vcl", "vl", "clgt", "dit", "deo", "cc",
        "shit", "fuck", "wtf",
        "de len chuc", "de thang chuc", "de lam quan",  # "vào đảng để lên chức": a provocation
    )
)
_INSULT_SIZES = sorted({len(p) for p in INSULT_PHRASES}, reverse=True)
_INSULT_SET = frozenset(INSULT_PHRASES)
# Insult phrases whose folded form is also an everyday phrase ("phần đồng ý" folds to "phan dong
# y"): when the message is typed with diacritics, they count only in their accented form.
INSULT_ACCENTED: dict[tuple[str, ...], str] = {
    ("phan", "dong"): "phản động",
    ("thang", "nao"): "thằng nào",  # "tháng nào" (which month)
    ("may", "thang"): "mấy thằng",  # "mấy tháng" (how many months)
    ("may",): "mày",  # rude "you"; "máy", "mấy", "may" are everyday words
}
# ... and of these, the folded form alone is too common to count at all ("tháng nào", "mấy").
_INSULT_ACCENTED_ONLY = frozenset({("thang", "nao"), ("may", "thang"), ("may",)})
# ... and without diacritics, not when the next syllable makes it the everyday phrase.
_INSULT_NOT_BEFORE: dict[tuple[str, ...], frozenset[str]] = {
    ("phan", "dong"): frozenset({"y"}),  # "phan dong y" = phần đồng ý
}
_FOLDED_TOKEN = re.compile(r"[a-z0-9]+")
_WORD_TOKEN = re.compile(r"[^\W_]+")


def _insult_at(tokens: list[str], words: list[str] | None, i: int, size: int) -> bool:
    phrase = tuple(tokens[i : i + size])
    if phrase not in _INSULT_SET:
        return False
    accented = INSULT_ACCENTED.get(phrase)
    if accented is not None and words is not None:
        typed = words[i : i + size]
        if fold(" ".join(typed)) != " ".join(typed):  # typed with diacritics: compare them
            return " ".join(typed) == accented
    if accented is not None and phrase in _INSULT_ACCENTED_ONLY:
        return False
    after = tokens[i + size] if i + size < len(tokens) else None
    return after not in _INSULT_NOT_BEFORE.get(phrase, frozenset())


def _folded_tokens(text: str) -> list[str]:
    return _FOLDED_TOKEN.findall(fold(_STRETCHED.sub(r"\1", text)))


_BEFORE_GREETING = _AROUND | frozenset({"con", "chau", "toi", "tui", "em", "e"})  # "dạ con chào chú"


def opening_small_talk(text: str) -> str | None:
    """"greeting" or "thanks" when the message opens with a greeting or thanks, within its first four
    words and after nothing but words of address ("Xin chào Chibot, tôi là bí thư chi bộ …", "dạ con
    chào chú"), even if more follows; else None ("công thức nấu cháo gà", typed "nau chao", does not)."""
    tokens = _folded_tokens(text)[:4]
    for i, token in enumerate(tokens):
        pair = " ".join(tokens[i : i + 2])
        for key in (pair, token):
            if key in _THANKS_KEYS and key not in _KEYS_ACCENTED:
                return "thanks"
            if key in _GREETING_KEYS and key != "chuc":
                return "greeting"
        if token not in _BEFORE_GREETING:
            return None
    return None


_HELLO = frozenset({"chao", "hello", "helo", "hi", "hii", "alo"})
_GRATEFUL = frozenset({"cam on", "thanks", "thank", "tks", "thx"})  # thanks, not a mere "ok"
# Words that make a message a question, even without a question mark ("… được không", "… thế nào").
_ASKING = frozenset({"khong", "ko", "k", "kh", "hong", "hok", "hem", "chua", "sao", "gi", "j", "nao", "ntn", "ai",
                     "bao nhieu", "bao lau", "bao gio", "o dau", "may nguoi", "may thang", "may tuoi"})


def is_question(text: str) -> bool:
    """Whether a message asks something: a question mark or a question word ("… được không",
    "… thì sao", "bao lâu"), with or without diacritics."""
    tokens = _folded_tokens(text)
    pairs = {" ".join(pair) for pair in zip(tokens, tokens[1:])}
    return "?" in text or not (_ASKING.isdisjoint(tokens) and _ASKING.isdisjoint(pairs))


def only_small_talk(text: str) -> str | None:
    """"greeting" or "thanks" for a message that opens with a greeting ("xin chào", "hello") or
    with thanks ("cảm ơn", "thanks") and asks nothing, whatever it tells after: "Xin chào, tôi là
    đảng viên chi bộ thôn Vĩnh Lợi", "cảm ơn ad, để mình họp chi bộ phân công"; None for "xin chào,
    thời tiết hôm nay thế nào" or "cảm ơn, còn đảng viên dự bị thì sao"."""
    if is_question(text):
        return None
    opening = opening_small_talk(text)
    first = _folded_tokens(text)[:4]
    if opening == "greeting" and not _HELLO.isdisjoint(first):
        return opening
    said = {*first, *(" ".join(pair) for pair in zip(first, first[1:]))}
    if opening == "thanks" and not _GRATEFUL.isdisjoint(said):
        return opening
    return None


def small_talk(text: str) -> str | None:
    """"insult", "thanks" or "greeting" when the message is that kind of small talk, else None."""
    tokens = _folded_tokens(text)
    if not tokens:
        return None
    words = _WORD_TOKEN.findall(nfc(text).lower())
    if [_fold_word(w) for w in words] != tokens:
        words = None  # not aligned with the folded tokens: compare folded forms only
    for i in range(len(tokens)):
        for size in _INSULT_SIZES:
            if _insult_at(tokens, words, i, size):
                return "insult"
    if words is not None:  # "vâng" (yes) typed with its tone, not "vàng" (gold): a content word
        tokens = [
            t if t not in _KEYS_ACCENTED or fold(w) == w or w == _KEYS_ACCENTED[t] else t + "?"
            for t, w in zip(tokens, words)
        ]
    found: set[str] = set()
    i = 0
    while i < len(tokens):
        pair = " ".join(tokens[i : i + 2])
        if pair in _GREETING_KEYS or pair in _THANKS_KEYS:
            found.add("thanks" if pair in _THANKS_KEYS else "greeting")
            i += 2
            continue
        token = tokens[i]
        if token == "oi" and i:
            found.add("greeting")  # "mọi người ơi": a call, nothing asked
        elif token in _THANKS_KEYS:
            found.add("thanks")
        elif token in _GREETING_KEYS:
            found.add("greeting")
        elif token not in _AROUND:
            return None  # a content word: this is a question (perhaps after a greeting)
        i += 1
    if "thanks" in found:
        return "thanks"
    return "greeting" if found else None
