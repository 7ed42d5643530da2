"""Find named organisations: by structure, from the dictionary, and by acronym.

Structure carries most of it: a lead noun followed by `of …` (`Ministry of
Public Security`), or capitalised words ending in a head noun (`Central Public
Security Party Committee`). A country adjective in front is not part of the
name but gives the organisation's country.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right, insort
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from relations.knowledge import Knowledge, Matcher
from relations.parser.countries import CountryMention, Mentions
from relations.parser.runs import Run, Tok, office_heads
from relations.text import LazyPattern, SpanIndex, fold, fold_key

GENERIC = {"party", "parties", "state", "states", "government", "governments", "ministry", "ministries",
           "committee", "two", "both", "the", "army", "people", "peoples", "nation", "nations"}
NOT_LEAD = {"government", "state", "republic", "kingdom", "island", "islands", "city", "province"}
# a head noun written alone after a country adjective is still a name: "the Mozambican Assembly"
SOLO_HEADS = {"assembly", "parliament", "senate", "congress", "embassy", "consulate", "navy", "diet", "duma",
              "legislature", "knesset", "politburo", "railway", "railways", "television"}
# a national body named by its sector alone
SECTOR_HEADS = {"railway", "railways", "television", "airlines", "airways"}
# heads of diplomatic missions take their place: "Embassy in Vietnam", "Consulate General in Bengaluru"
MISSIONS = {"embassy", "consulate", "consulate-general", "mission"}
# an ordinal in front makes a gathering, not a body: "the 29th Future of Asia Forum"
GATHERINGS = {"forum", "summit", "conference", "congress", "meeting", "session", "dialogue", "festival", "expo",
              "fair", "games", "plenum"}
# a name followed by one of these is a document's name: "Visiting Forces Agreement"
DOCUMENTS = {"agreement", "treaty", "accord", "pact", "convention", "law", "act", "declaration", "protocol",
             "memorandum", "charter", "resolution", "statement", "programme", "program", "plan", "strategy",
             "initiative", "project", "award", "prize", "medal", "order", "summit"}


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
    canon: str | None = None    # the dictionary entry it was found by

    @property
    def key(self) -> str:
        cached = self.__dict__.get("_key")
        if cached is None or cached[0] != self.name:
            cached = self.__dict__["_key"] = (self.name, org_key(self.name))
        return cached[1]

    @property
    def names_a_sector(self) -> bool:
        """`Bangladesh Railway`, `Indian Railways`: the body is the sector itself, so cooperation with it is
        cooperation in that field."""
        words = self.key.split()
        return len(words) == 1 and words[0] in SECTOR_HEADS


def org_key(name: str) -> str:
    words = [w for w in fold_key(name).split() if w not in ("the", "s")]
    return " ".join(words)


class OrgVocab(NamedTuple):
    heads: frozenset
    leads: frozenset
    offices: frozenset
    institution: frozenset
    surnames: frozenset
    agencies: frozenset
    known: Matcher
    acronyms: dict
    person_heads: frozenset
    bound: dict
    not_names: frozenset = frozenset()
    acronym_finder: Any = None      # finds the dictionary's acronyms (case-sensitive) anywhere in a text


def vocab(kb: Knowledge) -> OrgVocab:
    cached = kb.cache.get("orgvocab")
    if cached:
        return cached
    org = kb.data.get("organizations", {})
    names = kb.data.get("names", {})
    heads = {fold(h).split()[-1] for h in org.get("head_nouns") or [] if len(fold(h).split()) == 1} - {"general", "of", "the"}
    leads = {fold(h).split()[0] for h in org.get("lead_nouns") or []} - NOT_LEAD
    offices = set()
    for o in names.get("offices") or []:
        offices.update(fold(o).split())
    offices -= {"of", "the", "and", "general", "national", "state", "people's", "party"}
    person_heads = set(office_heads(names.get("offices")))
    # "Lower House", "Stock Exchange": a last word that is a head only after its own modifier
    bound = {}
    for h in org.get("head_nouns") or []:
        ws = fold(h).split()
        if len(ws) > 1:
            bound.setdefault(ws[-1], set()).add(" ".join(ws[:-1]))
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
    finder = None
    if acronyms:
        import ahocorasick

        finder = ahocorasick.Automaton()
        for a in acronyms:
            finder.add_word(a, a)
        finder.make_automaton()
    v = OrgVocab(frozenset(heads), frozenset(leads), frozenset(offices), frozenset(institution),
                 frozenset(surnames), frozenset(agencies), Matcher(entries), acronyms, frozenset(person_heads),
                 {k: frozenset(x) for k, x in bound.items() if k not in heads},
                 frozenset(fold(w) for w in names.get("not_names") or []), finder)
    kb.cache["orgvocab"] = v
    return v


def _country_at(mentions: Mentions, start: int, end: int) -> CountryMention | None:
    return mentions.starting_in(start, end)


def _is_head(w: str, prev: str | None, v: OrgVocab) -> bool:
    """`w` ends an organisation name (`Committee`, `Group`; `House` only in `Lower House`)."""
    if w.endswith(("'s", "’s")):
        w = w[:-2]
    if w in v.heads or w.rstrip("s") in v.heads:
        return True
    return prev is not None and prev in v.bound.get(w, ())


def _complete(seg: list[Tok], v: OrgVocab) -> bool:
    """The part before an `and` is a whole name: it ends at a head noun or holds `Ministry of …`."""
    if not seg:
        return False
    if len(seg) == 1 and seg[0].text.isupper() and len(seg[0].text) >= 2:
        return True   # an acronym: "BVIM and the Russian Direct Investment Fund"
    words = [t.folded for t in seg]
    if _is_head(words[-1], words[-2] if len(words) > 1 else None, v):
        return True
    return any(w in v.leads and k + 1 < len(seg) and seg[k + 1].text in ("of", "for", "on") for k, w in enumerate(words))


def _segments(run: Run, v: OrgVocab, text: str, cmentions, known_ends=frozenset()) -> list[list[Tok]]:
    """Split a run where a second name or a person starts, and drop leading offices."""
    toks = run.toks
    segs, cur = [], []
    tail = None   # for each token: (an `of` from there on, a head noun from there on)
    for i, t in enumerate(toks):
        low = t.text.lower()
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        if low == "and" and cur and nxt:
            nw = nxt.folded
            if tail is None:
                tail = _tail_flags(toks, v)
            has_of, has_head = tail[i + 1]
            if nw in v.person_heads or ((nxt.text == "the" or nw in v.leads or _country_at(cmentions, nxt.start, nxt.end)
                                         or (not has_of and has_head))
                                        and (_complete(cur, v) or cur[-1].end in known_ends)) \
                    or (has_head and _only_place(cur, nxt, cmentions)) \
                    or (has_head and not has_of and _country_at(cmentions, nxt.start, nxt.end)):
                segs.append(cur)
                cur = []
                continue
        if low in ("in", "on") and cur:
            pw = cur[-1].folded
            keep = (low == "in" and pw in MISSIONS | {"general"}) or (low == "on" and pw in v.leads)
            if not keep:
                segs.append(cur)
                cur = []
                continue
        cur.append(t)
        if _POSS_TOK.search(t.text) and nxt is not None and t.folded not in NAME_POSSESSIVES \
                and not _country_at(cmentions, t.start, t.end):
            segs.append(cur)   # "Air Force Service's Division 371": two names
            cur = []
    if cur:
        segs.append(cur)
    out = []
    for seg in segs:
        # "First Secretary of the Communist Party ..." -> "Communist Party ..."
        while True:
            idx = next((i for i, t in enumerate(seg) if t.text == "of"), None)
            if idx is None or idx == 0:
                break
            before = [t.folded for t in seg[:idx]]
            if all(w in v.offices or w in ("and", "deputy", "vice", "first", "general", "standing", "permanent", "former")
                   or w.rstrip("s") in v.offices for w in before) and any(w in v.person_heads for w in before) \
                    and seg[idx - 1].folded not in v.heads:
                seg = seg[idx + 1:]
                while seg and seg[0].text.lower() in ("the", "and"):
                    seg = seg[1:]
            else:
                break
        # ("Between Thailand's Ministry of …" at a sentence start: the preposition is not the name's)
        while seg and seg[0].text.lower() in ("the", "a", "an", "and", "of", "between", "with", "from", "by"):
            seg = seg[1:]
        if seg:
            out.append(seg)
    return out


def _only_place(cur: list[Tok], nxt: Tok, cmentions) -> bool:
    """`India and Bangladesh Council of …`, `Roscosmos and the China National Space Administration`: the words
    before `and` are a country or a one-word name, not the start of the body after it."""
    if all(_country_at(cmentions, t.start, t.end) for t in cur):
        return True
    return len(cur) == 1 and nxt.text == "the"


def _tail_flags(toks: list[Tok], v: OrgVocab) -> list[tuple[bool, bool]]:
    flags, has_of, has_head = [(False, False)] * (len(toks) + 1), False, False
    for k in range(len(toks) - 1, -1, -1):
        w = toks[k].folded
        has_of = has_of or w == "of"
        has_head = has_head or _is_head(w, None, v)
        flags[k] = (has_of, has_head)
    return flags


_POSS_TOK = re.compile(r"['’]s$")
NAME_POSSESSIVES = {"people's", "women's", "children's", "workers's", "farmers's", "nation's", "world's", "youth's"}


def _name_like_tail(seg: list[Tok], v: OrgVocab, cmentions) -> int:
    """Index where a trailing person name starts in seg, or len(seg)."""
    n = len(seg)
    i = n
    while i > 0:
        t = seg[i - 1]
        w = t.folded
        if not t.cap or w in v.institution or w in v.offices or _country_at(cmentions, t.start, t.end):
            break
        i -= 1
    tail = seg[i:]
    if not tail:
        return n
    if i > 0 and seg[i - 1].text == "and" and tail[0].folded not in v.surnames:
        return n   # "Council of Scientific and Industrial Research": the portfolio goes on after `and`
    if len(tail) >= 2:
        return i
    return i if tail[0].folded in v.surnames else n


def find_organizations(text: str, folded: str, runs: list[Run], cmentions: list[CountryMention],
                       kb: Knowledge, skip=lambda s, e: False) -> list[Org]:
    v = vocab(kb)
    if not isinstance(cmentions, Mentions):
        cmentions = Mentions(cmentions)
    found: list[Org] = []
    for s, e, info in v.known.find(folded, text):
        if not text[s].isupper() or skip(s, e):
            continue
        if re.match(r"\s+(?:Framework\s+)?Convention\s+(?:on|against|for)\b", text[e:e + 32]):
            continue   # "the United Nations Convention on the Law of the Sea" is a document
        name, country, acr, intl = info
        written = text[s:e]
        if fold(written) != fold(name) and acr != written and len(written.split()) > 1:
            name_out = written  # GUIDE: the name as found in the text ("UN Security Council")
        else:
            name_out = name
        found.append(Org(name_out, s, e, country, acr, intl, [(s, e)], "dictionary" if country else None, canon=name))
    known_ends = frozenset(o.end for o in found)
    index = _Found(found)
    for run in runs:
        for seg in _segments(run, v, text, cmentions, known_ends):
            org = _structural(seg, v, text, cmentions)
            if org and not skip(org.start, org.end) and not _not_a_body(text, org):
                if index.holds(org.start, org.end):
                    continue
                inner = index.starting_in(org.start, org.end)
                if len(inner) > 1:
                    continue   # "the United Nations and the Non-Aligned Movement" are two
                if inner and re.fullmatch(r"(?:\w+\s+){1,2}of\s+(?:the\s+)?", text[org.start:inner[0].start]) \
                        and fold(text[org.start:inner[0].start]).split()[0] in GENERIC | {"congress"}:
                    continue   # "the Committee of the Communist Party of Vietnam": the party is the name
                if inner and org.country is None and inner[0].country:
                    # "Standing Committee of the National People's Congress": a body of a known national one
                    org.country, org.country_how = inner[0].country, f"part of {inner[0].name}"
                if inner and inner[0].start == org.start and inner[0].canon:
                    # "Communist Party of Vietnam Central Committee": keep what the dictionary knows
                    org.acronym, org.international = inner[0].acronym, inner[0].international
                    if inner[0].country:
                        org.country, org.country_how = inner[0].country, inner[0].country_how
                index.drop_within(org.start, org.end)
                index.add(org)
    found = index.orgs()
    found.extend(_described_companies(text, found, cmentions, v, kb, skip))
    found.sort(key=lambda o: o.start)
    _bind_acronyms(text, found, v, cmentions)
    found = _full_forms(text, found, runs, v, cmentions)
    found = _drop_party_organs(text, found)
    return _acronym_forms(_merge(found), v)


_DESK = LazyPattern(r"\s*[:|]")


def _not_a_body(text: str, org: Org) -> bool:
    """`TNI Bureau:` opening a line is the outlet's news desk, not a body of the story."""
    line_start = text.rfind("\n", 0, org.start) + 1
    return org.name.endswith("Bureau") and bool(_DESK.match(text, org.end)) \
        and not text[line_start:org.start].strip()


class _Found:
    """The organisations found so far, in the order found, with lookups by position."""

    def __init__(self, orgs: list[Org]):
        self._by_seq: dict[int, Org] = {}
        self._keys: list[tuple[int, int]] = []     # (start, order found), sorted
        self._longest = self._next = 0
        for o in orgs:
            self.add(o)

    def add(self, o: Org) -> None:
        seq, self._next = self._next, self._next + 1
        self._by_seq[seq] = o
        insort(self._keys, (o.start, seq))
        self._longest = max(self._longest, o.end - o.start)

    def holds(self, s: int, e: int) -> bool:
        """Some organisation spans all of text[s:e]."""
        # one that does starts at most `longest` characters before e
        lo = bisect_left(self._keys, (e - self._longest, -1))
        hi = bisect_right(self._keys, (s, float("inf")))
        return any(self._by_seq[q].end >= e for _, q in self._keys[lo:hi])

    def starting_in(self, s: int, e: int) -> list[Org]:
        """The organisations that start inside text[s:e], in the order found."""
        lo, hi = bisect_left(self._keys, (s, -1)), bisect_left(self._keys, (e, -1))
        return [self._by_seq[q] for q in sorted(q for _, q in self._keys[lo:hi])]

    def drop_within(self, s: int, e: int) -> None:
        lo, hi = bisect_left(self._keys, (s, -1)), bisect_left(self._keys, (e, -1))
        gone = [k for k in self._keys[lo:hi] if self._by_seq[k[1]].end <= e]
        for k in gone:
            del self._keys[bisect_left(self._keys, k)]
            del self._by_seq[k[1]]

    def orgs(self) -> list[Org]:
        return [self._by_seq[q] for q in sorted(self._by_seq)]


_ACRONYM_FIRST = re.compile(r"([A-Z]{2,6})\s+(.+)")


def _acronym_forms(orgs: list[Org], v: OrgVocab) -> list[Org]:
    """`the NPC Standing Committee` is the `Standing Committee of the National People's Congress`."""
    # the long forms of acronyms: this text's own first, then the dictionary's
    full = {o.acronym: o.canon or o.name for o in orgs if o.acronym}
    by_key = {o.key: o for o in orgs}
    out = []
    for o in orgs:
        m = _ACRONYM_FIRST.fullmatch(o.name)
        target = None
        if m and (m.group(1) in full or m.group(1) in v.acronyms):
            long = full[m.group(1)] if m.group(1) in full else v.acronyms[m.group(1)][0]
            for form in (f"{m.group(2)} of the {long}", f"{m.group(2)} of {long}"):
                target = by_key.get(org_key(form))
                if target is not None and target is not o:
                    break
                target = None
        if target is None:
            out.append(o)
            continue
        target.spans = sorted(set(target.spans + o.spans))
        if target.country is None and o.country:
            target.country, target.country_how = o.country, o.country_how
    return out


# "French rail company Alstom", "German companies such as Siemens Energy", "state phosphate group OCP"
# one of these is in every match of _COMPANY
_COMPANY_WORDS = ("compan", "firm", "group", "conglomerate", "giant", "carrier", "operator", "maker", "manufacturer",
                  "producer", "lender", "insurer", "shipbuilder", "consortium", "start", "exporter", "supplier",
                  "contractor", "developer", "enterprise")
_COMPANY = LazyPattern(r"\b(?:company|companies|firm|firms|group|conglomerate|giant|carrier|operator|maker|manufacturer|"
                      r"producer|lender|insurer|shipbuilder|automaker|carmaker|consortium|start-?up|exporter|supplier|"
                      r"contractor|developer|enterprises?)\s+(?:such\s+as\s+|like\s+|including\s+)?"
                      r"(?P<name>[A-Z][\w&’'.-]*(?:\s[A-Z][\w&’'.-]*){0,2})")
_COMPANY_COUNTRY = LazyPattern(r"(?:['’]s?\s+|\s+)(?:[a-z][\w-]*\s+){0,3}$")


def _described_companies(text: str, found: list[Org], cmentions, v: OrgVocab, kb: Knowledge, skip) -> list[Org]:
    """Names the text itself calls a company or group, with the country of the adjective before."""
    not_names = v.not_names
    out = []
    if not any(w in text for w in _COMPANY_WORDS):
        return out
    named = SpanIndex(sp for o in found for sp in o.spans)
    for m in _COMPANY.finditer(text):
        s, e = m.span("name")
        name = m.group("name").rstrip(".")
        e = s + len(name)
        words = [fold(w) for w in name.split()]
        # (the names found here are in order and do not overlap: only the last can hold s)
        if skip(s, e) or named.covers(s) or (out and out[-1].start <= s < out[-1].end):
            continue
        if words[0] in not_names or any(w in v.person_heads or w in ("january", "february", "march", "april", "may", "june", "july",
                                                          "august", "september", "october", "november", "december",
                                                          "monday", "tuesday", "wednesday", "thursday", "friday",
                                                          "saturday", "sunday")
               for w in words):
            continue
        if cmentions.overlapping(s, e) is not None or fold(name) in v.agencies:
            continue
        if m.start() > 0 and text[m.start() - 1:m.start()].isupper():
            continue
        country = how = None
        for c in cmentions.starting_between(m.start() - 45, m.start()):
            if m.start() - 45 <= c.start and c.end <= m.start() and _COMPANY_COUNTRY.fullmatch(text[c.end:m.start()]):
                country, how = c.code, "adjective"
        out.append(Org(name, s, e, country, None, False, [(s, e)], how))
    return out


_DASHED = LazyPattern(r"((?:[A-ZÀ-Ỹ][\w’'.]*\s+){0,3}[A-ZÀ-Ỹ][\w’'.]*)\s+[-–]\s+$")


def _structural(seg: list[Tok], v: OrgVocab, text: str, cmentions) -> Org | None:
    words = [t.folded for t in seg]
    full_start = seg[0].start
    # a leading ordinal: "the 7th National Assembly" is the National Assembly; "the 29th … Forum" is a gathering
    ordinal = bool(seg and seg[0].text[:1].isdigit())
    if ordinal:
        seg, words = seg[1:], words[1:]
    # a leading country adjective or possessive is the country, not the name
    country = how = None
    i = 0  # the first word after the leading countries (sliced once: a run of country words stays linear)
    while i < len(seg):
        cm = _country_at(cmentions, seg[i].start, seg[i].end)
        if not cm:
            break
        k = i
        while k < len(seg) and seg[k].start < cm.end:
            k += 1
        if k == len(seg) or seg[k].text.lower() in ("of", "and"):
            break
        country, how = cm.code, "adjective"
        i = k
    seg, words = seg[i:], words[i:]
    if not seg:
        return None
    lead_idx = next((i for i, w in enumerate(words) if (w in v.leads or w in v.heads) and seg[i].cap
                     and i + 1 < len(seg) and seg[i + 1].text in ("of", "for", "on")), None)
    head_idxs = [i for i, w in enumerate(words) if _is_head(w, words[i - 1] if i else None, v) and seg[i].cap
                 and not _country_at(cmentions, seg[i].start, seg[i].end)
                 and not cmentions.around(seg[i].start)]
    if lead_idx is None and not head_idxs:
        return None
    if lead_idx is not None:
        cut = _name_like_tail(seg[lead_idx:], v, cmentions)
        end_i = lead_idx + cut
    else:
        end_i = head_idxs[-1] + 1
        if end_i < len(seg) and seg[end_i].text == "of":
            end_i = _name_like_tail(seg, v, cmentions)
    body = seg[:end_i]
    if lead_idx is None:
        # "President Miguel Díaz-Canel and Army General …": a person's office is not part of a name
        office = max((k for k, t in enumerate(body) if t.folded in v.person_heads and k + 1 < len(body)
                      and body[k + 1].folded not in v.institution), default=None)
        if office is not None:
            ands = [k for k, t in enumerate(body) if t.text == "and" and k > office]
            body = body[ands[-1] + 1:] if ands else body[office + 1:]
            if ands:
                # "Thai Prime Minister X and Cambodian Senate President …": the adjective after `and` is the body's
                country = how = None
                while body:
                    cm = _country_at(cmentions, body[0].start, body[0].end)
                    if not cm:
                        break
                    rest = [t for t in body if t.start >= cm.end]
                    if not rest or rest[0].text.lower() in ("of", "and"):
                        break
                    country, how, body = cm.code, "adjective", rest
    while body and body[-1].text.lower() in ("of", "the", "and", "for", "on", "with", "in"):
        body = body[:-1]
    if not body:
        return None
    if ordinal and any(t.folded in GATHERINGS for t in body):
        return None
    # "Ministry of Public Security of Việt Nam": the trailing country is not part of the name
    ofs = [i for i, t in enumerate(body) if t.text == "of"]
    if len(ofs) >= 2:
        last = ofs[-1]
        cm = _country_at(cmentions, body[last + 1].start, body[last + 1].end) if last + 1 < len(body) else None
        if cm and cm.end >= body[-1].end:
            country, how = cm.code, "of"
            body = body[:last]
    # "Congress of the Communist Party of Cuba" is the party's congress: a gathering
    if body[0].folded in ("congress", "plenum") or (len(body) > 1 and body[1].folded == "congress"):
        of = next((k for k, t in enumerate(body) if t.text == "of"), None)
        if of is not None and any(t.folded == "party" for t in body[of:]):
            inner = [t for t in seg[of + 1:] if t.text.lower() != "the" or t is not seg[of + 1]]
            return _structural(inner, v, text, cmentions) if inner else None
    bwords = [t.folded for t in body]
    content = [w for w in bwords if w not in ("of", "the", "and", "for", "on", "with", "in")]
    solo = len(content) == 1 and ((country and content[0] in SOLO_HEADS)
                                  or (re.match(r"\s+\d{1,4}\b", text[body[-1].end:]) and content[0] in v.heads))
    if (len(content) < 2 and not solo) or all(w in GENERIC or w.rstrip("s") in GENERIC for w in content):
        return None
    if all(w in v.person_heads or w in ("general", "party", "state", "major", "lieutenant", "vice", "deputy", "first")
           for w in content):
        return None
    return _finish(body, seg, v, text, cmentions, country, how, full_start)


def _finish(body, seg, v: OrgVocab, text: str, cmentions, country, how, full_start) -> Org | None:
    start, end = body[0].start, body[-1].end
    if _POSS_TOK.search(body[-1].text):
        end -= 2   # "the Vietnamese Communist Party’s newspaper"
    name = text[start:end]
    if fold(name) in v.agencies or fold(text[full_start:end]) in v.agencies:
        return None   # "Vietnam News Agency" is a source
    if cmentions.holding(start, end):
        return None   # "the Russian Federation" is a country
    after = text[end:end + 40]
    doc = re.match(r"\s+([A-Z]\w+)", after)
    if doc and fold(doc.group(1)) in DOCUMENTS:
        return None   # "the Visiting Forces Agreement"
    num = re.match(r"\s+\d{1,4}\b", after)
    if num and _is_head(body[-1].folded, None, v):
        end += num.end()   # "Division 371", "Air Force Regiment 921"
        name = text[start:end]
    if body[-1].folded in MISSIONS | {"general"}:
        place = re.match(r"\s+in\s+((?:[A-ZÀ-Ỹ][\w’'-]*\s?){1,3})", after)
        if place:
            end = end + place.end() - (1 if place.group(0).endswith(" ") else 0)
            name = text[start:end].rstrip()
            end = start + len(name)
    before = text[max(0, full_start - 30):full_start]
    if country is None and len(name.split()) == 2 and re.search(r"\b[a-z]+\s+and\s+$", before):
        return None   # "a nuclear science and Technology Center": a description, not a name
    if re.search(r"/\s*$", before) and name.isupper():
        return None   # a photo credit: "EFE/EPA/…/GOVERNMENT PRESS SERVICE"
    dashed = before.rstrip().endswith(("-", "–")) and _DASHED.search(before)
    if dashed:
        left_start = full_start - len(before) + dashed.start(1)
        lcms = cmentions.starting_between(left_start, full_start)
        if lcms and all(m.start == left_start for m in lcms[:1]) and text[lcms[-1].end:full_start].strip() == "-":
            # "Vietnam - Cambodia Joint Committee": a body of two countries
            start, country, how = left_start, None, "joint body"
        elif not lcms or lcms[0].start == left_start:
            if lcms:
                country, how = lcms[0].code, "adjective"
                left_start = lcms[0].end + 1
            start = left_start   # "Việt Nam National Industry - Energy Group"
        name = text[start:end]
        if country is None and how == "joint body":
            return Org(name, start, end, None, None, True, [(start, end)], how)
    if country is None:
        cm = _country_at(cmentions, start, end)
        if cm:
            country, how = cm.code, "in name"
    return Org(name, start, end, country, None, False, [(start, end)], how)


def _full_forms(text: str, orgs: list[Org], runs: list[Run], v: OrgVocab, cmentions) -> list[Org]:
    """`Việt Nam National Industry - Energy Group (Petrovietnam)`, `Petroleum of Venezuela (PDVSA)`:
    a known name in brackets after a written-out name is that name's short form."""
    out = list(orgs)
    ends = {r.end: r for r in runs}
    for d in orgs:
        if d.canon is None or d.start < 2 or text[d.start - 1] != "(" or text[d.end:d.end + 1] != ")":
            continue
        host = next((o for o in out if o is not d and 0 <= d.start - 2 - o.end <= 1 and text[o.end:d.start].strip() == "("), None)
        if host is None:
            run = ends.get(d.start - 2)
            if run is None or text[run.end:d.start] != " (":
                continue
            segs = _segments(run, v, text, cmentions)
            seg = segs[-1] if segs else None
            country = how = None
            while seg and _country_at(cmentions, seg[0].start, seg[0].end):
                cm = _country_at(cmentions, seg[0].start, seg[0].end)
                country, how = cm.code, "adjective"
                seg = [t for t in seg if t.start >= cm.end]
            if not seg or len(seg) < 2 or not seg[0].cap or seg[-1].text.lower() in ("of", "the", "and"):
                continue
            if any(t.folded in v.person_heads for t in seg):
                continue
            host = Org(text[seg[0].start:seg[-1].end], seg[0].start, seg[-1].end, country, None, False,
                       [(seg[0].start, seg[-1].end)], how)
            out.append(host)
        host.spans.extend(d.spans)
        host.canon = host.canon or d.canon
        host.acronym = host.acronym or d.acronym or text[d.start:d.end]
        host.international = host.international or d.international
        if d.country:
            host.country, host.country_how = d.country, d.country_how
        out.remove(d)
    out.sort(key=lambda o: o.start)
    return out


def _drop_party_organs(text: str, orgs: list[Org]) -> list[Org]:
    """`the Communist Party of Vietnam (CPV) Central Committee`, `the CPV Central Committee`: the party is the
    organisation (GUIDE); its Central Committee is kept as a span of the party, not as another organisation."""
    out: list[Org] = []
    parties: list[Org] = []     # the parties among `out`, and their acronyms
    acrs: set[str] = set()
    for o in sorted(orgs, key=lambda o: o.start):
        name = text[o.start:o.end]
        cut = name.rfind(" Central Committee")
        words = name.split()
        organ_only = o.key == "central committee" or (len(words) == 3 and words[0] in acrs
                                                        and o.key.endswith("central committee"))
        if organ_only:
            owner = [p for p in parties if p.acronym == words[0]] or parties
            if owner:
                owner[-1].spans.append((o.start, o.end))
            continue
        if cut > 0 and name.endswith(" Central Committee") and "party" in fold(name[:cut]).split() \
                and o.canon is None and (o.start, o.end) in o.spans:
            short = Org(name[:cut], o.start, o.start + cut, o.country, o.acronym, o.international,
                        [sp for sp in o.spans if sp != (o.start, o.end)] + [(o.start, o.start + cut)], o.country_how)
            organ = (o.start + cut + 1, o.end)
            fuller = [p for p in parties if short.key != p.key and set(short.key.split()) < set(p.key.split())]
            if fuller:
                # "the Communist Party Central Committee", after the Communist Party of China
                fuller[-1].spans.extend(short.spans + [organ])
                continue
            short.spans.append(organ)
            o = short
        out.append(o)
        if "party" in o.key.split():
            parties.append(o)
            if o.acronym:
                acrs.add(o.acronym)
    return out


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
    taken = SpanIndex(sp for o in orgs for sp in o.spans)
    for s, e, acr in _acronym_matches(text, acrs, v):
        if taken.contains(s, e) or cmentions.holding(s, e):
            continue
        owner = acrs[acr]
        if owner is not None:
            owner.spans.append((s, e))
        else:
            name, country, acr, intl = v.acronyms[acr]
            extra.append(Org(name, s, e, country, acr, intl, [(s, e)], "dictionary" if country else None))
    orgs.extend(extra)


def _free(ch: str) -> bool:
    """An acronym does not touch a letter, digit, underscore or slash."""
    return not (ch.isalnum() or ch == "_" or ch == "/")


def _acronym_matches(text: str, acrs: dict, v: OrgVocab) -> list[tuple[int, int, str]]:
    """Every acronym written as a word of its own: scanning from the left, at each place the longest
    that fits, the next one after its end."""
    found = []
    if v.acronym_finder is not None:
        for end_idx, a in v.acronym_finder.iter(text):
            found.append((end_idx + 1 - len(a), a))
    for a in acrs:
        if a not in v.acronyms:
            i = text.find(a)
            while i >= 0:
                found.append((i, a))
                i = text.find(a, i + 1)
    found.sort(key=lambda f: (f[0], -len(f[1])))
    out, pos, n = [], 0, len(text)
    for s, a in found:
        e = s + len(a)
        if s < pos or (s > 0 and not _free(text[s - 1])) or (e < n and not _free(text[e])):
            continue
        out.append((s, e, a))
        pos = e
    return out


def _merge(orgs: list[Org]) -> list[Org]:
    """One organisation per name, acronym or dictionary entry; the same name in two countries stays two
    (`the Vietnamese Ministry of Foreign Affairs and the Singaporean Ministry of Foreign Affairs`)."""
    by_key: dict[str, list[Org]] = {}
    by_acr: dict[str, Org] = {}
    out: list[Org] = []
    for o in sorted(orgs, key=lambda o: o.start):
        same = [t for t in by_key.get(o.key, []) + by_key.get("canon:" + (o.canon or ""), [])
                if t.country is None or o.country is None or t.country == o.country]
        target = same[-1] if same else (by_acr.get(o.acronym) if o.acronym else None)
        if target is None and o.acronym is None:
            target = by_acr.get(o.name)
        if target is None:
            by_key.setdefault(o.key, []).append(o)
            if o.canon:
                by_key.setdefault("canon:" + o.canon, []).append(o)
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


_PARENT = LazyPattern(r"\s+(?:under|of|within|at|belonging to)\s+(?:the\s+)?")


def infer_countries(text: str, orgs: list[Org], home: str | None, kb: Knowledge | None = None) -> None:
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
    if kb is not None:
        # "the NPC Standing Committee": a known national acronym inside the name gives the country
        acrs = vocab(kb).acronyms
        for o in orgs:
            if o.country or o.international:
                continue
            hit = next((acrs[w] for w in re.findall(r"\b[A-Z]{2,6}\b", o.name) if w in acrs and acrs[w][1]), None)
            if hit:
                o.country, o.country_how = hit[1], f"named after {hit[0]}"
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
