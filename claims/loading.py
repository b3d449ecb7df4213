"""Read articles from disk: plain text and Markdown (with optional YAML front matter).

Every failure is a `LoadFailure` naming the path, so one broken file never stops an audit.
"""
from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator
from urllib.parse import urlsplit

import yaml

from .language import SUPPORTED, detect_language
from .model import Document, Span

TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".text")
MAX_BYTES = 50 * 1024 * 1024
_FRONT_MATTER = re.compile(r"\A(?:\ufeff)?---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)


@dataclass(frozen=True)
class LoadFailure:
    path: str
    message: str


def find_files(paths: Iterable[str | Path]) -> Iterator[Path | LoadFailure]:
    """Expand directories (sorted, hidden entries skipped, symlinked dirs not followed)."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for root, dirs, files in os.walk(path, followlinks=False):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if not name.startswith(".") and name.lower().endswith(TEXT_SUFFIXES):
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
    if not isinstance(data, dict):
        return {}, 0
    return data, match.end()


def _date(value: object) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        raise ValueError(f"front matter 'published' is not a date (YYYY-MM-DD): {text!r}") from None


def domain_of(url: str | None) -> str | None:
    if not url:
        return None
    host = urlsplit(url if "://" in url else f"//{url}").hostname
    if not host:
        return None
    host = host.lower()
    return host[4:] if host.startswith("www.") else host


def parse_document(path: str, text: str, language: str | None = None) -> Document:
    """Build a Document from decoded text; front matter gives url, published, language, site, title."""
    meta, body_start = _front_matter(text)
    url = meta.get("url") or meta.get("source_url")
    url = str(url) if url else None
    lang = language or meta.get("language") or meta.get("lang")
    if lang and str(lang)[:2].lower() not in SUPPORTED:
        lang = None
    body = text[body_start:]
    return Document(
        path=path,
        text=text,
        language=str(lang)[:2].lower() if lang else detect_language(body),
        published=_date(meta.get("published") or meta.get("date")),
        url=url,
        domain=domain_of(url) or (str(meta["site"]).lower() if meta.get("site") and "." in str(meta["site"]) else None),
        title=str(meta["title"]) if meta.get("title") else None,
        body=Span(body_start, len(text)),
    )


def read_document(path: Path, language: str | None = None) -> Document | LoadFailure:
    shown = str(path)
    try:
        if path.is_dir():
            return LoadFailure(shown, "is a directory")
        size = path.stat().st_size
        if size > MAX_BYTES:
            return LoadFailure(shown, f"larger than {MAX_BYTES // 2**20} MB; skipped")
        raw = path.read_bytes()
    except OSError as exc:
        return LoadFailure(shown, f"cannot read: {exc.strerror or exc}")
    if b"\x00" in raw[:8192]:
        return LoadFailure(shown, "binary file (contains NUL bytes); skipped")
    try:
        text = raw.decode("utf-8-sig" if raw.startswith(b"\xef\xbb\xbf") else "utf-8")
    except UnicodeDecodeError as exc:
        return LoadFailure(shown, f"not valid UTF-8 (byte {exc.start}: {exc.reason})")
    try:
        return parse_document(shown, text, language)
    except ValueError as exc:
        return LoadFailure(shown, str(exc))


def load_documents(paths: Iterable[str | Path], language: str | None = None) -> Iterator[Document | LoadFailure]:
    for item in find_files(paths):
        yield item if isinstance(item, LoadFailure) else read_document(item, language)
