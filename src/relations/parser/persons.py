"""Find named persons, their offices and the states they serve.

A list of known people cannot work on tomorrow's article, so names are found by
the genre's habits: an office or rank before a capitalised run (`Prime Minister
Phạm Minh Chính`), an appositive after it (`Sergei Lavrov, Russia's Foreign
Minister`), a family name that marks a naming tradition, or a reporting verb.
Later short mentions (`Quang`, `PM Chính`, `Minister Alberto`) are merged into
the full name: Vietnamese names are addressed by their last word, Spanish ones
by their first surname.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from relations.knowledge import Knowledge
from relations.parser.countries import CountryMention, Mentions
from relations.parser.organizations import Org
from relations.parser.organizations import vocab as org_vocab
from relations.parser.runs import OFFICE_MODIFIERS, Run, Tok, office_heads
from relations.text import LazyPattern, SpanIndex, fold, fold_key

SURNAME_COUNTRY = {"vietnamese": "VNM", "korean": "KOR", "chinese": "CHN", "khmer": "KHM", "lao": "LAO",
                   "japanese": "JPN", "thai": "THA"}
CONNECT = {"of", "the", "and", "for", "on", "with", "in"}
MODIFIERS = OFFICE_MODIFIERS
# abbreviated offices, written out in titles
ABBREV = {"pm": "Prime Minister", "fm": "Foreign Minister"}
_POSS = re.compile(r"['’]s$")


@dataclass
class Person:
    name: str
    start: int
    end: int
    country: str | None = None
    title: str | None = None
    spans: list[tuple[int, int]] = field(default_factory=list)
    title_span: tuple[int, int] | None = None
    country_how: str | None = None

    @property
    def words(self) -> list[str]:
        cached = self.__dict__.get("_words")
        if cached is None or cached[0] != self.name:
            cached = self.__dict__["_words"] = (self.name, fold_key(self.name).split())
        return cached[1]


class PersonVocab(NamedTuple):
    offices: frozenset          # single folded words that make up offices
    heads: frozenset            # the words that name the office holder (Minister, President, Chairman ...)
    surname_codes: dict         # folded family name -> every country whose tradition uses it
    places: frozenset           # folded names of cities and provinces (never a person)
    office_phrases: tuple
    ranks: frozenset
    honorifics: frozenset
    particles: frozenset
    verbs: frozenset
    not_names: frozenset
    surname_country: dict
    honorific_starts: frozenset = frozenset()   # the first words of honorifics of several words
    surname_countries: frozenset = frozenset()  # every country some family name points to


def vocab(kb: Knowledge) -> PersonVocab:
    cached = kb.cache.get("personvocab")
    if cached:
        return cached
    names = kb.data.get("names", {})
    offices, phrases = set(), []
    for o in names.get("offices") or []:
        offices.update(w for w in fold(o).replace("-", " ").split())
        phrases.append(fold(o))
    offices -= CONNECT
    ranks = {w for r in names.get("ranks") or [] for w in fold(r).split()} - {
        "first", "second", "third", "senior", "deputy", "vice", "chief", "of", "the", "staff"}
    hons = {fold(h).rstrip(".") for h in names.get("honorifics") or []}
    sc = {}
    codes: dict[str, set] = {}
    for group, items in (names.get("surnames") or {}).items():
        code = SURNAME_COUNTRY.get(group)
        for s in items or []:
            f = fold(s)
            sc.setdefault(f, code)
            if code:
                codes.setdefault(f, set()).add(code)
    heads = office_heads(names.get("offices"))
    places = set()
    for entry in (kb.data.get("places") or {}).values():
        if isinstance(entry, dict):
            for pl in [entry.get("capital")] + list(entry.get("places") or []):
                if isinstance(pl, str) and pl.strip():
                    places.add(fold_key(pl))
    v = PersonVocab(frozenset(offices), frozenset(heads), {k: frozenset(c) for k, c in codes.items()},
                    frozenset(places), tuple(phrases), frozenset(ranks), frozenset(hons),
                    frozenset(fold(p) for p in names.get("particles") or []),
                    frozenset(fold(p) for p in names.get("person_verbs") or []),
                    frozenset(fold(p) for p in names.get("not_names") or []), sc,
                    frozenset(h.split(" ")[0] for h in hons if " " in h),
                    frozenset(c for cs in codes.values() for c in cs))
    kb.cache["personvocab"] = v
    return v


def _office(w: str, words: frozenset) -> bool:
    """`w` (folded) is in `words`, or is a hyphenated compound of them (`vice-president`, `President-elect`)."""
    if w in words:
        return True
    if "-" in w:
        parts = [x for x in w.split("-") if x]
        return bool(parts) and all(x in words or x in MODIFIERS for x in parts) and any(x in words for x in parts)
    return False


def _is_title_word(w: str, v: PersonVocab) -> bool:
    return _office(w, v.offices) or w in v.ranks or w.rstrip(".") in v.honorifics


def _is_head(w: str, v: PersonVocab) -> bool:
    return _office(w, v.heads)


def _paren_acronyms(text: str, toks: list[Tok]) -> set[int]:
    """Indexes of tokens that are an acronym in brackets: `Communist Party of Vietnam (CPV) Central …`."""
    out = set()
    for i, t in enumerate(toks):
        if t.start > 0 and text[t.start - 1] == "(" and text[t.end:t.end + 1] == ")" and t.text[:1].isupper() \
                and sum(c.isupper() for c in t.text) >= 2:
            out.add(i)
    return out


def _guess_parties(cmentions) -> list[str]:
    counts = Counter(m.code for m in cmentions)
    return [c for c, _ in counts.most_common(2)]


def find_persons(text: str, toks: list[Tok], runs: list[Run], cmentions: list[CountryMention],
                 orgs: list[Org], kb: Knowledge, skip=lambda s, e: False) -> list[Person]:
    v = vocab(kb)
    ov = org_vocab(kb)
    if not isinstance(cmentions, Mentions):
        cmentions = Mentions(cmentions)
    org_spans = [sp for o in orgs for sp in o.spans]
    in_org = SpanIndex(org_spans)
    index = {t.start: i for i, t in enumerate(toks)}
    # the mentions found so far, in text order and not overlapping (each lies in its own piece of a run):
    # their starts, and the distinct sets of words of their names by word
    ctx: dict[str, Any] = {"paren": _paren_acronyms(text, toks), "mentions": [], "named": set(m.code for m in cmentions),
           "org_spans": org_spans, "counts": Counter(t.text for t in toks), "starts": [],
           "tok_starts": [t.start for t in toks], "word_sets": {}}
    mentions: list[dict] = ctx["mentions"]
    word_sets: dict[str, set] = ctx["word_sets"]
    for run in runs:
        for piece in _pieces(run, in_org, cmentions):
            m = _candidate(piece, text, toks, index, cmentions, orgs, v, ov, skip, ctx)
            if m:
                mentions.append(m)
                ctx["starts"].append(m["start"])
                ws = frozenset(fold_key(m["name"]).split())
                for w in ws:
                    word_sets.setdefault(w, set()).add(ws)
    persons = _merge(mentions, text, v)
    _infer_countries(persons, mentions, cmentions, v)
    _split_shared_titles(persons, text)
    return persons


def _split_shared_titles(persons: list[Person], text: str) -> None:
    """`The Prime Minister and President Zelenskyy`: when another person of the story holds the first office,
    the phrase names two people and only the last office is this one's."""
    names = {w for q in persons for w in q.words}
    for p in persons:
        if not p.title or " and " not in p.title or not p.title_span:
            continue
        first, _, rest = p.title.rpartition(" and ")
        if any(fold_key(w) in names and fold_key(w) not in p.words for w in first.split()[-2:]):
            # "Prime Minister Wong and Premier Li Qiang": the words before `and` end with another person's name
            cut = text.rfind(" and ", p.title_span[0], p.title_span[1])
            if cut > 0:
                p.title, p.title_span = rest, (cut + 5, p.title_span[1])
            continue
        first, _, rest = p.title.partition(" and ")
        if not re.search(r"\b[Tt]he\s+$", text[max(0, p.title_span[0] - 4):p.title_span[0]]):
            continue
        if any(q is not p and q.title and fold(q.title) == fold(first) for q in persons):
            cut = text.find(" and ", p.title_span[0], p.title_span[1])
            if cut > 0:
                p.title, p.title_span = rest, (cut + 5, p.title_span[1])


def _pieces(run: Run, in_org: SpanIndex, cmentions) -> list[list[Tok]]:
    """Parts of a run outside organisation names, split at `and` and commas."""
    out, cur = [], []
    for t in run.toks:
        if in_org.covers(t.start):
            if cur:
                out.append(cur)
            cur = []
            continue
        if t.text.lower() in ("and", "of", "the", "for", "with", "on", "in", "&"):
            if cur:
                out.append(cur)
            cur = []
            continue
        cur.append(t)
    if cur:
        out.append(cur)
    return out


def _country_at(cmentions: Mentions, s, e):
    return cmentions.overlapping(s, e)


_CREDIT_WORDS = ("Photo", "photo", "Reporter", "Source", "By", "BY", "/", "|")   # one is in every _CREDIT match
_SPACE_DIGIT = re.compile(r"\s+\d")
_PLACE_PREP = LazyPattern(r"\b(?:in|at|near|from|to|of)\s*$")
_THE_END = re.compile(r"\bthe\s+$", re.I)
_NEXT_WORD = LazyPattern(r"\s+([a-z]+)\b")
_VERB_AFTER = re.compile(r"[\s,]*(?:has |had |also |then |later |on \w+ )?([a-z]+)")
_LOWER_OFFICE = re.compile(r"\b(?:counterpart|leader|minister|president|premier|ambassador|chairman|secretary)\s*,?\s*$",
                           re.I)
_OFFICE_ENDS = ("counterpart", "leader", "minister", "president", "premier", "ambassador", "chairman", "secretary")
_PLURAL_ENDS = ("presidents", "ministers", "premiers", "leaders", "chancellors", "ambassadors", "secretaries",
                "counterparts")
_PORTFOLIO_GAP = re.compile(r"\s+(?:of|for|on)\s+(?:the\s+)?")
_HYPHENATED = re.compile(r"[^\W\d_]+-[A-Z][^\W\d_]+")
_LAST_WORD_REVERSED = re.compile(r"\s*\w+")
_PORTFOLIO_AND = LazyPattern(r"((?:[A-Z][\w’'-]*,?\s+(?:(?:of|for|the)\s+)?){1,8})and\s+$")
_COUNTERPART = LazyPattern(r"\b(?:his|her|their|its)\s+(?:([A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)?)\s+)?counterparts?\s*,?\s*$")
_CREDIT = LazyPattern(r"(?:\b(?:Photo|photo|Photos|Reporter|Source|Photographer)\s*:?\s*|\b(?:Photo|photo|Photos)\s+by\s+"
                     r"|(?:^|\n)\s*(?:By|BY)\s+|[/|]\s*)$")
# `the talks with Xi`, `Xi said`: a bare word is a person only with a speech verb after it
_STRONG_VERBS = {"said", "says", "told", "stressed", "affirmed", "noted", "added", "emphasised", "emphasized",
                 "highlighted", "expressed", "welcomed", "thanked", "suggested", "proposed", "underlined",
                 "underscored", "reiterated", "reaffirmed", "spoke", "called", "urged", "asked", "pledged",
                 "commented", "stated", "declared", "explained", "recalled", "signed", "invited", "congratulated"}


def _candidate(piece, text, toks, index, cmentions, orgs, v: PersonVocab, ov, skip, ctx) -> dict | None:
    # strip the office, rank, honorific and country words in front of the name
    i = 0
    prefix_title = False
    prefix_country = None
    while i < len(piece):
        t = piece[i]
        w = t.folded.rstrip(".")
        cm = _country_at(cmentions, t.start, t.end)
        if cm:
            prefix_country = prefix_country or (cm.code if cm.demonym or _POSS.search(t.text) else None)
            i += 1
            continue
        if _is_title_word(w, v) or w in ("party", "state", "deputy", "vice", "former", "then"):
            prefix_title = prefix_title or _is_head(w, v) or w in v.ranks or w in v.honorifics
            i += 1
            continue
        # "His Highness Sheikh …", "Her Excellency …", "Tan Sri …": honorifics of several words
        multi = next((k for k in (4, 3, 2) if i + k < len(piece)
                      and " ".join(x.folded.rstrip(".") for x in piece[i:i + k]) in v.honorifics), None) \
            if w in v.honorific_starts else None
        if multi:
            prefix_title = True
            i += multi
            continue
        nxt = piece[i + 1].folded.rstrip(".") if i + 1 < len(piece) else ""
        if fold_key(t.text) in v.places and _is_title_word(nxt, v):
            i += 1   # "Riyadh Governor Prince …", "Tokyo Governor …": the office's place
            continue
        k = next((k for k in range(i + 1, min(i + 4, len(piece) - 1)) if piece[k].folded in ("minister", "secretary")),
                 None)
        if k is not None and all(x.cap for x in piece[i:k]):
            i = k   # "Water Minister Abebe …", "International Cooperation Minister Sahar …": the portfolio, then the office
            continue
        if i == 0 and len(piece) >= 3 and _portfolio_goes_on(text, t, v):
            i += 1   # "Minister for Maritime Affairs and Investment Luhut …": the office goes on after `and`
            continue
        break
    name_toks = piece[i:]
    if not name_toks:
        return None
    # a possessive ends the name: "Phúc’s official visit"
    last = name_toks[-1]
    end = last.end
    if _POSS.search(last.text):
        end -= 2
    words = [t.folded[:-2] if t.folded.endswith(("'s", "’s")) else t.folded for t in name_toks]
    if len(name_toks) > 5 or any(w in v.not_names for w in words):
        return None
    if any(_country_at(cmentions, t.start, t.end) for t in name_toks):
        return None
    if any(_office(w, v.offices) or any(c.isdigit() for c in w) or _plural_office(w, v) for w in words):
        return None
    if all(w in ov.institution or w in v.offices for w in words):
        return None
    if all(t.text.isupper() and len(t.text) > 1 for t in name_toks):
        return None
    start = name_toks[0].start
    if skip(start, end):
        return None
    if fold_key(text[start:end]) in v.places or fold(text[start:end]) in ov.agencies:
        return None
    before = text[max(0, start - 60):start]
    if any(w in before for w in _CREDIT_WORDS) and _CREDIT.search(before):
        return None
    if _SPACE_DIGIT.match(text[end:end + 3]):
        return None  # "Article 6", "Division 371"
    # the searches anchored at the end of `before` run only when its last word can end a match
    stripped = before.rstrip()
    if not prefix_title and stripped.endswith(("in", "at", "near", "from", "to", "of")) and _PLACE_PREP.search(before):
        return None
    after = text[end:end + 40]
    # "reopen the Ban Khlong Luek checkpoint": a name that modifies a common noun is not a person
    if _THE_END.search(text[max(0, piece[0].start - 5):piece[0].start]) and start == piece[0].start:
        nw = _NEXT_WORD.match(after)
        if nw and nw.group(1) not in v.verbs and nw.group(1) not in CONNECT and nw.group(1) not in _STRONG_VERBS \
                and not nw.group(1).endswith(("ed", "s")):
            return None
    verb = _VERB_AFTER.match(after)
    has_verb = bool(verb and verb.group(1) in v.verbs)
    appos = _appositive(text, end, toks, index, cmentions, v, ctx)
    title, tspan, tcountry = _title_before(text, toks, index, start, cmentions, v, ctx)
    if title:
        title = _attach_org(title, tspan[0], text, orgs)
    first = words[0]
    surname = first in v.surname_codes and len(name_toks) >= 2
    # (the words before a comma: the end of `before` without white space and one comma)
    last = stripped[:-1].rstrip() if stripped.endswith(",") else stripped
    tail = fold(last[-12:])
    odd = "\u017f" in last[-12:]   # the long s matches "s" when case is ignored, but does not fold to it
    lower_office = bool((odd or tail.endswith(_OFFICE_ENDS)) and _LOWER_OFFICE.search(before))
    plural = ((odd or tail.endswith(_PLURAL_ENDS)) and _PLURAL_OFFICE.search(before)) \
        or (stripped.endswith(",") and "of" in before and _PLURAL_OF.search(before))
    prev_m = ctx["mentions"][-1] if ctx["mentions"] else None
    # "former presidents Michelle Bachelet and Cristina Fernández": the second name shares the plural office
    second = bool(prev_m and prev_m.get("plural") and re.fullmatch(r",?\s+and\s+", text[prev_m["end"]:start]))
    lower_office = lower_office or bool(plural) or second
    pbefore = text[max(0, piece[0].start - 60):piece[0].start]
    counterpart = ("counterpart" in pbefore and _COUNTERPART.search(pbefore)) \
        or ("counterpart" in before and _COUNTERPART.search(before))
    # "De la Fuente, a former …": a shorter form of a full name found before
    earlier = len(name_toks) >= 2 and _shorter_form(set(words), ctx["word_sets"])
    evidence = prefix_title or title or appos[0] or surname or (has_verb and len(name_toks) >= 2) or lower_office \
        or earlier
    weak = False
    if len(name_toks) == 1 and not (prefix_title or title or appos[0] or lower_office):
        # a bare word: a later mention of someone already found, or a name that speaks more than once
        strong = bool(verb and verb.group(1) in _STRONG_VERBS)
        distinct = ctx["counts"][name_toks[0].text] >= 2 or bool(_HYPHENATED.fullmatch(name_toks[0].text))
        weak = not (strong and distinct and words[0] not in ov.institution)
    elif not evidence:
        if len(name_toks) != 1:
            return None
        weak = True
    if tspan and len(name_toks) == 1 and (_PORTFOLIO_GAP.fullmatch(text, tspan[1], start) or (
            re.search(r"\s(?:of|for|on)\s", title or "") and re.fullmatch(r"\s+and\s+", text[tspan[1]:start]))):
        return None   # "Minister for Sustainability and …", "Minister of Technology and Innovation": a portfolio
    if appos[0] and not title:
        title, tspan, tcountry = appos
    country, how = tcountry, "title" if tcountry else None
    if country is None and prefix_country:
        country, how = prefix_country, "adjective"
    if country is None and tspan:
        # "Rosneft chief executive Igor Sechin": the office is in that organisation, and its country
        org = next((o for o in orgs if o.country and any(re.fullmatch(r"(?:['’]s)?\s+", text[b:tspan[0]] or "x")
                                                          for _, b in o.spans)), None)
        if org:
            country, how = org.country, f"office in {org.name}"
    if country is None:
        # the last word of `before` and the white space after it, read backwards
        dem = _LAST_WORD_REVERSED.match(before[::-1])
        if dem:
            cm = _country_at(cmentions, start - dem.end(), start - 1)
            if cm and cm.demonym:
                country, how = cm.code, "adjective"
    partner = None
    if counterpart:
        # "X and his Vietnamese counterpart, Y": Y holds X's office, in the other country
        if counterpart.group(1) and country is None:
            base = (counterpart.string is pbefore and piece[0].start) or start
            off = base - len(counterpart.string)
            cm = _country_at(cmentions, off + counterpart.start(1), off + counterpart.end(1))
            if cm:
                country, how = cm.code, "adjective"
        for m in reversed(ctx["mentions"]):
            if m["end"] <= start and start - m["end"] < 250:
                partner = m
                break
            if m["end"] <= start - 250:
                break   # the mentions are in order: every earlier one ends further back
    if country is None and surname:
        codes = [c for c in v.surname_codes[first] if c in ctx["named"]]
        if len(codes) == 1:
            country, how = codes[0], "family name"
    if country is None and ctx["mentions"]:
        # "Cuban Prime Minister Manuel Marrero and Foreign Vice Minister Gerardo Penalver": one adjective for both
        q = ctx["mentions"][-1]
        # (not when both hold the same office: "French Foreign Minister X and Federal Foreign Minister Y")
        if q["how"] in ("title", "adjective") and re.fullmatch(r"\s+and\s+", text[q["end"]:piece[0].start]) \
                and piece[0].start < start and not _same_office(q["title"], title):
            country, how = q["country"], "adjective shared with " + q["name"]
    is_plural = None
    if plural and not title:
        # "the presidents of Chile and Argentina, Gabriel Boric and Javier Milei": offices and countries in order
        off = start - len(before)
        title = _singular(plural.group("office"))
        tspan = (off + plural.start("office"), off + plural.end("office"))
        if plural.re is _PLURAL_OF.compiled:
            firsts = [_country_at(cmentions, off + plural.start(g), off + plural.end(g)) for g in ("a", "b")]
            if all(firsts) and country is None:
                country, how = firsts[0].code, "plural office, first country"
            is_plural = firsts[1].code if firsts[1] else True
        else:
            is_plural = True
    elif second and not title:
        title, tspan = prev_m["title"], prev_m["title_span"]
        if country is None and isinstance(prev_m["plural"], str):
            country, how = prev_m["plural"], "plural office, second country"
    return {"name": text[start:end], "start": start, "end": end, "title": title, "title_span": tspan,
            "country": country, "how": how, "single": len(name_toks) == 1, "weak": weak, "partner": partner,
            "plural": is_plural}


def _same_office(a: str | None, b: str | None) -> bool:
    """`Foreign Minister` and `Federal Foreign Minister`: one office, so two states."""
    if not a or not b:
        return False
    fa, fb = fold(a).split(), fold(b).split()
    return len(fa) >= 2 and len(fb) >= 2 and fa[-2:] == fb[-2:]


def _shorter_form(words: set, word_sets: dict) -> bool:
    """Some name found before has every word of `words` and more."""
    buckets = [word_sets.get(w) for w in words]
    if not buckets or not all(buckets):
        return False
    return any(words < ws for ws in min(buckets, key=len))


def _portfolio_goes_on(text: str, t: Tok, v: PersonVocab) -> bool:
    """`… Maritime Affairs and Investment X`: `t` follows `and` inside a capitalised office phrase."""
    window = text[max(0, t.start - 90):t.start]
    m = window[-1:].isspace() and window.rstrip().endswith("and") and _PORTFOLIO_AND.search(window)
    if not m or t.folded in v.surname_codes or t.folded in v.particles:
        return False
    words = [fold(w) for w in m.group(1).split() if w not in ("of", "for", "the")]
    # "Minister of Higher Education, Science, Research and Innovation X": a list of portfolios
    listed = "," in m.group(1)
    return bool(words) and any(_is_head(w, v) for w in words) and (words[-1] in v.offices or words[-1] in MODIFIERS
                                                                    or words[-1] in v.not_names or listed)


_PLURAL_WORDS = r"(?:(?:former|then|the|two)\s+)?(?:(?:prime|foreign|defen[cs]e|deputy|vice)\s+)?(?:presidents|ministers|premiers|leaders|chancellors|ambassadors|secretaries|counterparts)"
_PLURAL_OFFICE = LazyPattern(r"\b(?P<office>" + _PLURAL_WORDS + r")\s*,?\s*$", re.I)
_PLURAL_OF = LazyPattern(r"\b(?P<office>" + _PLURAL_WORDS + r")\s+of\s+(?:the\s+)?(?P<a>[A-Z][\w’'-]*(?:\s[A-Z][\w’'-]*)?)"
                        r"\s+and\s+(?:the\s+)?(?P<b>[A-Z][\w’'-]*(?:\s[A-Z][\w’'-]*)?)\s*,\s*$")


def _singular(office: str) -> str:
    """`former presidents` -> `former president`, `the prime ministers` -> `prime minister`."""
    words = [w for w in office.split() if w.lower() not in ("the", "two")]
    last = words[-1]
    last = last[:-3] + "y" if last.lower().endswith("ies") else last[:-1]
    return " ".join(words[:-1] + [last])


def _plural_office(w: str, v: PersonVocab) -> bool:
    """`Secretaries`, `Presidents`: offices in the plural, never a name."""
    return w.endswith("s") and (w[:-1] in v.heads or (w.endswith("ies") and w[:-3] + "y" in v.heads))


def _clean_title(toks_: list[Tok], text: str, cmentions, v: PersonVocab):
    """From the tokens of an office phrase: the title without country words or ranks, and its country."""
    country = None
    keep: list[Tok] = []
    dropped = set()
    the_after: set[int] = set()
    # "His Highness", "Her Excellency": honorifics of several words are not part of the office
    multi = set()
    for k in range(len(toks_)):
        if toks_[k].folded.rstrip(".") not in v.honorific_starts:
            continue
        for n in (4, 3, 2):
            if k + n <= len(toks_) and " ".join(x.folded.rstrip(".") for x in toks_[k:k + n]) in v.honorifics:
                multi.update(range(k, k + n))
                break
    for k, t in enumerate(toks_):
        if k in multi:
            continue
        cm = _country_at(cmentions, t.start, t.end)
        w = t.folded.rstrip(".")
        if cm:
            # a country word before the office is an adjective (`US President`, `Japan's`); after `of`/`to` it is
            # part of the office (`President of Cuba`, `Ambassador to Vietnam`)
            first = next(x for x in toks_ if x.end > cm.start)
            kf = toks_.index(first)
            prev = toks_[kf - 1].folded if kf else ""
            attributive = prev not in ("of", "to", "in", "for", "the") or text[cm.end:cm.end + 1] in ("'", "’")
            if cm.demonym or attributive:
                country = country or cm.code
                dropped.add(cm.start)
                if cm.demonym and keep and keep[-1].folded == "of" and prev == "of":
                    the_after.add(id(keep[-1]))   # "Chairman of Vietnamese National Assembly": of the …
                continue
            if country is None:
                country = cm.code
        if w in v.honorifics:
            continue
        if keep and text[keep[-1].end:t.start].strip() == ",":
            break
        keep.append(t)
    # a rank is not part of the office: drop it where no office word follows it
    keep = [t for k, t in enumerate(keep)
            if not (t.folded in v.ranks and not any(_office(x.folded, v.offices) and x.folded not in v.ranks
                                                         for x in keep[k + 1:k + 2]))]
    while keep and (keep[0].folded in CONNECT or keep[0].folded in ("his", "her", "its")):
        keep = keep[1:]
    while keep and keep[-1].folded in CONNECT:
        keep = keep[:-1]
    # "Riyadh Governor Prince Faisal": a royal style right before the name is not the office
    if len(keep) > 1 and keep[-1].folded in _ROYAL_STYLES and _is_head(keep[-2].folded, v):
        keep = keep[:-1]
    if not keep or not any(_is_head(t.folded, v) for t in keep):
        return None, None, country
    title = _join(keep, toks_, text)
    if the_after:
        n = sum(1 for t in keep[:next(k for k, t in enumerate(keep) if id(t) in the_after or k == len(keep) - 1) + 1]
                if t.folded == "of")
        words, seen = title.split(" "), 0
        for k, w in enumerate(words):
            seen += w.lower() == "of"
            if w.lower() == "of" and seen == n and k + 1 < len(words) and words[k + 1].lower() != "the":
                words.insert(k + 1, "the")
                break
        title = " ".join(words)
    return title, (keep[0].start, keep[-1].end), country


_ROYAL_STYLES = {"prince", "princess", "sheikh", "sheikha", "emir"}


def _join(keep: list[Tok], all_toks: list[Tok], text: str) -> str:
    """The kept tokens as written: neighbours keep their own spacing, dropped words leave one space."""
    pos = {id(t): k for k, t in enumerate(all_toks)}
    parts = [keep[0].text]
    for a, b in zip(keep, keep[1:]):
        gap = text[a.end:b.start]
        adjacent = pos.get(id(b), 0) == pos.get(id(a), 0) + 1 and "(" not in gap and ")" not in gap
        parts.append((" ".join(gap.split()) or "") if adjacent and gap.strip() else (gap if adjacent and gap in ("-", "") else " "))
        parts.append(b.text)
    title = "".join(parts)
    words = title.split()
    return " ".join(ABBREV.get(w.lower(), w) if w.isupper() else w for w in words)


_HEADED = re.compile(r"\s+(?:headed|led|chaired)\s+by\s+$")


def _attach_org(title: str, tstart: int, text: str, orgs: list[Org]) -> str:
    """`Communist Party of Cuba headed by First Secretary and President …`: the first office is the party's."""
    m = _HEADED.search(text[max(0, tstart - 20):tstart])
    if not m:
        return title
    cut = tstart - 20 + m.start() if tstart >= 20 else m.start()
    org = next((o for o in orgs if any(e == cut for _, e in o.spans)), None)
    if org is None:
        return title
    first, sep, rest = title.partition(" and ")
    if " of " in first:
        return title
    return f"{first} of the {org.name}{sep}{rest}"


def _starting_at(cmentions, pos: int, demonym: bool | None = None):
    """The first mention starting at pos (and, when asked, being or not being a demonym)."""
    c = cmentions.starting_in(pos, pos + 1)
    return c if c is not None and (demonym is None or c.demonym == demonym) else None


def visited_country(text: str, spans, cmentions) -> str | None:
    """`the visit of President X to Việt Nam`, `X's visit to Cuba`: the country X went to (not X's own)."""
    for s, e in spans:
        after = text[e:e + 40]
        m = re.match(r"(?:['’]s?\s+(?:\w+\s+){0,3}?visit|\s+(?:\w+\s+){0,2}?)\s*to\s+(?:the\s+)?", after)
        if m and (re.search(r"\bvisit(?:s|ed)?\s+(?:of\s+)?(?:\w+\s+){0,3}$", text[max(0, s - 40):s]) or "visit" in m.group()):
            pos = e + m.end()
            cm = _starting_at(cmentions, pos)
            if cm:
                return cm.code
        # "Jaishankar concluded his Maldives visit", "X began her state visit to …" (above)
        m = _OWN_VISIT.match(after)
        if m:
            cm = _starting_at(cmentions, e + m.end(), demonym=False)
            if cm and re.match(r"\s+(?:(?:state|official|working)\s+)?visit\b", text[cm.end:cm.end + 24]):
                return cm.code
        # "Putin would visit India next year", "Modi arrived in Japan"
        m = _GOES.match(after)
        if m:
            cm = _starting_at(cmentions, e + m.end(), demonym=False)
            if cm:
                return cm.code
    return None


_OWN_VISIT = LazyPattern(r"\s+(?:\w+\s+){1,2}?(?:his|her)\s+(?:first\s+|two-day\s+|three-day\s+)?")
_HOSTS = LazyPattern(r"\s+(?:(?:on|this|last)\s+\w+\s+|also\s+|has\s+|had\s+)?(?:received|receives|welcomed|welcomes|hosted|hosts)\s+"
                    r"(?:(?:the|a|an|visiting)\s+)?")


def host_of(text: str, person: Person, persons: list[Person]):
    """`President X on Tuesday received the Vice President of Ghana, Y`: the guest Y, whose country X is not."""
    for s, e in person.spans:
        m = _HOSTS.match(text, e)
        if not m:
            continue
        near = [q for q in persons if q is not person and q.country
                and any(m.end() <= a <= m.end() + 90 for a, _ in q.spans)]
        if near:
            return min(near, key=lambda q: min(a for a, _ in q.spans if a >= m.end()))
    return None


_ACCOMPANIED = LazyPattern(r"\b(?:accompanied\s+by|joined\s+by|flanked\s+by)\s+[^.;:!?]{0,90}$")
_PRONOUN_START = LazyPattern(r"\s*(?:He|She)\b")


def companion_of(text: str, person: Person, persons: list[Person], sents):
    """`X was accompanied by Foreign Minister Y and Trade Minister Z`: Y and Z serve X's state.
    When the sentence starts with `He`/`She`, X is the last person named before it."""
    s0 = min(a for a, _ in person.spans)
    # (sentences as text.sentences gives them, in order and not overlapping: a binary search finds the one)
    k = bisect_right(sents, (s0, float("inf"))) - 1
    if k >= 0 and sents[k][0] <= s0 < sents[k][1]:
        sent = sents[k]
    else:
        sent = next(((a, b) for a, b in sents if a <= s0 < b), None)
    if sent is None:
        return None
    m = _ACCOMPANIED.search(text, sent[0], s0)
    if not m:
        return None
    before = [q for q in persons if q is not person and any(sent[0] <= a < m.start() for a, _ in q.spans)]
    if before:
        return max(before, key=lambda q: max(a for a, _ in q.spans if sent[0] <= a < m.start()))
    if _PRONOUN_START.match(text, sent[0]):
        prior = [q for q in persons if q is not person and any(a < sent[0] for a, _ in q.spans)]
        if prior:
            return max(prior, key=lambda q: max(a for a, _ in q.spans if a < sent[0]))
    return None


_GOES = LazyPattern(r"\s+(?:(?:will|would|is|was|to|also|has|had|then|later)\s+){0,2}(?:visits?|visited|visiting|"
                   r"arrived\s+in|arrives\s+in|travell?ed\s+to|travels\s+to|flew\s+to|flies\s+to)\s+(?:the\s+)?")


def _title_before(text, toks, index, start, cmentions, v: PersonVocab, ctx):
    i = index.get(start)
    if i is None:
        return None, None, None
    paren = ctx["paren"]
    mentions, starts = ctx["mentions"], ctx["starts"]
    j = i - 1
    taken: list[Tok] = []
    comma_crossed = False
    nxt = start
    while j >= 0 and len(taken) < 25:
        t = toks[j]
        if j in paren:
            if text[t.end + 1:nxt].strip():
                break   # "Indian Oil Corporation (IOC). Prime Minister …": a sentence ends after the bracket
            nxt = t.start - 1
            j -= 1
            continue
        cm = _country_at(cmentions, t.start, t.end)
        gap = text[max(t.end, cm.end if cm else 0):nxt]
        k = bisect_right(starts, t.start) - 1
        if "\n" in gap or (k >= 0 and t.start < mentions[k]["end"]):
            break
        g = gap.replace("(", "").replace(")", "").strip() if (nxt != start or taken) and j + 1 in paren else gap.strip()
        if g not in ("", ","):
            break
        if g == ",":
            # "Minister of Public Security, General Lương Tam Quang"
            # "The Minister of Foreign Affairs, Ambassador Yusuf Tuggar": a courtesy office after the comma
            courtesy = len(taken) == 1 and _is_head(taken[0].folded, v) and t.cap \
                and not any(_is_head(x.folded, v) for x in toks[j + 1:i] if x is not taken[0])
            if comma_crossed or (any(x.folded not in v.ranks and x.folded.rstrip(".") not in v.honorifics
                                     for x in taken) and not courtesy):
                break
            comma_crossed = True
        w = t.folded.rstrip(".")
        if w == "to" and not (any(_is_head(x.folded, v) for x in toks[max(0, j - 3):j]) and taken
                              and (_country_at(cmentions, taken[0].start, taken[0].end)
                                   or (len(taken) > 1 and taken[0].folded == "the"
                                       and _country_at(cmentions, taken[1].start, taken[1].end)))):
            break  # only "Ambassador to Cuba", "Envoy to Japan"
        if _office(w, v.offices) or w in v.ranks or w in v.honorifics or w in CONNECT or w == "to" or cm or t.cap:
            if not (t.cap or cm) and not _office(w, v.offices) and w not in CONNECT and w != "to":
                break
            taken.insert(0, t)
            nxt = t.start
            j -= 1
            continue
        break
    # the phrase must start at an office word or a country word
    while taken and not (_office(taken[0].folded, v.offices) or _country_at(cmentions, taken[0].start, taken[0].end)
                         or taken[0].folded in ("party", "state", "deputy", "vice", "first", "former")
                         or (fold_key(taken[0].text) in v.places and len(taken) > 1
                             and _office(taken[1].folded, v.offices))):
        taken = taken[1:]
    # "President X of Tunisia and Prime Minister Y": the country before `and` ends the previous person's mention
    if len(taken) > 2 and taken[1].folded == "and" and _country_at(cmentions, taken[0].start, taken[0].end) \
            and toks[max(0, index.get(taken[0].start, 1) - 1)].folded == "of" and _office(taken[2].folded, v.offices):
        taken = taken[2:]
    # "the United Socialist Party of Venezuela (PSUV) and President Maduro": the party is not the office
    while len(taken) > 1 and taken[0].folded in ("party", "state") and not _office(taken[1].folded, v.offices):
        taken = taken[1:]
        while taken and (taken[0].folded in CONNECT or (not _office(taken[0].folded, v.offices)
                                                             and not _country_at(cmentions, taken[0].start, taken[0].end))):
            taken = taken[1:]
    if not taken:
        return None, None, None
    return _clean_title(taken, text, cmentions, v)


def _appositive(text, end, toks, index, cmentions, v: PersonVocab, ctx):
    m = re.match(r",\s+", text[end:end + 4])
    if not m:
        return None, None, None
    pos = end + m.end()
    i = index[pos] if pos in index else bisect_left(ctx["tok_starts"], pos)
    if i >= len(toks):
        return None, None, None
    paren = ctx["paren"]
    taken = []
    last_end = None
    while i < len(toks) and len(taken) < 25:
        t = toks[i]
        if i in paren:
            last_end = t.end + 1
            i += 1
            continue
        if taken and text[last_end:t.start].replace("(", "").strip() not in ("",):
            break
        if "\n" in text[pos:t.start]:
            break
        w = t.folded.rstrip(".")
        if _office(w, v.offices) or w in CONNECT or w == "to" or t.cap or w in ("his", "her"):
            taken.append(t)
            last_end = t.end
            i += 1
            continue
        break
    if not taken or not any(_is_head(t.folded, v) for t in taken[:4]):
        return None, None, None
    while taken and taken[-1].folded in ("to",):
        taken = taken[:-1]
    return _clean_title(taken, text, cmentions, v)


def _merge(mentions: list[dict], text: str, v: PersonVocab) -> list[Person]:
    persons: list[Person] = []
    fulls = [m for m in mentions if not m["single"]]
    singles = [m for m in mentions if m["single"]]

    def absorb(p: Person, m: dict) -> None:
        p.spans.append((m["start"], m["end"]))
        m["person"] = p
        if m["title"] and (not p.title or len(m["title"].split()) > len(p.title.split())
                           or (len(m["title"].split()) == len(p.title.split()) and _abbreviated(p.title_span)
                               and not _abbreviated(m["title_span"]))):
            # the fullest statement of the office wins; written out beats abbreviated ("Deputy PM")
            p.title, p.title_span = m["title"], m["title_span"]
        if not p.country and m["country"]:
            p.country, p.country_how = m["country"], m["how"]

    def _abbreviated(span) -> bool:
        return bool(span) and any(w in ABBREV for w in fold(text[span[0]:span[1]]).split())

    for m in sorted(fulls, key=lambda m: m["start"]):
        words = fold_key(m["name"]).split()
        target = None
        for p in persons:
            pw = p.words
            if set(words) <= set(pw) or set(pw) <= set(words):
                target = p
                break
        if target is None:
            p = Person(m["name"], m["start"], m["end"], m["country"], m["title"],
                       [(m["start"], m["end"])], m["title_span"], m["how"])
            m["person"] = p
            persons.append(p)
            continue
        if len(words) > len(target.words):
            target.name, target.start, target.end = m["name"], m["start"], m["end"]
        absorb(target, m)
    for m in sorted(singles, key=lambda m: m["start"]):
        w = fold_key(m["name"])
        ws = set(w.split())
        cands = [p for p in persons if ws <= set(p.words)]
        if m.get("weak"):
            # a Vietnamese name is never addressed by its family name alone ("To" is not Tô Lâm)
            cands = [p for p in cands if not (len(p.words) > 1 and p.words[0] in ws
                                              and "VNM" in v.surname_codes.get(p.words[0], ()))]
        if cands:
            # Vietnamese names are addressed by the last word, Spanish ones by the first surname
            best = [p for p in cands if p.words[-1] == w or p.words[-len(ws):] == w.split()] or cands
            prior = [p for p in best if p.start < m["start"]] or best
            absorb(prior[-1], m)
            continue
        if not m.get("weak"):
            p = Person(m["name"], m["start"], m["end"], m["country"], m["title"],
                       [(m["start"], m["end"])], m["title_span"], m["how"])
            m["person"] = p
            persons.append(p)
    for p in persons:
        p.spans = sorted(set(p.spans))
    return persons


def _own_office(title: str) -> str:
    """A counterpart holds the same office in his own country: `President of Cuba` -> `President`."""
    return re.sub(r"\s+of\s+(?:the\s+)?[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)?$", "", title) if " and " not in title else title


def _infer_countries(persons: list[Person], mentions: list[dict], cmentions, v: PersonVocab) -> None:
    """Countries the mentions leave open, from the story's two main countries.

    `X and his Australian counterpart Y`: X is from the other main country. A full
    name that does not follow the naming tradition of one main country (the only
    one with a known tradition) belongs to the other."""
    pair = _guess_parties(cmentions)
    for m in mentions:
        me, other = m.get("person"), (m.get("partner") or {}).get("person")
        if me is None or other is None or me is other:
            continue
        for a, b in ((me, other), (other, me)):
            if a.country is None and b.country in pair and len(pair) == 2:
                a.country = next(c for c in pair if c != b.country)
                a.country_how = f"counterpart of {b.name}"
    for m in mentions:
        me, other = m.get("person"), (m.get("partner") or {}).get("person")
        if me is not None and other is not None and me is not other and not me.title and other.title:
            me.title, me.title_span = _own_office(other.title), other.title_span
    listed = [c for c in pair if c in SURNAME_COUNTRY.values() and c in v.surname_countries]
    for p in persons:
        if p.country is not None or len(p.words) < 2 or len(pair) != 2:
            continue
        fits = [c for c in pair if c in v.surname_codes.get(p.words[0], ())]
        if len(fits) == 1:
            p.country, p.country_how = fits[0], "family name"
        elif not fits and len(listed) == 1:
            p.country = next(c for c in pair if c != listed[0])
            p.country_how = f"not a {listed[0]} name"
