"""The article inside an HTML page: main text and metadata, extracted with trafilatura.

The text is what gets audited and what report offsets refer to: one block (paragraph, heading,
list, quote, table) per paragraph, blocks separated by a blank line and list items on their own
lines, so sentences never run across blocks.
"""
from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urljoin, urlsplit

# trafilatura logs "discarding data" and the like; they are not the user's business
for _name in ("trafilatura", "htmldate", "courlan"):
    logging.getLogger(_name).addHandler(logging.NullHandler())

# htmldate: the page's markup, metadata and URL only, never a date guessed from running text
DATE_PARAMS = {"original_date": True, "extensive_search": False}
# Reader reactions that trafilatura's own comment filters (class/id "comment...") do not catch,
# e.g. French sites' <section class="reactions"> or <div id="commentaires">
PRUNE_XPATH = (".//*[self::section or self::div or self::aside or self::ul or self::ol][not(.//h1)]"
               "[contains(@class, 'reaction') or contains(@id, 'reaction')"
               " or contains(@class, 'commentaire') or contains(@id, 'commentaire')]")


# libxml2 silently drops elements nested deeper than 256: a page that reaches that depth may have lost
# text, so it is an error rather than a partial audit (an XPath of 256 steps is answered in C, at once)
MAX_DEPTH = 256


class NoArticleText(ValueError):
    pass


@dataclass(frozen=True)
class Article:
    """What a page says about itself, and its main text as source-audit audits it."""

    text: str
    title: str | None = None
    url: str | None = None
    site: str | None = None
    published: dt.date | None = None
    language: str | None = None  # the page's lang attribute, lower-cased ("en-gb"), if any


def extract_article(html: str) -> Article:
    """Main text and metadata of a page; raises NoArticleText when the page has no readable text."""
    try:
        return _extract(html)
    except NoArticleText:
        raise
    except Exception as exc:  # a parser failure on one hostile page must not stop the audit of the others
        raise NoArticleText(f"HTML extraction failed ({type(exc).__name__}: {exc})") from exc


def _extract(html: str) -> Article:
    from trafilatura import bare_extraction, baseline, extract_metadata

    tree = _parse(html)
    if tree is None:
        raise NoArticleText("no article text found" if not html.strip() else "no article text found (not HTML)")
    if _too_deep(tree):
        raise NoArticleText(f"HTML nested more than {MAX_DEPTH - 1} elements deep: the parser drops what is "
                            "deeper, so the page cannot be audited in full")
    language = (tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang") or "").strip().lower()
    extracted = bare_extraction(tree, fast=True, include_comments=False, prune_xpath=PRUNE_XPATH)
    text = render_blocks(extracted.body) if extracted is not None else ""
    if not text:
        text = render_blocks(baseline(tree)[0])  # too little text for trafilatura's heuristics: take what there is
    if not text:
        raise NoArticleText("no article text found")
    metadata = extract_metadata(tree, date_config=dict(DATE_PARAMS))
    return Article(text=text, title=metadata.title or None, url=_canonical_url(tree) or _web_url(metadata.url),
                   site=metadata.sitename or None, published=_full_date(metadata.date),
                   language=language or None)


def _parse(html: str):
    from trafilatura import load_html

    if not html.strip():
        return None
    tree = load_html(html)
    if tree is None and "<body" not in html[:4096].lower():
        tree = load_html(f"<html><body>{html}</body></html>")  # a bare fragment such as "<p>...</p>"
    return tree


@lru_cache(maxsize=1)
def _element_at_max_depth():
    from lxml import etree

    return etree.XPath("boolean(/" + "/".join(["*"] * MAX_DEPTH) + ")")


def _too_deep(tree) -> bool:
    return bool(_element_at_max_depth()(tree))


def render_blocks(body) -> str:
    """trafilatura's output tree as text: blocks separated by blank lines, list items one per line."""
    from trafilatura.xml import xmltotxt

    if body is None:
        return ""
    blocks = [body.text.strip()] if body.text and body.text.strip() else []
    for child in body:
        block = "\n".join(line.rstrip() for line in xmltotxt(child, False).strip().splitlines())
        if block.strip():
            blocks.append(block)
    return "\n\n".join(blocks)


def _canonical_url(tree) -> str | None:
    link = tree.find('.//head//link[@rel="canonical"]')
    href = (link.get("href") or "").strip() if link is not None else ""
    if not href:
        return None
    base = tree.find('.//head//meta[@property="og:url"]')
    return _web_url(urljoin(base.get("content", "") if base is not None else "", href))


def _web_url(url: str | None) -> str | None:
    """The URL if it is an absolute http(s) URL with a host name, else None."""
    if not url:
        return None
    url = url.strip()
    if url.startswith("//"):
        url = "https:" + url
    parts = urlsplit(url)
    return url if parts.scheme in ("http", "https") and parts.hostname and "." in parts.hostname else None


def _full_date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value and len(value) == 10 else None
    except ValueError:
        return None
