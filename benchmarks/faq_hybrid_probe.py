"""Probe: Chibot's BM25 ranking plus a classifier's probability as re-ranker / second refusal signal.

    .venv/bin/python benchmarks/faq_hybrid_probe.py WITH_ANSWERS C   # C > 0: logistic regression
                                                                    # C = 0: calibrated linear SVM

Trains the classifier (char 2-4 + word 1-2 n-gram TF-IDF) on the phrasings, tags, answer text and
refusing entries' phrasings; grids BM25 min_score, min_coverage, the classifier weight w (entry
score = BM25 score + w * probability), a combined threshold and a probability gate on the dev
split only, and prints dev/test/holdout2 aggregates (top-1/refused/near) for the 15 best dev
configurations. Measured for issue 13; not kept (no gain on test; training takes seconds).
Needs scikit-learn (not a dependency).
"""
import sys, time, itertools
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parent.parent)); sys.path.insert(0, str(Path(__file__).resolve().parent))
from faq_eval import *
from knowledge import KnowledgeBase, SearchSettings
from knowledge import analysis
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline, make_union
import numpy as np

cases = load_cases()
kw = {}
kb = KnowledgeBase.load(settings=SearchSettings(min_score=0.0, min_coverage=0.0, classifier=False))
def content(text):
    return " ".join(w for w in kb.query_words(text) if not w.startswith("?"))
def train(with_answer=True, C=20.0):
    docs, labels = [], []
    for e in kb.entries:
        if e.kind not in ("answer", "refuse"): continue
        texts = [*e.questions, *e.tags]
        if with_answer:
            texts.append(analysis.split_cross_references(e.answer)[0])
        for t in texts:
            docs.append(content(t)); labels.append(e.id)
    feats = make_union(TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True),
                       TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True))
    t=time.perf_counter()
    from sklearn.svm import LinearSVC
    from sklearn.calibration import CalibratedClassifierCV
    clf = LogisticRegression(C=C, max_iter=2000) if C > 0 else CalibratedClassifierCV(LinearSVC(C=1.0), cv=2)
    m = make_pipeline(feats, clf); m.fit(docs, labels)
    print("train", time.perf_counter()-t, len(docs), file=sys.stderr)
    return m
WA = int(sys.argv[1]) if len(sys.argv)>1 else 1
C = float(sys.argv[2]) if len(sys.argv)>2 else 20
m = train(bool(WA), C); classes = list(m.classes_)
# precompute per case: small talk, hits, probs
from knowledge.analysis import small_talk
rows = []
for c in cases:
    text = c.text
    from domain.text import nfc
    asked = nfc(text)
    talk = small_talk(asked)
    if talk:
        a = kb.answer(asked, role=c.role); rows.append((c, "talk", a.entry.id if a.found and a.entry else None)); continue
    hits = kb.search(asked, limit=8)
    q = content(asked)
    p = dict(zip(classes, m.predict_proba([q])[0])) if q else {}
    rows.append((c, "hits", (hits, p)))

def decide(row, ms, mc, w, thr, pgate):
    c, kind, val = row
    if kind == "talk": return val
    hits, p = val
    if not hits: return None
    def comb(h): return h.score + w * p.get(h.entry.id, 0.0)
    best = max(hits, key=comb)
    ok = best.score >= ms and best.coverage >= mc and best.asked_in_phrasing and best.pair_matched and comb(best) >= thr and p.get(best.entry.id,0) >= pgate
    if not ok or best.entry.refuses: return None
    return best.entry.id

def evaluate(split, params):
    outs = [Outcome(r[0], decide(r, *params), (), 0, 0) for r in rows if r[0].split == split]
    return accuracy(outs), refusal(outs), near_refusal(outs)
grid = itertools.product([0.1,0.15,0.2], [0.3,0.4,0.45], [0,0.25,0.5,1.0,2.0], [0,0.3,0.4,0.5,0.6], [0, 0.05,0.1,0.2])
res = []
for params in grid:
    a, r, n = evaluate("dev", params)
    res.append(((a+r)/2, a, r, n, params))
res.sort(key=lambda x: -x[0])
for x in res[:15]:
    t = evaluate("test", x[4]); h = evaluate("holdout2", x[4])
    print(f"dev {x[1]:.3f}/{x[2]:.3f}/{x[3]:.3f}  test {t[0]:.3f}/{t[1]:.3f}/{t[2]:.3f}  h2 {h[0]:.3f}/{h[1]:.3f}/{h[2]:.3f}  {x[4]}")
