"""From a path on disk to article text: find the files, read them safely.

Everything that can go wrong with a file (missing, binary, too large, not
UTF-8, unreadable) is decided here, before parsing, and reported by name.
"""

from __future__ import annotations

import errno
import os
import stat
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from relations.article.fetch import is_url
from relations.digest import sha256
from relations.errors import InputError

# The size limits (documented in the README), checked from the size before reading: an article file of
# at most 2,000,000 bytes — the parser's MAX_CHARS, so no file under it decodes to more — and a web page
# (a saved file or a URL's answer) of at most 10 MB, most of it markup that stays out of the story.
MAX_BYTES = 2_000_000
PAGE_MAX_BYTES = 10 * 1024 * 1024
WEB_SUFFIXES = (".html", ".htm")   # saved web pages, read by relations.article.html
SUFFIXES = (".txt",) + WEB_SUFFIXES


@dataclass
class Article:
    text: str
    source: dict
    warnings: list[str] = field(default_factory=list)


def discover(paths: list[str]) -> Iterator[tuple[str, InputError | None]]:
    """Every article file under the given paths, in a stable order; a bad path yields an error."""
    for p in paths:
        if is_url(p):
            yield p, None
            continue
        path = Path(p)
        try:
            os.stat(p)
        except FileNotFoundError:
            why = "a broken symbolic link" if os.path.islink(p) else "no such file or folder"
            yield p, InputError(f"{p}: {why}")
            continue
        except OSError as exc:
            yield p, InputError(f"{p}: {_why(exc)}")
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


def _why(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "a symbolic link loop"
    if isinstance(exc, FileNotFoundError):
        return "the file disappeared before it could be read"
    if isinstance(exc, IsADirectoryError):
        return "is a folder, not a file"
    return f"cannot read ({exc.strerror or exc})"


def _too_big(path: str, size: int, limit: int) -> InputError:
    what = "article" if limit == MAX_BYTES else "page"
    return InputError(f"{path}: file is {size / 1e6:.1f} MB, over the {limit / 1e6:g} MB limit for one {what}")


def read_article(path: str) -> Article:
    """Read one file as article text, or raise InputError saying why not."""
    return decode(read_bytes(path), path)


def read_any(path: str) -> Article:
    """An article from a text file, a saved web page or a URL, by what the path names."""
    if is_url(path):
        from relations.article import fetch

        return fetch.fetch_article(path)
    if path.endswith(WEB_SUFFIXES):
        from relations.article import html

        return html.page_article(read_bytes(path, PAGE_MAX_BYTES), path)
    return read_article(path)


def read_bytes(path: str, limit: int = MAX_BYTES) -> bytes:
    """The raw bytes of one regular file, or InputError saying why not.

    A file over the limit is refused from its size alone; at most limit + 1
    bytes are ever read, even from a file that grows while it is read.
    """
    try:
        st = os.stat(path)
    except OSError as exc:
        raise InputError(f"{path}: {_why(exc)}") from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError(f"{path}: is a folder, not a file")
    if not stat.S_ISREG(st.st_mode):
        raise InputError(f"{path}: not a regular file")
    if st.st_size > limit:
        raise _too_big(path, st.st_size, limit)
    try:
        with open(path, "rb") as fh:
            raw = fh.read(limit + 1)
    except OSError as exc:
        raise InputError(f"{path}: {_why(exc)}") from None
    if len(raw) > limit:
        raise _too_big(path, len(raw), limit)
    return raw


def refuse_binary(raw: bytes, path: str) -> None:
    if b"\x00" in raw or raw.startswith((b"\x89PNG", b"%PDF", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04")):
        raise InputError(f"{path}: not a text file (binary data)")


def decode(raw: bytes, path: str) -> Article:
    """Bytes to text: UTF-8 (with or without BOM), else Windows-1252 with a warning; binary is refused."""
    name = os.path.basename(path)
    refuse_binary(raw, path)
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
    # one form for every character: decomposed accents (macOS, some CMSs) would split names and
    # make the same article a second record
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    if not text:
        raise InputError(f"{path}: the file is empty")
    if not text.strip():
        raise InputError(f"{path}: the file holds only white space")
    source = {"path": shown_path(path), "name": shown_path(name), "sha256": sha256(raw).hexdigest()}
    if source["path"] != path:  # a name that is not UTF-8: its bytes too, so that nothing is lost
        source["path_bytes"] = os.fsencode(path).hex()
    return Article(text, source, warnings)


def shown_path(path: str) -> str:
    """A file name as text JSON can hold: bytes that are not UTF-8 (kept by the file system's
    surrogate escapes) written as `\\xNN`."""
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
