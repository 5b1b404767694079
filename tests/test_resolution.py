"""Entities, source resolution and the sourcing profile (sayso.resolution)."""

from __future__ import annotations

import time

import pytest
import spacy
from spacy.tokens import Doc, Span

from sayso.analysis import analyze
from sayso.attribution.linking import Attribution
from sayso.attribution.sources import classify_source
from sayso.output import source_dict
from sayso.reading import parse_date_line
from sayso.resolution import (
    describe_sources,
    find_entities,
    normalise,
    resolve_source,
    unlabelled_people,
)


def _doc(names: list[tuple[str, str]]) -> Doc:
    """A Doc of ``names`` (text, NER label) separated by ". ", each an entity."""
    words: list[str] = []
    spaces: list[bool] = []
    spans = []
    for name, label in names:
        start = len(words)
        parts = name.split()
        words += parts + ["."]
        spaces += [True] * (len(parts) - 1) + [False, True]
        spans.append((start, start + len(parts), label))
    doc = Doc(spacy.blank("en").vocab, words=words, spaces=spaces)
    doc.ents = [Span(doc, s, e, label=label) for s, e, label in spans]
    return doc


def _attribution(doc: Doc, source: str, cue: str) -> Attribution:
    """An attribution of the first ``source`` in ``doc`` and the first ``cue`` after it."""
    start = doc.text.index(source)
    cue_start = doc.text.index(cue, start)
    return Attribution(
        cue=doc.char_span(cue_start, cue_start + len(cue)),
        source=doc.char_span(start, start + len(source)),
    )


def _clusters(names: list[tuple[str, str]]) -> list[list[str]]:
    return [entity.aliases for entity in find_entities(_doc(names))]


@pytest.fixture(scope="module")
def result(attribution_nlp, example_text):
    return analyze(example_text, nlp=attribution_nlp)


@pytest.fixture(scope="module")
def body_doc(attribution_nlp, example_text):
    """The example parsed as ``analyze`` parses it (date line blanked)."""
    _, body_start = parse_date_line(example_text)
    return attribution_nlp(" " * body_start + example_text[body_start:])


def _entity(result, alias):
    return next(e for e in result["entities"] if alias in e["aliases"])


def test_spelling_variants_merge():
    assert _clusters([("Yoav Galant", "PERSON"), ("Yoav Gallant", "PERSON")]) == [
        ["Yoav Galant", "Yoav Gallant"]
    ]


def test_different_people_stay_apart():
    names = [("Benny Gantz", "PERSON"), ("Benjamin Netanyahu", "PERSON"), ("Iran", "LOC")]
    names.append(("Iraq", "LOC"))
    assert len(_clusters(names)) == 4


def test_surname_joins_earlier_full_name_only():
    assert _clusters([("Efraim Halevy", "PERSON"), ("Halevy", "PERSON")]) == [
        ["Efraim Halevy", "Halevy"]
    ]
    # a surname before any full name starts its own entity
    assert len(_clusters([("Halevy", "PERSON"), ("Dana Levin", "PERSON")])) == 2


@pytest.mark.parametrize("order", [1, -1])
def test_acronym_joins_expansion_either_way(order):
    names = [("Wall Street Journal", "ORG"), ("WSJ", "ORG")][::order]
    assert len(_clusters(names)) == 1
    assert find_entities(_doc(names))[0].name == "Wall Street Journal"


def test_capitals_match_ordinary_case():
    names = [("IRANIAN FOREIGN MINISTRY", "ORG"), ("Iranian Foreign Ministry", "ORG")]
    assert len(_clusters(names)) == 1
    assert normalise("The Ministry's") == "ministry"


def test_long_entity_list_is_fast():
    first = "Anna Boris Chen David Emeka Fatima Gustav Hiroshi Ingrid Jamal".split()
    last = (
        "Okafor Lindqvist Moreau Tanaka Kowalski Haddad Novak Brennan Castillo Petrov "
        "Nakamura Schultz Adeyemi Rossi Dubois Ivanova Mendoza Kaur Andersen Yilmaz "
        "Fischer Costa Sato Murphy Horvat Nguyen Ortega Laine Mbeki Quispe"
    ).split()
    names = [(f"{f} {la}", "PERSON") for f in first for la in last]
    assert len(names) == 300
    began = time.perf_counter()
    entities = find_entities(_doc(names * 2))
    assert time.perf_counter() - began < 5
    assert sum(len(e.mentions) for e in entities) == 600
    assert len(entities) >= 290  # a few near-identical made-up names may merge


def test_example_entities(result):
    galant = _entity(result, "Yoav Galant")
    assert "Yoav Gallant" in galant["aliases"]
    netanyahu = _entity(result, "Benjamin Netanyahu")
    assert len(netanyahu["mentions"]) >= 2
    assert any("Prime Minister" in d for d in netanyahu["descriptors"])
    halevy = _entity(result, "Efraim Halevy")
    assert "Halevy" in halevy["aliases"]
    assert "a former Mossad director" in halevy["descriptors"]
    assert _entity(result, "WSJ")["type"] == "organization"
    ids = [e["id"] for e in result["entities"]]
    assert ids == [f"e{i}" for i in range(1, len(ids) + 1)]


def test_mentions_slice_the_input(result, example_text):
    for entity in result["entities"]:
        for start, end in entity["mentions"]:
            assert example_text[start:end] in entity["aliases"]


def test_halevy_source_resolves(result):
    halevy = _entity(result, "Efraim Halevy")["id"]
    said = [a for a in result["attributions"] if a["source"] and a["source"]["text"] == "Halevy"]
    assert said and all(a["source"]["entity"] == halevy for a in said)


def test_who_resolves_to_the_name_its_clause_attaches_to(body_doc):
    entities = find_entities(body_doc)
    called = next(t for t in body_doc if t.text == "called")
    who = next(t for t in body_doc if t.text == "who" and t.head == called)
    att = Attribution(cue=body_doc[called.i : called.i + 1], source=body_doc[who.i : who.i + 1])
    halevy = next(e for e in entities if "Efraim Halevy" in e.aliases)
    assert resolve_source(att, entities, body_doc) == halevy.id


def _pronoun_source(doc, word, occurrence=0):
    """An attribution with ``word`` (its ``occurrence``-th use; -1: the last)
    as source and the word after it as cue."""
    pronoun = [t for t in doc if t.text == word][occurrence]
    return Attribution(
        cue=doc[pronoun.i + 1 : pronoun.i + 2], source=doc[pronoun.i : pronoun.i + 1]
    )


def test_pronoun_prefers_the_person_last_named_as_subject(attribution_nlp):
    doc = attribution_nlp("Benjamin Netanyahu met Efraim Halevy in Tel Aviv. He said it went well.")
    entities = find_entities(doc)
    netanyahu = next(e for e in entities if e.name == "Benjamin Netanyahu")
    att = _pronoun_source(doc, "He")
    assert resolve_source(att, entities, doc) == netanyahu.id
    source = source_dict(att.source, 0, netanyahu)
    assert (source["kind"], source["named"], source["entity"]) == ("person", True, netanyahu.id)


def test_pronoun_without_a_subject_nearby_takes_the_last_person(attribution_nlp):
    doc = attribution_nlp(
        "The award went to Maria Lopez and then to Tom Berg. He said it was fair."
    )
    entities = find_entities(doc)
    berg = next(e for e in entities if e.name == "Tom Berg")
    assert resolve_source(_pronoun_source(doc, "He"), entities, doc) == berg.id


def test_pronoun_skips_a_person_of_the_other_gender(attribution_nlp):
    doc = attribution_nlp(
        "The hearing was chaired by Margaret Hale. Later, George Fuller spoke to the press. "
        "She said the vote would be held in May."
    )
    entities = find_entities(doc)
    hale = next(e for e in entities if e.name == "Margaret Hale")
    assert (hale.gender, next(e for e in entities if e.name == "George Fuller").gender) == (
        "f",
        "m",
    )
    assert resolve_source(_pronoun_source(doc, "She"), entities, doc) == hale.id


def test_honorific_gives_the_gender(attribution_nlp):
    doc = attribution_nlp("Ms. Okafor met Mr. Lindqvist on Monday.")
    genders = {e.name: e.gender for e in find_entities(doc)}
    assert genders == {"Okafor": "f", "Lindqvist": "m"}


def test_pronoun_chain_keeps_the_centre_of_attention(attribution_nlp):
    # the last "He" is four sentences after the name: the chain of subject
    # pronouns leads back to it, past Paul Ward (named later, as an object)
    doc = attribution_nlp(
        "Daniel Marsh grew up in Leeds. He studied law. He moved to York in 1990. "
        "He met Paul Ward at a party. He said they were rivals."
    )
    entities = find_entities(doc)
    marsh = next(e for e in entities if e.name == "Daniel Marsh")
    assert resolve_source(_pronoun_source(doc, "He", -1), entities, doc) == marsh.id


def test_sourcing_counts_are_consistent(result):
    sourcing = result["sourcing"]
    n = len(result["attributions"])
    assert sourcing["attributions"] == n
    assert sourcing["named_sources"] + sourcing["unnamed_sources"] + sourcing["no_source"] == n
    assert sourcing["direct"] + sourcing["indirect"] + sourcing["mixed"] == n
    assert sourcing["distinct_sources"] <= n
    ids = {e["id"] for e in result["entities"] if e["type"] == "organization"}
    assert all(outlet["entity"] in ids for outlet in sourcing["outlets"])


def test_capital_names_in_text_work(attribution_nlp):
    text = "IRANIAN FOREIGN MINISTRY / AFP\n\nThe IRANIAN FOREIGN MINISTRY said talks would go on."
    result = analyze(text, nlp=attribution_nlp)
    assert result["error"] is None
    assert isinstance(result["entities"], list)


def test_definite_descriptions_join_earlier_groups(attribution_nlp):
    text = (
        "Israeli officials told the paper that talks had stalled. "
        "A report said the border was closed. "
        "The officials said a deal was near, and the report added that aid was late."
    )
    doc = attribution_nlp(text)
    atts = [
        _attribution(doc, "Israeli officials", "told"),
        _attribution(doc, "A report", "said"),
        _attribution(doc, "The officials", "said"),
        _attribution(doc, "the report", "added"),
    ]
    resolved: dict[tuple[int, int], str] = {}
    found = describe_sources(atts, resolved, first_id=5)
    ids = [resolved[(a.source.start_char, a.source.end_char)] for a in atts]
    assert ids[0] == ids[2] and ids[1] == ids[3] and ids[0] != ids[1]
    assert {e.id: e.type for e in found} == {ids[0]: "group", ids[1]: "document"}
    assert [e.id for e in found] == ["e5", "e6"]


def test_the_report_after_an_outlet_is_that_outlets(attribution_nlp):
    text = (
        "Ministry officials told Reuters that the plan was ready. "
        "The report, published on Friday, said the cost had doubled."
    )
    result = analyze(text, nlp=attribution_nlp)
    report = [a for a in result["attributions"] if "report" in (a["source"] or {}).get("text", "")]
    assert report, "no attribution with 'The report' as source"
    entity = next(e for e in result["entities"] if e["id"] == report[0]["source"]["entity"])
    assert (entity["type"], entity["name"]) == ("document", "Reuters report")


def test_example_report_is_the_wsj_report(result):
    names = {e["name"] for e in result["entities"] if e["type"] == "document"}
    assert names == {"WSJ report"}


def test_they_stands_for_the_group_quoted_just_before(attribution_nlp):
    text = (
        "Local farmers told the council that the new road floods every spring. "
        "They said the county had ignored their letters for years. "
        "The mayor said repairs would start in May."
    )
    result = analyze(text, nlp=attribution_nlp)
    by_source = {(a["source"] or {}).get("text"): a["source"] for a in result["attributions"]}
    assert {"Local farmers", "They"} <= set(by_source)
    farmers, they = by_source["Local farmers"], by_source["They"]
    assert farmers["entity"] is not None
    assert they["entity"] == farmers["entity"]
    assert (they["kind"], they["named"]) == ("group", False)


def test_they_far_from_any_group_stays_unresolved(attribution_nlp):
    doc = attribution_nlp(
        "Local farmers told the council that the road floods. The rain came early. "
        "The river rose. Schools closed. Buses stopped. They said nothing had changed."
    )
    atts = [_attribution(doc, "Local farmers", "told"), _attribution(doc, "They", "said")]
    resolved: dict[tuple[int, int], str] = {}
    describe_sources(atts, resolved)
    assert (atts[0].source.start_char, atts[0].source.end_char) in resolved
    assert (atts[1].source.start_char, atts[1].source.end_char) not in resolved


def test_it_stands_for_the_document_quoted_just_before(attribution_nlp):
    doc = attribution_nlp(
        "Farmers said the lake was shrinking. A new survey found that wells were drying up. "
        "It said the county had eight years of water left."
    )
    atts = [
        _attribution(doc, "Farmers", "said"),
        _attribution(doc, "A new survey", "found"),
        _attribution(doc, "It", "said"),
    ]
    resolved: dict[tuple[int, int], str] = {}
    found = describe_sources(atts, resolved)
    ids = [resolved.get((a.source.start_char, a.source.end_char)) for a in atts]
    types = {e.id: e.type for e in found}
    # "it" skips the group quoted first and takes the document
    assert types[ids[1]] == "document" and types[ids[0]] == "group"
    assert ids[2] == ids[1]


def test_indefinite_pronoun_sources_are_unnamed_groups(attribution_nlp):
    doc = attribution_nlp("Not everyone agreed, and someone said the plan would fail.")
    everyone = doc.char_span(4, 12)
    someone = doc.char_span(doc.text.index("someone"), doc.text.index("someone") + 7)
    assert classify_source(everyone) == ("group", False)
    assert classify_source(someone) == ("other", False)


def _without_people(doc: Doc) -> Doc:
    """``doc`` as if the NER had found no person (the case the rule is for)."""
    doc.ents = [ent for ent in doc.ents if ent.label_ != "PERSON"]
    return doc


def test_names_the_ner_missed_become_people_when_subjects(nlp):
    doc = _without_people(
        nlp(
            "Marisol walked to the river every morning. Mr. Okonkwo's dog followed her. "
            "The Pearson test on the river water came back clean."
        )
    )
    people = [span.text for span in unlabelled_people(doc)]
    # a subject and a possessor after an honorific; not a modifier ("Pearson")
    assert people == ["Marisol", "Okonkwo"]
    found = {e.name: e for e in find_entities(doc)}
    assert found["Marisol"].type == "person" and found["Marisol"].gender == "f"


def test_first_names_that_are_words_or_places_here_are_not_people(nlp):
    doc = nlp(
        "Virginia voted early. Coal towns in West Virginia waited. "
        "Case closed, and the case was filed away."
    )
    doc = _without_people(doc)
    assert "West Virginia" in [ent.text for ent in doc.ents]
    assert unlabelled_people(doc) == []
