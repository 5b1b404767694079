"""Convert PolNeAR attributions into spaCy DocBins for the role tagger.

Usage: python training/convert_polnear.py --pipeline PIPELINE
           [--data ../shared/data] [--out training/corpus]

Each article becomes one Doc tokenized by the shipped tokenizer, with its
attribution roles as entity spans labelled SOURCE, CUE and CONTENT. Spans are
cut where PIPELINE (the pipeline the tagger will run on) starts a sentence:
a span tagger cannot cross sentence boundaries, so a quote of several
sentences becomes one piece a sentence, and linking joins them again.

Roles overlap when attributions nest (the content of "X said that Y told Z
..." holds Y's source and cue); a token takes the role of the smallest span
that covers it, so the inner attribution stays whole and the outer content
keeps the rest.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import spacy
from spacy.tokens import Doc, DocBin
from spacy.training import biluo_tags_to_spans

ROLES = ("source", "cue", "content")
LABELS = {"source": "SOURCE", "cue": "CUE", "content": "CONTENT"}

# Every TUNE_EVERY-th train article (all publishers, 60 in all) is held out
# for model selection, so that PolNeAR dev stays a measurement only.
TUNE_EVERY = 14


def role_doc(nlp, article: dict, parsed: Doc | None = None) -> Doc:
    """Tokenize an article and label each token with its innermost role.

    parsed: the article parsed by the pipeline; its sentence starts cut spans.
    """
    doc = nlp.make_doc(article["text"])
    # (length, label, token start, token end) of every role span
    spans = []
    for attribution in article["attributions"]:
        for role in ROLES:
            for start, end in attribution[role]:
                span = doc.char_span(start, end, alignment_mode="expand")
                if span is not None and len(span):
                    spans.append((len(span), LABELS[role], span.start, span.end))
    labels: list[str | None] = [None] * len(doc)
    sizes = [len(doc) + 1] * len(doc)
    for size, label, start, end in spans:
        for i in range(start, end):
            if size < sizes[i] and not doc[i].is_space:
                labels[i], sizes[i] = label, size
    starts = [bool(t.is_sent_start) for t in parsed] if parsed is not None else [False] * len(doc)
    doc.ents = biluo_tags_to_spans(doc, to_biluo(labels, starts))
    doc.user_data["doc_id"] = article["id"]
    return doc


def to_biluo(labels: list[str | None], sent_starts: list[bool]) -> list[str]:
    """Runs of one label become one span, cut at sentence starts. Whitespace
    tokens carry no role, so content over paragraphs is cut there too."""
    tags = []
    n = len(labels)
    for i, label in enumerate(labels):
        if label is None:
            tags.append("O")
            continue
        starts = i == 0 or labels[i - 1] != label or sent_starts[i]
        ends = i == n - 1 or labels[i + 1] != label or sent_starts[i + 1]
        if starts and ends:
            tags.append("U-" + label)
        elif starts:
            tags.append("B-" + label)
        elif ends:
            tags.append("L-" + label)
        else:
            tags.append("I-" + label)
    return tags


def main() -> None:
    here = Path(__file__).resolve().parent
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=here.parent.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, default=here / "corpus")
    parser.add_argument("--pipeline", type=Path, required=True, help="the trained pipeline")
    args = parser.parse_args()
    nlp = spacy.load(args.pipeline, exclude=["ner", "lemmatizer", "morphologizer", "tagger"])
    path = args.data / "polnear" / "train.jsonl"
    if not path.is_file():
        raise SystemExit(f"{path} not found; pass --data")
    with path.open(encoding="utf8") as f:
        articles = [json.loads(line) for line in f]
    parsed = nlp.pipe(a["text"] for a in articles)
    docs = [role_doc(nlp, a, p) for a, p in zip(articles, parsed, strict=True)]
    tune = set(range(0, len(docs), TUNE_EVERY))
    splits = {
        "roles-train": [d for i, d in enumerate(docs) if i not in tune],
        "roles-tune": [d for i, d in enumerate(docs) if i in tune],
    }
    for name, split in splits.items():
        out = args.out / name / "polnear.spacy"
        out.parent.mkdir(parents=True, exist_ok=True)
        DocBin(docs=split, store_user_data=True).to_disk(out)
        print(f"{out}: {len(split)} articles, {sum(len(d.ents) for d in split)} role spans")


if __name__ == "__main__":
    main()
