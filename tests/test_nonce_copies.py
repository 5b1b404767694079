"""training/nonce_copies.py (measured, not shipped): a copy of a training
article swaps cue words for made-up ones and keeps every role on its tokens."""

from __future__ import annotations

import random

import spacy
from conftest import training_module
from spacy.tokens import Doc, Span

nonce_copies = training_module("nonce_copies")

WORDS = ["Okafor", "grilled", "the", "bankers", "and", "insisted", "rates", "would", "fall", "."]
SPACES = [True] * 9 + [False]
TAGS = ["NNP", "VBD", "DT", "NNS", "CC", "VBD", "NNS", "MD", "VB", "."]


def _doc() -> Doc:
    doc = Doc(spacy.blank("en").vocab, words=WORDS, spaces=SPACES)
    doc.ents = [
        Span(doc, 0, 1, label="SOURCE"),
        Span(doc, 1, 2, label="CUE"),
        Span(doc, 5, 6, label="CUE"),
        Span(doc, 6, 9, label="CONTENT"),
    ]
    return doc


def _changed(copy: Doc) -> list[int]:
    return [t.i for t in copy if t.text != WORDS[t.i]]


def test_every_cue_word_swapped_and_nothing_else():
    copy = nonce_copies.nonce_copy(_doc(), TAGS, random.Random(0), 1.0, 0.0)
    assert len(copy) == len(WORDS)
    assert _changed(copy) == [1, 5]
    # the ending stays, so that the pipeline still sees a past tense
    assert copy[1].text.endswith("ed") and copy[5].text.endswith("ed")
    assert [(e.start, e.end, e.label_) for e in copy.ents] == [
        (e.start, e.end, e.label_) for e in _doc().ents
    ]
    assert [bool(t.whitespace_) for t in copy] == SPACES


def test_other_words_swapped_at_their_share_and_names_never():
    copy = nonce_copies.nonce_copy(_doc(), TAGS, random.Random(0), 0.0, 1.0)
    # "bankers", "rates", "fall": a noun, a noun, a verb; not the name, the
    # cues, "the", "and", "would" or the full stop
    assert _changed(copy) == [3, 6, 8]
    assert copy[3].text.endswith("s")


def test_a_made_up_word_keeps_the_capital():
    word = nonce_copies.nonce_word(random.Random(1), "Insisting")
    assert word[0].isupper() and word.endswith("ing") and word != "Insisting"


def test_a_word_glued_to_the_next_is_kept():
    words = ["They", "do", "n't", "agree", "."]
    doc = Doc(spacy.blank("en").vocab, words=words, spaces=[True, False, True, False, False])
    copy = nonce_copies.nonce_copy(doc, ["PRP", "VBP", "RB", "VBP", "."], random.Random(0), 0, 1)
    # "bolmakn't" would be one token where training expects two
    assert [t.text for t in copy][:3] == ["They", "do", "n't"]
    assert copy[3].text != "agree"
    assert [t.text for t in spacy.blank("en").make_doc(copy.text)] == [t.text for t in copy]
