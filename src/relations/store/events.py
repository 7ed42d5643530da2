"""The grouping of reports into happenings, kept in the derived index.

Derived, never the source of truth: the tables live in the index's SQLite file,
are written in the same transaction as the index's own rows (so they are exactly
as fresh as the index, and rebuilt with it), and are dropped with it. Without a
usable index every question is answered by grouping a full scan (`grouping.group`),
which is the meaning the stored grouping must equal.

Tables: `evsig` holds each record's signature and report; `evkey` files it under
(country pair, day) blocks (-1 for no day); `evmember` names the event of every
record that shares one (a record alone is its own event). After an append only
the new record's candidates (its blocks, within the window) are compared; a full
build walks each pair's records in day order with a sliding window.
"""

from __future__ import annotations

import sqlite3
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING

import orjson

from relations import grouping
from relations.happenings import Happening, Report, report_of

if TYPE_CHECKING:
    from relations.store.archive import Archive

SCHEMA = """
CREATE TABLE IF NOT EXISTS evsig(n INTEGER PRIMARY KEY, rid TEXT NOT NULL, sig BLOB NOT NULL, rep BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS evkey(pkey TEXT NOT NULL, day INTEGER NOT NULL, n INTEGER NOT NULL,
                                 PRIMARY KEY(pkey, day, n)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS evmember(n INTEGER PRIMARY KEY, eid TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS evmember_eid ON evmember(eid);
CREATE INDEX IF NOT EXISTS evsig_rid ON evsig(rid);
"""
TABLES = ("evsig", "evkey", "evmember")
NODAY = -1


def create(conn: sqlite3.Connection) -> None:
    for t in TABLES:
        conn.execute(f"DROP TABLE IF EXISTS {t}")
    for stmt in SCHEMA.strip().split(";"):
        if stmt.strip():
            conn.execute(stmt)


def _load(blob: bytes) -> grouping.Signature:
    return grouping.Signature.from_list(orjson.loads(blob))


def _report(blob: bytes) -> Report:
    return Report.from_list(orjson.loads(blob))


class Grouper:
    """Fed every record the index reads (`add`), writes its rows (`flush`) and groups (`finish`)."""

    def __init__(self, conn: sqlite3.Connection, bulk: bool):
        self.conn, self.bulk = conn, bulk
        self.sigs: list[tuple[int, str, bytes, bytes]] = []
        self.keys: list[tuple[str, int, int]] = []
        self.new: list[tuple[int, grouping.Signature]] = []

    def add(self, n: int, rec: dict) -> None:
        try:
            sig, rep = grouping.signature(rec), report_of(rec)
        except (AttributeError, TypeError, ValueError):
            return  # a record too damaged to group: it stays an event of its own
        self.sigs.append((n, sig.rid, orjson.dumps(sig.to_list()), orjson.dumps(rep.to_list())))
        day = NODAY if sig.day is None else sig.day
        self.keys.extend((p, day, n) for p in sig.pairs)
        if not self.bulk:
            self.new.append((n, sig))

    def flush(self) -> None:
        self.conn.executemany("INSERT OR REPLACE INTO evsig(n, rid, sig, rep) VALUES (?, ?, ?, ?)", self.sigs)
        self.conn.executemany("INSERT OR IGNORE INTO evkey(pkey, day, n) VALUES (?, ?, ?)", self.keys)
        self.sigs.clear()
        self.keys.clear()
        for n, sig in self.new:
            self._attach(n, sig)
        self.new.clear()

    def finish(self) -> None:
        self.flush()
        if self.bulk:
            _build(self.conn)

    # one appended record ---------------------------------------------------

    def _blocks(self, sig: grouping.Signature) -> Iterator[tuple[str, tuple]]:
        """SQL conditions on `evkey k` for the new record's blocks, within the window."""
        for p in sig.pairs:
            if sig.day is None:
                yield "k.pkey = ?", (p,)
            else:
                yield ("k.pkey = ? AND (k.day = ? OR k.day BETWEEN ? AND ?)",
                       (p, NODAY, sig.day - grouping.WINDOW, sig.day + grouping.WINDOW))

    def _matches(self, n: int, sig: grouping.Signature, ns: Iterable[int]) -> Iterator[int]:
        q = self.conn.execute
        for m in ns:
            if m == n:
                continue
            row = q("SELECT sig FROM evsig WHERE n = ?", (m,)).fetchone()
            if row is not None and grouping.same_happening(sig, _load(row[0])):
                yield m

    def _attach(self, n: int, sig: grouping.Signature) -> None:
        # A record that matches one member of an event joins the whole event, so each event's members
        # are compared only until one matches: the groups are the same, and a busy block stays linear.
        q = self.conn.execute
        alone, eids = {n}, set()
        for where, args in self._blocks(sig):
            free = q(f"SELECT k.n FROM evkey k WHERE {where} AND NOT EXISTS "
                     "(SELECT 1 FROM evmember m WHERE m.n = k.n) ORDER BY k.n", args).fetchall()
            alone.update(self._matches(n, sig, (m for m, in free)))
            events = q(f"SELECT DISTINCT m.eid FROM evkey k JOIN evmember m ON m.n = k.n WHERE {where}", args)
            for eid, in events.fetchall():
                if eid in eids:
                    continue
                members = q(f"SELECT k.n FROM evkey k JOIN evmember m ON m.n = k.n WHERE {where} AND m.eid = ? "
                            "ORDER BY k.n", (*args, eid))
                if next(self._matches(n, sig, (m for m, in members)), None) is not None:
                    eids.add(eid)
        if len(alone) == 1 and not eids:
            return
        rids = [q("SELECT rid FROM evsig WHERE n = ?", (m,)).fetchone()[0] for m in sorted(alone)]
        new = grouping.event_id(rids + [e[3:] for e in eids])
        for e in eids:
            q("UPDATE evmember SET eid = ? WHERE eid = ?", (new, e))
        self.conn.executemany("INSERT OR REPLACE INTO evmember(n, eid) VALUES (?, ?)", [(m, new) for m in alone])


def _build(conn: sqlite3.Connection) -> None:
    """Group a whole archive: each pair's records in day order, every one compared with those within
    the window before it, and the few undated ones with all of their pair's records."""
    comp = grouping.Components()
    rids: dict[int, str] = {}
    q = conn.execute
    cache: dict[int, grouping.Signature] = {}

    def sig_of(n: int, blob: bytes | None = None) -> grouping.Signature:
        s = cache.get(n)
        if s is None:
            if blob is None:
                blob = q("SELECT sig FROM evsig WHERE n = ?", (n,)).fetchone()[0]
            s = cache[n] = _load(blob)
        return s

    def link(x: int, y: int) -> None:
        comp.union(x, y)
        rids[x], rids[y] = sig_of(x).rid, sig_of(y).rid

    pkey: str | None = None
    window: deque[tuple[int, int]] = deque()
    undated: list[int] = []
    rows = q("SELECT k.pkey, k.day, k.n, s.sig FROM evkey k JOIN evsig s ON s.n = k.n ORDER BY k.pkey, k.day, k.n")
    for p, day, n, blob in rows:
        if p != pkey:
            _undated(conn, pkey, undated, sig_of, link)
            pkey, window, undated = p, deque(), []
            cache.clear()
        if day == NODAY:
            undated.append(n)
            continue
        s = sig_of(n, blob)
        while window and day - window[0][0] > grouping.WINDOW:
            cache.pop(window.popleft()[1], None)
        for _, m in window:
            if comp.find(m) != comp.find(n) and grouping.same_happening(sig_of(m), s):
                link(m, n)
        window.append((day, n))
    _undated(conn, pkey, undated, sig_of, link)
    groups: dict[int, list[str]] = {}
    for n, rid in rids.items():
        groups.setdefault(comp.find(n), []).append(rid)
    eid = {root: grouping.event_id(m) for root, m in groups.items()}
    conn.executemany("INSERT INTO evmember(n, eid) VALUES (?, ?)", ((n, eid[comp.find(n)]) for n in rids))


def _undated(conn, pkey, undated: list[int], sig_of, link) -> None:
    if not undated:
        return
    everyone = [n for n, in conn.execute("SELECT n FROM evkey WHERE pkey = ?", (pkey,))]
    for u in undated:
        for m in everyone:
            if m != u and grouping.same_happening(sig_of(u), sig_of(m)):
                link(u, m)


# reading ------------------------------------------------------------------

def _happenings(conn: sqlite3.Connection, rows: list[tuple]) -> list[Happening]:
    """The happenings of (rid, report, event id or None) rows, each with all of its reports."""
    out: dict[str, Happening] = {}
    grouped: list[str] = []
    for rid, rep, eid in rows:
        if eid is None:
            out.setdefault(rid, Happening(rid, [_report(rep)]))
        elif eid not in out:
            out[eid] = Happening(eid)
            grouped.append(eid)
    for k in range(0, len(grouped), 500):
        chunk = grouped[k:k + 500]
        for eid, rep in conn.execute("SELECT m.eid, s.rep FROM evmember m JOIN evsig s ON s.n = m.n WHERE m.eid IN "
                                     f"({','.join('?' * len(chunk))}) ORDER BY m.n", chunk):
            out[eid].reports.append(_report(rep))
    for h in out.values():
        h.reports.sort(key=lambda r: r.rid)
    return list(out.values())


_ROWS = "SELECT s.rid, s.rep, m.eid FROM {src} JOIN evsig s ON s.n = {n} LEFT JOIN evmember m ON m.n = s.n"


def pair_happenings(conn: sqlite3.Connection, a: str, b: str) -> list[Happening]:
    x, y = sorted((a, b))
    sql = _ROWS.format(src="pair p", n="p.n") + " WHERE p.a = ? AND p.b = ? ORDER BY p.n"
    return _happenings(conn, conn.execute(sql, (x, y)).fetchall())


def record_happening(conn: sqlite3.Connection, rid: str) -> Happening | None:
    rows = conn.execute("SELECT s.rid, s.rep, m.eid FROM evsig s LEFT JOIN evmember m ON m.n = s.n "
                        "WHERE s.rid = ? ORDER BY s.n LIMIT 1", (rid,)).fetchall()
    hs = _happenings(conn, rows)
    return hs[0] if hs else None


# answering: the index when it can, a full scan when it cannot ---------------

Warn = Callable[[str], None]


def _noop(_: str) -> None:
    pass


def _ask(archive: Archive, warn: Warn, fn, scan):
    """fn(connection) on a fresh index whose grouping follows the current rules, else scan()."""
    from relations.store import index

    def ask(ix):
        if ix._meta().get("entries") != index._entries_version():
            raise index.Stale("grouped by other rules")
        return iter([fn(ix.conn)])

    return next(iter(index._answer(archive, warn, ask, lambda: iter([scan()]))))


def happenings(archive: Archive, a: str, b: str, warn: Warn = _noop) -> list[Happening]:
    """Every happening with a report between a and b (each with all of its reports)."""
    from relations.happenings import happenings_from, in_pair

    return _ask(archive, warn, lambda conn: pair_happenings(conn, a, b),
                lambda: [h for h in happenings_from(archive.records(warn)) if in_pair(h, (a, b))])


def happening_of(archive: Archive, rid: str, warn: Warn = _noop) -> Happening | None:
    """The happening a record reports, with its other reports."""
    from relations.happenings import happenings_from

    def scan():
        return next((h for h in happenings_from(archive.records(warn)) if any(r.rid == rid for r in h.reports)), None)

    return _ask(archive, warn, lambda conn: record_happening(conn, rid), scan)


def all_happenings(archive: Archive, warn: Warn = _noop) -> Iterator[Happening]:
    """Every happening of the archive (for `events` without two countries)."""
    from relations.happenings import happenings_from

    sql = "SELECT s.rid, s.rep, m.eid FROM evsig s LEFT JOIN evmember m ON m.n = s.n ORDER BY s.n"
    return iter(_ask(archive, warn, lambda conn: _happenings(conn, conn.execute(sql).fetchall()),
                     lambda: happenings_from(archive.records(warn))))


def pair_records(archive: Archive, a: str, b: str, warn: Warn = _noop) -> list[dict]:
    """The records whose parties include a and b, read through the index (a full scan without one)."""
    from relations.store import index

    def scan():
        return [r for r in archive.records(warn) if isinstance(r.get("parties"), list)
                and a in r["parties"] and b in r["parties"]]

    return list(index._answer(archive, warn, lambda ix: ix.pair_records(a, b), lambda: iter(scan())))


def pair_groups(conn: sqlite3.Connection, a: str, b: str) -> list[Happening]:
    """Only the happenings between a and b with two reports or more (what a grouped timeline folds)."""
    x, y = sorted((a, b))
    rows = conn.execute("SELECT DISTINCT '', x'', m.eid FROM pair p JOIN evmember m ON m.n = p.n "
                        "WHERE p.a = ? AND p.b = ?", (x, y)).fetchall()
    return _happenings(conn, rows)


def shared_happenings(archive: Archive, a: str, b: str, warn: Warn = _noop) -> list[Happening]:
    """The happenings between a and b that more than one record reports."""
    from relations.happenings import happenings_from, in_pair

    return _ask(archive, warn, lambda conn: pair_groups(conn, a, b),
                lambda: [h for h in happenings_from(archive.records(warn)) if len(h.reports) > 1 and in_pair(h, (a, b))])
