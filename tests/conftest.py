"""Shared fixtures: the seed articles in the repo, the annotated corpus beside it."""

from __future__ import annotations

import importlib.util
import os
import shutil
import tempfile
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"

needs_corpus = pytest.mark.skipif(not (CORPUS / "dev").is_dir(),
                                  reason="../shared/corpus is not beside this checkout (it is in CI)")


def pytest_configure(config):
    # the dictionaries' cache of this run (and of the commands it starts) stays out of the user's own
    cache = tempfile.mkdtemp(prefix="relations-test-cache-")
    os.environ["XDG_CACHE_HOME"] = cache
    os.environ.pop("RELATIONS_NO_CACHE", None)
    config.add_cleanup(lambda: shutil.rmtree(cache, ignore_errors=True))


def pytest_addoption(parser):
    parser.addoption("--runslow", action="store_true", default=False, help="also run the slow tests")


def pytest_collection_modifyitems(config, items):
    if config.getoption("--runslow"):
        return
    skip = pytest.mark.skip(reason="slow: run with --runslow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def kb():
    from relations.knowledge import loader as knowledge

    return knowledge.load()


@pytest.fixture(scope="session")
def seed_texts():
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))}


@pytest.fixture(scope="session")
def seed_records(seed_texts, kb):
    from relations.parser import parse

    return {name: parse(text, {"path": f"seeds/{name}", "name": name}, kb=kb) for name, text in seed_texts.items()}


@pytest.fixture
def archive_path(tmp_path):
    return tmp_path / "archive.jsonl"


@cache
def bench_module(name: str):
    """A script of benchmarks/ (not a package) loaded as a module, once."""
    spec = importlib.util.spec_from_file_location(f"bench_{name}", ROOT / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def synthetic_archive(seed_texts):
    """Write an archive of distinct records made from the seeds by the benchmark's generator."""
    from relations.store.archive import Archive

    generate = bench_module("generate")
    gens = {}

    def write(path, records: int, *, seed: int, pool: int, variation: int) -> Archive:
        if variation not in gens:
            gens[variation] = generate.Generator(list(seed_texts.values()), seed=variation)
        generate.write_archive(path, records, seed=seed, pool=pool, jobs=1, gen=gens[variation])
        return Archive(path)

    return write
