"""Every output format, produced in one place for every command.

Rows are plain dicts. `table` is for people (rich, colour only on a terminal);
`json`, `jsonl` and `csv` are for programs; `html` (one self-contained page) and
`ics` (a calendar) are for sharing a timeline, and `COMMAND_FORMATS` says which
command takes which. Text that came from articles is
untrusted: markup is escaped and control characters are shown visibly, and
CSV cells that a spreadsheet would run as formulas are neutralised.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

FORMATS = ("table", "json", "jsonl", "csv", "html", "ics")
DATA_FORMATS = ("table", "json", "jsonl", "csv")
COMMAND_FORMATS = {"timeline": FORMATS}   # every other command: DATA_FORMATS


def check_format(fmt: str, command: str) -> str:
    """The format, when the command can write it; otherwise a one-line error saying what it can write."""
    allowed = COMMAND_FORMATS.get(command, DATA_FORMATS)
    if fmt not in allowed:
        from relations.errors import QueryError

        raise QueryError(f"--format {fmt} is not available for {command}: use {', '.join(allowed)}")
    return fmt


@dataclass(frozen=True)
class Marked:
    """Text with spans to highlight (search matches): styled in a table on a terminal, plain elsewhere."""
    text: str
    spans: tuple[tuple[int, int], ...] = ()

    def __str__(self) -> str:
        return self.text

    def rich(self, style: str = "bold yellow"):
        from rich.text import Text

        out, pos = Text(), 0
        for s, e in self.spans:
            out.append(visible(self.text[pos:s]))
            out.append(visible(self.text[s:e]), style=style)
            pos = e
        out.append(visible(self.text[pos:]))
        return out
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def visible(text: Any) -> str:
    """Control characters and escape sequences as visible `\\xNN` text, never as terminal codes."""
    s = "" if text is None else str(text)
    if any("\udc80" <= c <= "\udcff" for c in s):  # a file name that is not UTF-8
        from relations.article.reader import shown_path

        s = shown_path(s)
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256 else f"\\u{ord(m.group()):04x}", s)


def safe_cell(text: Any) -> str:
    """A CSV cell a spreadsheet will show, not run."""
    s = visible(text)
    if s[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + s
    return s


def default_format(stream=None) -> str:
    stream = stream or sys.stdout
    return "table" if getattr(stream, "isatty", lambda: False)() else "jsonl"


def jsonl_line(obj: Any) -> bytes:
    """One JSON Lines line: what `jsonl` output writes for a row or a record, and what the index keeps ready."""
    import orjson

    return orjson.dumps(obj) + b"\n"


def write_serialised(pieces: Iterable[bytes], stream=None) -> None:
    """JSON Lines that are already serialised (the index keeps timeline lines ready), written as they come."""
    out = stream or sys.stdout
    if (getattr(out, "encoding", None) or "").lower().replace("-", "") == "utf8" and hasattr(out, "buffer"):
        out.flush()
        for piece in pieces:  # not writelines: click's test runner loses what that writes
            out.buffer.write(piece)
    else:
        out.write(b"".join(pieces).decode())


def _cell(v: Any) -> str:
    if isinstance(v, Marked):
        return v.text
    if isinstance(v, (list, tuple)):
        return ", ".join(str(x) for x in v)
    return "" if v is None else str(v)


def _table_cell(v: Any, escape):
    if isinstance(v, Marked):
        return v.rich()
    return escape(visible(_cell(v)))


def render(rows: Sequence[dict], columns: Sequence[str], fmt: str, *, title: str | None = None,
           console=None, records: Iterable[dict] | None = None, sources: dict | None = None,
           priority: Sequence[str] | None = None) -> str | None:
    """Write rows in the chosen format. Machine formats carry whole records when given; `html` and `ics`
    take timeline entries as records, and sources (record id to record) for their evidence.

    A table fits the console's width: columns that would have to break a token are dropped,
    the least important (last in `priority`, by default the last shown) first."""
    if fmt in ("html", "ics"):
        from relations.render import calendar, page

        write = page.write if fmt == "html" else calendar.write
        write(list(records if records is not None else rows), title=title or "", sources=sources, stream=sys.stdout)
    elif fmt == "json":
        import orjson

        data = list(records) if records is not None else list(rows)
        sys.stdout.write(orjson.dumps(data, option=orjson.OPT_INDENT_2).decode() + "\n")
    elif fmt == "jsonl":
        out = sys.stdout
        for r in (records if records is not None else rows):
            out.write(jsonl_line(r).decode())
    elif fmt == "csv":
        import csv
        import io

        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(columns)
        for r in rows:
            w.writerow([safe_cell(_cell(r.get(c))) for c in columns])
        sys.stdout.write(buf.getvalue())
    else:
        from relations.render.console import make_console

        console = console or make_console()
        _table(rows, columns, title, console, priority)
        if not rows:
            console.print("(nothing found)")
    return None


# tables that fit ------------------------------------------------------------

# columns whose values are one token (ids, dates, codes, numbers): never wrapped
ATOMIC = frozenset({"id", "date", "record", "parties", "event", "kind", "n", "precision", "recall", "f1",
                    "referenced", "period", "count", "total", "year", "status", "code", "type", "records",
                    "events", "field", "file", "bar", "mean", "events bar"})


def _column_needs(rows: Sequence[dict], columns: Sequence[str]) -> dict[str, tuple[int, int]]:
    """For each column, the narrowest it can be without breaking a token, and its natural width."""
    from rich.cells import cell_len

    needs = {}
    for c in columns:
        cells = [visible(_cell(r.get(c))) for r in rows]
        widest = max([cell_len(c)] + [cell_len(x) for x in cells])
        if c in ATOMIC:
            least = widest
        else:
            words = [w for x in cells for w in x.split()]
            least = max([cell_len(c)] + [min(cell_len(w), 30) for w in words])
        needs[c] = (least, widest)
    return needs


def fitting_columns(rows: Sequence[dict], columns: Sequence[str], width: int,
                    priority: Sequence[str] | None = None) -> list[str]:
    """The columns that fit in `width` without breaking a token, dropping the least important first.

    `priority` lists columns most important first (default: the order shown); the first always stays."""
    order = list(priority) if priority else list(columns)
    order += [c for c in columns if c not in order]
    needs = _column_needs(rows, columns)
    keep = [c for c in columns]
    for victim in reversed(order[1:]):
        if sum(needs[c][0] + 3 for c in keep) + 1 <= width:
            break
        if victim in keep:
            keep.remove(victim)
    return keep


def table_width(console) -> int:
    return console.width


def _table(rows: Sequence[dict], columns: Sequence[str], title, console, priority) -> None:
    from rich.markup import escape
    from rich.table import Table

    shown = fitting_columns(rows, columns, table_width(console), priority)
    needs = _column_needs(rows, shown)
    table = Table(title=title, show_lines=False, header_style="bold")
    for c in shown:
        least, widest = needs[c]
        if c in ATOMIC:
            table.add_column(c, no_wrap=True, min_width=widest, overflow="ellipsis")
        else:
            table.add_column(c, min_width=least, overflow="fold")
    for r in rows:
        table.add_row(*[_table_cell(r.get(c), escape) for c in shown])
    console.print(table)
    dropped = [c for c in columns if c not in shown]
    if dropped:
        console.print(f"[dim](not shown at this width: {escape(', '.join(dropped))})[/dim]")
