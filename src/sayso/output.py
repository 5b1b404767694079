"""The output schema, ``sayso/1``: one JSON object per article.

This module is the contract: everything that writes results builds these
values, and ``schema/sayso-1.schema.json`` (shipped with the package,
checked against real output by the tests) describes them. All spans are
``[start, end]`` character offsets into the article text exactly as given,
end exclusive, and every ``text`` field equals that slice of the input.

    {"schema": "sayso/1", "id": ..., "date": "2023-12-01" | null,
     "title": ..., "outlet": ...,
     "attributions": [
        {"source": {"span", "text", "kind", "named"} | null,
         "cue": {"span", "text", "lemma"},
         "content": {"spans": [[s, e], ...], "text"},
         "type": "direct" | "indirect" | "mixed",
         "time": {"text", "span", "value", "granularity"} | null,
         "confidence": 0..1}, ...],
     "captions": [{"span", "credit", "text"}, ...],
     "error": null | "message"}

Photo captions (see :mod:`sayso.captions`) are reported apart: an
attribution whose cue lies in a caption is not the article's statement and
is left out of ``attributions``.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any, Literal

from spacy.tokens import Doc, Span

from sayso.attribution.linking import Attribution
from sayso.attribution.sources import classify_source
from sayso.captions import Caption, find_captions
from sayso.reading import Article
from sayso.timing import attribution_time

SCHEMA = "sayso/1"
SCHEMA_FILE = "sayso-1.schema.json"

AttributionType = Literal["direct", "indirect", "mixed"]
OPENING_QUOTES = frozenset("\"“«„‘'")
CLOSING_QUOTES = frozenset("\"”»“’'")
QUOTES = OPENING_QUOTES | CLOSING_QUOTES
# Confidence is a ranking aid, not a calibrated probability: it starts here
# and drops for each part that was only guessed (see ``confidence``).
BASE_CONFIDENCE = 0.9
MISSING_SOURCE_PENALTY = 0.2
MISSING_CONTENT_PENALTY = 0.4


def json_schema() -> dict[str, Any]:
    """The JSON Schema of one article result."""
    text = resources.files("sayso").joinpath("schema", SCHEMA_FILE).read_text("utf8")
    return json.loads(text)


def article_result(
    article: Article, chunks: list[tuple[int, Doc]], error: str | None = None
) -> dict[str, Any]:
    """One article's result from its analysed Docs.

    chunks: (character offset of the chunk in ``article.text``, its Doc);
    empty when the article failed with ``error``. Captions are found in the
    body (after the date line); attributions cued inside them are dropped.
    """
    captions = find_captions(article.text, article.body_start) if error is None else []
    attributions = [
        attribution_dict(att, offset, article.date)
        for offset, doc in chunks
        for att in doc._.attributions or []
        if not _in_caption(att.cue.start_char + offset, captions)
    ]
    return {
        "schema": SCHEMA,
        "id": article.id,
        "date": article.date,
        "title": article.title,
        "outlet": article.outlet,
        "attributions": attributions,
        "captions": [caption_dict(caption) for caption in captions],
        "error": error,
    }


def _in_caption(char: int, captions: list[Caption]) -> bool:
    """Whether character offset ``char`` lies in one of ``captions``."""
    return any(start <= char < end for start, end in (c.span for c in captions))


def caption_dict(caption: Caption) -> dict[str, Any]:
    """A caption as the schema has it: ``{"span", "credit", "text"}``."""
    return {"span": list(caption.span), "credit": caption.credit, "text": caption.text}


def attribution_dict(
    att: Attribution, offset: int = 0, article_date: str | None = None
) -> dict[str, Any]:
    """``offset``: where the attribution's Doc starts in the article text;
    ``article_date`` anchors relative times ("on Thursday")."""
    return {
        "source": source_dict(att.source, offset),
        "cue": {
            "span": _span(att.cue, offset),
            "text": att.cue.text,
            "lemma": " ".join(t.lemma_ for t in att.cue if not t.is_punct) or att.cue.text,
        },
        "content": {
            "spans": [_span(c, offset) for c in att.content],
            "text": " ".join(c.text for c in att.content),
        },
        "type": attribution_type(att.content),
        "time": attribution_time(att, article_date, offset),
        "confidence": confidence(att),
    }


def source_dict(span: Span | None, offset: int = 0) -> dict[str, Any] | None:
    if span is None:
        return None
    kind, named = classify_source(span)
    return {"span": _span(span, offset), "text": span.text, "kind": kind, "named": named}


def _span(span: Span, offset: int) -> list[int]:
    return [span.start_char + offset, span.end_char + offset]


def attribution_type(content: list[Span]) -> AttributionType:
    """Direct when every content piece is a quotation, mixed when a quotation
    is part of it, indirect otherwise."""
    if not content:
        return "indirect"
    quoted = [_is_quotation(c) for c in content]
    if all(quoted):
        return "direct"
    if any(quoted) or any(ch in QUOTES - {"'", "’"} for c in content for ch in c.text):
        return "mixed"
    return "indirect"


def _is_quotation(span: Span) -> bool:
    doc = span.doc
    # the characters just outside the span (Doc.text would rebuild the whole text)
    before = doc[span.start - 1].text_with_ws[-1:] if span.start > 0 else ""
    after = doc[span.end].text[:1] if span.end < len(doc) else ""
    opens = span.text[:1] in OPENING_QUOTES or before in OPENING_QUOTES
    stripped = span.text.rstrip(".,;:!? ")
    closes = (
        stripped[-1:] in CLOSING_QUOTES
        or span.text[-1:] in CLOSING_QUOTES
        or (not span[-1].whitespace_ and after in CLOSING_QUOTES)
    )
    return opens and closes


def confidence(att: Attribution) -> float:
    value = BASE_CONFIDENCE
    if att.source is None:
        value -= MISSING_SOURCE_PENALTY
    if not att.content:
        value -= MISSING_CONTENT_PENALTY
    return round(value, 2)
