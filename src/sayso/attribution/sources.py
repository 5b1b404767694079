"""What kind of source a source span is, and whether it names someone.

``kind`` is one of ``person``, ``organization``, ``group`` ("Israeli
officials", "sources"), ``document`` ("the report"), ``pronoun`` (until
resolution links it to an entity) or ``other``. ``named`` is true when the
span identifies its source by name ("Efraim Halevy", "Le Figaro").

The decision uses the span's entities and its head noun: an entity inside the
span names it; otherwise the head's lemma and number give the kind.
"""

from __future__ import annotations

from typing import Literal

from spacy.tokens import Span

SourceKind = Literal["person", "organization", "group", "document", "pronoun", "other"]

PERSON_LABELS = frozenset({"PERSON"})
ORG_LABELS = frozenset({"ORG"})
PRONOUN_TAGS = frozenset({"PRP", "WP", "WDT", "PRP$"})
# Indefinite pronouns stand for no one in particular, so resolution cannot
# name them: "not supported by everyone" has a group as its source.
INDEFINITE_GROUPS = frozenset(
    "everyone everybody many some others several few most all both".split()
)
INDEFINITE_OTHERS = frozenset("someone somebody anyone anybody nobody one".split())

# Head nouns of sources that are texts rather than speakers.
DOCUMENT_NOUNS = frozenset(
    """report statement study poll survey letter memo document article story
    analysis data record records filing complaint lawsuit indictment ruling
    video ad advertisement book email e-mail tweet post release transcript
    investigation review audit paper editorial column op-ed interview
    message note website blog page chart figures numbers estimate estimates
    results research model forecast account documents emails""".split()
)
# Head nouns that stand for an organization.
ORGANIZATION_NOUNS = frozenset(
    """campaign committee agency department ministry government administration
    company firm party office council court commission group organization
    network newspaper paper channel station bureau house senate congress
    board team union university institute foundation police army military
    service services""".split()
)
# Singular head nouns that stand for one person.
PERSON_NOUNS = frozenset(
    """spokesman spokeswoman spokesperson official aide adviser advisor
    president senator candidate nominee governor mayor minister secretary
    director chairman chairwoman chair leader representative rep. sen.
    lawyer attorney analyst expert economist professor author writer
    reporter journalist correspondent source strategist consultant manager
    officer general judge witness woman man person friend member supporter
    critic voter resident founder chief executive ceo host commentator""".split()
)


def classify_source(span: Span) -> tuple[SourceKind, bool]:
    """Return (kind, named) for a source span."""
    head = span.root
    lemma = head.lemma_.lower()
    if len(span) == 1 and head.lower_ in INDEFINITE_GROUPS:
        return "group", False
    if len(span) == 1 and head.lower_ in INDEFINITE_OTHERS:
        return "other", False
    if head.tag_ in PRONOUN_TAGS or (len(span) == 1 and span[0].pos_ == "PRON"):
        return "pronoun", False
    if lemma in DOCUMENT_NOUNS:
        return "document", False
    head_label = head.ent_type_
    if head_label in PERSON_LABELS:
        return "person", True
    if head_label in ORG_LABELS:
        return "organization", True
    plural = head.tag_ in {"NNS", "NNPS"}
    if plural:
        return "group", False
    # Span.ents walks all of the Doc's entities: only here, when needed
    labels = {ent.label_ for ent in span.ents}
    if labels & PERSON_LABELS:
        return "person", True
    if labels & ORG_LABELS:
        return "organization", True
    if lemma in ORGANIZATION_NOUNS:
        return "organization", head.pos_ == "PROPN"
    if lemma in PERSON_NOUNS:
        return "person", False
    if head.pos_ == "PROPN":
        return "other", True
    return "other", False
