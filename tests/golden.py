"""The golden manifest: which texts it covers and how a record is hashed.

Hashes only: no corpus text enters the project. Each reference text is parsed
with the shipped dictionaries, serialised as the archive stores it, and hashed;
the generated benchmark articles are hashed in one running digest.
"""

from __future__ import annotations

import hashlib
import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
MANIFEST = Path(__file__).with_name("golden.json")
GENERATED = 2000


def reference_files() -> dict[str, Path]:
    """Every reference text, keyed by a name that does not depend on the checkout's place."""
    groups = {"seeds": ROOT / "seeds", "fixtures": ROOT / "tests" / "fixtures",
              "corpus/dev": CORPUS / "dev", "corpus/seeds": CORPUS / "seeds"}
    return {f"{name}/{p.relative_to(folder).as_posix()}": p
            for name, folder in groups.items() for p in sorted(folder.rglob("*.txt"))}


def _line(text: str, path: str, kb) -> bytes:
    from relations import ParseError, parse
    from relations.store.archive import dumps

    try:
        return dumps(parse(text, {"path": path, "name": Path(path).name}, kb=kb, default_date="2020-01-01"))
    except ParseError as exc:
        return f"ParseError: {exc}\n".encode()


def _generator():
    spec = importlib.util.spec_from_file_location("relations_bench_generate", ROOT / "benchmarks" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.Generator(seed=7)


def manifest() -> dict:
    from relations import knowledge

    kb = knowledge.load()
    files = {name: hashlib.sha256(_line(p.read_text(encoding="utf-8"), name, kb)).hexdigest()
             for name, p in reference_files().items()}
    gen, digest = _generator(), hashlib.sha256()
    for i in range(GENERATED):
        digest.update(_line(gen.article(i), f"generated/{i:05d}.txt", kb))
    return {"files": files, "generated": {"count": GENERATED, "sha256": digest.hexdigest()}}
