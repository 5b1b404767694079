"""A corpus store out as files, streamed (memory does not grow with the store).

- JSONL: one ``sayso/1`` result per article, as ``sayso analyze`` wrote it.
- CSV and Parquet: a flat table, one row per attribution
  (:data:`ATTRIBUTION_COLUMNS`) or per article (:data:`ARTICLE_COLUMNS`).
  Parquet needs pyarrow: ``pip install 'sayso[parquet]'``.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import Any, Literal, TextIO

from sayso.corpus.store import Store

TableName = Literal["attributions", "articles"]
# Rows a Parquet row group is written from.
PARQUET_BATCH_ROWS = 10_000
# How the relays of an attribution are joined in one cell, nearest first.
VIA_SEPARATOR = " < "

# (column, type): the columns of each flat table, with their Parquet types.
ATTRIBUTION_COLUMNS: tuple[tuple[str, str], ...] = (
    ("article", "string"),
    ("date", "string"),
    ("outlet", "string"),
    ("title", "string"),
    ("n", "int64"),
    ("source", "string"),
    ("source_kind", "string"),
    ("source_named", "bool"),
    ("source_entity", "string"),
    ("source_type", "string"),
    ("cue", "string"),
    ("cue_lemma", "string"),
    ("content", "string"),
    ("type", "string"),
    ("time", "string"),
    ("time_granularity", "string"),
    ("confidence", "float64"),
    ("via", "string"),
    ("source_start", "int64"),
    ("source_end", "int64"),
    ("cue_start", "int64"),
    ("cue_end", "int64"),
    ("content_spans", "string"),
)
_ATTRIBUTIONS_SQL = (
    "SELECT ar.id, ar.date, ar.outlet, ar.title, a.n, a.source_text, a.source_kind,"
    " a.source_named, e.name, e.type, a.cue_text, a.cue_lemma, a.content_text, a.type,"
    " a.time_value, a.time_granularity, a.confidence,"
    f" (SELECT group_concat(text, '{VIA_SEPARATOR}')"
    "   FROM (SELECT text FROM via WHERE attribution_pk = a.pk ORDER BY n)),"
    " a.source_start, a.source_end, a.cue_start, a.cue_end, a.content_spans"
    " FROM attributions a JOIN articles ar ON ar.pk = a.article_pk"
    " LEFT JOIN article_entities ae ON ae.article_pk = a.article_pk AND ae.entity = a.source_entity"
    " LEFT JOIN entities e ON e.pk = ae.entity_pk"
    " ORDER BY a.article_pk, a.n"
)
_SOURCING_COUNTS = (
    "attributions",
    "named_sources",
    "unnamed_sources",
    "no_source",
    "direct",
    "indirect",
    "mixed",
    "distinct_sources",
)
ARTICLE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", "string"),
    ("date", "string"),
    ("outlet", "string"),
    ("title", "string"),
    ("words", "int64"),
    *((name, "int64") for name in _SOURCING_COUNTS),
    ("run", "int64"),
)
_ARTICLES_SQL = (
    "SELECT id, date, outlet, title, words, "
    + ", ".join(f"json_extract(sourcing, '$.{name}')" for name in _SOURCING_COUNTS)
    + ", run_id FROM articles ORDER BY pk"
)
TABLES = {
    "attributions": (ATTRIBUTION_COLUMNS, _ATTRIBUTIONS_SQL),
    "articles": (ARTICLE_COLUMNS, _ARTICLES_SQL),
}


def write_jsonl(store: Store, out: TextIO) -> int:
    """Every stored result, one JSON object a line; returns how many."""
    n = 0
    for result in store.results():
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
        n += 1
    return n


def rows(store: Store, table: TableName) -> Iterator[tuple[Any, ...]]:
    """The rows of a flat table (columns: ``TABLES[table][0]``)."""
    columns, sql = TABLES[table]
    bools = [i for i, (_, type_) in enumerate(columns) if type_ == "bool"]
    for row in store.db.execute(sql):
        if bools:
            row = tuple(bool(v) if i in bools and v is not None else v for i, v in enumerate(row))
        yield row


def write_csv(store: Store, table: TableName, out: TextIO) -> int:
    """A flat table as CSV with a header; returns the rows written."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(name for name, _ in TABLES[table][0])
    n = 0
    for row in rows(store, table):
        writer.writerow(row)
        n += 1
    return n


def write_parquet(store: Store, table: TableName, path: Path) -> int:
    """A flat table as a Parquet file, written in row groups of
    PARQUET_BATCH_ROWS; returns the rows written. ImportError without
    pyarrow."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    columns = TABLES[table][0]
    types = {
        "string": pa.string(),
        "int64": pa.int64(),
        "float64": pa.float64(),
        "bool": pa.bool_(),
    }
    schema = pa.schema([(name, types[type_]) for name, type_ in columns])
    n = 0
    stream = rows(store, table)
    with pq.ParquetWriter(path, schema) as writer:
        while batch := list(islice(stream, PARQUET_BATCH_ROWS)):
            data = {name: [row[i] for row in batch] for i, (name, _) in enumerate(columns)}
            writer.write_table(pa.Table.from_pydict(data, schema=schema))
            n += len(batch)
    return n
