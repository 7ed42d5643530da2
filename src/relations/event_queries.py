"""The questions about happenings, as plain functions for the command line: `events`, the grouped
`timeline`, the other reports of a record for `show`, and `agreements`."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from relations import happenings as hp

if TYPE_CHECKING:
    from relations.store.archive import Archive

Warn = Callable[[str], None]


def _noop(_: str) -> None:
    pass


def events(archive: Archive, *, codes=(), since=None, until=None, warn: Warn = _noop) -> list[dict]:
    """One row per happening with a report naming all of `codes`, oldest first."""
    from relations.store import events as store

    codes = list(dict.fromkeys(codes))
    hs: Iterable[hp.Happening]
    if len(codes) >= 2:
        hs = store.happenings(archive, codes[0], codes[1], warn)
    else:
        hs = store.all_happenings(archive, warn)
        if codes:
            one = codes[0]
            hs = (h for h in hs if any(one in r.parties for r in h.reports))
            codes = []
    return hp.select_events(hs, codes=codes, since=since, until=until)


def timeline(archive: Archive, *, a: str, b: str, since=None, until=None, topic=None, all_reports: bool = False,
             warn: Warn = _noop) -> list[dict]:
    """The pair's dated history: one line per happening (its reports counted), or per record with all_reports."""
    from relations.store import events as store
    from relations.store import index

    entries = index.timeline(archive, a, b, warn, since=since, until=until, topic=topic)
    if all_reports:
        return entries
    by_record = {r.rid: h for h in store.shared_happenings(archive, a, b, warn) for r in h.reports}
    return hp.grouped_timeline(entries, by_record)


def timeline_row(e: dict, *, marked: bool = True) -> dict:
    """The table row of a timeline entry: the record, and the other reports of its happening.

    `marked` adds "(referenced)" beside the record, for outputs without a kind column to say it."""
    rec = e["record"] + (" (referenced)" if e["referenced"] and marked else "")
    if e.get("reports", 1) > 1 and not e["referenced"] and not e["kind"].startswith("signed"):
        rec += f" ({e['reports']} reports: {', '.join(e['outlets'])})"
    return {**e, "record": rec}


def also_reported(archive: Archive, *, rid: str, warn: Warn = _noop) -> list[dict]:
    """The other reports of the happening a record reports: id, date, outlet, title."""
    from relations.store import events as store

    h = store.happening_of(archive, rid, warn)
    if h is None:
        return []
    return [{"id": r.rid, "date": r.date, "agency": r.agency or hp.UNCREDITED, "title": r.title, "event": h.eid}
            for r in h.reports if r.rid != rid]


def agreements(archive: Archive, *, a: str, b: str, warn: Warn = _noop) -> list[dict]:
    """Each agreement between a and b once, with its status history and the records behind each step."""
    from relations.store import events as store
    from relations.store import index

    hs = store.happenings(archive, a, b, warn)
    recs = {r["id"]: r for r in store.pair_records(archive, a, b, warn)}
    for rid in {r.rid for h in hs for r in h.reports} - set(recs):  # a report that names one side only
        recs[rid] = index.find_record(archive, rid, warn)
    return [hp.agreement_row(ag) for ag in hp.agreements(hs, recs, codes=(a, b))]
