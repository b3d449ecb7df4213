"""Compile registry text signatures safely.

Signatures come from registries we do not control, so a regular expression is only accepted when
it cannot backtrack catastrophically: no nested unbounded repeats, no backreferences, and a bounded
length. Literal signatures (the default) match case-insensitively with any run of whitespace.
"""
from __future__ import annotations

import re
try:  # Python 3.11+: the parser moved under re
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    import sre_parse  # type: ignore[no-redef]

from .model import Signature

MAX_PATTERN_LENGTH = 500
_UNBOUNDED = sre_parse.MAXREPEAT


class PatternError(ValueError):
    """A signature pattern that is invalid or unsafe to run on untrusted text."""


def literal_to_regex(text: str) -> str:
    """A literal phrase as a regex: case-insensitive words, any whitespace between them."""
    words = text.split()
    return r"\s+".join(re.escape(w) for w in words)


def _check_safe(parsed, inside_unbounded: bool = False) -> None:
    for op, arg in parsed:
        name = str(op)
        if name in ("GROUPREF", "GROUPREF_EXISTS"):
            raise PatternError("backreferences are not allowed")
        if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, high, sub = arg
            unbounded = high == _UNBOUNDED or high > 100
            if unbounded and inside_unbounded:
                raise PatternError("nested unbounded repetition can backtrack catastrophically")
            _check_safe(sub, inside_unbounded or unbounded)
        elif name == "SUBPATTERN":
            _check_safe(arg[-1], inside_unbounded)
        elif name in ("ASSERT", "ASSERT_NOT"):
            _check_safe(arg[1], inside_unbounded)
        elif name == "BRANCH":
            if inside_unbounded and _overlapping(arg[1]):
                raise PatternError("alternatives that can match the same text inside a repetition "
                                   "can backtrack catastrophically")
            for branch in arg[1]:
                _check_safe(branch, inside_unbounded)
        elif name == "ATOMIC_GROUP":
            _check_safe(arg, inside_unbounded)


def _first_characters(parsed) -> frozenset[str] | None:
    """The characters a match of `parsed` can start with, case-folded; None when it could be many."""
    for op, arg in parsed:
        name = str(op)
        if name in ("AT", "ASSERT", "ASSERT_NOT"):
            continue  # anchors and lookarounds consume nothing
        if name == "LITERAL":
            return frozenset({chr(arg).casefold()})
        if name in ("SUBPATTERN", "ATOMIC_GROUP"):
            return _first_characters(arg[-1] if name == "SUBPATTERN" else arg)
        if name == "BRANCH":
            firsts = [_first_characters(branch) for branch in arg[1]]
            return None if any(f is None for f in firsts) else frozenset().union(*firsts)
        if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") and arg[0] > 0:
            return _first_characters(arg[2])
        return None  # a class, any character, an optional part...: assume the worst
    return None  # can match the empty string


def _overlapping(branches) -> bool:
    """Whether two alternatives can start with the same character (`a|aa`): repeated, the engine
    tries every way to split the text between them."""
    seen: set[str] = set()
    for branch in branches:
        first = _first_characters(branch)
        if first is None or seen & first:
            return True
        seen |= first
    return False


SIGNATURE_FLAGS = re.IGNORECASE


def _parse(pattern: str, flags: int = 0):
    try:
        return sre_parse.parse(pattern, flags)
    except re.error as exc:
        raise PatternError(f"invalid regular expression: {exc}") from None


def check_regex(pattern: str) -> None:
    _checked_parse(pattern)


def _checked_parse(pattern: str, flags: int = 0):
    """The parsed pattern, once it is known to be short enough and safe to run on any text."""
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise PatternError(f"pattern longer than {MAX_PATTERN_LENGTH} characters")
    parsed = _parse(pattern, flags)
    _check_safe(parsed)
    return parsed


def signature_regex(signature: Signature) -> tuple[str, tuple[str, ...] | None]:
    """The regular expression `signature` runs as (with SIGNATURE_FLAGS), checked safe, and what
    every match of it contains (`required_text`), from one parse of it.

    An audit compiles a signature only when a document holds that text: compiling all of them
    cost a twentieth of a second of every start, for patterns most documents never need.
    """
    if signature.regex:
        source = signature.pattern
        parsed = _checked_parse(source, SIGNATURE_FLAGS)
    else:
        source = literal_to_regex(signature.pattern)
        if not source:
            raise PatternError("empty pattern")
        parsed = _parse(source, SIGNATURE_FLAGS)
    return source, _required_pieces(parsed)


def compile_signature(signature: Signature) -> re.Pattern[str]:
    source, _ = signature_regex(signature)
    try:
        return re.compile(source, SIGNATURE_FLAGS)
    except re.error as exc:  # pragma: no cover - signature_regex parsed it already
        raise PatternError(f"invalid regular expression: {exc}") from None


def text_key(text: str) -> str:
    """Text folded so that `required_text` can be looked up in it with `in`: every character the
    case-insensitive regex engine equates with an ASCII letter folds to that letter here."""
    return text.casefold().replace("\u0131", "i").replace("\u0307", "")


def required_text(pattern: re.Pattern[str], minimum: int = 3) -> tuple[str, ...] | None:
    """Pieces of ASCII text one of which every match of `pattern` contains (as `text_key` folds
    them), or None when there are none of at least `minimum` characters.

    Signatures are searched for in every document and most documents hold none of them: checking
    that one of these pieces is there (substring searches) first skips the regular expression
    almost always.
    """
    try:
        parsed = sre_parse.parse(pattern.pattern, pattern.flags)
    except re.error:  # pragma: no cover - it compiled
        return None
    return _required_pieces(parsed, minimum)


def _required_pieces(parsed, minimum: int = 3) -> tuple[str, ...] | None:
    best = _best(_requirements(parsed))
    if best is None or min(map(len, best)) < minimum:
        return None
    return tuple(sorted({text_key(piece) for piece in best}))


def _best(requirements: list[tuple[str, ...]]) -> tuple[str, ...] | None:
    """The most selective requirement: the one whose shortest piece is longest."""
    return max(requirements, key=lambda pieces: min(map(len, pieces)), default=None)


def _requirements(parsed) -> list[tuple[str, ...]]:
    """What every match consumes, in order: each item is a tuple of pieces, one of which is there."""
    out: list[tuple[str, ...]] = []
    current: list[str] = []
    for op, arg in parsed:
        name = str(op)
        if name == "LITERAL" and arg < 128:
            current.append(chr(arg))
            continue
        if current:
            out.append(("".join(current),))
            current = []
        if name == "SUBPATTERN":  # a group is matched whole: what it requires is required
            out.extend(_requirements(arg[-1]))
        elif name == "BRANCH":  # one of the alternatives: one of their requirements
            chosen = [_best(_requirements(branch)) for branch in arg[1]]
            if chosen and all(chosen):
                out.append(tuple(piece for pieces in chosen for piece in pieces))
    if current:
        out.append(("".join(current),))
    return out
