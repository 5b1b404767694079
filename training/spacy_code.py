"""Code for ``spacy train --code``: sayso's layers, and numpy's BLAS.

Importing ``sayso.attribution.features`` registers the role tagger's layers
(``sayso.QuoteEmbed.v1``, ``sayso.WindowLSTMEncoder.v1``); ``context_layer``
beside this file registers ``sayso.ContextTok2Vec.v1``, measured and not
shipped. Training then multiplies matrices with numpy's BLAS instead of
blis, as ``sayso.load`` does at run time (see ``sayso.nlp.use_numpy_blas``):
a run takes about a quarter less time here.
"""

import importlib.util
from pathlib import Path

from thinc.api import NumpyOps, set_current_ops

import sayso.attribution.features  # noqa: F401

# spaCy loads this file by path, so its neighbour is loaded the same way
_spec = importlib.util.spec_from_file_location(
    "sayso_context_layer", Path(__file__).with_name("context_layer.py")
)
_spec.loader.exec_module(importlib.util.module_from_spec(_spec))

set_current_ops(NumpyOps(use_blis=False))
