"""A timeline as an iCalendar file (RFC 5545), written with the icalendar library.

Rule for dates. An entry dated to the day becomes an all-day VEVENT (DTSTART
that day, DTEND the next). An entry known only to the month or the year (`2024-09`,
`1963`) has no day to put it on, so it becomes a VJOURNAL, the standard's
"note", with no date property at all: its SUMMARY starts with the month or
year, and X-RELATIONS-DATE holds the date as the record gives it. No day is
invented.

Each component's UID is made from the record id and what the entry is (the
main event, a signed agreement, a referenced event), so importing a newer file
of the same timeline updates the entries instead of adding copies.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from datetime import date as _date
from typing import TextIO

from relations.digest import blake2b
from relations.errors import ExtraMissing
from relations.render.output import visible

SUMMARY = 160   # characters of an entry's text in its SUMMARY
DOMAIN = "relations.archive"


def _ical():
    try:
        import icalendar
    except ImportError:
        raise ExtraMissing("--format ics needs the calendar extra: pip install 'relations[calendar]'") from None
    return icalendar


def _short(text: str, n: int = SUMMARY) -> str:
    text = " ".join(visible(text).split())
    return text if len(text) <= n else text[:n - 1].rstrip() + "…"


def uid(entry: dict) -> str:
    """Stable across runs: the record id and which of its happenings this is."""
    rid = entry.get("record") or "unknown"
    kind = entry.get("kind") or "other"
    if entry.get("referenced"):
        what = f"ref-{entry.get('date')}-{_h(entry.get('what'))}"
    elif kind.startswith("signed"):
        what = f"signed-{_h(entry.get('what'))}"
    else:
        what = "event"
    return f"{rid}.{what}@{DOMAIN}"


def _h(text) -> str:
    return blake2b(str(text or "").encode("utf-8", "surrogatepass"), digest_size=5).hexdigest()


def _day(d) -> _date | None:
    if isinstance(d, str) and len(d) == 10:
        try:
            return _date.fromisoformat(d)
        except ValueError:
            return None
    return None


def description(entry: dict, rec: dict | None) -> str:
    lines = [visible(entry.get("what") or "")]
    rec = rec or {}
    src = rec.get("source") if isinstance(rec.get("source"), dict) else {}
    by = " · ".join(visible(x) for x in (rec.get("agency"), src.get("name")) if x)
    if entry.get("referenced"):
        lines.append(f"referenced in record {entry.get('record')}"
                     + (f", published {rec.get('date')}" if rec.get("date") else ""))
    else:
        lines.append(f"record: {entry.get('record')}")
    if by:
        lines.append(f"source: {by}")
    return "\n".join(lines)


def calendar(entries: list[dict], *, title: str, sources: dict | None = None, stamp: datetime | None = None):
    """An icalendar.Calendar of the timeline entries (sources maps record ids to records)."""
    ical = _ical()
    sources = sources or {}
    stamp = stamp or datetime.now(UTC).replace(microsecond=0)
    cal = ical.Calendar()
    cal.add("prodid", "-//relations//timeline//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"{title}: timeline" if title else "timeline")
    seen: dict[str, int] = {}
    for e in entries:
        u = uid(e)
        seen[u] = seen.get(u, 0) + 1
        if seen[u] > 1:  # the same happening stated twice in one record
            u = u.replace("@", f"-{seen[u]}@", 1)
        cal.add_component(_component(ical, e, sources.get(e.get("record")), u, stamp))
    return cal


def _component(ical, e: dict, rec: dict | None, u: str, stamp: datetime):
    day = _day(e.get("date"))
    kind = e.get("kind") or "other"
    comp = ical.Event() if day else ical.Journal()
    comp.add("uid", u)
    comp.add("dtstamp", stamp)
    if day:
        comp.add("summary", f"{kind}: {_short(e.get('what') or '')}")
        comp.add("dtstart", day)
        comp.add("dtend", day + timedelta(days=1))
        comp.add("transp", "TRANSPARENT")
    else:
        comp.add("summary", f"{e.get('date')} ({kind}): {_short(e.get('what') or '')}")
        comp.add("x-relations-date", str(e.get("date")))
    if e.get("place"):
        comp.add("location", visible(e["place"]))
    comp.add("description", description(e, rec))
    comp.add("categories", [kind])
    return comp


def write(entries: list[dict], *, title: str, sources: dict | None = None, stream: TextIO | None = None) -> None:
    data = calendar(entries, title=title, sources=sources).to_ical()
    out = stream or sys.stdout
    if hasattr(out, "buffer"):
        out.flush()
        out.buffer.write(data)
    else:
        out.write(data.decode())
