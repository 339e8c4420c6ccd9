#!/usr/bin/env bash
# The main job: build corpus -> weak labels -> train -> evaluate -> package (project.yml).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PYTHONHASHSEED=0
# No bytecode files: project.yml declares the code directories as step inputs, and their
# checksums must change only when the source does.
export PYTHONDONTWRITEBYTECODE=1
export PATH="$PWD/.venv/bin:$PATH"
start=$(date +%s)
.venv/bin/python -m spacy project run all . "$@"
echo "main job finished in $(( $(date +%s) - start )) s"
