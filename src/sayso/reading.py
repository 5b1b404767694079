"""Turning user input into articles for ``sayso analyze``.

Input is a plain-text file (one article), a directory of ``*.txt``,
``*.jsonl`` and ``*.csv`` files, a JSONL corpus (one article a line), a CSV
corpus (one article a row, a header naming the columns, see
:class:`CsvColumns`), or ``-`` for standard input. Every input becomes an
:class:`Article` or, when it cannot be read, a :class:`ReadError`, so one bad
article never stops a batch. Corpora are read one line (or row) at a time:
memory does not grow with the corpus.

A plain-text article may open with a date line, as in the examples::

     date 2023-12-01 Israeli officials have openly stated ...

The date becomes :attr:`Article.date` (ISO ``YYYY-MM-DD``) and the body starts
after it (:attr:`Article.body_start`). :attr:`Article.text` is always exactly
the input text, so all offsets sayso outputs refer to it.
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import json
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, TextIO

# Longest text accepted (characters); the shipped pipeline's ``max_length``.
MAX_TEXT_CHARS = 20_000_000
# UTF-8 needs at most this many bytes a character: files larger than
# MAX_TEXT_CHARS times this are rejected before they are read.
UTF8_MAX_BYTES_PER_CHAR = 4
# A NUL byte within this many leading bytes marks a file as binary.
BINARY_SNIFF_BYTES = 8192
UTF8_BOM = b"\xef\xbb\xbf"

STDIN_SOURCE = "-"
STDIN_ID = "stdin"
TEXT_SUFFIX = ".txt"
JSONL_SUFFIX = ".jsonl"
CSV_SUFFIX = ".csv"
CORPUS_SUFFIXES = (TEXT_SUFFIX, JSONL_SUFFIX, CSV_SUFFIX)
# JSONL keys; PolNeAR names the outlet "publisher".
OUTLET_KEYS = ("outlet", "publisher")

# Month names and the abbreviations news copy uses ("Sept." included).
MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_ORDINAL = r"(?:st|nd|rd|th)?"
# 2023-12-01, 2023/12/01, 2023.12.01
_YMD = re.compile(r"(?P<y>\d{4})(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})")
# Dec. 1, 2023 / December 1, 2023 / Dec 1st 2023
_MDY = re.compile(rf"(?P<mon>[A-Za-z]{{3,9}})\.?\s+(?P<d>\d{{1,2}}){_ORDINAL},?\s+(?P<y>\d{{4}})")
# 1 December 2023 / 1 Dec. 2023 / 1st December, 2023
_DMY = re.compile(rf"(?P<d>\d{{1,2}}){_ORDINAL}\s+(?P<mon>[A-Za-z]{{3,9}})\.?,?\s+(?P<y>\d{{4}})")
_DATE_PATTERNS = (_YMD, _MDY, _DMY)
# The date line marker: optional whitespace, the word "date", whitespace.
_DATE_MARKER = re.compile(r"\s*date\s+", re.IGNORECASE)
# What may follow a date on the date line: whitespace or the end of the text.
_DATE_END = re.compile(r"\s+|\Z")
# A time after a date in a JSONL "date" field ("2016-09-12T10:30:00Z").
_TIME_SUFFIX = re.compile(r"(?:[T ]\d{1,2}:\d{2}\S*)?\s*\Z")

# Bytes that are not UTF-8, decoded with "surrogateescape" (CSV rows).
_UNDECODABLE = re.compile("[\udc80-\udcff]")

_JSON_TYPE_NAMES = {
    dict: "object",
    list: "array",
    str: "string",
    int: "number",
    float: "number",
    bool: "boolean",
    type(None): "null",
}


@dataclass(frozen=True)
class Article:
    """One article to analyse.

    ``text`` is exactly the input text; ``body_start`` is the offset where the
    body starts (after a leading date line, else 0). ``date`` is ISO
    ``YYYY-MM-DD`` when known.
    """

    id: str
    text: str
    date: str | None = None
    title: str | None = None
    outlet: str | None = None
    body_start: int = 0


@dataclass(frozen=True)
class ReadError:
    """An input that could not be turned into an article.

    ``id`` is the article id, or a ``path:line`` locator for a JSONL line.
    """

    id: str
    message: str


def _match_date(text: str, pos: int) -> tuple[str | None, int] | None:
    """Match a date at ``text[pos:]``: (ISO date or None if invalid, end) or None."""
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text, pos)
        if match is None:
            continue
        fields = match.groupdict()
        if "mon" in fields:
            month = MONTHS.get(fields["mon"].lower())
            if month is None:
                continue
        else:
            month = int(fields["m"])
        try:
            iso = dt.date(int(fields["y"]), month, int(fields["d"])).isoformat()
        except ValueError:
            iso = None
        return iso, match.end()
    return None


def parse_date_line(text: str) -> tuple[str | None, int]:
    """Read a leading date line: ``(ISO date or None, body_start)``.

    The line is optional whitespace, the word ``date``, whitespace, a date
    (``2023-12-01``, ``2023/12/01``, ``Dec. 1, 2023``, ``December 1, 2023``,
    ``1 December 2023``, ...), whitespace, then the lede. ``body_start`` is the
    offset of the lede. Without a valid date line the result is ``(None, 0)``.
    """
    marker = _DATE_MARKER.match(text)
    if marker is None:
        return None, 0
    matched = _match_date(text, marker.end())
    if matched is None or matched[0] is None:
        return None, 0
    iso, end = matched
    after = _DATE_END.match(text, end)
    if after is None:
        return None, 0
    return iso, after.end()


def normalize_date(value: object) -> str | None:
    """An ISO ``YYYY-MM-DD`` date for a JSONL ``date`` value, or None.

    Accepts the date line's formats and an ISO date with a time after it;
    anything else (including non-strings) gives None.
    """
    if not isinstance(value, str):
        return None
    value = value.strip()
    matched = _match_date(value, 0)
    if matched is None or _TIME_SUFFIX.match(value, matched[1]) is None:
        return None
    return matched[0]


def _optional_str(value: object) -> str | None:
    """``value`` if it is a non-empty string, else None."""
    return value if isinstance(value, str) and value else None


def _too_long(text: str) -> str | None:
    """The error message for a text over MAX_TEXT_CHARS, else None."""
    if len(text) > MAX_TEXT_CHARS:
        return f"text too long ({len(text)} chars > {MAX_TEXT_CHARS})"
    return None


def _text_article(article_id: str, text: str) -> Article | ReadError:
    """An article from plain text, reading its date line."""
    error = _too_long(text)
    if error is not None:
        return ReadError(article_id, error)
    date, body_start = parse_date_line(text)
    return Article(id=article_id, text=text, date=date, body_start=body_start)


def _decode(data: bytes) -> str:
    """Decode UTF-8 (dropping a leading BOM); UnicodeDecodeError offsets are into ``data``."""
    if data.startswith(UTF8_BOM):
        try:
            return data[len(UTF8_BOM) :].decode("utf-8")
        except UnicodeDecodeError as error:
            raise UnicodeDecodeError(
                error.encoding,
                data,
                error.start + len(UTF8_BOM),
                error.end + len(UTF8_BOM),
                error.reason,
            ) from None
    return data.decode("utf-8")


def read_text_file(path: Path) -> Article | ReadError:
    """Read one plain-text article; its id is the file's stem."""
    article_id = path.stem
    size = path.stat().st_size
    if size > MAX_TEXT_CHARS * UTF8_MAX_BYTES_PER_CHAR:
        return ReadError(
            article_id, f"{path}: text too long ({size} bytes > {MAX_TEXT_CHARS} chars)"
        )
    data = path.read_bytes()
    if b"\x00" in data[:BINARY_SNIFF_BYTES]:
        return ReadError(article_id, f"{path}: binary file")
    try:
        text = _decode(data)
    except UnicodeDecodeError as error:
        return ReadError(article_id, f"{path}: not valid UTF-8 at byte {error.start}")
    article = _text_article(article_id, text)
    if isinstance(article, ReadError):
        return ReadError(article_id, f"{path}: {article.message}")
    return article


def _json_type(value: object) -> str:
    """The JSON name of a decoded value's type."""
    return _JSON_TYPE_NAMES.get(type(value), type(value).__name__)


def _jsonl_record(record: Any, locator: str) -> Article | ReadError:
    """An article from one decoded JSONL value."""
    if not isinstance(record, dict):
        return ReadError(locator, f"expected a JSON object, got {_json_type(record)}")
    if "text" not in record:
        return ReadError(locator, 'missing "text"')
    text = record["text"]
    if not isinstance(text, str):
        return ReadError(locator, f'"text" must be a string, got {_json_type(text)}')
    error = _too_long(text)
    if error is not None:
        return ReadError(locator, error)
    raw_id = record.get("id")
    if isinstance(raw_id, int) and not isinstance(raw_id, bool):
        article_id = str(raw_id)
    else:
        article_id = _optional_str(raw_id) or locator
    line_date, body_start = parse_date_line(text)
    outlet = next((record[key] for key in OUTLET_KEYS if _optional_str(record.get(key))), None)
    return Article(
        id=article_id,
        text=text,
        date=normalize_date(record.get("date")) or line_date,
        title=_optional_str(record.get("title")),
        outlet=outlet,
        body_start=body_start,
    )


def _jsonl_line(line: str, locator: str) -> Article | ReadError:
    """An article from one JSONL line."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        return ReadError(locator, f"not valid JSON: {error.msg} (column {error.colno})")
    return _jsonl_record(record, locator)


def _iter_jsonl_lines(lines: Iterable[str], name: str) -> Iterator[Article | ReadError]:
    """Articles from JSONL text lines; blank lines are skipped."""
    for number, line in enumerate(lines, start=1):
        if line.strip():
            yield _jsonl_line(line, f"{name}:{number}")


def iter_jsonl_file(path: Path) -> Iterator[Article | ReadError]:
    """Articles from a JSONL file, read one line at a time.

    A line that is not UTF-8, not JSON, not an object, or has no string
    ``text`` gives a ReadError located ``path:line``; reading goes on.
    """
    with path.open("rb") as stream:
        for number, raw in enumerate(stream, start=1):
            locator = f"{path}:{number}"
            if number == 1 and raw.startswith(UTF8_BOM):
                raw = raw[len(UTF8_BOM) :]
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as error:
                yield ReadError(locator, f"not valid UTF-8 at byte {error.start} of the line")
                continue
            if line.strip():
                yield _jsonl_line(line, locator)


@dataclass(frozen=True)
class CsvColumns:
    """Which CSV column holds each article field (the header names them).

    ``outlet`` None looks for ``outlet``, then ``publisher``, as in JSONL.
    Only ``text`` is required in the file; the other columns may be absent.
    """

    text: str = "text"
    id: str = "id"
    date: str = "date"
    title: str = "title"
    outlet: str | None = None

    @classmethod
    def parse(cls, spec: str) -> CsvColumns:
        """From ``field=column,...`` (``"text=body,id=doc_id"``); ValueError
        names a bad field or a pair without ``=``."""
        names = {f.name for f in fields(cls)}
        mapping: dict[str, str] = {}
        for pair in filter(None, (p.strip() for p in spec.split(","))):
            field, sep, column = (part.strip() for part in pair.partition("="))
            if not sep or not column:
                raise ValueError(f"column mapping {pair!r}: expected FIELD=COLUMN")
            if field not in names:
                raise ValueError(
                    f"column mapping {pair!r}: unknown field {field!r}"
                    f" (fields: {', '.join(sorted(names))})"
                )
            mapping[field] = column
        return cls(**mapping)

    def record(self, row: dict[str, str]) -> dict[str, str]:
        """The row as a JSONL-style record (the keys ``_jsonl_record`` reads)."""
        record = {
            key: row[column]
            for key, column in (
                ("text", self.text),
                ("id", self.id),
                ("date", self.date),
                ("title", self.title),
            )
            if column in row
        }
        for column in (self.outlet,) if self.outlet else OUTLET_KEYS:
            if row.get(column):
                record["outlet"] = row[column]
                break
        return record


def iter_csv_file(path: Path, columns: CsvColumns | None = None) -> Iterator[Article | ReadError]:
    """Articles from a CSV file with a header row, one article a row, streamed.

    Values are read as JSONL values are (an empty ``id`` falls back to the
    locator ``path:line``, the line where the row starts). A row that is not
    UTF-8, is malformed (a field over ``MAX_TEXT_CHARS`` included) or has
    more or fewer fields than the header gives a ReadError located
    ``path:line``; reading goes on. A file without the text column gives one
    ReadError for the file.
    """
    columns = columns or CsvColumns()
    # a text may be as long as MAX_TEXT_CHARS; a longer field is an error
    csv.field_size_limit(MAX_TEXT_CHARS + 1)
    with path.open(encoding="utf-8-sig", errors="surrogateescape", newline="") as stream:
        reader = csv.reader(stream)
        header: list[str] | None = None
        while True:
            locator = f"{path}:{reader.line_num + 1}"
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                yield ReadError(locator, f"malformed CSV row: {error}")
                continue
            if header is None:
                header = row
                if columns.text not in header:
                    yield ReadError(
                        str(path), f"no {columns.text!r} column (columns: {', '.join(header)})"
                    )
                    return
                continue
            if not any(row):
                continue
            if any(_UNDECODABLE.search(value) for value in row):
                yield ReadError(locator, "not valid UTF-8")
                continue
            if len(row) != len(header):
                yield ReadError(locator, f"{len(row)} fields, the header has {len(header)}")
                continue
            yield _jsonl_record(columns.record(dict(zip(header, row, strict=True))), locator)


def _iter_stdin(stream: TextIO) -> Iterator[Article | ReadError]:
    """Articles from standard input: JSONL or one plain-text article.

    The input is JSONL when its first non-empty line starts with ``{`` (the
    rest is then streamed line by line, a non-JSON line being a ReadError);
    otherwise all of it is one article with id ``stdin``.
    """
    try:
        head: list[str] = []
        for line in stream:
            head.append(line)
            if line.strip():
                break
        if head and head[-1].lstrip().startswith("{"):
            yield from _iter_jsonl_lines(itertools.chain(head, stream), STDIN_ID)
            return
        text = "".join(head) + stream.read()
    except UnicodeDecodeError as error:
        yield ReadError(STDIN_ID, f"not valid {error.encoding}: {error.reason}")
        return
    yield _text_article(STDIN_ID, text)


def _iter_directory(directory: Path, columns: CsvColumns | None) -> Iterator[Article | ReadError]:
    """Articles from every ``*.txt``, ``*.jsonl`` and ``*.csv`` file under
    ``directory``, sorted by path."""
    files = sorted(
        path for path in directory.rglob("*") if path.suffix in CORPUS_SUFFIXES and path.is_file()
    )
    for path in files:
        yield from _iter_file(path, columns)


def _iter_file(path: Path, columns: CsvColumns | None) -> Iterator[Article | ReadError]:
    if path.suffix == JSONL_SUFFIX:
        return iter_jsonl_file(path)
    if path.suffix == CSV_SUFFIX:
        return iter_csv_file(path, columns)
    return iter([read_text_file(path)])


def iter_articles(
    source: str | Path, *, stdin: TextIO | None = None, columns: CsvColumns | None = None
) -> Iterator[Article | ReadError]:
    """Articles (or per-article read errors) from ``source``.

    ``source`` is a ``.jsonl`` corpus, a ``.csv`` corpus (its columns named
    by ``columns``, default :class:`CsvColumns`), a directory (its ``*.txt``,
    ``*.jsonl`` and ``*.csv`` files, recursively, sorted), ``-`` for
    ``stdin`` (default ``sys.stdin``), or any other file, read as one
    plain-text article whose id is the file's stem. Raises FileNotFoundError
    at once when ``source`` does not exist: a usage error, unlike a bad
    article.
    """
    if str(source) == STDIN_SOURCE:
        return _iter_stdin(sys.stdin if stdin is None else stdin)
    path = Path(source)
    if not path.exists():
        raise FileNotFoundError(f"no such file or directory: {path}")
    if path.is_dir():
        return _iter_directory(path, columns)
    return _iter_file(path, columns)


def count_articles(source: str | Path, columns: CsvColumns | None = None) -> int | None:
    """About how many items :func:`iter_articles` yields for ``source``, found
    by a quick pass (non-blank JSONL lines, CSV rows, files), for progress
    bars; None for standard input, which can be read only once."""
    if str(source) == STDIN_SOURCE:
        return None
    path = Path(source)
    if path.is_dir():
        return sum(
            _count_file(p, columns)
            for p in path.rglob("*")
            if p.suffix in CORPUS_SUFFIXES and p.is_file()
        )
    return _count_file(path, columns)


def _count_file(path: Path, columns: CsvColumns | None) -> int:
    if path.suffix == JSONL_SUFFIX:
        with path.open("rb") as stream:
            return sum(1 for line in stream if line.strip())
    if path.suffix == CSV_SUFFIX:
        return sum(1 for _ in iter_csv_file(path, columns))
    return 1
