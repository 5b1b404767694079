"""The quote state the role tagger reads and the LSTM encoder (sayso.attribution.features)."""

from __future__ import annotations

import numpy
import pytest
from spacy.util import registry

from sayso.attribution.features import N_FEATURES, WindowLSTMEncoder, quote_features


def _inside(doc):
    features = quote_features(doc)
    return [t.text for t in doc if features[t.i, 1] and not features[t.i, 0]]


def test_curly_quote_over_two_sentences(nlp):
    doc = nlp("The mayor said: “We will rebuild. It will take time.” Then she left.")
    assert quote_features(doc).shape == (len(doc), N_FEATURES)
    assert _inside(doc) == ["We", "will", "rebuild", ".", "It", "will", "take", "time", "."]


def test_straight_and_doubled_quotes_switch(nlp):
    doc = nlp("''It is over,'' he said. \"Done,\" she added.")
    assert _inside(doc) == ["It", "is", "over", ",", "Done", ","]


def test_an_open_quote_ends_with_its_paragraph(nlp):
    doc = nlp("“The first part of a long quote.\n\n“And the second,” he said.\n\nNot quoted.")
    features = quote_features(doc)
    not_quoted = [t for t in doc if t.text == "Not"][0]
    assert features[not_quoted.i, 1] == 0
    second = [t for t in doc if t.text == "second"][0]
    assert features[second.i, 1] == 1 and features[second.i, 2] == 1


@pytest.mark.parametrize("residual", [False, True])
def test_the_lstm_encoder_sees_past_the_cnn_window(residual):
    # Two sequences of 20 word vectors that differ in their 13th only. A CNN
    # of two layers of two words a side cannot carry that back to the first
    # word; with the LSTM on top (sayso.WindowLSTMEncoder.v1) it reaches it,
    # whether the LSTM's output replaces the CNN's or is added to it.
    rng = numpy.random.default_rng(0)
    words = rng.normal(size=(20, 16)).astype("float32")
    changed = words.copy()
    changed[12] += 1.0
    settings = {"width": 16, "window_size": 2, "maxout_pieces": 3, "depth": 2}
    cnn = registry.get("architectures", "spacy.MaxoutWindowEncoder.v2")(**settings)
    lstm = WindowLSTMEncoder(**settings, lstm_depth=1, dropout=0.0, residual=residual)
    for model in (cnn, lstm):
        model.initialize(X=[words])
    cnn_first, cnn_changed = (cnn.predict([x])[0] for x in (words, changed))
    lstm_first, lstm_changed = (lstm.predict([x])[0] for x in (words, changed))
    assert numpy.array_equal(cnn_first[0], cnn_changed[0])
    assert not numpy.allclose(lstm_first[0], lstm_changed[0])
    assert lstm_first.shape == (20, 16)
