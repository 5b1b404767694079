"""training/lexical_classes.py (measured, not shipped): the WordNet class
table is read from WordNet's own line format, and each verb and common noun
gets the shares of its lemma's senses."""

from __future__ import annotations

import pytest
from conftest import training_module

lexical_classes = training_module("lexical_classes")

COMMUNICATION, COGNITION, CHANGE = 32, 31, 30  # verb classes (wordnet-3.0/lexnames)
NOUN_ARTIFACT = 6

# Lines in the format of WordNet's data.verb and data.noun, written here:
# offset, class, part of speech, number of words (hex), word and sense
# number pairs, then pointers and a gloss that the table does not read.
VERB_LINES = [
    "  1 This software and database is being provided to you",
    "00000001 32 v 02 grill 0 question 0 000 | to interrogate hard",
    "00000002 30 v 01 grill 1 000 | to cook under heat",
    "00000003 31 v 02 ponder 0 think_over 0 000 | to consider",
]
NOUN_LINES = ["00000004 06 n 01 grill 0 000 | a cooking rack"]


def test_senses_are_counted_per_word_part_of_speech_and_class():
    senses = lexical_classes.count_senses({"v": VERB_LINES, "n": NOUN_LINES})
    assert senses["grill", "v"] == {COMMUNICATION: 1, CHANGE: 1}
    assert senses["grill", "n"] == {NOUN_ARTIFACT: 1}
    assert senses["question", "v"] == {COMMUNICATION: 1}
    # several words: not a one-word lemma the tagger could look up
    assert ("think_over", "v") not in senses


def _table():
    senses = lexical_classes.count_senses({"v": VERB_LINES, "n": NOUN_LINES})
    return lexical_classes.read_table(lexical_classes.format_table(senses))


def _column(lex_file: int) -> int:
    return lex_file - lexical_classes.FIRST_LEX_FILE


def test_a_word_gets_the_classes_of_the_part_of_speech_it_is_tagged(nlp):
    doc = nlp("Senators will grill Warren about the grill he pondered.")
    features = lexical_classes.lexname_features(doc, _table())
    assert features.shape == (len(doc), lexical_classes.N_LEX_FEATURES)
    verb, noun = (t.i for t in doc if t.lower_ == "grill")
    assert features[verb, _column(COMMUNICATION)] == pytest.approx(0.5)
    assert features[verb, _column(CHANGE)] == pytest.approx(0.5)
    assert features[noun, _column(NOUN_ARTIFACT)] == pytest.approx(1.0)
    assert features[noun, _column(COMMUNICATION)] == 0
    # looked up by its lemma
    pondered = next(t.i for t in doc if t.text == "pondered")
    assert features[pondered, _column(COGNITION)] == pytest.approx(1.0)
    # words the table lacks, and words of other kinds, have none
    others = [t.i for t in doc if t.i not in (verb, noun, pondered)]
    assert not features[others].any()
