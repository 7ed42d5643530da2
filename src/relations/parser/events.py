"""The main happening an article reports (type, date, place), the other dated
happenings it refers to, and the countries whose relations it is about."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from relations.knowledge import Knowledge, Matcher, gazetteer
from relations.parser.dates import MONTHS, WEEKDAYS, DateMention
from relations.text import LazyPattern, SpanIndex, fold


@dataclass
class Event:
    type: str = "other"
    date: str | None = None
    place: str | None = None
    evidence: dict = field(default_factory=dict)
    date_how: str | None = None


@dataclass(frozen=True)
class _Cues:
    matcher: Matcher
    order: dict[str, int]
    weak: Matcher        # cues that decide only when the opening holds no other


def _type_matcher(kb: Knowledge) -> _Cues:
    cached = kb.cache.get("events")
    if cached:
        return cached
    types = kb.section("events", "types", {}) or {}
    weak = kb.section("events", "weak", {}) or {}
    order = {t: i for i, t in enumerate(types)}
    got = _Cues(Matcher((cue, t) for t, cues in types.items() for cue in cues or []), order,
                Matcher((cue, t) for t, cues in weak.items() for cue in cues or []))
    kb.cache["events"] = got
    return got


# "during the visit", "on a state visit to Tokyo", "who is on an official visit", "is paying an official visit …
# During their talks": the visit is the setting, not what the sentence reports
_SETTING = LazyPattern(r"(?:\b(?:during|on|amid|within|while on|as part of|on the occasion of|on the sidelines of|"
                      r"in the framework of|who is on|who was on|ahead of|following|after|is paying|are paying|"
                      r"is on|are on)\s+"
                      r"(?:(?:a|an|the|his|her|their|its|this|that)\s+)?(?:[\w’'-]+\s+){0,4}|\b(?:is|are)\s+)$")
# "…, according to a joint statement": the source of the report, not the happening
_SOURCE_OF = LazyPattern(r"\baccording\s+to\s+(?:a|an|the|their|its)\s+$")
# "visiting Belarusian Foreign Minister Sergei Aleinik": the guest's description, not what the sentence reports
_VISITING_OFFICIAL = re.compile(r"visiting\s+(?:[A-Z][\w’'-]+\s+){0,2}(?:Foreign|Prime|President|Minister|Deputy|Vice|"
                                r"Defen[cs]e|King|Queen|Crown|Premier|Chancellor|Secretary|Speaker|Emir|Sheikh|"
                                r"delegation|counterpart|leader|head)\b")
# "a reception to celebrate the 75th anniversary", "China, Mongolia celebrate 75th anniversary of ties": the
# commemoration is the happening
_CELEBRATES = LazyPattern(r"\b(?:celebrat|mark|commemorat|observ)[a-z]*\s+(?:the\s+)?(?:\d{1,3}(?:st|nd|rd|th)|"
                         r"[a-z]+(?:th|st|nd|rd))\s+(?:founding\s+)?anniversary\b")
_HOSTED_FOR = LazyPattern(r"\b(?:reception|ceremony|event|gala|celebration|concert|banquet|rally|meeting|exhibition)"
                         r"\s+(?:[\w’'-]+\s+){0,3}$")
# "presented 50 tonnes of rice", "handed over medical supplies", "delivered 2,000 tons of aid": a gift of goods
_GIVES = LazyPattern(r"\b(?:present|hand|deliver|provid|donat|offer|gave|give|send|sent)[a-z]*(?:\s+over)?\s+"
                    r"(?:[\w$,.’'-]+\s+){0,8}?(?:rice|supplies|aid|relief|vaccines?|doses|gifts?|assistance|"
                    r"equipment|tonnes|tons|food|medicine|medicines)\b")


def _headline_type(text: str, folded: str, headline: tuple[int, int], cues: _Cues) -> tuple[str, tuple] | None:
    """A headline that says a signing, a joint statement or a commemoration decides the type."""
    a, b = headline
    for s, e, t in cues.matcher.find(folded[a:b], text[a:b]):
        if t == "signing" or (t == "statement" and folded[a + s:a + e].startswith("joint")):
            return t, (a + s, a + e)
    m = _CELEBRATES.search(folded, a, b)
    return ("anniversary", m.span()) if m else None


def event_type(text: str, folded: str, zone: tuple[int, int], kb: Knowledge,
               headline: tuple[int, int] | None = None) -> tuple[str, tuple[int, int] | None]:
    """The earliest cue in the opening sentences decides; ties go to the dictionary's order.

    A signing in the headline makes the story a signing; a visit named only as the setting
    (`during the visit, the two sides signed …`) gives way to what the sentence reports; a weak cue
    (`announced`, `agreed`) decides only when its sentence holds no other."""
    cues = _type_matcher(kb)
    if headline:
        got = _headline_type(text, folded, headline, cues)
        if got:
            return got
    hits = [(s, cues.order.get(t, 99), t, (s, e)) for s, e, t in cues.matcher.find(folded[: zone[1]], text[: zone[1]])
            if s >= zone[0] and not (t in ("signing", "statement") and _still_to_come(folded, zone[0], s, e))
            and not (t == "visit" and _VISITING_OFFICIAL.match(text, s))
            and not (t == "statement" and _SOURCE_OF.search(folded, max(zone[0], s - 30), s))]
    hits += [(m.start(), cues.order.get("aid", 99), "aid", m.span()) for m in _GIVES.finditer(folded, zone[0], zone[1])]
    first_end = _sentence_end(text, zone[0], zone[1])
    for m in _CELEBRATES.finditer(folded, zone[0], first_end):
        if _HOSTED_FOR.search(folded, max(zone[0], m.start() - 60), m.start()) or not hits:
            return "anniversary", m.span()
    hits.sort()
    weak = sorted((s, e, t) for s, e, t in cues.weak.find(folded[: zone[1]], text[: zone[1]]) if s >= zone[0])
    if weak and (not hits or (weak[0][0] < hits[0][0] and hits[0][0] >= _sentence_end(text, weak[0][0], zone[1]))):
        # "…, announced the minister": a weak cue decides when its own sentence holds no other
        return weak[0][2], weak[0][:2]
    if not hits:
        return "other", None
    first = hits[0]
    if first[2] in ("statement", "talks"):
        # "congratulated … during a phone call": the call is the happening, the words its content
        end = _sentence_end(text, first[0], zone[1])
        call = next((h for h in hits if h[2] == "call" and h[0] < end), None)
        if call:
            return call[2], call[3]
    if first[2] == "visit":
        s0 = first[0]
        if _SETTING.search(folded, max(zone[0], s0 - 60), s0):
            others = [h for h in hits if h[2] != "visit"]
            if others:
                return others[0][2], others[0][3]
    return first[2], first[3]


_SENTENCE_END = re.compile(r"(?<!\b[A-Z])(?<!\b[A-Z][a-z])(?<!\b[A-Z][a-z][a-z])[.!?][\"”’]?(?:\s+(?=[A-Z\"“‘])|$)")


def _sentence_end(text: str, start: int, limit: int) -> int:
    """Where the sentence holding `start` ends (`Marcos Jr. on his victory` goes on)."""
    m = _SENTENCE_END.search(text, start, limit)
    return m.end() if m else limit


# "will meet next week to sign", "push for the swift signing of": a signing still to come is not the event
_FUTURE = LazyPattern(r"(?:\b(?:to|will|would|shall)\s+(?:\w+ly\s+)?|\b(?:push|pushed|pushing|call|called|calling)\s+for\s+"
                     r"(?:the\s+)?(?:\w+\s+)?|\b(?:swift|speedy|early|prompt|soon|upcoming|future|possible|planned)\s+)$")
# "a joint declaration is expected to be reached": the document still to come
_FUTURE_AFTER = re.compile(r"\s+(?:is|are)\s+(?:expected|due|scheduled|set|planned|to\s+be)\b|\s+will\b")


def _still_to_come(folded: str, zone_start: int, s: int, e: int) -> bool:
    return bool(_FUTURE.search(folded, max(zone_start, s - 40), s) or _FUTURE_AFTER.match(folded, e))


# ("will conclude his visit to Iran": a happening under way, not one still to come)
_LATER = re.compile(r"\b(?:will|would|shall|due\s+to|expected\s+to|scheduled\s+to|set\s+to|plans?\s+to)\s+"
                    r"(?!(?:conclude|end|wrap|continue|complete)[a-z]*\b)"
                    r"(?:[a-z]+\s+){0,4}(?:in|at|to)\s+$")
_NOT_PLACE = {fold(w) for w in list(MONTHS) + list(WEEKDAYS)} | {"the", "a", "an", "this", "that", "his", "her",
                                                              "its", "their", "addition", "particular", "order",
                                                              "response", "line", "terms", "view", "contrast"}
# ("in the Indian city of Goa", "a beach resort of Goa": the place after the kind of place)
_PLACE = re.compile(r"\b(?:in|at|to|visiting|arrived in|(?:city|town|resort|port|village) of)\s+(?P<p>(?:the\s+)?[A-ZÀ-ÝĐ][\w’'.-]*(?:\s+[A-ZÀ-ÝĐ][\w’'.-]*){0,3})")
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
    """Known cities and capitals: places.yaml's first, then the gazetteer's (built once per dictionary set)."""
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
    not_places = {fold(str(w)) for w in kb.section("events", "not_places", []) or []}
    for name, code in gazetteer.cities().items():
        if name not in not_places:
            city.setdefault(name, code)
    got = KnownPlaces(city, capital)
    kb.cache["event_places"] = got
    return got




# "Government House", "the Presidential Palace", "Hyderabad House": a building is where, not a place of the record
_BUILDINGS = frozenset({"house", "palace", "hall", "building", "office", "centre", "center", "villa", "lodge",
                        "square", "residence", "hotel", "headquarters", "complex", "auditorium", "mansion", "chamber",
                        "castle", "room", "secretariat", "ministry", "parliament", "assembly", "embassy", "airport"})


@dataclass
class _Cand:
    is_country: bool
    start: int
    name: str
    span: tuple[int, int] | None
    known: bool
    code: str | None


class _Spans:
    """Lookups over ordered, non-overlapping spans by binary search."""

    def __init__(self, spans):
        self.spans = sorted(spans)
        self.starts = [a for a, _ in self.spans]
        self.index = SpanIndex(self.spans)

    def overlaps(self, s: int, e: int) -> bool:
        i = bisect_right(self.starts, s)
        return self.index.covers(s) or (i < len(self.starts) and self.starts[i] < e)


def _clean_name(p: str) -> tuple[str, bool]:
    """The place words of a capitalised run, and whether a possessive followed them."""
    keep = []
    for w in p.split():
        # cut at the first word that cannot belong to a place name, and at the end of a sentence
        if fold(w).strip(".,") in _NOT_PLACE or (keep and w[0].isdigit()):
            break
        keep.append(w)
        if re.search(r"['’]s$", w):
            break
        if w.endswith((".", ",")) and not re.fullmatch(r"(?:[A-Z]\.)+", w):
            break
    name = " ".join(keep).rstrip(".,’'")
    possessive = bool(re.search(r"['’]s$", name))
    return re.sub(r"['’]s$", "", name), possessive


def _building_city(name: str, city_of: dict[str, str]) -> str | None:
    """`State House Nairobi` -> Nairobi: a building's name followed by its city."""
    words = name.split()
    for k in range(1, len(words)):
        if fold(words[k - 1]) in _BUILDINGS and fold(" ".join(words[k:])) in city_of:
            return " ".join(words[k:])
    return None


def _candidates(text, zone, skipped: _Spans, countries: _Spans, codes, city_of, dateline, short_name=None):
    cands: list[_Cand] = []
    for m in _PLACE.finditer(text, zone[0], zone[1]):
        p, s = m.group("p"), m.start("p")
        the = p.startswith("the ")
        if the:
            p, s = p[4:], s + 4          # "a visit to the Philippines": only a country's name may follow "the"
        p, possessive = _clean_name(p)
        if not p:
            continue
        if possessive and m.group().startswith(("to ", "from ")):
            continue        # "to New Zealand’s Prime Minister": the owner of an office, not a place
        city = _building_city(p, city_of)
        if city:
            s, p = s + p.index(city), city
        e = s + len(p)
        if fold(p) in _REGIONS or _COMPASS_REGION.fullmatch(fold(p)) or skipped.overlaps(s, e):
            continue
        if _LATER.search(text, max(zone[0], m.start() - 50), m.start("p")):
            continue        # "will meet next week in Buenos Aires": a place still to come
        k = bisect_right(countries.starts, s) - 1
        inside = k >= 0 and s < countries.spans[k][1]
        if inside and countries.spans[k][1] + 2 < e:
            continue        # "South Korean President Lee": a demonym and a name, not a place
        is_country = inside and e <= countries.spans[k][1] + 2
        known = city_of.get(fold(p))
        if the and not (inside and _country_name(text[countries.spans[k][0]:countries.spans[k][1]])):
            continue        # "the Lao side", "the Cuban capital": an adjective, not the country
        if not known and not inside and fold(p.split()[-1]) in _BUILDINGS:
            continue        # "welcomed … to Government House": the building, not a place
        if not known and not inside and dateline and re.match(r"\s+here\b", text[e:e + 6]):
            # "at Seri Perdana here": the building is in the dateline's city
            return [_Cand(False, s, dateline.title() if dateline.isupper() else dateline, None, True, None)], True
        code = codes[k] if inside else known
        mention = text[countries.spans[k][0]:countries.spans[k][1]] if is_country else ""
        if " of " in mention and code and short_name:
            p = short_name(code)         # "the Islamic Republic of Iran" is Iran
        cands.append(_Cand(is_country, s, p, (s, e), known is not None and not is_country, code))
    return cands, False


@lru_cache(maxsize=1)
def _country_names() -> frozenset[str]:
    import pycountry  # (only when a story writes "the" before a country: a quick start does without it)

    names = set()
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            v = getattr(c, attr, None)
            if v:
                names.add(fold(v))
                names.add(fold(v.split(",")[0]))      # "Korea, Republic of" -> "korea"
    return frozenset(names)


def _country_name(name: str) -> bool:
    """A country's own name (`Philippines`, `United States`), not its adjective (`Lao`, `Cuban`)."""
    return fold(name) in _country_names() or bool(re.fullmatch(r"U\.?[SK]\.?|UAE|DRC", name))


_RUN = re.compile(r"[A-ZÀ-ÝĐ][\w’'.-]*(?:\s+[A-ZÀ-ÝĐ][\w’'.-]*){0,2}")


def _city_of_country(text: str, span: tuple[int, int], code: str | None, city_of) -> tuple[str, tuple] | None:
    """A known city of `code` named in text[span] (`Dhaka and New Delhi on Tuesday signed …`)."""
    if not code:
        return None
    for m in _RUN.finditer(text, span[0], span[1]):
        w = m.group().split()
        for k in range(min(3, len(w)), 0, -1):
            name = re.sub(r"['’]s$", "", " ".join(w[:k]).rstrip(".,:;"))
            if city_of.get(fold(name)) == code:
                return name, (m.start(), m.start() + len(name))
    return None


def event_place(text: str, zone: tuple[int, int], anchor: int | None, skip_spans, country_spans,
                dateline: str | None, kb: Knowledge | None = None, country_codes=None,
                lead: tuple[int, int] | None = None,
                headline: tuple[int, int] | None = None) -> tuple[str | None, tuple[int, int] | None]:
    """`in Havana`, `at the Palace of the Revolution in Havana` -> Havana; a known city before a country;
    `the capital of Laos` -> its capital; a country whose city is the dateline -> the dateline."""
    places = known_places(kb)
    city_of, capital_of = places.cities, places.capitals
    codes = country_codes or [None] * len(country_spans)
    cands, final = _candidates(text, zone, _Spans(skip_spans), _Spans(country_spans), codes, city_of, dateline,
                               kb.country_name if kb is not None else None)
    if final:
        return cands[0].name, None
    skipped = SpanIndex(skip_spans)
    # "at the Presidential Villa, Abuja": a building, then its city
    for m in _AT_BUILDING.finditer(text, zone[0], zone[1]):
        p = m.group("p")
        if city_of.get(fold(p)) and not skipped.covers(m.start("p")):
            cands.append(_Cand(False, m.start("p"), p, (m.start("p"), m.end("p")), True, city_of[fold(p)]))
    # "will arrive in the capital of Laos", "the Cuban capital"
    for i, (a, b) in enumerate(country_spans):
        if not (zone[0] <= a < zone[1]) or codes[i] not in capital_of:
            continue
        pre = fold(text[max(zone[0], a - 30):a])
        post = fold(text[b:b + 9])
        if re.search(r"\bcapital(?:\s+city)?\s+of\s+(?:the\s+)?$", pre) or (re.match(r"\s+capital\b", post)
                                                                           and re.search(r"\bthe\s+$", pre)):
            cands.append(_Cand(False, a, capital_of[codes[i]], None, True, codes[i]))
    cands.sort(key=lambda c: c.start)
    if cands:
        return _best_place(text, cands, anchor, dateline, city_of, lead, zone)
    if dateline:
        return (dateline.title() if dateline.isupper() else dateline), None
    if headline:
        # "Macron in Rabat: …": a headline that names a known city, when the story names none
        for m in _PLACE.finditer(text, headline[0], headline[1]):
            w = m.group("p").split()
            for k in range(min(3, len(w)), 0, -1):
                name = " ".join(w[:k]).rstrip(".,:;")
                if city_of.get(fold(name)):
                    return name, (m.start("p"), m.start("p") + len(name))
    return None, None


def _best_place(text, cands: list[_Cand], anchor, dateline, city_of, lead, zone):
    def nearest(pool):
        if anchor is not None:
            pool = [c for c in pool if c.start >= anchor] or pool
        return pool[0]

    dl_code = city_of.get(fold(dateline)) if dateline else None
    dl_name = (dateline.title() if dateline and dateline.isupper() else dateline)
    known = [c for c in cands if c.known]
    countries = [c for c in cands if c.is_country]
    others = [c for c in cands if not c.is_country]
    # "a visit to Russia, … the agreements signed in Havana in May": the place that goes with the event cue
    direct = [c for c in cands if anchor is not None and anchor <= c.start <= anchor + 40]
    if direct and (direct[0].is_country or direct[0].known):
        best = direct[0]
    elif known:
        best = nearest(known)
        return best.name, best.span
    elif countries and not others:
        best = nearest(countries)
    else:
        best = nearest(others)
        return best.name, best.span
    if best.is_country:
        # "a visit to Japan", dateline "Tokyo": the city in that country
        if dl_code and dl_code == best.code:
            return dl_name, None
        # a caption or headline before the story, or the story's first sentences, may name the city
        # ("… in Hanoi on September 13", "Dhaka and New Delhi on Tuesday signed …")
        for span in [lead, zone] if lead else [zone]:
            got = _city_of_country(text, span, best.code, city_of)
            if got:
                return got
    return best.name, best.span


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
    if anchor is not None and zone[0] <= anchor < zone[1]:
        # "is paying a visit from May 19-21. During their talks on May 20": the date that goes with the cue
        near = [m for m in pool if anchor <= m.start <= anchor + 120 and m.kind != "month"]
        if near and near[0] is not pool[0] and pool[0].start < anchor:
            return near[0]
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
    score: Counter[str] = Counter()
    for c in person_countries_opening:
        score[c] += 3
    for c in opening_mentions:
        score[c] += 2
    for c in person_countries:
        score[c] += 1
    for c in all_mentions:
        score[c] += 0.5  # type: ignore[assignment]  # a half weighs mentions below a participant
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
        if skip(m.start, m.end) or (m.kind == "relative" and m.value == (main.value if main else None)):
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
