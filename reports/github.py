"""GitHub Actions workflow commands: one annotation per problem on the line it is about, and a
Markdown job summary.

`::error` for contradicted findings and documents that could not be audited, `::warning` for
unverified findings and provenance flags, `::notice` for verified findings (only with
`show_verified`); notices (SA9xx) as their rule's level (`::error` for SA901 and SA903).
Suppressed findings are not annotated; the summary counts them.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from audit.model import AuditResult

from . import markdown
from .common import entries, report_path

if TYPE_CHECKING:
    from .formats import RenderOptions

COMMANDS = {"error": "error", "warning": "warning", "note": "notice"}


def escape_data(text: str) -> str:
    """A command's message, as the Actions runner unescapes it."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A command property value (file, title): `:` and `,` would end it early."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(name: str, message: str, **properties) -> str:
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items()
                     if value is not None)
    return f"::{name}{' ' + props if props else ''}::{escape_data(message)}"


def render(result: AuditResult, options: RenderOptions) -> str:
    """The workflow commands. With `options.summary_path` (the file named by $GITHUB_STEP_SUMMARY)
    the Markdown summary is appended to that file; it is never part of the returned text."""
    lines = []
    for document in result.documents:
        path = report_path(document.path, options.root)
        if document.error:
            lines.append(command("error", f"could not be audited: {document.error}", file=path,
                                 title="source-audit"))
        for entry in entries(document, show_verified=options.show_verified):
            location = {}
            if entry.span is not None and document.document is not None:
                # GitHub's end column is the last annotated character (SARIF's is the one after it).
                end_line, end_column = document.document.line_column(max(entry.span.start, entry.span.end - 1))
                location = {"line": entry.start.line, "col": entry.start.column, "endLine": end_line,
                            "endColumn": end_column}
            lines.append(command(COMMANDS[entry.severity], f"{entry.label}: {entry.message}", file=path, **location,
                                 title=entry.title))
    if options.summary_path is not None:
        with open(options.summary_path, "a", encoding="utf-8", newline="\n") as handle:
            handle.write(markdown.render(result, options))
    return "".join(line + "\n" for line in lines)
