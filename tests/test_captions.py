"""Photo captions and credit lines: the example article, made-up paragraphs,
false positives on PolNeAR dev, and their removal from the attributions."""

from __future__ import annotations

import json

import pytest
from conftest import POLNEAR_DEV

from sayso.analysis import analyze
from sayso.captions import find_captions
from sayso.reading import parse_date_line

EXAMPLE_CREDITS = [
    "Marc Israel Sellem/POOL",
    "IRANIAN FOREIGN MINISTRY / AFP",
    "Kayhan Ozer (Turkish Prime Minister Press Office/AFP/File)",
]
# Every caption-like paragraph of PolNeAR dev is one HuffPost article's
# "Getty/Instagram." credit line under each of its 7 pictures: credit lines
# with no caption text, rightly flagged. Anything beyond those is a false
# positive on ordinary body text.
MAX_POLNEAR_DEV_CAPTIONS = 7


def test_example_has_exactly_its_three_captions(example_text):
    _, body_start = parse_date_line(example_text)
    captions = find_captions(example_text, body_start)
    assert [c.credit for c in captions] == EXAMPLE_CREDITS
    for caption in captions:
        start, end = caption.span
        assert caption.credit_span[0] == start
        assert example_text[slice(*caption.credit_span)] == caption.credit
        # credit, a space, then the caption to the end of the paragraph
        assert example_text[caption.credit_span[1] + 1 : end] == caption.text
        assert caption.text[:1].isupper() and len(caption.text.split()) > 10
        # a whole paragraph: blank lines around it
        assert example_text[:start].endswith("\n\n") and example_text[end:].startswith("\n")


@pytest.mark.parametrize(
    "paragraph, credit, text",
    [
        (
            "Ann Lee/AFP via Getty Images A farmer waves.",
            "Ann Lee/AFP via Getty Images",
            "A farmer waves.",
        ),
        (
            "REUTERS/Tom Berg The senator speaks in Ohio.",
            "REUTERS/Tom Berg",
            "The senator speaks in Ohio.",
        ),
        (
            "(AP Photo/Ed Mays) Voters line up in Reno.",
            "(AP Photo/Ed Mays)",
            "Voters line up in Reno.",
        ),
        (
            "Photo: Reuters Firefighters stand by a truck.",
            "Photo: Reuters",
            "Firefighters stand by a truck.",
        ),
        (
            "Getty Images The governor speaks at a rally.",
            "Getty Images",
            "The governor speaks at a rally.",
        ),
        ("Jim Roe / Reuters.", "Jim Roe / Reuters", ""),
        ("AP Photo/Ed Mays", "AP Photo/Ed Mays", ""),
    ],
)
def test_credit_forms(paragraph, credit, text):
    (caption,) = find_captions(paragraph)
    assert (caption.credit, caption.text) == (credit, text)


@pytest.mark.parametrize(
    "paragraph",
    [
        # datelines: "(AP)" holds no slash
        "DENVER (AP) — The Latest on the storm (all times local):",
        # outlets joined by a slash, but no photo agency among them
        "The Denver Post/KUSA News survey was taken in early May.",
        "Denver Post/KUSA News Survey Shows A Tight Race",
        # an agency's poll, in a sentence
        "The newest Reuters/Ipsos survey puts the mayor ahead.",
        "Reuters/Ipsos Poll Shows The Mayor Ahead",
        # a bare agency name starting a sentence about what it reported
        "Reuters reported on Monday that the talks had failed.",
        "Getty Images Chief Executive Jane Roe said sales rose.",
        "AFP Correspondent Paul Ray told viewers the road was closed.",
        # all capitals and a slash, but no agency
        "US/CANADA Border Agents Search A Truck",
    ],
)
def test_ordinary_paragraphs_are_not_captions(paragraph):
    assert find_captions(paragraph) == []


def test_offsets_are_into_the_whole_text():
    text = " date 2021-03-10 The mayor spoke.\n\nJane Doe/AFP A man waves.\n\n  \n\nThe end."
    (caption,) = find_captions(text, start=17)
    assert text[slice(*caption.span)] == "Jane Doe/AFP A man waves."
    assert text[slice(*caption.credit_span)] == "Jane Doe/AFP"
    assert find_captions(text, start=len(text)) == []
    assert find_captions("") == []


@pytest.mark.skipif(not POLNEAR_DEV.is_file(), reason=f"PolNeAR dev not found at {POLNEAR_DEV}")
def test_few_captions_on_polnear_dev():
    found = []
    for line in POLNEAR_DEV.read_text(encoding="utf8").splitlines():
        text = json.loads(line)["text"]
        found.extend(find_captions(text, parse_date_line(text)[1]))
    assert len(found) <= MAX_POLNEAR_DEV_CAPTIONS
    # credit lines alone: no ordinary paragraph was taken for a caption
    assert all(c.text == "" for c in found)


def test_attributions_inside_captions_are_dropped(attribution_nlp):
    text = (
        "The mayor said the bridge would reopen in the spring.\n\n"
        "Jane Doe/AFP Residents say the closure has doubled their commute, in Springfield.\n\n"
        "City engineers told reporters that repairs were ahead of schedule."
    )
    (caption,) = find_captions(text)
    start, end = caption.span
    doc = attribution_nlp(text)
    # the pipeline alone finds a statement in the caption ...
    assert any(start <= a.cue.start_char < end for a in doc._.attributions)
    result = analyze(text, nlp=attribution_nlp)
    # ... which the result reports as a caption, not as an attribution
    assert result["captions"] == [
        {"span": [start, end], "credit": "Jane Doe/AFP", "text": caption.text}
    ]
    cues = [a["cue"]["span"][0] for a in result["attributions"]]
    assert cues and not any(start <= cue < end for cue in cues)
