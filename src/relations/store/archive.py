"""The JSON Lines archive: the single source of truth, never left half-written.

Appends write each record as one whole line and fsync before success is
reported; a line torn by a crash is cut off (and kept beside the archive as
`*.torn`) by the next writer; rewrites go through a temporary file and an
atomic rename; a lock file serialises writers while readers never block.
"""

from __future__ import annotations

import errno
import fcntl
import os
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

import orjson

from relations.errors import ArchiveError

Warn = Callable[[str], None]


def _noop(_: str) -> None:
    pass


SNIFF_BYTES = 1 << 20   # how much of the head `not_jsonl` looks at
SNIFF_LINES = 50


def dumps(rec: dict) -> bytes:
    """One record as one whole line."""
    try:
        return orjson.dumps(rec) + b"\n"
    except (orjson.JSONEncodeError, TypeError) as exc:
        raise ArchiveError(f"record {rec.get('id') if isinstance(rec, dict) else '?'} cannot be stored: {exc}") from None


class Archive:
    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self.lock_path = self.path.with_name(self.path.name + ".lock")
        self.torn_path = self.path.with_name(self.path.name + ".torn")

    # reading ------------------------------------------------------------

    def lines(self, warn: Warn = _noop) -> Iterator[tuple[int, int, bytes]]:
        """(line number, byte offset, raw line) for every complete line."""
        if not self.path.exists():
            return
        if self.path.is_dir():
            raise ArchiveError(f"{self.path}: is a folder, not an archive file")
        try:
            fh = open(self.path, "rb")
        except OSError as exc:
            raise ArchiveError(f"{self.path}: cannot read ({exc.strerror})") from None
        with fh:
            offset = 0
            for n, line in enumerate(fh, 1):
                if not line.endswith(b"\n"):
                    warn(f"{self.path.name}:{n}: incomplete last line ignored (an interrupted write; the next ingest repairs it)")
                    return
                yield n, offset, line
                offset += len(line)

    def not_jsonl(self) -> str | None:
        """Why the file is plainly not a JSON Lines archive at all, or None when it may be one.

        Only the head of the file is read: binary data, or no line there that starts
        like a JSON object. A damaged line inside a real archive is not this.
        """
        try:
            with open(self.path, "rb") as fh:
                head = fh.read(SNIFF_BYTES)
        except (FileNotFoundError, IsADirectoryError):
            return None
        except OSError as exc:
            raise ArchiveError(f"{self.path}: cannot read ({exc.strerror})") from None
        if not head.strip():
            return None
        if b"\x00" in head:
            return "binary data"
        lines = [ln.strip() for ln in head.split(b"\n")[:SNIFF_LINES]]
        if any(ln.startswith(b"{") for ln in lines if ln):
            return None
        return "no line starts a JSON object"

    def _require_jsonl(self) -> None:
        reason = self.not_jsonl()
        if reason:
            raise ArchiveError(f"{self.path}: not a JSON Lines archive ({reason})")

    def records(self, warn: Warn = _noop) -> Iterator[dict]:
        """Every readable record; a bad line is skipped with one warning naming it."""
        self._require_jsonl()
        for n, _, line in self.lines(warn):
            if not line.strip():
                continue
            try:
                rec = orjson.loads(line)
            except orjson.JSONDecodeError:
                warn(f"{self.path.name}:{n}: skipped: not valid JSON")
                continue
            if not isinstance(rec, dict) or not isinstance(rec.get("id"), str):
                warn(f"{self.path.name}:{n}: skipped: not a record")
                continue
            yield rec

    def check(self) -> list[str]:
        """Every problem in the archive, as `archive.jsonl:LINE: reason`."""
        from relations.record import validate

        problems: list[str] = []
        seen: dict[str, int] = {}
        reason = self.not_jsonl()
        if reason:
            return [f"{self.path.name}:1: not a JSON Lines archive ({reason})"]
        for n, _, line in self.lines(lambda m: problems.append(m)):
            if not line.strip():
                problems.append(f"{self.path.name}:{n}: empty line")
                continue
            try:
                rec = orjson.loads(line)
            except orjson.JSONDecodeError as exc:
                problems.append(f"{self.path.name}:{n}: not valid JSON ({str(exc).split(':')[0]})")
                continue
            for p in validate(rec):
                problems.append(f"{self.path.name}:{n}: {p}")
            rid = rec.get("id") if isinstance(rec, dict) else None
            if isinstance(rid, str):
                if rid in seen:
                    problems.append(f"{self.path.name}:{n}: id {rid} already on line {seen[rid]}")
                else:
                    seen[rid] = n
        return problems

    def ids(self, warn: Warn = _noop) -> set[str]:
        return {r["id"] for r in self.records(warn)}

    # writing ------------------------------------------------------------

    def _check_folder(self) -> None:
        folder = self.path.parent
        if not folder.exists():
            raise ArchiveError(f"{self.path}: the folder {folder} does not exist")
        if not os.access(folder, os.W_OK):
            raise ArchiveError(f"{self.path}: the folder {folder} is not writable")

    @contextmanager
    def writing(self, timeout: float = 30.0, notify: Warn = _noop, warn: Warn = _noop):
        """Hold the writers' lock (waiting up to `timeout` seconds), with a repaired tail."""
        self._check_folder()
        try:
            fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise ArchiveError(f"{self.lock_path}: cannot create the lock file ({exc.strerror})") from None
        try:
            deadline = time.monotonic() + timeout
            told = False
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except OSError as exc:
                    if exc.errno not in (errno.EAGAIN, errno.EACCES):
                        raise
                    if not told:
                        notify(f"waiting for another process writing {self.path.name} (up to {timeout:g} s)")
                        told = True
                    if time.monotonic() >= deadline:
                        raise ArchiveError(f"{self.path}: another process is still writing after {timeout:g} s; try again later") from None
                    time.sleep(0.05)
            self._require_jsonl()  # never cut or append to a file that is not an archive
            self._remove_stale_temps(warn)
            self.repair_tail(warn)
            yield self
        finally:
            os.close(fd)

    def _remove_stale_temps(self, warn: Warn) -> None:
        """Temporary files of a rewrite that was killed before its rename (only lock holders make them)."""
        for tmp in self.path.parent.glob(self.path.name + ".*.tmp"):
            try:
                tmp.unlink()
                warn(f"{self.path.name}: removed {tmp.name}, left by an interrupted rewrite (the archive was not changed)")
            except OSError:
                pass

    def repair_tail(self, warn: Warn = _noop) -> None:
        """Cut a partial last line left by a crash, keeping it in `*.torn`."""
        if not self.path.exists():
            return
        with open(self.path, "rb+") as fh:
            fh.seek(0, os.SEEK_END)
            size = fh.tell()
            if size == 0:
                return
            fh.seek(size - 1)
            if fh.read(1) == b"\n":
                return
            # find the start of the partial line
            pos = size
            chunk = 65536
            start = 0
            while pos > 0:
                step = min(chunk, pos)
                pos -= step
                fh.seek(pos)
                data = fh.read(step)
                i = data.rfind(b"\n")
                if i >= 0:
                    start = pos + i + 1
                    break
            fh.seek(start)
            torn = fh.read()
            with open(self.torn_path, "ab") as t:
                t.write(torn + b"\n")
                t.flush()
                os.fsync(t.fileno())
            fh.truncate(start)
            fh.flush()
            os.fsync(fh.fileno())
        warn(f"{self.path.name}: cut an incomplete last line ({len(torn)} bytes) left by an interrupted write; saved in {self.torn_path.name}")

    def append(self, records: Iterable[dict]) -> int:
        """Append records, one whole line per `write`, and fsync before returning. Hold `writing()` around it.

        Should a write fail (disk full, an I/O error), the partial line is cut off at
        once, so the archive holds exactly the lines written whole.
        """
        return self.append_lines(dumps(rec) for rec in records)

    def append_lines(self, lines: Iterable[bytes]) -> int:
        """`append` for records already serialised by `dumps` (by the worker that parsed them)."""
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        except OSError as exc:
            raise ArchiveError(f"{self.path}: cannot write ({exc.strerror})") from None
        n = 0
        try:
            end = os.lseek(fd, 0, os.SEEK_END)
            for line in lines:
                try:
                    written = os.write(fd, line)
                except OSError as exc:
                    self._cut(fd, end)
                    raise ArchiveError(f"{self.path}: cannot write ({exc.strerror})") from None
                if written != len(line):
                    self._cut(fd, end)
                    raise ArchiveError(f"{self.path}: short write ({written} of {len(line)} bytes; is the disk full?)")
                end += written
                n += 1
            os.fsync(fd)
        except OSError as exc:
            raise ArchiveError(f"{self.path}: cannot write ({exc.strerror})") from None
        finally:
            os.close(fd)
        return n

    @staticmethod
    def _cut(fd: int, end: int) -> None:
        try:
            os.ftruncate(fd, end)
            os.fsync(fd)
        except OSError:
            pass  # the next writer's repair_tail cuts it instead

    def rewrite(self, lines: Iterable[dict | bytes]) -> int:
        """Replace the archive atomically: a temporary file in the same folder, fsync, rename.

        Items are records, or raw lines (bytes ending in a newline) kept exactly as they
        were. Hold `writing()` around it. A crash at any moment leaves the old archive
        or the new one, whole; a temporary file it leaves behind is removed by the next writer.
        """
        import tempfile

        self._check_folder()
        try:
            fd, tmp = tempfile.mkstemp(prefix=self.path.name + ".", suffix=".tmp", dir=self.path.parent)
        except OSError as exc:
            raise ArchiveError(f"{self.path}: cannot write a temporary file beside it ({exc.strerror})") from None
        n = 0
        try:
            with os.fdopen(fd, "wb") as fh:
                for item in lines:
                    fh.write(item if isinstance(item, bytes) else dumps(item))
                    n += 1
                fh.flush()
                os.fsync(fh.fileno())
            if self.path.exists():
                os.chmod(tmp, self.path.stat().st_mode & 0o7777)
            else:
                os.chmod(tmp, 0o644)
            os.replace(tmp, self.path)
            dfd = os.open(self.path.parent, os.O_RDONLY)
            try:
                os.fsync(dfd)
            finally:
                os.close(dfd)
        except OSError as exc:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise ArchiveError(f"{self.path}: cannot rewrite ({exc.strerror})") from None
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise
        return n

    def transform(self, fn: Callable[[dict], dict | None], warn: Warn = _noop,
                  lines: Callable[[Iterator[tuple[int, int, bytes]]], Iterable[Transformed]] | None = None
                  ) -> tuple[int, int, int]:
        """Rewrite the archive atomically with `fn` applied to every record (None drops it).

        Lines that are not records are kept exactly as they were, with a warning.
        `lines`, when given, does the `transform_line` of every line instead (elsewhere, in order).
        Returns (records kept, records changed, records dropped). Hold `writing()` around it.
        """
        kept = changed = dropped = 0
        done = lines(self.lines(warn)) if lines else (transform_line(n, line, fn) for n, _, line in self.lines(warn))

        def out() -> Iterator[bytes]:
            nonlocal kept, changed, dropped
            for t in done:
                if t.state == "other":
                    if t.line.strip():
                        warn(f"{self.path.name}:{t.n}: not a record; kept as it is")
                elif t.state == "dropped":
                    dropped += 1
                    continue
                else:
                    kept += 1
                    changed += t.state == "changed"
                yield t.line

        self.rewrite(out())
        return kept, changed, dropped


@dataclass
class Transformed:
    """One archive line after `transform`'s function: the line to keep and what happened to it."""
    n: int
    line: bytes
    state: str   # "kept", "changed", "dropped" or "other" (not a record: kept as it is)


def transform_line(n: int, line: bytes, fn: Callable[[dict], dict | None]) -> Transformed:
    try:
        rec = orjson.loads(line)
    except orjson.JSONDecodeError:
        rec = None
    if not isinstance(rec, dict) or not isinstance(rec.get("id"), str):
        return Transformed(n, line, "other")
    new = fn(rec)
    if new is None:
        return Transformed(n, b"", "dropped")
    line2 = dumps(new)
    return Transformed(n, line2, "changed" if line2 != line else "kept")
