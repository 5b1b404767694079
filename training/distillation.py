"""A role tagger that learns from the gold spans and from the shipped pair.

``sayso_distilled_roles`` is spaCy's ``ner`` component with one change to its
update: at each move, the gradient is a mix of spaCy's own loss against the
gold moves and the difference between the tagger's probabilities and those
of teacher taggers averaged (as ``sayso.attribution.decoding`` averages
them at run time), scored on the very same states. The teachers' averaged
probabilities say, where gold only says which move is right, how likely the
others are: a single tagger trained so can learn some of what the pair
knows and run at the cost of one tagger.

Used by ``configs/roles_lstm_distilled.cfg`` (measured, not shipped:
``training/README.md``, "Distillation"); ``spacy_code.py`` imports this
file. The weights it trains are those of a plain ``ner`` component, and
``package_model.py`` would ship them as one.
"""

from __future__ import annotations

import random
from pathlib import Path

import numpy
from spacy.language import Language
from spacy.pipeline.ner import DEFAULT_NER_MODEL, EntityRecognizer
from spacy.training import validate_examples
from thinc.api import set_dropout_rate

from sayso.attribution.component import _load_tagger
from sayso.attribution.decoding import _layers, _move_names, _softmax


@Language.factory(
    "sayso_distilled_roles",
    assigns=["doc.ents", "token.ent_iob", "token.ent_type"],
    default_config={
        "moves": None,
        "update_with_oracle_cut_size": 100,
        "model": DEFAULT_NER_MODEL,
        "incorrect_spans_key": None,
        "scorer": {"@scorers": "spacy.ner_scorer.v1"},
        "teachers": [],
        "teacher_weight": 0.5,
    },
    default_score_weights={"ents_f": 1.0, "ents_p": 0.0, "ents_r": 0.0, "ents_per_type": None},
)
def make_distilled_roles(
    nlp,
    name,
    model,
    moves,
    update_with_oracle_cut_size,
    incorrect_spans_key,
    scorer,
    teachers,
    teacher_weight,
):
    return DistilledRoles(
        nlp,
        model,
        name=name,
        moves=moves,
        update_with_oracle_cut_size=update_with_oracle_cut_size,
        incorrect_spans_key=incorrect_spans_key,
        scorer=scorer,
        teachers=teachers,
        teacher_weight=teacher_weight,
    )


class DistilledRoles(EntityRecognizer):
    def __init__(self, nlp, model, *, teachers, teacher_weight, **kwargs):
        super().__init__(nlp.vocab, model, **kwargs)
        self.teachers = [_load_tagger(Path(path), nlp) for path in teachers]
        self.teacher_weight = teacher_weight
        self._order = None

    def update(self, examples, *, drop=0.0, sgd=None, losses=None):
        """spaCy's greedy update (``Parser.update``), with the teachers'
        probabilities mixed into the loss."""
        if not self.teachers:
            return super().update(examples, drop=drop, sgd=sgd, losses=losses)
        if losses is None:
            losses = {}
        losses.setdefault(self.name, 0.0)
        losses.setdefault(self.name + "_teacher", 0.0)
        validate_examples(examples, "DistilledRoles.update")
        self._ensure_labels_are_added([eg.x for eg in examples] + [eg.y for eg in examples])
        if not any(self.moves.has_gold(eg) for eg in examples):
            return losses
        set_dropout_rate(self.model, drop)
        max_moves = self.cfg["update_with_oracle_cut_size"]
        max_moves = int(random.uniform(max_moves // 2, max_moves * 2))
        states, golds, _ = self._init_gold_batch(examples, max_length=max_moves)
        if not states:
            return losses
        docs = [eg.x for eg in examples]
        model, backprop_tok2vec = self.model.begin_update(docs)
        teachers = [teacher_features(teacher, docs) for teacher in self.teachers]
        order = self._teacher_order()
        weight = self.teacher_weight
        states_golds = list(zip(states, golds, strict=True))
        n_moves = 0
        while states_golds:
            states, golds = zip(*states_golds, strict=True)
            # the state features before the student's step model filters them
            ids = model.get_token_ids(states) + 1  # row 0 is the padding
            scores, backprop = model.begin_update(states)
            d_gold = self.get_batch_loss(states, golds, scores, None)
            d_teacher = _softmax(scores) - teacher_probabilities(teachers, ids)[:, order]
            d_scores = (1 - weight) * d_gold + weight * d_teacher
            losses[self.name] += float((d_gold**2).sum())
            losses[self.name + "_teacher"] += float((d_teacher**2).sum())
            backprop(numpy.ascontiguousarray(d_scores, dtype="f"))
            self.transition_states(states, scores)
            states_golds = [(s, g) for s, g in zip(states, golds, strict=True) if not s.is_final()]
            if n_moves >= max_moves:
                break
            n_moves += 1
        backprop_tok2vec(golds)
        if sgd not in (None, False):
            self.finish_update(sgd)
        model.clear_memory()
        return losses

    def _teacher_order(self):
        """For each of the student's moves, the index of the same move among
        the teachers' (which must all have the same moves)."""
        if self._order is None:
            theirs = _move_names(self.teachers[0])
            if any(_move_names(t) != theirs for t in self.teachers[1:]):
                raise ValueError("the teachers' moves differ from one another")
            self._order = move_order(_move_names(self), theirs)
        return self._order


def move_order(mine, theirs):
    """For each move name in ``mine``, its index in ``theirs`` (the same
    moves, perhaps in another order)."""
    if set(mine) != set(theirs):
        raise ValueError("the teachers' moves differ from the student's")
    return numpy.array([theirs.index(name) for name in mine])


def teacher_features(tagger, docs):
    """A teacher's layers on ``docs``, and per word (after a padding row) the
    hidden layer's input for each state feature."""
    layers = _layers(tagger, docs)
    return layers, numpy.concatenate([layers.padding[None], layers.words], axis=0)


def teacher_probabilities(teachers, ids):
    """The teachers' averaged move probabilities (in the teachers' order of
    moves) for states whose features are the words ``ids`` (from
    ``ParserStepModel.get_token_ids``, plus one: 0 is the padding)."""
    return sum(
        _softmax(layers.scores(rows[ids[:, 0], 0], rows[ids[:, 1], 1], rows[ids[:, 2], 2]))
        for layers, rows in teachers
    ) / len(teachers)
