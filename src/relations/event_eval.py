"""Quality of the event grouping against `INDEX.tsv` (its `same_event_as` column): pairwise
precision, recall and F1 of "these two records report the same happening"."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

from relations.errors import InputError, RelationsError
from relations.knowledge import Knowledge

INDEX = "INDEX.tsv"


@dataclass
class PairScore:
    tp: int
    fp: int
    fn: int
    records: int

    @property
    def row(self) -> dict:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"field": "events", "precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3),
                "n": self.tp + self.fn}


def gold_pairs(path: Path) -> tuple[list[str], set[tuple[str, str]]]:
    """The files an INDEX.tsv lists and the unordered pairs of files it says report one happening."""
    files: list[str] = []
    pairs: set[tuple[str, str]] = set()
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            name = (row.get("file") or "").strip()
            if not name:
                continue
            files.append(name)
            for other in (row.get("same_event_as") or "").split(";"):
                other = other.strip()
                if other and other != "-":
                    pairs.add((min(name, other), max(name, other)))
    return files, pairs


def evaluate_events(dirs: list[str], kb: Knowledge) -> PairScore | None:
    """Group the records of every folder's INDEX.tsv articles (all folders together) and count pairs;
    None when no folder has one."""
    from relations import grouping
    from relations.article.reader import read_article
    from relations.parser import parse

    recs, gold, found = [], set(), False
    for d in dirs:
        idx = Path(d) / INDEX
        if not idx.is_file():
            continue
        found = True
        files, pairs = gold_pairs(idx)
        gold |= {(f"{d}/{a}", f"{d}/{b}") for a, b in pairs}
        for name in files:
            art = read_article(str(Path(d) / name))
            try:
                rec = parse(art.text, art.source, require_date=False, kb=kb)
            except RelationsError as exc:
                raise InputError(f"{Path(d) / name}: {exc}") from None
            recs.append({**rec, "id": f"{d}/{name}"})  # file names as ids: two texts never share one
    if not found:
        return None
    got = {tuple(sorted(p)) for g in grouping.group(recs) for p in combinations(g, 2)}
    tp = len(got & gold)
    return PairScore(tp, len(got - gold), len(gold - got), len(recs))
