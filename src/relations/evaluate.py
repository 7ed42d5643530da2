"""Extraction quality against hand-made gold files, scored as the annotation
guide's last section says: names match when one's words are all contained in
the other's (accents, case, hyphens and punctuation removed); agreements match
on equal status and a shared topic or kind; sets and dates compare exactly."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from relations.article.reader import read_article
from relations.errors import InputError, RelationsError
from relations.knowledge import Knowledge
from relations.parser import parse
from relations.record import countries as record_countries
from relations.text import fold_key

ENTITY_FIELDS = ("persons", "organizations", "countries", "topics", "agreements")
EXACT_FIELDS = ("date", "parties", "event.type", "event.date", "event.place", "agency", "dateline")


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class FileScore:
    name: str
    counts: dict[str, Counts] = field(default_factory=dict)
    exact: dict[str, bool] = field(default_factory=dict)
    person_country: list[bool] = field(default_factory=list)
    title_f1: list[float] = field(default_factory=list)
    misses: list[dict] = field(default_factory=list)


def name_match(a: str, b: str) -> bool:
    wa, wb = set(fold_key(a).split()), set(fold_key(b).split())
    return bool(wa) and bool(wb) and (wa <= wb or wb <= wa)


def _strip_adjective(name: str, kb: Knowledge) -> str:
    words = name.split()
    if len(words) > 1 and kb.country_code(words[0]) and not words[0][0].islower():
        return " ".join(words[1:])
    return name


def _pair(gold: list, pred: list, match) -> tuple[list[tuple[Any, Any]], list, list]:
    """Greedy one-to-one matching: pairs, unmatched gold, unmatched predictions."""
    used = set()
    pairs, missed = [], []
    for g in gold:
        hit = next((i for i, p in enumerate(pred) if i not in used and match(g, p)), None)
        if hit is None:
            missed.append(g)
        else:
            used.add(hit)
            pairs.append((g, pred[hit]))
    extra = [p for i, p in enumerate(pred) if i not in used]
    return pairs, missed, extra


def token_f1(a: str | None, b: str | None) -> float:
    if not a and not b:
        return 1.0
    if not a or not b:
        return 0.0
    ta, tb = fold_key(a).split(), fold_key(b).split()
    common = sum(min(ta.count(w), tb.count(w)) for w in set(ta))
    if not common:
        return 0.0
    p, r = common / len(tb), common / len(ta)
    return 2 * p * r / (p + r)


def _context(text: str, span) -> str:
    if not span:
        return ""
    s, e = span
    return " ".join(text[max(0, s - 50):min(len(text), e + 50)].split())


def score_file(gold: dict, rec: dict, kb: Knowledge, name: str) -> FileScore:
    fs = FileScore(name)
    text = rec.get("text", "")

    def add(field_, pairs, missed, extra, show=lambda x: x, where=lambda x: None):
        c = Counts(len(pairs), len(extra), len(missed))
        fs.counts[field_] = c
        for g in missed:
            fs.misses.append({"field": field_, "kind": "FN", "value": show(g), "context": ""})
        for p in extra:
            fs.misses.append({"field": field_, "kind": "FP", "value": show(p), "context": _context(text, where(p))})

    persons = [a for a in rec["actors"] if a["kind"] == "person"]
    pairs, missed, extra = _pair(gold.get("persons") or [], persons, lambda g, p: name_match(g["name"], p["name"]))
    add("persons", pairs, missed, extra, lambda x: x["name"], lambda x: x["spans"][0] if x.get("spans") else None)
    for g, p in pairs:
        ok = g.get("country") == p.get("country")
        fs.person_country.append(ok)
        if not ok:
            fs.misses.append({"field": "person.country", "kind": "WRONG", "value": f"{g['name']}: {p.get('country')} (gold {g.get('country')})", "context": ""})
        tf = token_f1(g.get("title"), p.get("title"))
        fs.title_f1.append(tf)
        if tf < 1:
            fs.misses.append({"field": "person.title", "kind": "WRONG", "value": f"{g['name']}: {p.get('title')!r} (gold {g.get('title')!r})", "context": ""})
    orgs = [a for a in rec["actors"] if a["kind"] == "organization"]
    pairs, missed, extra = _pair(gold.get("organizations") or [], orgs,
                                 lambda g, p: name_match(_strip_adjective(g["name"], kb), _strip_adjective(p["name"], kb))
                                 or (p.get("acronym") and fold_key(p["acronym"]) == fold_key(g["name"])))
    add("organizations", pairs, missed, extra, lambda x: f"{x['name']} ({x.get('country')})", lambda x: x["spans"][0] if x.get("spans") else None)
    for field_, gv, pv in (("countries", gold.get("countries") or [], record_countries(rec)),
                           ("topics", gold.get("topics") or [], rec.get("topics") or [])):
        g, p = set(gv), set(pv)
        ev = rec.get("topic_evidence") or {}
        fs.counts[field_] = Counts(len(g & p), len(p - g), len(g - p))
        for x in sorted(g - p):
            fs.misses.append({"field": field_, "kind": "FN", "value": x, "context": ""})
        for x in sorted(p - g):
            spans = ev.get(x) if field_ == "topics" else next((a["spans"] for a in rec["actors"] if a.get("code") == x), None)
            fs.misses.append({"field": field_, "kind": "FP", "value": x, "context": _context(text, spans[0] if spans else None)})
    pairs, missed, extra = _pair(gold.get("agreements") or [], rec.get("agreements") or [],
                                 lambda g, p: g.get("status") == p.get("status") and (
                                     bool(set(g.get("topics") or []) & set(p.get("topics") or [])) or g.get("kind") == p.get("kind")))
    add("agreements", pairs, missed, extra, lambda x: f"{x.get('status')} {x.get('kind')} {x.get('topics')}: {x.get('text')}", lambda x: x.get("span"))
    gev = gold.get("event") or {}
    ev = rec.get("event") or {}
    pairs_ = {
        "date": (_s(gold.get("date")), rec.get("date")),
        "parties": (sorted(gold.get("parties") or []), sorted(rec.get("parties") or [])),
        "event.type": (gev.get("type"), ev.get("type")),
        "event.date": (_s(gev.get("date")), ev.get("date")),
        "event.place": (_k(gev.get("place")), _k(ev.get("place"))),
        "agency": (_k(gold.get("agency")), _k(rec.get("agency"))),
        "dateline": (_k(gold.get("dateline")), _k(rec.get("dateline"))),
    }
    raw = {"event.place": (gev.get("place"), ev.get("place")), "agency": (gold.get("agency"), rec.get("agency")),
           "dateline": (gold.get("dateline"), rec.get("dateline"))}
    for k, (g, p) in pairs_.items():
        fs.exact[k] = g == p
        if g != p:
            gg, pp = raw.get(k, (g, p))
            fs.misses.append({"field": k, "kind": "WRONG", "value": f"{pp!r} (gold {gg!r})", "context": ""})
    return fs


def _s(v):
    return None if v is None else str(v)


def _k(v):
    return None if v is None else fold_key(str(v))


def gold_files(dirs: list[str]) -> list[Path]:
    out = []
    for d in dirs:
        p = Path(d)
        if not p.is_dir():
            raise InputError(f"{d}: not a folder of gold files")
        out.extend(sorted(p.glob("*.yaml")))
    if not out:
        raise InputError(f"no gold files (*.yaml) in {', '.join(dirs)}")
    return out


def evaluate(dirs: list[str], kb: Knowledge) -> list[FileScore]:
    import yaml

    scores = []
    for g in gold_files(dirs):
        try:
            gold = yaml.safe_load(g.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise InputError(f"{g}: not valid YAML ({exc})") from None
        txt = g.with_suffix(".txt")
        if not txt.exists():
            raise InputError(f"{g}: no article {txt.name} beside it")
        art = read_article(str(txt))
        try:
            rec = parse(art.text, art.source, require_date=False, kb=kb)
        except RelationsError as exc:
            raise InputError(f"{txt}: {exc}") from None
        scores.append(score_file(gold, rec, kb, os.path.join(g.parent.name, txt.name)))
    return scores


def summarise(scores: list[FileScore]) -> list[dict]:
    """One row per field: precision, recall and F1 (or accuracy for exact fields)."""
    rows = []
    for f in ENTITY_FIELDS:
        c = Counts()
        for s in scores:
            x = s.counts.get(f, Counts())
            c.tp, c.fp, c.fn = c.tp + x.tp, c.fp + x.fp, c.fn + x.fn
        rows.append({"field": f, "precision": round(c.precision, 3), "recall": round(c.recall, 3),
                     "f1": round(c.f1, 3), "n": c.tp + c.fn})
    pc = [x for s in scores for x in s.person_country]
    tf = [x for s in scores for x in s.title_f1]
    rows.insert(1, {"field": "person.country", "precision": None, "recall": None,
                    "f1": round(sum(pc) / len(pc), 3) if pc else 1.0, "n": len(pc)})
    rows.insert(2, {"field": "person.title", "precision": None, "recall": None,
                    "f1": round(sum(tf) / len(tf), 3) if tf else 1.0, "n": len(tf)})
    for f in EXACT_FIELDS:
        vals = [s.exact[f] for s in scores if f in s.exact]
        rows.append({"field": f, "precision": None, "recall": None,
                     "f1": round(sum(vals) / len(vals), 3) if vals else 1.0, "n": len(vals)})
    return rows


def file_f1(s: FileScore) -> dict[str, float]:
    """Per-article scores, for the ratchet test."""
    out = {f: round(c.f1, 3) for f, c in s.counts.items()}
    out.update({f: float(v) for f, v in s.exact.items()})
    return out



def per_file_brief(rows: list[dict]) -> list[dict]:
    """`eval --per-file` as a table a person reads at 80 columns (the machine formats keep every field)."""
    out = []
    for r in rows:
        scores = {k: v for k, v in r.items() if k != "file"}
        mean = round(sum(scores.values()) / len(scores), 3) if scores else 1.0
        low = ", ".join(f"{k} {v:g}" for k, v in sorted(scores.items(), key=lambda kv: (kv[1], kv[0])) if v < 1.0)
        out.append({"file": r["file"], "mean": mean, "below 1.0": low or "—"})
    return out
