"""Signed quotes: a quoted paragraph followed by a dash and the speaker's name.

Reader testimonials, pull quotes and fact-check lists print a statement and
sign it after a dash::

    “We were never asked what we wanted.” ― Dana Whitfield
    "The plant will stay open."

    - Governor Ruiz.

The dash is the cue, the name the source and the quote the content (this is
how PolNeAR annotates them). The role tagger rarely sees the form in training
and misses most of them, so a pattern finds them; the component gives these
words to the signed quote and the tagger's spans over them are dropped.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from sayso.attribution.linking import Attribution

DASHES = frozenset({"―", "—", "–", "-", "--"})
QUOTE_MARKS = frozenset({"“", "”", '"', "''", "``", "«", "»"})
# The most words a signature's name may have ("Christina N Luis Olidem").
MAX_NAME_WORDS = 5
# A statement longer than this is not a signed quote but a whole article part.
MAX_QUOTE_TOKENS = 300


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
    if text in DASHES or (len(text) == 2 and text[0] in "”\"" and text[1] in DASHES):
        return token.doc[token.i : token.i + 1]
    return None


def _blank(token: Token) -> bool:
    return token.text.isspace()


def _closing_quote(dash: Token) -> Token | None:
    """The quote mark that ends the statement before the dash (the dash itself
    when the tokenizer glued them), across whitespace and line breaks."""
    if dash.text not in DASHES:
        return dash
    i = dash.i - 1
    while i >= 0 and _blank(dash.doc[i]):
        i -= 1
    if i >= 0 and dash.doc[i].text in QUOTE_MARKS:
        return dash.doc[i]
    return None


def _signature(doc: Doc, start: int) -> Span | None:
    """A name after the dash that ends its line or is followed by a comma or
    a full stop ("- Michelle Marks, Philadelphia.")."""
    i = start
    while i < len(doc) and _blank(doc[i]) and "\n" not in doc[i].text:
        i += 1
    begin = i
    while i < len(doc) and i - begin < MAX_NAME_WORDS and _name_word(doc[i]):
        i += 1
    if i == begin or not doc[begin].is_title:
        return None
    if i < len(doc) and not (
        "\n" in doc[i].text or _blank(doc[i]) or doc[i].text in {",", ".", "("}
    ):
        return None
    return doc[begin:i]


def _name_word(token: Token) -> bool:
    """A capitalized word or an initial ("G.", "N")."""
    text = token.text
    return text[:1].isupper() and (text.rstrip(".").isalpha() or text.endswith("."))


def _quoted_paragraph(doc: Doc, closing: Token, dash: Token) -> list[Span]:
    """The paragraph that ``closing`` ends, when it opens with a quote mark,
    cut at sentence starts like the tagger's spans."""
    end = closing.i + 1 if closing.i != dash.i else closing.i
    start = closing.i - 1 if closing.i == dash.i else closing.i
    while start > 0 and "\n" not in doc[start - 1].text:
        start -= 1
    while start < end and _blank(doc[start]):
        start += 1
    if end - start < 3 or end - start > MAX_QUOTE_TOKENS or doc[start].text not in QUOTE_MARKS:
        return []
    pieces = []
    piece_start = start
    for i in range(start + 1, end):
        if doc[i].is_sent_start:
            pieces.append(doc[piece_start:i])
            piece_start = i
    pieces.append(doc[piece_start:end])
    return [p for p in pieces if not all(_blank(t) for t in p)]
