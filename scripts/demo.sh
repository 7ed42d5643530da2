#!/usr/bin/env bash
# Set up a virtual environment, ingest the seed articles into a new archive of the
# demo's own (in a fresh temporary folder), print the Vietnam–Cuba timeline, search it,
# and write the timeline as a page and a calendar beside that archive.
# It never touches RELATIONS_ARCHIVE or any archive it did not create.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/relations ] || [ pyproject.toml -nt .venv/bin/relations ]; then
    python3 -m venv .venv
    .venv/bin/python -m pip install --quiet --upgrade pip
    .venv/bin/python -m pip install --quiet -e '.[web,parquet,calendar]'
fi
demo="$(mktemp -d "${TMPDIR:-/tmp}/relations-demo.XXXXXX")"
archive="$demo/archive.jsonl"
echo "demo archive: $archive"
.venv/bin/relations --archive "$archive" ingest seeds/
.venv/bin/relations --archive "$archive" list --format table
.venv/bin/relations --archive "$archive" timeline vietnam cuba --format table
.venv/bin/relations --archive "$archive" search "Viet Nam cybersecurity" --format table
.venv/bin/relations --archive "$archive" timeline vietnam cuba --format html > "$(dirname "$archive")/vietnam-cuba.html"
.venv/bin/relations --archive "$archive" timeline vietnam cuba --format ics > "$(dirname "$archive")/vietnam-cuba.ics"
echo "wrote $(dirname "$archive")/vietnam-cuba.html (open it in a browser) and vietnam-cuba.ics (import it in a calendar)"
