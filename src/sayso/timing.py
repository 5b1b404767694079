"""When a statement was made: time expressions resolved against the article date.

News dates what it reports relative to its own date line: "on Thursday",
"Earlier in November", "after the October 7 attack". For an attribution,
:func:`attribution_time` takes the DATE entity of the cue's sentence that
belongs to the cue (one the cue verb governs in the parse, else the nearest),
leaving out those inside the content (they date what was said, not the
saying: "the talks would resume on Monday"), and :func:`resolve` turns its
text into an ISO 8601 value at day, month or year granularity.

Resolution is dateparser's, with the article date (at noon) as its relative
base and dates preferred from the past (news reports the past), plus the rules
it lacks:

- words around the date are dropped: "Earlier on Monday" -> "Monday",
  "after the October 7 attack" -> "October 7", "Thursday's" -> "Thursday";
- a weekday is the latest such day not after the article date: AP style
  names the weekday even for the day of publication, where dateparser would
  go back a week;
- "now" gives nothing: it dates the article's writing, not the statement;
- expressions dateparser misreads give nothing: decades ("the 1990s" reads
  as 1990 seconds ago), spans of time without an anchor ("six years" reads
  as six years ago), ranges ("2011 to 2016"), weeks (no granularity for them
  here).

Month names alone, month-and-day without a year, full dates and bare years
are dateparser's own: "November" -> the latest November not after the
article's month, "October 7" -> the latest October 7 not after the article
date. Without an article date only absolute expressions resolve.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from functools import lru_cache
from typing import Any, Literal

from dateparser.date import DateDataParser
from spacy.tokens import Span, Token

from sayso.attribution.linking import Attribution
from sayso.reading import MONTHS, normalize_date

Granularity = Literal["day", "month", "year"]

DATE_LABEL = "DATE"
PARSER_LANGUAGES = ["en"]
# Relative expressions count from noon of the article date, so that "two
# hours ago" stays on that day.
BASE_HOUR = 12
# Without an article date, an expression is absolute when it resolves to the
# same value against both of these far-apart bases.
PROBE_BASES = (dt.datetime(2001, 3, 14, BASE_HOUR), dt.datetime(2017, 10, 28, BASE_HOUR))
# dateparser's period of a parse -> granularity here. "week" has no ISO
# value among ours; "time" only stands when the text names a time of day
# ("3 p.m.", "two hours ago"): "now" is when the article speaks, not when
# its sources did, and "the 1990s" is misread as a time.
GRANULARITY_OF_PERIOD: dict[str, Granularity] = {
    "time": "day",
    "part_of_day": "day",
    "day": "day",
    "month": "month",
    "year": "year",
}
ISO_FORMATS: dict[Granularity, str] = {"day": "%Y-%m-%d", "month": "%Y-%m", "year": "%Y"}
# How many dependency arcs a DATE may be from the cue and still count as
# governed by it ("stated" <- "Earlier" <- "November": 2).
MAX_ATTACHMENT_STEPS = 3
RESOLVE_CACHE_SIZE = 4096
PARSER_CACHE_SIZE = 64

# Words before the date proper: "Earlier on Monday", "late November", "mid-November".
_LEADING_WORDS = re.compile(
    r"^(?:(?:earlier|later|early|late|mid|on|in|at|by|since|during|from|until|till|"
    r"after|before|around|about|as of|right)(?:\s+|-))+",
    re.IGNORECASE,
)
# A date needs a word or a year: a bare "30" or "1" is a number, not a day.
_DATE_LIKE = re.compile(r"[^\W\d_]|\d{4}")
_POSSESSIVE = re.compile(r"['’]s?$")
_TRAILING_PUNCT = re.compile(r"[\s.,;:!?)]+$")
_WEEKDAY_NUMBERS = {name.lower(): number for number, name in enumerate(calendar.day_name)}
_WEEKDAY = re.compile(
    r"(?P<day>" + "|".join(_WEEKDAY_NUMBERS) + r")(?:\s+(?:morning|afternoon|evening|night))?",
    re.IGNORECASE,
)
_DECADE_OR_CENTURY = re.compile(r"\d0s\b|['’]\d0s\b|\b(?:decades?|century|centuries)\b", re.I)
_NUMBER_WORDS = (
    r"\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"a few|few|several|many|some|a couple of|couple of"
)
_DURATION = re.compile(
    rf"\b(?:{_NUMBER_WORDS})\s+(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?)\b",
    re.IGNORECASE,
)
# A duration is a point in time only when counted back (or on) from now.
_FROM_NOW = re.compile(r"\b(?:ago|from now)\b", re.IGNORECASE)
_TIME_OF_DAY = re.compile(
    r"\b(?:ago|noon|midnight|[ap]\.?m\b\.?)|\d{1,2}:\d{2}|\d\s*[ap]\.?m\b", re.IGNORECASE
)
# "2011 to 2016", "1995 - 1997", "2011–2016", "2011-2016" (but not "2016-05-03").
_RANGE = re.compile(
    r"\d\s+(?:to|through|until|-)\s+\d|\d\s*[–—]\s*\d|\b\d{4}-\d{4}\b|\bbetween\b", re.I
)
# Words that make an expression relative to something the text names, not
# only to the article date: its date core alone would resolve wrongly
# ("June 16th of last year" is not this year's June 16).
_RELATIVE_WORDS = re.compile(
    r"\b(?:last|next|this|ago|later|earlier|previous|following|coming|past|before|after|"
    r"yesterday|today|tomorrow|tonight|now)\b",
    re.IGNORECASE,
)
_MONTH = r"(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_YEAR = r"(?:1[6-9]|20)\d\d"
# The date inside a longer expression ("the October 7 attack", "the summer
# of 2010"), most specific first.
_DATE_CORES = tuple(
    re.compile(rf"\b{pattern}\b", re.IGNORECASE)
    for pattern in (
        rf"{_MONTH}\s+{_DAY},?\s+{_YEAR}",
        rf"{_DAY}\s+{_MONTH},?\s+{_YEAR}",
        rf"{_MONTH},?\s+{_YEAR}",
        rf"{_MONTH}\s+{_DAY}",
        rf"{_DAY}\s+{_MONTH}",
        _YEAR,
        _MONTH,
        _WEEKDAY.pattern,
    )
)


def attribution_time(
    att: Attribution, article_date: str | None, offset: int = 0
) -> dict[str, Any] | None:
    """The time of ``att``: ``{"text", "span", "value", "granularity"}`` or None.

    ``article_date`` is the article's date (ISO, or any format
    :func:`sayso.reading.normalize_date` reads; None or unreadable: only
    absolute dates resolve). ``offset`` is where the attribution's Doc starts
    in the article text, so that ``span`` refers to the article. None when
    the cue's sentence has no DATE entity outside the content that resolves.
    """
    for ent in _candidates(att):
        resolved = resolve(ent.text, article_date)
        if resolved is not None:
            value, granularity = resolved
            return {
                "text": ent.text,
                "span": [ent.start_char + offset, ent.end_char + offset],
                "value": value,
                "granularity": granularity,
            }
    return None


def _candidates(att: Attribution) -> list[Span]:
    """DATE entities of the cue's sentence outside the content, the one the
    cue governs first (fewest arcs), then by distance from the cue."""
    cue = att.cue
    sentence = cue.doc[cue.start].sent
    cue_ids = {t.i for t in cue}
    content_ids = {t.i for piece in att.content for t in piece}
    dates = [
        ent
        for ent in _date_entities(sentence)
        if not any(t.i in content_ids or t.i in cue_ids for t in ent)
    ]

    def rank(ent: Span) -> tuple[bool, int, int]:
        steps = _attachment_steps(ent.root, cue_ids, content_ids)
        distance = ent.start - cue.end if ent.start >= cue.end else cue.start - ent.end
        return steps is None, steps or 0, distance

    return sorted(dates, key=rank)


def _date_entities(sentence: Span) -> list[Span]:
    """The DATE entities inside ``sentence``, read from the tokens' entity
    tags (``Span.ents`` walks every entity of the Doc, for each attribution)."""
    doc = sentence.doc
    found = []
    for token in sentence:
        if token.ent_iob_ != "B" or token.ent_type_ != DATE_LABEL:
            continue
        end = token.i + 1
        while end < len(doc) and doc[end].ent_iob_ == "I":
            end += 1
        if end <= sentence.end:
            found.append(Span(doc, token.i, end, label=DATE_LABEL))
    return found


def _attachment_steps(token: Token, cue_ids: set[int], content_ids: set[int]) -> int | None:
    """Arcs from ``token`` up to a cue token, or None when the way up leaves
    the cue's reach (the root, the content, or too far)."""
    for steps in range(1, MAX_ATTACHMENT_STEPS + 1):
        head = token.head
        if head.i in cue_ids:
            return steps
        if head is token or head.i in content_ids:
            return None
        token = head
    return None


@lru_cache(maxsize=RESOLVE_CACHE_SIZE)
def resolve(expression: str, article_date: str | None) -> tuple[str, Granularity] | None:
    """``(ISO value, granularity)`` of a time expression, or None.

    ``article_date`` anchors relative expressions ("on Thursday" in an
    article of 2023-12-01 -> ``("2023-11-30", "day")``); without a readable
    one, only expressions that do not depend on it resolve ("December 19,
    2015"). Cached: dateparser takes about a millisecond a call.
    """
    date = normalize_date(article_date)
    if date is None:
        values = {_resolve_at(expression, base) for base in PROBE_BASES}
        return values.pop() if len(values) == 1 else None
    base = dt.datetime.combine(dt.date.fromisoformat(date), dt.time(BASE_HOUR))
    return _resolve_at(expression, base)


def _resolve_at(expression: str, base: dt.datetime) -> tuple[str, Granularity] | None:
    """Resolve ``expression`` relative to ``base`` (see the module's rules)."""
    text = _clean(expression)
    if not _DATE_LIKE.search(text) or _DECADE_OR_CENTURY.search(text) or _RANGE.search(text):
        return None
    if _DURATION.search(text) and not _FROM_NOW.search(text):
        return None
    weekday = _WEEKDAY.fullmatch(text)
    if weekday is not None:
        back = (base.weekday() - _WEEKDAY_NUMBERS[weekday["day"].lower()]) % 7
        return (base - dt.timedelta(days=back)).strftime(ISO_FORMATS["day"]), "day"
    parsed = _parse(text, base)
    if parsed is None:
        core = None if _RELATIVE_WORDS.search(text) else _date_core(text)
        return _resolve_at(core, base) if core is not None and core != text else None
    value, period = parsed
    granularity = GRANULARITY_OF_PERIOD.get(period)
    if granularity is None or (period == "time" and not _TIME_OF_DAY.search(text)):
        return None
    return value.strftime(ISO_FORMATS[granularity]), granularity


def _clean(expression: str) -> str:
    """The expression without the words around the date proper."""
    text = " ".join(expression.split())
    text = _TRAILING_PUNCT.sub("", _POSSESSIVE.sub("", text))
    return _LEADING_WORDS.sub("", text)


def _date_core(text: str) -> str | None:
    """The most specific date inside ``text``, or None."""
    for pattern in _DATE_CORES:
        match = pattern.search(text)
        if match is not None:
            return match.group()
    return None


@lru_cache(maxsize=RESOLVE_CACHE_SIZE)
def _parse(text: str, base: dt.datetime) -> tuple[dt.datetime, str] | None:
    """dateparser's (datetime, period) for ``text`` relative to ``base``, or None."""
    data = _parser(base).get_date_data(text)
    if data.date_obj is None:
        return None
    return data.date_obj, data.period or "day"


@lru_cache(maxsize=PARSER_CACHE_SIZE)
def _parser(base: dt.datetime) -> DateDataParser:
    """A dateparser parser anchored at ``base`` (its settings are fixed at creation)."""
    settings = {"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past", "RETURN_TIME_AS_PERIOD": True}
    return DateDataParser(languages=PARSER_LANGUAGES, settings=settings)
