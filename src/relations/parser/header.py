"""The article's own facts: publication date, agency credit, dateline, title."""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import date

from relations.errors import ParseError
from relations.parser.dates import MONTHS, PAGE_MONTHS, find_full_dates, parse_iso
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


# A date alone on its line in the page's own format: "08.07.2024", "08. Sep 2021.", "Monday, 8 July 2024 10:45",
# "3 Mei 2018", "8 de julio de 2024", "21.01.2014 - Press release"; the words of the month are checked after.
_W = r"[A-Za-zÀ-ÿ]"
_PAGE_DATE = (
    rf"(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\.?\s+(?:de\s+)?(?P<m1>{_W}{{3,10}})\.?,?\s+(?:de\s+)?(?P<y1>(?:19|20)\d\d)"
    rf"|(?P<m2>{_W}{{3,10}})\.?\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y2>(?:19|20)\d\d)"
    r"|(?P<n1>\d{1,2})(?P<sep>[./-])(?P<n2>\d{1,2})(?P=sep)(?P<n3>(?:19|20)\d\d)"
    r"|(?P<iy>(?:19|20)\d\d)(?P<isep>[-/.])(?P<im>\d{1,2})(?P=isep)(?P<id>\d{1,2}))"
)
_DATE_LINE = LazyPattern(
    rf"[ \t]*(?P<label>(?:Published|Posted|Updated|Last updated|Date|Publication date)\s*(?:on|at)?\s*:?\s*"
    rf"|(?:By|BY)\s[^\n|]{{2,60}}?\s*[|,–—-]\s*)?(?:{_W}+,?\s+)?{_PAGE_DATE}\.?"
    r"(?:[ \t]*(?:[-|,–—]|at)?[ \t]*\d{1,2}[:.h]\d\d(?::\d\d)?[ \t]*(?:[AaPp]\.?[Mm]\.?)?(?:[ \t]*[A-Z]{2,4}|[ \t]*[+-]\d\d:?\d\d)?)?"
    r"(?:[ \t]*[-|–—][ \t]*[^\n]{1,30})?[ \t]*$"
)


_DIGIT = re.compile(r"\d")


def _line_date(m: re.Match) -> str | None:
    """The ISO date of a `_DATE_LINE` match; a day and month that could be read either way count as none."""
    g = m.group
    if g("iy"):
        y, mo, d = int(g("iy")), int(g("im")), int(g("id"))
    elif g("n1"):
        a, b, y = int(g("n1")), int(g("n2")), int(g("n3"))
        if g("sep") == "/" and a <= 12 and b <= 12 and a != b:
            return None        # 07/08/2024: July 8 or 7 August
        d, mo = (b, a) if b > 12 else (a, b)
    else:
        word = fold(g("m1") or g("m2")).lower()
        mo = PAGE_MONTHS.get(word) or 0
        y, d = int(g("y1") or g("y2")), int(g("d1") or g("d2"))
    try:
        return date(y, mo, d).isoformat()
    except ValueError:
        return None


def _page_date(body: str, limit: int) -> tuple[str | None, str | None]:
    """A date alone on a line under the headline, or in a byline (`By … | 8 July 2024`, `Published: …`).

    A date on the page's first line, above any headline, is the site's own (a menu or crawl date)."""
    seen_headline = False
    for line in body[:limit].split("\n")[:40]:
        words = line.split()
        if not words:
            continue
        m = _DATE_LINE.fullmatch(line) if _DIGIT.search(line) else None
        value = _line_date(m) if m else None
        if value and (m.group("label") or seen_headline):
            return value, "stated under the headline" if not m.group("label") else "stated as the publication date"
        if len(words) >= 4 and line.count("|") < 2 and not value:
            seen_headline = True
    return None, None


def date_from_text(body: str, limit: int = 1500) -> tuple[str | None, str | None]:
    """A publication date stated for the article itself, or (None, None)."""
    found = _stated_date(body, limit)
    return found if found[0] else _page_date(body, limit)


def _stated_date(body: str, limit: int) -> tuple[str | None, str | None]:
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
_DL_CAPS_LOOSE = LazyPattern(r"(?<=\s)(?P<place>[A-ZÀ-ÝĐ]{2}[A-ZÀ-ÝĐẠ-Ỹ'’.]+(?:[ -][A-ZÀ-ÝĐ][A-ZÀ-ÝĐẠ-Ỹ'’.]+){0,3})\s*(?:—|–|--)\s")
# "HAVANA, June 14 Russia and Cuba ...": a place in capitals and a date.
_DL_CAPS_DATE = LazyPattern(rf"(?:^|(?<=\n))\s*(?P<place>{_CAPS_PLACE})(?:,\s*|\s+)(?:[A-Z][a-z]+,\s*)?{_MONTH}\b")
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


# "(MENAFN- Gulf Times)", "(ECNS) —": a credit in brackets that opens the story, with no place before it
_DL_BRACKET = LazyPattern(rf"(?:^|(?<=\n))[ \t]*\((?P<agency>[A-Z][A-Za-z]{{1,11}})(?:\s*[-–—]\s*[^()\n]{{2,40}})?\)\s*(?:{_DASH}+\s)?")
# "NDO/VNA - Prime Minister …": wire credits joined by slashes and a dash, opening the story
_DL_SLASHED = LazyPattern(rf"(?:^|(?<=\n))[ \t]*(?P<agency>[A-Z][A-Za-z]{{1,11}}(?:/[A-Z][A-Za-z]{{1,11}})+)\s*{_DASH}\s")
# "Pretoria - The Chinese …", "Abu Dhabi: The UAE …", "Nairobi, Kenya — …": a place in plain case, checked
# against the gazetteer, with a dash or a colon
# "State House, Nairobi, Kenya, Monday 30 May 2022 – …": a building and a date around the place
_DL_PLAIN = LazyPattern(rf"(?:^|(?<=\n))[ \t]*(?:[A-Z][\w’'-]+(?: [A-Z][\w’'-]+){{0,2}} (?:House|Palace|Hall|Villa|Office),\s*)?"
                        rf"(?P<place>{_PLACE})(?:,\s*[A-Z][\w ]{{2,30}}?)?"
                        r"(?:,\s*(?:[A-Z][a-z]+,?\s+)?(?:\d{1,2}(?:st|nd|rd|th)?\s+[A-Z][a-z]+\.?|[A-Z][a-z]+\.?\s+\d{1,2}),?\s+\d{4})?"
                        rf"\s*(?:{_DASH}|:)\s+(?=[A-Z\"“‘'])")
# "Olalekan Adetayo, Abuja": a reporter's name and the place written from, alone on a line
_DL_BYLINE_PLACE = LazyPattern(r"(?:^|(?<=\n))[ \t]*[A-Z][\w'’.-]+(?:\s[A-Z][\w'’.-]+){1,3},\s*(?P<place>[A-Z][\w'’.-]+(?:\s[A-Z][\w'’.-]+){0,2})[ \t]*(?=\n|$)")
# "State House, Abuja": a building and its city heading a press release, not a reporter's place
_BUILDING_COMMA = LazyPattern(r"\b(?:House|Palace|Hall|Office|Villa|Building|Centre|Center|Secretariat|Ministry),")
# "(UPDATE)", "(VIDEO)": a label in capitals in brackets after a dateline, not a credit
_NOT_AGENCY = frozenset({"UPDATE", "UPDATED", "UPDATES", "VIDEO", "PHOTO", "PHOTOS", "LIVE", "WATCH", "AUDIO",
                         "EXCLUSIVE", "ANALYSIS", "OPINION", "BREAKING", "FILE", "LEAD", "END", "AM", "PM"})
# "… two countries. (EFE)", "— YONHAP News", "— VNS" at the end of the story's last paragraph
_END_CREDIT = LazyPattern(rf"(?:(?:^|\s|(?<=[.!?\"”])){_DASH}\s*|\()(?P<agency>[A-Z][A-Za-z]{{1,12}}(?:/[A-Z][A-Za-z]{{1,12}})*"
                         r"(?:\s+News(?:\s+Agency)?)?)\)?\s*$")
# photo credits in a caption, the last resort: "… president. / AFP", "(AFP/Stanislav Kogiku/ …", "… Chile (EFE)"
_CAPTION_CREDIT = LazyPattern(r"(?:\s/\s*|\()(?P<agency>[A-Z][\w&.-]*(?: [A-Z][\w&.-]*){0,2})\s*(?:/|\)?[ \t]*(?:$|\n))")


@dataclass(frozen=True)
class Credit:
    agency: str | None
    agency_span: tuple[int, int] | None
    dateline: str | None
    dateline_span: tuple[int, int] | None
    dateline_end: int | None = None   # where the whole dateline (place, date, credit, dash) ends


def _known_agency(name: str, agencies: AbstractSet[str]) -> bool:
    parts = [p for p in re.split(r"[/,]\s*", name) if p]
    return bool(parts) and all(fold(p.strip()) in agencies for p in parts)


def _known_prefix(cand: str, agencies: AbstractSet[str]) -> str | None:
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


def _acronym(cand: str) -> bool:
    return bool(re.fullmatch(r"[A-Z]{2,6}(?:/[A-Z]{2,6})*", cand)) and not set(cand.split("/")) & _NOT_AGENCY


def _no_place(_: str) -> bool:
    return False


@dataclass
class _Found:
    agency: str | None = None
    agency_span: tuple[int, int] | None = None
    place: str | None = None
    place_span: tuple[int, int] | None = None
    end: int | None = None

    def set_place(self, m: re.Match, strip: str = " ") -> None:
        self.place, self.place_span, self.end = m.group("place").strip(strip), m.span("place"), m.end()

    def set_agency(self, name: str, start: int) -> None:
        self.agency, self.agency_span = name, (start, start + len(name))


def _bracket_credit(head: str, agencies: AbstractSet[str], is_place, got: _Found) -> None:
    """`HAVANA, Cuba, May 7 (ACN)`, `Tokyo (VNA) –`: a place and a credit in brackets; an acronym in
    brackets after a name that is no place (`Prime Minister (PM)`) is not one."""
    for m in (list(_DL_CREDIT.finditer(head)) if "(" in head else []) + \
            (list(_DL_SLASH.finditer(head)) if "/" in head else []):
        cand = m.group("agency").strip()
        place = m.group("place")
        known = _known_agency(cand, agencies)
        placed = place.isupper() or is_place(place.rstrip(" .")) or bool(re.search(r"\d", m.group()))
        if not known and not (_acronym(cand) and placed):
            if cand.upper() in _NOT_AGENCY and place.isupper() and got.place is None:
                got.set_place(m, " .")     # "TOKYO (UPDATE) —": the place is still the dateline
            continue
        got.agency, got.agency_span = cand, m.span("agency")
        if fold(place) not in agencies:
            got.set_place(m, " .")
        return
    for pat, char in ((_DL_BRACKET, "("), (_DL_SLASHED, "/")):
        m = pat.search(head) if char in head else None
        if m and (_known_agency(m.group("agency"), agencies) or _acronym(m.group("agency"))):
            got.agency, got.agency_span, got.end = m.group("agency"), m.span("agency"), m.end()
            return


def _place_dateline(head: str, agencies: AbstractSet[str], is_place, got: _Found) -> None:
    """The dateline's place when no credit gave it, in the shapes outlets write it."""
    dashes = "-" in head or "—" in head or "–" in head
    caps = [m for m in _DL_CAPS_DASH.finditer(head) if not _known_agency(m.group("place"), agencies)] if dashes else []
    if caps:
        # "VIETNAM, May 17 - HÀ NỘI —": the place after the date wins.
        m = [c for c in caps if c.start() < caps[0].end() + 40][-1]
        got.set_place(m)
        return
    if got.place is not None:
        return
    m = (any(mo in head for mo in _MONTH_WORDS) and _DL_CAPS_DATE.search(head)) \
        or (":" in head and _DL_CAPS_COLON.search(head)) or None
    if m is None and ("—" in head or "–" in head or "--" in head):
        m = next((c for c in _DL_CAPS_LOOSE.finditer(head) if not _known_agency(c.group("place"), agencies)
                  and re.search(r"\bPhotos?\b", head[max(0, c.start() - 60):c.start()])), None)
    if m is None:
        m = next((c for c in _DL_PLAIN.finditer(head) if is_place(c.group("place"))), None) \
            or next((c for c in _DL_BYLINE_PLACE.finditer(head) if is_place(c.group("place"))
                     and not _BUILDING_COMMA.search(c.group())), None)
    if m:
        got.set_place(m)


# "IANS, 09 Jan, 2019 01:49 AM": the outlet before the date of a byline
_AGENCY_DATED = re.compile(r"(?P<agency>[A-Z][\w&.-]*(?: [A-Z][\w&.-]*){0,3})\s*[,|–—-]\s*\d{1,2}\b")


def _agency_line(head: str, agencies: AbstractSet[str]) -> tuple[str, int] | None:
    """`Kyodo News` alone on a line above the story, or before the byline's date: the outlet's credit."""
    pos = 0
    for line in head.split("\n"):
        name = line.strip()
        if 2 <= len(name) <= 40 and fold(name) in agencies:
            return name, pos + line.index(name)
        m = _AGENCY_DATED.match(name) if name[:1].isupper() else None
        if m and fold(m.group("agency")) in agencies:
            return m.group("agency"), pos + line.index(name)
        pos += len(line) + 1
    return None


def _end_credit(text: str, agencies: AbstractSet[str]) -> tuple[str, int] | None:
    """`— VNA/VNS`, `— YONHAP News`, `(EFE)` closing the story's last paragraph, after any short footer lines."""
    end = len(text.rstrip())
    for _ in range(4):
        start = text.rfind("\n", 0, end) + 1
        para = text[start:end]
        tail = para[-60:]
        m = _END_CREDIT.search(tail) if any(ch in tail for ch in "-—–(") else None
        if m:
            name = m.group("agency")
            core = re.sub(r"\s+News(?:\s+Agency)?$", "", name)
            if name.upper() not in _NOT_AGENCY and (_known_agency(name, agencies) or _known_agency(core, agencies)
                                                    or _acronym(core)):
                return name, start + len(para) - len(tail) + m.start("agency")
        if len(para.split()) > 4:
            return None        # the last paragraph of the story carries no credit
        end = start - 1
        if end <= 0:
            return None
    return None


def credit(text: str, agencies: AbstractSet[str], story_start: int = 0, is_place=_no_place) -> Credit:
    """Find the agency credit and the dateline place.

    `is_place(name)` tells a known city (a plain-case dateline such as `Pretoria -` needs one)."""
    head = text[:min(len(text), story_start + 600)]
    got = _Found()
    # (each search runs only when the text holds a character or word that every match of it holds)
    _bracket_credit(head, agencies, is_place, got)
    _place_dateline(head, agencies, is_place, got)
    tail = _end_credit(text, agencies)
    if tail:
        got.set_agency(*tail)
    if got.agency is None:
        _fallback_credit(text, head, agencies, got)
    return Credit(got.agency, got.agency_span, got.place, got.place_span, got.end)


def _fallback_credit(text: str, head: str, agencies: AbstractSet[str], got: _Found) -> None:
    """A credit named elsewhere: a byline, `(Source: VNA)`, `reported by`, and last a photo credit."""
    # "By Al Jazeera Staff", "By AFP", "By Reuters staff": an outlet in the byline
    m = _BYLINE.search(head) if "By" in head or "BY" in head else None
    if m and _known_prefix(m.group("agency"), agencies):
        got.set_agency(_known_prefix(m.group("agency"), agencies), m.start("agency"))
        return
    line = _agency_line(head, agencies)
    if line:
        got.set_agency(*line)
        return
    m = _SOURCE_CREDIT.search(text) if "(Source:" in text or "(Photo:" in text else None
    if m and _known_agency(m.group("agency").strip(), agencies):
        got.agency, got.agency_span = m.group("agency").strip(), m.span("agency")
        return
    if any(w in text for w in _REPORTED_WORDS):
        for m in _REPORTED.finditer(text):
            if _known_prefix(m.group("agency"), agencies):
                got.set_agency(_known_prefix(m.group("agency"), agencies), m.start("agency"))
                return
    m = _DASH_PHOTO.search(text) if "Photo" in text else None
    if m:
        got.agency, got.agency_span = m.group("agency"), m.span("agency")
        return
    pats = ([_PHOTO] if "Photo" in text or "via" in text else []) + \
        ([_CAPTION_CREDIT] if "/" in head or "(" in head else [])
    for pat in pats:
        for m in pat.finditer(text if pat is _PHOTO else head):
            if _known_prefix(m.group("agency"), agencies):
                got.set_agency(_known_prefix(m.group("agency"), agencies), m.start("agency"))
                return


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
