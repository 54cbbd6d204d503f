"""Probe: a second stage that reorders the best few close entries by what tells them apart.

    .venv/bin/python benchmarks/faq_rerank_probe.py [--held-out W,D,F,A,M,P,T,N]

Grids a second stage (RerankedKnowledgeBase below: Chibot's search, then a reordering of its best
few close entries) on the dev split only: a bonus of weight W for the question's terms that one
candidate matches and its rivals do not (depth D, floor F: share of the best score a candidate
needs, answer-text share A), a marker bonus M, phrasing precision power P (T 1: only for generic
questions, where no term tells the candidates apart), character n-gram cosine weight N. Prints dev
top-1 / refused / near misses refused and the dev questions each setting fixes and breaks against
the search alone. --held-out prints, for that one setting and for the second stage off, the
aggregates of every split (no question of a held-out split is ever shown). Measured for issue 13,
round 2 (none shipped: see knowledge.search).
"""
from __future__ import annotations

import argparse
import itertools
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from faq_eval import SPLITS, accuracy, figures, load_cases, near_refusal, refusal, run_chibot  # noqa: E402

import dataclasses  # noqa: E402
from collections import defaultdict  # noqa: E402

from knowledge import KnowledgeBase, analysis  # noqa: E402
from knowledge.search import Hit  # noqa: E402
from knowledge.loader import load_file  # noqa: E402


@dataclasses.dataclass(frozen=True)
class Rerank:
    weight: float = 0.0  # bonus per share of the question only this candidate matches
    depth: int = 3  # how many of the best entries are reordered
    floor: float = 0.6  # a candidate must score this share of the best entry
    answer_share: float = 0.3  # a term found only in the answer text counts this much
    marker: float = 0.0  # bonus when the candidate alone asks the question's kind ("bao lâu")
    precision: float = 0.0  # score times (share of the best phrasing the question contains) ** precision
    ngram: float = 0.0  # score times (1 + ngram x the character n-gram cosine of the nearest phrasing or tag)
    tied: float = 0.0  # 1: precision only when no candidate matches a term its rivals lack (a generic question)


class RerankedKnowledgeBase(KnowledgeBase):
    """Chibot's search with a second stage among the best few close entries."""

    def __init__(self, entries, rerank: Rerank) -> None:  # noqa: ANN001
        self.rerank = rerank
        super().__init__(entries)
        self._phrasing_pairs, self._phrases_of, self._phrase_words = [], defaultdict(list), []
        for index, entry in enumerate(self.entries):
            pairs = set()
            for text in (*entry.questions, *entry.tags):
                content = analysis.drop_filler(analysis.words(text))
                pairs.update(t for t in analysis.terms(content) if "_" in t and not analysis.is_marker(t))
                if text in entry.questions:
                    self._phrases_of[index].append(len(self._phrase_words))
                    self._phrase_words.append(frozenset(w for w in content if not analysis.is_marker(w)))
            self._phrasing_pairs.append(frozenset(pairs))

    def search(self, question: str, limit: int = 5) -> list[Hit]:
        hits = super().search(question, limit=max(limit, self.rerank.depth))
        r = self.rerank
        if not (r.weight or r.precision or r.ngram) or len(hits) < 2:
            return hits[:limit]
        content = self.query_words(question)
        words = [w for w in content if not analysis.is_marker(w)]
        weights = {w: self._word_idf.get(w, self._unknown_idf) for w in words}
        pairs = [f"{a}_{b}" for a, b in zip(words, words[1:])]
        markers = {w for w in content if analysis.is_marker(w)}
        top = hits[0].score
        close = [i for i in range(min(r.depth, len(hits))) if hits[i].score >= r.floor * top]
        if len(close) < 2:
            return hits[:limit]
        indexes = [self._by_index[hits[i].entry.id] for i in close]
        pair_weights = {p: min(weights[a], weights[b]) for p in pairs for a, b in [p.split("_", 1)]}
        terms = {**weights, **pair_weights}
        total = sum(terms.values()) or 1.0

        def level(index: int, term: str) -> float:
            mine, anywhere = (
                (self._phrasing_pairs[index], self._entry_pairs[index]) if "_" in term
                else (self._phrasing_words[index], self._entry_words[index]))
            return 1.0 if term in mine else r.answer_share if term in anywhere else 0.0

        keys = {}
        distincts = {}
        for slot, index in zip(close, indexes):
            distinct = 0.0
            for term, weight in terms.items():
                mine = level(index, term)
                rival = max(level(other, term) for other in indexes if other != index)
                if mine > rival:
                    distinct += weight * (mine - rival)
            bonus = distinct / total
            distincts[slot] = distinct
            if r.marker and markers and not self._entry_markers[index].isdisjoint(markers) and all(
                    self._entry_markers[o].isdisjoint(markers) for o in indexes if o != index):
                bonus += r.marker
            key = hits[slot].score * (1.0 + r.weight * bonus)
            if r.precision:
                shares = [sum(self._word_idf.get(w, 0.0) for w in ws if w in weights) / t
                          for ws in (self._phrase_words[d] for d in self._phrases_of[index])
                          if (t := sum(self._word_idf.get(w, 0.0) for w in ws))]
                key *= max(shares, default=0.0) ** r.precision
            if r.ngram and self._ngrams is not None:
                key *= 1.0 + r.ngram * self._ngrams.similarity(content, index)
            keys[slot] = key
        if r.tied and any(distincts.values()):
            keys = {slot: hits[slot].score * (1.0 + r.weight * distincts[slot] / total) for slot in close}
        order = sorted(close, key=lambda slot: (-keys[slot], slot))
        out = list(hits)
        for slot, chosen in zip(sorted(close), order):
            out[slot] = hits[chosen]
        return out[:limit]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--held-out", help="W,D,F,A,M,P,T,N: report every split's aggregates for this setting")
    parser.add_argument("--weights", default="0,0.5,1,1.5,2,3")
    parser.add_argument("--floors", default="0.5,0.6,0.7,0.8")
    parser.add_argument("--answer-shares", default="0,0.3,0.6")
    parser.add_argument("--markers", default="0,0.1,0.2")
    parser.add_argument("--depths", default="2,3")
    parser.add_argument("--precisions", default="0")
    parser.add_argument("--tied", default="0")
    parser.add_argument("--ngrams", default="0")
    args = parser.parse_args()
    cases = load_cases()
    entries = load_file(None).entries

    def run(setting: tuple[float, ...], subset):  # noqa: ANN001
        w, d, f, a, m, p, t, g = setting
        kb = RerankedKnowledgeBase(entries, Rerank(w, int(d), f, a, m, p, ngram=g, tied=t))
        return run_chibot(kb, subset)

    if args.held_out:
        setting = tuple(float(x) for x in args.held_out.split(","))
        for name, values in (("second stage off", (0, 3, 0.6, 0.3, 0, 0, 0, 0)), (f"second stage {setting}", setting)):
            outcomes = run(values, cases)
            print(name)
            for split in SPLITS:
                part = [o for o in outcomes if o.case.split == split]
                print(f"  {split:<8} {figures(part)}")
        return 0

    dev = [c for c in cases if c.split == "dev"]
    base = {o.case.position: o.predicted == o.case.expect for o in run((0, 3, 0.6, 0.3, 0, 0, 0, 0), dev)}
    rows = []
    grid = itertools.product(
        [float(x) for x in args.weights.split(",")], [int(x) for x in args.depths.split(",")],
        [float(x) for x in args.floors.split(",")], [float(x) for x in args.answer_shares.split(",")],
        [float(x) for x in args.markers.split(",")], [float(x) for x in args.precisions.split(",")],
        [float(x) for x in args.tied.split(",")], [float(x) for x in args.ngrams.split(",")])
    for setting in grid:
        if setting[0] == 0 and setting[5] == 0 and setting[7] == 0:
            continue
        outcomes = run(setting, dev)
        fixed = sum(o.predicted == o.case.expect and not base[o.case.position] for o in outcomes)
        broken = sum(o.predicted != o.case.expect and base[o.case.position] for o in outcomes)
        rows.append((accuracy(outcomes), refusal(outcomes), near_refusal(outcomes), fixed, broken, setting))
    rows.sort(key=lambda r: (-(r[0] + r[1]), -r[0]))
    print("dev: top-1 refused near fixed broken  (weight, depth, floor, answer share, marker, precision, tied, ngram)")
    for row in rows[:40]:
        print(f"  {row[0]:.3f} {row[1]:.3f} {row[2]:.3f} +{row[3]:<3} -{row[4]:<3} {row[5]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
