"""The sentence and paragraph context layer measured for the role tagger
(training/context_layer.py; not in the package)."""

from __future__ import annotations

import numpy
from conftest import training_module
from spacy.util import registry

context_layer = training_module("context_layer")
ContextTok2Vec = context_layer.ContextTok2Vec
context_segments = context_layer.context_segments
_segment_means = context_layer._segment_means


def test_context_segments_number_sentences_and_paragraphs(nlp):
    doc = nlp("The council met. It voted.\n\nThe mayor left.")
    sentences, paragraphs = context_segments(doc)
    by_word = {t.text: (int(sentences[t.i]), int(paragraphs[t.i])) for t in doc}
    assert by_word["council"] == (0, 0)
    assert by_word["voted"] == (1, 0)
    # the line break is a sentence of its own to the parser
    assert by_word["mayor"][0] > 1 and by_word["mayor"][1] == 1


def test_segment_means_and_their_backprop_agree():
    # the means are linear in the vectors: <d, means(x)> == <backprop(d), x>
    rng = numpy.random.default_rng(0)
    vectors = rng.normal(size=(7, 4)).astype("float32")
    segments = numpy.array([0, 0, 0, 1, 1, 2, 2])
    means, backprop = _segment_means(vectors, segments)
    assert numpy.allclose(means[0], vectors[:3].mean(axis=0))
    assert numpy.allclose(means[6], vectors[5:].mean(axis=0))
    d_means = rng.normal(size=means.shape).astype("float32")
    assert numpy.isclose((d_means * means).sum(), (backprop(d_means) * vectors).sum(), rtol=1e-4)


def _context_model(width=16):
    embed = registry.get("architectures", "spacy.MultiHashEmbed.v2")(
        width=width, attrs=["NORM"], rows=[500], include_static_vectors=False
    )
    encode = registry.get("architectures", "spacy.MaxoutWindowEncoder.v2")(
        width=width, window_size=1, maxout_pieces=3, depth=1
    )
    return ContextTok2Vec(embed, encode, width)


def test_the_context_layer_sees_its_sentence_and_paragraph_only(nlp):
    # A CNN of one layer of one word a side: "end" is beyond its reach from
    # the first word. Changing it reaches the first word of its own
    # sentence, and not the first word of the paragraph before.
    text = "Rain fell all day.\n\nThe long report on the old bridge came in at the {}."
    docs = [nlp(text.format(word)) for word in ("end", "start")]
    model = _context_model()
    model.initialize(X=docs)
    first, changed = model.predict(docs)
    rain = 0
    the = [t.i for t in docs[0] if t.text == "The"][0]
    assert numpy.array_equal(first[rain], changed[rain])
    assert not numpy.allclose(first[the], changed[the])
    assert first.shape == (len(docs[0]), 16)


def test_the_context_layer_trains_end_to_end(nlp):
    docs = [nlp("The mayor said the bridge would close."), nlp("Nobody came.")]
    model = _context_model()
    model.initialize(X=docs)
    output, backprop = model.begin_update(docs)
    assert [len(x) for x in output] == [len(d) for d in docs]
    backprop([numpy.ones_like(x) for x in output])
    assert model.predict([]) == []
