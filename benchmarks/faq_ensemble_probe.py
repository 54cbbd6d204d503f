"""Probe: Chibot's search with a linear classifier trained at start as a second voter (issue 13, round 4).

    .venv/bin/python benchmarks/faq_ensemble_probe.py [--top 10]

The classifier (scikit-learn SGD/logistic regression on character 2-5 char_wb + word 1-2 TF-IDF of
the folded, corrected content words) is trained on every phrasing and tag plus augmentations
made by code (each phrasing with one content word dropped). Two decisions are gridded on the
dev split only:
- rescue: when Chibot refuses without a refusing entry or small talk, answer its best entry if
  the classifier's best class is that entry with probability >= p_rescue and the BM25 score is
  at least s_rescue;
- re-rank: when Chibot answers entry A and the classifier's best class B is among Chibot's top
  three with probability >= p_rerank and B's BM25 score >= r x A's, answer B.
Prints the best dev configurations with aggregate figures on every split (no per-question
output for the held-out splits).
"""
from __future__ import annotations

import argparse
import itertools
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from faq_eval import SPLITS, Outcome, accuracy, load_cases, near_refusal, refusal  # noqa: E402

from domain.text import nfc  # noqa: E402
from knowledge import KnowledgeBase, SearchSettings  # noqa: E402
from knowledge.analysis import small_talk  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--top", type=int, default=10)
    parser.add_argument("--model", default="logreg", choices=("logreg", "sgd"))
    args = parser.parse_args()
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression, SGDClassifier
    from sklearn.pipeline import make_pipeline, make_union

    cases = load_cases()
    kb = KnowledgeBase.load(settings=SearchSettings(classifier=False))  # the search alone, as before round 10

    def content(text: str) -> str:
        return " ".join(w for w in kb.query_words(text) if not w.startswith("?"))

    start = time.perf_counter()
    docs, labels = [], []
    for e in kb.entries:
        if e.kind not in ("answer", "refuse"):
            continue
        for t in (*e.questions, *e.tags):
            words = content(t).split()
            if not words:
                continue
            docs.append(" ".join(words)); labels.append(e.id)
            if len(words) >= 3:
                for i in range(len(words)):
                    docs.append(" ".join(words[:i] + words[i + 1:])); labels.append(e.id)
    feats = make_union(TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True),
                       TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True))
    clf = LogisticRegression(C=10.0, max_iter=1000) if args.model == "logreg" else SGDClassifier(loss="log_loss", alpha=1e-5, max_iter=30, tol=None, random_state=0)
    model = make_pipeline(feats, clf).fit(docs, labels)
    print(f"trained on {len(docs)} documents in {time.perf_counter() - start:.2f} s", file=sys.stderr)
    classes = list(model.classes_)

    rows = []
    for c in cases:
        asked = nfc(c.text)
        answer = kb.answer(asked, role=c.role)
        if small_talk(asked) is not None or answer.topic is not None:
            rows.append((c, answer, [], {}))
            continue
        hits = kb.search(asked, limit=3)
        q = content(asked)
        probs = dict(zip(classes, model.predict_proba([q])[0])) if q else {}
        rows.append((c, answer, hits, probs))

    def decide(row, p_rescue, s_rescue, p_rerank, r):  # noqa: ANN001, ANN202
        c, answer, hits, probs = row
        base = answer.entry.id if answer.found and answer.entry else None
        if not hits or not probs:
            return base
        top = max(probs, key=probs.get)
        if base is None:
            h = hits[0]
            if (p_rescue < 1 and h.entry.id == top and probs[top] >= p_rescue and h.score >= s_rescue
                    and not h.entry.refuses):
                return h.entry.id
            return None
        if p_rerank < 1 and top != base and probs[top] >= p_rerank:
            a = next(h for h in hits if h.entry.id == base) if any(h.entry.id == base for h in hits) else hits[0]
            b = next((h for h in hits if h.entry.id == top), None)
            if b is not None and not b.entry.refuses and b.score >= r * a.score:
                return top
        return base

    def figures(split, params):  # noqa: ANN001, ANN202
        outs = [Outcome(r[0], decide(r, *params), (), 0.0, 0.0) for r in rows if r[0].split == split]
        return accuracy(outs), refusal(outs), near_refusal(outs)

    grid = list(itertools.product([1.0, 0.3, 0.4, 0.5, 0.6, 0.7], [0.1, 0.15], [1.0, 0.3, 0.4, 0.5, 0.6, 0.7], [0.5, 0.7, 0.85]))
    scored = []
    for params in grid:
        a, rf, n = figures("dev", params)
        scored.append(((a + rf) / 2, params))
    scored.sort(key=lambda x: (-x[0], x[1]))
    print("p_rescue s_rescue p_rerank r | " + " | ".join(SPLITS) + "   (top-1/refused/near)")
    shown = [(None, (1.0, 0.1, 1.0, 0.5))] + scored[: args.top]
    for value, params in shown:
        cells = []
        for split in SPLITS:
            a, rf, n = figures(split, params)
            cells.append(f"{a:.3f}/{rf:.3f}/{n:.3f}")
        label = "Chibot alone" if value is None else " ".join(f"{p:g}" for p in params)
        print(f"{label:<22} | " + " | ".join(cells))


if __name__ == "__main__":
    main()
