"""Answering free-text questions from the knowledge base.

Ranking is Okapi BM25 over three indexes built once when the knowledge base is loaded: one
document per phrasing of a question, one per entry with all its phrasings pooled, and one per
entry made of its answer, source and tags. An entry scores its best phrasing plus weighted shares
of the other two. Terms are folded Vietnamese syllables, adjacent-syllable bigrams and question
markers (knowledge.analysis); query words the index has never seen are corrected to the closest
known word (Telex leftovers such as "ddangr", words run together such as "dangvien", and small
typos within an edit distance of 1-2 via rapidfuzz; a well-formed syllable is taken as a real
word, not a typo).

Refusal: the bot answers only when the best entry
- reaches ``min_score`` once its raw score is divided by the best score the query could reach
  (every term matched; words the knowledge base never uses count as rare terms);
- covers ``min_coverage`` of the question's content words, weighted by idf;
- is asked about: a content word of the question occurs in one of its phrasings;
- and, for questions of two or more content words, shares a pair of adjacent words with them
  (Vietnamese words are mostly two syllables: "tỷ giá" is not "tỷ lệ" + "tham gia").
Otherwise it says it does not know, names whom to ask and offers up to three close entries.
The thresholds were chosen on the dev split of benchmarks/faq_eval_set.yaml.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import OSA

from domain import texts
from domain.text import has_letters, nfc
from knowledge import analysis
from knowledge.loader import load_file
from knowledge.model import Answer, Entry, KnowledgeBaseError

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
    answer_weight: float = 0.8  # weight of the answer/source/tags document against the best phrasing
    pooled_weight: float = 0.3  # weight of all phrasings of an entry pooled into one document
    min_score: float = 0.15  # normalised score below which the bot refuses
    min_coverage: float = 0.45  # share of the query's content (idf mass) the entry must cover
    coverage_power: float = 0.0  # ranking multiplies the score by coverage ** coverage_power
    bigram_weight: float = 1.0  # query-side weight of adjacent-syllable bigrams
    marker_weight: float = 1.0  # query-side weight of question markers ("bao lâu", "ai"…)
    suggest_min_score: float = 0.15  # normalised score an entry needs to be offered as a suggestion
    suggest_min_coverage: float = 0.40  # and the share of the question it must cover
    max_suggestions: int = 3
    correct_typos: bool = True


@dataclass(frozen=True)
class Hit:
    """One ranked entry for a question."""

    entry: Entry
    score: float  # normalised to 0..1
    coverage: float  # 0..1
    raw: float
    asked_in_phrasing: bool = True  # a content word of the question occurs in one of the entry's phrasings
    pair_matched: bool = True  # two adjacent words of the question occur together in the entry


class _BM25:
    """Okapi BM25 over a list of tokenised documents, with an inverted index."""

    def __init__(self, docs: Sequence[Sequence[str]], k1: float, b: float) -> None:
        self.k1 = k1
        self.b = b
        self.size = len(docs)
        self.lengths = [len(doc) for doc in docs]
        self.avgdl = (sum(self.lengths) / self.size) if self.size else 0.0
        self.postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for index, doc in enumerate(docs):
            for term, tf in Counter(doc).items():
                self.postings[term].append((index, tf))
        self.idf: dict[str, float] = {
            term: math.log(1.0 + (self.size - len(post) + 0.5) / (len(post) + 0.5))
            for term, post in self.postings.items()
        }
        self.max_idf = max(self.idf.values(), default=0.0)

    def scores(self, query: dict[str, float]) -> dict[int, float]:
        """BM25 score of every matching document for weighted query terms."""
        out: dict[int, float] = defaultdict(float)
        k1, b, avgdl = self.k1, self.b, self.avgdl or 1.0
        for term, weight in query.items():
            post = self.postings.get(term)
            if not post:
                continue
            idf = self.idf[term] * weight
            for index, tf in post:
                norm = k1 * (1.0 - b + b * self.lengths[index] / avgdl)
                out[index] += idf * tf * (k1 + 1.0) / (tf + norm)
        return out


_TELEX_TONE = re.compile(r"(?<=[a-z])[sfrxj]$")
_TELEX_VOWELS = (("dd", "d"), ("aa", "a"), ("aw", "a"), ("ee", "e"), ("oo", "o"), ("ow", "o"), ("uw", "u"), ("w", "u"))


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
    ) -> None:
        if not entries:
            raise KnowledgeBaseError(texts.KB_ERR_NO_ENTRIES)
        self.entries: tuple[Entry, ...] = tuple(entries)
        self.contact = contact
        self.settings = settings or SearchSettings()
        self.path = path
        self._by_id = {entry.id: entry for entry in self.entries}
        self._build_index()

    # --- construction -----------------------------------------------------------------------

    @classmethod
    def load(
        cls,
        path: str | Path | None = None,
        contact: str = texts.KB_DEFAULT_CONTACT,
        *,
        settings: SearchSettings | None = None,
    ) -> KnowledgeBase:
        """Load, validate and index a knowledge-base file (None: the packaged default).

        Raises KnowledgeBaseError with one Vietnamese line per problem.
        """
        loaded = load_file(path)
        return cls(loaded.entries, contact, settings=settings, path=loaded.path)

    def _build_index(self) -> None:
        s = self.settings
        phrase_docs: list[list[str]] = []
        self._phrase_entry: list[int] = []
        answer_docs: list[list[str]] = []
        pooled_docs: list[list[str]] = []
        self._entry_words: list[frozenset[str]] = []
        self._phrasing_words: list[frozenset[str]] = []
        self._entry_pairs: list[frozenset[str]] = []
        word_counts: Counter[str] = Counter()
        for index, entry in enumerate(self.entries):
            covered: set[str] = set()
            pooled: list[str] = []
            asked: set[str] = set()
            for question in entry.questions:
                raw_words = analysis.words(question)
                word_counts.update(raw_words)
                content = analysis.drop_filler(raw_words)
                covered.update(content)
                asked.update(content)
                phrase_docs.append(analysis.terms(content))
                pooled.extend(phrase_docs[-1])
                self._phrase_entry.append(index)
            pooled_docs.append(pooled)
            answer_text = " ".join((entry.answer, entry.source, *entry.tags))
            raw_words = analysis.words(answer_text)
            word_counts.update(raw_words)
            content = analysis.drop_filler(raw_words)
            covered.update(content)
            answer_docs.append(analysis.terms(content))
            self._entry_words.append(frozenset(covered))
            self._phrasing_words.append(frozenset(asked))
            self._entry_pairs.append(
                frozenset(t for doc in (pooled, answer_docs[-1]) for t in doc if "_" in t and not analysis.is_marker(t))
            )
        self._phrases = _BM25(phrase_docs, s.k1, s.b)
        self._answers = _BM25(answer_docs, s.k1, s.b)
        self._pooled = _BM25(pooled_docs, s.k1, s.b)
        # Words a question may contain without being a typo: document words and question filler.
        self._known_words = set(word_counts) | analysis.STOPWORDS | {w for p in analysis.STOP_PHRASES for w in p}
        self._word_counts = word_counts
        by_letter: dict[str, list[str]] = defaultdict(list)
        for word in word_counts:
            if word.isalpha() and len(word) >= 2:
                by_letter[word[0]].append(word)
        self._by_letter = dict(by_letter)
        self._unknown_weight = (
            self._phrases.max_idf + s.answer_weight * self._answers.max_idf + s.pooled_weight * self._pooled.max_idf
        ) * (s.k1 + 1.0)
        self._corrections: dict[str, tuple[str, ...]] = {}

    # --- public API ---------------------------------------------------------------------------

    def get(self, entry_id: str) -> Entry | None:
        return self._by_id.get(entry_id)

    def answer(self, question: str) -> Answer:
        """The answer to a free-text question, or a refusal naming whom to ask."""
        asked = nfc(question)
        if not has_letters(asked):
            return Answer(asked, False, texts.KB_NO_LETTERS.format(contact=self.contact), "", 0.0, None, ())
        hits = self.search(asked)
        s = self.settings
        if hits:
            best = hits[0]
            if (
                best.score >= s.min_score
                and best.coverage >= s.min_coverage
                and best.asked_in_phrasing
                and best.pair_matched
            ):
                entry = best.entry
                return Answer(asked, True, entry.answer, entry.source, best.score, entry, ())
        suggestions = tuple(
            hit.entry
            for hit in hits
            if hit.score >= s.suggest_min_score and hit.coverage >= s.suggest_min_coverage and hit.pair_matched
        )[: s.max_suggestions]
        score = hits[0].score if hits else 0.0
        return Answer(asked, False, texts.KB_NOT_FOUND.format(contact=self.contact), "", score, None, suggestions)

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
        answer_scores = self._answers.scores(query_terms)
        pooled_scores = self._pooled.scores(query_terms) if s.pooled_weight else {}
        best_phrase: dict[int, float] = defaultdict(float)
        for doc, value in phrase_scores.items():
            entry_index = self._phrase_entry[doc]
            if value > best_phrase[entry_index]:
                best_phrase[entry_index] = value
        candidates = set(best_phrase) | set(answer_scores)
        if not candidates:
            return []

        # The best score this query could reach, and each content word's weight for coverage.
        bound = 0.0
        weights: dict[str, float] = {}
        for term, term_weight in query_terms.items():
            is_word = "_" not in term and not analysis.is_marker(term)
            in_phrases = self._phrases.idf.get(term, 0.0)
            in_answers = self._answers.idf.get(term, 0.0)
            in_pooled = self._pooled.idf.get(term, 0.0)
            if in_phrases or in_answers:
                weight = (in_phrases + s.answer_weight * in_answers + s.pooled_weight * in_pooled) * k1p * term_weight
            elif not is_word:
                continue  # an unseen pair of known words (other word order) or question marker
            else:
                weight = self._unknown_weight  # a word the knowledge base never uses counts against
            bound += weight
            if is_word:
                weights[term] = weight
        total_weight = sum(weights.values()) or 1.0
        pairs = [t for t in query_terms if "_" in t and not analysis.is_marker(t)]

        hits: list[Hit] = []
        for index in candidates:
            raw = (
                best_phrase.get(index, 0.0)
                + s.answer_weight * answer_scores.get(index, 0.0)
                + s.pooled_weight * pooled_scores.get(index, 0.0)
            )
            covered = self._entry_words[index]
            coverage = sum(w for term, w in weights.items() if term in covered) / total_weight
            asked = not self._phrasing_words[index].isdisjoint(weights)
            paired = len(weights) < 2 or not self._entry_pairs[index].isdisjoint(pairs)
            hits.append(Hit(self.entries[index], raw / bound if bound else 0.0, coverage, raw, asked, paired))
        power = s.coverage_power
        hits.sort(key=lambda h: (-(h.score * h.coverage**power), -h.coverage, h.entry.id))
        return hits[:limit]

    # --- query analysis -----------------------------------------------------------------------

    def query_words(self, question: str) -> list[str]:
        """Content words of a question after abbreviation expansion and typo correction."""
        raw_words = analysis.words(question)
        if self.settings.correct_typos:
            corrected: list[str] = []
            for word in raw_words:
                corrected.extend(self._correct(word))
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

    def _find_correction(self, word: str) -> tuple[str, ...]:
        """The known word(s) a typed word most likely stands for, or the word itself.

        Nearly every syllable is one edit away from another, so a well-formed syllable the index
        has never seen ("hôm", "vàng") is a different word, not a typo: it is only completed when
        one letter is missing ("tuyn" -> "tuyen"). Malformed words get Telex decoding, splitting
        of words typed together, and the nearest known word within edit distance 1 (2 when long).
        """
        known = self._known_words
        if analysis.is_syllable(word):
            if len(word) < 4:
                return (word,)
            return self._nearest(word, 1, longer_only=True) or (word,)
        untelexed = _untelex(word)
        if untelexed != word and untelexed in known:
            return (untelexed,)
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
