"""Which state a person serves, when the name and office alone do not say.

Tried in order: an office inside an organisation of known country ("the
chairman of the State Duma"); an office named after a city ("Moscow Mayor");
then the roles around the person — a visitor comes from the other party, a
host is the visitor's counterpart, a companion shares the leader's country —
and last the country the story is told from.
"""

from __future__ import annotations

import re

from relations.parser.doc import Doc
from relations.parser.events import known_places
from relations.parser.organizations import Org
from relations.parser.persons import Person, companion_of, host_of, visited_country
from relations.text import fold

NEEDS = ("body", "kb", "persons", "organizations", "countries", "credit", "place", "parties", "home", "sentences")

_LEADING_NAME = re.compile(r"[A-Z][\w’'.-]*(?:\s[A-Z][\w’'.-]*)?")


def assign(doc: Doc) -> None:
    for p in doc.persons:
        if p.country is None and p.title_span:
            _from_office(p, doc)
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
    if code:
        p.country, p.country_how = code, "office named after a city"


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
    else:
        p.country, p.country_how = home, "assumed: the article's main country"
