"""The quote state the role tagger reads (sayso.attribution.features)."""

from __future__ import annotations

from sayso.attribution.features import N_FEATURES, quote_features


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
