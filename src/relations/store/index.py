"""A derived index beside the archive, so that a question reads only the lines it needs.

The JSON Lines archive stays the single source of truth. This module keeps a
cache of it in an SQLite file beside it (`archive.jsonl.idx`): for every
record its line number, id, date, the byte offset and length of its line, and
the fields that `list` and `show` filter on (countries, the pairs of parties,
topics, folded actor names). `list` and `show` look up the matching line
numbers there, then read and parse just those lines from the archive, so the
index can only narrow what is read, never change what a record says.

`timeline` is answered from the index alone: for every pair of distinct parties
of a record, each entry `query.record_entries` makes of it is stored as the
JSON line `timeline --format jsonl` prints, in the order `query.timeline` sorts
in (date, rank, id, then line number and position in the record), in runs of a
few KiB of consecutive lines keyed by their first line. A timeline is one range
of runs, written out as they are. A record whose fields are too odd for that (a
date that is not a string, topics that are not a list, ...) marks its pairs,
and a timeline of a marked pair reads the records and asks `query.timeline`.

Freshness. The index remembers the archive's identity (device, inode), how
many bytes of it are indexed, and a hash of sample blocks of that prefix (its
first and last 4 KiB and a few in between). Before every answer: the same file
grown with its indexed prefix unchanged → only the new lines are indexed; any
other change (a rewrite, a truncation, an edit of the sampled bytes, another
index format) → the index is rebuilt. Each line `list` and `show` read back
is checked against the id the index expects, so an edit the samples missed
causes a rebuild there. `timeline` trusts the samples: relations itself only
appends or replaces the archive whole, and another program's in-place edit that
keeps every sampled block (and the size, or else the modification time) goes
unnoticed until the index is deleted.
A missing or unreadable index is rebuilt; where none can be written (a
read-only folder), the answer comes from a full scan, as before. A file that is
plainly not JSON Lines is refused, as a scan refuses it, and gets no index.

Concurrency. Readers never take the archive writers' lock. The index is in
WAL mode: every reader sees one consistent snapshot, an update (done by
whichever process first finds the index stale, in one IMMEDIATE transaction)
never blocks readers, and a crash mid-update leaves the previous snapshot.
Delete the `.idx` file (and its `-wal`/`-shm` companions) only while no
relations command runs; the next command rebuilds it.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from array import array
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING

import orjson

from relations.digest import blake2b as _blake2b
from relations.record import SHOWN_IDS, content_key, file_key, one_id
from relations.store import search

if TYPE_CHECKING:
    from relations.store.archive import Archive

Warn = Callable[[str], None]

VERSION = 13
BLOCK = 4096
SAMPLES = 8            # interior blocks hashed besides the first and the last
BATCH = 2000           # records per executemany batch while indexing
PART = 3850            # bytes of timeline lines per `tl` row, at most (but for one longer line): two to a page
NO_INDEX_ENV = "RELATIONS_NO_INDEX"   # set to 1: answer every question by a full scan


def _noop(_: str) -> None:
    pass


def index_path(archive: Archive):
    return archive.path.with_name(archive.path.name + ".idx")


def _fold_version() -> str:
    """How names are folded: actor names are stored folded, so a change to it forces a rebuild."""
    from relations.text import fold_key

    probe = fold_key("Nguyễn Xuân Phúc – Ministère d'État, Łódź ß Ø")
    return _blake2b(probe.encode(), digest_size=8).hexdigest()


def _entries_version() -> str:
    """What query.record_entries makes of a probe record: the stored timeline lines are its output,
    so a change to it forces a rebuild."""
    from relations.query import record_entries

    probe = {"id": "p", "date": "2020-01-02", "title": "t", "parties": ["A", "B"], "topics": ["x"],
             "event": {"type": "signing", "date": "2020-01-01", "place": "p"},
             "agreements": [{"status": "signed", "kind": "treaty", "text": "a"}, {"status": "planned", "text": "b"}],
             "past_events": [{"date": "1960-12-02", "text": "c"}, {"date": None, "text": "d"}]}
    from relations.grouping import RULES
    from relations.render.output import jsonl_line

    return _blake2b(b"".join(jsonl_line(e) for e in record_entries(probe)), digest_size=8).hexdigest() + RULES


_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(k TEXT PRIMARY KEY, v) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS rec(n INTEGER PRIMARY KEY, id TEXT NOT NULL, date TEXT, sdate TEXT NOT NULL,
                               off INTEGER NOT NULL, len INTEGER NOT NULL, ckey BLOB, fkey);
CREATE TABLE IF NOT EXISTS country(code TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY(code, n)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS pair(a TEXT NOT NULL, b TEXT NOT NULL, n INTEGER NOT NULL,
                                PRIMARY KEY(a, b, n)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS tl(id INTEGER PRIMARY KEY, a TEXT NOT NULL, b TEXT NOT NULL, date TEXT NOT NULL,
                              rank INTEGER NOT NULL, rid TEXT NOT NULL, n INTEGER NOT NULL, seq INTEGER NOT NULL,
                              lines BLOB NOT NULL, ns BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS tlodd(a TEXT NOT NULL, b TEXT NOT NULL, n INTEGER NOT NULL,
                                 PRIMARY KEY(a, b, n)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS topic(topic TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY(topic, n)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS name(nid INTEGER PRIMARY KEY, kind INTEGER NOT NULL, key TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS actor(nid INTEGER NOT NULL, n INTEGER NOT NULL, PRIMARY KEY(nid, n)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS bad(n INTEGER PRIMARY KEY, what TEXT NOT NULL);
"""
_INDEXES = """
CREATE INDEX IF NOT EXISTS rec_id ON rec(id);
CREATE INDEX IF NOT EXISTS rec_date ON rec(sdate DESC, id DESC);
CREATE INDEX IF NOT EXISTS rec_ckey ON rec(ckey);
CREATE INDEX IF NOT EXISTS rec_fkey ON rec(fkey);
CREATE UNIQUE INDEX IF NOT EXISTS name_key ON name(kind, key);
CREATE UNIQUE INDEX IF NOT EXISTS tl_key ON tl(a, b, date, rank, rid, n, seq);
"""
_TABLES = ("meta", "rec", "country", "pair", "tl", "tlodd", "topic", "name", "actor", "bad", "fts")
_TL_ORDER = "date, rank, rid, n, seq"   # query.timeline's sort key, then archive order
_TL_KEY = _TL_ORDER                      # a `tl` row's key: that of its first line
_NS = "q"        # `tl.ns`: for each line, its record's line number << 16 | its position in the record


class Stale(Exception):
    """The index and the archive disagree: rebuild and ask again."""


class Unusable(Exception):
    """No index can be used here (for example a read-only folder): scan instead."""


class Unterminated(Unusable):
    """The archive ends in a whole record without its newline, which the index leaves out: scan (no warning)."""


def _fingerprint(fd: int, size: int) -> str:
    """A hash of sample blocks of the first `size` bytes: head, tail and evenly spaced blocks between."""
    h = _blake2b(digest_size=16)
    h.update(str(size).encode())
    if size <= BLOCK * (SAMPLES + 2):
        h.update(os.pread(fd, size, 0))
        return h.hexdigest()
    starts = [0] + [(size - BLOCK) * k // (SAMPLES + 1) for k in range(1, SAMPLES + 1)] + [size - BLOCK]
    for s in starts:
        h.update(os.pread(fd, BLOCK, s))
    return h.hexdigest()


def _stored_fkey(k: str):
    """A file key as stored: the bytes of a lower-case hex digest (half the size), any other text as it is."""
    if len(k) == 64:
        try:
            b = bytes.fromhex(k)
        except ValueError:
            return k
        if b.hex() == k:
            return b
    return k


def _timeline_rows(rec: dict, record_entries, jsonl_line) -> list[tuple] | None:
    """(date, rank, id, position, JSON line) for each timeline entry of the record, or None when the
    record is too odd for the stored lines and an SQL range to mean what query.timeline means."""
    topics = rec.get("topics")
    if topics and not isinstance(topics, list):
        return None  # `topic in topics` would test a string's substrings or a mapping's keys
    parties = rec.get("parties") or []
    if any(not isinstance(p, str) for p in parties):
        return None
    try:
        entries = record_entries(rec)
        if len(entries) > 0xFFFF:
            return None
        rows = []
        for seq, ((date, rank, rid), e) in enumerate(entries):
            if type(date) is not str or type(rank) is not int or type(rid) is not str:
                return None  # compared as Python values, not as SQL text
            rows.append((date, rank, rid, seq, jsonl_line(e)))
        return rows
    except (AttributeError, TypeError, orjson.JSONEncodeError):
        return None


def _pack(ns: list[int]) -> bytes:
    arr = array(_NS, ns)
    if sys.byteorder == "big":  # pragma: no cover
        arr.byteswap()
    return arr.tobytes()


def _unpack(blob: bytes) -> array:
    arr = array(_NS)
    arr.frombytes(blob)
    if sys.byteorder == "big":  # pragma: no cover
        arr.byteswap()
    return arr


def _split(lines: bytes) -> list[bytes]:
    """The JSON lines of one `tl.lines` (JSON escapes every newline inside a line)."""
    return [ln + b"\n" for ln in lines.split(b"\n")[:-1]]


def _keys(rec: dict, fold_key):
    """What the index stores about one record: (date, countries, pairs, topics, names)."""
    date = rec.get("date")
    date = date if isinstance(date, str) else None
    parties = rec.get("parties")
    parties = {p for p in parties if isinstance(p, str)} if isinstance(parties, list) else set()
    codes = set(parties)
    names = []
    actors = rec.get("actors")
    for a in actors if isinstance(actors, list) else ():
        if not isinstance(a, dict):
            continue
        kind = a.get("kind")
        if kind == "country":
            if isinstance(a.get("code"), str):
                codes.add(a["code"])
        elif kind in ("person", "organization"):
            name = a.get("name")
            names.append((0, fold_key(name if isinstance(name, str) else "")))
            acr = a.get("acronym")
            if acr and isinstance(acr, str):
                names.append((1, fold_key(acr)))
    ps = sorted(parties)
    pairs = [(x, y) for i, x in enumerate(ps) for y in ps[i:]]
    topics = rec.get("topics")
    topics = {t for t in topics if isinstance(t, str)} if isinstance(topics, list) else set()
    return date, codes, pairs, topics, names


def _runs(a: str, b: str, entries: list[tuple]) -> Iterator[tuple]:
    """The `tl` rows for the (key, line) entries of one pair, in key order: runs of up to PART bytes,
    each keyed by its first line."""
    start, size = 0, 0
    for i, (_, line) in enumerate(entries):
        if size and size + len(line) > PART:
            yield _run(a, b, entries[start:i])
            start, size = i, 0
        size += len(line)
    if entries:
        yield _run(a, b, entries[start:])


def _run(a: str, b: str, entries: list[tuple]) -> tuple:
    return (a, b, *entries[0][0], b"".join([ln for _, ln in entries]),
            _pack([k[3] << 16 | k[4] for k, _ in entries]))


_TL_INSERT = "INSERT INTO tl(a, b, date, rank, rid, n, seq, lines, ns) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"


def _write_timeline(conn: sqlite3.Connection, rows: Iterable[tuple]) -> None:
    """Store (a, b, date, rank, id, n, position, line) rows, given in key order, as the runs of each pair."""
    out: list[tuple] = []
    pair: tuple[str, str] | None = None
    entries: list[tuple] = []
    for a, b, date, rank, rid, n, seq, line in rows:
        if (a, b) != pair:
            out.extend(_runs(*pair, entries) if pair else ())
            pair, entries = (a, b), []
        entries.append(((date, rank, rid, n, seq), line))
        if len(entries) >= 4 * BATCH:
            runs = list(_runs(a, b, entries))
            out.extend(runs[:-1])  # the last run may grow: keep it open
            first = runs[-1][2:7]
            entries = [e for e in entries if e[0] >= first]
        if len(out) >= BATCH:
            conn.executemany(_TL_INSERT, out)
            out.clear()
    out.extend(_runs(*pair, entries) if pair else ())
    conn.executemany(_TL_INSERT, out)


def _entries_of(lines: bytes, ns: bytes) -> list[tuple]:
    """The (key, line) entries of a stored run (a line's date, rank and id are read back from the line)."""
    from relations.query import _kind_rank

    loads = orjson.loads
    out = []
    for line, v in zip(_split(lines), _unpack(ns)):
        e = loads(line)
        out.append(((e["date"], _kind_rank(e["kind"]), e["record"], v >> 16, v & 0xFFFF), line))
    return out


def _merge_timeline(conn: sqlite3.Connection, tls: list[tuple]) -> None:
    """Add (a, b, date, rank, id, n, position, line) rows: each line goes into the run with the greatest
    first key not above its own (or the pair's first run), and that run is stored again, cut anew."""
    q = conn.execute
    by_run: dict[tuple, list] = {}
    for a, b, date, rank, rid, n, seq, line in tls:
        key = (date, rank, rid, n, seq)
        row = q(f"SELECT id FROM tl WHERE a = ? AND b = ? AND ({_TL_KEY}) <= (?, ?, ?, ?, ?) ORDER BY a DESC, "
                "b DESC, date DESC, rank DESC, rid DESC, n DESC, seq DESC LIMIT 1", (a, b, *key)).fetchone()
        if row is None:  # before every run of the pair: into its first one
            row = q(f"SELECT id FROM tl WHERE a = ? AND b = ? ORDER BY a, b, {_TL_KEY} LIMIT 1", (a, b)).fetchone()
        by_run.setdefault((a, b, row[0] if row else None), []).append((key, line))
    for (a, b, rowid), new in by_run.items():
        old = []
        if rowid is not None:
            lines, ns = q("SELECT lines, ns FROM tl WHERE id = ?", (rowid,)).fetchone()
            old = _entries_of(lines, ns)
            q("DELETE FROM tl WHERE id = ?", (rowid,))
        conn.executemany(_TL_INSERT, _runs(a, b, sorted(old + new, key=_first)))


def _first(pair):
    return pair[0]


class Index:
    """An open index over one archive. Use `with Index(archive) as ix:`; every method keeps it fresh."""

    def __init__(self, archive: Archive, warn: Warn = _noop):
        self.archive = archive
        self.warn = warn
        self.path = index_path(archive)
        self.conn: sqlite3.Connection | None = None
        self.fd: int | None = None
        self.partial = False     # the archive ends in an incomplete line, not indexed
        self.lines = 0           # complete lines indexed
        self._names: dict[tuple[int, str], int] = {}

    @property
    def db(self) -> sqlite3.Connection:
        """The open connection (methods past opening may rely on it)."""
        assert self.conn is not None, "the index is not open"
        return self.conn

    @property
    def handle(self) -> int:
        """The open archive file descriptor."""
        assert self.fd is not None, "the archive is not open"
        return self.fd

    # opening ------------------------------------------------------------

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None

    def _connect(self) -> sqlite3.Connection:
        if self.conn is not None:
            return self.conn
        if not os.access(self.path.parent, os.W_OK) and not self.path.exists():
            raise Unusable(f"cannot create {self.path.name} in {self.path.parent}")
        for attempt in range(2):
            conn = None
            try:
                conn = sqlite3.connect(self.path, isolation_level=None, timeout=120.0, check_same_thread=False)
                conn.execute("PRAGMA page_size=8192")  # a new file only: timeline parts stay on their page
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=NORMAL")
                conn.execute("PRAGMA journal_size_limit=67108864")
                conn.execute("PRAGMA cache_size=-32768")
                conn.execute("PRAGMA temp_store=FILE")
                self.conn = conn
                return conn
            except sqlite3.OperationalError as exc:
                if conn is not None:
                    conn.close()
                raise Unusable(f"{self.path.name}: {exc}") from None
            except sqlite3.DatabaseError as exc:  # not a database: it is only a cache, start a new one
                if conn is not None:
                    conn.close()
                if attempt:
                    raise Unusable(f"{self.path.name}: {exc}") from None
                self._reset_file()
        raise Unusable(self.path.name)

    def _reset_file(self) -> None:
        """The index file is not a database: start a new one (it is only a cache)."""
        if self.conn is not None:
            self.conn.close()
            self.conn = None
        for suffix in ("", "-wal", "-shm", "-journal"):
            try:
                os.unlink(str(self.path) + suffix)
            except FileNotFoundError:
                pass
            except OSError as exc:
                raise Unusable(f"cannot replace {self.path.name}: {exc.strerror}") from None

    def _open_archive(self) -> int | None:
        """A file descriptor on the archive as it is now (reopened when the file was replaced)."""
        path = self.archive.path
        try:
            st = os.stat(path)
        except FileNotFoundError:
            if self.fd is not None:
                os.close(self.fd)
                self.fd = None
            return None
        if self.fd is not None:
            fst = os.fstat(self.fd)
            if (fst.st_dev, fst.st_ino) == (st.st_dev, st.st_ino):
                return self.fd
            os.close(self.fd)
            self.fd = None
        self.archive.refuse_special()  # never open a FIFO (it blocks) nor put an index beside a device
        self.fd = os.open(path, os.O_RDONLY)
        return self.fd

    # freshness ----------------------------------------------------------

    def _meta(self) -> dict:
        try:
            return dict(self.db.execute("SELECT k, v FROM meta"))
        except sqlite3.OperationalError:
            return {}

    def _state(self, meta: dict) -> tuple[str, int]:
        """('fresh' | 'grown' | 'rebuild', archive size)."""
        fd = self.handle
        st = os.fstat(fd)
        self._st = st
        if meta.get("version") != VERSION:
            return "rebuild", st.st_size
        if (meta.get("dev"), meta.get("ino")) != (st.st_dev, st.st_ino):
            return "rebuild", st.st_size
        covered = meta.get("covered", -1)
        if not isinstance(covered, int) or st.st_size < covered:
            return "rebuild", st.st_size
        if st.st_size == meta.get("size") and st.st_mtime_ns != meta.get("mtime"):
            return "rebuild", st.st_size  # not grown, yet written: edited in place
        if _fingerprint(fd, covered) != meta.get("fingerprint"):
            return "rebuild", st.st_size
        if st.st_size == covered:
            return "fresh", st.st_size
        # grown: are there complete new lines, or only a torn one?
        pos = covered
        while pos < st.st_size:
            chunk = os.pread(fd, min(1 << 20, st.st_size - pos), pos)
            if not chunk:
                break
            if b"\n" in chunk:
                return "grown", st.st_size
            pos += len(chunk)
        return "fresh", st.st_size  # only an incomplete last line beyond the index

    def ensure(self, keep_open: bool = False) -> bool:
        """Bring the index up to date with the archive; False when there is no archive.

        With keep_open, return inside a read transaction on the fresh snapshot (end it with `_end`)."""
        if os.environ.get(NO_INDEX_ENV) == "1":
            raise Unusable("disabled by " + NO_INDEX_ENV)
        for attempt in range(4):
            fd = self._open_archive()
            if fd is None:
                return False
            try:
                if not self.path.exists():
                    self.archive.require_jsonl()  # refused as a scan refuses it, before an index is made
                conn = self._connect()
                old = self._meta().get("version")
                if old is not None and old != VERSION:  # another format: a new file
                    self._reset_file()
                    conn = self._connect()
                conn.execute("BEGIN")
                state = None
                try:
                    meta = self._meta()
                    state, size = self._state(meta)
                finally:
                    if state != "fresh" or not keep_open:
                        conn.execute("COMMIT")
                if state == "fresh":
                    self.partial = size > meta["covered"]
                    self.lines = meta["lines"]
                    return True
                self._update()
            except sqlite3.OperationalError as exc:
                self._end()
                raise Unusable(f"{self.path.name}: {exc}") from None
            except sqlite3.DatabaseError as exc:  # not a database, malformed: it is only a cache
                self._end()
                if attempt >= 2:
                    raise Unusable(f"{self.path.name}: {exc}") from None
                self._reset_file()
        raise Unusable(f"{self.path.name}: the archive keeps changing")

    def _update(self, rebuild: bool = False) -> None:
        conn = self._connect()
        conn.execute("BEGIN IMMEDIATE")  # one updater at a time; readers go on reading the last snapshot
        try:
            meta = self._meta()
            state, size = self._state(meta)  # another process may have done it meanwhile
            if state == "fresh" and not rebuild:
                conn.execute("COMMIT")
                return
            fold, entries = _fold_version(), _entries_version()
            if state == "rebuild" or rebuild or meta.get("fold") != fold or meta.get("entries") != entries:
                self.archive.require_jsonl()
                self._create(conn)
                start, line_no = 0, 0
            else:
                start, line_no = meta["covered"], meta["lines"]
            covered, lines = self._index_lines(conn, start, line_no, size, bulk=(start == 0))
            if start == 0:
                for stmt in _INDEXES.strip().split(";"):
                    if stmt.strip():
                        conn.execute(stmt)
            st = self._st  # as seen before reading: a write during the update shows as growth next time
            meta = {"version": VERSION, "fold": fold, "entries": entries, "dev": st.st_dev, "ino": st.st_ino,
                    "size": st.st_size, "mtime": st.st_mtime_ns, "covered": covered, "lines": lines,
                    "fingerprint": _fingerprint(self.handle, covered)}
            conn.executemany("INSERT OR REPLACE INTO meta(k, v) VALUES (?, ?)", meta.items())
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        if start == 0:
            try:
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except sqlite3.DatabaseError:
                pass

    def _create(self, conn: sqlite3.Connection) -> None:
        for t in _TABLES:
            conn.execute(f"DROP TABLE IF EXISTS {t}")
        for stmt in _SCHEMA.strip().split(";"):
            if stmt.strip():
                conn.execute(stmt)
        from relations.store import events

        events.create(conn)  # the grouping of reports into happenings, derived with the rest
        search.create(conn)
        self._names.clear()

    def _name_id(self, conn: sqlite3.Connection, key: tuple[int, str]) -> int:
        nid = self._names.get(key)
        if nid is None:
            row = conn.execute("SELECT nid FROM name WHERE kind = ? AND key = ?", key).fetchone()
            if row is None:
                new = conn.execute("INSERT INTO name(kind, key) VALUES (?, ?)", key).lastrowid
                assert new is not None
                nid = new
            else:
                nid = row[0]
            if len(self._names) > 200_000:
                self._names.clear()
            self._names[key] = nid
        return nid

    def _index_lines(self, conn, start: int, line_no: int, size: int, bulk: bool) -> tuple[int, int]:
        """Index the complete lines in [start, size); return (bytes covered, lines covered)."""
        from relations.query import record_entries
        from relations.render.output import jsonl_line
        from relations.text import fold_key

        if bulk:
            # name_key is created after the bulk load; look names up in memory meanwhile
            conn.execute("CREATE UNIQUE INDEX IF NOT EXISTS name_key ON name(kind, key)")
            # timeline lines arrive in archive order: collected apart, then written once in key order
            conn.execute("DROP TABLE IF EXISTS temp.tlstage")
            conn.execute("CREATE TEMP TABLE tlstage(a, b, date, rank, rid, n, seq, line)")
        recs: list[tuple] = []
        countries: list[tuple] = []
        pairs: list[tuple] = []
        tls: list[tuple] = []
        odds: list[tuple] = []
        topics: list[tuple] = []
        actors: list[tuple] = []
        bads: list[tuple] = []
        from relations.store.events import Grouper

        grouper = Grouper(conn, bulk)
        texts: list[tuple] = []

        def flush():
            conn.executemany("INSERT INTO rec(n, id, date, sdate, off, len, ckey, fkey) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                             recs)
            conn.executemany("INSERT OR IGNORE INTO country(code, n) VALUES (?, ?)", countries)
            conn.executemany("INSERT OR IGNORE INTO pair(a, b, n) VALUES (?, ?, ?)", pairs)
            if bulk:
                conn.executemany("INSERT INTO temp.tlstage(a, b, date, rank, rid, n, seq, line) "
                                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", tls)
            else:
                _merge_timeline(conn, tls)
            conn.executemany("INSERT OR IGNORE INTO tlodd(a, b, n) VALUES (?, ?, ?)", odds)
            conn.executemany("INSERT OR IGNORE INTO topic(topic, n) VALUES (?, ?)", topics)
            conn.executemany("INSERT OR IGNORE INTO actor(nid, n) VALUES (?, ?)", actors)
            conn.executemany("INSERT OR REPLACE INTO bad(n, what) VALUES (?, ?)", bads)
            conn.executemany(search.INSERT, texts)
            for lst in (recs, countries, pairs, tls, odds, topics, actors, bads, texts):
                lst.clear()
            grouper.flush()

        offset = start
        with os.fdopen(os.dup(self.handle), "rb", buffering=1 << 20) as fh:
            fh.seek(start)
            while offset < size:
                line = fh.readline(size - offset)
                if not line.endswith(b"\n"):
                    break  # an incomplete last line: not indexed, reported by readers
                line_no += 1
                n, off = line_no, offset
                offset += len(line)
                if not line.strip():
                    continue
                try:
                    rec = orjson.loads(line)
                except orjson.JSONDecodeError:
                    bads.append((n, "not valid JSON"))
                    continue
                if not isinstance(rec, dict) or not isinstance(rec.get("id"), str):
                    bads.append((n, "not a record"))
                    continue
                date, codes, prs, tps, names = _keys(rec, fold_key)
                recs.append((n, rec["id"], date, date or "", off, len(line), bytes.fromhex(content_key(rec)),
                             _stored_fkey(file_key(rec))))
                countries.extend((c, n) for c in codes)
                pairs.extend((a, b, n) for a, b in prs)
                if len(prs) > 1:
                    rows = _timeline_rows(rec, record_entries, jsonl_line) if n <= 0xFFFFFFFF else None
                    for a, b in prs:
                        if a == b:
                            continue
                        if rows is None:
                            odds.append((a, b, n))
                        else:
                            tls.extend((a, b, d, rank, rid, n, seq, ln) for d, rank, rid, seq, ln in rows)
                topics.extend((t, n) for t in tps)
                texts.append(search.row(rec, n))
                actors.extend((self._name_id(conn, k), n) for k in set(names))
                grouper.add(n, rec)
                if len(recs) >= BATCH:
                    flush()
        flush()
        grouper.finish()
        if bulk:
            _write_timeline(conn, conn.execute(f"SELECT a, b, {_TL_ORDER}, line FROM temp.tlstage "
                                               f"ORDER BY a, b, {_TL_ORDER}"))
            conn.execute("DROP TABLE temp.tlstage")
            search.optimise(conn)
        return offset, line_no

    # reading ------------------------------------------------------------

    def _warn_problems(self) -> None:
        name = self.archive.path.name
        for n, what in self.db.execute("SELECT n, what FROM bad ORDER BY n"):
            self.warn(f"{name}:{n}: skipped: {what}")

    def _warn_partial(self) -> None:
        if self.partial:
            self.warn(f"{self.archive.path.name}:{self.lines + 1}: incomplete last line ignored "
                      "(an interrupted write; the next ingest repairs it)")

    def _read(self, rows: Iterable[tuple]) -> Iterator[dict]:
        """The records at (n, off, len, id) rows, each checked against the id the index expects."""
        fd = self.handle
        for _n, off, length, rid in rows:
            line = os.pread(fd, length, off)
            if len(line) != length or not line.endswith(b"\n"):
                raise Stale("line moved")
            try:
                rec = orjson.loads(line)
            except orjson.JSONDecodeError:
                raise Stale("line changed") from None
            if not isinstance(rec, dict) or rec.get("id") != rid:
                raise Stale("line changed")
            yield rec

    def _snapshot(self) -> bool:
        """Open a read transaction on a fresh index; warn about skipped lines as a scan would."""
        if not self.ensure(keep_open=True):
            return False
        if self.partial and self.archive.unterminated_record():
            raise Unterminated("the last record has no final newline")
        self._warn_problems()
        return True

    def _end(self) -> None:
        if self.conn is not None and self.conn.in_transaction:
            self.db.execute("COMMIT")

    def select(self, *, since=None, until=None, codes=(), topic=None, actor=None,
               limit: int | None = None) -> Iterator[dict]:
        """Records matching the `list` filters, newest first (as query.newest_first(query.select(...)))."""
        where, args = [], []
        if since or until:
            where.append("r.date IS NOT NULL")
        if since:  # or a year or month that holds `since` (query.in_range)
            from relations.query import coarser

            wider = coarser(since)
            where.append("(r.sdate >= ?" + "".join(" OR r.sdate = ?" for _ in wider) + ")")
            args.extend([since, *wider])
        if until:
            where.append("r.sdate < ?")
            args.append(_successor(until))
        filters = []
        for c in dict.fromkeys(codes):
            filters.append(("country", "SELECT n FROM country WHERE code = ?", [c]))
        if topic:
            filters.append(("topic", "SELECT n FROM topic WHERE topic = ?", [topic]))
        if actor:
            from relations.text import fold_key

            if self._meta().get("fold") != _fold_version():
                raise Stale("names folded otherwise")
            needle = fold_key(actor)
            filters.append(("actor", "SELECT a.n FROM name m JOIN actor a ON a.nid = m.nid "
                                     "WHERE (m.kind = 0 AND instr(' ' || m.key || ' ', ?) > 0) OR (m.kind = 1 AND m.key = ?)",
                            [f" {needle} ", needle]))  # whole words, as query.actor_matches
        order = " ORDER BY r.sdate DESC, r.id DESC, r.n"
        lim = f" LIMIT {int(limit)}" if limit else ""
        # drive from the rarest filter when it is rare; otherwise walk the date index newest first
        driver = None
        for f in filters:
            cnt = self.db.execute(f"SELECT count(*) FROM ({f[1]} LIMIT 20000)", f[2]).fetchone()[0]
            if cnt < 20000 and (driver is None or cnt < driver[0]):
                driver = (cnt, f)
        if driver is not None:
            f = driver[1]
            rest = [g for g in filters if g is not f]
            sql = (f"SELECT r.n, r.off, r.len, r.id FROM rec r WHERE r.n IN ({f[1]})"
                   + "".join(f" AND r.n IN ({g[1]})" for g in rest)
                   + "".join(f" AND {w}" for w in where) + order + lim)
            params = f[2] + [a for g in rest for a in g[2]] + args
        else:
            exists = {"country": "EXISTS (SELECT 1 FROM country c WHERE c.code = ? AND c.n = r.n)",
                      "topic": "EXISTS (SELECT 1 FROM topic t WHERE t.topic = ? AND t.n = r.n)"}
            conds = list(where)
            params = list(args)
            for kind, sub, a in filters:
                if kind in exists:
                    conds.append(exists[kind])
                else:
                    conds.append(f"r.n IN ({sub})")
                params.extend(a)
            sql = ("SELECT r.n, r.off, r.len, r.id FROM rec r INDEXED BY rec_date"
                   + (" WHERE " + " AND ".join(conds) if conds else "") + order + lim)
        return self._read(self.db.execute(sql, params))

    def pair_records(self, a: str, b: str) -> Iterator[dict]:
        """Records whose parties include both a and b, in archive order."""
        x, y = sorted((a, b))
        sql = "SELECT r.n, r.off, r.len, r.id FROM pair p JOIN rec r ON r.n = p.n WHERE p.a = ? AND p.b = ?"
        return self._read(self.db.execute(sql + " ORDER BY p.n", [x, y]))

    def timeline_lines(self, a: str, b: str, since=None, until=None, topic=None) -> list[bytes]:
        """query.timeline's entries as the JSON lines `timeline` prints, in pieces of whole lines: one range
        of the stored lines, or, for a pair with an odd record (or a country with itself), query.timeline
        over its records."""
        x, y = sorted((a, b))
        q = self.db.execute
        if self._meta().get("entries") != _entries_version():
            raise Stale("timeline entries made otherwise")
        if x != y and q("SELECT 1 FROM tlodd WHERE a = ? AND b = ? LIMIT 1", (x, y)).fetchone() is None:
            return self._stored_timeline(x, y, since, until, topic)
        from relations import query
        from relations.render.output import jsonl_line

        return [jsonl_line(e) for e in query.timeline(self.pair_records(a, b), a, b, since=since,
                                                      until=until, topic=topic)]

    def _stored_timeline(self, x: str, y: str, since, until, topic) -> list[bytes]:
        q = self.db.execute
        q("PRAGMA mmap_size=2147418112")  # the pair's runs are read in place, not copied page by page
        whole = not (since or until or topic)
        sql, params = f"SELECT lines{'' if whole else ', ns, date'} FROM tl WHERE a = ? AND b = ?", [x, y]
        low = since[:4] if since else None  # a line dated only by the year or month of `since` touches it
        if since:  # from the run holding the first line dated `low` or later
            first = q(f"SELECT {_TL_KEY} FROM tl WHERE a = ? AND b = ? AND date < ? ORDER BY a DESC, b DESC, "
                      "date DESC, rank DESC, rid DESC, n DESC, seq DESC LIMIT 1", (x, y, low)).fetchone()
            if first is not None:
                sql += f" AND ({_TL_KEY}) >= (?, ?, ?, ?, ?)"
                params.extend(first)
            else:
                sql += " AND date >= ?"
                params.append(low)
        if until:
            end = _successor(until)
            sql += " AND date < ?"
            params.append(end)
        rows = q(f"{sql} ORDER BY a, b, {_TL_KEY}", params).fetchall()
        if whole:
            return [lines for lines, in rows]
        having = None
        if topic:
            having = {n for n, in q("SELECT t.n FROM pair p JOIN topic t ON t.topic = ? AND t.n = p.n "
                                    "WHERE p.a = ? AND p.b = ?", (topic, x, y))}
        from relations.query import in_range

        out = []
        loads = orjson.loads
        for i, (lines, ns, start) in enumerate(rows):
            edge = (since and start < since) or (until and i == len(rows) - 1)
            if not edge and having is None:
                out.append(lines)
                continue
            for line, v in zip(_split(lines), _unpack(ns)):
                if having is not None and v >> 16 not in having:
                    continue
                if edge and not in_range(loads(line)["date"], since, until):
                    continue
                out.append(line)
        return out

    def find(self, p: str) -> dict:
        """query.find_record(records, p) by the id index: the first record with id p, else the one whose id
        starts with p (p stripped and not empty)."""
        q = self.db.execute
        rows = q("SELECT n, off, len, id FROM rec WHERE id = ? ORDER BY n LIMIT 1", (p,)).fetchall()
        if not rows:
            rows = q("SELECT n, off, len, id FROM rec WHERE id >= ? AND id < ? ORDER BY n LIMIT ?",
                     (p, _successor(p), SHOWN_IDS + 1)).fetchall()
        recs = list(self._read(rows))
        one_id(p, [r["id"] for r in recs])
        return recs[0]


def _successor(s: str) -> str:
    """The least string greater than every string starting with s (s non-empty)."""
    return s[:-1] + chr(ord(s[-1]) + 1)


# answering: the index when it can, a full scan when it cannot -------------------

def _answer(archive: Archive, warn: Warn, fn, scan) -> Iterator:
    """Yield fn(index)'s answers from a fresh index, or scan()'s when no index can be used.

    A line that disagrees with the index before anything was yielded causes one full
    rebuild and a second try; after that (or mid-stream) the question is answered by a scan
    or refused, never answered from a wrong index."""
    for attempt in range(2):
        ix = Index(archive, warn)
        started = False
        try:
            if not ix._snapshot():
                break  # no archive: the scan answers (nothing), without creating an index
            for item in fn(ix):
                started = True
                yield item
            ix._warn_partial()
            return
        except Stale:
            if started:
                from relations.errors import ArchiveError

                raise ArchiveError(f"{archive.path}: changed while being read; ask again") from None
            ix._end()
            if attempt == 0:
                try:
                    ix._update(rebuild=True)
                    continue
                except (sqlite3.DatabaseError, Unusable):
                    pass
            break
        except Unusable as exc:
            if os.environ.get(NO_INDEX_ENV) != "1" and not isinstance(exc, Unterminated):
                warn(f"index not used ({exc}); reading the whole archive")
            break
        except sqlite3.DatabaseError as exc:
            if started:
                raise
            warn(f"index not used ({exc}); reading the whole archive")
            break
        finally:
            ix._end()
            ix.close()
    yield from scan()


def list_records(archive: Archive, warn: Warn = _noop, *, since=None, until=None, codes=(), topic=None,
                 actor=None, limit: int | None = None) -> Iterator[dict]:
    """query.newest_first(query.select(...)) over the archive, read lazily: a whole archive streams."""
    from relations import query

    def scan():
        return query.newest_first(query.select(archive.records(warn), since=since, until=until, codes=codes,
                                               topic=topic, actor=actor), limit)

    return _answer(archive, warn, lambda ix: ix.select(since=since, until=until, codes=codes, topic=topic,
                                                        actor=actor or None, limit=limit), scan)


def _timeline_lines(archive: Archive, a: str, b: str, warn: Warn, since, until, topic) -> list[bytes]:
    def scan():
        from relations import query
        from relations.render.output import jsonl_line

        return iter([[jsonl_line(e) for e in query.timeline(archive.records(warn), a, b, since=since,
                                                            until=until, topic=topic)]])

    return list(_answer(archive, warn, lambda ix: iter([ix.timeline_lines(a, b, since, until, topic)]), scan))[0]


def timeline(archive: Archive, a: str, b: str, warn: Warn = _noop, *, since=None, until=None,
             topic=None) -> list[dict]:
    """query.timeline over the archive, from the lines the index keeps for the pair."""
    loads = orjson.loads
    return [loads(ln) for piece in _timeline_lines(archive, a, b, warn, since, until, topic) for ln in _split(piece)]


def timeline_jsonl(archive: Archive, a: str, b: str, warn: Warn = _noop, *, since=None, until=None,
                   topic=None) -> list[bytes]:
    """What `timeline --format jsonl` prints (timeline()'s entries by orjson, one a line), ready-made:
    pieces of whole lines, to be written one after the other."""
    return _timeline_lines(archive, a, b, warn, since, until, topic)


def find_record(archive: Archive, prefix: str, warn: Warn = _noop) -> dict:
    """query.find_record over the archive, reading only the lines whose id starts with the prefix."""
    p = prefix.strip()
    try:
        usable = bool(p) and bool(p.encode("utf-8")) and bool(_successor(p))
    except (UnicodeEncodeError, ValueError, OverflowError):
        usable = False

    def scan():
        from relations import query

        return iter([query.find_record(archive.records(warn), prefix)])

    if not usable:
        return next(scan())
    return list(_answer(archive, warn, lambda ix: iter([ix.find(p)]), scan))[0]


class _Keys:
    """One set-like view of what the archive holds (`in`, `add`), answered by the index."""

    def __init__(self, lookup):
        self.lookup = lookup
        self.added: set[str] = set()

    def __contains__(self, key) -> bool:
        return key in self.added or self.lookup(key)

    def add(self, key) -> None:
        self.added.add(key)


class Seen:
    """What the archive already holds, for ingest, without reading it whole or holding it in memory.

    `ids`, `contents` and `files` behave like the sets of every record's id, content_key and
    file_key (membership and add). With no usable index they are those sets, made by one scan."""

    def __init__(self, archive: Archive, warn: Warn = _noop):
        self.ix: Index | None = Index(archive, warn)
        try:
            if not self.ix.ensure():
                raise Unusable("no archive yet")
            self.ix._warn_problems()
            self.ix._warn_partial()
            q = self.ix.db.execute
            self.ids = _Keys(lambda k: q("SELECT 1 FROM rec WHERE id = ? LIMIT 1", (k,)).fetchone() is not None)
            self.contents = _Keys(lambda k: _hexkey(k) is not None and q(
                "SELECT 1 FROM rec WHERE ckey = ? LIMIT 1", (_hexkey(k),)).fetchone() is not None)
            self.files = _Keys(lambda k: isinstance(k, str) and q(
                "SELECT 1 FROM rec WHERE fkey = ? LIMIT 1", (_stored_fkey(k),)).fetchone() is not None)
            self._file_id = lambda k: (q("SELECT id FROM rec WHERE fkey = ? ORDER BY n LIMIT 1",
                                         (_stored_fkey(k),)).fetchone() or ("?",))[0]
        except (Unusable, Stale, sqlite3.DatabaseError):
            self.ix.close()
            self.ix = None
            self.ids, self.contents, self.files = set(), set(), set()  # type: ignore[assignment]
            by_file: dict[str, str] = {}
            for rec in archive.records(warn):
                self.ids.add(rec["id"])
                self.contents.add(content_key(rec))
                self.files.add(file_key(rec))
                by_file.setdefault(file_key(rec), rec["id"])
            self._file_id = lambda k: by_file.get(k, "?")
        except BaseException:  # refused (not JSON Lines, a folder): nothing is left open
            self.ix.close()
            raise

    def file_id(self, fkey: str) -> str:
        """The id of the first record read from these bytes (one that `files` holds)."""
        return self._file_id(fkey)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self) -> None:
        if self.ix is not None:
            self.ix.close()
            self.ix = None


def _hexkey(k) -> bytes | None:
    try:
        return bytes.fromhex(k)
    except (TypeError, ValueError):
        return None


def refresh(archive: Archive, warn: Warn = _noop) -> None:
    """Index lines just appended (call after a write; a no-op when the index cannot be kept)."""
    ix = Index(archive, warn)
    try:
        ix.ensure()
    except (Unusable, Stale, sqlite3.DatabaseError):
        pass
    finally:
        ix.close()
