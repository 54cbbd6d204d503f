"""Probe: a second stage that reorders the best few close entries by what tells them apart.

    .venv/bin/python benchmarks/faq_rerank_probe.py [--held-out W,D,F,A,M]

Grids knowledge.search.SearchSettings' rerank_* parameters (weight W, depth D, floor F, answer share
A, marker bonus M) on the dev split only and prints dev top-1 / refused / near misses refused, with
the number of dev questions each setting fixes and breaks against the search without the second
stage. --held-out prints, for that one setting and for the second stage off, the aggregates of every
split (no question of a held-out split is ever shown). Measured for issue 13, round 2.
"""
from __future__ import annotations

import argparse
import itertools
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from faq_eval import DEFAULT_SET, SPLITS, accuracy, figures, load_cases, near_refusal, refusal, run_chibot  # noqa: E402

from knowledge import KnowledgeBase, SearchSettings  # noqa: E402
from knowledge.loader import load_file  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--held-out", help="W,D,F,A,M: report every split's aggregates for this setting")
    parser.add_argument("--weights", default="0,0.5,1,1.5,2,3")
    parser.add_argument("--floors", default="0.5,0.6,0.7,0.8")
    parser.add_argument("--answer-shares", default="0,0.3,0.6")
    parser.add_argument("--markers", default="0,0.1,0.2")
    parser.add_argument("--depths", default="2,3")
    args = parser.parse_args()
    cases = load_cases(DEFAULT_SET)
    entries = load_file(None).entries

    def run(setting: tuple[float, ...], subset):  # noqa: ANN001
        w, d, f, a, m = setting
        kb = KnowledgeBase(entries, settings=SearchSettings(
            rerank_weight=w, rerank_depth=int(d), rerank_floor=f, rerank_answer_share=a, rerank_marker=m))
        return run_chibot(kb, subset)

    if args.held_out:
        setting = tuple(float(x) for x in args.held_out.split(","))
        for name, values in (("second stage off", (0, 3, 0.6, 0.3, 0)), (f"second stage {setting}", setting)):
            outcomes = run(values, cases)
            print(name)
            for split in SPLITS:
                part = [o for o in outcomes if o.case.split == split]
                print(f"  {split:<8} {figures(part)}")
        return 0

    dev = [c for c in cases if c.split == "dev"]
    base = {o.case.position: o.predicted == o.case.expect for o in run((0, 3, 0.6, 0.3, 0), dev)}
    rows = []
    grid = itertools.product(
        [float(x) for x in args.weights.split(",")], [int(x) for x in args.depths.split(",")],
        [float(x) for x in args.floors.split(",")], [float(x) for x in args.answer_shares.split(",")],
        [float(x) for x in args.markers.split(",")])
    for setting in grid:
        if setting[0] == 0 and setting[1:] != (2, 0.5, 0.0, 0.0):
            continue
        outcomes = run(setting, dev)
        fixed = sum(o.predicted == o.case.expect and not base[o.case.position] for o in outcomes)
        broken = sum(o.predicted != o.case.expect and base[o.case.position] for o in outcomes)
        rows.append((accuracy(outcomes), refusal(outcomes), near_refusal(outcomes), fixed, broken, setting))
    rows.sort(key=lambda r: (-(r[0] + r[1]), -r[0]))
    print("dev: top-1 refused near fixed broken  (weight, depth, floor, answer share, marker)")
    for row in rows[:40]:
        print(f"  {row[0]:.3f} {row[1]:.3f} {row[2]:.3f} +{row[3]:<3} -{row[4]:<3} {row[5]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
