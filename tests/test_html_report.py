"""The HTML report, asserted with element selectors on pages rendered from real audits."""
from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import hashlib
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from audit.engine import audit_document
from audit.fingerprint import finding_key
from audit.model import AuditResult, DocumentResult, Notice, Reference, Suppression, Verdict
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

HOSTILE = (Path(__file__).resolve().parent / "fixtures" / "html" / "hostile.md").read_text(encoding="utf-8")
FRENCH = "\nL'OTAN compte 12 pays membres. Europol a publié un rapport.\n"
AS_OF = dt.date(2021, 1, 1)  # for the undated documents
SEVERITY = ["contradicted", "unverified", "verified"]


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


def article_text(page: BeautifulSoup) -> str:
    """The text as shown: the folded front matter, then the article."""
    return "".join(part.get_text() for part in page.select(".article-text"))


@pytest.fixture(scope="module")
def suppressed(result):
    """The Europe article with its contradicted figure suppressed inline, a finding baselined and a notice."""
    europe = result.documents[0]
    findings = list(europe.findings)
    figure = next(i for i, f in enumerate(findings) if f.verdict is Verdict.CONTRADICTED and "12,000" in f.claim.text)
    line = europe.document.text.index("On 3 March")
    findings[figure] = dataclasses.replace(findings[figure], suppression=Suppression(
        "inline", "checked with Europol", Span(line, line + 2)))
    findings[0 if figure else 1] = dataclasses.replace(findings[0 if figure else 1], suppression=Suppression("baseline"))
    comment = europe.document.text.index("Denial")
    notice = Notice("SA901", "suppression without a reason", Span(comment, comment + 6))
    document = dataclasses.replace(europe, findings=tuple(findings), notices=(notice,))
    crafted = dataclasses.replace(result, documents=(document,))
    return figure + 1, crafted, html.render_pages(crafted)


# --- Index ---------------------------------------------------------------------------------------

def test_one_page_per_readable_document(result, pages):
    assert list(pages) == ["index.html", "doc-1-europe-md.html", "doc-2-hostile-md.html", "doc-3-otan-txt.html"]
    assert len(result.documents) == 4  # the missing file gets a row but no page


def test_index_lists_every_document(result, pages):
    index = soup(pages["index.html"])
    headings = [th.get_text(" ", strip=True) for th in index.select("#document-table thead th")]
    assert headings == ["Document", "Source", "Published", *SEVERITY, "Claims", "Flags"]
    rows = index.select("#document-table tbody tr")
    assert len(rows) == len(result.documents)
    europe, hostile, french, missing = rows
    assert europe.select_one("th a")["href"] == "doc-1-europe-md.html"
    assert europe.select_one("th a").get_text() == "Europe worries"
    assert europe.select_one("th .tag").get_text() == "en"
    assert europe.select_one("td.source .domain").get_text() == "example.com"
    cells = [td.get_text(" ", strip=True) for td in europe.select("td")]
    assert cells[1] == "2016-03-01"
    counts = {v.value: europe.select_one(f"td.count.verdict-{v.value}").get_text() for v in Verdict}
    assert counts == {v.value: str(result.documents[0].count(v)) for v in Verdict}
    assert europe.select_one("td.count.verdict-contradicted")["data-sort-value"] == counts["contradicted"]
    assert "aggregator" in cells[-1]
    assert europe["data-contradicted"] == counts["contradicted"] and europe["data-flagged"] == "1"
    assert "attention" in europe["class"] and europe["data-attention"] == "1"
    assert "judged as of 2021-01-01" in french.select("td")[1].get_text(" ", strip=True)
    assert french.select("td")[1]["data-sort-value"] == ""
    assert missing.select_one("a") is None and "error" in missing["class"]
    assert "no such file or directory" in missing.get_text()
    assert missing["data-error"] == "1" and missing.select_one("td.count")["data-sort-value"] == "-1"
    assert europe.select("td svg.minibar[aria-hidden=true] rect.fill")
    assert index.select_one("dl.totals").get_text(" ", strip=True).startswith("Documents 4")
    attention = sum(1 for d in result.documents if d.error or d.flags or d.count(Verdict.CONTRADICTED))
    assert f"{attention} of 4 documents need attention" in index.select_one("p.lede").get_text(" ", strip=True)


def test_index_tables_sort_and_filter_without_a_server(pages):
    index = soup(pages["index.html"])
    controls = index.select_one("#document-controls")
    assert controls.has_attr("hidden")  # shown by the script, which is what makes them work
    assert [o["value"] for o in controls.select("#document-show option")] == [
        "all", "attention", *SEVERITY, "flagged", "error"]
    assert index.select_one("label[for=document-search]") and index.select_one("output#document-count")
    for table in index.select("table.sortable"):
        assert all(th.has_attr("data-sort-type") for th in table.select("thead th"))
        for row in table.select("tbody tr"):
            assert len(row.select("th, td")) == len(table.select("thead th"))
    for row in index.select("#document-table tbody tr"):
        for mode in ("attention", *SEVERITY, "flagged", "error"):
            assert row[f"data-{mode}"].isdigit(), mode
        assert row["data-search"] == row["data-search"].casefold()
    assert index.select_one("#doc-1")["data-search"].startswith("europe worries news/europe.md example.com")


def test_verdict_chart_is_inline_svg_with_a_text_alternative(result, pages):
    index = soup(pages["index.html"])
    chart = index.select_one("figure.chart svg.chart")
    assert chart["role"] == "img" and chart["aria-labelledby"] == "chart-title chart-desc"
    summary = result.summary()
    assert chart.select_one("title").get_text() == "Claims by verdict"
    description = chart.select_one("desc").get_text()
    for verdict in SEVERITY:
        assert f"{verdict}: {summary[verdict]} (" in description
    bars = chart.select("g.bar")
    assert [b["class"][1] for b in bars] == [f"verdict-{v}" for v in SEVERITY]
    widths = [int(b.select_one("rect.fill")["width"]) if b.select_one("rect.fill") else 0 for b in bars]
    assert sum(widths) == 260
    assert [b.select_one("text.label").get_text() for b in bars] == ["✗ contradicted", "? unverified", "✓ verified"]


def test_reliability_by_source_domain(result, pages):
    index = soup(pages["index.html"])
    table = index.select_one("#source-table")
    assert [th.get_text(" ", strip=True) for th in table.select("thead th")] == [
        "Source", "Kind", "Documents", *SEVERITY, "% contradicted", "Flags"]
    rows = {tr.select_one("th").get_text(" ", strip=True): tr for tr in table.select("tbody tr")}
    example = rows["example.com"]
    cells = [td.get_text(" ", strip=True) for td in example.select("td")]
    europe = result.documents[0]
    assert cells[0] == "not in registry" and cells[1] == "1"
    assert cells[2:5] == [str(europe.count(Verdict(v))) for v in SEVERITY]
    assert cells[5] == f"{round(100 * europe.count(Verdict.CONTRADICTED) / len(europe.findings))}%"
    assert list(rows)[-1] == "No source address"  # the French text and the missing file
    assert rows["No source address"].select("td")[1].get_text() == "2"


def test_source_groups_order_and_rating():
    def page(number, domain, verdicts, rating=None, kind=None):
        findings = tuple(dataclasses.replace(_finding(), verdict=Verdict(v)) for v in verdicts)
        document = parse_document(f"{number}.md", f"---\nurl: https://{domain}/x\n---\ntext\n") if domain else None
        result = DocumentResult(path=f"{number}.md", document=document, findings=findings, source_kind=kind)
        if rating is not None:
            object.__setattr__(result, "source_rating", rating)  # the model does not carry ratings yet
        return html.Page(number, result, None)

    groups = html.source_groups([page(1, "a.example", ["verified"]), page(2, "b.example", ["contradicted", "contradicted", "verified"],
                                 rating=0.2, kind="content_farm"), page(3, None, []), page(4, "a.example", ["contradicted"])])
    assert [g.domain for g in groups] == ["b.example", "a.example", None]
    assert groups[0].rating == 0.2 and groups[0].kind == "content_farm" and groups[0].contradicted_share == 67
    assert len(groups[1].pages) == 2 and groups[1].counts == {"contradicted": 1, "unverified": 0, "verified": 1}
    assert groups[2].contradicted_share is None


def _finding():
    from audit.model import Finding
    from claims.model import Claim, ClaimType
    claim = Claim(ClaimType.ENTITY, "x", Span(0, 1), Span(0, 1), "existence")
    return Finding("SA101", Verdict.VERIFIED, claim, "m")


def test_verdict_bars_fill_the_width_exactly():
    bars = html.verdict_bars({"verified": 1, "unverified": 1, "contradicted": 1}, 100)
    assert [b.verdict for b in bars] == SEVERITY
    assert sum(b.width for b in bars) == 100 and [b.x for b in bars] == [0, 33, 67]
    assert [b.percent for b in bars] == [33, 33, 33]
    assert [b.width for b in html.verdict_bars({}, 100)] == [0, 0, 0]


# --- Document pages ------------------------------------------------------------------------------

def test_document_page_structure(result, pages):
    europe = soup(pages["doc-1-europe-md.html"])
    assert europe.select_one("header.site nav[aria-label=Report] a[href='index.html']")
    assert europe.select_one("nav a[rel=next]")["href"] == "doc-2-hostile-md.html"
    assert europe.select_one("nav a[rel=prev]") is None
    assert soup(pages["doc-2-hostile-md.html"]).select_one("nav a[rel=prev]")["href"] == "doc-1-europe-md.html"
    assert europe.select_one("main#main > header.document h1").get_text() == "Europe worries"
    sections = [s.select_one("h2").get_text(" ", strip=True) for s in europe.select("main section")]
    assert sections[0].endswith("Flagged: aggregator") and "Article" in sections
    assert any(s.startswith("Findings") for s in sections)
    for section in europe.select("main section[aria-labelledby]"):
        assert europe.select_one(f"#{section['aria-labelledby']}") is not None
    assert europe.select_one("footer.site")


def test_front_matter_is_folded_away(result, pages):
    europe = soup(pages["doc-1-europe-md.html"])
    front = europe.select_one("details.front-matter .article-text.front")
    assert front.get_text().startswith("---\ntitle: Europe worries") and front.get_text().endswith("---\n")
    assert europe.select_one("#article-text").get_text().startswith("Europol said")
    assert soup(pages["doc-3-otan-txt.html"]).select_one("details.front-matter") is None


def test_finding_controls(result, pages):
    europe = soup(pages["doc-1-europe-md.html"])
    controls = europe.select_one(".findings-pane #finding-controls")
    assert controls.has_attr("hidden")
    assert [box["value"] for box in controls.select('#verdict-filter input[type=checkbox][name=verdict]')] == SEVERITY
    assert all(box.has_attr("checked") for box in controls.select("#verdict-filter input"))
    codes = sorted({f.code for f in result.documents[0].findings})
    assert [o["value"] for o in controls.select("#rule-filter option")] == ["", *codes]
    assert controls.select_one("#previous-finding")["aria-keyshortcuts"] == "p k"
    assert controls.select_one("#next-finding")["aria-keyshortcuts"] == "n j"
    assert controls.select_one("output#finding-position[aria-live=polite]")
    assert controls.select_one("#show-suppressed") is None  # nothing is suppressed here


def test_findings_carry_what_the_script_and_tools_need(result, pages):
    europe = soup(pages["doc-1-europe-md.html"])
    document = result.documents[0]
    items = europe.select("ol#findings > li.finding")
    assert len(items) == len(document.findings)
    for number, (item, finding) in enumerate(zip(items, document.findings), 1):
        assert item["id"] == f"f-{number}" and item["data-n"] == str(number) and item["tabindex"] == "-1"
        assert item["data-verdict"] == finding.verdict.value and item["data-rule"] == finding.code
        assert item["data-key"] == finding_key(document.path, finding)
        notes = europe.select(f'.article-text a.hl[href="#f-{number}"] mark[data-note]')
        assert all(n["data-note"] == str(number) for n in notes)


def test_marks_link_to_findings_that_exist(pages):
    for name, page in document_pages(pages).items():
        ids = {tag["id"] for tag in page.select("[id]")}
        assert len(ids) == len(page.select("[id]")), name
        fragments = [a["href"][1:] for a in page.select('a[href^="#"]')]
        assert fragments and all(f in ids for f in fragments), name
    europe = soup(pages["doc-1-europe-md.html"])
    text = europe.select_one("#article-text")
    for verdict in Verdict:
        assert text.select(f"mark.verdict-{verdict.value}"), verdict
    unverified = europe.select_one('li.finding[data-verdict="unverified"]')
    assert unverified.select_one("dl.reference") is None and unverified.select_one(".why") is None
    for mark in text.select("mark"):
        assert mark.parent.name == "a" and mark.parent["href"].startswith(("#f-", "#flag-"))


def test_nested_spans_and_occurrences(result, pages):
    europe = soup(pages["doc-1-europe-md.html"])
    text = europe.select_one("#article-text")
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


def test_flag_banner_and_evidence_in_the_text(pages):
    europe = soup(pages["doc-1-europe-md.html"])
    banner = europe.select_one("section.flags.banner")
    assert banner.select_one("h2").get_text(" ", strip=True) == "⚑ Flagged: aggregator"
    flags = banner.select("li.flag")
    assert flags and "aggregator" in flags[0].get_text() and "confidence" in flags[0].get_text()
    assert flags[0].select("details li")  # the evidence
    mark = europe.select_one(".article-text mark.flag-evidence")
    assert mark.get_text() == "Denial of responsibility!"
    assert europe.select_one(f'{mark.parent["href"]}') in flags
    assert banner.select_one('a[href^="#t-flag-"]')


def test_contradicted_finding_shows_reference_and_sources(pages):
    europe = soup(pages["doc-1-europe-md.html"])
    finding = europe.select_one('li.finding[data-verdict="contradicted"]')
    assert "SA20" in finding.select_one("h3 code").get_text()
    assert re.search(r"line \d+, column \d+", finding.select_one("a.to-text").get_text())
    assert "Reference" in finding.select_one("dl.reference").get_text()
    links = finding.select("ul.sources a")
    assert links
    for link in links:
        assert link["href"].startswith(("http://", "https://"))
        assert {"noopener", "noreferrer"} <= set(link["rel"])
    assert finding.select_one(".why") is not None


def test_near_miss_name_shows_the_suggestion(audit_text):
    document = audit_text("The Counter-Terrorism Intelligence Fusion Centr (CTIFC) shares data.\n"
                          "The NATO Counter-Terrorism Centre of Excellence (COE) trains partners.\n")
    suggested = [f for f in document.findings if f.suggestion]
    assert suggested, [(f.code, f.claim.text) for f in document.findings]
    result = AuditResult(documents=(document,), registry=None, tool_version="t")
    page = soup(html.render_pages(dataclasses.replace(result, registry=_registry_info()))["doc-1-article-md.html"])
    for finding in suggested:
        number = document.findings.index(finding) + 1
        assert page.select_one(f"#f-{number} .suggestion").get_text() == f"Suggestion: {finding.suggestion}"


def _registry_info():
    from audit.model import RegistryInfo
    return RegistryInfo("sha256:0", 0, 0, 0, 0)


def test_suppressed_findings_are_greyed_and_notices_listed(suppressed):
    number, crafted, pages = suppressed
    page = soup(pages["doc-1-europe-md.html"])
    inline = page.select_one(f"#f-{number}")
    assert "suppressed" in inline["class"] and inline["data-suppressed"] == "inline"
    assert inline.select_one(".suppression .tag").get_text() == "suppressed inline: checked with Europol"
    comment = page.select_one(inline.select_one(".suppression a")["href"])
    assert comment.find_next_sibling().name == "mark" and "suppression-comment" in comment.find_next_sibling()["class"]
    assert comment.find_next_sibling().get_text() == "On"  # the comment, marked but not a link
    baselined = page.select('li.finding[data-suppressed="baseline"]')
    assert len(baselined) == 1 and baselined[0].select_one(".suppression").get_text(strip=True) == "baselined"
    assert all("suppressed" in m["class"] for m in page.select(f'a.hl[href="#f-{number}"] mark'))
    assert page.select_one("#show-suppressed").has_attr("checked")
    assert page.select_one(".legend mark.suppressed")
    assert "suppressed or baselined 2" in page.select_one("dl.meta").get_text(" ", strip=True)
    notices = page.select("section.notices li")
    assert len(notices) == 1 and "SA901" in notices[0].get_text() and "without a reason" in notices[0].get_text()
    assert page.select_one(notices[0].select_one("a")["href"]) is not None
    index = soup(pages["index.html"])
    assert "Suppressed or baselined 2" in index.select_one("dl.totals").get_text(" ", strip=True)
    row = index.select_one("#document-table tbody tr")
    assert row["data-attention"] == "1"  # still flagged as an aggregator


def test_suppressed_contradiction_does_not_need_attention(result):
    europe = result.documents[0]
    quiet = dataclasses.replace(europe, flags=(), findings=tuple(
        dataclasses.replace(f, suppression=Suppression("baseline")) if f.verdict is Verdict.CONTRADICTED else f
        for f in europe.findings))
    assert not html.Page(1, quiet, "x.html").needs_attention
    assert html.Page(1, europe, "x.html").needs_attention


def test_article_text_comes_back_exactly(result, pages):
    for number, document in enumerate(result.documents, 1):
        if document.error:
            continue
        page = soup(pages[html.page_filename(number, document.path)])
        assert article_text(page) == document.document.text


def test_hostile_text_is_escaped(result, pages):
    page_text = pages["doc-2-hostile-md.html"]
    for name, page in document_pages(pages).items():
        [script] = page.select("script")
        assert script.string == html.environment().get_template("report.js").render()
        assert not page.select("[onerror], [onload], [onmouseover], [style]"), name
        assert not page.select('[href^="javascript:"], [src], iframe, base, link, meta[http-equiv=refresh]'), name
    hostile = soup(page_text)
    text = hostile.select_one("#article-text")
    assert not text.select("img, div, script, svg, iframe, style, a:not(.hl), span:not(.anchor)")
    assert "&lt;script&gt;window.__pwned = &#39;body&#39;; alert(1)&lt;/script&gt;" in page_text
    assert "&lt;img src=x onerror=&#34;window.__pwned=&#39;img&#39;; alert(2)&#34;&gt;" in page_text
    assert "&amp;amp; &amp;lt;b&amp;gt; " in page_text and "&lt;!-- comment --&gt;" in page_text
    assert article_text(hostile) == result.documents[1].document.text
    assert hostile.select_one("h1").get_text() == "<script>window.__pwned = 'title'; alert('title')</script>"
    assert hostile.select_one("title").get_text().startswith("<script>")
    # The front matter's javascript: URL is shown, not linked.
    assert hostile.select_one("dl.meta .url").get_text() == "javascript:alert('url')"
    assert hostile.select_one("dl.meta").get_text().count("<img src=x onerror=") == 1  # the site name, as text


def test_registry_source_with_javascript_url_is_not_a_link(result):
    document = result.documents[0]
    finding = next(f for f in document.findings if f.verdict is Verdict.CONTRADICTED)
    reference = Reference(id="ref.x", name="Hostile <b>registry</b>", value={"min": 3000, "max": 5000},
                          valid_from="2015-01-13", valid_to="2016-01-01", as_of="2015", note="note <i>here</i>",
                          sources=(Source("javascript:alert(1)", "Evil source"),
                                   Source(" javascript:alert(2)", "Spaced"),
                                   Source("data:text/html,<script>alert(3)</script>", "Data"),
                                   Source("https://example.org/a?b=1&c=2", "Good source")))
    hostile = dataclasses.replace(finding, reference=reference, suggestion="<script>x</script>")
    crafted = dataclasses.replace(document, findings=(hostile,))
    pages = html.render_pages(dataclasses.replace(result, documents=(crafted,)))
    page = soup(pages["doc-1-europe-md.html"])
    sources = page.select_one("#f-1 ul.sources")
    assert [a["href"] for a in sources.select("a")] == ["https://example.org/a?b=1&c=2"]
    assert "javascript:alert(1)" in sources.get_text()
    assert not page.select('[href*="javascript"], [href^="data:"]')
    reference_text = page.select_one("#f-1 dl.reference").get_text(" ", strip=True)
    assert "Hostile <b>registry</b>" in reference_text and "3,000–5,000" in reference_text
    assert "Valid from 2015-01-13" in reference_text and "Valid to 2016-01-01" in reference_text
    assert "As of 2015" in reference_text
    assert page.select_one("#f-1 .suggestion").get_text() == "Suggestion: <script>x</script>"


def test_identical_and_overlapping_spans_keep_every_character():
    marks = [
        html.Highlight(Span(0, 10), "f-1", "t-1", "verdict-verified", "verified: SA101", (0, 10, 1)),
        html.Highlight(Span(0, 10), "f-2", "t-2", "verdict-contradicted", "contradicted: SA102", (-2, 10, 2)),
        html.Highlight(Span(5, 15), "f-3", "t-3", "verdict-unverified", "unverified: SA105", (-1, 10, 3)),
        html.Highlight(Span(12, 14), "flag-1", "t-flag-1", html.FLAG_CSS, "aggregator: SA301", (1, 2, 1)),
        html.Highlight(Span(30, 99), "f-4", "t-4", "verdict-verified", "out of range", (0, 69, 4)),
        html.Highlight(Span(20, 20), "notice-1", "t-notice-1", html.NOTICE_CSS, "notice", (3, 0, 1)),
    ]
    text = "0123456789abcdefghij"
    segments = html.segments(text, marks)
    assert "".join(s.text for s in segments) == text
    assert [(s.text, s.mark and s.mark.target) for s in segments] == [
        ("01234", "f-2"), ("56789", "f-2"), ("ab", "f-3"), ("cd", "f-3"), ("e", "f-3"), ("fghij", None), ("", None)]
    assert segments[0].anchors == ("t-1", "t-2") and segments[0].starts and not segments[1].starts
    assert segments[1].ends and not segments[0].ends and segments[4].ends
    assert segments[3].flagged and not segments[2].flagged
    assert segments[-1].anchors == ("t-notice-1",)
    cut = html.segments(text, marks, cuts=(3,))
    assert [s.text for s in cut][:2] == ["012", "34"] and cut[0].starts and not cut[1].starts
    assert html.split_at(cut, 3) == (cut[:1], cut[1:])


def test_rendering_is_deterministic(build, tmp_path):
    first = html.write_report(build(), tmp_path / "a")
    second = html.write_report(build(), tmp_path / "b")
    assert [p.name for p in first] == [p.name for p in second]
    for a, b in zip(first, second):
        assert a.read_bytes() == b.read_bytes(), a.name
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == sorted(p.name for p in first)
    assert not any(soup(p.read_text()).select("time") for p in first)


def test_timestamp_only_when_asked(result):
    when = dt.datetime(2026, 11, 21, 9, 30, tzinfo=dt.timezone.utc)
    pages = html.render_pages(result, generated_at=when)
    for text in pages.values():
        assert soup(text).select_one("footer time")["datetime"] == "2026-11-21T09:30:00+00:00"


def test_no_external_resources_and_csp_pins_inline_assets(pages):
    for name, text in pages.items():
        page = soup(text)
        csp = page.select_one('meta[http-equiv="Content-Security-Policy"]')["content"]
        assert "default-src 'none'" in csp and "base-uri 'none'" in csp and "form-action 'none'" in csp
        assert "unsafe" not in csp
        for tag in page.select("style, script"):
            digest = base64.b64encode(hashlib.sha256(tag.string.encode()).digest()).decode()
            assert f"'sha256-{digest}'" in csp, (name, tag.name)
        assert not page.select("link, img, iframe, object, embed, [src]")
        # Inline style and event attributes would be blocked by the policy (and logged as errors).
        assert not [t for t in page.find_all(True) if any(a == "style" or a.startswith("on") for a in t.attrs)]
        assert "url(" not in page.select_one("style").string
        assert "@import" not in page.select_one("style").string
        assert "@font-face" not in page.select_one("style").string
        assert not re.search(r"https?://", page.select_one("script").string)


def test_accessibility_basics(pages):
    index = soup(pages["index.html"])
    assert index.html["lang"] == "en" and index.select_one("main#main h1")
    assert index.select_one("a.skip-link")["href"] == "#main"
    assert index.select_one("header.site") and index.select_one("footer.site")
    french = soup(pages["doc-3-otan-txt.html"])
    assert french.select_one("#article-text")["lang"] == "fr"
    assert french.select_one("header nav a")["href"] == "index.html"
    css = french.select_one("style").string
    assert "prefers-color-scheme: dark" in css and ":focus-visible" in css and "pre-wrap" in css
    assert "@media print" in css
    for page in document_pages(pages).values():
        levels = [int(h.name[1]) for h in page.select("h1, h2, h3")]
        assert levels[0] == 1 and all(b - a <= 1 for a, b in zip(levels, levels[1:]))


def _palette(css: str, start: str) -> dict[str, str]:
    block = css[css.index(start):]
    block = block[:block.index("}")]
    return dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", block))


def _contrast(a: str, b: str) -> float:
    def luminance(colour: str) -> float:
        channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b_ = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * r + 0.7152 * g + 0.0722 * b_
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_colours_meet_wcag_aa_in_both_themes():
    css = html.environment().get_template("report.css").render()
    light = _palette(css, ":root {")
    dark = {**light, **_palette(css, "prefers-color-scheme: dark")}
    assert dark["bg"] != light["bg"]
    backgrounds = ["bg", "panel", "current", "suppressed-bg", "flag-bg",
                   "verified-bg", "unverified-bg", "contradicted-bg"]
    text = ["fg", "muted", "link", "verified-line", "unverified-line", "contradicted-line", "flag-line"]
    for theme, colours in (("light", light), ("dark", dark)):
        for foreground in text:
            for background in backgrounds:
                ratio = _contrast(colours[foreground], colours[background])
                assert ratio >= 4.5, (theme, foreground, background, round(ratio, 2))
        for ui in ("focus", "border"):  # focus rings, control borders, chart tracks: 3:1 (WCAG 1.4.11)
            for background in ("bg", "panel"):
                assert _contrast(colours[ui], colours[background]) >= 3, (theme, ui, background)


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


def test_user_partials_and_stylesheet_stay_pinned_by_the_policy(result, tmp_path):
    (tmp_path / "report.css").write_text('{% include "default:report.css" %}\n.brand { letter-spacing: .1em; }\n')
    (tmp_path / "_legend.html").write_text('<p class="legend house">House style: {{ verdicts|length }} verdicts</p>\n')
    (tmp_path / "base.html").write_text(
        '{% extends "default:base.html" %}{% block footer %}{{ super() }}<p class="house">Newsroom</p>{% endblock %}')
    pages = html.render_pages(result, templates_dir=tmp_path)
    page = soup(pages["doc-1-europe-md.html"])
    style = page.select_one("style").string
    assert style.endswith(".brand { letter-spacing: .1em; }\n") and ":root {" in style
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    assert f"'sha256-{digest}'" in page.select_one('meta[http-equiv="Content-Security-Policy"]')["content"]
    assert page.select_one("p.legend.house").get_text() == "House style: 3 verdicts"
    assert page.select_one("footer p.house").get_text() == "Newsroom"
    assert soup(pages["index.html"]).select_one("footer p.house")
