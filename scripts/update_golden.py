"""Rewrite tests/golden.json: a hash of the record parsed from every reference text.

The manifest is the safety net of refactoring: a change that should not alter
any record leaves it as it is (tests/test_golden.py checks). Rewrite it only
when a change of records is intended, in a commit of its own:
`.venv/bin/python scripts/update_golden.py`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from golden import MANIFEST, manifest  # noqa: E402


def main() -> int:
    now = manifest()
    MANIFEST.write_text(json.dumps(now, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"golden: {len(now['files'])} files, {now['generated']['count']} generated articles")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
