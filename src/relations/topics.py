"""Tag the fields of relations an article covers, with the words that show it."""

from __future__ import annotations

import re

from relations.knowledge import Knowledge, Matcher
from relations.text import fold


def _matcher(kb: Knowledge) -> tuple[Matcher, list[tuple[re.Pattern, str]]]:
    cached = kb.cache.get("topics")
    if cached:
        return cached
    # phrases that contain a keyword but name no field of relations ("press conference", "the capital of")
    entries = [(str(p), None) for p in kb.section("topics", "not_topics", []) or []]
    for t in kb.section("topics", "topics", []):
        for kw in t.get("keywords") or []:
            entries.append((str(kw), t["id"]))
    cues = []
    for c in kb.section("topics", "scoped_cues", []) or []:
        words = "|".join(re.escape(fold(w)) for w in c.get("cue") or [])
        if words:
            # the cue governs the rest of its clause (up to a comma that is not a list comma, or a full stop)
            cues.append((re.compile(rf"\b(?:{words})\b[^.;:()]*?(?=[.;:()]|,\s+(?!and\b)[a-z]+\s+[a-z]+ing\b|$)"), c["topic"]))
    got = (Matcher(entries), cues)
    kb.cache["topics"] = got
    return got


def topic_ids(kb: Knowledge) -> list[str]:
    return [t["id"] for t in kb.section("topics", "topics", [])]


def find_topics(text: str, folded: str, kb: Knowledge, exclude: list[tuple[int, int]],
                start: int = 0) -> dict[str, list[tuple[int, int]]]:
    """Topic id -> evidence spans. Words inside names or scoped by a cue do not count."""
    matcher, cues = _matcher(kb)
    scoped: list[tuple[int, int, str]] = []
    for pat, topic in cues:
        for m in pat.finditer(folded, start):
            scoped.append((m.start(), m.end(), topic))
    out: dict[str, list[tuple[int, int]]] = {}
    for s, e, topic in matcher.find(folded, text):
        if topic is None or s < start or any(a <= s and e <= b for a, b in exclude):
            continue
        scope = next((t for a, b, t in scoped if a <= s and e <= b), None)
        if scope and scope != topic:
            continue
        out.setdefault(topic, []).append((s, e))
    return dict(sorted(out.items()))
