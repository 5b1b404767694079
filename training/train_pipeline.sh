#!/usr/bin/env bash
# Rebuild the shipped English pipeline from ../shared/data (about 1.5 hours on
# one core), copy it into the package and print its model card numbers.
set -euo pipefail
cd "$(dirname "$0")/.."
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
python -m pip install -q -e ".[train]"
python training/convert.py
python -m spacy train training/configs/pipeline.cfg --output training/runs/pipeline "$@"
python training/package_model.py pipeline training/runs/pipeline/model-best
python training/evaluate_pipeline.py src/sayso/models/en_sayso
