"""training/error_analysis.py: each gold and predicted attribution gets the
outcome that the attribution-level matching of ``sayso evaluate`` gives it."""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest
from conftest import training_module

from sayso.evaluation import GoldArticle, GoldAttribution

error_analysis = training_module("error_analysis")

TEXT = (
    'The mayor said the bridge would reopen in May. "It is safe," the engineer '
    "told reporters. Residents doubt the schedule. The council insists costs "
    "will fall next year after the audit."
)


def _at(phrase: str, occurrence: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(occurrence + 1):
        start = TEXT.index(phrase, start + 1)
    return (start, start + len(phrase))


def _gold(id_: str, source: str | None, cue: str, content: str) -> GoldAttribution:
    return GoldAttribution(
        id=id_,
        source=(_at(source),) if source else (),
        cue=(_at(cue),),
        content=(_at(content),),
    )


def _pred(source: str | None, cue: str, content: str) -> dict:
    return {
        "source": {"span": list(_at(source))} if source else None,
        "cue": {"span": list(_at(cue))},
        "content": {"spans": [list(_at(content))]},
    }


def _article(id_: str, text: str, attributions: list[GoldAttribution]) -> GoldArticle:
    return GoldArticle(id_, text, date="", title="", publisher="", attributions=attributions)


ARTICLE = _article(
    "bridge",
    TEXT,
    [
        _gold("E1", "The mayor", "said", "the bridge would reopen in May"),
        _gold("E2", "the engineer", "told", '"It is safe,"'),
        _gold("E3", "Residents", "doubt", "the schedule"),
        _gold("E4", "The council", "insists", "costs will fall next year after the audit"),
    ],
)

PREDICTED = [
    # right
    _pred("The mayor", "said", "the bridge would reopen in May"),
    # the content, with the wrong source
    _pred("reporters", "told", '"It is safe,"'),
    # a third of the content only
    _pred("The council", "insists", "costs will fall"),
    # nothing of the kind in gold
    _pred(None, "after", "the audit"),
]


def test_each_gold_and_predicted_attribution_gets_its_outcome():
    groups, predicted = error_analysis.breakdown(
        [ARTICLE], {"bridge": {"attributions": PREDICTED}}, {}
    )
    assert groups["all"] == Counter(matched=1, source=1, boundary=1, missed=1)
    # "the audit" lies inside E4's content: it touches gold, so it is a
    # boundary error, not a spurious statement
    assert predicted == Counter(matched=1, source=1, boundary=2)


def test_the_groups_are_quotes_and_how_familiar_the_cue_is():
    train_cues = {"said": 250, "told": 30, "insists": 3}
    groups, _ = error_analysis.breakdown(
        [ARTICLE], {"bridge": {"attributions": PREDICTED}}, train_cues
    )
    assert groups["quoted"] == Counter(source=1)
    assert groups["not quoted"] == Counter(matched=1, boundary=1, missed=1)
    assert groups["cue seen 100 or more"] == Counter(matched=1)
    assert groups["cue seen 1 to 4"] == Counter(boundary=1)
    assert groups["cue seen never"] == Counter(missed=1)


def test_predictions_for_other_articles_are_an_error():
    with pytest.raises(ValueError, match="not in gold: elsewhere"):
        error_analysis.breakdown([ARTICLE], {"elsewhere": {"attributions": PREDICTED}}, {})


def test_cues_are_counted_by_their_words_lowercased():
    text = "Said the mayor: no. The mayor said yes."
    said = text.index(" said") + 1
    other = _article(
        "other",
        text,
        [
            GoldAttribution("E1", (), ((0, 4),), ()),
            GoldAttribution("E2", (), ((said, said + 4),), ()),
        ],
    )
    assert error_analysis.cue_counts([other, ARTICLE])["said"] == 3


def test_an_apostrophe_is_not_a_quote():
    text = "Trump\u2019s aides said he would win."
    article = _article("a", text, [])
    assert not error_analysis.is_quoted(article, GoldAttribution("E1", (), (), ((0, len(text)),)))
    text = "\u201cWe will win,\u201d he said."
    article = _article("b", text, [])
    assert error_analysis.is_quoted(article, GoldAttribution("E1", (), (), ((0, 14),)))


FUNCTION_WORDS = {"the", "in", "it", "is", "will", "after", "would"}
LEMMAS = {"said": "say", "says": "say", "told": "tell", "insists": "insist"}


def _words(text: str) -> list[tuple[int, int, str, bool]]:
    """Words as error_analysis.article_words gives them, with a hand-made
    lemma table instead of the pipeline."""
    return [
        (
            m.start(),
            m.end(),
            LEMMAS.get(m.group().lower(), m.group().lower()),
            m.group().lower() not in FUNCTION_WORDS,
        )
        for m in re.finditer(r"\w+", text)
    ]


def test_a_lemma_cue_rate_is_the_share_of_its_occurrences_inside_a_cue():
    text = "She said no. He says yes. Say it again, they said."
    say = [m.start() for m in re.finditer(r"\bsa(?:id|ys)\b", text)]
    train = _article(
        "train",
        text,
        [GoldAttribution(f"E{k}", (), ((s, s + 4),), ()) for k, s in enumerate(say[:2])],
    )
    rates = error_analysis.word_cue_rates([train], {"train": _words(text)})
    # "say" occurs four times ("said", "says", "Say", "said"), twice in a cue
    assert rates["say"] == pytest.approx(0.5)
    assert rates["she"] == 0.0


def test_unseen_cues_are_grouped_by_their_most_cue_like_content_word():
    rates = {"say": 0.6, "tell": 0.2, "insist": 0.05}
    words = {"bridge": _words(TEXT)}
    groups, _ = error_analysis.breakdown(
        [ARTICLE], {"bridge": {"attributions": PREDICTED}}, {"said": 250}, (rates, words)
    )
    # "said" was seen as a cue: it is in no rate group
    assert groups["cue never seen, its word a cue 0.1 to 0.3"] == Counter(source=1)
    assert groups["cue never seen, its word a cue under 0.1"] == Counter(boundary=1)
    # "doubt" is in no cue of training
    assert groups["cue never seen, its word a cue never"] == Counter(missed=1)
    assert "cue never seen, its word a cue 0.3 or more" not in groups


def test_a_function_word_counts_only_in_a_cue_without_content_words():
    text = "Costs will fall after the audit, and after it."
    words = _words(text)
    rates = {"after": 0.4, "audit": 0.1}
    cue = GoldAttribution("E1", (), ((text.index("after"), text.index(",")),), ())
    assert error_analysis.cue_word_rate(cue, words, rates) == pytest.approx(0.1)
    last = text.rindex("after")
    cue = GoldAttribution("E2", (), ((last, last + 5),), ())
    assert error_analysis.cue_word_rate(cue, words, rates) == pytest.approx(0.4)
    dash = GoldAttribution("E3", (), ((text.index(","), text.index(",") + 1),), ())
    assert error_analysis.cue_word_rate(dash, words, rates) is None
    assert error_analysis.rate_bin(None) == "no word"


def test_article_words_are_the_pipelines_lemmas_less_punctuation(nlp):
    text = "Officials said the plan had failed."
    (words,) = error_analysis.article_words([_article("a", text, [])], nlp).values()
    assert [w[2] for w in words] == ["official", "say", "the", "plan", "have", "fail"]
    # content words by UPOS: nouns and verbs, not the determiner or the auxiliary
    assert [w[3] for w in words] == [True, True, False, True, False, True]
    assert text[words[1][0] : words[1][1]] == "said"


def test_the_command_names_unknown_articles_before_it_loads_the_pipeline(tmp_path, monkeypatch):
    predictions = tmp_path / "pred.jsonl"
    predictions.write_text('{"id": "elsewhere", "attributions": []}\n', encoding="utf8")
    gold = tmp_path / "gold.jsonl"
    article = {"id": "bridge", "text": "The mayor said so.", "attributions": []}
    article.update(date="2016-09-01", title="", publisher="nyt")
    gold.write_text(json.dumps(article) + "\n", encoding="utf8")

    def no_pipeline():
        raise AssertionError("the pipeline was loaded")

    monkeypatch.setattr(error_analysis.sayso, "load", no_pipeline)
    with pytest.raises(SystemExit, match="not in gold: elsewhere"):
        error_analysis.main([str(predictions), "--gold", str(gold), "--train", str(gold)])
