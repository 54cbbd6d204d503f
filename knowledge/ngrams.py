"""A second opinion for the FAQ search: TF-IDF cosine over character n-grams, built at start.

Every phrasing and tag of an entry is a sparse vector of the character 2-4-grams of its folded,
corrected content words (each word padded with spaces, like scikit-learn's ``char_wb``) plus its
words and adjacent-word pairs; tf is sublinear, idf is over phrasings, vectors are L2-normalised.
An entry's similarity to a question is the cosine of its nearest phrasing. Pure Python over an
inverted index: building takes tens of milliseconds, a query well under a millisecond.

knowledge.search uses it only as a second refusal signal: when BM25's best entry scores low and
its nearest phrasing is also far from the question, the bot refuses. It never picks an entry.
Measured and not kept (benchmarks/faq_ngram_probe.py): rescuing questions BM25 refuses when both
agree, and re-ranking BM25's top three by score + weight x cosine (no gain on dev, losses on test).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence


def features(words: Sequence[str], low: int = 2, high: int = 4) -> Counter[str]:
    """Character n-grams of each word (padded) plus the words and adjacent-word pairs."""
    out: Counter[str] = Counter()
    plain = [w for w in words if not w.startswith("?")]
    for word in plain:
        padded = f" {word} "
        for n in range(low, high + 1):
            for i in range(len(padded) - n + 1):
                out[padded[i : i + n]] += 1
        out["w:" + word] += 1
    for left, right in zip(plain, plain[1:]):
        out[f"p:{left}_{right}"] += 1
    return out


class NgramIndex:
    """Nearest-phrasing cosine per entry over TF-IDF character n-gram vectors."""

    def __init__(self, docs: Sequence[tuple[int, Sequence[str]]]) -> None:
        """``docs``: (entry index, content words) per phrasing or tag."""
        counted = [(owner, features(words)) for owner, words in docs]
        counted = [(owner, feats) for owner, feats in counted if feats]
        df: Counter[str] = Counter()
        for _, feats in counted:
            df.update(feats.keys())
        size = len(counted)
        self.idf = {term: math.log((1.0 + size) / (1.0 + d)) + 1.0 for term, d in df.items()}
        self.top_idf = max(self.idf.values(), default=1.0)
        self.owner: list[int] = []
        self.postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        self.by_entry: dict[int, list[dict[str, float]]] = defaultdict(list)
        for doc, (owner, feats) in enumerate(counted):
            vector = {t: (1.0 + math.log(tf)) * self.idf[t] for t, tf in feats.items()}
            norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
            unit = {term: value / norm for term, value in vector.items()}
            for term, value in unit.items():
                self.postings[term].append((doc, value))
            self.owner.append(owner)
            self.by_entry[owner].append(unit)

    def _query(self, words: Sequence[str]) -> dict[str, float]:
        """The question's unit vector over known n-grams.

        Unknown n-grams still count in the norm (as the rarest n-gram): a question mostly made of
        words the knowledge base never uses is far from every phrasing.
        """
        feats = features(words)
        vector = {t: (1.0 + math.log(tf)) * self.idf[t] for t, tf in feats.items() if t in self.idf}
        unseen = sum((1.0 + math.log(tf)) ** 2 for t, tf in feats.items() if t not in self.idf)
        norm = math.sqrt(sum(v * v for v in vector.values()) + unseen * self.top_idf**2) or 1.0
        return {t: v / norm for t, v in vector.items()}

    def similarity(self, words: Sequence[str], entry: int) -> float:
        """Cosine of entry ``entry``'s nearest phrasing to the question's content words."""
        query = self._query(words)
        best = 0.0
        for unit in self.by_entry.get(entry, ()):
            dot = sum(query[term] * unit[term] for term in query.keys() & unit.keys())
            best = max(best, dot)
        return best

    def similarities(self, words: Sequence[str]) -> dict[int, float]:
        """Entry index -> cosine of its nearest phrasing to the question's content words."""
        dots: dict[int, float] = defaultdict(float)
        for term, value in self._query(words).items():
            for doc, weight in self.postings[term]:
                dots[doc] += value * weight
        best: dict[int, float] = {}
        for doc, sim in dots.items():
            owner = self.owner[doc]
            if sim > best.get(owner, 0.0):
                best[owner] = sim
        return best
