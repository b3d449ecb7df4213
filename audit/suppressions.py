"""Inline suppressions: `<!-- source-audit: ... -->` comments in a text or Markdown article.

One syntax, in the comment form Markdown already hides from readers (as Vale, textlint and alex):

    <!-- source-audit: ignore SA201 The minister's figure on the day, quoted as such. -->
    <!-- source-audit: disable SA105 Names of units in a quoted press release. -->
    ...
    <!-- source-audit: enable SA105 -->
    <!-- source-audit: ignore-file SA213 A chronology: every date is checked by hand. -->

After the directive come rule codes (separated by spaces or commas; none means every rule),
then the reason, in free text. `ignore` covers the next paragraph (text up to the next blank
line), or the paragraph the comment is in when it ends a line of text; `disable` runs to the
matching `enable` or the end of the document; `ignore-file` covers the whole document.

A suppression without a reason (SA901), one that matched nothing (SA902) and one that cannot be
understood (SA903) are reported as notices. Suppressions apply to claim findings that are not
verified; document flags (SA3xx) are silenced with `per-file-ignores` in the configuration.
Comments inside fenced code blocks and inline code are examples, not instructions.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Callable

from claims.model import Span

from .model import DocumentResult, Finding, Notice, Suppression, Verdict
from .rules import RULES_BY_CODE

DIRECTIVES = ("ignore", "ignore-file", "disable", "enable")
_COMMENT = re.compile(r"<!--[ \t]*source-audit[ \t]*:(?P<body>.*?)-->", re.S | re.I)
_CODE_AT = re.compile(r"[\s,;]*([A-Za-z]{2}\d{3})(?![\w-])[,;:]?")
_BLANK_LINE = re.compile(r"\n[ \t\r]*\n")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})", re.M)
_EXAMPLE = "<!-- source-audit: ignore SA201 Why the finding is wrong or accepted. -->"


@dataclass(frozen=True)
class Directive:
    """One suppression comment and the parts of the document it covers, per code."""

    kind: str                               # ignore, ignore-file or disable
    codes: frozenset[str] | None            # None: every rule
    reason: str
    span: Span                              # the comment
    scopes: tuple[tuple[frozenset[str] | None, Span], ...] = ()


@dataclass(frozen=True)
class InlineSuppressions:
    """The directives of one document, the comments they were read from, and what was wrong
    with them (notices, reported whether or not anything was suppressed)."""

    directives: tuple[Directive, ...] = ()
    comments: tuple[Span, ...] = ()
    notices: tuple[Notice, ...] = ()


def find_suppressions(text: str) -> InlineSuppressions:
    """Every source-audit comment in `text`, outside code, resolved to the spans it covers."""
    if "source-audit" not in text:
        return InlineSuppressions()
    code = _code_ranges(text)
    directives: list[Directive] = []
    comments: list[Span] = []
    notices: list[Notice] = []
    open_disables: list[list] = []  # [directive, codes still disabled or None, start]
    closed: dict[int, list[tuple[frozenset[str] | None, Span]]] = {}
    # past the last "-->" no comment can end: an opener there would scan to the end of the text,
    # and thousands of unclosed openers would make that quadratic
    for match in _COMMENT.finditer(text, 0, text.rfind("-->") + 3):
        span = Span(match.start(), match.end())
        if _in_code(text, span.start, code):
            continue
        comments.append(span)
        parsed = _parse(match.group("body"), span, notices)
        if parsed is None:
            continue
        kind, codes, reason = parsed
        if kind == "enable":
            _enable(codes, span, open_disables, closed, notices)
            continue
        if kind == "ignore":
            scopes = ((codes, _paragraph_after(text, span)),)
        elif kind == "ignore-file":
            scopes = ((codes, Span(0, len(text))),)
        else:
            scopes = ()
        directive = Directive(kind, codes, reason, span, scopes)
        if kind == "disable":
            open_disables.append([len(directives), codes, span.end])
            closed[len(directives)] = []
        directives.append(directive)
    for index, codes, start in open_disables:  # a disable never enabled runs to the end
        closed[index].append((codes, Span(start, len(text))))
    directives = [replace(d, scopes=tuple(closed[i])) if d.kind == "disable" else d
                  for i, d in enumerate(directives)]
    return InlineSuppressions(tuple(directives), tuple(comments), tuple(notices))


def _parse(body: str, span: Span, notices: list[Notice]):
    """(directive, codes or None, reason), or None after reporting why the comment is unusable."""
    words = body.split(None, 1)
    if not words:
        notices.append(Notice("SA903", "Empty source-audit comment: expected ignore, ignore-file, "
                                       f"disable or enable, as in {_EXAMPLE}", span))
        return None
    kind = words[0].lower()
    if kind not in DIRECTIVES:
        notices.append(Notice("SA903", f"Unknown source-audit directive {words[0]!r}: expected "
                                       "ignore, ignore-file, disable or enable.", span))
        return None
    rest = words[1] if len(words) > 1 else ""
    given, position = [], 0
    while match := _CODE_AT.match(rest, position):
        given.append(match.group(1).upper())
        position = match.end()
    reason = " ".join(rest[position:].lstrip(" \t\r\n,;:-–—").split())
    codes = set()
    for item in dict.fromkeys(given):
        rule = RULES_BY_CODE.get(item)
        if rule is None:
            notices.append(Notice("SA903", f"Unknown rule code {item} in a suppression "
                                           "(see 'source-audit rules').", span))
        elif rule.kind == "flag":
            notices.append(Notice("SA903", f"{item} is a document flag and cannot be suppressed inline; "
                                           "use per-file-ignores in the configuration.", span))
        elif rule.kind == "notice":
            notices.append(Notice("SA903", f"{item} cannot be suppressed inline; use 'ignore' in the "
                                           "configuration.", span))
        else:
            codes.add(item)
    if given and not codes:
        return None  # every code was wrong: the comment must not silently become a blanket
    return kind, (frozenset(codes) if codes else None), reason


def _enable(codes, span, open_disables, closed, notices) -> None:
    if not open_disables:
        notices.append(Notice("SA903", "'enable' without an open 'disable' before it.", span))
        return
    if codes is None:
        for index, still, start in open_disables:
            closed[index].append((still, Span(start, span.start)))
        open_disables.clear()
        return
    matched = False
    for entry in list(open_disables):
        index, still, start = entry
        if still is None or not (still & codes):
            continue
        matched = True
        closed[index].append((still & codes, Span(start, span.start)))
        if still - codes:
            entry[1] = still - codes
        else:
            open_disables.remove(entry)
    if not matched:
        notices.append(Notice("SA903", f"'enable {' '.join(sorted(codes))}' has no 'disable' of those codes "
                                       "open before it (a blanket 'disable' is closed by a blanket 'enable').",
                              span))


def _paragraph_after(text: str, comment: Span) -> Span:
    """The paragraph an `ignore` covers: the one the comment ends a line of, else the next one."""
    line_start = text.rfind("\n", 0, comment.start) + 1
    if _COMMENT.sub("", text[line_start:comment.start]).strip():
        start = line_start
        while start > 0:
            previous = text.rfind("\n", 0, start - 1) + 1
            if not text[previous:start].strip():
                break
            start = previous
        blank = _BLANK_LINE.search(text, comment.end)
        return Span(start, blank.start() if blank else len(text))
    position = comment.end
    while position < len(text) and text[position].isspace():
        position += 1
    blank = _BLANK_LINE.search(text, position)
    return Span(comment.end, blank.start() if blank else len(text))


def _code_ranges(text: str) -> list[Span]:
    """Fenced code blocks (``` or ~~~), where comments are shown, not obeyed."""
    ranges, opened = [], None
    for match in _FENCE.finditer(text):
        fence = match.group(1)
        if opened is None:
            opened = (fence[0], len(fence), match.start())
        elif fence[0] == opened[0] and len(fence) >= opened[1]:
            ranges.append(Span(opened[2], match.end()))
            opened = None
    if opened is not None:
        ranges.append(Span(opened[2], len(text)))
    return ranges


def _in_code(text: str, offset: int, fenced: list[Span]) -> bool:
    if any(r.start <= offset < r.end for r in fenced):
        return True
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("`", line_start, offset) % 2 == 1  # inside an inline `code span`


def masked(text: str, comments: tuple[Span, ...]) -> str:
    """The text with each comment blanked (newlines kept), so offsets stay the same and neither
    the codes nor the reason are read as claims or joined to the sentence that follows."""
    if not comments:
        return text
    parts, previous = [], 0
    for span in comments:
        parts.append(text[previous:span.start])
        parts.append(re.sub(r"[^\r\n]", " ", text[span.start:span.end]))
        previous = span.end
    parts.append(text[previous:])
    return "".join(parts)


def apply_suppressions(result: DocumentResult, suppressions: InlineSuppressions,
                       enabled: Callable[[str], bool] = lambda code: True) -> DocumentResult:
    """Mark the findings the comments cover and add notices for the comments themselves.

    Verified findings are never suppressed: a suppression over a claim that has since become
    verified is unused, which tells the editor it can go. Codes of rules that are not enabled
    for the document are never reported as unused.
    """
    if not suppressions.directives and not suppressions.notices:
        return result
    used: dict[int, set[str]] = {i: set() for i in range(len(suppressions.directives))}
    findings: list[Finding] = []
    for finding in result.findings:
        if finding.suppression is not None or finding.verdict is Verdict.VERIFIED:
            findings.append(finding)
            continue
        spans = (finding.claim.span, *finding.occurrences)
        covering = [_covering(suppressions.directives, finding.code, span) for span in spans]
        for index in covering:
            if index is not None:
                used[index].add(finding.code)
        findings.extend(_split(finding, spans, covering, suppressions.directives, result))
    notices = list(suppressions.notices)
    for index, directive in enumerate(suppressions.directives):
        if not directive.reason:
            notices.append(Notice("SA901", f"Suppression without a reason: say why, as in {_EXAMPLE}",
                                  directive.span))
        if directive.codes is None:
            if not used[index]:
                notices.append(Notice("SA902", "Unused suppression: it matched no finding.", directive.span))
        else:
            unused = sorted(c for c in directive.codes - used[index] if enabled(c))
            if unused:
                notices.append(Notice("SA902", f"Unused suppression: no {', '.join(unused)} finding in its scope.",
                                      directive.span))
    notices = [n for n in notices if enabled(n.code)]
    notices.sort(key=lambda n: (n.span.start if n.span else -1, n.code))
    return replace(result, findings=tuple(findings), notices=(*result.notices, *notices))


def _covering(directives: tuple[Directive, ...], code: str, span: Span) -> int | None:
    for index, directive in enumerate(directives):
        if any((codes is None or code in codes) and region.start <= span.start < region.end
               for codes, region in directive.scopes):
            return index
    return None


def _split(finding: Finding, spans: tuple[Span, ...], covering: list[int | None],
           directives: tuple[Directive, ...], result: DocumentResult) -> list[Finding]:
    """The finding, suppressed when every occurrence is covered; when only some are, two
    findings: the covered occurrences suppressed and the others still reported, so that a
    suppression on one quoted copy of an error never hides the copies outside it."""
    covered = [span for span, index in zip(spans, covering) if index is not None]
    if not covered:
        return [finding]
    first = next(index for index in covering if index is not None)
    suppression = Suppression("inline", directives[first].reason, directives[first].span)
    if len(covered) == len(spans):
        return [replace(finding, suppression=suppression)]
    active = [span for span, index in zip(spans, covering) if index is None]
    return [_with_spans(finding, covered, result, suppression), _with_spans(finding, active, result, None)]


def _with_spans(finding: Finding, spans: list[Span], result: DocumentResult,
                suppression: Suppression | None) -> Finding:
    primary, *rest = spans
    claim = finding.claim
    if primary != claim.span:
        text = result.document.text[primary.start:primary.end] if result.document else claim.text
        claim = replace(claim, span=primary, text=text)
    return replace(finding, claim=claim, occurrences=tuple(rest), suppression=suppression)
