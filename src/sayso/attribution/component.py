"""The ``sayso_attribution`` spaCy component.

Add it to the shipped pipeline (``sayso.analysis.attribution_pipeline()``
does) or to any pipeline that tags, parses and splits sentences with the
same labels (PTB tags, UD dependencies):

>>> nlp.add_pipe("sayso_attribution")
>>> doc = nlp(text)
>>> doc._.attributions        # list[Attribution], in text order
>>> doc.spans["sayso_cues"]   # also "sayso_sources", "sayso_contents"

It runs the role taggers (``models/roles`` and ``models/roles_lstm``,
trained by ``training/train_roles.sh``; they read the words and the lemmas,
tags and dependency labels the pipeline assigned, and the quote marks around
them) and takes their averaged decisions (:mod:`decoding`; with
``config={"fast": True}`` the first alone), then groups the role spans with
:func:`linking.link`. Attributions that the
layout makes, which the tagger mostly misses (a quote signed after a dash,
'"..." ― Dana Whitfield'; transcript turns, "PENCE: ..."), come from
patterns instead (:mod:`formats`), and so do the verb and speaker after a
quote's closing comma when the tagger missed them ('"...," claims WSJ.':
:mod:`quote_tails`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.pipeline import EntityRecognizer
from spacy.tokens import Doc, Span

# registers sayso.QuoteEmbed.v1, which the role tagger's config names
from sayso.attribution import features  # noqa: F401
from sayso.attribution.decoding import can_decode, decode
from sayso.attribution.formats import layout_attributions
from sayso.attribution.linking import CONTENT, CUE, SOURCE, Attribution, link
from sayso.attribution.premixing import premix_embeddings
from sayso.attribution.quote_tails import with_quote_tails
from sayso.nlp import use_numpy_blas

MODELS_DIR = Path(__file__).resolve().parent.parent / "models"
# The shipped role taggers, whose probabilities are averaged: a CNN and the
# same with an LSTM on top (training/configs/roles.cfg, roles_lstm.cfg). The
# first alone is the fast mode.
ROLES_DIRS = (MODELS_DIR / "roles", MODELS_DIR / "roles_lstm")
# The taggers' CNN is as fast per word on batches of 500 to 15,000 words, then
# slower as its arrays outgrow the CPU's caches (+17 % at 30,000 words, which
# 32 news articles make); the LSTM steps through fewer, wider batches 5 %
# faster at 10,000 than at 5,000.
TAGGER_BATCH_WORDS = 10_000
SPAN_KEYS = {SOURCE: "sayso_sources", CUE: "sayso_cues", CONTENT: "sayso_contents"}

if not Doc.has_extension("attributions"):
    Doc.set_extension("attributions", default=None)
if not Doc.has_extension("role_probabilities"):
    Doc.set_extension("role_probabilities", default=None)


class RolesModelNotFound(RuntimeError):
    """The role tagger is missing from the installation."""


@Language.factory(
    "sayso_attribution",
    default_config={"roles_models": None, "fast": False},
    requires=["token.tag", "token.lemma", "token.dep", "token.head", "doc.sents"],
    assigns=["doc._.attributions", "doc.spans"],
)
def make_attribution(
    nlp: Language, name: str, roles_models: list[str] | None, fast: bool
) -> AttributionExtractor:
    return AttributionExtractor(nlp, name, roles_models=roles_models, fast=fast)


class AttributionExtractor:
    """Finds source / cue / content spans and groups them into attributions.

    ``roles_models``: the role taggers to average (spaCy pipelines holding a
    ``roles`` component; default: the two shipped ones); ``fast``: the first
    of them alone (about 1.5 times as fast, with less accuracy: README.md).
    """

    def __init__(
        self,
        nlp: Language,
        name: str,
        *,
        roles_models: list[str] | None = None,
        fast: bool = False,
    ) -> None:
        self.name = name
        paths = [Path(p) for p in roles_models] if roles_models else list(ROLES_DIRS)
        self.taggers = [_load_tagger(path, nlp) for path in (paths[:1] if fast else paths)]
        # the same spans as spaCy's own decoding, in a fifth less tagger time;
        # a lone tagger of another shape falls back to spaCy's
        self.vectorised = all(can_decode(tagger) for tagger in self.taggers)
        if len(self.taggers) > 1 and not self.vectorised:
            raise ValueError(
                "role taggers are averaged only when sayso can decode them all "
                "(spaCy's ner architecture with three maxout pieces); give one"
            )

    def __call__(self, doc: Doc) -> Doc:
        return next(self.pipe([doc]))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 64) -> Iterator[Doc]:
        for batch in _batches(docs, batch_size, TAGGER_BATCH_WORDS):
            for doc, roles in zip(batch, self._tag(batch), strict=True):
                self.set_annotations(doc, [r for r in roles if not _blank(r)])
                yield doc

    def _tag(self, batch: list[Doc]) -> list[list[Span]]:
        """The taggers' role spans on each Doc of ``batch``; with sayso's
        decoding, the probability of each span's opening move goes to
        ``doc._.role_probabilities`` ({label: {first token: probability}})."""
        if self.vectorised:
            found = []
            for doc, spans in zip(batch, decode(self.taggers, batch), strict=True):
                probabilities: dict[str, dict[int, float]] = {}
                for start, _, label, probability in spans:
                    probabilities.setdefault(label, {})[start] = probability
                doc._.role_probabilities = probabilities
                found.append([Span(doc, start, end, label=label) for start, end, label, _ in spans])
            return found
        (tagger,) = self.taggers
        saved = [doc.ents for doc in batch]
        for doc in batch:
            # spaCy's decoding treats entities already on the doc as constraints
            doc.ents = []
            doc._.role_probabilities = None  # spaCy's loop gives none
        tagger.set_annotations(batch, tagger.predict(batch))
        found = [list(doc.ents) for doc in batch]
        for doc, ents in zip(batch, saved, strict=True):
            doc.ents = ents
        return found

    def set_annotations(self, doc: Doc, roles: list[Span]) -> None:
        # the words of a layout attribution are its own: the tagger's spans over them go
        layout = layout_attributions(doc)
        layout_tokens = {t.i for att in layout for _, span in _labelled_parts(att) for t in span}
        tagged = [r for r in roles if not any(t.i in layout_tokens for t in r)]
        tagged = with_quote_tails(doc, tagged)
        spans = tagged + [
            Span(doc, span.start, span.end, label=label)
            for att in layout
            for label, span in _labelled_parts(att)
        ]
        for label, key in SPAN_KEYS.items():
            doc.spans[key] = sorted((r for r in spans if r.label_ == label), key=lambda r: r.start)
        doc._.attributions = sorted(link(doc, tagged) + layout, key=lambda a: a.start)


def _labelled_parts(att: Attribution) -> list[tuple[str, Span]]:
    parts = [(CUE, att.cue)] + [(CONTENT, c) for c in att.content]
    return parts + ([(SOURCE, att.source)] if att.source is not None else [])


def _blank(span: Span) -> bool:
    return all(t.is_space for t in span)


def _batches(docs: Iterable[Doc], max_docs: int, max_words: int) -> Iterator[list[Doc]]:
    """``docs`` in order, in batches of at most ``max_docs`` Docs and
    ``max_words`` tokens (a longer Doc makes a batch of its own)."""
    batch: list[Doc] = []
    words = 0
    for doc in docs:
        if batch and words + len(doc) > max_words:
            yield batch
            batch, words = [], 0
        batch.append(doc)
        words += len(doc)
        if len(batch) >= max_docs:
            yield batch
            batch, words = [], 0
    if batch:
        yield batch


__all__ = ["Attribution", "AttributionExtractor", "RolesModelNotFound", "make_attribution"]


def _load_tagger(path: Path, nlp: Language) -> EntityRecognizer:
    if not (path / "config.cfg").is_file():
        raise RolesModelNotFound(
            f"no role tagger at {path}. Reinstall sayso, or rebuild it with "
            "`bash training/train_roles.sh`."
        )
    roles_nlp = spacy.load(path, vocab=nlp.vocab)
    use_numpy_blas(roles_nlp)
    tagger = roles_nlp.get_pipe("roles")
    # its embeddings in less than half the time, with the same spans
    premix_embeddings(tagger.model)
    return tagger
