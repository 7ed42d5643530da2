"""Find the parts of a stored page that are not the story.

Pages arrive with site menus, photo captions, credits and footers around the
story. The record keeps the text as stored (so offsets stay valid); this stage
only marks which spans to ignore and where the story starts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from relations.text import paragraphs

_CAPTION = re.compile(
    r"\((?:Photo|Source|Ảnh)\b[^)]*\)|\|\s*Photo\b|\bPhoto:\s|Illustrative (?:image|photo)|\bVNA/VNS Photo\b"
    r"|\bPhoto\s*(?:courtesy|by)\b|\((?:L|R|left|right|centre|center)\)",
    re.I,
)
_FOOTER = re.compile(
    r"Read full this story|How did you feel about the content of this article\?|Share this article|Related news"
    r"|Follow us on|All rights reserved|Copyright ©|Click here|Subscribe|cached page|Read more:",
    re.I,
)
_PHOTO_CREDIT = re.compile(r"(?:[—–-]\s*)?(?:[A-Z]{2,}(?:/[A-Z]{2,})*\s+)?Photo(?:s)?\s*:?\s*(?:[A-ZÀ-Ỹ][\w’'.-]*\s?){1,4}")


@dataclass
class Layout:
    """Where the story is, and which spans of the text are not part of it."""

    story_start: int = 0
    noise: list[tuple[int, int]] = field(default_factory=list)
    captions: list[tuple[int, int]] = field(default_factory=list)
    headline: tuple[int, int] | None = None

    def is_noise(self, start: int, end: int) -> bool:
        return any(s <= start and end <= e for s, e in self.noise)


def _is_prose(line: str) -> bool:
    words = line.split()
    ends = line.rstrip()[-1:] in ".!?\"”…"
    # a headline has no full stop; a story paragraph without one is long (or cut off mid-sentence)
    return len(words) >= 20 or (len(words) >= 6 and ends)


def layout(text: str) -> Layout:
    """Mark menus, captions, credits and footers; find the first paragraph of the story."""
    out = Layout()
    paras = paragraphs(text)
    story_found = False
    for s, e in paras:
        line = text[s:e]
        if _FOOTER.search(line):
            m = _FOOTER.search(line)
            out.noise.append((s + m.start(), e))
            line_end = s + m.start()
            if line_end - s < 20:
                continue
        if _CAPTION.search(line) and len(line.split()) < 60:
            out.captions.append((s, e))
            for m in _PHOTO_CREDIT.finditer(line):
                out.noise.append((s + m.start(), s + m.end()))
            continue
        if not story_found:
            if _is_prose(line):
                out.story_start = s
                story_found = True
            else:
                menu = line.count("|") >= 2 or line.count("•") >= 2   # "Home | World | Business | Sport"
                if out.headline is None and 4 <= len(line.split()) <= 25 and not line.rstrip().endswith(".") and not menu:
                    out.headline = (s, e)
                out.noise.append((s, e))
    if not story_found and paras:
        out.story_start = paras[0][0]
        out.noise = [n for n in out.noise if n[0] < paras[0][0] or n[0] > paras[0][1]]
    for m in _PHOTO_CREDIT.finditer(text):
        span = (m.start(), m.end())
        if span not in out.noise and "Photo" in m.group() and re.search(r"[A-Z]{2,}/?[A-Z]*\s+Photo", m.group()):
            out.noise.append(span)
    return out
