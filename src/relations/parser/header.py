"""The article's own facts: publication date, agency credit, dateline, title."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from relations.parser.dates import MONTHS, find_full_dates, parse_iso
from relations.errors import ParseError
from relations.text import LazyPattern, fold, sentences

HEADER = re.compile(r"\A\s*date\s+(\S+)[ \t]*")
_ISO = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")


@dataclass(frozen=True)
class Header:
    date: str | None        # YYYY-MM-DD or YYYY-MM
    body_start: int         # offset of the body in the raw text
    how: str | None         # where the date came from


def split_header(raw: str) -> Header:
    """Read the leading ` date YYYY-MM-DD` line; an impossible date is a parse error."""
    m = HEADER.match(raw)
    if not m:
        return Header(None, 0, None)
    value = m.group(1)
    iso = _ISO.match(value)
    if not iso:
        raise ParseError(f"header date '{value}' is not YYYY-MM-DD or YYYY-MM")
    y, mo, d = iso.groups()
    if not 1 <= int(mo) <= 12:
        raise ParseError(f"header date '{value}' is not a real date")
    if d and parse_iso(value) is None:
        raise ParseError(f"header date '{value}' is not a real date")
    return Header(value, m.end(), "header")


# A full date counts as the article's own only where the page presents it so:
# after "Published"/"Updated", before a time of day, or in a dateline.
_PUBLISHED = LazyPattern(r"(?:Published|Posted|Updated|Last updated|Date)\s*(?:on|:)?\s*$", re.I)
_TIME_AFTER = LazyPattern(r"^\s*(?:[-|,–—]\s*)?\d{1,2}:\d\d\b")
_DATELINE_AFTER = LazyPattern(r"^\s*(?:\([^)]{2,30}\)|[—–]|--)")


def date_from_text(body: str, limit: int = 1500) -> tuple[str | None, str | None]:
    """A publication date stated for the article itself, or (None, None)."""
    for s, e, value in find_full_dates(body, 0, min(len(body), limit)):
        before = body[max(0, s - 40):s]
        after = body[e:e + 20]
        if _PUBLISHED.search(before):
            return value, "stated as the publication date"
        if _TIME_AFTER.match(after):
            return value, "stated with the time of publication"
        if _DATELINE_AFTER.match(after) and re.search(r"[A-Z][A-Za-z]+,\s*$", before):
            return value, "stated in the dateline"
    return None, None


_DASH = r"(?:—|–|--|-)"
_MONTH_WORDS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")   # _MONTH holds one
_CAPS_PLACE = r"[A-ZÀ-ÝĐ][A-ZÀ-ÝĐẠ-Ỹ'’.]+(?:[ -][A-ZÀ-ÝĐ][A-ZÀ-ÝĐẠ-Ỹ'’.]+){0,3}"
_PLACE = r"[A-ZÀ-ÝĐ][\wÀ-ỹ'’.]+(?:[ -](?:(?:de|del|da|do|di|la|el|al|es|of)\s)?[A-ZÀ-ÝĐ][\wÀ-ỹ'’.]+){0,3}"
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}(?:,?\s+\d{4})?"

# "HÀ NỘI —", "HANOI --": a place in capitals and a dash.
_DL_CAPS_DASH = LazyPattern(rf"(?:^|(?<=\n)|(?<=[-—–]\s))\s*(?P<place>{_CAPS_PLACE})\s*(?:,\s*[A-Z][\w ]+)?\s*{_DASH}\s")
# "HAVANA, Cuba, May 7 (ACN)", "Vientiane, Oct 2 (Prensa Latina)", "Tokyo (VNA) –", "HAVANA, (Reuters) –"
_DL_CREDIT = LazyPattern(
    rf"(?:^|(?<=\n))\s*(?P<place>{_PLACE})(?:,\s*[A-Z][\w]+)?,?\s*(?:{_MONTH})?\s*\((?P<agency>[^()\n]{{2,40}})\)\s*(?:{_DASH}+)?"
)
# "MOSCOW, November 14. /TASS/.": the credit between slashes
_DL_SLASH = LazyPattern(rf"(?:^|(?<=\n))\s*(?P<place>{_PLACE}),?\s*(?:{_MONTH})?\.?\s*/(?P<agency>[A-Z][A-Za-z-]{{1,15}})/\.?")
# "SINGAPORE: Singapore and Vietnam signed …": a place in capitals and a colon, at the start of a line.
_DL_CAPS_COLON = LazyPattern(rf"(?:^|(?<=\n))[ \t]*(?P<place>{_CAPS_PLACE}):\s+(?=[A-Z])")
# "… Photo Thống Nhất HAVANA — First Secretary …": after a photo credit, a place in capitals and a long dash.
_DL_CAPS_LOOSE = LazyPattern(rf"(?<=\s)(?P<place>[A-ZÀ-ÝĐ]{{2}}[A-ZÀ-ÝĐẠ-Ỹ'’.]+(?:[ -][A-ZÀ-ÝĐ][A-ZÀ-ÝĐẠ-Ỹ'’.]+){{0,3}})\s*(?:—|–|--)\s")
# "HAVANA, June 14 Russia and Cuba ...": a place in capitals and a date.
_DL_CAPS_DATE = LazyPattern(rf"(?:^|(?<=\n))\s*(?P<place>{_CAPS_PLACE}),\s*(?:[A-Z][a-z]+,\s*)?{_MONTH}\b")
# "— VNA/VNS" at the end of the story.
_TRAILING_CREDIT = LazyPattern(rf"(?:^|\s|(?<=[.!?\"”])){_DASH}\s*(?P<agency>[A-Z][A-Za-z]{{1,12}}(?:/[A-Z][A-Za-z]{{1,12}})*)\s*$")
# "This is reported by UNN", "(Taken from Prensa Latina)", "Source: VNA": the story's own source
_REPORTED = LazyPattern(r"(?:\breported by|\b[Tt]aken from|\bSource:|\bSource\s*-|\bwith information from)\s*"
                       r"(?P<agency>[A-Z][\w+/&.-]*(?: [A-Z][\w+&.-]*){0,4})")
# photo credits, the last resort: "Photo:AFP", "| Photo: EFE/EPA/ALEXANDER …", "Pool via REUTERS", "(Photo: VNA/VNS)"
_PHOTO = LazyPattern(r"(?:\bPhotos?\s*:\s*|\bvia\s+)(?P<agency>[A-Z][\w+&.-]*(?:[ /][A-Z][\w+&.-]*){0,5})")
_REPORTED_WORDS = ("reported by", "aken from", "Source", "with information from")   # one is in every match
_DASH_PHOTO = LazyPattern(r"[—–-]\s*(?P<agency>[A-Z]{2,6}(?:/[A-Z]{2,6})?)\s+Photo\b")
_BYLINE = LazyPattern(r"(?:^|\n)[ \t]*(?:By|BY)\s+(?P<agency>[A-Z][\w+&.-]*(?: [A-Z][\w+&.-]*){0,3})"
                     r"(?:\s+(?:[Ss]taff|[Nn]ews|[Rr]eporters?|[Cc]orrespondents?|[Ww]ire))?[ \t]*(?:\n|$)")
_SOURCE_CREDIT = LazyPattern(r"\((?:Source|Photo):\s*(?P<agency>[A-Z][\w/ ]{1,25})\)")


@dataclass(frozen=True)
class Credit:
    agency: str | None
    agency_span: tuple[int, int] | None
    dateline: str | None
    dateline_span: tuple[int, int] | None
    dateline_end: int | None = None   # where the whole dateline (place, date, credit, dash) ends


def _known_agency(name: str, agencies: set[str]) -> bool:
    parts = [p for p in re.split(r"[/,]\s*", name) if p]
    return bool(parts) and all(fold(p.strip()) in agencies for p in parts)


def _known_prefix(cand: str, agencies: set[str]) -> str | None:
    """The leading known agencies of a credit: `EFE/EPA/ALEXANDER ASTAFYEV` -> `EFE/EPA`, `Prensa Latina)` -> `Prensa Latina`."""
    parts = cand.split("/")
    keep = []
    for p in parts:
        words = p.split()
        # the longest run of leading words that names an agency ("Prensa Latina news" -> "Prensa Latina")
        hit = next((k for k in range(len(words), 0, -1) if fold(" ".join(words[:k]).strip(".")) in agencies), 0)
        if not hit:
            break
        keep.append(" ".join(words[:hit]).strip("."))
        if hit < len(words):
            break
    return "/".join(keep) if keep else None


def credit(text: str, agencies: set[str], story_start: int = 0) -> Credit:
    """Find the agency credit and the dateline place."""
    agency = agency_span = place = place_span = dl_end = None
    head_end = min(len(text), story_start + 600)
    head = text[:head_end]
    # (each search runs only when the text holds a character or word that every match of it holds)
    for m in (list(_DL_CREDIT.finditer(head)) if "(" in head else []) + \
            (list(_DL_SLASH.finditer(head)) if "/" in head else []):
        cand = m.group("agency").strip()
        if _known_agency(cand, agencies) or re.fullmatch(r"[A-Z]{2,6}(?:/[A-Z]{2,6})?", cand):
            agency, agency_span = cand, m.span("agency")
            if not fold(m.group("place")) in agencies:
                place, place_span, dl_end = m.group("place").rstrip(" ."), m.span("place"), m.end()
            break
    dashes = "-" in head or "—" in head or "–" in head
    caps = [m for m in _DL_CAPS_DASH.finditer(head) if not _known_agency(m.group("place"), agencies)] if dashes else []
    if caps:
        m = caps[0]
        # "VIETNAM, May 17 - HÀ NỘI —": the place after the date wins.
        nxt = [c for c in caps if c.start() < m.end() + 40]
        m = nxt[-1]
        place, place_span, dl_end = m.group("place").strip(), m.span("place"), m.end()
    elif place is None:
        m = (any(mo in head for mo in _MONTH_WORDS) and _DL_CAPS_DATE.search(head)) \
            or (":" in head and _DL_CAPS_COLON.search(head)) or None
        if m is None and ("—" in head or "–" in head or "--" in head):
            m = next((c for c in _DL_CAPS_LOOSE.finditer(head) if not _known_agency(c.group("place"), agencies)
                      and re.search(r"\bPhotos?\b", head[max(0, c.start() - 60):c.start()])), None)
        if m:
            place, place_span, dl_end = m.group("place").strip(), m.span("place"), m.end()
    tail = text.rstrip()
    end = tail[-60:]
    m = _TRAILING_CREDIT.search(end) if "-" in end or "—" in end or "–" in end else None
    if m and not (_known_agency(m.group("agency"), agencies) or re.fullmatch(r"[A-Z]{2,6}(?:/[A-Z]{2,6})*", m.group("agency"))):
        m = None
    if m:
        off = len(tail) - min(60, len(tail))
        agency, agency_span = m.group("agency"), (off + m.start("agency"), off + m.end("agency"))
    if agency is None:
        # "By Al Jazeera Staff", "By AFP", "By Reuters staff": an outlet in the byline
        m = _BYLINE.search(text[:head_end]) if "By" in head or "BY" in head else None
        if m:
            got = _known_prefix(m.group("agency"), agencies)
            if got:
                agency, agency_span = got, (m.start("agency"), m.start("agency") + len(got))
    if agency is None:
        m = _SOURCE_CREDIT.search(text) if "(Source:" in text or "(Photo:" in text else None
        if m and _known_agency(m.group("agency").strip(), agencies):
            agency, agency_span = m.group("agency").strip(), m.span("agency")
    if agency is None and any(w in text for w in _REPORTED_WORDS):
        for m in _REPORTED.finditer(text):
            got = _known_prefix(m.group("agency"), agencies)
            if got:
                agency, agency_span = got, (m.start("agency"), m.start("agency") + len(got))
                break
    if agency is None and "Photo" in text:
        m = _DASH_PHOTO.search(text)
        if m:
            agency, agency_span = m.group("agency"), m.span("agency")
    if agency is None and ("Photo" in text or "via" in text):
        for m in _PHOTO.finditer(text):
            got = _known_prefix(m.group("agency"), agencies)
            if got:
                agency, agency_span = got, (m.start("agency"), m.start("agency") + len(got))
                break
    return Credit(agency, agency_span, place, place_span, dl_end)


def title(text: str, headline: tuple[int, int] | None, story_start: int, limit: int = 120) -> str:
    """The headline when the page has one, else the first sentence, shortened."""
    if headline:
        t = text[headline[0]:headline[1]].strip()
    else:
        sents = sentences(text, story_start, limit=1)
        t = text[sents[0][0]:sents[0][1]] if sents else text.strip()
    t = " ".join(t.split())
    if len(t) > limit:
        cut = t.rfind(" ", 0, limit - 1)
        t = t[: cut if cut > 40 else limit - 1].rstrip(",;:") + "…"
    return t


def month_of(value: str) -> int:
    return MONTHS.get(value.lower(), 0)


def as_date(value: str | None) -> tuple[date | None, str]:
    """Turn a record date (YYYY-MM-DD or YYYY-MM) into a reference day and its precision."""
    if not value:
        return None, "none"
    if len(value) == 10:
        return parse_iso(value), "day"
    y, m = value.split("-")
    return date(int(y), int(m), 1), "month"
