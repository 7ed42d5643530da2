"""A timeline as one self-contained HTML page: a vertical time axis, nothing fetched from anywhere.

The page carries its own style sheet and no script; a Content-Security-Policy
forbids loading anything else. Events sit left of the axis, signed
agreements are marked on it, and the earlier events an article refers to sit
right of it, dashed, so that what was reported and what was recalled read
apart. Each entry names its agency and source and folds the passages of text
that support it into a <details> section. Every text that came from an article
is escaped (and its control characters made visible) before it goes in.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date as _date
from html import escape
from typing import TextIO

from relations.render.output import visible

CONTEXT = 90    # characters of text shown on either side of a piece of evidence


@dataclass(frozen=True)
class Evidence:
    """A passage of an article with the spans that support an entry, and how its date was read."""
    passage: str
    marks: tuple[tuple[int, int], ...]
    note: str


def _e(value) -> str:
    return escape(visible(value), quote=True)


def passage(text: str, spans: Iterable[tuple[int, int]], context: int = CONTEXT) -> tuple[str, tuple]:
    """The text around the spans (cut at white space, with … where cut) and the spans inside it."""
    spans = sorted((s, e) for s, e in spans if 0 <= s < e <= len(text))
    if not spans:
        return "", ()
    last = max(e for _, e in spans)
    start, end = max(0, spans[0][0] - context), min(len(text), last + context)
    while start > 0 and not text[start - 1].isspace() and spans[0][0] - start < context + 30:
        start -= 1
    while end < len(text) and not text[end].isspace() and end - last < context + 30:
        end += 1
    lead = "… " if start > 0 else ""
    marks, pos = [], start
    for s, e in spans:
        if s < pos:
            continue
        marks.append((len(lead) + s - start, len(lead) + e - start))
        pos = e
    return lead + text[start:end] + (" …" if end < len(text) else ""), tuple(marks)


def _pair(v) -> tuple[int, int] | None:
    if isinstance(v, list) and len(v) == 2 and all(isinstance(x, int) for x in v):
        return (v[0], v[1])
    return None


def evidence(entry: dict, rec: dict | None) -> Evidence | None:
    """What in the record supports the entry: the event's cue, date and place, the agreement's words,
    or the referenced event's words, with the rule that dated it."""
    if not rec or not isinstance(rec.get("text"), str):
        return None
    text = rec["text"]
    kind = entry.get("kind") or ""
    if entry.get("referenced"):
        for pe in rec.get("past_events") or []:
            if isinstance(pe, dict) and pe.get("text") == entry.get("what") and pe.get("date") == entry.get("date"):
                return _evidence(text, [_pair(pe.get("span"))], pe.get("expression"), pe.get("how"))
        return None
    if kind.startswith("signed"):
        for ag in rec.get("agreements") or []:
            if isinstance(ag, dict) and ag.get("status") == "signed" and ag.get("text") == entry.get("what"):
                return _evidence(text, [_pair(ag.get("span"))], None, None)
        return None
    ev = rec.get("event") if isinstance(rec.get("event"), dict) else {}
    spans = list((ev.get("evidence") or {}).values()) if isinstance(ev.get("evidence"), dict) else []
    return _evidence(text, [_pair(s) for s in spans], None, ev.get("date_how"))


def _evidence(text: str, spans, expression, how) -> Evidence | None:
    p, marks = passage(text, [s for s in spans if s])
    if not p:
        return None
    note = " — ".join(str(x) for x in (f"“{expression}”" if expression else None, how) if x)
    return Evidence(p, marks, note)


def _marked(ev: Evidence) -> str:
    out, pos = [], 0
    for s, e in ev.marks:
        out.append(_e(ev.passage[pos:s]))
        out.append(f"<mark>{_e(ev.passage[s:e])}</mark>")
        pos = e
    out.append(_e(ev.passage[pos:]))
    return "".join(out)


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


def readable_date(d: str) -> str:
    """2023-05-16 as '16 May 2023', 2024-09 as 'September 2024', a year as itself."""
    parts = d.split("-") if isinstance(d, str) else []
    try:
        if len(parts) == 3:
            x = _date(int(parts[0]), int(parts[1]), int(parts[2]))
            return f"{x.day} {_MONTHS[x.month - 1]} {x.year}"
        if len(parts) == 2:
            return f"{_MONTHS[int(parts[1]) - 1]} {int(parts[0])}"
    except (ValueError, IndexError):
        pass
    return str(d)


def _kind_class(entry: dict) -> str:
    kind = entry.get("kind") or "other"
    if entry.get("referenced"):
        return "referenced"
    if kind.startswith("signed"):
        return "signed"
    return "event"


def entry_html(entry: dict, rec: dict | None) -> str:
    cls = _kind_class(entry)
    kind = entry.get("kind") or "other"
    rid = entry.get("record") or ""
    date = entry.get("date") or ""
    src = (rec or {}).get("source") if isinstance((rec or {}).get("source"), dict) else {}
    byline = [x for x in ((rec or {}).get("agency"), src.get("name")) if x]
    where = f' <span class="place">in {_e(entry["place"])}</span>' if entry.get("place") else ""
    ref = ""
    if entry.get("referenced"):
        ref = f'<p class="ref">recalled by an article of {_e(readable_date((rec or {}).get("date") or ""))}</p>'
    ev = evidence(entry, rec)
    details = ""
    if ev:
        note = f'<p class="how">date read from {_e(ev.note)}</p>' if ev.note else ""
        details = f'<details><summary>evidence</summary><blockquote>{_marked(ev)}</blockquote>{note}</details>'
    return (f'<li class="entry {cls}" data-kind="{_e(kind)}" data-record="{_e(rid)}">'
            f'<div class="card"><p class="head"><time datetime="{_e(date)}">{_e(readable_date(date))}</time>'
            f' <span class="kind">{_e(kind)}</span>{where}</p>'
            f'<p class="what">{_e(entry.get("what") or "")}</p>{ref}'
            f'<p class="by">{_e(" · ".join(byline)) or "unknown source"} · <code>{_e(rid)}</code></p>'
            f'{details}</div></li>')


STYLE = """
:root{--ink:#1d2430;--soft:#5b6576;--line:#c9cfd9;--ev:#1f6feb;--sig:#b3261e;--ref:#7a5af8;--bg:#fbfbfd}
*{box-sizing:border-box}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;color:var(--ink);background:var(--bg)}
header{padding:24px 32px 8px;max-width:1100px;margin:auto}
h1{margin:0 0 4px;font-size:26px}
.sub{color:var(--soft);margin:0 0 10px}
.legend{display:flex;gap:18px;flex-wrap:wrap;color:var(--soft);font-size:13px;margin:0;padding:0;list-style:none}
.legend li::before{content:"";display:inline-block;width:11px;height:11px;border-radius:50%;margin-right:6px;vertical-align:-1px;background:var(--c)}
.legend .k-signed::before{border-radius:2px;transform:rotate(45deg)}
.legend .k-referenced::before{background:transparent;border:2px dashed var(--c)}
ol.axis{list-style:none;position:relative;max-width:1100px;margin:8px auto 40px;padding:0 32px}
ol.axis::before{content:"";position:absolute;top:0;bottom:0;left:50%;width:2px;background:var(--line)}
.year{position:relative;text-align:center;margin:18px 0 6px}
.year span{background:var(--bg);padding:2px 10px;font-weight:700;color:var(--soft);border:1px solid var(--line);border-radius:12px}
.entry{position:relative;width:50%;padding:6px 26px 6px 0;content-visibility:auto;contain-intrinsic-size:auto 150px}
.entry.referenced{margin-left:50%;padding:6px 0 6px 26px}
.entry::after{content:"";position:absolute;top:18px;right:-7px;width:12px;height:12px;border-radius:50%;background:var(--c);border:2px solid var(--bg)}
.entry.referenced::after{left:-7px;right:auto;background:var(--bg);border:2px dashed var(--c)}
.entry.signed::after{border-radius:2px;transform:rotate(45deg)}
.event{--c:var(--ev)}.signed{--c:var(--sig)}.referenced{--c:var(--ref)}
.card{background:#fff;border:1px solid var(--line);border-left:4px solid var(--c);border-radius:6px;padding:8px 12px}
.referenced .card{border-style:dashed;border-left-style:solid;background:#faf8ff}
.head{margin:0;font-size:13px;color:var(--soft)}
time{font-weight:700;color:var(--ink)}
.kind{display:inline-block;padding:0 7px;border-radius:9px;background:var(--c);color:#fff;font-size:12px;margin-left:4px}
.referenced .kind{background:transparent;color:var(--c);border:1px solid var(--c)}
.what{margin:4px 0}
.ref{margin:0;font-size:13px;font-style:italic;color:var(--soft)}
.by{margin:2px 0 0;font-size:12px;color:var(--soft)}
code{font-size:11px}
details{margin-top:4px;font-size:13px}
summary{cursor:pointer;color:var(--soft)}
blockquote{margin:4px 0;padding:4px 8px;border-left:3px solid var(--line);background:#f6f7f9}
mark{background:#ffe58a;padding:0 1px}
.how{margin:0;color:var(--soft)}
.empty{text-align:center;color:var(--soft)}
@media (max-width:700px){ol.axis::before{left:12px}.entry,.entry.referenced{width:auto;margin-left:0;padding:6px 0 6px 30px}
.entry::after,.entry.referenced::after{left:6px;right:auto}}
"""


def _summary(entries: list[dict]) -> str:
    if not entries:
        return "nothing found"
    dates = [e.get("date") or "" for e in entries]
    n_ref = sum(1 for e in entries if e.get("referenced"))
    n_sig = sum(1 for e in entries if _kind_class(e) == "signed")
    n_rec = len({e.get("record") for e in entries})
    return (f"{_n(len(entries), 'entry', 'entries')} from {readable_date(dates[0])} to "
            f"{readable_date(dates[-1])}: {_n(len(entries) - n_ref - n_sig, 'event')}, "
            f"{_n(n_sig, 'signed agreement')}, {_n(n_ref, 'referenced past event')}, from {_n(n_rec, 'article')}")


def _n(k: int, one: str, many: str | None = None) -> str:
    return f"{k} {one if k == 1 else (many or one + 's')}"


def document(entries: list[dict], *, title: str, sources: dict | None = None) -> str:
    """The whole page for timeline entries (query.timeline's, oldest first); sources maps record ids
    to records, for the agency, the source and the evidence."""
    sources = sources or {}
    body, year = [], None
    for e in entries:
        y = str(e.get("date") or "")[:4]
        if y != year:
            body.append(f'<li class="year"><span>{_e(y or "undated")}</span></li>')
            year = y
        body.append(entry_html(e, sources.get(e.get("record"))))
    if not entries:
        body.append('<li class="empty">nothing found</li>')
    legend = ('<ul class="legend"><li class="k-event event">event</li><li class="k-signed signed">signed agreement</li>'
              '<li class="k-referenced referenced">referenced past event</li></ul>')
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{_e(title)}: timeline</title><style>{STYLE}</style></head><body>"
            f"<header><h1>{_e(title)}</h1><p class=\"sub\">{_e(_summary(entries))}</p>{legend}</header>"
            f"<ol class=\"axis\">{''.join(body)}</ol></body></html>\n")


def write(entries: list[dict], *, title: str, sources: dict | None = None, stream: TextIO | None = None) -> None:
    (stream or sys.stdout).write(document(entries, title=title, sources=sources))
