"""Which dictionary folders made an archive's records, kept beside it (`archive.jsonl.dictionaries`).

`reparse` re-parses every stored text with the dictionaries it is given: run without the
`--dictionaries` an ingest used, it would silently drop what only those found (topics, names).
Remembering the folders lets `ingest` and `reparse` say so when they differ.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import orjson


def _path(archive_path: Path) -> Path:
    return archive_path.with_name(archive_path.name + ".dictionaries")


def remembered(archive_path: Path) -> list[str] | None:
    """The folders last recorded for this archive, or None when none were recorded (or the file is odd)."""
    try:
        got = orjson.loads(_path(archive_path).read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return None
    dirs = got.get("dictionaries") if isinstance(got, dict) else None
    return dirs if isinstance(dirs, list) and all(isinstance(d, str) for d in dirs) else None


def remember(archive_path: Path, dirs: list[str]) -> None:
    """Record the folders. A plain write: a reminder torn by a crash reads as none, and never touches a record."""
    try:
        with open(_path(archive_path), "wb") as fh:
            fh.write(orjson.dumps({"dictionaries": dirs}) + b"\n")
    except OSError:
        pass


def compare(archive_path: Path, dirs: list[str], doing: str, warn: Callable[[str], None]) -> None:
    """Warn when this run leaves out a folder that made the archive's records (adding one is a change
    of dictionaries, which is what a reparse is for)."""
    before = remembered(archive_path)
    missing = [d for d in before or [] if d not in dirs]
    if missing:
        warn(f"the archive's records were made with dictionaries {', '.join(missing)}, which this {doing} does "
             "not use: what only they found (topics, names) will be missing (add --dictionaries)")
