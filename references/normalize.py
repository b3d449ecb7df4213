"""Length-preserving text folding shared by the index and the extractors.

Matching works on a folded copy of the text in which every character keeps its position, so a hit
in the folded copy is a span of the original: lower-cased, accents removed, every character that
is not a letter or digit replaced by a space.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

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


def _strip_accents(text: str) -> str:
    return _ACCENTED.sub(lambda m: _ACCENT_CHARS[m.group()], text)


def lower_preserving(text: str) -> str:
    """str.lower() that never changes the length (e.g. 'İ' lowers to two code points)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c.lower()[:1] or c for c in text)


def fold(text: str) -> str:
    """Lower-case, strip accents and blank out punctuation, keeping every offset."""
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
