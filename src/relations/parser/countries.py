"""Find the countries an article names or refers to by demonym."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from relations.knowledge import Knowledge


@dataclass(frozen=True)
class CountryMention:
    start: int
    end: int
    code: str
    demonym: bool


def find_countries(text: str, folded: str, kb: Knowledge) -> list[CountryMention]:
    """Every country mention: names and demonyms (starting with a capital) and exact forms."""
    out = []
    for s, e, val in kb.country_matcher.find(folded, text):
        if val is None or not text[s].isupper():
            continue
        out.append(CountryMention(s, e, val.code, val.demonym))
    pat = kb.exact_pattern
    if pat:
        taken = [(m.start, m.end) for m in out]
        for m in pat.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            out.append(CountryMention(m.start(), m.end(), kb.exact_countries[m.group()], False))
    # "US$3 billion", "US $636 million", "NZ$": a currency, not a country named
    out = [m for m in out if not _CURRENCY.match(text, m.end)]
    out.sort(key=lambda m: m.start)
    return out


_CURRENCY = re.compile(r" ?\$")


class Mentions(list):
    """Country mentions in text order, with the position lookups later stages ask for many times.

    The lookups answer in logarithmic time when the mentions are sorted and do not overlap (as
    `find_countries` makes them); for any other list they fall back to a scan with the same answers.
    The list is not to be changed once made: make a new one instead."""

    def __init__(self, items=()):
        super().__init__(items)
        self._starts = [m.start for m in self]
        self._ends = [m.end for m in self]
        self._ordered = all(a.end <= b.start for a, b in zip(self, self[1:]))

    def overlapping(self, s: int, e: int) -> CountryMention | None:
        """The first mention that overlaps text[s:e]."""
        if not self._ordered:
            return next((m for m in self if m.start < e and s < m.end), None)
        j = bisect_right(self._ends, s)
        return self[j] if j < len(self) and self._starts[j] < e else None

    def starting_in(self, s: int, e: int) -> CountryMention | None:
        """The first mention that starts inside text[s:e]."""
        if not self._ordered:
            return next((m for m in self if s <= m.start < e), None)
        j = bisect_left(self._starts, s)
        return self[j] if j < len(self) and self._starts[j] < e else None

    def starting_between(self, s: int, e: int) -> list[CountryMention]:
        """The mentions that start inside text[s:e], in order."""
        if not self._ordered:
            return [m for m in self if s <= m.start < e]
        return self[bisect_left(self._starts, s):bisect_left(self._starts, e)]

    def around(self, x: int) -> bool:
        """Some mention has x strictly inside it."""
        if not self._ordered:
            return any(m.start < x < m.end for m in self)
        j = bisect_left(self._starts, x) - 1
        return j >= 0 and x < self._ends[j]

    def holding(self, s: int, e: int) -> bool:
        """Some mention holds all of text[s:e]."""
        if not self._ordered:
            return any(m.start <= s and e <= m.end for m in self)
        j = bisect_right(self._starts, s) - 1
        return j >= 0 and e <= self._ends[j]
