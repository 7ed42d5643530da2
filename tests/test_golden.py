"""Every reference text still parses to the record it parsed to when the manifest was written.

A refactoring must leave tests/golden.json as it is; a change meant to alter
records rewrites it with scripts/update_golden.py, in its own commit.
"""

from __future__ import annotations

import json

from conftest import needs_corpus
from golden import MANIFEST, manifest


@needs_corpus
def test_every_reference_record_is_unchanged():
    want = json.loads(MANIFEST.read_text(encoding="utf-8"))
    now = manifest()
    changed = sorted(k for k in want["files"].keys() | now["files"].keys()
                     if want["files"].get(k) != now["files"].get(k))
    assert not changed, f"{len(changed)} records changed (first: {changed[:5]}); see scripts/update_golden.py"
    assert now["generated"] == want["generated"], "the generated benchmark articles parse to other records"
