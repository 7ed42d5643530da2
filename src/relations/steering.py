"""Steering a timeline: which entries to keep, in which order, and counts per period.

Plain functions over the entries `query.timeline` makes (dicts with date, kind, what,
place, record, referenced), so every output format shows the same numbers.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from relations.errors import QueryError
from relations.record import AGREEMENT_KINDS, EVENT_TYPES

SIGNED = "signed"
REFERENCED = "referenced"
KINDS = EVENT_TYPES + (SIGNED,) + tuple(f"{SIGNED} {k}" for k in AGREEMENT_KINDS) + (REFERENCED,)
PERIODS = {"year": 4, "month": 7}


def check_kinds(kinds: Sequence[str]) -> tuple[str, ...]:
    """The kinds asked for, lower-cased; an unknown one is an error listing the known ones."""
    out = []
    for k in kinds:
        word = " ".join(k.lower().split())
        if word not in KINDS:
            raise QueryError(f"unknown kind '{k}': one of {', '.join(KINDS)}")
        out.append(word)
    return tuple(out)


def kind_matches(kind: str, wanted: Sequence[str]) -> bool:
    """`signed` stands for every signed document; other kinds match as written."""
    return any(kind == w or (w == SIGNED and kind.startswith(SIGNED + " ")) for w in wanted)


def steer(entries: Iterable[dict], *, kinds: Sequence[str] = (), referenced: bool = True,
          newest: bool = False, limit: int | None = None) -> list[dict]:
    """The entries of the kinds asked for, oldest first (or newest first), at most `limit` of them."""
    kept = [e for e in entries
            if (referenced or not e.get("referenced")) and (not kinds or kind_matches(e.get("kind", ""), kinds))]
    if newest:
        kept.reverse()
    return kept[:limit] if limit else kept


@dataclass
class PeriodCount:
    """How many entries a year (or month) holds, by kind."""
    period: str
    total: int
    counts: dict[str, int] = field(default_factory=dict)


def periods(entries: Iterable[dict], by: str) -> list[PeriodCount]:
    """Entries counted per period (`year` or `month`), in date order; a date known only to the year
    counts in that year's own row when counting by month."""
    size = PERIODS[by]
    per: dict[str, Counter] = {}
    for e in entries:
        d = e.get("date") or ""
        per.setdefault(d[:size], Counter())[e.get("kind") or "other"] += 1
    return [PeriodCount(p, sum(c.values()), dict(sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))))
            for p, c in sorted(per.items())]


def bar(n: int, most: int, width: int = 30) -> str:
    """An inline bar: n against the largest count, at least one block for any count above zero."""
    if n <= 0 or most <= 0:
        return ""
    return "█" * max(1, round(n * width / most))


def period_rows(counts: list[PeriodCount], *, bars: bool) -> tuple[list[dict], list[str]]:
    """Rows and columns of a per-period table (with a bar column) or CSV (one column per kind)."""
    if bars:
        most = max((c.total for c in counts), default=0)
        rows = [{"period": c.period, "total": c.total, "bar": bar(c.total, most),
                 "by kind": ", ".join(f"{k} {n}" for k, n in c.counts.items())} for c in counts]
        return rows, ["period", "total", "bar", "by kind"]
    kinds = sorted({k for c in counts for k in c.counts})
    rows = [{"period": c.period, "total": c.total, **{k: c.counts.get(k, 0) for k in kinds}} for c in counts]
    return rows, ["period", "total", *kinds]
