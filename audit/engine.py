"""Run an audit: load the registry once, then audit each document with pure functions.

`audit_document(document, auditor, as_of)` depends only on its arguments, so documents can be
audited in any order or in parallel and give the same result.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Iterable

from claims.extract import extract_claims
from claims.loading import LoadFailure, load_documents
from claims.model import Document, Span
from references.cache import load_cached
from references.index import RegistryIndex
from references.loader import load_registry
from references.model import Registry

from . import __version__
from .model import AuditResult, DocumentResult, Finding, RegistryInfo, Verdict
from .provenance import ProvenanceChecker
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
                          as_of=as_of, source_kind=entry.kind if entry else None)


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
    """Audit every file under `paths` (`-` reads `stdin`); unreadable inputs become document errors."""
    auditor = auditor or Auditor.from_config(config)
    results = []
    for item in load_documents(paths, config.language, config.stdin_format, stdin):
        if isinstance(item, LoadFailure):
            results.append(DocumentResult(path=item.path, error=item.message))
            continue
        try:
            results.append(audit_document(item, auditor, judging_date(item, config)))
        except Exception as exc:  # one document must never stop the audit of the others
            results.append(DocumentResult(path=item.path, document=item,
                                          error=f"internal error while auditing: {type(exc).__name__}: {exc}"))
    options = {"as_of": config.as_of.isoformat() if config.as_of else None, "language": config.language}
    return AuditResult(documents=tuple(results), registry=auditor.info(), tool_version=__version__,
                       options=options)
