"""The summary of one relation: the page a briefing starts from.

A plain function over records: how many stories and events each year, the kinds of
event, the topics, the persons met most often and the agreements by status. The
records are those whose parties hold both countries (what the story is about).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from relations.query import in_range, record_entries


@dataclass
class Count:
    """One named number of the summary."""
    name: str
    count: int


@dataclass
class Year:
    year: str
    records: int = 0
    events: int = 0


@dataclass
class RelationSummary:
    a: str
    b: str
    records: int = 0
    years: list[Year] = field(default_factory=list)
    event_types: list[Count] = field(default_factory=list)
    topics: list[Count] = field(default_factory=list)
    persons: list[Count] = field(default_factory=list)
    agreements: list[Count] = field(default_factory=list)


def _ranked(c: Counter, top: int | None) -> list[Count]:
    return [Count(k, n) for k, n in sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[:top]]


def _persons(rec: dict) -> set[str]:
    """The persons a story names, once each, as `Name (CODE)`: offices are worded differently from
    story to story, so they would split one person into several."""
    out = set()
    for a in rec.get("actors") or []:
        if isinstance(a, dict) and a.get("kind") == "person" and a.get("name"):
            out.add(f"{a['name']} ({a['country']})" if a.get("country") else a["name"])
    return out


def summarise(records: Iterable[dict], a: str, b: str, *, since: str | None = None, until: str | None = None,
              top: int = 10) -> RelationSummary:
    """What the records about the relation of `a` and `b` (by publication date in range) add up to.

    Events are the stories' own dated happenings and signings (not the earlier events they refer
    to), counted in the year they happened."""
    out = RelationSummary(a, b)
    per_year: dict[str, Year] = {}
    types, topics, persons, agreements = Counter(), Counter(), Counter(), Counter()
    for r in records:
        parties = r.get("parties") or []
        if not (a in parties and b in parties) or not in_range(r.get("date"), since, until):
            continue
        out.records += 1
        year = (r.get("date") or "undated")[:4]
        per_year.setdefault(year, Year(year)).records += 1
        for _key, e in record_entries(r):
            if e["referenced"]:
                continue
            y = e["date"][:4]
            per_year.setdefault(y, Year(y)).events += 1
            types[e["kind"]] += 1
        topics.update(t for t in r.get("topics") or [] if isinstance(t, str))
        persons.update(_persons(r))
        agreements.update(str(ag.get("status")) for ag in r.get("agreements") or [] if isinstance(ag, dict))
    out.years = [per_year[y] for y in sorted(per_year)]
    out.event_types = _ranked(types, None)
    out.topics = _ranked(topics, top)
    out.persons = _ranked(persons, top)
    out.agreements = _ranked(agreements, None)
    return out


SECTIONS = (("event_types", "Events by kind"), ("topics", "Top topics"), ("persons", "Persons met most often"),
            ("agreements", "Agreements by status"))


def flat_rows(s: RelationSummary) -> list[dict]:
    """Every number of the summary as `section, name, count` rows (for CSV)."""
    rows = [{"section": "records", "name": "all", "count": s.records}]
    for y in s.years:
        rows.append({"section": "records per year", "name": y.year, "count": y.records})
        rows.append({"section": "events per year", "name": y.year, "count": y.events})
    for attr, _title in SECTIONS:
        rows.extend({"section": attr.replace("_", " "), "name": c.name, "count": c.count} for c in getattr(s, attr))
    return rows
