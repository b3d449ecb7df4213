"""Documents and the claims extracted from them: small frozen dataclasses, no behaviour but views."""
from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property
from enum import Enum


@dataclass(frozen=True, order=True)
class Span:
    """[start, end) Python string offsets into the document's text."""

    start: int
    end: int

    def __len__(self) -> int:
        return self.end - self.start

    def contains(self, other: "Span") -> bool:
        return self.start <= other.start and other.end <= self.end

    def overlaps(self, other: "Span") -> bool:
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True)
class Document:
    """One article as read: the text audited (a page's extracted main text), plus what is known about it."""

    path: str
    text: str
    language: str = "en"
    published: dt.date | None = None
    url: str | None = None
    domain: str | None = None
    title: str | None = None
    body: Span | None = None  # where the article body starts and ends (after front matter)
    site: str | None = None   # the publication's name ("The Harbour Times"); `domain` is its host name

    @cached_property
    def _line_starts(self) -> list[int]:
        starts = [0]
        position = self.text.find("\n")
        while position != -1:
            starts.append(position + 1)
            position = self.text.find("\n", position + 1)
        return starts

    def line_column(self, offset: int) -> tuple[int, int]:
        """1-based line and column of an offset, as editors count them."""
        line = bisect_right(self._line_starts, offset)
        return line, offset - self._line_starts[line - 1] + 1


class ClaimType(str, Enum):
    ENTITY = "entity"
    QUANTITY = "quantity"
    DATE = "date"
    PERSON = "person"
    ATTRIBUTION = "attribution"


class Comparator(str, Enum):
    EXACT = "exact"
    MORE_THAN = "more_than"
    AT_LEAST = "at_least"
    ABOUT = "about"
    NEARLY = "nearly"
    UP_TO = "up_to"
    FEWER_THAN = "fewer_than"
    BETWEEN = "between"
    VAGUE = "vague"  # "dozens", "des centaines de": an order of magnitude, never a contradiction


@dataclass(frozen=True)
class Quantity:
    """A number as the text states it: value (or low..high), its hedge and what it counts."""

    value: float
    comparator: Comparator = Comparator.EXACT
    high: float | None = None
    unit: str = ""
    rate: str | None = None
    parsed: bool = True

    def bounds(self) -> tuple[float | None, float | None, bool, bool]:
        """(low, high, low_open, high_open) of the values the claim allows."""
        v = self.value
        c = self.comparator
        if c is Comparator.EXACT:
            return v, v, False, False
        if c is Comparator.MORE_THAN:
            return v, None, True, False
        if c is Comparator.AT_LEAST:
            return v, None, False, False
        if c is Comparator.FEWER_THAN:
            return None, v, False, True
        if c is Comparator.UP_TO:
            return None, v, False, False
        if c is Comparator.NEARLY:
            return v * 0.9, v, False, True
        if c is Comparator.ABOUT:
            tolerance = max(1.0, v * 0.1)
            return v - tolerance, v + tolerance, False, False
        if c in (Comparator.BETWEEN, Comparator.VAGUE):
            return v, self.high if self.high is not None else v, False, False
        raise ValueError(c)  # pragma: no cover

    def describe(self) -> str:
        def fmt(x: float) -> str:
            return f"{int(x):,}" if float(x).is_integer() else f"{x:,}"
        words = {Comparator.MORE_THAN: "more than ", Comparator.AT_LEAST: "at least ",
                 Comparator.ABOUT: "about ", Comparator.NEARLY: "nearly ", Comparator.UP_TO: "up to ",
                 Comparator.FEWER_THAN: "fewer than ", Comparator.EXACT: "", Comparator.VAGUE: "roughly "}
        if self.comparator is Comparator.VAGUE and self.high is not None:
            return f"{fmt(self.value)}–{fmt(self.high)} (an order of magnitude)"
        if self.comparator is Comparator.BETWEEN and self.high is not None:
            return f"between {fmt(self.value)} and {fmt(self.high)}"
        return words[self.comparator] + fmt(self.value)


@dataclass(frozen=True)
class DateValue:
    """A date as stated: year, optionally month and day."""

    year: int
    month: int | None = None
    day: int | None = None
    resolved_from: str = ""  # "septembre dernier": a relative date read against the publication date

    def __str__(self) -> str:
        if self.day:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"


@dataclass(frozen=True)
class Subject:
    """What a claim is about, and why the extractor thinks so."""

    id: str
    name: str
    kind: str  # "entity" or "event"
    reason: str


@dataclass(frozen=True)
class Claim:
    """One checkable statement found in a document.

    `property` says what is claimed about the subject: "existence" and "acronym" for entities;
    "deaths", "injuries", "members", "fighters", "count"... for quantities; "founded" or
    "event_date" for dates.
    """

    claim_type: ClaimType
    text: str
    span: Span
    sentence: Span
    property: str
    subject: Subject | None = None
    quantity: Quantity | None = None
    date: DateValue | None = None
    name: str | None = None          # the name as written, for entity claims
    acronym: str | None = None       # the acronym as written, for "Name (ACR)" claims
    entity_id: str | None = None     # registry entity the text names, when one matched exactly
    match: str = ""                  # how the entity was found: alias, acronym, definition, name
    group: str = ""                  # words naming a sub-group ("US service members")
    subcount: bool = False           # "including 13 ...": part of the figure before it, not a total
    when: DateValue | None = None    # the time a figure is stated for: "12 members in 1949"
    reported: bool = False           # attributed to someone else ("critics claim that ..."), not asserted
    occurrences: tuple[Span, ...] = field(default=())  # further spans of the same claim
