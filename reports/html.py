"""The HTML report: an index of all documents and one page per document with its claims marked in the text.

Pages come from Jinja2 templates in `reports/templates/`; a user's templates directory takes
precedence and can extend the originals as "default:<name>". Autoescaping is always on: article and
registry text is never trusted. The stylesheet and script are inlined and pinned by hash in each
page's Content-Security-Policy, so the report works from file:// and nothing else can load or run.
"""
from __future__ import annotations

import base64
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path, PurePath

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, PrefixLoader, StrictUndefined
from markupsafe import Markup

from audit.model import VERDICT_ORDER, AuditResult, DocumentResult, Verdict
from audit.rules import RULES_BY_CODE
from claims.model import Span

from .files import write_text_atomic

INDEX = "index.html"
FLAG_CSS = "flag-evidence"
_WEB_URL = re.compile(r"https?://[^\s\x00-\x1f\x7f]+\Z", re.IGNORECASE)


@dataclass(frozen=True)
class Page:
    """A document's row in the index and, unless it failed, the file of its own page."""

    number: int
    result: DocumentResult
    filename: str | None

    @property
    def title(self) -> str:
        document = self.result.document
        return document.title if document and document.title else PurePath(self.result.path).name


@dataclass(frozen=True)
class Highlight:
    """One span to mark in the text and the entry of the findings or flags list it links to."""

    span: Span
    target: str       # id of the finding or flag in the lists ("f-3", "flag-1")
    anchor: str       # id placed where the span starts, for links back into the text
    css: str          # "verdict-contradicted", ... or "flag-evidence"
    label: str        # what a reader hovering the mark is told
    rank: tuple       # smaller wins when highlights overlap: most severe, then innermost


@dataclass(frozen=True)
class Segment:
    """A stretch of text between two span boundaries, marked for the highlight that wins there."""

    text: str
    anchors: tuple[str, ...] = ()
    mark: Highlight | None = None
    starts: bool = False      # the mark's span begins here (the verdict icon goes here, once per span)
    flagged: bool = False     # a flag's evidence covers it too
    labels: tuple[str, ...] = ()


def write_report(result: AuditResult, directory: Path, templates_dir: Path | None = None) -> list[Path]:
    """Write the index and every document page into `directory`; returns the files in order."""
    directory = Path(directory)
    written = []
    for name, text in render_pages(result, templates_dir).items():
        path = directory / name
        write_text_atomic(path, text)
        written.append(path)
    return written


def render_pages(result: AuditResult, templates_dir: Path | None = None) -> dict[str, str]:
    """File name -> HTML, index first, documents in input order: the same result gives the same bytes."""
    env = environment(templates_dir)
    css = env.get_template("report.css").render()
    js = env.get_template("report.js").render()
    common = {
        # Trusted template output, not article or registry text: inlined verbatim and pinned by hash.
        "css": Markup(css),
        "js": Markup(js),
        "csp": content_security_policy(css, js),
        "result": result,
        "summary": result.summary(),
    }
    pages = [Page(n, doc, None if doc.error else page_filename(n, doc.path))
             for n, doc in enumerate(result.documents, start=1)]
    out = {INDEX: env.get_template("index.html").render(pages=pages, **common)}
    for page in pages:
        if page.filename:
            document = page.result.document
            out[page.filename] = env.get_template("document.html").render(
                page=page, document=document, segments=segments(document.text, highlights(page.result)),
                **common)
    return out


def environment(templates_dir: Path | None = None) -> Environment:
    """Templates from `templates_dir` first, then the bundled ones (also reachable as "default:...")."""
    bundled = PackageLoader("reports", "templates")
    loaders = [FileSystemLoader(str(templates_dir))] if templates_dir else []
    loaders += [bundled, PrefixLoader({"default": bundled}, delimiter=":")]
    env = Environment(loader=ChoiceLoader(loaders), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["value"] = format_value
    env.tests["web_url"] = is_web_url
    env.globals["rules"] = RULES_BY_CODE
    env.globals["verdicts"] = tuple(Verdict)
    return env


def content_security_policy(css: str, js: str) -> str:
    """Allow exactly the inlined stylesheet and script, and nothing from anywhere."""
    def digest(text: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"
    return (f"default-src 'none'; style-src {digest(css)}; script-src {digest(js)}; "
            "base-uri 'none'; form-action 'none'")


def page_filename(number: int, path: str) -> str:
    """`doc-<n>-<slug>.html`: the position makes it unique, the slug makes it recognisable."""
    name = unicodedata.normalize("NFKD", PurePath(path).name.casefold()).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", name).strip("-")[:60].rstrip("-")
    return f"doc-{number}-{slug or 'document'}.html"


def is_web_url(url: object) -> bool:
    """Only http(s) URLs become links: a registry or front matter may hold `javascript:` or worse."""
    return isinstance(url, str) and bool(_WEB_URL.match(url))


def format_value(value: object) -> str:
    """A reference value as a reader expects it: 3,000–5,000, at least 10, 193, 2015-01-13, active."""
    def number(x: object) -> str:
        return f"{x:,}" if isinstance(x, (int, float)) and not isinstance(x, bool) else str(x)
    if isinstance(value, dict) and set(value) <= {"min", "max"} and value:
        if "min" in value and "max" in value:
            return f"{number(value['min'])}–{number(value['max'])}"
        return f"at least {number(value['min'])}" if "min" in value else f"at most {number(value['max'])}"
    return number(value)


def highlights(result: DocumentResult) -> list[Highlight]:
    """Every span to mark: each finding's claim and occurrences, and each flag's evidence."""
    out = []
    for i, finding in enumerate(result.findings, start=1):
        severity = -VERDICT_ORDER[finding.verdict]
        label = f"{finding.verdict.value}: {finding.code}"
        for k, span in enumerate((finding.claim.span, *finding.occurrences)):
            out.append(Highlight(span, f"f-{i}", f"t-{i}" + (f"-{k}" if k else ""),
                                 f"verdict-{finding.verdict.value}", label, (severity, len(span), i)))
    for i, flag in enumerate(result.flags, start=1):
        if flag.span:
            out.append(Highlight(flag.span, f"flag-{i}", f"t-flag-{i}", FLAG_CSS,
                                 f"{flag.kind}: {flag.code}", (1, len(flag.span), i)))  # after any finding
    return out


def segments(text: str, marks: list[Highlight]) -> list[Segment]:
    """Cut the text at every span boundary so overlapping or nested spans never break it.

    Each piece is marked for the most severe, then innermost, finding covering it (links cannot
    nest, so a piece links to one finding; its title names all); flag evidence is marked only where
    no finding is, and adds a style elsewhere. Spans outside the text are skipped. Joining the
    pieces' text gives back the document text exactly.
    """
    marks = [m for m in marks if 0 <= m.span.start <= m.span.end <= len(text)]
    cuts = sorted({0, len(text), *(m.span.start for m in marks), *(m.span.end for m in marks)})
    out = []
    for start, end in zip(cuts, cuts[1:]):
        covering = sorted((m for m in marks if m.span.start <= start and end <= m.span.end),
                          key=lambda m: m.rank)
        mark = covering[0] if covering else None
        out.append(Segment(
            text=text[start:end],
            anchors=tuple(m.anchor for m in marks if m.span.start == start),
            mark=mark,
            starts=mark is not None and mark.span.start == start,
            flagged=mark is not None and mark.css != FLAG_CSS and any(m.css == FLAG_CSS for m in covering),
            labels=tuple(dict.fromkeys(m.label for m in covering)),
        ))
    return out
