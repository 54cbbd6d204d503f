"""Answering free-text questions from the knowledge base.

Ranking is Okapi BM25 over indexes built once when the knowledge base is loaded: one document per
phrasing of a question, and per entry one document of its answer and source, one of its tags and
one of all its phrasings pooled. An entry scores its best phrasing plus weighted shares of the
other three. Terms are folded Vietnamese syllables, adjacent-syllable bigrams and question markers
(knowledge.analysis). Colloquial wrappers ("ad ơi cho e hỏi chút xíu … vs ạ") are stripped first,
and names (capitalised words that the knowledge base never writes capitalised: "bạn Lan", "Sài
Gòn") are left out, as they tell the asker's situation;
query words the index has never seen are corrected to the closest known word (Telex leftovers
such as "ddangr" or "vieen", words run together such as "dangvien", and small typos within an edit
distance of 1-2 via rapidfuzz; a well-formed syllable is taken as a real word, not a typo, unless it
makes a pair with neither neighbour while the word one letter longer does: "chi tiu" -> "chi
tieu"). Three factors adjust the ranking of neighbouring entries:
- a question about Chibot ("bot", "lệnh", a command) scores entries that are not about Chibot
  lower (``chibot_mismatch``), and a question that names neither scores the command entries lower
  (``rules_mismatch``). A question that opens with a record-keeping verb ("thêm …", "xem ds …",
  "cập nhật …"; since round 8 it also scores the rules entries lower, as a question naming Chibot
  does), asks what is coming up ("sắp tới"), about the asker's own unit ("chi bộ mình") or about
  being reminded ("nhắc") counts as a question about Chibot. An entry about the Party's rules that merely points to a command
  ("ghi kết quả bằng /chinhthuc") does not have that pointer searched at all;
- a question that asks "why", "who", "how long"… scores entries none of whose phrasings asks that
  lower (``marker_mismatch``).
When the asker's role is known and the best entry is about a command that role cannot use (the roles
come from the handlers' declarations, ``command_roles``), one of the next two entries that the role
can use, that answers and that scores at least ``role_mismatch`` of it answers instead: staff asking
to "create an awareness class on the bot" get /lophoc, not the secretaries' /lopnhanthuc.

Refusal: the bot answers only when the best entry
- reaches ``min_score`` once its raw score is divided by the best score the query could reach
  (every term matched; words the knowledge base never uses count as rare terms);
- covers ``min_coverage`` of the question's content words, each weighted by its idf over entries
  (a word no entry uses weighs as the rarest word; a number no entry uses, "62 tuổi", weighs
  nothing: it tells the asker's situation). A word counts as covered only in context:
  folded syllables are ambiguous ("sàng lọc" and "sang tỉnh khác" both give "sang"), so a
  syllable the knowledge base, or the entry, uses almost only inside one compound counts only
  when the question has it in a compound the entry also has. This is what refuses near-domain
  questions such as "chuyển sinh hoạt Đảng sang tỉnh khác" (which shares "sinh hoạt Đảng" with
  the entry on screening members) while keeping "sàng lọc đảng viên";
- is asked about: a content word of the question occurs in one of its phrasings or tags;
- and, for questions of two or more content words, shares a pair of adjacent words with them
  (Vietnamese words are mostly two syllables: "tỷ giá" is not "tỷ lệ" + "tham gia").
- and, when its normalised score is below ``veto_score``, is not vetoed by the second opinion
  (knowledge.ngrams): the character n-gram TF-IDF cosine of its nearest phrasing or tag to the
  question must reach ``veto_similarity``. Dev-neutral; on the test split it refuses one more
  out-of-scope question and loses no in-scope one (benchmarks/faq_ngram_probe.py).
A refused question of more than ``long_question`` content words is tried again with min_score and
min_coverage scaled by ``long_question`` over the count (the situation told around a question
weighs against both), answering only when its best entry scores ``long_lead`` times the next one;
round 9, dev: 7 long, situation-first questions gained, none lost.
Otherwise a question of several clauses that is refused as a whole ("con tôi 17 tuổi đang học lớp 12, khi
nào mới đủ tuổi vào Đảng": the story drowns the question) is tried clause by clause from the last
one back (``clauses``): a clause refused by a refusing entry refuses it; otherwise, of the entries
that answer a clause and that the whole question ranks among its best three, one that answers a
clause with a question word ("khi nào", "bao lâu") answers, else the one the whole ranks highest.
Otherwise it says it does not know, names whom to ask and offers up to three close entries.
An answered question also offers (``close_share``) up to two entries that scored at least 0.8 of
the answering one: most wrong answers are a neighbouring entry with the right one just behind
(round 8: on dev, the right entry is then one tap away for 29 of the 48 in-scope misses, against 20
with the related entries alone; 0.8 chosen over 0.9 on dev).
An entry of kind "refuse" (a neighbouring topic the knowledge base does not cover) is matched the
same way, but the answer is its "not covered, ask CONTACT" text with found false; it also wins when
it is among the next two entries, covers the question at least as well as the best one (strictly
better when the best covers all of it: "vào Đảng" is not "kết nạp lại") and scores
at least ``refuse_margin`` of it ("làm sổ đỏ cần giấy tờ gì" is not the admission dossier). Greetings, thanks
and insults are recognised before the search (knowledge.analysis.small_talk). Answers that differ
by role come from the entry's role_answers.
When the knowledge base has examples (questions users typed, each labelled with its entry or as out
of scope: knowledge/examples.yaml), a linear classifier trained on them and on the phrasings and tags
(knowledge.classifier) picks the answering entry: the search decides whether to answer, the
classifier which entry answers (``_classified``; ``classifier_*`` settings). On fresh questions most
of the search's wrong answers have the right entry second; the classifier, having seen how users
ask, puts it first more often (round 10: 0.78 -> 0.85 top-1 on questions neither had seen).
The weights and thresholds were chosen on the dev split of the evaluation set (benchmarks/faq_eval.py);
what each round measured, shipped and did not ship is in docs/faq-search.md.
"""

from __future__ import annotations

import dataclasses
import hashlib
import math
import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import OSA

from domain import text as domain_text
from domain import texts
from domain.text import closest_command, has_letters, nfc
from knowledge import analysis
from knowledge.classifier import OUT, EntryClassifier, fit_or_load
from knowledge.loader import load_file
from knowledge.model import Answer, Entry, Example, KnowledgeBaseError
from knowledge.ngrams import NgramIndex

__all__ = [
    "Answer",
    "Entry",
    "Hit",
    "KnowledgeBase",
    "KnowledgeBaseError",
    "SearchSettings",
]


@dataclass(frozen=True)
class SearchSettings:
    """Ranking parameters and refusal thresholds (tuned on the dev split of the eval set)."""

    k1: float = 1.2
    b: float = 0.75
    answer_weight: float = 0.8  # weight of the answer and source document against the best phrasing
    tag_weight: float = 0.5  # weight of the entry's tags (its curated keywords)
    pooled_weight: float = 0.3  # weight of all phrasings of an entry pooled into one document
    min_score: float = 0.15  # normalised score below which the bot refuses
    min_coverage: float = 0.4  # share of the query's content (idf mass) the entry must cover
    # A question of more content words than this ("chi bộ em có 1 bạn 17 tuổi đang học lớp 12, …, vậy
    # làm hồ sơ kết nạp luôn được chưa") has min_score and min_coverage scaled by this over its count:
    # the situation told around the question weighs against both (0: off).
    long_question: int = 12
    long_lead: float = 1.2  # ... and only when the best entry scores this much more than the next
    unknown_weight: float = 1.0  # coverage weight of a word no entry uses, relative to the rarest word
    # The same for a number no entry uses ("62 tuổi", "17 tuổi 11 tháng"): the asker's situation, not a
    # topic, so by default it neither counts against coverage nor raises the best reachable score.
    unknown_number_weight: float = 0.0
    bound_share: float = 0.8  # a syllable found this often in one compound only counts inside it
    entry_bound_min: int = 3  # occurrences in one entry needed to call a syllable bound there (0: never)
    coverage_power: float = 0.0  # ranking multiplies the score by coverage ** coverage_power
    bigram_weight: float = 1.0  # query-side weight of adjacent-syllable bigrams
    marker_weight: float = 1.0  # query-side weight of question markers ("bao lâu", "ai"…)
    chibot_mismatch: float = 0.7  # score factor for an entry not about Chibot when the question is about it
    rules_mismatch: float = 0.8  # score factor for an entry about Chibot when the question does not mention it
    # A refusing entry (a neighbouring topic) scoring at least this share of the best entry's score
    # makes the bot refuse rather than answer from an entry it only half matches (0: off).
    refuse_margin: float = 0.7
    marker_mismatch: float = 0.8  # score factor when the entry's phrasings ask none of the question's kinds
    # An entry about a command the asker's role cannot use gives way to a close one that role can use,
    # scoring at least this share of it (1: never).
    role_mismatch: float = 0.7
    # Second opinion (knowledge.ngrams): an entry scoring below veto_score whose nearest phrasing's
    # character n-gram cosine to the question is below veto_similarity is refused (0: off).
    veto_score: float = 0.3
    veto_similarity: float = 0.35
    suggest_min_score: float = 0.15  # normalised score an entry needs to be offered as a suggestion
    suggest_min_coverage: float = 0.40  # and the share of the question it must cover
    max_suggestions: int = 3
    # An answered question also offers the entries that ranked almost as high (at least this share of
    # the best score, within the suggestion thresholds): the user reaches them in one tap (0: off).
    close_share: float = 0.8
    max_close: int = 2
    correct_typos: bool = True
    clauses: bool = True  # a refused question of several clauses is answered by one of them
    pair_min_count: int = 2  # a word is corrected by its neighbour into a pair seen this often (0: off)
    # The classifier trained on the phrasings, tags and examples (knowledge.classifier), when the
    # knowledge base has examples: it picks the entry of a question the search answers, and answers a
    # question the search refused on its thresholds when its decision value reaches classifier_rescue.
    classifier: bool = True
    classifier_c: float = 0.7  # LinearSVC's C (0.5 until round 13: 0.7 won on dev and on a split by time)
    classifier_rescue: float = -0.2
    # ... and its entry replaces the search's only when its decision value is this much higher than
    # that of the search's entry, and this much more again when one of the two is about Chibot and the
    # other about the rules (the search's reading of that, "tỷ lệ kết nạp của chi bộ tôi" asking
    # for the cell's figures, is a rule the classifier does not know).
    classifier_margin: float = 0.1
    classifier_cross_margin: float = 0.2


@dataclass(frozen=True)
class Hit:
    """One ranked entry for a question."""

    entry: Entry
    score: float  # normalised to 0..1
    coverage: float  # 0..1
    raw: float
    asked_in_phrasing: bool = True  # a content word of the question occurs in the entry's phrasings or tags
    pair_matched: bool = True  # two adjacent words of the question occur together in the entry
    words: int = 0  # the question's content words (question markers aside)


class _BM25:
    """Okapi BM25 over a list of tokenised documents, with an inverted index.

    Each posting holds its term's whole BM25 contribution to that document (idf and length
    normalisation included), worked out once here: a query only adds weighted postings up.
    """

    def __init__(self, docs: Sequence[Sequence[str]], k1: float, b: float) -> None:
        self.size = len(docs)
        lengths = [len(doc) for doc in docs]
        avgdl = (sum(lengths) / self.size) if self.size else 0.0
        counts: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for index, doc in enumerate(docs):
            for term, tf in Counter(doc).items():
                counts[term].append((index, tf))
        self.idf: dict[str, float] = {
            term: math.log(1.0 + (self.size - len(post) + 0.5) / (len(post) + 0.5)) for term, post in counts.items()
        }
        self.max_idf = max(self.idf.values(), default=0.0)
        norms = [k1 * (1.0 - b + b * length / (avgdl or 1.0)) for length in lengths]
        self.postings: dict[str, tuple[tuple[int, float], ...]] = {
            term: tuple((index, self.idf[term] * tf * (k1 + 1.0) / (tf + norms[index])) for index, tf in post)
            for term, post in counts.items()
        }

    def scores(self, query: dict[str, float]) -> dict[int, float]:
        """BM25 score of every matching document for weighted query terms."""
        out: dict[int, float] = defaultdict(float)
        for term, weight in query.items():
            for index, value in self.postings.get(term, ()):
                out[index] += weight * value
        return out


_TELEX_TONE = re.compile(r"(?<=[a-z])[sfrxj]$")
_TELEX_VOWELS = (("dd", "d"), ("aa", "a"), ("aw", "a"), ("ee", "e"), ("oo", "o"), ("ow", "o"), ("uw", "u"), ("w", "u"))


_CLAUSE_BREAK = re.compile(r"[,;.?!:\n]+")
_SLASH = re.compile(r"(?<!\S)/(?=[^\W\d_])")  # where a "/command" starts, at the start or after a space
# The slash as voice typing writes it: "gạch chéo kết nạp", "sẹc nguồn".
_SPOKEN_SLASH = re.compile(r"(?i)(?<!\w)(?:gạch chéo|gach cheo|sẹc)\s+(?=[^\W\d_])")


def _untelex(word: str) -> str:
    """Undo Telex keystrokes typed without an input method: "ddangr" -> "dang"."""
    out = _TELEX_TONE.sub("", word)
    for keys, letter in _TELEX_VOWELS:
        out = out.replace(keys, letter)
    return out


class KnowledgeBase:
    """The loaded, indexed knowledge base. Build it once at start and share it."""

    def __init__(
        self,
        entries: Sequence[Entry],
        contact: str = texts.KB_DEFAULT_CONTACT,
        *,
        settings: SearchSettings | None = None,
        path: str = "",
        command_roles: Mapping[str, frozenset[str] | None] | None = None,
        examples: Sequence[Example] = (),
        cache_dir: str | Path | None = None,
    ) -> None:
        """``command_roles``: the roles that may use each chat command (None: anyone), as the
        handlers declare them; an entry tagged with a command then gives way to a close entry for
        an asker whose role cannot use that command (``role_mismatch``). ``examples``: labelled
        user questions, which train the classifier (none: the search alone answers).
        ``cache_dir``: where the fitted classifier is kept between starts (None: fitted each time)."""
        if not entries:
            raise KnowledgeBaseError(texts.KB_ERR_NO_ENTRIES)
        self.contact = contact
        # Answers may name whom to ask as "{contact}" (CHIBOT_KB_CONTACT). The index reads the
        # templates without it, so that the deployment's contact never changes what is found; build
        # another knowledge base from ``templates``, not from ``entries`` (which name the contact).
        self.templates: tuple[Entry, ...] = tuple(entries)
        self.entries: tuple[Entry, ...] = tuple(self._with_contact(entry) for entry in entries)
        self.settings = settings or SearchSettings()
        self.path = path
        self._by_id = {entry.id: entry for entry in self.entries}
        self._by_index = {entry.id: index for index, entry in enumerate(self.entries)}
        self.command_roles = dict(command_roles or {})
        self._entry_roles = tuple(_roles_of(entry, self.command_roles) for entry in self.entries)
        self._read_cache: dict[str, tuple[str, ...]] = {}
        self._build_index()
        self.examples = tuple(examples)
        self._classifier: EntryClassifier | None = None
        if self.examples and self.settings.classifier:
            labelled = [(text, entry.id) for entry in self.entries for text in (*entry.questions, *entry.tags)]
            labelled += [(example.question, example.expect or OUT) for example in self.examples]
            if len({label for _, label in labelled}) > 1:  # one class has nothing to tell apart
                self._classifier = fit_or_load(labelled, self.query_words, c=self.settings.classifier_c,
                                               reader=self._reader_fingerprint(),
                                               cache_dir=Path(cache_dir) if cache_dir is not None else None)

    # --- construction -----------------------------------------------------------------------

    def _reader_fingerprint(self) -> str:
        """What ``query_words`` reads a text by: the entries (their words correct typos), the
        settings, and the code that reads (this package and domain.text). A cached classifier
        fitted under another fingerprint is fitted again."""
        digest = hashlib.sha256(repr((self.templates, self.settings)).encode())
        for module in sorted(Path(__file__).parent.glob("*.py")) + [Path(domain_text.__file__)]:
            digest.update(module.read_bytes())
        return digest.hexdigest()

    def _with_contact(self, entry: Entry) -> Entry:
        if "{contact}" not in entry.answer and not any("{contact}" in text for _, text in entry.role_answers):
            return entry
        return dataclasses.replace(
            entry,
            answer=entry.answer.replace("{contact}", self.contact),
            role_answers=tuple((role, text.replace("{contact}", self.contact)) for role, text in entry.role_answers),
        )

    @classmethod
    def load(
        cls,
        path: str | Path | None = None,
        contact: str = texts.KB_DEFAULT_CONTACT,
        *,
        settings: SearchSettings | None = None,
        command_roles: Mapping[str, frozenset[str] | None] | None = None,
        cache_dir: str | Path | None = None,
    ) -> KnowledgeBase:
        """Load, validate and index a knowledge-base file (None: the packaged default).

        Raises KnowledgeBaseError with one Vietnamese line per problem.
        """
        loaded = load_file(path)
        return cls(loaded.entries, contact, settings=settings, path=loaded.path, command_roles=command_roles,
                   examples=loaded.examples, cache_dir=cache_dir)

    def _build_index(self) -> None:
        s = self.settings
        phrase_docs: list[list[str]] = []
        self._phrase_entry: list[int] = []
        answer_docs: list[list[str]] = []
        tag_docs: list[list[str]] = []
        pooled_docs: list[list[str]] = []
        self._entry_words: list[frozenset[str]] = []
        self._phrasing_words: list[frozenset[str]] = []
        self._entry_markers: list[frozenset[str]] = []
        self._about_chibot: list[bool] = []
        self._entry_pairs: list[frozenset[str]] = []
        word_counts: Counter[str] = Counter()
        pair_counts: Counter[tuple[str, str]] = Counter()  # adjacent words as written in the documents
        sequences: list[tuple[int, list[str]]] = []  # (entry, content words of a phrasing, answer or tag)
        ngram_docs: list[tuple[int, list[str]]] = []  # (entry, content words of a phrasing or tag)
        # The answers as written, without the deployment's contact.
        indexed = [dataclasses.replace(t, answer=t.answer.replace("{contact}", "")) for t in self.templates]
        self._capitalised = frozenset(  # the names the knowledge base itself writes ("Đảng", "Zalo", "Nhà nước")
            name
            for entry in indexed
            for text in (*entry.questions, entry.answer, entry.source, *entry.tags)
            for name in analysis.proper_names(text)
        )
        for index, entry in enumerate(indexed):
            covered: set[str] = set()
            pooled: list[str] = []
            asked: set[str] = set()

            def read(text: str, index: int = index, covered: set[str] = covered) -> list[str]:
                """Count the text's words and note its content words for this entry."""
                raw_words = analysis.words(text)
                word_counts.update(raw_words)
                pair_counts.update(zip(raw_words, raw_words[1:]))
                content = analysis.drop_filler(raw_words)
                sequences.append((index, [w for w in content if not analysis.is_marker(w)]))
                covered.update(content)
                return content

            for question in entry.questions:
                content = read(question)
                ngram_docs.append((index, content))
                asked.update(content)
                phrase_docs.append(analysis.terms(content))
                pooled.extend(phrase_docs[-1])
                self._phrase_entry.append(index)
            pooled_docs.append(pooled)
            # An entry about the rules may end with a pointer to Chibot ("Chibot nhắc hạn này; ghi kết
            # quả bằng /chinhthuc"): shown to the user, not searched, so that a question about the
            # command finds the command's own entry.
            about_chibot = any(analysis.mentions_chibot(text) for text in (*entry.questions, *entry.tags))
            self._about_chibot.append(about_chibot)
            answer_text = entry.answer if about_chibot else analysis.split_cross_references(entry.answer)[0]
            answer_doc: list[str] = []
            for text in (answer_text, entry.source):
                answer_doc.extend(analysis.terms(read(text)))
            answer_docs.append(answer_doc)
            tag_doc: list[str] = []
            for tag in entry.tags:  # each tag is a keyword of its own: no pairs across tags
                content = read(tag)
                ngram_docs.append((index, content))
                asked.update(content)
                tag_doc.extend(analysis.terms(content))
            tag_docs.append(tag_doc)
            self._entry_words.append(frozenset(covered))
            self._phrasing_words.append(frozenset(w for w in asked if not analysis.is_marker(w)))
            self._entry_markers.append(frozenset(w for w in asked if analysis.is_marker(w)))
            self._entry_pairs.append(
                frozenset(t for doc in (pooled, answer_doc, tag_doc) for t in doc if "_" in t and not analysis.is_marker(t))
            )
        self._phrases = _BM25(phrase_docs, s.k1, s.b)
        self._ngrams = NgramIndex(ngram_docs) if s.veto_similarity else None
        self._answers = _BM25(answer_docs, s.k1, s.b)
        self._tags = _BM25(tag_docs, s.k1, s.b)
        self._pooled = _BM25(pooled_docs, s.k1, s.b)
        # Entry-level fields scored besides the best phrasing, with their weights.
        self._fields = tuple(
            (weight, index)
            for weight, index in (
                (s.answer_weight, self._answers),
                (s.tag_weight, self._tags),
                (s.pooled_weight, self._pooled),
            )
            if weight
        )
        # Words a question may contain without being a typo: document words and question filler.
        self._known_words = (
            set(word_counts)
            | analysis.STOPWORDS
            | {w for p in analysis.STOP_PHRASES for w in p}
            | {w for p in analysis.QUESTION_MARKERS for w in p}
            | {w for p in analysis.SYNONYMS for w in p}
        )
        # Coverage weights: idf of a word over entries (an entry is its phrasings, answer and tags);
        # a word no entry uses weighs as much as the rarest word, times unknown_weight.
        entry_count = len(self.entries)
        entry_df: Counter[str] = Counter()
        for words_of_entry in self._entry_words:
            entry_df.update(w for w in words_of_entry if not analysis.is_marker(w))
        self._word_idf = {
            word: math.log(1.0 + (entry_count - df + 0.5) / (df + 0.5)) for word, df in entry_df.items()
        }
        self._unknown_idf = math.log(1.0 + (entry_count + 0.5) / 0.5) * s.unknown_weight
        self._bound, self._entry_bound = self._bound_words(sequences)
        self._word_counts = word_counts
        by_letter: dict[str, list[str]] = defaultdict(list)
        for word in word_counts:
            if word.isalpha() and len(word) >= 2:
                by_letter[word[0]].append(word)
        self._by_letter = dict(by_letter)
        self._unknown_weight = (
            self._phrases.max_idf + sum(weight * index.max_idf for weight, index in self._fields)
        ) * (s.k1 + 1.0)
        self._corrections: dict[str, tuple[str, ...]] = {}
        self._pair_counts = pair_counts
        self._pair_corrections: dict[tuple[str, str, str], str] = {}
        self._filler_words = (
            analysis.STOPWORDS
            | {w for p in analysis.STOP_PHRASES for w in p}
            | {w for p in analysis.QUESTION_MARKERS for w in p}
        )

    def _bound_words(
        self, sequences: list[tuple[int, list[str]]]
    ) -> tuple[frozenset[str], tuple[frozenset[str], ...]]:
        """Syllables used only inside one compound word: in the whole knowledge base, and per entry.

        Folded Vietnamese syllables are ambiguous ("sàng lọc" and "sang tỉnh khác" both give
        "sang"); a syllable an entry (or the whole knowledge base) uses almost only in one compound,
        like "sang" in "sang_loc", only counts as covered when the question has it in a compound
        the entry also has.
        """
        share = self.settings.bound_share
        occurrences: dict[int, Counter[str]] = defaultdict(Counter)  # -1: the whole knowledge base
        compounds: dict[int, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
        for index, seq in sequences:
            for i, word in enumerate(seq):
                if not word.isalpha():
                    continue  # numbers are not compound syllables, nor partners ("12 tháng")
                found = []
                if i and seq[i - 1].isalpha():
                    found.append(f"{seq[i - 1]}_{word}")
                if i + 1 < len(seq) and seq[i + 1].isalpha():
                    found.append(f"{word}_{seq[i + 1]}")
                for scope in (-1, index):
                    occurrences[scope][word] += 1
                    compounds[scope][word].update(found)

        def bound(scope: int, least: int) -> frozenset[str]:
            return frozenset(
                word
                for word, count in occurrences[scope].items()
                if count >= least
                and analysis.is_syllable(word)  # "zalo", "excel" fold onto no other word
                and compounds[scope][word]
                and compounds[scope][word].most_common(1)[0][1] >= share * count
            )

        least = self.settings.entry_bound_min
        per_entry = tuple(bound(index, least) if least else frozenset() for index in range(len(self.entries)))
        return bound(-1, 2), per_entry

    # --- public API ---------------------------------------------------------------------------

    def get(self, entry_id: str, role: str | None = None) -> Entry | None:
        """The entry with this id, its answer as ``role`` reads it."""
        entry = self._by_id.get(entry_id)
        return _for_role(entry, role) if entry is not None else None

    def answer(self, question: str, *, role: str | None = None) -> Answer:
        """The answer to a free-text question, or a refusal naming whom to ask.

        ``role`` ("secretary", "staff", "admin" or None) picks the entry's answer for that role
        where the role changes the answer.
        """
        asked = self._commands_meant(nfc(question))
        searched = self._search_answer(asked, role)
        answer = searched if self._classifier is None else self._classified(searched, role)
        return answer if asked == nfc(question) else dataclasses.replace(answer, question=nfc(question))

    def _commands_meant(self, asked: str) -> str:
        """The question with each mistyped "/command" as the command meant: "/strat", "/dang gia",
        "anh bí thư gõ /ketnapp mà bot không chạy" (from the last, so that earlier places hold), and
        each command said to voice typing ("gạch chéo kết nạp dùng thế nào")."""
        asked = _SPOKEN_SLASH.sub("/", asked)
        for start in reversed([match.start() for match in _SLASH.finditer(asked)]):
            meant = closest_command(asked[start:], self.command_roles)
            if meant is not None:
                asked = asked[:start] + asked[start:].replace(meant[1], "/" + meant[0], 1)
        return asked

    def _search_answer(self, asked: str, role: str | None) -> Answer:
        whole = self._answer_whole(asked, role)
        if whole.found or whole.topic is not None:
            return whole
        long = self.settings.long_question
        if long and sum(not analysis.is_marker(w) for w in self.query_words(asked)) > long:
            relaxed = self._answer_whole(asked, role, relaxed=True)  # its thresholds scaled to its length
            if relaxed.found or relaxed.topic is not None:
                return relaxed
        part = self._answer_by_clause(asked, role) if self.settings.clauses else None
        return whole if part is None else part

    def _classified(self, searched: Answer, role: str | None) -> Answer:
        """The search decides whether to answer, the classifier which entry answers.

        Small talk and refusals by a refusing entry stay as the search gave them. A question the
        search answers is refused when the classifier finds it out of scope or on a refusing entry's
        topic, and answered by the classifier's entry when that scores ``classifier_margin`` more
        than the search's (plus ``classifier_cross_margin`` between a command entry and a rules
        entry); a question the search refused on its thresholds is answered by the
        classifier's entry when that reaches ``classifier_rescue``. A message that opens with a
        greeting or thanks and that the classifier finds to be one ("Xin chào, tôi là bí thư chi bộ
        …") is answered as one, and so is one that opens with a greeting or thanks and asks nothing
        where it would be refused ("xin chào, tôi là đảng viên chi bộ thôn Vĩnh Lợi", "cảm ơn ad, để
        mình họp chi bộ phân công"). An entry the asker's role cannot use never replaces the search's
        answer.
        """
        assert self._classifier is not None
        asked, s = searched.question, self.settings
        if searched.topic is not None or (searched.entry is not None and searched.entry.kind != "answer"):
            return searched
        if not self.query_words(asked):
            return searched  # no word to classify ("???")
        scores = self._classifier.scores(asked)
        label = max(scores, key=scores.__getitem__)
        chosen = self._by_id.get(label)  # None: out of scope
        if searched.found and searched.entry is not None:
            if chosen is None and (talk := analysis.only_small_talk(asked)) is not None:
                return self._small_talk(asked, talk, role)
            if chosen is None:
                offered = (searched.entry, *(e for e in searched.suggestions if e.id != searched.entry.id))
                return Answer(asked, False, texts.KB_NOT_FOUND.format(contact=self.contact), "", searched.score,
                              None, offered[: s.max_suggestions])
            if chosen.kind == "refuse":
                return Answer(asked, False, chosen.answer, "", searched.score, None, (), chosen.id)
            crossing = self._about(chosen) != self._about(searched.entry)
            margin = s.classifier_margin + (s.classifier_cross_margin if crossing else 0.0)
            if not self._may_answer(chosen, asked) or scores[label] < scores[searched.entry.id] + margin:
                return searched
        elif (talk := analysis.only_small_talk(asked)) is not None:
            return self._small_talk(asked, talk, role)
        elif (chosen is None or not self._may_answer(chosen, asked)
              or (chosen.kind == "answer" and scores[label] < s.classifier_rescue)):
            return searched
        if chosen.kind != "answer":  # a greeting that introduces the asker ("Xin chào, tôi là bí thư …")
            return self._small_talk(asked, chosen.kind, role)
        if role is not None and not self._usable(chosen, role):
            return searched
        entry = _for_role(chosen, role)
        others = (*((searched.entry,) if searched.entry is not None else ()), *searched.suggestions)
        close = tuple(_for_role(e, role) for e in dict.fromkeys(others) if e.id != chosen.id)
        return Answer(asked, True, entry.answer, entry.source, searched.score, entry, close[: s.max_close])

    @staticmethod
    def _may_answer(chosen: Entry, asked: str) -> bool:
        """Whether the classifier's entry may answer: an entry that answers, or the greeting or thanks
        entry when the message opens with a greeting or thanks and asks nothing ("cảm ơn, còn đảng
        viên dự bị thì sao" asks a question)."""
        return chosen.kind == "answer" or (chosen.kind in ("greeting", "thanks") and not analysis.is_question(asked)
                                           and analysis.opening_small_talk(asked) == chosen.kind)

    def _answer_by_clause(self, asked: str, role: str | None) -> Answer | None:
        # A situation told first, the question after ("em mới vào cơ quan được 8 tháng, có đủ thời
        # gian để người giới thiệu không"): when the whole is refused, the clauses are tried from
        # the last one back, and the first that is answered answers the question.
        clauses = [c for c in _CLAUSE_BREAK.split(asked) if len(c.split()) >= 2]
        if len(clauses) < 2:
            return None
        context = [hit.entry.id for hit in self.search(asked, limit=3)]
        answered: list[Answer] = []
        for clause in reversed(clauses):
            part = self._answer_whole(clause, role)
            if part.topic is not None:  # a clause on a topic the knowledge base does not cover
                return dataclasses.replace(part, question=asked)
            if part.found and part.entry is not None and part.entry.id in context:
                answered.append(part)  # by an entry the whole question also ranks among its best three
        if not answered:
            return None
        # The clause that asks (it has a question word: "khi nào mới đủ tuổi") before the situation
        # told around it ("con tôi đang học lớp 12"), then as the whole ranks them.
        best = min(answered, key=lambda part: (not self._asks(part.question), context.index(part.entry.id)))
        return dataclasses.replace(best, question=asked)

    def _asks(self, text: str) -> bool:
        """Whether a text has a question word ("khi nào", "bao lâu", "ai"…)."""
        return any(analysis.is_marker(word) for word in self.query_words(text))

    def _answer_whole(self, asked: str, role: str | None, relaxed: bool = False) -> Answer:
        if not has_letters(asked) and not any(ch.isdigit() for ch in asked):  # "4%" is a question
            return Answer(asked, False, texts.KB_NO_LETTERS.format(contact=self.contact), "", 0.0, None, ())
        talk = analysis.small_talk(asked)
        if talk is not None:
            return self._small_talk(asked, talk, role)
        hits = self._for_asker(asked, self.search(asked), role, relaxed)
        s = self.settings
        if relaxed and len(hits) > 1 and hits[0].score < s.long_lead * hits[1].score:
            hits = []  # scaled thresholds answer only a clear leader
        if hits:
            best = hits[0]
            if self._answers_it(asked, best, relaxed):
                entry = best.entry
                if not entry.refuses and s.refuse_margin:
                    close = next((h for h in hits[1:3] if h.entry.refuses and h.score >= s.refuse_margin * best.score
                                  and h.coverage >= max(s.min_coverage, best.coverage) and (h.coverage > best.coverage or best.coverage < 1.0)), None)
                    if close is not None:  # as near a topic the knowledge base does not cover
                        entry = close.entry
                if entry.refuses:  # a neighbouring topic the knowledge base says it does not cover
                    return Answer(asked, False, entry.answer, "", best.score, None, (), entry.id)
                entry = _for_role(entry, role)
                close = tuple(_for_role(other, role) for other in self._close_runners_up(hits))
                return Answer(asked, True, entry.answer, entry.source, best.score, entry, close)
        suggestions = tuple(
            _for_role(hit.entry, role)
            for hit in hits
            if hit.entry.kind == "answer"
            and hit.score >= s.suggest_min_score
            and hit.coverage >= s.suggest_min_coverage
            and hit.pair_matched
        )[: s.max_suggestions]
        score = hits[0].score if hits else 0.0
        return Answer(asked, False, texts.KB_NOT_FOUND.format(contact=self.contact), "", score, None, suggestions)

    def _answers_it(self, question: str, hit: Hit, relaxed: bool = False) -> bool:
        """Whether the entry of ``hit`` may answer the question (the refusal thresholds; ``relaxed``:
        scaled to a long question's length)."""
        s = self.settings
        long = relaxed and s.long_question and hit.words > s.long_question
        scale = s.long_question / hit.words if long else 1.0
        return (
            hit.score >= s.min_score * scale
            and hit.coverage >= s.min_coverage * scale
            and hit.asked_in_phrasing
            and hit.pair_matched
            and not self._vetoed(question, hit)
        )

    def _for_asker(self, question: str, hits: list[Hit], role: str | None, relaxed: bool = False) -> list[Hit]:
        """The hits with the best one put behind a close entry the asker's role can use, when the
        best is about a command that role cannot use (``role_mismatch``: how close)."""
        if role is None or len(hits) < 2 or self._usable(hits[0].entry, role):
            return hits
        floor = self.settings.role_mismatch * hits[0].score
        for other in hits[1:3]:
            if self._usable(other.entry, role) and other.score >= floor and self._answers_it(question, other, relaxed):
                return [other, *(hit for hit in hits if hit is not other)]
        return hits

    def _about(self, entry: Entry) -> bool:
        """Whether an entry is about using Chibot (a command) rather than about the rules."""
        return self._about_chibot[self._by_index[entry.id]]

    def _usable(self, entry: Entry, role: str) -> bool:
        allowed = self._entry_roles[self._by_index[entry.id]]
        return allowed is None or role in allowed

    def _close_runners_up(self, hits: Sequence[Hit]) -> list[Entry]:
        """The entries ranked next to the answering one that scored almost as high."""
        s = self.settings
        if not s.close_share:
            return []
        best = hits[0]
        return [
            hit.entry
            for hit in hits[1:]
            if hit.entry.kind == "answer"
            and hit.score >= s.close_share * best.score
            and hit.score >= s.suggest_min_score
            and hit.coverage >= s.suggest_min_coverage
            and hit.pair_matched
        ][: s.max_close]

    def _vetoed(self, question: str, best: Hit) -> bool:
        """A weak BM25 match that the character n-gram second opinion finds far from every phrasing."""
        s = self.settings
        if self._ngrams is None or best.score >= s.veto_score:
            return False
        index = self._by_index[best.entry.id]
        return self._ngrams.similarity(self.query_words(question), index) < s.veto_similarity

    def _small_talk(self, asked: str, talk: str, role: str | None) -> Answer:
        """A greeting or thanks answered by the knowledge base's entry of that kind; an insult refused."""
        entry = next((e for e in self.entries if e.kind == talk), None)
        if talk == "insult":
            text = entry.answer if entry is not None else texts.KB_SMALL_TALK_INSULT.format(contact=self.contact)
            return Answer(asked, False, text, "", 1.0, None, (), entry.id if entry is not None else None)
        if entry is None:
            text = texts.KB_SMALL_TALK_THANKS if talk == "thanks" else texts.KB_SMALL_TALK_GREETING
            return Answer(asked, False, text, "", 1.0, None, ())
        entry = _for_role(entry, role)
        return Answer(asked, True, entry.answer, entry.source, 1.0, entry, ())

    def search(self, question: str, limit: int = 5) -> list[Hit]:
        """Entries ranked for a question, best first, with normalised score and coverage."""
        content = self.query_words(question)
        if not content:
            return []
        s = self.settings
        query_terms = {
            term: (s.bigram_weight if "_" in term and not analysis.is_marker(term) else s.marker_weight if analysis.is_marker(term) else 1.0)
            for term in analysis.unique(analysis.terms(content))
        }
        k1p = s.k1 + 1.0

        phrase_scores = self._phrases.scores(query_terms)
        raw_scores: dict[int, float] = defaultdict(float)
        for doc, value in phrase_scores.items():
            entry_index = self._phrase_entry[doc]
            if value > raw_scores[entry_index]:
                raw_scores[entry_index] = value
        for weight, index in self._fields:
            for entry_index, value in index.scores(query_terms).items():
                raw_scores[entry_index] += weight * value
        if not raw_scores:
            return []

        # The best score this query could reach.
        bound = 0.0
        for term, term_weight in query_terms.items():
            is_word = "_" not in term and not analysis.is_marker(term)
            reach = self._phrases.idf.get(term, 0.0) + sum(
                weight * index.idf.get(term, 0.0) for weight, index in self._fields
            )
            if reach:
                bound += reach * k1p * term_weight
            elif is_word:  # a word the knowledge base never uses counts against
                bound += self._unknown_weight * (s.unknown_number_weight if term.isdecimal() else 1.0)
        # Each content word's weight for coverage, and the compounds it stands in.
        words = [w for w in content if not analysis.is_marker(w)]
        weights: dict[str, float] = {}
        contexts: dict[str, set[str]] = defaultdict(set)
        for i, word in enumerate(words):
            weight = self._word_idf.get(word)
            if weight is None:
                weight = self._unknown_idf * (s.unknown_number_weight if word.isdecimal() else 1.0)
                if not weight:
                    continue
            if i:
                contexts[word].add(f"{words[i - 1]}_{word}")
            if i + 1 < len(words):
                contexts[word].add(f"{word}_{words[i + 1]}")
            weights[word] = max(weight, weights.get(word, 0.0))
        total_weight = sum(weights.values()) or 1.0
        pairs = [t for t in query_terms if "_" in t and not analysis.is_marker(t)]
        markers = {t for t in query_terms if analysis.is_marker(t)}
        typed = analysis.words(question)
        asks_about_chibot = (
            not analysis.CHIBOT_WORDS.isdisjoint(weights)
            or analysis.asks_about_own_unit(typed)
            or analysis.asks_about_reminders(typed)
            or analysis.asks_where_to_do(typed)
        )
        # Asked to do something ("thêm …", "xem ds …") or what is coming up: only the commands do that.
        asks_about_chibot = (
            asks_about_chibot or analysis.asks_for_action(content) or analysis.asks_for_schedule(typed)
        )

        adjusted: dict[int, float] = {}
        for index, raw in raw_scores.items():
            if asks_about_chibot and not self._about_chibot[index]:
                raw *= s.chibot_mismatch  # asked how to do it with Chibot, the entry is about the rules
            elif not asks_about_chibot and self._about_chibot[index]:
                raw *= s.rules_mismatch  # asked about the rules, the entry is about a command
            if markers and self._entry_markers[index].isdisjoint(markers):
                raw *= s.marker_mismatch  # asked "why", the entry's phrasings answer "who"
            adjusted[index] = raw
        power = s.coverage_power
        candidates = list(adjusted.items())
        if not power and len(candidates) > limit:
            # Ranked by score alone (coverage breaks exact ties): only the best few need coverage.
            candidates.sort(key=lambda item: -item[1])
            cut = candidates[limit - 1][1]
            candidates = [item for item in candidates if item[1] >= cut]
        hits: list[Hit] = []
        for index, raw in candidates:
            coverage = self._coverage(index, weights, contexts) / total_weight
            asked = not self._phrasing_words[index].isdisjoint(weights)
            paired = len(weights) < 2 or not self._entry_pairs[index].isdisjoint(pairs)
            hits.append(Hit(self.entries[index], raw / bound if bound else 0.0, coverage, raw, asked, paired, len(words)))
        hits.sort(key=lambda h: (-(h.score * h.coverage**power), -h.coverage, h.entry.id))
        return hits[:limit]

    def _coverage(self, index: int, weights: dict[str, float], contexts: dict[str, set[str]]) -> float:
        """The idf mass of the question's words that entry ``index`` covers, in context."""
        covered = self._entry_words[index]
        pairs = self._entry_pairs[index]
        bound = self._entry_bound[index]
        mass = 0.0
        for word, weight in weights.items():
            if word not in covered:
                continue
            if (word in self._bound or word in bound) and pairs.isdisjoint(contexts[word]):
                continue  # the entry has this syllable only in a compound the question lacks
            mass += weight
        return mass

    # --- query analysis -----------------------------------------------------------------------

    def query_words(self, question: str) -> list[str]:
        """Content words of a question after abbreviation expansion and typo correction."""
        known = self._read_cache.get(question)
        if known is None:
            if len(self._read_cache) >= 1024:  # one question is read several times while answering it
                self._read_cache.clear()
            known = self._read_cache[question] = tuple(self._read(question))
        return list(known)

    def _read(self, question: str) -> list[str]:
        raw_words = analysis.strip_wrappers(analysis.words(question))
        # Names ("bạn Lan", "Phú Tài", "Sài Gòn": capitalised words the knowledge base never writes
        # capitalised) tell the asker's situation, not the topic.
        names = analysis.proper_names(question) - self._capitalised
        if names:
            raw_words = [word for word in raw_words if word not in names]
        if self.settings.correct_typos:
            corrected: list[str] = []
            for word in raw_words:
                corrected.extend(self._correct(word))
            corrected = self._correct_pairs(corrected)
            if corrected != raw_words:  # a corrected word may complete a synonym: "vao daang" -> "vao dang"
                corrected = analysis.respell(corrected)
            raw_words = corrected
        return analysis.drop_filler(raw_words)

    def _correct(self, word: str) -> tuple[str, ...]:
        if word in self._known_words or len(word) < 3 or not word.isalpha():
            return (word,)
        cached = self._corrections.get(word)
        if cached is not None:
            return cached
        result = self._find_correction(word)
        if len(self._corrections) < 50_000:
            self._corrections[word] = result
        return result

    def _correct_pairs(self, tokens: list[str]) -> list[str]:
        """Real syllables typed with a letter dropped, told by their neighbours: "chi tiu" -> "chi tieu".

        A dropped letter often leaves another real syllable ("tiêu" -> "tiu", "viên" -> "ven", "tiên"
        -> "ten"), which word-level correction must keep. A content word that makes a pair with
        neither neighbour anywhere in the knowledge base, while a known word one letter longer does
        (at least ``pair_min_count`` times), is taken for that word. (Only longer: "nhập một" must
        not become "nạp một".)
        """
        least = self.settings.pair_min_count
        if not least:
            return tokens
        out = list(tokens)
        pairs = self._pair_counts
        for i, word in enumerate(out):
            if not word.isalpha() or len(word) < 2 or word in self._filler_words or word in analysis.NEGATIONS:
                continue  # "chưa kết nạp" is not "chuẩn kết nạp"
            before = out[i - 1] if i else None
            after = out[i + 1] if i + 1 < len(out) else None
            if (before, word) in pairs or (word, after) in pairs or (before is None and after is None):
                continue
            key = (before or "", word, after or "")
            fixed = self._pair_corrections.get(key)
            if fixed is None:
                fixed, best = word, least - 1
                for candidate in self._neighbours(word):
                    if candidate in self._filler_words or len(candidate) != len(word) + 1:
                        continue
                    count = max(pairs.get((before, candidate), 0), pairs.get((candidate, after), 0))
                    if count > best:
                        fixed, best = candidate, count
                if len(self._pair_corrections) < 50_000:
                    self._pair_corrections[key] = fixed
            out[i] = fixed
        return out

    def _neighbours(self, word: str) -> list[str]:
        """Known words one edit away."""
        choices = self._by_letter.get(word[0], ())
        found = process.extract(word, choices, scorer=OSA.distance, score_cutoff=1, limit=None)
        return [item[0] for item in found if item[1] == 1]

    def _find_correction(self, word: str) -> tuple[str, ...]:
        """The known word(s) a typed word most likely stands for, or the word itself.

        Nearly every syllable is one edit away from another, so a well-formed syllable the index
        has never seen ("hôm", "vàng") is a different word, not a typo: it is only completed when
        one letter is missing ("tuyn" -> "tuyen"). Malformed words get Telex decoding, splitting
        of words typed together, and the nearest known word within edit distance 1 (2 when long).
        """
        known = self._known_words
        untelexed = _untelex(word)  # before the shape test: "vieen" looks like a syllable but is Telex
        if untelexed != word and untelexed in known:
            return (untelexed,)
        if analysis.is_syllable(word):
            if len(word) < 4:
                return (word,)
            return self._nearest(word, 1, longer_only=True) or (word,)
        for cut in range(2, len(word) - 1):  # words typed together: "dangvien" -> "dang vien"
            left, right = word[:cut], word[cut:]
            if left in self._word_counts and right in self._word_counts:
                return (left, right)
        return self._nearest(word, 1 if len(word) <= 5 else 2) or (word,)

    def _nearest(self, word: str, limit: int, longer_only: bool = False) -> tuple[str, ...] | None:
        choices = self._by_letter.get(word[0])
        if not choices:
            return None
        found = process.extract(word, choices, scorer=OSA.distance, score_cutoff=limit, limit=None)
        if longer_only:
            found = [item for item in found if len(item[0]) == len(word) + 1]
        if not found:
            return None
        best = min(found, key=lambda item: (item[1], -self._word_counts[item[0]], item[0]))
        return (best[0],)


def _roles_of(entry: Entry, command_roles: Mapping[str, frozenset[str] | None]) -> frozenset[str] | None:
    """The roles an entry answers: those that can use the commands it is tagged with, and those it
    has an answer of their own for ("Lệnh /nguon dành cho bí thư chi bộ…" for staff). None: anyone,
    or no command."""
    named = [command_roles[tag] for tag in entry.tags if tag in command_roles]
    if not named or any(roles is None for roles in named):
        return None
    return frozenset().union(*named, (role for role, _ in entry.role_answers))


def _for_role(entry: Entry, role: str | None) -> Entry:
    """The entry with the answer that ``role`` reads (the entry itself when the role changes nothing)."""
    text = entry.answer_for(role)
    return entry if text == entry.answer else dataclasses.replace(entry, answer=text)
