"""From a finished `Doc` to the record: the one place the record's shape is written."""

from __future__ import annotations

from relations.parser.doc import Doc
from relations.parser.header import title
from relations.record import SCHEMA, content_hash, make_id


def _countries(doc: Doc) -> list[dict]:
    """One entry per country, with every span that names it; an organisation's country counts too."""
    seen: dict[str, dict] = {}
    for m in doc.countries:
        entry = seen.get(m.code)
        if entry is None:
            entry = seen[m.code] = {"kind": "country", "name": doc.kb.country_name(m.code), "code": m.code, "spans": []}
        entry["spans"].append([m.start, m.end])
    for o in doc.organizations:
        if o.country and o.country not in seen:
            seen[o.country] = {"kind": "country", "name": doc.kb.country_name(o.country), "code": o.country,
                               "spans": []}
    return sorted(seen.values(), key=lambda a: a["code"])


def _actors(doc: Doc) -> list[dict]:
    actors = _countries(doc)
    for p in doc.persons:
        actors.append({"kind": "person", "name": p.name, "country": p.country, "title": p.title,
                       "spans": [list(s) for s in p.spans],
                       "title_span": list(p.title_span) if p.title_span else None,
                       "country_how": p.country_how})
    for o in doc.organizations:
        actors.append({"kind": "organization", "name": o.name, "country": o.country, "acronym": o.acronym,
                       "spans": [list(s) for s in o.spans], "country_how": o.country_how})
    return actors


def _event(doc: Doc) -> dict:
    when, body = doc.event_date, doc.body
    return {
        "type": doc.event_type,
        "date": when.value if when else None,
        "place": doc.place,
        "date_how": f"'{body[when.start:when.end]}': {when.how}" if when else None,
        "evidence": {"type": list(doc.type_span) if doc.type_span else None,
                     "date": [when.start, when.end] if when else None,
                     "place": list(doc.place_span) if doc.place_span else None},
    }


def _source(doc: Doc) -> dict:
    """Where the text came from; a web page's own title too, when it has one."""
    src = doc.source or {}
    out = {"path": src.get("path"), "name": src.get("name"), "sha256": src.get("sha256") or content_hash(doc.text)}
    if src.get("title"):
        out["title"] = src["title"]
    return out


def record(doc: Doc) -> dict:
    lay = doc.layout
    return {
        "id": make_id(doc.pub, doc.text),
        "schema": SCHEMA,
        "date": doc.pub,
        "date_how": doc.date_how,
        "agency": doc.credit.agency,
        "dateline": doc.credit.dateline,
        "title": title(doc.body, lay.headline, doc.opening[0] if not lay.headline else lay.story_start),
        "source": _source(doc),
        "event": _event(doc),
        "parties": doc.parties,
        "actors": _actors(doc),
        "topics": list(doc.topics),
        "topic_evidence": {t: [list(s) for s in spans] for t, spans in doc.topics.items()},
        "agreements": [{"kind": a.kind, "status": a.status, "parties": a.parties, "topics": a.topics,
                        "text": a.text, "span": list(a.span)} for a in doc.agreements],
        "past_events": doc.past_events,
        "text": doc.body,
    }
