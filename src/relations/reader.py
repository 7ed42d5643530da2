"""From a path on disk to article text: find the files, read them safely.

Everything that can go wrong with a file (missing, binary, too large, not
UTF-8, unreadable) is decided here, before parsing, and reported by name.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from relations.errors import InputError

MAX_BYTES = 10 * 1024 * 1024
SUFFIXES = (".txt",)


@dataclass
class Article:
    text: str
    source: dict
    warnings: list[str] = field(default_factory=list)


def discover(paths: list[str]) -> Iterator[tuple[str, InputError | None]]:
    """Every article file under the given paths, in a stable order; a bad path yields an error."""
    for p in paths:
        path = Path(p)
        if not path.exists():
            yield p, InputError(f"{p}: no such file or folder")
            continue
        if path.is_dir():
            found = []
            seen_dirs = set()
            for root, dirs, files in os.walk(path, followlinks=True, onerror=None):
                try:
                    key = os.stat(root).st_ino, os.stat(root).st_dev
                except OSError:
                    continue
                if key in seen_dirs:  # a symlink loop
                    dirs[:] = []
                    continue
                seen_dirs.add(key)
                dirs.sort()
                for f in files:
                    if f.endswith(SUFFIXES) and not f.startswith("."):
                        found.append(os.path.join(root, f))
            for f in sorted(found):
                yield f, None
        else:
            yield p, None


def read_article(path: str) -> Article:
    """Read one file as article text, or raise InputError saying why not."""
    try:
        size = os.stat(path).st_size
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    if size > MAX_BYTES:
        raise InputError(f"{path}: file is {size / 1e6:.1f} MB, over the {MAX_BYTES // (1024 * 1024)} MB limit for one article")
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise InputError(f"{path}: the file disappeared before it could be read") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder, not a file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    return decode(raw, path)


def decode(raw: bytes, path: str) -> Article:
    """Bytes to text: UTF-8 (with or without BOM), else Windows-1252 with a warning; binary is refused."""
    name = os.path.basename(path)
    if b"\x00" in raw or raw.startswith((b"\x89PNG", b"%PDF", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04")):
        raise InputError(f"{path}: not a text file (binary data)")
    warnings = []
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("cp1252")
            warnings.append(f"{path}: not valid UTF-8; read as Windows-1252")
        except UnicodeDecodeError:
            text = raw.decode("latin-1")
            warnings.append(f"{path}: not valid UTF-8; read as Latin-1")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError(f"{path}: the file is empty")
    source = {"path": path, "name": name, "sha256": hashlib.sha256(raw).hexdigest()}
    return Article(text, source, warnings)
