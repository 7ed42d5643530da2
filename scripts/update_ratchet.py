"""Raise tests/ratchet.json to the current per-article scores on ../shared/corpus.

Run after an improvement: `.venv/bin/python scripts/update_ratchet.py`.
It refuses to lower any floor unless given --allow-lower.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
RATCHET = ROOT / "tests" / "ratchet.json"


def main() -> int:
    from relations import knowledge
    from relations.evaluate import evaluate, file_f1

    now = {s.name: file_f1(s) for s in evaluate([str(CORPUS / "dev"), str(CORPUS / "seeds")], knowledge.load())}
    old = json.loads(RATCHET.read_text()) if RATCHET.exists() else {}
    lower = [(a, f) for a, fs in old.items() for f, v in fs.items() if a in now and now[a].get(f, 0) < v]
    if lower and "--allow-lower" not in sys.argv:
        for a, f in lower:
            print(f"would lower {a} {f}: {old[a][f]} -> {now[a].get(f)}")
        return 1
    RATCHET.write_text(json.dumps(now, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"ratchet: {len(now)} articles")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
