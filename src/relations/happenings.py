"""Happenings: the reports of one event taken together, for `events`, a grouped `timeline`,
`show`'s "Also reported by" and `agreements`.

Pure functions over `Report`s (what a record says of its event) and the groups the
grouping made; `relations.store.events` chooses which reports to feed them, or a full
scan does, with `grouping.group` as the reference.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from relations import grouping

UNCREDITED = "uncredited"
_KIND_ORDER = ("signing", "visit", "talks", "call", "aid", "statement", "anniversary", "other")


@dataclass(frozen=True)
class Report:
    """One record's account of its main event."""

    rid: str
    date: str | None          # publication
    event_date: str | None
    kind: str
    place: str | None
    parties: tuple[str, ...]
    agency: str | None
    title: str

    def to_list(self) -> list:
        return [self.rid, self.date, self.event_date, self.kind, self.place, list(self.parties), self.agency,
                self.title]

    @classmethod
    def from_list(cls, v: list) -> Report:
        return cls(v[0], v[1], v[2], v[3], v[4], tuple(v[5]), v[6], v[7])


def _s(v) -> str | None:
    return v if isinstance(v, str) else None


def report_of(rec: dict) -> Report:
    ev = rec.get("event")
    ev = ev if isinstance(ev, dict) else {}
    parties = rec.get("parties")
    parties = parties if isinstance(parties, list) else []
    return Report(str(rec.get("id")), _s(rec.get("date")), _s(ev.get("date")), _s(ev.get("type")) or "other",
                  _s(ev.get("place")), tuple(sorted(p for p in parties if isinstance(p, str))), _s(rec.get("agency")),
                  _s(rec.get("title")) or "")


@dataclass
class Happening:
    """One event and every report of it (reports sorted by id)."""

    eid: str
    reports: list[Report] = field(default_factory=list)

    @property
    def date(self) -> str | None:
        """The event date most reports give, else the earliest publication date."""
        dated = Counter(r.event_date for r in self.reports if r.event_date)
        if dated:
            return min(dated, key=lambda d: (-dated[d], d))
        pubs = [r.date for r in self.reports if r.date]
        return min(pubs) if pubs else None

    @property
    def kind(self) -> str:
        c = Counter(r.kind for r in self.reports)
        return min(c, key=lambda k: (-c[k], _KIND_ORDER.index(k) if k in _KIND_ORDER else 99, k))

    @property
    def place(self) -> str | None:
        c = Counter(r.place for r in self.reports if r.place)
        return min(c, key=lambda p: (-c[p], p)) if c else None

    @property
    def parties(self) -> list[str]:
        return sorted({p for r in self.reports for p in r.parties})

    @property
    def outlets(self) -> list[str]:
        """Each credit once, in the order of the reports; reports without a credit counted as one."""
        named = list(dict.fromkeys(r.agency for r in self.reports if r.agency))
        bare = sum(1 for r in self.reports if not r.agency)
        return named + ([UNCREDITED if bare == 1 else f"{bare} {UNCREDITED}"] if bare else [])


def happenings_from(records: Iterable[dict]) -> list[Happening]:
    """Every happening among the records, by full grouping (the reference for the stored grouping)."""
    sigs: list[grouping.Signature] = []
    by_id: dict[str, Report] = {}
    for r in records:  # one pass, keeping only what the grouping and the rows need
        sigs.append(grouping.signature(r))
        by_id.setdefault(str(r.get("id")), report_of(r))
    out = []
    for members in grouping.group_signatures(sigs):
        ids = list(dict.fromkeys(members))
        out.append(Happening(grouping.event_id(ids) if len(ids) > 1 else ids[0], [by_id[i] for i in ids]))
    return out


EVENT_COLUMNS = ["date", "type", "place", "parties", "reports", "outlets", "event"]


def event_row(h: Happening) -> dict:
    return {"event": h.eid, "date": h.date, "type": h.kind, "place": h.place, "parties": "–".join(h.parties),
            "reports": len(h.reports), "outlets": h.outlets, "records": [r.rid for r in h.reports],
            "title": h.reports[0].title if h.reports else ""}


def in_pair(h: Happening, codes: Iterable[str]) -> bool:
    cs = set(codes)
    return any(cs <= set(r.parties) for r in h.reports)


def select_events(hs: Iterable[Happening], *, codes=(), since=None, until=None) -> list[dict]:
    """Rows for `events`, oldest first."""
    from relations.query import in_range

    rows = [event_row(h) for h in hs if in_pair(h, codes) and in_range(h.date, since, until)]
    rows.sort(key=lambda r: (r["date"] or "", r["event"]))
    return rows


def reports_note(h: Happening) -> str:
    n = len(h.reports)
    return f"({n} reports: {', '.join(h.outlets)})" if n > 1 else ""


def grouped_timeline(entries: list[dict], by_record: dict[str, Happening]) -> list[dict]:
    """Timeline entries with one line per happening: its reports' main-event entries folded into the first,
    the documents signed there and the earlier events they recall each once."""
    from rapidfuzz import fuzz

    out: list[dict] = []
    kept: dict[tuple, list[dict]] = {}
    for e in entries:
        h = by_record.get(e["record"])
        if h is None or len(h.reports) < 2:
            out.append(e)
            continue
        slot = "referenced" if e["referenced"] else ("signed" if e["kind"].startswith("signed") else "main")
        key = (h.eid, slot)
        same = kept.setdefault(key, [])
        if slot == "main" and same:
            continue
        if slot != "main" and any(o["kind"] == e["kind"] and o["date"] == e["date"]
                                  and fuzz.token_set_ratio(o["what"], e["what"]) >= 70 for o in same):
            continue
        e = {**e, "event": h.eid, "reports": len(h.reports), "outlets": h.outlets}
        same.append(e)
        out.append(e)
    return out


# agreements across records -----------------------------------------------------

_STEP = {"planned": 0, "signed": 1, "existing": 2}


@dataclass
class Step:
    status: str
    date: str | None
    event: str
    records: list[str]
    text: str


@dataclass
class Agreement:
    kind: str
    topics: list[str]
    parties: list[str]
    steps: list[Step]

    @property
    def status(self) -> str:
        return self.steps[-1].status

    @property
    def aid(self) -> str:
        return f"ag-{self.steps[0].records[0]}-{self.kind}"


def _topics(ag: dict) -> set[str]:
    return {t for t in ag.get("topics") or [] if isinstance(t, str)}


def _similar(a: str, b: str) -> bool:
    from rapidfuzz import fuzz

    return fuzz.token_set_ratio(a, b) >= 70


def _event_docs(h: Happening, recs: dict[str, dict]) -> list[tuple[dict, list[str], set]]:
    """One (document, reporting records, topics) per document of the happening: the same kind and status,
    with shared topics or close wording, is one document however many reports name it."""
    docs: list[tuple[dict, list[str], set]] = []
    for r in h.reports:
        rec = recs.get(r.rid)
        for ag in (rec or {}).get("agreements") or []:
            if not isinstance(ag, dict) or ag.get("status") not in _STEP:
                continue
            tps = _topics(ag)
            for doc, rids, dt in docs:
                if doc.get("kind") == ag.get("kind") and doc.get("status") == ag.get("status") and (
                        (tps and dt and tps & dt) or _similar(doc.get("text", ""), ag.get("text", ""))):
                    if r.rid not in rids:
                        rids.append(r.rid)
                    dt |= tps
                    break
            else:
                docs.append((ag, [r.rid], set(tps)))
    return docs


def agreements(hs: Iterable[Happening], recs: dict[str, dict], codes=()) -> list[Agreement]:
    """Each document once, with its history: a planned one and a later signed (then referred to) one of
    the same kind and the same topics are one agreement when no other candidate competes."""
    found: list[Agreement] = []
    for h in sorted(hs, key=lambda h: (h.date or "", h.eid)):
        if codes and not in_pair(h, codes):
            continue
        for doc, rids, tps in _event_docs(h, recs):
            step = Step(doc["status"], h.date, h.eid, rids, doc.get("text", ""))
            kind = doc.get("kind") or "document"
            parties = sorted({p for p in doc.get("parties") or [] if isinstance(p, str)}) or h.parties
            found.append(Agreement(kind, sorted(tps), parties, [step]))
    return _link(found)


def _link(found: list[Agreement]) -> list[Agreement]:
    out: list[Agreement] = []
    for ag in found:
        step = ag.steps[0]
        cands = [o for o in out if o.kind == ag.kind and o.topics and o.topics == ag.topics
                 and o.parties == ag.parties and _STEP[o.status] < _STEP[step.status]
                 and step.status != "planned" and o.kind != "document" and o.steps[-1].event != step.event]
        if len(cands) == 1:
            cands[0].steps.append(step)
        else:
            out.append(ag)
    return out


AGREEMENT_COLUMNS = ["kind", "topics", "parties", "status", "history", "text"]


def agreement_row(a: Agreement) -> dict:
    hist = " → ".join(f"{s.status} {s.date or '?'} ({len(s.records)} report{'s' if len(s.records) > 1 else ''})"
                      for s in a.steps)
    return {"agreement": a.aid, "kind": a.kind, "topics": a.topics, "parties": "–".join(a.parties),
            "status": a.status, "history": hist, "text": a.steps[0].text,
            "steps": [{"status": s.status, "date": s.date, "event": s.event, "records": s.records, "text": s.text}
                      for s in a.steps]}
