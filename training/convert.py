"""Convert the treebanks in ../shared/data into spaCy DocBin corpora.

Usage: python training/convert.py [--data ../shared/data] [--out training/corpus]

Writes one ``.spacy`` file per corpus (see ``CORPORA``). Each Doc holds up to
``SENTS_PER_DOC`` consecutive sentences of one source document, so the parser
learns sentence boundaries; paragraph breaks become "\\n\\n" whitespace tokens,
as the tokenizer produces them on real articles.

Labels:
- tags (PTB), UPOS, lemmas and UD v2 dependencies are copied as they are
  (``root`` becomes spaCy's ``ROOT``); whitespace tokens get ``_SP`` / ``SPACE``
  and no head (missing, so no loss).
- entities come from the PolNeAR silver data only (CoreNLP NER), mapped by
  ``NER_LABELS``; GUM and EWT docs leave entities unannotated (missing, not O).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import spacy
from spacy.tokens import Doc, DocBin

SENTS_PER_DOC = 10

# CoreNLP NER tag -> sayso entity label. Tags not listed become O.
NER_LABELS = {
    "PERSON": "PERSON",
    "ORGANIZATION": "ORG",
    "LOCATION": "LOC",
    "MISC": "MISC",
    "DATE": "DATE",
}

# output path -> input files (relative to the data folder). Training reads
# every file under train/, model selection every file under dev/.
CORPORA = {
    "train/gum-train": ["gum/gum-train.conllu"],
    "train/ewt": ["ewt/en_ewt-ud-dev.conllu", "ewt/en_ewt-ud-test.conllu"],
    "train/silver-train": ["polnear/silver/train.conllu"],
    "dev/gum-dev": ["gum/gum-dev.conllu"],
    "eval/gum-test": ["gum/gum-test.conllu"],
    "eval/silver-dev": ["polnear/silver/dev.conllu"],
}


@dataclass
class Word:
    form: str
    lemma: str
    upos: str
    xpos: str
    head: int  # 1-based within the sentence, 0 for root
    deprel: str
    misc: dict[str, str]
    space_after: bool = True


@dataclass
class Sentence:
    doc_id: str
    new_par: bool
    words: list[Word] = field(default_factory=list)


def parse_misc(value: str) -> dict[str, str]:
    if value == "_":
        return {}
    items = {}
    for part in value.split("|"):
        key, _, val = part.partition("=")
        items[key] = val
    return items


def read_conllu(path: Path) -> Iterator[Sentence]:
    """Yield sentences with syntactic words; multiword-token lines only set spacing."""
    doc_id = ""
    new_par = False
    sent: Sentence | None = None
    mwt_end = 0
    mwt_space = True
    with path.open(encoding="utf8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("# newdoc id"):
                doc_id = line.split("=", 1)[1].strip()
                new_par = True
            elif line.startswith("# newpar"):
                new_par = True
            elif line.startswith("#"):
                continue
            elif not line:
                if sent is not None and sent.words:
                    yield sent
                sent = None
                mwt_end = 0
            else:
                if sent is None:
                    sent = Sentence(doc_id, new_par)
                    new_par = False
                cols = line.split("\t")
                if "-" in cols[0]:
                    mwt_end = int(cols[0].split("-")[1])
                    mwt_space = "SpaceAfter=No" not in cols[9]
                    continue
                if "." in cols[0]:  # empty nodes of enhanced graphs
                    continue
                idx = int(cols[0])
                misc = parse_misc(cols[9])
                if idx < mwt_end:
                    space = False
                elif idx == mwt_end:
                    space = mwt_space
                else:
                    space = misc.get("SpaceAfter") != "No"
                sent.words.append(
                    Word(cols[1], cols[2], cols[3], cols[4], int(cols[6]), cols[7], misc, space)
                )
    if sent is not None and sent.words:
        yield sent


def group_sentences(sents: Iterator[Sentence]) -> Iterator[list[Sentence]]:
    """Group consecutive sentences of one document into chunks."""
    chunk: list[Sentence] = []
    for sent in sents:
        if chunk and (sent.doc_id != chunk[0].doc_id or len(chunk) >= SENTS_PER_DOC):
            yield chunk
            chunk = []
        chunk.append(sent)
    if chunk:
        yield chunk


def chunk_to_doc(vocab, chunk: list[Sentence], with_ents: bool) -> Doc:
    words: list[str] = []
    spaces: list[bool] = []
    tags: list[str] = []
    pos: list[str] = []
    lemmas: list[str] = []
    heads: list[int | None] = []
    deps: list[str | None] = []
    sent_starts: list[bool | None] = []
    ner: list[str] = []
    for i, sent in enumerate(chunk):
        if i > 0 and sent.new_par:
            # paragraph break: the tokenizer makes "\n\n" a token of its own
            spaces[-1] = False
            words.append("\n\n")
            spaces.append(False)
            tags.append("_SP")
            pos.append("SPACE")
            lemmas.append("\n\n")
            heads.append(None)
            deps.append(None)
            sent_starts.append(None)
            ner.append("O")
        offset = len(words)
        for j, w in enumerate(sent.words):
            words.append(w.form)
            spaces.append(w.space_after)
            tags.append(w.xpos)
            pos.append(w.upos)
            lemmas.append(w.lemma)
            heads.append(offset + j if w.head == 0 else offset + w.head - 1)
            deps.append("ROOT" if w.deprel == "root" else w.deprel)
            sent_starts.append(j == 0)
            ner.append(NER_LABELS.get(w.misc.get("NER", "O"), "O"))
    spaces[-1] = False
    doc = Doc(
        vocab,
        words=words,
        spaces=spaces,
        tags=tags,
        pos=pos,
        lemmas=lemmas,
        heads=heads,
        deps=deps,
        sent_starts=sent_starts,
        ents=bio_tags(ner) if with_ents else None,
    )
    doc.user_data["doc_id"] = chunk[0].doc_id
    return doc


def bio_tags(labels: list[str]) -> list[str]:
    """CoreNLP gives one label a token; a run of the same label is one entity."""
    out = []
    prev = "O"
    for label in labels:
        if label == "O":
            out.append("O")
        elif label == prev:
            out.append("I-" + label)
        else:
            out.append("B-" + label)
        prev = label
    return out


def flatten_person_names(sent: Sentence) -> None:
    """Re-head CoreNLP's compound chains for person names as UD English does.

    CoreNLP: "Hillary <-compound- Clinton" (last word heads); UD English (GUM,
    EWT): "Hillary -flat-> Clinton" (first word heads). Without this the
    silver data would teach the parser a convention the gold data contradicts.
    """
    words = sent.words
    i = 0
    while i < len(words):
        if words[i].misc.get("NER") != "PERSON":
            i += 1
            continue
        j = i
        while j + 1 < len(words) and words[j + 1].misc.get("NER") == "PERSON":
            j += 1
        last = j + 1  # 1-based id of the span's last word
        if j > i and all(
            words[k].head == last and words[k].deprel == "compound" for k in range(i, j)
        ):
            first = i + 1
            head, deprel = words[j].head, words[j].deprel
            for w in words:
                if w.head == last:
                    w.head = first
            words[i].head, words[i].deprel = head, deprel
            for k in range(i + 1, j + 1):
                words[k].head, words[k].deprel = first, "flat"
        i = j + 1


def ner_only(doc: Doc) -> Doc:
    """A copy with entities and sentence starts only, for model selection on NER."""
    return Doc(
        doc.vocab,
        words=[t.text for t in doc],
        spaces=[bool(t.whitespace_) for t in doc],
        sent_starts=[t.is_sent_start for t in doc],
        ents=[t.ent_iob_ + "-" + t.ent_type_ if t.ent_type_ else "O" for t in doc],
    )


# The corpora of the second training stage (configs/pipeline_finetune.cfg).
FINETUNE = ("train/gum-train", "train/ewt", "train/silver-train")


def convert(data: Path, out: Path) -> dict[str, int]:
    nlp = spacy.blank("en")
    stats = {}
    for name, files in CORPORA.items():
        silver = "silver" in name
        docs = []
        for rel in files:
            sents = read_conllu(data / rel)
            if silver:
                sents = (flatten_person_names(s) or s for s in sents)
            docs.extend(chunk_to_doc(nlp.vocab, c, silver) for c in group_sentences(sents))
        write(out / f"{name}.spacy", docs)
        stats[name] = sum(not t.is_space for doc in docs for t in doc)
        if name == "eval/gum-test":
            news = [d for d in docs if d.user_data["doc_id"].startswith("GUM_news")]
            write(out / "eval/gum-test-news.spacy", news)
        if name == "eval/silver-dev":
            write(out / "dev/silver-dev-ner.spacy", [ner_only(d) for d in docs])
        if name in FINETUNE:
            # second stage: gold syntax, and silver for its entities only
            target = out / "finetune" / Path(name).name
            write(target.with_suffix(".spacy"), [ner_only(d) for d in docs] if silver else docs)
    return stats


def write(path: Path, docs: list[Doc]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    DocBin(docs=docs, store_user_data=True).to_disk(path)


def main() -> None:
    here = Path(__file__).resolve().parent
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=here.parent.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, default=here / "corpus")
    args = parser.parse_args()
    if not (args.data / "gum").is_dir():
        raise SystemExit(f"training data not found at {args.data}; pass --data")
    print(json.dumps(convert(args.data, args.out), indent=1))


if __name__ == "__main__":
    main()
