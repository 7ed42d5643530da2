"""A relation's summary for people: small tables with inline bars; programs get the numbers."""

from __future__ import annotations

from dataclasses import asdict

from relations.render.output import render
from relations.steering import bar
from relations.summary import SECTIONS, RelationSummary, flat_rows


def render_summary(s: RelationSummary, fmt: str, title: str, console=None) -> None:
    if fmt in ("json", "jsonl"):
        render([], [], fmt, records=[asdict(s)])
        return
    if fmt == "csv":
        render(flat_rows(s), ["section", "name", "count"], fmt)
        return
    from relations.render.console import make_console

    console = console or make_console()
    console.print(f"[bold]{title}[/bold]: {s.records} record{'s' if s.records != 1 else ''}")
    if not s.records:
        return
    most = max([y.records for y in s.years] + [y.events for y in s.years] + [0])
    rows = [{"year": y.year, "records": y.records, "bar": bar(y.records, most, 20),
             "events": y.events, "events bar": bar(y.events, most, 20)} for y in s.years]
    render(rows, ["year", "records", "bar", "events", "events bar"], fmt, title="Records and events per year",
           console=console)
    for attr, heading in SECTIONS:
        counts = getattr(s, attr)
        if not counts:
            continue
        top = max([c.count for c in counts] + [0])
        render([{"name": c.name, "count": c.count, "bar": bar(c.count, top, 20)} for c in counts],
               ["name", "count", "bar"], fmt, title=heading, console=console)
