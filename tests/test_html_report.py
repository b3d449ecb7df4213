"""The HTML report, asserted with element selectors on pages rendered from real audits."""
from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import hashlib
import re

import pytest
from bs4 import BeautifulSoup

from audit.engine import audit_document
from audit.model import AuditResult, DocumentResult, Reference, Verdict
from claims.loading import parse_document
from claims.model import Span
from references.model import Source
from reports import html

ARTICLE = """---
title: Europe worries
url: https://example.com/story
published: 2016-03-01
---
Europol said 12,000 EU nationals have joined jihadist ranks in Syria and Iraq.
	The United Nations has 150 member states.

NATO leaders met. They praised the NATO Counter-Terrorism Intelligence Fusion Centre.
Officials said the NATO Counter-Terrorism Intelligence Fusion Centre (CTIFC) works well.
On 3 March 2014 officials met.
Denial of responsibility! This text was copied.
"""

HOSTILE = """---
title: <script>alert('title')</script>
url: javascript:alert('url')
---
<script>alert(1)</script> NATO met.
<img src=x onerror=alert(1)> The United Nations has 150 member states.
[click me](javascript:alert(1)) </div></mark><a href="#f-1">fake</a> &amp; &lt;b&gt;
"""

FRENCH = "\nL'OTAN compte 12 pays membres. Europol a publié un rapport.\n"
AS_OF = dt.date(2021, 1, 1)  # for the undated documents


@pytest.fixture(scope="module")
def build(auditor):
    """An AuditResult from the real pipeline; each call audits the texts afresh."""
    def run() -> AuditResult:
        inputs = [("news/europe.md", ARTICLE, None), ("news/hostile.md", HOSTILE, None),
                  ("fr/otan.txt", FRENCH, "fr")]
        documents = []
        for path, text, language in inputs:
            document = parse_document(path, text, language)
            documents.append(audit_document(document, auditor, document.published or AS_OF))
        documents.append(DocumentResult(path="missing.md", error="no such file or directory"))
        return AuditResult(documents=tuple(documents), registry=auditor.info(), tool_version="test")

    return run


@pytest.fixture(scope="module")
def result(build):
    return build()


@pytest.fixture(scope="module")
def pages(result):
    return html.render_pages(result)


def soup(text: str) -> BeautifulSoup:
    return BeautifulSoup(text, "html.parser")


def document_pages(pages: dict[str, str]) -> dict[str, BeautifulSoup]:
    return {name: soup(text) for name, text in pages.items() if name != html.INDEX}


def test_one_page_per_readable_document(result, pages):
    assert list(pages) == ["index.html", "doc-1-europe-md.html", "doc-2-hostile-md.html", "doc-3-otan-txt.html"]
    assert len(result.documents) == 4  # the missing file gets a row but no page


def test_index_lists_every_document(result, pages):
    index = soup(pages["index.html"])
    rows = index.select("table.documents tbody tr")
    assert len(rows) == len(result.documents)
    europe, hostile, french, missing = rows
    assert europe.select_one("th a")["href"] == "doc-1-europe-md.html"
    assert europe.select_one("th a").get_text() == "Europe worries"
    cells = [td.get_text(strip=True) for td in europe.select("td")]
    assert cells[:3] == ["en", "2016-03-01", "2016-03-01"]
    assert "aggregator" in cells[-1]
    assert french.select("td")[1].get_text(strip=True) == "undated"
    assert missing.select_one("a") is None
    assert "no such file or directory" in missing.get_text()
    assert index.select_one("dl.totals").get_text(" ", strip=True).startswith("Documents 4")


def test_marks_link_to_findings_that_exist(pages):
    for name, page in document_pages(pages).items():
        ids = {tag["id"] for tag in page.select("[id]")}
        assert len(ids) == len(page.select("[id]")), name
        fragments = [a["href"][1:] for a in page.select('a[href^="#"]')]
        assert fragments and all(f in ids for f in fragments), name
    europe = soup(pages["doc-1-europe-md.html"])
    text = europe.select_one(".article-text")
    for verdict in Verdict:
        assert text.select(f"mark.verdict-{verdict.value}"), verdict
    unverified = europe.select_one('li.finding[data-verdict="unverified"]')
    assert unverified.select_one("dl.reference") is None and unverified.select_one(".why") is None
    for mark in text.select("mark"):
        assert mark.parent.name == "a" and mark.parent["href"].startswith(("#f-", "#flag-"))


def test_nested_spans_and_occurrences(result, pages):
    europe = soup(pages["doc-1-europe-md.html"])
    text = europe.select_one(".article-text")
    # "EU" (verified) lies inside "12,000 EU nationals have joined" (contradicted): the more severe verdict shows.
    [eu] = [m for m in text.select("mark") if m.get_text() == "EU"]
    assert "verdict-contradicted" in eu["class"] and "overlap" in eu["class"]
    # A fabricated body named twice is one finding; both spans link to it.
    findings = result.documents[0].findings
    number = next(i for i, f in enumerate(findings, 1) if f.occurrences)
    links = text.select(f'a[href="#f-{number}"]')
    assert len(links) == 2
    assert europe.select_one(f"#t-{number}-1") is not None
    assert europe.select_one(f'#f-{number} a[href="#t-{number}-1"]') is not None


def test_flag_evidence_is_marked_and_linked(pages):
    europe = soup(pages["doc-1-europe-md.html"])
    flags = europe.select("section.flags li.flag")
    assert flags and "aggregator" in flags[0].get_text()
    mark = europe.select_one(".article-text mark.flag-evidence")
    assert mark.get_text() == "Denial of responsibility!"
    assert europe.select_one(f'{mark.parent["href"]}') in flags


def test_contradicted_finding_shows_reference_and_sources(pages):
    europe = soup(pages["doc-1-europe-md.html"])
    finding = europe.select_one('li.finding[data-verdict="contradicted"]')
    assert "SA20" in finding.select_one("h3 code").get_text()
    assert re.search(r"line \d+, column \d+", finding.get_text())
    assert "Reference" in finding.select_one("dl.reference").get_text()
    links = finding.select("ul.sources a")
    assert links
    for link in links:
        assert link["href"].startswith(("http://", "https://"))
        assert {"noopener", "noreferrer"} <= set(link["rel"])
    assert finding.select_one(".why") is not None


def test_article_text_comes_back_exactly(result, pages):
    for number, document in enumerate(result.documents, 1):
        if document.error:
            continue
        page = soup(pages[html.page_filename(number, document.path)])
        assert page.select_one(".article-text").get_text() == document.document.text


def test_hostile_text_is_escaped(result, pages):
    page_text = pages["doc-2-hostile-md.html"]
    for name, page in document_pages(pages).items():
        [script] = page.select("script")
        assert script.string == html.environment().get_template("report.js").render()
        assert not page.select("[onerror]"), name
        assert not page.select('[href^="javascript:"], [src]'), name
    hostile = soup(page_text)
    text = hostile.select_one(".article-text")
    assert not text.select("img, div, script")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page_text
    assert "&lt;img src=x onerror=alert(1)&gt;" in page_text
    assert "&amp;amp; &amp;lt;b&amp;gt;" in page_text
    assert text.get_text() == result.documents[1].document.text
    assert hostile.select_one("h1").get_text() == "<script>alert('title')</script>"
    # The front matter's javascript: URL is shown, not linked.
    assert hostile.select_one("dl.meta .url").get_text() == "javascript:alert('url')"


def test_registry_source_with_javascript_url_is_not_a_link(result):
    document = result.documents[0]
    finding = next(f for f in document.findings if f.verdict is Verdict.CONTRADICTED)
    reference = Reference(id="ref.x", name="Hostile <b>registry</b>", value={"min": 3000, "max": 5000},
                          valid_from="2015-01-13", as_of="2015", note="note <i>here</i>",
                          sources=(Source("javascript:alert(1)", "Evil source"),
                                   Source(" javascript:alert(2)", "Spaced"),
                                   Source("https://example.org/a?b=1&c=2", "Good source")))
    hostile = dataclasses.replace(finding, reference=reference, suggestion="<script>x</script>")
    crafted = dataclasses.replace(document, findings=(hostile,))
    pages = html.render_pages(dataclasses.replace(result, documents=(crafted,)))
    page = soup(pages["doc-1-europe-md.html"])
    sources = page.select_one("#f-1 ul.sources")
    assert [a["href"] for a in sources.select("a")] == ["https://example.org/a?b=1&c=2"]
    assert "javascript:alert(1)" in sources.get_text()
    assert not page.select('[href*="javascript"]')
    reference_text = page.select_one("#f-1 dl.reference").get_text(" ", strip=True)
    assert "Hostile <b>registry</b>" in reference_text and "3,000–5,000" in reference_text
    assert "Valid from 2015-01-13" in reference_text and "As of 2015" in reference_text
    assert page.select_one("#f-1 .suggestion").get_text() == "Suggestion: <script>x</script>"


def test_identical_and_overlapping_spans_keep_every_character():
    marks = [
        html.Highlight(Span(0, 10), "f-1", "t-1", "verdict-verified", "verified: SA101", (0, 10, 1)),
        html.Highlight(Span(0, 10), "f-2", "t-2", "verdict-contradicted", "contradicted: SA102", (-2, 10, 2)),
        html.Highlight(Span(5, 15), "f-3", "t-3", "verdict-unverified", "unverified: SA105", (-1, 10, 3)),
        html.Highlight(Span(12, 14), "flag-1", "t-flag-1", html.FLAG_CSS, "aggregator: SA301", (1, 2, 1)),
        html.Highlight(Span(30, 99), "f-4", "t-4", "verdict-verified", "out of range", (0, 69, 4)),
    ]
    text = "0123456789abcdefghij"
    segments = html.segments(text, marks)
    assert "".join(s.text for s in segments) == text
    assert [(s.text, s.mark and s.mark.target) for s in segments] == [
        ("01234", "f-2"), ("56789", "f-2"), ("ab", "f-3"), ("cd", "f-3"), ("e", "f-3"), ("fghij", None)]
    assert segments[0].anchors == ("t-1", "t-2") and segments[0].starts and not segments[1].starts
    assert segments[3].flagged and not segments[2].flagged


def test_rendering_is_deterministic(build, tmp_path):
    first = html.write_report(build(), tmp_path / "a")
    second = html.write_report(build(), tmp_path / "b")
    assert [p.name for p in first] == [p.name for p in second]
    for a, b in zip(first, second):
        assert a.read_bytes() == b.read_bytes(), a.name
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == sorted(p.name for p in first)


def test_no_external_resources_and_csp_pins_inline_assets(pages):
    for name, text in pages.items():
        page = soup(text)
        csp = page.select_one('meta[http-equiv="Content-Security-Policy"]')["content"]
        assert "default-src 'none'" in csp and "base-uri 'none'" in csp and "form-action 'none'" in csp
        for tag in page.select("style, script"):
            digest = base64.b64encode(hashlib.sha256(tag.string.encode()).digest()).decode()
            assert f"'sha256-{digest}'" in csp, (name, tag.name)
        assert not page.select("link, img, iframe, object, embed, [src]")
        assert "url(" not in page.select_one("style").string
        assert "@import" not in page.select_one("style").string


def test_accessibility_basics(pages):
    index = soup(pages["index.html"])
    assert index.html["lang"] == "en" and index.select_one("main h1")
    french = soup(pages["doc-3-otan-txt.html"])
    assert french.select_one(".article-text")["lang"] == "fr"
    assert french.select_one("header nav a")["href"] == "index.html"
    css = french.select_one("style").string
    assert "prefers-color-scheme: dark" in css and ":focus-visible" in css and "pre-wrap" in css


def test_page_names_are_unique_and_safe():
    assert html.page_filename(1, "a/story.md") == "doc-1-story-md.html"
    assert html.page_filename(2, "b/story.md") == "doc-2-story-md.html"
    assert html.page_filename(3, "x/Über große Nachricht.txt") == "doc-3-uber-grosse-nachricht-txt.html"
    assert html.page_filename(4, "../../مقال.md") == "doc-4-md.html"
    assert html.page_filename(5, "") == "doc-5-document.html"


def test_user_templates_take_precedence_and_can_extend_the_defaults(result, tmp_path):
    (tmp_path / "document.html").write_text(
        '{% extends "default:document.html" %}{% block title %}Custom: {{ super() }}{% endblock %}')
    pages = html.render_pages(result, templates_dir=tmp_path)
    assert soup(pages["doc-1-europe-md.html"]).title.get_text().startswith("Custom: Europe worries")
    assert soup(pages["index.html"]).select("table.documents tbody tr")
