"""The console report (rich): per document, claims by verdict, flags and notices, then what needs a look.

Suppressed findings are left out of the lists and the counts, and counted as "N suppressed".
"""
from __future__ import annotations

import io

from rich.console import Console
from rich.table import Table
from rich.text import Text

from audit.model import AuditResult, DocumentResult, Verdict

from .common import active_count, suppressed_count, totals

STYLES = {Verdict.VERIFIED: "green", Verdict.CONTRADICTED: "bold red", Verdict.UNVERIFIED: "yellow"}
MARKS = {Verdict.VERIFIED: "✓", Verdict.CONTRADICTED: "✗", Verdict.UNVERIFIED: "?"}


def render(result: AuditResult, console: Console, show_verified: bool = False) -> None:
    for document in result.documents:
        _document(document, console, show_verified)
    _summary(result, console)


def _document(result: DocumentResult, console: Console, show_verified: bool) -> None:
    header = Text(result.path, style="bold")
    if result.error:
        console.print(header, Text(f"  error: {result.error}", style="bold red"))
        console.print()
        return
    doc = result.document
    counts = "  ".join(f"{MARKS[v]} {active_count(result, v)} {v.value}" for v in Verdict)
    suppressed = suppressed_count(result)
    if suppressed:
        counts += f"  ({suppressed} suppressed)"
    meta = f"{doc.language}" + (f", published {doc.published}" if doc.published else ", undated") \
        + f", judged as of {result.as_of}" + (f", {doc.domain}" if doc.domain else "")
    console.print(header, Text(f"  ({meta})", style="dim"))
    console.print(Text("  " + counts))
    for flag in result.flags:
        console.print(Text(f"  ⚑ {flag.kind} [{flag.code}]: ", style="bold magenta") + Text(flag.message))
    for notice in result.notices:
        where = "line %d:%d " % doc.line_column(notice.span.start) if notice.span else ""
        console.print(Text(f"  ! notice [{notice.code}] {where}", style="bold cyan") + Text(notice.message))
    shown = [f for f in result.findings
             if f.suppression is None and (show_verified or f.verdict is not Verdict.VERIFIED)]
    if shown:
        table = Table(show_header=True, header_style="bold", box=None, pad_edge=False, expand=False)
        table.add_column("line:col", justify="right", no_wrap=True)
        table.add_column("verdict", no_wrap=True)
        table.add_column("rule", no_wrap=True)
        table.add_column("claim", overflow="fold", max_width=40)
        table.add_column("why", overflow="fold")
        for finding in sorted(shown, key=lambda f: (-_rank(f.verdict), f.claim.span.start)):
            line, column = doc.line_column(finding.claim.span.start)
            table.add_row(f"{line}:{column}", Text(finding.verdict.value, style=STYLES[finding.verdict]), finding.code,
                          Text(_short(finding.claim.text, 80)), Text(finding.message))
        console.print(table)
    console.print()


def _rank(verdict: Verdict) -> int:
    return {Verdict.CONTRADICTED: 2, Verdict.UNVERIFIED: 1, Verdict.VERIFIED: 0}[verdict]


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _summary(result: AuditResult, console: Console) -> None:
    s = result.summary()
    t = totals(result.documents)
    line = (f"{s['documents']} document(s), {s['findings']} claim(s): {t['verified']} verified, "
            f"{t['contradicted']} contradicted, {t['unverified']} unverified")
    if t["suppressed"]:
        line += f", {t['suppressed']} suppressed"
    if s["flags"]:
        line += "; flags: " + ", ".join(f"{k} {v}" for k, v in s["flags"].items())
    if t["notices"]:
        line += f"; {t['notices']} notice(s)"
    if s["errors"]:
        line += f"; {s['errors']} file(s) could not be read"
    console.print(Text(line, style="bold"))
    console.print(Text(f"registry {result.registry.fingerprint}: {result.registry.entities} entities, "
                       f"{result.registry.events} events, {result.registry.facts} facts, "
                       f"{result.registry.sources} sources", style="dim"))


def render_string(result: AuditResult, show_verified: bool = False, width: int = 120, color: bool = False) -> str:
    """The console report as text: a fixed width and no terminal detection, so the same audit gives
    the same bytes whatever the output is connected to (ANSI colours only with `color`); no
    trailing spaces from table padding."""
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, color_system="standard" if color else None,
                      force_terminal=color, no_color=not color, highlight=False, emoji=False,
                      legacy_windows=False)
    render(result, console, show_verified)
    return "".join(line.rstrip(" ") + "\n" for line in buffer.getvalue().splitlines())
