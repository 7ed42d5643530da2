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
from dataclasses import dataclass, field

from relations.countries import CountryMention
from relations.knowledge import Knowledge
from relations.organizations import Org, vocab as org_vocab
from relations.runs import Run, Tok
from relations.text import fold, fold_key

SURNAME_COUNTRY = {"vietnamese": "VNM", "korean": "KOR", "chinese": "CHN", "khmer": "KHM", "lao": "LAO",
                   "japanese": "JPN", "thai": "THA"}
CONNECT = {"of", "the", "and", "for", "on", "with", "in"}
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
        return fold_key(self.name).split()


@dataclass(frozen=True)
class PersonVocab:
    offices: frozenset          # single folded words that make up offices
    office_phrases: tuple
    ranks: frozenset
    honorifics: frozenset
    particles: frozenset
    verbs: frozenset
    not_names: frozenset
    surname_country: dict


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
    for group, items in (names.get("surnames") or {}).items():
        code = SURNAME_COUNTRY.get(group)
        for s in items or []:
            sc.setdefault(fold(s), code)
    v = PersonVocab(frozenset(offices), tuple(phrases), frozenset(ranks), frozenset(hons),
                    frozenset(fold(p) for p in names.get("particles") or []),
                    frozenset(fold(p) for p in names.get("person_verbs") or []),
                    frozenset(fold(p) for p in names.get("not_names") or []), sc)
    kb.cache["personvocab"] = v
    return v


def _is_title_word(w: str, v: PersonVocab) -> bool:
    return w in v.offices or w in v.ranks or w.rstrip(".") in v.honorifics


def find_persons(text: str, toks: list[Tok], runs: list[Run], cmentions: list[CountryMention],
                 orgs: list[Org], kb: Knowledge, skip=lambda s, e: False) -> list[Person]:
    v = vocab(kb)
    ov = org_vocab(kb)
    org_spans = [sp for o in orgs for sp in o.spans]
    index = {t.start: i for i, t in enumerate(toks)}
    mentions: list[dict] = []
    for run in runs:
        for piece in _pieces(run, org_spans, cmentions):
            m = _candidate(piece, text, toks, index, cmentions, orgs, v, ov, skip)
            if m:
                mentions.append(m)
    return _merge(mentions, text, v)


def _pieces(run: Run, org_spans, cmentions) -> list[list[Tok]]:
    """Parts of a run outside organisation names, split at `and` and commas."""
    out, cur = [], []
    for t in run.toks:
        if any(a <= t.start < b for a, b in org_spans):
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


def _country_at(cmentions, s, e):
    for m in cmentions:
        if m.start < e and s < m.end:
            return m
    return None


def _candidate(piece, text, toks, index, cmentions, orgs, v: PersonVocab, ov, skip) -> dict | None:
    # strip the office, rank, honorific and country words in front of the name
    i = 0
    prefix_title = False
    while i < len(piece):
        t = piece[i]
        w = fold(t.text).rstrip(".")
        if _country_at(cmentions, t.start, t.end):
            i += 1
            continue
        if _is_title_word(w, v) or w in ("party", "state", "deputy", "vice", "former", "then"):
            prefix_title = prefix_title or _is_title_word(w, v)
            i += 1
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
    words = [_POSS.sub("", fold(t.text)) for t in name_toks]
    if len(name_toks) > 5 or any(w in v.not_names for w in words):
        return None
    if any(_country_at(cmentions, t.start, t.end) for t in name_toks):
        return None
    if any(w in v.offices or w[0].isdigit() for w in words):
        return None
    if all(w in ov.institution or w in v.offices for w in words):
        return None
    if all(t.text.isupper() and len(t.text) > 1 for t in name_toks):
        return None
    start = name_toks[0].start
    if skip(start, end):
        return None
    before = text[max(0, start - 60):start]
    if re.search(r"\b(?:Photo|photo|By|by|Reporter|Source)\s*:?\s*$", before):
        return None
    if re.search(r"\b(?:in|at|near|from|to|of)\s*$", before) and not prefix_title:
        return None
    after = text[end:end + 40]
    verb = re.match(r"[\s,]*(?:has |had |also |then |later |on \w+ )?([a-z]+)", after)
    has_verb = bool(verb and verb.group(1) in v.verbs)
    appos = _appositive(text, end, toks, index, cmentions, v)
    title, tspan, tcountry = _title_before(text, toks, index, start, cmentions, v)
    if title:
        title = _attach_org(title, tspan[0], text, orgs)
    first = words[0]
    surname = first in v.surname_country and len(name_toks) >= 2
    lower_office = bool(re.search(r"\b(?:counterpart|leader|minister|president|premier|ambassador|chairman|secretary)\s*,?\s*$", before, re.I))
    evidence = prefix_title or title or appos[0] or surname or (has_verb and len(name_toks) >= 2) or lower_office
    if not evidence:
        return None
    if len(name_toks) == 1 and not (prefix_title or title or appos[0] or lower_office or has_verb):
        return None
    if appos[0] and not title:
        title, tspan, tcountry = appos
    country, how = tcountry, "title" if tcountry else None
    if country is None:
        dem = re.search(r"(\w+)\s*$", before)
        if dem:
            cm = _country_at(cmentions, start - len(dem.group(0)), start - 1)
            if cm:
                country, how = cm.code, "adjective"
    if country is None and surname:
        country, how = v.surname_country.get(first), "family name"
    return {"name": text[start:end], "start": start, "end": end, "title": title, "title_span": tspan,
            "country": country, "how": how, "single": len(name_toks) == 1}


def _clean_title(toks_: list[Tok], text: str, cmentions, v: PersonVocab):
    """From the tokens of an office phrase: the title without country words or ranks, and its country."""
    country = None
    keep: list[Tok] = []
    for t in toks_:
        cm = _country_at(cmentions, t.start, t.end)
        w = fold(t.text).rstrip(".")
        if cm and (cm.demonym or _POSS.search(t.text) or text[cm.end:cm.end + 1] in ("'", "’")):
            country = country or cm.code
            continue
        if cm and country is None:
            country = cm.code
        if w in v.honorifics:
            continue
        if keep and text[keep[-1].end:t.start].strip() == ",":
            break
        keep.append(t)
    # a rank is not part of the office: drop it where no office word follows it
    keep = [t for k, t in enumerate(keep)
            if not (fold(t.text) in v.ranks and not any(fold(x.text) in v.offices and fold(x.text) not in v.ranks
                                                         for x in keep[k + 1:k + 2]))]
    while keep and (fold(keep[0].text) in CONNECT or fold(keep[0].text) in ("his", "her", "its")):
        keep = keep[1:]
    while keep and fold(keep[-1].text) in CONNECT:
        keep = keep[:-1]
    if not keep or not any(fold(t.text) in v.offices for t in keep):
        return None, None, country
    return text[keep[0].start:keep[-1].end], (keep[0].start, keep[-1].end), country


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


def visited_country(text: str, spans, cmentions) -> str | None:
    """`the visit of President X to Việt Nam`, `X's visit to Cuba`: the country X went to (not X's own)."""
    for s, e in spans:
        after = text[e:e + 40]
        m = re.match(r"(?:['’]s?\s+(?:\w+\s+){0,3}?visit|\s+(?:\w+\s+){0,2}?)\s*to\s+(?:the\s+)?", after)
        if m and (re.search(r"\bvisit(?:s|ed)?\s+(?:of\s+)?(?:\w+\s+){0,3}$", text[max(0, s - 40):s]) or "visit" in m.group()):
            pos = e + m.end()
            cm = next((c for c in cmentions if c.start == pos), None)
            if cm:
                return cm.code
    return None


def _title_before(text, toks, index, start, cmentions, v: PersonVocab):
    i = index.get(start)
    if i is None:
        return None, None, None
    j = i - 1
    taken: list[Tok] = []
    comma_crossed = False
    while j >= 0 and len(taken) < 25:
        t = toks[j]
        gap = text[t.end:(taken[0].start if taken else start)]
        if gap.strip() not in ("", ","):
            break
        if gap.strip() == ",":
            # "Minister of Public Security, General Lương Tam Quang"
            if comma_crossed or any(fold(x.text) not in v.ranks and fold(x.text).rstrip(".") not in v.honorifics for x in taken):
                break
            comma_crossed = True
        w = fold(t.text).rstrip(".")
        cm = _country_at(cmentions, t.start, t.end)
        if w in v.offices or w in v.ranks or w in v.honorifics or w in CONNECT or cm or t.cap:
            if not t.cap and w not in v.offices and w not in CONNECT:
                break
            taken.insert(0, t)
            j -= 1
            continue
        break
    # the phrase must start at an office word or a country word
    while taken and not (fold(taken[0].text) in v.offices or _country_at(cmentions, taken[0].start, taken[0].end)
                         or fold(taken[0].text) in ("party", "state", "deputy", "vice", "first", "former")):
        taken = taken[1:]
    if not taken:
        return None, None, None
    return _clean_title(taken, text, cmentions, v)


def _appositive(text, end, toks, index, cmentions, v: PersonVocab):
    m = re.match(r",\s+", text[end:end + 4])
    if not m:
        return None, None, None
    pos = end + m.end()
    i = next((k for k in range(len(toks)) if toks[k].start >= pos), None) if pos not in index else index[pos]
    if i is None:
        return None, None, None
    taken = []
    while i < len(toks) and len(taken) < 25:
        t = toks[i]
        if taken and text[taken[-1].end:t.start].strip() not in ("",):
            break
        w = fold(t.text).rstrip(".")
        if w in v.offices or w in CONNECT or t.cap or w in ("his", "her"):
            taken.append(t)
            i += 1
            continue
        break
    if not taken or not any(fold(t.text) in v.offices for t in taken[:4]):
        return None, None, None
    return _clean_title(taken, text, cmentions, v)


def _merge(mentions: list[dict], text: str, v: PersonVocab) -> list[Person]:
    persons: list[Person] = []
    fulls = [m for m in mentions if not m["single"]]
    singles = [m for m in mentions if m["single"]]

    def absorb(p: Person, m: dict) -> None:
        p.spans.append((m["start"], m["end"]))
        if not p.title and m["title"]:
            p.title, p.title_span = m["title"], m["title_span"]
        if not p.country and m["country"]:
            p.country, p.country_how = m["country"], m["how"]

    for m in sorted(fulls, key=lambda m: m["start"]):
        words = fold_key(m["name"]).split()
        target = None
        for p in persons:
            pw = p.words
            if set(words) <= set(pw) or set(pw) <= set(words):
                target = p
                break
        if target is None:
            persons.append(Person(m["name"], m["start"], m["end"], m["country"], m["title"],
                                  [(m["start"], m["end"])], m["title_span"], m["how"]))
            continue
        if len(words) > len(target.words):
            target.name, target.start, target.end = m["name"], m["start"], m["end"]
        absorb(target, m)
    for m in sorted(singles, key=lambda m: m["start"]):
        w = fold_key(m["name"])
        ws = set(w.split())
        cands = [p for p in persons if ws <= set(p.words)]
        if cands:
            # Vietnamese names are addressed by the last word, Spanish ones by the first surname
            best = [p for p in cands if p.words[-1] == w or p.words[-len(ws):] == w.split()] or cands
            prior = [p for p in best if p.start < m["start"]] or best
            absorb(prior[-1], m)
            continue
        if m["title"] or m["country"]:
            persons.append(Person(m["name"], m["start"], m["end"], m["country"], m["title"],
                                  [(m["start"], m["end"])], m["title_span"], m["how"]))
    for p in persons:
        p.spans = sorted(set(p.spans))
    return persons
