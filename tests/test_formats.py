"""Attributions the layout makes (sayso.attribution.formats)."""

from __future__ import annotations

from sayso.analysis import analyze
from sayso.attribution.formats import headline_statement, signed_quotes, transcript_turns

READERS = (
    "We asked readers what the vote means to them.\n\n"
    "“We were never asked what we wanted. Nobody came to the valley.” ― Dana Whitfield\n"
    "“The bridge matters more than the stadium.”\xa0― Jo Ann B. Okafor.\n\n"
    "Photo: City archive.\n"
)


def test_each_signature_signs_the_quote_of_its_line(nlp):
    found = signed_quotes(nlp(READERS))
    assert [(a.cue.text, a.source.text) for a in found] == [
        ("―", "Dana Whitfield"),
        ("―", "Jo Ann B. Okafor"),
    ]
    first = found[0].content
    assert first[0].text.startswith("“We were never asked")
    assert first[-1].text.endswith("valley.”")


def test_a_signature_on_its_own_paragraph(nlp):
    text = '"The mill will stay open until spring."\n\n- Mayor Lindqvist.\n\nThe council met later.'
    (found,) = signed_quotes(nlp(text))
    assert found.source.text == "Mayor Lindqvist"
    assert [c.text for c in found.content] == ['"The mill will stay open until spring."']


def test_dashes_that_are_not_signatures(nlp):
    texts = [
        # an aside between dashes
        "The plan ― a costly one ― passed.",
        # a dash after a quote that does not open its paragraph
        'He called it "a disgrace" ― Mr. Adeyemi disagreed with him strongly.',
        # a dash after a quote, then a sentence, not a name
        "“We will win.” — that was the promise.",
    ]
    for text in texts:
        assert signed_quotes(nlp(text)) == [], text


def test_signed_quotes_reach_the_output(attribution_nlp):
    result = analyze(READERS, id="readers", nlp=attribution_nlp)
    signed = [a for a in result["attributions"] if a["cue"]["text"] == "―"]
    assert [a["source"]["text"] for a in signed] == ["Dana Whitfield", "Jo Ann B. Okafor"]
    assert signed[0]["type"] == "direct"
    assert signed[0]["content"]["text"].startswith("“We were never asked")
    # the tagger's own spans over those words are gone: nothing else claims them
    others = [a for a in result["attributions"] if a["cue"]["text"] != "―"]
    for att in others:
        for start, end in att["content"]["spans"]:
            assert "Nobody came" not in READERS[start:end]


TRANSCRIPT = (
    "Part of the interview follows.\n\n"
    '"HOST: Will you run for the seat again next year?\n\n'
    '"MARIA OKAFOR: Not this year. My family comes first.\n\n'
    '"HOST: And after that?\n\n'
    "UPDATE: The interview was shortened for length.\n"
)


def test_transcript_turns(nlp):
    turns = transcript_turns(nlp(TRANSCRIPT))
    assert [(a.cue.text, a.source.text) for a in turns] == [
        (":", "HOST"),
        (":", "MARIA OKAFOR"),
        (":", "HOST"),
    ]
    assert [c.text for c in turns[1].content] == ["Not this year.", "My family comes first."]
    assert turns[0].content[-1].text.endswith("next year?")


def test_one_capitalized_label_is_a_heading(nlp):
    text = "UPDATE: The vote was moved to Friday.\n\nCouncillors met on Monday."
    assert transcript_turns(nlp(text)) == []


def test_a_headline_that_says_who_said_what(nlp):
    text = "Mayor Lindqvist: The mill will stay open until spring.\n\nThe council met on Monday."
    (found,) = headline_statement(nlp(text))
    assert (found.source.text, found.cue.text) == ("Mayor Lindqvist", ":")
    assert [c.text for c in found.content] == ["The mill will stay open until spring"]


def test_headlines_that_name_no_speaker(nlp):
    texts = [
        "The Latest: Council votes to keep the pool open.\n\nMore soon.",
        "Explainer: Why the council kept the pool open.\n\nMore soon.",
        # a colon in a lede, not a headline
        "The council met on Monday and, after a long debate about the budget, the "
        "pool, the library and the roads, it settled one question: the mill stays.",
        # the colon is not on the first line
        "Pool stays open.\n\nMayor Lindqvist: The mill will stay open until spring.",
    ]
    for text in texts:
        assert headline_statement(nlp(text)) == []
