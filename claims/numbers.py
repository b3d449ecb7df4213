"""Find numbers in English and French text: digits in both conventions, number words, scales.

Digits: `1,500`, `1 500` (French, also with no-break spaces), `1.500`, `2.3 million`,
`1,5 million`, `12%`. Number words are recognised by vocabulary and parsed with text2num, which
knows both languages' grammar ("cent cinquante", "twenty-four", "quatre-vingt-dix"). Garbled
numbers (`XNUMX` placeholders left by broken machine translation, or digits run together) are
returned as unparseable rather than guessed.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from text_to_num import text2num

from .alternation import alternation
from .model import Span

_SCALES = {
    "thousand": 1e3, "thousands": 1e3, "million": 1e6, "millions": 1e6, "billion": 1e9, "billions": 1e9,
    "mille": 1e3, "milliers": 1e3, "milliard": 1e9, "milliards": 1e9, "mn": 1e6, "bn": 1e9, "m": 1e6, "k": 1e3,
}
_DIGITS = re.compile(
    r"(?<![\w.,/])(?:"
    r"(?P<comma>\d{1,3}(?:,\d{3})+)(?![\d])"
    r"|(?P<dot>\d{1,3}(?:\.\d{3})+)(?![\d.,]\d)"
    r"|(?P<space>\d{1,3}(?:[ \u00a0\u202f]\d{3})+)(?![\d])"
    r"|(?P<plain>\d+(?:[.,]\d+)?)"
    r")(?!/\d)"  # "9/11", "24/7", "26/11" are names and ratios, not counts
    r"(?:[ \u00a0\u202f]?(?P<scale>thousand|millions?|billions?|milliards?|mille|mn|bn)\b)?"
)
_GARBLED = re.compile(r"\bX+NUMX*\b|\bXNUM\w*\b")

_WORDS_EN = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety "
    "hundred thousand million billion"
).split()
_WORDS_FR = (
    "zéro deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize "
    "vingt vingts trente quarante cinquante soixante cent cents mille million millions milliard milliards"
).split()
_VAGUE = {
    "en": {"dozens": (24, 144), "scores": (40, 200), "hundreds": (200, 999), "thousands": (2000, 99999),
           "tens of thousands": (20000, 99999), "hundreds of thousands": (200000, 999999), "millions": (2e6, 999e6)},
    "fr": {"dizaines": (20, 99), "centaines": (200, 999), "milliers": (2000, 99999),
           "dizaines de milliers": (20000, 99999), "centaines de milliers": (200000, 999999), "millions": (2e6, 999e6)},
}
_DOZEN = {"en": ("dozen", "dozens"), "fr": ("douzaine", "douzaines")}


def _word_pattern(words: list[str], joiners: str) -> re.Pattern[str]:
    word = f"(?:{alternation(words)})"
    # a run of number words joined by spaces, hyphens or the language's 'and'; bounded length
    return re.compile(rf"\b{word}(?:(?:[ \-]|[ \-]?(?:{joiners})[ \-]){word}){{0,8}}\b", re.IGNORECASE)


_WORD_RUNS = {"en": _word_pattern(_WORDS_EN, "and"), "fr": _word_pattern(_WORDS_FR + ["un", "une"], "et")}
_VAGUE_RE = {
    lang: re.compile(r"\b(?:" + alternation(table) + r")\b", re.IGNORECASE)
    for lang, table in _VAGUE.items()
}


def _hint_pattern(words: list[str], singles: tuple[str, ...], joiner: str, lang: str) -> re.Pattern[str]:
    """What every number `find_numbers` returns must contain: a digit, 'XNUM', a vague amount,
    'a dozen' (in either language), or a number word that starts a run. One of `singles` ('one',
    'un') alone is never a number, so it counts only when a further number word follows it, as in
    'un million'."""
    others = [w for w in words if w not in singles]
    word = f"(?:{alternation(words)})"
    # the characters a hint can start with, looked ahead for first: half the cost of the search
    first = "".join(sorted({w[0] for w in [*words, *_VAGUE[lang], "xnum", "dozen", "douzaine"]}))
    return re.compile(
        rf"(?=[\d{first}])(?:\d|xnum|dozen|douzaine|\b(?:{alternation(_VAGUE[lang])})"
        rf"|\b(?:{alternation(others)})(?:\b|{joiner}[ \-])"
        rf"|\b(?:{alternation(singles)})(?:[ \-]|[ \-]?{joiner}[ \-]){word})",
        re.IGNORECASE)


# One search tells whether a sentence holds any number at all: most sentences hold none, and the
# five passes of find_numbers cost far more than this one.
_HINTS = {"en": _hint_pattern(_WORDS_EN, ("one", "zero"), "and", "en"),
          "fr": _hint_pattern(_WORDS_FR + ["un", "une"], ("un", "une", "zéro"), "et", "fr")}


@dataclass(frozen=True)
class NumberMatch:
    span: Span
    value: float | None
    high: float | None = None
    kind: str = "digits"  # digits, words, vague, garbled
    percent: bool = False


def _digits_value(match: re.Match[str], language: str) -> float | None:
    if match.group("comma"):
        return float(match.group("comma").replace(",", ""))
    if match.group("dot"):
        return float(match.group("dot").replace(".", ""))
    if match.group("space"):
        return float(re.sub(r"[ \u00a0\u202f]", "", match.group("space")))
    plain = match.group("plain")
    return float(plain.replace(",", "."))


def _parse_words(run: str, language: str) -> float | None:
    cleaned = " ".join(run.lower().replace("-", " ").split())
    if language == "en":
        cleaned = cleaned.replace(" and ", " ")
    if cleaned in ("un", "une", "one", "zero", "zéro"):
        return None  # articles and pronouns far more often than counts
    try:
        return float(text2num(cleaned, language))
    except ValueError:
        return None


class _Taken:
    """Non-overlapping spans kept in order: whether a new one is free is a bisect, not a scan
    (a sentence of a thousand numbers would otherwise cost a million comparisons)."""

    def __init__(self) -> None:
        self._starts: list[int] = []
        self._spans: list[Span] = []

    def free(self, span: Span) -> bool:
        i = bisect_right(self._starts, span.start)
        if i and self._spans[i - 1].overlaps(span):
            return False
        return not (i < len(self._spans) and self._spans[i].overlaps(span))

    def append(self, span: Span) -> None:
        i = bisect_right(self._starts, span.start)
        self._starts.insert(i, span.start)
        self._spans.insert(i, span)

    def replace_last(self, span: Span) -> None:
        """Widen the span added last (the garbled pass adds its spans in order, never out of it)."""
        self._spans[-1] = span
        self._starts[-1] = span.start


def find_numbers(text: str, start: int, end: int, language: str) -> list[NumberMatch]:
    """Every number in text[start:end], leftmost first, never overlapping."""
    if not _HINTS[language if language in _HINTS else "en"].search(text, start, end):
        return []
    return _find_numbers(text, start, end, language)


def _find_numbers(text: str, start: int, end: int, language: str) -> list[NumberMatch]:
    found: list[NumberMatch] = []
    taken = _Taken()
    free = taken.free

    for match in _GARBLED.finditer(text, start, end):
        span = Span(match.start(), match.end())
        if found and found[-1].kind == "garbled" and not text[found[-1].span.end:span.start].strip(" ,."):
            span = Span(found[-1].span.start, span.end)  # "XNUMX XNUMX" is one garbled number
            found[-1] = NumberMatch(span, None, kind="garbled")
            taken.replace_last(span)
            continue
        found.append(NumberMatch(span, None, kind="garbled"))
        taken.append(span)
    for match in _DIGITS.finditer(text, start, end):
        span = Span(match.start(), match.end())
        if not free(span):
            continue
        value = _digits_value(match, language)
        if value is None:
            continue
        scale = match.group("scale")
        if scale:
            value *= _SCALES[scale.lower()]
        if value == float("inf"):  # hundreds of digits overflow a float: unparseable, never "inf"
            found.append(NumberMatch(span, None, kind="garbled"))
            taken.append(span)
            continue
        percent = text[match.end():min(match.end() + 2, end)].lstrip(" \u00a0\u202f")[:1] == "%"
        if percent:
            span = Span(span.start, text.index("%", match.end()) + 1)
        found.append(NumberMatch(span, value, kind="digits", percent=percent))
        taken.append(span)
    lang = language if language in _WORD_RUNS else "en"
    for match in _VAGUE_RE[lang].finditer(text, start, end):
        span = Span(match.start(), match.end())
        if free(span):
            low, high = _VAGUE[lang][match.group().lower()]
            found.append(NumberMatch(span, float(low), float(high), kind="vague"))
            taken.append(span)
    for match in _WORD_RUNS[lang].finditer(text, start, end):
        span = Span(match.start(), match.end())
        if not free(span):
            continue
        value = _parse_words(match.group(), lang)
        if value is None:
            continue
        tail = text[match.end():min(match.end() + 12, end)].lower().lstrip()  # never past the range
        for dozen in _DOZEN[lang]:
            if tail.startswith(dozen):
                value *= 12
                span = Span(span.start, match.end() + text[match.end():].lower().index(dozen) + len(dozen))
                break
        found.append(NumberMatch(span, value, kind="words"))
        taken.append(span)
    for match in re.finditer(r"\b(?:a|une)\s+(?:dozen|douzaine)\b", text[start:end], re.IGNORECASE):
        span = Span(start + match.start(), start + match.end())
        if free(span):
            found.append(NumberMatch(span, 12.0, kind="words"))
            taken.append(span)
    found.sort(key=lambda n: n.span.start)
    return found
