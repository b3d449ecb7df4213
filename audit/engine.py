"""Run an audit: load the registry once, then audit each document with pure functions.

`audit_document(document, auditor, as_of)` depends only on its arguments, so documents can be
audited in any order or in parallel and give the same result. `run` adds what a project asks
for around it: which files and rules, inline suppressions, a baseline, only what changed in git.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import BinaryIO, Callable, Iterable, Iterator

from claims.extract import extract_claims
from claims.loading import FORMATS, STDIN, LoadFailure, find_files, load_documents
from claims.model import Document, Span
from references.cache import load_cached
from references.index import RegistryIndex
from references.loader import load_registry
from references.model import Registry

from . import __version__
from .baseline import Baseline
from .changes import Changes, changed_since
from .config import glob_matches
from .model import AuditResult, DocumentResult, Finding, RegistryInfo, Verdict
from .provenance import ProvenanceChecker
from .rules import RuleSelection
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

    @classmethod
    def from_config(cls, config: Config) -> "Auditor":
        if not config.use_cache:
            return cls(load_registry(config.registries, include_bundled=config.include_bundled))
        registry, index = load_cached(config.registries, include_bundled=config.include_bundled,
                                      cache_dir=config.cache_dir)
        return cls(registry, index)

    def info(self) -> RegistryInfo:
        r = self.registry
        return RegistryInfo(fingerprint=r.fingerprint, entities=len(r.entities), events=len(r.events),
                            facts=len(r.facts), sources=sum(1 for _ in r.sources()), paths=r.paths)


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
        stdin: BinaryIO | None = None) -> AuditResult:
    """Audit every file under `paths` (`-` reads `stdin`); unreadable inputs become document errors.

    Raises BaselineError or GitError (before auditing anything) when the baseline file or the
    `changed_since` revision cannot be used.
    """
    baseline = Baseline.load(config.baseline) if config.baseline else None
    changes = changed_since(config.changed_since) if config.changed_since else None
    auditor = auditor or Auditor.from_config(config)
    results = []
    inputs = list(select_inputs(paths, config, changes))
    for item in load_documents(inputs, config.language, config.stdin_format, stdin):
        if isinstance(item, LoadFailure):
            results.append(DocumentResult(path=item.path, error=item.message))
            continue
        try:
            results.append(_audit_in_project(item, auditor, config))
        except Exception as exc:  # one document must never stop the audit of the others
            results.append(DocumentResult(path=item.path, document=item,
                                          error=f"internal error while auditing: {type(exc).__name__}: {exc}"))
    options = {"as_of": config.as_of.isoformat() if config.as_of else None, "language": config.language,
               "changed_since": config.changed_since, "baseline": config.baseline}
    result = AuditResult(documents=tuple(results), registry=auditor.info(), tool_version=__version__,
                         options=options)
    if baseline is not None:
        touched = (lambda d, f: _finding_changed(d, f, changes)) if changes else (lambda d, f: False)
        result = baseline.apply(result, config.root, touched)
    if changes is not None:
        result = replace(result, documents=tuple(_only_changed(d, changes) for d in result.documents))
    return result


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
    if "#" in path and not Path(path).exists():
        return path.rsplit("#", 1)[0]
    return path


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
