"""What the role tagger's tok2vec sees beyond a CNN window.

A direct quote may run for a whole paragraph, and a content clause for a whole
sentence; a CNN sees only a few words either side. The role tagger's config
(``training/configs/roles.cfg``) names ``sayso.QuoteEmbed.v1``, so this module
must be imported before the role tagger is loaded (``component.py`` does):

- ``sayso.QuoteEmbed.v1``: spaCy's hash embeddings plus, from a left-to-right
  scan of each paragraph (``QuoteState``), whether a token is a quote mark and
  whether it is inside a quote;
- ``sayso.WindowLSTMEncoder.v1``: spaCy's CNN with a bidirectional LSTM over
  the whole Doc on top, so that each word's vector also reflects where its
  sentence and clause begin and end. The second tagger of the pair,
  ``roles_lstm`` (``training/configs/roles_lstm.cfg``), uses it.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy
from spacy.ml.models.tok2vec import MaxoutWindowEncoder
from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import LSTM, Maxout, Model, chain, concatenate, with_array, with_padded
from thinc.api import residual as residual_layer
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


def DocFeatures(
    name: str, compute: Callable[[Doc], numpy.ndarray], width: int
) -> Model[list[Doc], list[Floats2d]]:
    """A layer with no weights to learn: ``compute(doc)``, a (len(doc),
    ``width``) array, for each Doc."""
    return Model(name, _doc_features_forward, dims={"nO": width}, attrs={"compute": compute})


def _doc_features_forward(model: Model, docs: list[Doc], is_train: bool):
    compute = model.attrs["compute"]
    arrays = [model.ops.asarray2f(compute(doc)) for doc in docs]

    def backprop(d_arrays: list[Floats2d]) -> list[Doc]:
        return []

    return arrays, backprop


def QuoteState() -> Model[list[Doc], list[Floats2d]]:
    """The quote features of each Doc."""
    return DocFeatures("quote_state", quote_features, N_FEATURES)


def with_features_beside(
    embed: Model[list[Doc], list[Floats2d]], width: int, features: list[Model]
) -> Model[list[Doc], list[Floats2d]]:
    """``embed`` (``width`` wide) with weightless ``features`` layers beside
    it, mixed back to ``width`` by one maxout layer."""
    n_inputs = width + sum(layer.get_dim("nO") for layer in features)
    return chain(
        concatenate(embed, *features),
        with_array(Maxout(nO=width, nI=n_inputs, nP=3, normalize=True)),
    )


@registry.architectures("sayso.QuoteEmbed.v1")
def QuoteEmbed(
    embed: Model[list[Doc], list[Floats2d]], width: int
) -> Model[list[Doc], list[Floats2d]]:
    """``embed`` (e.g. spacy.MultiHashEmbed.v2 of ``width``) with the quote
    features beside it, mixed back to ``width`` by one maxout layer."""
    return with_features_beside(embed, width, [QuoteState()])


@registry.architectures("sayso.WindowLSTMEncoder.v1")
def WindowLSTMEncoder(
    width: int,
    window_size: int,
    maxout_pieces: int,
    depth: int,
    lstm_depth: int,
    dropout: float,
    residual: bool = False,
) -> Model[list[Floats2d], list[Floats2d]]:
    """spaCy's CNN (``spacy.MaxoutWindowEncoder.v2``) under a bidirectional
    LSTM over each whole Doc (``width`` wide, half each way; ``dropout`` on its
    weights while training). With ``residual``, the LSTM's output is added to
    the CNN's, so that what the window sees stays in each word's vector."""
    cnn = MaxoutWindowEncoder(
        width=width, window_size=window_size, maxout_pieces=maxout_pieces, depth=depth
    )
    lstm = with_padded(LSTM(nO=width, nI=width, bi=True, depth=lstm_depth, dropout=dropout))
    return chain(cnn, residual_layer(lstm) if residual else lstm)
