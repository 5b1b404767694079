"""Tests for sayso.reading: user input to articles."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from sayso import reading
from sayso.reading import Article, ReadError, iter_articles, normalize_date, parse_date_line

SHARED = Path(__file__).resolve().parents[2] / "shared"
EXAMPLE = SHARED / "examples" / "article-2023-12-01.txt"
POLNEAR_DEV = SHARED / "data" / "polnear" / "dev.jsonl"
ISO_DATE = r"\d{4}-\d{2}-\d{2}"
TEN_MB = 10 * 1024 * 1024


def _write_jsonl(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.skipif(not EXAMPLE.exists(), reason="shared example not available")
def test_example_article() -> None:
    [article] = list(iter_articles(EXAMPLE))
    assert isinstance(article, Article)
    assert article.id == "article-2023-12-01"
    assert article.date == "2023-12-01"
    assert article.text == EXAMPLE.read_text(encoding="utf-8")
    assert article.text[article.body_start :].startswith("Israeli officials")
    assert article.title is None and article.outlet is None


@pytest.mark.parametrize(
    "line",
    [
        " date 2023-12-01 Lede.",
        "date 2023/12/01 Lede.",
        "date Dec. 1, 2023 Lede.",
        "date December 1, 2023 Lede.",
        "date 1 December 2023 Lede.",
        "\n  Date  Dec 1 2023\tLede.",
        "date 1st Dec. 2023\n\nLede.",
    ],
)
def test_date_line_formats(line: str) -> None:
    date, body_start = parse_date_line(line)
    assert date == "2023-12-01"
    assert line[body_start:] == "Lede."


def test_date_line_sept_abbreviation() -> None:
    assert parse_date_line("date Sept. 12, 2016 Lede")[0] == "2016-09-12"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Officials said the talks would resume.",
        "date night is the best night",  # "date" the word, no date after it
        "date 2023-13-45 invalid month and day",
        "date Smarch 1, 2023 unknown month",
        "date 2023-12-011 trailing digit",
        "The date 2023-12-01 is not at the start",
    ],
)
def test_no_date_line(text: str) -> None:
    assert parse_date_line(text) == (None, 0)


def test_date_line_without_lede() -> None:
    assert parse_date_line("date 2023-12-01") == ("2023-12-01", len("date 2023-12-01"))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2016-09-12", "2016-09-12"),
        ("2016/9/12", "2016-09-12"),
        ("2016-09-12T10:30:00Z", "2016-09-12"),
        ("September 12, 2016", "2016-09-12"),
        ("12 Sep 2016", "2016-09-12"),
        ("yesterday", None),
        ("2016-02-30", None),
        ("2016-09-12 and more", None),
        (20160912, None),
        (None, None),
    ],
)
def test_normalize_date(value: object, expected: str | None) -> None:
    assert normalize_date(value) == expected


def test_jsonl_good_and_bad_lines_in_order(tmp_path: Path) -> None:
    path = _write_jsonl(
        tmp_path / "corpus.jsonl",
        [
            json.dumps(
                {"id": "a", "text": "date 2020-01-02 First.", "title": "T", "outlet": "Wire"}
            ),
            "{not json",
            "",
            json.dumps({"id": "b"}),
            json.dumps(["an", "array"]),
            json.dumps({"id": "c", "text": 42}),
            json.dumps({"id": "d", "text": "Second.", "date": "March 3, 2021", "publisher": "pub"}),
            json.dumps({"id": "e", "text": "Third.", "date": "not a date"}),
        ],
    )
    results = list(iter_articles(path))
    assert [type(result) for result in results] == [
        Article,
        ReadError,
        ReadError,
        ReadError,
        ReadError,
        Article,
        Article,
    ]
    first, not_json, no_text, not_object, bad_text, second, third = results
    assert first == Article(
        id="a",
        text="date 2020-01-02 First.",
        date="2020-01-02",
        title="T",
        outlet="Wire",
        body_start=16,
    )
    assert not_json.id == f"{path}:2" and "not valid JSON" in not_json.message
    assert no_text.id == f"{path}:4" and '"text"' in no_text.message
    assert not_object.id == f"{path}:5" and "array" in not_object.message
    assert bad_text.id == f"{path}:6" and "number" in bad_text.message
    assert (second.id, second.date, second.outlet, second.body_start) == (
        "d",
        "2021-03-03",
        "pub",
        0,
    )
    assert third.id == "e" and third.date is None


def test_jsonl_invalid_utf8_line_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "corpus.jsonl"
    path.write_bytes(b'{"id": "x", "text": "caf\xe9"}\n{"id": "y", "text": "ok"}\n')
    bad, good = iter_articles(path)
    assert isinstance(bad, ReadError) and bad.id == f"{path}:1" and "UTF-8" in bad.message
    assert good == Article(id="y", text="ok")


def test_jsonl_missing_id_uses_locator(tmp_path: Path) -> None:
    path = _write_jsonl(
        tmp_path / "c.jsonl", [json.dumps({"text": "x"}), json.dumps({"id": 7, "text": "y"})]
    )
    assert [article.id for article in iter_articles(path)] == [f"{path}:1", "7"]


@pytest.mark.skipif(not POLNEAR_DEV.exists(), reason="PolNeAR dev not available")
def test_polnear_dev() -> None:
    articles = list(iter_articles(POLNEAR_DEV))
    assert len(articles) == 84
    assert all(isinstance(article, Article) for article in articles)
    with POLNEAR_DEV.open(encoding="utf-8") as stream:
        records = [json.loads(line) for line in stream]
    for article, record in zip(articles, records, strict=True):
        assert article.id == record["id"]
        assert article.text == record["text"]
        assert article.outlet == record["publisher"]
        assert article.title == record["title"]
        assert article.date is not None
        assert re.fullmatch(ISO_DATE, article.date)


def test_invalid_utf8_text_file(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("Caf".encode() + b"\xe9 au lait")
    [error] = iter_articles(path)
    assert error == ReadError("latin1", f"{path}: not valid UTF-8 at byte 3")


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    [error] = iter_articles(path)
    assert isinstance(error, ReadError) and error.id == "image" and "binary file" in error.message


def test_bom_is_dropped(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbfdate 2023-12-01 Lede.")
    [article] = iter_articles(path)
    assert article.text == "date 2023-12-01 Lede." and article.date == "2023-12-01"


def test_text_keeps_crlf(tmp_path: Path) -> None:
    path = tmp_path / "crlf.txt"
    path.write_bytes(b"date 2023-12-01\r\nLede.\r\n")
    [article] = iter_articles(path)
    assert article.text == "date 2023-12-01\r\nLede.\r\n"
    assert article.text[article.body_start :] == "Lede.\r\n"


def test_empty_text_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    assert list(iter_articles(path)) == [Article(id="empty", text="")]


def test_directory(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text("date 2023-12-01 Bee.", encoding="utf-8")
    (tmp_path / "a.txt").write_text("Ay.", encoding="utf-8")
    (tmp_path / "notes.md").write_text("ignored", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.txt").write_bytes(b"\xff\xfe")
    _write_jsonl(tmp_path / "sub" / "d.jsonl", [json.dumps({"id": "d1", "text": "Dee."}), "oops"])
    results = list(iter_articles(tmp_path))
    assert [result.id for result in results] == [
        "a",
        "b",
        "c",
        "d1",
        f"{tmp_path / 'sub' / 'd.jsonl'}:2",
    ]
    assert [type(result) for result in results] == [Article, Article, ReadError, Article, ReadError]
    assert results[1].date == "2023-12-01"


def test_missing_path(tmp_path: Path) -> None:
    missing = tmp_path / "nope.txt"
    with pytest.raises(FileNotFoundError, match="nope.txt"):
        iter_articles(missing)


def test_stdin_text() -> None:
    text = " date 2023-12-01 Officials said.\n\n{braces} later are fine.\n"
    [article] = iter_articles("-", stdin=io.StringIO(text))
    assert article == Article(
        id="stdin", text=text, date="2023-12-01", body_start=len(" date 2023-12-01 ")
    )


def test_stdin_jsonl() -> None:
    lines = [
        "",
        json.dumps({"id": "x", "text": "One."}),
        "not json",
        json.dumps({"id": "y", "text": "Two."}),
    ]
    results = list(iter_articles("-", stdin=io.StringIO("\n".join(lines) + "\n")))
    assert [result.id for result in results] == ["x", "stdin:3", "y"]
    assert isinstance(results[1], ReadError)


def test_stdin_empty() -> None:
    assert list(iter_articles("-", stdin=io.StringIO(""))) == [Article(id="stdin", text="")]


def test_ten_megabyte_text_is_accepted(tmp_path: Path) -> None:
    text = "date 2023-12-01 " + "Officials said the talks would resume. " * (TEN_MB // 39)
    path = tmp_path / "big.txt"
    path.write_text(text, encoding="utf-8")
    [article] = iter_articles(path)
    assert isinstance(article, Article) and len(article.text) == len(text) > TEN_MB - 100


def test_text_over_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reading, "MAX_TEXT_CHARS", 10)
    (tmp_path / "long.txt").write_text("x" * 11, encoding="utf-8")
    _write_jsonl(tmp_path / "long.jsonl", [json.dumps({"id": "j", "text": "y" * 11})])
    jsonl_error, text_error = iter_articles(tmp_path)
    assert jsonl_error == ReadError(f"{tmp_path / 'long.jsonl'}:1", "text too long (11 chars > 10)")
    assert text_error == ReadError(
        "long", f"{tmp_path / 'long.txt'}: text too long (11 chars > 10)"
    )
