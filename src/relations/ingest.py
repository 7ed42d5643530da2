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
from relations.store.tombstones import Tombstones
from relations.errors import ArchiveError, QueryError, RelationsError
from relations.parser import parse
from relations.article.reader import WEB_SUFFIXES, discover, is_url, read_any
from relations.record import content_key, file_key, id_prefix, long_id, one_id


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
    deleted: int = 0                                      # articles whose records were deleted: not added again
    failed: list[Parsed] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


# one definition of "the same record" for ingest and the index that answers for it


def parse_file(path: str, default_date: str | None = None, dict_dirs: tuple[str, ...] = (),
               today: date | None = None) -> Parsed:
    """Read, parse and serialise one file; every user-caused problem comes back as an error string."""
    rec = None
    try:
        art = read_any(path)
        kb = knowledge.load(dict_dirs)
        rec = parse(art.text, art.source, default_date=default_date, kb=kb, today=today)
        if "path_bytes" in art.source:  # a file name that is not UTF-8, kept whole
            rec["source"]["path_bytes"] = art.source["path_bytes"]
        return Parsed(path, dumps(rec), rec["id"], content_key(rec), file_key(rec), None, art.warnings)
    except RelationsError as exc:
        msg = str(exc)
        return Parsed(path, error=msg if msg.startswith(path) else f"{path}: {msg}",
                      warnings=art.warnings if rec is not None else [])  # a record that cannot be stored


def _star(args) -> Parsed:
    return parse_file(*args)


def outcomes(paths: list[str], default_date: str | None = None, jobs: int = 1,
             dict_dirs: tuple[str, ...] = (), today: date | None = None) -> Iterator[Parsed]:
    files = list(discover(paths))
    require_extras([p for p, err in files if err is None])
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


def require_extras(paths: list[str]) -> None:
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
           timeout: float = 30.0, batch: int = 500, engine=None,
           force: bool = False) -> Summary:
    """Parse every file and append the new records; the archive stays whole whatever fails.

    An article whose record was deleted is not added again, unless `force`.
    `engine` (a `cluster.DaskEngine`) parses elsewhere and yields the same stream as `outcomes`."""
    summary = Summary()
    with archive.writing(timeout=timeout, notify=notify, warn=summary.warnings.append):
        from relations.store import index

        # the archive's ids, what they say (date and text) and the bytes they were read from: set-like views
        # answered by the archive's index (one scan into sets when there is none)
        seen = index.Seen(archive, summary.warnings.append)
        known, contents, files = seen.ids, seen.contents, seen.files
        gone, back = Tombstones.beside(archive.path), set()
        pending: list[tuple[str, bytes]] = []

        def write(batch_: list) -> None:
            try:
                summary.added += archive.append_lines(line for _, line in batch_)
            except ArchiveError as exc:
                if summary.added:  # the batches before it were written whole and fsynced
                    raise ArchiveError(f"{exc}; the {summary.added} records written before it are in the archive") from None
                raise
            summary.added_ids.extend(rid for rid, _ in batch_)

        stream = (engine.outcomes(paths, default_date, dict_dirs, today) if engine is not None
                  else outcomes(paths, default_date, jobs, dict_dirs, today))
        for out in stream:
            summary.warnings.extend(out.warnings)
            if out.error:
                summary.failed.append(out)
                if progress:
                    progress(out)
                continue
            rid, key, fkey, line = out.rid, out.key, out.fkey, out.line
            assert line is not None  # a parsed file always has its line
            dead = gone.of(key, fkey)
            if key in contents or (rid in known and fkey in files):
                summary.present += 1  # the same text, or the same file read again by a changed parser
            elif fkey in files:  # the same bytes with another date: a corrected --date, say
                summary.present += 1
                summary.warnings.append(f"{out.path}: already in the archive as {seen.file_id(fkey)}, with another "
                                        "date; not added again (to store this date: delete that record, then ingest --force)")
            elif dead and not force:
                summary.deleted += 1
            else:
                if dead:
                    back.add(dead)
                if rid in known:  # the same short id for another text: make it longer
                    rec = orjson.loads(line)
                    rec["id"] = rid = long_id(rec)
                    line = dumps(rec)
                known.add(rid)
                contents.add(key)
                files.add(fkey)
                pending.append((rid, line))
                if len(pending) >= batch:
                    write(pending)
                    pending = []
            if progress:
                progress(out)
        if pending:
            write(pending)
        gone.forget(back)
        if summary.added:
            _note_dictionaries(archive, dict_dirs, "ingest", summary.warnings.append, replace=False)
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
    what: str = ""        # delete: the title of the record removed
    left: int = 0         # delete: further lines with the same id, kept
    keys: tuple[str, str] = ("", "")   # delete: the removed record's content and file keys


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


def reparse_or_keep(rec: dict, kb, failed: Callable[[str], None]) -> dict:
    """`reparse_record`, or the record as it was when it cannot be parsed again (said through `failed`)."""
    try:
        return reparse_record(rec, kb)
    except RelationsError as exc:
        failed(f"{rec['id']}: {exc}; kept as it was")
        return rec
    except (KeyError, TypeError, ValueError):
        failed(f"{rec['id']}: not a complete record; kept as it was")
        return rec


def reparse(archive: Archive, *, dict_dirs: tuple[str, ...] = (), notify: Callable[[str], None] = lambda m: None,
            timeout: float = 30.0, engine=None) -> Rewrite:
    """Parse every record's stored text again with the current dictionaries; rewrite the archive atomically.

    `engine` (a `cluster.DaskEngine`) parses the lines elsewhere, in the same order."""
    out = Rewrite()
    kb = knowledge.load(dict_dirs)
    archive.require()  # before the lock file is made beside a mistyped path
    with archive.writing(timeout=timeout, notify=notify, warn=out.warnings.append):
        archive.require()
        _note_dictionaries(archive, dict_dirs, "reparse", out.warnings.append, replace=False)
        lines = engine.transformer(archive, dict_dirs, out.failed.append) if engine is not None else None
        out.kept, out.changed, _ = archive.transform(lambda rec: reparse_or_keep(rec, kb, out.failed.append),
                                                     out.warnings.append, lines=lines)
        _note_dictionaries(archive, dict_dirs, "reparse", lambda m: None, replace=True)
    return out


def _note_dictionaries(archive: Archive, dict_dirs, doing: str, warn, *, replace: bool) -> None:
    """Say when these dictionaries differ from those that made the records; record them when asked (a
    reparse made every record anew) or when none were recorded yet."""
    from relations.store import provenance

    dirs = knowledge.loader.user_folders(dict_dirs)
    if replace or provenance.remembered(archive.path) is None:
        provenance.remember(archive.path, dirs)
    else:
        provenance.compare(archive.path, dirs, doing, warn)


def delete(archive: Archive, record_id: str, *, notify: Callable[[str], None] = lambda m: None,
           timeout: float = 30.0) -> Rewrite:
    """Remove one record (by id, or a prefix matching exactly one id); rewrite the archive atomically."""
    out = Rewrite()
    archive.require()  # before the lock file is made beside a mistyped path
    with archive.writing(timeout=timeout, notify=notify, warn=out.warnings.append):
        archive.require()
        ids = archive.ids(out.warnings.append)
        if record_id in ids:
            target = record_id
        else:
            p = id_prefix(record_id)
            target = one_id(p, sorted(i for i in ids if i.startswith(p)))
        out.kept, _, _ = archive.transform(_drop_first(target, out), out.warnings.append)
        Tombstones.beside(archive.path).add(target, *out.keys)
    return out


def _drop_first(target: str, out: Rewrite) -> Callable[[dict], dict | None]:
    """A transform dropping the first record with id `target` only: a copy on another line is
    another record, removed by another delete. Notes what went and how many copies are left."""
    def fn(rec: dict) -> dict | None:
        if rec["id"] != target:
            return rec
        if out.removed:
            out.left += 1
            return rec
        out.removed.append(target)
        out.what = rec.get("title") if isinstance(rec.get("title"), str) else ""
        out.keys = (content_key(rec), file_key(rec))
        return None
    return fn
