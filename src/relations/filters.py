"""The `list` filters beyond dates, countries and one topic: the relation a story is about, its
event type, its agency, several topics (any or all of them), and the order of the answer.

The index narrows the records by what it keeps (dates, countries, a topic, actor names); these
filters decide on the records themselves, so the index and a full scan give the same answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from relations.errors import QueryError
from relations.record import EVENT_TYPES

SORTS = ("newest", "oldest", "id")
_CREDIT_WORD = re.compile(r"[\w-]+")


@dataclass(frozen=True)
class Filters:
    parties: tuple[str, ...] = ()      # all must be parties (the relation the story is about)
    events: tuple[str, ...] = ()       # the main event is one of these types
    agency: str | None = None          # a word of the agency credit (VNS matches VNA/VNS)
    topics: tuple[str, ...] = ()
    all_topics: bool = False           # every topic, rather than any of them

    def active(self) -> bool:
        return bool(self.parties or self.events or self.agency or len(self.topics) > 1)

    def __call__(self, rec: dict) -> bool:
        parties = rec.get("parties") or []
        if not all(p in parties for p in self.parties):
            return False
        if self.events and (rec.get("event") or {}).get("type") not in self.events:
            return False
        if self.agency and self.agency.lower() not in credit_words(rec.get("agency")):
            return False
        if self.topics:
            have = set(rec.get("topics") or [])
            hit = all if self.all_topics else any
            if not hit(t in have for t in self.topics):
                return False
        return True


def credit_words(agency) -> set[str]:
    """The agencies of a credit as lower-case words: `VNA/VNS` is vna and vns."""
    return {w.lower() for w in _CREDIT_WORD.findall(agency)} if isinstance(agency, str) else set()


def check_events(types: Iterable[str]) -> tuple[str, ...]:
    out = tuple(t.strip().lower() for t in types)
    for t, given in zip(out, types):
        if t not in EVENT_TYPES:
            raise QueryError(f"unknown event type '{given}': one of {', '.join(EVENT_TYPES)}")
    return out


def ordered(records: Iterable[dict], sort: str) -> list[dict]:
    """Records in the order asked for: newest or oldest first (by date, then id), or by id."""
    if sort == "id":
        return sorted(records, key=lambda r: r["id"])
    return sorted(records, key=lambda r: (r.get("date") or "", r["id"]), reverse=sort == "newest")


def list_records(archive, warn: Callable[[str], None], *, since=None, until=None, countries=(), filters: Filters,
                 actor=None, sort: str = "newest", limit: int | None = None) -> Iterator[dict]:
    """`list` with every filter: the index (or a scan) narrows, the filters decide, then order and limit.

    With only the filters the index answers by itself, this is index.list_records, streamed."""
    from relations.store import index

    codes = list(dict.fromkeys([*countries, *filters.parties]))  # a party is a country of the story too
    one_topic = filters.topics[0] if len(filters.topics) == 1 or (filters.topics and filters.all_topics) else None
    if not filters.active() and sort == "newest":
        return index.list_records(archive, warn, since=since, until=until, codes=codes, topic=one_topic,
                                  actor=actor, limit=limit)
    recs = index.list_records(archive, warn, since=since, until=until, codes=codes, topic=one_topic, actor=actor)
    kept = ordered((r for r in recs if filters(r)), sort)
    return iter(kept[:limit] if limit else kept)
