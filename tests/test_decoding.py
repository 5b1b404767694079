"""The vectorised decoding of the role tagger against spaCy's own, on real text."""

from __future__ import annotations

import json

import pytest
from conftest import POLNEAR_DEV

from sayso.attribution.decoding import can_decode, decode


@pytest.fixture(scope="module")
def tagger(attribution_nlp):
    return attribution_nlp.get_pipe("sayso_attribution").tagger


def _spacy_spans(tagger, docs):
    """spaCy's decoding, on copies of ``docs`` without their entities."""
    copies = [doc.copy() for doc in docs]
    for doc in copies:
        doc.ents = []
    tagger.set_annotations(copies, tagger.predict(copies))
    return [[(e.start, e.end, e.label_) for e in doc.ents] for doc in copies]


def test_the_shipped_tagger_is_decoded_fast(tagger, attribution_nlp):
    assert can_decode(tagger)
    assert attribution_nlp.get_pipe("sayso_attribution").fast_decoding


def _parse(attribution_nlp, texts):
    """Parses on the tagger's vocab, without the attribution component."""
    with attribution_nlp.select_pipes(disable="sayso_attribution"):
        return list(attribution_nlp.pipe(texts))


def test_decoding_gives_spacys_spans(attribution_nlp, tagger, example_text):
    with POLNEAR_DEV.open(encoding="utf8") as lines:
        texts = [json.loads(line)["text"] for line, _ in zip(lines, range(6), strict=False)]
    # the example (entities preset by the pipeline, which both ignore), news
    # articles, and edge cases: one word, whitespace only, a span at the end
    texts += [example_text, "Yes.", "   ", 'He said: "We will win"']
    docs = _parse(attribution_nlp, texts)
    expected = _spacy_spans(tagger, docs)
    found = decode(tagger, docs)
    assert sum(len(spans) for spans in expected) > 100
    assert [[(int(s), int(e), label) for s, e, label in spans] for spans in found] == expected


def test_decoding_leaves_the_docs_entities_alone(attribution_nlp, tagger, example_text):
    (doc,) = _parse(attribution_nlp, [example_text])
    before = [(e.start, e.end, e.label_) for e in doc.ents]
    assert before
    decode(tagger, [doc])
    assert [(e.start, e.end, e.label_) for e in doc.ents] == before
