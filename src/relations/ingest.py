"""Files in, records appended: the ingest job.

Parsing is pure, so with `jobs > 1` it runs in worker processes; results are
taken in file order, so the archive is the same whatever the number of jobs.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date

import orjson

from relations import knowledge
from relations.article.finder import STDIN, find
from relations.article.reader import MAX_BYTES, WEB_SUFFIXES, decode, is_url, read_any
from relations.errors import ArchiveError, RelationsError
from relations.parser import parse
from relations.record import content_key, file_key, id_prefix, long_id, one_id
from relations.store.archive import Archive, dumps
from relations.store.tombstones import Tombstones


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
    skipped: int = 0                 # files in the folders passed over for their suffix
    interrupted: bool = False        # stopped by Ctrl-C: `added` says what was stored
    error: str | None = None         # a write failed after `added` records were stored

    def warn(self, msg: str) -> None:
        """A warning about the archive, once however many times it is read."""
        if msg not in self.warnings:
            self.warnings.append(msg)


# one definition of "the same record" for ingest and the index that answers for it


def parse_file(path: str, default_date: str | None = None, dict_dirs: tuple[str, ...] = (),
               today: date | None = None, raw: bytes | None = None) -> Parsed:
    """Read, parse and serialise one file (or `raw`, the bytes of standard input); every
    user-caused problem comes back as an error string."""
    rec = None
    art = None
    try:
        art = decode(raw, path) if raw is not None else read_any(path)
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


def parsed(todo: list[str], default_date: str | None = None, jobs: int = 1, dict_dirs: tuple[str, ...] = (),
           today: date | None = None, stdin: bytes | None = None) -> Iterator[Parsed]:
    """Each file of `todo` parsed, in order; with jobs > 1 in worker processes."""
    args = [(p, default_date, dict_dirs, today, stdin if p == STDIN else None) for p in todo]
    if jobs > 1 and len(args) > 1:
        from concurrent.futures import ProcessPoolExecutor  # imported only when there is a pool to start

        with ProcessPoolExecutor(max_workers=jobs) as pool:
            yield from pool.map(_star, args, chunksize=max(1, min(64, len(args) // (jobs * 8) or 1)))
    else:
        for a in args:
            yield _star(a)


def outcomes(paths: list[str], default_date: str | None = None, jobs: int = 1,
             dict_dirs: tuple[str, ...] = (), today: date | None = None, stdin: bytes | None = None) -> Iterator[Parsed]:
    """Every article of the paths parsed (the ones that cannot be found first, as errors)."""
    files = find(paths).files
    require_extras([p for p, err in files if err is None])
    for p, err in files:
        if err is not None:
            yield Parsed(p, error=str(err))
    yield from parsed([p for p, err in files if err is None], default_date, jobs, dict_dirs, today, stdin)


def require_extras(paths: list[str]) -> None:
    """Web pages and URLs need the web extra: say so once, before anything is read."""
    if any(p.lower().endswith(WEB_SUFFIXES) or is_url(p) for p in paths):
        from relations.article import fetch, html

        html.require()
        if any(is_url(p) for p in paths):
            fetch.require()


def count_files(paths: list[str]) -> int:
    return len(find(paths).files)


def raw_key(path: str) -> str | None:
    """The SHA-256 of a file's bytes, as its records keep it in source.sha256; None when it cannot be
    read here (the parse then says why)."""
    from relations.digest import sha256

    try:
        if os.path.getsize(path) > MAX_BYTES:
            return None
        with open(path, "rb") as fh:
            return sha256(fh.read(MAX_BYTES + 1)).hexdigest()
    except OSError:
        return None


def _already_stored(archive: Archive, files: list[str], default_date: str | None, stdin: bytes | None,
                    warn: Callable[[str], None]) -> set[str]:
    """The files whose very bytes the archive already holds: they need no parse.

    Read without the writers' lock (readers never need it). With --date the same bytes may make
    another record (the date is the user's), so then every file is parsed as before."""
    if default_date is not None or not files:
        return set()
    from relations.digest import sha256
    from relations.store import index

    with index.Seen(archive, warn) as seen:
        keys = {p: (sha256(stdin).hexdigest() if p == STDIN and stdin is not None else raw_key(p)) for p in files}
        return {p for p, k in keys.items() if k is not None and k in seen.files}


def ingest(paths: list[str], archive: Archive, *, default_date: str | None = None, jobs: int = 1,
           dict_dirs: tuple[str, ...] = (), today: date | None = None,
           progress: Callable[[Parsed], None] | None = None, notify: Callable[[str], None] = lambda m: None,
           timeout: float = 30.0, batch: int = 500, stdin: bytes | None = None, engine=None,
           force: bool = False) -> Summary:
    """Parse every file and append the new records; the archive stays whole whatever fails.

    An article whose record was deleted is not added again, unless `force`.
    Files whose bytes are already stored are counted present unparsed. Parsing runs without the
    writers' lock; the lock is held while a batch is checked against the archive and appended.
    Interrupted (Ctrl-C) or stopped by a write error, the summary still says what was stored.
    `engine` (a `cluster.DaskEngine`) parses elsewhere and yields the same stream as `parsed`."""
    summary = Summary()
    found = find(paths)
    summary.skipped = found.skipped
    good = []
    for p, err in found.files:
        if err is not None:
            summary.failed.append(Parsed(p, error=str(err)))
            if progress:
                progress(summary.failed[-1])
        else:
            good.append(p)
    require_extras(good)
    told = []

    def notify_once(msg: str) -> None:
        if not told:
            told.append(msg)
            notify(msg)

    try:
        archive.refuse_special()  # never parse a folder of files for a path that cannot be an archive
        archive.require_jsonl()
        archive.check_writable()  # a read-only archive is refused even when every file is already in it
        # what the archive says of itself is said once, by the writer under the lock
        stored = _already_stored(archive, good, default_date, stdin, lambda _msg: None)
        summary.present += len(stored)
        pending: list[Parsed] = []
        todo = [p for p in good if p not in stored]
        for out in _stream(todo, default_date, jobs, dict_dirs, today, stdin, engine):
            summary.warnings.extend(out.warnings)
            if out.error:
                summary.failed.append(out)
            else:
                pending.append(out)
                if len(pending) >= batch:
                    _store(archive, pending, summary, timeout, notify_once, force, dict_dirs)
                    pending = []
            if progress:
                progress(out)
        if pending:
            _store(archive, pending, summary, timeout, notify_once, force, dict_dirs)
    except KeyboardInterrupt:
        summary.interrupted = True
    except ArchiveError as exc:
        if not summary.added:
            raise
        summary.error = str(exc)
    return summary


def _stream(todo: list[str], default_date, jobs, dict_dirs, today, stdin, engine) -> Iterator[Parsed]:
    """The files parsed here, or on the engine's cluster (standard input is always read here)."""
    if engine is None:
        yield from parsed(todo, default_date, jobs, dict_dirs, today, stdin)
        return
    if STDIN in todo:
        yield from parsed([STDIN], default_date, 1, dict_dirs, today, stdin)
    rest = [p for p in todo if p != STDIN]
    if rest:
        yield from engine.outcomes(rest, default_date, dict_dirs, today)


def _store(archive: Archive, batch: list[Parsed], summary: Summary, timeout: float,
           notify: Callable[[str], None], force: bool, dict_dirs: tuple[str, ...]) -> None:
    """Under the writers' lock: leave out what the archive holds by now (or deleted), append the rest, index it."""
    from relations.store import index

    with archive.writing(timeout=timeout, notify=notify, warn=summary.warn):
        gone, back = Tombstones.beside(archive.path), set()
        # the archive's ids, what they say (date and text) and the bytes they were read from: set-like views
        # answered by the archive's index (one scan into sets when there is none)
        with index.Seen(archive, summary.warn) as seen:
            lines = _new_lines(batch, seen, gone, back, summary, force)
        start = archive.path.stat().st_size if archive.path.exists() else 0
        n = 0
        try:
            n = archive.append_lines(line for _, line in lines)
        except ArchiveError as exc:
            n = _lines_since(archive, start)  # written whole before the failure
            if summary.added + n:  # the batches before it were written whole and fsynced
                raise ArchiveError(f"{exc}; the {summary.added + n} records written before it are in the archive") from None
            raise
        except KeyboardInterrupt:
            n = _lines_since(archive, start)
            raise
        finally:
            summary.added += n
            summary.added_ids.extend(rid for rid, _ in lines[:n])
        gone.forget(back)
        if n:
            _note_dictionaries(archive, dict_dirs, "ingest", summary.warn, replace=False)
        index.refresh(archive)  # index the lines just written (cheap: only the new tail is read)


def _new_lines(batch: list[Parsed], seen, gone: Tombstones, back: set, summary: Summary,
               force: bool) -> list[tuple[str, bytes]]:
    """The lines of the batch to append: not already held, not deleted before (unless forced)."""
    known, contents, files = seen.ids, seen.contents, seen.files
    lines: list[tuple[str, bytes]] = []
    for out in batch:
        rid, key, fkey, line = out.rid, out.key, out.fkey, out.line
        assert line is not None  # a parsed file always has its line
        dead = gone.of(key, fkey)
        if key in contents or (rid in known and fkey in files):
            summary.present += 1  # the same text, or the same file read again by a changed parser
            continue
        if fkey in files:  # the same bytes with another date: a corrected --date, say
            summary.present += 1
            summary.warnings.append(f"{out.path}: already in the archive as {seen.file_id(fkey)}, with another "
                                    "date; not added again (to store this date: delete that record, then ingest --force)")
            continue
        if dead and not force:
            summary.deleted += 1
            continue
        if dead:
            back.add(dead)
        if rid in known:  # the same short id for another text: make it longer
            rec = orjson.loads(line)
            rec["id"] = rid = long_id(rec)
            line = dumps(rec)
        known.add(rid)
        contents.add(key)
        files.add(fkey)
        lines.append((rid, line))
    return lines


def _lines_since(archive: Archive, start: int) -> int:
    try:
        with open(archive.path, "rb") as fh:
            fh.seek(start)
            return fh.read().count(b"\n")
    except OSError:
        return 0


def preview(paths: list[str], *, default_date: str | None = None, dict_dirs: tuple[str, ...] = (),
            today: date | None = None, stdin: bytes | None = None) -> Iterator[Parsed]:
    """What ingest would make of the files, written nowhere."""
    return outcomes(paths, default_date, 1, dict_dirs, today, stdin)


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
