"""Find named organisations: by structure, from the dictionary, and by acronym.

Structure carries most of it: a lead noun followed by `of …` (`Ministry of
Public Security`), or capitalised words ending in a head noun (`Central Public
Security Party Committee`). A country adjective in front is not part of the
name but gives the organisation's country.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from relations.countries import CountryMention
from relations.knowledge import Knowledge, Matcher
from relations.runs import Run, Tok
from relations.text import fold, fold_key

GENERIC = {"party", "parties", "state", "states", "government", "governments", "ministry", "ministries",
           "committee", "two", "both", "the", "army", "people", "peoples", "nation", "nations"}
NOT_LEAD = {"government", "state", "republic", "kingdom", "island", "islands", "city", "province"}


@dataclass
class Org:
    name: str
    start: int
    end: int
    country: str | None = None
    acronym: str | None = None
    international: bool = False
    spans: list[tuple[int, int]] = field(default_factory=list)
    country_how: str | None = None

    @property
    def key(self) -> str:
        return org_key(self.name)


def org_key(name: str) -> str:
    words = [w for w in fold_key(name).split() if w not in ("the", "s")]
    return " ".join(words)


@dataclass(frozen=True)
class OrgVocab:
    heads: frozenset
    leads: frozenset
    offices: frozenset
    institution: frozenset
    surnames: frozenset
    agencies: frozenset
    known: Matcher
    acronyms: dict


def vocab(kb: Knowledge) -> OrgVocab:
    cached = kb.cache.get("orgvocab")
    if cached:
        return cached
    org = kb.data.get("organizations", {})
    names = kb.data.get("names", {})
    heads = {fold(h).split()[-1] for h in org.get("head_nouns") or []} - {"general", "of", "the"}
    leads = {fold(h).split()[0] for h in org.get("lead_nouns") or []} - NOT_LEAD
    offices = set()
    for o in names.get("offices") or []:
        offices.update(fold(o).split())
    offices -= {"of", "the", "and", "general", "national", "state", "people's", "party"}
    institution = {fold(w) for w in org.get("institution_words") or []} | heads | leads
    surnames = set()
    for group in (names.get("surnames") or {}).values():
        surnames.update(fold(s) for s in group or [])
    agencies = set()
    for a in org.get("agencies") or []:
        agencies.add(fold(a["name"]))
        if a.get("acronym"):
            agencies.add(fold(a["acronym"]))
        for al in a.get("aliases") or []:
            agencies.add(fold(al))
    entries, acronyms = [], {}
    for kind in ("international", "national"):
        for e in org.get(kind) or []:
            info = (e["name"], e.get("country") if kind == "national" else None, e.get("acronym"), kind == "international")
            entries.append((e["name"], info))
            for al in e.get("aliases") or []:
                entries.append((al, info))
            if e.get("acronym"):
                acronyms[e["acronym"]] = info
    v = OrgVocab(frozenset(heads), frozenset(leads), frozenset(offices), frozenset(institution),
                 frozenset(surnames), frozenset(agencies), Matcher(entries), acronyms)
    kb.cache["orgvocab"] = v
    return v


def _country_at(mentions: list[CountryMention], start: int, end: int) -> CountryMention | None:
    for m in mentions:
        if start <= m.start < end:
            return m
    return None


def _segments(run: Run, v: OrgVocab, text: str, cmentions) -> list[list[Tok]]:
    """Split a run at `and` where a second name starts, and drop leading offices."""
    toks = run.toks
    segs, cur = [], []
    for i, t in enumerate(toks):
        low = t.text.lower()
        if low == "and" and cur:
            nxt = toks[i + 1] if i + 1 < len(toks) else None
            if nxt and (nxt.text == "the" or fold(nxt.text) in v.leads or _country_at(cmentions, nxt.start, nxt.end)):
                segs.append(cur)
                cur = []
                continue
        cur.append(t)
    if cur:
        segs.append(cur)
    out = []
    for seg in segs:
        # "First Secretary of the Communist Party ..." -> "Communist Party ..."
        while True:
            idx = next((i for i, t in enumerate(seg) if t.text == "of"), None)
            if idx is None or idx == 0:
                break
            before = [fold(t.text) for t in seg[:idx]]
            if all(w in v.offices or w in ("and", "deputy", "vice", "first", "general", "standing", "permanent", "former")
                   or w.rstrip("s") in v.offices for w in before) and any(w in v.offices for w in before):
                seg = seg[idx + 1:]
                while seg and seg[0].text.lower() in ("the", "and"):
                    seg = seg[1:]
            else:
                break
        while seg and seg[0].text.lower() in ("the", "a", "an", "and", "of"):
            seg = seg[1:]
        if seg:
            out.append(seg)
    return out


def _name_like_tail(seg: list[Tok], v: OrgVocab, cmentions) -> int:
    """Index where a trailing person name starts in seg, or len(seg)."""
    n = len(seg)
    i = n
    while i > 0:
        t = seg[i - 1]
        w = fold(t.text)
        if not t.cap or w in v.institution or w in v.offices or _country_at(cmentions, t.start, t.end):
            break
        i -= 1
    tail = seg[i:]
    if not tail:
        return n
    if len(tail) >= 2:
        return i
    return i if fold(tail[0].text) in v.surnames else n


def find_organizations(text: str, folded: str, runs: list[Run], cmentions: list[CountryMention],
                       kb: Knowledge, skip=lambda s, e: False) -> list[Org]:
    v = vocab(kb)
    found: list[Org] = []
    for s, e, info in v.known.find(folded, text):
        if not text[s].isupper() or skip(s, e):
            continue
        name, country, acr, intl = info
        found.append(Org(name, s, e, country, acr, intl, [(s, e)], "dictionary" if country else None))
    for run in runs:
        for seg in _segments(run, v, text, cmentions):
            org = _structural(seg, v, text, cmentions)
            if org and not skip(org.start, org.end):
                if any(o.start <= org.start and org.end <= o.end for o in found):
                    continue
                found = [o for o in found if not (org.start <= o.start and o.end <= org.end)]
                found.append(org)
    found.sort(key=lambda o: o.start)
    _bind_acronyms(text, found, v, cmentions)
    return _merge(found)


def _structural(seg: list[Tok], v: OrgVocab, text: str, cmentions) -> Org | None:
    words = [fold(t.text) for t in seg]
    # a leading country adjective or possessive is the country, not the name
    country = how = None
    while seg:
        cm = _country_at(cmentions, seg[0].start, seg[0].end)
        if not cm:
            break
        k = 0
        while k < len(seg) and seg[k].start < cm.end:
            k += 1
        rest = seg[k:]
        if not rest or rest[0].text.lower() in ("of", "and"):
            break
        country, how = cm.code, "adjective"
        seg, words = rest, words[k:]
    if not seg:
        return None
    lead_idx = next((i for i, w in enumerate(words) if (w in v.leads or w in v.heads) and seg[i].cap
                     and i + 1 < len(seg) and seg[i + 1].text in ("of", "for", "on")), None)
    head_idxs = [i for i, w in enumerate(words) if (w in v.heads or w.rstrip("s") in v.heads) and seg[i].cap]
    if lead_idx is None and not head_idxs:
        return None
    if lead_idx is not None:
        end_i = len(seg)
        cut = _name_like_tail(seg[lead_idx:], v, cmentions)
        end_i = lead_idx + cut
        start_i = 0
    else:
        end_i = head_idxs[-1] + 1
        if end_i < len(seg) and seg[end_i].text == "of":
            end_i = len(seg)
            end_i = _name_like_tail(seg, v, cmentions)
        start_i = 0
    body = seg[start_i:end_i]
    while body and body[-1].text.lower() in ("of", "the", "and", "for", "on", "with", "in"):
        body = body[:-1]
    if not body:
        return None
    # "Ministry of Public Security of Việt Nam": the trailing country is not part of the name
    ofs = [i for i, t in enumerate(body) if t.text == "of"]
    if len(ofs) >= 2:
        last = ofs[-1]
        cm = _country_at(cmentions, body[last + 1].start, body[last + 1].end) if last + 1 < len(body) else None
        if cm and cm.end >= body[-1].end:
            country, how = cm.code, "of"
            body = body[:last]
    bwords = [fold(t.text) for t in body]
    content = [w for w in bwords if w not in ("of", "the", "and", "for", "on", "with", "in")]
    if len(content) < 2 or all(w in GENERIC or w.rstrip("s") in GENERIC for w in content):
        return None
    if all(w in v.offices or w in ("general", "party", "state", "major", "lieutenant") for w in content):
        return None
    name = text[body[0].start:body[-1].end]
    if fold(name) in v.agencies:
        return None
    if country is None:
        cm = _country_at(cmentions, body[0].start, body[-1].end)
        if cm:
            country, how = cm.code, "in name"
    return Org(name, body[0].start, body[-1].end, country, None, False, [(body[0].start, body[-1].end)], how)


_ACR = re.compile(r"\s*\(\s*([A-Z][A-Za-z&.\-]{1,9})\s*\)")


def _bind_acronyms(text: str, orgs: list[Org], v: OrgVocab, cmentions) -> None:
    extra = []
    for o in orgs:
        m = _ACR.match(text, o.end)
        if m and not o.acronym:
            acr = m.group(1)
            if fold(acr) in v.agencies:
                continue
            o.acronym = acr
    acrs = {o.acronym: o for o in orgs if o.acronym}
    acrs.update({k: None for k in v.acronyms if k not in acrs})
    if not acrs:
        return
    pat = re.compile(r"(?<![\w/])(" + "|".join(re.escape(a) for a in sorted(acrs, key=len, reverse=True)) + r")(?![\w/])")
    taken = [sp for o in orgs for sp in o.spans]
    for m in pat.finditer(text):
        s, e = m.span()
        if any(a <= s and e <= b for a, b in taken) or any(c.start <= s and e <= c.end for c in cmentions):
            continue
        owner = acrs[m.group(1)]
        if owner is not None:
            owner.spans.append((s, e))
        else:
            name, country, acr, intl = v.acronyms[m.group(1)]
            extra.append(Org(name, s, e, country, acr, intl, [(s, e)], "dictionary" if country else None))
    orgs.extend(extra)


def _merge(orgs: list[Org]) -> list[Org]:
    by_key: dict[str, Org] = {}
    by_acr: dict[str, Org] = {}
    out: list[Org] = []
    for o in sorted(orgs, key=lambda o: o.start):
        target = by_key.get(o.key) or (by_acr.get(o.acronym) if o.acronym else None)
        if target is None and o.acronym is None:
            target = by_acr.get(o.name)
        if target is None:
            by_key[o.key] = o
            if o.acronym:
                by_acr[o.acronym] = o
            out.append(o)
            continue
        if target.country is None and o.country:
            target.country, target.country_how = o.country, o.country_how
        if len(o.name) > len(target.name) and o.key.startswith(target.key) is False and target.acronym == o.name:
            target.name = o.name
        if o.acronym and not target.acronym:
            target.acronym = o.acronym
            by_acr[o.acronym] = target
        target.spans.extend(o.spans)
    for o in out:
        o.spans = sorted(set(o.spans))
    return out


_PARENT = re.compile(r"\s+(?:under|of|within|at|belonging to)\s+(?:the\s+)?")


def infer_countries(text: str, orgs: list[Org], home: str | None) -> None:
    """Give each national organisation without a stated country the most likely one.

    A unit `under` a parent body takes the parent's country; a body sharing two
    name words with one of known country (`Central Public Security Party
    Committee`, `Ministry of Public Security`) takes that one; else the
    article's main country.
    """
    for o in orgs:
        if o.country or o.international:
            continue
        for s, e in o.spans:
            m = _PARENT.match(text, e)
            if not m:
                continue
            parent = next((p for p in orgs if p is not o and p.country
                           and any(m.end() <= a <= m.end() + 30 for a, _ in p.spans)), None)
            if parent:
                o.country, o.country_how = parent.country, f"part of {parent.name}"
                break
    stop = {"of", "the", "and", "for", "ministry", "department", "committee", "party", "general", "national",
            "central", "people's", "peoples", "s"}
    for o in orgs:
        if o.country or o.international:
            continue
        words = set(o.key.split()) - stop
        best, overlap = None, 1
        for p in orgs:
            if p is o or not p.country:
                continue
            n = len(words & (set(p.key.split()) - stop))
            if n > overlap:
                best, overlap = p, n
        if best:
            o.country, o.country_how = best.country, f"shares its name with {best.name}"
    for o in orgs:
        if o.country is None and not o.international and home:
            o.country, o.country_how = home, "assumed: the article's main country"
