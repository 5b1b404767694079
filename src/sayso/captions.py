"""Photo captions and credit lines inside scraped article text.

Text scraped from news pages carries the captions of the page's photos in the
body, each as a paragraph of its own that opens with the photo credit::

    Marc Israel Sellem/POOL Benjamin Netanyahu, Yoav Galant and Benny Gantz hold ...
    IRANIAN FOREIGN MINISTRY / AFP Iranian Foreign Minister ... met with ...
    Kayhan Ozer (Turkish Prime Minister Press Office/AFP/File) Palestinian Hamas leader ...
    Getty/Instagram.

They are not the article's own statements, so sayso reports them apart and
keeps them out of the attributions.

The rule, on each paragraph (paragraphs are separated by blank lines): a
caption is a paragraph that starts with a credit and then either ends (a credit
line alone) or goes on with caption text that starts with a capital letter. A
credit is one of:

- a slash credit: names (capitalised or all-caps words, the photographer or
  the owner of the picture) joined by ``/`` and ending in a known agency,
  ``Marc Israel Sellem/POOL``, ``IRANIAN FOREIGN MINISTRY / AFP``,
  ``John Smith/AFP via Getty Images``; or an agency in capitals followed by
  the photographer's first and last name, ``REUTERS/Kevin Lamarque``;
- a parenthesised credit, optionally after the photographer's name, holding a
  slash or ``Photo`` and a known agency: ``Kayhan Ozer (Turkish Prime Minister
  Press Office/AFP/File)``, ``(AP Photo/Evan Vucci)``;
- ``Photo:``, ``Photo by``, ``Credit:`` ... before a known agency;
- a known agency alone (``Getty Images``, ``Reuters``): the weakest sign, so
  the caption text after it must also read like a caption (see
  :func:`_reads_like_caption`).

Agencies are matched case-sensitively from :data:`AGENCIES`: the anchor that
keeps ordinary sentences ("The Washington Post/ABC News poll was ...", "The
latest Reuters/Ipsos poll ...", "WASHINGTON (AP) — ...") from firing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Photo agencies, pools and platforms that appear in credits, as they are
# written there (case matters: "AP" is an agency, "ap" is not). Longer names
# first, so that the alternation prefers "Getty Images" to "Getty".
AGENCIES = sorted(
    (
        "AFP",
        "AFP PHOTO",
        "AFP Photo",
        "AP",
        "AP Photo",
        "AP Images",
        "AAP",
        "ANP",
        "ANSA",
        "Abaca",
        "ABACA",
        "Alamy",
        "Anadolu",
        "Anadolu Agency",
        "Associated Press",
        "Bloomberg",
        "Corbis",
        "dpa",
        "DPA",
        "EPA",
        "EPA-EFE",
        "EFE",
        "Facebook",
        "File",
        "FILE",
        "Flickr",
        "Getty",
        "Getty Images",
        "GPO",
        "Handout",
        "HANDOUT",
        "iStock",
        "Instagram",
        "Kyodo",
        "NurPhoto",
        "Pool",
        "POOL",
        "Reuters",
        "REUTERS",
        "Rex",
        "REX",
        "Shutterstock",
        "SIPA",
        "Sipa",
        "SOPA Images",
        "Sputnik",
        "TASS",
        "Twitter",
        "UPI",
        "WireImage",
        "Wikimedia Commons",
        "Xinhua",
        "XINHUA",
        "ZUMA",
        "Zuma",
        "ZUMA Wire",
    ),
    key=len,
    reverse=True,
)
# Words that introduce a credit: "Photo: Reuters", "Photo by AFP".
CREDIT_PREFIX = r"(?:(?:Photo(?:graph)?|Image|Picture|Credit|Foto)s?\s*(?::|by\b)\s*)"
# Paragraphs longer than this are body text whatever they start with: the
# longest caption in the examples is about 230 characters.
MAX_CAPTION_CHARS = 600
# A caption after a bare agency name (the weakest credit) has at most this
# many words.
MAX_WEAK_CAPTION_WORDS = 60

_AGENCY = "(?:" + "|".join(re.escape(a) for a in AGENCIES) + r")(?![\w'’-])"
# A capitalised or all-caps word of a name ("Sellem", "MINISTRY", "O'Neil"),
# letting in the lower-case particles of names ("de", "van", "bin").
_NAME_WORD = r"(?:(?:de|da|di|du|van|von|der|la|le|al|el|bin|ibn)\s+)?[A-ZÀ-ÖØ-Þ][\w'’.-]*"
_NAME = rf"{_NAME_WORD}(?:[ \t]+{_NAME_WORD}){{0,5}}"
_SLASH = r"[ \t]?/[ \t]?"
# NAME/.../AGENCY[/AGENCY...][ via AGENCY]: "Marc Israel Sellem/POOL".
_SLASH_CREDIT = (
    rf"{_NAME}(?:{_SLASH}{_NAME})*?{_SLASH}{_AGENCY}(?:{_SLASH}{_AGENCY})*"
    rf"(?:[ \t]+via[ \t]+{_AGENCY})?"
)
# AGENCY/First Last, the agency in capitals as agencies write their own
# credit: "REUTERS/Kevin Lamarque", "AP Photo/Evan Vucci". Two name words: the caption starts right
# after, with no mark between, so the name's length is the only boundary.
_CAPS_AGENCY = "(?:" + "|".join(re.escape(a) for a in AGENCIES if a.split()[0].isupper()) + ")"
_PHOTOGRAPHER_WORD = r"[A-ZÀ-ÖØ-Þ][\w'’-]*"
_AGENCY_FIRST_CREDIT = (
    rf"{_CAPS_AGENCY}{_SLASH}{_PHOTOGRAPHER_WORD}[ \t]+{_PHOTOGRAPHER_WORD}(?![\w'’-])"
)
# (… /AGENCY/ …) or (Photo …AGENCY…), after an optional photographer name.
_PAREN_CREDIT = (
    rf"(?:{_NAME}[ \t]*)?\((?=[^()\n]*(?:/|Photo))(?=[^()\n]*?{_AGENCY})[^()\n]{{2,120}}\)"
)
_PREFIXED_CREDIT = rf"{CREDIT_PREFIX}{_AGENCY}"
_STRONG_CREDIT = re.compile(
    rf"{CREDIT_PREFIX}?(?:{_PAREN_CREDIT}|{_SLASH_CREDIT}|{_AGENCY_FIRST_CREDIT}|{_PREFIXED_CREDIT})"
)
_WEAK_CREDIT = re.compile(rf"{_AGENCY}(?:{_SLASH}{_AGENCY})*")
# After the credit: optional closing punctuation, then the end of the
# paragraph or whitespace and a capital letter starting the caption.
_AFTER_CREDIT = re.compile(r"[.:]?(?:\Z|\s+(?=[A-ZÀ-ÖØ-Þ]))")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n")
# Caption text after a bare agency must not report speech or quote anyone
# (then it is a sentence about the agency: "Reuters reported ...") and must
# show a picture: a verb of posing or a position marker.
_REPORTING = re.compile(
    r"\b(?:said|says|say|told|tells|according|reported|reports|wrote|writes|announced)\b"
)
_QUOTE_MARKS = re.compile('["“”«»„]')
_PICTURE_CUES = re.compile(
    r"\((?:L|R|C|C-L|C-R|left|right|center|centre)\)|\b(?:pictured|seen|poses?|posing|"
    r"speaks|speak|attends|attend|arrives|arrive|gestures|gesture|waves|wave|holds|hold|"
    r"looks on|look on|listens|listen|stands|stand|walks|walk|sits|sit|shakes hands|"
    r"file photo|in this photo|in this image)\b"
)


@dataclass(frozen=True)
class Caption:
    """One caption paragraph.

    ``span`` is the whole paragraph, ``credit_span`` its credit, both
    ``(start, end)`` character offsets into the text given to
    :func:`find_captions`, end exclusive. ``credit`` and ``text`` (the caption
    after the credit; empty for a credit line alone) are slices of that text.
    """

    span: tuple[int, int]
    credit: str
    credit_span: tuple[int, int]
    text: str


def find_captions(text: str, start: int = 0) -> list[Caption]:
    """The captions among the paragraphs of ``text[start:]``, in text order.

    Paragraphs are separated by blank lines; ``start`` skips a leading part
    that is not body (an article's date line). Offsets are into ``text``.
    """
    captions = []
    for para_start, para_end in _paragraphs(text, start):
        caption = _caption(text, para_start, para_end)
        if caption is not None:
            captions.append(caption)
    return captions


def _paragraphs(text: str, start: int) -> list[tuple[int, int]]:
    """(start, end) of each non-blank paragraph of ``text[start:]``, without
    the whitespace around it."""
    spans = []
    position = start
    for match in _PARAGRAPH_BREAK.finditer(text, start):
        spans.append((position, match.start()))
        position = match.end()
    spans.append((position, len(text)))
    trimmed = []
    for begin, end in spans:
        chunk = text[begin:end]
        stripped = chunk.strip()
        if stripped:
            begin += len(chunk) - len(chunk.lstrip())
            trimmed.append((begin, begin + len(stripped)))
    return trimmed


def _caption(text: str, start: int, end: int) -> Caption | None:
    """The caption in paragraph ``text[start:end]``, or None when it is not one."""
    if end - start > MAX_CAPTION_CHARS:
        return None
    paragraph = text[start:end]
    strong = _STRONG_CREDIT.match(paragraph)
    for match, weak in ((strong, False), (_WEAK_CREDIT.match(paragraph), True)):
        if match is None:
            continue
        after = _AFTER_CREDIT.match(paragraph, match.end())
        if after is None:
            continue
        caption_text = paragraph[after.end() :]
        if weak and caption_text and not _reads_like_caption(caption_text):
            continue
        return Caption(
            span=(start, end),
            credit=match.group(),
            credit_span=(start + match.start(), start + match.end()),
            text=caption_text,
        )
    return None


def _reads_like_caption(text: str) -> bool:
    """Whether ``text`` (what follows a bare agency name) describes a
    picture rather than reporting what someone said."""
    return (
        len(text.split()) <= MAX_WEAK_CAPTION_WORDS
        and _REPORTING.search(text) is None
        and _QUOTE_MARKS.search(text) is None
        and _PICTURE_CUES.search(text) is not None
    )
