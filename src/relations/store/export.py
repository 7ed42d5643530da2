"""The archive as a file for other tools: Parquet columns, JSON Lines or CSV.

Parquet keeps the record's nested fields as nested columns under one explicit
schema (the record contract of relations.record, written as Arrow types), so
DuckDB, pandas or Spark read `actors`, `event` or `agreements` as structs and
lists without a parsing step. CSV has no nesting: nested fields go into their
cells as JSON text. Every export is written to a temporary file beside the
target and renamed over it, so a reader never sees half a file.
"""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import orjson

from relations.errors import ArchiveError, QueryError
from relations.extras import need
from relations.store.archive import Archive

FORMATS = ("parquet", "jsonl", "csv")
SUFFIXES = {".parquet": "parquet", ".pq": "parquet", ".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv"}
COLUMNS = ("id", "schema", "date", "date_how", "agency", "dateline", "title", "source", "event", "parties",
           "actors", "topics", "topic_evidence", "agreements", "past_events", "text")
NESTED = ("source", "event", "parties", "actors", "topics", "topic_evidence", "agreements", "past_events")
BATCH = 2000


@dataclass(frozen=True)
class Exported:
    path: Path
    fmt: str
    records: int
    skipped: int


def format_for(path: str, fmt: str | None) -> str:
    """The format asked for, or the one the file name implies."""
    if fmt:
        return fmt
    found = SUFFIXES.get(Path(path).suffix.lower())
    if found is None:
        raise QueryError(f"cannot tell the format from '{path}': give --format parquet, jsonl or csv")
    return found


def export(archive: Archive, path: str, *, fmt: str | None = None,
           warn: Callable[[str], None] = lambda m: None) -> Exported:
    """Write every readable record of the archive to path in the given format."""
    fmt = format_for(path, fmt)
    if fmt == "parquet":
        need("pyarrow", "parquet", "Parquet export")
    if not archive.path.exists():
        raise ArchiveError(f"{archive.path}: no such archive")
    target = Path(path)
    writer = {"parquet": _parquet, "jsonl": _jsonl, "csv": _csv}[fmt]
    folder = target.parent if str(target.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise ArchiveError(f"{target}: cannot write ({exc.strerror or exc})") from None
    os.close(fd)
    try:
        written, skipped = writer(archive.records(warn), tmp, warn)
        os.replace(tmp, target)
    except OSError as exc:
        raise ArchiveError(f"{target}: cannot write ({exc.strerror or exc})") from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return Exported(target, fmt, written, skipped)


def _jsonl(records: Iterable[dict], tmp: str, warn) -> tuple[int, int]:
    n = 0
    with open(tmp, "wb") as fh:
        for rec in records:
            fh.write(orjson.dumps(rec) + b"\n")
            n += 1
    return n, 0


def _csv(records: Iterable[dict], tmp: str, warn) -> tuple[int, int]:
    """One row per record; nested fields as JSON text; cells a spreadsheet would run are neutralised."""
    from relations.render.output import safe_cell

    n = 0
    with open(tmp, "w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(COLUMNS)
        for rec in records:
            out.writerow([_csv_cell(rec.get(c), c in NESTED, safe_cell) for c in COLUMNS])
            n += 1
    return n, 0


def _csv_cell(value, nested: bool, safe) -> str:
    if value is None:
        return ""
    if nested:
        return orjson.dumps(value).decode()
    return safe(value) if isinstance(value, str) else str(value)


def schema():
    """The record contract as Arrow types: one struct for every actor kind, nulls where a kind has no field."""
    pa = need("pyarrow", "parquet", "Parquet export")
    span = pa.list_(pa.int32())
    spans = pa.list_(span)
    text = pa.string()
    return pa.schema([
        ("id", text), ("schema", pa.int32()), ("date", text), ("date_how", text), ("agency", text),
        ("dateline", text), ("title", text),
        ("source", pa.struct([("path", text), ("name", text), ("sha256", text), ("title", text)])),
        ("event", pa.struct([("type", text), ("date", text), ("place", text), ("date_how", text),
                             ("evidence", pa.struct([("type", span), ("date", span), ("place", span)]))])),
        ("parties", pa.list_(text)),
        ("actors", pa.list_(pa.struct([("kind", text), ("name", text), ("code", text), ("country", text),
                                       ("title", text), ("acronym", text), ("spans", spans),
                                       ("title_span", span), ("country_how", text)]))),
        ("topics", pa.list_(text)),
        ("topic_evidence", pa.map_(text, spans)),
        ("agreements", pa.list_(pa.struct([("kind", text), ("status", text), ("parties", pa.list_(text)),
                                           ("topics", pa.list_(text)), ("text", text), ("span", span)]))),
        ("past_events", pa.list_(pa.struct([("date", text), ("text", text), ("span", span),
                                            ("expression", text), ("how", text)]))),
        ("text", text),
    ])


def _batches(records: Iterable[dict], size: int) -> Iterator[list[dict]]:
    batch: list[dict] = []
    for rec in records:
        batch.append(rec)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _as_columns(rec: dict) -> dict:
    """The record with its evidence map as the (key, value) pairs Arrow's map type takes."""
    ev = rec.get("topic_evidence")
    return {**rec, "topic_evidence": list(ev.items()) if isinstance(ev, dict) else ev}


def _parquet(records: Iterable[dict], tmp: str, warn) -> tuple[int, int]:
    """Record batches streamed into one Parquet file; a record that does not fit the schema is skipped."""
    pa = need("pyarrow", "parquet", "Parquet export")
    pq = need("pyarrow.parquet", "parquet", "Parquet export")
    sch = schema()
    written = skipped = 0
    with pq.ParquetWriter(tmp, sch, compression="zstd") as out:
        for batch in _batches(records, BATCH):
            rows = [_as_columns(r) for r in batch]
            try:
                table = pa.Table.from_pylist(rows, schema=sch)
            except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError):
                table, bad = _one_by_one(rows, sch, pa, warn)
                skipped += bad
            out.write_table(table)
            written += table.num_rows
    return written, skipped


def _one_by_one(rows: list[dict], sch, pa, warn) -> tuple[object, int]:
    good, bad = [], 0
    for row in rows:
        try:
            good.append(pa.Table.from_pylist([row], schema=sch))
        except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError) as exc:
            warn(f"record {row.get('id')}: skipped: does not fit the record format ({_first_line(exc)})")
            bad += 1
    return (pa.concat_tables(good) if good else sch.empty_table()), bad


def _first_line(exc: Exception) -> str:
    return (str(exc).splitlines() or [type(exc).__name__])[0][:120]

