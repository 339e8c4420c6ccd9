#!/usr/bin/env bash
# Creates .venv and installs the toolkit with every dependency pinned (constraints.txt).
# Idempotent: a second run only checks that everything is installed.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3.11}
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade "pip==26.3" "setuptools==84.2.1" "wheel==0.48.0"
# torch==2.13.0 is the CPU build on this machine's disk; any other version downloads gigabytes.
.venv/bin/python -m pip install -q -c constraints.txt -e ".[dev,dist]"
