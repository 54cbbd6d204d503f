"""Answering questions as Vietnamese users type them (knowledge/search.py, knowledge/analysis.py)."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chibot_process import KB_CACHE_DIR
from domain.text import closest_command, fold, has_diacritics, strip_diacritics
from knowledge import Answer, KnowledgeBase, SearchSettings
from knowledge.analysis import _KEYS_ACCENTED, ABBREVIATIONS, asks_about_reminders, content_words, is_syllable, words
from knowledge.loader import question_key

ROOT = Path(__file__).resolve().parents[1]
EVAL_SET = ROOT / "knowledge" / "examples.yaml"  # the dev split (tuned on): the knowledge base's examples
HELDOUT_SET = ROOT / "benchmarks" / "faq_eval_heldout.yaml"  # the held-out splits (never tuned on)


def eval_items(*paths: Path) -> list[dict]:
    return [item for path in (paths or (EVAL_SET, HELDOUT_SET))
            for item in yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]]
CONTACT = "Ban Tổ chức Huyện ủy Tuy Phước"


KB_FOR_CHECKS = KnowledgeBase.load(contact=CONTACT, cache_dir=KB_CACHE_DIR)


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return KB_FOR_CHECKS


@pytest.fixture(scope="module")
def bot_kb() -> KnowledgeBase:
    """The knowledge base as the bot loads it: with its chat commands and the roles that use them."""
    from knowledge.cli import declared_command_roles

    return KnowledgeBase.load(contact=CONTACT, command_roles=declared_command_roles(), cache_dir=KB_CACHE_DIR)


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def assert_consistent(answer: Answer) -> None:
    """An answer is either an entry's own text and source, or a refusal naming the contact."""
    if answer.found:
        assert answer.entry is not None
        assert answer.answer == answer.entry.answer  # never composed text, so never a new number
        assert answer.source == answer.entry.source and answer.source
        # the entries ranked almost as high, offered as choices: never the answer itself
        assert len(answer.suggestions) <= 2 and answer.entry.id not in {e.id for e in answer.suggestions}
        assert all(e.kind == "answer" for e in answer.suggestions)
    elif answer.topic is not None:  # a neighbouring topic or an insult: that entry's own text
        assert answer.entry is None and answer.source == "" and answer.suggestions == ()
        assert answer.answer == KB_FOR_CHECKS.get(answer.topic).answer
    else:
        assert answer.entry is None and answer.source == ""
        assert CONTACT in answer.answer
        assert len(answer.suggestions) <= 3
        assert not re.search(r"\d", answer.answer.replace(CONTACT, ""))


# --- analysis -----------------------------------------------------------------------------------


def test_words_fold_diacritics_case_and_unicode_forms():
    expected = ["dang", "vien", "du", "bi"]
    assert words("Đảng viên dự bị") == expected
    assert words(nfd("Đảng viên dự bị")) == expected
    assert words("DANG VIEN DU BI") == expected
    assert words("dang\u200b vien  du bi") == expected


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("ĐV", "đảng viên"),
        ("dv", "đảng viên"),
        ("QCƯT", "quần chúng ưu tú"),
        ("qcut", "quần chúng ưu tú"),
        ("KNĐ", "kết nạp Đảng"),
        ("ĐVDB", "đảng viên dự bị"),
        ("BCH", "ban chấp hành"),
        ("BTV", "ban thường vụ"),
        ("CB", "chi bộ"),
        ("nv1", "nhiệm vụ 1"),  # the directive's tasks, as secretaries number them
        ("13-CT/TU", "13 chỉ thị tỉnh ủy"),
        ("4%", "4 phần trăm"),
        ("đ/c", "đồng chí"),
        ("tỉ lệ", "tỷ lệ"),
        ("là j z mn", "là gì vậy mọi người"),
        ("join Đảng", "vào Đảng"),  # English words mixed in
        ("deadline xét chính thức", "hạn xét chính thức"),
        ("list nguồn", "danh sách nguồn"),
    ],
)
def test_abbreviations_and_variants(typed, meant):
    assert words(typed) == words(meant)


@pytest.mark.parametrize(
    ("said", "meant"),
    [  # numbers told to a phone's voice typing, or typed as words
        ("chỉ thị mười ba", "chỉ thị 13"),
        ("chỉ thị hai mươi tám", "chỉ thị 28"),
        ("chi bo co hai muoi ba dang vien", "chi bo co 23 dang vien"),
        ("sáu mươi mốt tuổi", "61 tuổi"),
        ("hai mươi lăm tuổi", "25 tuổi"),
        ("chua du muoi tam tuoi", "chua du 18 tuoi"),
        ("bốn phần trăm", "4%"),
        ("mười năm", "10 năm"),  # after ten, "năm" is years
        ("ba má em năm nay", "ba má em năm nay"),  # digits alone stay words
        ("hai phần ba", "2/3"),
    ],
)
def test_numbers_said_in_words_read_as_digits(said, meant):
    assert words(said) == words(meant)


def test_stretched_letters_read_as_the_word(kb):
    assert words("dang vien du biiii bao lauuu") == words("dang vien du bi bao lau")
    assert kb.answer("hiii ad 👋👋").entry.id == "chao_hoi"
    assert kb.answer("cảm ơnnnn bot nhaaa").entry.id == "cam_on"
    assert words("coong taac") == ["coong", "taac"]  # a doubled letter is Telex, not stretching


def test_english_words_mixed_in_find_their_entry(bot_kb):
    assert bot_kb.answer("ad ơi cho e hỏi join Đảng thì cần những điều kiện gì vậy ạ").entry.id == "kn_ai_duoc_vao_dang"
    assert bot_kb.answer("deadline xet chinh thuc bot tinh the nao").entry.id == "bot_han_xet"


def test_a_number_said_in_words_finds_its_entry(bot_kb):
    answer = bot_kb.answer("hôm qua chi bộ họp xong anh em hỏi chỉ thị mười ba của tỉnh ủy nói về cái gì")
    assert answer.found and answer.entry.id == "ct13_gioi_thieu"
    assert bot_kb.answer("bác sáu mươi mốt tuổi có được kết nạp đảng không").entry.id == "kn_tuoi"


def test_ambiguous_abbreviation_only_in_capitals():
    assert words("TU") == ["tinh", "uy"]
    assert words("QUY TRINH KET NAP DU BI") == ["quy", "trinh", "ket", "nap", "du", "bi"]  # all capitals
    assert words("tự nguyện") == ["tu", "nguyen"]  # "tu" as a word is not Tỉnh ủy


def test_filler_is_dropped_but_question_kind_is_kept():
    assert content_words("Cho hỏi thời kỳ dự bị là gì vậy ạ?") == ["thoi", "ky", "du", "bi"]
    assert "?bao_lau" in content_words("dự bị bao lâu")
    assert content_words("chỉ thị") == ["chi", "thi"]  # "thị" is not the filler "thì"
    assert "thi" not in content_words("hết dự bị thì sao")


def test_syllable_shape():
    assert all(is_syllable(w) for w in ("dang", "nghieng", "quyen", "a", "uy", "truong"))
    assert not any(is_syllable(w) for w in ("dnag", "ddangr", "dangvien", "xyz"))


# --- answering ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "entry_id"),
    [
        ("Thời kỳ dự bị kéo dài bao lâu?", "dv_du_bi"),
        ("chi tieu ket nap dang vien moi nam", "nv1_chi_tieu"),
        ("QCƯT là gì", "quan_chung_uu_tu"),
        ("quy trinh KNĐ", "kn_quy_trinh"),
        ("ĐVDB có được biểu quyết không", "dv_du_bi_quyen"),
        ("lệnh /hoantac", "bot_hoantac"),
        ("ketnap", "bot_ketnap"),
        ("chương trình hành động 05", "nv2_ctr05"),
        ("chi thi 28 ct tw", "nv3_sang_loc"),
    ],
)
def test_answers_common_questions(kb, question, entry_id):
    answer = kb.answer(question)
    assert answer.found, (question, answer.score)
    assert answer.entry.id == entry_id
    assert_consistent(answer)


@pytest.mark.parametrize(
    ("typo", "entry_id"),
    [
        ("quy trinh ket nap dnag vien", "kn_quy_trinh"),  # transposed letters
        ("ddangr vieen duwj bij bao lau", "dv_du_bi"),  # Telex typed without an input method
        ("dangvien du bi bao lau", "dv_du_bi"),  # words run together
        ("nguoi gioi thieeu vao dang", "kn_nguoi_gioi_thieu"),  # doubled letter
    ],
)
def test_small_typos_are_corrected(kb, typo, entry_id):
    answer = kb.answer(typo)
    assert answer.found and answer.entry.id == entry_id


@pytest.mark.parametrize(
    ("question", "entry_id"),
    [
        ("ty le ket nap cua tinh", "nv1_chi_tieu"),  # tỷ lệ (a rate) folds like lễ (the ceremony)
        ("tyr leej ket nap dang vien", "nv1_chi_tieu"),
        ("le ket nap to chuc the nao", "kn_le_ket_nap"),
    ],
)
def test_rate_and_ceremony_are_told_apart_without_diacritics(kb, question, entry_id):
    answer = kb.answer(question)
    assert answer.found and answer.entry.id == entry_id, (question, answer.entry)


def test_word_order_does_not_matter_much(kb):
    first = kb.answer("thời gian dự bị của đảng viên")
    second = kb.answer("đảng viên dự bị thời gian")
    assert first.found and second.found and first.entry.id == second.entry.id == "dv_du_bi"


QUESTIONS_IN_THREE_FORMS = [
    "Thời kỳ dự bị của đảng viên kéo dài mấy tháng?",
    "Ai quyết định kết nạp đảng viên?",
    "Đối tượng nào được ưu tiên phát triển đảng viên?",
    "Lệnh /danhgia dùng thế nào?",
    "Thời tiết Quy Nhơn hôm nay thế nào?",
    "Chỉ tiêu 4% của Chỉ thị 13-CT/TU",
    "Xin chào Chibot ạ",
    "Cảm ơn đồng chí nhiều",
    "Bot ngu quá",
    "Đóng đảng phí thế nào?",
    "Hồ sơ kết nạp Đảng gồm những giấy tờ gì?",
    "Chi bộ nào chưa đánh giá quý này?",
]


@pytest.mark.parametrize("question", QUESTIONS_IN_THREE_FORMS)
def test_nfc_nfd_and_no_diacritics_get_the_same_answer(kb, question):
    forms = [unicodedata.normalize("NFC", question), nfd(question), strip_diacritics(question)]
    assert has_diacritics(forms[0]) and not has_diacritics(forms[2])
    answers = [kb.answer(form) for form in forms]
    assert len({(a.found, a.entry.id if a.entry else None, a.topic, a.answer, a.source) for a in answers}) == 1
    assert answers[0].score == pytest.approx(answers[1].score) == pytest.approx(answers[2].score)


def _syllables() -> list[str]:
    """Words of the evaluation set, less those whose bare form is read as another word on purpose.

    "vang" without diacritics is taken for "vâng" (yes, an acknowledgement), while "vàng" (gold),
    typed with its tone, is a content word; likewise "hong" is chat shorthand for "không" while
    "hồng" typed with its tone is the word: the cases where stripping diacritics changes the
    answer by design (tests check both).
    """
    found = {w for item in eval_items() for w in item["q"].split() if w.isalpha()}
    return sorted(w for w in found if not (fold(w) in _KEYS_ACCENTED and w != _KEYS_ACCENTED[fold(w)])
                  and not (fold(w) in ABBREVIATIONS and fold(w) != w.lower() and is_syllable(fold(w))))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(_syllables()), min_size=1, max_size=8))
def test_property_unicode_form_and_diacritics_never_change_the_answer(kb, parts):
    question = " ".join(parts)
    reference = kb.answer(question)
    assert_consistent(reference)
    for form in (nfd(question), strip_diacritics(question)):
        other = kb.answer(form)
        assert (other.found, other.entry) == (reference.found, reference.entry)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=60))
def test_property_any_input_gets_a_consistent_answer(kb, text):
    assert_consistent(kb.answer(text))


@pytest.mark.parametrize(
    "question",
    [
        "Thời tiết Hà Nội ngày mai thế nào?",
        "ket qua bong da toi qua",
        "Làm hộ chiếu cần giấy tờ gì?",
        "đăng ký kết hôn ở đâu",
        "cach nau pho bo",
        "lịch chiếu phim cuối tuần",
    ],
)
def test_out_of_scope_questions_are_refused_naming_the_contact(kb, question):
    answer = kb.answer(question)
    assert not answer.found, (question, answer.entry and answer.entry.id, answer.score)
    assert_consistent(answer)
    # whom to ask: the contact, or for administrative procedures the commune's one-stop desk
    assert CONTACT in answer.answer or (answer.topic == "ngoai_hanh_chinh" and "một cửa" in answer.answer)


def test_refusal_offers_close_entries(kb):
    # No entry says what the awareness class teaches: refuse, and offer the entry on the class.
    answer = kb.answer("Lớp nhận thức về Đảng học những nội dung gì, có kiểm tra cuối khóa không?")
    assert not answer.found
    assert_consistent(answer)
    assert 1 <= len(answer.suggestions) <= 3
    assert "kn_lop_nhan_thuc" in {e.id for e in answer.suggestions}


def test_a_weak_match_the_examples_teach_is_answered(kb):
    # Refused by the search on its thresholds: the classifier, trained on users' questions about
    # candidates over 60 (this one is not among them), answers it. (Until round 13 this was "Chi bộ đề
    # nghị rồi thì ai xem xét tiếp?", which the examples of that round left 0.006 below the rescue
    # threshold.)
    question = "ông hàng xóm 65 tuổi tha thiết muốn vào Đảng thì chi bộ có xét được không"
    assert question_key(question) not in {question_key(example.question) for example in kb.examples}
    answer = kb.answer(question)
    assert answer.found and answer.entry.id == "kn_tuoi"
    alone = KnowledgeBase(kb.templates, kb.contact)  # no examples: the search alone
    assert not alone.answer(question).found


def test_non_state_enterprises_among_the_causes_are_answered(kb):
    # Refused with the causes among the suggestions until issue 13's seventh round: the entry's answer
    # names non-state enterprises, and now its tags do.
    answer = kb.answer("Vì sao doanh nghiệp ngoài Nhà nước khó phát triển Đảng?")
    assert answer.found and answer.entry.id == "ct13_nguyen_nhan"


def test_adding_a_new_person_is_answered_by_the_source_command(kb):
    # Refused with /nguon among the suggestions until issue 13's fourth round ("quần chúng mới").
    answer = kb.answer("Cách nhập một quần chúng mới vào Chibot?")
    assert answer.found and answer.entry.id == "bot_nguon"


def test_unrelated_question_gets_no_suggestions(kb):
    answer = kb.answer("thời tiết hôm nay thế nào")
    assert not answer.found and answer.suggestions == ()


def test_an_entry_ranked_almost_as_high_is_offered_with_the_answer(kb):
    # Two entries nearly tie for "how long until full membership": the probation entry is offered,
    # and comes first in faq --json's "related", before the answer's own related entries. (Round 8
    # used "lớp cảm tình học mấy ngày", which no entry answers: since round 9 it is refused.)
    answer = kb.answer("du bi bao lau thi xet chinh thuc")
    assert answer.found and answer.entry.id == "dv_cong_nhan"
    assert [e.id for e in answer.suggestions] == ["dv_du_bi"]
    assert answer.to_json()["related"] == ["dv_du_bi", *(i for i in answer.entry.related if i != "dv_du_bi")]
    # A clear answer offers nothing more than its related entries.
    clear = kb.answer("dang vien du bi co quyen gi")
    assert clear.suggestions == () and clear.to_json()["related"] == list(clear.entry.related)
    off = KnowledgeBase(kb.templates, CONTACT, settings=SearchSettings(close_share=0.0))
    assert off.answer("du bi bao lau thi xet chinh thuc").suggestions == ()


@pytest.mark.parametrize("text", ["", "   ", "???", "👍", "12345"])
def test_input_without_words_is_answered_politely(kb, text):
    answer = kb.answer(text)
    assert not answer.found and answer.suggestions == ()
    assert CONTACT in answer.answer


def _answered_by(answer: Answer) -> str | None:
    return answer.entry.id if answer.found else answer.topic


def test_every_phrasing_finds_its_own_entry(kb):
    misses = [
        (entry.id, question)
        for entry in kb.entries
        for question in entry.questions
        if _answered_by(kb.answer(question)) != entry.id
    ]
    assert len(misses) <= 2, misses  # near-identical phrasings of neighbouring entries may tie


def test_get_and_entries(kb):
    assert kb.get("dv_du_bi").source.startswith("Điều lệ Đảng 2011")
    assert kb.get("khong_co") is None
    assert len(kb.entries) >= 40


# --- the evaluation set itself ------------------------------------------------------------------


def test_eval_set_meets_the_brief(kb):
    items = eval_items()
    assert len(items) >= 300
    inside = [i for i in items if i["expect"] is not None]
    outside = [i for i in items if i["expect"] is None]
    assert len(outside) >= 80
    assert sum(bool(i.get("near")) for i in outside) >= 30
    assert sum(not has_diacritics(i["q"]) for i in items) * 2 >= len(items)
    assert {i.get("split", "dev") for i in items} == {"dev", "test", "holdout2", "test2", "test3", "test4", "test5", "test6", "test7", "test8", "test9", "test10", "test11", "test12", "test13", "test14", "test15", "test16", "test17"}
    # the third edition's held-out half (written before reading the entries' phrasings)
    assert sum(i.get("split") == "test2" for i in items) >= 100
    # the fourth round's held-out split: 70 in scope, 30 out of scope of which 15 near misses
    test3 = [i for i in items if i.get("split") == "test3"]
    assert len(test3) >= 100
    assert sum(i["expect"] is not None for i in test3) >= 70
    assert sum(i["expect"] is None for i in test3) >= 30
    assert sum(bool(i.get("near")) for i in test3) >= 15
    # the sixth round's held-out split, written like test3 before any change of that round
    test4 = [i for i in items if i.get("split") == "test4"]
    assert len(test4) >= 100
    assert sum(i["expect"] is not None for i in test4) >= 75
    assert sum(i["expect"] is None for i in test4) >= 25
    assert sum(bool(i.get("near")) for i in test4) >= 15
    # the ninth round's held-out split, written by a helper who saw no phrasing and no other split
    test7 = [i for i in items if i.get("split") == "test7"]
    assert len(test7) >= 140
    assert sum(i["expect"] is None for i in test7) >= 40
    assert sum(bool(i.get("near")) for i in test7) >= 30
    test8 = [i for i in items if i.get("split") == "test8"]  # the same, after the round's first changes
    assert len(test8) >= 130
    assert sum(i["expect"] is None for i in test8) >= 40
    assert sum(bool(i.get("near")) for i in test8) >= 30
    test9 = [i for i in items if i.get("split") == "test9"]  # the tenth round's, before its changes
    assert len(test9) >= 120
    assert sum(i["expect"] is None for i in test9) >= 40
    assert sum(bool(i.get("near")) for i in test9) >= 30
    test10 = [i for i in items if i.get("split") == "test10"]  # the same, written during the round
    assert len(test10) >= 100
    assert sum(i["expect"] is None for i in test10) >= 30  # 36 as written; two became bot_zalo, bot_han_xet
    assert sum(bool(i.get("near")) for i in test10) >= 25
    test11 = [i for i in items if i.get("split") == "test11"]  # the eleventh round's, on its arrival
    assert len(test11) >= 110
    assert sum(i["expect"] is None for i in test11) >= 35
    assert sum(bool(i.get("near")) for i in test11) >= 15
    test12 = [i for i in items if i.get("split") == "test12"]  # the same, midway, a third very short
    assert len(test12) >= 95
    assert sum(i["expect"] is None for i in test12) >= 35
    assert sum(bool(i.get("near")) for i in test12) >= 15
    test13 = [i for i in items if i.get("split") == "test13"]  # the twelfth round's, on its arrival
    assert len(test13) >= 80
    assert sum(i["expect"] is None for i in test13) >= 20
    assert sum(bool(i.get("near")) for i in test13) >= 15
    test14 = [i for i in items if i.get("split") == "test14"]  # the thirteenth round's, on its arrival
    assert len(test14) >= 100
    assert sum(i["expect"] is None for i in test14) >= 25
    assert sum(bool(i.get("near")) for i in test14) >= 20
    test15 = [i for i in items if i.get("split") == "test15"]  # the fifteenth round's, on its arrival
    assert len(test15) >= 90
    assert sum(i["expect"] is None for i in test15) >= 20
    assert sum(bool(i.get("near")) for i in test15) >= 15
    test16 = [i for i in items if i.get("split") == "test16"]  # written and measured midway through round 15
    assert len(test16) >= 85
    assert sum(i["expect"] is None for i in test16) >= 18
    assert sum(bool(i.get("near")) for i in test16) >= 15
    test17 = [i for i in items if i.get("split") == "test17"]  # written and measured on arrival in round 16
    assert len(test17) >= 90
    assert sum(i["expect"] is None for i in test17) >= 25
    assert sum(bool(i.get("near")) for i in test17) >= 15
    assert all(kb.get(i["expect"]) is not None and not kb.get(i["expect"]).refuses for i in inside)
    phrasings = {question_key(q) for e in kb.entries for q in e.questions}
    assert not [i["q"] for i in items if question_key(i["q"]) in phrasings]


def test_held_out_splits_live_apart_from_the_dev_split():
    # Whoever tunes reads knowledge/examples.yaml only: no held-out question may sit there, and the same
    # question (once folded) may not be in both files.
    dev, held = eval_items(EVAL_SET), eval_items(HELDOUT_SET)
    assert {i.get("split", "dev") for i in dev} == {"dev"}
    assert "dev" not in {i["split"] for i in held}
    assert not {question_key(i["q"]) for i in dev} & {question_key(i["q"]) for i in held}


# --- words in context, kinds of question, questions about Chibot -------------------------------


def test_pronoun_and_filler_are_dropped_but_not_the_words_they_fold_onto():
    assert "toi" not in content_words("tôi muốn hỏi thời kỳ dự bị")
    assert content_words("tuổi tối thiểu") == ["tuoi", "toi", "thieu"]
    assert content_words("tất cả các nhiệm vụ") == ["nhiem", "vu"]


def test_question_kinds_become_markers():
    assert "?khi_nao" in content_words("Chỉ thị ban hành năm nào?")
    assert "?ai" in content_words("cấp nào quyết định kết nạp")
    reason = content_words("nguyên nhân tỷ lệ kết nạp giảm")
    assert "?tai_sao" in reason and reason[:2] == ["nguyen", "nhan"]  # the words stay content
    assert "?bao_lau" in content_words("dự bị mấy tháng")
    assert "?khi_nao" in content_words("xét kết nạp vào thời điểm nào")
    assert "?khi_nao" not in content_words("dự bị khác chính thức ở điểm nào")  # in which respect


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("tuổi lớn nhất", "tuổi tối đa"),
        ("học hết lớp 9", "học hết trung học cơ sở"),
        ("THCS", "trung học cơ sở"),
        ("học vào thứ bảy, chủ nhật", "học vào ngày nghỉ"),
        ("làm sai quy trình", "vi phạm quy trình"),
        ("học lớp đối tượng Đảng", "học lớp bồi dưỡng nhận thức về Đảng"),
        ("đối tượng Đảng là gì", "quần chúng ưu tú là gì"),
    ],
)
def test_synonyms_people_use(typed, meant):
    assert words(typed) == words(meant)


def test_seventh_task_stays_a_number_and_commands_are_spelt_out():
    assert words("nhiệm vụ thứ bảy") == words("nhiệm vụ 7")
    assert words("/dsnguon") == ["lenh", "dsnguon"]
    assert words("lệnh /moi") == ["lenh", "moi"]
    assert words("mã mời") == ["ma", "moi"]  # "mời" typed without the slash is a word, not a command
    assert words("/lopnhanthuc") == ["lenh", "lop", "nhan", "thuc"]


@pytest.mark.parametrize(
    ("question", "entry_id"),
    [
        ("lệnh /dsnguon", "bot_dsnguon"),
        ("đổi họ tên một nguồn trên Chibot", "bot_suanguon"),
        ("xoanguon", "bot_xoanguon"),
        ("/lopnhanthuc", "bot_lopnhanthuc"),
        ("tạo mã mời cho cán bộ", "bot_moi"),
        ("cán bộ cấp ủy xem tình hình đơn vị cấp dưới", "bot_tinhhinh"),
        ("hoàn tác trong mấy phút", "bot_hoantac"),
        ("đánh giá quần chúng trên Chibot", "bot_danhgia"),  # not the directive's quarterly rule
        ("bot nhắc những hạn nào", "bot_nhac_viec"),
        ("tuổi tối thiểu để kết nạp", "kn_tuoi"),
        ("học hết cấp 2 có được vào đảng", "kn_hoc_van"),
        ("lớp nhận thức học vào chủ nhật được không", "nv2_hoc_truc_tuyen"),
    ],
)
def test_chat_commands_and_everyday_wording_are_answered(kb, question, entry_id):
    answer = kb.answer(question)
    assert answer.found and answer.entry.id == entry_id, (question, answer.entry and answer.entry.id)
    assert_consistent(answer)


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("/strat", ("start", "/strat")),  # a letter swap
        ("/dang gia N12", ("danhgia", "/dang gia")),  # a space and a lost letter
        ("/lop nhan thuc la gi", ("lopnhanthuc", "/lop nhan thuc")),
        ("/ĐÁNH GIÁ", ("danhgia", "/ĐÁNH GIÁ")),
        ("/danhgia N12", None),  # already a command
        ("/xyz", None),  # nothing close
        ("/ng", None),  # too short to guess
        ("danh gia", None),  # not typed as a command
    ],
)
def test_a_mistyped_command_is_matched_to_the_one_meant(typed, meant):
    names = ["start", "nguon", "dsnguon", "danhgia", "lopnhanthuc", "trogiup", "_menu"]
    assert closest_command(typed, names) == meant


@pytest.mark.parametrize(
    ("question", "entry_id"),
    [("/strat", "bot_start"), ("/ngon", "bot_nguon"), ("/dang gia", "bot_danhgia"),
     ("/chinh thuc ntn", "bot_chinhthuc"),
     # inside a question (refused until issue 13's thirteenth round: only a leading command was read)
     ("anh bt go /ketnapp cho em ma bot ko chay gi het la sao", "bot_ketnap"),
     ("ngày 12/4 em gõ /dang gia N3 mà bot báo lỗi", "bot_danhgia"),
     # said to voice typing, which writes the slash as words
     ("gạch chéo kết nạp dùng như thế nào", "bot_ketnap"), ("sẹc nguồn là lệnh gì", "bot_nguon")],
)
def test_a_mistyped_command_is_answered_by_the_commands_entry(bot_kb, question, entry_id):
    answer = bot_kb.answer(question)
    assert answer.found and answer.entry.id == entry_id, (question, answer.entry and answer.entry.id)
    assert answer.question == question


@pytest.mark.parametrize(
    "question",
    [
        "sang tên sổ đỏ",
        "thủ tục sang tên xe máy",
        "thẻ đảng viên bị mất",
        "Đảng phí đóng thế nào",
        "kỷ luật đảng viên có mấy hình thức",
        "xin cấp giấy phép kinh doanh",
    ],
)
def test_near_domain_questions_are_refused(kb, question):
    answer = kb.answer(question)
    assert not answer.found, (question, answer.entry and answer.entry.id, answer.score)
    assert_consistent(answer)


TWO_ENTRIES = {
    "entries": [
        {
            "id": "sang_loc",
            "questions": ["Sàng lọc đảng viên thế nào?", "Rà soát, sàng lọc đảng viên"],
            "answer": "Thường xuyên rà soát, sàng lọc đảng viên; sàng lọc theo Chỉ thị số 28.",
            "source": "Văn bản X, mục 1",
        },
        {
            "id": "han_dinh",
            "questions": ["Chi bộ xét công nhận chính thức khi nào?", "Hạn xét công nhận chính thức"],
            "answer": "Chi bộ xét trong 30 ngày làm việc. Chibot nhắc hạn này; ghi kết quả bằng /chinhthuc.",
            "source": "Văn bản X, mục 2",
        },
        {
            "id": "bot_chinhthuc",
            "questions": ["Lệnh /chinhthuc dùng ra sao?", "Ghi công nhận chính thức trên Chibot"],
            "answer": "Gõ /chinhthuc MÃ; dd/mm/yyyy.",
            "source": "Hướng dẫn sử dụng Chibot",
        },
    ]
}


@pytest.fixture(scope="module")
def small_kb(tmp_path_factory) -> KnowledgeBase:
    path = tmp_path_factory.mktemp("kb") / "small.yaml"
    path.write_text(yaml.safe_dump(TWO_ENTRIES, allow_unicode=True), encoding="utf-8")
    return KnowledgeBase.load(path, contact=CONTACT)


def test_syllable_used_only_in_a_compound_needs_that_compound(small_kb):
    # "sang" is only ever "sàng lọc" in the entry: "sang tỉnh khác" does not cover it
    assert small_kb.search("sàng lọc đảng viên")[0].coverage == pytest.approx(1.0)
    loose = KnowledgeBase(small_kb.templates, settings=SearchSettings(bound_share=2.0, entry_bound_min=0))
    assert loose.search("sang đảng viên")[0].coverage == pytest.approx(1.0)  # without the rule
    assert small_kb.search("sang đảng viên")[0].coverage == pytest.approx(2 / 3)  # "sang" is not covered
    assert not small_kb.answer("sang tỉnh khác").found
    assert small_kb.answer("sàng lọc đảng viên").entry.id == "sang_loc"


def test_pointer_to_a_command_is_shown_but_not_searched(small_kb):
    from knowledge.analysis import split_cross_references

    own, pointers = split_cross_references(small_kb.get("han_dinh").answer)
    assert own == "Chi bộ xét trong 30 ngày làm việc."
    assert pointers == "Chibot nhắc hạn này; ghi kết quả bằng /chinhthuc."
    # "nhắc" is only in the pointer: it finds nothing, and the answer still shows the pointer
    assert "han_dinh" not in {hit.entry.id for hit in small_kb.search("nhắc nhở")}
    answer = small_kb.answer("hạn xét công nhận chính thức")
    assert answer.found and answer.entry.id == "han_dinh" and "/chinhthuc" in answer.answer


# --- small talk, neighbouring topics, roles (issue 13) -----------------------------------------


@pytest.mark.parametrize("text", ["xin chào", "Chào ad ạ", "hello bot", "alo", "Kính chào Chibot", "kinh chao dong chi tro ly a"])
def test_greeting_gets_a_short_answer_saying_what_the_bot_does(kb, text):
    answer = kb.answer(text)
    assert answer.found and answer.entry.id == "chao_hoi"
    assert "Xin lỗi" not in answer.answer and "/trogiup" in answer.answer and len(answer.answer) < 300


@pytest.mark.parametrize("text", ["cảm ơn", "cam on bot nhieu nhe", "ok thanks", "Cám ơn đồng chí ạ",
                                  "ok e hiểu rồi, thanks nha", "cam on ad, em ro roi a", "okee e cam on ad nhiuuu"])
def test_thanks_get_a_short_polite_answer(kb, text):
    answer = kb.answer(text)
    assert answer.found and answer.entry.id == "cam_on"
    assert "Không có gì" in answer.answer


@pytest.mark.parametrize(
    "text", ["bot ngu quá", "lãnh đạo toàn tham nhũng", "cán bộ ăn hại", "đồ vô dụng", "trả lời như shit, ai làm ra cái bot này",
             "vao dang de len chuc chu gi"]
)
def test_insult_or_provocation_gets_a_courteous_refusal(kb, text):
    answer = kb.answer(text)
    assert not answer.found and answer.topic == "ngoai_khieu_khich"
    assert "giữ lời lẽ phù hợp" in answer.answer and CONTACT in answer.answer


def test_greeting_before_a_question_answers_the_question(kb):
    answer = kb.answer("chào ad, cho em hỏi thời kỳ dự bị bao lâu ạ")
    assert answer.found and answer.entry.id == "dv_du_bi"
    # ordinary words that fold onto insults are not insults
    assert kb.answer("đảng viên dự bị mấy tháng").entry.id == "dv_du_bi"


def test_a_greeting_that_introduces_the_asker_is_greeted(bot_kb):
    # A first message often greets and says who writes, and asks nothing: it is greeted (with what
    # the bot does), not refused; a greeting before a question or a neighbouring topic is not.
    for text in ("Xin chào, tôi là bí thư chi bộ thôn An Lợi, mới được cấp tài khoản",
                 "Chào đồng chí, chúc đồng chí một ngày vui", "xin chao, minh la dang vien chi bo khu pho 3",
                 "Kính chào Chibot, tôi là bí thư chi bộ khu phố 2",
                 "Chào đồng chí, chúc đồng chí một ngày làm việc hiệu quả"):  # not the 30 working days
        answer = bot_kb.answer(text, role="secretary")
        assert answer.found and answer.entry.id == "chao_hoi", (text, answer.entry and answer.entry.id)
    assert bot_kb.answer("chào ad, cho hỏi thủ tục kết nạp đảng", role="secretary").entry.id == "kn_quy_trinh"
    refused = bot_kb.answer("xin chào, đóng đảng phí thế nào", role="secretary")
    assert not refused.found and refused.topic == "ngoai_dang_phi"
    assert not bot_kb.answer("xin chào, thời tiết hôm nay thế nào").found


def test_thanks_that_tell_what_comes_next_are_thanked_and_a_question_after_thanks_is_answered(bot_kb):
    # "cảm ơn, để em họp chi bộ phân công" asks nothing: it is thanked, not refused; a question after
    # the thanks is answered, not thanked (until issue 13's sixteenth round it got "Không có gì").
    for text in ("cảm ơn đồng chí, để em họp chi bộ phân công", "cam on ad nhieu, de minh bao lai cho chi uy"):
        answer = bot_kb.answer(text, role="secretary")
        assert answer.found and answer.entry.id == "cam_on", (text, answer.entry and answer.entry.id)
    for text in ("cảm ơn, còn đảng viên dự bị thì sao", "cam on ad, con dang vien du bi thi sao"):
        answer = bot_kb.answer(text, role="secretary")
        assert answer.found and answer.entry.id == "dv_du_bi", (text, answer.entry and answer.entry.id)


def test_a_greeting_word_inside_a_message_is_not_a_greeting(bot_kb):
    # "cháo" (porridge) typed without diacritics is "chao": greeted until issue 13's thirteenth round,
    # because any of the first four words could open the message with a greeting.
    for text in ("cong thuc nau chao ga cho nguoi benh", "mua chao long o dau ngon"):
        answer = bot_kb.answer(text)
        assert not answer.found and answer.entry is None, (text, answer.entry and answer.entry.id)
    assert bot_kb.answer("dạ con chào chú, con là đoàn viên thôn Vĩnh Lợi").entry.id == "chao_hoi"


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("chuyển sinh hoạt Đảng sang huyện khác", "ngoai_chuyen_sinh_hoat"),
        ("dang phi dong bao nhieu mot thang", "ngoai_dang_phi"),
        ("đảng viên bị kỷ luật khiển trách", "ngoai_ky_luat"),
        ("xep loai dang vien cuoi nam", "ngoai_xep_loai"),
        ("thủ tục vào Đoàn thanh niên", "ngoai_doan_hoi"),
    ],
)
def test_neighbouring_topics_are_refused_by_their_own_entry(kb, question, topic):
    answer = kb.answer(question)
    assert not answer.found and answer.topic == topic, (question, answer.topic, answer.entry)
    assert CONTACT in answer.answer and "Chibot chưa có hướng dẫn" in answer.answer
    assert answer.to_json()["id"] is None


def test_complaints_about_the_bot_are_thanked_and_sent_on(kb):
    answer = kb.answer("chibot chán quá")
    assert not answer.found and answer.topic == "ngoai_gop_y"
    assert "Cảm ơn đồng chí đã phản ánh" in answer.answer and CONTACT in answer.answer
    assert kb.answer("bot trả lời câu hỏi như thế nào").entry.id == "bot_hoi_dap"  # asking how it answers


def test_staff_are_told_what_staff_can_do(kb):
    question = "chi bộ nào chưa đánh giá quý này"
    staff = kb.answer(question, role="staff")
    secretary = kb.answer(question, role="secretary")
    anonymous = kb.answer(question)
    assert staff.entry.id == secretary.entry.id == "bot_chi_bo_cham"
    assert "Cán bộ cấp ủy gõ /tinhhinh" in staff.answer and "chi bộ còn chậm" in staff.answer
    assert "Bí thư chi bộ gõ /tinhhinh" in secretary.answer and secretary.answer == anonymous.answer
    assert kb.answer(question, role="admin").answer == staff.answer  # admins read the staff answer
    # staff asking about /danhgia learn it is the secretaries' command, not how to type it
    danhgia = kb.answer("lệnh /danhgia dùng thế nào", role="staff")
    assert danhgia.entry.id == "bot_danhgia" and "dành cho bí thư chi bộ" in danhgia.answer
    assert kb.get("bot_danhgia", role="staff").answer == danhgia.answer


def test_which_members_is_not_a_candidate():
    assert content_words("đối tượng đảng viên bị kỷ luật")[:4] == ["doi", "tuong", "dang", "vien"]


def test_every_command_of_the_record_and_targets_has_its_own_entry(kb):
    # /xem (one person's record) and /chitieu (yearly targets) are asked about like the others
    record = kb.answer("xem hồ sơ một quần chúng trên bot bằng lệnh nào")
    assert record.entry.id == "bot_xem" and "/xem N12" in record.answer
    staff = kb.answer("giao chỉ tiêu kết nạp cho các chi bộ trực thuộc trên bot", role="staff")
    assert staff.entry.id == "bot_chitieu" and "/chitieu MÃ_ĐƠN_VỊ; số" in staff.answer
    # a secretary asking about it learns it is the staff's command and where to see the cell's target
    secretary = kb.answer("lệnh /chitieu dùng thế nào", role="secretary")
    assert secretary.entry.id == "bot_chitieu" and "dành cho cán bộ cấp ủy" in secretary.answer
    assert "/tinhhinh" in secretary.answer


def test_partial_answers_are_found(kb):
    assert kb.answer("hồ sơ kết nạp Đảng gồm những gì").entry.id == "kn_ho_so"
    assert kb.answer("chi bộ họp chậm xét chính thức thì sao").entry.id == "dv_cham_xet"
    assert kb.answer("đảng viên dự bị học lớp gì").entry.id == "dv_lop_dang_vien_moi"


@pytest.mark.parametrize("text", ["Chi bộ xét kết nạp cần mấy phần đồng ý?", "chi bo xet ket nap can may phan dong y"])
def test_phan_dong_y_is_a_question_not_a_provocation(kb, text):
    # "phần đồng ý" folds to "phan dong y", which holds the insult pair "phan dong" (phản động)
    answer = kb.answer(text)
    assert answer.found and answer.entry.id == "kn_chi_bo_bieu_quyet"
    assert kb.answer("bọn phản động").topic == "ngoai_khieu_khich"
    assert kb.answer("bon phan dong").topic == "ngoai_khieu_khich"


# --- issue 13, third round: wrappers, typos that leave real syllables, short queries ------------


@pytest.mark.parametrize(
    "wrapped",
    [
        "ad ơi cho e hỏi chút xíu {q} vs ạ",
        "mn ơi {q} nhỉ",
        "e muốn hỏi {q} ạ",
        "chị ơi {q} ak",
        "cho mình hỏi xíu {q} với ạ",
        "{q} z",
    ],
)
@pytest.mark.parametrize(
    ("question", "entry_id"),
    [
        ("thời kỳ dự bị kéo dài bao lâu", "dv_du_bi"),
        ("hồ sơ kết nạp gồm những gì", "kn_ho_so"),
        ("chi bo bieu quyet ket nap can bao nhieu phieu", "kn_chi_bo_bieu_quyet"),
    ],
)
def test_colloquial_wrappers_do_not_change_the_answer(kb, wrapped, question, entry_id):
    answer = kb.answer(wrapped.format(q=question))
    assert answer.found and answer.entry.id == entry_id, (wrapped, answer.score)


def test_words_that_look_like_wrappers_stay_when_they_are_the_question(kb):
    assert kb.answer("Hỏi bot không dấu được không?").entry.id == "bot_hoi_dap"  # "hỏi" is the question
    assert kb.answer("chi bo nao cham danh gia", role="staff").entry.id == "bot_chi_bo_cham"  # "chi" of "chi bộ"


@pytest.mark.parametrize(
    ("typo", "entry_id"),
    [
        ("chi tiu ket nap moi nam", "nv1_chi_tieu"),  # "tiêu" typed without its "e" is the syllable "tiu"
        ("dang ven du bi co duoc bieu quyet khong", "dv_du_bi_quyen"),  # "viên" -> "ven"
        ("thoi gan du bi bao lau", "dv_du_bi"),  # "gian" -> "gan"
        ("tuoi vao daang", "kn_tuoi"),  # corrected, then "vào Đảng" is "kết nạp Đảng"
    ],
)
def test_a_dropped_letter_that_leaves_a_real_syllable_is_corrected_by_its_neighbours(kb, typo, entry_id):
    answer = kb.answer(typo)
    assert answer.found and answer.entry.id == entry_id


def test_syllable_shape_knows_which_vowels_vietnamese_puts_together():
    assert all(is_syllable(w) for w in ("tuan", "mua", "khuya", "huynh", "gi", "gin", "xoong", "nguyen", "tuoi"))
    assert not any(is_syllable(w) for w in ("tein", "toui", "gaio", "nhuung", "giian"))


def test_a_correct_word_is_not_corrected_into_its_neighbour(kb):
    assert kb.query_words("Cách nhập một quần chúng mới vào Chibot?")[:2] == ["cach", "nhap"]


@pytest.mark.parametrize(
    ("question", "entry_id"),
    [
        ("4%", "nv1_chi_tieu"),
        ("2/3", "kn_chi_bo_bieu_quyet"),
        ("zalo", "bot_zalo"),  # the entry on using Chibot on Zalo (round 16: its questions were bot_gioi_thieu)
        ("/help", "bot_trogiup"),
        ("excel", "bot_baocao"),
    ],
)
def test_very_short_queries_are_answered(kb, question, entry_id):
    answer = kb.answer(question)
    assert answer.found and answer.entry.id == entry_id
    assert_consistent(answer)


def test_report_of_a_step_is_recording_it_not_the_excel_report(kb):
    assert kb.answer("báo cáo việc kết nạp qua bot thế nào").entry.id == "bot_ketnap"
    assert kb.answer("bao cao lop cam tinh dang len bot").entry.id == "bot_lopnhanthuc"
    assert kb.answer("xuất báo cáo excel").entry.id == "bot_baocao"


def test_charter_and_ceremony_are_told_apart(kb):
    assert kb.answer("kết nạp phải đúng Điều lệ Đảng thế nào").entry.id == "nv3_dung_dieu_le"
    assert kb.answer("lễ kết nạp tổ chức khi nào").entry.id == "kn_le_ket_nap"


def test_accented_word_is_not_a_chat_abbreviation(kb):
    answer = kb.answer("sổ hồng làm ở đâu")
    assert not answer.found and answer.topic == "ngoai_hanh_chinh"
    assert kb.answer("đảng viên dự bị có được biểu quyết hông").entry.id == "dv_du_bi_quyen"
    assert kb.answer("du bi co duoc bieu quyet hong").entry.id == "dv_du_bi_quyen"


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("kết nạp lại người bị khai trừ", "ngoai_ket_nap_lai"),
        ("học trung cấp lý luận chính trị", "ngoai_ly_luan_chinh_tri"),
        ("đảng viên có được kinh doanh không", "ngoai_dieu_dang_vien_khong_duoc_lam"),
        ("thi tuyển công chức", "ngoai_cong_chuc"),
        ("muốn vào công đoàn cần gì", "ngoai_doan_hoi"),
        ("làm sổ đỏ cần giấy tờ gì", "ngoai_hanh_chinh"),
    ],
)
def test_more_neighbouring_topics_are_refused_naming_whom_to_ask(kb, question, topic):
    answer = kb.answer(question)
    assert not answer.found and answer.topic == topic
    assert_consistent(answer)


@pytest.mark.parametrize("text", ["mày biết gì", "bí thư chi bộ là thằng nào", "may biet gi ma tra loi"])
def test_rude_address_gets_a_courteous_refusal(kb, text):
    answer = kb.answer(text)
    assert not answer.found and answer.topic == "ngoai_khieu_khich"


@pytest.mark.parametrize("text", ["dự bị mấy tháng", "du bi may thang", "kết nạp vào tháng nào", "máy tính bảng dùng bot được không"])
def test_everyday_words_that_fold_onto_rude_ones_are_questions(kb, text):
    assert kb.answer(text).topic != "ngoai_khieu_khich"


def test_each_command_entry_tells_a_role_that_cannot_use_it_whose_command_it_is(kb):
    """Staff asking how to type a secretary's command, or a secretary asking about /moi, read who uses it."""
    from handlers import build_router

    commands = build_router().commands
    checked = 0
    for entry in kb.entries:
        name = entry.id.removeprefix("bot_")
        command = commands.get(name)
        if not entry.id.startswith("bot_") or command is None or command.roles is None:
            continue
        for role in ("secretary", "staff"):
            if role in command.roles:
                continue
            text = kb.get(entry.id, role=role).answer
            assert text != entry.answer or role == "secretary" and "Cán bộ cấp ủy" in text, (entry.id, role)
            assert "bí thư chi bộ" in text.lower() or "cán bộ cấp ủy" in text.lower(), (entry.id, role)
            checked += 1
    assert checked >= 8
    answer = kb.answer("tao ma moi cho nguoi khac", role="secretary")
    assert answer.entry.id == "bot_moi" and answer.answer.startswith("Lệnh /moi dành cho cán bộ cấp ủy")


@pytest.mark.parametrize(
    ("text", "entry_id"),
    [
        ("chúc ad ngày mới vui vẻ", "chao_hoi"),
        ("mọi người ơi", "chao_hoi"),
        ("bot ơi", "chao_hoi"),
        ("tạm biệt", "chao_hoi"),
        ("vâng ạ", "cam_on"),
        ("dạ vâng", "cam_on"),
        ("thank you so much", "cam_on"),
    ],
)
def test_calls_wishes_and_acknowledgements_get_a_short_answer(kb, text, entry_id):
    answer = kb.answer(text)
    assert answer.found and answer.entry.id == entry_id


def test_acknowledgement_before_a_question_answers_the_question(kb):
    assert kb.answer("vâng, dự bị bao lâu").entry.id == "dv_du_bi"
    assert kb.answer("ok vay du bi may thang").entry.id == "dv_du_bi"
    assert kb.answer("vàng").topic != "cam_on" and not kb.answer("vàng").found  # gold, not "vâng"


# --- fourth round: own unit, record-keeping verbs, "vô Đảng", refusing entries on a tie -----------


@pytest.mark.parametrize(
    ("text", "entry_id"),
    [
        ("tỷ lệ kết nạp của chi bộ mình đạt bao nhiêu rồi", "bot_tinhhinh"),
        ("ty le ket nap cua chi bo toi", "bot_tinhhinh"),
        ("Tỷ lệ kết nạp hằng năm phải đạt bao nhiêu?", "nv1_chi_tieu"),  # the rule, not one's own figures
    ],
)
def test_a_question_about_ones_own_unit_gets_the_status_command(kb, text, entry_id):
    answer = kb.answer(text, role="secretary")
    assert answer.found and answer.entry.id == entry_id


@pytest.mark.parametrize(
    ("text", "entry_id"),
    [
        ("thêm một quần chúng mới vào nguồn", "bot_nguon"),
        ("xem ds nguon", "bot_dsnguon"),
        ("cú pháp lệnh nguồn", "bot_nguon"),
    ],
)
def test_a_record_keeping_request_gets_the_command(kb, text, entry_id):
    answer = kb.answer(text, role="secretary")
    assert answer.found and answer.entry.id == entry_id


def test_record_keeping_verbs_are_told_from_rules_vocabulary():
    from knowledge.analysis import asks_for_action

    assert asks_for_action(["them", "nguon"])
    assert asks_for_action(["cap", "nhat", "ngay", "hoc"])
    assert not asks_for_action(["xem", "xet", "ket", "nap"])  # "xem xét kết nạp" is the rules
    assert not asks_for_action(["xoa", "ten", "dang", "vien"])  # "xóa tên" is the rules
    assert not asks_for_action(["cap", "uy", "xet"])
    assert asks_for_action(["mo", "lop", "boi", "duong"]) and asks_for_action(["tao", "lop", "hoc"])
    assert not asks_for_action(["tao", "nguon", "ket", "nap"])  # "tạo nguồn" is the rules' term


def test_vo_dang_is_vao_dang_and_not_readmission(kb):
    southern, standard = kb.answer("em muốn vô Đảng"), kb.answer("em muốn vào Đảng")
    assert southern.found and standard.found
    assert southern.entry.id == standard.entry.id
    assert standard.topic != "ngoai_ket_nap_lai"
    readmission = kb.answer("kết nạp lại người đã ra khỏi Đảng")
    assert not readmission.found and readmission.topic == "ngoai_ket_nap_lai"


@pytest.mark.parametrize(
    "text",
    [
        "Em đi làm công nhân may ở Bình Dương mấy năm nay, về quê thì bao nhiêu tuổi còn được vào Đảng",
        "con tôi đang học lớp 12 ở trường huyện, khi nào mới đủ tuổi vào Đảng",
    ],
)
def test_a_situation_told_first_is_answered_by_its_question_clause(kb, text):
    whole_only = KnowledgeBase(kb.templates, settings=SearchSettings(clauses=False))
    assert not whole_only.answer(text).found  # the story drowns the question
    answer = kb.answer(text)
    assert answer.found and answer.entry.id == "kn_tuoi"
    assert answer.question == text


def test_a_clause_on_an_uncovered_topic_refuses_with_that_topics_answer(kb):
    answer = kb.answer("Hôm qua họp chi bộ, đảng phí đóng bao nhiêu?")
    assert not answer.found and answer.topic == "ngoai_dang_phi"


@pytest.mark.parametrize("text", ["thủ tục sang tên xe may", "đơn viết tay hay đánh may", "xe máy"])
def test_a_machine_at_the_end_of_a_question_is_not_how_many(text):
    # "máy" typed without its tone folds like "mấy" (how many); after "xe" or "đánh" it is a machine,
    # also as the last word (a slice past the end once matched the one-word marker).
    assert "?bao_nhieu" not in content_words(text)
    assert "?bao_nhieu" in content_words("đảng viên dự bị mấy tháng")


def test_an_age_in_a_question_about_admission_is_read_as_the_band_the_rules_name(kb):
    # The rules name ages only for admission (18 to 60): "64 tuổi" asked about joining is "trên 60 tuổi",
    # "16 tuổi" is "chưa đủ 18 tuổi"; a member's age, or an age between the limits, stays as typed.
    def read(text: str) -> str:
        return " ".join(content_words(text))

    assert "bo tren 60 tuoi" in read("bố tôi 64 tuổi, có vào Đảng được không")
    assert "chua du 18 tuoi" in read("cháu 16 tuổi xin kết nạp được không")
    assert "tren 60 tuoi" in read("trên 65 tuổi có được kết nạp không")
    assert "30 tuoi" in read("30 tuổi có được kết nạp không")
    assert "80 tuoi" in read("đảng viên 80 tuổi có phải đóng đảng phí không")
    answer = kb.answer("bố tôi 64 tuổi, uy tín trong thôn, có vào Đảng được không")
    assert answer.found and answer.entry.id == "kn_tuoi", (answer.entry and answer.entry.id, answer.score)
    answer = kb.answer("đảng viên 80 tuổi có phải đóng đảng phí không")
    assert not answer.found and answer.topic == "ngoai_dang_phi", (answer.topic, answer.entry and answer.entry.id)


@pytest.mark.parametrize("question", ["đảng viên dự bị có được đi họp chi bộ không", "dang vien du bi co duoc du hop chi bo ko"])
def test_attending_the_cells_meetings_is_taking_part_in_its_activities(kb, question):
    assert "sinh hoat chi bo" in " ".join(content_words(question))
    answer = kb.answer(question)
    assert answer.found and answer.entry.id == "dv_du_bi_quyen", answer.entry and answer.entry.id


def test_a_reprimand_is_discipline_not_why(kb):
    # "khiển trách" folds like "khiến" (causes: asks why) + "trách"; it is a form of discipline, which
    # the knowledge base does not cover (a reprimanded member's recognition is not in the late-review entry).
    assert "?tai_sao" not in content_words("đảng viên bị khiển trách")
    assert "khien" in content_words("dang vien bi khien trach")
    assert "?tai_sao" in content_words("điều gì khiến quần chúng ngại vào Đảng")
    assert kb.answer("đảng viên bị khiển trách").topic == "ngoai_ky_luat"
    answer = kb.answer("dang vien bi khien trach co duoc xet chinh thuc khong")
    assert not answer.found, answer.entry and answer.entry.id


@pytest.mark.parametrize(
    "question", ["con trai tôi 17 tuổi 9 tháng, đã xét kết nạp được chưa", "bác tôi 63 tuổi có được kết nạp không"]
)
def test_an_age_the_knowledge_base_never_names_still_gets_the_age_entry(kb, question):
    # "63", "17" occur in no entry: they tell the asker's situation and do not count as an unknown topic.
    answer = kb.answer(question)
    assert answer.found and answer.entry.id == "kn_tuoi", (answer.entry and answer.entry.id, answer.score)


@pytest.mark.parametrize(
    ("question", "expected"),
    [("sap toi co lop boi duong nao khong", "bot_lophoc"), ("lop boi duong dang vien moi hoc nhung gi", "dv_lop_dang_vien_moi")],
)
def test_what_is_coming_up_is_in_chibots_records_not_in_the_rules(kb, question, expected):
    answer = kb.answer(question)
    assert answer.found and answer.entry.id == expected, answer.entry and answer.entry.id


@pytest.mark.parametrize("question", ["đổi thẻ đảng viên mới", "doi the dang vien moi", "lam lai the dang bi mat"])
def test_a_party_card_is_not_filler_and_gets_the_not_covered_answer(kb, question):
    # "thẻ" folds like "thế" (so), which is filler; before "đảng" it is the party card.
    answer = kb.answer(question)
    assert not answer.found and answer.topic == "ngoai_the_dang", (answer.topic, answer.entry and answer.entry.id)


@pytest.mark.parametrize("question", ["xem biểu đồ kết nạp", "bieu do ty le ket nap", "gửi biểu đồ cho huyện"])
def test_a_chart_is_not_filler(kb, question):
    # "đồ" folds like "do" (by, because), which is filler; after "biểu" it is a chart: /baocao.
    answer = kb.answer(question, role="staff")
    assert answer.found and answer.entry.id == "bot_baocao", (answer.topic, answer.entry and answer.entry.id)


@pytest.mark.parametrize(
    "question",
    ["sau bao lâu thì được lên đảng viên chính thức", "bao gio em thanh dang vien chinh thuc"],
)
def test_becoming_a_full_member_in_everyday_words(kb, question):
    answer = kb.answer(question)
    assert answer.found and answer.entry.id in {"dv_cong_nhan", "dv_du_bi"}, (answer.topic, answer.entry)


@pytest.mark.parametrize("question", ["nguoi co dao co duoc vao dang khong", "Người theo Phật giáo có được kết nạp Đảng?"])
def test_admitting_religious_people_is_a_topic_the_bot_does_not_cover(kb, question):
    # It used to get the "re-admission is not covered" answer, which misleads.
    answer = kb.answer(question)
    assert not answer.found and answer.topic == "ngoai_ton_giao"
    assert CONTACT in answer.answer


def test_being_reminded_is_a_question_about_chibot(kb):
    # The rules name no reminders; Chibot sends them. "nhắc nhở" (to admonish) is not one.
    answer = kb.answer("bí thư có được nhắc khi sắp hết hạn dự bị không")
    assert answer.found and answer.entry.id == "bot_nhac_viec", answer.entry and answer.entry.id
    assert asks_about_reminders(words("bot có nhắc lịch học không"))
    assert not asks_about_reminders(words("nhắc nhở quần chúng phấn đấu"))


@pytest.mark.parametrize(
    ("question", "role", "expected"),
    [
        ("bố mẹ ở tỉnh khác thì thẩm tra lý lịch kiểu gì", None, "kn_don_ly_lich"),  # "kiểu gì": how
        ("điểm danh quần chúng đi học lớp bồi dưỡng", "secretary", "bot_lophoc"),  # a roll call is a record
        ("ds dang vien du bi sap den han xet chinh thuc", "staff", "bot_tinhhinh"),  # due soon: the records
    ],
)
def test_everyday_phrasings_of_round_8(kb, question, role, expected):
    answer = kb.answer(question, role=role)
    assert answer.found and answer.entry.id == expected, (answer.topic, answer.entry and answer.entry.id)


def test_a_command_the_askers_role_cannot_use_gives_way_to_a_close_one_it_can(bot_kb):
    # /thongbao is the staff's (a message to the cells); a secretary asking how to message the cells
    # that have not evaluated is told what a secretary does about them (bot_chi_bo_cham).
    loaded = bot_kb
    roles = loaded.command_roles
    search = KnowledgeBase(loaded.entries, CONTACT, command_roles=roles)  # no examples: the search alone
    question = "gui tin cho bi thu cac chi bo chua danh gia"
    assert KnowledgeBase(loaded.entries, CONTACT).answer(question, role="secretary").entry.id == "bot_thongbao"
    assert search.answer(question, role="secretary").entry.id == "bot_chi_bo_cham"
    assert search.answer(question, role="staff").entry.id == "bot_thongbao"
    # The classifier never gives an asker a command entry their role cannot use either.
    assert loaded.answer(question, role="secretary").entry.id == "bot_chi_bo_cham"
    # With no close entry the role can use, the answer stays (it says who can export the files).
    assert loaded.answer("bi thu co xuat file excel duoc khong", role="secretary").entry.id == "bot_baocao"


def test_an_entry_with_an_answer_for_the_askers_role_answers_them(bot_kb):
    # /lopnhanthuc is the secretaries' (recording a finished class), but its entry has an answer for
    # staff, which says what staff do (open classes with /lophoc tao): staff are answered with it.
    loaded = bot_kb
    search = KnowledgeBase(loaded.entries, CONTACT, command_roles=loaded.command_roles)
    question = "tao lop nhan thuc ve dang tren bot"
    assert search.answer(question, role="secretary").entry.id == "bot_lopnhanthuc"
    staff = search.answer(question, role="staff")
    assert staff.entry.id == "bot_lopnhanthuc" and "/lophoc tao" in staff.answer
    assert "/lophoc tao" in loaded.answer(question, role="staff").answer  # with the classifier too
    secretary = search.answer("khi nao het han ma moi", role="secretary")
    assert secretary.entry.id == "bot_moi" and "7 ngày" in secretary.answer and "/moi MÃ" not in secretary.answer


@pytest.mark.parametrize(
    ("question", "role", "expected"),
    [
        ("mở lớp bồi dưỡng nhận thức về Đảng cho các xã", "staff", "bot_lophoc"),  # "mở / tạo …": a record
        ("undo lại thao tác vừa rồi", "secretary", "bot_hoantac"),
        ("danh sách quần chúng của chi bộ mình", "secretary", "bot_dsnguon"),  # the own cell's list: records
        ("mình mới làm bí thư chi bộ, bot này giúp gì", "secretary", "bot_gioi_thieu"),  # "mới" is not /moi
        # round 9
        ("em 16t muốn vào đảng được không", None, "kn_tuoi"),  # "16t": an age
        ("sao bot không nhắn tin nhắc em", None, "bot_nhac_viec"),  # the bot messaging: a reminder
        ("nhắn tin cho các bí thư chi bộ trong huyện", None, "bot_thongbao"),  # the asker messaging: a broadcast
        ("ai thì được vào Đảng vậy", None, "kn_ai_duoc_vao_dang"),  # who is eligible, not who decides
        ("chào ad, mình mới vào", None, "chao_hoi"),  # "mới vào": just joined, a greeting
    ],
)
def test_everyday_phrasings_of_rounds_8_and_9(kb, question, role, expected):
    answer = kb.answer(question, role=role)
    assert answer.found and answer.entry.id == expected, (answer.topic, answer.entry and answer.entry.id)


async def test_the_app_loads_the_knowledge_base_with_its_commands_roles(tmp_path):
    # build_app gives the search the roles of its own router's commands: staff get /lophoc.
    from bot.app import build_app
    from tests.conftest import make_settings

    app = build_app(make_settings(f"sqlite+aiosqlite:///{tmp_path / 'kb.db'}"))
    try:
        answer = app.services.kb.answer("tao lop nhan thuc ve dang tren bot", role="staff")
        assert answer.found and answer.entry.id == "bot_lophoc"
    finally:
        await app.close()


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        # The class entry says a certificate is needed, not how long it stays valid: the bot says it
        # does not have that and names whom to ask, rather than answering with the class entry.
        ("giấy chứng nhận cảm tình đảng có giá trị mấy năm vậy", "ngoai_mau_bieu"),
        ("thoi han cua giay chung nhan lop nhan thuc ve dang", "ngoai_mau_bieu"),
        ("mẫu đơn xin vào đảng lấy ở đâu vậy ạ", "ngoai_mau_bieu"),
        ("lop cam tinh dang hoc may ngay", "ngoai_mau_bieu"),  # the class's length: no entry says it
        # Special cases of the admission procedure, which the entries on it do not cover.
        ("nhà em có người thân định cư ở nước ngoài, em có được kết nạp không", "ngoai_truong_hop_rieng"),
        ("thẩm tra lý lịch người vào đảng kéo dài mấy tháng", "ngoai_truong_hop_rieng"),
        ("trình tự buổi lễ kết nạp thế nào, có mời gia đình dự không", "ngoai_truong_hop_rieng"),
        # A probationary member struck off asking to rejoin: re-admission, not the recognition entry.
        ("bị xóa tên đảng viên dự bị rồi thì sau này kết nạp lại được không", "ngoai_ket_nap_lai"),
    ],
)
def test_round_9_topics_the_bot_does_not_cover_get_their_not_covered_answer(kb, question, topic):
    answer = kb.answer(question)
    assert not answer.found and answer.topic == topic, (answer.topic, answer.entry)
    assert CONTACT in answer.answer


def test_the_class_entry_still_answers_what_the_class_is(kb):
    answer = kb.answer("cảm tình đảng là lớp gì, có bắt buộc học không")
    assert answer.found and answer.entry.id == "kn_lop_nhan_thuc"


def test_names_in_a_question_tell_the_situation_not_the_topic(kb):
    # "Hoa", "Sài Gòn": capitalised words the knowledge base never writes capitalised are names,
    # left out of the search; the knowledge base's own names ("Bình Định", "Zalo", "Đảng") stay.
    question = "bạn Hoa đi làm ăn ở Sài Gòn rồi, muốn đưa bạn ấy ra khỏi nguồn thì làm sao"
    assert {"hoa", "sai", "gon"}.isdisjoint(kb.query_words(question))
    assert {"binh", "dinh", "zalo", "dang"} <= set(kb.query_words("chi bộ ở Bình Định dùng Zalo để báo cáo Đảng ủy"))
    answer = kb.answer(question, role="secretary")
    assert answer.found and answer.entry.id == "bot_xoanguon"
    assert kb.answer(unicodedata.normalize("NFD", question), role="secretary").entry.id == "bot_xoanguon"


def test_nobody_admitted_is_not_a_question_about_who(kb):
    # "chưa kết nạp được ai" is "anyone", not "who"; "chưa" is not "chuẩn".
    answer = kb.answer("tôi là bí thư chi bộ, năm nay chưa kết nạp được ai thì có bị phê bình không")
    assert answer.found and answer.entry.id == "nv2_trach_nhiem"
    assert "?ai" not in kb.query_words("năm nay chưa kết nạp được ai")


def test_a_long_situation_first_question_is_answered_and_a_long_near_miss_still_refused(kb):
    # The situation told around the question weighs against score and coverage; past
    # long_question content words both thresholds scale down.
    question = (
        "Chi bộ em ở thôn có một cháu 17 tuổi đang học lớp 11, ngoan, là đoàn viên, hay giúp bà con, "
        "vậy chi bộ làm hồ sơ kết nạp cho cháu luôn được không ạ"
    )
    search = KnowledgeBase(kb.templates, CONTACT)  # the search's thresholds, without the classifier
    answer = search.answer(question)
    assert answer.found and answer.entry.id == "kn_tuoi"
    strict = KnowledgeBase(kb.templates, CONTACT, settings=SearchSettings(long_question=0))
    assert strict.answer(question).entry is None
    near = kb.answer(
        "Chi bộ em chuẩn bị đại hội nhiệm kỳ mới, nhiều đồng chí lớn tuổi, cho hỏi quy trình bầu bí thư "
        "chi bộ và bầu cấp ủy thế nào ạ"
    )
    assert not near.found and near.topic == "ngoai_dai_hoi"


def test_the_deployments_contact_does_not_change_what_is_found(kb):
    # Until issue 13's thirteenth round the contact's words entered the index through the answers
    # that name it, and so the reading of the training examples: a held-out question on a
    # 17-year-old was answered with one contact and refused with another.
    other = KnowledgeBase.load(contact="Đồng chí Lê Văn Tám, Phó Trưởng ban Tổ chức, điện thoại 0912 345 678")
    questions = [item["q"] for item in eval_items(HELDOUT_SET)]
    def found(base: KnowledgeBase, question: str) -> tuple[bool, str | None]:
        answer = base.answer(question)
        return answer.found, answer.entry.id if answer.entry else answer.topic

    differ = [q for q in questions if found(kb, q) != found(other, q)]
    assert differ == []
    refusal = other.answer("Thủ tục chuyển sinh hoạt Đảng ra nước ngoài?")
    assert "Lê Văn Tám" in refusal.answer
