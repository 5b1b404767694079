"""Words per second of sayso's English pipeline on PolNeAR dev articles.

Usage: python benchmarks/pipeline_speed.py [--pipeline DIR] [--n-articles N]
       [--repeat R] [--batch-size B] [--data ../shared/data]

Runs the whole pipeline (``sayso.load``: the packaged one unless --pipeline)
over the first N article texts with ``nlp.pipe``, in one process and with
``n_process=2``. BLAS and OpenMP are held to one thread, so "one process"
means one core. Words are whitespace-separated words of the texts. Each
setting runs R times after a warm-up and the median is reported; the
``n_process`` timing includes starting the worker processes, as a caller
pays it.
"""

from __future__ import annotations

import os

# One core per process: set before numpy (via spaCy) is imported.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

from spacy.language import Language  # noqa: E402

import sayso  # noqa: E402

DEV_ARTICLES = "polnear/dev.jsonl"
WARMUP_ARTICLES = 3
BATCH_SIZE = 16
PROCESSES = (1, 2)
COLUMNS = ("setting", "articles", "words", "seconds", "words/s", "words/s/process")


def read_texts(path: Path, n: int | None) -> list[str]:
    """The first ``n`` article texts (all if ``n`` is None)."""
    with path.open(encoding="utf8") as f:
        texts = [json.loads(line)["text"] for line in f]
    return texts[:n]


def time_pipe(nlp: Language, texts: list[str], n_process: int, batch_size: int) -> float:
    """Wall-clock seconds to parse all texts."""
    start = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=batch_size, n_process=n_process):
        pass
    return time.perf_counter() - start


def benchmark(
    nlp: Language, texts: list[str], repeat: int, batch_size: int
) -> list[dict[str, float | str]]:
    """One row per setting, with the median time of ``repeat`` runs."""
    time_pipe(nlp, texts[:WARMUP_ARTICLES], 1, batch_size)
    words = sum(len(text.split()) for text in texts)
    rows = []
    for n_process in PROCESSES:
        seconds = statistics.median(
            time_pipe(nlp, texts, n_process, batch_size) for _ in range(repeat)
        )
        rows.append(
            {
                "setting": f"n_process={n_process}",
                "articles": len(texts),
                "words": words,
                "seconds": seconds,
                "words/s": words / seconds,
                "words/s/process": words / seconds / n_process,
            }
        )
    return rows


def format_table(rows: list[dict[str, float | str]]) -> str:
    lines = [f"{COLUMNS[0]:<12}" + "".join(f"{c:>16}" for c in COLUMNS[1:])]
    for row in rows:
        lines.append(
            f"{row['setting']:<12}{row['articles']:>16,}{row['words']:>16,}"
            f"{row['seconds']:>16.2f}{row['words/s']:>16,.0f}{row['words/s/process']:>16,.0f}"
        )
    return "\n".join(lines)


def main() -> None:
    root = Path(__file__).resolve().parent.parent
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pipeline", type=Path, help="a spaCy pipeline directory")
    parser.add_argument("--n-articles", type=int, help="first N dev articles (default: all)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per setting (median kept)")
    parser.add_argument("--batch-size", type=int, default=BATCH_SIZE, help="nlp.pipe batch size")
    parser.add_argument("--data", type=Path, default=root.parent / "shared" / "data")
    args = parser.parse_args()
    try:
        nlp = sayso.load(args.pipeline)
    except sayso.PipelineNotFound as err:
        raise SystemExit(f"{err}\nOr pass --pipeline DIR.") from None
    texts = read_texts(args.data / DEV_ARTICLES, args.n_articles)
    print(
        f"pipeline: {args.pipeline or 'packaged'}; batch_size={args.batch_size}; "
        f"median of {args.repeat} run(s)"
    )
    print(format_table(benchmark(nlp, texts, args.repeat, args.batch_size)))


if __name__ == "__main__":
    main()
