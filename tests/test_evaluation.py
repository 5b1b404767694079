import json
from pathlib import Path

import pytest

from sayso.evaluation import (
    ROLES,
    Counts,
    GoldArticle,
    GoldAttribution,
    format_markdown,
    format_table,
    read_gold,
    role_spans,
    score,
)

DEV = Path(__file__).parents[2] / "shared" / "data" / "polnear" / "dev.jsonl"
needs_dev = pytest.mark.skipif(not DEV.is_file(), reason=f"PolNeAR dev not found at {DEV}")


def at(text: str, phrase: str, nth: int = 0) -> tuple[int, int]:
    """Character span of the ``nth`` occurrence of ``phrase`` in ``text``."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(phrase, start + 1)
    return (start, start + len(phrase))


def gold_article(text: str, *attributions: tuple, article_id: str = "a1") -> GoldArticle:
    """A gold article from ``(source, cue, content)`` span tuples (each a tuple of pairs)."""
    return GoldArticle(
        id=article_id,
        text=text,
        date="2016-01-01",
        title="t",
        publisher="nyt",
        attributions=[
            GoldAttribution(f"E{i}", source, cue, content)
            for i, (source, cue, content) in enumerate(attributions, start=1)
        ],
    )


def pred(source=None, cue=None, content=()) -> dict:
    """A sayso/1 attribution dict from a source span, a cue span, and content spans."""
    return {
        "source": None if source is None else {"span": list(source)},
        "cue": None if cue is None else {"span": list(cue)},
        "content": {"spans": [list(s) for s in content]},
    }


def predictions(*attributions: dict, article_id: str = "a1") -> dict:
    return {article_id: {"schema": "sayso/1", "id": article_id, "attributions": list(attributions)}}


def as_prediction(article: GoldArticle) -> dict:
    """Gold attributions in the sayso/1 prediction shape (sources and cues as one span)."""
    out = []
    for a in article.attributions:
        assert len(a.source) <= 1 and len(a.cue) <= 1
        out.append(pred(a.source[0] if a.source else None, a.cue[0] if a.cue else None, a.content))
    return {"schema": "sayso/1", "id": article.id, "attributions": out}


TEXT = "Officials said on Monday that the talks would resume soon."


def test_role_spans_reads_the_sayso_shape():
    spans = role_spans(pred((0, 9), (10, 14), [(30, 40), (45, 50)]))
    assert spans == {"source": ((0, 9),), "cue": ((10, 14),), "content": ((30, 40), (45, 50))}
    assert role_spans({"cue": {"span": [1, 2]}, "source": None})["source"] == ()


def test_exact_and_soft_role_matching():
    gold = gold_article(
        TEXT,
        ((at(TEXT, "Officials"),), (at(TEXT, "said"),), (at(TEXT, "the talks would resume soon"),)),
    )
    report = score(
        [gold],
        predictions(
            pred(at(TEXT, "Officials"), at(TEXT, "said on"), [at(TEXT, "talks would resume")])
        ),
    )
    assert report.exact["source"].tp == 1 and report.soft["source"].tp == 1
    assert report.exact["cue"].tp == 0 and report.soft["cue"].tp == 1
    assert report.exact["content"].tp == 0 and report.soft["content"].tp == 1
    assert report.exact["content"].precision == 0.0
    assert report.soft["content"].f1 == 1.0


def test_spans_are_compared_as_tokens():
    gold = gold_article(TEXT, ((), (at(TEXT, "said"),), (at(TEXT, "talks would"),)))
    # Partial words and surrounding spaces cover the same tokens.
    start, end = at(TEXT, "talks would")
    report = score(
        [gold],
        predictions(
            pred(None, (at(TEXT, "said")[0] + 1, at(TEXT, "said")[1]), [(start - 1, end - 2)])
        ),
    )
    assert report.exact["cue"].tp == 1
    assert report.exact["content"].tp == 1
    assert report.exact["source"].n_gold == 0 and report.exact["source"].n_pred == 0


def test_role_items_are_deduplicated_per_article():
    text = "The minister said taxes would rise, and the minister added that spending would fall."
    minister = (at(text, "The minister"),)
    gold = gold_article(
        text,
        (minister, (at(text, "said"),), (at(text, "taxes would rise"),)),
        (minister, (at(text, "added"),), (at(text, "spending would fall"),)),
    )
    report = score(
        [gold], predictions(pred(minister[0], at(text, "said"), [at(text, "taxes would rise")]))
    )
    assert report.exact["source"] == Counts(tp=1, n_pred=1, n_gold=1)
    assert report.exact["cue"].n_gold == 2
    assert report.attribution.n_gold == 2  # attributions themselves are not de-duplicated

    twice = predictions(*[pred(minister[0], at(text, "said"), [at(text, "taxes would rise")])] * 2)
    report = score([gold], twice)
    assert report.exact["cue"].n_pred == 1 and report.exact["cue"].tp == 1
    assert report.attribution.n_pred == 2 and report.attribution.tp == 1


TEN_WORDS = "one two three four five six seven eight nine ten"
HALF_TEXT = f"Ann said {TEN_WORDS} today."


@pytest.mark.parametrize(
    ("content", "matches"),
    [
        ("one two three four five six", True),  # 6 of 10: above half
        ("one two three four five", True),  # 5 of 10: exactly half
        ("one two three four", False),  # 4 of 10: below half
    ],
)
def test_attribution_content_overlap_against_longer_gold(content, matches):
    gold = gold_article(
        HALF_TEXT, ((at(HALF_TEXT, "Ann"),), (at(HALF_TEXT, "said"),), (at(HALF_TEXT, TEN_WORDS),))
    )
    report = score(
        [gold],
        predictions(pred(at(HALF_TEXT, "Ann"), at(HALF_TEXT, "said"), [at(HALF_TEXT, content)])),
    )
    assert report.attribution.tp == int(matches)
    assert report.soft["content"].tp == 1


@pytest.mark.parametrize(
    ("content", "matches"), [("eight nine ten today", True), ("seven eight nine ten today", False)]
)
def test_attribution_content_overlap_against_longer_prediction(content, matches):
    # Gold content is 2 tokens ("nine ten"); the prediction is 4 (2 of 4 = half) or 5 tokens.
    gold = gold_article(
        HALF_TEXT, ((at(HALF_TEXT, "Ann"),), (at(HALF_TEXT, "said"),), (at(HALF_TEXT, "nine ten"),))
    )
    report = score(
        [gold],
        predictions(pred(at(HALF_TEXT, "Ann"), at(HALF_TEXT, "said"), [at(HALF_TEXT, content)])),
    )
    assert report.attribution.tp == int(matches)


def test_attribution_source_rule():
    text = "Ann said that taxes would rise, and Bob agreed."
    content = (at(text, "taxes would rise"),)
    no_source = gold_article(text, ((), (at(text, "said"),), content))
    with_source = gold_article(text, ((at(text, "Ann"),), (at(text, "said"),), content))

    assert (
        score([no_source], predictions(pred(None, at(text, "said"), content))).attribution.tp == 1
    )
    assert (
        score(
            [no_source], predictions(pred(at(text, "Ann"), at(text, "said"), content))
        ).attribution.tp
        == 0
    )
    assert (
        score([with_source], predictions(pred(None, at(text, "said"), content))).attribution.tp == 0
    )
    assert (
        score(
            [with_source], predictions(pred(at(text, "Bob"), at(text, "said"), content))
        ).attribution.tp
        == 0
    )
    assert (
        score([with_source], predictions(pred(at(text, "Ann said"), None, content))).attribution.tp
        == 1
    )


def test_matching_is_one_to_one_and_largest_overlap_first():
    text = "Ann said alpha beta gamma delta and Bob said epsilon zeta eta theta."
    gold = gold_article(
        text,
        ((), (at(text, "said"),), (at(text, "alpha beta gamma delta"),)),
        ((), (at(text, "said", 1),), (at(text, "epsilon zeta eta theta"),)),
    )
    # Two predictions for the first gold attribution: only one can match it.
    both_on_first = predictions(
        pred(None, at(text, "said"), [at(text, "alpha beta gamma")]),
        pred(None, at(text, "said"), [at(text, "beta gamma delta")]),
    )
    report = score([gold], both_on_first)
    assert report.attribution == Counts(tp=1, n_pred=2, n_gold=2)
    assert report.soft["content"].tp == 1 and report.soft["content"].n_pred == 2

    # The long prediction overlaps both gold contents; greedy gives it the larger
    # overlap (the first) and leaves the second gold for the short prediction.
    spread = predictions(
        pred(None, None, [at(text, "epsilon zeta")]),
        pred(None, None, [at(text, "alpha beta gamma delta and Bob said epsilon")]),
    )
    assert score([gold], spread).soft["content"].tp == 2


def test_articles_without_prediction_and_unknown_ids():
    gold = gold_article(
        TEXT,
        ((at(TEXT, "Officials"),), (at(TEXT, "said"),), (at(TEXT, "the talks would resume soon"),)),
    )
    report = score([gold], {})
    assert report.n_articles == 1
    assert report.attribution.n_gold == 1 and report.attribution.n_pred == 0
    assert report.attribution.precision == 0.0 and report.attribution.f1 == 0.0
    with pytest.raises(ValueError, match="zz, zzz"):
        score([gold], {**predictions(article_id="zz"), **predictions(article_id="zzz")})


def test_predicted_span_outside_text_is_rejected():
    gold = gold_article(TEXT)
    with pytest.raises(ValueError, match="outside a text"):
        score([gold], predictions(pred(None, (0, len(TEXT) + 5), [])))


def test_read_gold_reports_file_and_line(tmp_path):
    good = {
        "id": "x",
        "text": "Ann said hi.",
        "date": "2016-01-01",
        "title": "t",
        "publisher": "nyt",
        "attributions": [{"id": "E1", "source": [[0, 3]], "cue": [[4, 8]], "content": [[9, 11]]}],
    }
    path = tmp_path / "gold.jsonl"
    bad = dict(good, attributions=[dict(good["attributions"][0], content=[[9, 99]])])
    path.write_text(json.dumps(good) + "\n" + json.dumps(bad) + "\n", encoding="utf-8")
    articles = read_gold(path)
    first = next(articles)
    assert first.attributions[0].cue == ((4, 8),)
    with pytest.raises(ValueError, match=r"gold\.jsonl, line 2: .*outside"):
        next(articles)

    path.write_text("{not json\n", encoding="utf-8")
    with pytest.raises(ValueError, match="line 1"):
        list(read_gold(path))


def test_format_table_and_markdown():
    gold = gold_article(
        TEXT,
        ((at(TEXT, "Officials"),), (at(TEXT, "said"),), (at(TEXT, "the talks would resume soon"),)),
    )
    reports = {
        "sayso": score([gold], {"a1": as_prediction(gold)}),
        "textacy": score([gold], {}),
    }
    table = format_table(reports)
    lines = table.splitlines()
    assert "sayso" in lines[0] and "textacy" in lines[0]
    assert len(lines) == 2 + 7
    assert lines[-1].split() == [
        "attribution",
        "1.000",
        "1.000",
        "1.000",
        "0.000",
        "0.000",
        "0.000",
    ]
    markdown = format_markdown(reports).splitlines()
    assert (
        markdown[0] == "| score | sayso P | sayso R | sayso F | textacy P | textacy R | textacy F |"
    )
    assert markdown[4] == "| content exact | 1.000 | 1.000 | 1.000 | 0.000 | 0.000 | 0.000 |"
    assert len(markdown) == 2 + 7
    assert json.loads(json.dumps(reports["sayso"].to_dict()))["roles"]["cue"]["exact"]["f1"] == 1.0


@needs_dev
def test_read_gold_on_dev():
    articles = list(read_gold(DEV))
    assert len(articles) == 84
    assert sum(len(a.attributions) for a in articles) == 2189
    for article in articles:
        for attribution in article.attributions:
            for role in ROLES:
                for start, end in getattr(attribution, role):
                    assert 0 <= start < end <= len(article.text)
                    assert article.text[start:end].strip()


@needs_dev
def test_gold_scored_against_itself_is_perfect():
    articles = list(read_gold(DEV))
    report = score(articles, {a.id: as_prediction(a) for a in articles})
    values = report.to_dict()
    assert values["attribution"]["f1"] == 1.0 and values["attribution"]["n_gold"] == 2189
    for role in ROLES:
        for kind in ("exact", "soft"):
            counts = values["roles"][role][kind]
            assert counts["precision"] == counts["recall"] == counts["f1"] == 1.0


def parsed_doc(tokens: list[tuple[str, bool, int, str, str, str]]):
    """A hand-parsed Doc from (word, space after, head index, dep, pos, lemma) rows."""
    import spacy
    from spacy.tokens import Doc

    words, spaces, heads, deps, pos, lemmas = map(list, zip(*tokens, strict=True))
    return Doc(
        spacy.blank("en").vocab,
        words=words,
        spaces=spaces,
        heads=heads,
        deps=deps,
        pos=pos,
        lemmas=lemmas,
    )


QUOTE = [
    ("“", False, 3, "punct", "PUNCT", "“"),
    ("We", True, 3, "nsubj", "PRON", "we"),
    ("will", True, 3, "aux", "AUX", "will"),
    ("win", False, 7, "ccomp", "VERB", "win"),
    (",", False, 7, "punct", "PUNCT", ","),
    ("”", True, 7, "punct", "PUNCT", "”"),
    ("she", True, 7, "nsubj", "PRON", "she"),
    ("said", False, 7, "ROOT", "VERB", "say"),
    (".", False, 7, "punct", "PUNCT", "."),
]


def test_textacy_baseline_converts_direct_quotations():
    pytest.importorskip("textacy")
    from sayso.baseline import textacy_attributions

    doc = parsed_doc(QUOTE)
    found = textacy_attributions(doc)
    assert [(a["source"]["text"], a["cue"]["text"], a["content"]["text"]) for a in found] == [
        ("she", "said", "“We will win,”")
    ]
    gold = gold_article(
        doc.text, ((at(doc.text, "she"),), (at(doc.text, "said"),), (at(doc.text, "We will win"),))
    )
    report = score([gold], predictions(*found))
    assert report.exact["source"].tp == report.exact["cue"].tp == report.attribution.tp == 1
    assert report.exact["content"].tp == 0  # textacy's content includes the quotation marks


def test_textacy_baseline_gives_up_on_unbalanced_quotes():
    pytest.importorskip("textacy")
    from sayso.baseline import textacy_attributions, textacy_attributions_or_none

    unclosed = [
        ("“", False, 3, "punct", "PUNCT", "“"),
        ("We", True, 3, "nsubj", "PRON", "we"),
        ("will", True, 3, "aux", "AUX", "will"),
        ("win", False, 6, "ccomp", "VERB", "win"),
        (",", True, 6, "punct", "PUNCT", ","),
        ("she", True, 6, "nsubj", "PRON", "she"),
        ("said", False, 6, "ROOT", "VERB", "say"),
        (".", False, 6, "punct", "PUNCT", "."),
    ]
    doc = parsed_doc(unclosed)
    assert doc.text == "“We will win, she said."
    assert textacy_attributions_or_none(doc) is None
    assert textacy_attributions(doc) == []


def test_role_spans_rejects_other_shapes():
    with pytest.raises(ValueError, match="predicted content"):
        role_spans({"cue": {"span": [1, 2]}, "content": {"span": [3, 4]}})
