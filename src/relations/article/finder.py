"""Which files of the given paths are articles: a folder's files whose suffix is an article
suffix in any case (`.txt`, `.TXT`), with a count of the files passed over for their suffix.

`-` stands for one article on standard input. Reading the files stays in reader.py.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from relations.article import reader
from relations.errors import InputError

STDIN = "-"


@dataclass
class Found:
    files: list[tuple[str, InputError | None]] = field(default_factory=list)
    skipped: int = 0   # files in the folders whose suffix is not an article's


def _suffixes() -> tuple[str, ...]:
    return tuple(s.lower() for s in reader.SUFFIXES)


def find(paths: list[str]) -> Found:
    """Every article file under the paths, in a stable order (as reader.discover, any case of suffix)."""
    out = Found()
    suffixes = _suffixes()
    for p in paths:
        if p == STDIN:
            out.files.append((p, None))
            continue
        if not os.path.isdir(p):
            out.files.extend(reader.discover([p]))  # a file as given, or the reason it cannot be read
            continue
        found = []
        seen_dirs = set()
        for root, dirs, files in os.walk(p, followlinks=True):
            try:
                st = os.stat(root)
            except OSError:
                continue
            if (st.st_ino, st.st_dev) in seen_dirs:  # a symlink loop
                dirs[:] = []
                continue
            seen_dirs.add((st.st_ino, st.st_dev))
            dirs.sort()
            for f in files:
                if f.startswith("."):
                    continue
                if f.lower().endswith(suffixes):
                    found.append(os.path.join(root, f))
                else:
                    out.skipped += 1
        out.files.extend((f, None) for f in sorted(found))
    return out
