"""Files in, records appended: the ingest job.

Parsing is pure, so with `jobs > 1` it runs in worker processes; results are
taken in file order, so the archive is the same whatever the number of jobs.
"""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from typing import Callable, Iterator

from relations import knowledge
from relations.archive import Archive
from relations.errors import RelationsError
from relations.parser import parse
from relations.reader import discover, read_article


@dataclass
class Outcome:
    path: str
    record: dict | None = None
    error: str | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass
class Summary:
    added: int = 0
    present: int = 0
    failed: list[Outcome] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def parse_file(path: str, default_date: str | None = None, dict_dirs: tuple[str, ...] = (),
               today: date | None = None) -> Outcome:
    """Read and parse one file; every user-caused problem comes back as an error string."""
    try:
        art = read_article(path)
        kb = knowledge.load(dict_dirs)
        rec = parse(art.text, art.source, default_date=default_date, kb=kb, today=today)
        return Outcome(path, rec, None, art.warnings)
    except RelationsError as exc:
        msg = str(exc)
        return Outcome(path, None, msg if msg.startswith(path) else f"{path}: {msg}")


def _star(args):
    return parse_file(*args)


def outcomes(paths: list[str], default_date: str | None = None, jobs: int = 1,
             dict_dirs: tuple[str, ...] = (), today: date | None = None) -> Iterator[Outcome]:
    files = list(discover(paths))
    todo = [(p, default_date, dict_dirs, today) for p, err in files if err is None]
    for p, err in files:
        if err is not None:
            yield Outcome(p, None, str(err))
    if jobs > 1 and len(todo) > 1:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            yield from pool.map(_star, todo, chunksize=max(1, min(64, len(todo) // (jobs * 8) or 1)))
    else:
        for args in todo:
            yield _star(args)


def count_files(paths: list[str]) -> int:
    return sum(1 for _ in discover(paths))


def ingest(paths: list[str], archive: Archive, *, default_date: str | None = None, jobs: int = 1,
           dict_dirs: tuple[str, ...] = (), today: date | None = None,
           progress: Callable[[Outcome], None] | None = None, notify: Callable[[str], None] = lambda m: None,
           timeout: float = 30.0, batch: int = 500) -> Summary:
    """Parse every file and append the new records; the archive stays whole whatever fails."""
    summary = Summary()
    with archive.writing(timeout=timeout, notify=notify, warn=summary.warnings.append):
        known = archive.ids(summary.warnings.append)
        pending: list[dict] = []
        for out in outcomes(paths, default_date, jobs, dict_dirs, today):
            summary.warnings.extend(out.warnings)
            if out.error:
                summary.failed.append(out)
            elif out.record["id"] in known:
                summary.present += 1
            else:
                known.add(out.record["id"])
                pending.append(out.record)
                if len(pending) >= batch:
                    summary.added += archive.append(pending)
                    pending = []
            if progress:
                progress(out)
        if pending:
            summary.added += archive.append(pending)
    return summary
