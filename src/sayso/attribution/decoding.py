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

Given several taggers trained for the same moves, :func:`decode` takes each
step by their probabilities averaged (each tagger's scores through a
softmax), which is how sayso runs its pair of taggers: two taggers of
different design err in different places, and their average is more often
right than either (``README.md``, Accuracy). Each span comes with the
probability of the move that opened it, which :mod:`confidence` builds on.
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


def decode(
    taggers: Sequence[EntityRecognizer], docs: Sequence[Doc]
) -> list[list[tuple[int, int, str, float]]]:
    """The spans that ``taggers`` (one, or several with the same moves: their
    probabilities are averaged) find on ``docs``: (start, end, label,
    probability) with token offsets, one list a Doc, in order. The
    probability is that of the move that opened the span (the taggers'
    averaged softmax), how sure they were that a span of that label starts
    there. Entities on the Docs are ignored, not used as constraints."""
    names = _move_names(taggers[0])
    if any(_move_names(tagger) != names for tagger in taggers[1:]):
        raise ValueError("taggers decoded together must have the same moves")
    scorer = _Scorer([_layers(tagger, docs) for tagger in taggers])
    # outside a span, the features are the word and padding twice
    outside_scores = scorer.outside()
    moves = _Moves(names)
    found = []
    offset = 0
    for doc in docs:
        scores = outside_scores[offset : offset + len(doc)]
        spans = _decode_doc(doc, scores, scorer, offset, moves) if len(doc) else []
        probabilities = scorer.probabilities(scores[[start for start, _, _ in spans]])
        found.append(
            [
                (start, end, label, float(p[moves.opening(label, end - start)]))
                for (start, end, label), p in zip(spans, probabilities, strict=True)
            ]
        )
        offset += len(doc)
    return found


def _layers(tagger: EntityRecognizer, docs: Sequence[Doc]) -> _Layers:
    model = tagger.model
    lower, upper = model.get_ref("lower"), model.get_ref("upper")
    vectors = model.get_ref("tok2vec").predict(list(docs))
    # per word and feature, the hidden layer's input; row 0 is the padding
    cached = lower.predict(vectors)
    return _Layers(
        padding=cached[0],
        words=cached[1:],
        bias=lower.get_param("b"),
        weights=upper.get_param("W"),
        out_bias=upper.get_param("b"),
    )


@dataclass
class _Layers:
    """The tagger's hidden and output layers, with its input precomputed."""

    padding: numpy.ndarray
    words: numpy.ndarray
    bias: numpy.ndarray
    weights: numpy.ndarray
    out_bias: numpy.ndarray

    def scores(
        self,
        first: numpy.ndarray,
        second: numpy.ndarray,
        third: numpy.ndarray,
        classes: list[int] | None = None,
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


class _Scorer:
    """The scores of one tagger, or the averaged probabilities of several."""

    def __init__(self, layers: list[_Layers]) -> None:
        self.layers = layers

    def outside(self) -> numpy.ndarray:
        """Per word, the scores of each move from outside a span."""
        return self._combine(
            [
                each.scores(each.words[:, 0], each.padding[1], each.padding[2])
                for each in self.layers
            ]
        )

    def inside(self, rows: numpy.ndarray, begin: int, classes: list[int]) -> numpy.ndarray:
        """For the words at ``rows`` in a span begun at row ``begin``, the
        scores of ``classes``."""
        if len(self.layers) == 1:
            (each,) = self.layers
            return each.scores(
                each.words[rows, 0], each.words[begin, 1], each.words[rows - 1, 2], classes
            )
        all_scores = [
            each.scores(each.words[rows, 0], each.words[begin, 1], each.words[rows - 1, 2])
            for each in self.layers
        ]
        return self._combine(all_scores)[:, classes]

    def probabilities(self, scores: numpy.ndarray) -> numpy.ndarray:
        """``scores`` from :meth:`outside` as probabilities."""
        return _softmax(scores) if len(self.layers) == 1 else scores

    @staticmethod
    def _combine(all_scores: list[numpy.ndarray]) -> numpy.ndarray:
        if len(all_scores) == 1:
            return all_scores[0]
        return sum(_softmax(scores) for scores in all_scores) / len(all_scores)


def _softmax(scores: numpy.ndarray) -> numpy.ndarray:
    exp = numpy.exp(scores - scores.max(axis=1, keepdims=True))
    return exp / exp.sum(axis=1, keepdims=True)


class _Moves:
    """The moves' class indices, and per class its label and kind."""

    def __init__(self, names: list[str]) -> None:
        self.labels = _labels(names)
        index = {label: k for k, label in enumerate(self.labels)}
        self.begin = [names.index(f"B-{label}") for label in self.labels]
        self.inside = [names.index(f"I-{label}") for label in self.labels]
        self.last = [names.index(f"L-{label}") for label in self.labels]
        self.unit = [names.index(f"U-{label}") for label in self.labels]
        self.out = names.index("O")
        self.label_of = numpy.array([index.get(name[2:], -1) for name in names])
        self.opens = numpy.zeros(len(names), dtype=bool)  # B or U
        self.opens[self.begin + self.unit] = True

    def opening(self, label: str, length: int) -> int:
        """The class of the move that opens a span of ``label`` and ``length``."""
        k = self.labels.index(label)
        return self.begin[k] if length > 1 else self.unit[k]


def _decode_doc(
    doc: Doc, outside_scores: numpy.ndarray, scorer: _Scorer, offset: int, moves: _Moves
) -> list[tuple[int, int, str]]:
    n = len(doc)
    attrs = doc.to_array([IS_SPACE, SENT_START])
    space = attrs[:, 0].astype(bool)
    starts = attrs[:, 1] == 1
    # outside a span: B may not begin on whitespace, on the last word or
    # before a sentence start; U not on whitespace; O always
    next_starts = numpy.append(starts[1:], False)
    can_begin = ~space & (numpy.arange(n) < n - 1) & ~next_starts
    valid = numpy.zeros(outside_scores.shape, dtype=bool)
    valid[:, moves.begin] = can_begin[:, None]
    valid[:, moves.unit] = ~space[:, None]
    valid[:, moves.out] = True
    # the first best valid class, as spaCy takes it
    best = numpy.argmax(numpy.where(valid, outside_scores, -numpy.inf), axis=1)
    opening = numpy.flatnonzero(moves.opens[best])
    spans = []
    k = 0
    while k < len(opening):
        i = int(opening[k])
        label = int(moves.label_of[best[i]])
        end = i + 1
        if best[i] in moves.begin:  # B, not U: the span goes on
            end = _span_end(i, label, scorer, offset, starts, moves)
        spans.append((i, end, moves.labels[label]))
        k = int(numpy.searchsorted(opening, end))
    return spans


def _span_end(
    begin: int, label: int, scorer: _Scorer, offset: int, starts: numpy.ndarray, moves: _Moves
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
    inside, last = scorer.inside(rows, begin + offset, [moves.inside[label], moves.last[label]]).T
    ends = last > inside
    ends[-1] = True
    return begin + 2 + int(numpy.argmax(ends))


def _move_names(tagger: EntityRecognizer) -> list[str]:
    return [tagger.moves.get_class_name(i) for i in range(tagger.moves.n_moves)]


def _labels(names: list[str]) -> list[str]:
    return sorted({name[2:] for name in names if name.startswith("B-") and len(name) > 2})
