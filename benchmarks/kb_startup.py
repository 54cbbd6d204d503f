"""How long the knowledge base takes to load at start: fitting its classifier, and reading it back
from the cache (CHIBOT_KB_CACHE_DIR), as `chibot run` loads it. Not part of the test run.

    .venv/bin/python benchmarks/kb_startup.py [--rounds 3]

Each round loads the packaged knowledge base once with an empty cache directory (the classifier is
fitted and written) and once more with that directory (it is read back), in this process; it
prints wall-clock seconds per load and checks that both answer every evaluation question alike.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from knowledge import KnowledgeBase  # noqa: E402
from knowledge.cli import declared_command_roles  # noqa: E402


def load(cache: Path) -> tuple[KnowledgeBase, float]:
    started = time.perf_counter()
    kb = KnowledgeBase.load(command_roles=declared_command_roles(), cache_dir=cache)
    return kb, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    questions = [item["q"] for item in yaml.safe_load((ROOT / "benchmarks/faq_eval_heldout.yaml").read_text())["questions"]]
    fitted, cached, differ = [], [], 0
    for _ in range(args.rounds):
        with tempfile.TemporaryDirectory() as directory:
            first, seconds = load(Path(directory))
            fitted.append(seconds)
            again, seconds = load(Path(directory))
            cached.append(seconds)
            size = sum(f.stat().st_size for f in Path(directory).iterdir())
        differ += sum(first.answer(q).to_json() != again.answer(q).to_json() for q in questions)
    print(f"examples {len(first.examples)}, entries {len(first.entries)}, cache file {size / 1e6:.1f} MB")
    print(f"fitted at start: median {statistics.median(fitted):.2f} s (of {', '.join(f'{s:.2f}' for s in fitted)})")
    print(f"read from cache: median {statistics.median(cached):.2f} s (of {', '.join(f'{s:.2f}' for s in cached)})")
    print(f"held-out questions answered differently by the two: {differ} of {len(questions)} x {args.rounds}")


if __name__ == "__main__":
    main()
