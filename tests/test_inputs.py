"""Inputs: HTML pages, Markdown front matter, JSON Lines, standard input, encodings, binary files.

Fixtures in fixtures/inputs/ are hand-written, never copied pages:
- en-news-page.html: an English story with page chrome (cookie banner, nav, ads, newsletter box,
  "Most read" sidebar, reader comments, footer), canonical link, og: tags, article:published_time
  and JSON-LD; its og:url carries a tracking parameter, so the canonical URL must win;
- fr-page-actualite.html: a French story (lang="fr") dated only by a <time> element, with
  "Publicité" blocks and reader reactions in <section class="reactions">;
- en-front-matter.md: Markdown with url, published, language, site and title;
- wire-feed.jsonl: a text record, a truncated line, an HTML record;
- fr-windows-1252.txt (é, « », ’, œ as Windows-1252 bytes) and en-utf16-bom.txt (UTF-16 LE with
  BOM), written with Python's codecs;
- saved-compressed.html: a gzip-compressed page saved under an .html name (binary).
"""
from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from audit.cli import cli
from claims.encoding import DecodeError, decode_bytes
from claims.loading import LoadFailure, load_documents, read_jsonl

FIXTURES = Path(__file__).parent / "fixtures" / "inputs"
CHROME = ("cookies", "Accept all", "Subscribe", "Most read", "Pop star", "Mortgage rates", "Advertisement",
          "Sign up to First Edition", "Comments", "truthseeker", "over 300", "Cancelling my subscription",
          "All rights reserved", "Privacy policy", "__APP_STATE__", "NewsArticle")


def check_json(runner, *args, input=None):
    result = runner.invoke(cli, ["check", *map(str, args), "--format", "json", "--include-text"], input=input,
                           catch_exceptions=False)
    return result, json.loads(result.stdout)


def load_one(path: Path):
    (document,) = list(load_documents([path]))
    assert not isinstance(document, LoadFailure), document
    return document


def assert_offsets_index_the_text(document: dict):
    assert document["findings"]
    for finding in document["findings"]:
        span = finding["span"]
        assert document["text"][span["start"]:span["end"]] == finding["text"]


def test_english_page_is_audited_on_its_article_text_only(runner):
    result, report = check_json(runner, FIXTURES / "en-news-page.html")
    assert result.exit_code == 1  # the inflated toll is contradicted
    (document,) = report["documents"]
    text = document["text"]
    assert "Gunmen in camouflage opened fire" in text
    assert "relatives waited for news." in text
    for chrome in CHROME:
        assert chrome not in text, chrome
    assert document["published"] == "2024-03-25"
    assert document["source"]["url"] == ("https://www.harbourtimes.example.com/world/2024/03/25/"
                                         "moscow-concert-hall-attack-what-we-know")
    assert document["source"]["domain"] == "harbourtimes.example.com"
    assert document["language"] == "en"
    toll = [f for f in document["findings"] if f["text"] == "killed more than 150"]
    assert [f["verdict"] for f in toll] == ["contradicted"]
    assert_offsets_index_the_text(document)


def test_html_text_keeps_blocks_apart(runner):
    document = load_one(FIXTURES / "en-news-page.html")
    assert document.title == "Moscow concert hall attack: what we know so far"
    assert document.site == "The Harbour Times"
    assert document.body.start == 0 and document.body.end == len(document.text)
    text = document.text
    assert "\n\nWho carried out the attack?\n\n" in text  # a heading is a block of its own
    assert ("- how the attackers reached the venue and left it;\n- who financed and recruited them;\n"
            in text)  # list items one per line
    assert "the building alight.\n\nThe Crocus City Hall attack" in text


def test_french_page_uses_lang_and_time_element_and_drops_ads_and_reactions(runner):
    result, report = check_json(runner, FIXTURES / "fr-page-actualite.html")
    (document,) = report["documents"]
    text = document["text"]
    assert document["language"] == "fr"
    assert document["published"] == "2025-11-13"
    assert document["source"]["domain"] == "courrier-rhone.example.fr"
    assert "Les attentats du 13 novembre 2015, qui ont fait 130 morts" in text
    assert "un à un." in text
    for chrome in ("Publicité", "cookies", "Réagissez", "Jeannot69", "200 morts", "pensée émue", "À lire aussi",
                   "Procès des attentats", "Tous droits réservés", "Accueil"):
        assert chrome not in text, chrome
    assert {f["verdict"] for f in document["findings"] if f["text"] == "130 morts"} == {"verified"}
    assert_offsets_index_the_text(document)
    assert load_one(FIXTURES / "fr-page-actualite.html").site == "Le Courrier du Rhône"


def test_markdown_front_matter():
    document = load_one(FIXTURES / "en-front-matter.md")
    assert document.url == "https://www.northernledger.example.org/defence/2024/05/02/sweden-nato-northern-flank"
    assert document.domain == "northernledger.example.org"
    assert document.site == "The Northern Ledger"  # a name, not a host: never the domain
    assert document.published == dt.date(2024, 5, 2)
    assert document.language == "en"
    assert document.title == "Sweden's accession completes NATO's northern flank"
    assert document.text.startswith("---\n")  # offsets count the front matter, as before
    assert document.text[document.body.start:].lstrip().startswith("# Sweden's accession")


def test_jsonl_records_become_documents_and_a_broken_line_one_error(runner):
    result, report = check_json(runner, FIXTURES / "wire-feed.jsonl")
    assert result.exit_code == 2
    path = str(FIXTURES / "wire-feed.jsonl")
    by_path = {d["path"]: d for d in report["documents"]}
    assert list(by_path) == [f"{path}#wire-001", f"{path}:2", f"{path}#wire-003"]
    assert "not valid JSON" in by_path[f"{path}:2"]["error"]
    assert f"{path}:2" in result.stderr
    text_record, html_record = by_path[f"{path}#wire-001"], by_path[f"{path}#wire-003"]
    assert text_record["published"] == "2024-03-23"
    assert text_record["source"]["domain"] == "wire.example.com"
    assert {f["verdict"] for f in text_record["findings"] if f["text"] == "killed 133"} == {"verified"}
    assert html_record["published"] == "2023-08-26"  # from the page's metadata
    assert html_record["source"]["url"] == "https://wire.example.com/asia/2023/08/26/kabul-airport-anniversary"
    assert "Home" not in html_record["text"] and "© Example Wire" not in html_record["text"]
    for document in (text_record, html_record):
        assert document["error"] is None
        assert_offsets_index_the_text(document)


def test_jsonl_is_streamed_and_numbered_by_line():
    pulled = []

    def lines():
        for number, line in enumerate([b'{"text": "NATO has 32 members."}\n', b"\n", b"[1, 2]\n",
                                       b'{"title": "no text"}\n'], start=1):
            pulled.append(number)
            yield line

    loaded = read_jsonl("feed.jsonl", lines(), language="en")
    first = next(loaded)
    assert first.path == "feed.jsonl#1" and pulled == [1]  # one record read, not the whole file
    rest = list(loaded)
    assert [(f.path, f.message) for f in rest] == [("feed.jsonl:3", "not a JSON object (a list)"),
                                                   ("feed.jsonl:4", "record has no 'text' or 'html' string")]


def test_stdin_text_and_html(runner):
    article = "The Crocus City Hall attack near Moscow killed more than 150 people.\n"
    result, report = check_json(runner, "-", "--as-of", "2024-03-25", input=article)
    (document,) = report["documents"]
    assert document["path"] == "<stdin>" and document["text"] == article
    assert [f["verdict"] for f in document["findings"] if f["claim_type"] == "quantity"] == ["contradicted"]

    page = (FIXTURES / "en-news-page.html").read_bytes()
    result, report = check_json(runner, "-", input=page)
    (document,) = report["documents"]
    assert document["path"] == "<stdin>" and document["published"] == "2024-03-25"
    assert "Most read" not in document["text"] and "Gunmen in camouflage" in document["text"]
    assert_offsets_index_the_text(document)


def test_stdin_format_option(runner):
    feed = (FIXTURES / "wire-feed.jsonl").read_bytes()
    _, report = check_json(runner, "-", input=feed)  # auto: not every line is a JSON object, so text
    assert [d["path"] for d in report["documents"]] == ["<stdin>"]
    _, report = check_json(runner, "-", "--stdin-format", "jsonl", input=feed)
    assert [d["path"] for d in report["documents"]] == ["<stdin>#wire-001", "<stdin>:2", "<stdin>#wire-003"]
    _, report = check_json(runner, "-", "--stdin-format", "text", input="<p>NATO has 32 members.</p>")
    assert report["documents"][0]["text"] == "<p>NATO has 32 members.</p>"
    _, report = check_json(runner, "-", "--stdin-format", "html", input="<p>NATO has 32 members.</p>")
    assert report["documents"][0]["text"] == "NATO has 32 members."
    assert runner.invoke(cli, ["check", "-", "--stdin-format", "pdf"]).exit_code == 2


def test_windows_1252_and_utf16_files_are_decoded():
    french = load_one(FIXTURES / "fr-windows-1252.txt")
    assert "L’attentat de la promenade des Anglais, le 14 juillet 2016, a fait 86 morts." in french.text
    assert "« On n’oublie pas », répète une bénévole" in french.text and "le cœur serré" in french.text
    assert french.language == "fr"
    english = load_one(FIXTURES / "en-utf16-bom.txt")
    assert english.text.startswith("Seven years on, Manchester remembers\n")


def test_binary_file_is_skipped_and_the_others_are_audited(runner, tmp_path):
    for name in ("saved-compressed.html", "fr-windows-1252.txt", "en-utf16-bom.txt", "en-news-page.html"):
        shutil.copy(FIXTURES / name, tmp_path / name)
    (tmp_path / "notes.htm").write_text("<html><body><p>NATO has 32 members.</p></body></html>", encoding="utf-8")
    (tmp_path / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")  # not an article suffix
    result, report = check_json(runner, tmp_path, "--fail-on", "never")
    assert result.exit_code == 2  # an input error, whatever the findings
    by_name = {Path(d["path"]).name: d for d in report["documents"]}
    assert sorted(by_name) == ["en-news-page.html", "en-utf16-bom.txt", "fr-windows-1252.txt", "notes.htm",
                               "saved-compressed.html"]
    assert by_name["saved-compressed.html"]["error"] == "binary file (contains NUL bytes); skipped"
    assert "saved-compressed.html: binary file" in result.stderr
    for name in ("en-news-page.html", "en-utf16-bom.txt", "fr-windows-1252.txt"):
        assert by_name[name]["error"] is None and by_name[name]["findings"], name
    verdicts = {f["text"]: f["verdict"] for f in by_name["en-utf16-bom.txt"]["findings"]}
    assert verdicts["killed 22"] == "verified"
    assert by_name["notes.htm"]["text"] == "NATO has 32 members."


def test_page_without_article_text_is_an_error_not_a_crash(runner, tmp_path):
    (tmp_path / "empty.html").write_text("<html><head><title>Nothing</title></head><body></body></html>",
                                         encoding="utf-8")
    (tmp_path / "blank.html").write_text("  \n", encoding="utf-8")
    result, report = check_json(runner, tmp_path)
    assert result.exit_code == 2
    assert [d["error"] for d in report["documents"]] == ["no article text found"] * 2


@pytest.mark.parametrize("declared", ['<meta charset="windows-1252">',
                                      '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">'])
def test_html_meta_charset_is_honoured(declared):
    page = f"<html><head>{declared}</head><body><p>L’été à Nice, « 86 morts ».</p></body></html>"
    raw = page.encode("cp1252")
    assert decode_bytes(raw, html=True) == page  # ISO-8859-1 is read as Windows-1252, as browsers do


def test_declared_charset_does_not_override_valid_utf8():
    page = '<html><head><meta charset="iso-8859-1"></head><body><p>Café</p></body></html>'
    assert decode_bytes(page.encode("utf-8"), html=True) == page


def test_undetectable_encoding_is_an_error():
    with pytest.raises(DecodeError, match="UTF-8"):
        decode_bytes("Число погибших выросло до 144 человек.".encode("koi8_r"))


def test_html_report_shows_the_extracted_text(runner, tmp_path):
    from bs4 import BeautifulSoup

    result = runner.invoke(cli, ["check", str(FIXTURES / "en-news-page.html"), "--html", str(tmp_path / "report")])
    assert result.exit_code == 1
    (page,) = (tmp_path / "report").glob("doc-*.html")
    shown = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").get_text()
    assert "Gunmen in camouflage opened fire" in shown
    assert "Most read" not in shown and "truthseeker" not in shown


def test_run_reads_stdin_from_the_stream_it_is_given(auditor):
    import io

    from audit.engine import Config, run

    page = (FIXTURES / "fr-page-actualite.html").read_bytes()
    result = run(["-", FIXTURES / "en-front-matter.md", "-"], Config(), auditor, stdin=io.BytesIO(page))
    paths = [d.path for d in result.documents]
    assert paths == ["<stdin>", str(FIXTURES / "en-front-matter.md"), "<stdin>"]
    assert result.documents[0].document.language == "fr" and result.documents[0].error is None
    assert result.documents[2].error == "standard input given more than once"
