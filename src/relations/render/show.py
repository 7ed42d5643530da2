"""One record, readable: header, actors, topics, agreements, events, and the
text with the evidence highlighted."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from rich.markup import escape
from rich.text import Text

from relations.render.output import _CONTROL, visible

STYLES = {"person": "bold cyan", "organization": "bold magenta", "country": "bold green", "topic": "underline",
          "agreement": "reverse", "date": "bold yellow"}


def _line(label: str, value) -> str:
    return f"[bold]{label}:[/bold] {escape(visible(value if value is not None else '—'))}"


def render_record(rec: dict, console, *, text: bool = True) -> None:
    """The header, actors, topics, agreements and events, then (unless `text` is false) the marked text."""
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
        body = rec.get("text", "")
        for t in rec["topics"]:
            words = sorted({body[s:e] for s, e in ev_map.get(t, [])})[:6]
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
    if not text:
        return
    console.print("\n[bold]Text[/bold]")
    console.print(f"[dim]{escape(legend())}[/dim]")
    console.print(highlighted(rec))


@dataclass(frozen=True)
class Mark:
    """One kind of evidence: the letter that marks it in the text, its name in the legend, its colour."""
    letter: str
    name: str
    style: str


MARKS = {m.name: m for m in (
    Mark("c", "country", STYLES["country"]), Mark("p", "person", STYLES["person"]),
    Mark("o", "organisation", STYLES["organization"]), Mark("t", "title", "cyan"),
    Mark("w", "topic word", STYLES["topic"]), Mark("a", "agreement", STYLES["agreement"]),
    Mark("e", "event cue", "bold red"), Mark("d", "event date", STYLES["date"]), Mark("l", "place", "bold blue"))}
_ACTOR_MARK = {"country": "country", "person": "person", "organization": "organisation"}


def legend() -> str:
    """The one line that says what the markers in the text mean."""
    return "Evidence: " + "  ".join(f"[{m.letter}:…] {m.name}" for m in MARKS.values())


def _evidence(rec: dict) -> list[tuple[int, int, str]]:
    """Every piece of evidence as (start, end, kind name), in stored-text offsets; damaged spans left out."""
    out = []

    def add(span, kind):
        try:
            s, e = (int(x) for x in span)
        except (TypeError, ValueError):
            return
        if e > s:
            out.append((s, e, kind))

    for ag in rec.get("agreements") or []:
        add(ag.get("span"), "agreement")
    for spans in (rec.get("topic_evidence") or {}).values():
        for sp in spans:
            add(sp, "topic word")
    for a in rec.get("actors") or []:
        for sp in a.get("spans") or []:
            add(sp, _ACTOR_MARK.get(a.get("kind"), "organisation"))
        if a.get("title_span"):
            add(a["title_span"], "title")
    ev = (rec.get("event") or {}).get("evidence") or {}
    for key, kind in (("type", "event cue"), ("date", "event date"), ("place", "place")):
        if ev.get(key):
            add(ev[key], kind)
    return out


def _nested(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, list[str]]]:
    """Spans made properly nested: the kinds of one stretch together, a span that crosses the end of
    the one around it cut there, so that every marker closes inside the one that opened before it."""
    same: dict[tuple[int, int], list[str]] = {}
    for s, e, kind in spans:
        kinds = same.setdefault((s, e), [])
        if kind not in kinds:
            kinds.append(kind)
    out, stack = [], []
    for (s, e), kinds in sorted(same.items(), key=lambda kv: (kv[0][0], -kv[0][1])):
        while stack and stack[-1] <= s:
            stack.pop()
        if stack:
            e = min(e, stack[-1])
        if e <= s:
            continue
        out.append((s, e, kinds))
        stack.append(e)
    return out


def highlighted(rec: dict, marks: bool = True) -> Text:
    """The article text with every piece of evidence marked `[letter:…]` and styled.

    The markers are plain text, so they survive NO_COLOR, a pager and a printout; colour only
    adds to them. Control characters from the page (escape sequences, bell, bidi overrides) are
    shown as `\\xNN` / `\\uNNNN`, never sent to the terminal; the evidence spans, which point
    into the stored text, are moved to match.
    """
    text = rec.get("text", "")
    if not isinstance(text, str):
        text = str(text)
    shown, moved, controls = _shown(text)
    spans = [(moved(s), moved(e), kind) for s, e, kind in _evidence(rec)]
    base = Text(shown)
    for s, e in controls:
        base.stylize("dim", s, e)
    nested = _nested(spans)
    t = Text()
    opens: dict[int, list[tuple[int, list[str]]]] = {}
    for s, e, kinds in nested:
        opens.setdefault(s, []).append((e, kinds))
    closing: list[tuple[int, int, str]] = []  # (end in shown text, start in t, style), innermost last
    pos = 0
    bounds = sorted(set(opens) | {e for s, e, _ in nested} | {len(shown)})
    for at in bounds:
        if at < pos:
            continue
        t.append_text(base[pos:at])
        pos = at
        while closing and closing[-1][0] <= at:
            _end, start, style = closing.pop()
            t.stylize(style, start, len(t))
            if marks:
                t.append("]", style="dim")
        for e, kinds in opens.get(at, []):
            if marks:
                t.append("[" + ",".join(MARKS[k].letter for k in kinds) + ":", style="dim")
            closing.append((e, len(t), MARKS[kinds[0]].style))
    return t


def _shown(text: str):
    """The text as shown (control characters made visible), a map from stored to shown offsets,
    and the shown stretches that are control characters."""
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

    return "".join(pieces), moved, controls

def render_others(others: list[dict], console) -> None:
    """The other reports of the record's happening, after the record."""
    if not others:
        return
    console.print("\n[bold]Also reported by:[/bold]")
    for o in others:
        console.print(f"  {escape(visible(o['agency']))} — {escape(visible(o['id']))} "
                      f"({escape(visible(o['date']))}): {escape(visible(o['title'][:90]))}")
