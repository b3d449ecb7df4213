"""The HTML report: an index of all documents and one page per document with its claims marked in the text.

Pages come from Jinja2 templates in `reports/templates/`; a user's templates directory takes
precedence and can extend the originals as "default:<name>". Autoescaping is always on: article and
registry text is never trusted. The stylesheet and script are inlined and pinned by hash in each
page's Content-Security-Policy, so the report works from file:// and nothing else can load or run.
"""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePath

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, PrefixLoader, StrictUndefined
from markupsafe import Markup

from audit.fingerprint import finding_key
from audit.model import VERDICT_ORDER, AuditResult, DocumentResult, Finding, Verdict
from audit.rules import RULES_BY_CODE
from claims.model import Document, Span

from .files import write_text_atomic

INDEX = "index.html"
FLAG_CSS = "flag-evidence"
NOTICE_CSS = "notice-evidence"
COMMENT_CSS = "suppression-comment"
# Most severe first: the order in which tables, charts and filters list verdicts.
VERDICTS = tuple(sorted(Verdict, key=lambda v: -VERDICT_ORDER[v]))
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

    @property
    def search_text(self) -> str:
        """What the index's search box matches: title, path, domain and site name, folded."""
        document = self.result.document
        parts = [self.title, self.result.path]
        if document:
            parts += [document.domain or "", document.site or ""]
        return " ".join(p for p in parts if p).casefold()

    @property
    def counts(self) -> dict:
        """Claims per verdict, most severe first."""
        return {v.value: self.result.count(v) for v in VERDICTS}

    @property
    def needs_attention(self) -> bool:
        """What an editor must look at: an error, a contradicted claim not suppressed, or a flag."""
        doc = self.result
        return bool(doc.error or doc.flags or any(
            f.verdict is Verdict.CONTRADICTED and not f.suppression for f in doc.findings))


@dataclass(frozen=True)
class Highlight:
    """One span to mark in the text and the entry of the findings or flags list it links to."""

    span: Span
    target: str | None  # id of the finding or flag in the lists ("f-3", "flag-1"); None: not a link
    anchor: str       # id placed where the span starts, for links back into the text
    css: str          # "verdict-contradicted", ... or "flag-evidence"
    label: str        # what a reader hovering the mark is told
    rank: tuple       # smaller wins when highlights overlap: most severe, then innermost
    suppressed: bool = False


@dataclass(frozen=True)
class Segment:
    """A stretch of text between two span boundaries, marked for the highlight that wins there."""

    text: str
    anchors: tuple[str, ...] = ()
    mark: Highlight | None = None
    starts: bool = False      # the mark's span begins here (the verdict icon goes here, once per span)
    ends: bool = False        # the mark's span ends here (printed footnote numbers go here)
    flagged: bool = False     # a flag's evidence covers it too
    labels: tuple[str, ...] = ()


@dataclass(frozen=True)
class Bar:
    """One bar of a chart, in SVG user units computed here so templates only place rectangles."""

    verdict: str
    count: int
    percent: int
    x: int
    width: int


@dataclass(frozen=True)
class SourceGroup:
    """The documents from one source domain and how their claims fared: the index's reliability table."""

    domain: str | None
    name: str | None
    kind: str | None
    rating: float | None
    pages: tuple[Page, ...]
    counts: dict
    flags: int
    bars: tuple[Bar, ...]

    @property
    def checked(self) -> int:
        return sum(self.counts.values())

    @property
    def contradicted_share(self) -> int | None:
        """Contradicted claims as a whole percentage of all claims, or None with no claims."""
        total = self.checked
        return round(100 * self.counts[Verdict.CONTRADICTED.value] / total) if total else None


def write_report(result: AuditResult, directory: Path, templates_dir: Path | None = None,
                 generated_at: dt.datetime | None = None) -> list[Path]:
    """Write the index and every document page into `directory`; returns the files in order."""
    directory = Path(directory)
    written = []
    for name, text in render_pages(result, templates_dir, generated_at).items():
        path = directory / name
        write_text_atomic(path, text)
        written.append(path)
    return written


def render_pages(result: AuditResult, templates_dir: Path | None = None,
                 generated_at: dt.datetime | None = None) -> dict[str, str]:
    """File name -> HTML, index first, documents in input order: the same result gives the same bytes.

    `generated_at` adds a timestamp to every footer; without it nothing in the output depends on
    when or where it was rendered.
    """
    env = environment(templates_dir)
    css = env.get_template("report.css").render()
    js = env.get_template("report.js").render()
    summary = result.summary()
    common = {
        # Trusted template output, not article or registry text: inlined verbatim and pinned by hash.
        "css": Markup(css),
        "js": Markup(js),
        "csp": content_security_policy(css, js),
        "result": result,
        "summary": summary,
        "generated_at": generated_at.isoformat(timespec="seconds") if generated_at else None,
    }
    pages = [Page(n, doc, None if doc.error else page_filename(n, doc.path))
             for n, doc in enumerate(result.documents, start=1)]
    out = {INDEX: env.get_template("index.html").render(
        pages=pages, sources=source_groups(pages),
        suppressed=sum(1 for f in result.findings() if f.suppression),
        attention=sum(1 for page in pages if page.needs_attention), **common)}
    readable = [page for page in pages if page.filename]
    for i, page in enumerate(readable):
        doc = page.result
        document = doc.document
        start = body_start(document)
        front, article = split_at(segments(document.text, highlights(doc), cuts=(start,)), start)
        out[page.filename] = env.get_template("document.html").render(
            page=page, document=document, front_segments=front, segments=article,
            previous_page=readable[i - 1] if i else None,
            next_page=readable[i + 1] if i + 1 < len(readable) else None,
            rule_codes=sorted({f.code for f in doc.findings}),
            keys={n: finding_key(doc.path, f) for n, f in enumerate(doc.findings, start=1)},
            **common)
    return out


@lru_cache(maxsize=8)
def environment(templates_dir: Path | None = None) -> Environment:
    """Templates from `templates_dir` first, then the bundled ones (also reachable as "default:...").

    One per directory, kept: it holds the compiled templates (0.5 s to compile them all) and checks
    the files' modification times, so an edited template is still picked up.
    """
    bundled = PackageLoader("reports", "templates")
    loaders = [FileSystemLoader(str(templates_dir))] if templates_dir else []
    loaders += [bundled, PrefixLoader({"default": bundled}, delimiter=":")]
    env = Environment(loader=ChoiceLoader(loaders), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["value"] = format_value
    env.filters["suppression"] = describe_suppression
    env.filters["bars"] = verdict_bars
    env.tests["web_url"] = is_web_url
    env.globals["rules"] = RULES_BY_CODE
    env.globals["verdicts"] = VERDICTS
    env.globals["icons"] = {"verified": "✓", "unverified": "?", "contradicted": "✗"}
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


def describe_suppression(finding: Finding) -> str:
    """'suppressed inline: reason' or 'baselined': why a finding is shown but does not count."""
    suppression = finding.suppression
    if suppression is None:
        return ""
    if suppression.kind == "baseline":
        return "baselined" + (f": {suppression.reason}" if suppression.reason else "")
    return f"suppressed {suppression.kind}: " + (suppression.reason or "no reason given")


def verdict_bars(counts: dict, width: int) -> tuple[Bar, ...]:
    """Bars for the verdicts in `counts` (a summary or a count per verdict), stacked across `width`.

    Widths are whole units and add up to `width` exactly when there is anything to show, so a
    stacked bar never overflows or leaves a gap; `percent` is for the labels.
    """
    values = [(v.value, int(counts.get(v.value, 0))) for v in VERDICTS]
    total = sum(count for _, count in values)
    bars, x, shown = [], 0, 0
    for verdict, count in values:
        shown += count
        end = round(width * shown / total) if total else 0
        bars.append(Bar(verdict, count, round(100 * count / total) if total else 0, x, end - x))
        x = end
    return tuple(bars)


def source_groups(pages: list[Page]) -> list[SourceGroup]:
    """Documents grouped by source domain, least reliable first (most contradicted claims), then by name."""
    groups: dict[str | None, list[Page]] = {}
    for page in pages:
        document = page.result.document
        groups.setdefault(document.domain if document else None, []).append(page)
    out = []
    for domain, members in groups.items():
        counts = {v.value: sum(p.result.count(v) for p in members) for v in VERDICTS}
        names = [p.result.document.site for p in members if p.result.document and p.result.document.site]
        kinds = [p.result.source_kind for p in members if p.result.source_kind]
        # The registry's rating, once the model carries it (DocumentResult.source_rating).
        ratings = [r for p in members if (r := getattr(p.result, "source_rating", None)) is not None]
        out.append(SourceGroup(domain=domain, name=names[0] if names else None, kind=kinds[0] if kinds else None,
                               rating=ratings[0] if ratings else None, pages=tuple(members), counts=counts,
                               flags=sum(len(p.result.flags) for p in members), bars=verdict_bars(counts, 100)))
    return sorted(out, key=lambda g: (g.domain is None, -(g.contradicted_share or 0), g.domain or ""))


def highlights(result: DocumentResult) -> list[Highlight]:
    """Every span to mark: each finding's claim and occurrences, each flag's evidence, each notice,
    and the comments that suppress findings."""
    out = []
    for i, finding in enumerate(result.findings, start=1):
        suppressed = finding.suppression is not None
        severity = -VERDICT_ORDER[finding.verdict]
        label = f"{finding.verdict.value}: {finding.code}" + (f" ({describe_suppression(finding)})" if suppressed else "")
        for k, span in enumerate((finding.claim.span, *finding.occurrences)):
            out.append(Highlight(span, f"f-{i}", f"t-{i}" + (f"-{k}" if k else ""),
                                 f"verdict-{finding.verdict.value}", label,
                                 (suppressed, severity, len(span), i), suppressed))
    for i, flag in enumerate(result.flags, start=1):
        if flag.span:
            out.append(Highlight(flag.span, f"flag-{i}", f"t-flag-{i}", FLAG_CSS,
                                 f"{flag.kind}: {flag.code}", (2, 1, len(flag.span), i)))  # after any finding
    for i, notice in enumerate(result.notices, start=1):
        if notice.span:
            out.append(Highlight(notice.span, f"notice-{i}", f"t-notice-{i}", NOTICE_CSS,
                                 f"notice: {notice.code}", (3, 1, len(notice.span), i)))
    for i, finding in enumerate(result.findings, start=1):
        # The comment that suppresses a finding: marked, not linked (it may suppress several).
        if finding.suppression and finding.suppression.span:
            out.append(Highlight(finding.suppression.span, None, f"t-sup-{i}", COMMENT_CSS,
                                 "suppression comment", (4, 1, len(finding.suppression.span), i)))
    return out


def segments(text: str, marks: list[Highlight], cuts: tuple[int, ...] = ()) -> list[Segment]:
    """Cut the text at every span boundary so overlapping or nested spans never break it.

    Each piece is marked for the most severe, then innermost, finding covering it (links cannot
    nest, so a piece links to one finding; its title names all); flag evidence and notices are
    marked only where no finding is, and flag evidence adds a style elsewhere. Spans outside the
    text are skipped; `cuts` are extra offsets to cut at. Joining the pieces' text gives back the
    document text exactly.
    """
    marks = [m for m in marks if 0 <= m.span.start <= m.span.end <= len(text)]
    boundaries = sorted({0, len(text), *(c for c in cuts if 0 <= c <= len(text)),
                         *(m.span.start for m in marks), *(m.span.end for m in marks)})
    # a sweep over the boundaries: the marks covering a piece are those started and not yet ended,
    # so a document with many findings costs (pieces + marks), not pieces × marks
    starting: dict[int, list[int]] = {}
    ending: dict[int, list[int]] = {}
    for position, m in enumerate(marks):
        starting.setdefault(m.span.start, []).append(position)
        ending.setdefault(m.span.end, []).append(position)
    active: dict[int, Highlight] = {}
    out = []
    for start, end in zip(boundaries, boundaries[1:]):
        for position in starting.get(start, ()):
            active[position] = marks[position]
        for position in ending.get(start, ()):
            active.pop(position, None)
        covering = [m for _, m in sorted(active.items(), key=lambda item: (item[1].rank, item[0]))]
        mark = covering[0] if covering else None
        out.append(Segment(
            text=text[start:end],
            anchors=tuple(marks[position].anchor for position in starting.get(start, ())),
            mark=mark,
            starts=mark is not None and mark.span.start == start,
            ends=mark is not None and mark.span.end == end,
            flagged=mark is not None and mark.css != FLAG_CSS and any(m.css == FLAG_CSS for m in covering),
            labels=tuple(dict.fromkeys(m.label for m in covering)),
        ))
    # A span that starts at the very end of the text has no piece to carry its anchor: add an empty one.
    trailing = tuple(m.anchor for m in marks if m.span.start == len(text))
    if trailing:
        out.append(Segment(text="", anchors=trailing))
    return out


def body_start(document: Document) -> int:
    """Where the article proper starts: after the front matter and the blank lines that follow it.

    The front matter is shown folded away so the article reads as published; 0 when there is none.
    """
    if document.body is None or document.body.start <= 0:
        return 0
    text, start = document.text, document.body.start
    while start < len(text) and text[start] in "\r\n":
        start += 1
    return start if start < len(text) else 0


def split_at(pieces: list[Segment], offset: int) -> tuple[list[Segment], list[Segment]]:
    """The pieces before `offset` and those from it on; `offset` must be a cut between pieces."""
    position = 0
    for i, piece in enumerate(pieces):
        if position >= offset:
            return pieces[:i], pieces[i:]
        position += len(piece.text)
    return pieces, []
