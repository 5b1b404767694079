#!/usr/bin/env bash
# Rebuild the shipped English pipeline from ../shared/data, copy it into the
# package and print its model card numbers. Two stages (about an hour on one
# core): all data (gold treebanks + PolNeAR silver), then gold syntax with the
# silver entities only. Extra arguments go to both `spacy train` calls.
set -euo pipefail
cd "$(dirname "$0")/.."
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
python -m pip install -q -e ".[train]"
python training/convert.py
python -m spacy train training/configs/pipeline.cfg --output training/runs/pipeline "$@"
python -m spacy train training/configs/pipeline_finetune.cfg --output training/runs/finetune \
    --paths.stage1 training/runs/pipeline/model-best "$@"
python training/package_model.py pipeline training/runs/finetune/model-best
python training/evaluate_pipeline.py src/sayso/models/en_sayso
