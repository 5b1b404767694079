"""Attributions that the page layout makes, with no reporting verb.

Three forms, which the role tagger rarely sees in training and mostly
misses, are found by patterns:

- Signed quotes: reader testimonials, pull quotes and fact-check lists print
  a quoted statement and sign it after a dash::

      “We were never asked what we wanted.” ― Dana Whitfield
      "The plant will stay open."

      - Governor Ruiz.

  The dash is the cue, the name the source, the quote the content.
- Transcript turns: paragraphs that open with a speaker's name in capitals
  and a colon, in a text with at least two such speakers::

      HOST: Will you run again?
      OKAFOR: Not this year.

  The colon is the cue, the name the source, the rest of the paragraph the
  content.
- A headline that says who said what, on the text's first line::

      Lynch: No outside influence on the inquiry.

  The colon is the cue, the name (a person or organization, or a proper
  noun) the source, the rest of the line the content.

This is how PolNeAR annotates all three. The component gives these words to the
pattern's attribution and drops the tagger's spans over them.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from sayso.attribution.linking import Attribution, word_count

DASHES = frozenset({"―", "—", "–", "-", "--"})
QUOTE_MARKS = frozenset({"“", "”", '"', "''", "``", "«", "»"})
# The most words a signature's name may have ("Christina N Luis Olidem").
MAX_NAME_WORDS = 5
# The most words of a transcript speaker ("JOEL BENENSON")
MAX_SPEAKER_WORDS = 3
# Labels that open paragraphs or headlines but name no speaker
NOT_SPEAKERS = frozenset(
    {
        "VIDEO",
        "PHOTO",
        "PHOTOS",
        "WATCH",
        "LISTEN",
        "UPDATE",
        "UPDATED",
        "READ",
        "RELATED",
        "BYLINE",
        "CORRECTION",
        "CLARIFICATION",
        "NOTE",
        "BREAKING",
        "EXCLUSIVE",
        "SOURCE",
        "MORE",
        # headline labels ("Explainer: ...")
        "BREAKING NEWS",
        "OBITUARY",
        "EXPLAINER",
        "TIMELINE",
        "ANALYSIS",
        "OPINION",
        "EDITORIAL",
        "PODCAST",
        "REVIEW",
        "FACT CHECK",
        "LIVE UPDATES",
    }
)
# A statement longer than this is not a signed quote but a whole article part.
MAX_QUOTE_TOKENS = 300
# A first line longer than this is a lede, not a headline
MAX_HEADLINE_WORDS = 25
# The most words of a headline's speaker ("Former Defense Secretary Robert Gates")
MAX_HEADLINE_SPEAKER_WORDS = 6


def layout_attributions(doc: Doc) -> list[Attribution]:
    """Signed quotes, transcript turns and a headline statement of a parsed
    ``doc``, in text order."""
    found = signed_quotes(doc) + transcript_turns(doc)
    # a transcript that opens the text is no headline
    found += [h for h in headline_statement(doc) if not any(a.start == h.start for a in found)]
    return sorted(found, key=lambda a: a.start)


def signed_quotes(doc: Doc) -> list[Attribution]:
    """The signed quotes of a parsed ``doc``, in text order."""
    found = []
    for token in doc:
        dash = _dash(token)
        if dash is None:
            continue
        closing = _closing_quote(token)
        if closing is None:
            continue
        name = _signature(doc, token.i + 1)
        if name is None:
            continue
        content = _quoted_paragraph(doc, closing, token)
        if content:
            found.append(Attribution(cue=dash, source=name, content=content))
    return found


def _dash(token: Token) -> Span | None:
    """The token as a cue when it is a dash, or a closing quote glued to one."""
    text = token.text
    if text in DASHES or (len(text) == 2 and text[0] in '”"' and text[1] in DASHES):
        return token.doc[token.i : token.i + 1]
    return None


def _closing_quote(dash: Token) -> Token | None:
    """The quote mark that ends the statement before the dash (the dash itself
    when the tokenizer glued them), across whitespace and line breaks."""
    if dash.text not in DASHES:
        return dash
    i = dash.i - 1
    while i >= 0 and dash.doc[i].is_space:
        i -= 1
    if i >= 0 and dash.doc[i].text in QUOTE_MARKS:
        return dash.doc[i]
    return None


def _signature(doc: Doc, start: int) -> Span | None:
    """A name after the dash that ends its line or is followed by a comma or
    a full stop ("- Michelle Marks, Philadelphia.")."""
    i = start
    while i < len(doc) and doc[i].is_space and "\n" not in doc[i].text:
        i += 1
    begin = i
    while i < len(doc) and i - begin < MAX_NAME_WORDS and _name_word(doc[i]):
        i += 1
    if i == begin or not doc[begin].is_title:
        return None
    if i < len(doc) and not (
        "\n" in doc[i].text or doc[i].is_space or doc[i].text in {",", ".", "("}
    ):
        return None
    return doc[begin:i]


def _name_word(token: Token) -> bool:
    """A capitalized word or an initial ("G.", "N")."""
    text = token.text
    return text[:1].isupper() and (text.rstrip(".").isalpha() or text.endswith("."))


def _quoted_paragraph(doc: Doc, closing: Token, dash: Token) -> list[Span]:
    """The paragraph that ``closing`` ends, when it opens with a quote mark."""
    end = closing.i + 1 if closing.i != dash.i else closing.i
    start = closing.i - 1 if closing.i == dash.i else closing.i
    # no further back than a statement can be long: keeps a long text linear
    while start > 0 and "\n" not in doc[start - 1].text and end - start <= MAX_QUOTE_TOKENS:
        start -= 1
    while start < end and doc[start].is_space:
        start += 1
    if end - start < 3 or end - start > MAX_QUOTE_TOKENS or doc[start].text not in QUOTE_MARKS:
        return []
    return _sentence_pieces(doc, start, end)


def _sentence_pieces(doc: Doc, start: int, end: int) -> list[Span]:
    """doc[start:end] cut at sentence starts, like the tagger's spans."""
    while start < end and doc[start].is_space:
        start += 1
    if start >= end:
        return []
    pieces = []
    piece_start = start
    for i in range(start + 1, end):
        if doc[i].is_sent_start:
            pieces.append(doc[piece_start:i])
            piece_start = i
    pieces.append(doc[piece_start:end])
    return [p for p in pieces if not all(t.is_space for t in p)]


def transcript_turns(doc: Doc) -> list[Attribution]:
    """Paragraphs "SPEAKER: what they said", when at least two speakers take
    turns (one capitalized label alone is more often a heading: "UPDATE:")."""
    turns = []
    for start in _paragraph_starts(doc):
        turn = _turn(doc, start)
        if turn is not None:
            turns.append(turn)
    if len({a.source.text for a in turns if a.source is not None}) < 2:
        return []
    return turns


def _paragraph_starts(doc: Doc) -> list[int]:
    """The first word of each paragraph (after a line break)."""
    starts = []
    at_start = True
    for token in doc:
        if token.is_space:
            at_start = at_start or "\n" in token.text
            continue
        if at_start:
            starts.append(token.i)
        at_start = False
    return starts


def _turn(doc: Doc, start: int) -> Attribution | None:
    i = start + (doc[start].text in QUOTE_MARKS)
    begin = i
    while i < len(doc) and i - begin < MAX_SPEAKER_WORDS and _speaker_word(doc[i]):
        i += 1
    if i == begin or i >= len(doc) or doc[i].text != ":":
        return None
    speaker = doc[begin:i]
    if speaker.text in NOT_SPEAKERS:
        return None
    colon = i
    end = colon + 1
    while end < len(doc) and "\n" not in doc[end].text:
        end += 1
    while end > colon + 1 and doc[end - 1].is_space:
        end -= 1
    content = _sentence_pieces(doc, colon + 1, end)
    if not content:
        return None
    return Attribution(cue=doc[colon : colon + 1], source=speaker, content=content)


def _speaker_word(token: Token) -> bool:
    """A word in capitals of two letters or more ("PENCE", "O'NEILL")."""
    letters = [c for c in token.text if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def headline_statement(doc: Doc) -> list[Attribution]:
    """The first line when it reads "Speaker: what they said" and the speaker
    is a name: a person or organization the pipeline found, or proper nouns
    not after "The" ("The Latest: ..." is a heading), and no label such as
    "Explainer". On PolNeAR train it finds 64 first lines, 58 of them
    attributions."""
    starts = _paragraph_starts(doc)
    if not starts:
        return []
    first = end = starts[0]
    while end < len(doc) and "\n" not in doc[end].text:
        end += 1
    line = doc[first:end]
    colons = [t.i for t in line if t.text == ":"]
    if not colons or word_count(line) > MAX_HEADLINE_WORDS:
        return []
    speaker = doc[first : colons[0]]
    if (
        not 0 < len(speaker) <= MAX_HEADLINE_SPEAKER_WORDS
        or speaker.text.upper() in NOT_SPEAKERS
        or not _is_name(speaker)
    ):
        return []
    # the headline's full stop is not part of what was said
    while end > colons[0] + 1 and (doc[end - 1].is_space or doc[end - 1].text == "."):
        end -= 1
    content = _sentence_pieces(doc, colons[0] + 1, end)
    if sum(word_count(piece) for piece in content) < 2:
        return []
    return [Attribution(cue=doc[colons[0] : colons[0] + 1], source=speaker, content=content)]


def _is_name(span: Span) -> bool:
    """One person or organization, or proper nouns only ("Poll", "Pat Caddell")."""
    ents = [e for e in span.doc.ents if e.start < span.end and e.end > span.start]
    if len(ents) == 1 and (ents[0].start, ents[0].end) == (span.start, span.end):
        return ents[0].label_ in ("PERSON", "ORG")
    return all(t.pos_ == "PROPN" for t in span) and span[0].lower_ != "the"
