"""Questions over the archive: filters for `list`, the pair history for `timeline`.

These pure functions over record iterables are the reference meaning of every
question; `relations.store.index` only chooses which records to feed them, or, for
`timeline`, keeps what `record_entries` makes of each record, in this order.
Dictionaries are imported lazily: a `list` by date needs none.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import date
from typing import TYPE_CHECKING

from relations.errors import QueryError
from relations.text import fold_key

if TYPE_CHECKING:
    from relations.knowledge import Knowledge

_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")


def check_date(value: str | None, option: str) -> str | None:
    """Accept 2023, 2023-05 or 2023-05-16; anything else is a clear error."""
    if value is None:
        return None
    v = value.strip()
    ok = bool(_DATE.match(v))
    if ok:
        parts = [int(x) for x in v.split("-")]
        try:
            date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
        except ValueError:
            ok = False
    if not ok:
        raise QueryError(f"{option} '{value}' is not a date: use YYYY, YYYY-MM or YYYY-MM-DD")
    return v


def in_range(value: str | None, since: str | None, until: str | None) -> bool:
    """The period a date names (a day, a month, a year) touches [since, until], each end a period too:
    `2023-06` is in `--since 2023-06-15`, `2023-06-20` is in `--until 2023-06`. Compared at the
    coarser of the two precisions."""
    if not isinstance(value, str):  # undated, or a hand-edited date that is not text
        return since is None and until is None
    if since:
        n = min(len(value), len(since))
        if value[:n] < since[:n]:
            return False
    if until:
        n = min(len(value), len(until))
        if value[:n] > until[:n]:
            return False
    return True


def coarser(day: str) -> list[str]:
    """The year and month a date falls in, when it is more precise than them: dates stated only that
    precisely touch it."""
    return [day[:k] for k in (4, 7) if len(day) > k]


def resolve_countries(words: Iterable[str], kb: Knowledge) -> list[str]:
    codes = []
    for w in words:
        code = kb.country_code(w) or _alpha2(w, kb)
        if not code:
            raise QueryError(f"unknown country '{w}': use a name, a demonym or an ISO code (e.g. Vietnam, Cuban, CUB, CU)")
        codes.append(code)
    return codes


def _alpha2(word: str, kb: Knowledge) -> str | None:
    """An ISO alpha-2 code (VN, CU) as a user types it, to the alpha-3 code records use."""
    w = word.strip()
    if len(w) != 2 or not w.isalpha():
        return None
    import pycountry

    c = pycountry.countries.get(alpha_2=w.upper())
    return c.alpha_3 if c is not None and c.alpha_3 in kb.country_names else None


def resolve_pair(a: str, b: str, kb: Knowledge) -> tuple[str, str]:
    """The two countries of a relation; one country twice is not a relation."""
    x, y = resolve_countries([a, b], kb)
    if x == y:
        raise QueryError(f"'{a}' and '{b}' are the same country ({x}): a timeline needs two")
    return x, y


def resolve_topic(topic: str | None, kb: Knowledge) -> str | None:
    if topic is None:
        return None
    from relations.parser.topics import topic_ids

    ids = topic_ids(kb)
    t = topic.strip().lower()
    if t not in ids:
        raise QueryError(f"unknown topic '{topic}': one of {', '.join(ids)}")
    return t


def actor_matches(rec: dict, needle: str) -> bool:
    """A person or organisation whose name holds the needle as whole words (`UN` is not in `Tunisian`),
    or whose acronym is the needle; both folded (accents, case and punctuation set aside)."""
    n = f" {fold_key(needle)} "
    for a in rec.get("actors", []):
        if a.get("kind") in ("person", "organization"):
            if n in f" {fold_key(a.get('name') or '')} " or (a.get("acronym") and n.strip() == fold_key(a["acronym"])):
                return True
    return False


def select(records: Iterable[dict], *, since=None, until=None, codes=(), topic=None, actor=None) -> Iterator[dict]:
    from relations.record import countries

    for r in records:
        if not in_range(r.get("date"), since, until):
            continue
        if codes:
            have = set(countries(r)) | set(r.get("parties") or [])
            if not all(c in have for c in codes):
                continue
        if topic and topic not in (r.get("topics") or []):
            continue
        if actor and not actor_matches(r, actor):
            continue
        yield r


LIST_COLUMNS = ["id", "date", "event", "parties", "title", "topics"]
LIST_PRIORITY = ["id", "date", "title", "parties", "event", "topics"]  # what a narrow table keeps first


def list_row(r: dict) -> dict:
    """The row `list` shows for a record."""
    return {"id": r["id"], "date": r.get("date"), "event": (r.get("event") or {}).get("type"),
            "parties": "–".join(r.get("parties") or []), "title": r.get("title"), "topics": r.get("topics") or []}


def newest_first(records: Iterable[dict], limit: int | None = None) -> list[dict]:
    rows = sorted(records, key=lambda r: (_text(r.get("date")) or "", r["id"]), reverse=True)
    return rows[:limit] if limit else rows


def _kind_rank(kind: str) -> int:
    """Events first, then signings, then references, on the same day."""
    return 2 if kind == "referenced" else (1 if kind.startswith("signed") else 0)


def record_entries(r: dict, keep=None) -> list[tuple[tuple, dict]]:
    """The dated happenings one record states, each with its sort key (date, rank, id): what `timeline`
    shows of it, with only the dates `keep` accepts (all without it: what the index stores).

    A damaged record (an edited archive) gives what its well-formed parts say: a field of the wrong
    type counts as absent, so one bad record never stops the history of a pair."""
    ev = _obj(r.get("event"))
    when = _text(ev.get("date")) or _text(r.get("date"))
    place = ev.get("place")
    rid = r["id"]
    dated = bool(when) and (keep is None or keep(when))
    out = []
    if dated:
        kind = _text(ev.get("type")) or "other"
        out.append(((when, _kind_rank(kind), rid), {"date": when, "kind": kind, "what": r.get("title") or "",
                                                     "place": place, "record": rid, "referenced": False}))
    for ag in _objs(r.get("agreements")):
        if dated and ag.get("status") == "signed":
            out.append(((when, 1, rid), {"date": when, "kind": f"signed {ag.get('kind')}", "what": ag.get("text", ""),
                                         "place": place, "record": rid, "referenced": False}))
    for pe in _objs(r.get("past_events")):
        d = _text(pe.get("date"))
        if d and (keep is None or keep(d)):
            out.append(((d, 2, rid), {"date": d, "kind": "referenced", "what": pe.get("text", ""),
                                      "place": None, "record": rid, "referenced": True}))
    return out


def _obj(v) -> dict:
    return v if isinstance(v, dict) else {}


def _objs(v) -> list[dict]:
    return _objs_of(v, dict)


def _objs_of(v, kind: type) -> list:
    return [x for x in v if isinstance(x, kind)] if isinstance(v, list) else []


def _text(v) -> str | None:
    return v if isinstance(v, str) else None


def timeline(records: Iterable[dict], a: str, b: str, *, since=None, until=None, topic=None) -> list[dict]:
    """Every dated happening between two countries, oldest first (ties in the order the records come)."""
    keyed = []
    keep = (lambda d: in_range(d, since, until)) if since is not None or until is not None else None
    for r in records:
        parties = _objs_of(r.get("parties"), str)
        if not (a in parties and b in parties):
            continue
        if topic and topic not in _objs_of(r.get("topics"), str):
            continue
        keyed.extend(record_entries(r, keep))
    keyed.sort(key=_first)
    return [e for _, e in keyed]


def _first(pair):
    return pair[0]


def find_record(records: Iterable[dict], prefix: str) -> dict:
    """One record by id or unique id prefix; none or several is an error naming the candidates."""
    from relations.record import id_prefix, one_id

    p = id_prefix(prefix)
    hits = []
    for r in records:
        if r["id"] == p:
            return r
        if r["id"].startswith(p):
            hits.append(r)
    one_id(p, [h["id"] for h in hits])
    return hits[0]
