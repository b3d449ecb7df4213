"""The concise report: one line per problem, `path:line:col: CODE label message`, as compilers and
linters print them, so editors and CI problem matchers can jump to each one."""
from __future__ import annotations

from typing import TYPE_CHECKING

from audit.model import AuditResult

from .common import entries, one_line, plural, report_path, totals

if TYPE_CHECKING:
    from .formats import RenderOptions


def render(result: AuditResult, options: RenderOptions) -> str:
    """Lines sorted by path, then position; a last line with the counts (suppressed findings
    are not listed, only counted)."""
    lines: list[tuple] = []
    for document in result.documents:
        path = report_path(document.path, options.root)
        if document.error:
            lines.append((path, 0, 0, f"{path}:1:1: error could not be audited: {one_line(document.error)}"))
        for entry in entries(document, show_verified=options.show_verified):
            line, column = (entry.start.line, entry.start.column) if entry.start else (1, 1)
            text = f"{path}:{line}:{column}: {entry.code} {entry.label} {one_line(entry.message)}"
            lines.append((path, line, column, text))
    out = [text for *_, text in sorted(lines, key=lambda item: item[:3])]
    out.append(_summary(totals(result.documents), options.show_verified))
    return "\n".join(out) + "\n"


def _summary(t: dict, show_verified: bool) -> str:
    parts = [f"{t['contradicted']} contradicted", f"{t['unverified']} unverified"]
    if show_verified:
        parts.append(f"{t['verified']} verified")
    parts += [plural(t["flags"], "flag"), plural(t["notices"], "notice"), f"{t['suppressed']} suppressed"]
    if t["errors"]:
        parts.append(plural(t["errors"], "error"))
    return f"Found in {plural(t['documents'], 'document')}: " + ", ".join(parts) + "."
