"""Who the sources are: entities of an article and what a source refers to.

``find_entities`` clusters the PERSON, ORG and LOC mentions of one parsed Doc
(and the people the NER missed whose first name or honorific shows them,
when they are subjects or possessors: ``unlabelled_people``) into entities:
the same name spelled two ways ("Yoav Galant" / "Yoav Gallant"), a surname
after the full name ("Netanyahu" after "Benjamin Netanyahu") and an acronym
with its expansion ("WSJ" / "Wall Street Journal") join one entity. Each
entity keeps its mentions, aliases and descriptors (titles and roles from
appositions and premodifiers).

``resolve_source`` maps an attribution's source span to the id of the entity
it refers to: a name in the span, a personal pronoun ("he said": a person of
a gender that fits, by first name or honorific, last named or referred to
as a subject in the sentences just before, else the last person named) or a
relative pronoun ("Efraim Halevy, ..., who called ...": the name the clause
attaches to).

Limits, kept on purpose: entities are found per Doc (an article parsed in
several chunks gets one entity list per chunk, with ids unique across them);
gender comes from a table of first names (``models/first_names.tsv``) and
honorifics only; he/she/him/her resolve with 0.82 accuracy on GUM dev+test
and 0.80 on GUM train, where the sentence window was chosen
(``training/evaluate_pronouns.py``); "they" goes only to a group or
organization quoted just before, "it" to an organization or a document
(``describe_sources``), never to people ("Clinton and Kaine ... they said"
stays unresolved).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Literal

from rapidfuzz import fuzz
from spacy.tokens import Doc, Span, Token

from sayso.attribution.linking import Attribution

EntityType = Literal["person", "organization", "place", "group", "document"]

ENTITY_TYPES: dict[str, EntityType] = {"PERSON": "person", "ORG": "organization", "LOC": "place"}
# fuzz.ratio (0-100) of two normalised names at or above which they are one
# name spelled two ways: "yoav galant" / "yoav gallant" score 96, while
# "austria" / "australia" score 88 and different people far less.
FUZZY_THRESHOLD = 90
# Shorter names differ in one letter too often ("Iran" / "Iraq") to be fuzzy
# matched; they join only on an exact match.
MIN_FUZZY_CHARS = 6
# Acronyms are written in capitals, 2 to 6 letters: "WSJ", "IDF", "UN".
ACRONYM = re.compile(r"^[A-Z]{2,6}$")
# Small words left out of an acronym: "Ministry of Defense" -> "MD".
ACRONYM_SKIP = frozenset({"of", "the", "and", "for", "de", "la", "&"})
# Dependents to the left of a name that make its premodifier descriptor:
# "Israel's (nmod:poss) Prime Minister (compound) Benjamin Netanyahu".
PREMODIFIER_DEPS = frozenset({"compound", "nmod:poss", "amod", "det"})
# Relations by which a name hangs off a title noun before it: "the nation's
# Minister of Defense Yoav Gallant" (Yoav is an nmod of Minister). Not
# "flat": a flat head is the first part of the name itself.
TITLE_DEPS = frozenset({"nmod", "nmod:desc", "appos", "compound"})
# Credits ("Press Office/AFP/File") and position marks in captions ("(R)")
# hold these characters; titles and roles don't.
NOT_IN_DESCRIPTOR = frozenset("/()[]")
PERSONAL_PRONOUNS = frozenset({"he", "she", "him", "her"})
PRONOUN_GENDERS = {"he": "m", "him": "m", "she": "f", "her": "f"}
# Titles before a name that give its gender ("Mr. Burman", "Ms. Ortega").
HONORIFIC_GENDERS = {"mr": "m", "mrs": "f", "ms": "f", "miss": "f", "madam": "f", "sir": "m"}
# First names that almost always go one way, built by training/build_first_names.py.
FIRST_NAMES = Path(__file__).parent / "models" / "first_names.tsv"
# Unnamed sources that become entities of their own, and the determiners that
# make a description point back ("the officials", "these sources").
DESCRIBED_KINDS = frozenset({"group", "document"})
DEFINITE_DETERMINERS = frozenset({"the", "these", "those", "this", "that"})
# A pronoun looks for a person named as a subject in its own sentence and
# this many sentences before it.
PRONOUN_WINDOW = 3
# How many sentences back "the report" looks for the organization it is of.
PUBLISHER_WINDOW = 1
# How many pronouns back a chain of "he ... he ..." is followed.
MAX_PRONOUN_CHAIN = 20
SUBJECT_DEPS = frozenset({"nsubj", "nsubj:pass"})
# The longest name the NER missed that is taken for a person ("Mary Ann Cole").
MAX_NAME_WORDS = 3
# Relations in which a name the NER missed is taken for a person: the
# subject of a clause or a possessor ("Gloria spent", "Gloria's eczema"); not
# a modifier ("the Pearson statistic"), a title ("Miyako no Hana") or a case
# number ("Case 22-506").
PERSON_DEPS = frozenset({"nsubj", "nsubj:pass", "nmod:poss"})
# Capitalised words in titles and dates that are no part of a name the NER
# missed: "Mr. Chief Justice", "General Prelogar", "April".
NOT_NAME_WORDS = frozenset(
    "chief justice general president judge senator governor mayor speaker king queen "
    "prince princess secretary minister chairman captain colonel sergeant lieutenant "
    "doctor professor reverend father sister brother saint lord lady "
    "january february march april may june july august september october november "
    "december monday tuesday wednesday thursday friday saturday sunday".split()
)
RELATIVE_PRONOUNS = frozenset({"who", "whom"})
# What "they said" and "it said" may stand for, among the sources quoted
# just before: a group or an organization; an organization or a document.
SOURCE_PRONOUN_KINDS = {
    "they": frozenset({"group", "organization"}),
    "them": frozenset({"group", "organization"}),
    "it": frozenset({"organization", "document"}),
}
POSSESSIVE = re.compile(r"['’]s$")
NON_WORD = re.compile(r"[^\w\s]")


@dataclass
class Entity:
    """One person, organization or place of an article, with all its mentions.

    ``mentions`` are ``[start, end]`` character offsets into the article text;
    ``name`` is the longest mention; ``aliases`` the distinct mention texts
    in order of first use; ``descriptors`` the distinct titles and roles.
    """

    id: str
    name: str
    type: EntityType
    mentions: list[list[int]] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    descriptors: list[str] = field(default_factory=list)
    # evidence of a person's gender, for pronouns: "m" / "f" -> mentions
    gender_votes: Counter[str] = field(default_factory=Counter)

    @property
    def gender(self) -> str | None:
        """The person's gender as the mentions show it: "m", "f", or None when
        they say nothing (or say both as often)."""
        ranked = self.gender_votes.most_common(2)
        if not ranked or len(ranked) == 2 and ranked[0][1] == ranked[1][1]:
            return None
        return ranked[0][0]

    def add(self, span: Span, offset: int) -> None:
        """Add one mention ``span`` of a Doc starting at ``offset`` in the text."""
        self.mentions.append([span.start_char + offset, span.end_char + offset])
        if self.type == "person":
            gender, weight = name_gender(span)
            if gender is not None:
                self.gender_votes[gender] += weight
        if span.text not in self.aliases:
            self.aliases.append(span.text)
        if len(span.text) > len(self.name):
            self.name = span.text
        for descriptor in descriptors(span):
            if descriptor not in self.descriptors:
                self.descriptors.append(descriptor)

    def as_dict(self) -> dict[str, object]:
        """The entity as the output schema has it."""
        return {
            "id": self.id,
            "name": self.name,
            "type": self.type,
            "mentions": self.mentions,
            "aliases": self.aliases,
            "descriptors": self.descriptors,
        }


def normalise(name: str) -> str:
    """A name reduced for comparison: lower case (so "IRANIAN FOREIGN
    MINISTRY" matches "Iranian Foreign Ministry"), without a possessive
    "'s", a leading "the" or punctuation, with single spaces."""
    name = POSSESSIVE.sub("", name.strip())
    words = NON_WORD.sub(" ", name).casefold().split()
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def name_gender(name: Span) -> tuple[str | None, int]:
    """The gender a person's name shows, and how sure: an honorific before or
    at its start ("Mr. Burman": weight 2), else a first name that almost
    always goes one way ("Isabel Ruiz", "Isabel": weight 1; the last word of a
    longer name is a surname and says nothing)."""
    doc = name.doc
    words = [doc[name.start - 1]] if name.start > 0 else []
    words += [t for t in name if not t.is_punct]
    for token in words[:2]:
        honorific = HONORIFIC_GENDERS.get(token.lower_.rstrip("."))
        if honorific is not None:
            return honorific, 2
    names = [t for t in name if t.is_alpha]
    for token in names[:-1] if len(names) > 1 else names:
        gender = _first_names().get(token.lower_)
        if gender is not None:
            return gender, 1
    return None, 0


@cache
def _first_names() -> dict[str, str]:
    lines = FIRST_NAMES.read_text(encoding="utf8").splitlines()
    return dict(line.split("\t") for line in lines if line)


def initials(name: str) -> str:
    """The acronym a name would have: initials of its capitalised words,
    small words skipped ("Wall Street Journal" -> "WSJ"); empty for a name of
    one word, which has no acronym."""
    words = [w for w in NON_WORD.sub(" ", name).split() if w.lower() not in ACRONYM_SKIP]
    if len(words) < 2 or not all(w[0].isupper() for w in words):
        return ""
    return "".join(w[0] for w in words)


class _Clusters:
    """Mentions grouped into entities, one mention at a time in text order.

    Exact names, surnames and acronyms are looked up in dicts; only the fuzzy
    rule compares a mention with every entity (its longest name), so adding n
    mentions costs O(n * entities).
    """

    def __init__(self, first_id: int) -> None:
        self.entities: list[Entity] = []
        self.next_id = first_id
        self.by_name: dict[str, Entity] = {}  # normalised alias -> entity
        self.by_last_word: dict[str, Entity] = {}  # of multi-word names, latest wins
        self.by_initials: dict[str, Entity] = {}  # "WSJ" -> Wall Street Journal
        self.acronyms: dict[str, Entity] = {}  # acronym mentions seen before their expansion

    def find(self, text: str, label: str) -> Entity | None:
        """The entity a mention ``text`` with NER ``label`` belongs to, if any."""
        key = normalise(text)
        words = key.split()
        if key in self.by_name:
            return self.by_name[key]
        if len(words) == 1 and key in self.by_last_word:
            return self.by_last_word[key]
        stripped = text.strip()
        if ACRONYM.match(stripped) and stripped in self.by_initials:
            return self.by_initials[stripped]
        if initials(text) in self.acronyms:
            return self.acronyms[initials(text)]
        if len(key) >= MIN_FUZZY_CHARS and len(words) > 1:
            kind = ENTITY_TYPES[label]
            for entity in self.entities:
                if (
                    entity.type == kind
                    and fuzz.ratio(key, normalise(entity.name)) >= FUZZY_THRESHOLD
                ):
                    return entity
        return None

    def add(self, span: Span, offset: int) -> None:
        """Put mention ``span`` into its entity, or start a new one."""
        entity = self.find(span.text, span.label_)
        if entity is None:
            entity = Entity(id=f"e{self.next_id}", name=span.text, type=ENTITY_TYPES[span.label_])
            self.next_id += 1
            self.entities.append(entity)
        entity.add(span, offset)
        key = normalise(span.text)
        self.by_name.setdefault(key, entity)
        words = key.split()
        if len(words) > 1:
            self.by_last_word[words[-1]] = entity
        if initials(span.text):
            self.by_initials.setdefault(initials(span.text), entity)
        if ACRONYM.match(span.text.strip()):
            self.acronyms.setdefault(span.text.strip(), entity)


def find_entities(doc: Doc, offset: int = 0, first_id: int = 1) -> list[Entity]:
    """Entities of a parsed ``doc``, in order of first mention.

    ``offset``: where ``doc`` starts in the article text (mentions are article
    offsets); ``first_id``: the number of the first id ("e1"), so that the
    entities of several chunks of one article keep distinct ids.
    """
    clusters = _Clusters(first_id)
    named = [span for span in doc.ents if span.label_ in ENTITY_TYPES and normalise(span.text)]
    for span in sorted(named + unlabelled_people(doc), key=lambda s: s.start):
        clusters.add(span, offset)
    return clusters.entities


def unlabelled_people(doc: Doc) -> list[Span]:
    """PERSON spans for the names the NER missed: a run of proper nouns, out
    of any entity, that opens with a first name of the table or follows an
    honorific ("Gloria", "Mr. Abernathy"), and is a subject or a possessor."""
    # "case" and "king" are first names too: not in a text that also has them
    # in lower case, nor where the NER put them in a place or an organization
    # elsewhere ("Virginia" of "West Virginia")
    not_names = {t.lower_ for t in doc if t.is_lower}
    not_names |= {t.lower_ for ent in doc.ents if ent.label_ != "PERSON" for t in ent}
    found = []
    i = 0
    while i < len(doc):
        token = doc[i]
        if token.ent_type_ or not _is_name_word(token):
            i += 1
            continue
        end = i + 1
        while end < len(doc) and end - i < MAX_NAME_WORDS and _is_name_word(doc[end]):
            end += 1
        words = doc[i:end]
        before = doc[i - 1].lower_.rstrip(".") if i > 0 else ""
        first_name = token.lower_ in _first_names() and token.lower_ not in not_names
        if (
            (first_name or before in HONORIFIC_GENDERS)
            and words.root.dep_ in PERSON_DEPS
            and not any(t.ent_type_ or t.lower_ in NOT_NAME_WORDS for t in words)
            and not any(c.dep_ == "nummod" for c in words.root.children)
        ):
            found.append(Span(doc, i, end, label="PERSON"))
        i = end
    return found


def _is_name_word(token: Token) -> bool:
    return token.pos_ == "PROPN" and token.is_alpha and token.is_title


def descriptors(name: Span) -> list[str]:
    """Titles and roles the parse gives a name: its apposition ("Efraim
    Halevy, a former Mossad director") and, for a person, the premodifiers
    before it ("Israel's Prime Minister Benjamin Netanyahu", "the nation's
    Minister of Defense Yoav Gallant"). A premodifier chain counts only when
    it holds a noun, so a bare "the" is no descriptor."""
    found = []
    root = name.root
    for child in root.children:
        if child.dep_ == "appos" and child.i >= name.end:
            found.append(_trimmed(name.doc[child.left_edge.i : child.right_edge.i + 1]))
    if name.label_ == "PERSON":
        start = _premodifier_start(name)
        if start is not None:
            found.append(_trimmed(name.doc[start : name.start]))
    return [text for text in found if text and not NOT_IN_DESCRIPTOR.intersection(text)]


def _premodifier_start(name: Span) -> int | None:
    """Where the descriptor before ``name`` starts: the leftmost premodifier
    of the name's head, or of the title noun the name hangs off; None when
    there is none or it holds no noun."""
    root = name.root
    head: Token = root
    if root.dep_ in TITLE_DEPS and root.head.i < name.start and not root.head.ent_type_:
        head = root.head  # "Minister of Defense Yoav Gallant": the title is the head
    left = [
        c.left_edge.i
        for c in head.lefts
        if c.dep_ in PREMODIFIER_DEPS and not name.start <= c.i < name.end
    ]
    if head is not root:
        left.append(head.i)
    if not left:
        return None
    start = min(left)
    # a caption credit or other text before a line or a slash is not part of the title
    breaks = [t.i for t in name.doc[start : name.start] if t.is_punct or "\n" in t.text]
    start = max(breaks, default=start - 1) + 1
    chain = name.doc[start : name.start]
    if not any(t.pos_ in {"NOUN", "PROPN"} for t in chain):
        return None
    return start


def _trimmed(span: Span) -> str:
    """``span``'s text without punctuation at its edges."""
    start, end = span.start, span.end
    while start < end and span.doc[start].is_punct:
        start += 1
    while end > start and span.doc[end - 1].is_punct:
        end -= 1
    return span.doc[start:end].text


def resolve_source(
    att: Attribution, entities: list[Entity], doc: Doc, offset: int = 0
) -> str | None:
    """The id of the entity ``att``'s source refers to, or None.

    ``entities`` come from ``find_entities`` on ``doc`` (or on the whole
    article), ``offset`` is where ``doc`` starts in the article text. In order:
    a name in the source span ("Israel's Prime Minister Benjamin
    Netanyahu", "Halevy"), preferring the one at the span's head; a relative
    "who" (the name its clause attaches to); a personal pronoun (see
    ``_pronoun_referent``).
    """
    source = att.source
    if source is None:
        return None
    mentions = sorted(
        (start - offset, end - offset, entity)
        for entity in entities
        for start, end in entity.mentions
    )
    named = _name_in_span(source, mentions)
    if named is not None:
        return named.id
    root = source.root
    word = root.lower_
    if word in RELATIVE_PRONOUNS and root.head.dep_ == "acl:relcl":
        antecedent = _mention_at(root.head.head, mentions)
        return antecedent.id if antecedent is not None else None
    if len(source) == 1 and word in PERSONAL_PRONOUNS:
        before = min(source.start_char, att.cue.start_char)
        sents = list(doc.sents)
        referent = _pronoun_referent(sents, root, before, mentions, depth=0)
        return referent.id if referent is not None else None
    return None


def _pronoun_referent(
    sents: list[Span],
    pronoun: Token,
    before: int,
    mentions: list[tuple[int, int, Entity]],
    depth: int,
) -> Entity | None:
    """The person a he/she/him/her most likely stands for, among people named
    before character ``before``, whose gender is not known to differ. People
    known to match ("Isabel" for "she") go first. Among them: the latest
    subject in the pronoun's sentence and the ``PRONOUN_WINDOW`` sentences
    before (the centre of attention), where a subject pronoun of the same
    gender stands for what it resolves to ("He met FitzGibbon at school. He
    ..."); else the last one named."""
    gender = PRONOUN_GENDERS[pronoun.lower_]
    people = [
        (s, e, entity)
        for s, e, entity in mentions
        if e <= before and entity.type == "person" and entity.gender in (None, gender)
    ]
    if not people:
        return None
    people = [p for p in people if p[2].gender == gender] or people
    doc = pronoun.doc
    window_start = _window_start(sents, pronoun.i, PRONOUN_WINDOW)
    subjects: list[tuple[int, Entity | Token]] = []
    for start, end, entity in people:
        if start < window_start:
            continue
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None and span.root.dep_ in SUBJECT_DEPS:
            subjects.append((start, entity))
    if depth < MAX_PRONOUN_CHAIN:
        for token in doc.char_span(window_start, before, alignment_mode="contract") or []:
            if token.lower_ in PRONOUN_GENDERS and token.dep_ in SUBJECT_DEPS:
                if PRONOUN_GENDERS[token.lower_] == gender:
                    subjects.append((token.idx, token))
    for _, subject in sorted(subjects, key=lambda pair: pair[0], reverse=True):
        if isinstance(subject, Entity):
            return subject
        found = _pronoun_referent(sents, subject, subject.idx, mentions, depth + 1)
        if found is not None:
            return found
    return people[-1][2]


def _name_in_span(source: Span, mentions: list[tuple[int, int, Entity]]) -> Entity | None:
    """The entity named in ``source``: the mention holding its head, or else
    one after the head that hangs off it ("the nation's Minister of Defense
    Yoav Gallant"). A name before the head modifies it and is not the source
    ("Israel's intelligence services" is not Israel)."""
    root = source.root
    at_head = _mention_at(root, mentions)
    if at_head is not None:
        return at_head
    for token in source:
        if token.i > root.i and token.head == root and token.dep_ in TITLE_DEPS:
            entity = _mention_at(token, mentions)
            if entity is not None:
                return entity
    return None


def _mention_at(token: Token, mentions: list[tuple[int, int, Entity]]) -> Entity | None:
    """The entity with a mention covering ``token`` (Doc offsets)."""
    for start, end, entity in mentions:
        if start <= token.idx < end:
            return entity
    return None


def describe_sources(
    attributions: list[Attribution],
    resolved: dict[tuple[int, int], str],
    offset: int = 0,
    first_id: int = 1,
    known: list[Entity] | None = None,
) -> list[Entity]:
    """Entities for the group and document sources that name no one.

    Sources such as "Israeli officials" or "the report" get an entity of type
    ``group`` or ``document``; the same words again, or a definite
    description with the same head noun ("the officials" after "Israeli
    officials"), join it. A definite document ("the report") right after an
    organization is named (``known``: the Doc's entities) is taken for that
    organization's and named so: "Israeli officials told WSJ. The report,
    ..." -> "WSJ report". A "they" or "them" source stands for the group
    or organization source latest in its sentence and the ``PRONOUN_WINDOW``
    sentences before, an "it" for the organization or document source.
    ``resolved`` maps a source's (start_char, end_char) in the Doc to an
    entity id: sources already resolved are left alone, the others are added
    to it. Returns the new entities, with ids from ``first_id`` on.
    """
    from sayso.attribution.sources import classify_source

    found: list[Entity] = []
    by_text: dict[str, Entity] = {}
    by_head: dict[str, Entity] = {}
    published: dict[str, str] = {}  # entity id -> "WSJ report"
    kinds = {entity.id: entity.type for entity in known or []}
    quoted: list[tuple[int, str]] = []  # (start_char, entity id) of the sources so far
    sources = sorted(
        (att.source for att in attributions if att.source is not None), key=lambda s: s.start
    )
    sents = list(sources[0].doc.sents) if sources else []
    for span in sources:
        key = (span.start_char, span.end_char)
        if key in resolved:
            quoted.append((span.start_char, resolved[key]))
            continue
        wanted = SOURCE_PRONOUN_KINDS.get(span.root.lower_) if len(span) == 1 else None
        if wanted is not None:
            # "they said": the group or organization quoted last, just before
            window_start = _window_start(sents, span.start, PRONOUN_WINDOW)
            recent = [i for start, i in quoted if start >= window_start and kinds.get(i) in wanted]
            if recent:
                resolved[key] = recent[-1]
            continue
        kind, named = classify_source(span)
        if kind not in DESCRIBED_KINDS or named:
            continue
        text = normalise(span.text)
        head = f"{kind}:{span.root.lemma_.lower()}"
        entity = by_text.get(text)
        if entity is None and span[0].lower_ in DEFINITE_DETERMINERS:
            entity = by_head.get(head)
        if entity is None:
            entity = Entity(id=f"e{first_id + len(found)}", name=span.text, type=kind)
            publisher = _publisher(span, known or [], offset) if kind == "document" else None
            if publisher is not None and span[0].lower_ in DEFINITE_DETERMINERS:
                published[entity.id] = f"{publisher.name} {_trimmed(span[1:])}"
            found.append(entity)
            by_text[text] = entity
        if [span.start_char + offset, span.end_char + offset] not in entity.mentions:
            entity.add(span, offset)
        by_head[head] = entity
        resolved[key] = entity.id
        kinds[entity.id] = kind
        quoted.append((span.start_char, entity.id))
    for entity in found:
        # named last: a longer mention would otherwise become the name
        entity.name = published.get(entity.id, entity.name)
    return found


def _publisher(document: Span, known: list[Entity], offset: int) -> Entity | None:
    """The organization last named in ``document``'s sentence or the
    ``PUBLISHER_WINDOW`` sentences before it, before the document."""
    sents = list(document.doc.sents)
    window_start = _window_start(sents, document.start, PUBLISHER_WINDOW) + offset
    before = document.start_char + offset
    latest: tuple[int, Entity] | None = None
    for entity in known:
        if entity.type != "organization":
            continue
        for start, end in entity.mentions:
            if window_start <= start and end <= before and (latest is None or start > latest[0]):
                latest = (start, entity)
    return latest[1] if latest is not None else None


def _window_start(sents: list[Span], token: int, window: int) -> int:
    """Where the sentence ``window`` sentences before token ``token``'s starts
    (a character offset in the Doc)."""
    index = next(i for i, s in enumerate(sents) if s.start <= token < s.end)
    return sents[max(0, index - window)].start_char
