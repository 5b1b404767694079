"""How sure sayso is of an attribution: a number to rank and filter by.

The role taggers give each span they open a probability (the averaged
softmax of the opening move, ``doc._.role_probabilities``). An attribution's
confidence is the product of three factors:

- the cue's probability, or ``PATTERN_CUE`` for a cue that a layout pattern
  or a quote's tail found (the taggers did not open it); such a pattern
  finds the source and content with the cue, so the two fixed factors
  below do not apply to it;
- the source's probability; ``UNTAGGED_SOURCE`` for a source the parse gave
  (a subject), ``NO_SOURCE`` when there is none;
- the lowest probability among the content pieces the taggers opened;
  ``UNTAGGED_CONTENT`` when the linking made the content up (the rest of
  the sentence, a clause of the parse).

The fixed factors were chosen on the 60 held-out PolNeAR train articles by
the average precision of the ranking (whether each attribution matches a
gold one, as ``sayso evaluate`` counts it). On PolNeAR dev the ranking's
average precision is 0.90 (0.77 for the fixed scores it replaced, 0.72 for
any order), and attributions at 0.9 or more are right 93 % of the time,
those under 0.2 about a third (README, Output). It is a ranking aid, not a
calibrated probability.
"""

from __future__ import annotations

from spacy.tokens import Span

from sayso.attribution.linking import CONTENT, CUE, SOURCE, Attribution

PATTERN_CUE = 0.9
UNTAGGED_SOURCE = 0.7
NO_SOURCE = 0.6
UNTAGGED_CONTENT = 0.6


def confidence(att: Attribution) -> float:
    probabilities = att.cue.doc._.role_probabilities or {}
    cue = _probability(att.cue, CUE, probabilities)
    # a layout pattern finds a statement whole: its source and content are
    # not guesses beside a tagged cue (on train, 74 of the 83 it found are
    # right: README, Accuracy)
    if cue is None:
        value, no_source, untagged_source, untagged_content = PATTERN_CUE, 1.0, 1.0, 1.0
    else:
        value, no_source, untagged_source, untagged_content = (
            cue,
            NO_SOURCE,
            UNTAGGED_SOURCE,
            UNTAGGED_CONTENT,
        )
    if att.source is None:
        value *= no_source
    else:
        source = _probability(att.source, SOURCE, probabilities)
        value *= source if source is not None else untagged_source
    pieces = [_probability(piece, CONTENT, probabilities) for piece in att.content]
    tagged = [p for p in pieces if p is not None]
    value *= min(tagged) if tagged else untagged_content
    return round(value, 2)


def _probability(
    span: Span, label: str, probabilities: dict[str, dict[int, float]]
) -> float | None:
    """The lowest probability of the spans of ``label`` the taggers opened
    inside ``span``; None if they opened none there."""
    opened = probabilities.get(label, {})
    found = [opened[i] for i in range(span.start, span.end) if i in opened]
    return min(found) if found else None
