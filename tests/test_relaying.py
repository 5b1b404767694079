"""Relaying chains (``via``): the rules on attributions built by hand from a
parsed Doc, so that they do not hang on what the role tagger finds, and one
end-to-end run that holds whatever it finds."""

from __future__ import annotations

import jsonschema
from spacy.tokens import Doc, Span

from sayso.analysis import analyze
from sayso.attribution.linking import Attribution
from sayso.output import json_schema
from sayso.relaying import hearers, relays, via
from sayso.resolution import find_entities

OUTLET = "The Daily Example"


def _span(doc: Doc, text: str, after: int = 0) -> Span:
    """The span of the first ``text`` in ``doc`` at or after character ``after``."""
    start = doc.text.index(text, after)
    span = doc.char_span(start, start + len(text))
    assert span is not None, text
    return span


def _att(doc: Doc, cue: str, source: str | None, *content: str) -> Attribution:
    return Attribution(
        cue=_span(doc, cue),
        source=_span(doc, source) if source is not None else None,
        content=[_span(doc, c) for c in content],
    )


def _texts(spans: list[Span]) -> list[str]:
    return [s.text for s in spans]


def test_told_names_the_hearer(nlp):
    doc = nlp("Officials told the Journal that talks had stalled.")
    att = _att(doc, "told", "Officials", "that talks had stalled")
    assert _texts(hearers(att)) == ["the Journal"]
    assert _texts(relays(att, [att])) == ["the Journal"]


def test_told_a_multiword_outlet(nlp):
    doc = nlp("The minister told the Wall Street Journal that talks had stalled.")
    att = _att(doc, "told", "The minister", "that talks had stalled")
    assert _texts(relays(att, [att])) == ["the Wall Street Journal"]


def test_said_to_names_the_hearer(nlp):
    doc = nlp("Officials said to reporters that talks had stalled.")
    att = _att(doc, "said", "Officials", "that talks had stalled")
    assert _texts(relays(att, [att])) == ["reporters"]


def test_said_without_hearer_relays_nothing(nlp):
    doc = nlp("Officials said that talks had stalled.")
    att = _att(doc, "said", "Officials", "that talks had stalled")
    assert relays(att, [att]) == []


def test_quote_inside_a_quote_is_relayed_by_the_outer_source(nlp):
    doc = nlp('"Talks have stalled, the officials said," claims WSJ.')
    inner = _att(doc, "said", "the officials", "Talks have stalled")
    outer = _att(doc, "claims", "WSJ", '"Talks have stalled, the officials said,"')
    attributions = [inner, outer]
    assert _texts(relays(inner, attributions)) == ["WSJ"]
    assert relays(outer, attributions) == []


def test_cited_sources_are_relayed_by_the_report(nlp):
    doc = nlp("The report cited Israeli sources claiming that talks had stalled.")
    inner = _att(doc, "claiming", "Israeli sources", "that talks had stalled")
    outer = _att(doc, "cited", "The report", "Israeli sources claiming that talks had stalled")
    assert _texts(relays(inner, [outer, inner])) == ["The report"]


def test_chain_runs_nearest_first(nlp):
    doc = nlp("The minister told the Journal that the officials said talks had stalled.")
    inner = _att(doc, "said", "the officials", "talks had stalled")
    outer = _att(doc, "told", "The minister", "that the officials said talks had stalled")
    # the officials -> the minister -> the Journal
    assert _texts(relays(inner, [outer, inner])) == ["The minister", "the Journal"]


def test_according_to_relays_its_sentence_but_not_itself(nlp):
    doc = nlp("According to the report, officials intended to strike. Others said no.")
    according = _att(doc, "According to", "the report")
    intended = _att(doc, "intended", "officials", "to strike")
    other = _att(doc, "said", "Others", "no")
    attributions = [according, intended, other]
    assert _texts(relays(intended, attributions)) == ["the report"]
    assert relays(according, attributions) == []
    assert relays(other, attributions) == []


def test_via_dicts_offsets_entities_and_outlet_last(nlp):
    doc = nlp("Israeli officials told WSJ that talks had stalled.")
    att = _att(doc, "told", "Israeli officials", "that talks had stalled")
    offset = 100
    entities = find_entities(doc, offset)
    wsj = next(e.id for e in entities if e.name == "WSJ")
    start = doc.text.index("WSJ") + offset
    assert via(att, [att], offset, entities, OUTLET) == [
        {"text": "WSJ", "span": [start, start + 3], "entity": wsj},
        {"text": OUTLET, "span": None, "entity": None},
    ]
    assert via(att, [att]) == [
        {"text": "WSJ", "span": [start - offset, start - offset + 3], "entity": None}
    ]


def test_via_keeps_a_resolved_source(nlp):
    doc = nlp('"Talks have stalled, he said," the minister claimed.')
    inner = _att(doc, "said", "he", "Talks have stalled")
    outer = _att(doc, "claimed", "the minister", '"Talks have stalled, he said,"')
    key = (outer.source.start_char, outer.source.end_char)
    links = via(inner, [inner, outer], resolved={key: "e1"})
    assert links == [{"text": "the minister", "span": list(key), "entity": "e1"}]


def test_analyze_adds_via_to_every_attribution(attribution_nlp):
    text = (
        "Israeli officials told the Journal that talks had stalled. "
        '"The talks are over," the minister said.'
    )
    result = analyze(text, outlet=OUTLET, nlp=attribution_nlp)
    jsonschema.validate(result, json_schema())
    assert result["attributions"]
    for att in result["attributions"]:
        assert att["via"][-1] == {"text": OUTLET, "span": None, "entity": None}
        for link in att["via"][:-1]:
            assert text[link["span"][0] : link["span"][1]] == link["text"]
        if att["cue"]["text"] == "told":
            assert att["via"][0]["text"] == "the Journal"


def test_analyze_without_outlet_leaves_via_empty(attribution_nlp):
    result = analyze('"The talks are over," the minister said.', nlp=attribution_nlp)
    assert all(att["via"] == [] for att in result["attributions"])
