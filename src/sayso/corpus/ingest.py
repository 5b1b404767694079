"""Corpus runs: reading -> analysis -> store, streaming, parallel, resumable.

Items are read one at a time and checked against the store first: an id
already stored with the same text is skipped, so running an interrupted
command again (even after ``kill -9``) finishes its work. The others are
grouped in small chunks and analysed by worker processes, each of which loads
the pipeline once; at most ``CHUNKS_PER_WORKER`` chunks a worker are in
flight, so memory stays flat however large the corpus. The calling process is
the store's only writer: each result goes in in its own transaction, in
input order. With one worker, the analysis runs in the calling process.

Read errors, failed analyses and duplicate ids (see :mod:`sayso.corpus.store`)
are recorded as the run's failures; the run goes on.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any

from spacy.language import Language

from sayso import analysis
from sayso.analysis import BATCH_CHARS, analyze_articles, attribution_pipeline
from sayso.corpus.store import FailureKind, Store, text_hash
from sayso.reading import Article, ReadError

# A chunk, the unit of work of a worker: at most this many articles and
# characters (the analysis parses up to BATCH_CHARS at a time anyway).
CHUNK_ARTICLES = 8
CHUNK_CHARS = BATCH_CHARS
# Chunks in flight per worker: one being analysed, one waiting.
CHUNKS_PER_WORKER = 2
# A pool whose workers died this many times in a row, with no chunk done in
# between, is given up: something kills every worker.
MAX_POOL_RESTARTS = 3
# Workers use one thread each for the maths: N workers, N cores.
SINGLE_THREAD_ENV = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
DUPLICATE_MESSAGE = "id already stored with a different text; the first one is kept"

Chunk = list[tuple[Article, str]]


class IngestError(Exception):
    """The run cannot go on (the worker processes cannot run)."""


@dataclass
class IngestCounts:
    """What a run did. ``words``: words of the articles analysed."""

    run_id: int
    stored: int = 0
    skipped: int = 0
    failed: int = 0
    duplicates: int = 0
    words: int = 0
    seconds: float = 0.0

    @property
    def words_per_second(self) -> float:
        return self.words / self.seconds if self.seconds else 0.0


def default_workers() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


def ingest(
    items: Iterable[Article | ReadError],
    store: Store,
    *,
    workers: int = 1,
    command: list[str] | None = None,
    on_item: Callable[[int], None] | None = None,
    nlp: Language | None = None,
    fast: bool = False,
) -> IngestCounts:
    """Analyse ``items`` into ``store`` as one run; returns its counts.

    ``on_item(words)`` is called once per item done (stored, skipped or
    failed), with the words analysed for it, for progress bars. ``nlp``: the
    pipeline for ``workers`` = 1 (default: the shared one, or with ``fast``
    one with a single role tagger); workers load their own, with ``fast`` as
    given.
    """
    counts = IngestCounts(run_id=store.start_run(command or [], workers))
    started = time.perf_counter()

    def done(words: int = 0) -> None:
        counts.words += words
        if on_item is not None:
            on_item(words)

    def fail(item: str, kind: FailureKind, error: str, hash_: str | None = None) -> None:
        if kind == "duplicate":
            counts.duplicates += 1
        else:
            counts.failed += 1
        store.add_failure(counts.run_id, item, kind, error, hash_)

    def to_analyse() -> Iterator[Chunk]:
        chunk: Chunk = []
        size = 0
        for item in items:
            if isinstance(item, ReadError):
                fail(item.id, "read", item.message)
                done()
                continue
            hash_ = text_hash(item.text)
            stored = store.stored_hash(item.id)
            if stored is not None:
                if stored == hash_:
                    counts.skipped += 1
                else:
                    fail(item.id, "duplicate", DUPLICATE_MESSAGE, hash_)
                done()
                continue
            chunk.append((item, hash_))
            size += len(item.text)
            if len(chunk) >= CHUNK_ARTICLES or size >= CHUNK_CHARS:
                yield chunk
                chunk, size = [], 0
        if chunk:
            yield chunk

    analysed = (
        _analyse_here(to_analyse(), nlp, fast)
        if workers <= 1
        else _Workers(workers, fast).map(to_analyse())
    )
    for chunk, results in analysed:
        for i, (article, hash_) in enumerate(chunk):
            words = len(article.text.split())
            if isinstance(results, str):
                fail(article.id, "worker", results, hash_)
            elif results[i]["error"] is not None:
                fail(article.id, "analysis", results[i]["error"], hash_)
            else:
                outcome = store.add(results[i], article, counts.run_id, hash_)
                if outcome == "stored":
                    counts.stored += 1
                elif outcome == "present":  # the same article twice in the input
                    counts.skipped += 1
                else:
                    fail(article.id, "duplicate", DUPLICATE_MESSAGE, hash_)
            done(words)
    counts.seconds = time.perf_counter() - started
    store.finish_run(
        counts.run_id,
        stored=counts.stored,
        skipped=counts.skipped,
        failed=counts.failed,
        duplicates=counts.duplicates,
        words=counts.words,
    )
    return counts


def _analyse_here(
    chunks: Iterable[Chunk], nlp: Language | None, fast: bool
) -> Iterator[tuple[Chunk, list[dict[str, Any]]]]:
    for chunk in chunks:  # the pipeline loaded at the first chunk: a re-run may have none
        nlp = nlp if nlp is not None else analysis._shared_pipeline(fast)
        yield chunk, _analyse(nlp, [article for article, _ in chunk])


def _analyse(nlp: Language, articles: list[Article]) -> list[dict[str, Any]]:
    """The results of ``articles``. The strings their parses add to the
    vocabulary are dropped afterwards (the results hold their own copies),
    so a long run does not grow with every new word it meets."""
    with nlp.memory_zone():
        return list(analyze_articles(articles, nlp=nlp, batch_size=len(articles)))


class _Workers:
    """Worker processes, each with its own pipeline; chunks in, results out in
    the same order. A chunk whose worker died gets a message instead of
    results, and a new pool takes over."""

    def __init__(self, n: int, fast: bool = False) -> None:
        self.n = n
        self.fast = fast
        self.pool: ProcessPoolExecutor | None = None
        self.restarts = 0

    def map(self, chunks: Iterable[Chunk]) -> Iterator[tuple[Chunk, list[dict[str, Any]] | str]]:
        pending: deque[tuple[Chunk, Future]] = deque()
        try:
            for chunk in chunks:
                if self.pool is None:  # started at the first chunk: a re-run may have none
                    self._start()
                pending.append((chunk, self._submit([a for a, _ in chunk])))
                if len(pending) >= self.n * CHUNKS_PER_WORKER:
                    yield self._collect(*pending.popleft())
            while pending:
                yield self._collect(*pending.popleft())
        finally:
            if self.pool is not None:
                self.pool.shutdown(cancel_futures=True)

    def _start(self) -> None:
        for var in SINGLE_THREAD_ENV:
            os.environ.setdefault(var, "1")
        self.pool = ProcessPoolExecutor(
            self.n,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_worker,
            initargs=(os.getpid(), self.fast),
        )
        try:  # every worker up, its pipeline loaded, before the first chunk
            for ready in [self.pool.submit(_ready) for _ in range(self.n)]:
                ready.result()
        except BrokenProcessPool as error:
            raise IngestError(f"the worker processes could not start: {error}") from None

    def _submit(self, articles: list[Article]) -> Future:
        try:
            return self.pool.submit(_analyse_chunk, articles)
        except BrokenProcessPool:
            self.restarts += 1
            if self.restarts > MAX_POOL_RESTARTS:
                raise IngestError(
                    f"worker processes died {self.restarts} times in a row; giving up"
                ) from None
            self.pool.shutdown(cancel_futures=True)
            self._start()
            return self.pool.submit(_analyse_chunk, articles)

    def _collect(self, chunk: Chunk, future: Future) -> tuple[Chunk, list[dict[str, Any]] | str]:
        try:
            results = future.result()
        except BrokenProcessPool:
            return chunk, "a worker process died (out of memory?); run again to retry"
        self.restarts = 0
        return chunk, results


_WORKER_NLP: Language | None = None
# How often a worker checks that the process that started it still runs.
PARENT_CHECK_S = 1.0


def _start_worker(parent: int, fast: bool) -> None:
    global _WORKER_NLP
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()
    _WORKER_NLP = attribution_pipeline(fast=fast)


def _exit_with_parent(parent: int) -> None:
    """End this worker once its parent is gone (killed with ``kill -9``, say):
    nobody would read its results, and it would wait for ever to send them."""
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_S)
    os._exit(1)


def _ready() -> bool:
    return _WORKER_NLP is not None


def _analyse_chunk(articles: list[Article]) -> list[dict[str, Any]]:
    return _analyse(_WORKER_NLP, articles)
