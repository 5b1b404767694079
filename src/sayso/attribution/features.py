"""Token features for the role tagger that a CNN window cannot see.

A direct quote may run for a whole paragraph; whether a token is inside one
decides whether it is content, but the tagger's CNN sees only a few words
either side. ``QuoteState`` gives every token, from a left-to-right scan of
its paragraph, whether it is a quote mark and whether it is inside a quote.
``sayso.QuoteEmbed.v1`` adds these to spaCy's hash embeddings; the role
tagger's config (``training/configs/roles.cfg``) names it, so this module must
be imported before the role tagger is loaded (``component.py`` does).
"""

from __future__ import annotations

import numpy
from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import Maxout, Model, chain, concatenate, with_array
from thinc.types import Floats2d

# Marks that open or close a quote; the ambiguous ones switch the state.
OPENING = frozenset({"“", "``", "«", "„"})
CLOSING = frozenset({"”", "»"})
SWITCHING = frozenset({'"', "''"})
# Feature columns: is a quote mark, inside a quote, paragraph opens with a quote
N_FEATURES = 3


def quote_features(doc: Doc) -> numpy.ndarray:
    """A (len(doc), N_FEATURES) float32 array of the quote state of each token."""
    features = numpy.zeros((len(doc), N_FEATURES), dtype="float32")
    inside = False
    paragraph_quoted = False
    paragraph_start = True
    for token in doc:
        if token.is_space and "\n" in token.text:
            inside = False  # a quote that goes on reopens in the next paragraph
            paragraph_start = True
            continue
        text = token.text
        is_mark = text in OPENING or text in CLOSING or text in SWITCHING
        if paragraph_start and not token.is_space:
            paragraph_quoted = text in OPENING or text in SWITCHING
            paragraph_start = False
        if text in OPENING:
            inside = True
        elif text in CLOSING:
            inside = False
        elif text in SWITCHING:
            inside = not inside
        features[token.i] = (float(is_mark), float(inside or is_mark), float(paragraph_quoted))
    return features


def QuoteState() -> Model[list[Doc], list[Floats2d]]:
    """The quote features of each Doc (no weights to learn)."""
    return Model("quote_state", _quote_state_forward, dims={"nO": N_FEATURES})


def _quote_state_forward(model: Model, docs: list[Doc], is_train: bool):
    arrays = [model.ops.asarray2f(quote_features(doc)) for doc in docs]

    def backprop(d_arrays: list[Floats2d]) -> list[Doc]:
        return []

    return arrays, backprop


@registry.architectures("sayso.QuoteEmbed.v1")
def QuoteEmbed(
    embed: Model[list[Doc], list[Floats2d]], width: int
) -> Model[list[Doc], list[Floats2d]]:
    """``embed`` (e.g. spacy.MultiHashEmbed.v2 of ``width``) with the quote
    features beside it, mixed back to ``width`` by one maxout layer."""
    return chain(
        concatenate(embed, QuoteState()),
        with_array(Maxout(nO=width, nI=width + N_FEATURES, nP=3, normalize=True)),
    )
