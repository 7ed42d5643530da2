"""Where the time goes: cProfile of an ingest and of a query, top functions by own and total time.

    .venv/bin/python benchmarks/profile.py ingest benchmarks/work/articles-100000-s1 --count 2000
    .venv/bin/python benchmarks/profile.py query benchmarks/work/archive-1000000-s1.jsonl timeline vietnam cuba
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path


def report(pr: cProfile.Profile, top: int) -> str:
    out = io.StringIO()
    st = pstats.Stats(pr, stream=out)
    st.strip_dirs().sort_stats("tottime").print_stats(top)
    st.sort_stats("cumulative").print_stats(top)
    return out.getvalue()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="what", required=True)
    a = sub.add_parser("ingest")
    a.add_argument("folder")
    a.add_argument("--count", type=int, default=2000)
    q = sub.add_parser("query")
    q.add_argument("archive")
    q.add_argument("args", nargs=argparse.REMAINDER)
    ap.add_argument("--top", type=int, default=25)
    args = ap.parse_args(argv)
    if args.what == "ingest":
        from relations.archive import Archive
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
