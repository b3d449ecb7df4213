"""What an audit produces: findings (a verdict on a claim) and flags (on a document's provenance)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import Enum

from claims.model import Claim, Document, Span
from references.model import Source


class Verdict(str, Enum):
    VERIFIED = "verified"
    CONTRADICTED = "contradicted"
    UNVERIFIED = "unverified"


VERDICT_ORDER = {Verdict.VERIFIED: 0, Verdict.UNVERIFIED: 1, Verdict.CONTRADICTED: 2}


@dataclass(frozen=True)
class Reference:
    """The registry record a finding rests on, with the value it holds and where it was read."""

    id: str
    name: str
    value: object = None          # JSON-ready: a number, {"min", "max"}, a date string, a status
    valid_from: str | None = None
    valid_to: str | None = None
    as_of: str | None = None
    sources: tuple[Source, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class Suppression:
    """Why a finding does not count: an inline comment in the article, or a baseline entry."""

    kind: str                # "inline" or "baseline"
    reason: str = ""
    span: Span | None = None  # the comment, for inline suppressions


@dataclass(frozen=True)
class Finding:
    code: str
    verdict: Verdict
    claim: Claim
    message: str
    reference: Reference | None = None
    suggestion: str | None = None
    occurrences: tuple[Span, ...] = ()
    suppression: Suppression | None = None


@dataclass(frozen=True)
class Flag:
    kind: str      # aggregator, machine_translation, ai_generated, unreliable_source
    code: str
    message: str
    span: Span | None = None
    evidence: tuple[str, ...] = ()
    confidence: str = "high"


@dataclass(frozen=True)
class Notice:
    """A problem with the audit's own instructions in a document: a suppression without a
    reason, or one that matched nothing. Reported like a finding, with a rule code."""

    code: str
    message: str
    span: Span | None = None


@dataclass(frozen=True)
class RegistryInfo:
    fingerprint: str
    entities: int
    events: int
    facts: int
    sources: int
    paths: tuple[str, ...] = ()


@dataclass(frozen=True)
class DocumentResult:
    path: str
    document: Document | None = None
    findings: tuple[Finding, ...] = ()
    flags: tuple[Flag, ...] = ()
    error: str | None = None
    as_of: dt.date | None = None
    source_kind: str | None = None
    source_rating: float | None = None
    notices: tuple[Notice, ...] = ()

    def count(self, verdict: Verdict) -> int:
        return sum(1 for f in self.findings if f.verdict is verdict)


@dataclass(frozen=True)
class StreamedResult:
    """A document's result reduced to what a run that only writes JSON Lines needs of it: its report
    line, its exit code under the gate, its (new, baselined) counts and the size of its text (for
    the progress bar). Made where the document was audited, so a worker sends back a string and a
    few numbers instead of the result's objects, whose unpickling cost the command more than
    writing the line did (bench/README.md)."""

    path: str
    error: str | None
    line: str
    exit_code: int
    new: int
    baselined: int
    text_bytes: int


@dataclass(frozen=True)
class AuditResult:
    documents: tuple[DocumentResult, ...]
    registry: RegistryInfo
    tool_version: str
    options: dict = field(default_factory=dict)

    def findings(self):
        for document in self.documents:
            yield from document.findings

    def summary(self) -> dict:
        counts = {v.value: 0 for v in Verdict}
        flags: dict[str, int] = {}
        for document in self.documents:
            for finding in document.findings:
                counts[finding.verdict.value] += 1
            for flag in document.flags:
                flags[flag.kind] = flags.get(flag.kind, 0) + 1
        return {
            "documents": len(self.documents),
            "errors": sum(1 for d in self.documents if d.error),
            "findings": sum(counts.values()),
            **counts,
            "flags": dict(sorted(flags.items())),
        }
