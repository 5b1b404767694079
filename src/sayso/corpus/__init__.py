"""sayso over a corpus: batch runs into a SQLite store, questions over it.

- :mod:`sayso.corpus.store`: the store's schema, its migrations, writing one
  ``sayso/1`` result per transaction and reading results back.
- :mod:`sayso.corpus.ingest`: streaming, parallel, resumable runs
  (reading -> analysis -> store).
- :mod:`sayso.corpus.query`: the questions (most-quoted sources, statements
  by a source, unnamed sourcing, relays, quotes carried by several articles).
- :mod:`sayso.corpus.export`: the store as JSONL, CSV or Parquet.
"""
