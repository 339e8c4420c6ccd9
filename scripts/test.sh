#!/usr/bin/env bash
# The test suite: installs everything it needs (venv, Debian chromium for the report test).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if ! command -v chromium >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
    || echo "warning: could not install chromium; the browser test will be skipped"
fi
export PYTHONHASHSEED=0
.venv/bin/python -m ruff check .
.venv/bin/python -m pytest -q "$@"
