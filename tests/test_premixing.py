"""The role tagger's premixed embeddings against its own layer, on real text."""

from __future__ import annotations

import json

import numpy
import pytest
import spacy
from conftest import POLNEAR_DEV
from thinc.api import Linear

from sayso.attribution.component import ROLES_DIRS
from sayso.attribution.decoding import decode
from sayso.attribution.premixing import premix_embeddings
from sayso.nlp import use_numpy_blas


@pytest.fixture(scope="module")
def premixed(attribution_nlp):
    return attribution_nlp.get_pipe("sayso_attribution").taggers[0]


@pytest.fixture(scope="module")
def original(attribution_nlp):
    roles_nlp = spacy.load(ROLES_DIRS[0], vocab=attribution_nlp.vocab)
    use_numpy_blas(roles_nlp)
    return roles_nlp.get_pipe("roles")


@pytest.fixture(scope="module")
def docs(attribution_nlp, example_text):
    with POLNEAR_DEV.open(encoding="utf8") as lines:
        texts = [json.loads(line)["text"] for line, _ in zip(lines, range(8), strict=False)]
    texts += [example_text, "Yes.", "   ", 'He said: "We will win"']
    with attribution_nlp.select_pipes(disable="sayso_attribution"):
        return list(attribution_nlp.pipe(texts))


def _names(model):
    return {node.name for node in model.walk()}


def test_the_shipped_taggers_load_premixed(attribution_nlp, original):
    for tagger in attribution_nlp.get_pipe("sayso_attribution").taggers:
        assert "premixed_hash_embed" in _names(tagger.model)
    assert "premixed_hash_embed" not in _names(original.model)


def test_premixed_vectors_are_the_original_ones(premixed, original, docs):
    found = premixed.model.get_ref("tok2vec").predict(docs)
    expected = original.model.get_ref("tok2vec").predict(docs)
    assert found.shape == expected.shape == (sum(len(doc) for doc in docs), 128)
    assert numpy.abs(found - expected).max() < 1e-4


def test_premixed_tagger_finds_the_same_spans(premixed, original, docs):
    found, expected = decode([premixed], docs), decode([original], docs)
    assert sum(len(spans) for spans in found) > 100
    assert [[s[:3] for s in spans] for spans in found] == [
        [s[:3] for s in spans] for spans in expected
    ]
    for spans, same in zip(found, expected, strict=True):
        assert [s[3] for s in spans] == pytest.approx([s[3] for s in same], abs=1e-4)


def test_premixed_embeddings_only_predict(premixed, docs):
    with pytest.raises(NotImplementedError):
        premixed.model.get_ref("tok2vec").begin_update(docs[:1])


def test_a_model_without_hash_embeddings_is_left_alone():
    model = Linear(4, 3)
    assert not premix_embeddings(model)
    assert [node.name for node in model.walk()] == ["linear"]
