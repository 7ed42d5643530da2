"""Do two records report the same happening? The pure decision behind event grouping.

A record is reduced to a `Signature`: its country pairs, event type, the day of
its event (the publication day when the event has none, trusted less), place,
persons, signed documents and the first words of its text. Two signatures are
the same happening when they share a pair, their types can describe one
happening, their days are close, and the evidence agrees: shared persons with a
shared place or similar wording, or wording so close that one is a rewrite of
the other. Merging two happenings is worse than missing a duplicate, so every
rule errs towards keeping records apart.

`group` is the reference meaning of the grouping: connected components of the
"same happening" relation over every pair of records that share a block (a
country pair and nearby days). The derived store computes the same components
incrementally.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from relations.text import fold_key

RULES = "g2"          # changes whenever a rule below changes: the stored grouping is rebuilt
WINDOW = 2            # days between two reports' days that can still be one happening
LEAD = 320            # characters of folded text compared
_IN_PERSON = {"talks", "visit", "signing", "aid"}
_STRONG_TEXT = 88     # a rewrite of the same story
_SIMILAR_TEXT = 55    # wording that supports other evidence
_UNDATED_TEXT = 58    # wording close enough, with the same people, when nothing dates either report


@dataclass(frozen=True)
class Signature:
    """What the grouping compares of one record."""

    rid: str
    pairs: tuple[str, ...]        # "AAA-BBB" keys, the blocks a record belongs to
    kind: str
    day: int | None               # proleptic ordinal of the event's day, else of publication
    exact: bool                   # the day is the event's own, not the publication's
    place: str
    persons: tuple[str, ...]      # folded names
    signed: tuple[str, ...]       # the kinds of the documents signed at the event
    lead: str

    def to_list(self) -> list:
        return [self.rid, list(self.pairs), self.kind, self.day, self.exact, self.place, list(self.persons),
                list(self.signed), self.lead]

    @classmethod
    def from_list(cls, v: list) -> Signature:
        return cls(v[0], tuple(v[1]), v[2], v[3], bool(v[4]), v[5], tuple(v[6]), tuple(v[7]), v[8])


def _day(value) -> int | None:
    if isinstance(value, str) and len(value) == 10:
        try:
            return date.fromisoformat(value).toordinal()
        except ValueError:
            return None
    return None


def _strs(v) -> list[str]:
    return [x for x in v if isinstance(x, str)] if isinstance(v, list) else []


def _obj(v) -> dict:
    return v if isinstance(v, dict) else {}


def _dicts(v) -> list[dict]:
    """The objects of a list field (a damaged record's odd field counts as empty)."""
    return [x for x in v if isinstance(x, dict)] if isinstance(v, list) else []


def _sides(rec: dict) -> list[str]:
    """The countries whose pairs block the record: its parties, or, when the parser found only one,
    that party with the few other countries the story names."""
    parties = sorted(set(_strs(rec.get("parties"))))
    if len(parties) >= 2 or not parties:
        return parties
    named = {c for a in _dicts(rec.get("actors")) if a.get("kind") == "country" and isinstance(c := a.get("code"), str)}
    named |= set(parties)
    return sorted(named) if 2 <= len(named) <= 3 else []


def _str(v, default: str = "") -> str:
    return v if isinstance(v, str) else default


def signature(rec: dict) -> Signature:
    ev = _obj(rec.get("event"))
    day, exact = _day(ev.get("date")), True
    if day is None:
        day, exact = _day(rec.get("date")), False
    sides = _sides(rec)
    pairs = tuple(f"{a}-{b}" for i, a in enumerate(sides) for b in sides[i + 1:])
    persons: list[str] = []
    for a in _dicts(rec.get("actors")):
        if a.get("kind") == "person" and isinstance(a.get("name"), str):
            key = fold_key(a["name"])
            if key and len(key.split()) >= 2:  # a lone word ("Son", "MoUs") identifies nobody
                persons.append(key)
    signed = sorted({k for ag in _dicts(rec.get("agreements"))
                     if ag.get("status") == "signed" and isinstance(k := ag.get("kind"), str)})
    lead = fold_key(_str(rec.get("text"))[:LEAD * 2])[:LEAD]
    place = _str(ev.get("place"))
    kind = _str(ev.get("type"), "other")
    return Signature(str(rec.get("id")), pairs, kind, day, exact, fold_key(place), tuple(persons), tuple(signed), lead)


def compatible_kinds(a: str, b: str) -> bool:
    """A phone call is never the meeting, visit, signing or delivery another report describes."""
    return not ((a == "call" and b in _IN_PERSON) or (b == "call" and a in _IN_PERSON))


def _name_match(a: str, b: str) -> bool:
    wa, wb = set(a.split()), set(b.split())
    return wa <= wb or wb <= wa


def shared_persons(a: Signature, b: Signature) -> int:
    return sum(1 for p in a.persons if any(_name_match(p, q) for q in b.persons))


def same_place(a: Signature, b: Signature) -> bool:
    if not a.place or not b.place:
        return False
    return a.place == b.place or f" {a.place} " in f" {b.place} " or f" {b.place} " in f" {a.place} "


def text_similarity(a: Signature, b: Signature) -> float:
    """0–100: how much of the shorter lead's wording the other shares (reordered words still count)."""
    if not a.lead or not b.lead:
        return 0.0
    from rapidfuzz import fuzz

    return fuzz.token_sort_ratio(a.lead, b.lead)


def same_happening(a: Signature, b: Signature) -> bool:
    """The decision, symmetric in a and b."""
    if not set(a.pairs) & set(b.pairs) or not compatible_kinds(a.kind, b.kind):
        return False
    text = None
    if a.day is None or b.day is None:
        dated = False  # nothing places them in time: only strong agreement
    else:
        gap = abs(a.day - b.day)
        limit = 1 if a.exact and b.exact else WINDOW
        if gap > limit:
            return False
        dated = True
    persons = shared_persons(a, b)
    if a.persons and b.persons and persons == 0:
        text = text_similarity(a, b)
        return text >= _STRONG_TEXT and dated  # the same story about other people: a rewrite only
    place = same_place(a, b)
    if dated and persons >= 2:
        return True
    text = text_similarity(a, b)
    if text >= _STRONG_TEXT:
        return True
    if not dated:  # the same people in close wording, with nothing to say when
        return ((persons >= 2 and text >= _UNDATED_TEXT) or (persons >= 3 and place)
                or (persons >= 1 and place and bool(set(a.signed) & set(b.signed))))
    return persons >= 1 and (place or text >= _SIMILAR_TEXT)


def blocks(sig: Signature) -> Iterator[tuple[str, int | None]]:
    """The (pair, day) blocks a signature is filed under."""
    for p in sig.pairs:
        yield p, sig.day


class Components:
    """Union–find over small integers (positions), for whole-archive grouping in little memory."""

    def __init__(self):
        self.parent: dict[int, int] = {}

    def find(self, x: int) -> int:
        parent = self.parent
        root = x
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(x, x) != root:
            parent[x], x = root, parent[x]
        return root

    def union(self, x: int, y: int) -> None:
        rx, ry = self.find(x), self.find(y)
        if rx != ry:
            self.parent[max(rx, ry)] = min(rx, ry)


def candidate_pairs(sigs: list[Signature]) -> Iterator[tuple[int, int]]:
    """Every pair of positions that share a block within the window (each pair once), by sorting each
    country pair's records by day: the work grows with the candidates, not with the archive."""
    by_pair: dict[str, list[tuple[int, int]]] = {}
    undated: dict[str, list[int]] = {}
    for i, s in enumerate(sigs):
        for p, day in blocks(s):
            if day is None:
                undated.setdefault(p, []).append(i)
            else:
                by_pair.setdefault(p, []).append((day, i))
    seen: set[tuple[int, int]] = set()
    for items in by_pair.values():
        items.sort()
        for k, (day, i) in enumerate(items):
            for day2, j in items[k + 1:]:
                if day2 - day > WINDOW:
                    break
                yield from _once(i, j, seen)
    for p, lone in undated.items():
        others = [i for _, i in by_pair.get(p, [])] + lone
        for i in lone:
            for j in others:
                if j != i:
                    yield from _once(i, j, seen)


def _once(i: int, j: int, seen: set) -> Iterator[tuple[int, int]]:
    key = (i, j) if i < j else (j, i)
    if key not in seen:
        seen.add(key)
        yield key


def group(records: Iterable[dict]) -> list[list[str]]:
    """The happenings among the records: lists of record ids (each sorted), ordered by first id.
    The same records give the same groups in any order."""
    return group_signatures([signature(r) for r in records])


def group_signatures(sigs: list[Signature]) -> list[list[str]]:
    """`group` over the records' signatures (a whole archive's fit in memory; its records need not)."""
    comp = Components()
    for i, j in candidate_pairs(sigs):
        if same_happening(sigs[i], sigs[j]):
            comp.union(i, j)
    members: dict[int, list[str]] = {}
    for i, s in enumerate(sigs):
        members.setdefault(comp.find(i), []).append(s.rid)
    return sorted((sorted(m) for m in members.values()), key=lambda m: m[0])


def event_id(members: Iterable[str]) -> str:
    """A happening's id: its earliest report's id (by id: date first), whatever the order of ingest."""
    return "ev-" + min(members)
