"""Attribution extraction on the example article and on small texts."""

from __future__ import annotations

import pytest

from sayso.analysis import analyze


@pytest.fixture(scope="module")
def example_result(attribution_nlp, example_text):
    return analyze(example_text, id="example", nlp=attribution_nlp)


def _find(result, cue_text, source_text=None):
    """Attributions whose cue contains cue_text (and source contains source_text)."""
    found = []
    for att in result["attributions"]:
        if cue_text not in att["cue"]["text"]:
            continue
        source = att["source"]["text"] if att["source"] else None
        if source_text is None or (source and source_text in source):
            found.append(att)
    return found


def test_offsets_match_input(example_result, example_text):
    assert example_result["date"] == "2023-12-01"
    assert example_result["attributions"]
    for att in example_result["attributions"]:
        for part in (att["source"], att["cue"]):
            if part:
                start, end = part["span"]
                assert example_text[start:end] == part["text"]
        pieces = [example_text[s:e] for s, e in att["content"]["spans"]]
        assert " ".join(pieces) == att["content"]["text"]


@pytest.mark.parametrize(
    "cue, source, content_words",
    [
        ("told", "officials", "kill Hamas leaders"),
        ("stated", "officials", "elimination of Hamas"),
        ("claims", "WSJ", "question now"),
        ("reported", "Figaro", "assurances"),
    ],
)
def test_example_attributions(example_result, cue, source, content_words):
    found = _find(example_result, cue, source)
    assert found, f"no attribution with cue {cue!r} and source {source!r}"
    assert any(content_words in att["content"]["text"] for att in found)
