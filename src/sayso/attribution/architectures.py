"""Model architectures registered with spaCy for sayso's trainable parts.

``sayso.TensorEncoder.v1`` lets a component read the contextual vectors that
the shipped pipeline's ``tok2vec`` already wrote to ``doc.tensor`` (through a
listener; the tok2vec stays frozen) and re-encode them with a few wider
convolution layers, so that a new component costs little beyond the parse.
"""

from __future__ import annotations

from spacy.ml.models.tok2vec import MaxoutWindowEncoder
from spacy.pipeline.tok2vec import Tok2VecListener
from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import Model, chain
from thinc.types import Floats2d


@registry.architectures("sayso.TensorEncoder.v1")
def tensor_encoder(
    width: int, depth: int, window_size: int, maxout_pieces: int
) -> Model[list[Doc], list[Floats2d]]:
    """The upstream tok2vec's vectors (``width`` wide), re-encoded by ``depth``
    residual layers that each see ``window_size`` tokens a side."""
    listener = Tok2VecListener(upstream_name="*", width=width)
    encoder = MaxoutWindowEncoder(
        width=width, window_size=window_size, maxout_pieces=maxout_pieces, depth=depth
    )
    return chain(listener, encoder)
