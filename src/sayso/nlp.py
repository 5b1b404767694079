"""Loading the English pipeline that ships inside the package.

The pipeline (tokenizer, tagger, morphologizer, lemmatizer, parser, ner) is
trained by ``training/train_pipeline.sh`` and copied to
``sayso/models/en_sayso``; see ``training/README.md`` for its model card.
Nothing is ever downloaded.
"""

from __future__ import annotations

from pathlib import Path

import spacy
from spacy.language import Language
from thinc.api import Model, NumpyOps

PIPELINE_DIR = Path(__file__).parent / "models" / "en_sayso"

# Articles longer than spaCy's default limit (1M characters) are still
# parsed: the pipeline's memory grows with the longest sentence, not the text.
MAX_LENGTH = 20_000_000


class PipelineNotFound(RuntimeError):
    """The shipped pipeline is missing from the installation."""


def load(path: str | Path | None = None, *, exclude: tuple[str, ...] = ()) -> Language:
    """Load the shipped English pipeline (or another spaCy pipeline at ``path``).

    Returns a fresh ``Language`` each call.
    """
    where = Path(path) if path is not None else PIPELINE_DIR
    if not (where / "config.cfg").is_file():
        raise PipelineNotFound(
            f"no spaCy pipeline at {where}. Reinstall sayso (`pip install .`), or "
            "rebuild it with `bash training/train_pipeline.sh`."
        )
    nlp = spacy.load(where, exclude=list(exclude))
    use_numpy_blas(nlp)
    nlp.max_length = MAX_LENGTH
    return nlp


def use_numpy_blas(nlp: Language) -> None:
    """Let ``nlp``'s models multiply matrices with numpy's BLAS, not blis.

    thinc's default CPU backend multiplies with blis, which on a recent x86
    CPU runs about a third as fast as the OpenBLAS in numpy's wheels, and
    matrix products are half of sayso's time. The results are the same
    (every prediction on PolNeAR dev). Layers on any other backend (a GPU,
    thinc-apple-ops) are left alone.
    """
    blas = NumpyOps(use_blis=False)
    for _, pipe in nlp.pipeline:
        model = getattr(pipe, "model", None)
        if isinstance(model, Model):
            for node in model.walk():
                if type(node.ops) is NumpyOps and node.ops.use_blis:
                    node.ops = blas
