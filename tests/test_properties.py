"""Property-based tests: every extractor, loader, the audit and every report, on arbitrary input.

No input makes a public function raise (other than its documented error), every offset lies inside
the text it refers to, and the audit is deterministic. Strategies: tests/property_strategies.py;
settings: the "ci" profile in conftest.py (derandomized, no example database).
"""
from __future__ import annotations

import datetime as dt
import functools
import io
import tempfile
from pathlib import Path

import pytest
from hypothesis import example, given, settings, strategies as st

from audit.engine import Config, audit_document, audit_result, run
from audit.model import DocumentResult
from claims import dates as date_finder
from claims.encoding import decode_bytes, DecodeError
from claims.entities import acronym_fits, find_local_definitions, find_org_names, find_suspect_acronyms, is_heading
from claims.extract import extract_claims
from claims.html import NoArticleText, extract_article
from claims.lexicon import lexicon
from claims.loading import (FORMATS, STDIN_FORMATS, LoadFailure, load_documents, parse_bytes, parse_document,
                            read_path, sniff_format)
from claims.model import Document, Span
from claims.numbers import find_numbers
from claims.segment import clauses, sentences
from property_strategies import (article_text, html_page, input_bytes, jsonl_document, markdown, prose,
                                 safe_characters)
from references.normalize import fold, fold_letters
from reports import html as html_report
from reports import json_report
from reports.formats import FORMATS as REPORT_FORMATS, RenderOptions, render

AS_OF = dt.date(2024, 6, 1)
LANGUAGES = st.sampled_from(("en", "fr"))
any_text = st.one_of(article_text, markdown(), st.text(safe_characters, max_size=60))


def within(span: Span, start: int, end: int) -> bool:
    return start <= span.start <= span.end <= end


def documents_of(items) -> list[Document]:
    """The Documents among loader results, after checking every item is one or a LoadFailure."""
    out = []
    for item in items:
        assert isinstance(item, (Document, LoadFailure)), item
        if isinstance(item, LoadFailure):
            assert item.path and item.message
        else:
            assert isinstance(item.text, str)
            assert item.body is None or within(item.body, 0, len(item.text))
            assert item.language in ("en", "fr")
            out.append(item)
    return out


# ------------------------------------------------------------------------------------ loading

@given(raw=input_bytes(), fmt=st.sampled_from(STDIN_FORMATS))
@example(raw=b"[" * 5_000, fmt="jsonl")  # the json module recursed until RecursionError escaped
@example(raw=b'{"text": ' + b"[" * 5_000, fmt="auto")
@example(raw=b"---\na: " + b"[" * 5_000 + b"\n---\nbody", fmt="markdown")  # so did PyYAML, on front matter
def test_parse_bytes_gives_documents_or_failures(raw, fmt):
    documents_of(parse_bytes("input", raw, fmt))


@given(raw=input_bytes(), suffix=st.sampled_from(sorted(FORMATS) + [".bin", ""]))
@settings(max_examples=40)
def test_read_path_and_load_documents_give_documents_or_failures(raw, suffix):
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / f"article{suffix}"
        path.write_bytes(raw)
        from_file = documents_of(read_path(path))
        from_directory = documents_of(load_documents([directory, str(path), "-"], stdin=io.BytesIO(raw)))
    if suffix in FORMATS:  # found in the directory, then named, then the same bytes on stdin
        assert [d.text for d in from_directory[:len(from_file)]] == [d.text for d in from_file]


@given(text=any_text)
@example(text="---\na: [b\n---\nbody")
@example(text="---\npublished: 0000-00-00\n---\nbody")
def test_parse_document_body_follows_front_matter(text):
    try:
        document = parse_document("a.md", text)
    except ValueError as exc:  # documented: bad front matter, reported by the loader as an input error
        assert str(exc).startswith("front matter")
        return
    assert document.text == text
    assert within(document.body, 0, len(text))


@given(raw=input_bytes(), html=st.booleans())
def test_decode_bytes_raises_only_decode_error(raw, html):
    try:
        assert isinstance(decode_bytes(raw, html=html), str)
    except DecodeError as exc:
        assert str(exc)


@given(text=st.one_of(any_text, jsonl_document, html_page()))
def test_sniff_format_names_a_format(text):
    assert sniff_format(text) in ("html", "jsonl", "text")


# --------------------------------------------------------------------------------------- HTML

@given(page=html_page())
@example(page="<p>\x00</p>")
@example(page="<html><body><p>&#0; &#x110000;</p></body></html>")
def test_html_extraction_gives_text_or_no_article_text(page):
    try:
        article = extract_article(page)
    except NoArticleText as exc:
        assert str(exc)
        return
    assert article.text and article.text == article.text.strip()
    assert "\n\n\n" not in article.text
    assert article.published is None or isinstance(article.published, dt.date)
    assert article.url is None or article.url.startswith(("http://", "https://"))


# --------------------------------------------------------------------------------- segmenting

@given(text=any_text, data=st.data())
@example(text="a." + "b" * 2500 + " c", data=None)
def test_sentences_are_ordered_trimmed_and_inside_the_range(text, data):
    start, end = 0, len(text)
    if data is not None:
        start = data.draw(st.integers(0, len(text)))
        end = data.draw(st.integers(start, len(text)))
    spans = sentences(text, start, end)
    previous_end = start
    for span in spans:
        assert within(span, previous_end, end)
        assert span.end > span.start
        assert not text[span.start].isspace() and not text[span.end - 1].isspace()
        previous_end = span.end
        parts = clauses(text, span)
        assert parts
        clause_end = span.start
        for clause in parts:
            assert within(clause, clause_end, span.end) and clause.end > clause.start
            clause_end = clause.end


# ------------------------------------------------------------------------------------- folding

@given(text=st.text(safe_characters) | any_text)
@example(text="İstanbul ﬁ ß ǅ ΐ")
def test_folding_keeps_every_offset(text):
    assert len(fold(text)) == len(text)
    assert len(fold_letters(text)) == len(text)


# ------------------------------------------------------------------------------------- numbers

def _check_numbers(text, start, end, language):
    found = find_numbers(text, start, end, language)
    previous_end = start
    for number in found:
        assert within(number.span, previous_end, end), (number, text[number.span.start:number.span.end])
        assert number.kind in ("digits", "words", "vague", "garbled")
        assert (number.value is None) == (number.kind == "garbled")
        previous_end = number.span.end
    return found


@given(text=any_text, language=LANGUAGES)
@example(text="12 %", language="en")
@example(text="un douzaine de", language="fr")
def test_numbers_are_ordered_and_inside_the_text(text, language):
    _check_numbers(text, 0, len(text), language)


@given(text=any_text, language=LANGUAGES)
@example(text="a 12 %", language="en")
@example(text="FIFTY DOZEN", language="en")
def test_numbers_stay_inside_each_sentence(text, language):
    for sentence in sentences(text):
        _check_numbers(text, sentence.start, sentence.end, language)
    # a range ending just after a number, as a hard-cut long sentence may
    for number in find_numbers(text, 0, len(text), language):
        _check_numbers(text, 0, number.span.end - 1 if number.span.end > 1 else 0, language)


# --------------------------------------------------------------------------------------- dates

@given(text=any_text, language=LANGUAGES, published=st.none() | st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)))
@example(text="on 31 February 2015", language="en", published=None)
@example(text="le 30 février 2016", language="fr", published=None)
@example(text="2015-02-30", language="en", published=None)
def test_dates_are_real_dates_inside_the_sentence(text, language, published):
    lex = lexicon(language)
    letters = fold_letters(text)
    for sentence in sentences(text):
        found = date_finder.find_dates(letters, sentence, lex) + \
            date_finder.find_relative_dates(letters, sentence, lex, published)
        for match in found:
            assert within(match.span, sentence.start, sentence.end)
            value = match.value
            assert value.month is None or 1 <= value.month <= 12
            if value.day is not None:
                dt.date(value.year, value.month, value.day)  # a day that exists
            str(value)


# ------------------------------------------------------------------------------------ entities

@given(text=any_text, language=LANGUAGES)
@example(text="Fondation (AB) x", language="fr")
@example(text="Task Force (NATO Cooperation)", language="en")
def test_org_names_and_acronyms_are_spans_of_the_sentence(text, language, index):
    names = []
    for sentence in sentences(text):
        is_heading(text, sentence)
        for name in find_org_names(text, sentence, language):
            assert within(name.name_span, sentence.start, sentence.end)
            assert text[name.name_span.start:name.name_span.end] == name.name
            if name.acronym is not None:
                assert within(name.acronym_span, name.name_span.end, len(text))
                assert text[name.acronym_span.start:name.acronym_span.end] == name.acronym
                acronym_fits(name.acronym, name.name)
            names.append(name)
        mentioned = {h.entity_id for h in index.find_names(text)}
        for span, written, entity_id in find_suspect_acronyms(text, sentence, index, set(), mentioned):
            assert within(span, sentence.start, sentence.end) and text[span.start:span.end] == written
            assert entity_id in mentioned
    assert set(find_local_definitions(names)) == {n.acronym for n in names if n.acronym}


@given(text=any_text)
def test_registry_name_hits_are_spans_of_the_text(text, index):
    for hit in index.find_names(text):
        assert within(Span(hit.start, hit.end), 0, len(text)) and hit.end > hit.start
    for hit in index.find_event_terms(text):
        assert within(Span(hit.start, hit.end), 0, len(text)) and hit.end > hit.start


@given(acronym=st.text(safe_characters, max_size=8), name=st.text(safe_characters, max_size=40))
def test_acronym_fits_answers_for_any_strings(acronym, name):
    assert acronym_fits(acronym, name) in (True, False)


# ------------------------------------------------------------------------------------- claims

def _check_claims(document: Document, index) -> tuple:
    claims = extract_claims(document, index)
    text = document.text
    body = document.body or Span(0, len(text))
    for claim in claims:
        assert text[claim.span.start:claim.span.end] == claim.text, claim
        assert within(claim.span, body.start, body.end)
        assert within(claim.sentence, body.start, body.end)
        for occurrence in claim.occurrences:
            assert within(occurrence, 0, len(text))
        if claim.quantity is not None:
            claim.quantity.bounds()
            claim.quantity.describe()
        if claim.date is not None:
            str(claim.date)
    return claims


@given(text=any_text, language=LANGUAGES, published=st.none() | st.dates(dt.date(1990, 1, 1), dt.date(2030, 1, 1)))
@example(text="NATO had 30 members on 31 February 2020.", language="en", published=None)
def test_claims_are_spans_of_the_document(text, language, published, index):
    document = Document("a.md", text, language=language, published=published, body=Span(0, len(text)))
    _check_claims(document, index)


@given(text=markdown(), language=st.none() | LANGUAGES)
def test_claims_of_markdown_lie_in_the_body(text, language, index):
    try:
        document = parse_document("a.md", text, language)
    except ValueError:  # bad front matter: an input error the loader reports
        return
    _check_claims(document, index)


# -------------------------------------------------------------------------- audit and reports

@pytest.fixture(scope="module", autouse=True)
def _templates_compiled_once():
    """render_pages builds a fresh Jinja environment, compiling every template, on each call
    (~0.5 s): shared here so that a hundred examples take seconds. The pages are the same."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(html_report, "environment", functools.lru_cache(maxsize=None)(html_report.environment))
        yield


def _audit_twice(document: Document, auditor) -> DocumentResult:
    first = audit_document(document, auditor, AS_OF)
    second = audit_document(document, auditor, AS_OF)
    assert first == second
    config = Config(as_of=AS_OF)
    one, two = (audit_result([r], auditor, config) for r in (first, second))
    assert json_report.render(one, include_text=True) == json_report.render(two, include_text=True)
    for finding in first.findings:
        assert within(finding.claim.span, 0, len(document.text))
        for occurrence in finding.occurrences:
            assert within(occurrence, 0, len(document.text))
    for flag in first.flags:
        assert flag.span is None or within(flag.span, 0, len(document.text))
    return first


@given(text=any_text, language=LANGUAGES)
@settings(max_examples=50)
def test_audit_is_deterministic_and_every_report_renders(text, language, auditor):
    try:
        document = parse_document("article.md", text, language)
    except ValueError:  # bad front matter: an input error, reported by the loader
        document = Document("article.md", text, language=language, body=Span(0, len(text)))
    result = _audit_twice(document, auditor)
    audit = audit_result([result, DocumentResult(path="broken.md", error="cannot read")], auditor,
                         Config(as_of=AS_OF))
    for name in REPORT_FORMATS:
        rendered = render(name, audit, RenderOptions(include_text=True, show_verified=True))
        assert isinstance(rendered, str) and rendered == render(name, audit, RenderOptions(include_text=True,
                                                                                             show_verified=True))
    pages = html_report.render_pages(audit)
    assert html_report.INDEX in pages and len(pages) == 2
    assert pages == html_report.render_pages(audit)


@given(raw=input_bytes(), suffix=st.sampled_from(sorted(FORMATS) + [".dat"]))
@example(raw=b"", suffix=".jsonl")
@example(raw=b"\n \n", suffix=".jsonl")
@settings(max_examples=30)
def test_run_audits_any_file_without_internal_errors(raw, suffix, auditor):
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / f"article{suffix}"
        path.write_bytes(raw)
        config = Config(as_of=AS_OF)
        result = run([str(path)], config, auditor)
        again = run([str(path)], config, auditor)
    if suffix == ".jsonl" and not raw.strip():
        assert result.documents == (), "a JSON Lines file without records holds no documents"
    else:
        assert result.documents, "every input gives a result or an error"
    for document in result.documents:
        assert not (document.error or "").startswith("internal error"), document.error
    assert json_report.render(result) == json_report.render(again)
    for name in REPORT_FORMATS:
        render(name, result)
    html_report.render_pages(result)


# ---------------------------------------------------------------- regressions found by the above

def test_an_impossible_day_is_not_a_date_claim(audit_text):
    """'31 February 1949' was read as a date, and verified as NATO's founding date."""
    result = audit_text("NATO was founded on 31 February 1949.")
    assert all("31" not in f.claim.text for f in result.findings)
    assert [f.claim.text for f in result.findings if f.claim.claim_type.value == "date"] == ["February 1949"]


def test_a_deeply_nested_baseline_is_a_baseline_error():
    """json.loads raised RecursionError, not BaselineError, on '[[[[…' (and the CLI showed a traceback)."""
    from audit.baseline import Baseline, BaselineError
    with pytest.raises(BaselineError, match="nested too deeply"):
        Baseline.from_text("[" * 100_000)


def test_a_deeply_nested_line_of_a_resumed_report_is_no_record():
    from audit.streaming import _record
    assert _record(b"[" * 100_000) is None
