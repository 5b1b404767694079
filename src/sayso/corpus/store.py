"""The corpus store: ``sayso/1`` results in SQLite, one transaction an article.

The tables (schema version 1; ``PRAGMA user_version`` holds the version and
:data:`MIGRATIONS` bring an older store up to date when it is opened):

``runs``
    one row per ``sayso ingest`` run: when it started and finished
    (``finished`` NULL: still running, or killed), the sayso version, the
    command, the workers and, once finished, its counts.
``articles``
    one row per article stored: ``id`` (unique), ``text_hash`` (SHA-256 of
    the text), ``date``, ``title``, ``outlet``, ``text``, ``words``,
    ``sourcing`` (the result's sourcing profile, JSON) and the ``run_id``
    that stored it.
``attributions``
    one row per attribution: ``article_pk``, ``n`` (its place in the
    article), ``source_*`` (text, start, end, kind, named, entity: NULL when
    no source), ``cue_*`` (text, start, end, lemma), ``content_text``,
    ``content_spans`` (JSON), ``type``, ``time_*`` (text, start, end, value,
    granularity: NULL when no time) and ``confidence``.
``via``
    the relays of each attribution, nearest first: ``attribution_pk``,
    ``n``, ``text``, ``start``, ``end`` (NULL for the article's outlet),
    ``entity``.
``entities``
    the corpus-wide sources and entities: one row per ``type`` and ``name``
    (compared in lower case), with ``key`` = ``type:name``.
``article_entities``
    the entities of each article as its result has them (``entity``: the
    article's ``e1``, ``e2``, ...; ``name``, ``type``, ``aliases`` and
    ``descriptors`` as JSON), each tied to its corpus-wide ``entity_pk``.
``aliases``
    every mention text of a corpus-wide entity (``alias``, and ``key`` in
    lower case): what makes "all statements by X" alias-aware.
``mentions``
    the mention spans of each article entity.
``captions``
    photo captions and credit lines of each article.
``failures``
    what a run could not store: ``item`` (an article id, or ``path:line``),
    ``kind`` (``read``, ``analysis``, ``duplicate``, ``worker``), ``error``.

Duplicate ids: an id is stored once. The same id with the same text again
(a re-run, or the article twice in the input) is skipped; with a different
text it is not stored, the first stays, and a ``duplicate`` failure records
it. Failed articles are not stored, so a re-run tries them again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from sayso import __version__
from sayso.output import SCHEMA
from sayso.reading import Article

# Seconds a writer waits for another one to finish its transaction.
BUSY_TIMEOUT_S = 60.0

AddOutcome = Literal["stored", "present", "duplicate"]
FailureKind = Literal["read", "analysis", "duplicate", "worker"]

# Migration N (0-based) takes a store from version N to N + 1, in one
# transaction. Statements one by one: ``executescript`` would commit half way.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE runs (
            id INTEGER PRIMARY KEY,
            started TEXT NOT NULL,
            finished TEXT,
            sayso_version TEXT NOT NULL,
            command TEXT NOT NULL,
            workers INTEGER NOT NULL,
            stored INTEGER,
            skipped INTEGER,
            failed INTEGER,
            duplicates INTEGER,
            words INTEGER)""",
        """CREATE TABLE articles (
            pk INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            text_hash TEXT NOT NULL,
            date TEXT,
            title TEXT,
            outlet TEXT,
            text TEXT NOT NULL,
            words INTEGER NOT NULL,
            sourcing TEXT NOT NULL,
            run_id INTEGER NOT NULL REFERENCES runs(id))""",
        "CREATE INDEX articles_by_outlet_date ON articles(outlet, date)",
        """CREATE TABLE entities (
            pk INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            type TEXT NOT NULL)""",
        """CREATE TABLE aliases (
            entity_pk INTEGER NOT NULL REFERENCES entities(pk),
            key TEXT NOT NULL,
            alias TEXT NOT NULL,
            PRIMARY KEY (entity_pk, key)) WITHOUT ROWID""",
        "CREATE INDEX aliases_by_key ON aliases(key)",
        """CREATE TABLE article_entities (
            article_pk INTEGER NOT NULL REFERENCES articles(pk) ON DELETE CASCADE,
            entity TEXT NOT NULL,
            n INTEGER NOT NULL,
            entity_pk INTEGER NOT NULL REFERENCES entities(pk),
            name TEXT NOT NULL,
            type TEXT NOT NULL,
            aliases TEXT NOT NULL,
            descriptors TEXT NOT NULL,
            PRIMARY KEY (article_pk, entity)) WITHOUT ROWID""",
        "CREATE INDEX article_entities_by_entity ON article_entities(entity_pk)",
        """CREATE TABLE mentions (
            article_pk INTEGER NOT NULL REFERENCES articles(pk) ON DELETE CASCADE,
            entity TEXT NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            PRIMARY KEY (article_pk, entity, start)) WITHOUT ROWID""",
        """CREATE TABLE attributions (
            pk INTEGER PRIMARY KEY,
            article_pk INTEGER NOT NULL REFERENCES articles(pk) ON DELETE CASCADE,
            n INTEGER NOT NULL,
            source_text TEXT,
            source_start INTEGER,
            source_end INTEGER,
            source_kind TEXT,
            source_named INTEGER,
            source_entity TEXT,
            cue_text TEXT NOT NULL,
            cue_start INTEGER NOT NULL,
            cue_end INTEGER NOT NULL,
            cue_lemma TEXT NOT NULL,
            content_text TEXT NOT NULL,
            content_spans TEXT NOT NULL,
            type TEXT NOT NULL,
            time_text TEXT,
            time_start INTEGER,
            time_end INTEGER,
            time_value TEXT,
            time_granularity TEXT,
            confidence REAL NOT NULL)""",
        "CREATE INDEX attributions_by_source ON attributions(article_pk, source_entity)",
        """CREATE TABLE via (
            attribution_pk INTEGER NOT NULL REFERENCES attributions(pk) ON DELETE CASCADE,
            n INTEGER NOT NULL,
            text TEXT NOT NULL,
            start INTEGER,
            "end" INTEGER,
            entity TEXT,
            PRIMARY KEY (attribution_pk, n)) WITHOUT ROWID""",
        """CREATE TABLE captions (
            article_pk INTEGER NOT NULL REFERENCES articles(pk) ON DELETE CASCADE,
            n INTEGER NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            credit TEXT NOT NULL,
            text TEXT NOT NULL,
            PRIMARY KEY (article_pk, n)) WITHOUT ROWID""",
        """CREATE TABLE failures (
            pk INTEGER PRIMARY KEY,
            run_id INTEGER NOT NULL REFERENCES runs(id),
            item TEXT NOT NULL,
            kind TEXT NOT NULL,
            error TEXT NOT NULL,
            text_hash TEXT)""",
        "CREATE INDEX failures_by_run ON failures(run_id)",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)


class StoreError(Exception):
    """The file cannot be used as a store: not SQLite, not a sayso store, or
    made by a newer sayso (upgrade sayso to read it)."""


@dataclass(frozen=True)
class Failure:
    run_id: int
    item: str
    kind: FailureKind
    error: str


def text_hash(text: str) -> str:
    """What tells two texts of one id apart: SHA-256 of the UTF-8 text."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def entity_key(type_: str, name: str) -> str:
    """The corpus-wide key of an entity: its type and name in lower case."""
    return f"{type_}:{' '.join(name.casefold().split())}"


def alias_key(alias: str) -> str:
    return " ".join(alias.casefold().split())


class Store:
    """A corpus store at ``path`` (created when missing, unless ``create`` is
    False: then a missing file is FileNotFoundError). Opening brings an older
    schema up to date. WAL journaling: readers never block the writer, and a
    killed writer leaves every article whole or absent."""

    def __init__(self, path: str | Path, *, create: bool = True) -> None:
        self.path = Path(path)
        if not create and not self.path.exists():
            raise FileNotFoundError(f"no such store: {self.path}")
        try:
            self.db = sqlite3.connect(self.path, isolation_level=None, timeout=BUSY_TIMEOUT_S)
        except sqlite3.Error as error:
            raise StoreError(f"{self.path}: cannot open the store ({error})") from None
        try:
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except sqlite3.DatabaseError as error:
            self.db.close()
            raise StoreError(f"{self.path}: cannot use it as a sayso store ({error})") from None
        except BaseException:
            self.db.close()
            raise

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    @property
    def version(self) -> int:
        return self.db.execute("PRAGMA user_version").fetchone()[0]

    def _migrate(self) -> None:
        while self.version < len(MIGRATIONS):
            with self.transaction():
                version = self.version  # another process may have migrated meanwhile
                if version >= len(MIGRATIONS):
                    break
                if version == 0 and self._has_tables():
                    raise StoreError(f"{self.path}: an SQLite file, but not a sayso store")
                for statement in MIGRATIONS[version]:
                    self.db.execute(statement)
                self.db.execute(f"PRAGMA user_version = {version + 1}")
        if self.version > len(MIGRATIONS):
            raise StoreError(
                f"{self.path}: store schema version {self.version} is newer than this"
                f" sayso's ({SCHEMA_VERSION}); upgrade sayso to use it"
            )

    def _has_tables(self) -> bool:
        return self.db.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchone() is not None

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: all of it is stored, or none of it."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # runs and failures

    def start_run(self, command: list[str], workers: int) -> int:
        with self.transaction():
            cursor = self.db.execute(
                "INSERT INTO runs (started, sayso_version, command, workers) VALUES (?, ?, ?, ?)",
                (_now(), __version__, json.dumps(command), workers),
            )
        return cursor.lastrowid

    def finish_run(
        self, run_id: int, *, stored: int, skipped: int, failed: int, duplicates: int, words: int
    ) -> None:
        with self.transaction():
            self.db.execute(
                "UPDATE runs SET finished = ?, stored = ?, skipped = ?, failed = ?,"
                " duplicates = ?, words = ? WHERE id = ?",
                (_now(), stored, skipped, failed, duplicates, words, run_id),
            )

    def add_failure(
        self, run_id: int, item: str, kind: FailureKind, error: str, hash_: str | None = None
    ) -> None:
        with self.transaction():
            self.db.execute(
                "INSERT INTO failures (run_id, item, kind, error, text_hash)"
                " VALUES (?, ?, ?, ?, ?)",
                (run_id, item, kind, error, hash_),
            )

    def failures(self, run_id: int, limit: int | None = None) -> list[Failure]:
        rows = self.db.execute(
            "SELECT run_id, item, kind, error FROM failures WHERE run_id = ? ORDER BY pk LIMIT ?",
            (run_id, -1 if limit is None else limit),
        )
        return [Failure(*row) for row in rows]

    def last_run(self) -> int | None:
        row = self.db.execute("SELECT max(id) FROM runs").fetchone()
        return row[0]

    # articles

    def stored_hash(self, article_id: str) -> str | None:
        """The text hash stored under ``article_id``, or None."""
        row = self.db.execute("SELECT text_hash FROM articles WHERE id = ?", (article_id,))
        found = row.fetchone()
        return found[0] if found else None

    def add(
        self, result: dict[str, Any], article: Article, run_id: int, hash_: str | None = None
    ) -> AddOutcome:
        """Store one article's ``sayso/1`` result (``error`` None) in one
        transaction: ``stored``; ``present`` when the id is stored with the
        same text; ``duplicate`` when it is stored with another text (the
        stored one stays). ``hash_``: ``text_hash(article.text)`` if known."""
        if result["error"] is not None:
            raise ValueError(f"{article.id}: a failed result is a failure, not an article")
        hash_ = hash_ or text_hash(article.text)
        with self.transaction():
            stored = self.stored_hash(article.id)
            if stored is not None:
                return "present" if stored == hash_ else "duplicate"
            self._insert(result, article, hash_, run_id)
        return "stored"

    def _insert(self, result: dict[str, Any], article: Article, hash_: str, run_id: int) -> None:
        db = self.db
        article_pk = db.execute(
            "INSERT INTO articles (id, text_hash, date, title, outlet, text, words, sourcing,"
            " run_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                result["id"],
                hash_,
                result["date"],
                result["title"],
                result["outlet"],
                article.text,
                len(article.text.split()),
                json.dumps(result["sourcing"], ensure_ascii=False),
                run_id,
            ),
        ).lastrowid
        for n, entity in enumerate(result["entities"]):
            entity_pk = self._entity_pk(entity)
            db.execute(
                "INSERT INTO article_entities (article_pk, entity, n, entity_pk, name, type,"
                " aliases, descriptors) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    article_pk,
                    entity["id"],
                    n,
                    entity_pk,
                    entity["name"],
                    entity["type"],
                    json.dumps(entity["aliases"], ensure_ascii=False),
                    json.dumps(entity["descriptors"], ensure_ascii=False),
                ),
            )
            db.executemany(
                'INSERT OR IGNORE INTO mentions (article_pk, entity, start, "end")'
                " VALUES (?, ?, ?, ?)",
                [(article_pk, entity["id"], start, end) for start, end in entity["mentions"]],
            )
        for n, att in enumerate(result["attributions"]):
            source = att["source"] or {}
            span = source.get("span") or (None, None)
            time = att["time"] or {}
            time_span = time.get("span") or (None, None)
            attribution_pk = db.execute(
                "INSERT INTO attributions (article_pk, n, source_text, source_start, source_end,"
                " source_kind, source_named, source_entity, cue_text, cue_start, cue_end,"
                " cue_lemma, content_text, content_spans, type, time_text, time_start, time_end,"
                " time_value, time_granularity, confidence)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    article_pk,
                    n,
                    source.get("text"),
                    span[0],
                    span[1],
                    source.get("kind"),
                    source.get("named"),
                    source.get("entity"),
                    att["cue"]["text"],
                    att["cue"]["span"][0],
                    att["cue"]["span"][1],
                    att["cue"]["lemma"],
                    att["content"]["text"],
                    json.dumps(att["content"]["spans"]),
                    att["type"],
                    time.get("text"),
                    time_span[0],
                    time_span[1],
                    time.get("value"),
                    time.get("granularity"),
                    att["confidence"],
                ),
            ).lastrowid
            db.executemany(
                'INSERT INTO via (attribution_pk, n, text, start, "end", entity)'
                " VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (attribution_pk, i, v["text"], *(v["span"] or (None, None)), v["entity"])
                    for i, v in enumerate(att["via"])
                ],
            )
        db.executemany(
            'INSERT INTO captions (article_pk, n, start, "end", credit, text)'
            " VALUES (?, ?, ?, ?, ?, ?)",
            [
                (article_pk, n, *c["span"], c["credit"], c["text"])
                for n, c in enumerate(result["captions"])
            ],
        )

    def _entity_pk(self, entity: dict[str, Any]) -> int:
        """The corpus-wide entity of an article's entity (made when new), its
        aliases added."""
        key = entity_key(entity["type"], entity["name"])
        row = self.db.execute("SELECT pk FROM entities WHERE key = ?", (key,)).fetchone()
        if row is not None:
            entity_pk = row[0]
        else:
            entity_pk = self.db.execute(
                "INSERT INTO entities (key, name, type) VALUES (?, ?, ?)",
                (key, entity["name"], entity["type"]),
            ).lastrowid
        self.db.executemany(
            "INSERT OR IGNORE INTO aliases (entity_pk, key, alias) VALUES (?, ?, ?)",
            [(entity_pk, alias_key(a), a) for a in [entity["name"], *entity["aliases"]]],
        )
        return entity_pk

    # reading back

    def results(self) -> Iterator[dict[str, Any]]:
        """Every stored article's ``sayso/1`` result, in the order stored:
        what ``sayso analyze`` wrote for it."""
        for pk, article_id, date, title, outlet, sourcing in self.db.execute(
            "SELECT pk, id, date, title, outlet, sourcing FROM articles ORDER BY pk"
        ):
            yield {
                "schema": SCHEMA,
                "id": article_id,
                "date": date,
                "title": title,
                "outlet": outlet,
                "attributions": self._attributions(pk),
                "captions": [
                    {"span": [start, end], "credit": credit, "text": text}
                    for start, end, credit, text in self.db.execute(
                        'SELECT start, "end", credit, text FROM captions WHERE article_pk = ?'
                        " ORDER BY n",
                        (pk,),
                    )
                ],
                "entities": self._entities(pk),
                "sourcing": json.loads(sourcing),
                "error": None,
            }

    def _attributions(self, article_pk: int) -> list[dict[str, Any]]:
        via: dict[int, list[dict[str, Any]]] = {}
        for attribution_pk, text, start, end, entity in self.db.execute(
            'SELECT v.attribution_pk, v.text, v.start, v."end", v.entity FROM via v'
            " JOIN attributions a ON a.pk = v.attribution_pk WHERE a.article_pk = ?"
            " ORDER BY v.attribution_pk, v.n",
            (article_pk,),
        ):
            span = None if start is None else [start, end]
            via.setdefault(attribution_pk, []).append(
                {"text": text, "span": span, "entity": entity}
            )
        attributions = []
        for row in self.db.execute(
            "SELECT pk, source_text, source_start, source_end, source_kind, source_named,"
            " source_entity, cue_text, cue_start, cue_end, cue_lemma, content_text,"
            " content_spans, type, time_text, time_start, time_end, time_value,"
            " time_granularity, confidence FROM attributions WHERE article_pk = ? ORDER BY n",
            (article_pk,),
        ):
            (pk, s_text, s_start, s_end, kind, named, s_entity) = row[:7]
            (c_text, c_start, c_end, lemma, content, spans, type_) = row[7:14]
            (t_text, t_start, t_end, t_value, granularity, confidence) = row[14:]
            attributions.append(
                {
                    "source": None
                    if s_text is None
                    else {
                        "span": [s_start, s_end],
                        "text": s_text,
                        "kind": kind,
                        "named": bool(named),
                        "entity": s_entity,
                    },
                    "cue": {"span": [c_start, c_end], "text": c_text, "lemma": lemma},
                    "content": {"spans": json.loads(spans), "text": content},
                    "type": type_,
                    "time": None
                    if t_text is None
                    else {
                        "text": t_text,
                        "span": [t_start, t_end],
                        "value": t_value,
                        "granularity": granularity,
                    },
                    "confidence": confidence,
                    "via": via.get(pk, []),
                }
            )
        return attributions

    def _entities(self, article_pk: int) -> list[dict[str, Any]]:
        mentions: dict[str, list[list[int]]] = {}
        for entity, start, end in self.db.execute(
            'SELECT entity, start, "end" FROM mentions WHERE article_pk = ? ORDER BY entity, start',
            (article_pk,),
        ):
            mentions.setdefault(entity, []).append([start, end])
        return [
            {
                "id": entity,
                "name": name,
                "type": type_,
                "mentions": mentions.get(entity, []),
                "aliases": json.loads(aliases),
                "descriptors": json.loads(descriptors),
            }
            for entity, name, type_, aliases, descriptors in self.db.execute(
                "SELECT entity, name, type, aliases, descriptors FROM article_entities"
                " WHERE article_pk = ? ORDER BY n",
                (article_pk,),
            )
        ]


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
