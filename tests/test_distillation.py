"""The distilled role tagger's recipe (training/distillation.py): the teachers
score the very states the student is trained on, and the packaged tagger is
a plain ``ner`` component."""

from __future__ import annotations

import numpy
import pytest
import spacy
from conftest import training_module

from sayso.attribution.component import ROLES_DIRS
from sayso.attribution.decoding import _move_names, _softmax

distillation = training_module("distillation")
package_model = training_module("package_model")

TEXTS = [
    'The harbour master said the ferry would not run on Sunday. "We have no crew," she added.',
    "According to the island council, the new timetable starts in May, a spokesman told reporters.",
]


@pytest.fixture(scope="module")
def setup(attribution_nlp):
    with attribution_nlp.select_pipes(disable="sayso_attribution"):
        docs = list(attribution_nlp.pipe(TEXTS))
    teachers = attribution_nlp.get_pipe("sayso_attribution").taggers
    # the CNN as spaCy loads it (not premixed), as training runs it
    student = spacy.load(ROLES_DIRS[0], vocab=attribution_nlp.vocab).get_pipe("roles")
    return docs, teachers, student


def _largest_gap(student, teacher, docs):
    """Over the student's own greedy moves on ``docs``, the largest gap
    between its move probabilities and ``teacher``'s on the same states."""
    order = distillation.move_order(_move_names(student), _move_names(teacher))
    features = [distillation.teacher_features(teacher, docs)]
    step = student.model.predict(docs)
    states = student.moves.init_batch(docs)
    gap = 0.0
    while states:
        ids = step.get_token_ids(states) + 1
        scores = step.predict(states)
        target = distillation.teacher_probabilities(features, ids)[:, order]
        gap = max(gap, float(numpy.abs(_softmax(scores) - target).max()))
        states = student.transition_states(states, scores)
    return gap


def test_a_teacher_with_the_students_weights_scores_its_states_alike(setup):
    docs, (cnn, lstm), student = setup
    # the same weights (premixed in the teacher): the same probabilities
    assert _largest_gap(student, cnn, docs) < 1e-4
    # another tagger on the same states does differ: the check can fail
    assert _largest_gap(student, lstm, docs) > 0.01


def test_a_distilled_tagger_is_packaged_as_plain_ner(tmp_path):
    nlp = spacy.blank("en")
    roles = nlp.add_pipe("sayso_distilled_roles", name="roles", config={"teachers": []})
    for label in ("CUE", "SOURCE", "CONTENT"):
        roles.add_label(label)
    nlp.initialize()
    nlp.to_disk(tmp_path / "trained")
    plain = package_model._as_plain_ner(tmp_path / "trained", tmp_path / "plain")
    loaded = spacy.load(plain)
    assert loaded.get_pipe_meta("roles").factory == "ner"
    assert "teachers" not in loaded.config["components"]["roles"]
    assert sorted(loaded.get_pipe("roles").labels) == ["CONTENT", "CUE", "SOURCE"]
    # the weights travel unchanged
    doc = nlp.make_doc("The mayor said so.")
    assert numpy.array_equal(
        roles.model.predict([doc]).predict(roles.moves.init_batch([doc])),
        loaded.get_pipe("roles")
        .model.predict([doc])
        .predict(loaded.get_pipe("roles").moves.init_batch([doc])),
    )
