#!/usr/bin/env bash
# The main job: build corpus -> weak labels -> train -> evaluate -> package (project.yml).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PYTHONHASHSEED=0
# No bytecode files: project.yml declares the code directories as step inputs, and their
# checksums must change only when the source does.
export PYTHONDONTWRITEBYTECODE=1
# One BLAS thread per process: LAC's small matrix products lose time to BLAS threads, and the
# steps that run two processes already use both cores.
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1
export PATH="$PWD/.venv/bin:$PATH"
start=$(date +%s)
.venv/bin/python -m spacy project run all . "$@"
echo "main job finished in $(( $(date +%s) - start )) s"
