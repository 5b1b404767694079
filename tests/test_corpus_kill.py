"""``kill -9`` in the middle of ``sayso ingest``, then the same command again:
every article stored once, none half-written, the store intact."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from conftest import POLNEAR_DEV

from sayso.analysis import analyze_articles
from sayso.cli import main
from sayso.corpus.store import Store
from sayso.reading import iter_articles

N_ARTICLES = 20
# Seconds to wait for the first articles to be stored (two workers start and
# load the pipeline first).
FIRST_ARTICLES_TIMEOUT_S = 120
POLL_S = 0.05


def _stored(db: Path) -> int:
    """Articles stored so far, read the way a second user would; 0 before
    the store exists."""
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.OperationalError:  # the tables are not made yet
        return 0


def test_kill_9_then_rerun_stores_every_article_once(tmp_path, attribution_nlp):
    lines = POLNEAR_DEV.read_text(encoding="utf8").splitlines()
    corpus = tmp_path / "corpus.jsonl"
    # short articles first, so that some are stored well before the end
    corpus.write_text(
        "\n".join(sorted(lines, key=lambda line: len(json.loads(line)["text"]))[:N_ARTICLES])
        + "\n",
        encoding="utf8",
    )
    db = tmp_path / "corpus.sqlite"
    command = [sys.executable, "-m", "sayso.cli", "ingest", str(corpus), "--db", str(db)]
    command += ["--workers", "2", "--quiet"]
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    run = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, start_new_session=True)
    try:
        deadline = time.monotonic() + FIRST_ARTICLES_TIMEOUT_S
        while _stored(db) == 0 and run.poll() is None and time.monotonic() < deadline:
            time.sleep(POLL_S)
        assert run.poll() is None, "the run ended before it could be killed"
        os.kill(run.pid, signal.SIGKILL)
        assert run.wait(timeout=30) == -signal.SIGKILL
    finally:
        if run.poll() is None:
            run.kill()
        run.stderr.close()
    killed_at = _stored(db)
    assert 0 < killed_at < N_ARTICLES

    finished = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    assert finished.returncode == 0, finished.stderr

    expected = list(analyze_articles(iter_articles(corpus), nlp=attribution_nlp))
    with Store(db, create=False) as store:
        assert store.db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        # every article once, each whole: the same results as one clean analysis
        results = sorted(store.results(), key=lambda r: r["id"])
        assert results == sorted(expected, key=lambda r: r["id"])
        runs = store.db.execute("SELECT finished, skipped, stored FROM runs ORDER BY id")
        (first_finished, _, _), (second_finished, skipped, stored) = runs.fetchall()
        assert first_finished is None and second_finished is not None
        assert (skipped, stored) == (killed_at, N_ARTICLES - killed_at)
    # the workers of the killed run went with it
    leftover = _processes_in_group(run.pid)
    if leftover:
        os.killpg(run.pid, signal.SIGKILL)
    assert not leftover


def _processes_in_group(group: int) -> list[int]:
    """Live processes of the session the killed run led (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        state, process_group = fields[0], int(fields[2])
        if process_group == group and state != "Z":
            found.append(int(entry.name))
    return found


def test_killed_run_is_listed_as_unfinished(tmp_path, capsys):
    """What ``sayso query runs`` shows for a run that never finished."""
    db = tmp_path / "s.sqlite"
    with Store(db) as store:
        store.start_run(["sayso", "ingest", "x.jsonl"], 2)
    assert main(["query", "runs", "--db", str(db), "--format", "json"]) == 0
    [run] = json.loads(capsys.readouterr().out)
    assert run["finished"] is None and run["command"] == "sayso ingest x.jsonl"


def test_a_worker_killed_mid_run_costs_only_its_chunks(tmp_path, attribution_nlp):
    """A worker process that dies (the kernel's OOM killer, say): the articles
    it held are failures of kind ``worker``, a new pool goes on with the
    rest, and the next run stores the failed ones."""
    import multiprocessing

    from sayso.corpus.ingest import CHUNK_ARTICLES, ingest

    # the openings of dev articles: short real texts, a few chunks more than
    # the two workers hold in flight
    n = 6 * CHUNK_ARTICLES
    with POLNEAR_DEV.open(encoding="utf8") as f:
        records = [json.loads(line) for line in f][:n]
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(
        "".join(json.dumps({"id": r["id"], "text": r["text"][:400]}) + "\n" for r in records),
        encoding="utf8",
    )
    killed = []

    def kill_a_worker(_words: int) -> None:
        if not killed:
            worker = multiprocessing.active_children()[0]
            os.kill(worker.pid, signal.SIGKILL)
            killed.append(worker.pid)

    with Store(tmp_path / "s.sqlite") as store:
        first = ingest(iter_articles(corpus), store, workers=2, on_item=kill_a_worker)
        assert killed and first.failed > 0
        assert first.stored + first.failed == n
        assert first.stored > CHUNK_ARTICLES  # the chunks after the death: a new pool
        assert {f.kind for f in store.failures(first.run_id)} == {"worker"}
        second = ingest(iter_articles(corpus), store, nlp=attribution_nlp)
        assert (second.stored, second.skipped, second.failed) == (first.failed, first.stored, 0)
