"""Which entry a question is about, learned from labelled questions (issue 13, round 10).

A linear SVM (scikit-learn's LinearSVC) over TF-IDF character 2-5-grams (within words) and word
1-2-grams of the question's folded, corrected words (the search's own ``query_words``), trained
when the knowledge base is loaded on every entry's phrasings and tags and on the knowledge base's
examples: questions real users typed, each labelled with the entry that answers it or as out of
scope (``OUT``). Classifying one question takes about 0.25 ms. Training takes 7-8 s on this
machine's core with round 16's 10,677 labelled texts (reading them 3 s, fitting 4 s), so a fitted
model is kept in a cache directory (``fit_or_load``): a start with the same knowledge base, examples
and code reads it back in about 0.05 s instead.

The search decides whether the bot answers, the classifier which entry answers (see
KnowledgeBase.answer). Measured in round 10 on questions neither had seen (five fresh batches of
561 questions): the search alone 0.781 top-1 / 0.773 refused, the classifier alone 0.850 / 0.758,
the two together 0.845 / 0.807; docs/faq-search.md has the figures.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import tempfile
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import scipy
import sklearn
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC

log = logging.getLogger(__name__)

OUT = "__out__"  # the class of the examples no entry answers
_CACHE_FORMAT = 1  # raise when what a cache file holds changes
_CACHE_KEEP = 4  # fitted models kept in a cache directory


def _vectorizers() -> tuple[TfidfVectorizer, TfidfVectorizer]:
    return (
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True),
        TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True, token_pattern=r"\S+"),
    )


class EntryClassifier:
    """A linear classifier from a question's words to an entry id (or ``OUT``)."""

    def __init__(self, labelled: Sequence[tuple[str, str]], read: Callable[[str], list[str]], c: float = 0.5) -> None:
        """``labelled``: (text, entry id or OUT) pairs; ``read``: the text's words as the search reads them."""
        self._read = read
        vectorizers = _vectorizers()
        documents = [self._document(text) for text, _ in labelled]
        matrix = sparse.hstack([vectorizer.fit_transform(documents) for vectorizer in vectorizers]).tocsr()
        model = LinearSVC(C=c, random_state=0).fit(matrix, [label for _, label in labelled])
        coef, bias = model.coef_, model.intercept_
        if len(model.classes_) == 2:  # a binary model has one row, for the second class
            coef, bias = np.vstack([-coef[0], coef[0]]), np.array([-bias[0], bias[0]])
        self._fitted(
            tuple(str(label) for label in model.classes_),
            [(vectorizer.vocabulary_, vectorizer.idf_) for vectorizer in vectorizers],
            coef.T,
            bias,
        )

    def _fitted(self, classes: tuple[str, ...], parts: Sequence[tuple[dict[str, int], np.ndarray]],
                weights: np.ndarray, bias: np.ndarray) -> None:
        """Keep what deciding needs: each vectorizer's analyzer, vocabulary and idf, the weights."""
        self.classes = classes
        # scikit-learn's transform and decision_function cost about 2.5 ms a question in call overhead;
        # the same arithmetic over the fitted vocabularies and weights costs a tenth of that.
        self._parts = []
        offset = 0
        for vectorizer, (vocabulary, idf) in zip(_vectorizers(), parts):
            self._parts.append((vectorizer.build_analyzer(), vocabulary, idf, offset))
            offset += len(vocabulary)
        self._weights = np.ascontiguousarray(weights)  # features x classes
        self._bias = np.asarray(bias)

    # --- the cache ----------------------------------------------------------------------------

    def save(self, path: Path) -> None:
        """Write the fitted model to ``path`` (NumPy arrays only, no pickle), atomically."""
        arrays: dict[str, np.ndarray] = {
            "classes": np.array(self.classes, dtype=str),
            "weights": self._weights,
            "bias": self._bias,
        }
        for number, (_, vocabulary, idf, _) in enumerate(self._parts):
            terms = sorted(vocabulary, key=vocabulary.__getitem__)
            arrays[f"terms{number}"] = np.array(terms, dtype=str)
            arrays[f"idf{number}"] = idf
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                np.savez(out, **arrays)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    @classmethod
    def restore(cls, path: Path, read: Callable[[str], list[str]]) -> EntryClassifier:
        """A model written by ``save``; raises (OSError, ValueError, KeyError, …) if it cannot be read."""
        with np.load(path, allow_pickle=False) as data:
            parts = []
            for number in range(len(_vectorizers())):
                terms = data[f"terms{number}"].tolist()
                parts.append(({term: index for index, term in enumerate(terms)}, data[f"idf{number}"]))
            weights, bias, classes = data["weights"], data["bias"], tuple(data["classes"].tolist())
        if weights.shape != (sum(len(vocabulary) for vocabulary, _ in parts), len(classes)) or bias.shape != (len(classes),):
            raise ValueError("the cached model's shapes do not agree")
        model = cls.__new__(cls)
        model._read = read
        model._fitted(classes, parts, weights, bias)
        return model

    # --- deciding -----------------------------------------------------------------------------

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


def fit_or_load(labelled: Sequence[tuple[str, str]], read: Callable[[str], list[str]], *, c: float,
                reader: str, cache_dir: Path | None) -> EntryClassifier:
    """The classifier of ``labelled``, read from ``cache_dir`` when a model fitted on the same
    texts, labels, parameters, library versions and ``reader`` (a fingerprint of everything ``read``
    depends on) was kept there; otherwise fitted and kept. A cache that cannot be read or written
    costs a fit and a logged warning, never the start."""
    if cache_dir is None:
        return EntryClassifier(labelled, read, c=c)
    key = hashlib.sha256(
        json.dumps(
            [_CACHE_FORMAT, c, reader, sklearn.__version__, np.__version__, scipy.__version__, list(labelled)],
            ensure_ascii=False,
        ).encode()
    ).hexdigest()[:32]
    path = cache_dir / f"classifier-{key}.npz"
    if path.exists():
        try:
            model = EntryClassifier.restore(path, read)
            log.info("knowledge base classifier read from the cache")
            return model
        except Exception as exc:  # a truncated or foreign file: fit again, and overwrite it
            log.warning("knowledge base classifier cache unreadable, fitting again: %s", type(exc).__name__)
    model = EntryClassifier(labelled, read, c=c)
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        model.save(path)
        # Models of earlier knowledge bases or code: the newest few stay (two deployments may share
        # the directory), the rest go.
        kept = sorted(cache_dir.glob("classifier-*.npz"), key=lambda file: file.stat().st_mtime, reverse=True)
        for old in kept[_CACHE_KEEP:]:
            old.unlink(missing_ok=True)
    except OSError as exc:
        log.warning("knowledge base classifier not cached (%s): %s", cache_dir, exc.strerror or type(exc).__name__)
    return model
