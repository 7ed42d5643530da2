"""Text helpers that keep character offsets intact.

Every extracted item points back into the article by `[start, end)` offsets, so
any normalisation used for matching must keep the text's length: `fold` maps
each character to exactly one character.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right

_SPECIAL = {
    "đ": "d", "Đ": "d", "ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "ß": "s", "æ": "a", "Æ": "a",
    "œ": "o", "Œ": "o", "ı": "i", "ð": "d", "þ": "t",
    "\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00b4": "'",
    "\u201c": '"', "\u201d": '"',
    "\u2013": "-", "\u2014": "-", "\u2012": "-", "\u2010": "-", "\u2011": "-",
    "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u200b": " ", "\t": " ",
}


class _FoldTable(dict):
    """A str.translate table that computes each character's folded form on first use."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        out = _SPECIAL.get(ch)
        if out is None:
            base = unicodedata.normalize("NFD", ch)[0]
            low = base.lower()
            out = low[0] if low else base
        self[code] = out
        return out


_TABLE = _FoldTable()


_ASCII = {ord(k): v for k, v in _SPECIAL.items() if k.isascii()}
_ASCII_KEYS = tuple(chr(k) for k in _ASCII)


def fold(text: str) -> str:
    """Lowercase, strip accents and unify quotes and dashes, keeping the length."""
    if text.isascii():
        # the same result, much faster: an ASCII character folds to its lower case, but for the few in _SPECIAL
        low = text.lower()
        for ch in _ASCII_KEYS:
            if ch in low:
                return low.translate(_ASCII)
        return low
    return text.translate(_TABLE)


def fold_key(text: str) -> str:
    """A comparison key for names: folded, punctuation and hyphens removed, spaces squeezed."""
    return " ".join(_NOT_WORD.sub(" ", fold(text)).split())


_NOT_WORD = re.compile(r"[^\w\s]|_")


class LazyPattern:
    """A regular expression compiled when first used: most texts never need the rarer ones, and a
    short command should not pay for compiling them."""

    __slots__ = ("_compiled", "_source")

    def __init__(self, pattern: str, flags: int = 0):
        self._source = (pattern, flags)
        self._compiled: re.Pattern | None = None

    @property
    def compiled(self) -> re.Pattern:
        if self._compiled is None:
            self._compiled = re.compile(*self._source)
        return self._compiled

    def __getattr__(self, name: str):
        return getattr(self.compiled, name)


WORDS_SLOT = "<WORDS>"


class KeyedPattern:
    """A pattern every match of which holds one of `words`, and the quick test that skips a text holding none.

    The words are written once: the pattern's `<WORDS>` slot becomes their alternation, so the
    prefilter and the pattern cannot drift apart (tests/test_text.py checks every keyed pattern).
    """

    __slots__ = ("anycase", "pattern", "words")

    def __init__(self, words: tuple[str, ...], template: str, flags: int = 0):
        if WORDS_SLOT not in template:
            raise ValueError("a keyed pattern needs the <WORDS> slot")
        self.anycase = bool(flags & re.IGNORECASE)
        self.words = tuple(w.lower() for w in words) if self.anycase else tuple(words)
        alternation = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
        self.pattern = LazyPattern(template.replace(WORDS_SLOT, f"(?:{alternation})"), flags)

    def may_match(self, text: str) -> bool:
        if self.anycase:
            text = text.lower()
        return any(w in text for w in self.words)

    def search(self, text: str) -> re.Match | None:
        return self.pattern.search(text) if self.may_match(text) else None

    def finditer(self, text: str):
        return self.pattern.finditer(text) if self.may_match(text) else iter(())


# A word: letters (any script), digits, apostrophes and hyphens inside.
WORD = LazyPattern(r"[^\W_](?:[^\W_]|['\u2019\-](?=[^\W_]))*")

_ABBREV = {
    "mr", "mrs", "ms", "dr", "gen", "lt", "col", "maj", "capt", "st", "no", "vs", "jan", "feb", "mar",
    "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "inc", "corp", "ltd", "co", "prof",
    "sen", "rep", "gov", "jr", "sr", "mt", "ft", "h.e", "e.g", "i.e", "approx", "est", "dept", "u.s", "u.k",
}

# A sentence ends at . ! ? (and closing quotes) before white space, or at a line
# break. A dot glued to a capital ("fields.PM Chinh") also ends a sentence.
_BOUNDARY = re.compile(r"[.!?…]+[\"'\u201d\u2019)]*(?=\s)|\n+|(?<=[a-z]{3})\.(?=[A-Z][a-z]|[A-Z]{2,}\s)")


_LAST_WORD = re.compile(r"([\w.]+)$")


def sentences(text: str, start: int = 0, end: int | None = None, limit: int = 0) -> list[tuple[int, int]]:
    """Split text[start:end] into sentence spans, trimmed of surrounding white space
    (only the first `limit` of them, when a limit is given)."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    pos = start
    for m in _BOUNDARY.finditer(text, start, end):
        cut = m.end() if m.group().strip() else m.start()
        if m.group().startswith("."):
            # only the last few characters matter: abbreviations and initials are short
            word = _LAST_WORD.search(text[max(pos, m.start() - 16):m.start()])
            if word and (word.group(1).lower() in _ABBREV or len(word.group(1)) == 1):
                if "\n" not in m.group():
                    continue
        _add_trimmed(text, pos, cut, spans)
        if limit and len(spans) >= limit:
            return spans
        pos = m.end()
    _add_trimmed(text, pos, end, spans)
    return spans


def _add_trimmed(text: str, s: int, e: int, out: list[tuple[int, int]]) -> None:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    if e > s:
        out.append((s, e))


_LINE = re.compile(r"[^\n]+")


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Spans of the non-empty lines of the text."""
    out: list[tuple[int, int]] = []
    for m in _LINE.finditer(text):
        _add_trimmed(text, m.start(), m.end(), out)
    return out


def is_word_boundary(text: str, start: int, end: int) -> bool:
    """True when text[start:end] is not glued to letters or digits on either side."""
    if start > 0 and (text[start - 1].isalnum()):
        return False
    if end < len(text) and (text[end].isalnum()):
        return False
    return True


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def inside(inner: tuple[int, int], outer: tuple[int, int]) -> bool:
    return outer[0] <= inner[0] and inner[1] <= outer[1]


class SpanIndex:
    """Answers "is this inside one of the spans?" in logarithmic time, for any number of spans."""

    __slots__ = ("_reach", "_starts")

    def __init__(self, spans):
        ordered = sorted(spans)
        self._starts = [a for a, _ in ordered]
        reach, far = [], float("-inf")
        for _, b in ordered:
            if b > far:
                far = b
            reach.append(far)
        self._reach = reach

    def contains(self, s: int, e: int) -> bool:
        """Some span (a, b) has a <= s and e <= b."""
        i = bisect_right(self._starts, s)
        return i > 0 and self._reach[i - 1] >= e

    def covers(self, x: int) -> bool:
        """Some span (a, b) has a <= x < b."""
        i = bisect_right(self._starts, x)
        return i > 0 and self._reach[i - 1] > x
