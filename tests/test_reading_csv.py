"""CSV corpora in sayso.reading: column mapping, bad rows, counting."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from conftest import POLNEAR_DEV

from sayso.reading import (
    Article,
    CsvColumns,
    ReadError,
    count_articles,
    iter_articles,
    iter_csv_file,
)


def _polnear_rows(n: int) -> list[dict]:
    with POLNEAR_DEV.open(encoding="utf8") as f:
        return [json.loads(next(f)) for _ in range(n)]


def test_csv_with_column_mapping_reads_like_jsonl(tmp_path: Path) -> None:
    records = _polnear_rows(3)
    path = tmp_path / "corpus.csv"
    with path.open("w", encoding="utf8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["doc_id", "site", "published", "headline", "body"])
        for r in records:
            writer.writerow([r["id"], r["publisher"], r["date"], r["title"], r["text"]])
    columns = CsvColumns.parse("id=doc_id, text=body,date=published,title=headline,outlet=site")
    articles = list(iter_articles(path, columns=columns))
    jsonl = tmp_path / "corpus.jsonl"
    jsonl.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf8")
    assert articles == list(iter_articles(jsonl))
    assert articles[0].text == records[0]["text"]  # newlines inside quoted fields kept
    assert count_articles(path, columns) == 3


def test_csv_default_columns_and_publisher(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text(
        "\ufeffid,text,publisher,date\n1,The mayor said so.,nyt,2016-09-12T10:00:00Z\n",
        encoding="utf8",
    )
    [article] = iter_articles(path)
    assert article == Article(id="1", text="The mayor said so.", date="2016-09-12", outlet="nyt")


def test_csv_bad_rows_are_reported_and_reading_goes_on(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr("sayso.reading.MAX_TEXT_CHARS", 100)
    path = tmp_path / "bad.csv"
    path.write_bytes(
        b"id,text\n"
        b"a,The senator said she would vote no.\n"
        b"b,caf\xe9 said\n"  # Latin-1, not UTF-8
        b"c,one,too many\n"
        b'd,"' + b"x" * 300 + b'"\n'  # over the size limit
        b",no id here\n"
        b"e,The end.\n"
    )
    items = list(iter_csv_file(path))
    assert [type(i) for i in items] == [Article, ReadError, ReadError, ReadError, Article, Article]
    assert [i.id for i in items] == ["a", f"{path}:3", f"{path}:4", f"{path}:5", f"{path}:6", "e"]
    assert "UTF-8" in items[1].message
    assert "3 fields" in items[2].message
    assert "field larger" in items[3].message


def test_csv_without_text_column_is_one_error(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text("id,body\n1,hello\n", encoding="utf8")
    [error] = iter_articles(path)
    assert isinstance(error, ReadError) and "'text' column" in error.message
    with pytest.raises(ValueError, match="unknown field"):
        CsvColumns.parse("body=text")
    with pytest.raises(ValueError, match="FIELD=COLUMN"):
        CsvColumns.parse("text")


def test_directory_includes_csv(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Ay.", encoding="utf8")
    (tmp_path / "b.csv").write_text("id,text\nb1,Bee.\nb2,Bee two.\n", encoding="utf8")
    assert [a.id for a in iter_articles(tmp_path)] == ["a", "b1", "b2"]
    assert count_articles(tmp_path) == 3
    assert count_articles("-") is None
