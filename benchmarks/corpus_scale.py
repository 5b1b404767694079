"""Speed and memory of ``sayso ingest`` on a corpus, in one run on the same text.

Usage: python benchmarks/corpus_scale.py [--speed-articles N]
       [--memory-articles 1000,10000] [--memory-workers W] [--data ../shared/data]
       [--skip-speed] [--skip-memory] [--fast]

The corpus cycles PolNeAR train articles, each copy with a new id, written to
a temporary JSONL file. BLAS and OpenMP are held to one thread a process.

(a) words/s on one core: the bare spaCy parse (``sayso.load`` + ``nlp.pipe``)
    of the first N articles, then ``ingest`` of the same articles with one
    worker (reading, parse, attribution, entities, JSON-ready results, store
    writes), and the ratio ingest / parse (target >= 0.8);
(b) ingest of the same articles with 2 workers: words/s and speed-up over 1
    worker (target >= 1.7), with the workers' start-up (spawning them and
    loading the pipeline, timed apart) and without it;
(c) one ingest of the largest memory size, in a process of its own,
    reporting the peak RSS (VmHWM) of the ingest process and its workers
    after each size (target: the last within 10 % of the first);
(d) from that run: seconds per 1,000 articles (all of it, and writing to the
    store alone) and store size per 1,000 articles.

``--fast``: all of it with one role tagger (``sayso ingest --fast``).
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import sayso  # noqa: E402
from sayso.analysis import attribution_pipeline  # noqa: E402
from sayso.corpus.ingest import _Workers, ingest  # noqa: E402
from sayso.corpus.store import Store  # noqa: E402
from sayso.reading import iter_articles  # noqa: E402

TRAIN_ARTICLES = "polnear/train.jsonl"
BATCH_SIZE = 16
WARMUP_ARTICLES = 3


def write_corpus(train: Path, n: int, path: Path) -> int:
    """The first ``n`` articles of train cycled (copy k of an article gets id
    ``<id>#k``) as JSONL at ``path``; returns their words."""
    words = 0
    with train.open(encoding="utf8") as f:
        records = [json.loads(line) for line in f]
    with path.open("w", encoding="utf8") as out:
        for i in range(n):
            record = records[i % len(records)]
            copy = {key: record[key] for key in ("id", "publisher", "date", "title", "text")}
            copy["id"] = f"{record['id']}#{i // len(records)}"
            out.write(json.dumps(copy, ensure_ascii=False) + "\n")
            words += len(record["text"].split())
    return words


def parse_seconds(texts: list[str]) -> float:
    nlp = sayso.load()
    for _ in nlp.pipe(texts[:WARMUP_ARTICLES]):
        pass
    start = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=BATCH_SIZE):
        pass
    return time.perf_counter() - start


def ingest_seconds(corpus: Path, db: Path, workers: int, nlp=None, fast=False) -> float:
    with Store(db) as store:
        start = time.perf_counter()
        counts = ingest(iter_articles(corpus), store, workers=workers, nlp=nlp, fast=fast)
        seconds = time.perf_counter() - start
    assert counts.failed == 0 and counts.duplicates == 0, counts
    return seconds


def peak_rss_mb(pid: int | None = None) -> float:
    """Peak resident memory (VmHWM) of ``pid`` (default: this process) and
    of all its descendants, in MB, added up (Linux /proc)."""
    pid = pid or os.getpid()
    total = 0.0
    for process in [pid, *_descendants(pid)]:
        try:
            status = Path(f"/proc/{process}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                total += int(line.split()[1]) / 1024
    return total


def _descendants(pid: int) -> Iterator[int]:
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children = (task / "children").read_text().split()
        except OSError:
            continue
        for child in map(int, children):
            yield child
            yield from _descendants(child)


def speed(train: Path, n: int, folder: Path, fast: bool) -> None:
    corpus = folder / "speed.jsonl"
    words = write_corpus(train, n, corpus)
    texts = [a.text for a in iter_articles(corpus)]
    parse_s = parse_seconds(texts)
    nlp = attribution_pipeline(fast=fast)
    one_s = ingest_seconds(corpus, folder / "one.sqlite", 1, nlp, fast)
    two_s = ingest_seconds(corpus, folder / "two.sqlite", 2, fast=fast)
    start = time.perf_counter()
    workers = _Workers(2, fast)
    workers._start()
    workers.pool.shutdown()
    startup_s = time.perf_counter() - start
    print(f"(a) {n:,} articles, {words:,} words, one core{', --fast' if fast else ''}")
    print(f"    bare parse                {words / parse_s:>10,.0f} words/s")
    print(f"    ingest, 1 worker          {words / one_s:>10,.0f} words/s")
    print(f"    ratio ingest / parse      {parse_s / one_s:>10.2f}  (target >= 0.8)")
    print(f"(b) ingest, 2 workers; their start-up takes {startup_s:.1f} s")
    print(f"    words/s                   {words / two_s:>10,.0f}")
    print(f"    speed-up over 1 worker    {one_s / two_s:>10.2f}  (target >= 1.7)")
    steady_s = two_s - startup_s
    print(
        f"    without start-up          {words / steady_s:>10,.0f} words/s, {one_s / steady_s:.2f}x"
    )


def memory(train: Path, sizes: list[int], workers: int, folder: Path, fast: bool) -> None:
    corpus = folder / "memory.jsonl"
    write_corpus(train, max(sizes), corpus)
    db = folder / "memory.sqlite"
    checkpoints = iter(sorted(sizes))
    next_size = next(checkpoints)
    done = 0
    rows = []
    start = time.perf_counter()
    store_s = 0.0
    with Store(db) as store:
        add = store.add

        def timed_add(*args, **kwargs):
            nonlocal store_s
            t = time.perf_counter()
            outcome = add(*args, **kwargs)
            store_s += time.perf_counter() - t
            return outcome

        store.add = timed_add  # type: ignore[method-assign]

        def on_item(_words: int) -> None:
            nonlocal done, next_size
            done += 1
            if done == next_size:
                rows.append((done, peak_rss_mb(), time.perf_counter() - start, store_s))
                next_size = next(checkpoints, None)

        nlp = attribution_pipeline(fast=fast) if workers == 1 else None
        ingest(iter_articles(corpus), store, workers=workers, nlp=nlp, on_item=on_item, fast=fast)
    size_mb = db.stat().st_size / 1e6
    print(f"(c) peak RSS, ingest with {workers} worker(s) (process and workers together)")
    for done_at, rss, _, _ in rows:
        print(f"    after {done_at:>7,} articles   {rss:>8,.0f} MB")
    first, last = rows[0][1], rows[-1][1]
    print(
        f"    growth                    {100 * (last - first) / first:>+7.1f} %  (target <= 10 %)"
    )
    n, _, seconds, writing = rows[-1]
    print(f"(d) per 1,000 articles ({n:,} stored)")
    print(f"    ingest time               {1000 * seconds / n:>8,.1f} s")
    print(f"    of which store writes     {1000 * writing / n:>8,.2f} s")
    print(f"    store size                {1000 * size_mb / n:>8,.1f} MB")


def main() -> None:
    root = Path(__file__).resolve().parent.parent
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--speed-articles", type=int, default=200, help="articles for (a), (b)")
    parser.add_argument(
        "--memory-articles",
        default="1000,10000",
        help="sizes at which (c) reads the peak RSS; the run goes to the largest",
    )
    parser.add_argument("--memory-workers", type=int, default=1, help="workers for (c), (d)")
    parser.add_argument("--data", type=Path, default=root.parent / "shared" / "data")
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--fast", action="store_true", help="one role tagger (ingest --fast)")
    args = parser.parse_args()
    train = args.data / TRAIN_ARTICLES
    sizes = [int(size) for size in args.memory_articles.split(",")]
    with tempfile.TemporaryDirectory(prefix="sayso-bench-") as folder:
        if not args.skip_speed:
            speed(train, args.speed_articles, Path(folder), args.fast)
            if not args.skip_memory:  # a fresh process: its peak RSS is the ingest's alone
                subprocess.run(
                    [sys.executable, __file__, *sys.argv[1:], "--skip-speed"], check=True
                )
        elif not args.skip_memory:
            memory(train, sizes, args.memory_workers, Path(folder), args.fast)


if __name__ == "__main__":
    main()
