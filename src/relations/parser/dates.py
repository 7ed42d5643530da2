"""Date expressions in news text, resolved against the publication date.

Each resolved date keeps the expression it came from and how it was resolved,
so that `show` can explain it. Rules follow the annotation guide: a weekday is
the most recent such day on or before publication unless the verb is future;
`on September 1` takes the publication year; a span of days is dated by its
first day.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

import ahocorasick

from relations.text import LazyPattern

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}

# Month names of the languages whose sites publish English articles under a date in their own language
# ("3 Mei 2018", "8 de julio de 2024", "8. Juli 2024"); folded (no accents), lower case.
_MONTHS_ABROAD = {
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "pt": "janeiro fevereiro marco abril maio junho julho agosto setembro outubro novembro dezembro",
    "fr": "janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre",
    "de": "januar februar marz april mai juni juli august september oktober november dezember",
    "it": "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre",
    "id": "januari februari maret april mei juni juli agustus september oktober november desember",
    "nl": "januari februari maart april mei juni juli augustus september oktober november december",
}
PAGE_MONTHS = dict(MONTHS)
for _names in _MONTHS_ABROAD.values():
    for _i, _name in enumerate(_names.split(), 1):
        PAGE_MONTHS.setdefault(_name, _i)
PAGE_MONTHS.update({"setiembre": 9, "ags": 8, "agu": 8, "okt": 10, "des": 12, "mrt": 3, "mei": 5})

def _mon(name: str) -> str:
    return (rf"(?P<{name}>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
            r"|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
_WD = r"(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"

# Full dates: "September 01, 2025", "Sep. 1 2025", "1 September 2025", "2025-09-01".
FULL_DATE = LazyPattern(
    rf"\b{_mon('mon')}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d\d)\b"
    rf"|\b(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<mon2>January|February|March|April|May|June|July|August|September|October|November|December)\s+(?P<year2>(?:19|20)\d\d)\b"
    r"|\b(?P<iy>(?:19|20)\d\d)-(?P<im>\d\d)-(?P<id>\d\d)\b"
)

_FUTURE = LazyPattern(
    r"\b(?:will|shall|to be|is to|are to|scheduled|due to|expected to|plans? to|going to|set to|next|upcoming|would)\b",
    re.I,
)

EXPR = re.compile(
    rf"(?P<range>\b(?:from\s+)?{_mon('rmon')}\s+(?P<rd1>\d{{1,2}})\s*(?:-|–|to|until)\s*(?:(?P<rmon2>[A-Z][a-z]+)\.?\s+)?(?P<rd2>\d{{1,2}})(?:,?\s+(?P<ryear>(?:19|20)\d\d))?\b)"
    rf"|(?P<md>\b(?:on\s+)?{_mon('mdmon')}\s+(?P<mdday>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<mdyear>(?:19|20)\d\d)\b)?)"
    rf"|(?P<dm>\b(?:on\s+)?(?P<dmday>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<dmmon>January|February|March|April|May|June|July|August|September|October|November|December)\b(?:,?\s+(?P<dmyear>(?:19|20)\d\d)\b)?)"
    rf"|(?P<wdday>\b(?:(?:on|this|last|on last|on this)\s+)?(?P<wd2>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),?\s*\((?:{_mon('wdmon')}\s*)?(?P<wdd>\d{{1,2}})\))"
    rf"|(?P<weekday>\b(?:(?:on|this|last|next|on last|on this)\s+)?{_WD}\b)"
    r"|(?P<rel>\b(?:today|yesterday|tomorrow|last night|last evening|last week|last month|this month|next month|last year|this year|next year)\b)"
    rf"|(?P<my>\b(?:in|since|during|by|until|from)\s+(?:early\s+|late\s+|mid-?)?(?P<mymon>January|February|March|April|May|June|July|August|September|October|November|December)(?:\s+(?P<myyear>(?:19|20)\d\d)|\s+(?P<mywhen>last year|this year|next year))?\b)"
    r"|(?P<ann>\bthe\s+(?P<nth>\d{1,3})(?:st|nd|rd|th)\s+anniversary\b)"
    r"|(?P<year>\b(?:in|since|during|from|by|of|until)\s+(?P<yy>(?:19|20)\d\d)\b)",
    re.I,
)


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    value: str          # YYYY-MM-DD, YYYY-MM or YYYY
    how: str            # a short explanation of the resolution
    kind: str           # exact | relative | weekday | month | year | anniversary

    @property
    def text_span(self) -> tuple[int, int]:
        return (self.start, self.end)


def parse_iso(value: str) -> date | None:
    """A full ISO date, or None when it is not a real calendar day."""
    try:
        y, m, d = (int(x) for x in value.split("-"))
        return date(y, m, d)
    except (ValueError, TypeError):
        return None


def find_full_dates(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, str]]:
    """Complete dates with a year stated in the text."""
    out = []
    for m in FULL_DATE.finditer(text, start, len(text) if end is None else end):
        if m.group("iy"):
            y, mo, d = int(m.group("iy")), int(m.group("im")), int(m.group("id"))
        elif m.group("mon"):
            y, mo, d = int(m.group("year")), MONTHS[m.group("mon").lower().rstrip(".")], int(m.group("day"))
        else:
            y, mo, d = int(m.group("year2")), MONTHS[m.group("mon2").lower()], int(m.group("day2"))
        try:
            out.append((m.start(), m.end(), date(y, mo, d).isoformat()))
        except ValueError:
            continue
    return out


def _is_future(text: str, start: int, clause_start: int) -> bool:
    before = text[max(clause_start, start - 80):start]
    return bool(_FUTURE.search(before))


def _month_num(word: str) -> int | None:
    return MONTHS.get(word.lower().rstrip("."))


# Every expression EXPR matches holds an anchor: a month or weekday name, a relative day or period, or a
# number, at most two words after where the expression starts. Finding anchors first lets EXPR be tried
# only at the few word starts that can begin an expression, with exactly the matches a scan would give.
_ANCHOR_WORDS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
                 "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
                 "today", "yesterday", "tomorrow", "last night", "last evening", "last week", "last month", "this month", "next month",
                 "last year", "this year", "next year")
_STARTERS = ("from", "on", "this", "last", "next", "in", "since", "during", "by", "until", "the", "of")
_DIGITS = re.compile(r"\d+")
_WORD_START = re.compile(r"\b\w")
_BACK_3_TOKENS = re.compile(r"\S*(?:\s+\S*){0,2}")


def _anchor_finder():
    auto = ahocorasick.Automaton()
    for w in _ANCHOR_WORDS:
        auto.add_word(w, len(w))
    auto.make_automaton()
    return auto


_ANCHOR_FINDER = _anchor_finder()


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _anchors(text: str, folded: str) -> list[int]:
    """Where an expression's anchor starts (a superset: every match has one, not every anchor a match)."""
    out = []
    for m in _DIGITS.finditer(text):
        q = m.start()
        if q == 0 or not _is_word(text[q - 1]):
            out.append(q)
    for end_idx, length in _ANCHOR_FINDER.iter(folded):
        q = end_idx - length + 1
        # a name starts a word, but a month may follow "mid" or "mid-" ("in mid-June")
        if q == 0 or not _is_word(text[q - 1]) or folded.endswith(("mid", "mid-"), 0, q):
            out.append(q)
    out.sort()
    return out


def _candidates(text: str, folded: str) -> list[int]:
    """Positions where EXPR can match: word starts at an anchor, or up to two words before one that
    begin with a word an expression starts with."""
    out: list[int] = []
    done = -1   # every position up to here has been considered
    for q in _anchors(text, folded):
        if q <= done:
            continue
        lo = done + 1
        # the start of the third whitespace-separated token back from q (from q's own)
        window = max(lo, q - 64)
        back = _BACK_3_TOKENS.match(text[window:q][::-1])
        if back.end() == q - window and window > lo:
            back = _BACK_3_TOKENS.match(text[lo:q][::-1])
            window = lo
        first = q - back.end()
        for m in _WORD_START.finditer(text, first, q + 1):
            w = m.start()
            if w == q or folded.startswith(_STARTERS, w):
                out.append(w)
        done = q
    return out


def _expressions(text: str, folded: str | None, start: int, end: int):
    """The same matches as EXPR.finditer(text, start, end)."""
    if folded is None or len(folded) != len(text) or "\u017f" in text:
        # (the long s matches "s" when case is ignored, but does not fold to it)
        yield from EXPR.finditer(text, start, end)
        return
    pos = start
    for c in _candidates(text, folded):
        if c < pos:
            continue
        if c >= end:
            break
        m = EXPR.match(text, c, end)
        if m:
            yield m
            pos = m.end()


def find_dates(text: str, published: date | None, precision: str = "day",
               start: int = 0, end: int | None = None, folded: str | None = None) -> list[DateMention]:
    """Every date expression in text[start:end], resolved against `published` where needed.

    `folded` is fold(text), when the caller has it: it makes the search much faster."""
    end = len(text) if end is None else end
    out: list[DateMention] = []
    for m in _expressions(text, folded, start, end):
        got = _resolve(m, text, published, precision)
        if got:
            value, how, kind = got
            s, e = m.span()
            out.append(DateMention(s, e, value, how, kind))
    return out


def _sentence_start(text: str, pos: int) -> int:
    cut = max(text.rfind(". ", 0, pos), text.rfind("\n", 0, pos))
    return cut + 1 if cut >= 0 else 0


def _resolve(m: re.Match, text: str, pub: date | None, precision: str):
    year = pub.year if pub else None
    g = m.group
    if g("range"):
        mon = _month_num(g("rmon"))
        y = int(g("ryear")) if g("ryear") else year
        if y is None or mon is None:
            return None
        try:
            d = date(y, mon, int(g("rd1")))
        except ValueError:
            return None
        how = "first day of the stated span" + ("" if g("ryear") else ", publication year")
        return d.isoformat(), how, "exact"
    if g("md"):
        mon = _month_num(g("mdmon"))
        if mon is None:
            return None
        explicit = g("mdyear")
        return _day_of_year(int(g("mdday")), mon, explicit, pub, m, text)
    if g("dm"):
        mon = _month_num(g("dmmon"))
        return _day_of_year(int(g("dmday")), mon, g("dmyear"), pub, m, text)
    if g("wdday"):
        # "this Tuesday (13)", "on Thursday (Feb 9)": the day in brackets, in the publication month or the one before
        if pub is None:
            return None
        day = int(g("wdd"))
        mon = _month_num(g("wdmon")) if g("wdmon") else pub.month
        y = pub.year
        if g("wdmon") is None and day > pub.day + 7 and precision == "day":
            mon, y = (12, y - 1) if mon == 1 else (mon - 1, y)
        try:
            d = date(y, mon, day)
        except ValueError:
            return None
        if g("wdmon") and d > pub + timedelta(days=31):
            try:
                d = date(y - 1, mon, day)
            except ValueError:
                return None
        if d.weekday() != WEEKDAYS[g("wd2").lower()]:
            return None
        return d.isoformat(), f"{g('wd2')} with its day of the month, in the publication month", "exact"
    if g("weekday"):
        if pub is None or precision != "day":
            return None
        wd = WEEKDAYS[g("wd").lower()]
        words = m.group().lower()
        future = "next" in words or (_is_future(text, m.start(), _sentence_start(text, m.start())) and "last" not in words)
        if future:
            delta = (wd - pub.weekday()) % 7 or 7
            d = pub + timedelta(days=delta)
            return d.isoformat(), f"next {g('wd')} after publication (future tense)", "weekday"
        delta = (pub.weekday() - wd) % 7
        if "last" in words and delta == 0:
            delta = 7
        d = pub - timedelta(days=delta)
        return d.isoformat(), f"most recent {g('wd')} on or before publication", "weekday"
    if g("rel"):
        if pub is None:
            return None
        w = " ".join(g("rel").lower().split())
        if w in ("today", "yesterday", "tomorrow", "last night", "last evening"):
            if precision != "day":
                return None
            # ("held a conversation last evening": the evening before the publication day)
            d = pub + timedelta(days={"today": 0, "tomorrow": 1}.get(w, -1))
            return d.isoformat(), f"'{w}' from the publication date", "relative"
        if w == "last week":
            return None
        if w.endswith("month"):
            mon, y = pub.month, pub.year
            if w.startswith("last"):
                mon, y = (12, y - 1) if mon == 1 else (mon - 1, y)
            elif w.startswith("next"):
                mon, y = (1, y + 1) if mon == 12 else (mon + 1, y)
            return f"{y:04d}-{mon:02d}", f"'{w}' from the publication month", "month"
        y = pub.year + {"last": -1, "this": 0, "next": 1}[w.split()[0]]
        return f"{y:04d}", f"'{w}' from the publication year", "year"
    if g("my"):
        mon = _month_num(g("mymon"))
        if g("myyear"):
            return f"{int(g('myyear')):04d}-{mon:02d}", "month and year as stated", "month"
        if pub is None:
            return None
        when = (g("mywhen") or "").lower()
        if when:
            y = pub.year + {"last": -1, "this": 0, "next": 1}[when.split()[0]]
            return f"{y:04d}-{mon:02d}", f"month of {when} from publication", "month"
        y = pub.year
        if mon > pub.month and not _is_future(text, m.start(), _sentence_start(text, m.start())):
            y -= 1
        return f"{y:04d}-{mon:02d}", "most recent such month before publication", "month"
    if g("ann"):
        if pub is None:
            return None
        n = int(g("nth"))
        if n <= 0 or n > 1000:
            return None
        return f"{pub.year - n:04d}", f"{n}th anniversary counted back from the publication year", "anniversary"
    if g("year"):
        return f"{int(g('yy')):04d}", "year as stated", "year"
    return None


def _day_of_year(day: int, mon: int | None, explicit: str | None, pub: date | None, m, text):
    if mon is None:
        return None
    if explicit:
        try:
            return date(int(explicit), mon, day).isoformat(), "date as stated", "exact"
        except ValueError:
            return None
    if pub is None:
        return None
    try:
        d = date(pub.year, mon, day)
    except ValueError:
        return None
    if d > pub + timedelta(days=31) and not _is_future(text, m.start(), _sentence_start(text, m.start())):
        try:
            d = date(pub.year - 1, mon, day)
        except ValueError:
            return None
        return d.isoformat(), "month and day, the year before publication (past tense)", "exact"
    return d.isoformat(), "month and day in the publication year", "exact"
