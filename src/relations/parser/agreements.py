"""Find the documents an article refers to: what kind, signed or planned or existing.

A document noun (`agreement`, `MoU`, `joint statement`, …) anchors each
reference; the words around it in the same sentence tell its status, and its
description tells its topics. Vague references (`the agreements reached`) are
not documents.
"""

from __future__ import annotations

import calendar
import re
from bisect import bisect_left, bisect_right, insort
from dataclasses import dataclass, field
from typing import NamedTuple

from relations.knowledge import Knowledge, Matcher
from relations.text import LazyPattern, SpanIndex, fold


@dataclass
class Agreement:
    kind: str
    status: str
    parties: list[str]
    topics: list[str]
    text: str
    span: tuple[int, int]
    evidence: dict = field(default_factory=dict)


class AgreementVocab(NamedTuple):
    nouns: Matcher
    vague: Matcher
    status: dict


def vocab(kb: Knowledge) -> AgreementVocab:
    cached = kb.cache.get("agreements")
    if cached:
        return cached
    data = kb.data.get("agreements", {})
    entries = [(n, kind) for kind, nouns in (data.get("kinds") or {}).items() for n in nouns or []]
    status = {}
    for st, cues in (data.get("status") or {}).items():
        words = sorted((fold(c) for c in cues or []), key=len, reverse=True)
        status[st] = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b") if words else None
    v = AgreementVocab(Matcher(entries), Matcher((p, True) for p in data.get("vague") or []), status)
    kb.cache["agreements"] = v
    return v


_RIGHT_END = re.compile(r"[;:!?\"“”()]|\.(?!\d)|,\s+(?!and\b)|,?\s+and\s+(?:to|will|would|also)\s|\s+and\s+[a-z]+ed\s+(?=(?:the|a|an|\d+)\s)|\s+(?:which|that|who|marking|as|while|during|after|before|when|"
                        r"at|in\s+(?:the\s+)?presence|was|were|is|are|will|would|has|have)\b")
# "(MOU)", "(UNCLOS)": an acronym in brackets right after the noun does not end the phrase
_ACRONYM = re.compile(r"\s*\([A-Z][A-Za-z]{1,9}s?\)")
# a list comma: ", defense, maritime cooperation, and other industries"
# (an item that opens with a verb in -ing, ", promoting collaboration in …", starts a clause instead)
_LIST_COMMA = LazyPattern(r",\s+(?:(?![\w’'-]+ing\s)[\w’'-]+\s+(?:[\w’'-]+\s+){0,2}?)?[\w’'-]+(?=,|\s+(?:and|or)\b)")
_MONEY = LazyPattern(r"\(\s*(?:US)?[$€£¥]\s?[\d.,]+\s*(?:bn|billion|million|mn|m|trillion|tn)?\s*\)")
_DETERMINERS = {"a", "an", "the", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
                "twelve", "several", "many", "new", "these", "those", "this", "its", "their", "other", "another",
                "some", "all", "both", "such"}
_LEFT_BREAK = {"signed", "sign", "signing", "of", "to", "on", "and", "for", "with", "inked", "witnessed", "between",
               "drafting", "implement", "implementing", "negotiate", "that", "which", "under", "by", "in", "at",
               "following", "adopt", "adopted", "reviewed", "issued", "exchanged", "include", "included", "includes",
               "where", "when", "while", "as", "after", "before", "during", "like"}
_COUNT = re.compile(r"^(?:\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|many|a number of|"
                    r"a series of|a range of|dozens of|nearly \d+|some \d+|about \d+|more than \d+)\b")
_ANAPHOR = re.compile(r"^(?:the|these|those|this|such|both|all)\s+(?:(?:following|above|said|two|new|signed|latest)\s+)?$")
_INCLUDED = LazyPattern(r"^[\s,]*(?:which|that)\s+(?:includes?|included|covers?|covered|comprises?|comprised|"
                       r"contains?|contained|consists? of|groups?)\b")
_NAMED = re.compile(r"[A-Z][\w’'-]*\s+(?:[A-Z][\w’'-]*\s+|of\s+|on\s+|the\s+|for\s+)*$")
# a capital that names nothing: a sentence's first article ("An MoU between …") or an acronym noun ("MoU")
_ARTICLE_ONLY = re.compile(r"(?:A|An|The|This|That|These|Those|Another|One|Each)\s+$")
_ACRONYM_NOUN = re.compile(r"(?:MO[UC]|Mo[UC])s?")
# a line of a list: "▪︎ An MoU between …", "- Agreement on …", "3. MoU on …"
_LIST_ITEM = re.compile(r"\s*(?:[▪•●◦■□◆►*·–—-]\ufe0e?|\(?\d{1,2}[.)]|\(?[a-z][.)])\s*")


def _phrase(text: str, s: int, e: int, sent: tuple[int, int]) -> tuple[int, int]:
    """The noun phrase around a document noun: its modifiers before and its `on/between …` after."""
    left = s
    seg = text[sent[0]:s]
    words = list(re.finditer(r"\S+", seg))
    k = len(words)
    while k > 0:
        w = words[k - 1].group().strip(",")
        lw = w.lower().strip("\"“”")
        if lw in _DETERMINERS or re.fullmatch(r"\d+", lw):
            left = sent[0] + words[k - 1].start()
            break
        if lw in _LEFT_BREAK or words[k - 1].group().endswith((",", ".", ":", ";")):
            break
        left = sent[0] + words[k - 1].start()
        k -= 1
    pos = e
    acr = _ACRONYM.match(text, pos, sent[1])
    if acr:
        pos = acr.end()
    while True:
        m = _RIGHT_END.search(text, pos, sent[1])
        if m and m.group() == "(":
            money = _MONEY.match(text, m.start(), sent[1])
            if money:
                pos = money.end()   # "22 agreements worth 10 billion euros ($10.8bn) in sectors …"
                continue
        if m and m.group().startswith(","):
            lc = _LIST_COMMA.match(text, m.start(), sent[1])
            if lc and lc.end() - e < 200:
                pos = lc.end()
                continue
        break
    right = m.start() if m else sent[1]
    right = min(right, e + 240)
    return left, right


def _ref_date(pub):
    if pub is None or isinstance(pub, int):
        return None
    return pub


def find_agreements(text: str, folded: str, sents: list[tuple[int, int]], kb: Knowledge,
                    exclude: list[tuple[int, int]], topics_in, parties: list[str], pub,
                    org_countries) -> list[Agreement]:
    """Documents the text refers to. `pub` is the publication date (or just its year)."""
    v = vocab(kb)
    ref = _ref_date(pub)
    pub_year = pub if isinstance(pub, int) else (pub.year if pub else None)
    vague = v.vague.find(folded, text)
    out: list[Agreement] = []
    cue_in: dict[int, str] = {}     # sentence index -> status found there (carried to a following list or sentence)
    nouns = v.nouns.find(folded, text)
    starts = [n[0] for n in nouns]
    excluded = SpanIndex(exclude)
    sent_starts = [a for a, _ in sents]
    vague_spans = SpanIndex((a, b) for a, b, _ in vague)
    out_ends: set[int] = set()          # where the documents found so far end
    out_starts: list[int] = []          # where they start, in order
    out_kinds: set[tuple[str, str]] = set()
    for s, e, kind in nouns:
        if excluded.contains(s, e):
            continue
        # sentences are in order and do not overlap: only the last one starting at or before s can hold it
        idx = bisect_right(sent_starts, s) - 1
        if idx < 0 or not s < sents[idx][1]:
            idx = None
        sent = sents[idx] if idx is not None else (max(0, s - 200), min(len(text), e + 200))
        if vague_spans.covers(s):
            # not a document, but "The agreements were signed …, as well as documents on …" still tells the status
            st = _status(folded, sent, s, e, v, pub_year, ref)
            if st and idx is not None:
                cue_in.setdefault(idx, st)
            continue
        left, right = _phrase(text, s, e, sent)
        phrase = text[left:right].strip()
        low = fold(phrase)
        mods = fold(text[left:s])
        how = "cue"
        # a second document in the phrase ("a cooperation agreement on … and an MOU on …") starts its own
        nxt = None
        for ns in starts[bisect_right(starts, e):bisect_left(starts, right)]:
            nxt = ns if nxt is None else nxt
            co = _COORD.search(text, max(e, ns - 60), ns)
            if co:
                right = co.start()
                phrase = text[left:right].strip()
                low = fold(phrase)
                break
        st_right = right
        if nxt is not None and nxt < right:
            # "a defence agreement to replace the Lombok Treaty signed in 2006": the other document's words are its own
            det = re.search(r"\b(?:the|a|an|its|their)\s+(?:[\w’'-]+\s+){0,4}$", text[max(e, nxt - 60):nxt])
            st_right = max(e, nxt - 60) + det.start() if det else nxt
        status = _status(folded, sent, left, st_right, v, pub_year, ref, nested=nxt is not None and nxt < right,
                         noun_end=e)
        if status == "planned" and _NAMED.search(text[left:s]) and text[s].isupper() and text[left:left + 4] == "the " \
                and re.search(r"\b(?:talks|discussions|consultations)\b[^.;]{0,60}\bon\s+$", folded[max(sent[0], left - 80):left]) \
                and not re.search(r"\b(?:sign|conclude|finali[sz]e|negotiat\w*)\b", folded[max(sent[0], left - 80):left]):
            status, how = "existing", "talks on a named document"
        named = _named(text, left, s, e)
        if status is None and idx is not None:
            if idx in cue_in:
                status, how = cue_in[idx], "carried from earlier in the sentence"
            elif idx - 1 in cue_in and not (named and text[left:left + 4] == "the "):
                # (a named document "the … Agreement" does not take the status of the sentence before)
                status, how = cue_in[idx - 1], "carried from the sentence before"
        if status is None and kind == "joint-statement":
            status, how = "signed", "a joint statement is issued at the event"
        if status is None and cue_in and _list_item(text, left):
            # "The MoUs are: ▪ An MoU on …": an item of a list takes the status told before the list
            status, how = cue_in[max(cue_in)], "an item of a list"
        if status is None and named:
            status, how = "existing", "a named document"
        if status is None:
            continue
        if idx is not None and (status != "existing" or how != "cue" or idx not in cue_in):
            cue_in[idx] = status
        # "the agreement", "The documents signed", "The following MOUs": another mention of one already found
        if _ANAPHOR.match(mods) and not _described(low, e - left) and out and not (
                status == "existing" and how == "cue" and re.match(r"\s+(?:under|of)\s+(?:the\s+)?[A-Z]", text[e:e + 12])):
            # (an existing document named by its own reference, "the MoU under Article 6 of …", is not a re-mention)
            continue
        # "…Agreement, which includes 22 bilateral agreements": part of the document before
        if out_ends and any(p in out_ends and _INCLUDED.match(text[p:left]) for p in range(max(0, s - 79), s + 1)):
            continue
        if kind == "plan" and not re.search(r"cooperation|action|work|joint|plan|roadmap|programme|program", low):
            continue
        # "an agreement …, on a cooperation programme focusing on …": the programme is what the document is about
        if kind == "plan" and re.search(r"\bon\s+(?:(?:a|an|the)\s+)?$", fold(text[max(sent[0], left - 8):left])) and \
                bisect_left(out_starts, sent[0]) < bisect_left(out_starts, left):
            continue
        # a word inside a name is not a topic, unless the names are all the phrase says:
        # then the first signatory's name tells the field ("between the Department of Cybersecurity and …")
        names = sorted(sp for sp in exclude if left <= sp[0] and sp[1] <= right)
        tops = sorted(topics_in(left, right, names))
        if not tops and names:
            tops = sorted(topics_in(names[0][0], names[0][1]))
        ag_parties = sorted(set(org_countries(left, right)) | set(parties)) if parties else sorted(set(org_countries(left, right)))
        a = Agreement(kind, status, ag_parties[:2] if len(parties) >= 2 else ag_parties, tops, phrase, (left, right),
                      {"status": how, "before": folded[max(0, left - 16):left],
                       "plural": folded[e - 1] == "s" and kind != "minutes", "described": _described(low, e - left)})
        # "cooperation documents" named twice, neither described: one document
        # (one between named signatories is its own: "MoU between Prasar Bharati and Bangladesh Television")
        if not tops and not _described(low, e - left) and (kind, status) in out_kinds \
                and not (names and re.search(r"\bbetween\b", low)):
            continue
        for got in _split(a, text, e, topics_in):
            out.append(got)
            out_ends.add(got.span[1])
            insort(out_starts, got.span[0])
            out_kinds.add((got.kind, got.status))
    out = _dedupe(out)
    return _drop_umbrellas(out)


_ABOUT = re.compile(r"\s*(?:\([^)]{1,12}\)\s*)?(?:between\s[^,;.]{0,150}?\s)?"
                    r"(?:on|about|concerning|regarding|covering|in the (?:field|area)s? of)\b")


def _named(text: str, left: int, s: int, e: int) -> bool:
    """`the Comprehensive Partnership Agreement`: capitalised words before a capitalised noun name a document."""
    before = text[left:s]
    return bool(text[s].isupper() and _NAMED.search(before) and not _ARTICLE_ONLY.fullmatch(before)
                and not (_ACRONYM_NOUN.fullmatch(text, s, e) and not before.strip(" ").istitle()))


def _list_item(text: str, left: int) -> bool:
    line = text.rfind("\n", 0, left) + 1
    return line > 0 and bool(_LIST_ITEM.fullmatch(text, line, left) or
                             (_LIST_ITEM.match(text, line) and _ARTICLE_ONLY.fullmatch(text, _LIST_ITEM.match(text, line).end(), left)))


def _described(low: str, noun_end: int) -> bool:
    """Does the phrase go on to say what the document is about (`the MoU on …`)?"""
    rest = low[noun_end:]
    return bool(_ABOUT.match(rest))


# "…, and a cooperation agreement on …": a second document coordinated with the first
_COORD = LazyPattern(r",?\s+and\s+(?:(?:a|an|the|another|other|also)\s+)?(?:[\w’'-]+\s+){0,4}?(?=\S*$)")
_AND_ON = LazyPattern(r",?\s+and\s+(?=(?:on|in the (?:field|area)s? of)\b)")


def _split(a: Agreement, text: str, noun_end: int, topics_in) -> list[Agreement]:
    """`agreements on X and on Y` (a plural noun with two descriptions): one entry per description."""
    s, e = a.span
    if not fold(text[noun_end - 1:noun_end]) == "s":
        return [a]
    if not _described(fold(text[s:e]), noun_end - s):
        # "agreements to cooperate in a range of economic fields and on anti-terrorism measures"
        return _split_fields(a, text, noun_end, topics_in) if _TO_COOPERATE.match(text, noun_end) else [a]
    m = _AND_ON.search(text, noun_end, e)
    if not m:
        return _split_fields(a, text, noun_end, topics_in)
    first = Agreement(a.kind, a.status, a.parties, sorted(topics_in(s, m.start())), text[s:m.start()].strip(),
                      (s, m.start()), dict(a.evidence))
    second = Agreement(a.kind, a.status, a.parties, sorted(topics_in(m.end(), e)), text[m.end():e].strip(),
                       (m.end(), e), dict(a.evidence, split="second description of a plural document noun"))
    if not first.topics or not second.topics:
        return [a]
    return [first, second]


_FIELDS_START = LazyPattern(r"\b(?:on|in|of|about|covering|concerning|regarding|including|such as)\s+"
                            r"(?:(?:the|a)\s+)?(?:(?:fields?|areas?|sectors?|spheres?|range)\s+of\s+)?")
_FIELD_NAMES = LazyPattern(r"\b(?:in|on)\s+the\s+(?:fields?|areas?|sectors?|spheres?)\s+of\s+")
_TO_COOPERATE = LazyPattern(r"\s+to\s+(?:cooperate|collaborate|work\s+together)\b")
_OPEN_LIST = LazyPattern(r"\b(?:and|or)\s+(?:many\s+|several\s+|various\s+)?other\b|\betc\b")
_CLAUSE = LazyPattern(r"(?:also\s+|then\s+)?[a-z]+ed\s+(?:the|a|an|\d+|two|three|four|five|six|seven|eight|nine|ten|"
                      r"several|new|its|their)\b|(?:will|would|is|are|was|were|has|have|had)\b")
_FIELD_SEP = LazyPattern(r",\s*(?:and\s+|as\s+well\s+as\s+)?|\s+(?:and|as\s+well\s+as)\s+")


def _split_fields(a: Agreement, text: str, noun_end: int, topics_in) -> list[Agreement]:
    """`MoUs on trade, health and culture`: a plural document noun over a list of fields is one document
    per field, each with its own topics."""
    s, e = a.span
    m = _FIELD_NAMES.search(text, noun_end, e) or _FIELDS_START.search(text, noun_end, e)
    if not m:
        return [a]
    if _OPEN_LIST.search(text, m.end(), e):
        return [a]   # "agreements on security, defence and other industries": a summary, not a count of documents
    pieces, at = [], m.end()
    for sep in _FIELD_SEP.finditer(text, m.end(), e):
        pieces.append((at, sep.start()))
        at = sep.end()
    pieces.append((at, e))
    out: list[Agreement] = []
    for ps, pe in pieces:
        if _CLAUSE.match(text, ps):
            break   # "MoUs on capacity building and inaugurated six projects": the list has ended
        tops = sorted(topics_in(ps, pe))
        if not tops:
            continue
        if out and set(tops) <= set(out[-1].topics):
            continue
        out.append(Agreement(a.kind, a.status, a.parties, tops, text[ps:pe].strip(), (ps, pe),
                             dict(a.evidence, split="one field of a plural document noun")))
    return out if len(out) >= 2 else [a]


def _drop_umbrellas(items: list[Agreement]) -> list[Agreement]:
    """`eight agreements were signed` (or `cooperation documents were signed`), then each one described:
    the umbrella is not a document of its own."""
    out = []
    later: dict[str, list[int]] = {}
    for o in items:
        later.setdefault(o.status, []).append(o.span[0])
    for starts in later.values():
        starts.sort()
    for a in items:
        head = (a.evidence.get("before", "").split(",")[-1] + " " + fold(a.text)).strip()
        head = re.sub(r"^.*\b(?=a number of|a series of|a range of)", "", head)
        head = re.sub(r"^(?:[\w'-]+\s+){0,6}?(?=\d+\s|(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several)\s)", "", head)
        umbrella = _COUNT.match(head) or (a.evidence.get("plural") and not a.evidence.get("described"))
        if umbrella and not a.topics:
            starts = later[a.status]
            if len(starts) - bisect_right(starts, a.span[0]) >= 2:
                continue
        out.append(a)
    return out


def _status(folded: str, sent, left: int, right: int, v: AgreementVocab, pub_year, ref=None,
            nested: bool = False, noun_end: int | None = None) -> str | None:
    before = folded[max(sent[0], left - 90):left]
    inside = folded[left:right]
    after = "" if nested else folded[right:min(sent[1], right + 60)]
    around = before + " " + inside
    # the cue words of the document's description are what it is about, not its status:
    # "signed the document on the … feasibility study"
    cued = before + " " + folded[left:noun_end] if noun_end and noun_end < right else around
    years = [int(y) for y in re.findall(r"\b(?:19|20)\d\d\b", inside + " " + after)]
    done = re.search(r"\b(?:signed|concluded|issued|adopted|inked|signing)\b", before[-40:] + inside + after)
    if pub_year and years and min(years) < pub_year and done:
        return "existing"
    # "In 2022, Poland signed a framework agreement": a year before the signing verb, in the same sentence
    early = [int(y) for y in re.findall(r"\b(?:19|20)\d\d\b", before)]
    if pub_year and early and max(early) < pub_year and re.search(r"\b(?:signed|concluded|inked)\s+(?:\w+\s+){0,3}$", before):
        return "existing"
    # "The visit comes weeks after Egypt and Saudi Arabia signed an agreement": before the reported event
    if re.search(r"\b(?:weeks|days|months|years|shortly|a week|a month|a year|soon)\s+after\s+[^.;]{0,60}\b(?:signed|concluded|inked)\s+(?:\w+\s+){0,3}$", before):
        return "existing"
    if ref is not None and done and _earlier_month(inside + " " + after, ref):
        return "existing"
    if re.search(r"\bunder\s+$", before) and not re.search(r"\bsign", inside[:30]):
        return "existing"   # "under its Official Security Assistance program"
    if v.status.get("existing") and (v.status["existing"].search(before[-45:]) or
                                     re.search(r"\b(?:previous|previously|earlier|existing)\b", fold(inside[:40]))):
        return "existing"
    planned = v.status.get("planned")
    signed = v.status.get("signed")
    pm = list(planned.finditer(cued)) if planned else []
    sm = list(signed.finditer(cued)) if signed else []
    if not pm and not sm and cued is not around:
        pm = list(planned.finditer(around)) if planned else []
        sm = list(signed.finditer(around)) if signed else []
    if (re.search(r"\b(?:will|to|would|shall|soon|early)\s+(?:also\s+)?(?:be\s+)?(?:\w+ly\s+)?(?:sign|ink|adopt|conclude|finali[sz]e)\b",
                  around)
            or re.search(r"\b(?:will|would|shall|plan\s+to|plans\s+to|aim\s+to|aims\s+to)\s+(?:also\s+)?(?:jointly\s+)?"
                         r"(?:develop|draft|draw\s+up|work\s+out|prepare|negotiate|elaborate)\s+(?:(?:a|an|the)\s+)?(?:\w+\s+){0,3}$",
                         before) or re.search(r"\b(?:swift|speedy|early|prompt|quick)\s+(?:signing|conclusion)\s+of\s+(?:\w+\s+){0,3}$",
                                       before)) and not re.search(r"\b(?:witnessed|attended|held)\s+(?:a|the)\s+(?:\w+\s+)?ceremony\s+to\s+sign\b", around):
        return "planned"
    last_p = pm[-1].end() if pm else -1
    last_s = sm[-1].end() if sm else -1
    if last_p < 0 and last_s < 0:
        if signed and signed.search(after[:40]):
            return "signed"
        if planned and planned.search(after[:40]):
            return "planned"
        return None
    return "planned" if last_p > last_s else "signed"


_IN_MONTH = LazyPattern(r"\b(?:in|on)\s+(?:\d{1,2}\s+)?(january|february|march|april|may|june|july|august|september|october|"
                       r"november|december)(?:\s+\d{1,2})?(?:,?\s+((?:19|20)\d\d))?\b")


_MONTH_NUMBER = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}


def _earlier_month(s: str, ref) -> bool:
    """`signed … in May` in a story of June: concluded before the reported event."""
    for m in _IN_MONTH.finditer(s):
        mon = _MONTH_NUMBER[m.group(1)]
        if m.group(2):
            if (int(m.group(2)), mon) < (ref.year, ref.month):
                return True
        elif mon != ref.month:      # without a year: the most recent such month, so before this one
            return True
    return False


def _dedupe(items: list[Agreement]) -> list[Agreement]:
    if all(a.span[0] <= b.span[0] for a, b in zip(items, items[1:])):
        # in order of their starts: a document is inside an earlier one when it starts before that one's end
        kept: list[Agreement] = []
        reach: dict[str, int] = {}
        for a in items:
            if a.span[0] < reach.get(a.status, -1):
                continue
            kept.append(a)
            reach[a.status] = max(reach.get(a.status, -1), a.span[1])
        return kept
    out: list[Agreement] = []
    for a in items:
        # a document named inside another's phrase is the same one, unless its status differs
        # ("a note amending the framework agreement signed in 2005": signed now, existing before)
        if any(o.span[0] <= a.span[0] < o.span[1] and o.status == a.status for o in out):
            continue
        out.append(a)
    return out
