"""textacy's direct-quotation extractor as a baseline, in sayso's prediction shape.

``textacy.extract.triples.direct_quotations`` finds quoted text next to a
reporting verb with a subject (after Krestel, Bergler & Witte, "Minding the
Source: Automatic Tagging of Reported Speech in Newspaper Articles", LREC 2008).
It needs a parsed, tagged and lemmatized ``Doc``, and it gives up on the whole
document when the number of quotation marks is odd. The functions here turn
its triples into attribution dicts that :func:`sayso.evaluation.score` reads.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from spacy.tokens import Doc, Span, Token

INSTALL_HINT = 'pip install "sayso[baseline]"'


def textacy_attributions_or_none(doc: Doc) -> list[dict[str, Any]] | None:
    """textacy's direct quotations in ``doc`` as attribution dicts; None when textacy gives up.

    Out: one ``{"source": {"span": [s, e], "text": ...} | None, "cue": {"span":
    [s, e], "text": ...}, "content": {"spans": [[s, e]], "text": ...}}`` per
    quotation, in textacy's order. A role's span runs from the first to the
    last character of its tokens. None means the document has an odd number of
    quotation marks, on which textacy refuses to guess.
    """
    try:
        from textacy.extract.triples import direct_quotations
    except ImportError as error:
        raise ImportError(f"the textacy baseline needs textacy: {INSTALL_HINT}") from error
    try:
        triples = list(direct_quotations(doc))
    except ValueError:
        # textacy raises ValueError for both an unclosed quotation and an
        # unsupported language; only the first is a per-document give-up.
        if sum(token.is_quote for token in doc) % 2:
            return None
        raise
    return [
        {
            "source": _role(doc, triple.speaker),
            "cue": _role(doc, triple.cue),
            "content": {
                "spans": [[triple.content.start_char, triple.content.end_char]],
                "text": triple.content.text,
            },
        }
        for triple in triples
    ]


def textacy_attributions(doc: Doc) -> list[dict[str, Any]]:
    """Like :func:`textacy_attributions_or_none`, with ``[]`` where textacy gives up."""
    found = textacy_attributions_or_none(doc)
    return [] if found is None else found


def _role(doc: Doc, tokens: Sequence[Token] | Span) -> dict[str, Any] | None:
    if not len(tokens):
        return None
    start = min(token.idx for token in tokens)
    end = max(token.idx + len(token) for token in tokens)
    return {"span": [start, end], "text": doc.text[start:end]}
