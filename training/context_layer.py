"""A role tagger layer measured and not shipped: spaCy's Tok2Vec with the
means of each word's sentence and paragraph beside its CNN vector.

``training/spacy_code.py`` imports this module, so that a role tagger config
may name ``sayso.ContextTok2Vec.v1`` for its tok2vec (``training/README.md``,
"The role tagger", has what it scored). Not in the package: the shipped
tagger does not use it.
"""

from __future__ import annotations

import numpy
from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import Maxout, Model
from thinc.types import Floats2d


@registry.architectures("sayso.ContextTok2Vec.v1")
def ContextTok2Vec(
    embed: Model[list[Doc], list[Floats2d]],
    encode: Model[list[Floats2d], list[Floats2d]],
    width: int,
) -> Model[list[Doc], list[Floats2d]]:
    """``embed`` then ``encode`` (as ``spacy.Tok2Vec.v2``), plus one maxout
    layer over each word's vector beside the means of its sentence's and its
    paragraph's vectors, added back to the word's vector."""
    mix = Maxout(nO=width, nI=3 * width, nP=3, normalize=True)
    return Model(
        "context_tok2vec",
        _context_forward,
        layers=[embed, encode, mix],
        dims={"nO": width},
        init=_context_init,
    )


def _context_init(model: Model, X: list[Doc] | None = None, Y=None) -> None:
    embed, encode, mix = model.layers
    embed.initialize(X=X)
    encode.initialize(X=embed.predict(X) if X is not None else None)
    mix.initialize()


def context_segments(doc: Doc) -> tuple[numpy.ndarray, numpy.ndarray]:
    """Per token, the number of its sentence and of its paragraph in ``doc``
    (a paragraph ends at a whitespace token with a line break)."""
    starts = numpy.zeros(len(doc), dtype="int32")
    breaks = numpy.zeros(len(doc), dtype="int32")
    for token in doc:
        starts[token.i] = token.i > 0 and bool(token.is_sent_start)
        breaks[token.i] = token.is_space and "\n" in token.text
    return numpy.cumsum(starts), numpy.cumsum(breaks)


def _segment_means(vectors: Floats2d, segments: numpy.ndarray):
    """Each row's segment mean (segments are runs of equal numbers, in order),
    and the backprop of that."""
    if not len(segments):
        return vectors, lambda d_means: d_means
    starts = numpy.flatnonzero(numpy.r_[True, segments[1:] != segments[:-1]])
    counts = numpy.diff(numpy.r_[starts, len(segments)])
    sizes = counts[:, None].astype(vectors.dtype)

    def spread(rows: Floats2d) -> Floats2d:
        return numpy.repeat(numpy.add.reduceat(rows, starts, axis=0) / sizes, counts, axis=0)

    return spread(vectors), spread


def _context_forward(model: Model, docs: list[Doc], is_train: bool):
    if not docs:
        return [], lambda d_output: []
    embed, encode, mix = model.layers
    embedded, backprop_embed = embed(docs, is_train)
    encoded, backprop_encode = encode(embedded, is_train)
    width = model.get_dim("nO")
    vectors = numpy.concatenate(encoded)
    # numbered over the whole batch, so that no segment runs into the next Doc
    sentences, paragraphs, offset = [], [], 0
    for doc in docs:
        sentence, paragraph = context_segments(doc)
        sentences.append(sentence + offset)
        paragraphs.append(paragraph + offset)
        offset += len(doc) + 1
    sentence_means, backprop_sentence = _segment_means(vectors, numpy.concatenate(sentences))
    paragraph_means, backprop_paragraph = _segment_means(vectors, numpy.concatenate(paragraphs))
    mixed, backprop_mix = mix(numpy.hstack([vectors, sentence_means, paragraph_means]), is_train)
    splits = numpy.cumsum([len(doc) for doc in docs])[:-1]
    output = numpy.split(vectors + mixed, splits)

    def backprop(d_output: list[Floats2d]) -> list[Doc]:
        d_vectors = numpy.concatenate(d_output)
        d_mixed = backprop_mix(d_vectors)
        d_vectors = (
            d_vectors
            + d_mixed[:, :width]
            + backprop_sentence(d_mixed[:, width : 2 * width])
            + backprop_paragraph(d_mixed[:, 2 * width :])
        )
        return backprop_embed(backprop_encode(numpy.split(d_vectors, splits)))

    return output, backprop
