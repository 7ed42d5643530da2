"""Runs of capitalised words: the raw material of names.

Person and organisation names in English news are runs of capitalised words,
sometimes joined by small words (`Ministry of the Interior`, `Díaz-Canel`,
`Nguyễn Xuân Phúc`). This stage cuts the text into such runs with offsets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

from relations.text import fold

TOKEN = re.compile(r"[^\W\d_](?:[^\W_]|['\u2019\-\u2010\u2011.](?=[^\W_]))*\.?|\d+(?:st|nd|rd|th)?")
CONNECTORS = {"of", "the", "for", "and", "on", "with", "de", "del", "la", "da", "dos", "van", "von", "bin", "binti",
              "al", "el", "le", "du", "des", "&", "in"}


class Tok(NamedTuple):
    """One word of the text: where it is, as written, folded (see text.fold), and whether it is capitalised."""

    start: int
    end: int
    text: str
    folded: str
    cap: bool


_KEEP_DOT = frozenset({"mr.", "mrs.", "ms.", "dr.", "st.", "jr.", "gen.", "u.s.", "u.k."})


def tokens(text: str, start: int = 0, end: int | None = None, folded: str | None = None) -> list[Tok]:
    """The words of text[start:end]; `folded` is fold(text) when the caller has it."""
    end = len(text) if end is None else end
    if folded is None or len(folded) != len(text):
        folded = fold(text)
    out = []
    append = out.append
    new = tuple.__new__   # (a Tok from its fields in order, without the generated constructor)
    for m in TOKEN.finditer(text, start, end):
        t = m.group()
        s, e = m.span()
        if t[-1] == "." and not (len(t) == 2 and t[0].isupper()) and t.lower() not in _KEEP_DOT:
            t, e = t[:-1], e - 1
        if t:
            c = t[0]
            # capitalised, or an ordinal that starts a name ("21st Century Fox")
            cap = c.isupper() or (c.isdigit() and len(t) > 2 and t[-2:] in ("st", "nd", "rd", "th"))
            append(new(Tok, (s, e, t, folded[s:e], cap)))
    return out


@dataclass
class Run:
    toks: list[Tok]

    @property
    def start(self) -> int:
        return self.toks[0].start

    @property
    def end(self) -> int:
        return self.toks[-1].end

    def text(self, src: str) -> str:
        return src[self.start:self.end]


def _gap_ok(text: str, a: Tok, b: Tok) -> bool:
    gap = text[a.end:b.start]
    return gap in (" ", "\u00a0") or gap == "" or gap in ("-",)


def cap_runs(text: str, toks: list[Tok]) -> list[Run]:
    """Maximal runs of capitalised tokens, allowing lowercase connectors between them."""
    runs: list[Run] = []
    i, n = 0, len(toks)
    while i < n:
        if not toks[i].cap:
            i += 1
            continue
        cur = [toks[i]]
        j = i + 1
        while j < n:
            t = toks[j]
            if not _gap_ok(text, cur[-1], t):
                break
            if t.cap:
                cur.append(t)
                j += 1
                continue
            if t.text.lower() in CONNECTORS:
                # a connector must be followed by more capitalised words
                k = j
                while k < n and toks[k].text.lower() in CONNECTORS and not toks[k].cap and _gap_ok(text, toks[k - 1], toks[k]):
                    k += 1
                if k < n and toks[k].cap and _gap_ok(text, toks[k - 1], toks[k]):
                    cur.extend(toks[j:k + 1])
                    j = k + 1
                    continue
            break
        runs.append(Run(cur))
        i = j
    return runs


# words that qualify an office without naming its holder ("First", "Vice", "former", "Foreign")
OFFICE_MODIFIERS = frozenset({
    "vice", "permanent", "standing", "first", "second", "third", "senior", "acting", "interim", "caretaker",
    "former", "then", "then-", "outgoing", "incoming", "newly", "elected", "appointed", "honorary", "deputy",
    "elect", "designate", "general", "co", "state", "party", "coordinating", "federal", "special", "executive",
    "managing", "assistant", "under", "high", "supreme", "grand", "crown", "political", "foreign",
    "defence", "defense", "interior", "home", "finance", "trade", "commerce", "economy", "industry", "energy",
    "oil", "agriculture", "health", "education", "culture", "tourism", "transport", "justice", "labour",
    "labor", "external", "affairs", "cabinet", "union", "national", "security", "parliamentary", "press",
    "presidential", "opposition"})


def office_heads(offices) -> frozenset:
    """The words of office phrases that name the holder: `Minister`, `President`, `Chairman`, `Secretary`.

    The head of `Deputy Prime Minister` is its last word, of `Chief of Staff` the word before `of`,
    of `Secretary General` the first word."""
    heads = set()
    for o in offices or []:
        words = fold(o).replace("-", " ").split()
        if not words:
            continue
        cut = next((k for k, w in enumerate(words) if w in ("of", "without", "in", "to", "for")), None)
        head = words[0] if cut or words[-1] == "general" else words[-1]
        if head not in OFFICE_MODIFIERS and "." not in head:
            heads.add(head)
    return frozenset(heads)

