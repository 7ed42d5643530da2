"""Parse time against input size for pathological text.

    python benchmarks/pathological.py [--max-bytes N] [--budget SECONDS] [CASE ...]

Each case is grown by doubling from 16 KB; a case stops growing once one parse
takes longer than the budget. The last column is time / size relative to the
smallest size: about 1 for linear time, growing with the size for quadratic.
"""

from __future__ import annotations

import argparse
import time

from relations import knowledge
from relations.errors import ParseError
from relations.parser import parse


def _fill(unit: str, n: int) -> str:
    return (unit * (n // len(unit) + 1))[:n]


CASES = {
    "no-spaces": lambda n: _fill("a", n),                              # one line, no word breaks
    "capitalised": lambda n: _fill("Word ", n),                        # 100,000 capitalised words at 500 KB
    "caps-run": lambda n: _fill("Ministry Foreign Affairs Committee ", n),
    "abbreviations": lambda n: _fill("Mr. Word ", n),                  # a sentence end that is never one
    "sentences": lambda n: _fill("Vietnam and Laos signed an agreement on trade. ", n),
    "dates": lambda n: _fill("on May 17, 2023 and ", n),
    "dashes": lambda n: _fill("HANOI -", n),
    "brackets": lambda n: _fill("(", n),
    "digits": lambda n: _fill("1", n),
    "newlines": lambda n: _fill("A\n", n),
    "offices": lambda n: _fill("Minister of Foreign Affairs and ", n),      # one run of offices joined by `and`
    "names": lambda n: _fill("Mr Hung met Mr Lan, ", n),                    # a person mentioned again and again
    "organisations": lambda n: _fill("the Ministry of Foreign Affairs of Vietnam (MOFA) and ", n),
    "documents": lambda n: _fill("They signed an MoU on trade, an agreement on energy, and a plan on health. ", n),
    "country": lambda n: _fill("Vietnam ", n),                              # one country name, again and again
    "country-words": lambda n: _fill("Viet Nam ", n),
    "demonyms": lambda n: _fill("Vietnamese ", n),
    "countries-mixed": lambda n: _fill("Vietnam Viet Nam Vietnamese Cuban Cuba Lao ", n),
}


def measure(make, n: int, kb) -> float:
    text = make(n)
    t0 = time.perf_counter()
    try:
        parse(text, kb=kb, default_date="2024-01-01")
    except ParseError:
        pass
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("cases", nargs="*", choices=[[], *CASES], default=[])
    ap.add_argument("--max-bytes", type=int, default=1 << 20)
    ap.add_argument("--budget", type=float, default=10.0, help="stop growing a case after a parse this slow")
    args = ap.parse_args()
    kb = knowledge.load()
    print(f"{'case':<14} {'size':>9} {'seconds':>9} {'µs/KB':>9} {'vs smallest':>11}")
    for name in args.cases or CASES:
        make, n, base = CASES[name], 16 * 1024, None
        while n <= args.max_bytes:
            t = measure(make, n, kb)
            per_kb = t / (n / 1024) * 1e6
            base = base or per_kb
            print(f"{name:<14} {n:>9,} {t:>9.3f} {per_kb:>9.0f} {per_kb / base:>10.1f}x", flush=True)
            if t > args.budget:
                print(f"{name:<14} stopped: over the {args.budget:g} s budget (not linear)")
                break
            n *= 2


if __name__ == "__main__":
    main()
