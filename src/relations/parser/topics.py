"""Tag the fields of relations an article covers, with the words that show it."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from typing import Any, NamedTuple

import ahocorasick

from relations.knowledge import Knowledge
from relations.text import LazyPattern, SpanIndex, fold


class _Vocab(NamedTuple):
    auto: Any           # folded keyword -> (length, topic id or None)
    longest: int        # the longest keyword, in characters
    cues: tuple         # (clause pattern, its cue words folded, topic) in the dictionary's order


def _vocab(kb: Knowledge) -> _Vocab:
    cached = kb.cache.get("topics")
    if cached:
        return cached
    # phrases that contain a keyword but name no field of relations ("press conference", "the capital of")
    entries = [(str(p), None) for p in kb.section("topics", "not_topics", []) or []]
    for t in kb.section("topics", "topics", []):
        for kw in t.get("keywords") or []:
            entries.append((str(kw), t["id"]))
    auto, longest = ahocorasick.Automaton(), 0
    for key, value in entries:
        key = fold(key).strip()
        if key and key not in auto:     # the first entry for a phrase wins
            auto.add_word(key, (len(key), value))
            longest = max(longest, len(key))
    if longest:
        auto.make_automaton()
    cues = []
    for c in kb.section("topics", "scoped_cues", []) or []:
        folded = [fold(w) for w in c.get("cue") or []]
        words = "|".join(re.escape(w) for w in folded)
        if words:
            # the cue governs the rest of its clause (up to a comma that is not a list comma, or a full stop)
            cues.append((LazyPattern(rf"\b(?:{words})\b[^.;:()]*?(?=[.;:()]|,\s+(?!and\b)[a-z]+\s+[a-z]+ing\b|$)"),
                         tuple(folded), c["topic"]))
    got = _Vocab(auto, longest, tuple(cues))
    kb.cache["topics"] = got
    return got


def topic_ids(kb: Knowledge) -> list[str]:
    return [t["id"] for t in kb.section("topics", "topics", [])]


class Topics:
    """The topic words of one text, found once; answers for the whole text or for any stretch of it.

    `find(exclude, start, end)` is exactly what a search of `text[:end]` alone from `start` finds, so
    asking about many stretches costs their length, not the length of the text before them."""

    def __init__(self, text: str, folded: str, kb: Knowledge):
        self.text, self.folded, self.vocab = text, folded, _vocab(kb)
        n = len(text)
        occ = []
        if self.vocab.longest:
            for end_idx, (length, value) in self.vocab.auto.iter(folded):
                s, e = end_idx - length + 1, end_idx + 1
                # whole words only: a letter or digit on either side glues the phrase to another word
                open_left = not (s > 0 and text[s - 1].isalnum())
                open_right = not (e < n and text[e].isalnum())
                if open_left:
                    occ.append((s, -length, e, value, open_right))
        occ.sort(key=lambda o: (o[0], o[1]))
        self._occ = occ
        self._starts = [o[0] for o in occ]
        # the leftmost-longest choice over the whole text: where the last chosen phrase ends, before each one
        before, last = [], -1
        for s, _, e, _, open_right in occ:
            before.append(last)
            if open_right and s >= last:
                last = e
        self._last_before = before

    def _chosen(self, start: int, end: int | None):
        occ = self._occ
        if end is None or end >= len(self.text):
            i = bisect_left(self._starts, start)
            last = self._last_before[i] if i < len(occ) else -1
            for s, _, e, value, open_right in occ[i:]:
                if open_right and s >= last:
                    last = e
                    yield s, e, value
            return
        # up to `longest` characters before the end, every phrase is chosen as over the whole text
        safe = max(0, min(start, end - self.vocab.longest))
        i = bisect_left(self._starts, safe)
        last = self._last_before[i] if i < len(occ) else -1
        for k in range(i, bisect_left(self._starts, end)):
            s, _, e, value, open_right = occ[k]
            if e <= end and (open_right or e == end) and s >= last:
                last = e
                if s >= start:
                    yield s, e, value

    def find(self, exclude, start: int = 0, end: int | None = None) -> dict[str, list[tuple[int, int]]]:
        """Topic id -> evidence spans. Words inside names or scoped by a cue do not count."""
        folded = self.folded
        stop = len(folded) if end is None else min(end, len(folded))
        scoped = []
        for pat, words, topic in self.vocab.cues:
            if not any(folded.find(w, start, stop) >= 0 for w in words):
                continue    # (every clause starts with one of its cue words)
            spans = [m.span() for m in pat.finditer(folded, start, stop)]
            if spans:
                scoped.append(([a for a, _ in spans], [b for _, b in spans], topic))
        skip = SpanIndex(exclude) if len(exclude) > 8 else None
        out: dict[str, list[tuple[int, int]]] = {}
        for s, e, topic in self._chosen(start, end):
            if topic is None:
                continue
            if skip is not None:
                if skip.contains(s, e):
                    continue
            elif any(a <= s and e <= b for a, b in exclude):
                continue
            scope = None
            for starts, ends, t in scoped:
                # one cue's clauses do not overlap: only the last one opening at or before `s` can hold it
                k = bisect_right(starts, s) - 1
                if k >= 0 and e <= ends[k]:
                    scope = t
                    break
            if scope and scope != topic:
                continue
            out.setdefault(topic, []).append((s, e))
        return dict(sorted(out.items()))


def find_topics(text: str, folded: str, kb: Knowledge, exclude: list[tuple[int, int]],
                start: int = 0) -> dict[str, list[tuple[int, int]]]:
    """Topic id -> evidence spans. Words inside names or scoped by a cue do not count."""
    return Topics(text, folded, kb).find(exclude, start)
