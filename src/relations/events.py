"""The main happening an article reports (type, date, place), the other dated
happenings it refers to, and the countries whose relations it is about."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from relations.dates import DateMention, MONTHS, WEEKDAYS
from relations.knowledge import Knowledge, Matcher
from relations.text import fold


@dataclass
class Event:
    type: str = "other"
    date: str | None = None
    place: str | None = None
    evidence: dict = field(default_factory=dict)
    date_how: str | None = None


def _type_matcher(kb: Knowledge) -> tuple[Matcher, dict[str, int]]:
    cached = kb.cache.get("events")
    if cached:
        return cached
    types = kb.section("events", "types", {}) or {}
    order = {t: i for i, t in enumerate(types)}
    got = (Matcher((cue, t) for t, cues in types.items() for cue in cues or []), order)
    kb.cache["events"] = got
    return got


def event_type(text: str, folded: str, zone: tuple[int, int], kb: Knowledge) -> tuple[str, tuple[int, int] | None]:
    """The earliest cue in the opening sentences decides; ties go to the dictionary's order."""
    matcher, order = _type_matcher(kb)
    hits = [(s, order.get(t, 99), t, (s, e)) for s, e, t in matcher.find(folded[: zone[1]], text[: zone[1]]) if s >= zone[0]]
    if not hits:
        return "other", None
    hits.sort()
    return hits[0][2], hits[0][3]


_NOT_PLACE = {fold(w) for w in list(MONTHS) + list(WEEKDAYS)} | {"the", "a", "an", "this", "that", "his", "her",
                                                              "its", "their", "addition", "particular", "order",
                                                              "response", "line", "terms", "view", "contrast"}
_PLACE = re.compile(r"\b(?:in|at|to|visiting|arrived in|from)\s+(?P<p>(?:the\s+)?[A-ZÀ-ÝĐ][\w’'.-]*(?:\s+[A-ZÀ-ÝĐ][\w’'.-]*){0,3})")
_REGIONS = {"asia", "europe", "africa", "southeast asia", "latin america", "south america", "north america",
            "the caribbean", "caribbean", "middle east", "the middle east", "oceania", "the pacific", "pacific",
            "central america", "east asia", "south asia", "asia-pacific", "the asia-pacific"}


def event_place(text: str, zone: tuple[int, int], anchor: int | None, skip_spans, country_spans,
                dateline: str | None) -> tuple[str | None, tuple[int, int] | None]:
    """`in Havana`, `at the Palace of the Revolution in Havana` -> Havana; a city before a country; else the dateline."""
    cands = []
    for m in _PLACE.finditer(text, zone[0], zone[1]):
        p = m.group("p")
        s = m.start("p")
        if p.startswith("the "):
            continue
        words = p.split()
        # cut at the first word that cannot belong to a place name
        keep = []
        for w in words:
            if fold(w).strip(".,") in _NOT_PLACE or (keep and w[0].isdigit()):
                break
            keep.append(w)
        if not keep:
            continue
        p = " ".join(keep).rstrip(".,’'")
        p = re.sub(r"['’]s$", "", p)
        e = s + len(p)
        if fold(p) in _REGIONS or any(a <= s < b for a, b in skip_spans):
            continue
        is_country = any(a <= s and e <= b + 2 for a, b in country_spans)
        cands.append((is_country, s, p, (s, e), m.group().split()[0].lower()))
    if cands:
        cities = [c for c in cands if not c[0]]
        pool = cities or cands
        # prefer the place nearest after the event cue
        if anchor is not None:
            after = [c for c in pool if c[1] >= anchor]
            pool = after or pool
        best = pool[0]
        return best[2], best[3]
    if dateline:
        return (dateline.title() if dateline.isupper() else dateline), None
    return None, None


def event_date(mentions: list[DateMention], zone: tuple[int, int], anchor: int | None) -> DateMention | None:
    """The first day-precise date in the opening sentences (after the dateline)."""
    pool = [m for m in mentions if zone[0] <= m.start < zone[1] and m.kind in ("exact", "weekday", "relative")]
    if not pool:
        pool = [m for m in mentions if zone[0] <= m.start < zone[1] and m.kind == "month"]
    if not pool:
        return None
    return pool[0]


def parties(person_countries_opening: list[str], opening_mentions: list[str], all_mentions: list[str],
            person_countries: list[str]) -> list[str]:
    """The dyad the story is about: countries of the opening's participants first, then the most named."""
    score: Counter = Counter()
    for c in person_countries_opening:
        score[c] += 3
    for c in opening_mentions:
        score[c] += 2
    for c in person_countries:
        score[c] += 1
    for c in all_mentions:
        score[c] += 0.5
    if not score:
        return []
    ranked = score.most_common()
    top = ranked[0][1]
    chosen = [c for c, s in ranked[:2] if s >= top * 0.25]
    return sorted(chosen)


def past_events(text: str, mentions: list[DateMention], main: DateMention | None, sents,
                skip) -> list[dict]:
    out = []
    seen = set()
    for m in mentions:
        if main is not None and m.start == main.start:
            continue
        if skip(m.start, m.end) or m.kind == "relative" and m.value == (main.value if main else None):
            continue
        sent = next(((a, b) for a, b in sents if a <= m.start < b), None)
        if sent is None:
            continue
        if m.kind == "anniversary":
            end = re.search(r"[,.;]|\s+and\s+the\s+\d", text[m.end:sent[1]])
            span = (m.start, m.end + end.start() if end else sent[1])
        else:
            span = sent
        if span[1] - span[0] > 300:
            span = (max(span[0], m.start - 150), min(span[1], m.end + 150))
        key = (m.value, span)
        if key in seen:
            continue
        seen.add(key)
        out.append({"date": m.value, "text": text[span[0]:span[1]].strip(), "span": list(span),
                    "expression": text[m.start:m.end], "how": m.how})
    return out
