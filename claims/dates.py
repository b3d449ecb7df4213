"""Find dates in text: "2015", "May 2020", "13 November 2015", "le 13 novembre 2015", ISO dates."""
from __future__ import annotations

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
            if value.day and not 1 <= value.day <= 31:
                continue
            found.append(DateMatch(where, value))
            taken.append(where)
    found.sort(key=lambda d: d.span.start)
    return found
