"""One record, readable: header, actors, topics, agreements, events, and the
text with the evidence highlighted."""

from __future__ import annotations

from bisect import bisect_right

from rich.markup import escape
from rich.text import Text

from relations.render.output import _CONTROL, visible

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
            console.print(f"  {escape('[' + str(ag.get('status')) + ']')} {escape(ag.get('kind', ''))} ({escape(tops)}; "
                          f"{escape(', '.join(ag.get('parties') or []))}): {escape(visible(ag.get('text')))}")
    if rec.get("past_events"):
        console.print("\n[bold]Referenced events[/bold]")
        for pe in rec["past_events"]:
            console.print(f"  {escape(pe.get('date') or '?')}: {escape(visible(pe.get('text')))}"
                          + (f" [dim]({escape(visible(pe.get('how')))})[/dim]" if pe.get("how") else ""))
    console.print("\n[bold]Text[/bold]")
    console.print(highlighted(rec))


def highlighted(rec: dict) -> Text:
    """The article text with every piece of evidence styled.

    Control characters from the page (escape sequences, bell, bidi overrides) are
    shown as `\\xNN` / `\\uNNNN`, never sent to the terminal; the evidence spans,
    which point into the stored text, are moved to match.
    """
    text = rec.get("text", "")
    if not isinstance(text, str):
        text = str(text)
    pieces, where, pos, shown = [], [], 0, 0
    controls = []
    for m in _CONTROL.finditer(text):
        pieces.append(text[pos:m.start()])
        where.append((pos, shown))
        shown += m.start() - pos
        code = visible(m.group())
        controls.append((shown, shown + len(code)))
        pieces.append(code)
        shown += len(code)
        pos = m.end()
    pieces.append(text[pos:])
    where.append((pos, shown))
    starts = [w[0] for w in where]

    def moved(i: int) -> int:
        """Where offset i of the stored text is in the shown text."""
        i = max(0, min(int(i), len(text)))
        k = bisect_right(starts, i) - 1
        orig, new = where[k]
        return new + (i - orig)

    t = Text("".join(pieces))

    def style(name: str, span) -> None:
        try:
            s, e = span
            t.stylize(name, moved(s), moved(e))
        except (TypeError, ValueError):
            pass  # a damaged span: nothing to highlight

    for ag in rec.get("agreements") or []:
        style(STYLES["agreement"], ag.get("span") or (0, 0))
    for topic, spans in (rec.get("topic_evidence") or {}).items():
        for sp in spans:
            style(STYLES["topic"], sp)
    for a in rec.get("actors") or []:
        for sp in a.get("spans") or []:
            style(STYLES.get(a.get("kind"), "bold"), sp)
    ev = (rec.get("event") or {}).get("evidence") or {}
    if ev.get("date"):
        style(STYLES["date"], ev["date"])
    for s, e in controls:
        t.stylize("dim", s, e)
    return t


def render_others(others: list[dict], console) -> None:
    """The other reports of the record's happening, after the record."""
    if not others:
        return
    console.print("\n[bold]Also reported by:[/bold]")
    for o in others:
        console.print(f"  {escape(visible(o['agency']))} — {escape(visible(o['id']))} "
                      f"({escape(visible(o['date']))}): {escape(visible(o['title'][:90]))}")
