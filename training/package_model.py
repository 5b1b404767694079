"""Copy a trained model into the package (src/sayso/models/), keeping only
what sayso loads at run time.

Usage:
  python training/package_model.py pipeline training/runs/pipeline/model-best
  python training/package_model.py roles training/runs/roles/model-best
  python training/package_model.py roles_lstm training/runs/roles_lstm/model-best

``pipeline`` gains an ``aux_lemmas`` attribute ruler after the lemmatizer:
spaCy's English rule lemmatizer has no tables for auxiliaries ("were" stays
"were"), so their lemmas come from ``configs/aux_lemmas.json``.

``roles`` and ``roles_lstm`` (the second tagger of the pair that sayso
averages) were trained with the shipped pipeline's tagger and parser frozen
inside it (they give its input features); only the role tagger is kept, as
the shipped pipeline provides the rest at run time. A tagger trained by
``distillation.py`` (measured, not shipped: training/README.md) would be
saved as the plain ``ner`` component it is, without its teachers.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
from pathlib import Path

import spacy
from thinc.api import Config

# role tagger configs name sayso.QuoteEmbed.v1 (and sayso.WindowLSTMEncoder.v1)
import sayso.attribution.features  # noqa: F401

HERE = Path(__file__).resolve().parent
MODELS = HERE.parent / "src" / "sayso" / "models"
AUX_LEMMAS = HERE / "configs" / "aux_lemmas.json"
TARGETS = {"pipeline": "en_sayso", "roles": "roles", "roles_lstm": "roles_lstm"}
ROLE_COMPONENT = "roles"
DISTILLED_FACTORY = "sayso_distilled_roles"


def package(kind: str, trained: Path) -> Path:
    with tempfile.TemporaryDirectory() as scratch:
        nlp = spacy.load(_as_plain_ner(trained, Path(scratch) / "plain"))
    if kind == "pipeline" and "aux_lemmas" not in nlp.pipe_names:
        ruler = nlp.add_pipe("attribute_ruler", name="aux_lemmas", after="lemmatizer")
        ruler.add_patterns(json.loads(AUX_LEMMAS.read_text(encoding="utf8")))
    if kind.startswith("roles"):
        for name in list(nlp.pipe_names):
            if name != ROLE_COMPONENT:
                nlp.remove_pipe(name)
    nlp.meta["name"] = TARGETS[kind]
    target = MODELS / TARGETS[kind]
    if target.exists():
        shutil.rmtree(target)
    nlp.to_disk(target)
    return target


def _as_plain_ner(trained: Path, scratch: Path) -> Path:
    """``trained`` itself, or where its role tagger was trained by
    ``distillation.py``, a copy of it with the plain ``ner`` factory in its
    config: the weights are those of a ``ner`` component, and sayso loads
    them without the teachers that only training needs."""
    config = Config().from_disk(trained / "config.cfg", interpolate=False)
    distilled = [
        name
        for name, component in config["components"].items()
        if component.get("factory") == DISTILLED_FACTORY
    ]
    if not distilled:
        return trained
    shutil.copytree(trained, scratch)
    for name in distilled:
        component = config["components"][name]
        component["factory"] = "ner"
        for key in ("teachers", "teacher_weight"):
            component.pop(key, None)
    config.to_disk(scratch / "config.cfg")
    return scratch


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=sorted(TARGETS))
    parser.add_argument("trained", type=Path, help="a spaCy training output, e.g. model-best")
    args = parser.parse_args()
    target = package(args.kind, args.trained)
    size = sum(f.stat().st_size for f in target.rglob("*") if f.is_file()) / 1e6
    print(f"{target}: {size:.1f} MB")


if __name__ == "__main__":
    main()
