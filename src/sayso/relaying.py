"""Relaying chains: who passed a statement on to the reader.

A statement often reaches the article through others: "Israeli officials
told WSJ" (the officials' statement, relayed via WSJ); a quote holding "the
officials said" inside what "claims WSJ"; "The report ... cited Israeli
sources claiming ..." (the sources' claim, relayed via the report). The
article's own outlet, when the input names it, passes every statement on
last. ``via`` lists these links, nearest first.

Two rules, from the parse and the attributions of one Doc:

- a hearer of the cue: the object of "tell" ("told WSJ", "told the
  Journal") or a "to" phrase of a speech verb ("said to reporters");
- nesting: an attribution whose cue and content lie inside the content of
  another is relayed by that other's source, then by whatever relays it;
- "according to": in "According to WSJ, some officials intended ...", the
  officials' statement is relayed via WSJ. The according-to attribution may
  get no content when its clause is another attribution, so any other
  attribution cued in its sentence counts as held by it. The according-to
  attribution itself gets no via: WSJ is its source.
"""

from __future__ import annotations

from typing import Any

from spacy.tokens import Span, Token

from sayso.attribution.linking import Attribution
from sayso.resolution import Entity

# Cue verbs whose object is the hearer: "told WSJ", "informed the council".
TELL_LEMMAS = frozenset({"tell", "inform", "brief"})
# Cue verbs whose "to" phrase is the hearer: "said to reporters".
SAY_TO_LEMMAS = TELL_LEMMAS | frozenset({"say", "speak", "explain", "confirm"})
# The cue word of "according to X".
ACCORDING = "according"
OBJECT_DEPS = frozenset({"obj", "iobj"})
OBLIQUE_DEPS = frozenset({"obl", "obl:arg"})
# Pronouns that can be a hearer ("told me", "told them"); "that", "it" and
# "what" as objects are the content or parse slips, not people.
HEARER_PRONOUNS = frozenset({"me", "us", "him", "her", "them", "you"})
# Dependents to the left of a hearer's head that mark it and are no part of
# it: "to" in "said to reporters".
MARKER_DEPS = frozenset({"case", "punct"})
# Dependents to the right of a hearer's head that belong to its name ("the
# New York Times", "a reporter for the Journal"); clauses after it ("that
# talks had stalled", misparsed as a relative clause) do not.
NAME_DEPS = frozenset({"flat", "flat:name", "compound", "nmod", "appos", "amod", "nummod"})


def hearers(att: Attribution) -> list[Span]:
    """Who the cue of ``att`` says the statement was told to: the object of
    a telling verb or the "to" phrase of a speech verb, outside the source
    and content. Empty when the cue names no hearer."""
    spans = []
    taken = _token_set(att)
    for cue in att.cue:
        for child in cue.children:
            told = child.dep_ in OBJECT_DEPS and cue.lemma_ in TELL_LEMMAS
            said_to = (
                child.dep_ in OBLIQUE_DEPS
                and cue.lemma_ in SAY_TO_LEMMAS
                and any(c.dep_ == "case" and c.lower_ == "to" for c in child.children)
            )
            if (told or said_to) and child.i not in taken and _can_hear(child):
                spans.append(_hearer_span(child, taken))
    return spans


def _can_hear(token: Token) -> bool:
    """Whether ``token`` heads a noun phrase that can be told something."""
    if token.pos_ in {"NOUN", "PROPN"}:
        return True
    return token.pos_ == "PRON" and token.lower_ in HEARER_PRONOUNS


def _hearer_span(head: Token, taken: set[int]) -> Span:
    """The noun phrase of hearer ``head``: its left dependents to the last of its
    name dependents on the right, cut before any token of the attribution
    (the content may hang off the hearer in a wrong parse)."""
    doc = head.doc
    end = head.i + 1
    for child in head.rights:
        if child.dep_ in NAME_DEPS:
            end = max(end, child.right_edge.i + 1)
    start = min([head.i] + [c.left_edge.i for c in head.lefts if c.dep_ not in MARKER_DEPS])
    for i in range(head.i + 1, end):
        if i in taken:
            end = i
            break
    return doc[start:end]


def _token_set(att: Attribution) -> set[int]:
    """Token indices of the attribution's source, cue and content."""
    spans = [att.cue, *att.content] + ([att.source] if att.source is not None else [])
    return {i for span in spans for i in range(span.start, span.end)}


def _extent(att: Attribution) -> tuple[int, int]:
    """Character span from the first to the last character of cue and content."""
    spans = [att.cue, *att.content]
    return min(s.start_char for s in spans), max(s.end_char for s in spans)


def _encloses(outer: Attribution, inner: Attribution, extent: tuple[int, int]) -> bool:
    """Whether ``inner`` (cue and content spanning ``extent``, see
    :func:`_extent`) lies inside ``outer``'s content. Content pieces may sit on
    both sides of the outer cue ('"...", claims WSJ, "..."'), so the inner one
    must lie inside a single piece."""
    if outer is inner or outer.source is None:
        return False
    start, end = extent
    return any(c.start_char <= start and end <= c.end_char for c in outer.content)


def _according_to(outer: Attribution, inner: Attribution) -> bool:
    """Whether ``outer`` is an "according to X" in ``inner``'s sentence."""
    return (
        outer is not inner
        and outer.source is not None
        and any(t.lower_ == ACCORDING for t in outer.cue)
        and outer.cue.sent == inner.cue.sent
    )


def relays(att: Attribution, attributions: list[Attribution]) -> list[Span]:
    """Who relayed ``att``, nearest first: the hearers of its own cue, the
    source of an "according to" in its sentence, then for each attribution
    whose content holds it (innermost first) that attribution's source and
    hearers. ``attributions`` are all those of ``att``'s Doc; spans equal to
    ``att``'s own source are left out, and each span appears once."""
    chain = hearers(att)
    chain.extend(o.source for o in attributions if o.source and _according_to(o, att))
    extent = _extent(att)
    outers = [other for other in attributions if _encloses(other, att, extent)]
    # the innermost enclosing attribution spans the fewest characters
    outers.sort(key=lambda other: _extent(other)[1] - _extent(other)[0])
    for outer in outers:
        chain.extend([outer.source, *hearers(outer)] if outer.source is not None else [])
    seen = {(att.source.start, att.source.end)} if att.source is not None else set()
    unique = []
    for span in chain:
        if (span.start, span.end) not in seen:
            seen.add((span.start, span.end))
            unique.append(span)
    return unique


def via(
    att: Attribution,
    attributions: list[Attribution],
    offset: int = 0,
    entities: list[Entity] | None = None,
    outlet: str | None = None,
    resolved: dict[tuple[int, int], str] | None = None,
) -> list[dict[str, Any]]:
    """``att``'s ``via`` as the schema has it: ``{"text", "span", "entity"}``
    per relay (see :func:`relays`), nearest first, with spans as article
    offsets (``offset``: where the Doc starts). ``entity`` is the id of the
    entity in ``entities`` with a mention at the relay's head, else None;
    ``resolved`` maps (start, end) Doc character spans of sources to the
    entity ids they were resolved to, so that a relay that is another
    attribution's source ("who") keeps its resolution.
    The article's ``outlet``, when known, closes the chain with span None:
    it is no mention in the text."""
    mentions = [
        (start - offset, end - offset, entity.id)
        for entity in entities or []
        for start, end in entity.mentions
    ]
    links: list[dict[str, Any]] = [
        {
            "text": span.text,
            "span": [span.start_char + offset, span.end_char + offset],
            "entity": (resolved or {}).get((span.start_char, span.end_char))
            or _entity_at(span.root, mentions),
        }
        for span in relays(att, attributions)
    ]
    if outlet:
        links.append({"text": outlet, "span": None, "entity": None})
    return links


def _entity_at(token: Token, mentions: list[tuple[int, int, str]]) -> str | None:
    """The id of the entity with a mention covering ``token`` (Doc offsets)."""
    return next((key for start, end, key in mentions if start <= token.idx < end), None)
