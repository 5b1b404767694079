"""Pronoun source resolution of sayso, measured on real data.

Usage: python training/evaluate_pronouns.py [--data ../shared/data]
       [--split dev test] [--json OUT.json]

What is measured:

1. GUM (gold coreference): how often ``sayso.resolution.resolve_source``
   maps a third-person personal pronoun (he, she, him, her) to an entity of
   the pronoun's gold coreference cluster. Each GUM document's text is
   rebuilt from its word forms (as ``evaluate_pipeline`` does) and parsed by
   the shipped pipeline (``sayso.load()``); ``find_entities`` runs on the
   predicted Doc. Each case becomes ``Attribution(cue=<the pronoun's head
   in the predicted parse>, source=<the pronoun>)``. A resolution is correct
   when the resolved entity has a mention overlapping (in characters) a gold
   mention of the pronoun's cluster; an unresolved case, or one whose
   pronoun no predicted token matches exactly, counts as wrong.

   Cases: every gold pronoun word whose own gold mention (the smallest one
   holding it) belongs to a cluster with an earlier *named* mention: one
   holding a PROPN, or Wikified (non-empty identity) and not made of
   pronouns only (GUM Wikifies pronouns too). Two sets: (a) all of them,
   (b) those that are the gold ``nsubj`` of a speech verb (gold head lemma in
   ``SPEECH_LEMMAS``), the shape of "he said".

2. PolNeAR dev: the whole attribution pipeline on every article; among the
   attributions whose source text is a pronoun (``PRONOUN_SOURCES``), the
   share whose ``source.entity`` is a person or organization entity of the
   article, and per pronoun how many got any entity (a group too: "they"
   for "Israeli officials"). PolNeAR has no gold coreference, so this is
   coverage, not accuracy.

Limits: GUM has few news documents, and its genres (bio, interview, court,
academic, voyage) differ from news; mention boundaries of GUM and of sayso's
NER differ, hence the overlap test; a cluster with a named mention may still
be resolved "correctly" to a different spelling that sayso clustered apart
(counted wrong) or to a sayso entity that merged two people (counted right
if one mention overlaps). The PolNeAR share says nothing about whether the
entity chosen is the right one.
"""

from __future__ import annotations

import os

# One thread, as the shared machine asks; set before numpy is imported.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import time  # noqa: E402
from collections import Counter  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

from spacy.language import Language  # noqa: E402
from spacy.tokens import Doc  # noqa: E402

import sayso  # noqa: E402
from convert import Word, read_conllu  # noqa: E402
from evaluate_pipeline import (  # noqa: E402
    CLUSTER,
    GoldDoc,
    align,
    by_document,
    check_entity_format,
    gold_doc,
    gum_mentions,
    text_from_forms,
)
from sayso.analysis import analyze_articles, attribution_pipeline  # noqa: E402
from sayso.attribution.linking import Attribution  # noqa: E402
from sayso.reading import Article, iter_articles  # noqa: E402
from sayso.resolution import find_entities, resolve_source  # noqa: E402

GUM_SPLITS = {
    "train": "gum/gum-train.conllu",
    "dev": "gum/gum-dev.conllu",
    "test": "gum/gum-test.conllu",
}
POLNEAR_DEV = "polnear/dev.jsonl"
# The pronouns sayso resolves by recency ("he said").
PERSONAL_PRONOUNS = frozenset({"he", "she", "him", "her"})
# Pronoun sources counted on PolNeAR: personal, relative and the ones sayso
# does not resolve on purpose ("it", "they"), so the share shows the gap.
PRONOUN_SOURCES = frozenset({"he", "she", "him", "her", "who", "whom", "it", "they", "them"})
NAMED_TYPES = frozenset({"person", "organization"})
# Gold head lemmas that make a pronoun subject the source of an attribution.
SPEECH_LEMMAS = frozenset(
    {
        "say",
        "tell",
        "add",
        "note",
        "explain",
        "claim",
        "state",
        "argue",
        "write",
        "announce",
        "ask",
        "reply",
        "insist",
        "suggest",
        "warn",
        "admit",
        "deny",
        "report",
        "believe",
        "think",
        "recall",
    }
)
SUBJECT_DEPREL = "nsubj"


@dataclass
class Mention:
    """One GUM mention: word-index span (end exclusive), cluster id, attributes."""

    start: int
    end: int
    cluster: str
    info: dict[str, str]


@dataclass
class Counts:
    """Cases, resolved and correct counts of one case set."""

    cases: int = 0
    resolved: int = 0
    correct: int = 0
    unaligned: int = 0

    def add(self, other: Counts) -> None:
        self.cases += other.cases
        self.resolved += other.resolved
        self.correct += other.correct
        self.unaligned += other.unaligned

    def as_dict(self) -> dict[str, float | int]:
        accuracy = self.correct / self.cases if self.cases else 0.0
        return {
            "cases": self.cases,
            "resolved": self.resolved,
            "correct": self.correct,
            "unaligned": self.unaligned,
            "accuracy": round(accuracy, 4),
        }


@dataclass
class SplitCounts:
    all_pronouns: Counts = field(default_factory=Counts)
    speech_subjects: Counts = field(default_factory=Counts)

    def add(self, other: SplitCounts) -> None:
        self.all_pronouns.add(other.all_pronouns)
        self.speech_subjects.add(other.speech_subjects)


def cluster_mentions(words: list[Word]) -> list[Mention]:
    """Every Entity= mention with its cluster id, outermost first at a start."""
    mentions = [
        Mention(start, end, info[CLUSTER], info) for start, end, info in gum_mentions(words)
    ]
    return sorted(mentions, key=lambda m: (m.start, -m.end))


def is_named(mention: Mention, words: list[Word]) -> bool:
    """A mention that names its referent: holds a proper noun, or is Wikified
    and not a bare pronoun (GUM Wikifies "he" when it corefers with a name)."""
    span = words[mention.start : mention.end]
    if any(w.upos == "PROPN" for w in span):
        return True
    return bool(mention.info.get("identity")) and not all(w.upos == "PRON" for w in span)


def own_mention(i: int, mentions: list[Mention]) -> Mention | None:
    """The smallest mention holding word ``i`` (the pronoun's own, not "her book")."""
    holding = [m for m in mentions if m.start <= i < m.end]
    return min(holding, key=lambda m: m.end - m.start) if holding else None


def score_document(gold: GoldDoc, pred: Doc) -> SplitCounts:
    """Resolve every case pronoun of one document and count the outcomes."""
    counts = SplitCounts()
    words = gold.words
    mentions = cluster_mentions(words)
    tokens = align(gold, pred)
    entities = find_entities(pred)
    for i, word in enumerate(words):
        if word.form.lower() not in PERSONAL_PRONOUNS:
            continue
        mention = own_mention(i, mentions)
        if mention is None:
            continue
        cluster = [m for m in mentions if m.cluster == mention.cluster]
        if not any(m.start < mention.start and is_named(m, words) for m in cluster):
            continue
        head = gold.heads[i]
        speech = word.deprel == SUBJECT_DEPREL and head >= 0 and words[head].lemma in SPEECH_LEMMAS
        outcome = resolve_case(gold, pred, tokens[i], cluster, entities)
        for bucket, include in ((counts.all_pronouns, True), (counts.speech_subjects, speech)):
            if include:
                bucket.add(outcome)
    return counts


def resolve_case(
    gold: GoldDoc, pred: Doc, token: Any, cluster: list[Mention], entities: list[Any]
) -> Counts:
    """One case as counts: resolved and correct are 0 or 1."""
    if token is None:  # tokenization split or merged the pronoun
        return Counts(cases=1, unaligned=1)
    att = Attribution(cue=pred[token.head.i : token.head.i + 1], source=pred[token.i : token.i + 1])
    entity_id = resolve_source(att, entities, pred)
    if entity_id is None:
        return Counts(cases=1)
    entity = next(e for e in entities if e.id == entity_id)
    gold_spans = [(gold.offsets[m.start][0], gold.offsets[m.end - 1][1]) for m in cluster]
    # Character overlap, as GUM mentions include determiners and titles that NER leaves out.
    hit = any(s < ge and gs < e for s, e in entity.mentions for gs, ge in gold_spans)
    return Counts(cases=1, resolved=1, correct=int(hit))


def read_gum(path: Path) -> list[GoldDoc]:
    """GUM documents with texts rebuilt from the forms."""
    check_entity_format(path)
    docs = []
    for sents in by_document(read_conllu(path)):
        text, offsets = text_from_forms(sents)
        docs.append(gold_doc(sents, text, offsets))
    return docs


def evaluate_gum(nlp: Language, data: Path, splits: list[str]) -> dict[str, SplitCounts]:
    """Counts per split and for all splits together ("all")."""
    results: dict[str, SplitCounts] = {}
    total = SplitCounts()
    for split in splits:
        docs = read_gum(data / GUM_SPLITS[split])
        counts = SplitCounts()
        for gold, pred in zip(docs, nlp.pipe(d.text for d in docs), strict=True):
            counts.add(score_document(gold, pred))
        results[split] = counts
        total.add(counts)
    results["all"] = total
    return results


def evaluate_polnear(path: Path) -> dict[str, Any]:
    """Share of pronoun-sourced attributions resolved to a person or organization."""
    articles = [a for a in iter_articles(path) if isinstance(a, Article)]
    sources: Counter[str] = Counter()
    named: Counter[str] = Counter()
    any_entity: Counter[str] = Counter()  # a group too ("they" for "officials")
    for result in analyze_articles(articles, nlp=attribution_pipeline()):
        types = {e["id"]: e["type"] for e in result.get("entities", [])}
        for att in result.get("attributions", []):
            source = att["source"]
            if source is None:
                continue
            word = source["text"].lower()
            if word not in PRONOUN_SOURCES:
                continue
            sources[word] += 1
            if types.get(source["entity"]) in NAMED_TYPES:
                named[word] += 1
            if source["entity"] is not None:
                any_entity[word] += 1
    total, hits = sum(sources.values()), sum(named.values())
    return {
        "articles": len(articles),
        "pronoun_sources": total,
        "resolved_named": hits,
        "share": round(hits / total, 4) if total else 0.0,
        "by_pronoun": {
            w: {
                "sources": n,
                "resolved_named": named[w],
                "share": round(named[w] / n, 4),
                "resolved_any": any_entity[w],
            }
            for w, n in sources.most_common()
        },
    }


def format_report(result: dict[str, Any]) -> str:
    lines = ["GUM: he/she/him/her with a named antecedent -> gold cluster"]
    lines.append(f"{'split':<6} {'set':<16} {'cases':>6} {'resolved':>9} {'correct':>8} {'acc':>6}")
    for split, sets in result["gum"].items():
        for name, c in sets.items():
            lines.append(
                f"{split:<6} {name:<16} {c['cases']:>6} {c['resolved']:>9} "
                f"{c['correct']:>8} {c['accuracy']:>6.3f}"
            )
    p = result["polnear_dev"]
    lines.append("")
    lines.append(
        f"PolNeAR dev ({p['articles']} articles): pronoun sources {p['pronoun_sources']}, "
        f"resolved to person/organization {p['resolved_named']} ({p['share']:.3f})"
    )
    lines.append(f"  {'word':<5} {'cases':>5} {'named':>5} {'share':>6} {'any entity':>10}")
    for word, row in p["by_pronoun"].items():
        lines.append(
            f"  {word:<5} {row['sources']:>5} {row['resolved_named']:>5} {row['share']:>6.3f}"
            f" {row['resolved_any']:>10}"
        )
    lines.append(f"time {result['seconds']:.0f}s")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--split", nargs="+", choices=sorted(GUM_SPLITS), default=["dev", "test"])
    parser.add_argument("--json", type=Path, help="write the numbers here as JSON")
    args = parser.parse_args()
    start = time.perf_counter()
    gum = evaluate_gum(sayso.load(), args.data, args.split)
    result = {
        "gum": {
            split: {
                "all_pronouns": c.all_pronouns.as_dict(),
                "speech_subjects": c.speech_subjects.as_dict(),
            }
            for split, c in gum.items()
        },
        "polnear_dev": evaluate_polnear(args.data / POLNEAR_DEV),
    }
    result["seconds"] = time.perf_counter() - start
    print(format_report(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf8")


if __name__ == "__main__":
    main()
