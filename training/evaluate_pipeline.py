"""Model-card numbers for a trained sayso English pipeline.

Usage: python training/evaluate_pipeline.py PIPELINE_DIR [--data ../shared/data]
       [--json OUT.json] [--limit N]

Measures, on raw text rebuilt from the CoNLL-U files (the pipeline tokenizes
and splits sentences itself, as it does on real articles):

- GUM test, and its news documents alone: XPOS (PTB), UPOS, lemma, UAS, LAS
  (full label, and the universal part before ":"), sentence-boundary F1;
- NER precision/recall/F1 (exact spans) on the PolNeAR dev silver data
  (CoreNLP NER mapped by ``convert.NER_LABELS``) and, approximately, on GUM
  test (see ``gum_entities``);
- speed (words/s of the whole pipeline on GUM test, one thread) and size.

How this differs from ``spacy evaluate`` on the converted DocBins: scores are
CoNLL 2018 style. Every gold word, punctuation included, is in the
denominator; a gold word counts only where one predicted token has exactly
its character span, so tokenization errors cost tagging and parsing points
instead of being aligned away. Also, spaCy's ``Scorer.score_deps`` keeps
``missing_indices`` (gold tokens without a head, such as the "\\n\\n"
whitespace tokens of the converted corpora) across documents: in every later
document the token at such an index is left out of the predictions but kept
in the gold, so it counts as an error and UAS/LAS come out too low.

Import it with training/ on ``sys.path`` (it imports ``convert`` beside it).
"""

from __future__ import annotations

import os

# One thread for the speed number; set before numpy is imported.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import re  # noqa: E402
import time  # noqa: E402
from collections import Counter  # noqa: E402
from collections.abc import Iterable, Iterator  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from pathlib import Path  # noqa: E402

import spacy  # noqa: E402
from spacy.language import Language  # noqa: E402
from spacy.tokens import Doc, Token  # noqa: E402

from convert import NER_LABELS, Sentence, Word, read_conllu  # noqa: E402

GUM_TEST = "gum/gum-test.conllu"
SILVER_DEV = "polnear/silver/dev.conllu"
POLNEAR_DEV = "polnear/dev.jsonl"
NEWS_PREFIX = "GUM_news"

SENT_SEP = " "
PAR_SEP = "\n\n"
WARMUP_CHARS = 2000

# GUM's Entity= attributes, as each document's "# global.Entity" line declares them.
ENTITY_FORMAT = "GRP-etype-infstat-salience-centering-minspan-link-identity"
ENTITY_FIELDS = ENTITY_FORMAT.split("-")
# "(id-attrs" opens a mention, "(id-attrs)" is a one-word mention, "id)" closes one.
ENTITY_TOKEN = re.compile(r"\((\d+)-([^()]*)(\))?|(\d+)\)")
GUM_ENTITY_LABELS = {"person": "PERSON", "organization": "ORG", "place": "LOC"}

SYNTAX_METRICS = ("XPOS", "UPOS", "Lemma", "UAS", "LAS", "LAS (base label)")
CharSpan = tuple[int, int, str]  # start char, end char (exclusive), label
WordSpan = tuple[int, int, str]  # first word, last word + 1 (document indices), label


@dataclass
class GoldDoc:
    """One source document: its text and its gold words located in it."""

    doc_id: str
    text: str
    words: list[Word]
    offsets: list[tuple[int, int]]  # character span of each word in text
    heads: list[int]  # document index of each word's head, -1 for the root
    sent_starts: list[bool]
    entities: list[CharSpan] = field(default_factory=list)


@dataclass
class SyntaxCounts:
    """Correct counts per metric over ``words`` gold words, plus sentence starts."""

    words: int = 0
    matched: int = 0
    correct: Counter[str] = field(default_factory=Counter)
    sent_gold: int = 0
    sent_pred: int = 0
    sent_both: int = 0

    def add(self, other: SyntaxCounts) -> None:
        self.words += other.words
        self.matched += other.matched
        self.correct.update(other.correct)
        self.sent_gold += other.sent_gold
        self.sent_pred += other.sent_pred
        self.sent_both += other.sent_both

    def scores(self) -> dict[str, float]:
        """Percentages over all gold words; sentence F1 over matched words."""
        out = {"words": self.words, "Words matched": pct(self.matched, self.words)}
        out.update({m: pct(self.correct[m], self.words) for m in SYNTAX_METRICS})
        out["Sentence F1"] = f1(self.sent_both, self.sent_pred, self.sent_gold)
        return out


def pct(part: int, whole: int) -> float:
    return 100.0 * part / whole if whole else 0.0


def f1(correct: int, pred: int, gold: int) -> float:
    p, r = pct(correct, pred), pct(correct, gold)
    return 2 * p * r / (p + r) if p + r else 0.0


def by_document(sents: Iterable[Sentence]) -> Iterator[list[Sentence]]:
    """Group consecutive sentences by their ``# newdoc id``."""
    doc: list[Sentence] = []
    for sent in sents:
        if doc and sent.doc_id != doc[0].doc_id:
            yield doc
            doc = []
        doc.append(sent)
    if doc:
        yield doc


def text_from_forms(sents: list[Sentence]) -> tuple[str, list[tuple[int, int]]]:
    """Rebuild a text from the word forms: SpaceAfter within sentences, a space
    between sentences, a blank line between paragraphs."""
    parts: list[str] = []
    offsets: list[tuple[int, int]] = []
    pos = 0
    for i, sent in enumerate(sents):
        if i > 0:
            sep = PAR_SEP if sent.new_par else SENT_SEP
            parts.append(sep)
            pos += len(sep)
        for j, word in enumerate(sent.words):
            offsets.append((pos, pos + len(word.form)))
            parts.append(word.form)
            pos += len(word.form)
            if word.space_after and j < len(sent.words) - 1:
                parts.append(" ")
                pos += 1
    return "".join(parts), offsets


def char_offsets(sents: list[Sentence]) -> list[tuple[int, int]]:
    """The silver data's CharOffset=start-end of each word (offsets into the article)."""
    out = []
    for sent in sents:
        for word in sent.words:
            start, _, end = word.misc["CharOffset"].partition("-")
            out.append((int(start), int(end)))
    return out


def gold_doc(sents: list[Sentence], text: str, offsets: list[tuple[int, int]]) -> GoldDoc:
    """Flatten a document's sentences, with heads as document indices."""
    words: list[Word] = []
    heads: list[int] = []
    sent_starts: list[bool] = []
    for sent in sents:
        base = len(words)
        for j, word in enumerate(sent.words):
            words.append(word)
            heads.append(-1 if word.head == 0 else base + word.head - 1)
            sent_starts.append(j == 0)
    return GoldDoc(sents[0].doc_id, text, words, offsets, heads, sent_starts)


def to_char_spans(doc: GoldDoc, spans: Iterable[WordSpan]) -> list[CharSpan]:
    """Word-index spans (end exclusive) -> character spans."""
    return [(doc.offsets[s][0], doc.offsets[e - 1][1], label) for s, e, label in spans]


def silver_entities(sents: list[Sentence]) -> list[WordSpan]:
    """CoreNLP NER as word-index spans: a run of one mapped label within a
    sentence is one entity (as ``convert.bio_tags`` reads it)."""
    spans = []
    base = 0
    for sent in sents:
        start, label = 0, "O"
        labels = [NER_LABELS.get(w.misc.get("NER", "O"), "O") for w in sent.words] + ["O"]
        for i, new in enumerate(labels):
            if new != label:
                if label != "O":
                    spans.append((base + start, base + i, label))
                start, label = i, new
        base += len(sent.words)
    return spans


# The key under which ``gum_mentions`` keeps a mention's coreference cluster id.
CLUSTER = "GRP"


def gum_mentions(words: list[Word]) -> list[tuple[int, int, dict[str, str]]]:
    """Every Entity= mention of a GUM document: word-index span and attributes,
    the cluster id under ``CLUSTER``."""
    mentions = []
    open_: dict[str, list[tuple[int, dict[str, str]]]] = {}
    for i, word in enumerate(words):
        for m in ENTITY_TOKEN.finditer(word.misc.get("Entity", "")):
            opened, attrs, closes_now, closed = m.groups()
            if opened is not None:
                # maxsplit keeps hyphens inside the last field (identity)
                values = attrs.split("-", len(ENTITY_FIELDS) - 2)
                info = {CLUSTER: opened, **dict(zip(ENTITY_FIELDS[1:], values, strict=False))}
                if closes_now:
                    mentions.append((i, i + 1, info))
                else:
                    open_.setdefault(opened, []).append((i, info))
            else:
                start, info = open_[closed].pop()
                mentions.append((start, i + 1, info))
    return mentions


def gum_entities(words: list[Word]) -> list[WordSpan]:
    """An approximate named-entity gold standard from GUM's mention annotation.

    GUM annotates every mention ("the president", "he"), not only names. A
    person/organization/place mention counts as a named entity when it is
    made of proper nouns only, or is Wikified (non-empty identity) and holds a
    proper noun: GUM also Wikifies pronouns and common nouns that corefer
    with a name ("he", "the department"). Leading determiners and a trailing
    possessive are dropped ("the United States" -> "United States",
    "Smetana 's" -> "Smetana", as CoreNLP's NER does), and a mention nested
    in another named mention is dropped, as flat NER keeps only the outermost
    name ("[Leiden University] Library"). This is an approximation of a
    named-entity gold standard, not one: descriptions such as "Berlin music
    critic Louis Ehlert" stay whole.
    """
    named = set()
    for start, end, info in gum_mentions(words):
        label = GUM_ENTITY_LABELS.get(info["etype"])
        if label is None:
            continue
        propn = [w.upos == "PROPN" for w in words[start:end]]
        if not (all(propn) or (info.get("identity") and any(propn))):
            continue
        while start < end and words[start].upos == "DET":
            start += 1
        while start < end and words[end - 1].xpos == "POS":
            end -= 1
        if start < end:
            named.add((start, end, label))
    return sorted(
        (s, e, label)
        for s, e, label in named
        if not any(s2 <= s and e <= e2 and (s2, e2) != (s, e) for s2, e2, _ in named)
    )


def check_entity_format(path: Path) -> None:
    """Fail loudly if a GUM document declares Entity= fields other than ours."""
    with path.open(encoding="utf8") as f:
        for line in f:
            if line.startswith("# global.Entity"):
                declared = line.split("=", 1)[1].strip()
                if declared != ENTITY_FORMAT:
                    raise ValueError(f"{path}: unexpected Entity format {declared}")


def read_gum(path: Path, limit: int | None = None) -> list[GoldDoc]:
    """GUM documents with texts rebuilt from the forms and approximate NER gold."""
    check_entity_format(path)
    docs = []
    for sents in by_document(read_conllu(path)):
        text, offsets = text_from_forms(sents)
        doc = gold_doc(sents, text, offsets)
        doc.entities = to_char_spans(doc, gum_entities(doc.words))
        docs.append(doc)
        if len(docs) == limit:
            break
    return docs


def read_silver(conllu: Path, articles: Path, limit: int | None = None) -> list[GoldDoc]:
    """PolNeAR silver documents on their original article texts, with CoreNLP NER."""
    with articles.open(encoding="utf8") as f:
        texts = {row["id"]: row["text"] for row in map(json.loads, f)}
    docs = []
    for sents in by_document(read_conllu(conllu)):
        doc = gold_doc(sents, texts[sents[0].doc_id], char_offsets(sents))
        doc.entities = to_char_spans(doc, silver_entities(sents))
        docs.append(doc)
        if len(docs) == limit:
            break
    return docs


def align(gold: GoldDoc, pred: Doc) -> list[Token | None]:
    """The predicted token with exactly each gold word's character span, if any."""
    tokens = {(t.idx, t.idx + len(t.text)): t for t in pred}
    return [tokens.get(span) for span in gold.offsets]


def predicted_sent_starts(pred: Doc) -> set[int]:
    """First non-whitespace token of each predicted sentence."""
    starts = set()
    for sent in pred.sents:
        first = next((t for t in sent if not t.is_space), None)
        if first is not None:
            starts.add(first.i)
    return starts


def score_syntax(gold: GoldDoc, pred: Doc) -> SyntaxCounts:
    """CoNLL 2018 style counts: unmatched gold words are wrong on every metric."""
    counts = SyntaxCounts(words=len(gold.words))
    tokens = align(gold, pred)
    pred_starts = predicted_sent_starts(pred)
    for word, token, head, sent_start in zip(
        gold.words, tokens, gold.heads, gold.sent_starts, strict=True
    ):
        if token is None:
            continue
        counts.matched += 1
        correct = counts.correct
        correct["XPOS"] += token.tag_ == word.xpos
        correct["UPOS"] += token.pos_ == word.upos
        correct["Lemma"] += token.lemma_ == word.lemma
        if head == -1:
            head_ok = token.head.i == token.i
        else:
            gold_head = tokens[head]
            head_ok = gold_head is not None and token.head.i == gold_head.i
        deprel = "root" if token.dep_ == "ROOT" else token.dep_
        correct["UAS"] += head_ok
        correct["LAS"] += head_ok and deprel == word.deprel
        base_ok = deprel.split(":")[0] == word.deprel.split(":")[0]
        correct["LAS (base label)"] += head_ok and base_ok
        is_start = token.i in pred_starts
        counts.sent_gold += sent_start
        counts.sent_pred += is_start
        counts.sent_both += sent_start and is_start
    return counts


def score_ner(
    golds: list[GoldDoc], preds: list[Doc], labels: Iterable[str]
) -> dict[str, dict[str, float]]:
    """Exact-span P/R/F per label and micro-averaged; predictions of other labels are ignored."""
    labels = list(labels)
    gold: set[tuple[int, int, int, str]] = set()
    pred: set[tuple[int, int, int, str]] = set()
    for n, (g, p) in enumerate(zip(golds, preds, strict=True)):
        gold.update((n, s, e, label) for s, e, label in g.entities if label in labels)
        pred.update((n, e.start_char, e.end_char, e.label_) for e in p.ents if e.label_ in labels)
    out = {}
    for label in [*labels, "micro"]:
        g = {x for x in gold if label in ("micro", x[3])}
        p = {x for x in pred if label in ("micro", x[3])}
        both = len(g & p)
        out[label] = {
            "P": pct(both, len(p)),
            "R": pct(both, len(g)),
            "F": f1(both, len(p), len(g)),
            "gold": len(g),
            "pred": len(p),
        }
    return out


def run_pipeline(nlp: Language, docs: list[GoldDoc]) -> tuple[list[Doc], float]:
    """Parse whole documents; returns the Docs and the wall-clock seconds."""
    nlp(docs[0].text[:WARMUP_CHARS])
    start = time.perf_counter()
    parsed = list(nlp.pipe(d.text for d in docs))
    return parsed, time.perf_counter() - start


def disk_size_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def evaluate(pipeline: Path, data: Path, limit: int | None = None) -> dict:
    """All model-card numbers as a JSON-ready dict."""
    nlp = spacy.load(pipeline)
    gum = read_gum(data / GUM_TEST, limit)
    silver = read_silver(data / SILVER_DEV, data / POLNEAR_DEV, limit)
    gum_parsed, seconds = run_pipeline(nlp, gum)
    silver_parsed, _ = run_pipeline(nlp, silver)

    all_docs, news = SyntaxCounts(), SyntaxCounts()
    for gold, pred in zip(gum, gum_parsed, strict=True):
        counts = score_syntax(gold, pred)
        all_docs.add(counts)
        if gold.doc_id.startswith(NEWS_PREFIX):
            news.add(counts)
    words = sum(len(d.words) for d in gum)
    return {
        "pipeline": str(pipeline),
        "size_mb": disk_size_mb(pipeline),
        "syntax": {"GUM test": all_docs.scores(), "GUM test news": news.scores()},
        "ner": {
            "PolNeAR dev (silver CoreNLP)": score_ner(silver, silver_parsed, NER_LABELS.values()),
            "GUM test (approximate)": score_ner(gum, gum_parsed, GUM_ENTITY_LABELS.values()),
        },
        "speed": {"words": words, "seconds": seconds, "words_per_s": words / seconds},
    }


def format_report(result: dict) -> str:
    """The numbers as plain-text tables."""
    lines = [f"Pipeline {result['pipeline']} ({result['size_mb']:.1f} MB on disk)", ""]
    columns = list(result["syntax"])
    header = "".join(f"{c:>15}" for c in columns)
    lines.append(f"{'% of gold words (CoNLL 2018 style)':<37}{header}")
    rows = ["words", "Words matched", *SYNTAX_METRICS, "Sentence F1"]
    for row in rows:
        cells = [result["syntax"][c][row] for c in columns]
        fmt = "{:>15,.0f}" if row == "words" else "{:>15.2f}"
        lines.append(f"{row:<37}" + "".join(fmt.format(v) for v in cells))
    for corpus, table in result["ner"].items():
        lines += ["", f"{'NER, ' + corpus:<37}{'P':>8}{'R':>8}{'F':>8}{'gold':>8}{'pred':>8}"]
        for label, s in table.items():
            lines.append(
                f"  {label:<35}{s['P']:>8.2f}{s['R']:>8.2f}{s['F']:>8.2f}"
                f"{s['gold']:>8.0f}{s['pred']:>8.0f}"
            )
    speed = result["speed"]
    lines += [
        "",
        f"Speed: {speed['words_per_s']:,.0f} words/s on GUM test, one thread, whole pipeline "
        f"({speed['words']:,} words in {speed['seconds']:.1f} s)",
    ]
    return "\n".join(lines)


def main() -> None:
    here = Path(__file__).resolve().parent
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pipeline", type=Path, help="a spaCy pipeline directory")
    parser.add_argument("--data", type=Path, default=here.parent.parent / "shared" / "data")
    parser.add_argument("--json", type=Path, help="also write the numbers here")
    parser.add_argument("--limit", type=int, help="only the first N documents of each corpus")
    args = parser.parse_args()
    result = evaluate(args.pipeline, args.data, args.limit)
    print(format_report(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=1) + "\n", encoding="utf8")


if __name__ == "__main__":
    main()
