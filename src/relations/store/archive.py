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
import stat
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import orjson

from relations.errors import ArchiveError

Warn = Callable[[str], None]


def _noop(_: str) -> None:
    pass


SNIFF_BYTES = 1 << 20   # how much of the head `not_jsonl` looks for binary data in, and of one line it parses
SNIFF_LINES = 50

_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"),
          (stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISSOCK, "a socket"))


def _is_object(line: bytes) -> bool:
    try:
        return isinstance(orjson.loads(line), dict)
    except orjson.JSONDecodeError:
        return False


def dumps(rec: dict) -> bytes:
    """One record as one whole line."""
    try:
        return orjson.dumps(rec) + b"\n"
    except (orjson.JSONEncodeError, TypeError) as exc:
        raise ArchiveError(f"record {rec.get('id') if isinstance(rec, dict) else '?'} cannot be stored: {exc}") from None


class Archive:
    """One archive file. A symbolic link is followed once, here: the lock, the index, the temporary
    file of a rewrite and the rename all use the real file, so the link itself is kept."""

    def __init__(self, path: str | os.PathLike):
        self.path = Path(os.path.realpath(path))
        self.lock_path = self.path.with_name(self.path.name + ".lock")
        self.torn_path = self.path.with_name(self.path.name + ".torn")

    # reading ------------------------------------------------------------

    def refuse_special(self) -> None:
        """Refuse, untouched, a path that is not a regular file (a folder, device, FIFO or socket)."""
        try:
            mode = os.stat(self.path).st_mode
        except FileNotFoundError:
            return
        except OSError as exc:
            raise ArchiveError(f"{self.path}: cannot read ({exc.strerror})") from None
        for test, kind in _KINDS:
            if test(mode):
                raise ArchiveError(f"{self.path}: is {kind}, not an archive file; left untouched")

    def require(self) -> None:
        """For a question: the archive must exist (an empty answer from a mistyped path would mislead)."""
        self.refuse_special()
        if not self.path.exists():
            raise ArchiveError(f"{self.path}: no such archive (`relations ingest` creates it)")

    def lines(self, warn: Warn = _noop) -> Iterator[tuple[int, int, bytes]]:
        """(line number, byte offset, raw line ending in a newline) for every complete line.

        A last line without its newline is complete when it holds a whole JSON object."""
        self.refuse_special()
        if not self.path.exists():
            return
        try:
            fh = open(self.path, "rb")
        except OSError as exc:
            raise ArchiveError(f"{self.path}: cannot read ({exc.strerror})") from None
        with fh:
            offset = 0
            for n, line in enumerate(fh, 1):
                if not line.endswith(b"\n"):
                    if _is_object(line):
                        yield n, offset, line + b"\n"
                        return
                    warn(f"{self.path.name}:{n}: incomplete last line ignored (an interrupted write; the next ingest repairs it)")
                    return
                yield n, offset, line
                offset += len(line)

    def unterminated_record(self) -> bool:
        """The file ends in a whole JSON object without its final newline (a hand edit)."""
        try:
            with open(self.path, "rb") as fh:
                size = fh.seek(0, os.SEEK_END)
                if size == 0:
                    return False
                fh.seek(size - 1)
                if fh.read(1) == b"\n":
                    return False
                start = self._tail_start(fh, size)
                fh.seek(start)
                return _is_object(fh.read())
        except OSError:
            return False

    def _head_lines(self) -> Iterator[tuple[bytes, bool]]:
        """The first non-empty lines (at most SNIFF_LINES): (line, ends in a newline). A line longer
        than SNIFF_BYTES comes back as its first SNIFF_BYTES, the rest skipped unread into memory."""
        with open(self.path, "rb") as fh:
            count = 0
            while count < SNIFF_LINES:
                line = fh.readline(SNIFF_BYTES)
                if not line:
                    return
                done = line.endswith(b"\n")
                while not done:
                    more = fh.readline(SNIFF_BYTES)
                    if not more:
                        break
                    done = more.endswith(b"\n")
                if line.strip():
                    count += 1
                    yield line, done

    def not_jsonl(self) -> str | None:
        """Why the file is plainly not a JSON Lines archive at all, or None when it may be one.

        Only the head is read: binary data, or none of its first lines is one whole JSON
        object (a pretty-printed JSON export, a CSV, a text). A first line torn by a crash
        (no newline yet) may still be an archive; a damaged first line followed by records
        is a damaged archive (`damaged_head`), not this.
        """
        self.refuse_special()
        try:
            with open(self.path, "rb") as fh:
                head = fh.read(SNIFF_BYTES)
            if not head.strip():
                return None
            if b"\x00" in head:
                return "binary data"
            for line, done in self._head_lines():
                if _is_object(line) or (not done and line.lstrip().startswith(b"{")):
                    return None
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise ArchiveError(f"{self.path}: cannot read ({exc.strerror})") from None
        return "none of its first lines is one JSON object"

    def damaged_head(self) -> bool:
        """The first line is not a JSON object, though later lines are (checked after `not_jsonl`)."""
        try:
            for line, done in self._head_lines():
                return done and not _is_object(line)
        except OSError:
            return False
        return False

    def require_jsonl(self) -> None:
        """Refuse, untouched, a file that is not JSON Lines (a missing file is a new archive)."""
        reason = self.not_jsonl()
        if reason:
            raise ArchiveError(f"{self.path}: not a JSON Lines archive ({reason})")

    def records(self, warn: Warn = _noop) -> Iterator[dict]:
        """Every readable record; a bad line is skipped with one warning naming it."""
        self.require_jsonl()
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

    def check_writable(self) -> None:
        """A file this process may not write is refused before anything is changed."""
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_NONBLOCK)
        except FileNotFoundError:
            return
        except OSError as exc:
            if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
                raise ArchiveError(f"{self.path}: the archive is read-only ({exc.strerror}); nothing was changed") from None
            raise ArchiveError(f"{self.path}: cannot write ({exc.strerror})") from None
        os.close(fd)

    @contextmanager
    def writing(self, timeout: float = 30.0, notify: Warn = _noop, warn: Warn = _noop):
        """Hold the writers' lock (waiting up to `timeout` seconds), with a repaired tail."""
        self.refuse_special()
        self._check_folder()
        self.check_writable()
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
            self.require_jsonl()  # never cut or append to a file that is not an archive
            if self.damaged_head():
                raise ArchiveError(f"{self.path}:1: the first line is not a record; nothing was written "
                                   "(`relations check` names every damaged line: repair or remove it)")
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

    @staticmethod
    def _tail_start(fh, size: int) -> int:
        """The offset where the last line begins."""
        pos = size
        while pos > 0:
            step = min(65536, pos)
            pos -= step
            fh.seek(pos)
            i = fh.read(step).rfind(b"\n")
            if i >= 0:
                return pos + i + 1
        return 0

    def repair_tail(self, warn: Warn = _noop) -> None:
        """Cut a partial last line left by a crash, keeping it in `*.torn`; a whole JSON object
        without its newline (a hand edit) is a record, and gets the newline instead."""
        if not self.path.exists():
            return
        try:
            self._repair_tail(warn)
        except OSError as exc:
            raise ArchiveError(f"{self.path}: cannot repair its last line ({exc.strerror}); nothing was written") from None

    def _repair_tail(self, warn: Warn) -> None:
        with open(self.path, "rb+") as fh:
            size = fh.seek(0, os.SEEK_END)
            if size == 0:
                return
            fh.seek(size - 1)
            if fh.read(1) == b"\n":
                return
            start = self._tail_start(fh, size)
            fh.seek(start)
            torn = fh.read()
            if _is_object(torn):
                fh.seek(size)
                fh.write(b"\n")
                fh.flush()
                os.fsync(fh.fileno())
                warn(f"{self.path.name}: the last record had no final newline; added one")
                return
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

        Should a write or the fsync fail (disk full, an I/O error), everything this call
        wrote is cut off at once, so the archive holds exactly the records reported written.
        """
        return self.append_lines(dumps(rec) for rec in records)

    def append_lines(self, lines: Iterable[bytes]) -> int:
        """`append` for records already serialised by `dumps` (by the worker that parsed them)."""
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        except OSError as exc:
            raise ArchiveError(f"{self.path}: cannot write ({exc.strerror})") from None
        n, start = 0, None
        try:
            start = os.lseek(fd, 0, os.SEEK_END)
            for line in lines:
                written = os.write(fd, line)
                if written != len(line):
                    self._cut(fd, start)
                    raise ArchiveError(f"{self.path}: short write ({written} of {len(line)} bytes; is the disk full?); "
                                       "nothing of this batch was kept")
                n += 1
            os.fsync(fd)
        except OSError as exc:
            if start is not None:  # all of the batch or none of it: no line is left that was not reported
                self._cut(fd, start)
            raise ArchiveError(f"{self.path}: cannot write ({exc.strerror}); nothing of this batch was kept") from None
        except BaseException:
            if start is not None:
                self._cut(fd, start)
            raise
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
        except OSError as exc:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise ArchiveError(f"{self.path}: cannot rewrite ({exc.strerror}); the archive was not changed") from None
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise
        try:
            dfd = os.open(self.path.parent, os.O_RDONLY)
            try:
                os.fsync(dfd)
            finally:
                os.close(dfd)
        except OSError as exc:
            raise ArchiveError(f"{self.path}: rewritten, but its folder could not be synced ({exc.strerror}); "
                               "the change may not survive a power cut") from None
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
