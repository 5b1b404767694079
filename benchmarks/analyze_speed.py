"""End-to-end speed of ``sayso analyze`` against the bare spaCy parse, in one run.

Usage: python benchmarks/analyze_speed.py [--n-articles N] [--repeat R]

On the same PolNeAR dev texts, on one core: (1) the shipped pipeline alone
(``nlp.pipe``), (2) the whole analysis: reading the articles from JSONL,
pipeline plus attribution component (its two role taggers), building and
serialising the ``sayso/1`` JSON, (3) the same with one role tagger
(``sayso analyze --fast``). Prints words/s of each and the ratios (2)/(1) and
(3)/(1); the target is >= 0.8.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import io  # noqa: E402
import json  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import sayso  # noqa: E402
from sayso.analysis import analyze_articles, attribution_pipeline  # noqa: E402
from sayso.reading import iter_articles  # noqa: E402

DEV_ARTICLES = "polnear/dev.jsonl"
BATCH_SIZE = 16


def time_parse(nlp, texts: list[str]) -> float:
    start = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=BATCH_SIZE):
        pass
    return time.perf_counter() - start


def time_analyze(nlp, corpus: Path) -> float:
    sink = io.StringIO()
    start = time.perf_counter()
    for result in analyze_articles(iter_articles(corpus), nlp=nlp, batch_size=BATCH_SIZE):
        sink.write(json.dumps(result, ensure_ascii=False) + "\n")
    return time.perf_counter() - start


def main() -> None:
    root = Path(__file__).resolve().parent.parent
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-articles", type=int, help="first N dev articles (default: all)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per setting (median kept)")
    parser.add_argument("--data", type=Path, default=root.parent / "shared" / "data")
    args = parser.parse_args()
    lines = (args.data / DEV_ARTICLES).read_text(encoding="utf8").splitlines()[: args.n_articles]
    corpus = Path("/tmp") / f"sayso-bench-{os.getpid()}.jsonl"
    corpus.write_text("\n".join(lines) + "\n", encoding="utf8")
    try:
        texts = [json.loads(line)["text"] for line in lines]
        words = sum(len(t.split()) for t in texts)
        bare, full = sayso.load(), attribution_pipeline()
        fast = attribution_pipeline(fast=True)
        for nlp in (bare, full, fast):
            time_parse(nlp, texts[:3])
        parse_s = statistics.median(time_parse(bare, texts) for _ in range(args.repeat))
        analyze_s = statistics.median(time_analyze(full, corpus) for _ in range(args.repeat))
        fast_s = statistics.median(time_analyze(fast, corpus) for _ in range(args.repeat))
    finally:
        corpus.unlink()
    print(f"{len(texts)} articles, {words:,} words, one core, median of {args.repeat}")
    print(f"bare parse      {words / parse_s:>10,.0f} words/s")
    print(f"sayso analyze   {words / analyze_s:>10,.0f} words/s")
    print(f"  --fast        {words / fast_s:>10,.0f} words/s")
    print(f"ratio           {parse_s / analyze_s:>10.2f}  (target >= 0.8)")
    print(f"  --fast        {parse_s / fast_s:>10.2f}")


if __name__ == "__main__":
    main()
