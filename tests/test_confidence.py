"""Confidence ranks attributions: on real news, the right ones rank higher."""

from __future__ import annotations

import itertools
import statistics

import pytest
from conftest import POLNEAR_DEV

from sayso.analysis import analyze_articles
from sayso.attribution import confidence as confidence_module
from sayso.evaluation import attribution_overlap, attribution_roles, read_gold
from sayso.reading import Article


@pytest.fixture(scope="module")
def judged(attribution_nlp):
    """(confidence, whether a gold attribution matches) for each attribution
    sayso finds in 12 PolNeAR dev articles."""
    gold = list(itertools.islice(read_gold(POLNEAR_DEV), 12))
    articles = [Article(id=g.id, text=g.text) for g in gold]
    pairs = []
    for article, result in zip(gold, analyze_articles(articles, nlp=attribution_nlp), strict=True):
        wanted, found = attribution_roles(article, result["attributions"])
        for att, roles in zip(result["attributions"], found, strict=True):
            right = any(attribution_overlap(roles, w) is not None for w in wanted)
            pairs.append((att["confidence"], right))
    return pairs


def test_right_attributions_are_more_confident(judged):
    right = [c for c, ok in judged if ok]
    wrong = [c for c, ok in judged if not ok]
    assert len(right) > 100 and len(wrong) > 20
    assert statistics.mean(right) > statistics.mean(wrong) + 0.15


def test_the_most_confident_are_mostly_right(judged):
    ranked = sorted(judged, key=lambda pair: -pair[0])
    top = ranked[: len(ranked) // 4]
    bottom = ranked[-len(ranked) // 4 :]
    share = [sum(ok for _, ok in part) / len(part) for part in (top, ranked, bottom)]
    assert share[0] > share[1] > share[2]


def test_confidence_spreads_over_the_range(judged):
    values = {c for c, _ in judged}
    assert min(values) < 0.3 and max(values) > 0.8
    assert all(0 <= c <= 1 for c in values)


def test_a_clear_statement_ranks_above_a_hesitant_one(attribution_nlp):
    # a named speaker and "said": the taggers are sure of every part; an
    # impersonal passive after the statement has no source, and the taggers
    # hesitate over its cue
    (clear,) = attribution_nlp("The mayor said the bridge would reopen in May.")._.attributions
    (hesitant,) = attribution_nlp("The bridge will reopen in May, it was said.")._.attributions
    assert clear.source is not None and hesitant.source is None
    assert confidence_module.confidence(clear) > 0.9
    assert confidence_module.confidence(hesitant) < 0.5


def test_a_statement_a_pattern_found_whole_is_not_marked_down(attribution_nlp):
    # transcript turns: the layout gives speaker, cue and statement at once
    text = (
        "The debate went on late into the night.\n\n"
        "KAINE: We have a plan for the economy, and it starts with jobs.\n\n"
        "PENCE: Our plan cuts taxes for every family in the country.\n\n"
        "KAINE: That plan would add trillions to the debt."
    )
    turns = attribution_nlp(text)._.attributions
    assert [att.cue.text for att in turns] == [":", ":", ":"]
    values = [confidence_module.confidence(att) for att in turns]
    untagged = (
        confidence_module.PATTERN_CUE
        * confidence_module.UNTAGGED_SOURCE
        * confidence_module.UNTAGGED_CONTENT
    )
    assert min(values) > untagged + 0.2
    assert confidence_module.PATTERN_CUE in values
