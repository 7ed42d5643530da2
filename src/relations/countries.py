"""Find the countries an article names or refers to by demonym."""

from __future__ import annotations

import re
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
