"""A Markdown summary for a pull-request comment or a CI job summary: totals, then a table per
document of its contradicted and unverified claims, flags and notices.

Text from articles is escaped: it can never become a link, an image, raw HTML, a table cell
break or an @-mention. Only http(s) source URLs are linked.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import quote

from audit.model import AuditResult, DocumentResult

from .common import Entry, entries, is_web_url, one_line, plural, report_path, suppressed_count, totals

if TYPE_CHECKING:
    from .formats import RenderOptions

MARKS = {"contradicted": "✗", "unverified": "?", "verified": "✓", "flag": "⚑", "notice": "!"}
_SPECIAL = re.compile(r"([\\`*_\[\]#|~$])")


def escape(text: str) -> str:
    """Inline Markdown for arbitrary text: one line, punctuation escaped, no HTML, no mentions."""
    text = one_line(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _SPECIAL.sub(r"\\\1", text)
    return text.replace("@", "@\u200b")  # "@name" in a comment would notify a GitHub user


def link(title: str, url: str | None) -> str:
    """A Markdown link when `url` is http(s), else the escaped title alone."""
    if not is_web_url(url):
        return escape(title)
    return f"[{escape(title)}]({quote(url, safe=':/?#[]@!$&*+,;=%~')})"


def render(result: AuditResult, options: RenderOptions) -> str:
    t = totals(result.documents)
    out = ["## source-audit", "", _headline(t), ""]
    quiet = []
    for document in result.documents:
        section = _document(document, options)
        if section:
            out += section
        else:
            quiet.append(document)
    if quiet:
        out += [f"{plural(len(quiet), 'other document')} with nothing to report.", ""]
    info = result.registry
    out.append(f"<sub>source-audit {escape(result.tool_version)}, registry {escape(info.fingerprint)}: "
               f"{info.entities} entities, {info.events} events, {info.facts} facts, "
               f"{info.sources} sources.</sub>")
    return "\n".join(out) + "\n"


def _headline(t: dict) -> str:
    parts = [f"**{t['contradicted']} contradicted**", f"{t['unverified']} unverified",
             f"{t['verified']} verified"]
    line = ", ".join(parts) + f" claim(s) in {plural(t['documents'], 'document')}"
    extras = []
    if t["flags"]:
        extras.append(plural(t["flags"], "provenance flag"))
    if t["notices"]:
        extras.append(plural(t["notices"], "notice"))
    extras.append(f"{t['suppressed']} suppressed")
    if t["errors"]:
        extras.append(f"**{plural(t['errors'], 'document')} could not be audited**")
    return line + "; " + ", ".join(extras) + "."


def _document(document: DocumentResult, options: RenderOptions) -> list[str]:
    shown = entries(document, show_verified=options.show_verified)
    suppressed = suppressed_count(document)
    if not (shown or suppressed or document.error):
        return []
    out = [f"### {escape(report_path(document.path, options.root))}", ""]
    if document.error:
        return out + [f"**Could not be audited:** {escape(document.error)}", ""]
    out += [_meta(document), ""]
    findings = [e for e in shown if e.finding]
    others = [e for e in shown if not e.finding]
    for entry in others:
        where = f" (line {entry.start.line}:{entry.start.column})" if entry.start else ""
        out.append(f"- {MARKS[entry.label]} **{entry.code}** {entry.label}{where}: {escape(entry.message)}")
    if others:
        out.append("")
    if findings:
        out += ["| Line | Verdict | Rule | Claim | Finding | Sources |", "|---:|---|---|---|---|---|"]
        out += [_row(entry) for entry in findings]
        out.append("")
    if suppressed:
        out += [f"{suppressed} suppressed.", ""]
    return out


def _meta(document: DocumentResult) -> str:
    doc = document.document
    parts = []
    if doc.title:
        parts.append(f"*{escape(doc.title)}*")
    if doc.url:
        parts.append(link(doc.domain or doc.url, doc.url))
    parts.append(f"published {doc.published}" if doc.published else "undated")
    parts.append(f"judged as of {document.as_of}")
    return ", ".join(parts)


def _row(entry: Entry) -> str:
    finding = entry.finding
    sources = ""
    if finding.reference:
        sources = ", ".join(link(s.citation, s.url) for s in finding.reference.sources if is_web_url(s.url))
    cells = [f"{entry.start.line}:{entry.start.column}", f"{MARKS[entry.label]} {entry.label}",
             f"{entry.code} {escape(entry.rule_name)}".strip(), escape(finding.claim.text), escape(finding.message),
             sources]
    return "| " + " | ".join(cells) + " |"
