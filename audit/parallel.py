"""Audit in worker processes: the registry is set up once per worker, documents travel in chunks,
results come back in input order.

On Linux the workers are forked from the process that loaded the registry and start with it in
memory (the cache load moved it out of the garbage collector's reach, so its pages stay shared);
elsewhere each worker is spawned and loads it once, from the compiled-registry cache when that is
where it came from. Only a bounded number of chunks is in flight, so a corpus larger than memory
streams through.
"""
from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections import deque
from itertools import chain, islice
from typing import Iterable, Iterator

from .engine import Auditor, Config, Task, audit_task
from .model import DocumentResult, StreamedResult
from .streaming import ReportLines

# A chunk closes at whichever comes first; measured in bench/README.md ("chunk size").
CHUNK_TASKS = 32
CHUNK_CHARS = 256_000
IN_FLIGHT_PER_JOB = 2  # chunks queued per worker: one being audited, one waiting


class WorkerError(RuntimeError):
    """A worker process died (killed, out of memory): its documents have no result."""


def default_jobs() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def audit_tasks_in_processes(tasks: Iterable[Task], auditor: Auditor, config: Config, jobs: int,
                             lines: ReportLines | None = None) -> Iterator[DocumentResult | StreamedResult]:
    """The results of `tasks` audited by `jobs` worker processes, in task order; with `lines`,
    each reduced to a StreamedResult by the worker that audited it.

    Fewer than two tasks are audited here: a pool would only add its start-up time (and importing
    multiprocessing and concurrent.futures, about 20 ms, is left to the runs that need them).
    """
    tasks = iter(tasks)
    head = list(islice(tasks, 2))
    if len(head) < 2:
        for task in head:
            for result in audit_task(task, auditor, config):
                yield lines.reduce(result) if lines is not None else result
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")
    if context.get_start_method() == "fork":
        auditor.index.build_automata()  # once, here: the workers share its pages
        shared = auditor
    else:
        shared = _AuditorFromCache.wrap(auditor, config)
    pool = ProcessPoolExecutor(jobs, mp_context=context, initializer=_start_worker,
                               initargs=(shared, config, lines, os.getpid()))
    pending: deque = deque()
    try:
        for chunk in chunks(chain(head, tasks)):
            pending.append(pool.submit(_audit_chunk, chunk))
            if len(pending) >= jobs * IN_FLIGHT_PER_JOB:
                yield from _results(pending.popleft())
        while pending:
            yield from _results(pending.popleft())
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def chunks(tasks: Iterable[Task], max_tasks: int = CHUNK_TASKS, max_chars: int = CHUNK_CHARS) -> Iterator[list[Task]]:
    """Consecutive tasks grouped so that each chunk is worth sending to another process."""
    chunk: list[Task] = []
    size = 0
    for task in tasks:
        chunk.append(task)
        size += task_size(task)
        if len(chunk) >= max_tasks or size >= max_chars:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def task_size(task: Task) -> int:
    if task.document is not None:
        return len(task.document.text)
    if task.raw is not None:
        return len(task.raw)
    if task.kind == "file":
        try:
            return os.path.getsize(task.path)
        except OSError:
            return 0
    return 0


def _results(future) -> list[DocumentResult | StreamedResult]:
    from concurrent.futures.process import BrokenProcessPool

    try:
        return future.result()
    except BrokenProcessPool as exc:
        raise WorkerError(f"a worker process stopped unexpectedly ({exc}); was it killed or out of memory?") from None


_worker: tuple[Auditor, Config, ReportLines | None] | None = None


def _start_worker(shared: Auditor | _AuditorFromCache, config: Config, lines: ReportLines | None,
                  parent: int) -> None:
    global _worker
    # Ctrl-C is the command's to handle (it stops handing out chunks and waits for the running ones)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # a command killed outright cannot stop its workers: they notice and stop themselves
    threading.Thread(target=_exit_with, args=(parent,), daemon=True).start()
    auditor = shared.load() if isinstance(shared, _AuditorFromCache) else shared
    _worker = (auditor, config, lines)


def _exit_with(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(1)


def _audit_chunk(chunk: list[Task]) -> list[DocumentResult | StreamedResult]:
    assert _worker is not None, "worker not initialised"
    auditor, config, lines = _worker
    results = [result for task in chunk for result in audit_task(task, auditor, config)]
    return [lines.reduce(result) for result in results] if lines is not None else results


class _AuditorFromCache:
    """What a spawned worker needs to load the auditor: the configuration when the auditor came
    from it (the worker reads the compiled-registry cache), else the auditor itself (pickled)."""

    def __init__(self, config: Config | None, auditor: Auditor | None):
        self.config, self.auditor = config, auditor

    @classmethod
    def wrap(cls, auditor: Auditor, config: Config) -> "_AuditorFromCache":
        if auditor.loaded_from == config.registry_source:
            return cls(config, None)
        return cls(None, auditor)

    def load(self) -> Auditor:
        return self.auditor if self.auditor is not None else Auditor.from_config(self.config)

