"""Article text in, record out: the pure function at the heart of relations.

`parse` does no I/O and keeps no state between calls, so it can run in many
processes. It runs the stages in order: header, layout, countries,
organisations, persons, dates and event, parties, topics, agreements.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from datetime import date

from relations import knowledge as _knowledge
from relations.parser.agreements import find_agreements
from relations.parser.layout import layout
from relations.parser.countries import Mentions, find_countries
from relations.parser.dates import find_dates
from relations.errors import ParseError
from relations.parser.events import _places, event_date, event_place, event_type, parties as find_parties, past_events
from relations.parser.header import as_date, credit, date_from_text, split_header, title as make_title
from relations.knowledge import Knowledge
from relations.parser.organizations import find_organizations, infer_countries, vocab as org_vocab
from relations.parser.persons import companion_of, find_persons, host_of, visited_country
from relations.record import SCHEMA, content_hash, make_id
from relations.parser.runs import cap_runs, tokens
from relations.text import SpanIndex, fold, sentences
from relations.parser.topics import Topics

MAX_CHARS = 2_000_000


def parse(text: str, source: dict | None = None, *, default_date: str | None = None,
          require_date: bool = True, kb: Knowledge | None = None, today: date | None = None) -> dict:
    """Parse one article. Raises ParseError when the text cannot become a record."""
    if not isinstance(text, str):
        raise ParseError("article text must be a string")
    if not text.strip():
        raise ParseError("the article is empty")
    if len(text) > MAX_CHARS:
        raise ParseError(f"the article is longer than {MAX_CHARS:,} characters")
    kb = kb or _knowledge.load()
    header = split_header(text)
    body = text[header.body_start:]
    pub, date_how = header.date, header.how
    if pub is None:
        pub, date_how = date_from_text(body)
    if pub is None and default_date:
        pub, date_how = default_date, "given with --date"
    if pub is None and require_date:
        raise ParseError("no publication date in the header or the text; give one with --date YYYY-MM-DD")
    ref, precision = as_date(pub)
    if ref and today and ref > today:
        raise ParseError(f"publication date {pub} is in the future")

    folded = fold(body)
    lay = layout(body, folded)
    sents = sentences(body)
    story_sents = [s for s in sents if s[0] >= lay.story_start and not lay.is_noise(*s)] or sents
    ov = org_vocab(kb)
    cred = credit(body, ov.agencies, lay.story_start)

    cm = find_countries(body, folded, kb)
    toks = tokens(body, folded=folded)
    runs = cap_runs(body, toks)
    skip = lay.is_noise
    orgs = find_organizations(body, folded, runs, cm, kb, skip)
    # an agency credited as source is not an organisation
    orgs = [o for o in orgs if not (cred.agency_span and any(a <= cred.agency_span[0] < b for a, b in o.spans))]
    persons = find_persons(body, toks, runs, cm, orgs, kb, skip)
    person_spans = [sp for p in persons for sp in p.spans]
    in_person = SpanIndex(person_spans)
    cm = Mentions(m for m in cm if not in_person.contains(m.start, m.end))

    # the opening: the first two sentences of the story
    opening = (story_sents[0][0], story_sents[min(1, len(story_sents) - 1)][1]) if story_sents else (0, len(body))
    if cred.dateline_end and opening[0] <= cred.dateline_end < opening[1]:
        # the dateline ("VIETNAM, May 17 - HÀ NỘI —") is not part of the story's first sentence
        opening = (cred.dateline_end, opening[1])
    elif cred.dateline_end and cred.dateline_end >= opening[1]:
        # a photo caption before the dateline: the story starts after "BEIJING, Aug. 19 (Xinhua) —"
        after = [sp for sp in story_sents if sp[1] > cred.dateline_end]
        if after:
            opening = (cred.dateline_end, after[min(1, len(after) - 1)][1])
    mentions = find_dates(body, ref, precision, folded=folded)
    etype, type_span = event_type(body, folded, opening, kb, lay.headline)
    dl_dates = [m for m in mentions if cred.dateline_span and cred.dateline_end
                and cred.dateline_span[0] <= m.start < cred.dateline_end]
    main_date = event_date(mentions, opening, type_span[0] if type_span else None,
                           ref if precision == "day" else None, dl_dates)
    org_spans = [sp for o in orgs for sp in o.spans]
    place, place_span = event_place(body, opening, type_span[0] if type_span else None, org_spans + person_spans,
                                    [(m.start, m.end) for m in cm], cred.dateline, kb, [m.code for m in cm],
                                    (0, opening[0]) if opening[0] - lay.story_start < 1000 else None)

    in_opening = lambda s: opening[0] <= s < opening[1] or (lay.headline and lay.headline[0] <= s < lay.headline[1])
    party_codes = find_parties(
        [p.country for p in persons if p.country and any(in_opening(s) for s, _ in p.spans)],
        [m.code for m in cm if in_opening(m.start)],
        [m.code for m in cm],
        [p.country for p in persons if p.country],
    )
    counts = Counter(m.code for m in cm)
    home = max(party_codes, key=lambda c: counts[c]) if party_codes else None
    infer_countries(body, orgs, home, kb)
    # officials named without a nationality are usually the dateline country's own ("NEW DELHI (PTI) —
    # Prime Minister Narendra Modi"); without a dateline, the article's main country
    dl_code = _places(kb)[0].get(fold(cred.dateline)) if cred.dateline else None
    place_code = _places(kb)[0].get(fold(place)) if place else None
    person_home = dl_code if dl_code in party_codes else place_code if place_code in party_codes else home
    for p in persons:
        if p.country is None and p.title_span:
            # "the chairman of the State Duma": the office is in an organisation of known country
            org = next((o for o in orgs if o.country and any(p.title_span[0] <= a and b <= p.title_span[1]
                                                              for a, b in o.spans)), None)
            if org:
                p.country, p.country_how = org.country, f"office in {org.name}"
            elif p.title:
                # "Riyadh Governor", "Moscow Mayor": an office named after a city
                lead = re.match(r"[A-Z][\w’'.-]*(?:\s[A-Z][\w’'.-]*)?", p.title)
                code = next((_places(kb)[0].get(fold(w)) for w in ([lead.group(), lead.group().split()[0]] if lead else [])
                             if _places(kb)[0].get(fold(w))), None)
                if code:
                    p.country, p.country_how = code, "office named after a city"
    for p in persons:
        if p.country is None:
            visited = visited_country(body, p.spans, cm)
            guest = host_of(body, p, persons)
            leader = companion_of(body, p, persons, sents)
            if visited and len(party_codes) == 2 and visited in party_codes:
                p.country = next(c for c in party_codes if c != visited)
                p.country_how = f"visited {visited}, so from the other party"
            elif guest and len(party_codes) == 2 and guest.country in party_codes:
                p.country = next(c for c in party_codes if c != guest.country)
                p.country_how = f"received {guest.name}, so from the other party"
            elif leader and leader.country:
                p.country, p.country_how = leader.country, f"accompanies {leader.name}"
            else:
                p.country, p.country_how = person_home, "assumed: the article's main country"

    # the headline counts for topics; menus, captions' credits and the agency credit do not
    credit_spans = [cred.agency_span] if cred.agency_span else []
    # a word inside a person's office ("Economy Secretary") is not a topic, as inside a name
    title_spans = [tuple(p.title_span) for p in persons if p.title_span]
    topic_finder = Topics(body, folded, kb)
    topic_ev = topic_finder.find(org_spans + credit_spans + title_spans + [n for n in lay.noise if n != lay.headline])
    topics_in = lambda s, e, ex=(): set(topic_finder.find(list(ex), s, e))
    # the countries of the organisations named inside text[s:e] (as a set: the order does not matter)
    org_starts = sorted((a, i) for i, o in enumerate(orgs) if o.country for a, _ in o.spans)
    org_countries = lambda s, e: {orgs[i].country for _, i in
                                  org_starts[bisect_left(org_starts, (s, -1)):bisect_left(org_starts, (e, -1))]}
    agreements = find_agreements(body, folded, sents, kb, org_spans + list(lay.noise), topics_in, party_codes,
                                 ref, org_countries)

    actors = []
    seen_c: dict[str, dict] = {}
    for m in cm:
        a = seen_c.get(m.code)
        if a is None:
            a = {"kind": "country", "name": kb.country_name(m.code), "code": m.code, "spans": []}
            seen_c[m.code] = a
        a["spans"].append([m.start, m.end])
    for o in orgs:
        if o.country and o.country not in seen_c:
            seen_c[o.country] = {"kind": "country", "name": kb.country_name(o.country), "code": o.country, "spans": []}
    actors.extend(sorted(seen_c.values(), key=lambda a: a["code"]))
    for p in persons:
        actors.append({"kind": "person", "name": p.name, "country": p.country, "title": p.title,
                       "spans": [list(s) for s in p.spans],
                       "title_span": list(p.title_span) if p.title_span else None,
                       "country_how": p.country_how})
    for o in orgs:
        actors.append({"kind": "organization", "name": o.name, "country": o.country, "acronym": o.acronym,
                       "spans": [list(s) for s in o.spans], "country_how": o.country_how})

    event = {
        "type": etype,
        "date": main_date.value if main_date else None,
        "place": place,
        "date_how": (f"'{body[main_date.start:main_date.end]}': {main_date.how}" if main_date else None),
        "evidence": {"type": list(type_span) if type_span else None,
                     "date": [main_date.start, main_date.end] if main_date else None,
                     "place": list(place_span) if place_span else None},
    }
    src = dict(source or {})
    return {
        "id": make_id(pub, text),
        "schema": SCHEMA,
        "date": pub,
        "date_how": date_how,
        "agency": cred.agency,
        "dateline": cred.dateline,
        "title": make_title(body, lay.headline, opening[0] if not lay.headline else lay.story_start),
        "source": {"path": src.get("path"), "name": src.get("name"), "sha256": src.get("sha256") or content_hash(text)},
        "event": event,
        "parties": party_codes,
        "actors": actors,
        "topics": list(topic_ev),
        "topic_evidence": {t: [list(s) for s in spans] for t, spans in topic_ev.items()},
        "agreements": [{"kind": a.kind, "status": a.status, "parties": a.parties, "topics": a.topics,
                        "text": a.text, "span": list(a.span)} for a in agreements],
        # the dateline's own date is the publication, not a referenced happening
        "past_events": past_events(body, mentions, main_date, sents,
                                   lambda a, b: skip(a, b) or (cred.dateline_end is not None and a < cred.dateline_end)),
        "text": body,
    }
