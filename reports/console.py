"""The console report (rich): per document, claims by verdict and flags, then what needs a look."""
from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from audit.model import AuditResult, DocumentResult, Verdict

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
    counts = "  ".join(f"{MARKS[v]} {result.count(v)} {v.value}" for v in Verdict)
    meta = f"{doc.language}" + (f", published {doc.published}" if doc.published else ", undated") \
        + f", judged as of {result.as_of}" + (f", {doc.domain}" if doc.domain else "")
    console.print(header, Text(f"  ({meta})", style="dim"))
    console.print(Text("  " + counts))
    for flag in result.flags:
        console.print(Text(f"  ⚑ {flag.kind} [{flag.code}]: ", style="bold magenta") + Text(flag.message))
    shown = [f for f in result.findings if show_verified or f.verdict is not Verdict.VERIFIED]
    if shown:
        table = Table(show_header=True, header_style="bold", box=None, pad_edge=False, expand=False)
        table.add_column("line", justify="right", no_wrap=True)
        table.add_column("verdict", no_wrap=True)
        table.add_column("rule", no_wrap=True)
        table.add_column("claim", overflow="fold", max_width=40)
        table.add_column("why", overflow="fold")
        for finding in sorted(shown, key=lambda f: (-_rank(f.verdict), f.claim.span.start)):
            line, _ = doc.line_column(finding.claim.span.start)
            table.add_row(str(line), Text(finding.verdict.value, style=STYLES[finding.verdict]), finding.code,
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
    line = (f"{s['documents']} document(s), {s['findings']} claim(s): {s['verified']} verified, "
            f"{s['contradicted']} contradicted, {s['unverified']} unverified")
    if s["flags"]:
        line += "; flags: " + ", ".join(f"{k} {v}" for k, v in s["flags"].items())
    if s["errors"]:
        line += f"; {s['errors']} file(s) could not be read"
    console.print(Text(line, style="bold"))
    console.print(Text(f"registry {result.registry.fingerprint}: {result.registry.entities} entities, "
                       f"{result.registry.events} events, {result.registry.facts} facts, "
                       f"{result.registry.sources} sources", style="dim"))
