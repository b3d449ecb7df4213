"""Split text into sentences and clauses, keeping offsets.

Sentence ends are `.`, `!`, `?` (and `…`) before whitespace, unless the word before is a known
abbreviation (U.S., Dr., St., Jan., M., Mme…) or an initial; a line break ends a sentence when
the line looks finished (ends in punctuation), is short (a heading) or the next line is a list
item, a heading or a table row. Clauses split sentences at semicolons and spaced dashes. A
"sentence" longer than MAX_SENTENCE characters (a page with no punctuation, a 5 MB single line) is
cut into pieces at spaces, so that the work per sentence stays bounded.
"""
from __future__ import annotations

import re

from .model import Span

ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof st sr jr gen lt col capt cpt sgt maj adm gov sen rep pres rev fr mt ft
    no nos vs etc al approx dept est inc ltd co corp jan feb mar apr jun jul aug sep sept oct nov dec
    u.s u.k u.n e.u u.s.a e.g i.e a.m p.m m mme mlle mm me dr pr st ste av art ch vol cf p pp ex""".split()
)
# (?<!...): a run of stops is tried once, from its first character (a long run of '.' not followed
# by a space would otherwise be rescanned from each of its characters)
_END = re.compile(r"(?<![.!?…])[.!?…]+[\"'”’»)\]]*(?=\s)|(?<![.!?…])[.!?…]+[\"'”’»)\]]*\Z")
_WORD_BEFORE = re.compile(r"([\w.]+)\Z")
_LIST_START = re.compile(r"\s*(?:[-*•–—+]|\d+[.)]|#|\||>)")
_CLAUSE_BREAK = re.compile(r";|\s[—–]\s|\s--\s")
# Twice the longest sentence in the test articles: past this, text is not prose that a reader parses
# as one sentence, and per-sentence work (claims × words) would grow with the square of its length.
MAX_SENTENCE = 1000


def _line_breaks(text: str, start: int, end: int) -> list[int]:
    """Offsets just after newlines that end a sentence."""
    cuts = []
    pos = text.find("\n", start, end)
    while pos != -1:
        line_start = text.rfind("\n", start, pos) + 1
        line = text[max(line_start, start):pos].rstrip()
        next_line_end = text.find("\n", pos + 1, end)
        next_line = text[pos + 1: next_line_end if next_line_end != -1 else end]
        finished = not line or line[-1] in ".!?:;…\"”»)|"
        stripped = next_line.lstrip()
        # a long line without final punctuation is wrapped text; a short one is a heading; a
        # timeline or table row ("2015 — Paris — 130 dead") and a line before one are rows
        row = " — " in line or " – " in line or " | " in line or stripped[:1].isdigit()
        continues = bool(stripped) and not row and (stripped[0].islower() or stripped[0] in ",;)" or len(line) >= 50)
        if finished or not stripped or _LIST_START.match(next_line) or not continues:
            cuts.append(pos + 1)
        pos = text.find("\n", pos + 1, end)
    return cuts


# The last segmentation: extraction and provenance both segment a document's body, one after the other.
_last: tuple[str, int, int, tuple[Span, ...]] | None = None


def sentences(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Sentence spans of text[start:end], trimmed of surrounding whitespace."""
    global _last
    end = len(text) if end is None else end
    last = _last
    if last is not None and last[0] is text and last[1] == start and last[2] == end:
        return list(last[3])
    spans = _sentences(text, start, end)
    _last = (text, start, end, tuple(spans))
    return spans


def _sentences(text: str, start: int, end: int) -> list[Span]:
    cuts = set(_line_breaks(text, start, end))
    for match in _END.finditer(text, start, end):
        before = _WORD_BEFORE.search(text, max(start, match.start() - 20), match.start())
        if match.group().startswith(".") and before:
            word = before.group(1).lower().rstrip(".")
            if word in ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
                continue
            if word.replace(".", "").isdigit() and match.group() == "." and text[match.end():match.end() + 2].strip()[:1].islower():
                continue
        cuts.add(match.end())
    spans = []
    position = start
    for cut in sorted(cuts) + [end]:
        if cut <= position:
            continue
        span = _trim(text, position, cut)
        if span:
            spans.extend(_bounded(text, span))
        position = cut
    return spans


def _bounded(text: str, span: Span) -> list[Span]:
    """The span, or pieces of at most MAX_SENTENCE characters cut after the last space (else hard)."""
    if len(span) <= MAX_SENTENCE:
        return [span]
    pieces = []
    start = span.start
    while span.end - start > MAX_SENTENCE:
        limit = start + MAX_SENTENCE
        cut = max(text.rfind(" ", start + MAX_SENTENCE // 2, limit), text.rfind("\n", start + MAX_SENTENCE // 2, limit))
        cut = cut + 1 if cut != -1 else limit
        piece = _trim(text, start, cut)
        if piece:
            pieces.append(piece)
        start = cut
    piece = _trim(text, start, span.end)
    if piece:
        pieces.append(piece)
    return pieces


def clauses(text: str, sentence: Span) -> list[Span]:
    """Clause spans of a sentence: split at semicolons and spaced dashes."""
    out = []
    position = sentence.start
    for match in _CLAUSE_BREAK.finditer(text, sentence.start, sentence.end):
        span = _trim(text, position, match.start())
        if span:
            out.append(span)
        position = match.end()
    span = _trim(text, position, sentence.end)
    if span:
        out.append(span)
    return out or [sentence]


def _trim(text: str, start: int, end: int) -> Span | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end) if end > start else None
