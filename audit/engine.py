"""Run an audit: load the registry once, then audit each document with pure functions.

`audit_document(document, auditor, as_of)` depends only on its arguments, so documents can be
audited in any order or in parallel and give the same result. `iter_results` adds what a project
asks for around it (which files and rules, inline suppressions, a baseline, only what changed in
git) and yields each document's result in input order as soon as it is ready, from this process or
from worker processes (`jobs`) or a Dask cluster; `run` collects them into one `AuditResult`.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import BinaryIO, Callable, Iterable, Iterator

from claims.extract import extract_claims
from claims.language import DEFERRED, deferred_detection, detect_language
from claims.loading import (FORMATS, MAX_BYTES, STDIN, STDIN_PATH, STDIN_TWICE, LoadFailure, find_files,
                            load_documents, parse_bytes, read_path)
from claims.model import Document, Span
from references.cache import load_cached
from references.index import RegistryIndex
from references.loader import load_registry
from references.model import Registry

from . import __version__
from .baseline import Baseline, relative_path
from .changes import Changes, changed_since
from .config import glob_matches
from .fingerprint import finding_key
from .model import AuditResult, DocumentResult, Finding, RegistryInfo, StreamedResult, Verdict
from .provenance import ProvenanceChecker
from .rules import RuleSelection
from .streaming import ReportLines
from .suppressions import apply_suppressions, find_suppressions, masked
from .verdicts import Checker


@dataclass(frozen=True)
class Config:
    """Everything that changes what an audit finds (not how it is reported)."""

    registries: tuple[str, ...] = ()
    include_bundled: bool = True
    as_of: dt.date | None = None
    language: str | None = None
    stdin_format: str = "auto"  # how `-` (standard input) is read: auto, text, markdown, html or jsonl
    today: dt.date = field(default_factory=dt.date.today)
    cache_dir: str | None = None  # where the compiled registry is cached (None: the user's cache directory)
    use_cache: bool = True
    select: tuple[str, ...] = ()   # rule codes or prefixes reported (empty: all)
    ignore: tuple[str, ...] = ()   # rule codes or prefixes not reported
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (glob, codes) pairs
    include: tuple[str, ...] = ()  # globs files found in directories must match (empty: all articles)
    exclude: tuple[str, ...] = ()  # globs of files and directories never audited
    glob_base: str | None = None   # the directory globs are relative to (the configuration file's; None: cwd)
    root: str | None = None        # the project root baseline paths are relative to (None: paths as given)
    baseline: str | None = None    # a baseline file: the findings it lists are marked as baselined
    changed_since: str | None = None  # a git revision: audit only files, and report only lines, changed since

    @property
    def registry_source(self) -> tuple:
        """What decides which registry `Auditor.from_config` loads."""
        return (self.registries, self.include_bundled, self.cache_dir, self.use_cache)

    @property
    def rules(self) -> RuleSelection:
        return RuleSelection(self.select, self.ignore)

    def ignored_in(self, path: str) -> tuple[str, ...]:
        """Rule codes `per_file_ignores` turns off for the document at `path`."""
        file_path = _file_part(path)
        base = Path(self.glob_base) if self.glob_base else Path.cwd()
        return tuple(code for glob, codes in self.per_file_ignores if glob_matches(glob, file_path, base)
                     for code in codes)


class Auditor:
    """The registry and everything built from it, made once and shared by all documents."""

    def __init__(self, registry: Registry, index: RegistryIndex | None = None):
        self.registry = registry
        self.index = index if index is not None else RegistryIndex(registry)
        self.checker = Checker(self.index)
        self.provenance = ProvenanceChecker(registry)
        self.loaded_from: tuple | None = None  # set by from_config: how another process can load it again

    @classmethod
    def from_config(cls, config: Config) -> "Auditor":
        if not config.use_cache:
            auditor = cls(load_registry(config.registries, include_bundled=config.include_bundled))
        else:
            auditor = cls(*load_cached(config.registries, include_bundled=config.include_bundled,
                                       cache_dir=config.cache_dir))
        auditor.loaded_from = config.registry_source
        return auditor

    def info(self) -> RegistryInfo:
        r = self.registry
        return RegistryInfo(fingerprint=r.fingerprint, entities=len(r.entities), events=len(r.events),
                            facts=len(r.facts), sources=r.source_count(), paths=r.paths)


def judging_date(document: Document, config: Config) -> dt.date:
    """The date a document's claims are judged at: --as-of, else its publication date, else today."""
    return config.as_of or document.published or config.today


def audit_document(document: Document, auditor: Auditor, as_of: dt.date) -> DocumentResult:
    claims = extract_claims(document, auditor.index)
    findings = _merge_repeats([auditor.checker.check(claim, as_of, document.language) for claim in claims])
    flags = auditor.provenance.flags(document, findings)
    entry = auditor.registry.domain(document.domain)
    return DocumentResult(path=document.path, document=document, findings=findings, flags=flags,
                          as_of=as_of, source_kind=entry.kind if entry else None,
                          source_rating=entry.rating if entry else None)


def _merge_repeats(findings: list[Finding]) -> tuple[Finding, ...]:
    """One contradicted finding per repeated error: later copies become its occurrences.

    A fabricated body named five times is one error to fix, not five; listing it once keeps the
    report readable, and the occurrences still let an editor find every copy.
    """
    out: list[Finding] = []
    first: dict[tuple, int] = {}
    for finding in findings:
        key = None
        if finding.verdict is Verdict.CONTRADICTED and finding.claim.claim_type.value == "entity":
            key = (finding.code, finding.reference.id if finding.reference else finding.claim.text)
        if key is not None and key in first:
            index = first[key]
            kept = out[index]
            extra = (finding.claim.span, *finding.claim.occurrences)
            out[index] = Finding(kept.code, kept.verdict, kept.claim, kept.message, kept.reference,
                                 kept.suggestion, kept.occurrences + extra)
            continue
        if key is not None:
            first[key] = len(out)
            finding = Finding(finding.code, finding.verdict, finding.claim, finding.message, finding.reference,
                              finding.suggestion, finding.claim.occurrences)
        elif finding.claim.occurrences:
            finding = Finding(finding.code, finding.verdict, finding.claim, finding.message, finding.reference,
                              finding.suggestion, finding.claim.occurrences)
        out.append(finding)
    return tuple(out)


def run(paths: Iterable[str | Path], config: Config, auditor: Auditor | None = None,
        stdin: BinaryIO | None = None, jobs: int = 1) -> AuditResult:
    """Audit every file under `paths` (`-` reads `stdin`); unreadable inputs become document errors.

    Raises BaselineError or GitError (before auditing anything) when the baseline file or the
    `changed_since` revision cannot be used. The whole result is held in memory: for corpora,
    `iter_results` streams.
    """
    auditor = auditor or Auditor.from_config(config)
    documents = tuple(iter_results(paths, config, auditor, stdin, jobs=jobs))
    return audit_result(documents, auditor, config)


def audit_result(documents: Iterable[DocumentResult], auditor: Auditor, config: Config) -> AuditResult:
    """The AuditResult of documents audited with `auditor` under `config`."""
    options = {"as_of": config.as_of.isoformat() if config.as_of else None, "language": config.language,
               "changed_since": config.changed_since, "baseline": config.baseline}
    return AuditResult(documents=tuple(documents), registry=auditor.info(), tool_version=__version__,
                       options=options)


def iter_results(paths: Iterable[str | Path], config: Config, auditor: Auditor | None = None,
                 stdin: BinaryIO | None = None, jobs: int = 1, skip: Counter | None = None,
                 scheduler: str | None = None, engine: str = "local",
                 lines: ReportLines | None = None) -> Iterator[DocumentResult | StreamedResult]:
    """Each document's result, in input order, as soon as it and those before it are audited.

    `jobs` > 1 audits in that many worker processes (`audit.parallel`); `engine="dask"` on the
    Dask cluster at `scheduler` (a local one when None; `audit.distributed`). The results are the
    same whichever runs them. `skip` counts document paths not to audit again (a resumed run):
    each input whose path it holds is left out, once per count. The baseline and `changed_since`
    are read here, before anything is audited, so their errors are raised by this call.
    With `lines` (a run that writes JSON Lines only, without a baseline or `changed_since`), each
    result comes reduced to its StreamedResult, made by the worker that audited it.
    """
    if lines is not None and (config.baseline or config.changed_since):
        raise ValueError("a baseline or changed_since needs the whole results, not StreamedResults")
    baseline = Baseline.load(config.baseline) if config.baseline else None
    changes = changed_since(config.changed_since) if config.changed_since else None
    auditor = auditor or Auditor.from_config(config)
    inputs = list(select_inputs(paths, config, changes))
    results: Iterator
    if engine == "dask":
        from .distributed import audit_tasks_on_cluster
        results = audit_tasks_on_cluster(plan_tasks(inputs, config, stdin, skip, read_files=False), auditor, config,
                                         scheduler, jobs, lines)
    elif engine != "local":
        raise ValueError(f"unknown engine {engine!r} (known: local, dask)")
    elif jobs > 1:
        from .parallel import audit_tasks_in_processes
        results = audit_tasks_in_processes(plan_tasks(inputs, config, stdin, skip), auditor, config, jobs, lines)
    else:
        results = (result for task in plan_tasks(inputs, config, stdin, skip)
                   for result in audit_task(task, auditor, config))
        if lines is not None:
            results = map(lines.reduce, results)
    return _finish(results, config, baseline, changes, skip)


def _finish(results: Iterator, config: Config, baseline: Baseline | None,
            changes: Changes | None, skip: Counter | None) -> Iterator:
    """The project's view of each result: skipped ones dropped, the baseline, only what changed."""
    remaining = Counter(baseline.keys) if baseline is not None else None
    touched = (lambda d, f: _finding_changed(d, f, changes)) if changes else (lambda d, f: False)
    for result in results:
        if skip and skip[result.path] > 0:  # a file read by a worker held a record audited before
            skip[result.path] -= 1
            continue
        if remaining is not None:
            result = _apply_baseline(result, remaining, config.root, touched)
        if changes is not None:
            result = _only_changed(result, changes)
        yield result


def _apply_baseline(result: DocumentResult, remaining: Counter, root: str | None,
                    touched: Callable[[DocumentResult, Finding], bool]) -> DocumentResult:
    """Baseline.apply to one document, with the entries earlier documents left: applied document
    by document in input order, it marks exactly what it marks applied to the whole result."""
    one = AuditResult(documents=(result,), registry=None, tool_version=__version__)  # type: ignore[arg-type]
    marked = Baseline(remaining).apply(one, root, touched).documents[0]
    path = relative_path(marked.path, root)
    for before, after in zip(result.findings, marked.findings):
        if after.suppression is not None and before.suppression is None:
            remaining[finding_key(path, after)] -= 1
    return marked


# ----------------------------------------------------------------------------------- tasks

@dataclass(frozen=True)
class Task:
    """One unit of work, small enough to send to another process: a document already read
    (`document`), a file for the worker to read (`file`), a file's bytes for a worker that
    cannot see this file system (`raw`), or an input that could not be read (`failure`)."""

    kind: str
    path: str
    document: Document | None = None
    raw: bytes | None = None
    fmt: str = "auto"
    message: str = ""


def plan_tasks(inputs: Iterable[str | Path], config: Config, stdin: BinaryIO | None = None,
               skip: Counter | None = None, read_files: bool = True) -> Iterator[Task]:
    """The tasks that audit `inputs` (as `select_inputs` gives them), in input order.

    JSON Lines files and standard input are read here, streamed, with language detection left
    to whoever audits each document; other files are read where they are audited (`read_files`)
    or here, their bytes parsed there. Inputs `skip` holds are left out as they are met.
    """
    stdin_read = False
    for item in find_files(inputs):
        if isinstance(item, LoadFailure):
            task = Task("failure", item.path, message=item.message)
        elif str(item) == STDIN:
            if stdin_read:
                task = Task("failure", STDIN_PATH, message=STDIN_TWICE)
            else:
                stdin_read = True
                yield from _skipped(_read_here([STDIN], config, stdin), skip)
                continue
        elif FORMATS.get(item.suffix.lower()) == "jsonl":
            yield from _skipped(_read_here([item], config), skip)
            continue
        elif read_files:
            task = Task("file", str(item))
        else:
            task = _raw_task(item)
            if task is None:  # a directory, too large, unreadable...: the loader says why
                yield from _skipped(_read_here([item], config), skip)
                continue
        yield from _skipped([task], skip)


def _raw_task(path: Path) -> Task | None:
    """The bytes of a readable file, for a worker to parse as `read_path` would; None otherwise."""
    try:
        if not path.is_file() or path.stat().st_size > MAX_BYTES:
            return None
        return Task("raw", str(path), raw=path.read_bytes(), fmt=FORMATS.get(path.suffix.lower(), "auto"))
    except OSError:
        return None


def _read_here(paths: list, config: Config, stdin: BinaryIO | None = None) -> Iterator[Task]:
    loader = load_documents(paths, config.language, config.stdin_format, stdin)
    while True:
        with deferred_detection():  # only while the loader runs: never around a yield
            item = next(loader, None)
        if item is None:
            return
        yield _as_task(item)


def _as_task(item: Document | LoadFailure) -> Task:
    if isinstance(item, LoadFailure):
        return Task("failure", item.path, message=item.message)
    return Task("document", item.path, document=item)


def _skipped(tasks: Iterable[Task], skip: Counter | None) -> Iterator[Task]:
    """Tasks whose path `skip` does not hold. A file whose document (or error) has the file's own
    path holds nothing else; records of a file sniffed as JSON Lines are checked against `skip`
    when their results come back (`_finish`)."""
    for task in tasks:
        if skip and skip[task.path] > 0:
            skip[task.path] -= 1
            continue
        yield task


def audit_task(task: Task, auditor: Auditor, config: Config) -> list[DocumentResult]:
    """The results of one task, in order: what a worker runs."""
    if task.kind == "failure":
        return [DocumentResult(path=task.path, error=task.message)]
    if task.kind == "file":
        items: Iterable[Document | LoadFailure] = read_path(Path(task.path), config.language)
    elif task.kind == "raw":
        items = parse_bytes(task.path, task.raw or b"", task.fmt, config.language)
    else:
        items = [task.document]
    return [_audit_item(item, auditor, config) for item in items]


def _audit_item(item: Document | LoadFailure, auditor: Auditor, config: Config) -> DocumentResult:
    if isinstance(item, LoadFailure):
        return DocumentResult(path=item.path, error=item.message)
    if item.language == DEFERRED:
        body = item.body or Span(0, len(item.text))
        item = replace(item, language=detect_language(item.text[body.start:body.end]))
    try:
        return _audit_in_project(item, auditor, config)
    except Exception as exc:  # one document must never stop the audit of the others
        return DocumentResult(path=item.path, document=item,
                              error=f"internal error while auditing: {type(exc).__name__}: {exc}")


def select_inputs(paths: Iterable[str | Path], config: Config, changes: Changes | None = None) -> Iterator[str | Path]:
    """The inputs to read: directories expanded through `include` and `exclude`, files named
    explicitly kept unless excluded (so pre-commit, which names files, honours `exclude`), and
    with `changes`, only changed files. Missing paths pass through to be reported."""
    base = Path(config.glob_base) if config.glob_base else Path.cwd()

    def wanted(path: Path, found_in_directory: bool) -> bool:
        if any(glob_matches(g, path, base) for g in config.exclude):
            return False
        if found_in_directory and config.include and not any(glob_matches(g, path, base) for g in config.include):
            return False
        return changes is None or changes.changed_file(path)

    for raw in paths:
        path = Path(raw)
        if str(raw) == STDIN or not path.exists():
            yield raw
        elif path.is_dir():
            for item in find_files([path]):
                if isinstance(item, LoadFailure):
                    yield item.path
                elif wanted(item, True):
                    yield item
        elif wanted(path, False):
            yield raw


def _audit_in_project(document: Document, auditor: Auditor, config: Config) -> DocumentResult:
    """audit_document, with the project's rule selection and the document's inline suppressions.

    The suppression comments are blanked before extraction (offsets unchanged), so neither their
    codes nor their reasons are read as claims; the result keeps the document as written.
    """
    suppressions = find_suppressions(document.text)
    audited = replace(document, text=masked(document.text, suppressions.comments)) if suppressions.comments \
        else document
    result = audit_document(audited, auditor, judging_date(document, config))
    if audited is not document:
        result = replace(result, document=document)
    extra = config.ignored_in(document.path)
    rules = config.rules
    enabled: Callable[[str], bool] = lambda code: rules.enabled(code, extra)
    result = replace(result, findings=tuple(f for f in result.findings if enabled(f.code)),
                     flags=tuple(f for f in result.flags if enabled(f.code)))
    return apply_suppressions(result, suppressions, enabled)


def _file_part(path: str) -> str:
    """The file a document came from: JSON Lines records are shown as `file.jsonl#id`."""
    if "#" in path and not _exists(path):
        return path.rsplit("#", 1)[0]
    return path


def _exists(path: str) -> bool:
    """Path.exists, False for what cannot be a file name (a record id too long or holding a NUL)."""
    try:
        return Path(path).exists()
    except (OSError, ValueError):
        return False


def _line_precise(result: DocumentResult) -> bool:
    """Text and Markdown documents are audited as written, so their offsets map to file lines;
    HTML pages (extracted text) and JSON Lines records do not, and count as changed in full."""
    path = result.path
    return path == _file_part(path) and FORMATS.get(Path(path).suffix.lower()) in ("text", "markdown")


def _touches(result: DocumentResult, spans: Iterable[Span | None], changes: Changes) -> bool:
    if result.document is None or result.path.startswith("<") or not _line_precise(result):
        return True
    document = result.document
    for span in spans:
        if span is None:
            return True
        first, _ = document.line_column(span.start)
        last, _ = document.line_column(max(span.start, span.end - 1))
        if changes.touches(_file_part(result.path), first, last):
            return True
    return False


def _finding_changed(result: DocumentResult, finding: Finding, changes: Changes) -> bool:
    return _touches(result, (finding.claim.span, *finding.occurrences), changes)


def _only_changed(result: DocumentResult, changes: Changes) -> DocumentResult:
    """Only what is on added or modified lines; document-wide flags (no span) stay."""
    if result.error or result.document is None:
        return result
    return replace(result,
                   findings=tuple(f for f in result.findings if _finding_changed(result, f, changes)),
                   flags=tuple(f for f in result.flags if _touches(result, (f.span,), changes)),
                   notices=tuple(n for n in result.notices if _touches(result, (n.span,), changes)))
