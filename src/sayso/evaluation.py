"""Scoring predicted attributions against gold attributions in PolNeAR format.

Gold comes from a PolNeAR JSONL file (see ``../shared/data/polnear/README.md``):
one article per line, each attribution a set of ``source`` / ``cue`` /
``content`` character spans. Predictions are sayso output dicts (schema
``sayso/1``), one per article, keyed by article id.

Spans are compared as sets of word tokens (:data:`TOKEN_PATTERN` over the
article text), so that whitespace and the odd character at a span's edge do
not decide a match. Three kinds of score are reported, all micro-averaged over
articles:

- per role, *exact*: a predicted role item (the token set of one role of one
  attribution, all its fragments together) equals a gold item;
- per role, *soft*: one-to-one greedy matching of predicted to gold items by
  token overlap, largest overlap first; a pair matches when it shares a token;
- per *attribution*: one-to-one greedy matching by content overlap, where a
  pair matches when the contents share at least half of the longer of the two
  (:data:`MIN_CONTENT_OVERLAP`) and at least one token (so an attribution
  without content never matches), and the sources share a token or are both
  absent.

Role items are de-duplicated per article on each side (one source span shared
by two attributions is one item); attributions are not.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

if TYPE_CHECKING:
    from spacy.language import Language

ROLES: tuple[str, ...] = ("source", "cue", "content")

# A "token" for scoring: a run of word characters or one other non-space char.
TOKEN_PATTERN = re.compile(r"\w+|[^\w\s]")

# Attribution level: shared content tokens >= this share of the longer content.
MIN_CONTENT_OVERLAP = 0.5

DECIMALS = 3

Span = tuple[int, int]
TokenSet = frozenset[int]
_T = TypeVar("_T")


@dataclass(frozen=True)
class GoldAttribution:
    """One gold attribution; each role is a tuple of ``(start, end)`` pairs, empty when absent."""

    id: str
    source: tuple[Span, ...]
    cue: tuple[Span, ...]
    content: tuple[Span, ...]


@dataclass(frozen=True)
class GoldArticle:
    """One PolNeAR article with its gold attributions."""

    id: str
    text: str
    date: str
    title: str
    publisher: str
    attributions: list[GoldAttribution]


@dataclass(frozen=True)
class Counts:
    """Matched items (``tp``) out of ``n_pred`` predicted and ``n_gold`` gold items.

    Precision (recall) is 0.0 when nothing was predicted (nothing is gold).
    """

    tp: int = 0
    n_pred: int = 0
    n_gold: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.n_pred + other.n_pred, self.n_gold + other.n_gold)

    @property
    def precision(self) -> float:
        return self.tp / self.n_pred if self.n_pred else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.n_gold if self.n_gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict[str, float | int]:
        return {
            "tp": self.tp,
            "n_pred": self.n_pred,
            "n_gold": self.n_gold,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
        }


@dataclass(frozen=True)
class Report:
    """Scores of one system: per role (exact and soft) and per attribution."""

    exact: dict[str, Counts]
    soft: dict[str, Counts]
    attribution: Counts
    n_articles: int

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: ``articles``, ``roles`` (role -> exact, soft), ``attribution``."""
        return {
            "articles": self.n_articles,
            "roles": {
                role: {"exact": self.exact[role].to_dict(), "soft": self.soft[role].to_dict()}
                for role in ROLES
            },
            "attribution": self.attribution.to_dict(),
        }


class Roles(NamedTuple):
    """The token sets of one attribution's roles (empty when the role is absent)."""

    source: TokenSet
    cue: TokenSet
    content: TokenSet


class ScoringTokens:
    """The scoring tokens of one text, to turn character spans into token sets."""

    def __init__(self, text: str) -> None:
        matches = list(TOKEN_PATTERN.finditer(text))
        self._starts = [m.start() for m in matches]
        self._ends = [m.end() for m in matches]

    def cover(self, spans: Iterable[Span]) -> TokenSet:
        """Indices of the tokens that overlap any of ``spans`` by at least one character."""
        covered: set[int] = set()
        for start, end in spans:
            if end <= start:
                continue
            first = bisect_right(self._ends, start)
            stop = bisect_left(self._starts, end)
            covered.update(range(first, stop))
        return frozenset(covered)


def read_gold(path: str | Path) -> Iterator[GoldArticle]:
    """Read a PolNeAR JSONL file, one :class:`GoldArticle` per non-blank line.

    Raises ``ValueError`` naming the file and line for a line that is not valid
    JSON, lacks a field, or has a span that is not an in-bounds ``[start, end]``.
    """
    path = Path(path)
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                yield _parse_gold_line(line)
            except (ValueError, KeyError, TypeError) as error:
                raise ValueError(
                    f"{path}, line {number}: malformed PolNeAR article: {error}"
                ) from error


def _parse_gold_line(line: str) -> GoldArticle:
    record = json.loads(line)
    text = record["text"]
    if not isinstance(text, str):
        raise TypeError("'text' is not a string")
    attributions = [
        GoldAttribution(
            id=str(item["id"]),
            **{role: _parse_spans(item[role], len(text), f"{item['id']} {role}") for role in ROLES},
        )
        for item in record["attributions"]
    ]
    return GoldArticle(
        id=str(record["id"]),
        text=text,
        date=str(record["date"]),
        title=str(record["title"]),
        publisher=str(record["publisher"]),
        attributions=attributions,
    )


def _parse_spans(raw: Any, text_length: int, where: str) -> tuple[Span, ...]:
    if not isinstance(raw, list):
        raise TypeError(f"{where}: spans must be a list of [start, end], got {raw!r}")
    return tuple(_check_span(pair, text_length, where) for pair in raw)


def _check_span(pair: Any, text_length: int, where: str) -> Span:
    if (
        not isinstance(pair, (list, tuple))
        or len(pair) != 2
        or not all(isinstance(x, int) and not isinstance(x, bool) for x in pair)
    ):
        raise ValueError(f"{where}: a span must be [start, end] integers, got {pair!r}")
    start, end = pair
    if not 0 <= start <= end <= text_length:
        raise ValueError(
            f"{where}: span [{start}, {end}] is outside a text of length {text_length}"
        )
    return (start, end)


def role_spans(pred_attribution: Mapping[str, Any]) -> dict[str, tuple[Span, ...]]:
    """The character spans of each role of one predicted attribution (sayso/1 shape).

    In: ``{"source": {"span": [s, e], ...} | None, "cue": {"span": [s, e], ...},
    "content": {"spans": [[s, e], ...], ...}, ...}``. Out: ``{"source": ((s, e),),
    "cue": ((s, e),), "content": ((s, e), ...)}``, an empty tuple for a role that
    is missing or null. Raises ``ValueError`` for a role in another shape;
    offsets are not checked against a text here.
    """
    spans: dict[str, tuple[Span, ...]] = {}
    for role in ROLES:
        value = pred_attribution.get(role)
        try:
            if value is None:
                spans[role] = ()
            elif role == "content":
                spans[role] = tuple((int(s), int(e)) for s, e in value["spans"])
            else:
                s, e = value["span"]
                spans[role] = ((int(s), int(e)),)
        except (KeyError, TypeError, ValueError) as error:
            expected = (
                '{"spans": [[start, end], ...]}' if role == "content" else '{"span": [start, end]}'
            )
            raise ValueError(f"predicted {role} {value!r} is not {expected} or null") from error
    return spans


def score(gold: Iterable[GoldArticle], predictions: Mapping[str, Mapping[str, Any]]) -> Report:
    """Score ``predictions`` (sayso/1 output dicts keyed by article id) against ``gold``.

    An article without a prediction counts as predicting nothing. Raises
    ``ValueError`` for predictions whose id is not a gold article, for
    duplicate gold ids, and for predicted spans outside the article text.
    """
    exact = dict.fromkeys(ROLES, Counts())
    soft = dict.fromkeys(ROLES, Counts())
    attribution = Counts()
    seen: set[str] = set()
    for article in gold:
        if article.id in seen:
            raise ValueError(f"gold article {article.id!r} occurs twice")
        seen.add(article.id)
        predicted = predictions.get(article.id, {}).get("attributions", [])
        gold_roles, pred_roles = attribution_roles(article, predicted)
        for index, role in enumerate(ROLES):
            role_exact, role_soft = _score_role(
                [r[index] for r in pred_roles], [r[index] for r in gold_roles]
            )
            exact[role] += role_exact
            soft[role] += role_soft
        attribution += Counts(
            len(match_attributions(pred_roles, gold_roles)), len(pred_roles), len(gold_roles)
        )
    unknown = sorted(set(predictions) - seen)
    if unknown:
        raise ValueError(
            f"predictions for {len(unknown)} article id(s) not in gold: {', '.join(unknown)}"
        )
    return Report(exact=exact, soft=soft, attribution=attribution, n_articles=len(seen))


def attribution_roles(
    article: GoldArticle, predicted: Sequence[Mapping[str, Any]]
) -> tuple[list[Roles], list[Roles]]:
    """The role token sets of the gold attributions of ``article`` and of
    ``predicted`` (its sayso/1 attributions), in their order.

    Raises ``ValueError`` for a predicted span outside the article text.
    """
    tokens = ScoringTokens(article.text)
    gold = [Roles(*(tokens.cover(getattr(a, r)) for r in ROLES)) for a in article.attributions]
    return gold, [_predicted_roles(p, article, tokens) for p in predicted]


def _predicted_roles(pred: Mapping[str, Any], article: GoldArticle, tokens: ScoringTokens) -> Roles:
    spans = role_spans(pred)
    for role in ROLES:
        for pair in spans[role]:
            _check_span(pair, len(article.text), f"prediction for {article.id} {role}")
    return Roles(*(tokens.cover(spans[role]) for role in ROLES))


def _score_role(pred: Sequence[TokenSet], gold: Sequence[TokenSet]) -> tuple[Counts, Counts]:
    """Exact and soft counts of one role in one article, items de-duplicated."""
    pred_items = _distinct_items(pred)
    gold_items = _distinct_items(gold)
    n_pred, n_gold = len(pred_items), len(gold_items)
    exact_tp = len(set(pred_items) & set(gold_items))
    soft_tp = len(_greedy_pairs(pred_items, gold_items, lambda p, g: len(p & g) or None))
    return Counts(exact_tp, n_pred, n_gold), Counts(soft_tp, n_pred, n_gold)


def _distinct_items(items: Iterable[TokenSet]) -> list[TokenSet]:
    """Non-empty token sets, each once, in text order (so that matching is deterministic)."""
    return sorted({item for item in items if item}, key=sorted)


def attribution_overlap(pred: Roles, gold: Roles) -> int | None:
    """Shared content tokens when ``pred`` may match ``gold`` at attribution level, else None."""
    shared = len(pred.content & gold.content)
    if not shared or shared < MIN_CONTENT_OVERLAP * max(len(pred.content), len(gold.content)):
        return None
    if (pred.source or gold.source) and not pred.source & gold.source:
        return None
    return shared


def match_attributions(pred: Sequence[Roles], gold: Sequence[Roles]) -> list[tuple[int, int]]:
    """The attribution-level matching: ``(predicted index, gold index)`` pairs."""
    return _greedy_pairs(pred, gold, attribution_overlap)


def _greedy_pairs(
    pred: Sequence[_T], gold: Sequence[_T], weight: Callable[[_T, _T], int | None]
) -> list[tuple[int, int]]:
    """A one-to-one matching taken greedily by ``weight``, largest first, as
    ``(predicted index, gold index)`` pairs.

    ``weight`` returns None for a pair that may not match. Ties go to the
    earlier predicted, then the earlier gold item.
    """
    pairs = []
    for i, p in enumerate(pred):
        for j, g in enumerate(gold):
            w = weight(p, g)
            if w is not None:
                pairs.append((-w, i, j))
    pairs.sort()
    used_pred: set[int] = set()
    used_gold: set[int] = set()
    matched = []
    for _, i, j in pairs:
        if i not in used_pred and j not in used_gold:
            used_pred.add(i)
            used_gold.add(j)
            matched.append((i, j))
    return matched


def _table_rows(report: Report) -> list[tuple[str, Counts]]:
    """The rows of the score tables: label and counts, in display order."""
    rows = [(f"{role} exact", report.exact[role]) for role in ROLES]
    rows += [(f"{role} soft", report.soft[role]) for role in ROLES]
    rows.append(("attribution", report.attribution))
    return rows


def _prf(counts: Counts) -> list[str]:
    return [f"{x:.{DECIMALS}f}" for x in (counts.precision, counts.recall, counts.f1)]


def _table_cells(reports: Mapping[str, Report]) -> list[tuple[str, list[str]]]:
    """Per row: its label and the P, R, F cells of every system in turn."""
    columns = [_table_rows(report) for report in reports.values()]
    if not columns:
        return []
    return [
        (label, [cell for column in columns for cell in _prf(column[row][1])])
        for row, (label, _) in enumerate(columns[0])
    ]


def format_table(reports: Mapping[str, Report]) -> str:
    """A plain-text table: one row per score, a P / R / F column group per system.

    ``reports`` maps a system name (e.g. ``"sayso"``, ``"textacy"``) to its report.
    """
    names = list(reports)
    rows = _table_cells(reports)
    label_width = max((len(label) for label, _ in rows), default=0)
    cell_width = DECIMALS + 2
    group_width = max([3 * cell_width + 2, *(len(name) for name in names)])

    def line(label: str, groups: Iterable[str]) -> str:
        return (
            f"{label:<{label_width}}" + "".join(f"  {g:<{group_width}}" for g in groups)
        ).rstrip()

    metrics = " ".join(f"{m:>{cell_width}}" for m in ("P", "R", "F"))
    lines = [line("", names), line("", [metrics] * len(names))]
    for label, cells in rows:
        lines.append(line(label, (" ".join(cells[i : i + 3]) for i in range(0, len(cells), 3))))
    return "\n".join(lines)


def format_markdown(reports: Mapping[str, Report]) -> str:
    """The table of :func:`format_table` as Markdown: P, R, F columns per system."""
    header = ["score"] + [f"{name} {metric}" for name in reports for metric in ("P", "R", "F")]
    lines = ["| " + " | ".join(header) + " |", "|---|" + "---:|" * (len(header) - 1)]
    lines += ["| " + " | ".join([label, *cells]) + " |" for label, cells in _table_cells(reports)]
    return "\n".join(lines)


@dataclass
class Evaluation:
    """What ``evaluate`` gives back: a report per system, sayso's output per
    article id, and how many articles a baseline gave up on."""

    reports: dict[str, Report]
    predictions: dict[str, dict[str, Any]]
    baseline_gave_up: int


def evaluate(
    gold: Sequence[GoldArticle],
    nlp: Language,
    *,
    baseline: str | None = None,
    progress: Callable[[Iterable[Any]], Iterable[Any]] = lambda items: items,
) -> Evaluation:
    """Run sayso (``nlp``: a pipeline with ``sayso_attribution``) over the
    gold articles and score it; with ``baseline="textacy"`` also textacy's
    ``direct_quotations`` on the same parses."""
    from sayso.baseline import textacy_attributions_or_none
    from sayso.output import article_result
    from sayso.reading import Article

    predictions: dict[str, dict[str, Any]] = {}
    baseline_predictions: dict[str, dict[str, Any]] = {}
    gave_up = 0
    for doc, g in progress(nlp.pipe(((g.text, g) for g in gold), as_tuples=True)):
        article = Article(id=g.id, text=g.text, date=g.date, title=g.title, outlet=g.publisher)
        predictions[g.id] = article_result(article, [(0, doc)])
        if baseline == "textacy":
            found = textacy_attributions_or_none(doc)
            gave_up += found is None
            baseline_predictions[g.id] = {"id": g.id, "attributions": found or []}
    reports = {"sayso": score(gold, predictions)}
    if baseline:
        reports[baseline] = score(gold, baseline_predictions)
    return Evaluation(reports, predictions, gave_up)
