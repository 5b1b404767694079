#!/usr/bin/env bash
# Rebuild the two attribution role taggers that sayso averages (roles.cfg, a
# CNN, about 25 minutes on one core; roles_lstm.cfg, the same with an LSTM on
# top, about 35) from PolNeAR train on top of the shipped pipeline (run
# train_pipeline.sh first when that changes), copy them into the package and
# score sayso on PolNeAR dev.
set -euo pipefail
cd "$(dirname "$0")/.."
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
python training/convert_polnear.py --pipeline src/sayso/models/en_sayso
python -m spacy train training/configs/roles.cfg --output training/runs/roles \
    --paths.pipeline src/sayso/models/en_sayso --code training/spacy_code.py "$@"
python -m spacy train training/configs/roles_lstm.cfg --output training/runs/roles_lstm \
    --paths.pipeline src/sayso/models/en_sayso --code training/spacy_code.py "$@"
python training/package_model.py roles training/runs/roles/model-best
python training/package_model.py roles_lstm training/runs/roles_lstm/model-best
sayso evaluate ../shared/data/polnear/dev.jsonl --baseline textacy
