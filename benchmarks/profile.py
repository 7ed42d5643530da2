"""Where the time goes: cProfile of an ingest, of parsing alone and of a query, top functions by own and total time.

    .venv/bin/python benchmarks/profile.py ingest benchmarks/work/articles-100000-s1 --count 2000
    .venv/bin/python benchmarks/profile.py parse ../shared/corpus/dev --repeat 5
    .venv/bin/python benchmarks/profile.py query benchmarks/work/archive-1000000-s1.jsonl timeline vietnam cuba
    .venv/bin/python benchmarks/profile.py stages ../shared/corpus/dev --repeat 5

`parse` measures what benchmarks/run.py's parse rate measures: the parser alone, in one process, with
the dictionaries loaded (and every article parsed) once before the profiled runs.
"""

from __future__ import annotations

import os
import sys

# run as a script, this file's folder comes first on the path and this file would shadow the standard
# library's `profile`, which cProfile imports
if sys.path and os.path.abspath(sys.path[0] or ".") == os.path.dirname(os.path.abspath(__file__)):
    sys.path.pop(0)

import argparse  # noqa: E402
import cProfile  # noqa: E402
import io  # noqa: E402
import pstats  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402


def report(pr: cProfile.Profile, top: int) -> str:
    out = io.StringIO()
    st = pstats.Stats(pr, stream=out)
    st.strip_dirs().sort_stats("tottime").print_stats(top)
    st.sort_stats("cumulative").print_stats(top)
    return out.getvalue()


def stage_times(folder: str, count: int, repeat: int) -> str:
    """Wall time of each parser stage over the folder's articles, heaviest first."""
    from relations import knowledge
    from relations.errors import ParseError
    from relations.parser import assemble
    from relations.parser.doc import ParseOptions
    from relations.parser.pipeline import new_doc
    from relations.parser.stages import STAGES

    texts = [p.read_text(encoding="utf-8") for p in sorted(Path(folder).rglob("*.txt"))[:count]]
    kb, options = knowledge.load(), ParseOptions(default_date="2020-01-01")
    spent = dict.fromkeys([s.name for s in STAGES] + ["assemble"], 0.0)
    for _ in range(repeat):
        for text in texts:
            doc = new_doc(text, None, options, kb)
            try:
                for stage in STAGES:
                    t0 = time.perf_counter()
                    stage.run(doc)
                    spent[stage.name] += time.perf_counter() - t0
            except ParseError:
                continue
            t0 = time.perf_counter()
            assemble.record(doc)
            spent["assemble"] += time.perf_counter() - t0
    total = sum(spent.values())
    n = len(texts) * repeat
    lines = [f"{len(texts)} articles x {repeat}: {n / total:,.0f} articles/s in the stages"]
    lines += [f"{name:24} {1000 * t / n:7.3f} ms/article  {100 * t / total:5.1f}%"
              for name, t in sorted(spent.items(), key=lambda kv: -kv[1])]
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="what", required=True)
    a = sub.add_parser("ingest")
    a.add_argument("folder")
    a.add_argument("--count", type=int, default=2000)
    p = sub.add_parser("parse")
    p.add_argument("folder")
    p.add_argument("--count", type=int, default=2000)
    p.add_argument("--repeat", type=int, default=3)
    st = sub.add_parser("stages", help="time per parser stage, by name")
    st.add_argument("folder")
    st.add_argument("--count", type=int, default=2000)
    st.add_argument("--repeat", type=int, default=3)
    q = sub.add_parser("query")
    q.add_argument("archive")
    q.add_argument("args", nargs=argparse.REMAINDER)
    ap.add_argument("--top", type=int, default=25)
    args = ap.parse_args(argv)
    if args.what == "stages":
        print(stage_times(args.folder, args.count, args.repeat))
        return 0
    if args.what == "ingest":
        from relations.store.archive import Archive
        from relations.ingest import ingest

        files = sorted(str(p) for p in Path(args.folder).rglob("*.txt"))[:args.count]
        with tempfile.TemporaryDirectory() as tmp:
            arch = Archive(os.path.join(tmp, "archive.jsonl"))
            pr = cProfile.Profile()
            start = time.perf_counter()
            pr.enable()
            s = ingest(files, arch, jobs=1)
            pr.disable()
            took = time.perf_counter() - start
        print(f"ingest of {len(files)} articles, --jobs 1: {took:.1f} s under the profiler, {s.added} added")
    elif args.what == "parse":
        from relations import knowledge
        from relations.parser import parse

        files = sorted(str(p) for p in Path(args.folder).rglob("*.txt"))[:args.count]
        texts = [Path(f).read_text(encoding="utf-8") for f in files]
        kb = knowledge.load()
        for t in texts:
            parse(t, kb=kb, default_date="2020-01-01")
        pr = cProfile.Profile()
        start = time.perf_counter()
        pr.enable()
        for _ in range(args.repeat):
            for t in texts:
                parse(t, kb=kb, default_date="2020-01-01")
        pr.disable()
        took = time.perf_counter() - start
        n = len(texts) * args.repeat
        print(f"{n} parses of {len(texts)} articles: {took:.2f} s under the profiler ({n / took:.0f} articles/s)")
    else:
        from relations.cli import main as cli

        sys.argv = ["relations", "--archive", args.archive] + args.args + ["--format", "jsonl"]
        real = sys.stdout
        sys.stdout = open(os.devnull, "w")
        pr = cProfile.Profile()
        start = time.perf_counter()
        pr.enable()
        try:
            cli(standalone_mode=False)
        finally:
            pr.disable()
            sys.stdout.close()
            sys.stdout = real
        print(f"{' '.join(args.args)}: {time.perf_counter() - start:.3f} s under the profiler (imports included)")
    print(report(pr, args.top))
    return 0


if __name__ == "__main__":
    sys.exit(main())
