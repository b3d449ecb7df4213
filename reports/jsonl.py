"""The JSON Lines report, for corpora: one line per document, each the document object of the JSON
report with `schema_version` and `tool` added, so every line stands on its own. No summary line."""
from __future__ import annotations

import json
from typing import TYPE_CHECKING

from audit.model import AuditResult

from .json_report import SCHEMA_VERSION, document_dict

if TYPE_CHECKING:
    from .formats import RenderOptions

# JSON allows these raw inside strings, but line splitters such as str.splitlines() break on them.
_LINE_BREAKS = {"\u0085": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def render(result: AuditResult, options: RenderOptions) -> str:
    tool = {"name": "source-audit", "version": result.tool_version}
    lines = []
    for document in result.documents:
        record = {"schema_version": SCHEMA_VERSION, "tool": tool, **document_dict(document, options.include_text)}
        line = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
        for char, escaped in _LINE_BREAKS.items():
            line = line.replace(char, escaped)
        lines.append(line + "\n")
    return "".join(lines)
