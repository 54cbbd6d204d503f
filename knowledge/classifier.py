"""Which entry a question is about, learned from labelled questions (issue 13, round 10).

A linear SVM (scikit-learn's LinearSVC) over TF-IDF character 2-5-grams (within words) and word
1-2-grams of the question's folded, corrected words (the search's own ``query_words``), trained
when the knowledge base is loaded on every entry's phrasings and tags and on the knowledge base's
examples: questions real users typed, each labelled with the entry that answers it or as out of
scope (``OUT``). Training takes about a second; classifying one question about 0.25 ms.

The search decides whether the bot answers, the classifier which entry answers (see
KnowledgeBase.answer). Measured in round 10 on questions neither had seen (five fresh batches of
561 questions): the search alone 0.781 top-1 / 0.773 refused, the classifier alone 0.850 / 0.758,
the two together 0.845 / 0.807; docs/faq-search.md has the figures.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC

OUT = "__out__"  # the class of the examples no entry answers


class EntryClassifier:
    """A linear classifier from a question's words to an entry id (or ``OUT``)."""

    def __init__(self, labelled: Sequence[tuple[str, str]], read: Callable[[str], list[str]], c: float = 0.5) -> None:
        """``labelled``: (text, entry id or OUT) pairs; ``read``: the text's words as the search reads them."""
        self._read = read
        vectorizers = (
            TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True),
            TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True, token_pattern=r"\S+"),
        )
        documents = [self._document(text) for text, _ in labelled]
        matrix = sparse.hstack([vectorizer.fit_transform(documents) for vectorizer in vectorizers]).tocsr()
        model = LinearSVC(C=c, random_state=0).fit(matrix, [label for _, label in labelled])
        self.classes: tuple[str, ...] = tuple(str(label) for label in model.classes_)
        # scikit-learn's transform and decision_function cost about 2.5 ms a question in call overhead;
        # the same arithmetic over the fitted vocabularies and weights costs a tenth of that.
        self._parts = []
        offset = 0
        for vectorizer in vectorizers:
            self._parts.append((vectorizer.build_analyzer(), vectorizer.vocabulary_, vectorizer.idf_, offset))
            offset += len(vectorizer.vocabulary_)
        coef, bias = model.coef_, model.intercept_
        if len(self.classes) == 2:  # a binary model has one row, for the second class
            coef, bias = np.vstack([-coef[0], coef[0]]), np.array([-bias[0], bias[0]])
        self._weights = np.ascontiguousarray(coef.T)  # features x classes
        self._bias = bias

    def _document(self, text: str) -> str:
        return " ".join(self._read(text)) or "_"

    def decision(self, question: str) -> np.ndarray:
        """The decision value of every class for a question (``classes`` order): TF-IDF with
        sublinear term frequency, each vectorizer's part normalised to unit length, as fitted."""
        document = self._document(question)
        columns: list[int] = []
        values: list[float] = []
        for analyze, vocabulary, idf, offset in self._parts:
            counts = Counter(vocabulary[gram] for gram in analyze(document) if gram in vocabulary)
            if not counts:
                continue
            part = [(1.0 + math.log(n)) * idf[i] for i, n in counts.items()]
            norm = math.sqrt(sum(v * v for v in part))
            columns.extend(offset + i for i in counts)
            values.extend(v / norm for v in part)
        if not columns:
            return self._bias.copy()
        return self._bias + np.asarray(values) @ self._weights[columns]

    def scores(self, question: str) -> dict[str, float]:
        """Each class's decision value for a question (above 0: inside the class)."""
        return dict(zip(self.classes, self.decision(question).tolist()))
