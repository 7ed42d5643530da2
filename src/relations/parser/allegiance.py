"""Which state a person serves, when the name and office alone do not say.

Tried in order: an office inside an organisation of known country ("the
chairman of the State Duma"); an office named after a city ("Moscow Mayor");
the country written beside the name ("Modi of India", "signed for Cambodia",
"on behalf of India"); then the roles around the person — a visitor comes from
the other party, a host is the visitor's counterpart, one side of a meeting or
of a pair of like offices is the other side's counterpart, an ambassador
serves the state that sends him, a companion shares the leader's country —
and last the country the story is told from.
"""

from __future__ import annotations

import re
from functools import lru_cache

from relations.parser.doc import Doc
from relations.parser.events import known_places
from relations.parser.organizations import Org
from relations.parser.persons import Person, companion_of, host_of, visited_country
from relations.text import fold

NEEDS = ("body", "kb", "persons", "organizations", "countries", "credit", "place", "parties", "home", "sentences")

_LEADING_NAME = re.compile(r"[A-Z][\w’'.-]*(?:\s[A-Z][\w’'.-]*)?")
# "Narendra Modi of India", "Hem Vanndy signed for Cambodia", "signed on behalf of India"
_OF_AFTER = re.compile(r"\s*,?\s+(?:of|from)\s+(?:the\s+)?")
_FOR_AFTER = re.compile(r"[^.;!?]{0,25}?\b(?:signed|spoke|speaking|acted|acting)\s+(?:for|on\s+behalf\s+of)\s+(?:the\s+)?")
_BEHALF_BEFORE = re.compile(r"\bon\s+(?:the\s+part|behalf)\s+of\s+(?:the\s+)?")
# "the country's ambassador in Venezuela X": an envoy serves the state that sends him
_ENVOY_TO = re.compile(r"\b(?:ambassador|envoy|high\s+commissioner)\s+(?:to|in)\s+(?:the\s+)?", re.I)
# one side of a meeting, call or reception: the other side is the other party
_MEETS = re.compile(r"[^.;!?]{0,70}?\b(?:received|receives|welcomed|welcomes|hosted|hosts|met|meets|congratulated|"
                    r"congratulates|(?:meeting|talks|call|conversation|talk|meet)\s+with|(?:message|letter|congratulations)\s+to)\s+",
                    re.I)
# "President X, on the first day of a State Visit by Ethiopia Prime Minister Y": X is the host
_VISIT_BY = re.compile(r"[^.;!?]{0,60}?\bvisit\s+by\s+(?:the\s+)?", re.I)
# two like offices joined by `and`: "The Acting President, X, and the President of Ghana, Y"
_JOINED = re.compile(r"[\s,]*and\s+(?:the\s+|his\s+|her\s+)?(?:[\w’'-]+\s+){0,2}")
_HEADS = ("prime minister", "premier", "president", "minister", "king", "emir", "chancellor", "speaker", "chairman",
          "governor", "secretary", "ambassador")


def assign(doc: Doc) -> None:
    for p in doc.persons:
        if p.country_how == "title" and p.title and _envoy_to(p, doc) == p.country:
            # "ambassador in Venezuela": the country in the office is where he is posted, not whom he serves
            p.country, p.country_how = None, None
    for p in doc.persons:
        if p.country is None and p.title_span:
            _from_office(p, doc)
    for p in doc.persons:
        if p.country is None or (p.country_how or "").startswith(("not a ", "family name", "adjective shared")):
            # the words beside the name outweigh a guess from its naming tradition
            _from_words_beside(p, doc)
    home = _story_home(doc)
    for p in doc.persons:
        if p.country is None:
            _from_roles(p, doc, home)


def _story_home(doc: Doc) -> str | None:
    """Officials named without a nationality are usually the dateline country's own
    ("NEW DELHI (PTI) — Prime Minister Narendra Modi"); else the event's, else the article's."""
    cities = known_places(doc.kb).cities
    dateline = cities.get(fold(doc.credit.dateline)) if doc.credit.dateline else None
    place = cities.get(fold(doc.place)) if doc.place else None
    if dateline in doc.parties:
        return dateline
    if place in doc.parties:
        return place
    return doc.home


def _office_org(p: Person, orgs: list[Org]) -> Org | None:
    assert p.title_span is not None
    start, end = p.title_span
    return next((o for o in orgs if o.country and any(start <= a and b <= end for a, b in o.spans)), None)


def _from_office(p: Person, doc: Doc) -> None:
    org = _office_org(p, doc.organizations)
    if org:
        p.country, p.country_how = org.country, f"office in {org.name}"
        return
    if not p.title:
        return
    lead = _LEADING_NAME.match(p.title)
    cities = known_places(doc.kb).cities
    words = [lead.group(), lead.group().split()[0]] if lead else []
    code = next((cities[fold(w)] for w in words if cities.get(fold(w))), None)
    # ("Federal Foreign Minister": a town called Federal in a country the story never names is not the office's)
    if code and (code in doc.parties or any(m.code == code for m in doc.countries)):
        p.country, p.country_how = code, "office named after a city"


def _from_words_beside(p: Person, doc: Doc) -> None:
    """The country written next to the name: after it (`of India`, `signed for Cambodia`) or just before
    it (`on the part of the UAE by X`)."""
    body, cm = doc.body, doc.countries
    for s, e in p.spans:
        for pat in (_OF_AFTER, _FOR_AFTER):
            m = pat.match(body, e)
            c = m and cm.starting_in(m.end(), m.end() + 1)
            if c and not c.demonym:
                p.country, p.country_how = c.code, "country named beside the name"
                return
        start = p.title_span[0] if p.title_span and p.title_span[1] <= s and s - p.title_span[1] < 4 else s
        window = body[max(0, start - 60):start]
        m = next(reversed(list(_BEHALF_BEFORE.finditer(window))), None)
        c = m and cm.starting_in(start - len(window) + m.end(), start - len(window) + m.end() + 1)
        if c and not re.search(r"[.;!?]", window[m.end():]):
            p.country, p.country_how = c.code, "on behalf of its country"
            return


_HEAD_WORDS = re.compile(r"\b(?:" + "|".join(_HEADS) + r")\b")
_TITLE_TAIL = re.compile(r"\s+(?:of|for|and|to|in)\s+|,")


@lru_cache(maxsize=4096)
def _office_head(title: str | None) -> str | None:
    """The office a title names, before its `of …`: `Minister of Agriculture of Hungary` -> `minister`."""
    if not title:
        return None
    found = set(_HEAD_WORDS.findall(_TITLE_TAIL.split(title.lower(), 1)[0]))
    return next((h for h in _HEADS if h in found), None)


def _start_of(p: Person, s: int) -> int:
    """Where the mention at `s` begins, with its office in front when that is adjacent."""
    t = p.title_span
    return t[0] if t and t[1] <= s and s - t[1] < 4 else s


def _opposite(p: Person, doc: Doc, pair: list[str]) -> tuple[Person, str] | None:
    """Another person of known country on the other side of a meeting, a visit or a pair of like offices."""
    body = doc.body
    others = [q for q in doc.persons if q is not p and q.country in pair]
    head = _office_head(p.title)
    for q in others:
        q_head = _office_head(q.title)
        for s, e in p.spans:
            for a, b in q.spans:
                if head and head == q_head:
                    if _joined(body, b, _start_of(p, s)) or _joined(body, e, _start_of(q, a)):
                        return q, f"like office beside {q.name}"
                if (q.country_how or "").startswith("assumed"):
                    continue   # the other side of a meeting by a guess is no evidence
                m = _MEETS.match(body, b)
                if m and m.end() <= _start_of(p, s) <= m.end() + 40:
                    return q, f"met by {q.name}"
                m = _MEETS.match(body, e)
                if m and m.end() <= _start_of(q, a) <= m.end() + 40:
                    return q, f"met {q.name}"
    return None


def _joined(body: str, end: int, start: int) -> bool:
    return 0 <= start - end < 45 and bool(_JOINED.fullmatch(body, end, start))


def _visit_by(p: Person, doc: Doc) -> str | None:
    for s, e in p.spans:
        m = _VISIT_BY.match(doc.body, e)
        c = m and doc.countries.starting_in(m.end(), m.end() + 1)
        if c:
            return c.code
    return None


def _envoy_to(p: Person, doc: Doc) -> str | None:
    if p.title and (m := _ENVOY_TO.search(p.title)):
        c = doc.countries.overlapping(p.title_span[0] + m.end(), p.title_span[1]) if p.title_span else None
        if c:
            return c.code
    for s, _ in p.spans:
        window = doc.body[max(0, _start_of(p, s) - 50):s]
        m = next(reversed(list(_ENVOY_TO.finditer(window))), None)
        if m:
            c = doc.countries.starting_in(s - len(window) + m.end(), s - len(window) + m.end() + 1)
            if c and not doc.body[c.end:s].strip(" ,"):   # the office right before this name, not another's
                return c.code
    return None


def _from_roles(p: Person, doc: Doc, home: str | None) -> None:
    pair = doc.parties if len(doc.parties) == 2 else None
    visited = visited_country(doc.body, p.spans, doc.countries)
    guest = host_of(doc.body, p, doc.persons)
    leader = companion_of(doc.body, p, doc.persons, doc.sentences)
    if visited and pair and visited in pair:
        p.country = next(c for c in pair if c != visited)
        p.country_how = f"visited {visited}, so from the other party"
    elif guest and pair and guest.country in pair:
        p.country = next(c for c in pair if c != guest.country)
        p.country_how = f"received {guest.name}, so from the other party"
    elif leader and leader.country:
        p.country, p.country_how = leader.country, f"accompanies {leader.name}"
    elif pair and (hit := _beyond(p, doc, pair)):
        p.country, p.country_how = hit
    else:
        p.country, p.country_how = home, "assumed: the article's main country"


def _beyond(p: Person, doc: Doc, pair: list[str]) -> tuple[str, str] | None:
    """The other party, when the person faces someone of one party or is posted to it."""
    for code, how in ((_envoy_to(p, doc), "envoy to"), (_visit_by(p, doc), "hosts a visit by")):
        if code in pair:
            return next(c for c in pair if c != code), f"{how} {code}, so from the other party"
    side = _opposite(p, doc, pair)
    if side:
        q, how = side
        return next(c for c in pair if c != q.country), f"{how}, so from the other party"
    return None
