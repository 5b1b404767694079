"""Copies of the role tagger's training articles with made-up words in place
of some cue words (measured, not shipped: training/README.md, "Where the
errors are").

Usage: python training/nonce_copies.py --pipeline src/sayso/models/en_sayso
           [--corpus training/corpus] [--cue-share 0.5] [--other-share 0.1]

A third of the PolNeAR dev attributions have a cue that no training article
has as a cue, and the tagger finds few of them: it knows cues by their
words. In a copy of each training article, each cue's verbs, nouns and
adjectives are swapped, with probability ``--cue-share``, for a made-up
word with the same ending and capital ("grilled" -> "bolmaked"), so that
the tagger has to find such cues from what is around them. So that a
made-up word is no sign of a cue, a share ``--other-share`` of the other
verbs, nouns and adjectives is swapped too. The pipeline tags the words to
find their kind; the role labels stay on the same tokens.

Writes ``CORPUS/roles-train-nonce/`` with the articles of
``CORPUS/roles-train/polnear.spacy`` and their copies (``nonce.spacy``);
train on it with ``--paths.train training/corpus/roles-train-nonce``.
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

import spacy
from spacy.tokens import Doc, DocBin, Span
from spacy.training import biluo_tags_to_spans

# the words that may be swapped: verbs (VB*), adjectives (JJ*) and common
# nouns; names stay
COMMON_NOUN_TAGS = ("NN", "NNS")
ENDINGS = ("ing", "ed", "es", "s", "ly")
CONSONANTS = "bdfgklmnprstvz"
VOWELS = "aeiou"


def nonce_word(rng: random.Random, like: str) -> str:
    """A made-up word with the ending (of ENDINGS) and the capital of ``like``."""
    stem = "".join(rng.choice(CONSONANTS) + rng.choice(VOWELS) for _ in range(2))
    stem += rng.choice(CONSONANTS)
    lower = like.lower()
    ending = next((e for e in ENDINGS if lower.endswith(e) and len(lower) > len(e) + 2), "")
    word = stem + ending
    return word.capitalize() if like[:1].isupper() else word


def nonce_copy(
    doc: Doc, tags: list[str], rng: random.Random, cue_share: float, other_share: float
) -> Doc:
    """``doc`` with some content words swapped for made-up ones (see the
    module's docstring); the same tokens, spaces and role spans."""
    # cue token -> whether its cue is swapped (a cue's words go together)
    swap_cue: dict[int, bool] = {}
    for ent in doc.ents:
        if ent.label_ == "CUE":
            swap = rng.random() < cue_share
            swap_cue.update(dict.fromkeys(range(ent.start, ent.end), swap))
    words = []
    for token, tag in zip(doc, tags, strict=True):
        content_word = (tag.startswith(("VB", "JJ")) or tag in COMMON_NOUN_TAGS) and token.is_alpha
        share_hit = swap_cue[token.i] if token.i in swap_cue else rng.random() < other_share
        swap = content_word and share_hit and _stands_alone(token)
        words.append(nonce_word(rng, token.text) if swap else token.text)
    copy = Doc(doc.vocab, words=words, spaces=[bool(t.whitespace_) for t in doc])
    copy.ents = [Span(copy, e.start, e.end, label=e.label_) for e in doc.ents]
    copy.user_data["doc_id"] = str(doc.user_data.get("doc_id", "")) + "#nonce"
    return copy


def _stands_alone(token) -> bool:
    """Whether a word put in place of ``token`` is still one token: no word
    is glued to it ("do" of "don't", "gon" of "gonna" are not)."""
    doc = token.doc
    before = token.i == 0 or bool(doc[token.i - 1].whitespace_) or doc[token.i - 1].is_punct
    after = bool(token.whitespace_) or token.i + 1 == len(doc) or doc[token.i + 1].is_punct
    return before and after and not (token.i + 1 < len(doc) and doc[token.i + 1].text[:1] == "'")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pipeline", type=Path, required=True)
    parser.add_argument("--corpus", type=Path, default=Path(__file__).parent / "corpus")
    parser.add_argument("--cue-share", type=float, default=0.5)
    parser.add_argument("--other-share", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    source = args.corpus / "roles-train" / "polnear.spacy"
    if not source.is_file():
        raise SystemExit(f"{source} not found: run training/convert_polnear.py first")
    from convert_polnear import to_biluo  # the script beside this one

    # the pipeline as training runs it before the role tagger
    nlp = spacy.load(args.pipeline, exclude=["ner"])
    docs = list(DocBin().from_disk(source).get_docs(nlp.vocab))
    rng = random.Random(args.seed)
    copies = []
    for doc, tagged in zip(docs, nlp.pipe(d.text for d in docs), strict=True):
        if len(tagged) != len(doc):
            raise SystemExit(f"{doc.user_data.get('doc_id')}: the tokens differ")
        copy = nonce_copy(doc, [t.tag_ for t in tagged], rng, args.cue_share, args.other_share)
        # training parses the copy's text again: its roles must fall on the
        # same tokens and be cut at its own sentence starts, as
        # convert_polnear.py cuts the originals (a span tagger cannot cross them)
        parsed = nlp(copy.text)
        if [t.text for t in parsed] != [t.text for t in copy]:
            raise SystemExit(f"{doc.user_data.get('doc_id')}: the copy tokenizes differently")
        labels = [t.ent_type_ or None for t in copy]
        starts = [bool(t.is_sent_start) for t in parsed]
        copy.ents = biluo_tags_to_spans(copy, to_biluo(labels, starts))
        copies.append(copy)
    out = args.corpus / "roles-train-nonce"
    out.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, out / "polnear.spacy")
    DocBin(docs=copies, store_user_data=True).to_disk(out / "nonce.spacy")
    print(f"{out}: {len(docs)} articles and as many copies")


if __name__ == "__main__":
    main()
