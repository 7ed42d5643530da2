"""Full-text search over titles and texts: an SQLite FTS5 table in the derived index.

The table (`fts`) is contentless and keeps no word positions (detail=none):
for each word of the folded title and text (`text.fold`: lower case, no
accents, `đ` as `d`) it holds only the records it occurs in, never the text,
so the archive stays the only source of truth and the index stays small.
Words and prefixes are answered by the table alone; a phrase is asked of it as
all of its words, and each record found is then read back from the archive
and checked (`Query.matches`), as are snippets cut from it. The rowid is
`date key << 32 | line number`, the date key being the publication date as
the number YYYYMMDD (a month-only date counts as day 00, no readable date as
0): walking the rowids downwards walks the archive newest first, so
`--limit 20` stops after the twentieth hit once the date changes.

A user's query is read by `parse` (words, "quoted phrases", `prefix*`, AND,
OR, NOT, parentheses) into an FTS5 expression of quoted words only, so a word
like `U.S.` or `co-operation` is a phrase, never FTS5 syntax, and a malformed
query is one QueryError line. Without a usable index, `scan` puts the records
into the same table in memory and asks the same question of it.

Order. `sort="date"` (the default): newest first; hits of the same date by
bm25 score, best first (see `Scorer`; a word in the title counts twice), then
archive order. `sort="rank"`: best score first, then newest; it reads and
scores every hit, where date order reads only those it shows.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from relations.errors import QueryError
from relations.text import fold

SCHEMA = ("CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(title, text, content='', detail=none, "
          "tokenize='unicode61 remove_diacritics 2')")
DROP = "DROP TABLE IF EXISTS fts"
INSERT = "INSERT INTO fts(rowid, title, text) VALUES (?, ?, ?)"
LINE_BITS = 32
LINE_MASK = (1 << LINE_BITS) - 1
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_TOKEN = re.compile(r"[^\W_]+")
WEIGHTS = (2.0, 1.0)   # how much a word counts in the title and in the text, for bm25


def date_key(value) -> int:
    """YYYYMMDD as a number (day 00 for a month, month and day 00 for a year); 0 for no readable date."""
    m = _DATE.match(value) if isinstance(value, str) else None
    if not m:
        return 0
    return int(m.group(1)) * 10000 + int(m.group(2) or 0) * 100 + int(m.group(3) or 0)


def row(rec: dict, n: int) -> tuple[int, str, str]:
    """The `fts` row of the record on line n."""
    title = rec.get("title")
    text = rec.get("text")
    return (date_key(rec.get("date")) << LINE_BITS | n, fold(title) if isinstance(title, str) else "",
            fold(text) if isinstance(text, str) else "")


def create(conn: sqlite3.Connection) -> None:
    conn.execute(SCHEMA)


def optimise(conn: sqlite3.Connection) -> None:
    """Merge the segments of a bulk load into one: smaller, and faster to query."""
    conn.execute("INSERT INTO fts(fts) VALUES ('optimize')")


def key_range(since: str | None, until: str | None) -> tuple[int, int]:
    """The rowids of records dated within since..until (as query.in_range reads them), and, from the
    year of `since` on, some before it: `in_since` tells them apart."""
    lo, hi = 0, (1 << 63) - 1
    if since:  # from its year: a date stated to the month or year touches the range (see `in_since`)
        lo = date_key(since[:4]) << LINE_BITS
    if until:
        y, m, d = (until.split("-") + [None, None])[:3]
        top = int(y) * 10000 + (int(m) * 100 if m else 9999) + (int(d) if d else (99 if m else 0))
        hi = (top << LINE_BITS) | LINE_MASK
    if since or until:
        lo = max(lo, 1 << LINE_BITS)  # an undated record is in no range
    return lo, hi


def in_since(day: int, since: str | None) -> bool:
    """Whether a date key is in the range from `since`, as query.in_range reads it."""
    if not since:
        return True
    from relations.query import in_range

    y, m, d = day // 10000, day // 100 % 100, day % 100
    return in_range(f"{y:04d}" + (f"-{m:02d}" if m else "") + (f"-{d:02d}" if d else ""), since, None)


# the query language -------------------------------------------------------

@dataclass(frozen=True)
class Term:
    """Words that must follow each other (one word is a phrase of one); the last may be a prefix."""
    words: tuple[str, ...]
    prefix: bool = False

    @property
    def exact(self) -> bool:
        """The table keeps no positions: only a one-word term is answered by it exactly."""
        return len(self.words) == 1

    def fts(self) -> str:
        """Every word present (a phrase is then checked in the text)."""
        quoted = [f'"{w}"' for w in self.words]
        if self.prefix:
            quoted[-1] += " *"
        return quoted[0] if self.exact else "(" + " AND ".join(quoted) + ")"

    def count(self, tokens: list[str]) -> int:
        """How often the term occurs in a list of words."""
        k, head, last = len(self.words), list(self.words[:-1]), self.words[-1]
        return sum(1 for i in range(len(tokens) - k + 1)
                   if (tokens[i + k - 1] == last or (self.prefix and tokens[i + k - 1].startswith(last)))
                   and tokens[i:i + k - 1] == head)

    def holds(self, doc: tuple[list[str], ...]) -> bool:
        """In any column of the document (its title's words, its text's words); a phrase within one."""
        k, head, last = len(self.words), list(self.words[:-1]), self.words[-1]
        for tokens in doc:
            for i in range(len(tokens) - k + 1):
                t = tokens[i + k - 1]
                if (t == last or (self.prefix and t.startswith(last))) and tokens[i:i + k - 1] == head:
                    return True
        return False


@dataclass(frozen=True)
class Op:
    op: str                 # AND, OR, NOT
    left: Any
    right: Any

    @property
    def exact(self) -> bool:
        return self.left.exact and self.right.exact

    def fts(self) -> str:
        """An expression that matches every record this one matches (exactly those when `exact`)."""
        if self.op == "NOT" and not self.right.exact:
            return self.left.fts()  # excluding the words of a phrase would exclude too much: checked later
        return f"({self.left.fts()} {self.op} {self.right.fts()})"

    def holds(self, doc: tuple[list[str], ...]) -> bool:
        if self.op == "AND":
            return self.left.holds(doc) and self.right.holds(doc)
        if self.op == "OR":
            return self.left.holds(doc) or self.right.holds(doc)
        return self.left.holds(doc) and not self.right.holds(doc)


@dataclass(frozen=True)
class Query:
    """A parsed query: the FTS5 expression, the tree it came from, and the terms a hit shows (those not
    under NOT). When the tree is not `exact` (it has a phrase), each row the table finds is checked."""
    text: str
    expr: str
    terms: tuple[Term, ...]
    tree: Any = None

    @property
    def exact(self) -> bool:
        return self.tree is None or self.tree.exact

    def matches(self, rec: dict) -> bool:
        """Whether the record holds the query, read as the table reads it (its title and text, a phrase
        within one of them)."""
        return self.exact or self.tree.holds((_words(rec.get("title")), _words(rec.get("text"))))


def _words(v) -> list[str]:
    return _TOKEN.findall(fold(v)) if isinstance(v, str) else []


_LEX = re.compile(r'\s*(?:(")|(\()|(\))|([^\s"()]+))')


def _lex(q: str) -> list[tuple[str, str]]:
    """(kind, value) tokens: phrase, word, (, ); an unbalanced quote is an error."""
    out, pos = [], 0
    while pos < len(q):
        if q[pos:].strip() == "":
            break
        m = _LEX.match(q, pos)
        if m.group(1):
            end = q.find('"', m.end())
            if end < 0:
                raise QueryError(f"search: unbalanced quote in '{q}'")
            star = q[end + 1:end + 2] == "*"
            out.append(("phrase*" if star else "phrase", q[m.end():end]))
            pos = end + 1 + star
            continue
        out.append(("(", "(") if m.group(2) else (")", ")") if m.group(3) else ("word", m.group(4)))
        pos = m.end()
    return out


def _term(kind: str, value: str, q: str) -> Term:
    prefix = kind == "phrase*" or (kind == "word" and value.endswith("*"))
    words = tuple(_TOKEN.findall(fold(value.rstrip("*") if kind == "word" else value)))
    if not words:
        raise QueryError(f"search: nothing to search for in '{value}' (in '{q}')")
    return Term(words, prefix)


class _Parser:
    """or := and (OR and)* ; and := not ([AND] not)* ; not := atom (NOT atom)* ; atom := term | ( or )"""

    def __init__(self, q: str):
        self.q = q
        # punctuation alone between words (`water - sharing`) says nothing
        self.toks = [t for t in _lex(q) if t[0] != "word" or t[1].endswith("*") or _TOKEN.search(fold(t[1]))]
        self.i = 0
        self.positive: list[Term] = []

    def peek(self) -> tuple[str, str] | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def is_op(self, name: str) -> bool:
        t = self.peek()
        return t is not None and t == ("word", name)

    def fail(self, why: str):
        raise QueryError(f"search: {why} in '{self.q}'")

    def parse(self):
        if not self.toks:
            self.fail("nothing to search for")
        e = self.or_()
        if self.peek() is not None:
            self.fail("unbalanced ')'" if self.peek()[0] == ")" else f"unexpected '{self.peek()[1]}'")
        return e

    def or_(self, negated=False):
        e = self.and_(negated)
        while self.is_op("OR"):
            self.i += 1
            e = Op("OR", e, self.and_(negated))
        return e

    def and_(self, negated):
        e = self.not_(negated)
        while True:
            if self.is_op("AND"):
                self.i += 1
            elif self.peek() is None or self.peek()[0] == ")" or self.is_op("OR"):
                return e
            e = Op("AND", e, self.not_(negated))

    def not_(self, negated):
        e = self.atom(negated)
        while self.is_op("NOT"):
            self.i += 1
            e = Op("NOT", e, self.atom(True))
        return e

    def atom(self, negated):
        t = self.peek()
        if t is None:
            self.fail("a word is missing at the end")
        if t[0] == ")":
            self.fail("unbalanced ')'")
        if t in (("word", "AND"), ("word", "OR"), ("word", "NOT")):
            self.fail(f"'{t[1]}' needs a word on each side")
        self.i += 1
        if t[0] == "(":
            e = self.or_(negated)
            if self.peek() != (")", ")"):
                self.fail("unbalanced '('")
            self.i += 1
            return e
        term = _term(t[0], t[1], self.q)
        if not negated:
            self.positive.append(term)
        return term


def parse(q: str) -> Query:
    """The user's query as an FTS5 expression of quoted terms; a malformed one is a QueryError."""
    p = _Parser(q)
    e = p.parse()
    return Query(q, e.fts(), tuple(dict.fromkeys(p.positive)), e)


# answering ------------------------------------------------------------------

@dataclass
class Hit:
    """One record found: its score (bm25, higher is better) and where the terms are in its title and text."""
    record: dict
    score: float
    title_spans: list[tuple[int, int]] = field(default_factory=list)
    text_spans: list[tuple[int, int]] = field(default_factory=list)


def candidates(conn: sqlite3.Connection, query: Query, *, since=None, until=None, sort="date",
               limit: int | None = None, accept: Callable[[int], bool] | None = None,
               fetch: Callable[[int], dict]) -> list[tuple[int, float]]:
    """(line number, score) of the matching rows that `accept` keeps, in the order asked, at most limit;
    `fetch` gives the record of a line, for its score.

    Newest first walks the rowids downwards and stops once `limit` hits are found and the date changes,
    so only those are scored; best first scores every hit."""
    lo, hi = key_range(since, until)
    sql = "SELECT rowid FROM fts WHERE fts MATCH ? AND rowid BETWEEN ? AND ? ORDER BY rowid DESC"
    try:
        out: list[tuple[int, int]] = []
        for rowid, in conn.execute(sql, (query.expr, lo, hi)):
            day, n = rowid >> LINE_BITS, rowid & LINE_MASK
            if sort == "date" and limit and len(out) >= limit and day != out[-1][0]:
                break
            if in_since(day, since) and (accept is None or accept(n)):
                out.append((day, n))
        score = Scorer(conn, query.terms)
    except sqlite3.OperationalError as exc:
        raise QueryError(f"search: cannot search for '{query.text}' ({exc})") from None
    scored = [(day, n, score(fetch(n))) for day, n in out]
    if sort == "date":
        scored.sort(key=lambda h: (-h[0], -h[2], h[1]))
    else:
        scored.sort(key=lambda h: (-h[2], -h[0], h[1]))
    return [(n, sc) for _, n, sc in (scored[:limit] if limit else scored)]


K1, B = 1.2, 0.75   # bm25's usual constants, as FTS5's own bm25() has them


class Scorer:
    """bm25 of a record for the query's terms (higher is better), the title's words counting twice.

    The table keeps no positions, so FTS5's bm25() cannot count words; the counts come from the record's
    own title and text, and what bm25 needs of the whole archive from the table: the number of records
    and their mean length (its averages record) and how many records hold each word (fts5vocab). A
    phrase counts as in as many records as its rarest word, a prefix as in as many as its commonest word."""

    def __init__(self, conn: sqlite3.Connection, terms: Iterable[Term]):
        self.terms = list(terms)
        self.rows, self.mean = _averages(conn)
        conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.fts_words USING fts5vocab(main, fts, 'row')")
        self.idf = [self._idf(conn, t) for t in self.terms]

    def _idf(self, conn, term: Term) -> float:
        import math

        counts = []
        for i, w in enumerate(term.words):
            if term.prefix and i == len(term.words) - 1:
                row = conn.execute("SELECT max(doc) FROM temp.fts_words WHERE term >= ? AND term < ?",
                                   (w, w + "\U0010ffff")).fetchone()
            else:
                row = conn.execute("SELECT doc FROM temp.fts_words WHERE term = ?", (w,)).fetchone()
            counts.append(row[0] or 0 if row else 0)
        n = min(counts)
        idf = math.log((self.rows - n + 0.5) / (n + 0.5)) if self.rows else 0.0
        return idf if idf > 0 else 1e-6

    def __call__(self, rec: dict) -> float:
        title, text = _words(rec.get("title")), _words(rec.get("text"))
        length = len(title) + len(text)
        norm = K1 * (1 - B + B * length / self.mean) if self.mean else K1
        total = 0.0
        for term, idf in zip(self.terms, self.idf):
            tf = WEIGHTS[0] * term.count(title) + WEIGHTS[1] * term.count(text)
            total += idf * tf * (K1 + 1) / (tf + norm)
        return total


def _averages(conn: sqlite3.Connection) -> tuple[int, float]:
    """(records, mean words per record) from the FTS5 averages record (rowid 1 of its data table):
    varints of the row count, then of each column's total words."""
    row = conn.execute("SELECT block FROM fts_data WHERE id = 1").fetchone()
    vals, blob, i = [], row[0] if row else b"", 0
    while i < len(blob):
        v, i = _varint(blob, i)
        vals.append(v)
    if not vals or not vals[0]:
        return 0, 0.0
    return vals[0], sum(vals[1:]) / vals[0]


def _varint(b: bytes, i: int) -> tuple[int, int]:
    """SQLite's variable-length integer at b[i:]: seven bits a byte, big-endian, the ninth byte whole."""
    v = 0
    for k in range(9):
        if i >= len(b):
            break
        c = b[i]
        i += 1
        if k == 8:
            return (v << 8) | c, i
        v = (v << 7) | (c & 0x7F)
        if c < 0x80:
            break
    return v, i


def spans(text: str, terms: Iterable[Term]) -> list[tuple[int, int]]:
    """Where the terms occur in text, as [start, end) spans (folded, as the index matched them)."""
    toks = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(fold(text))]
    words = [t[2] for t in toks]
    found = []
    for term in terms:
        k = len(term.words)
        for i in range(len(toks) - k + 1):
            if words[i:i + k - 1] != list(term.words[:-1]):
                continue
            last = words[i + k - 1]
            if last == term.words[-1] or (term.prefix and last.startswith(term.words[-1])):
                found.append((toks[i][0], toks[i + k - 1][1]))
    found.sort()
    merged: list[tuple[int, int]] = []
    for s, e in found:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


def hit(rec: dict, score: float, query: Query) -> Hit:
    title = rec.get("title") if isinstance(rec.get("title"), str) else ""
    text = rec.get("text") if isinstance(rec.get("text"), str) else ""
    return Hit(rec, score, spans(title, query.terms), spans(text, query.terms))


def scan(records: Iterable[dict], query: Query, *, since=None, until=None, sort="date",
         limit: int | None = None, keep: Callable[[dict], bool] | None = None) -> list[Hit]:
    """The same question without an index: every record in an in-memory `fts` table (so that bm25
    weighs words as the index does), asked alike, the hits limited to the records `keep` accepts."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        create(conn)
        kept = {}
        conn.execute("BEGIN")
        for n, rec in enumerate(records, 1):
            if (keep is None or keep(rec)) and query.matches(rec):
                kept[n] = rec
            conn.execute(INSERT, row(rec, n))
        conn.execute("COMMIT")  # FTS5 writes its averages record (bm25's counts) on commit
        found = candidates(conn, query, since=since, until=until, sort=sort, limit=limit, accept=kept.__contains__,
                           fetch=kept.__getitem__)
        return [hit(kept[n], score, query) for n, score in found]
    finally:
        conn.close()


SNIPPET = 220   # characters of text around the best passage


def snippet(text: str, found: list[tuple[int, int]], width: int = SNIPPET) -> tuple[str, list[tuple[int, int]]]:
    """A passage of about `width` characters holding the most matches, white space squeezed, with the
    matches' spans inside it; the start of the text when nothing matched there."""
    if not text:
        return "", []
    start = 0
    if found:
        words = [fold(text[s:e]) for s, e in found]

        def worth(i: int) -> tuple:  # the passage from match i: how many different words, then how many
            lo = found[i][0] - width // 4
            inside = [words[j] for j, (s, e) in enumerate(found) if lo <= s and e <= lo + width]
            return len(set(inside)), len(inside), -i

        best = max(range(len(found)), key=worth)
        start = max(0, found[best][0] - width // 4)
        while start > 0 and not text[start - 1].isspace():
            start -= 1
    end = min(len(text), start + width)
    while end < len(text) and not text[end].isspace() and end - start < width + 30:
        end += 1
    marks = []
    out = "… " if start > 0 else ""
    pos = start
    for s, e in found:
        if e <= start or s >= end:
            continue
        s, e = max(s, start), min(e, end)
        out += _squeeze(text[pos:s])
        ms = len(out)
        out += _squeeze(text[s:e])
        marks.append((ms, len(out)))
        pos = e
    out += _squeeze(text[pos:end]) + (" …" if end < len(text) else "")
    return out, marks


_SPACE = re.compile(r"\s+")


def _squeeze(s: str) -> str:
    return _SPACE.sub(" ", s)

def _filter_sql(ix, codes, topic, actor) -> tuple[str, list]:
    """A statement that selects line n (its one parameter first) when it passes `list`'s other filters."""
    conds, args = [], []
    for c in dict.fromkeys(codes):
        conds.append("EXISTS (SELECT 1 FROM country c WHERE c.code = ? AND c.n = r.n)")
        args.append(c)
    if topic:
        conds.append("EXISTS (SELECT 1 FROM topic t WHERE t.topic = ? AND t.n = r.n)")
        args.append(topic)
    if actor:
        from relations.store import index
        from relations.text import fold_key

        if ix._meta().get("fold") != index._fold_version():
            raise index.Stale("names folded otherwise")
        needle = fold_key(actor)
        conds.append("r.n IN (SELECT a.n FROM name m JOIN actor a ON a.nid = m.nid "
                     "WHERE (m.kind = 0 AND instr(m.key, ?) > 0) OR (m.kind = 1 AND m.key = ?))")
        args.extend([needle, needle])
    return "SELECT 1 FROM rec r WHERE r.n = ?" + "".join(f" AND {c}" for c in conds), args


def _from_index(ix, query: Query, since, until, codes, topic, actor, sort, limit) -> Iterator[Hit]:
    from relations.store.index import Stale

    q = ix.conn.execute
    filt = None
    if codes or topic or actor:
        sql, args = _filter_sql(ix, codes, topic, actor)
        filt = lambda n: q(sql, (n, *args)).fetchone() is not None
    read: dict[int, dict] = {}

    def record(n: int) -> dict:
        if n in read:
            return read[n]
        row = q("SELECT n, off, len, id FROM rec WHERE n = ?", (n,)).fetchone()
        if row is None:
            raise Stale("search table and records disagree")
        rec = next(iter(ix._read([row])))
        if sort == "date":  # a few records, each wanted twice; best first reads them all: not kept
            read[n] = rec
        return rec

    def accept(n: int) -> bool:  # the filters first: they need no read of the archive
        return (filt is None or filt(n)) and (query.exact or query.matches(record(n)))

    found = candidates(ix.conn, query, since=since, until=until, sort=sort, limit=limit,
                       accept=accept if filt or not query.exact else None, fetch=record)
    hits = [hit(record(n), score, query) for n, score in found]
    yield from hits


def search(archive, query: Query, warn=None, *, since=None, until=None, codes=(), topic=None, actor=None,
           sort: str = "date", limit: int | None = None) -> list[Hit]:
    """The records whose title or text match the query and `list`'s filters, in the order asked.

    From the index when it can be used (every record read back is checked against it, and a
    disagreement rebuilds it), else by `scan` over the archive: the same answer either way."""
    from relations import query as q
    from relations.store import index

    warn = warn or index._noop

    def keep(rec: dict) -> bool:
        return any(q.select([rec], codes=codes, topic=topic, actor=actor))

    def from_scan():
        return iter(scan(archive.records(warn), query, since=since, until=until, sort=sort, limit=limit,
                         keep=keep if codes or topic or actor else None))

    return list(index._answer(archive, warn, lambda ix: _from_index(ix, query, since, until, codes, topic,
                                                                     actor or None, sort, limit), from_scan))


COLUMNS = ["id", "date", "parties", "title", "snippet"]


def hit_row(h: Hit) -> dict:
    """The row `search` shows: the matches marked in the title and in a snippet of the text."""
    from relations.render.output import Marked

    rec = h.record
    text = rec.get("text") if isinstance(rec.get("text"), str) else ""
    title = rec.get("title") if isinstance(rec.get("title"), str) else ""
    snip, marks = snippet(text, h.text_spans)
    return {"id": rec.get("id"), "date": rec.get("date"), "parties": "–".join(_strs(rec.get("parties"))),
            "title": Marked(title, tuple(h.title_spans)), "snippet": Marked(snip, tuple(marks))}


def hit_data(h: Hit) -> dict:
    """A hit for programs: the list row's fields, the score, the snippet, and every match's span."""
    rec = h.record
    text = rec.get("text") if isinstance(rec.get("text"), str) else ""
    snip, marks = snippet(text, h.text_spans)
    ev = rec.get("event") if isinstance(rec.get("event"), dict) else {}
    return {"id": rec.get("id"), "date": rec.get("date"), "event": ev.get("type"),
            "parties": _strs(rec.get("parties")), "title": rec.get("title"), "score": float(f"{h.score:.6g}"),
            "snippet": snip, "snippet_spans": [list(m) for m in marks],
            "matches": {"title": [list(s) for s in h.title_spans], "text": [list(s) for s in h.text_spans]}}


def _strs(v) -> list[str]:
    return [x for x in v if isinstance(x, str)] if isinstance(v, list) else []
