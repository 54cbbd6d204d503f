"""Probe: Chibot's BM25 search plus a character n-gram TF-IDF second opinion (knowledge.ngrams).

    .venv/bin/python benchmarks/faq_ngram_probe.py [WITH_ANSWERS]

Pure Python, no training: nearest-phrasing cosine over char 2-4-grams, words and word pairs of the
phrasings and tags (and the answer text with WITH_ANSWERS=1). Grids on the dev split only, then prints
dev/test/holdout2 aggregates (top-1/refused/near) of:
- a rescue: answer BM25's best entry although it fails the thresholds when the n-gram model's
  best entry is the same and its cosine is high (never gained an in-scope question; let in out-of-scope ones);
- a re-ranking of BM25's top k by score + w x cosine;
- a veto: refuse when BM25's score < vsc and the cosine < vs (kept: veto_score 0.3, veto_similarity 0.35).
Measured for issue 13. Prints aggregates only.
"""
import sys, time, itertools
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parent.parent)); sys.path.insert(0, str(Path(__file__).resolve().parent))
from faq_eval import load_cases, Outcome, accuracy, refusal, near_refusal
from knowledge import KnowledgeBase, SearchSettings, analysis
from knowledge.ngrams import NgramIndex
from domain.text import nfc
cases = load_cases()
kb = KnowledgeBase.load(settings=SearchSettings(veto_similarity=0.0, classifier=False))  # the search alone
WITH_ANS = int(sys.argv[1]) if len(sys.argv) > 1 else 0
t = time.perf_counter()
docs = []
for i, e in enumerate(kb.entries):
    if e.kind not in ("answer", "refuse"): continue
    for text in (*e.questions, *e.tags):
        docs.append((i, analysis.drop_filler(analysis.words(text))))
    if WITH_ANS:
        docs.append((i, analysis.drop_filler(analysis.words(analysis.split_cross_references(e.answer)[0]))))
idx = NgramIndex(docs)
print("build ms", (time.perf_counter()-t)*1000, file=sys.stderr)
rows = []
qt = []
for c in cases:
    asked = nfc(c.text)
    talk = analysis.small_talk(asked)
    if talk or not any(ch.isalpha() for ch in asked):
        a = kb.answer(asked, role=c.role); rows.append((c, "talk", a.entry.id if a.found and a.entry else None)); continue
    hits = kb.search(asked, limit=5)
    t = time.perf_counter()
    sims = idx.similarities(kb.query_words(asked))
    qt.append(time.perf_counter()-t)
    sims = {kb.entries[k].id: v for k, v in sims.items()}
    rows.append((c, "hits", (hits, sims)))
qt.sort(); print("query p95 ms", qt[int(.95*len(qt))]*1000, file=sys.stderr)
def ok(h, ms, mc):
    return h.score >= ms and h.coverage >= mc and h.asked_in_phrasing and h.pair_matched
def decide(row, p):
    c, kind, val = row
    if kind == "talk": return val
    hits, sims = val
    if not hits: return None
    ms, mc, rs, rms, vs, vsc, mg = p
    best = hits[0]
    top_sim = max(sims.items(), key=lambda kv: kv[1]) if sims else (None, 0)
    # rerank
    if mg < 9 and len(hits) > 1 and top_sim[0] == hits[1].entry.id and top_sim[1] - sims.get(best.entry.id, 0) >= mg and ok(hits[1], ms, mc):
        best = hits[1]
    s = sims.get(best.entry.id, 0.0)
    if ok(best, ms, mc):
        if s < vs and best.score < vsc: return None
        return None if best.entry.refuses else best.entry.id
    # rescue
    if top_sim[0] == best.entry.id and s >= rs and best.score >= rms and best.asked_in_phrasing and not best.entry.refuses:
        return best.entry.id
    return None
def ev(split, p):
    outs = [Outcome(r[0], decide(r, p), (), 0, 0) for r in rows if r[0].split == split]
    return accuracy(outs), refusal(outs), near_refusal(outs)
grid = list(itertools.product([0.15], [0.4], [0.45,0.5,0.55,0.6,0.65,0.7,0.8,2], [0,0.05,0.1], [0,0.1,0.15,0.2,0.25,0.3], [0.2,0.25,0.3,0.4], [0.1,0.2,0.3,9]))
res = []
for p in grid:
    a, r, n = ev("dev", p)
    res.append(((a+r)/2, a, r, n, p))
res.sort(key=lambda x: -x[0])
print("rescue / veto / rerank grid (ms, mc, rescue cosine, rescue min score, veto cosine, veto score, rerank margin), 15 best on dev:")
for x in res[:15]:
    t = ev("test", x[4]); h = ev("holdout2", x[4])
    print(f"dev {x[1]:.3f}/{x[2]:.3f}/{x[3]:.3f}  test {t[0]:.3f}/{t[1]:.3f}/{t[2]:.3f}  h2 {h[0]:.3f}/{h[1]:.3f}/{h[2]:.3f}  {x[4]}")
print("veto only:")
for vs in (0.3, 0.35, 0.4, 0.45):
    for vsc in (0.25, 0.3, 0.4):
        p = (0.15, 0.4, 2, 0, vs, vsc, 9)
        print(p, [f"{a:.3f}/{b:.3f}/{c:.3f}" for a, b, c in (ev(s, p) for s in ("dev", "test", "holdout2"))])
