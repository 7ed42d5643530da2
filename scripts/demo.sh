#!/usr/bin/env bash
# Set up a virtual environment, ingest the seed articles into a fresh archive
# and print the Vietnam–Cuba timeline.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[web,parquet]'
archive="${RELATIONS_ARCHIVE:-data/archive.jsonl}"
mkdir -p "$(dirname "$archive")"
rm -f "$archive"
.venv/bin/relations --archive "$archive" ingest seeds/
.venv/bin/relations --archive "$archive" list --format table
.venv/bin/relations --archive "$archive" timeline vietnam cuba --format table
