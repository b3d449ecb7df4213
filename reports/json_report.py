"""The JSON report: the versioned contract other tools depend on (extend it, never break it)."""
from __future__ import annotations

import json

from audit.model import AuditResult, DocumentResult, Finding, Flag, Notice, Suppression
from claims.model import Document, Span
from references.model import Source

SCHEMA_VERSION = 1
SCHEMA_FILE = "schema/report.schema.json"  # the published JSON Schema of this report, package data


def json_schema() -> dict:
    """The JSON Schema (draft 2020-12) the report validates against, as installed with the package."""
    from importlib.resources import files

    return json.loads((files("reports") / SCHEMA_FILE).read_text(encoding="utf-8"))


def _span(span: Span | None) -> dict | None:
    return {"start": span.start, "end": span.end} if span else None


def _sources(sources: tuple[Source, ...]) -> list[dict]:
    out = []
    for s in sources:
        entry = {"url": s.url, "title": s.citation}
        if s.publisher:
            entry["publisher"] = s.publisher
        if s.date:
            entry["date"] = str(s.date)
        out.append(entry)
    return out


def _position(document: Document | None, span: Span) -> dict:
    if document is None:
        return {}
    line, column = document.line_column(span.start)
    return {"line": line, "column": column}


def finding_dict(finding: Finding, document: Document | None) -> dict:
    claim = finding.claim
    reference = None
    if finding.reference:
        ref = finding.reference
        reference = {"id": ref.id, "name": ref.name, "value": ref.value, "sources": _sources(ref.sources)}
        for key in ("valid_from", "valid_to", "as_of"):
            if getattr(ref, key):
                reference[key] = getattr(ref, key)
        if ref.note:
            reference["note"] = ref.note
    out = {
        "code": finding.code,
        "verdict": finding.verdict.value,
        "claim_type": claim.claim_type.value,
        "text": claim.text,
        "span": _span(claim.span),
        **_position(document, claim.span),
        "message": finding.message,
        "reference": reference,
        "property": claim.property,
    }
    if claim.subject:
        out["subject"] = {"id": claim.subject.id, "name": claim.subject.name, "kind": claim.subject.kind,
                          "why": claim.subject.reason}
    if claim.quantity:
        q = claim.quantity
        out["quantity"] = {"value": _number(q.value) if q.parsed else None, "comparator": q.comparator.value,
                           "high": _number(q.high) if q.high is not None else None, "unit": q.unit or None,
                           "rate": q.rate, "parsed": q.parsed}
    if claim.date:
        out["date"] = str(claim.date)
    if finding.suggestion:
        out["suggestion"] = finding.suggestion
    if finding.occurrences:
        out["occurrences"] = [{**_span(s), **_position(document, s)} for s in finding.occurrences]
    if finding.suppression:
        out["suppression"] = suppression_dict(finding.suppression, document)
    return out


def suppression_dict(suppression: Suppression, document: Document | None) -> dict:
    out = {"kind": suppression.kind, "reason": suppression.reason}
    if suppression.span:
        out["span"] = _span(suppression.span)
        out.update(_position(document, suppression.span))
    return out


def notice_dict(notice: Notice, document: Document | None) -> dict:
    out = {"code": notice.code, "message": notice.message, "span": _span(notice.span)}
    if notice.span:
        out.update(_position(document, notice.span))
    return out


def _number(x: float) -> int | float:
    return int(x) if float(x).is_integer() else x


def flag_dict(flag: Flag) -> dict:
    out = {"code": flag.code, "kind": flag.kind, "message": flag.message, "span": _span(flag.span),
           "confidence": flag.confidence}
    if flag.evidence:
        out["evidence"] = list(flag.evidence)
    return out


def document_dict(result: DocumentResult, include_text: bool = False) -> dict:
    doc = result.document
    out = {
        "path": result.path,
        "title": doc.title if doc else None,
        "site": getattr(doc, "site", None) if doc else None,
        "language": doc.language if doc else None,
        "published": doc.published.isoformat() if doc and doc.published else None,
        "judged_as_of": result.as_of.isoformat() if result.as_of else None,
        "source": {"url": doc.url if doc else None, "domain": doc.domain if doc else None,
                   "kind": result.source_kind, "rating": result.source_rating},
        "flags": [flag_dict(f) for f in result.flags],
        "findings": [finding_dict(f, doc) for f in result.findings],
        "error": result.error,
        "notices": [notice_dict(n, doc) for n in result.notices],
    }
    if include_text and doc is not None:
        out["text"] = doc.text
    return out


def to_dict(result: AuditResult, include_text: bool = False) -> dict:
    info = result.registry
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "source-audit", "version": result.tool_version},
        "registry": {"fingerprint": info.fingerprint, "entities": info.entities, "events": info.events,
                     "facts": info.facts, "sources": info.sources},
        "documents": [document_dict(d, include_text) for d in result.documents],
        "summary": _summary(result),
    }


def _summary(result: AuditResult) -> dict:
    """The model's counts (suppressed findings included), plus how many are suppressed and the notices."""
    summary = result.summary()
    summary.setdefault("suppressed", sum(1 for f in result.findings() if f.suppression is not None))
    summary.setdefault("notices", sum(len(d.notices) for d in result.documents))
    return summary


def render(result: AuditResult, include_text: bool = False) -> str:
    """Deterministic JSON text: same audit, same bytes."""
    return json.dumps(to_dict(result, include_text), ensure_ascii=False, indent=2, sort_keys=False) + "\n"
