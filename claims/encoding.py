"""Turn a file's bytes into text: UTF-8 first, then a declared or detected Western European encoding.

source-audit reads English and French, so detection only weighs the code pages such text is
written in (Windows-1252, ISO-8859-15, Latin-1, Mac Roman); bytes that none of them decodes
cleanly are an error, never a guess.
"""
from __future__ import annotations

import codecs
import re

BOMS = (  # UTF-32 first: its little-endian BOM starts with UTF-16's
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
WESTERN_CODE_PAGES = ("cp1252", "iso8859_15", "latin_1", "mac_roman")
SNIFF_BYTES = 8192
# WHATWG: pages labelled Latin-1 or ASCII are decoded as Windows-1252, as browsers do
_BROWSER_ALIASES = {"latin_1": "cp1252", "iso8859_1": "cp1252", "ascii": "cp1252"}
_META_CHARSET = re.compile(rb"""<meta[^>]{0,512}?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]{1,40})""", re.I)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


class DecodeError(ValueError):
    """The bytes are not text source-audit can read; the message says why, for the user."""


class BinaryFile(DecodeError):
    pass


def bom_encoding(raw: bytes) -> str | None:
    return next((name for bom, name in BOMS if raw.startswith(bom)), None)


def looks_binary(raw: bytes) -> bool:
    """NUL bytes near the start mean binary, unless a UTF-16/32 byte order mark explains them."""
    return b"\x00" in raw[:SNIFF_BYTES] and bom_encoding(raw) not in ("utf-16", "utf-32")


def declared_charset(raw: bytes) -> str | None:
    """The Python codec named by an HTML page's `<meta charset>` (first 1024 bytes, as browsers look)."""
    match = _META_CHARSET.search(raw[:1024])
    if not match:
        return None
    try:
        name = codecs.lookup(match.group(1).decode("ascii")).name.replace("-", "_")
    except (LookupError, UnicodeDecodeError):
        return None
    return _BROWSER_ALIASES.get(name, name)


def detect_encoding(raw: bytes) -> str | None:
    """A Western European code page that decodes `raw` as plausible text, or None when none does."""
    from charset_normalizer import from_bytes

    best = from_bytes(raw, cp_isolation=list(WESTERN_CODE_PAGES)).best()
    if best is None or _CONTROL.search(str(best)):
        return None
    return best.encoding


def decode_bytes(raw: bytes, html: bool = False) -> str:
    """Decode a whole file: BOM, then strict UTF-8, then (HTML) the declared charset, then detection.

    Raises BinaryFile for NUL-bearing files and DecodeError when no encoding fits with confidence.
    """
    encoding = bom_encoding(raw)
    if encoding:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError as exc:
            raise DecodeError(f"not valid {encoding.upper().replace('-SIG', '')} despite its byte order mark "
                              f"(byte {exc.start}: {exc.reason})") from None
    if looks_binary(raw):
        raise BinaryFile("binary file (contains NUL bytes); skipped")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = declared_charset(raw) if html else None
    if declared and declared != "utf_8":
        try:
            return raw.decode(declared)
        except UnicodeDecodeError:
            pass  # the declaration is wrong: detect instead
    encoding = detect_encoding(raw)
    if encoding is None:
        raise DecodeError("not UTF-8, and no Western European encoding (Windows-1252, ISO-8859-15, Latin-1, "
                          "Mac Roman) decodes it cleanly; convert it to UTF-8")
    return raw.decode(encoding)
