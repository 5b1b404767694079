"""The vectorised decoding of the role tagger against spaCy's own, on real text."""

from __future__ import annotations

import json

import pytest
from conftest import POLNEAR_DEV

from sayso.attribution.decoding import can_decode, decode


@pytest.fixture(scope="module")
def taggers(attribution_nlp):
    return attribution_nlp.get_pipe("sayso_attribution").taggers


@pytest.fixture(scope="module")
def tagger(taggers):
    return taggers[0]


def _spacy_spans(tagger, docs):
    """spaCy's decoding, on copies of ``docs`` without their entities."""
    copies = [doc.copy() for doc in docs]
    for doc in copies:
        doc.ents = []
    tagger.set_annotations(copies, tagger.predict(copies))
    return [[(e.start, e.end, e.label_) for e in doc.ents] for doc in copies]


def test_the_shipped_taggers_are_decoded_by_sayso(taggers, attribution_nlp):
    assert len(taggers) == 2
    assert all(can_decode(tagger) for tagger in taggers)
    assert attribution_nlp.get_pipe("sayso_attribution").vectorised


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
    found = decode([tagger], docs)
    assert sum(len(spans) for spans in expected) > 100
    assert [[(int(s), int(e), label) for s, e, label, _ in spans] for spans in found] == expected
    assert all(0 < p <= 1 for spans in found for *_, p in spans)


def test_decoding_leaves_the_docs_entities_alone(attribution_nlp, taggers, example_text):
    (doc,) = _parse(attribution_nlp, [example_text])
    before = [(e.start, e.end, e.label_) for e in doc.ents]
    assert before
    decode(taggers, [doc])
    assert [(e.start, e.end, e.label_) for e in doc.ents] == before


def _dev_docs(attribution_nlp, n):
    with POLNEAR_DEV.open(encoding="utf8") as lines:
        texts = [json.loads(line)["text"] for line, _ in zip(lines, range(n), strict=False)]
    return _parse(attribution_nlp, texts)


def _without_probabilities(found):
    return [[span[:3] for span in spans] for spans in found]


def test_a_tagger_averaged_with_itself_decodes_as_alone(attribution_nlp, tagger):
    # averaging probabilities keeps each tagger's own best moves
    docs = _dev_docs(attribution_nlp, 4)
    twice, alone = decode([tagger, tagger], docs), decode([tagger], docs)
    assert _without_probabilities(twice) == _without_probabilities(alone)
    for spans, same in zip(twice, alone, strict=True):
        assert [p for *_, p in spans] == pytest.approx([p for *_, p in same])


def test_the_pair_keeps_what_both_taggers_find(attribution_nlp, taggers):
    docs = _dev_docs(attribution_nlp, 8)
    first, second = (_without_probabilities(decode([tagger], docs)) for tagger in taggers)
    pair = _without_probabilities(decode(taggers, docs))
    assert first != second and pair not in (first, second)
    # a span both find is the pair's too, unless the pair is inside another
    # span at its first word (each move both prefer, their average prefers)
    for one, two, both in zip(first, second, pair, strict=True):
        for start, end, label in set(one) & set(two):
            inside = any(s < start < e for s, e, _ in both)
            assert inside or (start, end, label) in both


def test_a_fast_extractor_has_one_tagger(attribution_nlp, tagger):
    from sayso.attribution.component import AttributionExtractor

    fast = AttributionExtractor(attribution_nlp, "fast", fast=True)
    assert len(fast.taggers) == 1
    docs = _dev_docs(attribution_nlp, 2)
    assert decode(fast.taggers, docs) == decode([tagger], docs)


def test_a_span_is_as_sure_as_its_opening_move(attribution_nlp, taggers):
    # "said" after a quote is a sure cue; a span the taggers hesitated over
    # (the lowest of the dev articles') is far less sure
    (doc,) = _parse(attribution_nlp, ['"We will win," the mayor said on Monday.'])
    spans = decode(taggers, [doc])[0]
    cue = [p for s, e, label, p in spans if label == "CUE" and doc[s:e].text == "said"]
    assert cue and cue[0] > 0.8
    lowest = min(p for spans in decode(taggers, _dev_docs(attribution_nlp, 4)) for *_, p in spans)
    assert lowest < 0.5


def test_a_missing_role_tagger_is_a_clear_error(attribution_nlp, tmp_path):
    from sayso.attribution.component import ROLES_DIRS, AttributionExtractor, RolesModelNotFound

    with pytest.raises(RolesModelNotFound, match="no role tagger at"):
        AttributionExtractor(attribution_nlp, "x", roles_models=[str(ROLES_DIRS[0]), str(tmp_path)])


def test_the_taggers_can_be_chosen(attribution_nlp):
    from sayso.attribution.component import ROLES_DIRS, AttributionExtractor

    second_alone = AttributionExtractor(attribution_nlp, "x", roles_models=[str(ROLES_DIRS[1])])
    assert len(second_alone.taggers) == 1 and second_alone.vectorised
    (doc,) = _parse(attribution_nlp, ['"We will win," the mayor said on Monday.'])
    (att,) = second_alone(doc)._.attributions
    assert (att.source.text, att.cue.text) == ("the mayor", "said")
