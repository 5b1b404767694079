"""Where sayso's attribution errors are, on gold articles it was not trained on.

Usage::

    sayso evaluate ../shared/data/polnear/dev.jsonl --predictions pred.jsonl
    python training/error_analysis.py pred.jsonl

Under the attribution-level matching of ``sayso evaluate``, each gold
attribution ends one way:

- ``matched``;
- ``source``: a predicted content matches it, but the sources differ (one
  has none, or they share no word; or, rarely, that prediction matched
  another gold attribution);
- ``boundary``: predicted content touches it, but none shares half of the
  longer of the two contents;
- ``missed``: no predicted content touches it.

The outcomes are printed by whether the gold content holds a double quote
mark,
and by how often the gold cue (its words, lowercased) is a cue in the
training articles: how far the tagger has to generalise. A cue never seen
as a whole is grouped again by how often its most cue-like content word
(by lemma, as the shipped pipeline tags them) is part of a cue where it
occurs in the training articles: whether its words are new to the tagger,
or known and mostly not cues. A last table says
what the unmatched predictions are (``boundary``, ``source``, or
``spurious``: touching no gold content). ``--train`` must not hold the gold
articles (each cue would count itself); predictions for articles not in
``--gold`` are an error.
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import sayso
from sayso.evaluation import (
    GoldArticle,
    GoldAttribution,
    Roles,
    attribution_overlap,
    attribution_roles,
    match_attributions,
    read_gold,
)

if TYPE_CHECKING:
    from spacy.language import Language

POLNEAR = Path(__file__).resolve().parents[2] / "shared" / "data" / "polnear"
OUTCOMES = ("matched", "source", "boundary", "missed")
PREDICTION_OUTCOMES = ("matched", "source", "boundary", "spurious")
# double quote marks only: U+2019 is the apostrophe too ("Trump’s")
QUOTE_MARKS = re.compile("[\"\u201c\u201d\u00ab\u00bb]|''|``")
# bins of how often a cue was a cue in training, most familiar first
FAMILIARITY = ((100, "100 or more"), (20, "20 to 99"), (5, "5 to 19"), (1, "1 to 4"), (0, "never"))
# bins of the share of its occurrences in which a word is part of a cue
WORD_CUE_RATE = ((0.3, "0.3 or more"), (0.1, "0.1 to 0.3"), (1e-9, "under 0.1"), (0.0, "never"))
RATE_BINS = [label for _, label in WORD_CUE_RATE] + ["no word"]

# content words, by the pipeline's UPOS; auxiliaries are AUX
CONTENT_POS = frozenset({"NOUN", "PROPN", "VERB", "ADJ", "ADV"})

# a word: (start, end) characters, lowercased lemma, content word
Word = tuple[int, int, str, bool]
Words = list[Word]


def cue_text(article: GoldArticle, attribution: GoldAttribution) -> str:
    """The cue's words, fragments joined by a space, lowercased."""
    return " ".join(article.text[s:e] for s, e in attribution.cue).lower()


def cue_counts(articles: Iterable[GoldArticle]) -> Counter[str]:
    """How often each cue text is a cue in ``articles``."""
    return Counter(cue_text(a, att) for a in articles for att in a.attributions)


def familiarity(count: int) -> str:
    return next(label for least, label in FAMILIARITY if count >= least)


def article_words(articles: Iterable[GoldArticle], nlp: Language) -> dict[str, Words]:
    """Each article's words as ``nlp`` (the shipped pipeline) tags and
    lemmatises them (punctuation and whitespace left out), by article id."""
    articles = list(articles)
    with nlp.select_pipes(disable=["parser", "ner"]):
        docs = nlp.pipe(a.text for a in articles)
        return {
            article.id: [
                (t.idx, t.idx + len(t), t.lemma_.lower(), t.pos_ in CONTENT_POS)
                for t in doc
                if not (t.is_punct or t.is_space)
            ]
            for article, doc in zip(articles, docs, strict=True)
        }


def _inside(word: Word, spans: Iterable[tuple[int, int]]) -> bool:
    return any(word[0] < end and start < word[1] for start, end in spans)


def word_cue_rates(articles: Iterable[GoldArticle], words: Mapping[str, Words]) -> dict[str, float]:
    """Each lemma -> the share of its occurrences in ``articles`` (their
    ``words``) that lie inside a cue."""
    in_cue: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for article in articles:
        cues = [span for attribution in article.attributions for span in attribution.cue]
        for word in words[article.id]:
            total[word[2]] += 1
            in_cue[word[2]] += _inside(word, cues)
    return {lemma: in_cue[lemma] / n for lemma, n in total.items()}


def cue_word_rate(
    attribution: GoldAttribution, words: Words, rates: Mapping[str, float]
) -> float | None:
    """The highest cue rate among the lemmas of the cue's content words (of
    all its words when it has none); None for a cue without words (a dash)."""
    inside = [w for w in words if _inside(w, attribution.cue)]
    chosen = [w for w in inside if w[3]] or inside
    return max((rates.get(w[2], 0.0) for w in chosen), default=None)


def rate_bin(rate: float | None) -> str:
    if rate is None:
        return "no word"
    return next(label for least, label in WORD_CUE_RATE if rate >= least)


def is_quoted(article: GoldArticle, attribution: GoldAttribution) -> bool:
    return any(QUOTE_MARKS.search(article.text[s:e]) for s, e in attribution.content)


def _contents_match(a: Roles, b: Roles) -> bool:
    """Whether ``a`` and ``b`` would match if their sources were set aside."""
    overlap = attribution_overlap(a._replace(source=frozenset()), b._replace(source=frozenset()))
    return overlap is not None


def _outcome(item: Roles, others: Sequence[Roles], matched: bool, unmatched: str) -> str:
    if matched:
        return "matched"
    if any(_contents_match(item, other) for other in others):
        return "source"
    if any(item.content & other.content for other in others):
        return "boundary"
    return unmatched


def outcomes(gold: Sequence[Roles], pred: Sequence[Roles]) -> tuple[list[str], list[str]]:
    """The outcome of each gold and of each predicted attribution of one article."""
    pairs = match_attributions(pred, gold)
    gold_matched = {j for _, j in pairs}
    pred_matched = {i for i, _ in pairs}
    return (
        [_outcome(g, pred, j in gold_matched, "missed") for j, g in enumerate(gold)],
        [_outcome(p, gold, i in pred_matched, "spurious") for i, p in enumerate(pred)],
    )


def breakdown(
    gold: Iterable[GoldArticle],
    predictions: Mapping[str, Mapping],
    train_cues: Mapping[str, int],
    word_rates: tuple[Mapping[str, float], Mapping[str, Words]] | None = None,
) -> tuple[dict[str, Counter[str]], Counter[str]]:
    """Gold outcomes counted per group (``quoted``, ``not quoted`` and the
    cue familiarity bins, plus ``all``; with ``word_rates``, the lemma cue
    rates of :func:`word_cue_rates` and the words of the gold articles, also
    the bins of :func:`cue_word_rate` for cues never seen), and the
    predictions' outcomes."""
    groups: dict[str, Counter[str]] = {}
    predicted_outcomes: Counter[str] = Counter()
    seen: set[str] = set()
    for article in gold:
        seen.add(article.id)
        predicted = predictions.get(article.id, {}).get("attributions", [])
        gold_roles, pred_roles = attribution_roles(article, predicted)
        gold_outcomes, pred_outcomes = outcomes(gold_roles, pred_roles)
        predicted_outcomes.update(pred_outcomes)
        for attribution, outcome in zip(article.attributions, gold_outcomes, strict=True):
            quoted = "quoted" if is_quoted(article, attribution) else "not quoted"
            familiar = familiarity(train_cues.get(cue_text(article, attribution), 0))
            names = ["all", quoted, f"cue seen {familiar}"]
            if word_rates is not None and familiar == "never":
                rates, words = word_rates
                rate = rate_bin(cue_word_rate(attribution, words[article.id], rates))
                names.append(f"cue never seen, its word a cue {rate}")
            for group in names:
                groups.setdefault(group, Counter())[outcome] += 1
    check_ids(seen, predictions)
    return groups, predicted_outcomes


def check_ids(gold_ids: Iterable[str], predictions: Mapping[str, Mapping]) -> None:
    """Raise ValueError if ``predictions`` hold articles that gold does not."""
    unknown = sorted(set(predictions) - set(gold_ids))
    if unknown:
        raise ValueError(
            f"predictions for {len(unknown)} article id(s) not in gold: {', '.join(unknown[:5])}"
        )


def _share_row(label: str, counts: Counter[str], columns: Sequence[str]) -> str:
    total = sum(counts.values())
    shares = [f"{counts[c] / total:.3f}" if total else "-" for c in columns]
    return "| " + " | ".join([label, str(total), *shares]) + " |"


def format_breakdown(groups: Mapping[str, Counter[str]], predicted: Counter[str]) -> str:
    order = ["all", "quoted", "not quoted"] + [f"cue seen {label}" for _, label in FAMILIARITY]
    order += [f"cue never seen, its word a cue {label}" for label in RATE_BINS]
    lines = [
        "| gold attributions | n | " + " | ".join(OUTCOMES) + " |",
        "|---|---:|" + "---:|" * len(OUTCOMES),
    ]
    lines += [_share_row(g, groups[g], OUTCOMES) for g in order if g in groups]
    lines += [
        "",
        "| predicted attributions | n | " + " | ".join(PREDICTION_OUTCOMES) + " |",
        "|---|---:|" + "---:|" * len(PREDICTION_OUTCOMES),
        _share_row("all", predicted, PREDICTION_OUTCOMES),
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("predictions", type=Path, help="from sayso evaluate --predictions")
    parser.add_argument("--gold", type=Path, default=POLNEAR / "dev.jsonl")
    parser.add_argument("--train", type=Path, default=POLNEAR / "train.jsonl")
    args = parser.parse_args(argv)
    with args.predictions.open(encoding="utf8") as lines:
        predictions = {r["id"]: r for r in map(json.loads, lines)}
    try:
        train, gold = list(read_gold(args.train)), list(read_gold(args.gold))
        # before the lemmatising, which takes most of a minute
        check_ids((article.id for article in gold), predictions)
        nlp = sayso.load()
        rates = word_cue_rates(train, article_words(train, nlp))
        groups, predicted = breakdown(
            gold, predictions, cue_counts(train), (rates, article_words(gold, nlp))
        )
    except ValueError as error:
        message = f"error_analysis: {error} (is --gold the file they were made from?)"
        raise SystemExit(message) from error
    print(format_breakdown(groups, predicted))


if __name__ == "__main__":
    main()
