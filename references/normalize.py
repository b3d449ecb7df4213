"""Length-preserving text folding shared by the index and the extractors.

Matching works on a folded copy of the text in which every character keeps its position, so a hit
in the folded copy is a span of the original: lower-cased, accents removed, every character that
is not a letter or digit replaced by a space.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from rapidfuzz.utils import default_process

_NON_WORD = re.compile(r"[^\w ]|_", re.UNICODE)  # spaces stay as they are: replacing them is wasted work


@lru_cache(maxsize=4096)
def _strip_accent(char: str) -> str:
    decomposed = unicodedata.normalize("NFD", char)
    base = decomposed[0] if decomposed else char
    return base if len(base) == 1 else char


def _accent_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0xC0, 0x250):
        char = chr(code)
        base = _strip_accent(char)
        if base != char:
            table[code] = base
    # letters without a decomposition that readers treat as their base letter
    table.update({ord("ø"): "o", ord("Ø"): "O", ord("đ"): "d", ord("Đ"): "D", ord("ł"): "l",
                  ord("Ł"): "L", ord("ı"): "i"})
    return table


_ACCENTS = _accent_table()
_ACCENT_CHARS = {chr(code): base for code, base in _ACCENTS.items()}
# accented letters are rare in most text: a regex finds them faster than str.translate visits every character
_ACCENTED = re.compile("[" + "".join(sorted(_ACCENT_CHARS)) + "]")


# Latin-1 text as bytes: the accented letters of English and French news are all here.
_LATIN1_ACCENTS = [code for code in sorted(_ACCENTS) if code < 0x100]
_LATIN1_BASES = bytes.maketrans(bytes(_LATIN1_ACCENTS),
                                "".join(_ACCENTS[code] for code in _LATIN1_ACCENTS).encode("latin-1"))


def _strip_accents(text: str) -> str:
    """Accented letters replaced by their base letter: Latin-1 text (folded text mostly is) by a
    bytes translation, any other by the regex."""
    if text.isascii():
        return text
    try:
        raw = text.encode("latin-1")
    except UnicodeEncodeError:
        return _strip_accents_by_regex(text)
    return raw.translate(_LATIN1_BASES).decode("latin-1")


def _strip_accents_by_regex(text: str) -> str:
    return _ACCENTED.sub(lambda m: _ACCENT_CHARS[m.group()], text)


def lower_preserving(text: str) -> str:
    """str.lower() that never changes the length (e.g. 'İ' lowers to two code points)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c.lower()[:1] or c for c in text)


# rapidfuzz's default_process lower-cases and blanks out everything but letters and digits in one
# C++ pass, some 30 times faster than both steps in Python, but with its own Unicode tables (older
# than Python's) and without the final sigma (so no Greek). On these blocks, whose letters were all
# assigned long ago, it agrees with the Python steps character for character, as a test checks for
# every code point: Latin with its marks, Cyrillic, punctuation and symbols, the Latin ligatures,
# and specials. A text holding any other character is folded the Python way.
_RAPIDFUZZ_AGREES = ((0x0000, 0x036F), (0x0400, 0x052F), (0x1E00, 0x1EFF), (0x2000, 0x2BFF),
                     (0xFB00, 0xFB06), (0xFE00, 0xFFFF))
_OUTSIDE_AGREEMENT = re.compile("[^" + "".join(f"\\U{lo:08x}-\\U{hi:08x}" for lo, hi in _RAPIDFUZZ_AGREES) + "]")


def fold(text: str) -> str:
    """Lower-case, strip accents and blank out punctuation, keeping every offset."""
    folded = fold_with_rapidfuzz(text)
    return fold_in_python(text) if folded is None else folded


def fold_with_rapidfuzz(text: str) -> str | None:
    """`fold` by rapidfuzz, or None when the text holds a character outside the blocks above."""
    if _OUTSIDE_AGREEMENT.search(text) is not None:
        return None
    processed = default_process(f"a{text}a")  # letters at both ends: it trims the spaces it makes there
    return _strip_accents(processed[1:-1]) if len(processed) == len(text) + 2 else None


def fold_in_python(text: str) -> str:
    """`fold` in Python alone: for texts outside those blocks, and the reference for the fast way."""
    return _NON_WORD.sub(" ", _strip_accents(lower_preserving(text)))


def blank_punctuation(text: str) -> str:
    """Keep case but blank out punctuation (for case-sensitive acronym matching)."""
    return _NON_WORD.sub(" ", text)


def fold_key(name: str) -> str:
    """A name as a match key: folded, whitespace runs collapsed."""
    return " ".join(fold(name).split())


def case_key(name: str) -> str:
    return " ".join(blank_punctuation(name).split())


def fold_letters(text: str) -> str:
    """Lower-case and strip accents but keep punctuation, keeping every offset."""
    return _strip_accents(lower_preserving(text))
