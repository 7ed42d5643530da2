"""Find the parts of a stored page that are not the story.

Pages arrive with site menus, photo captions, credits and footers around the
story. The record keeps the text as stored (so offsets stay valid); this stage
only marks which spans to ignore and where the story starts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from relations.text import LazyPattern, SpanIndex, fold, paragraphs

_CAPTION = LazyPattern(
    r"\((?:Photo|Source|Ảnh)\b[^)]*\)|\|\s*Photo\b|\bPhoto:\s|Illustrative (?:image|photo)|\bVNA/VNS Photo\b"
    r"|\bPhoto\s*(?:courtesy|by)\b|\((?:L|R|left|right|centre|center)\)"
    # "… in San Francisco on November 15. Presidency of Chile (EFE)": a credit after the caption's sentence
    r"|[.!?]\s+[A-Z][^.()\n]{1,60}\([A-Z][A-Za-z]{1,10}\)\s*$",
    re.I,
)
_FOOTER = LazyPattern(
    r"Read full this story|How did you feel about the content of this article\?|Share this article|Related news"
    r"|Follow us on|All rights reserved|Copyright ©|Click here|Subscribe|cached page|Read more:",
    re.I,
)
# Every match of _FOOTER (of _CAPTION) holds one of these, once folded; the long s is the one letter that
# matches "s" when case is ignored without folding to it.
_FOOTER_WORDS = ("read full this story", "how did you feel about the content of this article?", "share this article",
                 "related news", "follow us on", "all rights reserved", "copyright ©", "click here", "subscribe",
                 "cached page", "read more:")
_CAPTION_WORDS = ("(photo", "(source", "(anh", "photo", "illustrative ", "(l)", "(r)", "(left)", "(right)", "(cent")
_CREDIT_AT_LINE_END = re.compile(r"[A-Za-z]\)[ \t]*(?:\n|$)")   # in every match of _CAPTION's credit form
_PHOTO_CREDIT = LazyPattern(r"(?:[—–-]\s*)?(?:[A-Z]{2,}(?:/[A-Z]{2,})*\s+)?Photo(?:s)?\s*:?\s*(?:[A-ZÀ-Ỹ][\w’'.-]*\s?){1,4}")


# "PARIS Jan 21 Foreign ministers of France and": a wire dateline starts the story even on a short,
# hard-wrapped line
_WIRE_DATELINE = LazyPattern(r"[A-Z]{3,}(?:[ -][A-Z]{2,})*(?:,\s*[A-Z][a-z]+)?,?\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|"
                             r"Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}\b")


@dataclass
class Layout:
    """Where the story is, and which spans of the text are not part of it."""

    story_start: int = 0
    noise: list[tuple[int, int]] = field(default_factory=list)
    captions: list[tuple[int, int]] = field(default_factory=list)
    headline: tuple[int, int] | None = None
    _index: tuple | None = field(default=None, init=False, repr=False, compare=False)

    def is_noise(self, start: int, end: int) -> bool:
        idx = self._index
        if idx is None or idx[0] is not self.noise or idx[1] != len(self.noise):
            idx = self._index = (self.noise, len(self.noise), SpanIndex(self.noise))
        return idx[2].contains(start, end)


def _is_prose(line: str) -> bool:
    words = line.split()
    ends = line.rstrip()[-1:] in ".!?\"”…"
    # a headline has no full stop; a story paragraph without one is long (or cut off mid-sentence)
    # (a standfirst under the headline is a sentence without its full stop: "… they had in Buenos Aires on Feb. 16")
    return len(words) >= 25 or (len(words) >= 6 and ends)


def layout(text: str, folded: str | None = None) -> Layout:
    """Mark menus, captions, credits and footers; find the first paragraph of the story.

    `folded` is fold(text), when the caller has it."""
    out = Layout()
    paras = paragraphs(text)
    story_found = False
    if folded is None or len(folded) != len(text):
        folded = fold(text)
    odd = "\u017f" in text
    footers = odd or any(w in folded for w in _FOOTER_WORDS)
    captions = odd or any(w in folded for w in _CAPTION_WORDS) or _CREDIT_AT_LINE_END.search(text) is not None
    for s, e in paras:
        line = text[s:e]
        m = footers and _FOOTER.search(line)
        if m:
            out.noise.append((s + m.start(), e))
            line_end = s + m.start()
            if line_end - s < 20:
                continue
        if captions and _CAPTION.search(line) and len(line.split()) < 60:
            out.captions.append((s, e))
            for m in _PHOTO_CREDIT.finditer(line):
                out.noise.append((s + m.start(), s + m.end()))
            continue
        if not story_found:
            if _is_prose(line) or _WIRE_DATELINE.match(line):
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
    if "Photo" in text:   # in every match
        known = set(out.noise)
        for m in _PHOTO_CREDIT.finditer(text):
            span = (m.start(), m.end())
            if span not in known and "Photo" in m.group() and _AGENCY_PHOTO.search(m.group()):
                out.noise.append(span)
                known.add(span)
    return out


_AGENCY_PHOTO = LazyPattern(r"[A-Z]{2,}/?[A-Z]*\s+Photo")
