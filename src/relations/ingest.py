"""Files in, records appended: the ingest job.

Parsing is pure, so with `jobs > 1` it runs in worker processes; results are
taken in file order, so the archive is the same whatever the number of jobs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Callable, Iterator

import orjson

from relations import knowledge
from relations.store.archive import Archive, dumps
from relations.store import index as index_keys
from relations.errors import ArchiveError, QueryError, RelationsError
from relations.parser import parse
from relations.article.reader import WEB_SUFFIXES, discover, is_url, read_any


@dataclass
class Parsed:
    """A parsed file as the writer needs it: the archive line and the keys of the duplicate check.

    Made where the parse ran, so that a worker process sends back bytes rather than a record to
    unpickle, and the one writing process does as little as possible per file."""
    path: str
    line: bytes | None = None
    rid: str = ""
    key: str = ""
    fkey: str = ""
    error: str | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass
class Summary:
    added: int = 0
    present: int = 0
    added_ids: list[str] = field(default_factory=list)   # written whole and fsynced
    failed: list[Parsed] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


# one definition of "the same record" for ingest and the index that answers for it
_content_key = index_keys.content_key
_file_key = index_keys.file_key


def parse_file(path: str, default_date: str | None = None, dict_dirs: tuple[str, ...] = (),
               today: date | None = None) -> Parsed:
    """Read, parse and serialise one file; every user-caused problem comes back as an error string."""
    rec = None
    try:
        art = read_any(path)
        kb = knowledge.load(dict_dirs)
        rec = parse(art.text, art.source, default_date=default_date, kb=kb, today=today)
        return Parsed(path, dumps(rec), rec["id"], _content_key(rec), _file_key(rec), None, art.warnings)
    except RelationsError as exc:
        msg = str(exc)
        return Parsed(path, error=msg if msg.startswith(path) else f"{path}: {msg}",
                      warnings=art.warnings if rec is not None else [])  # a record that cannot be stored


def _long_id(rec: dict) -> str:
    return f"{rec.get('date') or 'undated'}-{_content_key(rec)[:16]}"


def _star(args) -> Parsed:
    return parse_file(*args)


def outcomes(paths: list[str], default_date: str | None = None, jobs: int = 1,
             dict_dirs: tuple[str, ...] = (), today: date | None = None) -> Iterator[Parsed]:
    files = list(discover(paths))
    _require_extras([p for p, err in files if err is None])
    todo = [(p, default_date, dict_dirs, today) for p, err in files if err is None]
    for p, err in files:
        if err is not None:
            yield Parsed(p, error=str(err))
    if jobs > 1 and len(todo) > 1:
        from concurrent.futures import ProcessPoolExecutor  # imported only when there is a pool to start

        with ProcessPoolExecutor(max_workers=jobs) as pool:
            yield from pool.map(_star, todo, chunksize=max(1, min(64, len(todo) // (jobs * 8) or 1)))
    else:
        for args in todo:
            yield _star(args)


def _require_extras(paths: list[str]) -> None:
    """Web pages and URLs need the web extra: say so once, before anything is read."""
    if any(p.endswith(WEB_SUFFIXES) or is_url(p) for p in paths):
        from relations.article import fetch, html

        html.require()
        if any(is_url(p) for p in paths):
            fetch.require()


def count_files(paths: list[str]) -> int:
    return sum(1 for _ in discover(paths))


def ingest(paths: list[str], archive: Archive, *, default_date: str | None = None, jobs: int = 1,
           dict_dirs: tuple[str, ...] = (), today: date | None = None,
           progress: Callable[[Parsed], None] | None = None, notify: Callable[[str], None] = lambda m: None,
           timeout: float = 30.0, batch: int = 500) -> Summary:
    """Parse every file and append the new records; the archive stays whole whatever fails."""
    summary = Summary()
    with archive.writing(timeout=timeout, notify=notify, warn=summary.warnings.append):
        from relations.store import index

        # the archive's ids, what they say (date and text) and the bytes they were read from: set-like views
        # answered by the archive's index (one scan into sets when there is none)
        seen = index.Seen(archive, summary.warnings.append)
        known, contents, files = seen.ids, seen.contents, seen.files
        pending: list[dict] = []
        for out in outcomes(paths, default_date, jobs, dict_dirs, today):
            summary.warnings.extend(out.warnings)
            if out.error:
                summary.failed.append(out)
                if progress:
                    progress(out)
                continue
            rid, key, fkey, line = out.rid, out.key, out.fkey, out.line
            if key in contents or (rid in known and fkey in files):
                summary.present += 1  # the same text, or the same file read again by a changed parser
            else:
                if rid in known:  # the same short id for another text: make it longer
                    rec = orjson.loads(line)
                    rec["id"] = rid = _long_id(rec)
                    line = dumps(rec)
                known.add(rid)
                contents.add(key)
                files.add(fkey)
                pending.append((rid, line))
                if len(pending) >= batch:
                    summary.added += archive.append_lines(line for _, line in pending)
                    summary.added_ids.extend(rid for rid, _ in pending)
                    pending = []
            if progress:
                progress(out)
        if pending:
            summary.added += archive.append_lines(line for _, line in pending)
            summary.added_ids.extend(rid for rid, _ in pending)
        seen.close()
        index.refresh(archive)  # index the lines just written (cheap: only the new tail is read)
    return summary


@dataclass
class Rewrite:
    kept: int = 0
    changed: int = 0
    removed: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def reparse_record(rec: dict, kb) -> dict:
    """The record parsed again from its stored text; its id, date and source stay as they were."""
    body, pub, how = rec["text"], rec.get("date"), rec.get("date_how")
    # the header line was cut from the stored text: put one back so the date is read from it as before
    text = f"date {pub} {body}" if how == "header" and pub else body
    new = parse(text, rec.get("source"), default_date=pub, require_date=False, kb=kb)
    if new["text"] != body:  # the header rules changed: parse the stored text as it is
        new = parse(body, rec.get("source"), default_date=pub, require_date=False, kb=kb)
    new.update(id=rec["id"], date=pub, date_how=how, source=rec.get("source") or new["source"])
    return new


def reparse(archive: Archive, *, dict_dirs: tuple[str, ...] = (), notify: Callable[[str], None] = lambda m: None,
            timeout: float = 30.0) -> Rewrite:
    """Parse every record's stored text again with the current dictionaries; rewrite the archive atomically."""
    out = Rewrite()
    kb = knowledge.load(dict_dirs)

    def again(rec: dict) -> dict:
        try:
            return reparse_record(rec, kb)
        except RelationsError as exc:
            out.failed.append(f"{rec['id']}: {exc}; kept as it was")
            return rec
        except (KeyError, TypeError, ValueError):
            out.failed.append(f"{rec['id']}: not a complete record; kept as it was")
            return rec

    with archive.writing(timeout=timeout, notify=notify, warn=out.warnings.append):
        if not archive.path.exists():
            raise ArchiveError(f"{archive.path}: no such archive")
        out.kept, out.changed, _ = archive.transform(again, out.warnings.append)
    return out


def delete(archive: Archive, record_id: str, *, notify: Callable[[str], None] = lambda m: None,
           timeout: float = 30.0) -> Rewrite:
    """Remove one record (by id, or a prefix matching exactly one id); rewrite the archive atomically."""
    out = Rewrite()
    with archive.writing(timeout=timeout, notify=notify, warn=out.warnings.append):
        if not archive.path.exists():
            raise ArchiveError(f"{archive.path}: no such archive")
        ids = archive.ids(out.warnings.append)
        if record_id in ids:
            target = record_id
        else:
            matches = sorted(i for i in ids if i.startswith(record_id)) if record_id else []
            if not matches:
                raise QueryError(f"no record with id '{record_id}'")
            if len(matches) > 1:
                raise QueryError(f"id prefix '{record_id}' matches {len(matches)} records: {', '.join(matches[:5])}"
                                 + (", …" if len(matches) > 5 else ""))
            target = matches[0]
        out.kept, _, n = archive.transform(lambda r: None if r["id"] == target else r, out.warnings.append)
        out.removed = [target] * n
    return out
