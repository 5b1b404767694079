"""Greedy decoding of the role tagger, vectorised.

The role tagger is spaCy's transition-based span tagger (the ``ner``
architecture): for each word in turn it scores the moves B-, I-, L-, U-
(begin, inside, last, unit) of each label and O, from three word vectors
(the word, the first word of the span it is in, the word before), and takes
the best valid move. spaCy runs that loop in C, one word of every Doc of a
batch at a time, and on this CPU it cost a fifth of the tagger's time.

The loop is short because of what the moves allow. Outside a span, the
scores depend on the word alone (the other two vectors are padding), so
they are computed for all words at once. A span, once begun, can only go
on (I) or end (L) with the label it began with, so the word where it ends
is found by one comparison over the rest of the sentence. Python then steps
from span to span, not from word to word.

:func:`decode` gives the same spans as spaCy's decoding with no entities
preset on the Doc (``tests/test_decoding.py`` compares them on real text);
:func:`can_decode` says whether a tagger has the shape it assumes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy
from spacy.attrs import IS_SPACE, SENT_START
from spacy.pipeline import EntityRecognizer
from spacy.tokens import Doc

# The three vectors of a state of spaCy's NER transition system.
N_FEATURES = 3
# Maxout pieces of the tagger's hidden layer that _Layers.scores is written for.
N_PIECES = 3


def can_decode(tagger: EntityRecognizer) -> bool:
    """Whether ``tagger`` has the shape :func:`decode` assumes: BILUO moves
    for its labels, an output layer, three state features, three maxout
    pieces, and no classes masked as unseen."""
    model = tagger.model
    if not model.attrs.get("has_upper") or model.attrs.get("unseen_classes"):
        return False
    lower = model.get_ref("lower")
    if lower.get_dim("nF") != N_FEATURES or lower.get_dim("nP") != N_PIECES:
        return False
    names = _move_names(tagger)
    labels = _labels(names)
    wanted = {f"{move}-{label}" for move in "BILU" for label in labels} | {"O"}
    return bool(labels) and wanted <= set(names)


def decode(tagger: EntityRecognizer, docs: Sequence[Doc]) -> list[list[tuple[int, int, str]]]:
    """The tagger's spans on ``docs``: (start, end, label) token offsets, one
    list a Doc, in order. Entities on the Docs are ignored, not used as
    constraints."""
    model = tagger.model
    lower, upper = model.get_ref("lower"), model.get_ref("upper")
    vectors = model.get_ref("tok2vec").predict(list(docs))
    # per word and feature, the hidden layer's input; row 0 is the padding
    cached = lower.predict(vectors)
    layers = _Layers(
        padding=cached[0],
        words=cached[1:],
        bias=lower.get_param("b"),
        weights=upper.get_param("W"),
        out_bias=upper.get_param("b"),
    )
    # outside a span, the features are the word and padding twice
    outside_scores = layers.scores(layers.words[:, 0], layers.padding[1], layers.padding[2])
    moves = _Moves(_move_names(tagger))
    found = []
    offset = 0
    for doc in docs:
        scores = outside_scores[offset : offset + len(doc)]
        found.append(_decode_doc(doc, scores, layers, offset, moves) if len(doc) else [])
        offset += len(doc)
    return found


@dataclass
class _Layers:
    """The tagger's hidden and output layers, with its input precomputed."""

    padding: numpy.ndarray
    words: numpy.ndarray
    bias: numpy.ndarray
    weights: numpy.ndarray
    out_bias: numpy.ndarray

    def scores(
        self, first: numpy.ndarray, second: numpy.ndarray, third: numpy.ndarray, classes=None
    ) -> numpy.ndarray:
        """Class scores from the three features (added in spaCy's order, so
        that the sums are the same to the bit), for ``classes`` or all."""
        hidden = first + second
        hidden += third
        hidden += self.bias
        # maxout over the pieces of each hidden unit
        hidden = numpy.maximum(numpy.maximum(hidden[..., 0], hidden[..., 1]), hidden[..., 2])
        weights = self.weights if classes is None else self.weights[classes]
        out_bias = self.out_bias if classes is None else self.out_bias[classes]
        scores = hidden @ weights.T
        scores += out_bias
        return scores


class _Moves:
    """Class indices of the moves, by label."""

    def __init__(self, names: list[str]) -> None:
        self.labels = _labels(names)
        self.begin = numpy.array([names.index(f"B-{label}") for label in self.labels])
        self.inside = numpy.array([names.index(f"I-{label}") for label in self.labels])
        self.last = numpy.array([names.index(f"L-{label}") for label in self.labels])
        self.unit = numpy.array([names.index(f"U-{label}") for label in self.labels])
        self.out = names.index("O")
        # the columns begin..., unit..., out put back in class order: spaCy
        # takes the first best valid class
        columns = numpy.concatenate([self.begin, self.unit, [self.out]])
        self.by_class = numpy.argsort(columns, kind="stable")


def _decode_doc(
    doc: Doc, outside_scores: numpy.ndarray, layers: _Layers, offset: int, moves: _Moves
) -> list[tuple[int, int, str]]:
    n, n_labels = len(doc), len(moves.labels)
    attrs = doc.to_array([IS_SPACE, SENT_START])
    space = attrs[:, 0].astype(bool)
    starts = attrs[:, 1] == 1
    # a span may not run into the next sentence, nor begin on the last word
    # or on whitespace
    next_starts = numpy.append(starts[1:], False)
    is_last = numpy.arange(n) == n - 1
    can_begin = ~space & ~is_last & ~next_starts
    scores = numpy.concatenate(
        [
            outside_scores[:, moves.begin],
            outside_scores[:, moves.unit],
            outside_scores[:, [moves.out]],
        ],
        axis=1,
    )
    valid = numpy.concatenate(
        [
            numpy.repeat(can_begin[:, None], n_labels, axis=1),
            numpy.repeat(~space[:, None], n_labels, axis=1),
            numpy.ones((n, 1), dtype=bool),
        ],
        axis=1,
    )
    masked = numpy.where(valid, scores, -numpy.inf)[:, moves.by_class]
    best = moves.by_class[numpy.argmax(masked, axis=1)]
    acting = numpy.flatnonzero(best < 2 * n_labels)  # words where a span begins
    spans = []
    k = 0
    while k < len(acting):
        i = int(acting[k])
        label = int(best[i] % n_labels)
        end = i + 1
        if best[i] < n_labels:  # B, not U: the span goes on
            end = _span_end(i, label, layers, offset, starts, moves)
        spans.append((i, end, moves.labels[label]))
        k = int(numpy.searchsorted(acting, end))
    return spans


def _span_end(
    begin: int, label: int, layers: _Layers, offset: int, starts: numpy.ndarray, moves: _Moves
) -> int:
    """The end of the span begun at ``begin``: after the first word past it
    where L beats I, or where I is not allowed (the next word starts a
    sentence, or this one ends the Doc). On a tie I wins, as its class
    comes first."""
    n = len(starts)
    later_starts = numpy.flatnonzero(starts[begin + 2 :])
    stop = begin + 2 + int(later_starts[0]) if len(later_starts) else n
    rows = numpy.arange(begin + 1, stop) + offset
    # inside a span, the features are the word, the span's first word and
    # the word before
    inside, last = layers.scores(
        layers.words[rows, 0],
        layers.words[begin + offset, 1],
        layers.words[rows - 1, 2],
        classes=[moves.inside[label], moves.last[label]],
    ).T
    ends = last > inside
    ends[-1] = True
    return begin + 2 + int(numpy.argmax(ends))


def _move_names(tagger: EntityRecognizer) -> list[str]:
    return [tagger.moves.get_class_name(i) for i in range(tagger.moves.n_moves)]


def _labels(names: list[str]) -> list[str]:
    return sorted({name[2:] for name in names if name.startswith("B-") and len(name) > 2})
