"""Find the documents an article refers to: what kind, signed or planned or existing.

A document noun (`agreement`, `MoU`, `joint statement`, …) anchors each
reference; the words around it in the same sentence tell its status, and its
description tells its topics. Vague references (`the agreements reached`) are
not documents.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from relations.knowledge import Knowledge, Matcher
from relations.text import fold


@dataclass
class Agreement:
    kind: str
    status: str
    parties: list[str]
    topics: list[str]
    text: str
    span: tuple[int, int]
    evidence: dict = field(default_factory=dict)


@dataclass(frozen=True)
class AgreementVocab:
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


_LEFT_STOP = re.compile(r"(?:^|[.;:!?\"“”()]|\b(?:signed|sign|signing|inked|ink|exchanged|witnessed|drafting|draft|"
                        r"negotiate|implement|implementing|of|to|on|a|an|the|two|seven|five|eleven|\d+|several|"
                        r"these|those|this|that|many|new)\b)", re.I)
_RIGHT_END = re.compile(r"[.;:!?\"“”()]|,\s+(?!and\b)|\s+(?:which|that|who|marking|as|while|during|after|before|when|"
                        r"at|in\s+(?:the\s+)?presence|was|were|is|are|will|would|has|have)\b")


def _phrase(text: str, s: int, e: int, sent: tuple[int, int]) -> tuple[int, int]:
    """The noun phrase around a document noun: its modifiers before and its `on/between …` after."""
    left = s
    seg = text[sent[0]:s]
    words = list(re.finditer(r"\S+", seg))
    k = len(words)
    while k > 0:
        w = words[k - 1].group().strip(",")
        lw = w.lower()
        if lw in ("a", "an", "the", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                  "eleven", "twelve", "several", "many", "new", "these", "those", "this", "its", "their") or re.fullmatch(r"\d+", lw):
            left = sent[0] + words[k - 1].start()
            break
        if lw in ("signed", "sign", "signing", "of", "to", "on", "and", "for", "with", "inked", "witnessed", "between",
                  "drafting", "implement", "implementing", "negotiate", "that", "which", "under", "by") or words[k - 1].group().endswith((",", ".")):
            break
        left = sent[0] + words[k - 1].start()
        k -= 1
    m = _RIGHT_END.search(text, e, sent[1])
    right = m.start() if m else sent[1]
    right = min(right, e + 240)
    return left, right


def find_agreements(text: str, folded: str, sents: list[tuple[int, int]], kb: Knowledge,
                    exclude: list[tuple[int, int]], topics_in, parties: list[str], pub_year: int | None,
                    org_countries) -> list[Agreement]:
    v = vocab(kb)
    vague = v.vague.find(folded, text)
    out: list[Agreement] = []
    for s, e, kind in v.nouns.find(folded, text):
        if any(a <= s and e <= b for a, b in exclude):
            continue
        if any(a <= s < b for a, b, _ in vague):
            continue
        sent = next(((a, b) for a, b in sents if a <= s < b), (max(0, s - 200), min(len(text), e + 200)))
        left, right = _phrase(text, s, e, sent)
        phrase = text[left:right].strip()
        low = fold(phrase)
        if kind == "agreement" and re.match(r"(?:the\s+)?agreements?$", low) and out:
            continue
        if re.match(r"(?:the\s+)?(?:agreement|deal)s?\b", low) and re.search(r"\bthe (?:agreement|deal)\b", low) and any(o.kind in ("agreement", "document", "memorandum") for o in out):
            continue
        if kind in ("plan",) and not re.search(r"cooperation|action|work|joint|plan|roadmap|programme|program", low):
            continue
        status = _status(folded, sent, left, right, v, pub_year)
        if status is None:
            continue
        tops = sorted(topics_in(left, right))
        ag_parties = sorted(set(org_countries(left, right)) | set(parties)) if parties else sorted(set(org_countries(left, right)))
        out.append(Agreement(kind, status, ag_parties[:2] if len(parties) >= 2 else ag_parties, tops, phrase, (left, right)))
    return _dedupe(out)


def _status(folded: str, sent, left: int, right: int, v: AgreementVocab, pub_year) -> str | None:
    before = folded[max(sent[0], left - 90):left]
    inside = folded[left:right]
    after = folded[right:min(sent[1], right + 60)]
    around = before + " " + inside
    years = [int(y) for y in re.findall(r"\b(?:19|20)\d\d\b", inside + " " + after)]
    if pub_year and years and min(years) < pub_year and re.search(r"\bsigned\b|\bconcluded\b", inside + after):
        return "existing"
    if v.status.get("existing") and v.status["existing"].search(before[-45:]):
        return "existing"
    planned = v.status.get("planned")
    signed = v.status.get("signed")
    pm = list(planned.finditer(around)) if planned else []
    sm = list(signed.finditer(around)) if signed else []
    if re.search(r"\b(?:will|to|would|shall|soon|early)\s+(?:be\s+)?(?:sign|ink)", around):
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


def _dedupe(items: list[Agreement]) -> list[Agreement]:
    out: list[Agreement] = []
    for a in items:
        if any(o.span[0] <= a.span[0] < o.span[1] for o in out):
            continue
        out.append(a)
    return out
