"""The SARIF 2.1.0 report, for code-scanning dashboards (GitHub, GitLab, Azure DevOps, IDE viewers).

Problems only: contradicted findings are `error`, unverified ones `warning`, provenance flags
(SA301–SA304) `warning`, notices (SA9xx) the level of their rule; verified findings are not
emitted. Suppressed findings are emitted with `suppressions` (`inSource` for an inline comment,
`external` for a baseline entry), so viewers show them as suppressed instead of losing them.
Documents that could not be audited are `toolExecutionNotifications` of the invocation.
"""
from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING
from urllib.parse import quote

from audit.fingerprint import finding_key
from audit.model import AuditResult, DocumentResult, Finding, Verdict
from audit.rules import RULES, Rule
from claims.model import Document, Span

from .common import entries, is_web_url, report_path, rule_level

if TYPE_CHECKING:
    from .formats import RenderOptions

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
FINGERPRINT = "sourceAuditKey/v1"  # its value is audit.fingerprint.finding_key, the baseline key

SUPPRESSION_KINDS = {"inline": "inSource", "baseline": "external"}


def render(result: AuditResult, options: RenderOptions) -> str:
    return json.dumps(to_dict(result, options), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def to_dict(result: AuditResult, options: RenderOptions) -> dict:
    rules = list(RULES)
    known = {rule.code for rule in rules}
    extra = sorted({e.code for d in result.documents for e in entries(d, suppressed=True)} - known)
    descriptors = [_rule(rule) for rule in rules] + [{"id": code} for code in extra]
    index = {d["id"]: i for i, d in enumerate(descriptors)}

    results = []
    notifications = []
    for document in result.documents:
        path = report_path(document.path, options.root)
        uri = artifact_uri(path)
        if document.error:
            notifications.append({
                "level": "error",
                "message": {"text": f"{path}: could not be audited: {document.error}"},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri}}}],
            })
        results.extend(_results(document, uri, options, index))
    invocation = {"executionSuccessful": not notifications}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    run = {
        "tool": {"driver": {"name": "source-audit", "version": result.tool_version, "rules": descriptors}},
        "columnKind": "unicodeCodePoints",  # our columns count Python characters, not UTF-16 units
        "invocations": [invocation],
        "results": results,
        "properties": {"registryFingerprint": result.registry.fingerprint},
    }
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}


def artifact_uri(path: str) -> str:
    """A URI reference for a report path: relative paths stay relative (percent-encoded),
    absolute ones become file: URIs."""
    if path.startswith("/"):
        return "file://" + quote(path, safe="/")
    return quote(path, safe="/")


def _rule(rule: Rule) -> dict:
    text = f"{rule.docs}\n\nFailing example: {rule.failing_example}\nPassing example: {rule.passing_example}"
    markdown = (f"{rule.docs}\n\n**Failing example**\n\n{_fenced(rule.failing_example)}\n\n"
                f"**Passing example**\n\n{_fenced(rule.passing_example)}")
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.docs},
        "help": {"text": text, "markdown": markdown},
        "defaultConfiguration": {"level": rule_level(rule.code)},
    }


def _fenced(text: str) -> str:
    """A code block: examples such as `<!-- source-audit: ignore -->` must show, not render."""
    fence = "`" * max(3, max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    return f"{fence}text\n{text}\n{fence}"


def _results(document: DocumentResult, uri: str, options: RenderOptions, index: dict) -> list[dict]:
    doc = document.document
    out = []
    for entry in entries(document, show_verified=False, suppressed=True):
        result = {
            "ruleId": entry.code,
            "ruleIndex": index[entry.code],
            "level": entry.severity,
            "message": {"text": entry.message},
            "locations": [_location(uri, doc, entry.span, entry.finding.claim.text if entry.finding else None)],
        }
        if entry.finding:
            _finding(result, entry.finding, document, uri, options)
        elif entry.flag:
            flag = entry.flag
            result["properties"] = {"kind": "flag", "flag": flag.kind, "confidence": flag.confidence,
                                    "evidence": list(flag.evidence)}
        else:
            result["properties"] = {"kind": "notice"}
        out.append(result)
    return out


def _finding(result: dict, finding: Finding, document: DocumentResult, uri: str, options: RenderOptions) -> None:
    doc = document.document
    result["partialFingerprints"] = {FINGERPRINT: finding_key(report_path(document.path, options.root), finding)}
    properties = {"kind": "finding", "verdict": finding.verdict.value, "claim": finding.claim.text,
                  "claimType": finding.claim.claim_type.value, "property": finding.claim.property}
    if finding.reference:
        ref = finding.reference
        properties["reference"] = {"id": ref.id, "name": ref.name, "value": ref.value}
        properties["sources"] = [s.url for s in ref.sources if is_web_url(s.url)]
    if finding.suggestion:
        properties["suggestion"] = finding.suggestion
    result["properties"] = properties
    if finding.occurrences:
        result["relatedLocations"] = [
            {"id": number, **_location(uri, doc, span, None), "message": {"text": "The same claim, repeated."}}
            for number, span in enumerate(finding.occurrences, start=1)]
    if finding.suppression:
        suppression = {"kind": SUPPRESSION_KINDS.get(finding.suppression.kind, "external"), "status": "accepted"}
        if finding.suppression.reason:
            suppression["justification"] = finding.suppression.reason
        if finding.suppression.span:
            suppression["location"] = _location(uri, doc, finding.suppression.span, None)
        result["suppressions"] = [suppression]


def _location(uri: str, document: Document | None, span: Span | None, snippet: str | None) -> dict:
    physical = {"artifactLocation": {"uri": uri}}
    if span is not None and document is not None:
        start_line, start_column = document.line_column(span.start)
        end_line, end_column = document.line_column(span.end)
        region = {"startLine": start_line, "startColumn": start_column, "endLine": end_line,
                  "endColumn": end_column}
        if snippet:
            region["snippet"] = {"text": snippet}
        physical["region"] = region
    return {"physicalLocation": physical}
