"""The knowledge base's examples and the classifier they train (issue 13, round 10)."""

from __future__ import annotations

import io

import numpy as np
import pytest
import yaml
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC

from knowledge import KnowledgeBase, KnowledgeBaseError
from knowledge.classifier import OUT, EntryClassifier
from knowledge.cli import kb_check_command
from knowledge.loader import load_file

CONTACT = "Văn phòng Huyện ủy"

ENTRIES = {
    "entries": [
        {"id": "nguoi_gioi_thieu", "questions": ["Kết nạp cần mấy người giới thiệu?", "Ai giới thiệu người vào Đảng?"],
         "answer": "Cần hai đảng viên chính thức giới thiệu.", "source": "Điều lệ Đảng, Điều 4"},
        {"id": "du_bi", "questions": ["Thời gian dự bị bao lâu?", "Đảng viên dự bị là gì?"],
         "answer": "Mười hai tháng kể từ ngày kết nạp.", "source": "Điều lệ Đảng, Điều 5"},
        {"id": "sinh_hoat", "questions": ["Chi bộ sinh hoạt mấy lần một tháng?", "Lịch sinh hoạt chi bộ"],
         "answer": "Chi bộ sinh hoạt mỗi tháng một lần.", "source": "Điều lệ Đảng, Điều 24"},
    ]
}
EXAMPLES = {
    "questions": [
        {"q": "ai dung ra bao lanh cho minh vao dang", "expect": "nguoi_gioi_thieu"},
        {"q": "phai co bao nhieu dang vien bao lanh", "expect": "nguoi_gioi_thieu"},
        {"q": "bao lanh vao dang can nhung ai", "expect": "nguoi_gioi_thieu"},
        {"q": "bao gio het du bi", "expect": "du_bi"},
        {"q": "chuyen sinh hoat dang sang tinh khac", "expect": None, "near": True},
        {"q": "chuyen sinh hoat dang ve noi cu tru", "expect": None, "near": True},
        {"q": "thu tuc chuyen sinh hoat dang tam thoi", "expect": None, "near": True, "split": "dev"},
    ]
}


def write_kb(tmp_path, examples=EXAMPLES, name="vidu.yaml"):
    data = dict(ENTRIES, meta={"examples": name})
    (tmp_path / "kb.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    if examples is not None:
        (tmp_path / name).write_text(yaml.safe_dump(examples, allow_unicode=True), encoding="utf-8")
    return tmp_path / "kb.yaml"


def test_examples_teach_a_phrasing_no_entry_has(tmp_path):
    # "bảo lãnh" (to vouch) is how these users say "giới thiệu": no phrasing has it, the examples do.
    kb = KnowledgeBase.load(write_kb(tmp_path), contact=CONTACT)
    assert len(kb.examples) == 7
    answer = kb.answer("Bảo lãnh cho em vào Đảng cần mấy người?")
    assert answer.found and answer.entry.id == "nguoi_gioi_thieu"
    assert answer.source == "Điều lệ Đảng, Điều 4"
    assert kb.answer("bảo lãnh cho em vào đảng cần mấy người").entry.id == "nguoi_gioi_thieu"


def test_examples_labelled_out_of_scope_make_a_near_topic_refused(tmp_path):
    # Without examples the search answers from the entry that shares "sinh hoạt"; the examples say
    # that moving one's membership is no entry's topic: refused, naming whom to ask, the entry offered.
    question = "Chuyển sinh hoạt Đảng"
    alone = KnowledgeBase.load(write_kb(tmp_path, examples={"questions": []}), contact=CONTACT)
    assert alone.answer(question).found
    kb = KnowledgeBase.load(write_kb(tmp_path), contact=CONTACT)
    answer = kb.answer(question)
    assert not answer.found and answer.entry is None and answer.source == ""
    assert CONTACT in answer.answer
    assert [e.id for e in answer.suggestions] == ["sinh_hoat"]
    assert answer.to_json()["id"] is None and answer.to_json()["related"] == ["sinh_hoat"]


def test_the_default_knowledge_base_loads_its_examples():
    kb = KnowledgeBase.load(contact=CONTACT)
    assert len(kb.examples) >= 2800
    ids = {e.id for e in kb.entries}
    assert all(example.expect is None or example.expect in ids for example in kb.examples)
    # An administrative procedure the search alone answers from the online-classes entry (it shares
    # "trực tuyến"): the examples teach that such questions are no entry's.
    question = "đăng ký tạm trú trực tuyến làm thế nào"
    assert KnowledgeBase(kb.templates, CONTACT).answer(question).found
    assert not kb.answer(question).found


def test_the_classifier_computes_what_scikit_learn_computes():
    # EntryClassifier does the TF-IDF and the linear decision by hand (scikit-learn's per-call cost
    # is ten times the arithmetic): the values must be scikit-learn's own.
    labelled = [("ket nap can may nguoi gioi thieu", "a"), ("nguoi gioi thieu phai la dang vien", "a"),
                ("du bi bao lau", "b"), ("het du bi thi lam gi", "b"), ("thoi tiet hom nay", OUT),
                ("gia vang", OUT), ("sinh hoat chi bo", "c"), ("lich hop chi bo hang thang", "c")]
    read = str.split
    classifier = EntryClassifier(labelled, read)
    vectorizers = (
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True),
        TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True, token_pattern=r"\S+"),
    )
    docs = [text for text, _ in labelled]
    model = LinearSVC(C=0.5, random_state=0).fit(
        sparse.hstack([v.fit_transform(docs) for v in vectorizers]).tocsr(), [label for _, label in labelled])
    for question in ("gioi thieu ket nap", "du bi may thang", "hom nay gia vang", "chi bo hop", "zzz qqq"):
        expected = model.decision_function(sparse.hstack([v.transform([question]) for v in vectorizers]).tocsr())[0]
        got = classifier.scores(question)
        assert np.allclose([got[label] for label in model.classes_], expected)


def test_a_two_class_classifier_scores_both_classes():
    classifier = EntryClassifier([("du bi bao lau", "b"), ("du bi may thang", "b"), ("gia vang", OUT)], str.split)
    scores = classifier.scores("du bi")
    assert set(scores) == {"b", OUT} and scores["b"] > 0 > scores[OUT]


def test_examples_file_problems_are_named_with_their_line(tmp_path):
    bad = ("questions:\n"
           "  - {q: \"cau hoi tot\", expect: du_bi}\n"
           "  - {q: \"\", expect: du_bi}\n"
           "  - {q: \"muc khong co\", expect: khong_co}\n"
           "  - {q: \"vai tro sai\", expect: du_bi, role: chairman}\n"
           "  - {q: \"truong la\", expect: du_bi, weight: 2}\n"
           "  - just a string\n")
    path = write_kb(tmp_path, examples=None)
    (tmp_path / "vidu.yaml").write_text(bad, encoding="utf-8")
    with pytest.raises(KnowledgeBaseError) as caught:
        load_file(path)
    problems = caught.value.problems
    assert len(problems) == 5
    assert "dòng 3" in problems[0] and "“q”" in problems[0]
    assert "dòng 4" in problems[1] and "“khong_co”" in problems[1]
    assert "dòng 5" in problems[2] and "secretary" in problems[2]
    assert "dòng 6" in problems[3] and "dòng 7" in problems[4]


def test_a_missing_examples_file_is_an_error_kb_check_reports(tmp_path):
    path = write_kb(tmp_path, examples=None)
    out, err = io.StringIO(), io.StringIO()
    assert kb_check_command(str(path), stdout=out, stderr=err, commands=frozenset()) == 1
    assert "vidu.yaml" in err.getvalue() and "Không tìm thấy" in err.getvalue()
    assert out.getvalue() == ""


def test_kb_check_accepts_the_default_examples():
    out, err = io.StringIO(), io.StringIO()
    assert kb_check_command(None, stdout=out, stderr=err) == 0, err.getvalue()
    assert err.getvalue() == ""


def test_the_classifier_never_gives_a_command_the_askers_role_cannot_use(tmp_path):
    data = {"entries": [
        *ENTRIES["entries"],
        {"id": "bot_lopnhanthuc", "questions": ["Ghi người đã học lớp nhận thức trên Chibot thế nào?"],
         "answer": "Bí thư gõ /lopnhanthuc.", "source": "Hướng dẫn sử dụng Chibot", "tags": ["lopnhanthuc"]},
        {"id": "lop_nhan_thuc", "questions": ["Lớp nhận thức về Đảng là gì?", "Ai phải học lớp nhận thức?"],
         "answer": "Quần chúng ưu tú học lớp bồi dưỡng nhận thức về Đảng.", "source": "Quy định, mục 3"},
    ]}
    examples = {"questions": [{"q": f"lop nhan thuc {tail}", "expect": "bot_lopnhanthuc"}
                              for tail in ("xong roi thi sao", "hoc xong thi the nao", "ket thuc roi lam gi", "da hoc xong")]}
    (tmp_path / "kb.yaml").write_text(yaml.safe_dump(dict(data, meta={"examples": "vidu.yaml"}), allow_unicode=True),
                                      encoding="utf-8")
    (tmp_path / "vidu.yaml").write_text(yaml.safe_dump(examples, allow_unicode=True), encoding="utf-8")
    kb = KnowledgeBase.load(tmp_path / "kb.yaml", contact=CONTACT,
                            command_roles={"lopnhanthuc": frozenset({"secretary"})})
    question = "lớp nhận thức xong rồi"
    alone = KnowledgeBase(kb.templates, CONTACT, command_roles=kb.command_roles)
    assert alone.answer(question, role="secretary").entry.id == "lop_nhan_thuc"
    assert kb.answer(question, role="secretary").entry.id == "bot_lopnhanthuc"  # the examples' entry
    assert kb.answer(question, role="staff").entry.id == "lop_nhan_thuc"  # not a command staff cannot use


def test_a_one_entry_knowledge_base_with_examples_still_answers_and_refuses():
    from knowledge.model import Entry, Example

    entry = Entry("du_bi", ("Thời gian dự bị bao lâu?",), "Mười hai tháng.", "Điều lệ Đảng, Điều 5")
    same = KnowledgeBase([entry], CONTACT, examples=[Example("du bi may thang", "du_bi")])  # one class only
    assert same.answer("dự bị bao lâu").entry.id == "du_bi"
    kb = KnowledgeBase([entry], CONTACT, examples=[Example("gia vang hom nay", None)])  # the entry and out of scope
    assert kb.answer("dự bị bao lâu").entry.id == "du_bi"
    assert not kb.answer("giá vàng hôm nay bao nhiêu").found


# --- the classifier cache: a restart reads the fitted model instead of fitting it again ----------

QUESTIONS = ("bảo lãnh cho em vào đảng cần mấy người", "Chuyển sinh hoạt Đảng", "bao giờ hết dự bị",
             "chi bo sinh hoat may lan", "thời tiết hôm nay")


@pytest.fixture
def fits(monkeypatch) -> list[int]:
    """Counts the classifier's fits (each entry: the number of labelled texts)."""
    counted: list[int] = []
    fit = LinearSVC.fit

    def counting(self, matrix, labels, *args, **kwargs):
        counted.append(len(labels))
        return fit(self, matrix, labels, *args, **kwargs)

    monkeypatch.setattr(LinearSVC, "fit", counting)
    return counted


def test_a_restart_reads_the_fitted_classifier_from_the_cache_and_answers_the_same(tmp_path, fits):
    path, cache = write_kb(tmp_path), tmp_path / "cache"
    first = KnowledgeBase.load(path, contact=CONTACT, cache_dir=cache)
    assert len(list(cache.glob("classifier-*.npz"))) == 1 and len(fits) == 1
    again = KnowledgeBase.load(path, contact=CONTACT, cache_dir=cache)
    assert len(fits) == 1  # read, not fitted
    for question in QUESTIONS:
        one, two = first.answer(question), again.answer(question)
        assert (one.found, one.answer, one.topic, one.score) == (two.found, two.answer, two.topic, two.score)
        assert np.array_equal(first._classifier.decision(question), again._classifier.decision(question))
    assert again.answer("Bảo lãnh cho em vào Đảng cần mấy người?").entry.id == "nguoi_gioi_thieu"
    assert not again.answer("Chuyển sinh hoạt Đảng").found


def test_a_changed_example_or_entry_is_learned_at_the_next_start_not_read_from_the_cache(tmp_path, fits):
    cache = tmp_path / "cache"
    question = "Chuyển sinh hoạt Đảng"
    assert not KnowledgeBase.load(write_kb(tmp_path), contact=CONTACT, cache_dir=cache).answer(question).found
    # The deployment decides that moving one's membership is answered after all: the examples that
    # said it is out of scope go, and the next start answers it.
    kept = {"questions": [item for item in EXAMPLES["questions"] if item["expect"] is not None]}
    kb = KnowledgeBase.load(write_kb(tmp_path, examples=kept), contact=CONTACT, cache_dir=cache)
    assert kb.answer(question).found and kb.answer(question).entry.id == "sinh_hoat"
    assert len(fits) == 2
    # An entry's text changes the words the search reads by (its typo vocabulary): fitted again too.
    changed = dict(ENTRIES, meta={"examples": "vidu.yaml"})
    changed["entries"] = [dict(e) for e in ENTRIES["entries"]]
    changed["entries"][1]["answer"] = "Mười hai tháng kể từ ngày chi bộ tổ chức lễ kết nạp."
    (tmp_path / "kb.yaml").write_text(yaml.safe_dump(changed, allow_unicode=True), encoding="utf-8")
    KnowledgeBase.load(tmp_path / "kb.yaml", contact=CONTACT, cache_dir=cache)
    assert len(fits) == 3
    assert len(list(cache.glob("classifier-*.npz"))) == 3  # the newest few stay


def test_a_damaged_or_unwritable_cache_costs_a_fit_never_the_start(tmp_path, caplog):
    path, cache = write_kb(tmp_path), tmp_path / "cache"
    KnowledgeBase.load(path, contact=CONTACT, cache_dir=cache)
    (cached,) = cache.glob("classifier-*.npz")
    cached.write_bytes(cached.read_bytes()[:1000])  # a disk filled up while it was written
    kb = KnowledgeBase.load(path, contact=CONTACT, cache_dir=cache)
    assert kb.answer("Bảo lãnh cho em vào Đảng cần mấy người?").entry.id == "nguoi_gioi_thieu"
    assert "cache unreadable" in caplog.text
    EntryClassifier.restore(cached, kb.query_words)  # written again, whole
    blocked = tmp_path / "a-file"
    blocked.write_text("not a directory")
    kb = KnowledgeBase.load(path, contact=CONTACT, cache_dir=blocked / "cache")
    assert kb.answer("Bảo lãnh cho em vào Đảng cần mấy người?").entry.id == "nguoi_gioi_thieu"
    assert "not cached" in caplog.text


def test_the_cache_directory_setting():
    from bot.settings import Settings

    assert Settings(_env_file=None, kb_cache_dir="off").kb_cache is None
    assert str(Settings(_env_file=None, kb_cache_dir="/srv/chibot/cache").kb_cache) == "/srv/chibot/cache"
    assert Settings(_env_file=None).kb_cache.name == "chibot"
