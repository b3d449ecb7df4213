"""Hypothesis strategies for the property tests: article text, Markdown, HTML, JSON Lines, registries.

Random Unicode alone rarely makes an extractor fire, so text is built from words that do: the
extraction lexicons (English and French), names and acronyms from the bundled registry, numbers
in every convention the number finder reads, dates (some impossible), and junk in between —
bidi and zero-width marks, combining accents, NUL, any code point but a surrogate.
"""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

import yaml
from hypothesis import strategies as st

from references.loader import load_registry

# ---------------------------------------------------------------------------------- vocabulary


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)] + [k for k in value if isinstance(k, str)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


@lru_cache(maxsize=1)
def lexicon_words() -> tuple[str, ...]:
    raw = yaml.safe_load((resources.files("claims") / "lexicon" / "quantities.yaml").read_text("utf-8"))
    return tuple(sorted(set(_strings(raw))))


@lru_cache(maxsize=1)
def registry_names() -> tuple[str, ...]:
    """Names, aliases, acronyms, event aliases, triggers, places and signatures of the bundled registry
    (loading is memoised per file, so the session's `registry` fixture costs nothing more)."""
    registry = load_registry([])
    names: set[str] = set()
    for entity in registry.entities:
        names.update(entity.names())
        names.update(entity.acronyms)
    for event in registry.events:
        names.add(event.name)
        for field in (event.aliases, event.venues, event.keywords, event.triggers):
            names.update(n for _, group in field.by_language for n in group)
        names.update(event.places)
    names.update(s.pattern for s in registry.signatures if not s.regex)
    names.update(d.domain for d in registry.domains)
    return tuple(sorted(names))


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December", "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
          "septembre", "octobre", "novembre", "décembre", "Sept.", "Feb.")
SPECIAL = ("\u200f", "\u200e", "\u202e", "\u202c", "\u200b", "\u200c", "\u200d", "\ufeff", "\u2060",
           "\u0301", "\u0327", "\u0308", "\x00", "\u00a0", "\u202f", "\u2028", "\u2029", "\r\n", "\r", "\t",
           "\x0b", "\x0c", "\x85", "İ", "ß", "ﬁ", "٣", "𝟏", "\U0001F600", "\ufffd")
PUNCTUATION = tuple(".,;:!?—–-()[]\"'«»“”‘’…%/&*#|>") + ("...", " — ", " -- ", "\n", "\n\n", "\n- ", "\n1. ")
AUTHOR_WORDS = ("killed", "people", "members", "more than", "at least", "nearly", "about", "up to", "fewer than",
                "including", "founded in", "was founded", "the attack", "attacks", "in", "the", "of", "tués",
                "au moins", "plus de", "membres", "pays", "fondé en", "l'attentat", "de", "et", "then", "now",
                "last year", "this year", "last September", "septembre dernier", "cette année", "a dozen",
                "dozens", "hundreds of thousands", "des centaines de", "Centre", "Initiative", "Agency", "Fondation",
                "Task Force", "(", ")", "NATO", "OTAN", "had", "has", "alliance", "Mr.", "U.S.", "e.g.", "St.")

safe_characters = st.characters(blacklist_categories=("Cs",))  # any code point but a lone surrogate
junk = st.text(safe_characters, max_size=12)


@st.composite
def numbers(draw) -> str:
    n = draw(st.integers(0, 10**10))
    form = draw(st.sampled_from(("plain", "comma", "space", "nbsp", "dot", "scale", "decimal", "percent",
                                 "garbled", "words", "ratio")))
    if form == "comma":
        return f"{n:,}"
    if form == "space":
        return f"{n:,}".replace(",", " ")
    if form == "nbsp":
        return f"{n:,}".replace(",", draw(st.sampled_from(("\u00a0", "\u202f"))))
    if form == "dot":
        return f"{n:,}".replace(",", ".")
    if form == "scale":
        scale = draw(st.sampled_from(("million", "millions", "billion", "thousand", "milliards", "mille", "mn", "bn")))
        return f"{n % 1000}{draw(st.sampled_from(('.', ',')))}{n % 10} {scale}"
    if form == "decimal":
        return f"{n % 1000}{draw(st.sampled_from(('.', ',')))}{n % 97}"
    if form == "percent":
        sign = draw(st.sampled_from(("%", " %", "\u00a0%")))
        return f"{n % 1000}{sign}"
    if form == "garbled":
        return draw(st.sampled_from(("XNUMX", "XNUMX XNUMX", "XXNUMX", "XNUMXX", "XNUMX,XNUMX")))
    if form == "words":
        return draw(st.sampled_from(("one hundred and fifty", "twenty-four", "thirty", "cent cinquante",
                                     "quatre-vingt-dix", "trente-deux", "two thousand", "un", "zero", "dozen")))
    if form == "ratio":
        return f"{n % 100}/{n % 30}"
    return str(n)


@st.composite
def dates(draw) -> str:
    year = draw(st.integers(1790, 2099) | st.sampled_from((1899, 1900, 2000, 2024, 2099)))
    month = draw(st.integers(0, 13))
    day = draw(st.integers(0, 32))
    name = draw(st.sampled_from(MONTHS))
    form = draw(st.integers(0, 5))
    if form == 0:
        return f"{year}-{month:02d}-{day:02d}"
    if form == 1:
        return f"{day} {name} {year}"
    if form == 2:
        return f"{name} {day}, {year}"
    if form == 3:
        return f"le {day}{draw(st.sampled_from(('', 'er')))} {name} {year}"
    if form == 4:
        return f"{name} {year}"
    return str(year)


def words() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(lexicon_words()),
        st.sampled_from(registry_names()),
        st.sampled_from(AUTHOR_WORDS),
        numbers(),
        dates(),
        st.sampled_from(PUNCTUATION),
        st.sampled_from(SPECIAL),
        junk,
    )


SEPARATORS = st.sampled_from((" ", " ", " ", "", "\n", ". ", ", ", "\u00a0", " (", ") ", "\n\n"))


@st.composite
def prose(draw, max_words: int = 40) -> str:
    """A run of words that extractors fire on, with junk and odd separators between them."""
    parts = draw(st.lists(st.tuples(words(), SEPARATORS), max_size=max_words))
    return "".join(word + sep for word, sep in parts)


article_text = st.one_of(prose(), st.text(safe_characters, max_size=200), prose(max_words=120))

# ------------------------------------------------------------------------------------ Markdown


@st.composite
def front_matter(draw) -> str:
    fields = draw(st.dictionaries(
        st.sampled_from(("title", "url", "published", "date", "language", "lang", "site", "source_url", "extra")),
        st.one_of(st.sampled_from(("2024-03-25", "2015-11-13", "2024-02-30", "yesterday", "", "fr", "en-GB",
                                   "https://www.example.com/a", "javascript:alert(1)", "example.com",
                                   "http://[::1", "//host", "1e400", "null", "[1, 2]", "{a: 1}")),
                  st.integers(-10, 10**6).map(str), junk.map(json.dumps), dates()),
        max_size=5))
    body = "\n".join(f"{key}: {value}" for key, value in fields.items())
    if draw(st.booleans()):
        body += "\n" + draw(st.sampled_from(("  : bad", "- list", "key: [unclosed", "\t tab", "&a x", "*a", "? q")))
    return f"---\n{body}\n{draw(st.sampled_from(('---', '...', '--')))}\n"


@st.composite
def markdown_block(draw) -> str:
    kind = draw(st.integers(0, 7))
    text = draw(prose(max_words=15))
    if kind == 0:
        return "#" * draw(st.integers(1, 6)) + " " + text
    if kind == 1:
        items = draw(st.lists(prose(max_words=8), min_size=1, max_size=4))
        marker = draw(st.sampled_from(("- ", "* ", "1. ", "2) ", "• ")))
        return "\n".join(marker + item for item in items)
    if kind == 2:
        rows = draw(st.lists(st.lists(prose(max_words=4), min_size=1, max_size=3), min_size=1, max_size=3))
        return "\n".join("| " + " | ".join(row) + " |" for row in rows[:1]) + "\n|---|---|\n" + \
            "\n".join("| " + " | ".join(row) + " |" for row in rows[1:])
    if kind == 3:
        comment = draw(st.sampled_from(("source-audit: ignore SA201 reason", "source-audit: ignore",
                                        "source-audit: disable SA1", "source-audit: enable",
                                        "source-audit: ignore-file because", "source-audit: bogus XX",
                                        "plain comment", "source-audit: ignore SA999 x")))
        return f"<!-- {comment} -->" + draw(st.sampled_from(("", "\n", " -->", " <!--")))
    if kind == 4:
        return "> " + text
    if kind == 5:
        return "```\n" + text + "\n```"
    if kind == 6:
        return f"**{text}**: {draw(prose(max_words=8))}"
    return text


@st.composite
def markdown(draw) -> str:
    head = draw(front_matter()) if draw(st.booleans()) else ""
    blocks = draw(st.lists(markdown_block(), max_size=6))
    return head + draw(st.sampled_from(("\n\n", "\n", "\r\n\r\n"))).join(blocks)


# ---------------------------------------------------------------------------------------- HTML

TAGS = ("p", "div", "span", "h1", "h2", "ul", "li", "ol", "table", "tr", "td", "th", "a", "b", "em", "article",
        "main", "section", "aside", "nav", "footer", "header", "blockquote", "pre", "br", "script", "style",
        "template", "svg", "math", "iframe", "noscript", "title", "meta", "link", "time", "figure")
ATTRIBUTES = ("class=\"comment\"", "id=\"reactions\"", "lang=\"fr\"", "href=\"javascript:x\"",
              "rel=\"canonical\" href=\"https://ex.org/a\"", "property=\"og:url\" content=\"//ex.org\"",
              "class='article-body'", "hidden", "onclick=\"alert(1)\"", "data-x='\"><'", "charset=\"koi8-r\"",
              "content=\"2024-13-45\" property=\"article:published_time\"", "x=", "=", "style=\"display:none\"")
ENTITIES = ("&amp;", "&lt;", "&gt;", "&nbsp;", "&#0;", "&#x110000;", "&#55296;", "&bogus;", "&", "&#x202E;",
            "&eacute;", "&#8203;")


def html_fragment() -> st.SearchStrategy[str]:
    leaf = st.one_of(prose(max_words=12), st.sampled_from(ENTITIES), st.sampled_from(("<", ">", "</", "<!--", "-->",
                                                                                       "<![CDATA[", "]]>", "<?xml ?>")))

    @st.composite
    def element(draw, children):
        tag = draw(st.sampled_from(TAGS))
        attrs = " ".join(draw(st.lists(st.sampled_from(ATTRIBUTES), max_size=2)))
        inner = "".join(draw(st.lists(children, max_size=4)))
        close = draw(st.sampled_from((f"</{tag}>", f"</{tag}>", f"</{tag}>", "", "</div>", f"</{tag}")))
        return f"<{tag}{' ' if attrs else ''}{attrs}>{inner}{close}"

    return st.recursive(leaf, lambda children: element(children), max_leaves=12)


@st.composite
def html_page(draw) -> str:
    doctype = draw(st.sampled_from(("<!DOCTYPE html>", "", "<?xml version='1.0'?>", "<!doctype html><!-- x -->")))
    lang = draw(st.sampled_from(("", " lang=\"en\"", " lang=\"fr-FR\"", " lang=\"zz\"", " xml:lang=\"fr\"")))
    head = "".join(draw(st.lists(st.sampled_from((
        "<title>Title &amp; more</title>", "<meta charset=\"utf-8\">", "<meta charset=\"x-unknown\">",
        "<link rel=\"canonical\" href=\"/relative\">", "<link rel=\"canonical\" href=\"https://news.example.com/a\">",
        "<meta property=\"og:url\" content=\"https://www.example.org/x\">",
        "<meta property=\"og:site_name\" content=\"Example\">",
        "<meta name=\"date\" content=\"2024-03-25\">", "<meta name=\"date\" content=\"2024-02-31\">",
        "<script>var x = '<p>not text</p>';</script>", "<style>p{}</style>")), max_size=4)))
    body = "".join(draw(st.lists(html_fragment(), max_size=5)))
    if draw(st.booleans()):
        return body  # a bare fragment
    return f"{doctype}<html{lang}><head>{head}</head><body>{body}</body></html>"


# ----------------------------------------------------------------------------------- JSON Lines

@st.composite
def jsonl_record(draw) -> str:
    if draw(st.integers(0, 6)) == 0:
        return draw(st.sampled_from(("{", "[]", "null", "\"text\"", "{\"text\": 5}", "{\"html\": null}",
                                     "{\"text\": \"a\"} trailing", "\ufeff{\"text\": \"bom\"}", "\x00", "")))
    record: dict = {}
    if draw(st.booleans()):
        record["text"] = draw(article_text)
    else:
        record["html"] = draw(html_page())
    for key, values in (("id", st.one_of(st.none(), st.integers(), junk, st.just(""))),
                        ("url", st.one_of(junk, st.sampled_from(("https://example.com/x", "ftp://x", "")))),
                        ("published", st.one_of(dates(), st.integers(), st.none(), st.lists(st.integers(), max_size=2))),
                        ("language", st.one_of(st.sampled_from(("en", "fr", "de", "")), st.integers())),
                        ("title", st.one_of(junk, st.integers(), st.none())),
                        ("site", st.one_of(junk, st.just("example.com"), st.floats(allow_nan=False)))):
        if draw(st.booleans()):
            record[key] = draw(values)
    return json.dumps(record, ensure_ascii=draw(st.booleans()))


jsonl_document = st.lists(jsonl_record(), max_size=4).map("\n".join)


# ------------------------------------------------------------------------------------ any input

def encodings() -> st.SearchStrategy[str]:
    return st.sampled_from(("utf-8", "utf-8-sig", "utf-16", "utf-32", "cp1252", "latin-1", "mac_roman"))


@st.composite
def input_bytes(draw) -> bytes:
    """The bytes of an input file: some article text encoded somehow, or raw bytes, possibly cut."""
    kind = draw(st.integers(0, 4))
    if kind == 0:
        return draw(st.binary(max_size=300))
    text = draw((article_text, markdown(), html_page(), jsonl_document)[kind - 1])
    raw = text.encode(draw(encodings()), errors="replace")
    if draw(st.integers(0, 4)) == 0:
        raw = raw[:draw(st.integers(0, len(raw)))]  # cut mid-character
    return raw
