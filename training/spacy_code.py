"""Code for ``spacy train --code``: sayso's layers, and numpy's BLAS.

Importing ``sayso.attribution.features`` registers the role tagger's layers
(``sayso.QuoteEmbed.v1``, ``sayso.WindowLSTMEncoder.v1``); beside this
file, ``context_layer`` registers ``sayso.ContextTok2Vec.v1``,
``lexical_classes`` ``sayso.QuoteLexEmbed.v1`` and ``distillation`` the role
component ``sayso_distilled_roles`` (``configs/roles_lstm_distilled.cfg``),
all measured and not shipped.
Training then multiplies matrices with numpy's BLAS instead of blis, as
``sayso.load`` does at run time (see ``sayso.nlp.use_numpy_blas``): a run
takes about a quarter less time here.
"""

import importlib.util
from pathlib import Path

from thinc.api import NumpyOps, set_current_ops

import sayso.attribution.features  # noqa: F401

# spaCy loads this file by path, so its neighbours are loaded the same way
for _name in ("context_layer", "lexical_classes", "distillation"):
    _spec = importlib.util.spec_from_file_location(
        f"sayso_{_name}", Path(__file__).with_name(f"{_name}.py")
    )
    _spec.loader.exec_module(importlib.util.module_from_spec(_spec))

set_current_ops(NumpyOps(use_blis=False))
