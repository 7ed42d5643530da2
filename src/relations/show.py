"""One record, readable: header, actors, topics, agreements, events, and the
text with the evidence highlighted."""

from __future__ import annotations

from rich.markup import escape
from rich.text import Text

from relations.output import visible

STYLES = {"person": "bold cyan", "organization": "bold magenta", "country": "bold green", "topic": "underline",
          "agreement": "reverse", "date": "bold yellow"}


def _line(label: str, value) -> str:
    return f"[bold]{label}:[/bold] {escape(visible(value if value is not None else '—'))}"


def render_record(rec: dict, console) -> None:
    ev = rec.get("event") or {}
    console.print(f"[bold]{escape(visible(rec.get('title')))}[/bold]")
    console.print(_line("id", rec["id"]))
    console.print(_line("date", rec.get("date")) + (f"  ({escape(visible(rec.get('date_how')))})" if rec.get("date_how") else ""))
    console.print(_line("agency", rec.get("agency")) + "   " + _line("dateline", rec.get("dateline")))
    src = rec.get("source") or {}
    console.print(_line("source", src.get("path") or src.get("name")))
    console.print(_line("event", f"{ev.get('type')} on {ev.get('date') or '?'} in {ev.get('place') or '?'}"))
    if ev.get("date_how"):
        console.print(f"  [dim]date from {escape(visible(ev['date_how']))}[/dim]")
    console.print(_line("parties", ", ".join(rec.get("parties") or []) or None))
    actors = rec.get("actors") or []
    for kind, label in (("country", "Countries"), ("person", "Persons"), ("organization", "Organisations")):
        group = [a for a in actors if a.get("kind") == kind]
        if not group:
            continue
        console.print(f"\n[bold]{label}[/bold]")
        for a in group:
            extra = []
            if kind == "country":
                extra.append(a.get("code"))
            if a.get("title"):
                extra.append(a["title"])
            if kind != "country":
                extra.append(a.get("country") or "international")
            if a.get("acronym"):
                extra.append(a["acronym"])
            n = len(a.get("spans") or [])
            console.print(f"  [{STYLES[kind]}]{escape(visible(a['name']))}[/] — {escape(visible(', '.join(x for x in extra if x)))}"
                          f" [dim]({n} mention{'s' if n != 1 else ''})[/dim]")
    if rec.get("topics"):
        console.print("\n[bold]Topics[/bold]")
        ev_map = rec.get("topic_evidence") or {}
        text = rec.get("text", "")
        for t in rec["topics"]:
            words = sorted({text[s:e] for s, e in ev_map.get(t, [])})[:6]
            console.print(f"  {escape(t)} [dim]({escape(visible(', '.join(words)))})[/dim]")
    if rec.get("agreements"):
        console.print("\n[bold]Agreements[/bold]")
        for ag in rec["agreements"]:
            tops = ", ".join(ag.get("topics") or []) or "no topic"
            console.print(f"  [{ag.get('status')}] {escape(ag.get('kind', ''))} ({escape(tops)}; "
                          f"{escape(', '.join(ag.get('parties') or []))}): {escape(visible(ag.get('text')))}")
    if rec.get("past_events"):
        console.print("\n[bold]Referenced events[/bold]")
        for pe in rec["past_events"]:
            console.print(f"  {escape(pe.get('date') or '?')}: {escape(visible(pe.get('text')))}"
                          + (f" [dim]({escape(visible(pe.get('how')))})[/dim]" if pe.get("how") else ""))
    console.print("\n[bold]Text[/bold]")
    console.print(highlighted(rec))


def highlighted(rec: dict) -> Text:
    """The article text with every piece of evidence styled."""
    text = rec.get("text", "")
    t = Text(text)
    for ag in rec.get("agreements") or []:
        s, e = ag.get("span") or (0, 0)
        t.stylize(STYLES["agreement"], s, e)
    for topic, spans in (rec.get("topic_evidence") or {}).items():
        for s, e in spans:
            t.stylize(STYLES["topic"], s, e)
    for a in rec.get("actors") or []:
        for s, e in a.get("spans") or []:
            t.stylize(STYLES.get(a.get("kind"), "bold"), s, e)
    ev = (rec.get("event") or {}).get("evidence") or {}
    if ev.get("date"):
        t.stylize(STYLES["date"], *ev["date"])
    # control characters from the page are shown, not executed
    plain = t.plain
    if any(ord(c) < 32 and c not in "\n\t" or 0x7f <= ord(c) <= 0x9f for c in plain):
        out = Text()
        for i, ch in enumerate(plain):
            if ord(ch) < 32 and ch not in "\n\t" or 0x7f <= ord(ch) <= 0x9f:
                out.append(f"\\x{ord(ch):02x}", style="dim")
            else:
                out.append_text(t[i:i + 1])
        return out
    return t
