"""Read articles: plain text and Markdown (optional YAML front matter), HTML pages, JSON Lines, stdin.

Every failure is a `LoadFailure` naming the path (or `file.jsonl:LINE`), so one broken file or
record never stops an audit.
"""
from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Iterable, Iterator
from urllib.parse import urlsplit

import yaml

from .encoding import SNIFF_BYTES, DecodeError, decode_bytes, looks_binary
from .language import SUPPORTED, detect_language
from .model import Document, Span

FORMATS = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown",
           ".html": "html", ".htm": "html", ".jsonl": "jsonl"}
STDIN = "-"
STDIN_PATH = "<stdin>"
STDIN_FORMATS = ("auto", "text", "markdown", "html", "jsonl")
STDIN_TWICE = "standard input given more than once"
MAX_BYTES = 50 * 1024 * 1024
_FRONT_MATTER = re.compile(r"\A(?:\ufeff)?---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)


@dataclass(frozen=True)
class LoadFailure:
    path: str
    message: str


def find_files(paths: Iterable[str | Path]) -> Iterator[Path | LoadFailure]:
    """Expand directories (sorted, hidden entries skipped, symlinked dirs not followed); `-` is stdin."""
    for raw in paths:
        path = Path(raw)
        if str(raw) == STDIN:
            yield path
        elif path.is_dir():
            for root, dirs, files in os.walk(path, followlinks=False):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if not name.startswith(".") and Path(name).suffix.lower() in FORMATS:
                        yield Path(root) / name
        elif path.exists() or path.is_symlink():
            yield path
        else:
            yield LoadFailure(str(path), "no such file or directory")


def _front_matter(text: str) -> tuple[dict, int]:
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, 0
    try:
        data = yaml.safe_load(match.group(1))
    except yaml.YAMLError as exc:
        raise ValueError(f"front matter is not valid YAML: {exc}") from None
    except RecursionError:  # PyYAML composes nested collections recursively: "a: [[[[…"
        raise ValueError("front matter is not valid YAML: nested too deeply") from None
    except ValueError as exc:  # a timestamp YAML accepts but Python cannot hold: "published: 0000-00-00"
        raise ValueError(f"front matter is not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        return {}, 0
    return data, match.end()


def _date(value: object, where: str = "front matter") -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        raise ValueError(f"{where} 'published' is not a date (YYYY-MM-DD): {text!r}") from None


def domain_of(url: str | None) -> str | None:
    """The host name of an http(s) URL (or a bare host); anything else ('javascript:…') has none."""
    if not url:
        return None
    scheme = url.split(":", 1)[0].lower() if ":" in url.split("/", 1)[0] else ""
    if scheme and scheme not in ("http", "https"):
        return None
    host = urlsplit(url if "://" in url else f"//{url}").hostname
    if not host:
        return None
    host = host.lower()
    return host[4:] if host.startswith("www.") else host


def _language(stated: object) -> str | None:
    """'en' or 'fr' from a stated language ("fr", "en-GB", "fr_FR"), None if unsupported."""
    code = str(stated or "")[:2].lower()
    return code if code in SUPPORTED else None


def _str(value: object) -> str | None:
    return str(value) if value not in (None, "") else None


def parse_document(path: str, text: str, language: str | None = None) -> Document:
    """Build a Document from decoded text; front matter gives url, published, language, site, title."""
    meta, body_start = _front_matter(text)
    url = _str(meta.get("url") or meta.get("source_url"))
    site = _str(meta.get("site"))
    body = text[body_start:]
    return Document(
        path=path,
        text=text,
        language=language or _language(meta.get("language") or meta.get("lang")) or detect_language(body),
        published=_date(meta.get("published") or meta.get("date")),
        url=url,
        domain=domain_of(url) or (site.lower() if site and "." in site else None),
        title=_str(meta.get("title")),
        body=Span(body_start, len(text)),
        site=site,
    )


def parse_html(path: str, html: str, language: str | None = None, meta: dict | None = None) -> Document:
    """A Document whose text is the page's extracted main text; `meta` (a JSON record) overrides the page's."""
    from .html import extract_article

    meta = meta or {}
    article = extract_article(html)
    url = _str(meta.get("url")) or article.url
    return Document(
        path=path,
        text=article.text,
        language=(language or _language(meta.get("language") or meta.get("lang"))
                  or _language(article.language) or detect_language(article.text)),
        published=_date(meta.get("published"), "record") or article.published,
        url=url,
        domain=domain_of(url),
        title=_str(meta.get("title")) or article.title,
        body=Span(0, len(article.text)),
        site=_str(meta.get("site")) or article.site,
    )


def parse_record(path: str, record: object, language: str | None = None) -> Document:
    """One JSON Lines record: `text` (audited as is) or `html`, plus url, published, title, language, site."""
    if not isinstance(record, dict):
        raise ValueError(f"not a JSON object (a {type(record).__name__})")
    text, html = record.get("text"), record.get("html")
    if isinstance(text, str):
        url = _str(record.get("url"))
        return Document(
            path=path,
            text=text,
            language=language or _language(record.get("language") or record.get("lang")) or detect_language(text),
            published=_date(record.get("published"), "record"),
            url=url,
            domain=domain_of(url),
            title=_str(record.get("title")),
            body=Span(0, len(text)),
            site=_str(record.get("site")),
        )
    if isinstance(html, str):
        return parse_html(path, html, language, record)
    raise ValueError("record has no 'text' or 'html' string")


def read_jsonl(shown: str, lines: Iterable[bytes], language: str | None = None) -> Iterator[Document | LoadFailure]:
    """One Document per non-empty line (path `FILE#id`, else `FILE#LINE`); a bad line is `FILE:LINE`."""
    for number, line in enumerate(lines, start=1):
        if number == 1 and line.startswith(b"\xef\xbb\xbf"):
            line = line[3:]
        if not line.strip():
            continue
        where = f"{shown}:{number}"
        if len(line) > MAX_BYTES:
            yield LoadFailure(where, f"record larger than {MAX_BYTES // 2**20} MB; skipped")
            continue
        try:
            record = json.loads(line.decode("utf-8").strip())
        except UnicodeDecodeError as exc:
            yield LoadFailure(where, f"not valid UTF-8 (byte {exc.start}: {exc.reason})")
            continue
        except json.JSONDecodeError as exc:
            yield LoadFailure(where, f"not valid JSON: {exc.msg.removesuffix(' at')} at column {exc.colno}")
            continue
        except RecursionError:  # the json module recurses into nested arrays and objects: "[[[[…"
            yield LoadFailure(where, "not valid JSON: nested too deeply")
            continue
        record_id = record.get("id") if isinstance(record, dict) else None
        try:
            yield parse_record(f"{shown}#{record_id if record_id not in (None, '') else number}", record, language)
        except ValueError as exc:
            yield LoadFailure(where, str(exc))


def sniff_format(text: str) -> str:
    """'html' if the text starts with '<', 'jsonl' if every non-empty line is a JSON object, else 'text'."""
    head = text.lstrip("\ufeff \t\r\n")
    if head.startswith("<"):
        return "html"
    if head.startswith("{"):
        try:
            if all(isinstance(json.loads(line), dict) for line in text.splitlines() if line.strip()):
                return "jsonl"
        except (json.JSONDecodeError, RecursionError):
            pass
    return "text"


def parse_bytes(shown: str, raw: bytes, fmt: str = "auto",
                language: str | None = None) -> Iterator[Document | LoadFailure]:
    """Decode and parse one input in the given format ("auto" sniffs it, see `sniff_format`)."""
    try:
        if fmt == "jsonl":
            if looks_binary(raw):
                raise DecodeError("binary file (contains NUL bytes); skipped")
            yield from read_jsonl(shown, io.BytesIO(raw), language)
            return
        text = decode_bytes(raw, html=fmt == "html" or (fmt == "auto" and raw.lstrip()[:1] == b"<"))
        if fmt == "auto":
            fmt = sniff_format(text)
            if fmt == "jsonl":
                yield from read_jsonl(shown, io.BytesIO(text.encode("utf-8")), language)
                return
        yield parse_html(shown, text, language) if fmt == "html" else parse_document(shown, text, language)
    except ValueError as exc:  # DecodeError, NoArticleText, bad front matter
        yield LoadFailure(shown, str(exc))


def read_path(path: Path, language: str | None = None) -> Iterator[Document | LoadFailure]:
    """The documents in one file, its format chosen by suffix (unknown suffixes are sniffed)."""
    shown = str(path)
    fmt = FORMATS.get(path.suffix.lower(), "auto")
    try:
        if path.is_dir():
            yield LoadFailure(shown, "is a directory")
            return
        if fmt == "jsonl":
            yield from _read_jsonl_file(path, language)
            return
        if path.stat().st_size > MAX_BYTES:
            yield LoadFailure(shown, f"larger than {MAX_BYTES // 2**20} MB; skipped")
            return
        raw = path.read_bytes()
    except OSError as exc:
        yield LoadFailure(shown, f"cannot read: {exc.strerror or exc}")
        return
    yield from parse_bytes(shown, raw, fmt, language)


def _read_jsonl_file(path: Path, language: str | None) -> Iterator[Document | LoadFailure]:
    """Streamed line by line: a large JSON Lines file is never held in memory whole."""
    with path.open("rb") as handle:
        if looks_binary(handle.read(SNIFF_BYTES)):
            yield LoadFailure(str(path), "binary file (contains NUL bytes); skipped")
            return
        handle.seek(0)
        yield from read_jsonl(str(path), handle, language)


def read_stdin(stream: BinaryIO, fmt: str = "auto", language: str | None = None) -> Iterator[Document | LoadFailure]:
    raw = stream.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        yield LoadFailure(STDIN_PATH, f"larger than {MAX_BYTES // 2**20} MB; skipped")
        return
    yield from parse_bytes(STDIN_PATH, raw, fmt, language)


def load_documents(paths: Iterable[str | Path], language: str | None = None, stdin_format: str = "auto",
                   stdin: BinaryIO | None = None) -> Iterator[Document | LoadFailure]:
    """Every document under `paths`, in order; `-` reads standard input (`stdin`, default sys.stdin)."""
    stdin_read = False
    for item in find_files(paths):
        if isinstance(item, LoadFailure):
            yield item
        elif str(item) == STDIN:
            if stdin_read:
                yield LoadFailure(STDIN_PATH, STDIN_TWICE)
                continue
            stdin_read = True
            yield from read_stdin(stdin if stdin is not None else sys.stdin.buffer, stdin_format, language)
        else:
            yield from read_path(item, language)
