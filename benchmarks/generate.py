"""A synthetic corpus of any size, made from the real articles in ../shared/corpus/dev.

Every generated article is a deterministic variation of one real article
(the same `--seed` gives the same corpus on any machine):

- its publication date (a ` date YYYY-MM-DD` header) is spread over 2000-2026;
- the partner country (the non-Vietnamese party, or one of the two parties) is
  swapped for another country, in every form it takes (name, demonym, capitals);
- one or two people get other names;
- two sentences after the opening swap places.

Every article is distinct and has a distinct record id. The texts stay real
news prose; nothing is copied into the project: the dev articles are read
from ../shared at run time.

Two products:

    python benchmarks/generate.py articles OUT_DIR --count 100000
        article files (OUT_DIR/000/000123.txt ...), to be ingested for real;
    python benchmarks/generate.py archive OUT.jsonl --records 1000000
        a JSON Lines archive. Parsing a million articles would take an hour on
        two cores, so only a pool of distinct articles is parsed (`--pool`,
        default 4,000); each record is a pool record re-dated: the article's
        header date is changed (the body, so every span, stays the same), the
        id is recomputed from the re-dated text exactly as the parser does, and
        an event date near the publication date moves with it. The records'
        shape, size and field distributions are those of parsed articles.
        With `--near-duplicates F`, a share F of the records is followed by
        another outlet's report of the same happening (`rewrite`: the opening
        with another credit, later sentences reordered, a third dropped),
        parsed for real and published the same day or the next; without it
        the archive is byte for byte the one made before the option existed.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import re
import sys
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT.parent / "shared" / "corpus" / "dev"
FIRST, LAST = date(2000, 1, 1), date(2026, 10, 31)
HEADER = re.compile(r"\A\s*date\s+\S+[ \t]*\n?")

GIVEN = ["Anh", "Maria", "Ahmed", "Olga", "Kenji", "Lucia", "Rahul", "Thanh", "Sipho", "Ingrid", "Carlos", "Mei",
         "Omar", "Elena", "Tuan", "Amara", "Pedro", "Yuki", "Fatima", "Jonas", "Linh", "Grace", "Ivan", "Nadia",
         "Hiroshi", "Aisha", "Diego", "Minh", "Sofia", "Kwame"]
FAMILY = ["Nguyen", "Tran", "Garcia", "Petrov", "Tanaka", "Okafor", "Silva", "Haddad", "Kowalski", "Le", "Moreno",
          "Sato", "Mensah", "Lindqvist", "Pham", "Rossi", "Kim", "Dubois", "Hoang", "Castillo", "Ivanova", "Mehta",
          "Vo", "Novak", "Ortega", "Suzuki", "Banda", "Schmidt", "Dang", "Alvarez"]
# the partner countries substituted, with Cuba rare enough that about 0.5% of records
# are Vietnam-Cuba (the benchmark's timeline question)
TARGETS = ["JPN", "KOR", "CHN", "IND", "USA", "RUS", "FRA", "DEU", "GBR", "ITA", "ESP", "AUS", "CAN", "BRA", "MEX",
           "ARG", "CHL", "PER", "COL", "VEN", "ZAF", "EGY", "NGA", "KEN", "ETH", "MOZ", "AGO", "DZA", "MAR", "TUR",
           "IRN", "SAU", "ARE", "ISR", "PAK", "BGD", "LKA", "NPL", "MMR", "THA", "LAO", "KHM", "MYS", "SGP", "IDN",
           "PHL", "BRN", "TLS", "MNG", "KAZ", "UZB", "UKR", "POL", "CZE", "HUN", "ROU", "BGR", "SRB", "GRC", "PRT",
           "NLD", "BEL", "CHE", "AUT", "SWE", "NOR", "FIN", "DNK", "IRL", "NZL", "FJI", "PNG", "NIC", "BOL", "ECU",
           "URY", "PRY", "PAN", "CRI", "DOM", "TZA", "UGA", "GHA", "SEN", "CIV", "CMR", "TUN", "JOR", "QAT", "KWT",
           "OMN", "IRQ", "SYR", "BLR", "AZE", "ARM", "GEO", "KGZ", "TJK", "CUB"]
TARGET_WEIGHTS = [1.0] * (len(TARGETS) - 1) + [0.08]


def dev_texts(folder: Path = DEV) -> list[str]:
    files = sorted(folder.glob("*.txt"))
    if not files:
        raise SystemExit(f"generate: no articles in {folder} (the corpus lives in ../shared/corpus/dev)")
    return [f.read_text(encoding="utf-8") for f in files]


def redate(text: str, day: str) -> str:
    """The article with its publication header set to `day` (added when it had none)."""
    return f" date {day}\n" + HEADER.sub("", text, count=1)


class Generator:
    def __init__(self, texts: list[str] | None = None, seed: int = 1):
        from relations import knowledge
        from relations.parser import parse

        self.kb = knowledge.load()
        self.seed = seed
        self.bases = []
        for t in texts if texts is not None else dev_texts():
            body = HEADER.sub("", t, count=1)
            rec = parse(" date 2020-01-01\n" + body, kb=self.kb, default_date="2020-01-01")
            self.bases.append((body, rec))
        self.demonym = {}
        for code, entry in self.kb.data["countries"].items():
            if isinstance(entry, dict) and entry.get("demonyms"):
                self.demonym[code] = str(entry["demonyms"][0])
        self.seen: set[bytes] = set()

    def _date(self, rng: random.Random) -> str:
        return (FIRST + timedelta(days=rng.randrange((LAST - FIRST).days + 1))).isoformat()

    def _swap_country(self, body: str, rec: dict, rng: random.Random) -> str:
        from relations.text import fold

        parties = rec.get("parties") or []
        others = [p for p in parties if p != "VNM"]
        if not others or rng.random() < 0.03:
            return body
        partner = rng.choice(others)
        target = rng.choices(TARGETS, TARGET_WEIGHTS)[0]
        if target in parties:
            return body
        name = self.kb.country_name(target)
        dem = self.demonym.get(target, name)
        out, last = [], 0
        for start, end, value in self.kb.country_matcher.find(fold(body), body):
            if value is None or value.code != partner:
                continue
            old = body[start:end]
            new = dem if value.demonym else name
            if value.demonym and old.endswith("s") and not new.endswith("s") and len(old) > 4:
                new += "s"
            if old.isupper():
                new = new.upper()
            out.append(body[last:start] + new)
            last = end
        out.append(body[last:])
        return "".join(out)

    def _swap_names(self, body: str, rec: dict, rng: random.Random) -> str:
        people = [a["name"] for a in rec.get("actors", []) if a.get("kind") == "person"
                  and a.get("name") and len(a["name"].split()) >= 2 and a["name"][0].isupper()]
        for old in rng.sample(people, min(len(people), rng.choice((1, 2)))):
            body = body.replace(old, f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}")
        return body

    def _swap_sentences(self, body: str, rng: random.Random) -> str:
        from relations.text import sentences

        sents = sentences(body)
        pairs = [k for k in range(2, len(sents) - 1) if "\n" not in body[sents[k][0]:sents[k + 1][1]]]
        if not pairs:
            return body
        k = rng.choice(pairs)
        (a, b), (c, d) = sents[k], sents[k + 1]
        return body[:a] + body[c:d] + body[b:c] + body[a:b] + body[d:]

    def article(self, i: int) -> str:
        """The i-th article of the corpus (distinct from every one generated before it)."""
        for attempt in range(50):
            rng = random.Random(f"{self.seed}:{i}:{attempt}")
            body, rec = self.bases[rng.randrange(len(self.bases))]
            body = self._swap_country(body, rec, rng)
            body = self._swap_names(body, rec, rng)
            if rng.random() < 0.8:
                body = self._swap_sentences(body, rng)
            text = redate(body, self._date(rng))
            key = hashlib.blake2b(text.encode(), digest_size=12).digest()
            if key not in self.seen:
                self.seen.add(key)
                return text
        raise RuntimeError(f"no distinct variation for article {i}")


_CREDIT = re.compile(r"\((?:[A-Z][A-Za-z./ ]{1,20})\)|[-—–] ?[A-Z]{2,6}(?:/[A-Z]{2,6})?\s*$")
OUTLETS = ["Wire", "AFP", "Reuters", "AP", "Xinhua", "Bernama", "PTI", "BSS", "EFE", "Kyodo", "TASS", "ANA"]


def rewrite(text: str, rng: random.Random) -> str:
    """The same happening told by another outlet: the opening kept with another credit, the later
    sentences reordered and about a third of them dropped (the header date is kept)."""
    from relations.text import sentences

    m = HEADER.match(text)
    head, body = (text[:m.end()], text[m.end():]) if m else ("", text)
    sents = [body[a:b] for a, b in sentences(body)]
    if not sents:
        return text
    outlet = rng.choice(OUTLETS)
    lead = _CREDIT.sub(f"({outlet})", sents[0], count=1)
    if lead == sents[0]:
        lead = f"({outlet}) — " + lead
    rest = sents[1:]
    rng.shuffle(rest)
    rest = rest[:max(1, round(len(rest) * rng.uniform(0.5, 0.8)))] if rest else []
    return head + "\n".join([lead] + rest) + "\n"


def write_articles(out_dir: str | os.PathLike, count: int, seed: int = 1, gen: Generator | None = None) -> list[str]:
    """`count` article files under out_dir, 1,000 to a folder; returns their paths in order."""
    gen = gen or Generator(seed=seed)
    out = Path(out_dir)
    paths = []
    for i in range(count):
        p = out / f"{i // 1000:03d}" / f"{i:07d}.txt"
        if i % 1000 == 0:
            p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(gen.article(i), encoding="utf-8")
        paths.append(str(p))
    return paths


def _parse_one(args):
    text, kb_dirs = args
    from relations import knowledge
    from relations.parser import parse

    return parse(text, None, kb=knowledge.load(kb_dirs))


def _shift(value, days: int, base: date):
    """An ISO date (YYYY[-MM[-DD]]) near the base publication date, moved by `days`."""
    if not isinstance(value, str) or len(value) != 10:
        return value
    try:
        d = date.fromisoformat(value)
    except ValueError:
        return value
    if abs((d - base).days) > 60:
        return value
    return (d + timedelta(days=days)).isoformat()


def write_archive(path: str | os.PathLike, records: int, seed: int = 1, pool: int = 4000, jobs: int = 2,
                  gen: Generator | None = None, progress=None, near_duplicates: float = 0.0) -> dict:
    """A JSON Lines archive of `records` distinct records (see the module's note); returns counts.

    With near_duplicates (a fraction), that share of the records is followed by a report of the same
    happening from another outlet (`rewrite`, parsed for real, published the same day or the next),
    counted in `records`; without it the archive is exactly the one made before the option existed."""
    import orjson

    from relations.record import content_hash, make_id

    gen = gen or Generator(seed=seed)
    pool = max(1, min(pool, records))
    texts = [gen.article(i) for i in range(pool)]
    if jobs > 1 and pool > 50:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(jobs) as ex:
            parsed = list(ex.map(_parse_one, [(t, ()) for t in texts], chunksize=32))
    else:
        parsed = [_parse_one((t, ())) for t in texts]
    bodies = [HEADER.sub("", t, count=1) for t in texts]
    dups, dup_bodies = [], []
    if near_duplicates > 0:
        drng = random.Random(f"{seed}:rewrites")
        dup_texts = [rewrite(t, drng) for t in texts]
        dups = [_parse_one((t, ())) for t in dup_texts]
        dup_bodies = [HEADER.sub("", t, count=1) for t in dup_texts]
    dup_rng = random.Random(f"{seed}:near-duplicates")
    ids: set[str] = set()
    rng = random.Random(f"{seed}:archive")
    tmp = Path(str(path) + ".part")
    with open(tmp, "wb") as fh:
        pending = None  # (pool index, publication day) of a happening to report again
        for k in range(records):
            if pending is not None:
                j, first = pending
                pending = None
                day = (date.fromisoformat(first) + timedelta(days=dup_rng.randrange(2))).isoformat()
                rec = _redated(dups[j], dup_bodies[j], day, ids, k, first)
                if rec is not None:
                    fh.write(orjson.dumps(rec) + b"\n")
                    continue
            j = k % pool
            base = parsed[j]
            base_day = date.fromisoformat(base["date"])
            while True:
                day = gen._date(rng)
                text = f" date {day}\n" + bodies[j]
                rid = make_id(day, text)
                if rid not in ids:
                    ids.add(rid)
                    break
            delta = (date.fromisoformat(day) - base_day).days
            rec = dict(base)
            rec["id"] = rid
            rec["date"] = day
            rec["source"] = {"path": f"synthetic/{k // 1000:04d}/{k:07d}.txt", "name": f"{k:07d}.txt",
                             "sha256": content_hash(text)}
            ev = dict(rec.get("event") or {})
            ev["date"] = _shift(ev.get("date"), delta, base_day)
            rec["event"] = ev
            fh.write(orjson.dumps(rec) + b"\n")
            if dups and dup_rng.random() < near_duplicates:
                pending = (j, day)
            if progress and k % 100_000 == 0:
                progress(k)
    os.replace(tmp, path)
    return {"records": records, "pool": pool}


def _redated(base: dict, body: str, day: str, ids: set, k: int, first: str) -> dict | None:
    """A parsed rewrite as published on `day`, its event moved as its original's was (None: id taken)."""
    import orjson  # noqa: F401  (the caller writes it)

    from relations.record import content_hash, make_id

    text = f" date {day}\n" + body
    rid = make_id(day, text)
    if rid in ids:
        return None
    ids.add(rid)
    base_day = date.fromisoformat(base["date"])
    rec = dict(base)
    rec.update(id=rid, date=day, source={"path": f"synthetic/{k // 1000:04d}/{k:07d}.txt", "name": f"{k:07d}.txt",
                                         "sha256": content_hash(text)})
    ev = dict(rec.get("event") or {})
    ev["date"] = _shift(ev.get("date"), (date.fromisoformat(first) - base_day).days, base_day)
    rec["event"] = ev
    return rec


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="what", required=True)
    a = sub.add_parser("articles", help="write article files")
    a.add_argument("out_dir")
    a.add_argument("--count", type=int, default=1000)
    b = sub.add_parser("archive", help="write a JSON Lines archive")
    b.add_argument("out")
    b.add_argument("--records", type=int, default=10000)
    b.add_argument("--pool", type=int, default=4000)
    b.add_argument("--jobs", type=int, default=2)
    b.add_argument("--near-duplicates", type=float, default=0.0,
                   help="share of records followed by another outlet's report of the same happening")
    for p in (a, b):
        p.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    if args.what == "articles":
        write_articles(args.out_dir, args.count, args.seed)
    else:
        write_archive(args.out, args.records, args.seed, args.pool, args.jobs,
                      progress=lambda k: print(f"{k:,} records", file=sys.stderr), near_duplicates=args.near_duplicates)
    return 0


if __name__ == "__main__":
    sys.exit(main())
