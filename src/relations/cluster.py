"""Parsing on a Dask cluster: the same pure parser mapped over partitions of files.

Workers read and parse a partition of a few hundred files and send back finished
archive lines (`ingest.parse_file`, as the `--jobs` pool does); the one client
takes the partitions in input order and hands them to the one writer, so the
archive is byte for byte what `--jobs 1` writes. Only a few partitions are in
flight at once, and their results wait on the workers until the client needs them.
"""

from __future__ import annotations

import logging
import math
import os
from collections import deque
from dataclasses import dataclass, field
from datetime import date
from typing import Callable, Iterable, Iterator

from relations.article.reader import discover
from relations.errors import ClusterError
from relations.ingest import Parsed, parse_file, reparse_or_keep
from relations.store.archive import Transformed, transform_line

PARTITION = 250        # files (or archive lines) per task at most
PER_WORKER = 4         # partitions per worker thread, so that small inputs still spread out
IN_FLIGHT = 2          # partitions submitted per worker thread before the oldest is taken
EXTRA = "dask"


def _distributed():
    """The dask.distributed module, or one line naming the extra that brings it."""
    try:
        import distributed
    except ImportError:
        raise ClusterError(f"--engine dask needs Dask: pip install 'relations[{EXTRA}]'") from None
    return distributed


def partition_size(items: int, threads: int) -> int:
    """Files per partition: at most PARTITION, and small enough to give every worker several."""
    return max(1, min(PARTITION, math.ceil(items / max(1, threads * PER_WORKER))))


def parse_partition(paths: list[str], default_date: str | None, dict_dirs: tuple[str, ...],
                    today: date | None) -> list[Parsed]:
    """The task: every file of a partition, each a record line or a reported failure."""
    return [_parse_one(p, default_date, dict_dirs, today) for p in paths]


def _parse_one(path: str, default_date, dict_dirs, today) -> Parsed:
    try:
        return parse_file(path, default_date, dict_dirs, today)
    except Exception as exc:  # one file the parser trips on is a failure of that file, not of its partition
        return Parsed(path, error=f"{path}: could not be parsed ({type(exc).__name__}: {exc})")


@dataclass
class Reparsed:
    """A partition of archive lines parsed again: the lines in order, and the records kept as they were."""
    lines: list[Transformed]
    failed: list[str]


def reparse_partition(lines: list[tuple[int, bytes]], dict_dirs: tuple[str, ...]) -> Reparsed:
    """The reparse task: `transform_line` with `reparse_or_keep` over every line of a partition."""
    from relations import knowledge

    kb = knowledge.load(dict_dirs)
    failed: list[str] = []
    return Reparsed([transform_line(n, line, lambda rec: reparse_or_keep(rec, kb, failed.append))
                     for n, line in lines], failed)


def unreadable(paths: list[str]) -> str | None:
    """The first path this process cannot read (run on every worker before any task)."""
    for p in paths:
        if not os.access(p, os.R_OK):
            return p
    return None


@dataclass
class DaskEngine:
    """Where the tasks run: a scheduler's address, or a LocalCluster of `workers` processes started here."""
    scheduler: str | None = None
    workers: int | None = None          # a LocalCluster's size (the machine's cores when None)
    on_partition: Callable[[int, int], None] | None = None   # (partitions done, partitions in all)
    connect_timeout: float = 30.0
    threads: int = field(default=0, init=False)

    # the cluster -----------------------------------------------------------

    def client(self):
        """A connected client; closing it also closes a LocalCluster it started."""
        distributed = _distributed()
        if self.scheduler:
            try:
                return distributed.Client(self.scheduler, timeout=self.connect_timeout)
            except (OSError, TimeoutError) as exc:
                raise ClusterError(f"cannot reach the Dask scheduler at {self.scheduler} ({exc})") from None
        cluster = distributed.LocalCluster(n_workers=self.workers or os.cpu_count() or 1, threads_per_worker=1,
                                           processes=True, dashboard_address=None, silence_logs=logging.ERROR)
        client = distributed.Client(cluster)
        client._relations_cluster = cluster   # noqa: SLF001 - closed with the client below
        return client

    @staticmethod
    def close(client) -> None:
        cluster = getattr(client, "_relations_cluster", None)
        client.close()
        if cluster is not None:
            cluster.close()

    def _check_workers(self, client, paths: list[str]) -> None:
        try:
            client.wait_for_workers(1, timeout=self.connect_timeout)
        except (OSError, TimeoutError):
            raise ClusterError(f"no Dask worker joined the scheduler within {self.connect_timeout:g} s") from None
        self.threads = sum(client.nthreads().values())
        for worker, path in sorted(client.run(unreadable, paths).items()):
            if path is not None:
                raise ClusterError(f"the Dask worker {worker} cannot read {path}: the files must be on a path "
                                   "every worker can read (a shared filesystem, an absolute path)")

    # the work ----------------------------------------------------------------

    def ordered(self, client, fn, parts: Iterable, total: int, *args) -> Iterator:
        """fn(part, *args) for every part, run on the cluster, results in the order of `parts`.

        At most IN_FLIGHT partitions per worker thread are submitted; the oldest is gathered
        before another goes out. A worker that dies takes its tasks to another (Dask retries)."""
        distributed = _distributed()
        window = max(2, IN_FLIGHT * self.threads)
        todo = iter(enumerate(parts))
        flying: deque = deque()

        def submit() -> None:
            for k, part in todo:
                flying.append((k, part, client.submit(fn, part, *args, pure=False, key=f"relations-{k}-{os.urandom(6).hex()}")))
                return

        for _ in range(window):
            submit()
        while flying:
            k, part, fut = flying.popleft()
            try:
                result = fut.result()
            except distributed.KilledWorker:
                raise ClusterError(f"partition {k + 1} (from {_first(part)}) was lost with every worker that "
                                   "ran it; the workers may be out of memory") from None
            fut.release()
            submit()
            yield result
            if self.on_partition:
                self.on_partition(k + 1, total)

    def outcomes(self, paths: list[str], default_date: str | None = None, dict_dirs: tuple[str, ...] = (),
                 today: date | None = None) -> Iterator[Parsed]:
        """ingest's stream of parsed files, parsed on the cluster, in the order `--jobs 1` reads them."""
        files = list(discover(paths))
        todo = [p for p, err in files if err is None]
        for p, err in files:
            if err is not None:
                yield Parsed(p, error=str(err))
        if not todo:
            return
        client = self.client()
        try:
            roots = [p for p in paths if os.path.exists(p)] + list(dict_dirs)  # as the user named them
            self._check_workers(client, list(dict.fromkeys(roots)))
            size = partition_size(len(todo), self.threads)
            parts = [todo[i:i + size] for i in range(0, len(todo), size)]
            for result in self.ordered(client, parse_partition, parts, len(parts), default_date, dict_dirs, today):
                yield from result
        finally:
            self.close(client)

    def transformer(self, archive, dict_dirs: tuple[str, ...], failed: Callable[[str], None]):
        """For `Archive.transform(lines=...)`: reparse's lines parsed on the cluster, in archive order."""

        def run(lines: Iterator[tuple[int, int, bytes]]) -> Iterator[Transformed]:
            count = _count_lines(archive.path)
            client = self.client()
            try:
                self._check_workers(client, list(dict_dirs))
                size = partition_size(count, self.threads)
                parts = _batches(((n, line) for n, _, line in lines), size)
                for result in self.ordered(client, reparse_partition, parts, math.ceil(count / size), dict_dirs):
                    for msg in result.failed:
                        failed(msg)
                    yield from result.lines
            finally:
                self.close(client)

        return run


def _batches(items: Iterator, size: int) -> Iterator[list]:
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _count_lines(path) -> int:
    n = 0
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            n += block.count(b"\n")
    return n


def _first(part: Iterable) -> str:
    for item in part:
        return item if isinstance(item, str) else "line " + str(item[0])
    return "?"
