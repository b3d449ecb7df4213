"""Audit on a Dask distributed cluster (`--engine dask --scheduler ADDRESS`), results in input order.

The auditor (registry and index) is sent to every worker once, with `Client.scatter(broadcast=True)`;
documents are read by this process (the client) and sent in chunks, so workers need no access to
the inputs' file system, only the same version of source-audit installed. A bounded number of
chunks is in flight, and results are gathered back in order as they complete. `dask` and
`distributed` are an optional extra: `pip install 'source-audit[dask]'`.
"""
from __future__ import annotations

import os
from collections import deque
from dataclasses import replace
from typing import Iterable, Iterator

from .engine import Auditor, Config, Task, audit_task
from .model import DocumentResult, StreamedResult
from .parallel import IN_FLIGHT_PER_JOB, chunks
from .streaming import ReportLines

CONNECT_TIMEOUT = "30s"


class EngineUnavailable(Exception):
    """The Dask engine cannot run: not installed, or the scheduler cannot be reached."""


def audit_tasks_on_cluster(tasks: Iterable[Task], auditor: Auditor, config: Config, scheduler: str | None,
                           jobs: int = 1, lines: ReportLines | None = None
                           ) -> Iterator[DocumentResult | StreamedResult]:
    """The results of `tasks` audited on the cluster at `scheduler` (a local cluster of `jobs`
    worker processes when None), in task order; with `lines`, each reduced to a StreamedResult
    on the worker that audited it. Connects before returning: a missing extra or an
    unreachable scheduler raises EngineUnavailable here, before anything is audited."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise EngineUnavailable("the Dask engine needs the 'dask' extra: pip install 'source-audit[dask]' "
                                "(dask and distributed)") from None
    cluster = None
    try:
        if scheduler is None:
            cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=None)
            client = Client(cluster)
        else:
            client = Client(scheduler, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError, ValueError) as exc:
        if cluster is not None:
            cluster.close()
        raise EngineUnavailable(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
    return _audit(client, cluster, tasks, SharedAuditor(auditor, _portable(config), lines))


def _portable(config: Config) -> Config:
    """Globs in the configuration are relative to this process's directory, not the workers'."""
    return replace(config, glob_base=config.glob_base or os.getcwd())


def _audit(client, cluster, tasks: Iterable[Task], shared: SharedAuditor) -> Iterator:
    try:
        # a wrapper, not the bare auditor, and hash=False: dask would otherwise tokenise (walk) the
        # whole registry to name it (MEASUREMENTS.md §6: 3.7 s against 67 s for a bare dict)
        scattered = client.scatter(shared, broadcast=True, hash=False)
        threads = max(1, sum(client.nthreads().values()))
        pending: deque = deque()
        for chunk in chunks(tasks):
            pending.append(client.submit(audit_chunk_on_worker, scattered, chunk, pure=False))
            if len(pending) >= threads * IN_FLIGHT_PER_JOB:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


class SharedAuditor:
    """The auditor, configuration and report lines every task on a worker uses, shipped to each
    worker once."""

    def __init__(self, auditor: Auditor, config: Config, lines: ReportLines | None = None):
        self.auditor, self.config, self.lines = auditor, config, lines


def audit_chunk_on_worker(shared: SharedAuditor, chunk: list[Task]) -> list[DocumentResult | StreamedResult]:
    results = [result for task in chunk for result in audit_task(task, shared.auditor, shared.config)]
    return [shared.lines.reduce(result) for result in results] if shared.lines is not None else results
