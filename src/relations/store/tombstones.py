"""What was deleted, kept beside the archive (`archive.jsonl.deleted`), so that ingesting a folder
again does not bring a deleted record back; `ingest --force` does, on purpose.

The archive stays the source of truth for records: this file only holds, for each deleted record,
its id and the two keys ingest recognises an article by (what it says, the bytes it was read from).
Deleting the file forgets the deletions, nothing else. Only writers (under the archive's lock)
change it, by an atomic rewrite or an fsynced append.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from relations.errors import ArchiveError


@dataclass
class Tombstones:
    path: Path
    contents: dict[str, str] = field(default_factory=dict)   # content key -> id
    files: dict[str, str] = field(default_factory=dict)      # file key -> id

    @classmethod
    def beside(cls, archive_path: Path) -> Tombstones:
        t = cls(archive_path.with_name(archive_path.name + ".deleted"))
        try:
            raw = t.path.read_bytes()
        except FileNotFoundError:
            return t
        except OSError as exc:
            raise ArchiveError(f"{t.path}: cannot read the list of deleted records ({exc.strerror})") from None
        for line in raw.splitlines():
            try:
                e = orjson.loads(line)
            except orjson.JSONDecodeError:
                continue  # a torn line: that deletion is forgotten, nothing worse
            if isinstance(e, dict) and isinstance(e.get("id"), str):
                if isinstance(e.get("ckey"), str):
                    t.contents[e["ckey"]] = e["id"]
                if isinstance(e.get("fkey"), str) and e["fkey"]:
                    t.files[e["fkey"]] = e["id"]
        return t

    def of(self, ckey: str, fkey: str) -> str | None:
        """The id of the deleted record this article was, or None."""
        return self.contents.get(ckey) or (self.files.get(fkey) if fkey else None)

    def add(self, rid: str, ckey: str, fkey: str) -> None:
        line = orjson.dumps({"id": rid, "ckey": ckey, "fkey": fkey}) + b"\n"
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                os.write(fd, line)
                os.fsync(fd)
            finally:
                os.close(fd)
        except OSError as exc:
            raise ArchiveError(f"{self.path}: cannot note the deletion ({exc.strerror}); the record was deleted "
                               "but a folder ingest would add it again") from None
        self.contents[ckey] = rid
        if fkey:
            self.files[fkey] = rid

    def forget(self, rids: set[str]) -> None:
        """Drop the deletions of these ids (their records were brought back): an atomic rewrite."""
        if not rids or not self.path.exists():
            return
        keep = [ln for ln in self.path.read_bytes().splitlines(keepends=True)
                if not _names(ln, rids)]
        tmp = self.path.with_name(self.path.name + f".{os.getpid()}.tmp")
        try:
            with open(tmp, "wb") as fh:
                fh.writelines(keep)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        except OSError as exc:
            try:
                tmp.unlink()
            except OSError:
                pass
            raise ArchiveError(f"{self.path}: cannot update the list of deleted records ({exc.strerror})") from None
        self.contents = {k: v for k, v in self.contents.items() if v not in rids}
        self.files = {k: v for k, v in self.files.items() if v not in rids}


def _names(line: bytes, rids: set[str]) -> bool:
    try:
        e = orjson.loads(line)
    except orjson.JSONDecodeError:
        return False
    return isinstance(e, dict) and e.get("id") in rids
