"""Shared fixtures: the seed articles in the repo, the annotated corpus beside it."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
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


# commands as a user who owns nothing here ------------------------------------------------------------------------

NOBODY = 65534


def cmd(*args, timeout: float = 60, unprivileged: bool = False, env: dict | None = None, cwd=None):
    """The `relations` command in a process of its own; with `unprivileged`, as a user who owns nothing
    here: as root (CI) the command runs in a forked child that drops to `nobody`, so permissions are
    really enforced."""
    if unprivileged and os.geteuid() == 0:
        return _as_nobody([str(a) for a in args], env or {})
    e = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "relations", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, env=e, cwd=cwd)


def _as_nobody(args: list[str], env: dict) -> subprocess.CompletedProcess:
    """Fork, drop to nobody, run the command line in the child. The interpreter may live where nobody
    cannot read (a root-owned pyenv), so every module the commands use is imported before the fork."""
    import sqlite3  # noqa: F401
    import traceback

    import relations.ingest
    import relations.query
    import relations.render.console
    import relations.render.output
    import relations.store.index  # noqa: F401
    from relations import knowledge
    from relations.cli import main

    knowledge.load()
    out, err = tempfile.TemporaryFile(), tempfile.TemporaryFile()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        code = 70
        try:
            os.setgroups([])
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            os.dup2(out.fileno(), 1)
            os.dup2(err.fileno(), 2)
            sys.stdout = open(1, "w", encoding="utf-8", closefd=False)
            sys.stderr = open(2, "w", encoding="utf-8", closefd=False)
            os.environ.update(env)
            try:
                main(args, prog_name="relations")
                code = 0
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 1
        except BaseException:
            traceback.print_exc()
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    out.seek(0)
    err.seek(0)
    return subprocess.CompletedProcess(args, os.waitstatus_to_exitcode(status), out.read().decode(),
                                       err.read().decode())



@pytest.fixture
def shared_dir():
    """A folder any user may enter (pytest's own tmp folders are private to their owner)."""
    d = tempfile.mkdtemp(prefix="relations-guarantees-")
    os.chmod(d, 0o777)
    yield Path(d)
    shutil.rmtree(d, ignore_errors=True)
