"""Code for ``spacy train --code``: sayso's layers, and numpy's BLAS.

Importing ``sayso.attribution.features`` registers the role tagger's layers
(``sayso.QuoteEmbed.v1``, ``sayso.WindowLSTMEncoder.v1``). Training then
multiplies matrices with numpy's BLAS instead of blis, as ``sayso.load``
does at run time (see ``sayso.nlp.use_numpy_blas``): a run takes about a
quarter less time here.
"""

from thinc.api import NumpyOps, set_current_ops

import sayso.attribution.features  # noqa: F401

set_current_ops(NumpyOps(use_blis=False))
