"""Running the stages on articles: reading -> nlp -> attribution -> output.

``analyze`` is the Python entry point for one text; ``analyze_articles``
streams many (the CLI uses it). An article that fails yields a result with
``error`` set and no attributions; the others go on.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from sayso import nlp as nlp_module
from sayso.output import article_result
from sayso.reading import Article, ReadError, parse_date_line

# Long articles are parsed in pieces cut at paragraph breaks, and pieces are
# parsed in groups of at most BATCH_CHARS characters: the models' working
# memory grows with the words of a batch (about 6 GB for 1 MB at once).
# Offsets are mapped back to the text.
CHUNK_CHARS = 50_000
BATCH_CHARS = 100_000
BATCH_SIZE = 32


def attribution_pipeline(path: str | None = None, *, fast: bool = False) -> Language:
    """The shipped pipeline with the attribution component at its end;
    ``fast``: one role tagger instead of the averaged two (about 1.5 times as
    fast, with less accuracy: README.md, Accuracy)."""
    nlp = nlp_module.load(path)
    nlp.add_pipe("sayso_attribution", config={"fast": fast})
    return nlp


def analyze(
    text: str,
    *,
    id: str = "text",
    date: str | None = None,
    title: str | None = None,
    outlet: str | None = None,
    nlp: Language | None = None,
) -> dict[str, Any]:
    """Analyse one article text; returns its ``sayso/1`` result as a dict.

    A leading date line (`` date 2023-12-01 ...``) is read as in files.
    """
    line_date, body_start = parse_date_line(text)
    article = Article(
        id=id, text=text, date=date or line_date, title=title, outlet=outlet, body_start=body_start
    )
    return next(analyze_articles([article], nlp=nlp))


def analyze_articles(
    articles: Iterable[Article | ReadError],
    *,
    nlp: Language | None = None,
    batch_size: int = BATCH_SIZE,
) -> Iterator[dict[str, Any]]:
    """Yield one result per input, in input order; read errors become results
    with ``error`` set."""
    nlp = nlp if nlp is not None else _shared_pipeline()
    batch: list[Article | ReadError] = []
    for item in articles:
        batch.append(item)
        if len(batch) >= batch_size:
            yield from _analyze_batch(nlp, batch)
            batch = []
    if batch:
        yield from _analyze_batch(nlp, batch)


def _analyze_batch(nlp: Language, batch: list[Article | ReadError]) -> Iterator[dict[str, Any]]:
    articles = [a for a in batch if isinstance(a, Article)]
    pieces = [(a, offset, chunk) for a in articles for offset, chunk in split_text(_body(a))]
    try:
        docs = list(_parse_bounded(nlp, [chunk for _, _, chunk in pieces]))
    except Exception:  # one bad article must not sink its batch: redo them alone
        docs = None
    done: dict[int, dict[str, Any]] = {}
    for article in articles:
        mine = [(offset, i) for i, (a, offset, _) in enumerate(pieces) if a is article]
        try:
            chunk_docs = (
                [(offset, docs[i]) for offset, i in mine]
                if docs is not None
                else [(offset, nlp(pieces[i][2])) for offset, i in mine]
            )
            done[id(article)] = article_result(article, chunk_docs)
        except Exception as exc:  # reported per article, the batch goes on
            done[id(article)] = article_result(article, [], error=f"{type(exc).__name__}: {exc}")
    for item in batch:
        if isinstance(item, ReadError):
            yield _error_result(item)
        else:
            yield done[id(item)]


def _parse_bounded(nlp: Language, texts: list[str]) -> Iterator[Doc]:
    """``nlp.pipe`` over groups of texts of at most ``BATCH_CHARS`` characters.
    The Docs keep no tensor: the results need the annotations only, and a
    long article's tensors would hold hundreds of MB."""
    group: list[str] = []
    size = 0
    for text in [*texts, None]:
        if group and (text is None or size + len(text) > BATCH_CHARS):
            for doc in nlp.pipe(group, batch_size=len(group)):
                doc.tensor = doc.tensor[:0]
                yield doc
            group, size = [], 0
        if text is not None:
            group.append(text)
            size += len(text)


def _body(article: Article) -> str:
    """The text with its date line blanked out: offsets stay those of the
    input, and no span can take in the date."""
    return " " * article.body_start + article.text[article.body_start :]


def _error_result(error: ReadError) -> dict[str, Any]:
    article = Article(id=error.id, text="")
    return article_result(article, [], error=error.message)


def split_text(text: str, limit: int | None = None) -> list[tuple[int, str]]:
    """Cut ``text`` into (offset, piece) at paragraph breaks, each piece at most
    ``limit`` (default ``CHUNK_CHARS``) characters; a longer paragraph is cut
    at a line break or a space. The pieces joined give back the text."""
    limit = limit or CHUNK_CHARS
    pieces = []
    start = 0
    while len(text) - start > limit:
        end = start + limit
        cut = max(text.rfind("\n\n", start, end), text.rfind("\n", start, end))
        if cut <= start:
            cut = text.rfind(" ", start, end)
        cut = end if cut <= start else cut + 1
        pieces.append((start, text[start:cut]))
        start = cut
    pieces.append((start, text[start:]))
    return pieces


_PIPELINES: dict[bool, Language] = {}


def _shared_pipeline(fast: bool = False) -> Language:
    if fast not in _PIPELINES:
        _PIPELINES[fast] = attribution_pipeline(fast=fast)
    return _PIPELINES[fast]
