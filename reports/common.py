"""What every report format needs from an AuditResult: paths as shown, positions, and the
findings, flags and notices of a document as one sorted list of entries."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from audit.baseline import relative_path
from audit.model import DocumentResult, Finding, Flag, Notice, Suppression, Verdict
from audit.rules import RULES_BY_CODE
from claims.model import Document, Span

# How each kind of entry is labelled in line-oriented formats, most serious first.
LABELS = ("contradicted", "unverified", "verified", "flag", "notice")
# Severity (SARIF's levels) of findings by verdict, and of flags; notices take their rule's level.
SEVERITIES = {"contradicted": "error", "unverified": "warning", "verified": "note", "flag": "warning"}


def rule_level(code: str) -> str:
    """A rule's severity when nothing more specific is known: `error` for rules whose findings fail
    the default gate (and for codes not in RULES, as audit.gating treats them), else `warning`."""
    rule = RULES_BY_CODE.get(code)
    return "error" if rule is None or rule.default_level == "error" else "warning"


def report_path(path: str, root: Path | None = None) -> str:
    """The document path as reports show it: relative to `root` when the file is inside it, with
    forward slashes. The same path baselines key findings on, so SARIF fingerprints match them."""
    return relative_path(path, root)


def is_web_url(url: str | None) -> bool:
    """Only http(s) addresses are ever turned into links."""
    if not url or url != url.strip() or any(ord(c) < 32 for c in url):
        return False
    parts = urlsplit(url)
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


@dataclass(frozen=True)
class Position:
    line: int
    column: int


@dataclass(frozen=True)
class Entry:
    """One thing a report lists about a document: a finding, a provenance flag or a notice."""

    code: str
    label: str                   # a verdict value, "flag" or "notice"
    message: str
    span: Span | None
    start: Position | None
    end: Position | None
    finding: Finding | None = None
    flag: Flag | None = None
    notice: Notice | None = None

    @property
    def suppression(self) -> Suppression | None:
        return self.finding.suppression if self.finding else None

    @property
    def severity(self) -> str:
        """error, warning or note: contradicted is an error, unverified a warning, verified a note;
        flags are warnings; a notice is as severe as its rule's default level."""
        return SEVERITIES.get(self.label) or rule_level(self.code)

    @property
    def rule_name(self) -> str:
        rule = RULES_BY_CODE.get(self.code)
        return rule.name if rule else ""

    @property
    def title(self) -> str:
        """'SA201 casualty-figure', or the bare code of a rule the registry of rules does not know."""
        return f"{self.code} {self.rule_name}".strip()

    def sort_key(self) -> tuple:
        start = (self.start.line, self.start.column) if self.start else (0, 0)
        return (*start, LABELS.index(self.label) if self.label in LABELS else len(LABELS), self.code, self.message)


def position(document: Document | None, offset: int) -> Position | None:
    if document is None:
        return None
    line, column = document.line_column(offset)
    return Position(line, column)


def _entry(document: Document | None, code: str, label: str, message: str, span: Span | None, **kind) -> Entry:
    start = position(document, span.start) if span else None
    end = position(document, span.end) if span else None
    return Entry(code, label, message, span, start, end, **kind)


def entries(result: DocumentResult, show_verified: bool = True, suppressed: bool = False) -> list[Entry]:
    """The document's findings, flags and notices in reading order.

    Verified findings only with `show_verified`; suppressed findings only with `suppressed`
    (formats that have no place for them just count them).
    """
    doc = result.document
    out = []
    for finding in result.findings:
        if finding.verdict is Verdict.VERIFIED and not show_verified:
            continue
        if finding.suppression is not None and not suppressed:
            continue
        out.append(_entry(doc, finding.code, finding.verdict.value, finding.message, finding.claim.span,
                          finding=finding))
    for flag in result.flags:
        out.append(_entry(doc, flag.code, "flag", flag.message, flag.span, flag=flag))
    for notice in result.notices:
        out.append(_entry(doc, notice.code, "notice", notice.message, notice.span, notice=notice))
    return sorted(out, key=Entry.sort_key)


def suppressed_count(result: DocumentResult) -> int:
    return sum(1 for f in result.findings if f.suppression is not None)


def active_count(result: DocumentResult, verdict: Verdict) -> int:
    """Findings with this verdict that count: suppressed ones are left out."""
    return sum(1 for f in result.findings if f.verdict is verdict and f.suppression is None)


def one_line(text: str) -> str:
    """Collapse all whitespace (newlines included) so a message fits on one report line."""
    return " ".join(text.split())


def unique_names(paths: list[str]) -> list[str]:
    """The paths, with '#2', '#3'... added to repeats so that every name is distinct."""
    taken: set[str] = set()
    out = []
    for path in paths:
        name, number = path, 1
        while name in taken:
            number += 1
            name = f"{path}#{number}"
        taken.add(name)
        out.append(name)
    return out


def totals(documents) -> dict:
    """Counts over documents, suppressed findings left out of the verdict counts."""
    out = {"documents": 0, "errors": 0, "contradicted": 0, "unverified": 0, "verified": 0,
           "flags": 0, "notices": 0, "suppressed": 0}
    for document in documents:
        out["documents"] += 1
        out["errors"] += 1 if document.error else 0
        for verdict in Verdict:
            out[verdict.value] += active_count(document, verdict)
        out["flags"] += len(document.flags)
        out["notices"] += len(document.notices)
        out["suppressed"] += suppressed_count(document)
    return out


def plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count} {word if count == 1 else (many or word + 's')}"
