"""The output schema, ``sayso/1``: one JSON object per article.

This module is the contract: everything that writes results builds these
values, and ``schema/sayso-1.schema.json`` (shipped with the package,
checked against real output by the tests) describes them. All spans are
``[start, end]`` character offsets into the article text exactly as given,
end exclusive, and every ``text`` field equals that slice of the input.

    {"schema": "sayso/1", "id": ..., "date": "2023-12-01" | null,
     "title": ..., "outlet": ...,
     "attributions": [
        {"source": {"span", "text", "kind", "named", "entity"} | null,
         "cue": {"span", "text", "lemma"},
         "content": {"spans": [[s, e], ...], "text"},
         "type": "direct" | "indirect" | "mixed",
         "time": {"text", "span", "value", "granularity"} | null,
         "confidence": 0..1,
         "via": [{"text", "span": [s, e] | null, "entity"}, ...]}, ...],
     "captions": [{"span", "credit", "text"}, ...],
     "entities": [{"id", "name", "type", "mentions", "aliases",
                   "descriptors"}, ...],
     "sourcing": {"attributions", "named_sources", "unnamed_sources",
                  "no_source", "direct", "indirect", "mixed",
                  "distinct_sources", "outlets"},
     "error": null | "message"}

Photo captions (see :mod:`sayso.captions`) are reported apart: an
attribution whose cue lies in a caption is not the article's statement and
is left out of ``attributions``. Entities and source resolution come from
:mod:`sayso.resolution`, relaying chains (``via``) from
:mod:`sayso.relaying`; ``sourcing`` sums up the attributions.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any, Literal

from spacy.tokens import Doc, Span

from sayso.attribution.confidence import confidence
from sayso.attribution.linking import Attribution, adjacent_runs
from sayso.attribution.sources import classify_source
from sayso.captions import Caption, find_captions
from sayso.reading import Article
from sayso.relaying import via
from sayso.resolution import Entity, describe_sources, find_entities, resolve_source
from sayso.timing import attribution_time

SCHEMA = "sayso/1"
SCHEMA_FILE = "sayso-1.schema.json"

AttributionType = Literal["direct", "indirect", "mixed"]
OPENING_QUOTES = frozenset("\"“«„‘'")
CLOSING_QUOTES = frozenset("\"”»“’'")
QUOTES = OPENING_QUOTES | CLOSING_QUOTES
TRAILING_PUNCT = ".,;:!? "
# A closing quote may follow a content after this many punctuation tokens.
MAX_PUNCT_BEFORE_CLOSING = 2
# Source kinds a pronoun takes once resolved to an entity of this type.
RESOLVED_KINDS = {
    "person": ("person", True),
    "organization": ("organization", True),
    "group": ("group", False),  # "they" for "Israeli officials"
    "document": ("document", False),  # "it" for "the report"
}
# Words of cue lemmas that put a statement out ("report", "be say", "accord
# to"): an organization that is the source of one counts among the article's
# outlets in ``sourcing``.
REPORTING_LEMMAS = frozenset(
    {"report", "say", "tell", "claim", "write", "publish", "accord", "according"}
)


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
    entities: list[Entity] = []
    attributions = []
    for offset, doc in chunks:
        # per chunk: ids run on across chunks, a name is not merged across them
        chunk_entities = find_entities(doc, offset, first_id=len(entities) + 1)
        entities.extend(chunk_entities)
        by_id = {e.id: e for e in chunk_entities}
        kept = [
            att
            for att in doc._.attributions or []
            if not _in_caption(att.cue.start_char + offset, captions)
        ]
        resolved = {
            (att.source.start_char, att.source.end_char): key
            for att in kept
            if att.source is not None
            and (key := resolve_source(att, chunk_entities, doc, offset)) is not None
        }
        described = describe_sources(
            kept, resolved, offset, first_id=len(entities) + 1, known=chunk_entities
        )
        entities.extend(described)
        by_id.update((e.id, e) for e in described)
        for att in kept:
            entity = by_id.get(resolved.get(_source_key(att), ""))
            result = attribution_dict(att, offset, article.date, entity)
            result["via"] = via(att, kept, offset, chunk_entities, article.outlet, resolved)
            attributions.append(result)
    return {
        "schema": SCHEMA,
        "id": article.id,
        "date": article.date,
        "title": article.title,
        "outlet": article.outlet,
        "attributions": attributions,
        "captions": [caption_dict(caption) for caption in captions],
        "entities": [entity.as_dict() for entity in entities],
        "sourcing": sourcing(attributions, entities),
        "error": error,
    }


def _source_key(att: Attribution) -> tuple[int, int]:
    """The Doc character span of ``att``'s source; (-1, -1) without one."""
    if att.source is None:
        return (-1, -1)
    return (att.source.start_char, att.source.end_char)


def _in_caption(char: int, captions: list[Caption]) -> bool:
    """Whether character offset ``char`` lies in one of ``captions``."""
    return any(start <= char < end for start, end in (c.span for c in captions))


def caption_dict(caption: Caption) -> dict[str, Any]:
    """A caption as the schema has it: ``{"span", "credit", "text"}``."""
    return {"span": list(caption.span), "credit": caption.credit, "text": caption.text}


def sourcing(attributions: list[dict[str, Any]], entities: list[Entity]) -> dict[str, Any]:
    """The article's sourcing profile from its attribution dicts: counts of
    named, unnamed and missing sources and of each attribution type; distinct
    sources (entities, plus unresolved source texts compared in lower case);
    and the outlets, organizations that are sources of reporting cues
    (``REPORTING_LEMMAS``), each with how many attributions it sources."""
    sources = [a["source"] for a in attributions if a["source"] is not None]
    types = [a["type"] for a in attributions]
    distinct = {s["entity"] or s["text"].lower() for s in sources}
    names = {e.id: e.name for e in entities if e.type == "organization"}
    outlets: dict[str, int] = {}
    for att in attributions:
        source = att["source"]
        reporting = REPORTING_LEMMAS.intersection(att["cue"]["lemma"].split())
        if source and source["entity"] in names and reporting:
            outlets[source["entity"]] = outlets.get(source["entity"], 0) + 1
    return {
        "attributions": len(attributions),
        "named_sources": sum(s["named"] for s in sources),
        "unnamed_sources": sum(not s["named"] for s in sources),
        "no_source": len(attributions) - len(sources),
        "direct": types.count("direct"),
        "indirect": types.count("indirect"),
        "mixed": types.count("mixed"),
        "distinct_sources": len(distinct),
        "outlets": [
            {"entity": key, "name": names[key], "attributions": n} for key, n in outlets.items()
        ],
    }


def attribution_dict(
    att: Attribution,
    offset: int = 0,
    article_date: str | None = None,
    entity: Entity | None = None,
) -> dict[str, Any]:
    """``offset``: where the attribution's Doc starts in the article text;
    ``article_date`` anchors relative times ("on Thursday"); ``entity``: what
    the source resolved to (see :func:`sayso.resolution.resolve_source`)."""
    return {
        "source": source_dict(att.source, offset, entity),
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


def source_dict(
    span: Span | None, offset: int = 0, entity: Entity | None = None
) -> dict[str, Any] | None:
    """The source as the schema has it; a pronoun ("he", "who", "they")
    resolved to a person or an organization takes that kind and counts as
    named, since the article names whom it stands for; one resolved to a
    group ("they" for "Israeli officials") or a document ("it" for "the
    report") takes that kind, still unnamed."""
    if span is None:
        return None
    kind, named = classify_source(span)
    if entity is not None and kind == "pronoun" and entity.type in RESOLVED_KINDS:
        kind, named = RESOLVED_KINDS[entity.type]
    return {
        "span": _span(span, offset),
        "text": span.text,
        "kind": kind,
        "named": named,
        "entity": entity.id if entity is not None else None,
    }


def _span(span: Span, offset: int) -> list[int]:
    return [span.start_char + offset, span.end_char + offset]


def attribution_type(content: list[Span]) -> AttributionType:
    """Direct when every content piece is a quotation, mixed when a quotation
    is part of it, indirect otherwise."""
    if not content:
        return "indirect"
    # a quote of several sentences comes in a piece a sentence: judge it whole
    doc = content[0].doc
    runs = adjacent_runs(doc, content)
    quoted = [_is_quotation(doc[run[0].start : run[-1].end]) for run in runs]
    if all(quoted):
        return "direct"
    if any(quoted) or any(ch in QUOTES - {"'", "’"} for c in content for ch in c.text):
        return "mixed"
    return "indirect"


def _is_quotation(span: Span) -> bool:
    """Whether the span is quoted: a quote mark opens it (first character, or
    the one just before it) and one closes it (last character, or within the
    punctuation right after it: '"..., ' + '"' + ' the mayor said')."""
    doc = span.doc
    # characters around the span from its neighbours (Doc.text would rebuild the text)
    before = doc[span.start - 1].text_with_ws[-1:] if span.start > 0 else ""
    opens = span.text[:1] in OPENING_QUOTES or before in OPENING_QUOTES
    closes = span.text.rstrip(TRAILING_PUNCT)[-1:] in CLOSING_QUOTES or span.text[-1:] in (
        CLOSING_QUOTES
    )
    following = doc[span.end : span.end + MAX_PUNCT_BEFORE_CLOSING]
    for i, token in enumerate(following):
        if closes or not token.is_punct or (i == 0 and span[-1].whitespace_):
            break
        closes = token.text in CLOSING_QUOTES
    return opens and closes
