"""Times of attributions: the resolver on its own, and the times sayso gives
the attributions of the example article (dated 2023-12-01, a Friday)."""

from __future__ import annotations

import pytest

from sayso.analysis import analyze
from sayso.timing import attribution_time, resolve

ARTICLE_DATE = "2023-12-01"


@pytest.fixture(scope="module")
def example_result(attribution_nlp, example_text):
    return analyze(example_text, id="example", nlp=attribution_nlp)


@pytest.mark.parametrize(
    "expression, value, granularity",
    [
        ("on Thursday", "2023-11-30", "day"),
        ("Thursday", "2023-11-30", "day"),
        ("Earlier on Monday", "2023-11-27", "day"),
        ("Earlier in November", "2023-11", "month"),
        ("October 7", "2023-10-07", "day"),
        ("after the October 7 attack", "2023-10-07", "day"),
        ("on December 19, 2015", "2015-12-19", "day"),
        ("December 19, 2015", "2015-12-19", "day"),
        ("2015", "2015", "year"),
        ("the summer of 2010", "2010", "year"),
        # the article's own weekday is its day (AP style), not a week before
        ("Friday", "2023-12-01", "day"),
        ("Saturday", "2023-11-25", "day"),
        ("late Tuesday night", "2023-11-28", "day"),
        ("Wednesday's", "2023-11-29", "day"),
        ("December", "2023-12", "month"),
        ("earlier this month", "2023-12", "month"),
        ("last year", "2022", "year"),
        ("yesterday", "2023-11-30", "day"),
        ("two hours ago", "2023-12-01", "day"),
        ("Nov. 11", "2023-11-11", "day"),
        ("2016-05-03", "2016-05-03", "day"),
    ],
)
def test_resolve(expression, value, granularity):
    assert resolve(expression, ARTICLE_DATE) == (value, granularity)


def test_month_and_day_after_the_article_are_last_years():
    assert resolve("December", "2023-11-15") == ("2022-12", "month")
    assert resolve("November", "2023-11-15") == ("2023-11", "month")
    assert resolve("October 7", "2023-10-05") == ("2022-10-07", "day")


@pytest.mark.parametrize(
    "expression",
    [
        "now",  # the time of writing, not of the statement
        "the 1990s",  # dateparser: 1990 seconds ago
        "six years",  # a span of time, not a point
        "2011 to 2016",
        "last week",  # no week granularity
        "this century",
        "the weekend",
        "recently",
        "30",
        "June 16th of last year",  # its core "June 16th" alone would be this year's
        "",
        "   ",
    ],
)
def test_unresolvable(expression):
    assert resolve(expression, ARTICLE_DATE) is None


@pytest.mark.parametrize("date", [None, "", "not a date", "2023-02-30", "2023-13-01"])
def test_without_an_article_date_only_absolute_dates_resolve(date):
    assert resolve("December 19, 2015", date) == ("2015-12-19", "day")
    assert resolve("2015", date) == ("2015", "year")
    assert resolve("March 2016", date) == ("2016-03", "month")
    for relative in ("on Thursday", "Earlier in November", "October 7", "last year", "now"):
        assert resolve(relative, date) is None


@pytest.mark.parametrize("date", ["Dec. 1, 2023", "2023/12/01", "December 1, 2023"])
def test_article_dates_in_other_formats(date):
    assert resolve("on Thursday", date) == ("2023-11-30", "day")
    assert resolve("Earlier in November", date) == ("2023-11", "month")


def _attribution(result, cue, source, content=""):
    """The one attribution whose cue, source and content contain ``cue``,
    ``source`` and ``content`` (the role tagger may take in more words, such
    as "stated at a press conference:")."""
    found = [
        a
        for a in result["attributions"]
        if cue in a["cue"]["text"]
        and a["source"]
        and source in a["source"]["text"]
        and content in a["content"]["text"]
    ]
    cues = [(a["cue"]["text"], (a["source"] or {}).get("text")) for a in result["attributions"]]
    assert len(found) == 1, f"no single {cue!r} by {source!r} among {cues}"
    return found[0]


@pytest.mark.parametrize(
    "cue, source, content, text, value, granularity",
    [
        ("stated", "Netanyahu", "", "November", "2023-11", "month"),
        ("cited", "The report", "Israeli sources", "Thursday", "2023-11-30", "day"),
        ("reported", "Le Figaro", "", "Monday", "2023-11-27", "day"),
    ],
)
def test_example_attribution_times(
    example_result, example_text, cue, source, content, text, value, granularity
):
    time = _attribution(example_result, cue, source, content)["time"]
    assert time is not None
    assert (time["text"], time["value"], time["granularity"]) == (text, value, granularity)
    assert example_text[slice(*time["span"])] == text


def test_example_times_lie_outside_their_content(example_result):
    # the dates inside a content date what was said, not its saying
    assert _attribution(example_result, "said:", "Halevy")["time"] is None
    for att in example_result["attributions"]:
        if att["time"] is not None:
            start, end = att["time"]["span"]
            assert not any(s < end and start < e for s, e in att["content"]["spans"])


def test_example_without_its_date(attribution_nlp, example_text):
    body = example_text.split(" ", 3)[3]  # the text after " date 2023-12-01 "
    result = analyze(body, nlp=attribution_nlp)
    assert result["error"] is None and result["date"] is None
    assert _attribution(result, "stated", "Netanyahu")["time"] is None


def test_attribution_time_reads_other_date_formats(attribution_nlp, example_text):
    doc = attribution_nlp(example_text)
    (stated,) = [a for a in doc._.attributions if a.cue.text.startswith("stated")]
    iso = attribution_time(stated, ARTICLE_DATE)
    assert iso is not None and iso["value"] == "2023-11"
    for date in ("Dec. 1, 2023", "2023/12/01"):
        assert attribution_time(stated, date) == iso
    assert attribution_time(stated, "garbage") is None
    shifted = attribution_time(stated, ARTICLE_DATE, offset=100)
    assert shifted["span"] == [iso["span"][0] + 100, iso["span"][1] + 100]
