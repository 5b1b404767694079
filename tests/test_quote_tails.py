"""Quote tails: the verb and speaker after a quote's closing comma, on real
parses of small texts with the tagger's spans placed by hand."""

from __future__ import annotations

from sayso.attribution.linking import CONTENT, CUE, SOURCE, link
from sayso.attribution.quote_tails import with_quote_tails


def _span(doc, text, label):
    start = doc.text.index(text)
    span = doc.char_span(start, start + len(text), label=label)
    assert span is not None
    return span


def _labelled(roles):
    return sorted((r.label_, r.text) for r in roles)


def test_a_content_span_that_runs_into_the_tail_ends_at_the_quote(nlp):
    doc = nlp('"The ferry will run again in May," writes the harbour office.')
    # the tagger took the verb for part of the quote and found no cue
    run_on = _span(doc, '"The ferry will run again in May," writes', CONTENT)
    roles = with_quote_tails(doc, [run_on])
    assert _labelled(roles) == [
        (CONTENT, '"The ferry will run again in May,"'),
        (CUE, "writes"),
        (SOURCE, "the harbour office"),
    ]
    (att,) = link(doc, roles)
    assert (att.cue.text, att.source.text) == ("writes", "the harbour office")
    assert [c.text for c in att.content] == ['"The ferry will run again in May,"']


def test_speaker_before_the_verb(nlp):
    doc = nlp("“We have no money left for the roof,” she said, shaking her head.")
    roles = with_quote_tails(doc, [])
    assert _labelled(roles) == [(CUE, "said"), (SOURCE, "she")]


def test_tagged_cues_and_other_clauses_are_left_alone(nlp):
    doc = nlp('"It was fine," she said it twice. "Go," Lee told them.')
    tagged = [_span(doc, "Lee", SOURCE), _span(doc, "told", CUE)]
    # "said it twice" goes on past the speaker; "Lee told" is the tagger's already
    assert _labelled(with_quote_tails(doc, tagged)) == _labelled(tagged)
