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
training articles: how far the tagger has to generalise. A last table says
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

from sayso.evaluation import (
    GoldArticle,
    GoldAttribution,
    Roles,
    attribution_overlap,
    attribution_roles,
    match_attributions,
    read_gold,
)

POLNEAR = Path(__file__).resolve().parents[2] / "shared" / "data" / "polnear"
OUTCOMES = ("matched", "source", "boundary", "missed")
PREDICTION_OUTCOMES = ("matched", "source", "boundary", "spurious")
# double quote marks only: U+2019 is the apostrophe too ("Trump’s")
QUOTE_MARKS = re.compile("[\"\u201c\u201d\u00ab\u00bb]|''|``")
# bins of how often a cue was a cue in training, most familiar first
FAMILIARITY = ((100, "100 or more"), (20, "20 to 99"), (5, "5 to 19"), (1, "1 to 4"), (0, "never"))


def cue_text(article: GoldArticle, attribution: GoldAttribution) -> str:
    """The cue's words, fragments joined by a space, lowercased."""
    return " ".join(article.text[s:e] for s, e in attribution.cue).lower()


def cue_counts(articles: Iterable[GoldArticle]) -> Counter[str]:
    """How often each cue text is a cue in ``articles``."""
    return Counter(cue_text(a, att) for a in articles for att in a.attributions)


def familiarity(count: int) -> str:
    return next(label for least, label in FAMILIARITY if count >= least)


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
) -> tuple[dict[str, Counter[str]], Counter[str]]:
    """Gold outcomes counted per group (``quoted``, ``not quoted`` and the
    cue familiarity bins, plus ``all``), and the predictions' outcomes."""
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
            for group in ("all", quoted, f"cue seen {familiar}"):
                groups.setdefault(group, Counter())[outcome] += 1
    unknown = sorted(set(predictions) - seen)
    if unknown:
        raise ValueError(
            f"predictions for {len(unknown)} article id(s) not in gold: {', '.join(unknown[:5])}"
        )
    return groups, predicted_outcomes


def _share_row(label: str, counts: Counter[str], columns: Sequence[str]) -> str:
    total = sum(counts.values())
    shares = [f"{counts[c] / total:.3f}" if total else "-" for c in columns]
    return "| " + " | ".join([label, str(total), *shares]) + " |"


def format_breakdown(groups: Mapping[str, Counter[str]], predicted: Counter[str]) -> str:
    order = ["all", "quoted", "not quoted"] + [f"cue seen {label}" for _, label in FAMILIARITY]
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
        groups, predicted = breakdown(
            read_gold(args.gold), predictions, cue_counts(read_gold(args.train))
        )
    except ValueError as error:
        message = f"error_analysis: {error} (is --gold the file they were made from?)"
        raise SystemExit(message) from error
    print(format_breakdown(groups, predicted))


if __name__ == "__main__":
    main()
