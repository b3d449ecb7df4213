"""Find dates in text: "2015", "May 2020", "13 November 2015", "le 13 novembre 2015", ISO dates."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from .lexicon import Lexicon
from .model import DateValue, Span

_YEAR = r"(1[89]\d\d|20\d\d)"


@dataclass(frozen=True)
class DateMatch:
    span: Span
    value: DateValue


# Every relative date has one of these words ("last", "this"; "dernier", "cette"): one search
# tells whether a sentence can hold any, before the five patterns are tried.
_RELATIVE_HINT = {False: re.compile(r"last|this"), True: re.compile(r"derni|cette")}
_DIGIT = re.compile(r"\d")  # every absolute date holds a year


@lru_cache(maxsize=4)
def _relative_patterns(language: str, months: tuple[str, ...]) -> list[tuple[str, re.Pattern[str]]]:
    month = "(" + "|".join(sorted(map(re.escape, months), key=len, reverse=True)) + r")"
    if language == "fr":
        return [
            ("month-last-year", re.compile(r"\b" + month + r"\s+(?:de\s+)?l['’]ann[ée]e\s+derni[èe]re\b")),
            ("month-this-year", re.compile(r"\b" + month + r"\s+(?:de\s+)?cette\s+ann[ée]e\b")),
            ("last-month", re.compile(r"\b" + month + r"\s+dernier\b")),
            ("last-year", re.compile(r"\bl['’](?:ann[ée]e\s+derni[èe]re|an\s+dernier)\b")),
            ("this-year", re.compile(r"\bcette\s+ann[ée]e\b")),
        ]
    return [
        ("month-last-year", re.compile(r"\b" + month + r"\s+(?:of\s+)?last\s+year\b")),
        ("month-this-year", re.compile(r"\b" + month + r"\s+(?:of\s+)?this\s+year\b")),
        ("last-month", re.compile(r"\blast\s+" + month + r"\b")),
        ("last-year", re.compile(r"\blast\s+year\b")),
        ("this-year", re.compile(r"\bthis\s+year\b")),
    ]


def find_relative_dates(folded: str, span: Span, lex: Lexicon, published) -> list[DateMatch]:
    """'last September', 'en septembre dernier', 'cette année', read against the publication date.

    Without a publication date they cannot be placed in time, so none is returned.
    """
    if published is None or not _RELATIVE_HINT[lex.language == "fr"].search(folded, span.start, span.end):
        return []
    return _find_relative_dates(folded, span, lex, published)


def _find_relative_dates(folded: str, span: Span, lex: Lexicon, published) -> list[DateMatch]:
    months = lex.months
    found: list[DateMatch] = []
    taken: list[Span] = []
    for kind, pattern in _relative_patterns(lex.language, tuple(months)):
        for match in pattern.finditer(folded, span.start, span.end):
            where = Span(match.start(), match.end())
            if any(where.overlaps(t) for t in taken):
                continue
            phrase = match.group()
            if kind == "last-year":
                value = DateValue(published.year - 1, resolved_from=phrase)
            elif kind == "this-year":
                value = DateValue(published.year, resolved_from=phrase)
            else:
                month = months[match.group(1)]
                if kind == "month-last-year":
                    year = published.year - 1
                elif kind == "month-this-year":
                    year = published.year
                else:  # "last September": the most recent September before the article
                    year = published.year if month < published.month else published.year - 1
                value = DateValue(year, month, resolved_from=phrase)
            found.append(DateMatch(where, value))
            taken.append(where)
    return found


@lru_cache(maxsize=4)
def _patterns(language: str, months: tuple[str, ...]) -> list[re.Pattern[str]]:
    month = "(" + "|".join(sorted(map(re.escape, months), key=len, reverse=True)) + r")\.?"
    return [
        re.compile(r"(?<![\w-])" + _YEAR + r"-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(?![\w-])"),
        re.compile(r"\b(\d{1,2})(?:er|st|nd|rd|th)?\s+" + month + r",?\s+" + _YEAR + r"\b"),
        re.compile(r"\b" + month + r"\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+" + _YEAR + r"\b"),
        re.compile(r"\b" + month + r",?\s+(?:of\s+|de\s+)?" + _YEAR + r"\b"),
        re.compile(r"(?<![\w,.\-])" + _YEAR + r"(?![\w\-]|[.,]\d|\s?%)"),
    ]


def find_dates(folded: str, span: Span, lex: Lexicon) -> list[DateMatch]:
    """Dates in folded[span]; `folded` is the text lower-cased without accents (fold_letters)."""
    if not _DIGIT.search(folded, span.start, span.end):
        return []
    return _find_dates(folded, span, lex)


def _find_dates(folded: str, span: Span, lex: Lexicon) -> list[DateMatch]:
    months = lex.months
    found: list[DateMatch] = []
    taken: list[Span] = []
    for number, pattern in enumerate(_patterns(lex.language, tuple(months))):
        for match in pattern.finditer(folded, span.start, span.end):
            where = Span(match.start(), match.end())
            if any(where.overlaps(t) for t in taken):
                continue
            groups = match.groups()
            if number == 0:
                value = DateValue(int(groups[0]), int(groups[1]), int(groups[2]))
            elif number == 1:
                value = DateValue(int(groups[2]), months[groups[1]], int(groups[0]))
            elif number == 2:
                value = DateValue(int(groups[2]), months[groups[0]], int(groups[1]))
            elif number == 3:
                value = DateValue(int(groups[1]), months[groups[0]])
            else:
                value = DateValue(int(groups[0]))
            if value.day is not None and not _is_calendar_day(value):
                continue  # "31 February 2015", "0 May 2020": no such day, so no date claim
            found.append(DateMatch(where, value))
            taken.append(where)
    found.sort(key=lambda d: d.span.start)
    return found


def _is_calendar_day(value: DateValue) -> bool:
    try:
        dt.date(value.year, value.month or 0, value.day or 0)
    except ValueError:
        return False
    return True
