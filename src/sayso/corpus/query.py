"""Questions over a corpus store, each answered as a :class:`Table`.

- :func:`top_sources`: the most-quoted sources, by corpus-wide entity.
- :func:`statements`: all statements by a source, found by any of its
  aliases (spelling variants and near spellings included).
- :func:`unnamed_share`: the share of unnamed sourcing per outlet, month, or
  both.
- :func:`relays`: who relays whom, from the ``via`` chains.
- :func:`quotes`: the same quote carried by several articles.
- :func:`failures` and :func:`runs`: what the ingest runs did.

:func:`render` prints a table as aligned text, CSV or JSON.
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence, Sized
from dataclasses import dataclass
from typing import Any, Literal, TextIO

from rapidfuzz import fuzz, process

from sayso.corpus.store import Store, alias_key

Format = Literal["table", "csv", "json"]
GroupBy = Literal["outlet", "month", "outlet-month"]

# Names at least this similar (rapidfuzz ``fuzz.ratio``, 0-100, on lower-case
# text) to the name asked for count as the same source: "Yoav Galant" ~
# "Yoav Gallant" (96).
NAME_SIMILARITY = 90
# Quotes at least this similar (``fuzz.ratio`` on lower-case words) are one.
QUOTE_SIMILARITY = 90
# Shorter contents are too common to tell a quote carried over from a phrase
# repeated by chance.
QUOTE_MIN_WORDS = 6
# Candidate pairs of quotes share a run of this many words ...
SHINGLE_WORDS = 4
# ... that at most this many distinct quotes contain (more: a stock phrase).
SHINGLE_MAX_QUOTES = 200
QUOTE_TYPES = ("direct", "mixed")
NO_VALUE = "(none)"
# The type of the article's own outlet in a relay chain.
OUTLET = "outlet"
# Text cells are cut to this many characters in the aligned-text format.
TABLE_CELL_CHARS = 70
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]


def top_sources(store: Store, *, limit: int | None = 20, type_: str | None = None) -> Table:
    """The most-quoted sources: attributions and articles per corpus-wide
    entity, its type, and ``kind``, the source kind its attributions have
    most often (a resolved pronoun takes its entity's kind)."""
    rows = store.db.execute(
        "SELECT e.pk, e.name, e.type, count(*) AS n, count(DISTINCT a.article_pk),"
        " count(DISTINCT ar.outlet)"
        " FROM attributions a"
        " JOIN article_entities ae ON ae.article_pk = a.article_pk AND ae.entity = a.source_entity"
        " JOIN entities e ON e.pk = ae.entity_pk"
        " JOIN articles ar ON ar.pk = a.article_pk"
        " WHERE ?1 IS NULL OR e.type = ?1"
        " GROUP BY e.pk ORDER BY n DESC, count(DISTINCT a.article_pk) DESC, e.name LIMIT ?2",
        (type_, _sql_limit(limit)),
    ).fetchall()
    kinds: dict[int, Counter] = defaultdict(Counter)
    for entity_pk, kind, n in store.db.execute(
        "SELECT ae.entity_pk, a.source_kind, count(*) FROM attributions a"
        " JOIN article_entities ae ON ae.article_pk = a.article_pk AND ae.entity = a.source_entity"
        f" WHERE ae.entity_pk IN ({_marks(rows)}) GROUP BY 1, 2",
        [row[0] for row in rows],
    ):
        kinds[entity_pk][kind] = n
    return Table(
        ("source", "type", "kind", "attributions", "articles", "outlets"),
        [
            (name, type_, kinds[pk].most_common(1)[0][0], n, articles, outlets)
            for pk, name, type_, n, articles, outlets in rows
        ],
    )


def matching_entities(
    store: Store, name: str, similarity: int = NAME_SIMILARITY
) -> list[tuple[int, str]]:
    """Corpus-wide entities (pk, name) one of whose aliases is ``name`` (in
    lower case) or at least ``similarity`` like it."""
    key = alias_key(name)
    keys = {key}
    if similarity < 100:
        known = [row[0] for row in store.db.execute("SELECT DISTINCT key FROM aliases")]
        matches = process.extract(
            key, known, scorer=fuzz.ratio, score_cutoff=similarity, limit=None
        )
        keys.update(match for match, _, _ in matches)
    return store.db.execute(
        "SELECT DISTINCT e.pk, e.name FROM aliases al JOIN entities e ON e.pk = al.entity_pk"
        f" WHERE al.key IN ({_marks(keys)}) ORDER BY e.pk",
        sorted(keys),
    ).fetchall()


def statements(
    store: Store, name: str, *, similarity: int = NAME_SIMILARITY, limit: int | None = None
) -> Table:
    """Every attribution whose source refers to an entity called ``name``
    (see :func:`matching_entities`), by date."""
    entities = [pk for pk, _ in matching_entities(store, name, similarity)]
    rows = store.db.execute(
        "SELECT ar.id, ar.date, ar.outlet, e.name, a.source_text, a.cue_text, a.content_text,"
        " a.type FROM article_entities ae"
        " JOIN attributions a ON a.article_pk = ae.article_pk AND a.source_entity = ae.entity"
        " JOIN articles ar ON ar.pk = ae.article_pk"
        " JOIN entities e ON e.pk = ae.entity_pk"
        f" WHERE ae.entity_pk IN ({_marks(entities)})"
        " ORDER BY ar.date, ar.id, a.n LIMIT ?",
        [*entities, _sql_limit(limit)],
    ).fetchall()
    return Table(
        ("article", "date", "outlet", "source", "as_written", "cue", "content", "type"), rows
    )


def unnamed_share(store: Store, *, by: GroupBy = "outlet") -> Table:
    """Attributions per outlet (the article's), month (of its date) or both:
    how many have a named source, an unnamed one, none, and the share of
    unnamed among those with a source."""
    keys = {
        "outlet": ("coalesce(ar.outlet, ?1)",),
        "month": ("coalesce(substr(ar.date, 1, 7), ?1)",),
        "outlet-month": ("coalesce(ar.outlet, ?1)", "coalesce(substr(ar.date, 1, 7), ?1)"),
    }[by]
    group = ", ".join(keys)
    rows = store.db.execute(
        f"SELECT {group}, count(DISTINCT a.article_pk), count(*),"
        " total(a.source_named = 1), total(a.source_named = 0), total(a.source_text IS NULL)"
        f" FROM attributions a JOIN articles ar ON ar.pk = a.article_pk"
        f" GROUP BY {group} ORDER BY {group}",
        (NO_VALUE,),
    ).fetchall()
    width = len(keys)
    table_rows = []
    for row in rows:
        articles, attributions, named, unnamed, none = row[width:]
        with_source = named + unnamed
        share = round(unnamed / with_source, 3) if with_source else None
        table_rows.append(
            (*row[:width], articles, attributions, int(named), int(unnamed), int(none), share)
        )
    columns = tuple(by.split("-"))
    return Table(
        (*columns, "articles", "attributions", "named", "unnamed", "no_source", "unnamed_share"),
        table_rows,
    )


def relays(store: Store, *, limit: int | None = 20, relayed_type: str | None = None) -> Table:
    """Who relays whom: each attribution's chain source <- via[0] <- via[1]
    ... <- the article's outlet gives the pairs (via[0] relays the source,
    via[1] relays via[0], ...), counted over the corpus. Names are the
    corpus-wide entity's where resolved, else the text; the type of the one
    relayed is its entity's, else the source's kind, and ``outlet`` for the
    article's own outlet. ``relayed_type`` keeps the pairs whose relayed one
    has that type ("organization": who relays which outlets)."""
    pairs: Counter[tuple[str, str, str | None]] = Counter()
    articles: dict[tuple[str, str, str | None], set[int]] = defaultdict(set)
    chain: list[tuple[str | None, str | None]] = []
    current = None
    rows = store.db.execute(
        "SELECT a.pk, a.article_pk, coalesce(se.name, a.source_text),"
        " coalesce(se.type, a.source_kind), coalesce(ve.name, v.text),"
        f" CASE WHEN v.start IS NULL THEN '{OUTLET}' ELSE ve.type END"
        " FROM via v JOIN attributions a ON a.pk = v.attribution_pk"
        " LEFT JOIN article_entities sae"
        "   ON sae.article_pk = a.article_pk AND sae.entity = a.source_entity"
        " LEFT JOIN entities se ON se.pk = sae.entity_pk"
        " LEFT JOIN article_entities vae ON vae.article_pk = a.article_pk AND vae.entity = v.entity"
        " LEFT JOIN entities ve ON ve.pk = vae.entity_pk"
        " ORDER BY v.attribution_pk, v.n"
    )
    for attribution_pk, article_pk, source, source_type, relay, relay_type in rows:
        if attribution_pk != current:
            current, chain = attribution_pk, [(source, source_type)]
        relayed, type_ = chain[-1]
        if relayed is not None and relayed != relay:
            if relayed_type is None or type_ == relayed_type:
                pairs[relay, relayed, type_] += 1
                articles[relay, relayed, type_].add(article_pk)
        chain.append((relay, relay_type))
    ranked = sorted(pairs.items(), key=lambda item: (-item[1], item[0][:2]))
    return Table(
        ("relay", "relayed", "relayed_type", "attributions", "articles"),
        [(*pair, n, len(articles[pair])) for pair, n in ranked][: limit or None],
    )


def quotes(
    store: Store,
    *,
    similarity: int = QUOTE_SIMILARITY,
    min_words: int = QUOTE_MIN_WORDS,
    min_articles: int = 2,
    types: Sequence[str] = QUOTE_TYPES,
    limit: int | None = 20,
) -> Table:
    """The same quote carried by several articles: contents (of ``types``,
    of at least ``min_words`` words) clustered when their lower-case words
    are at least ``similarity`` alike (rapidfuzz ``fuzz.ratio``), kept when a
    cluster spans ``min_articles`` articles. One row per member, clusters
    ranked by articles. Candidate pairs share a run of ``SHINGLE_WORDS``
    words, so the work grows with the quotes, not with their pairs."""
    by_text: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for attribution_pk, article_pk, content in store.db.execute(
        "SELECT pk, article_pk, content_text FROM attributions"
        f" WHERE type IN ({_marks(types)}) ORDER BY pk",
        list(types),
    ):
        words = _WORD.findall(content.casefold())
        if len(words) >= min_words:
            by_text[" ".join(words)].append((attribution_pk, article_pk))
    texts = list(by_text)
    parent = list(range(len(texts)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in _candidate_pairs(texts):
        if root(i) != root(j) and fuzz.ratio(texts[i], texts[j]) >= similarity:
            parent[root(i)] = root(j)
    clusters: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for i, text in enumerate(texts):
        clusters[root(i)].extend(by_text[text])
    kept = [
        members
        for members in clusters.values()
        if len({article for _, article in members}) >= min_articles
    ]
    kept.sort(key=lambda members: (-len({a for _, a in members}), min(p for p, _ in members)))
    rows = []
    for number, members in enumerate(kept[: limit or None], start=1):
        n_articles = len({article for _, article in members})
        pks = [pk for pk, _ in members]
        for article_id, date, outlet, source, content in store.db.execute(
            "SELECT ar.id, ar.date, ar.outlet, coalesce(e.name, a.source_text), a.content_text"
            " FROM attributions a JOIN articles ar ON ar.pk = a.article_pk"
            " LEFT JOIN article_entities ae"
            "   ON ae.article_pk = a.article_pk AND ae.entity = a.source_entity"
            " LEFT JOIN entities e ON e.pk = ae.entity_pk"
            f" WHERE a.pk IN ({_marks(pks)}) ORDER BY ar.date, ar.id, a.n",
            pks,
        ):
            rows.append((number, n_articles, article_id, date, outlet, source, content))
    return Table(("cluster", "articles", "article", "date", "outlet", "source", "quote"), rows)


def _candidate_pairs(texts: list[str]) -> Iterable[tuple[int, int]]:
    """Pairs (i, j), i < j, of texts sharing a run of SHINGLE_WORDS words
    that few texts share."""
    index: dict[str, list[int]] = defaultdict(list)
    shingles = []
    for i, text in enumerate(texts):
        words = text.split()
        mine = {
            " ".join(words[k : k + SHINGLE_WORDS])
            for k in range(max(1, len(words) - SHINGLE_WORDS + 1))
        }
        shingles.append(mine)
        for shingle in mine:
            index[shingle].append(i)
    for i, mine in enumerate(shingles):
        others: set[int] = set()
        for shingle in mine:
            holders = index[shingle]
            if len(holders) <= SHINGLE_MAX_QUOTES:
                others.update(j for j in holders if j > i)
        for j in sorted(others):
            yield i, j


def failures(store: Store, *, run: int | None = None) -> Table:
    """What a run (default: the last) could not store."""
    run = run if run is not None else store.last_run()
    return Table(
        ("run", "item", "kind", "error"),
        [(f.run_id, f.item, f.kind, f.error) for f in store.failures(run or 0)],
    )


def runs(store: Store) -> Table:
    """The ingest runs; ``finished`` empty: running, or stopped before its end."""
    rows = store.db.execute(
        "SELECT r.id, r.started, r.finished, r.workers,"
        " (SELECT count(*) FROM articles WHERE run_id = r.id), r.skipped,"
        " (SELECT count(*) FROM failures WHERE run_id = r.id AND kind != 'duplicate'),"
        " (SELECT count(*) FROM failures WHERE run_id = r.id AND kind = 'duplicate'),"
        " r.words, r.command FROM runs r ORDER BY r.id"
    ).fetchall()
    return Table(
        (
            "run",
            "started",
            "finished",
            "workers",
            "stored",
            "skipped",
            "failed",
            "duplicates",
            "words",
            "command",
        ),
        [(*row[:-1], " ".join(json.loads(row[-1]))) for row in rows],
    )


def render(table: Table, fmt: Format, out: TextIO) -> None:
    """Write ``table`` as aligned text (long cells cut), CSV or a JSON array
    of objects."""
    if fmt == "json":
        json.dump([dict(zip(table.columns, row, strict=True)) for row in table.rows], out, indent=1)
        out.write("\n")
    elif fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(table.columns)
        writer.writerows(table.rows)
    else:
        cells = [list(table.columns)] + [[_cell(value) for value in row] for row in table.rows]
        widths = [max(len(row[i]) for row in cells) for i in range(len(table.columns))]
        numeric = [
            all(isinstance(row[i], int | float) or row[i] is None for row in table.rows)
            and bool(table.rows)
            for i in range(len(table.columns))
        ]
        for row in cells:
            line = "  ".join(
                cell.rjust(width) if right else cell.ljust(width)
                for cell, width, right in zip(row, widths, numeric, strict=True)
            )
            out.write(line.rstrip() + "\n")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.3f}"
    text = " ".join(str(value).split())
    return text if len(text) <= TABLE_CELL_CHARS else text[: TABLE_CELL_CHARS - 1] + "…"


def _marks(values: Sized) -> str:
    return ", ".join("?" * len(values))


def _sql_limit(limit: int | None) -> int:
    """SQLite's LIMIT: -1 for none."""
    return limit if limit else -1
