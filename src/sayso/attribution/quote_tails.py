"""Cues that a quote's punctuation makes plain, where the tagger missed them.

A direct quote that ends in a comma (or "?", "!") inside its closing mark
and goes on with a verb and its subject, and nothing else, up to the end of
the clause is attributed by them, in either order::

    "The talks are over," claims the agency.
    "We will rebuild," the mayor said, after the vote.

The role tagger marks almost all of these, but not every one: which it
misses depends on how it was trained (the example article's '"...," claims
WSJ.' is lost by every tagger with an LSTM tried so far, which take
"claims" for part of the quote). This pattern gives the verb as CUE and its
subject as SOURCE when none of their words is a cue or source yet, and ends
a content span that runs on into them at the closing quote mark. Linking
then joins them to the quote as it does the tagger's spans.
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Doc, Span

from sayso.attribution.features import CLOSING, SWITCHING
from sayso.attribution.linking import CONTENT, CUE, SOURCE

# The mark inside the quote that hands the sentence on to its speaker.
HAND_ON = frozenset({",", "?", "!"})
CLOSING_QUOTES = CLOSING | SWITCHING
# A finite verb in the past or present: "said", "says", "claim".
FINITE_VERB_TAGS = frozenset({"VBD", "VBZ", "VBP"})
# The words a speaker's noun phrase may have ("the former Mossad director").
PHRASE_TAGS = frozenset({"NNP", "NNPS", "NN", "NNS", "DT", "PRP$", "JJ", "POS", "CD", "HYPH"})
NOUN_TAGS = frozenset({"NNP", "NNPS", "NN", "NNS"})
SUBJECT_PRONOUNS = frozenset({"he", "she", "they", "we", "i"})
# The most words the speaker may have.
MAX_PHRASE_WORDS = 6
# What may follow the speaker: the clause ends, or an apposition or time follows.
CLAUSE_ENDS = frozenset({".", ",", ";", ":", "—", "–"})


def with_quote_tails(doc: Doc, roles: Iterable[Span]) -> list[Span]:
    """The role spans ``roles`` of a tagged and parsed ``doc``, plus CUE and
    SOURCE for the quote tails whose words are neither; a content span that
    runs on into a tail ends at the closing quote mark."""
    roles = list(roles)
    speaking = {t.i for span in roles if span.label_ != CONTENT for t in span}
    for token in doc:
        if token.text not in CLOSING_QUOTES or token.i == 0 or doc[token.i - 1].text not in HAND_ON:
            continue
        tail = _verb_then_speaker(doc, token.i + 1) or _speaker_then_verb(doc, token.i + 1)
        if tail is None or any(t.i in speaking for span in tail for t in span):
            continue
        verb, speaker = tail
        tail_end = max(verb.end, speaker.end)
        roles = [_cut(span, token.i + 1, tail_end) for span in roles]
        roles = [span for span in roles if span is not None]
        roles += [
            Span(doc, verb.start, verb.end, label=CUE),
            Span(doc, speaker.start, speaker.end, label=SOURCE),
        ]
    return roles


def _cut(span: Span, start: int, end: int) -> Span | None:
    """``span`` up to ``start`` when it reaches into doc[start:end]; None
    when it starts there."""
    if span.end <= start or span.start >= end:
        return span
    if span.start >= start:
        return None
    return Span(span.doc, span.start, start, label=span.label)


def _verb_then_speaker(doc: Doc, i: int) -> tuple[Span, Span] | None:
    """'..." claims WSJ.'"""
    if i >= len(doc) or doc[i].tag_ not in FINITE_VERB_TAGS:
        return None
    end = _phrase_end(doc, i + 1)
    if end is None or not _ends_clause(doc, end):
        return None
    return doc[i : i + 1], doc[i + 1 : end]


def _speaker_then_verb(doc: Doc, i: int) -> tuple[Span, Span] | None:
    """'..." the mayor said.'"""
    if i < len(doc) and doc[i].lower_ in SUBJECT_PRONOUNS:
        verb: int | None = i + 1
    else:
        verb = _phrase_end(doc, i)
    if verb is None or verb >= len(doc) or doc[verb].tag_ not in FINITE_VERB_TAGS:
        return None
    if not _ends_clause(doc, verb + 1):
        return None
    return doc[verb : verb + 1], doc[i:verb]


def _phrase_end(doc: Doc, start: int) -> int | None:
    """The end of a speaker's noun phrase that starts at ``start``, if one does."""
    end = start
    while end < len(doc) and end - start < MAX_PHRASE_WORDS and doc[end].tag_ in PHRASE_TAGS:
        end += 1
    if end == start or doc[end - 1].tag_ not in NOUN_TAGS:
        return None
    return end


def _ends_clause(doc: Doc, i: int) -> bool:
    return i >= len(doc) or doc[i].text in CLAUSE_ENDS or doc[i].is_space
