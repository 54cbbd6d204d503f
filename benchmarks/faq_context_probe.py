"""Probe: does reading a message's last clause, or a learned answer/refuse gate, beat Chibot's classifier?

    .venv/bin/python benchmarks/faq_context_probe.py [--variants base,last,last+lastchar,skip,last+skip] [--gate]

Dev split only (5-fold, as benchmarks/faq_eval.py runs it); no held-out question is answered.
Variants of the classifier (knowledge.classifier), each Chibot end to end with that classifier:
- base: the shipped classifier (character 2-5-grams within words and word 1-2-grams);
- last: plus word 1-2-grams of the message's last clause (after the last ".", "?", "!", ";" or line
  break, of two words or more), as their own features: the question of a long, situation-first
  message usually comes last;
- lastchar: plus character 2-5-grams of that clause;
- skip: plus pairs of words one or two words apart ("kết nạp … bao lâu");
- clauses:W:N[:comma] (round 17): a message of N read words or more decided by its whole decision
  plus W times each class's best decision over its clauses (split at . ? ! ; and line breaks, also
  at commas with :comma), over 1 + W; training unchanged.
--gate also fits a gate that decides answer-or-refuse from the search's and the classifier's
figures (score, coverage, the classifier's best, second and out-of-scope values, agreement…),
logistic regression or gradient boosting, trained in an inner 5-fold over the dev questions'
out-of-fold figures, and prints it at several thresholds against Chibot's hand-set decision.
Measured for issue 13, round 16 (none shipped: see docs/faq-search.md).
"""
from __future__ import annotations

import argparse
import dataclasses
import math
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from faq_eval import accuracy, load_cases, near_refusal, refusal, run_chibot_folds  # noqa: E402

import numpy as np  # noqa: E402
from scipy import sparse  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.svm import LinearSVC  # noqa: E402

import knowledge.classifier as classifier_module  # noqa: E402
import knowledge.search as search_module  # noqa: E402
from knowledge import KnowledgeBase  # noqa: E402
from knowledge.classifier import OUT, EntryClassifier  # noqa: E402
from knowledge.cli import declared_command_roles  # noqa: E402

_CLAUSE_END = re.compile(r"[?.!;\n]+")


def _skip_pairs(document: str) -> list[str]:
    words = document.split()
    return [f"{words[i]}~{words[j]}" for i in range(len(words)) for j in range(i + 2, min(len(words), i + 4))]


def variant(extra: frozenset[str]) -> type:
    """A classifier with the shipped features plus those named in ``extra``."""

    class Variant:
        def __init__(self, labelled, read, c: float = 0.5) -> None:  # noqa: ANN001
            self._read = read
            word = dict(analyzer="word", ngram_range=(1, 2), sublinear_tf=True, token_pattern=r"\S+")
            char = dict(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)
            self.parts = [("whole", TfidfVectorizer(**char)), ("whole", TfidfVectorizer(**word))]
            if "last" in extra:
                self.parts.append(("last", TfidfVectorizer(**word)))
            if "lastchar" in extra:
                self.parts.append(("last", TfidfVectorizer(**char)))
            if "skip" in extra:
                self.parts.append(("whole", TfidfVectorizer(analyzer=_skip_pairs, sublinear_tf=True)))
            documents = [self._documents(text) for text, _ in labelled]
            matrix = sparse.hstack([v.fit_transform([d[k] for d in documents]) for k, v in self.parts]).tocsr()
            self.model = LinearSVC(C=c, random_state=0).fit(matrix, [label for _, label in labelled])
            self.classes = tuple(str(label) for label in self.model.classes_)

        def _documents(self, text: str) -> dict[str, str]:
            whole = " ".join(self._read(text)) or "_"
            clauses = [part for part in _CLAUSE_END.split(text) if len(self._read(part)) >= 2]
            return {"whole": whole, "last": " ".join(self._read(clauses[-1])) if clauses else whole}

        def scores(self, question: str) -> dict[str, float]:
            documents = self._documents(question)
            row = sparse.hstack([v.transform([documents[k]]) for k, v in self.parts]).tocsr()
            return dict(zip(self.classes, self.model.decision_function(row)[0].tolist()))

    return Variant


def clause_variant(weight: float, min_words: int, splitter: re.Pattern[str] = _CLAUSE_END) -> type:
    """The shipped classifier, deciding a long message (``min_words`` read words or more) by its
    whole decision plus ``weight`` times, per class, the best decision of one of its clauses (of
    three read words or more), over 1 + ``weight``: the asking clause of a situation-first message
    speaks for itself instead of being diluted by the situation. Training is unchanged."""

    class Clauses(EntryClassifier):
        def decision(self, question: str) -> np.ndarray:
            whole = super().decision(question)
            if len(self._read(question)) < min_words:
                return whole
            parts = [part for part in splitter.split(question) if len(self._read(part)) >= 3]
            if len(parts) < 2:
                return whole
            best = np.max([super(Clauses, self).decision(part) for part in parts], axis=0)
            return (whole + weight * best) / (1 + weight)

    return Clauses


def figures(outcomes) -> str:  # noqa: ANN001
    return f"{accuracy(outcomes):.4f} / {refusal(outcomes):.4f} / {near_refusal(outcomes):.4f}"


def gate_probe(cases) -> None:  # noqa: ANN001
    """Fits an answer/refuse gate on the dev questions' out-of-fold figures and prints it."""
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    recorded: dict[str, tuple[list[float], str | None] | None] = {}
    shipped = search_module.KnowledgeBase._classified

    def recording(self, searched, role):  # noqa: ANN001, ANN202
        result = shipped(self, searched, role)
        asked = searched.question
        if searched.topic is not None or (searched.entry is not None and searched.entry.kind != "answer") \
                or not self.query_words(asked):
            recorded[asked] = None  # small talk or a refusing entry's topic: not the gate's to decide
            return result
        scores = self._classifier.scores(asked)
        (label, first), (_, second) = sorted(scores.items(), key=lambda item: -item[1])[:2]
        hits = self.search(asked, limit=3)
        top = hits[0] if hits else None
        candidate = result.entry.id if result.found and result.entry else None
        if candidate is None:  # what would answer if the gate let it: the classifier's entry, else the search's
            chosen = self._by_id.get(label)
            candidate = label if chosen is not None and chosen.kind == "answer" else (
                top.entry.id if top is not None and top.entry.kind == "answer" else None)
        recorded[asked] = ([
            float(searched.found), searched.score, top.coverage if top else 0.0, top.score if top else 0.0,
            hits[1].score / top.score if len(hits) > 1 and top.score else 0.0,
            float(top.pair_matched) if top else 0.0, float(top.asked_in_phrasing) if top else 0.0,
            math.log1p(top.words if top else 0), first, scores.get(OUT, -1.0), second, first - second,
            float(label == OUT), float(top is not None and label == top.entry.id),
            scores.get(top.entry.id, -1.0) if top else -1.0, scores.get(candidate, -1.0) if candidate else -1.0,
        ], candidate)
        return result

    search_module.KnowledgeBase._classified = recording
    try:
        kb = KnowledgeBase.load(command_roles=declared_command_roles())
        outcomes = run_chibot_folds(kb, cases)
    finally:
        search_module.KnowledgeBase._classified = shipped
    print(f"Chibot's decision: {figures(outcomes)}")
    gated = [(i, recorded[o.case.text]) for i, o in enumerate(outcomes) if recorded.get(o.case.text)]
    x = np.array([features for _, (features, _) in gated])
    y = np.array([outcomes[i].case.expect is not None for i, _ in gated])
    fold = np.arange(len(gated)) % 5
    makers = {
        "logistic regression": lambda: make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000)),
        "gradient boosting": lambda: HistGradientBoostingClassifier(max_iter=200, learning_rate=0.05,
                                                                     max_leaf_nodes=15, random_state=0),
    }
    for name, make in makers.items():
        p = np.zeros(len(gated))
        for k in range(5):
            p[fold == k] = make().fit(x[fold != k], y[fold != k]).predict_proba(x[fold == k])[:, 1]
        for threshold in (0.3, 0.4, 0.5, 0.6, 0.7):
            predicted = [o.predicted for o in outcomes]
            for (i, (_, candidate)), probability in zip(gated, p):
                predicted[i] = candidate if probability >= threshold else None
            changed = [dataclasses.replace(o, predicted=predicted[i]) for i, o in enumerate(outcomes)]
            print(f"gate, {name}, answers at p >= {threshold}: {figures(changed)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variants", default="base,last,last+lastchar,skip,last+skip")
    parser.add_argument("--gate", action="store_true")
    args = parser.parse_args()
    cases = [case for case in load_cases() if case.dev]
    print("dev, 5-fold; top-1 / refused / near misses refused")
    for name in args.variants.split(","):
        start = time.perf_counter()
        # The knowledge base fits through knowledge.classifier.fit_or_load, which names the class there.
        if name.startswith("clauses"):  # clauses:WEIGHT:MIN_WORDS[:comma]
            _, weight, least, *comma = name.split(":")
            splitter = re.compile(r"[?.!;,\n]+") if comma else _CLAUSE_END
            chosen = clause_variant(float(weight), int(least), splitter)
        else:
            chosen = EntryClassifier if name == "base" else variant(frozenset(name.split("+")))
        classifier_module.EntryClassifier = chosen
        try:
            kb = KnowledgeBase.load(command_roles=declared_command_roles())
            outcomes = run_chibot_folds(kb, cases)
        finally:
            classifier_module.EntryClassifier = EntryClassifier
        print(f"{name}: {figures(outcomes)}  ({time.perf_counter() - start:.0f} s)", flush=True)
    if args.gate:
        gate_probe(cases)


if __name__ == "__main__":
    main()
