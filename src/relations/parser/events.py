"""The main happening an article reports (type, date, place), the other dated
happenings it refers to, and the countries whose relations it is about."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from relations.parser.dates import DateMention, MONTHS, WEEKDAYS
from relations.knowledge import Knowledge, Matcher
from relations.text import LazyPattern, SpanIndex, fold


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


# "during the visit", "on a state visit to Tokyo", "who is on an official visit": the visit is the setting,
# not what the sentence reports
_SETTING = LazyPattern(r"(?:\b(?:during|on|amid|within|while on|as part of|on the occasion of|on the sidelines of|"
                      r"in the framework of|who is on|who was on|ahead of|following|after)\s+"
                      r"(?:(?:a|an|the|his|her|their|its|this|that)\s+)?(?:[\w’'-]+\s+){0,4})$")


def event_type(text: str, folded: str, zone: tuple[int, int], kb: Knowledge,
               headline: tuple[int, int] | None = None) -> tuple[str, tuple[int, int] | None]:
    """The earliest cue in the opening sentences decides; ties go to the dictionary's order.

    A signing in the headline makes the story a signing; a visit named only as the setting
    (`during the visit, the two sides signed …`) gives way to what the sentence reports."""
    matcher, order = _type_matcher(kb)
    if headline:
        for s, e, t in matcher.find(folded[headline[0]:headline[1]], text[headline[0]:headline[1]]):
            if t == "signing":
                return t, (headline[0] + s, headline[0] + e)
    hits = [(s, order.get(t, 99), t, (s, e)) for s, e, t in matcher.find(folded[: zone[1]], text[: zone[1]]) if s >= zone[0]
            and not (t == "signing" and _FUTURE.search(folded, max(zone[0], s - 40), s))]
    if not hits:
        return "other", None
    hits.sort()
    if folded[hits[0][3][0]:hits[0][3][1]] == "announced":
        # "announced the signing of …", "announced a visit": the happening announced is the event
        near = [h for h in hits[1:] if h[0] - hits[0][3][1] <= 40 and not re.search(r"[.;:!?]", folded[hits[0][3][1]:h[0]])]
        if near:
            hits = near + [h for h in hits if h not in near]
    if hits[0][2] == "visit":
        s0 = hits[0][0]
        if _SETTING.search(folded, max(zone[0], s0 - 60), s0):
            others = [h for h in hits if h[2] != "visit"]
            if others:
                return others[0][2], others[0][3]
    return hits[0][2], hits[0][3]


# "will meet next week to sign", "push for the swift signing of": a signing still to come is not the event
_FUTURE = LazyPattern(r"(?:\b(?:to|will|would|shall)\s+(?:\w+ly\s+)?|\b(?:push|pushed|pushing|call|called|calling)\s+for\s+"
                     r"(?:the\s+)?(?:\w+\s+)?|\b(?:swift|speedy|early|prompt|soon|upcoming|future|possible|planned)\s+)$")
_LATER = re.compile(r"\b(?:will|would|shall|due\s+to|expected\s+to|scheduled\s+to|set\s+to|plans?\s+to)\s+"
                    r"(?:[a-z]+\s+){0,4}(?:in|at|to)\s+$")
_NOT_PLACE = {fold(w) for w in list(MONTHS) + list(WEEKDAYS)} | {"the", "a", "an", "this", "that", "his", "her",
                                                              "its", "their", "addition", "particular", "order",
                                                              "response", "line", "terms", "view", "contrast"}
_PLACE = re.compile(r"\b(?:in|at|to|visiting|arrived in|from)\s+(?P<p>(?:the\s+)?[A-ZÀ-ÝĐ][\w’'.-]*(?:\s+[A-ZÀ-ÝĐ][\w’'.-]*){0,3})")
_REGIONS = {"asia", "europe", "africa", "southeast asia", "latin america", "south america", "north america",
            "the caribbean", "caribbean", "middle east", "the middle east", "oceania", "the pacific", "pacific",
            "central america", "east asia", "south asia", "asia-pacific", "the asia-pacific"}


# "West Africa", "Southeast Asia", "Northern Europe": regions, never the place of a happening
_COMPASS_REGION = re.compile(r"(?:the\s+)?(?:west|east|north|south|central|southeast|southwest|northeast|northwest|"
                             r"western|eastern|northern|southern|sub-saharan)\s+(?:africa|asia|europe|america|pacific)")
_AT_BUILDING = re.compile(r"\bat\s+the\s+[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*){0,4},\s+(?P<p>[A-Z][\w’'.-]*(?:\s[A-Z][\w’'.-]*)?)")


_CODE = re.compile(r"[A-Z]{3}")


@dataclass(frozen=True)
class KnownPlaces:
    cities: dict[str, str]      # folded city name -> country code
    capitals: dict[str, str]    # country code -> capital


def known_places(kb: Knowledge | None) -> KnownPlaces:
    """Known cities and capitals, from places.yaml (built once per dictionary set)."""
    if kb is None:
        return KnownPlaces({}, {})
    cached = kb.cache.get("event_places")
    if cached:
        return cached
    city, capital = {}, {}
    for code, entry in (kb.data.get("places") or {}).items():
        if not isinstance(entry, dict) or not _CODE.fullmatch(str(code)):
            continue
        if entry.get("capital"):
            capital[code] = str(entry["capital"])
            city.setdefault(fold(str(entry["capital"])), code)
        for p in entry.get("places") or []:
            city.setdefault(fold(str(p)), code)
    got = KnownPlaces(city, capital)
    kb.cache["event_places"] = got
    return got




def event_place(text: str, zone: tuple[int, int], anchor: int | None, skip_spans, country_spans,
                dateline: str | None, kb: Knowledge | None = None, country_codes=None,
                lead: tuple[int, int] | None = None) -> tuple[str | None, tuple[int, int] | None]:
    """`in Havana`, `at the Palace of the Revolution in Havana` -> Havana; a known city before a country;
    `the capital of Laos` -> its capital; a country whose city is the dateline -> the dateline."""
    places = known_places(kb)
    city_of, capital_of = places.cities, places.capitals
    codes = country_codes or [None] * len(country_spans)
    skipped = SpanIndex(skip_spans)
    # the country spans are in order and do not overlap (as found): each lookup is a binary search
    ordered = all(a[1] <= b[0] for a, b in zip(country_spans, country_spans[1:]))
    c_starts = [a for a, _ in country_spans]
    cands = []
    for m in _PLACE.finditer(text, zone[0], zone[1]):
        p = m.group("p")
        s = m.start("p")
        if p.startswith("the "):
            continue
        words = p.split()
        # cut at the first word that cannot belong to a place name, and at the end of a sentence
        keep = []
        for w in words:
            if fold(w).strip(".,") in _NOT_PLACE or (keep and w[0].isdigit()):
                break
            keep.append(w)
            if w.endswith((".", ",")) and not re.fullmatch(r"(?:[A-Z]\.)+", w):
                break
        if not keep:
            continue
        p = " ".join(keep).rstrip(".,’'")
        p = re.sub(r"['’]s$", "", p)
        e = s + len(p)
        if fold(p) in _REGIONS or _COMPASS_REGION.fullmatch(fold(p)) or skipped.covers(s):
            continue
        if _LATER.search(text, max(zone[0], m.start() - 50), m.start("p")):
            continue        # "will meet next week in Buenos Aires": a place still to come
        if ordered:
            k = bisect_right(c_starts, s) - 1
            inside = [k] if k >= 0 and s < country_spans[k][1] else []
        else:
            inside = [i for i, (a, b) in enumerate(country_spans) if a <= s < b]
        if inside and country_spans[inside[0]][1] + 2 < e:
            continue        # "South Korean President Lee": a demonym and a name, not a place
        if ordered:
            # (the spans starting at or before s: the last of them reaches furthest)
            is_country = bool(inside) and e <= country_spans[bisect_right(c_starts, s) - 1][1] + 2
        else:
            is_country = bool(inside) and any(a <= s and e <= b + 2 for a, b in country_spans)
        known = city_of.get(fold(p))
        if not known and not inside and dateline and re.match(r"\s+here\b", text[e:e + 6]):
            # "at Seri Perdana here": the building is in the dateline's city
            return (dateline.title() if dateline.isupper() else dateline), None
        code = codes[inside[0]] if inside else known
        cands.append((is_country, s, p, (s, e), known is not None and not is_country, code))
    # "at the Presidential Villa, Abuja": a building, then its city
    for m in _AT_BUILDING.finditer(text, zone[0], zone[1]):
        p = m.group("p")
        if city_of.get(fold(p)) and not skipped.covers(m.start("p")):
            cands.append((False, m.start("p"), p, (m.start("p"), m.end("p")), True, city_of[fold(p)]))
    # "will arrive in the capital of Laos", "the Cuban capital"
    for i, (a, b) in enumerate(country_spans):
        if not (zone[0] <= a < zone[1]) or codes[i] not in capital_of:
            continue
        pre = fold(text[max(zone[0], a - 30):a])
        post = fold(text[b:b + 9])
        if re.search(r"\bcapital(?:\s+city)?\s+of\s+(?:the\s+)?$", pre) or (re.match(r"\s+capital\b", post)
                                                                           and re.search(r"\bthe\s+$", pre)):
            cands.append((False, a, capital_of[codes[i]], None, True, codes[i]))
    cands.sort(key=lambda c: c[1])
    dl_code = city_of.get(fold(dateline)) if dateline else None
    dl_name = (dateline.title() if dateline and dateline.isupper() else dateline)
    if cands:
        def nearest(pool):
            if anchor is not None:
                after = [c for c in pool if c[1] >= anchor]
                pool = after or pool
            return pool[0]
        known = [c for c in cands if c[4]]
        countries = [c for c in cands if c[0]]
        others = [c for c in cands if not c[0]]
        # "a visit to Russia, … the agreements signed in Havana in May": the place that goes with the event cue
        direct = [c for c in cands if anchor is not None and anchor <= c[1] <= anchor + 40]
        if direct and (direct[0][0] or direct[0][4]):
            best = direct[0]
        elif known:
            best = nearest(known)
            return best[2], best[3]
        elif countries and not others:
            best = nearest(countries)
        else:
            best = None
        if best is not None and best[0]:
            # "a visit to Japan", dateline "Tokyo": the city in that country
            if dl_code and dl_code == best[5]:
                return dl_name, None
            # a caption or headline before the story may name the city ("… in Hanoi on September 13")
            if lead:
                for m in _PLACE.finditer(text, lead[0], lead[1]):
                    w = m.group("p").split()
                    for k in range(min(3, len(w)), 0, -1):
                        name = " ".join(w[:k]).rstrip(".,")
                        if city_of.get(fold(name)) == best[5] and best[5]:
                            return name, (m.start("p"), m.start("p") + len(name))
            return best[2], best[3]
        if best is not None:
            return best[2], best[3]
        best = nearest(others)
        return best[2], best[3]
    if dateline:
        return dl_name, None
    if lead:
        # "Macron in Rabat: …": a headline that names a known city, when the story names none
        for m in _PLACE.finditer(text, lead[0], lead[1]):
            w = m.group("p").split()
            for k in range(min(3, len(w)), 0, -1):
                name = " ".join(w[:k]).rstrip(".,:;")
                if city_of.get(fold(name)):
                    return name, (m.start("p"), m.start("p") + len(name))
    return None, None


def event_date(mentions: list[DateMention], zone: tuple[int, int], anchor: int | None,
               published: date | None = None, dateline_dates: list[DateMention] | None = None) -> DateMention | None:
    """The first day-precise date in the opening sentences (after the dateline), else the dateline's own date.

    A date well before publication (`the visit … in June 2022` in a story of April 2023) is an earlier
    happening the opening recalls, not the one it reports."""
    def recent(m: DateMention) -> bool:
        if published is None:
            return True
        d = _first_day(m.value)
        return d is None or d >= published - timedelta(days=45) or m.value == published.isoformat()[:len(m.value)]

    opening = [m for m in mentions if zone[0] <= m.start < zone[1] and recent(m)]
    pool = [m for m in opening if m.kind in ("exact", "weekday", "relative")]
    if not pool:
        pool = [m for m in dateline_dates or [] if m.kind == "exact" and recent(m)]
    if not pool:
        pool = [m for m in opening if m.kind == "month"]
    if not pool:
        return None
    return pool[0]


def _first_day(value: str) -> date | None:
    parts = value.split("-")
    try:
        return date(int(parts[0]), int(parts[1]) if len(parts) > 1 else 1, int(parts[2]) if len(parts) > 2 else 1)
    except (ValueError, IndexError):
        return None


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
    # the sentences are in order and do not overlap: the one holding a date is found by binary search
    ordered = all(a[1] <= b[0] for a, b in zip(sents, sents[1:]))
    starts = [a for a, _ in sents]
    for m in mentions:
        if main is not None and m.start == main.start:
            continue
        if skip(m.start, m.end) or m.kind == "relative" and m.value == (main.value if main else None):
            continue
        if ordered:
            k = bisect_right(starts, m.start) - 1
            sent = sents[k] if k >= 0 and m.start < sents[k][1] else None
        else:
            sent = next(((a, b) for a, b in sents if a <= m.start < b), None)
        if sent is None:
            continue
        if m.kind == "anniversary":
            end = re.search(r"[,.;]|\s+and\s+the\s+\d", text[m.end:sent[1]])
            span = (m.start, m.end + end.start() if end else sent[1])
        else:
            span = sent
        if span[1] - span[0] > 300:
            # a window around the date, widened to whole words
            a, b = max(span[0], m.start - 150), min(span[1], m.end + 150)
            while a > span[0] and text[a - 1].isalnum():
                a -= 1
            while b < span[1] and text[b].isalnum():
                b += 1
            span = (a, b)
        while span[0] < span[1] and text[span[0]].isspace():
            span = (span[0] + 1, span[1])
        while span[1] > span[0] and text[span[1] - 1].isspace():
            span = (span[0], span[1] - 1)
        key = (m.value, span)
        if key in seen:
            continue
        seen.add(key)
        out.append({"date": m.value, "text": text[span[0]:span[1]], "span": list(span),
                    "expression": text[m.start:m.end], "how": m.how})
    return out
