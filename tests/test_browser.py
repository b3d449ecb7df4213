"""The HTML report in a real browser: Debian's Chromium driven by Playwright, opened from file://.

Every page is opened offline: any request that is not a file:// URL is aborted and fails the test,
as does any console error (a Content-Security-Policy violation is one). Screenshots go to
test-artifacts/browser/. Skipped, with the reason, when Chromium or Playwright is missing, unless
SOURCE_AUDIT_REQUIRE_BROWSER=1 (set by .ci/run once Chromium is installed) makes that a failure.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
from pathlib import Path

import pytest

from audit.engine import Config, audit_document, run
from audit.model import AuditResult, Flag, Notice, Reference, Suppression, Verdict
from claims.loading import parse_document
from claims.model import Span
from references.model import Source
from reports import html

from conftest import SEEDS

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
HOSTILE = Path(__file__).resolve().parent / "fixtures" / "html" / "hostile.md"
ARTIFACTS = ROOT / "test-artifacts" / "browser"
CHROMIUM = Path(os.environ.get("SOURCE_AUDIT_CHROMIUM", "/usr/bin/chromium"))
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
AS_OF = dt.date(2026, 11, 21)  # undated articles are judged at this date, so every run is the same


def _unavailable() -> str | None:
    if not CHROMIUM.is_file():
        return f"{CHROMIUM} not found: install Debian's chromium package (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed: pip install '.[test]'"
    return None


@pytest.fixture(scope="module")
def browser():
    reason = _unavailable()
    if reason:
        if os.environ.get("SOURCE_AUDIT_REQUIRE_BROWSER") == "1":
            pytest.fail(f"browser test required but cannot run: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield chromium
        chromium.close()


class Watched:
    """A page and everything it did that a report must never do."""

    def __init__(self, browser, **options):
        self.context = browser.new_context(viewport={"width": 1280, "height": 900}, **options)
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))
        self.page.on("dialog", self._dialog)

    def _route(self, route):
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort()

    def _console(self, message):
        if message.type == "error":
            self.errors.append(f"console: {message.text}")

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def open(self, path: Path):
        self.page.goto(path.resolve().as_uri())
        self.page.wait_for_load_state("load")
        return self.page

    def screenshot(self, name: str, full_page: bool = True) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=full_page)
        print(f"screenshot: {path}")
        return path

    def assert_clean(self):
        """No console errors, no script from the content, nothing fetched but the report's own files."""
        assert self.errors == []
        assert self.dialogs == []
        assert self.blocked == []
        assert all(url.startswith("file://") for url in self.requests), self.requests
        assert self.page.evaluate("typeof window.__pwned") == "undefined"

    def close(self):
        self.context.close()


@pytest.fixture
def watched(browser):
    opened = []

    def open_context(**options) -> Watched:
        watch = Watched(browser, **options)
        opened.append(watch)
        return watch

    yield open_context
    for watch in opened:
        watch.close()


def _corpus_paths(name: str) -> list[Path]:
    if name == "seeds":
        if not SEEDS.is_dir():
            pytest.skip(f"{SEEDS} is not here (the repository was cloned alone); the examples variant runs instead")
        return [SEEDS]
    return [EXAMPLES]


@pytest.fixture(scope="module", params=["seeds", "examples"])
def report(request, auditor, tmp_path_factory):
    """(directory, AuditResult) of the HTML report for a whole corpus, audited by the real pipeline."""
    paths = _corpus_paths(request.param)
    result = run([str(p) for p in paths], Config(today=AS_OF, use_cache=False), auditor)
    directory = tmp_path_factory.mktemp(f"report-{request.param}")
    html.write_report(result, directory)
    return request.param, directory, result


def _most_contradicted(result: AuditResult) -> tuple[int, object]:
    number, document = max(enumerate(result.documents, 1), key=lambda item: item[1].count(Verdict.CONTRADICTED))
    assert document.count(Verdict.CONTRADICTED), "the corpus has no contradicted claim to click"
    return number, document


def test_index_sorts_and_filters_offline(report, watched):
    name, directory, result = report
    watch = watched()
    page = watch.open(directory / "index.html")
    rows = page.locator("#document-table tbody tr")
    assert rows.count() == len(result.documents)
    assert page.locator("svg.chart rect.fill").count() >= 1
    assert page.locator("#document-controls").is_visible()

    # Sort by contradicted claims: most first, then toggle to fewest first.
    header = page.locator("#document-table thead th", has_text="contradicted")
    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "descending"
    counts = [int(v) for v in page.locator("#document-table tbody tr").evaluate_all(
        "rows => rows.map(r => r.dataset.contradicted)")]
    assert counts == sorted(counts, reverse=True)
    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "ascending"

    # Filter to documents with contradicted claims, then search.
    page.select_option("#document-show", "contradicted")
    visible = page.locator("#document-table tbody tr:not([hidden])")
    expected = sum(1 for d in result.documents if d.count(Verdict.CONTRADICTED))
    assert visible.count() == expected
    assert page.locator("#document-count").text_content() == f"Showing {expected} of {len(result.documents)} documents"
    page.select_option("#document-show", "all")
    page.fill("#document-search", "zzz-no-such-document")
    assert visible.count() == 0
    page.fill("#document-search", "")
    assert visible.count() == len(result.documents)
    watch.screenshot(f"{name}-index")

    # The documents' links work from file://.
    number, document = _most_contradicted(result)
    page.click(f'#document-table a[href="{html.page_filename(number, document.path)}"]')
    page.wait_for_load_state("load")
    assert page.url.endswith(html.page_filename(number, document.path))
    watch.assert_clean()


def test_document_click_filter_and_keyboard(report, watched):
    name, directory, result = report
    number, document = _most_contradicted(result)
    watch = watched()
    page = watch.open(directory / html.page_filename(number, document.path))

    # Click a contradicted claim: its finding is shown, with its sources as links.
    claim = page.locator(".article-text a.hl:has(mark.verdict-contradicted)").first
    target = claim.get_attribute("href")
    claim.click()
    finding = page.locator(target)
    assert "current" in finding.get_attribute("class")
    assert finding.get_attribute("data-verdict") == "contradicted"
    assert finding.is_visible()
    assert finding.evaluate("li => { const r = li.getBoundingClientRect(); return r.top < innerHeight && r.bottom > 0; }")
    sources = finding.locator("ul.sources a")
    assert sources.count() >= 1 and sources.first.is_visible()
    assert all(href.startswith(("http://", "https://")) for href in sources.evaluate_all("links => links.map(a => a.href)"))
    assert "current" in claim.get_attribute("class")
    watch.screenshot(f"{name}-document-clicked")

    # Filter to contradicted: only those findings remain, and only their marks stay highlighted.
    for verdict in ("verified", "unverified"):
        page.uncheck(f'#verdict-filter input[value="{verdict}"]')
    shown = page.locator("li.finding:not(.off)")
    assert shown.count() == document.count(Verdict.CONTRADICTED)
    assert set(shown.evaluate_all("items => items.map(li => li.dataset.verdict)")) == {"contradicted"}
    assert page.locator("li.finding.off").first.is_hidden() or document.count(Verdict.CONTRADICTED) == len(document.findings)
    off = page.locator(".article-text a.hl.off")
    assert off.count() > 0 and set(off.evaluate_all("links => links.map(a => a.tabIndex)")) == {-1}
    assert page.locator("#finding-position").text_content().endswith(f"shown of {len(document.findings)}")
    watch.screenshot(f"{name}-document-contradicted-only")

    # Keyboard: n/j move to the next shown finding in reading order, p/k back, wrapping around;
    # focus goes to the claim in the text.
    contradicted = [f"f-{i}" for i, f in enumerate(document.findings, 1) if f.verdict is Verdict.CONTRADICTED]
    in_text_order = sorted(contradicted, key=lambda fid: document.findings[int(fid[2:]) - 1].claim.span.start)
    start = in_text_order.index(page.locator("li.finding.current").get_attribute("id"))
    page.locator("h1").click()
    visited = []
    for key in "nj" * len(in_text_order):
        page.keyboard.press(key)
        visited.append(page.locator("li.finding.current").get_attribute("id"))
        assert page.evaluate("document.activeElement.matches('.article-text a.hl')")
    count = len(in_text_order)
    assert visited == [in_text_order[(start + 1 + k) % count] for k in range(2 * count)]
    page.keyboard.press("p")
    assert page.locator("li.finding.current").get_attribute("id") == in_text_order[(start - 1) % count]
    page.keyboard.press("k")
    expected = in_text_order[(start - 2) % count]
    assert page.locator("li.finding.current").get_attribute("id") == expected
    assert page.locator("#finding-position").text_content() == (
        f"Finding {(start - 2) % count + 1} of {count} shown of {len(document.findings)}")

    # Enter on a focused claim opens its finding and moves focus there; Escape returns to the text.
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == expected
    page.keyboard.press("Escape")
    assert page.evaluate("document.activeElement.matches('.article-text a.hl')")

    # Tab reaches claims, and focusing one shows its finding.
    page.check('#verdict-filter input[value="verified"]')
    page.locator('#verdict-filter input[value="verified"]').focus()
    rule = document.findings[0].code
    page.select_option("#rule-filter", rule)
    assert set(shown.evaluate_all("items => items.map(li => li.dataset.rule)")) == {rule}
    page.select_option("#rule-filter", "")
    first_link = page.locator(".article-text a.hl:not(.off)[href^='#f-']").first
    first_link.focus()
    assert page.locator("li.finding.current").get_attribute("id") == first_link.get_attribute("href")[1:]
    assert page.evaluate("getComputedStyle(document.activeElement.querySelector('mark')).outlineStyle") != "none"
    watch.assert_clean()


def test_dark_theme_and_print(report, watched):
    name, directory, result = report
    number, document = _most_contradicted(result)
    watch = watched(color_scheme="dark")
    page = watch.open(directory / html.page_filename(number, document.path))
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(21, 23, 26)"
    watch.screenshot(f"{name}-document-dark")
    page.emulate_media(media="print", color_scheme="light")
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(255, 255, 255)"
    note = page.evaluate("""() => {
        const mark = document.querySelector('.article-text mark[data-note]');
        return [mark.dataset.note, getComputedStyle(mark, '::after').content];
    }""")
    assert note[1] == f'"[{note[0]}]"'
    assert page.locator("#finding-controls").is_hidden()
    watch.screenshot(f"{name}-document-print", full_page=False)
    page.pdf(path=str(ARTIFACTS / f"{name}-document-print.pdf"))  # what an editor's printout looks like
    page.emulate_media(media="screen", color_scheme="dark")
    watch.open(directory / "index.html")
    watch.screenshot(f"{name}-index-dark")
    watch.assert_clean()


@pytest.fixture(scope="module")
def hostile_report(auditor, tmp_path_factory):
    """The hostile article through the real pipeline, then dressed with hostile registry text,
    a `javascript:` source URL, a hostile flag, suppression and notice (things no loader would let through)."""
    document = parse_document("hostile.md", HOSTILE.read_text(encoding="utf-8"))
    audited = audit_document(document, auditor, document.published or AS_OF)
    contradicted = next(f for f in audited.findings if f.verdict is Verdict.CONTRADICTED)
    reference = Reference(
        id="ref.<b>x</b>", name="<img src=x onerror=\"window.__pwned='name'\">",
        value={"min": 3000, "max": 5000}, valid_from="2015-01-13", valid_to="<script>alert('to')</script>",
        note="<script>window.__pwned='note'</script>",
        sources=(Source("javascript:alert(1)", "<b onmouseover=alert('citation')>Evil</b>"),
                 Source("JaVaScRiPt:alert(2)", "Mixed case"),
                 Source("https://example.org/x\" onmouseover=\"alert(3)", "Quote breaker with spaces"),
                 Source("https://example.org/x\"onmouseover=\"alert(3)", "Quote breaker"),
                 Source("data:text/html,<script>alert(4)</script>", "Data URL"),
                 Source("https://example.org/ok?a=1&b=2", "Good source")))
    hostile_finding = dataclasses.replace(contradicted, reference=reference,
                                          suggestion="<script>window.__pwned='suggestion'</script>")
    suppressed = dataclasses.replace(audited.findings[0], suppression=Suppression(
        "inline", "<img src=x onerror=alert('reason')>", None))
    findings = tuple(hostile_finding if f is contradicted else suppressed if f is audited.findings[0] else f
                     for f in audited.findings)
    flag = Flag("unreliable_source", "SA304", "<script>alert('flag')</script>", Span(0, 20),
                ("<img src=x onerror=alert('evidence')>", "javascript:alert('evidence')"), "low")
    notice = Notice("SA900", "<svg onload=alert('notice')>", Span(30, 40))
    dressed = dataclasses.replace(audited, findings=findings, flags=(*audited.flags, flag), notices=(notice,))
    result = AuditResult(documents=(dressed,), registry=auditor.info(), tool_version="<i>test</i>")
    directory = tmp_path_factory.mktemp("report-hostile")
    html.write_report(result, directory)
    return directory, result


def test_hostile_article_and_registry_run_no_script(hostile_report, watched):
    directory, result = hostile_report
    watch = watched()
    page = watch.open(directory / html.page_filename(1, "hostile.md"))
    assert page.locator("script").count() == 1
    assert page.locator("[onerror], [onload], [onmouseover], iframe, img, base, link, meta[http-equiv='refresh']").count() == 0
    hrefs = page.locator("a[href]").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert hrefs and all(re.match(r"^(#|https?://|index\.html$|doc-)", h) for h in hrefs), hrefs
    assert page.locator("h1").text_content() == "<script>window.__pwned = 'title'; alert('title')</script>"
    # Unfold everything, open every claim and flag, hover every link: nothing may run.
    for summary in page.locator("details summary").all():
        summary.click()
    for claim in page.locator(".article-text a.hl").all():
        claim.click()
        claim.hover()
    for link in page.locator("li.finding a, section.flags a, section.notices a").all():
        link.hover()
    finding = page.locator("li.finding[data-verdict='contradicted']").first
    links = finding.locator("ul.sources a")
    assert links.evaluate_all("links => links.map(a => a.getAttribute('href'))") == [
        'https://example.org/x"onmouseover="alert(3)', "https://example.org/ok?a=1&b=2"]
    assert "javascript:alert(1)" in finding.locator("ul.sources").text_content()
    assert page.locator(".finding.suppressed .suppression").text_content().startswith("suppressed inline: <img")
    page.uncheck("#show-suppressed")
    assert page.locator("li.finding.suppressed").is_hidden()
    for key in "njpk":
        page.keyboard.press(key)
    watch.screenshot("hostile-document")
    page.evaluate("document.querySelector('.article-text').textContent.length")  # the page is still alive
    watch.open(directory / "index.html")
    watch.screenshot("hostile-index")
    watch.assert_clean()
    assert watch.page.title().startswith("Audit of 1 document")
